"""The numbers and names that notebooks 04 and 05 write sentences about.

What belongs here: one function per sentence of the comparison pages, each
taking the tables the sentence is about and returning a dict of the values
its template needs, or ``None`` when there is nothing to say (no mechanism
named, no pair of places, no shared passage, a place without topic shares);
the notebook then shows a note instead (:func:`citytext.report.facts`). A
value that is undefined stays undefined: the rank agreement of two constant
similarity columns is ``NaN``, which the page shows as ``n/a``, never as 0.

The wording stays in the notebooks; the tables the figures draw are
:mod:`citytext.compare.views`. Tables in, dicts out; no file access.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from citytext.compare.views import (
    CityProfile,
    longest_passages,
    reuse_summary,
    top_pairs,
    topic_mix,
)


# --------------------------------------------------------------------------
# Notebook 04
# --------------------------------------------------------------------------
def corpus_facts(
    comparison: pd.DataFrame, articles: pd.DataFrame, shown: Iterable[str] = ()
) -> dict[str, Any]:
    """Size of the compared corpus, for the opening paragraph of notebook 04.

    Args:
        comparison: city_comparison.csv rows.
        articles: The articles compared (one row each).
        shown: The places the figures show.

    Returns:
        ``n_docs``, ``n_chars``, ``n_places``, ``n_prov``, the ``first``
        and ``last`` year ("?" when no year is known) and ``n_shown``.
    """
    years = sorted({y for ys in comparison["years"] for y in ys.split(";") if y})
    return {
        "n_docs": len(articles),
        "n_chars": int(pd.to_numeric(comparison["n_chars"]).sum()),
        "n_places": len(comparison),
        "n_prov": comparison["province"].nunique(),
        "first": years[0] if years else "?",
        "last": years[-1] if years else "?",
        "n_shown": len(list(shown)),
    }


def coverage_facts(comparison: pd.DataFrame, per_year: pd.Series) -> dict[str, Any]:
    """Fewest and most documents of a place, single-document places, busiest year.

    Args:
        comparison: city_comparison.csv rows.
        per_year: :func:`citytext.compare.docs_per_year`.

    Returns:
        ``lo``, ``hi``, ``single`` (places with one document), ``n`` (places),
        ``year`` (the busiest, "?" when none) and ``year_docs``.
    """
    n_docs = pd.to_numeric(comparison["n_docs"])
    return {
        "lo": int(n_docs.min()),
        "hi": int(n_docs.max()),
        "single": int((n_docs == 1).sum()),
        "n": len(comparison),
        "year": str(per_year.idxmax()) if len(per_year) else "?",
        "year_docs": int(per_year.max()) if len(per_year) else 0,
    }


def mechanism_facts(matrix: pd.DataFrame) -> dict[str, Any] | None:
    """The most widespread and rarest mechanism and the densest place.

    Args:
        matrix: A place × mechanism rate matrix
            (:func:`citytext.compare.mechanism_matrix`, rows the places shown).

    Returns:
        ``m1`` (mechanism named by most places) and ``n1`` (those places),
        ``m2``/``n2`` (the rarest mechanism that occurs), ``n`` (places),
        ``top_place`` (highest total rate) and ``rate`` (that total);
        ``None`` when no place of the matrix names any mechanism.
    """
    using = (matrix > 0).sum().sort_values(ascending=False, kind="mergesort")
    present = using[using > 0]
    if present.empty:
        return None
    totals = matrix.sum(axis=1)
    return {
        "m1": present.index[0],
        "n1": int(present.iloc[0]),
        "m2": present.index[-1],
        "n2": int(present.iloc[-1]),
        "n": len(matrix),
        "top_place": totals.idxmax(),
        "rate": float(totals.max()),
    }


def topic_leaders(shares: pd.DataFrame) -> str:
    """``topic → place`` for each topic's largest share, joined by "; "."""
    return "; ".join(f"{t} → {p}" for t, p in shares.idxmax().items())


def topic_mix_facts(
    topic_long: pd.DataFrame | None, comparison: pd.DataFrame
) -> dict[str, Any] | None:
    """Topic by topic, the place with the largest share.

    Args:
        topic_long: city_topic_shares.csv rows, or ``None``.
        comparison: city_comparison.csv rows.

    Returns:
        ``peaks`` (:func:`topic_leaders` over every place); ``None`` without
        topic shares.
    """
    shares = topic_mix(topic_long, comparison)
    if shares.empty:
        return None
    return {"peaks": topic_leaders(shares)}


def comparable_measure_count(claims: pd.DataFrame, *, min_places: int = 2) -> int:
    """Category–unit pairs of city_claims.csv reported by ``min_places`` or more."""
    if claims.empty:
        return 0
    places = claims.groupby(["category", "unit_std"])["city"].nunique()
    return int(places.ge(min_places).sum())


