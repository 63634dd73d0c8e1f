"""Pairing hand-annotated quantities with extracted ones, shared by the metric tests."""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pandas as pd


def pair_by_occurrence(
    found: pd.DataFrame, gold: Iterable[dict], key: Callable[[str], str]
) -> Iterator[tuple[dict, Any]]:
    """Pair the n-th gold occurrence of a span with the n-th extracted one.

    Args:
        found: Rows of :func:`citytext.metrics.extract` (with ``raw``), in order.
        gold: Gold rows (with ``raw``) of the same text, in order.
        key: Normalises a span so that gold and extracted spans compare.

    Yields:
        ``(gold row, extracted row)`` for every gold span that was extracted;
        gold spans without a counterpart are left out (they are misses).
    """
    keys = found["raw"].map(key)
    seen: collections.Counter[str] = collections.Counter()
    for g in gold:
        k = key(g["raw"])
        rows = found[keys == k]
        if len(rows) > seen[k]:
            yield g, rows.iloc[seen[k]]
            seen[k] += 1
