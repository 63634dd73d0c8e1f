"""The mechanism lexicon and its matches, per document and per place.

What belongs here: loading and compiling ``resources/mechanisms.yaml``
(:func:`load_lexicon`, :func:`families`), finding every mechanism mention in a
text (:func:`match_mechanisms`), matching a whole corpus
(:func:`mechanism_hits`), the per-place table that becomes mechanisms.csv
(:func:`mechanism_table`) and the place × mechanism matrix of rates
(:func:`mechanism_matrix`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from citytext import resources
from citytext import text as text_mod
from citytext.compare.articles import usable_articles

LEXICON = "mechanisms.yaml"
#: Sentences shorter than this are not shown as mechanism examples if a longer one
#: exists (a bare heading such as 晾晒制让干部紧起来 says little on its own).
MIN_EXAMPLE_CHARS = 15


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


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------
def sentence_at(spans: list[tuple[int, int]], starts: list[int], pos: int) -> int:
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
            spans = text_mod.sentence_spans(text) or [(0, len(text))]
            starts = [s for s, _ in spans]
        for m in hits:
            if excluded and _overlaps(m.span(), excluded):
                continue
            s, e = spans[sentence_at(spans, starts, m.start())]
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
    places: list[str] | None = None,
) -> pd.DataFrame:
    """Pivot mechanism counts to a place × mechanism (or family) matrix.

    Args:
        mechanisms: mechanisms.csv rows.
        comparison: city_comparison.csv rows (for ``n_chars`` and ``province``).
        level: ``"mechanism"`` or ``"family"``.
        by: ``"city"`` or ``"province"`` (cities summed within their province).
        per_10k: Divide by the place's characters and multiply by 10,000.
        places: Keep only these rows, in this order (the places a figure
            shows); default every place of ``comparison``.

    Returns:
        A float matrix indexed by place, every place of ``comparison`` present
        (zeros where nothing matched), columns sorted by total count (over
        every place, also when ``places`` keeps fewer rows).
    """
    rows = comparison[["city", "province", "n_chars"]].copy()
    rows["n_chars"] = pd.to_numeric(rows["n_chars"])
    counts = mechanisms.merge(rows[["city", "province"]], on="city", how="left")
    counts["count"] = pd.to_numeric(counts["count"])
    mat = counts.pivot_table(index=by, columns=level, values="count", aggfunc="sum")
    chars = rows.groupby(by)["n_chars"].sum()
    mat = mat.reindex(chars.index).fillna(0.0)
    if per_10k:
        mat = mat.div(chars.clip(lower=1), axis=0) * 10_000
    order = mat.sum(axis=0).sort_values(ascending=False, kind="mergesort").index
    mat = mat[order]
    mat.columns.name = level
    return mat if places is None else mat.loc[places]
