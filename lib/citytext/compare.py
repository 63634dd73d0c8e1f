"""Cross-city comparison: mechanisms, per-place features, similarity and reuse.

What belongs here: everything the comparison stage computes from the earlier
stages' tables. That means the mechanism lexicon matcher
(:func:`match_mechanisms`) and its per-place table (:func:`mechanism_table`), the
one-row-per-place feature table (:func:`city_comparison`) with unit-safe metric
totals, text and mechanism similarity with a clustering order
(:func:`similarity`), distinctive terms by weighted log-odds
(:func:`distinctive_terms`), text reuse between places by MinHash LSH
(:func:`text_reuse`), coverage tables and the per-city profile read by notebook
05 (:func:`city_profile`). Reading and writing the run directory is left to
:func:`citytext.pipeline.run_comparison`.

A *place* is the ``city`` of an article, or its prefecture or province when the
city is empty (a provincial government report has no city). Duplicate articles
(non-empty ``duplicate_of``) are left out of every count.

Every function is deterministic: fixed seeds, stable sorts and sorted output.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from citytext import resources
from citytext import text as text_mod

logger = logging.getLogger(__name__)

LEXICON = "mechanisms.yaml"
#: Units whose amounts may be added up within one category (never across units).
NON_ADDITIVE_UNITS = frozenset({"", "%", "百分点", "‰", "倍", "成", "位", "名次"})
#: Sentences shorter than this are not shown as mechanism examples if a longer one
#: exists (a bare heading such as 晾晒制让干部紧起来 says little on its own).
MIN_EXAMPLE_CHARS = 15
UNKNOWN_PLACE = "(未知)"

_NORMALISE_RE = re.compile(r"[\s\W_]+", re.UNICODE)
_EDGE_PUNCT_RE = re.compile(r"^[\W_]+|[^\w。！？”」』）)]+$")
_TERM_OK_RE = re.compile(f"[{text_mod.CJK_UNIFIED}A-Za-z]")
_TRUE = frozenset({"true", "1", "yes", "y", "t"})


# --------------------------------------------------------------------------
# The mechanism lexicon
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Mechanism:
    """One lexicon entry, compiled.

    Attributes:
        id: Stable ASCII identifier.
        name: Chinese name (the ``mechanism`` column of mechanisms.csv).
        family_id: Family identifier.
        family: Chinese family name.
        pattern: The entry's patterns as one compiled alternation.
        exclude: Compiled exclusions, or ``None``.
        patterns: The patterns as written in the lexicon.
    """

    id: str
    name: str
    family_id: str
    family: str
    pattern: re.Pattern[str]
    exclude: re.Pattern[str] | None
    patterns: tuple[str, ...] = field(default=())


def _alternation(items: Iterable[str]) -> str:
    """Join lexicon patterns (plain or ``re:``) into one regex, longest first."""
    parts = []
    for item in items:
        item = str(item)
        parts.append(item[3:] if item.startswith("re:") else re.escape(item))
    parts.sort(key=lambda p: (-len(p), p))
    return "|".join(f"(?:{p})" for p in parts)


def _check_lexicon(data: dict[str, Any], name: str) -> dict[str, str]:
    """Validate the lexicon's structure and return ``{family id: family name}``."""
    families = {f["id"]: f["name"] for f in data.get("families", [])}
    seen_ids: set[str] = set()
    seen_names: set[str] = set()
    for entry in data.get("mechanisms", []):
        missing = {"id", "name", "family", "patterns"} - set(entry)
        if missing:
            raise ValueError(f"{name}: entry {entry!r} lacks {sorted(missing)}")
        if entry["family"] not in families:
            raise ValueError(
                f"{name}: mechanism {entry['id']!r} names unknown family "
                f"{entry['family']!r}; known: {sorted(families)}"
            )
        if entry["id"] in seen_ids or entry["name"] in seen_names:
            raise ValueError(f"{name}: duplicate mechanism id or name {entry['id']!r}")
        seen_ids.add(entry["id"])
        seen_names.add(entry["name"])
    return families


@functools.cache
def load_lexicon(name: str = LEXICON) -> tuple[Mechanism, ...]:
    """Load and compile the mechanism lexicon.

    Args:
        name: Resource file name.

    Returns:
        The mechanisms in lexicon order.

    Raises:
        ValueError: If an entry lacks a field, repeats an id or name, names an
            unknown family, or has a pattern that does not compile.
    """
    data = resources.load_yaml(name)
    families = _check_lexicon(data, name)
    out = []
    for entry in data["mechanisms"]:
        try:
            pattern = re.compile(_alternation(entry["patterns"]))
            excl = entry.get("exclude") or []
            exclude = re.compile(_alternation(excl)) if excl else None
        except re.error as exc:
            raise ValueError(f"{name}: bad pattern in {entry['id']!r}: {exc}") from exc
        out.append(
            Mechanism(
                id=entry["id"],
                name=entry["name"],
                family_id=entry["family"],
                family=families[entry["family"]],
                pattern=pattern,
                exclude=exclude,
                patterns=tuple(str(p) for p in entry["patterns"]),
            )
        )
    return tuple(out)


def families(name: str = LEXICON) -> pd.DataFrame:
    """Return the lexicon's families: ``family_id``, ``family``, ``description``."""
    data = resources.load_yaml(name)
    return pd.DataFrame(
        [
            {"family_id": f["id"], "family": f["name"], "description": f["description"]}
            for f in data["families"]
        ]
    )


def lexicon_table(name: str = LEXICON) -> pd.DataFrame:
    """Return the lexicon as a table (for display): one row per mechanism."""
    return pd.DataFrame(
        [
            {
                "mechanism": m.name,
                "mechanism_id": m.id,
                "family": m.family,
                "patterns": " | ".join(m.patterns),
            }
            for m in load_lexicon(name)
        ]
    )


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------
sentence_spans = text_mod.sentence_spans


def _sentence_at(spans: list[tuple[int, int]], starts: list[int], pos: int) -> int:
    """Index of the span containing offset ``pos`` (or the one before it)."""
    return max(bisect.bisect_right(starts, pos) - 1, 0)


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------
MATCH_COLUMNS = [
    "mechanism", "family", "start", "end", "sentence", "mechanism_id",
    "family_id", "match",
]  # fmt: skip


