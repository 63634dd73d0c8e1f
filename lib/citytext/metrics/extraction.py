"""Extraction: the quantities of a text as table rows, with claim and category.

What belongs here: :func:`extract` (a text and its year in, one row per
quantity out, in text order), which runs the grammar of
:mod:`citytext.metrics.grammar` sentence by sentence and then asks
:mod:`citytext.metrics.claims` for each quantity's claim type and period and
:mod:`citytext.metrics.categories` for its category; and
:func:`document_rows`, the per-document function the metrics stage maps over
articles.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from citytext import text as text_mod
from citytext.metrics import categories, claims
from citytext.metrics.grammar import sentence_rows

#: Columns of :func:`extract` (metrics.csv minus doc_id and city, then extras).
COLUMNS = [
    "sentence", "raw", "number", "value", "unit", "unit_std", "qualifier",
    "is_change", "category", "subject", "period",
    "claim_type", "period_year", "period_start", "period_end",
    "sentence_id", "start", "end", "value_low", "value_high", "multiplier",
]  # fmt: skip


def extract(text: str, year: int | None = None) -> pd.DataFrame:
    """Extract the claimed quantities of a text.

    Args:
        text: An article (any script; full-width digits are fine).
        year: The document year (from metadata or the date), which resolves
            今年, 去年 and the halves of a work report; None when unknown.

    Returns:
        One row per quantity, in text order, with :data:`COLUMNS`:
        ``sentence``, ``raw`` (exact span of the sentence), ``number``,
        ``value``, ``unit``, ``unit_std``, ``qualifier``, ``is_change``,
        ``category``, ``subject``, ``period``, ``claim_type``,
        ``period_year``, ``period_start``, ``period_end`` (see
        :mod:`citytext.metrics.claims`) and the extras ``sentence_id``,
        ``start``/``end`` (offsets of ``raw`` in ``sentence``), ``value_low``,
        ``value_high`` and ``multiplier`` (``value == parse_number(number) *
        multiplier``, except doublings where ``value == 2 ** number``).

    Examples:
        >>> row = extract("截至目前，全区累计发现并解决问题2380余个。").iloc[0]
        >>> row["raw"], float(row["value"]), row["qualifier"], row["subject"]
        ('2380余个', 2380.0, '余', '问题')
    """
    text = text or ""
    spans = text_mod.sentence_spans(text)
    rows: list[dict] = []
    for i, (a, b) in enumerate(spans):
        rows.extend(sentence_rows(text[a:b], i))
    _add_claims(rows, text, spans, year)
    return pd.DataFrame(rows, columns=COLUMNS).astype(
        {
            "is_change": bool, "sentence_id": int, "start": int, "end": int,
            "period_year": "Int64", "period_start": "Int64", "period_end": "Int64",
        }
    )  # fmt: skip


def _add_claims(
    rows: list[dict], text: str, spans: list[tuple[int, int]], year: int | None
) -> None:
    """Set claim type, period and category of each row (see citytext.metrics.claims)."""
    offsets = [
        (spans[r["sentence_id"]][0] + r["start"], spans[r["sentence_id"]][0] + r["end"])
        for r in rows
    ]
    found = claims.classify(
        text,
        offsets,
        [r["unit_std"] for r in rows],
        [r["is_change"] for r in rows],
        year=year,
    )
    for row, claim in zip(rows, found, strict=True):
        row.update(claim.as_row())
        row["category"] = categories.category(row["subject"], row["unit_std"])


def _year(value: Any) -> int | None:
    """A document year from articles.csv (text) or None."""
    try:
        year = int(float(str(value)))
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 2999 else None


def document_rows(item: tuple[str, ...]) -> list[dict[str, Any]]:
    """Extract one document's quantities as plain rows (for the pipeline).

    Args:
        item: ``(doc_id, city, text)`` or ``(doc_id, city, text, year)``.

    Returns:
        Rows of :func:`extract` with ``doc_id`` and ``city`` added; missing
        years are None.
    """
    doc_id, city, text = item[:3]
    year = _year(item[3]) if len(item) > 3 else None
    df = extract(text, year=year)
    df.insert(0, "city", city)
    df.insert(0, "doc_id", doc_id)
    records = df.astype({c: object for c in claims.COLUMNS[1:]}).to_dict("records")
    for r in records:
        for c in claims.COLUMNS[1:]:
            if r[c] is pd.NA:
                r[c] = None
    return records
