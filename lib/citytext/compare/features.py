"""Per-place features: topic shares, claimed quantities and city_comparison.csv.

What belongs here: topic shares per place from doc_topics.csv or
city_topics.csv (:func:`topic_shares`, :func:`normalise_city_topics`), the
unit-safe summary of claimed quantities (:func:`claims_table`,
:func:`comparable_claims`) and the one-row-per-place feature table
(:func:`city_comparison`).
"""

from __future__ import annotations

import pandas as pd

from citytext.compare.articles import attach_place, usable_articles
from citytext.compare.mechanisms import families

#: Units whose amounts may be added up within one category (never across units).
NON_ADDITIVE_UNITS = frozenset({"", "%", "百分点", "‰", "倍", "成", "位", "名次"})
_TRUE = frozenset({"true", "1", "yes", "y", "t"})


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
    dt = attach_place(doc_topics, articles)
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
    df = attach_place(metrics, articles)
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
