"""Notebook-ready views of the topic tables, and the facts written about them.

What belongs here: what notebooks 02 and 04 show about a fit, computed from
topics.csv, doc_topics.csv, articles.csv and topic_selection.csv rows: the
shares per year and their trends (:func:`year_shares`,
:func:`trend_highlights`), the first year against the last, for the corpus
and for each place (:func:`first_last_change`, :func:`topic_years`), the
places that stress a topic (:func:`place_emphasis`), and the numbers and
names a sentence about them needs (the ``*_facts`` functions: a dict, or
``None`` when there is nothing to say, e.g. fewer than two years). The
computing is :mod:`citytext.topics.shares`; this module only puts it
together. DataFrames in, DataFrames (or dicts) out; no file access.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from citytext.topics.shares import (
    emphasis,
    matrix,
    place_year_change,
    shares_by,
    shares_long,
    year_change,
)

#: Years a trend needs at least (with fewer, early and late thirds overlap).
MIN_TREND_YEARS = 3
#: Rows of the largest place moves that notebook 04 lists.
MOVES_SHOWN = 30
#: Columns of :func:`trend_highlights`.
HIGHLIGHT_COLUMNS = ["word", "label", "early", "late", "corr", "peak"]


def label_map(topics: pd.DataFrame) -> dict[int, str]:
    """``{topic_id: label}`` of topics.csv rows (for figure columns)."""
    return dict(zip(topics["topic_id"].astype(int), topics["label"], strict=True))


def _has_years(articles: pd.DataFrame) -> bool:
    years = articles["year"] if "year" in articles else pd.Series(dtype=str)
    return bool(years.astype(str).str.len().gt(0).any())


def _usable(doc_topics: pd.DataFrame | None, topics: pd.DataFrame | None) -> bool:
    return (
        doc_topics is not None
        and topics is not None
        and not doc_topics.empty
        and not topics.empty
    )


# --------------------------------------------------------------------------
# The fit (notebook 02)
# --------------------------------------------------------------------------
def sweep_facts(selection: pd.DataFrame) -> dict[str, Any] | None:
    """The k sweep in numbers: range tried, the chosen k and its scores.

    Args:
        selection: topic_selection.csv rows (empty when k was given).

    Returns:
        ``lo``/``hi`` (k tried), ``k`` (chosen) with its ``coh``, ``div``,
        ``stab``, ``q`` and ``top`` (largest share), ``n_ok`` (eligible
        candidates) of ``n``, and ``best``/``best_k`` (the best NPMI of any
        k); ``None`` when no sweep was run.
    """
    if selection.empty:
        return None
    chosen = selection[selection["chosen"].astype(bool)].iloc[0]
    best = selection.loc[selection["coherence"].astype(float).idxmax()]
    return {
        "lo": int(selection["k"].min()),
        "hi": int(selection["k"].max()),
        "k": int(chosen["k"]),
        "coh": float(chosen["coherence"]),
        "div": float(chosen["diversity"]),
        "stab": float(chosen["stability"]),
        "q": float(chosen["quality"]),
        "top": float(chosen["max_share"]),
        "n_ok": int(selection["eligible"].astype(bool).sum()),
        "n": len(selection),
        "best": float(best["coherence"]),
        "best_k": int(best["k"]),
    }


def topic_facts(topics: pd.DataFrame) -> dict[str, Any]:
    """The fitted topics in numbers: size, diversity and the extremes.

    Args:
        topics: topics.csv rows (label, coherence, share, diversity).

    Returns:
        ``k``, ``div``, ``mean`` (NPMI), the largest topic ``big`` and its
        ``big_share``, the most coherent ``best`` (``best_c``), the least
        coherent ``worst`` (``worst_c``) and ``warn``, a clause for a least
        coherent topic with negative NPMI ("" otherwise).
    """
    coherence = topics["coherence"].astype(float)
    share = topics["share"].astype(float)
    best, worst = topics.loc[coherence.idxmax()], topics.loc[coherence.idxmin()]
    biggest = topics.loc[share.idxmax()]
    worst_c = float(worst["coherence"])
    return {
        "k": len(topics),
        "div": float(topics["diversity"].iloc[0]),
        "mean": float(coherence.mean()),
        "big": biggest["label"],
        "big_share": float(biggest["share"]),
        "best": best["label"],
        "best_c": float(best["coherence"]),
        "worst": worst["label"],
        "worst_c": worst_c,
        "warn": ", whose words seldom share a paragraph" if worst_c < 0 else "",
    }


def leading_facts(leading: pd.DataFrame) -> dict[str, Any] | None:
    """The most concentrated place and how many topics lead somewhere.

    Args:
        leading: :func:`citytext.topics.leading_topics` rows.

    Returns:
        ``city``, ``share`` and ``label`` of the largest leading share,
        ``n_lead`` (distinct leading topics) and ``n`` (places); ``None``
        without rows.
    """
    if leading.empty:
        return None
    top = leading.loc[leading["share"].astype(float).idxmax()]
    return {
        "city": top["city"],
        "share": float(top["share"]),
        "label": top["label"],
        "n_lead": int(leading["topic_id"].nunique()),
        "n": len(leading),
    }


# --------------------------------------------------------------------------
# Over the years
# --------------------------------------------------------------------------
def year_shares(
    doc_topics: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    min_years: int = MIN_TREND_YEARS,
) -> pd.DataFrame:
    """Topic shares per year (:func:`citytext.topics.shares_by`), if enough years.

    Args:
        doc_topics: doc_topics.csv rows.
        articles: articles.csv rows (``doc_id``, ``year``).
        min_years: Years needed; with fewer the result is empty.

    Returns:
        Columns ``year``, ``n_units``, ``topic_0`` …, one row per year; no
        rows when the articles carry fewer than ``min_years`` years.
    """
    empty = pd.DataFrame(columns=["year", "n_units"])
    if doc_topics.empty or not _has_years(articles):
        return empty
    years = shares_by(doc_topics, articles, "year")
    return years if len(years) >= min_years else empty


def trend_facts(years: pd.DataFrame) -> dict[str, Any] | None:
    """First and last year of :func:`year_shares` and how many years it has.

    Returns:
        ``y0``, ``y1`` and ``n``; ``None`` without rows.
    """
    if years.empty:
        return None
    return {
        "y0": str(years["year"].iloc[0]),
        "y1": str(years["year"].iloc[-1]),
        "n": len(years),
    }


def trend_highlights(trends: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` topics that gained most and the ``n`` that lost most.

    Args:
        trends: :func:`citytext.topics.trends` rows (largest rise first).
        n: Topics per direction.

    Returns:
        :data:`HIGHLIGHT_COLUMNS`: ``word`` (``gained`` or ``lost``), the
        topic's label, early and late share, correlation with the year and
        the peak year; gains first (largest first), then losses (largest
        first).
    """
    if trends.empty:
        return pd.DataFrame(columns=HIGHLIGHT_COLUMNS)
    gained = trends.head(n).assign(word="gained")
    lost = trends.tail(n).iloc[::-1].assign(word="lost")
    out = pd.concat([gained, lost], ignore_index=True)
    return out.assign(peak=out["peak"].astype(str))[HIGHLIGHT_COLUMNS]


