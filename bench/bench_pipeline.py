"""The per-document pipeline: against jieba alone, and on 1 vs 2 Dask workers.

* ``pipeline_vs_jieba``: ``run_cleaning`` + ``run_segmentation`` +
  ``run_metrics`` (reading the corpus, writing the CSVs) on the local engine,
  against plain ``jieba.lcut`` over the same raw text. Above 1 means the whole
  pipeline is faster than jieba's tokenizing alone.
* ``workers2_speedup``: the per-document work (:func:`bench.work.
  process_document`) mapped with ``engines.map_documents(engine="dask")`` over
  the streamed corpus, on a 2-worker against a 1-worker local cluster.
* ``workers2_speedup_stages``: the same three stage functions with
  ``engine="dask"`` on the two clusters (serial reading, writing and sorting
  included).

Each measurement runs in a fresh interpreter (``bench.child``); clusters are
started and their workers warmed up (dictionaries loaded) before the clock
starts, and the three maps must return identical results.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from citytext import engines

from . import Figure, Skipped
from . import corpus as corpora
from .bench_segment import plain_jieba
from .measure import guarded, library, mchars, parallel_capacity, run_child
from .settings import Settings

FIGURES = ("pipeline_vs_jieba", "workers2_speedup", "workers2_speedup_stages")


def _size(path: Path) -> str:
    facts = corpora.facts(path)
    return f"{facts['n_docs']} docs, {mchars(facts['n_chars'])} chars"


def pipeline_vs_jieba(settings: Settings, path: Path) -> Iterator[Figure]:
    segment = library("segment", "dictionary")
    stages = run_child("stages", corpus=str(path))
    t_pipe = stages["seconds"]["total"]
    jieba_tok = plain_jieba(segment)
    texts = [r["text"] for r in corpora.read_documents(path)]
    n_chars = sum(map(len, texts))
    t0 = time.perf_counter()
    for text in texts:
        jieba_tok.lcut(text)
    t_jieba = time.perf_counter() - t0
    per_stage = ", ".join(
        f"{k.removeprefix('run_')} {v:.1f} s"
        for k, v in stages["seconds"].items()
        if k != "total"
    )
    yield Figure(
        "pipeline_vs_jieba",
        t_jieba / t_pipe,
        "jieba.lcut alone on the same raw text (same dictionary)",
        f"pipeline {t_pipe:.1f} s = {mchars(n_chars / t_pipe)} chars/s ({per_stage}); "
        f"jieba {t_jieba:.1f} s; {_size(path)}",
        "> 1 (moonshot)",
        {"pipeline_seconds": stages["seconds"], "jieba_seconds": round(t_jieba, 2)},
    )


def workers2(settings: Settings, path: Path) -> Iterator[Figure | Skipped]:
    library("ingest", "iter_inputs", "Document")
    library("clean", "clean_document")
    library("metrics", "extract")
    library("segment", "paragraph_rows")
    capacity = parallel_capacity()
    n_docs = corpora.facts(path)["n_docs"]
    maps = {n: run_child("work_map", corpus=str(path), workers=n) for n in (0, 1, 2)}
    if len({m["digest"] for m in maps.values()}) != 1 or maps[0]["n_docs"] != n_docs:
        raise RuntimeError(f"engines disagree or documents were lost: {maps}")
    seconds = {n: m["seconds"] for n, m in maps.items()}
    stage_seconds: dict[int, float] = {}
    for n in (1, 2):
        with engines.local_cluster(n) as cluster:
            report = run_child(
                "stages",
                corpus=str(path),
                engine="dask",
                scheduler=cluster.scheduler_address,
            )
            stage_seconds[n] = report["seconds"]["total"]
    note = f"2 busy-loop processes get {capacity:.2f}x here now"
    yield Figure(
        "workers2_speedup",
        seconds[1] / seconds[2],
        "the same map on 1 Dask worker",
        f"1 worker {seconds[1]:.1f} s, 2 workers {seconds[2]:.1f} s, local engine "
        f"{seconds[0]:.1f} s; clean+segment+metrics per document, {_size(path)}; "
        f"{note}",
        ">= 1.6",
        {
            "seconds": {
                "local": seconds[0],
                "workers1": seconds[1],
                "workers2": seconds[2],
            },
            "parallel_capacity": round(capacity, 3),
        },
    )
    yield Figure(
        "workers2_speedup_stages",
        stage_seconds[1] / stage_seconds[2],
        "the same stages on 1 Dask worker",
        f"three stages: 1 worker {stage_seconds[1]:.1f} s, "
        f"2 workers {stage_seconds[2]:.1f} s; {_size(path)}; {note}",
        "",
        {"seconds": {f"workers{n}": s for n, s in stage_seconds.items()}},
    )


def run(settings: Settings) -> Iterator[Figure | Skipped]:
    path = corpora.build(settings.pipeline_chars)
    yield from guarded(FIGURES[:1], lambda: pipeline_vs_jieba(settings, path))
    yield from guarded(FIGURES[1:], lambda: workers2(settings, path))
