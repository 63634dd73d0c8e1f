"""Cleaning throughput beside OpenCC's raw traditional-to-simplified speed.

``clean.clean_document`` repairs text, converts it to simplified characters and
strips boilerplate, so OpenCC's ``t2s`` conversion alone, on the same text, is
the ceiling its throughput is reported against.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import Figure
from .bench_segment import report_texts
from .measure import best_time, library, mchars
from .settings import Settings

FIGURES = ("clean_chars_per_s_ratio_vs_opencc",)


def run(settings: Settings) -> Iterator[Figure]:
    clean = library("clean", "clean_document")
    import opencc

    texts = report_texts(settings.clean_chars)
    n_chars = sum(map(len, texts))
    names = [f"report_{i:04d}.txt" for i in range(len(texts))]
    converter = opencc.OpenCC("t2s")
    clean.clean_document(texts[0][:2000], source_file="warmup.txt")

    t_clean = best_time(
        lambda: [
            clean.clean_document(t, source_file=n)
            for t, n in zip(texts, names, strict=True)
        ],
        repeat=settings.repeat,
    )
    t_t2s = best_time(
        lambda: [converter.convert(t) for t in texts], repeat=settings.repeat
    )
    yield Figure(
        "clean_chars_per_s_ratio_vs_opencc",
        t_t2s / t_clean,
        "OpenCC t2s alone on the same text (the ceiling)",
        f"clean.clean_document {mchars(n_chars / t_clean)} chars/s, OpenCC t2s "
        f"{mchars(n_chars / t_t2s)} chars/s, {len(texts)} reports, "
        f"{mchars(n_chars)} chars",
        "",
        {
            "chars": n_chars,
            "clean_chars_per_s": round(n_chars / t_clean),
            "opencc_t2s_chars_per_s": round(n_chars / t_t2s),
        },
    )
