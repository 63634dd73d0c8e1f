"""Notebook-ready views of the comparison tables, and one place's profile.

What belongs here: the small tables the notebooks show, computed from the
comparison stage's tables: places chosen and labelled for a figure
(:func:`select_places`, :func:`place_labels`), coverage
(:func:`docs_per_place`), a square matrix cut to the places shown
(:func:`submatrix`), mechanism rates by year and family
(:func:`family_timeline`, :func:`timeline_matrix`), the topic mix per place or
province (:func:`topic_mix`), similar pairs (:func:`top_pairs`), shared
passages (:func:`reuse_summary`, :func:`reuse_bars`), and everything notebook
05 shows about one place (:func:`city_profile`, given the tables; reading them
from a run directory is :func:`citytext.runfiles.read_profile_tables`). The
numbers the notebooks' sentences quote are :mod:`citytext.compare.facts`.

Tables in, tables out; no file access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from citytext.compare import campaigns as campaign_tables
from citytext.compare.articles import PLACE_SUFFIX_RE, usable_articles
from citytext.compare.features import claims_table
from citytext.compare.mechanisms import families
from citytext.compare.reuse import REUSE_COLUMNS


# --------------------------------------------------------------------------
# Timeline and province views
# --------------------------------------------------------------------------
def family_timeline(hits: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Mechanism mentions per family and year, per 10,000 characters of that year.

    Args:
        hits: :func:`citytext.compare.mechanism_hits` rows.
        articles: The output of :func:`citytext.compare.usable_articles`.

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
# Notebook 04: facts and figure tables
# --------------------------------------------------------------------------
def place_labels(comparison: pd.DataFrame) -> dict[str, str]:
    """Each place's label with its document count (``鸡西 (2篇)``), by place."""
    places = list(comparison["city"])
    return dict(zip(places, label_with_docs(places, comparison), strict=True))


def docs_per_place(
    comparison: pd.DataFrame, places: list[str], labels: dict[str, str]
) -> pd.Series:
    """Documents of the given places, in that order, indexed by their labels."""
    return comparison.set_index("city").loc[places, "n_docs"].rename(index=labels)


def submatrix(matrix: pd.DataFrame, places: list[str]) -> pd.DataFrame:
    """A square place × place matrix cut to ``places`` (rows and columns, in order)."""
    return matrix.loc[places, places]


def docs_per_year(coverage: pd.DataFrame) -> pd.Series:
    """Documents per year from coverage.csv rows (places pooled)."""
    return coverage.groupby("year")["n_docs"].sum()


def topic_mix(
    topic_long: pd.DataFrame | None,
    comparison: pd.DataFrame,
    *,
    places: list[str] | None = None,
    by: str = "city",
) -> pd.DataFrame:
    """Topic shares as a place (or province) × topic label matrix.

    Args:
        topic_long: city_topic_shares.csv rows (``city``, ``label``, ``share``),
            or ``None`` when the topic stage has not run.
        comparison: city_comparison.csv rows (for ``province``).
        places: For ``by="city"``: the places to keep, in this order (those
            without shares are left out); default every place.
        by: ``"city"`` or ``"province"`` (the mean over the province's places).

    Returns:
        Shares, one row per place or province, one column per topic label (no
        rows without topic shares).
    """
    if topic_long is None or topic_long.empty:
        return pd.DataFrame()
    shares = topic_long.pivot_table(index="city", columns="label", values="share")
    if by == "province":
        province = comparison.set_index("city")["province"]
        return shares.join(province).groupby("province").mean()
    if places is None:
        return shares
    return shares.loc[[p for p in places if p in shares.index]]


def timeline_matrix(timeline: pd.DataFrame) -> pd.DataFrame:
    """:func:`family_timeline` as a year × family matrix of rates per 10,000 chars.

    Rows are labelled with the year's documents (``2022 (12篇)``); families are
    ordered by their total rate, highest first.
    """
    docs = timeline.groupby("year")["n_docs"].first()
    wide = timeline.pivot_table(index="year", columns="family", values="per_10k")
    wide.index = [f"{y} ({docs[y]}篇)" for y in wide.index]
    return wide[wide.sum().sort_values(ascending=False).index]


def distinctive_panels(
    distinctive: pd.DataFrame,
    places: list[str],
    labels: dict[str, str],
    *,
    n_terms: int,
    n_places: int,
) -> pd.DataFrame:
    """Distinctive terms of the first ``n_places`` of ``places`` that have any.

    Args:
        distinctive: distinctive_terms.csv rows.
        places: Places in display order.
        labels: Place labels (:func:`place_labels`).
        n_terms: Terms kept per place (by rank).
        n_places: Places (panels) kept.

    Returns:
        The rows kept, with a ``place`` column (the label), panels in the
        order of ``places``.
    """
    dist = distinctive[pd.to_numeric(distinctive["rank"]) <= n_terms]
    panels = [p for p in places if p in set(dist["city"])][:n_places]
    sub = dist[dist["city"].isin(panels)].assign(place=lambda d: d["city"].map(labels))
    return sub.set_index("place").loc[[labels[p] for p in panels]].reset_index()