def first_last_change(
    doc_topics: pd.DataFrame | None,
    articles: pd.DataFrame,
    topics: pd.DataFrame | None,
) -> pd.DataFrame:
    """Each topic's share of the fitted paragraphs in the first and the last year.

    Args:
        doc_topics: doc_topics.csv rows (or ``None``).
        articles: articles.csv rows (``doc_id``, ``year``).
        topics: topics.csv rows (``topic_id``, ``label``; or ``None``).

    Returns:
        :func:`citytext.topics.year_change` rows, largest rise first; no
        rows without topic weights or with fewer than two years.
    """
    if not _usable(doc_topics, topics) or not _has_years(articles):
        return year_change(pd.DataFrame(columns=["year"]))
    return year_change(shares_long(doc_topics, articles, topics, ["year"]))


def year_change_facts(change: pd.DataFrame) -> dict[str, Any] | None:
    """The largest rise and the largest fall of :func:`first_last_change`.

    Returns:
        ``first`` and ``last`` (the years); ``up`` (label of the largest
        rise) with ``up_first``, ``up_last`` (shares) and ``up_change``
        (points); ``down`` likewise for the largest fall; ``None`` without
        rows.
    """
    if change.empty:
        return None
    up, down = change.iloc[0], change.iloc[-1]
    return {
        "first": str(up["first_year"]),
        "last": str(up["last_year"]),
        "up": up["label"],
        "up_first": float(up["share_first"]),
        "up_last": float(up["share_last"]),
        "up_change": float(up["change"]),
        "down": down["label"],
        "down_first": float(down["share_first"]),
        "down_last": float(down["share_last"]),
        "down_change": float(down["change"]),
    }


