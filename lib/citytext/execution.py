"""Execute notebooks with papermill.

Which notebooks a run has and their parameters, one notebook in a fresh
kernel, and the city profiles in warm kernels.

The run as a whole (temporary directory, re-use of unchanged notebooks, moving
the report into place) is :mod:`citytext.runner`'s; what ``run.json`` records
is :mod:`citytext.runrecord`'s.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citytext import config, kernels, names, params, rundir

logger = logging.getLogger(__name__)

MAIN_NOTEBOOKS = ("01_cleaning", "02_topics", "03_metrics", "04_cross_city")
PROFILE_NOTEBOOK = "05_city_profile"
ALL_NOTEBOOKS = (*MAIN_NOTEBOOKS, PROFILE_NOTEBOOK)
#: Parameters the runner sets itself; users choose them with --corpus/--out.
RUNNER_PARAMS = ("run_dir", "corpus")


class RunError(RuntimeError):
    """A run failed; the message is one line meant for the user."""

    exit_code = 1


class UsageError(RunError):
    """Bad arguments or parameters (exit status 2)."""

    exit_code = 2


@dataclass
class RunConfig:
    """Everything a run needs, validated.

    Attributes:
        corpus: Corpus directory.
        out: Output directory (replaced only when the run succeeds).
        user_params: Typed parameter values given by the user.
        jobs: Parallel profile pages.
        quiet: Silence progress output.
        timeout: Per-cell execution timeout in seconds (None: no limit).
        kernel: Kernel name used for every notebook.
        force: Execute every notebook, even those the previous report in
            ``out`` could give unchanged.
    """

    corpus: Path
    out: Path
    user_params: dict[str, Any] = field(default_factory=dict)
    jobs: int = 0
    quiet: bool = False
    timeout: int | None = None
    kernel: str = "python3"
    force: bool = False


# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------
def notebook_path(name: str) -> Path:
    """Return the source notebook for a stem such as ``"02_topics"``.

    Args:
        name: Stem, file name, or a unique prefix such as ``"02"``.

    Returns:
        The notebook path.

    Raises:
        UsageError: If no notebook or several match.
    """
    stem = Path(name).stem
    direct = Path(name)
    if direct.suffix == ".ipynb" and direct.is_file():
        return direct
    matches = [n for n in ALL_NOTEBOOKS if n == stem or n.startswith(stem)]
    if len(matches) != 1:
        raise UsageError(
            f"unknown notebook {name!r}; choose one of: {', '.join(ALL_NOTEBOOKS)}"
        )
    return config.NOTEBOOKS_DIR / f"{matches[0]}.ipynb"


def all_specs() -> dict[str, list[params.ParamSpec]]:
    """Return each notebook's declared parameters, keyed by notebook stem."""
    return {name: params.read_specs(notebook_path(name)) for name in ALL_NOTEBOOKS}


def describe_parameters() -> str:
    """Render every notebook's parameters as help text."""
    lines = []
    for name, specs in all_specs().items():
        lines.append(f"{name}:")
        for s in specs:
            if s.name in RUNNER_PARAMS:
                continue
            lines.append(f"  {s.name}: {s.type} = {s.default!r}")
            if s.help:
                lines.append(f"      {s.help}")
    return "\n".join(lines)


def validate_values(raw: dict[str, Any]) -> dict[str, Any]:
    """Type-check user parameters against every notebook that declares them.

    Args:
        raw: ``{name: value}`` from ``-p`` pairs and a parameter file.

    Returns:
        ``{name: typed value}``.

    Raises:
        UsageError: For an unknown name, a wrong type or an impossible value.
    """
    by_name: dict[str, list[params.ParamSpec]] = {}
    for specs in all_specs().values():
        for s in specs:
            by_name.setdefault(s.name, []).append(s)
    typed: dict[str, Any] = {}
    for name, value in raw.items():
        if name in RUNNER_PARAMS:
            raise UsageError(
                f"parameter {name!r} is set with --{name.replace('_', '-')}"
            )
        if name not in by_name:
            known = sorted(n for n in by_name if n not in RUNNER_PARAMS)
            raise UsageError(
                f"unknown parameter {name!r}; known parameters: {', '.join(known)}"
            )
        try:
            typed[name] = params.validate(by_name[name][0], value)
        except params.ParameterError as exc:
            raise UsageError(str(exc)) from None
    return typed