def reuse_bars(summary: pd.DataFrame, labels: dict[str, str], n: int) -> pd.Series:
    """Shared characters of the first ``n`` place pairs of :func:`reuse_summary`.

    Indexed by ``label a ↔ label b``; empty when no passage is shared.
    """
    top = summary.head(n)
    if top.empty:
        return pd.Series(dtype=float, name="shared_chars")
    pair = top["city_a"].map(labels) + " ↔ " + top["city_b"].map(labels)
    return top.set_index(pair)["shared_chars"]


def longest_passages(reuse: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """text_reuse.csv rows, longest passage first (the first ``n``)."""
    out = reuse.sort_values("passage_chars", ascending=False)
    return out if n is None else out.head(n)


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
        claims: Its :func:`citytext.compare.claims_table` rows.
        topic_mix: ``topic_id``, ``label``, ``share`` (this place) and
            ``corpus`` (the corpus average), ``difference``.
        similar: Most similar places (city_similarity.csv rows).
        distinctive: Its distinctive_terms.csv rows.
        reuse: text_reuse.csv rows involving it.
        row: Its city_comparison.csv row.
        mechanism_rates: :func:`family_rates` for it.
        campaigns: Its campaigns.csv rows, most mentioned first.
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
    campaigns: pd.DataFrame


def resolve_city(city: str, known: Iterable[str]) -> str:
    """Return the known place matching ``city`` (exact, or without 市/区/县 suffix).

    Raises:
        ValueError: Naming the known places when ``city`` matches none.
    """
    known = sorted(set(known))
    if city in known:
        return city
    stem = PLACE_SUFFIX_RE.sub("", city.strip())
    matches = [k for k in known if PLACE_SUFFIX_RE.sub("", k) == stem]
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


def city_profile(
    city: str,
    *,
    articles: pd.DataFrame,
    mechanisms: pd.DataFrame,
    comparison: pd.DataFrame,
    metrics: pd.DataFrame,
    topic_shares: pd.DataFrame | None = None,
    similarity: pd.DataFrame | None = None,
    distinctive: pd.DataFrame | None = None,
    reuse: pd.DataFrame | None = None,
    campaigns: pd.DataFrame | None = None,
    n_similar: int = 10,
) -> CityProfile:
    """Cut the comparison stage's tables down to one place's profile.

    The keyword names are those of
    :func:`citytext.runfiles.read_profile_tables`, so a profile is
    ``city_profile(city, **read_profile_tables(run_dir))``.

    Args:
        city: A place as in articles.csv (``鸡西``; ``鸡西市`` also matches).
        articles: articles.csv rows.
        mechanisms: mechanisms.csv rows.
        comparison: city_comparison.csv rows.
        metrics: metrics.csv rows (empty when the metrics stage has not run).
        topic_shares: city_topic_shares.csv rows, or ``None``.
        similarity: city_similarity.csv rows, or ``None``.
        distinctive: distinctive_terms.csv rows, or ``None``.
        reuse: text_reuse.csv rows, or ``None``.
        campaigns: campaigns.csv rows, or ``None``.
        n_similar: Number of most similar places.

    Returns:
        The :class:`CityProfile`.

    Raises:
        ValueError: If ``city`` is not a place of the corpus (the message lists
            the known places).
    """
    usable = usable_articles(articles)
    city = resolve_city(city, usable["place"])
    mine = usable[usable["place"] == city]
    meta_cols = [c for c in usable.columns if c not in {"text", "place"}]
    my_metrics = metrics[metrics["doc_id"].isin(set(mine["doc_id"]))]
    if topic_shares is not None:
        topic_shares = topic_shares.assign(share=pd.to_numeric(topic_shares["share"]))
    return CityProfile(
        city=city,
        articles=mine[meta_cols].reset_index(drop=True),
        mechanisms=mechanisms[mechanisms["city"] == city].reset_index(drop=True),
        metrics=my_metrics.reset_index(drop=True),
        claims=claims_table(my_metrics, usable),
        topic_mix=_topic_mix(topic_shares, city),
        similar=_rows_for(similarity, "city_a", city).head(n_similar),
        distinctive=_rows_for(distinctive, "city", city),
        reuse=_reuse_for(reuse, city),
        row=comparison[comparison["city"] == city].iloc[0],
        mechanism_rates=family_rates(mechanisms, comparison, city),
        campaigns=campaign_tables.of_place(campaigns, city),
    )


def _rows_for(df: pd.DataFrame | None, col: str, city: str) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame()
    return df[df[col] == city].reset_index(drop=True)


def _reuse_for(df: pd.DataFrame | None, city: str) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame(columns=REUSE_COLUMNS)
    return df[(df["city_a"] == city) | (df["city_b"] == city)].reset_index(drop=True)