def place_emphasis(
    doc_topics: pd.DataFrame,
    articles: pd.DataFrame,
    topics: pd.DataFrame,
    *,
    min_units: int,
) -> pd.DataFrame:
    """Each place's topic shares with their lift over the corpus share.

    Args:
        doc_topics: doc_topics.csv rows.
        articles: articles.csv rows (``doc_id``, ``city``).
        topics: topics.csv rows (``topic_id``, ``label``, ``share``).
        min_units: Places with fewer fitted paragraphs are left out.

    Returns:
        :func:`citytext.topics.emphasis` rows (no rows when no place has
        ``min_units`` paragraphs).
    """
    by_place = shares_long(doc_topics, articles, topics, ["city"])
    corpus = topics.set_index(topics["topic_id"].astype(int))["share"]
    return emphasis(by_place, corpus, min_units=min_units)


@dataclass
class TopicYears:
    """Topic shares in the first year against the last (notebook 04).

    Attributes:
        change: :func:`first_last_change` of the whole corpus (no rows with
            fewer than two years or no topic weights).
        places: Place × topic label matrix of each place's change between
            its own first and last year, in percentage points: the places
            asked for that have two years, in that order.
        moves: :func:`citytext.topics.place_year_change` rows of every place,
            largest change (either way) first, the first :data:`MOVES_SHOWN`.
        first: The corpus's first year ("" without a comparison).
        last: The corpus's last year ("" without a comparison).
        n_places: Places (of all) with documents in two years.
    """

    change: pd.DataFrame
    places: pd.DataFrame
    moves: pd.DataFrame
    first: str
    last: str
    n_places: int


def topic_years(
    articles: pd.DataFrame,
    *,
    doc_topics: pd.DataFrame | None,
    topics: pd.DataFrame | None,
    places: list[str] | None = None,
    n_moves: int = MOVES_SHOWN,
) -> TopicYears:
    """Compare topic shares between the first and the last year, overall and by place.

    The keyword names are those of
    :func:`citytext.runfiles.read_topic_weights`, so notebook 04 calls
    ``topic_years(articles, places=shown, **read_topic_weights(run_dir))``.

    Args:
        articles: Articles compared (``doc_id``, ``city``, ``year``).
        doc_topics: doc_topics.csv rows, or ``None`` (no topic stage).
        topics: topics.csv rows with integer ``topic_id``, or ``None``.
        places: Places of the place matrix, in display order (default: every
            place with two years, by name).
        n_moves: Rows of :attr:`TopicYears.moves`.

    Returns:
        The :class:`TopicYears`; empty tables when there are no topic weights
        or fewer than two years.
    """
    change = first_last_change(doc_topics, articles, topics)
    if change.empty:
        moves = place_year_change(pd.DataFrame(columns=["city", "year"]))
        return TopicYears(change, pd.DataFrame(), moves, "", "", 0)
    moved = place_year_change(
        shares_long(doc_topics, articles, topics, ["city", "year"])
    )
    have = set(moved["city"])
    shown = sorted(have) if places is None else [p for p in places if p in have]
    wide = (
        matrix(moved[moved["city"].isin(shown)], "city", "change").loc[shown]
        if shown
        else pd.DataFrame()
    )
    order = moved["change"].abs().sort_values(ascending=False, kind="mergesort").index
    return TopicYears(
        change=change,
        places=wide,
        moves=moved.reindex(order).head(n_moves).reset_index(drop=True),
        first=str(change["first_year"].iloc[0]),
        last=str(change["last_year"].iloc[0]),
        n_places=len(have),
    )


def topic_years_facts(years: TopicYears) -> dict[str, Any] | None:
    """The years compared and how many places have two of them.

    Returns:
        ``first``, ``last``, ``n_places`` (places with two years) and
        ``n_shown`` (of those, the places in the figure); ``None`` without a
        comparison.
    """
    if years.change.empty:
        return None
    return {
        "first": years.first,
        "last": years.last,
        "n_places": years.n_places,
        "n_shown": len(years.places),
    }
