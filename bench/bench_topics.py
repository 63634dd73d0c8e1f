"""Topic fitting at 1x, 4x and 16x corpus: time and peak memory.

For each size the corpus's reports are segmented into paragraphs.csv
(``segment.paragraph_rows``, not measured), then a fresh interpreter fits
topics with the incremental estimator (``topics.fit_stream``: paragraphs.csv
streamed in chunks, MiniBatchNMF, a fixed k so that the k sweep does not
dominate) and reports its time and peak RSS. Ratios are against the 1x fit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from citytext import runfiles

from . import Figure
from . import corpus as corpora
from .measure import library, mib, run_child
from .settings import Settings

FIGURES = (
    "topic_fit_growth_4x",
    "topic_fit_time_growth_4x",
    "topic_fit_growth_16x",
    "topic_fit_time_growth_16x",
)
SCALES = (1, 4, 16)
K = 12


def _paragraphs(n_chars: int) -> Path:
    """Segment a corpus of ``n_chars`` into ``paragraphs.csv`` (cached)."""
    library("topics", "fit_stream")
    segment = library("segment", "paragraph_rows")
    path = corpora.build(n_chars)
    run_dir = corpora.OUT_DIR / "topics" / path.name
    done = run_dir / runfiles.PARAGRAPHS
    if done.is_file():
        return run_dir
    partial = run_dir / "paragraphs.partial.csv"
    with runfiles.CsvAppender(partial, runfiles.PARAGRAPH_COLUMNS) as out:
        for record in corpora.read_documents(path):
            doc = {"doc_id": record["doc_id"], "city": record["place"]}
            out.write(segment.paragraph_rows({**doc, "text": record["text"]}))
    partial.replace(done)
    return run_dir


def run(settings: Settings) -> Iterator[Figure]:
    reports = {}
    for scale in SCALES:
        run_dir = _paragraphs(settings.topics_chars * scale)
        reports[scale] = run_child("topics", run_dir=str(run_dir), k=K)
    one = reports[1]
    for scale in (4, 16):
        big = reports[scale]
        sizes = f"{one['units']:,} -> {big['units']:,} paragraphs"
        yield Figure(
            f"topic_fit_growth_{scale}x",
            big["peak_rss"] / one["peak_rss"],
            f"peak RSS of the 1x fit ({one['units']:,} paragraphs)",
            f"peak {mib(one['peak_rss'])} -> {mib(big['peak_rss'])}; {sizes}; "
            f"incremental NMF, k={K}",
            "flat (memory bounded by vocabulary and sample)",
            {
                "peak_rss": {f"{s}x": reports[s]["peak_rss"] for s in SCALES},
                "units": {f"{s}x": reports[s]["units"] for s in SCALES},
            },
        )
        yield Figure(
            f"topic_fit_time_growth_{scale}x",
            big["seconds"] / one["seconds"],
            f"fit time at 1x ({one['seconds']:.1f} s)",
            f"{one['seconds']:.1f} s -> {big['seconds']:.1f} s; {sizes}; "
            f"data grew {big['units'] / one['units']:.1f}x",
            f"about {scale} (linear)",
            {"seconds": {f"{s}x": round(reports[s]["seconds"], 2) for s in SCALES}},
        )
