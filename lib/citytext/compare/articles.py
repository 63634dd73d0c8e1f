"""Articles and places: what the comparison counts and where each document belongs.

What belongs here: the place of an article (:func:`place_of`: its city, else
prefecture, else province), the articles every comparison counts
(:func:`usable_articles`: duplicates left out), attaching the place to a
per-document table (:func:`attach_place`), coverage per place or province and
year (:func:`coverage`), and one token document per place (:func:`place_tokens`)
that similarity and distinctive terms share.

A *place* is the ``city`` of an article, or its prefecture or province when the
city is empty (a provincial government report has no city). Duplicate articles
(non-empty ``duplicate_of``) are left out of every count.
"""

from __future__ import annotations

import logging
import re

import pandas as pd

from citytext import text as text_mod

logger = logging.getLogger(__name__)

UNKNOWN_PLACE = "(未知)"
#: A term worth counting holds a letter or a CJK character.
TERM_OK_RE = re.compile(f"[{text_mod.CJK_UNIFIED}A-Za-z]")
#: Administrative suffixes of a place name (鸡西市 is 鸡西).
PLACE_SUFFIX_RE = re.compile(r"(?:市|区|县|省|自治州|地区|盟)$")


def place_of(articles: pd.DataFrame) -> pd.Series:
    """Return each article's place: city, else prefecture, else province."""
    out = pd.Series([UNKNOWN_PLACE] * len(articles), index=articles.index, dtype=object)
    for col in ("province", "prefecture", "city"):
        if col in articles.columns:
            values = articles[col].fillna("").astype(str).str.strip()
            out = out.where(values == "", values)
    return out


def usable_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the articles the comparison counts, with ``place`` added.

    Duplicates (non-empty ``duplicate_of``) are dropped and logged; ``n_chars``
    becomes an int (recomputed from ``text`` where missing) and ``year`` a
    string ("" when unknown).

    Args:
        articles: articles.csv as read by :func:`citytext.runfiles.read_csv`.

    Returns:
        A copy sorted by ``doc_id``.
    """
    df = articles.copy()
    for col in (
        "duplicate_of",
        "city",
        "prefecture",
        "province",
        "admin_level",
        "year",
    ):
        if col not in df.columns:
            df[col] = ""
    dup = df["duplicate_of"].map(text_mod.is_duplicate).astype(bool)
    if dup.any():
        logger.info("comparison ignores %d duplicate article(s)", int(dup.sum()))
    df = df.loc[~dup].copy()
    df["text"] = df["text"].fillna("").astype(str)
    if "n_chars" not in df.columns:
        df["n_chars"] = ""
    n_chars = pd.to_numeric(df["n_chars"], errors="coerce")
    df["n_chars"] = n_chars.fillna(df["text"].str.len()).astype(int)
    df["year"] = df["year"].fillna("").astype(str).str.replace(r"\.0$", "", regex=True)
    df["place"] = place_of(df)
    return df.sort_values("doc_id", kind="mergesort").reset_index(drop=True)


def _place_lookup(articles: pd.DataFrame) -> dict[str, str]:
    return dict(zip(articles["doc_id"], articles["place"], strict=True))


def attach_place(df: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Add ``place`` to a per-document table; rows of unknown documents are dropped."""
    lookup = _place_lookup(articles)
    out = df.copy()
    out["place"] = out["doc_id"].map(lookup)
    missing = out["place"].isna()
    if missing.any():
        logger.info(
            "%d row(s) name a document not among the compared articles "
            "(duplicate or unknown doc_id); left out",
            int(missing.sum()),
        )
    return out.loc[~missing].copy()


def coverage(articles: pd.DataFrame, *, by: str = "city") -> pd.DataFrame:
    """Count documents and characters per place (or province) and year.

    Args:
        articles: The output of :func:`usable_articles`.
        by: ``"city"`` (places) or ``"province"``.

    Returns:
        For places: ``city``, ``province``, ``year``, ``n_docs``, ``n_chars``;
        for provinces: ``province``, ``n_places``, ``year``, ``n_docs``,
        ``n_chars``. Sorted by the keys.
    """
    df = articles.drop(columns="city").rename(columns={"place": "city"})
    keys = ["province", "year"] if by == "province" else ["city", "province", "year"]
    out = (
        df.groupby(keys, sort=True)
        .agg(
            n_places=("city", "nunique"),
            n_docs=("doc_id", "size"),
            n_chars=("n_chars", "sum"),
        )
        .reset_index()
    )
    if by == "city":
        out = out.drop(columns="n_places")
    else:
        out = out[["province", "n_places", "year", "n_docs", "n_chars"]]
    return out


def place_tokens(paragraphs: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """Join each place's paragraph tokens into one space-separated document."""
    paras = attach_place(paragraphs, articles)
    paras = paras.sort_values(["place", "doc_id"], kind="mergesort")
    return paras.groupby("place", sort=True)["tokens"].agg(
        lambda s: " ".join(t for t in s.fillna("").astype(str) if t)
    )


def split_tokens(doc: str) -> list[str]:
    """Split a space-joined token document (the analyzer of the vectorisers)."""
    return doc.split()