def params_for(
    notebook: str, values: dict[str, Any], corpus: Path | None = None
) -> dict:
    """Return the parameters to inject: the declared ones, run_dir, and corpus (01)."""
    declared = {s.name for s in params.read_specs(notebook_path(notebook))}
    out = {k: v for k, v in values.items() if k in declared}
    # Notebooks execute with the run directory as working directory, so "."
    # names it without exposing the temporary path in the rendered pages.
    out["run_dir"] = "."
    if notebook == MAIN_NOTEBOOKS[0] and corpus is not None:
        out["corpus"] = str(corpus)
    return out


def check_paths(corpus: Path, out: Path) -> None:
    """Check the corpus is readable and the output may be replaced and written.

    The output rules are :func:`citytext.rundir.check_output`'s.

    Raises:
        UsageError: With the offending path.
    """
    if not corpus.exists():
        raise UsageError(f"corpus directory {corpus} does not exist")
    if not corpus.is_dir():
        raise UsageError(f"corpus {corpus} is not a directory")
    if not os.access(corpus, os.R_OK | os.X_OK):
        raise UsageError(f"corpus directory {corpus} is not readable")
    try:
        rundir.check_output(out, corpus)
    except rundir.OutputRefused as exc:
        raise UsageError(str(exc)) from None
    probe = out.parent
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(
            f"output directory {out} is not writable (no write access to {probe})"
        )


# --------------------------------------------------------------------------
# Execution
# --------------------------------------------------------------------------
def default_kernel() -> str:
    """Return the project kernel if registered, else the running Python's kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        specs = KernelSpecManager().find_kernel_specs()
    except Exception:  # noqa: BLE001 - any failure means "not registered"
        specs = {}
    return "citytext" if "citytext" in specs else "python3"


def execute(
    notebook: str,
    output: Path,
    parameters: dict[str, Any],
    *,
    kernel: str,
    cwd: Path,
    quiet: bool,
    timeout: int | None,
) -> float:
    """Execute one notebook with papermill and return the wall time in seconds.

    Raises:
        RunError: Naming the notebook, the cell and the error.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    # papermill's regex parameter parser warns on valid cells; params.py reads
    # and validates parameters instead.
    # Failures reach the user as one RunError line, not as papermill's log.
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    _register_readable_translator()

    t0 = time.perf_counter()
    watcher = None if quiet else _StageWatcher(cwd)
    try:
        pm.execute_notebook(
            str(notebook_path(notebook)),
            str(output),
            parameters=parameters,
            kernel_name=kernel,
            cwd=str(cwd),
            progress_bar=not quiet,
            log_output=False,
            execution_timeout=timeout,
            report_mode=False,
            record_timing=False,
            extra_arguments=kernels.KERNEL_ARGUMENTS,
            kernel_manager_class=kernels.QuietKernelManager,
        )
    except PapermillExecutionError as exc:
        raise RunError(
            f"notebook {output.name} failed in cell {exc.cell_index} "
            f"(execution count {exc.exec_count}): "
            f"{exc.ename}: {_first_line(exc.evalue)}"
        ) from None
    finally:
        if watcher is not None:
            watcher.stop()
    return time.perf_counter() - t0


class _StageWatcher:
    """Print each library stage as it finishes (its ``stages/*.json`` appears)."""

    def __init__(self, run_dir: Path, interval: float = 0.5):
        import threading

        from citytext import runfiles

        self.folder = Path(run_dir) / runfiles.STAGES_DIR
        self.seen = {p.name for p in self.folder.glob("*.json")}
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _report(self) -> None:
        for path in sorted(self.folder.glob("*.json")):
            if path.name in self.seen:
                continue
            self.seen.add(path.name)
            try:
                info = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                self.seen.discard(path.name)  # still being written
                continue
            from tqdm import tqdm

            # tqdm.write keeps papermill's cell progress bar intact.
            seconds = info.get("seconds", "?")
            tqdm.write(f"      stage {path.stem} done in {seconds} s", file=sys.stderr)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._report()

    def stop(self) -> None:
        """Report what is left and stop watching."""
        self._stop.set()
        self._thread.join(timeout=2)
        self._report()


def _register_readable_translator() -> None:
    """Inject string parameters as readable Python literals.

    papermill's Python translator escapes every non-ASCII character, so the
    injected cell of a profile page would show the city as escape codes;
    :func:`repr` gives ``city = '鸡西'``, an equally valid literal.
    """
    from papermill.translators import PythonTranslator, papermill_translators

    class ReadableTranslator(PythonTranslator):
        @classmethod
        def translate_str(cls, val: str) -> str:
            return repr(val)

    papermill_translators.register("python", ReadableTranslator)


