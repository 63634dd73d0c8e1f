"""One ``citytext run``: the numbered notebooks into a finished report directory.

``citytext run`` lands here. Executing a single notebook (and the profiles in
warm kernels) is :mod:`citytext.execution`'s job, what ``run.json`` records is
:mod:`citytext.runrecord`'s; this module orders the steps, re-uses unchanged
notebooks and moves the report into place. A run:

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
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat

from citytext import config, render, reuse, rundir, runrecord
from citytext.execution import (
    ALL_NOTEBOOKS,
    MAIN_NOTEBOOKS,
    PROFILE_NOTEBOOK,
    RunConfig,
    RunError,
    UsageError,
    check_paths,
    execute,
    notebook_path,
    params_for,
    run_profiles,
)


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
def page_assets() -> Iterator[None]:
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
        parameters = params_for(name, values, self.cfg.corpus)
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
        parameters = params_for(name, values)
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
    with page_assets():
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
                cities = runrecord.cities_in_run(tmp)
                if city is not None and city not in cities:
                    raise UsageError(
                        f"parameter 'city' must be a city of the corpus; got "
                        f"{city!r}; cities: {', '.join(cities) or '(none)'}"
                    )
        if city is not None:
            cities = [city]
        profiles = steps.profiles(cities, values)
    runrecord.describe_profiles(tmp, profiles)
    info = runrecord.run_info(tmp, cfg, started, steps.timings, pages, profiles)
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
