"""The units a topic model is fitted on, from paragraph rows.

What belongs here: preparing the corpus for fitting. Paragraph rows (the
columns of paragraphs.csv, as DataFrames or as chunks of them) become units:
paragraphs, or documents joined from their paragraphs, with flagged
procedural and heading paragraphs left out (:mod:`citytext.procedural`).
Reading paragraphs.csv is the pipeline's job; this module gets DataFrames.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Literal

import pandas as pd

from citytext import procedural

Unit = Literal["paragraph", "document"]


def modelled_rows(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Return the paragraph rows a model is fitted on.

    Args:
        paragraphs: paragraphs.csv rows, optionally with ``flags``.

    Returns:
        The rows whose flags :func:`citytext.procedural.is_modelled` accepts
        (all rows when there is no ``flags`` column).
    """
    if "flags" not in paragraphs:
        return paragraphs
    return paragraphs[[procedural.is_modelled(f) for f in paragraphs["flags"]]]


def units_from_paragraphs(paragraphs: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """Return the modelling units from paragraph rows.

    Args:
        paragraphs: Rows with doc_id, para_id, city, text, tokens (strings)
            and optionally flags (flagged paragraphs are left out).
        unit: ``"paragraph"`` or ``"document"`` (paragraphs joined in order;
            ``para_id`` empty).

    Returns:
        Columns doc_id, para_id, city, text, tokens (list of str), n_tokens,
        sorted by doc_id then paragraph number.

    Raises:
        ValueError: For an unknown unit.
    """
    p = modelled_rows(paragraphs).copy()
    p["_n"] = pd.to_numeric(p["para_id"], errors="coerce").fillna(0).astype(int)
    p = p.sort_values(["doc_id", "_n"], kind="mergesort")
    if unit == "paragraph":
        out = p[["doc_id", "para_id", "city", "text"]].copy()
        out["para_id"] = p["_n"].to_numpy()
        out["tokens"] = [s.split() for s in p["tokens"]]
    elif unit == "document":
        g = p.groupby("doc_id", sort=True)
        out = pd.DataFrame(
            {
                "doc_id": list(g.groups),
                "para_id": "",
                "city": g["city"].first().to_numpy(),
                "text": g["text"].agg("\n".join).to_numpy(),
                "tokens": g["tokens"].agg(lambda s: " ".join(s).split()).to_numpy(),
            }
        )
    else:
        raise ValueError(f"unknown unit {unit!r}: use 'paragraph' or 'document'")
    out["n_tokens"] = out["tokens"].map(len)
    return out.reset_index(drop=True)


def iter_units(chunks: Iterable[pd.DataFrame], unit: Unit) -> Iterator[pd.DataFrame]:
    """Turn paragraph chunks (sorted by doc_id, para_id) into unit chunks.

    For documents, a document split across chunk borders is held back and
    completed with the next chunk.

    Args:
        chunks: paragraphs.csv rows in chunks, in file order.
        unit: ``"paragraph"`` or ``"document"``.

    Yields:
        Unit tables as from :func:`units_from_paragraphs`.
    """
    carry = None
    for chunk in chunks:
        if unit == "paragraph":
            yield units_from_paragraphs(chunk, unit)
            continue
        if carry is not None:
            chunk = pd.concat([carry, chunk], ignore_index=True)
        last = chunk["doc_id"].iloc[-1]
        carry = chunk[chunk["doc_id"] == last]
        done = chunk[chunk["doc_id"] != last]
        if len(done):
            yield units_from_paragraphs(done, unit)
    if carry is not None and len(carry):
        yield units_from_paragraphs(carry, unit)


def sample_every(n: int, limit: int) -> int:
    """Return the step m that keeps at most ``limit`` of ``n`` items (every m-th)."""
    return max(1, math.ceil(n / limit))