def _first_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text)).strip()
    return text.splitlines()[0] if text else ""


_WORKER: dict[str, Any] = {}


def _worker_init(run_dir: str, kernel: str, timeout: int | None) -> None:
    """Set up a profile worker process; its kernel starts with the first job."""
    from multiprocessing import util

    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    _register_readable_translator()
    kernels.register_engine()
    _WORKER.update(run_dir=Path(run_dir), kernel_name=kernel, timeout=timeout)
    # Pool workers skip atexit handlers; multiprocessing runs its finalizers.
    util.Finalize(None, _worker_shutdown, exitpriority=10)


def _worker_shutdown() -> None:
    warm = _WORKER.pop("kernel", None)
    if warm is not None:
        warm.shutdown()


def _profile_job(task: tuple[str, str, dict[str, Any]]) -> tuple[str, str, float]:
    """Execute and render one city profile in this worker's warm kernel."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from citytext import render

    city, stem, parameters = task
    run_dir: Path = _WORKER["run_dir"]
    t0 = time.perf_counter()
    warm = _WORKER.get("kernel")
    if warm is None:
        warm = _WORKER["kernel"] = kernels.WarmKernel(_WORKER["kernel_name"], run_dir)
        _WORKER["renderer"] = render.PageRenderer()
    else:
        warm.reset()
    out_nb = run_dir / "notebooks" / f"{stem}.ipynb"
    try:
        nb = pm.execute_notebook(
            str(notebook_path(PROFILE_NOTEBOOK)),
            str(out_nb),
            parameters=parameters,
            engine_name=kernels.ENGINE,
            kernel_name=_WORKER["kernel_name"],
            cwd=str(run_dir),
            progress_bar=False,
            log_output=False,
            execution_timeout=_WORKER["timeout"],
            request_save_on_cell_execute=False,
            record_timing=False,
            warm=warm,
        )
    except PapermillExecutionError as exc:
        raise RunError(
            f"notebook {out_nb.name} failed in cell {exc.cell_index} "
            f"(execution count {exc.exec_count}): "
            f"{exc.ename}: {_first_line(exc.evalue)}"
        ) from None
    _WORKER["renderer"].render(nb, run_dir / "html" / f"{stem}.html", stem)
    # The page holds the tables; the notebook keeps everything else. papermill
    # has validated this notebook when it wrote it; the slim copy only swaps
    # output data, so it is written without validating it again.
    if render.slim_notebook(nb, f"../html/{stem}.html"):
        out_nb.write_text(nbformat.v4.writes(nb) + "\n", encoding="utf-8")
    return city, stem, time.perf_counter() - t0


def profile_stems(cities: list[str]) -> list[str]:
    """Return each city's page stem (unique, file-name safe), in order."""
    used: set[str] = set()
    stems = []
    for city in cities:
        stem = f"{PROFILE_NOTEBOOK}_{names.safe_name(city)}"
        base, i = stem, 2
        while stem in used:
            stem, i = f"{base}_{i}", i + 1
        used.add(stem)
        stems.append(stem)
    return stems


def run_profiles(
    cities: list[str], cfg: RunConfig, run_dir: Path, values: dict[str, Any]
) -> list[dict[str, Any]]:
    """Execute one profile notebook per city in worker processes with warm kernels.

    Each worker keeps one kernel and one HTML exporter for all its profiles;
    papermill executes every profile notebook in full.

    Returns:
        One record per city: city, page stem and seconds, sorted by city.
    """
    import multiprocessing

    jobs = max(1, min(cfg.jobs or os.cpu_count() or 1, len(cities) or 1))
    base = params_for(PROFILE_NOTEBOOK, values)
    tasks = [
        (city, stem, {**base, "city": city})
        for city, stem in zip(cities, profile_stems(cities), strict=True)
    ]
    results = []
    progress = _progress(len(tasks), "city profiles", cfg.quiet)
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_init,
        initargs=(str(run_dir), cfg.kernel, cfg.timeout),
    ) as pool:
        futures = [pool.submit(_profile_job, t) for t in tasks]
        for fut in as_completed(futures):
            city, stem, seconds = fut.result()
            results.append({"city": city, "page": stem, "seconds": round(seconds, 2)})
            progress.update(1)
    progress.close()
    return sorted(results, key=lambda r: r["city"])


def _progress(total: int, desc: str, quiet: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, disable=quiet, file=sys.stderr, leave=False)