def _excluded_spans(mech: Mechanism, text: str) -> list[tuple[int, int]]:
    if mech.exclude is None:
        return []
    return [m.span() for m in mech.exclude.finditer(text)]


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def match_mechanisms(
    text: str, *, lexicon: tuple[Mechanism, ...] | None = None
) -> pd.DataFrame:
    """Find every mechanism mention in ``text``.

    Args:
        text: Cleaned article text.
        lexicon: Compiled lexicon (default: the bundled ``mechanisms.yaml``).

    Returns:
        One row per match with columns ``mechanism`` (Chinese name), ``family``
        (Chinese family name), ``start``, ``end`` (offsets in ``text``),
        ``sentence`` (the sentence containing the match, a substring of
        ``text``), ``mechanism_id``, ``family_id`` and ``match`` (the matched
        string), ordered by ``start`` and lexicon order.

    Examples:
        >>> match_mechanisms("全市每月打分排名，公开晾晒。")["mechanism"].tolist()
        ['考核排名', '晾晒']
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    rows = []
    spans: list[tuple[int, int]] | None = None
    starts: list[int] = []
    for order, mech in enumerate(lexicon):
        hits = list(mech.pattern.finditer(text))
        if not hits:
            continue
        excluded = _excluded_spans(mech, text)
        if spans is None:
            spans = sentence_spans(text) or [(0, len(text))]
            starts = [s for s, _ in spans]
        for m in hits:
            if excluded and _overlaps(m.span(), excluded):
                continue
            s, e = spans[_sentence_at(spans, starts, m.start())]
            rows.append(
                (
                    mech.name,
                    mech.family,
                    m.start(),
                    m.end(),
                    text[s:e],
                    mech.id,
                    mech.family_id,
                    m.group(),
                    order,
                )
            )
    df = pd.DataFrame(rows, columns=[*MATCH_COLUMNS, "_order"])
    df = df.sort_values(["start", "_order"], kind="mergesort")
    return df.drop(columns="_order").reset_index(drop=True)


# --------------------------------------------------------------------------
# Articles and places
# --------------------------------------------------------------------------
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
        articles: articles.csv as read by :func:`citytext.pipeline.read_csv`.

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


def _attach_place(df: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
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


# --------------------------------------------------------------------------
# Mechanisms per place
# --------------------------------------------------------------------------
def mechanism_hits(articles: pd.DataFrame) -> pd.DataFrame:
    """Match the lexicon in every usable article.

    Args:
        articles: The output of :func:`usable_articles`.

    Returns:
        :func:`match_mechanisms` rows plus ``doc_id``, ``place``, ``province``
        and ``year``.
    """
    frames = []
    for doc in articles.itertuples(index=False):
        hits = match_mechanisms(doc.text)
        if hits.empty:
            continue
        hits.insert(0, "doc_id", doc.doc_id)
        hits["place"] = doc.place
        hits["province"] = doc.province
        hits["year"] = doc.year
        frames.append(hits)
    if not frames:
        return pd.DataFrame(
            columns=["doc_id", *MATCH_COLUMNS, "place", "province", "year"]
        )
    return pd.concat(frames, ignore_index=True)


def _examples(hits: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Pick each group's shortest informative sentence (ties: doc_id, offset)."""
    cand = hits[[*keys, "doc_id", "sentence", "start"]].copy()
    cand["_len"] = cand["sentence"].str.len()
    cand["_short"] = cand["_len"] < MIN_EXAMPLE_CHARS
    cand = cand.sort_values(
        [*keys, "_short", "_len", "doc_id", "start"], kind="mergesort"
    ).drop_duplicates(keys)
    cand = cand.rename(columns={"sentence": "example", "doc_id": "example_doc_id"})
    return cand.set_index(keys)[["example", "example_doc_id"]]


def _forms(matches: pd.Series) -> str:
    counts = matches.value_counts()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "; ".join(f"{form} ({n})" for form, n in ordered)


