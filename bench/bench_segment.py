"""Tokenizer speed and agreement: ``segment.tokenize`` against plain jieba.

The baseline is ``jieba.Tokenizer.lcut`` loaded with the same dictionary
(``segment.dictionary()``: the domain terms and gazetteer names, with the same
frequencies), run on the same real report text, one report per call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from . import Figure
from .corpus import load_records
from .measure import best_time, library, mchars
from .settings import Settings

FIGURES = ("segment_speedup_vs_jieba", "segment_agreement")


def plain_jieba(segment: Any) -> Any:
    """Return a plain ``jieba.Tokenizer`` with the project's dictionary added."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for entry in segment.dictionary():
        tok.add_word(entry.word, entry.freq, entry.tag)
    return tok


def report_texts(n_chars: int) -> list[str]:
    """Return whole real reports (file order) totalling about ``n_chars``."""
    texts, total = [], 0
    for record in load_records():
        if total >= n_chars:
            break
        texts.append(record["text"])
        total += len(record["text"])
    return texts


def run(settings: Settings) -> Iterator[Figure]:
    segment = library("segment", "tokenize", "tokenize_reference", "dictionary")
    texts = report_texts(settings.segment_chars)
    n_chars = sum(map(len, texts))
    jieba_tok = plain_jieba(segment)
    segment.tokenize("鸡西市深化能力作风建设")  # load both dictionaries first
    segment.tokenize_reference("鸡西市深化能力作风建设")

    t_fast = best_time(
        lambda: [segment.tokenize(t) for t in texts], repeat=settings.repeat
    )
    t_jieba = best_time(
        lambda: [jieba_tok.lcut(t) for t in texts], repeat=settings.repeat
    )
    yield Figure(
        "segment_speedup_vs_jieba",
        t_jieba / t_fast,
        "jieba.lcut with the same dictionary",
        f"segment.tokenize {mchars(n_chars / t_fast)} chars/s, jieba.lcut "
        f"{mchars(n_chars / t_jieba)} chars/s, {len(texts)} reports, "
        f"{mchars(n_chars)} chars",
        ">= 5 (aim 10)",
        {
            "chars": n_chars,
            "tokenize_chars_per_s": round(n_chars / t_fast),
            "jieba_chars_per_s": round(n_chars / t_jieba),
        },
    )

    common = total = 0.0
    for text in texts:
        fast, ref = segment.tokenize(text), segment.tokenize_reference(text)
        size = len(fast) + len(ref)
        common += segment.agreement(fast, ref) * size
        total += size
    yield Figure(
        "segment_agreement",
        common / total,
        "segment.tokenize_reference (jieba, same dictionary)",
        f"F1 of identical word spans over {int(total / 2):,} tokens, "
        f"{mchars(n_chars)} chars",
        ">= 0.99",
        {"tokens": int(total / 2)},
    )
