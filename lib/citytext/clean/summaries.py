"""Tables for the cleaning notebook, read from the run directory's frames.

What belongs here: DataFrames in, DataFrames out (sizes, removals by rule,
repairs, metadata with sources) and the raw-versus-clean diff of one
document. Reading the corpus again belongs to the caller.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Any

from citytext.clean.core import clean_document
from citytext.clean.repair import control_chars, whitespace


def size_table(articles: Any) -> Any:
    """Return per-document sizes before and after cleaning.

    Args:
        articles: ``articles.csv`` as read by :func:`citytext.runfiles.read_csv`.

    Returns:
        A DataFrame: doc_id, source_file, chars_before, chars_after, removed_pct.
    """
    import pandas as pd  # loaded only for the notebook's tables

    before = pd.to_numeric(
        articles.get("n_chars_raw", articles["n_chars"]), errors="coerce"
    )
    after = pd.to_numeric(articles["n_chars"], errors="coerce")
    out = pd.DataFrame(
        {
            "doc_id": articles["doc_id"],
            "source_file": articles["source_file"],
            "chars_before": before,
            "chars_after": after,
        }
    )
    out["removed_pct"] = (100 * (1 - out["chars_after"] / out["chars_before"])).round(1)
    return out


def removals_by_rule(log: Any) -> Any:
    """Count log entries and characters per action and rule.

    Args:
        log: ``cleaning_log.csv`` as a DataFrame.

    Returns:
        A DataFrame: action, rule, entries, documents, chars_before, sorted by
        characters.
    """
    import pandas as pd  # loaded only for the notebook's tables

    if log.empty:
        return pd.DataFrame(
            columns=["action", "rule", "entries", "documents", "chars_before"]
        )
    frame = log.assign(chars_before=log["before"].str.len())
    out = (
        frame.groupby(["action", "rule"])
        .agg(
            entries=("doc_id", "size"),
            documents=("doc_id", "nunique"),
            chars_before=("chars_before", "sum"),
        )
        .reset_index()
        .sort_values(
            ["chars_before", "rule"], ascending=[False, True], kind="mergesort"
        )
    )
    return out.reset_index(drop=True)


def repaired_spans(log: Any) -> Any:
    """Return the repair entries (mojibake, glosses and lost characters)."""
    mask = log["rule"].str.startswith(("mojibake", "replacement_char", "html_tag"))
    return log.loc[mask, ["doc_id", "action", "rule", "before", "after"]].reset_index(
        drop=True
    )


def metadata_table(articles: Any) -> Any:
    """Return the metadata of each article with where each field came from.

    Args:
        articles: ``articles.csv`` as a DataFrame (with ``meta_sources``).

    Returns:
        A DataFrame of metadata columns, each followed by its source.
    """
    import pandas as pd  # loaded only for the notebook's tables

    rows = []
    for _, art in articles.iterrows():
        sources = json.loads(art.get("meta_sources") or "{}")
        rows.append(
            {
                "doc_id": art["doc_id"],
                "title": art["title"],
                "title_from": sources.get("title", ""),
                "date": art["date"],
                "year": art["year"],
                "date_from": art["date_source"],
                "outlet": art["outlet"],
                "outlet_from": sources.get("outlet", ""),
                "authors": art["authors"],
                "authors_from": sources.get("authors", ""),
                "city": art["city"],
                "prefecture": art["prefecture"],
                "province": art["province"],
                "admin_level": art["admin_level"],
                "city_from": sources.get("city", ""),
                "flags": art["flags"],
                "duplicate_of": art.get("duplicate_of", ""),
            }
        )
    return pd.DataFrame(rows)


def document_diff(
    raw: str, source_file: str = "", meta: Mapping[str, Any] | None = None
) -> str:
    """Return the unified diff between a raw text and its cleaned text.

    Args:
        raw: The decoded text as read from the corpus.
        source_file: Where it came from (as given to :func:`clean_document`).
        meta: Its metadata (as given to :func:`clean_document`).

    Returns:
        The diff, ``-`` lines raw and ``+`` lines clean (context 0).
    """
    doc = clean_document(raw, source_file=source_file, meta=meta)
    raw_lines = whitespace(control_chars(raw)).split("\n")
    diff = difflib.unified_diff(
        raw_lines, doc.text.split("\n"), "raw", "clean", lineterm="", n=0
    )
    return "\n".join(diff)