def mechanism_table(
    articles: pd.DataFrame, hits: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Summarise mechanism mentions per place: the rows of mechanisms.csv.

    Args:
        articles: articles.csv (raw or from :func:`usable_articles`).
        hits: Precomputed :func:`mechanism_hits` (computed when ``None``).

    Returns:
        Columns ``city`` (the place), ``mechanism``, ``family``, ``count``
        (mentions), ``n_docs`` (documents mentioning it), ``example`` (the
        shortest sentence of at least ``MIN_EXAMPLE_CHARS`` characters that
        contains a match, taken verbatim from the place's cleaned text),
        ``example_doc_id``, ``mechanism_id``, ``family_id`` and ``forms`` (the
        matched strings with their counts), sorted by city and mechanism id.
    """
    if "place" not in articles.columns:
        articles = usable_articles(articles)
    hits = mechanism_hits(articles) if hits is None else hits
    columns = [
        "city", "mechanism", "family", "count", "n_docs", "example",
        "example_doc_id", "mechanism_id", "family_id", "forms",
    ]  # fmt: skip
    if hits.empty:
        return pd.DataFrame(columns=columns)
    keys = ["place", "mechanism_id", "mechanism", "family_id", "family"]
    grouped = hits.groupby(keys, sort=True)
    out = grouped.agg(
        count=("start", "size"), n_docs=("doc_id", "nunique"), forms=("match", _forms)
    )
    out = (
        out.join(_examples(hits, keys)).reset_index().rename(columns={"place": "city"})
    )
    return (
        out[columns]
        .sort_values(["city", "mechanism_id"], kind="mergesort")
        .reset_index(drop=True)
    )


def mechanism_matrix(
    mechanisms: pd.DataFrame,
    comparison: pd.DataFrame,
    *,
    level: str = "mechanism",
    by: str = "city",
    per_10k: bool = True,
) -> pd.DataFrame:
    """Pivot mechanism counts to a place × mechanism (or family) matrix.

    Args:
        mechanisms: mechanisms.csv rows.
        comparison: city_comparison.csv rows (for ``n_chars`` and ``province``).
        level: ``"mechanism"`` or ``"family"``.
        by: ``"city"`` or ``"province"`` (cities summed within their province).
        per_10k: Divide by the place's characters and multiply by 10,000.

    Returns:
        A float matrix indexed by place, every place of ``comparison`` present
        (zeros where nothing matched), columns sorted by total count.
    """
    places = comparison[["city", "province", "n_chars"]].copy()
    places["n_chars"] = pd.to_numeric(places["n_chars"])
    counts = mechanisms.merge(places[["city", "province"]], on="city", how="left")
    counts["count"] = pd.to_numeric(counts["count"])
    mat = counts.pivot_table(index=by, columns=level, values="count", aggfunc="sum")
    chars = places.groupby(by)["n_chars"].sum()
    mat = mat.reindex(chars.index).fillna(0.0)
    if per_10k:
        mat = mat.div(chars.clip(lower=1), axis=0) * 10_000
    order = mat.sum(axis=0).sort_values(ascending=False, kind="mergesort").index
    mat = mat[order]
    mat.columns.name = level
    return mat


# --------------------------------------------------------------------------
# Topics and metrics per place
# --------------------------------------------------------------------------
def topic_shares(
    doc_topics: pd.DataFrame, articles: pd.DataFrame, topics: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Average topic weights per place from doc_topics.csv.

    Args:
        doc_topics: doc_topics.csv (document or paragraph rows).
        articles: The output of :func:`usable_articles`.
        topics: topics.csv, for labels (optional).

    Returns:
        Long table ``city``, ``topic_id``, ``label``, ``share``; shares of a
        place sum to 1.
    """
    dt = _attach_place(doc_topics, articles)
    dt["weight"] = pd.to_numeric(dt["weight"], errors="coerce").fillna(0.0)
    dt["topic_id"] = dt["topic_id"].astype(str)
    sums = dt.groupby(["place", "topic_id"])["weight"].sum()
    shares = (
        (sums / sums.groupby(level=0).transform("sum")).rename("share").reset_index()
    )
    shares = shares.rename(columns={"place": "city"})
    return _label_topics(shares, topics)


def _label_topics(long: pd.DataFrame, topics: pd.DataFrame | None) -> pd.DataFrame:
    labels = {}
    if topics is not None and not topics.empty:
        labels = dict(zip(topics["topic_id"].astype(str), topics["label"], strict=True))
    long = long.copy()
    long["label"] = [labels.get(t) or f"topic {t}" for t in long["topic_id"]]
    long = long[["city", "topic_id", "label", "share"]]
    order = pd.to_numeric(long["topic_id"], errors="coerce")
    return (
        long.assign(_o=order).sort_values(["city", "_o", "topic_id"]).drop(columns="_o")
    )


def normalise_city_topics(
    city_topics: pd.DataFrame, topics: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Turn city_topics.csv (long or wide) into the long form of :func:`topic_shares`.

    Args:
        city_topics: Either ``city, topic_id, share`` rows or one row per city
            with one numeric column per topic (``topic_3`` or ``3``).
        topics: topics.csv, for labels (optional).

    Returns:
        Long table ``city``, ``topic_id``, ``label``, ``share``.
    """
    if {"topic_id", "share"} <= set(city_topics.columns):
        long = city_topics[["city", "topic_id", "share"]].copy()
    else:
        long = city_topics.melt(id_vars="city", var_name="topic_id", value_name="share")
        long["topic_id"] = (
            long["topic_id"].astype(str).str.replace(r"^topic_", "", regex=True)
        )
    long["topic_id"] = long["topic_id"].astype(str)
    long["share"] = pd.to_numeric(long["share"], errors="coerce").fillna(0.0)
    return _label_topics(long, topics)


def _is_true(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip().str.lower().isin(_TRUE)


def claims_table(metrics: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Summarise claimed quantities per place, category and standard unit.

    Unit-safe: quantities are only ever added within the same ``category`` and
    ``unit_std``; 元 is never added to 个. Changes (``is_change``: growth rates,
    declines) and non-additive units (%, 百分点, 倍) are counted but never
    summed; their ``total`` is empty and ``median`` describes them instead.

    Args:
        metrics: metrics.csv rows.
        articles: The output of :func:`usable_articles` (places come from the
            article, so that metrics and mechanisms use the same place key).

    Returns:
        Columns ``city``, ``category``, ``unit_std``, ``n`` (all quantities),
        ``n_change``, ``n_amount`` (additive, not a change), ``total`` (sum of
        ``value`` over the amounts, NaN where not additive), ``median`` (of all
        values) and ``max``, sorted by city, category, unit.
    """
    cols = [
        "city",
        "category",
        "unit_std",
        "n",
        "n_change",
        "n_amount",
        "total",
        "median",
        "max",
    ]
    if metrics.empty:
        return pd.DataFrame(columns=cols)
    df = _attach_place(metrics, articles)
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    df["is_change"] = _is_true(df["is_change"])
    df["category"] = df["category"].fillna("").replace("", "(未分类)")
    df["unit_std"] = df["unit_std"].fillna("")
    df["additive"] = ~df["is_change"] & ~df["unit_std"].isin(NON_ADDITIVE_UNITS)
    df["amount"] = df["value"].where(df["additive"])
    keys = ["place", "category", "unit_std"]
    out = df.groupby(keys, sort=True).agg(
        n=("value", "size"),
        n_change=("is_change", "sum"),
        n_amount=("additive", "sum"),
        total=("amount", lambda s: s.sum(min_count=1)),
        median=("value", "median"),
        max=("value", "max"),
    )
    out = out.reset_index().rename(columns={"place": "city"})
    out[["n", "n_change", "n_amount"]] = out[["n", "n_change", "n_amount"]].astype(int)
    return out[cols]


def comparable_claims(
    claims: pd.DataFrame, *, min_places: int = 2, top: int = 6
) -> pd.DataFrame:
    """Pick (category, unit) pairs that several places report, for side-by-side views.

    Args:
        claims: :func:`claims_table` rows.
        min_places: Keep pairs reported by at least this many places.
        top: At most this many pairs, by number of places then quantities.

    Returns:
        The claims rows of the chosen pairs, with a ``measure`` column
        (``category · unit``) and ``value`` (the total for additive units, else
        the median), sorted by measure and city.
    """
    if claims.empty:
        return claims.assign(measure=[], value=[])
    stats = claims.groupby(["category", "unit_std"]).agg(
        places=("city", "nunique"), n=("n", "sum")
    )
    stats = stats[stats["places"] >= min_places].reset_index()
    stats = stats.sort_values(
        ["places", "n", "category", "unit_std"],
        ascending=[False, False, True, True],
        kind="mergesort",
    ).head(top)
    out = claims.merge(stats[["category", "unit_std"]], on=["category", "unit_std"])
    out["measure"] = out["category"] + " · " + out["unit_std"].replace("", "(无单位)")
    out["value"] = out["total"].where(out["total"].notna(), out["median"])
    return out.sort_values(["measure", "city"], kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------
# The per-place comparison table
# --------------------------------------------------------------------------
def _base_rows(articles: pd.DataFrame) -> pd.DataFrame:
    def mode(values: pd.Series) -> str:
        values = values[values.astype(str) != ""]
        return "" if values.empty else str(values.value_counts().sort_index().idxmax())

    def years(values: pd.Series) -> str:
        return ";".join(sorted({v for v in values if v}))

    base = articles.groupby("place", sort=True).agg(
        province=("province", mode),
        prefecture=("prefecture", mode),
        admin_level=("admin_level", mode),
        years=("year", years),
        n_docs=("doc_id", "size"),
        n_chars=("n_chars", "sum"),
    )
    base["year_min"] = base["years"].str.split(";").str[0]
    base["year_max"] = base["years"].str.split(";").str[-1]
    return base


def _topic_columns(topic_long: pd.DataFrame | None) -> pd.DataFrame:
    if topic_long is None or topic_long.empty:
        return pd.DataFrame()
    unique = topic_long.drop_duplicates("topic_id")
    names = unique.set_index("topic_id")["label"]
    if names.duplicated().any():
        names = pd.Series([f"{t} {n}" for t, n in names.items()], index=names.index)
    wide = topic_long.pivot_table(index="city", columns="topic_id", values="share")
    wide = wide[list(unique["topic_id"])]
    wide.columns = [f"topic:{names[t]}" for t in wide.columns]
    return wide.round(4)


def _metric_columns(claims: pd.DataFrame) -> pd.DataFrame:
    if claims.empty:
        return pd.DataFrame()
    n_cat = claims.pivot_table(
        index="city", columns="category", values="n", aggfunc="sum"
    )
    n_cat.columns = [f"metric_n:{c}" for c in n_cat.columns]
    additive = claims[claims["total"].notna()]
    totals = additive.pivot_table(
        index="city", columns=["category", "unit_std"], values="total", aggfunc="sum"
    )
    totals.columns = [f"metric_total:{c}:{u}" for c, u in totals.columns]
    out = n_cat.join(totals, how="outer")
    out.insert(0, "n_metrics", claims.groupby("city")["n"].sum())
    return out


def _top_mechanisms(mechanisms: pd.DataFrame, k: int = 5) -> pd.Series:
    ranked = mechanisms.assign(count=pd.to_numeric(mechanisms["count"])).sort_values(
        ["city", "count", "mechanism_id"],
        ascending=[True, False, True],
        kind="mergesort",
    )
    return (
        ranked.groupby("city")
        .head(k)
        .groupby("city", sort=True)
        .apply(
            lambda g: "; ".join(
                f"{m} ({c})" for m, c in zip(g["mechanism"], g["count"], strict=True)
            )
        )
    )


def _mechanism_columns(mechanisms: pd.DataFrame, chars: pd.Series) -> pd.DataFrame:
    fams = families()
    if mechanisms.empty:
        out = pd.DataFrame(index=chars.index)
        out["mechanism_mentions"] = 0
        for fid in fams["family_id"]:
            out[f"mech_per10k:{fid}"] = 0.0
        out["top_mechanisms"] = ""
        return out
    counts = pd.to_numeric(mechanisms["count"])
    per_family = mechanisms.assign(count=counts).pivot_table(
        index="city", columns="family_id", values="count", aggfunc="sum"
    )
    per_family = per_family.reindex(index=chars.index, columns=list(fams["family_id"]))
    per_family = per_family.fillna(0.0)
    out = pd.DataFrame(index=chars.index)
    out["mechanism_mentions"] = per_family.sum(axis=1).astype(int)
    out["mech_per10k"] = (
        out["mechanism_mentions"] / chars.clip(lower=1) * 10_000
    ).round(3)
    for fid in per_family.columns:
        out[f"mech_per10k:{fid}"] = (
            per_family[fid] / chars.clip(lower=1) * 10_000
        ).round(3)
    out["top_mechanisms"] = _top_mechanisms(mechanisms).reindex(chars.index).fillna("")
    return out


def city_comparison(
    articles: pd.DataFrame,
    city_topics: pd.DataFrame | None,
    metrics: pd.DataFrame | None,
    mechanisms: pd.DataFrame,
) -> pd.DataFrame:
    """Build city_comparison.csv: one row per place.

    Args:
        articles: articles.csv (raw or from :func:`usable_articles`).
        city_topics: Topic shares per place, long (``city, topic_id, label,
            share``, see :func:`topic_shares`) or as city_topics.csv; ``None``
            when the topic stage has not run.
        metrics: metrics.csv rows, or ``None`` when the metrics stage has not run.
        mechanisms: :func:`mechanism_table` rows.

    Returns:
        Columns ``city``, ``province``, ``prefecture``, ``admin_level``,
        ``years`` (``2022;2023``), ``year_min``, ``year_max``, ``n_docs``,
        ``n_chars``; then ``topic:<label>`` shares; ``n_metrics``,
        ``metric_n:<category>`` counts and ``metric_total:<category>:<unit>``
        unit-safe totals; ``mechanism_mentions``, ``mech_per10k`` and
        ``mech_per10k:<family>`` (mentions per 10,000 characters) and
        ``top_mechanisms``. Sorted by city.
    """
    if "place" not in articles.columns:
        articles = usable_articles(articles)
    base = _base_rows(articles)
    parts = [base]
    if city_topics is not None and not city_topics.empty:
        long = (
            city_topics
            if "label" in city_topics.columns
            else normalise_city_topics(city_topics)
        )
        parts.append(_topic_columns(long))
    if metrics is not None:
        parts.append(_metric_columns(claims_table(metrics, articles)))
    parts.append(_mechanism_columns(mechanisms, base["n_chars"]))
    out = parts[0]
    for part in parts[1:]:
        if not part.empty or len(part.columns):
            out = out.join(part, how="left")
    count_cols = [
        c for c in out.columns if c.startswith("metric_n") or c == "n_metrics"
    ]
    out[count_cols] = out[count_cols].fillna(0).astype(int)
    out.index.name = "city"
    return (
        out.reset_index().sort_values("city", kind="mergesort").reset_index(drop=True)
    )


# --------------------------------------------------------------------------
# Similarity and clustering
# --------------------------------------------------------------------------
def _place_tokens(paragraphs: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """Join each place's paragraph tokens into one space-separated document."""
    paras = _attach_place(paragraphs, articles)
    paras = paras.sort_values(["place", "doc_id"], kind="mergesort")
    return paras.groupby("place", sort=True)["tokens"].agg(
        lambda s: " ".join(t for t in s.fillna("").astype(str) if t)
    )


def _char_bigrams(articles: pd.DataFrame) -> pd.Series:
    """Fallback documents when paragraphs.csv is missing: character bigrams."""
    texts = articles.groupby("place", sort=True)["text"].agg("\n".join)
    return texts.map(
        lambda t: " ".join(
            t[i : i + 2] for i in range(len(t) - 1) if _TERM_OK_RE.match(t[i])
        )
    )


def _split_tokens(doc: str) -> list[str]:
    return doc.split()


def _cosine_matrix(matrix: Any) -> np.ndarray:
    from sklearn.metrics.pairwise import cosine_similarity

    sim = cosine_similarity(matrix)
    np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def text_similarity(docs: pd.Series) -> pd.DataFrame:
    """Cosine similarity of places on TF-IDF of their tokens.

    Args:
        docs: Space-joined tokens per place (index = place).

    Returns:
        A square place × place DataFrame.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(docs) == 0 or not any(docs.str.strip()):
        return pd.DataFrame(np.eye(len(docs)), index=docs.index, columns=docs.index)
    vec = TfidfVectorizer(analyzer=_split_tokens, sublinear_tf=True, dtype=np.float64)
    sim = _cosine_matrix(vec.fit_transform(docs.tolist()))
    return pd.DataFrame(sim, index=docs.index, columns=docs.index)


def profile_similarity(profile: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity of rows of a place × feature matrix (zero rows give 0)."""
    sim = _cosine_matrix(profile.to_numpy(dtype=float))
    return pd.DataFrame(sim, index=profile.index, columns=profile.index)


def cluster_order(sim: pd.DataFrame) -> tuple[list[str], np.ndarray | None]:
    """Order places by average-linkage clustering on ``1 - similarity``.

    Args:
        sim: Square similarity matrix.

    Returns:
        ``(leaf order, linkage matrix)``; the linkage is ``None`` for fewer than
        two places.
    """
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    labels = list(sim.index)
    if len(labels) < 2:
        return labels, None
    dist = np.clip(1.0 - sim.to_numpy(dtype=float), 0.0, None)
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    link = linkage(
        squareform(dist, checks=False), method="average", optimal_ordering=True
    )
    return [labels[i] for i in leaves_list(link)], link


def flat_clusters(
    link: np.ndarray | None, labels: list[str], k: int | None = None
) -> pd.Series:
    """Cut a linkage into ``k`` clusters (default about sqrt(n/2)), numbered from 1."""
    from scipy.cluster.hierarchy import fcluster

    if link is None:
        return pd.Series(1, index=labels)
    k = k or max(2, round((len(labels) / 2) ** 0.5))
    return pd.Series(fcluster(link, t=k, criterion="maxclust"), index=labels)


def similarity_table(sims: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Stack square similarity matrices into city_similarity.csv rows.

    Args:
        sims: ``{column name: square matrix}``; the first names the ranking.

    Returns:
        Every ordered pair ``city_a != city_b`` with one column per matrix and
        ``rank`` (1 = most similar to ``city_a`` by the first matrix), sorted by
        ``city_a`` and ``rank``.
    """
    names = list(sims)
    labels = np.asarray(sims[names[0]].index, dtype=object)
    n = len(labels)
    a_idx, b_idx = np.nonzero(~np.eye(n, dtype=bool))
    out = pd.DataFrame({"city_a": labels[a_idx], "city_b": labels[b_idx]})
    for name in names:
        values = sims[name].loc[labels, labels].to_numpy(dtype=float)
        out[name] = np.round(values[a_idx, b_idx], 4)
    out = out.sort_values(["city_a", names[0], "city_b"], ascending=[True, False, True])
    out["rank"] = out.groupby("city_a").cumcount() + 1
    return out.reset_index(drop=True)


def similarity(
    articles: pd.DataFrame,
    paragraphs: pd.DataFrame | None,
    mechanisms: pd.DataFrame,
    comparison: pd.DataFrame,
    topic_long: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Compute place similarities and a clustering order.

    Args:
        articles: The output of :func:`usable_articles`.
        paragraphs: paragraphs.csv (its ``tokens``); ``None`` falls back to
            character bigrams of the article texts.
        mechanisms: :func:`mechanism_table` rows.
        comparison: :func:`city_comparison` rows.
        topic_long: Long topic shares (optional).

    Returns:
        ``{"matrices": {name: square DataFrame}, "table": city_similarity rows,
        "order": leaf order, "linkage": linkage matrix, "clusters": Series}``.
    """
    docs = (
        _place_tokens(paragraphs, articles)
        if paragraphs is not None
        else _char_bigrams(articles)
    )
    places = list(comparison["city"])
    docs = docs.reindex(places).fillna("")
    mats = {"text_cosine": text_similarity(docs)}
    mech = mechanism_matrix(mechanisms, comparison).reindex(places).fillna(0.0)
    mats["mechanism_cosine"] = profile_similarity(mech)
    if topic_long is not None and not topic_long.empty:
        topic = topic_long.pivot_table(index="city", columns="topic_id", values="share")
        mats["topic_cosine"] = profile_similarity(topic.reindex(places).fillna(0.0))
    order, link = cluster_order(mats["text_cosine"])
    return {
        "matrices": mats,
        "table": similarity_table(mats),
        "order": order,
        "linkage": link,
        "clusters": flat_clusters(link, places),
    }


# --------------------------------------------------------------------------
# Distinctive terms: weighted log-odds with an informative Dirichlet prior
# --------------------------------------------------------------------------
def log_odds(
    y_i: np.ndarray, y_j: np.ndarray, alpha: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds ratio with an informative Dirichlet prior.

    Monroe, Colaresi and Quinn (2008), "Fightin' Words", eqs. 16-22:
    ``delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w))
    - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))`` with variance
    ``1 / (y_iw + a_w) + 1 / (y_jw + a_w)``; ``z = delta / sqrt(variance)``.

    Args:
        y_i: Term counts of group i.
        y_j: Term counts of group j (for "one place against the rest", the
            counts of all other places).
        alpha: Prior pseudo-counts per term (positive); ``a0 = alpha.sum()``.

    Returns:
        ``(delta, z)`` arrays.

    Examples:
        >>> d, z = log_odds(np.array([3, 1]), np.array([1, 3]), np.array([1.0, 1.0]))
        >>> round(float(d[0]), 4), round(float(z[0]), 4)
        (1.3863, 1.6008)
    """
    y_i = np.asarray(y_i, dtype=float)
    y_j = np.asarray(y_j, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    a0 = alpha.sum()
    n_i, n_j = y_i.sum(), y_j.sum()
    delta = np.log((y_i + alpha) / (n_i + a0 - y_i - alpha)) - np.log(
        (y_j + alpha) / (n_j + a0 - y_j - alpha)
    )
    var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    return delta, delta / np.sqrt(var)


_SUFFIX_RE = re.compile(r"(?:市|区|县|省|自治州|地区|盟)$")


def _own_names(place: str, articles: pd.DataFrame) -> set[str]:
    """The place's own names (鸡西, 鸡西市), which are trivially distinctive."""
    names = {place}
    rows = articles[articles["place"] == place]
    for col in ("city", "prefecture"):
        names.update(v for v in rows[col].astype(str) if v)
    names.update(_SUFFIX_RE.sub("", n) for n in list(names))
    return {n for n in names if len(n) >= 2}


def distinctive_terms(
    paragraphs: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    n_terms: int = 20,
    prior_scale: float = 500.0,
    min_count: int = 3,
    drop_own_name: bool = True,
) -> pd.DataFrame:
    """Terms that set each place apart from all other places.

    Each place is compared with the rest of the corpus by :func:`log_odds`. The
    prior is informative: ``alpha_w = prior_scale * corpus frequency of w``, so
    common words are shrunk towards the corpus rate and rare words need more
    evidence. Terms are the tokens of paragraphs.csv of at least two
    characters that contain a letter or CJK character.

    Args:
        paragraphs: paragraphs.csv.
        articles: The output of :func:`usable_articles`.
        n_terms: Terms kept per place (highest z first).
        prior_scale: ``a0``, the prior's total pseudo-count.
        min_count: Terms seen fewer times in the whole corpus are left out.
        drop_own_name: Leave out terms containing the place's own name.

    Returns:
        distinctive_terms.csv rows: ``city``, ``rank``, ``term``, ``count``,
        ``count_rest``, ``per_10k`` (per 10,000 tokens of the place),
        ``log_odds``, ``z``, sorted by city and rank.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    cols = ["city", "rank", "term", "count", "count_rest", "per_10k", "log_odds", "z"]
    docs = _place_tokens(paragraphs, articles)
    docs = docs[docs.str.strip() != ""]
    if len(docs) < 2:
        return pd.DataFrame(columns=cols)
    vec = CountVectorizer(analyzer=_split_tokens)
    counts = vec.fit_transform(docs.tolist()).tocsr()
    vocab = np.asarray(vec.get_feature_names_out())
    total = np.asarray(counts.sum(axis=0)).ravel()
    keep = (total >= min_count) & np.array(
        [len(t) >= 2 and bool(_TERM_OK_RE.search(t)) and not t.isdigit() for t in vocab]
    )
    counts, vocab, total = counts[:, keep], vocab[keep], total[keep]
    alpha = prior_scale * total / max(total.sum(), 1)
    frames = []
    for row, place in enumerate(docs.index):
        y_i = counts[row].toarray().ravel().astype(float)
        delta, z = log_odds(y_i, total - y_i, alpha)
        df = pd.DataFrame(
            {
                "term": vocab,
                "count": y_i.astype(int),
                "count_rest": (total - y_i).astype(int),
                "log_odds": delta,
                "z": z,
            }
        )
        df = df[df["count"] > 0]
        if drop_own_name:
            names = _own_names(place, articles)
            df = df[~df["term"].map(lambda t, names=names: any(n in t for n in names))]
        df = df.sort_values(
            ["z", "term"], ascending=[False, True], kind="mergesort"
        ).head(n_terms)
        df.insert(0, "city", place)
        df.insert(1, "rank", range(1, len(df) + 1))
        df["per_10k"] = (df["count"] / max(y_i.sum(), 1) * 10_000).round(2)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)[cols]
    out[["log_odds", "z"]] = out[["log_odds", "z"]].round(4)
    return out.sort_values(["city", "rank"], kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------
# Text reuse between places: shingling + MinHash LSH
# --------------------------------------------------------------------------
REUSE_COLUMNS = [
    "city_a", "city_b", "doc_id_a", "doc_id_b", "year_a", "year_b", "passage",
    "passage_chars", "similarity", "n_sentences", "start_a", "end_a", "start_b",
    "end_b",
]  # fmt: skip


@dataclass
class _Units:
    """Sentences that can carry reuse, grouped by their normalised text."""

    keys: list[str] = field(default_factory=list)  # normalised text per group
    occ: list[list[tuple[int, int]]] = field(default_factory=list)  # (doc, sentence)


def _normalise(sentence: str) -> str:
    return _NORMALISE_RE.sub("", sentence)


def _shingles(key: str, k: int) -> set[str]:
    if len(key) <= k:
        return {key}
    return {key[i : i + k] for i in range(len(key) - k + 1)}


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


def _collect_units(
    docs: list[tuple[str, str, str, str]],
    spans: list[list[tuple[int, int]]],
    min_chars: int,
) -> _Units:
    units = _Units()
    index: dict[str, int] = {}
    for d, (_doc_id, _place, _year, text) in enumerate(docs):
        for s, (start, end) in enumerate(spans[d]):
            key = _normalise(text[start:end])
            if len(key) < min_chars:
                continue
            if key not in index:
                index[key] = len(units.keys)
                units.keys.append(key)
                units.occ.append([])
            units.occ[index[key]].append((d, s))
    return units


def _near_pairs(
    units: _Units,
    active: list[int],
    *,
    k: int,
    threshold: float,
    num_perm: int,
    seed: int,
    max_candidates: int,
) -> list[tuple[int, int, float]]:
    """Verified near-duplicate pairs of unit groups found by MinHash LSH."""
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    shingles = {u: _shingles(units.keys[u], k) for u in active}
    sets = ([s.encode("utf-8") for s in sorted(shingles[u])] for u in active)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = {}
    for u, mh in zip(
        active,
        MinHash.generator(sets, num_perm=num_perm, seed=seed, hashfunc=_crc32),
        strict=True,
    ):
        hashes[u] = LeanMinHash(mh)
        lsh.insert(u, hashes[u], check_duplication=False)
    pairs = []
    for u in active:
        cands = [v for v in lsh.query(hashes[u]) if v > u]
        if len(cands) > max_candidates:
            continue
        for v in sorted(cands):
            inter = len(shingles[u] & shingles[v])
            jac = inter / len(shingles[u] | shingles[v])
            if jac >= threshold:
                pairs.append((u, v, jac))
    return pairs


def _common_block(a: str, b: str) -> str:
    match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match()
    return a[match.a : match.a + match.size]


def _occurrence_pairs(
    units: _Units,
    edges: list[tuple[int, int, float]],
    places: list[str],
    include_same: bool,
) -> list[tuple[int, int, int, int, float]]:
    """Expand group pairs to (doc a, sentence a, doc b, sentence b, jaccard)."""
    out = []
    for u, v, jac in edges:
        for da, sa in units.occ[u]:
            for db, sb in units.occ[v]:
                if da == db or (not include_same and places[da] == places[db]):
                    continue
                if (places[da], da) > (places[db], db):
                    out.append((db, sb, da, sa, jac))
                else:
                    out.append((da, sa, db, sb, jac))
    return sorted(set(out))


def _merge_runs(
    pairs: list[tuple[int, int, int, int, float]],
) -> list[list[tuple[int, int, int, int, float]]]:
    """Group sentence pairs into runs that continue in both documents."""
    runs: list[list[tuple[int, int, int, int, float]]] = []
    for pair in pairs:
        last = runs[-1][-1] if runs else None
        if (
            last
            and last[0] == pair[0]
            and last[2] == pair[2]
            and (pair[1] == last[1] + 1 and pair[3] == last[3] + 1)
        ):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    return runs


def _run_row(
    run: list[tuple[int, int, int, int, float]],
    docs: list[tuple[str, str, str, str]],
    spans: list[list[tuple[int, int]]],
) -> dict[str, Any]:
    da, db = run[0][0], run[0][2]
    text_a, text_b = docs[da][3], docs[db][3]
    start_a, end_a = spans[da][run[0][1]][0], spans[da][run[-1][1]][1]
    start_b, end_b = spans[db][run[0][3]][0], spans[db][run[-1][3]][1]
    if all(p[4] == 1.0 for p in run):
        passage = text_a[start_a:end_a]
    else:
        block = _common_block(text_a[start_a:end_a], text_b[start_b:end_b])
        passage = _EDGE_PUNCT_RE.sub("", block)
    return {
        "city_a": docs[da][1],
        "city_b": docs[db][1],
        "doc_id_a": docs[da][0],
        "doc_id_b": docs[db][0],
        "year_a": docs[da][2],
        "year_b": docs[db][2],
        "passage": passage,
        "passage_chars": len(passage),
        "similarity": round(float(np.mean([p[4] for p in run])), 4),
        "n_sentences": len(run),
        "start_a": start_a,
        "end_a": end_a,
        "start_b": start_b,
        "end_b": end_b,
    }


def _drop_formulaic(units: _Units, places: list[str], max_places: int) -> list[int]:
    """Indices of unit groups used by at most ``max_places`` places."""
    active = []
    for u, occ in enumerate(units.occ):
        if len({places[d] for d, _ in occ}) <= max_places:
            active.append(u)
    dropped = len(units.keys) - len(active)
    if dropped:
        logger.info(
            "text reuse: %d sentence(s) shared by more than %d places treated as "
            "formulaic and left out",
            dropped,
            max_places,
        )
    return active


def _drop_formulaic_edges(
    units: _Units,
    edges: list[tuple[int, int, float]],
    places: list[str],
    max_places: int,
) -> list[tuple[int, int, float]]:
    """Drop pairs whose near-duplicate neighbourhood spans too many places.

    A stock phrase may be worded slightly differently in each report, so no
    single wording passes ``max_places``; counted over a sentence group and
    all its near duplicates it does.
    """
    reach: dict[int, set[str]] = {}
    for u, v, _ in edges:
        for a, b in ((u, v), (v, u)):
            reach.setdefault(a, {places[d] for d, _ in units.occ[a]})
            reach[a].update(places[d] for d, _ in units.occ[b])
    wide = {u for u, seen in reach.items() if len(seen) > max_places}
    if wide:
        logger.info(
            "text reuse: %d sentence group(s) whose near duplicates span more than "
            "%d places treated as formulaic and left out",
            len(wide),
            max_places,
        )
    return [e for e in edges if e[0] not in wide and e[1] not in wide]


def text_reuse(
    articles: pd.DataFrame,
    *,
    shingle: int = 5,
    threshold: float = 0.6,
    num_perm: int = 64,
    min_sentence_chars: int = 20,
    min_passage_chars: int = 30,
    max_places: int = 5,
    max_candidates: int = 200,
    seed: int = 1,
    include_same_place: bool = False,
) -> pd.DataFrame:
    """Find passages shared between places.

    Sentences of at least ``min_sentence_chars`` characters (punctuation and
    spaces ignored) are shingled into character ``shingle``-grams. Identical
    sentences are grouped first; near-identical ones are found with MinHash LSH
    (datasketch, ``num_perm`` permutations, fixed ``seed``) and kept when their
    exact shingle Jaccard similarity is at least ``threshold``. Work grows about
    linearly with the corpus: there is no all-pairs comparison. Sentences
    shared by more than ``max_places`` places are formulaic (stock phrases of
    official speech) and left out, and so are groups whose LSH bucket holds more
    than ``max_candidates`` others. Matched sentences that follow each other in
    both documents are merged into one passage.

    Args:
        articles: The output of :func:`usable_articles`.
        shingle: Characters per shingle.
        threshold: Minimum Jaccard similarity of two sentences.
        num_perm: MinHash permutations.
        min_sentence_chars: Shorter sentences are ignored.
        min_passage_chars: Shorter passages are not reported.
        max_places: Sentences used by more places are formulaic.
        max_candidates: Cap on LSH candidates per sentence group.
        seed: MinHash seed.
        include_same_place: Also report reuse between documents of one place.

    Returns:
        text_reuse.csv rows (``REUSE_COLUMNS``): both places, both doc ids and
        years, the shared ``passage`` (from document a; for near-identical
        sentences the longest common block), ``passage_chars``, mean
        ``similarity``, ``n_sentences`` and character offsets in both texts.
        Sorted by places, documents and offset.
    """
    docs = [
        (r.doc_id, r.place, r.year, r.text)
        for r in articles.sort_values("doc_id").itertuples(index=False)
    ]
    spans = [sentence_spans(d[3]) for d in docs]
    places = [d[1] for d in docs]
    units = _collect_units(docs, spans, min_sentence_chars)
    active = _drop_formulaic(units, places, max_places)
    edges = [(u, u, 1.0) for u in active if len(units.occ[u]) > 1]
    edges += _near_pairs(
        units,
        active,
        k=shingle,
        threshold=threshold,
        num_perm=num_perm,
        seed=seed,
        max_candidates=max_candidates,
    )
    edges = _drop_formulaic_edges(units, edges, places, max_places)
    pairs = _occurrence_pairs(units, edges, places, include_same_place)
    rows = [_run_row(run, docs, spans) for run in _merge_runs(pairs)]
    out = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    out = out[out["passage_chars"] >= min_passage_chars]
    keys = ["city_a", "city_b", "doc_id_a", "doc_id_b", "start_a", "start_b"]
    return out.sort_values(keys, kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------
# Timeline and province views
# --------------------------------------------------------------------------
def family_timeline(hits: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Mechanism mentions per family and year, per 10,000 characters of that year.

    Args:
        hits: :func:`mechanism_hits` rows.
        articles: The output of :func:`usable_articles`.

    Returns:
        Columns ``year``, ``family``, ``count``, ``n_docs`` (documents of the
        year), ``n_chars`` and ``per_10k``; years without a known year are left
        out.
    """
    dated = articles[articles["year"] != ""]
    per_year = dated.groupby("year").agg(
        n_docs=("doc_id", "size"), n_chars=("n_chars", "sum")
    )
    fams = families()["family"]
    grid = pd.MultiIndex.from_product([per_year.index, fams], names=["year", "family"])
    counts = hits[hits["year"] != ""].groupby(["year", "family"]).size()
    out = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    out = out.merge(per_year.reset_index(), on="year", validate="m:1")
    out["per_10k"] = (out["count"] / out["n_chars"].clip(lower=1) * 10_000).round(3)
    return out


def top_places(comparison: pd.DataFrame, n: int, *, by: str = "n_chars") -> list[str]:
    """The ``n`` places with most ``by`` (ties broken by name), in that order."""
    ranked = comparison.assign(_v=pd.to_numeric(comparison[by])).sort_values(
        ["_v", "city"], ascending=[False, True], kind="mergesort"
    )
    return list(ranked["city"].head(n))


def select_places(
    comparison: pd.DataFrame,
    *,
    top_n: int,
    min_docs: int = 1,
    order: list[str] | None = None,
) -> list[str]:
    """Choose the places a figure shows when there are too many for one.

    Args:
        comparison: city_comparison.csv rows.
        top_n: Keep the ``top_n`` places with most text.
        min_docs: Leave out places with fewer documents.
        order: Display order (e.g. the clustering order); default: most text first.

    Returns:
        Place names in display order.
    """
    enough = comparison[pd.to_numeric(comparison["n_docs"]) >= min_docs]
    chosen = top_places(enough, top_n)
    if order is None:
        return chosen
    keep = set(chosen)
    return [p for p in order if p in keep]


def label_with_docs(places: Iterable[str], comparison: pd.DataFrame) -> list[str]:
    """Label places with their document count, e.g. ``鸡西 (2篇)``."""
    n_docs = dict(zip(comparison["city"], comparison["n_docs"], strict=True))
    return [f"{p} ({int(n_docs.get(p, 0))}篇)" for p in places]


def province_labels(comparison: pd.DataFrame) -> dict[str, str]:
    """Label provinces with their places and documents, e.g. ``山东省 (3地/4篇)``."""
    agg = comparison.assign(n_docs=pd.to_numeric(comparison["n_docs"])).groupby(
        "province"
    )
    places, docs = agg["city"].size(), agg["n_docs"].sum()
    return {p: f"{p} ({places[p]}地/{docs[p]}篇)" for p in places.index}


def top_pairs(similarity_rows: pd.DataFrame, column: str, n: int = 20) -> pd.DataFrame:
    """The ``n`` most similar unordered place pairs by ``column``."""
    pairs = similarity_rows[similarity_rows["city_a"] < similarity_rows["city_b"]]
    return (
        pairs.sort_values(
            [column, "city_a", "city_b"],
            ascending=[False, True, True],
            kind="mergesort",
        )
        .head(n)
        .reset_index(drop=True)
    )


def reuse_summary(reuse: pd.DataFrame) -> pd.DataFrame:
    """Shared passages per place pair: count, characters and the longest passage."""
    cols = ["city_a", "city_b", "passages", "shared_chars", "longest_passage"]
    if reuse.empty:
        return pd.DataFrame(columns=cols)
    df = reuse.assign(passage_chars=pd.to_numeric(reuse["passage_chars"]))
    df = df.sort_values(["passage_chars", "doc_id_a"], ascending=[False, True])
    out = df.groupby(["city_a", "city_b"], sort=True).agg(
        passages=("passage", "size"),
        shared_chars=("passage_chars", "sum"),
        longest_passage=("passage", "first"),
    )
    return (
        out.reset_index()
        .sort_values(
            ["shared_chars", "city_a", "city_b"], ascending=[False, True, True]
        )
        .reset_index(drop=True)[cols]
    )


def family_rates(
    mechanisms: pd.DataFrame, comparison: pd.DataFrame, city: str
) -> pd.DataFrame:
    """A place's mechanism mentions per family against the corpus rate.

    Args:
        mechanisms: mechanisms.csv rows.
        comparison: city_comparison.csv rows.
        city: The place.

    Returns:
        Columns ``family``, ``count``, ``per_10k`` (this place) and
        ``corpus_per_10k`` (all places pooled), every family of the lexicon.
    """
    fams = families()["family"]
    counts = mechanisms.assign(count=pd.to_numeric(mechanisms["count"]))
    chars = pd.to_numeric(comparison["n_chars"])
    mine_chars = float(chars[comparison["city"] == city].sum())
    mine = counts[counts["city"] == city].groupby("family")["count"].sum()
    total = counts.groupby("family")["count"].sum()
    out = pd.DataFrame({"family": fams})
    out["count"] = out["family"].map(mine).fillna(0).astype(int)
    out["per_10k"] = (out["count"] / max(mine_chars, 1.0) * 10_000).round(3)
    corpus = out["family"].map(total).fillna(0) / max(float(chars.sum()), 1.0)
    out["corpus_per_10k"] = (corpus * 10_000).round(3)
    return out


# --------------------------------------------------------------------------
# One city's profile (notebook 05)
# --------------------------------------------------------------------------
@dataclass
class CityProfile:
    """Everything notebook 05 shows about one place.

    Attributes:
        city: The place as in articles.csv.
        articles: Its articles' metadata (no text).
        mechanisms: Its mechanisms.csv rows with example sentences.
        metrics: Its metrics.csv rows.
        claims: Its :func:`claims_table` rows.
        topic_mix: ``topic_id``, ``label``, ``share`` (this place) and
            ``corpus`` (the corpus average), ``difference``.
        similar: Most similar places (city_similarity.csv rows).
        distinctive: Its distinctive_terms.csv rows.
        reuse: text_reuse.csv rows involving it.
        row: Its city_comparison.csv row.
        mechanism_rates: :func:`family_rates` for it.
    """

    city: str
    articles: pd.DataFrame
    mechanisms: pd.DataFrame
    metrics: pd.DataFrame
    claims: pd.DataFrame
    topic_mix: pd.DataFrame
    similar: pd.DataFrame
    distinctive: pd.DataFrame
    reuse: pd.DataFrame
    row: pd.Series
    mechanism_rates: pd.DataFrame


def resolve_city(city: str, known: Iterable[str]) -> str:
    """Return the known place matching ``city`` (exact, or without 市/区/县 suffix).

    Raises:
        ValueError: Naming the known places when ``city`` matches none.
    """
    known = sorted(set(known))
    if city in known:
        return city
    stem = _SUFFIX_RE.sub("", city.strip())
    matches = [k for k in known if _SUFFIX_RE.sub("", k) == stem]
    if len(matches) == 1:
        return matches[0]
    raise ValueError(f"unknown city {city!r}; known cities: {', '.join(known)}")


def _topic_mix(topic_long: pd.DataFrame | None, city: str) -> pd.DataFrame:
    cols = ["topic_id", "label", "share", "corpus", "difference"]
    if topic_long is None or topic_long.empty:
        return pd.DataFrame(columns=cols)
    corpus = topic_long.groupby(["topic_id", "label"])["share"].mean().rename("corpus")
    mine = topic_long[topic_long["city"] == city].set_index(["topic_id", "label"])[
        "share"
    ]
    out = pd.concat([mine, corpus], axis=1).fillna(0.0).reset_index()
    out["difference"] = out["share"] - out["corpus"]
    return (
        out[cols]
        .sort_values("share", ascending=False, kind="mergesort")
        .reset_index(drop=True)
    )


def city_profile(run_dir: Path | str, city: str, *, n_similar: int = 10) -> CityProfile:
    """Gather one place's profile from a run directory the comparison stage wrote.

    Args:
        run_dir: The run directory.
        city: A place as in articles.csv (``鸡西``; ``鸡西市`` also matches).
        n_similar: Number of most similar places.

    Returns:
        The :class:`CityProfile`.

    Raises:
        ValueError: If ``city`` is not a place of the corpus (the message lists
            the known places).
    """
    from citytext import runfiles as rf

    def optional(name: str) -> pd.DataFrame | None:
        return rf.read_optional(run_dir, name, "that part of the profile", level=20)

    run_dir = Path(run_dir)
    articles = usable_articles(rf.read_csv(run_dir, rf.ARTICLES))
    city = resolve_city(city, articles["place"])
    mine = articles[articles["place"] == city]
    meta_cols = [c for c in articles.columns if c not in {"text", "place"}]
    mechs = rf.read_csv(run_dir, rf.MECHANISMS)
    comparison = rf.read_csv(run_dir, rf.CITY_COMPARISON)
    metrics = optional(rf.METRICS)
    metrics = (
        metrics if metrics is not None else pd.DataFrame(columns=rf.METRIC_COLUMNS)
    )
    my_metrics = metrics[metrics["doc_id"].isin(set(mine["doc_id"]))]
    topic_long = optional(rf.CITY_TOPIC_SHARES)
    sim = optional(rf.CITY_SIMILARITY)
    dist = optional(rf.DISTINCTIVE_TERMS)
    reuse = optional(rf.TEXT_REUSE)
    if topic_long is not None:
        topic_long["share"] = pd.to_numeric(topic_long["share"])
    return CityProfile(
        city=city,
        articles=mine[meta_cols].reset_index(drop=True),
        mechanisms=mechs[mechs["city"] == city].reset_index(drop=True),
        metrics=my_metrics.reset_index(drop=True),
        claims=claims_table(my_metrics, articles),
        topic_mix=_topic_mix(topic_long, city),
        similar=_rows_for(sim, "city_a", city).head(n_similar),
        distinctive=_rows_for(dist, "city", city),
        reuse=_reuse_for(reuse, city),
        row=comparison[comparison["city"] == city].iloc[0],
        mechanism_rates=family_rates(mechs, comparison, city),
    )


def _rows_for(df: pd.DataFrame | None, col: str, city: str) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame()
    return df[df[col] == city].reset_index(drop=True)


def _reuse_for(df: pd.DataFrame | None, city: str) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame(columns=REUSE_COLUMNS)
    return df[(df["city_a"] == city) | (df["city_b"] == city)].reset_index(drop=True)
