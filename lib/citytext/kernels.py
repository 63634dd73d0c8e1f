"""Warm kernels: execute many notebooks with papermill in one kernel each.

Starting a Jupyter kernel and importing pandas, matplotlib and the library
costs a second or two of CPU; a city profile itself takes a fraction of that.
A run therefore keeps a few kernels warm (one per worker process) and lets
papermill execute one profile notebook after another in them. Each
execution is still a complete papermill run of the notebook (parameters
injected, every cell executed, the executed notebook written), so every
profile stays a notebook that anyone can re-run.

Between two notebooks the kernel forgets the previous one: the user
namespace is emptied (as ``%reset`` does, without its full garbage
collection), figures are closed, the execution count
starts at 1 again and :func:`citytext.report.reset` clears the page's state.
Modules stay imported, and run-directory tables read through
:func:`citytext.runfiles.read_csv` stay cached while their files are
unchanged, which is what makes the next notebook fast.

papermill has no switch for an existing kernel, so a small engine
(``citytext-warm``, registered with papermill's engine registry) hands it
the kernel manager and client to use instead of starting its own.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

logger = logging.getLogger(__name__)

ENGINE = "citytext-warm"
#: Kernel command-line options for every notebook a run executes: the
#: kernel's own start-up notices are not for report readers, and the input
#: history (an SQLite file written by a thread, which each cell waits for)
#: serves nobody in a batch run.
KERNEL_ARGUMENTS = [
    "--IPKernelApp.log_level=CRITICAL",
    "--HistoryManager.enabled=False",
]


class QuietKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels do not write to the terminal.

    A kernel inherits the ``citytext`` process's stderr by default, and
    ipykernel can log a traceback there while it shuts down (a flush after
    its sockets closed). A notebook's own output and errors reach the runner
    over the kernel's messages, not its stderr, so nothing a run reports is lost.
    """

    async def start_kernel(self, **kw: Any) -> None:
        """Start the kernel with its stderr sent to ``/dev/null``."""
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super().start_kernel(**kw)


#: Run in the kernel before each notebook (silently, not in the notebook).
RESET_CODE = """\
_shell, _name = get_ipython(), None
for _name in [n for n in _shell.user_ns if n not in _shell.user_ns_hidden
              and not n.startswith("_")]:
    del _shell.user_ns[_name]
_shell.execution_count = 1
import sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
if "citytext.report" in _sys.modules:
    _sys.modules["citytext.report"].reset()
del _sys, _shell, _name
"""
#: Imports done once when the kernel starts, before the first notebook.
WARM_UP_CODE = """\
import citytext.compare, citytext.plots, citytext.report, citytext.runfiles, itables
citytext.plots.setup()
citytext.runfiles.cache_reads()
"""
_registered = False


class WarmKernel:
    """A started kernel and its client, reused for notebook after notebook.

    Args:
        kernel_name: Jupyter kernel name.
        cwd: Working directory of the kernel (the run directory).
        startup_timeout: Seconds to wait for the kernel to start.
    """

    def __init__(self, kernel_name: str, cwd: Path, startup_timeout: int = 120):
        import nbformat
        from nbclient import NotebookClient

        self._client = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name=kernel_name,
            startup_timeout=startup_timeout,
            extra_arguments=KERNEL_ARGUMENTS,
            kernel_manager_class=QuietKernelManager,
        )
        self._client.km = self._client.create_kernel_manager()
        self._client.start_new_kernel(cwd=str(cwd))
        self._client.start_new_kernel_client()
        self.km = self._client.km
        self.kc = self._client.kc
        self.run_code(WARM_UP_CODE)

    def run_code(self, code: str, timeout: int = 120) -> None:
        """Execute code silently in the kernel.

        Raises:
            RuntimeError: If the code raised an error in the kernel.
        """
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(
            code, silent=True, store_history=False, timeout=timeout
        )
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise RuntimeError(
                f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}"
            )

    def reset(self) -> None:
        """Make the kernel ready for the next notebook."""
        self.run_code(RESET_CODE)

    def shutdown(self) -> None:
        """Stop the client and the kernel."""
        try:
            self._client._cleanup_kernel()
        except Exception:  # noqa: BLE001 - best effort at exit
            logger.debug("kernel shutdown failed", exc_info=True)


def register_engine() -> None:
    """Register the ``citytext-warm`` papermill engine (once per process)."""
    global _registered
    if _registered:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):
        """Execute a notebook in the :class:`WarmKernel` passed as ``warm``."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            warm: WarmKernel = kwargs.pop("warm")
            safe = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                safe,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=warm.km, **final)
            client.kc = warm.kc  # the kernel is not shut down afterwards
            return client.execute()

    papermill_engines.register(ENGINE, WarmEngine)
    _registered = True
