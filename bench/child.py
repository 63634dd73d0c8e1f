"""Measured work run in a fresh interpreter: ``python -m bench.child TASK JSON``.

Each task prints one JSON line: its measurements plus ``peak_rss`` (bytes) of
this process, or ``{"skip": reason}``. A fresh process per corpus size keeps
peak-RSS readings independent.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import Skip
from .measure import call_stage, peak_rss_bytes

#: Per-document stages, in run order.
STAGES = ("run_cleaning", "run_segmentation", "run_metrics")


#: Timed repetitions of the engine map; the best is reported.
REPEATS = 3


def warm_up() -> None:
    """Load dictionaries and compile patterns outside the timed region."""
    from .measure import library

    for name, attr, arg in (
        ("segment", "tokenize", "鸡西市深化能力作风建设"),
        ("metrics", "extract", "全年完成投资109.6亿元，增长5%。"),
    ):
        try:
            getattr(library(name, attr), attr)(arg)
        except Skip:
            continue


def stages(corpus: str, engine: str = "local", scheduler: str = "") -> dict[str, Any]:
    """Run the per-document stages on ``corpus`` into a temporary run directory.

    Args:
        corpus: Corpus directory.
        engine: ``"local"`` or ``"dask"``.
        scheduler: Dask scheduler address (dask engine).

    Returns:
        Seconds per stage and in total, and the number of articles kept.
    """
    from citytext import pipeline

    warm_up()
    run_dir = Path(tempfile.mkdtemp(prefix="citytext-bench-"))
    seconds: dict[str, float] = {}
    try:
        kw = {"engine": engine, "scheduler": scheduler}
        t0 = time.perf_counter()
        facts = call_stage(pipeline.run_cleaning, Path(corpus), run_dir, **kw)
        seconds["run_cleaning"] = time.perf_counter() - t0
        for name in STAGES[1:]:
            t1 = time.perf_counter()
            call_stage(getattr(pipeline, name), run_dir, **kw)
            seconds[name] = time.perf_counter() - t1
        seconds["total"] = time.perf_counter() - t0
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    return {"seconds": seconds, "kept": facts.get("kept")}


def topics(run_dir: str, k: int, seed: int = 0) -> dict[str, Any]:
    """Fit topics on ``run_dir/paragraphs.csv`` with the incremental estimator.

    Args:
        run_dir: A run directory holding paragraphs.csv.
        k: Number of topics.
        seed: Random seed.

    Returns:
        Seconds of the fit and the number of units.
    """
    import pandas as pd

    from citytext import runfiles

    from .measure import library

    tm = library("topics", "fit_stream")
    path = Path(run_dir) / runfiles.PARAGRAPHS

    def source() -> Any:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, chunksize=tm.stream.CHUNK_SIZE
        )

    t0 = time.perf_counter()
    result = tm.fit_stream(source, lambda rows: None, k=k, seed=seed)
    return {"seconds": time.perf_counter() - t0, "units": result.info["units"]}


def work_map(corpus: str, workers: int = 0) -> dict[str, Any]:
    """Map :func:`bench.work.process_document` over ``corpus``.

    Args:
        corpus: Corpus directory.
        workers: Workers of a local Dask cluster started here (warmed up
            before the clock starts); 0 for the local engine.

    Returns:
        Seconds of the map and the results' checksum (doc_id and counts).
    """
    import hashlib

    from citytext import engines

    from .work import documents, process_document, warm_up

    warm_up()
    with contextlib.ExitStack() as stack:
        kw: dict[str, Any] = {"engine": "local"}
        if workers:
            import distributed

            cluster = stack.enter_context(engines.local_cluster(workers))
            with distributed.Client(cluster, set_as_default=False) as client:
                client.run(warm_up)
            kw = {"engine": "dask", "scheduler": cluster.scheduler_address}
        timings = []
        for _ in range(REPEATS):  # best of REPEATS: one timing is noisy on 2 cores
            t0 = time.perf_counter()
            results = list(
                engines.map_documents(process_document, documents(Path(corpus)), **kw)
            )
            timings.append(time.perf_counter() - t0)
        seconds = min(timings)
    digest = hashlib.sha1(json.dumps(results).encode()).hexdigest()
    return {"seconds": seconds, "n_docs": len(results), "digest": digest}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "stages": stages,
    "topics": topics,
    "work_map": work_map,
}


def main() -> int:
    """Run the task named on the command line and print its report."""
    task, raw = sys.argv[1], sys.argv[2]
    try:
        report = TASKS[task](**json.loads(raw))
    except Skip as exc:
        report = {"skip": str(exc)}
    report["peak_rss"] = peak_rss_bytes()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