def claims_facts(
    claims: pd.DataFrame, comparable: pd.DataFrame, *, min_places: int = 2
) -> dict[str, Any] | None:
    """How many category–unit pairs several places report, and how many are drawn.

    Args:
        claims: city_claims.csv rows.
        comparable: :func:`citytext.compare.comparable_claims` (the rows
            drawn, with ``measure``).
        min_places: Places a pair needs.

    Returns:
        ``n`` (pairs reported by ``min_places`` places or more) and ``k``
        (measures drawn); ``None`` when nothing is comparable.
    """
    if comparable.empty:
        return None
    return {
        "n": comparable_measure_count(claims, min_places=min_places),
        "k": int(comparable["measure"].nunique()),
    }


def rank_agreement(similarity_rows: pd.DataFrame, a: str, b: str) -> float:
    """Spearman correlation of two similarity columns over all pairs.

    Returns:
        The correlation; ``NaN`` when it is undefined (a constant column or
        fewer than two pairs), never a made-up 0.
    """
    if len(similarity_rows) < 2:
        return math.nan
    rho = similarity_rows[[a, b]].corr(method="spearman").iloc[0, 1]
    return float(rho)


def similarity_facts(similarity_rows: pd.DataFrame) -> dict[str, Any] | None:
    """The most similar pair of places by text, and how text and mechanisms agree.

    Args:
        similarity_rows: city_similarity.csv rows.

    Returns:
        ``a`` and ``b`` (the pair), ``t`` (its text cosine), ``m`` (its
        mechanism cosine) and ``r`` (:func:`rank_agreement` of text and
        mechanism similarity over all pairs, ``NaN`` when undefined);
        ``None`` without a pair.
    """
    pairs = top_pairs(similarity_rows, "text_cosine", n=1)
    if pairs.empty:
        return None
    top = pairs.iloc[0]
    return {
        "a": top["city_a"],
        "b": top["city_b"],
        "t": float(top["text_cosine"]),
        "m": float(top["mechanism_cosine"]),
        "r": rank_agreement(similarity_rows, "text_cosine", "mechanism_cosine"),
    }


def reuse_facts(reuse: pd.DataFrame) -> dict[str, Any] | None:
    """How much text places share, and the longest shared passage.

    Args:
        reuse: text_reuse.csv rows.

    Returns:
        ``n`` (passages), ``pairs`` (place pairs), ``chars`` (characters of
        the longest passage) and its places ``a`` and ``b``; ``None`` when no
        passage is shared.
    """
    if reuse.empty:
        return None
    longest = longest_passages(reuse).iloc[0]
    return {
        "n": len(reuse),
        "pairs": len(reuse_summary(reuse)),
        "chars": int(longest["passage_chars"]),
        "a": longest["city_a"],
        "b": longest["city_b"],
    }


# --------------------------------------------------------------------------
# Notebook 05: one place
# --------------------------------------------------------------------------
def profile_facts(profile: CityProfile) -> dict[str, Any]:
    """The opening facts of a place's profile.

    Returns:
        ``city``, ``province``, ``level``, ``n_docs``, ``n_chars``, ``years``,
        ``mentions`` (mechanism mentions), ``rate`` (per 10,000 characters)
        and ``n_metrics`` (quantified claims).
    """
    row = profile.row
    return {
        "city": profile.city,
        "province": row["province"],
        "level": row["admin_level"],
        "n_docs": int(row["n_docs"]),
        "n_chars": int(row["n_chars"]),
        "years": row["years"],
        "mentions": int(row["mechanism_mentions"]),
        "rate": float(row["mech_per10k"]),
        "n_metrics": len(profile.metrics),
    }


def rate_extremes(rates: pd.DataFrame) -> dict[str, Any]:
    """The families a place names most above and most below the corpus rate.

    Args:
        rates: :func:`citytext.compare.family_rates` rows.

    Returns:
        ``over`` (family most above), ``over_rate`` and ``over_corpus`` (its
        rate here and in the corpus, per 10,000 characters) and ``under``
        (family most below).
    """
    gap = rates.assign(diff=rates["per_10k"] - rates["corpus_per_10k"])
    gap = gap.sort_values("diff")
    top = gap.iloc[-1]
    return {
        "over": top["family"],
        "over_rate": float(top["per_10k"]),
        "over_corpus": float(top["corpus_per_10k"]),
        "under": gap.iloc[0]["family"],
    }


def most_overrepresented(topic_mix: pd.DataFrame) -> pd.Series:
    """The topic of a profile's mix furthest above the corpus average (a row)."""
    return topic_mix.sort_values("difference").iloc[-1]


def profile_topic_facts(profile: CityProfile) -> dict[str, Any] | None:
    """The topic a place gives most room beyond the corpus average.

    Returns:
        ``label``, ``share`` (this place) and ``corpus`` (the average);
        ``None`` without topic shares.
    """
    if profile.topic_mix.empty:
        return None
    top = most_overrepresented(profile.topic_mix)
    return {
        "label": top["label"],
        "share": float(top["share"]),
        "corpus": float(top["corpus"]),
    }


def profile_similar_facts(profile: CityProfile) -> dict[str, Any] | None:
    """The place most similar to this one by text.

    Returns:
        ``other`` and ``t`` (text cosine); ``None`` without another place.
    """
    if profile.similar.empty:
        return None
    top = profile.similar.iloc[0]
    return {"other": top["city_b"], "t": float(top["text_cosine"])}
