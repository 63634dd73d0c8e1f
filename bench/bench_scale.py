"""Memory at scale: peak RSS of the per-document stages on a 16x corpus vs 1x.

``pipeline.run_cleaning``, ``run_segmentation`` and ``run_metrics`` run on the
local engine in a fresh interpreter per corpus size. If they stream (read
documents lazily, append rows as they come), the peak stays near the cost of
the interpreter, the dictionaries and one document.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import Figure
from . import corpus as corpora
from .measure import mib, run_child
from .settings import Settings

FIGURES = ("rss_growth_16x",)


def run(settings: Settings) -> Iterator[Figure]:
    reports = {}
    sizes = {}
    for scale in (1, 16):
        path = corpora.build(settings.scale_chars * scale)
        sizes[scale] = corpora.facts(path)
        reports[scale] = run_child("stages", corpus=str(path))
    one, big = reports[1], reports[16]
    yield Figure(
        "rss_growth_16x",
        big["peak_rss"] / one["peak_rss"],
        f"peak RSS on the 1x corpus ({sizes[1]['n_docs']} docs, "
        f"{sizes[1]['n_chars'] / 1e6:.1f} M chars)",
        f"peak {mib(one['peak_rss'])} -> {mib(big['peak_rss'])} at 16x "
        f"({sizes[16]['n_docs']} docs, {sizes[16]['n_chars'] / 1e6:.1f} M chars); "
        f"stages {one['seconds']['total']:.1f} s -> {big['seconds']['total']:.1f} s",
        "<= 1.3",
        {
            "peak_rss_1x": one["peak_rss"],
            "peak_rss_16x": big["peak_rss"],
            "seconds_1x": one["seconds"],
            "seconds_16x": big["seconds"],
            "docs_1x": sizes[1]["n_docs"],
            "docs_16x": sizes[16]["n_docs"],
        },
    )
