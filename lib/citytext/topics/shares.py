"""Topic shares by place and by year: who emphasises what, and what changed.

What belongs here: tables built from doc_topics.csv, articles.csv and
topics.csv that notebooks 02 and 04 show as figures: the share of each topic
per place and per year, the change between the first and the last year, the
topics a place stresses more than the corpus does, trends over an ordered
column and each group's leading topic. DataFrames in, DataFrames out; no
file access and no fitting.

Shares are means of the units' topic weights, each unit's weights
renormalised to sum 1 (doc_topics.csv omits weights below 0.01), so a
place's or a year's shares sum to 1. Paragraphs left out of fitting
(procedural, headings) carry no weights and do not count.

Emphasis is the lift of a place's share over the share of the whole corpus
(``share / corpus share``): 2.0 means the place gives the topic twice the
room the average paragraph does. Places with fewer than ``min_units``
paragraphs are left out of emphasis tables, because a lift on a handful of
paragraphs is noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from citytext.topics.summaries import group_shares, normalise_rows

DECIMALS = 4


def unit_weights(doc_topics: pd.DataFrame) -> pd.DataFrame:
    """Units × topics weights as written (doc_topics omits small weights).

    Args:
        doc_topics: doc_topics.csv rows (doc_id, para_id, topic_id, weight).

    Returns:
        One row per (doc_id, para_id), one column per topic id ``0 … k-1``.
    """
    dt = doc_topics.assign(
        weight=doc_topics["weight"].astype(float),
        topic_id=doc_topics["topic_id"].astype(int),
    )
    wide = dt.pivot_table(
        index=["doc_id", "para_id"], columns="topic_id", values="weight",
        aggfunc="sum", fill_value=0.0,
    )  # fmt: skip
    k = int(dt["topic_id"].max()) + 1 if len(dt) else 0
    return wide.reindex(columns=range(k), fill_value=0.0)


def _wide(doc_topics: pd.DataFrame) -> pd.DataFrame:
    """Units × topics weights, each row renormalised to sum 1."""
    wide = unit_weights(doc_topics)
    sums = wide.sum(axis=1).replace(0.0, 1.0)
    return wide.div(sums, axis=0)


def shares_long(
    doc_topics: pd.DataFrame,
    articles: pd.DataFrame,
    topics: pd.DataFrame,
    by: list[str],
) -> pd.DataFrame:
    """Return topic shares per group of article columns, one row per (group, topic).

    Args:
        doc_topics: doc_topics.csv rows.
        articles: articles.csv rows with ``doc_id`` and the ``by`` columns.
        topics: topics.csv rows (topic_id, label).
        by: Article columns to group by, e.g. ``["city"]``, ``["year"]`` or
            ``["city", "year"]``; rows with an empty value are left out.

    Returns:
        Columns ``by`` …, n_units, topic_id, label, share; sorted by the
        groups then topic_id.
    """
    wide = _wide(doc_topics)
    meta = articles[["doc_id", *by]].drop_duplicates("doc_id").astype(str)
    units = wide.reset_index()[["doc_id"]].merge(meta, on="doc_id", how="left")
    keep = units[by].fillna("").ne("").all(axis=1).to_numpy()
    data = wide.to_numpy()[keep]
    groups = units.loc[keep, by].reset_index(drop=True)
    frame = pd.concat([groups, pd.DataFrame(data)], axis=1)
    mean = frame.groupby(by, sort=True).mean()
    size = frame.groupby(by, sort=True).size().rename("n_units")
    out = mean.reset_index().melt(id_vars=by, var_name="topic_id", value_name="share")
    out = out.merge(size.reset_index(), on=by)
    labels = dict(zip(topics["topic_id"].astype(int), topics["label"], strict=True))
    out["topic_id"] = out["topic_id"].astype(int)
    out["label"] = out["topic_id"].map(labels).fillna("")
    out["share"] = out["share"].round(DECIMALS)
    cols = [*by, "n_units", "topic_id", "label", "share"]
    return out[cols].sort_values([*by, "topic_id"]).reset_index(drop=True)


def year_change(shares_by_year: pd.DataFrame) -> pd.DataFrame:
    """Compare each topic's share in the first and the last year.

    Args:
        shares_by_year: :func:`shares_long` output with ``by=["year"]``.

    Returns:
        One row per topic: topic_id, label, first_year, last_year, share_first,
        share_last, change (percentage points, last − first) and ratio
        (last / first); sorted by change, largest rise first. Empty when
        fewer than two years are present.
    """
    years = sorted(shares_by_year["year"].unique(), key=str)
    cols = ["topic_id", "label", "first_year", "last_year", "share_first",
            "share_last", "change", "ratio"]  # fmt: skip
    if len(years) < 2:
        return pd.DataFrame(columns=cols)
    first, last = years[0], years[-1]
    a = shares_by_year[shares_by_year["year"] == first].set_index("topic_id")
    b = shares_by_year[shares_by_year["year"] == last].set_index("topic_id")
    out = pd.DataFrame(
        {
            "label": a["label"],
            "first_year": first,
            "last_year": last,
            "share_first": a["share"],
            "share_last": b["share"].reindex(a.index).fillna(0.0),
        }
    )
    out["change"] = ((out["share_last"] - out["share_first"]) * 100).round(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = out["share_last"] / out["share_first"].replace(0.0, np.nan)
    out["ratio"] = ratio.round(3)
    out = out.reset_index().sort_values(["change", "topic_id"], ascending=[False, True])
    return out[cols].reset_index(drop=True)


def emphasis(
    shares_by_place: pd.DataFrame, corpus_shares: pd.Series, *, min_units: int = 30
) -> pd.DataFrame:
    """Return each place's topic shares with their lift over the corpus share.

    Args:
        shares_by_place: :func:`shares_long` output with ``by=["city"]``.
        corpus_shares: Corpus share per topic_id (topics.csv ``share``).
        min_units: Places with fewer paragraphs are left out.

    Returns:
        Columns city, n_units, topic_id, label, share, lift; sorted by
        topic_id then lift (largest first) then city.
    """
    s = shares_by_place[shares_by_place["n_units"] >= min_units].copy()
    base = s["topic_id"].map(corpus_shares.astype(float))
    s["lift"] = (s["share"] / base.replace(0.0, np.nan)).round(3)
    return s.sort_values(
        ["topic_id", "lift", "city"], ascending=[True, False, True]
    ).reset_index(drop=True)


def leaders(emph: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Return the ``n`` places with the largest lift for each topic.

    Args:
        emph: :func:`emphasis` output.
        n: Places per topic.

    Returns:
        One row per topic: topic_id, label, places (``place (lift×)``
        joined with 、).
    """
    rows = []
    for (tid, label), g in emph.groupby(["topic_id", "label"], sort=True):
        top = g.head(n)
        pairs = zip(top["city"], top["lift"], strict=True)
        places = "、".join(f"{c} ({v:.1f}×)" for c, v in pairs)
        rows.append({"topic_id": int(tid), "label": label, "places": places})
    return pd.DataFrame(rows, columns=["topic_id", "label", "places"])


def matrix(long: pd.DataFrame, index: str, value: str = "share") -> pd.DataFrame:
    """Pivot a long share table into ``index`` × topic label (for heatmaps).

    Args:
        long: :func:`shares_long` or :func:`emphasis` output.
        index: The row column (``city`` or ``year``).
        value: The cell column (``share`` or ``lift``).

    Returns:
        A wide table, columns ordered by topic_id.
    """
    order = long.drop_duplicates("topic_id").sort_values("topic_id")["label"].tolist()
    wide = long.pivot_table(index=index, columns="label", values=value, sort=True)
    return wide.reindex(columns=order)


def lift_matrix(emph: pd.DataFrame, n_places: int) -> pd.DataFrame:
    """Return the place × topic lift matrix of the places with most paragraphs.

    Args:
        emph: :func:`emphasis` output.
        n_places: Places kept: those with the most units (ties by name).

    Returns:
        :func:`matrix` of ``lift``, one row per kept place, largest first.
    """
    sizes = emph.drop_duplicates("city").sort_values(
        ["n_units", "city"], ascending=[False, True]
    )
    shown = sizes["city"].head(n_places).tolist()
    return matrix(emph[emph["city"].isin(shown)], "city", "lift").loc[shown]


def place_year_change(shares_by_place_year: pd.DataFrame) -> pd.DataFrame:
    """Return each place's change in topic share between its first and last year.

    Args:
        shares_by_place_year: :func:`shares_long` output with
            ``by=["city", "year"]``.

    Returns:
        Columns city, topic_id, label, first_year, last_year, share_first,
        share_last, change (percentage points); only places with at least two
        years; sorted by city then topic_id.
    """
    rows = []
    for city, g in shares_by_place_year.groupby("city", sort=True):
        ch = year_change(g.drop(columns="city"))
        if not ch.empty:
            rows.append(ch.assign(city=city))
    cols = ["city", "topic_id", "label", "first_year", "last_year", "share_first",
            "share_last", "change"]  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.concat(rows, ignore_index=True)[cols]
    return out.sort_values(["city", "topic_id"]).reset_index(drop=True)


def shares_by(
    doc_topics: pd.DataFrame, articles: pd.DataFrame, by: str = "year"
) -> pd.DataFrame:
    """Return the mean topic weights per value of an article column.

    Args:
        doc_topics: doc_topics.csv rows (doc_id, para_id, topic_id, weight).
        articles: Articles with ``doc_id`` and the ``by`` column.
        by: Article column to group by (``year``, ``city``, ``province`` …).

    Returns:
        Columns ``by``, ``n_units``, ``topic_0`` …; each unit's weights are
        renormalised to sum 1 first (doc_topics omits weights below
        :data:`citytext.topics.summaries.MIN_WEIGHT`). Rows whose ``by``
        value is empty are left out.
    """
    wide = unit_weights(doc_topics)
    values = normalise_rows(wide.to_numpy())
    units = wide.index.to_frame(index=False)
    meta = articles[["doc_id", by]].drop_duplicates("doc_id").astype({by: str})
    units = units.merge(meta, on="doc_id", how="left", validate="m:1")
    keep = units[by].fillna("").astype(str).str.len().gt(0).to_numpy()
    return group_shares(units[keep].reset_index(drop=True), values[keep], by)


def trends(
    shares: pd.DataFrame, topics: pd.DataFrame, by: str = "year"
) -> pd.DataFrame:
    """Summarise how each topic's share moves along an ordered column.

    Args:
        shares: Output of :func:`shares_by` (one row per year).
        topics: topics.csv rows (topic_id, label).
        by: The ordered column (numeric, e.g. ``year``).

    Returns:
        One row per topic: topic_id, label, early (mean share over the first
        third of the rows), late (last third), change (late − early), corr
        (Pearson correlation of share with ``by``), peak (the ``by`` value of
        the highest share); sorted by change, largest rise first. No rows
        when ``shares`` has none.
    """
    cols = ["topic_id", "label", "early", "late", "change", "corr", "peak"]
    if shares.empty:
        return pd.DataFrame(columns=cols)
    s = shares.copy()
    s["_x"] = pd.to_numeric(s[by], errors="coerce")
    s = s.dropna(subset=["_x"]).sort_values("_x")
    third = max(1, len(s) // 3)
    rows = []
    for _, t in topics.iterrows():
        col = f"topic_{int(t['topic_id'])}"
        y = s[col].to_numpy(dtype=float)
        x = s["_x"].to_numpy(dtype=float)
        corr = float(np.corrcoef(x, y)[0, 1]) if len(s) > 2 and y.std() > 0 else 0.0
        early, late = float(y[:third].mean()), float(y[-third:].mean())
        rows.append(
            {"topic_id": int(t["topic_id"]), "label": t["label"],
             "early": early, "late": late, "change": late - early, "corr": corr,
             "peak": s[by].iloc[int(np.argmax(y))]}
        )  # fmt: skip
    out = pd.DataFrame(rows).sort_values(
        ["change", "topic_id"], ascending=[False, True]
    )
    return out.round(DECIMALS).reset_index(drop=True)


def leading_topics(
    shares: pd.DataFrame, topics: pd.DataFrame, by: str = "city"
) -> pd.DataFrame:
    """Return each group's leading topic from a group × topic share matrix.

    Args:
        shares: city_topics.csv layout (``by``, n_units, topic_0 …).
        topics: topics.csv rows (topic_id, label).
        by: The grouping column.

    Returns:
        Columns ``by``, n_units, topic_id, label, share, runner_up (label of
        the second topic), sorted by ``by``.
    """
    cols = [c for c in shares.columns if str(c).startswith("topic_")]
    labels = dict(zip(topics["topic_id"].astype(int), topics["label"], strict=True))
    rows = []
    for _, row in shares.iterrows():
        vals = row[cols].astype(float).to_numpy()
        order = np.lexsort((np.arange(len(vals)), -vals))
        first = int(cols[order[0]].split("_")[1])
        second = int(cols[order[1]].split("_")[1]) if len(order) > 1 else first
        share = round(float(vals[order[0]]), DECIMALS)
        rows.append(
            {by: row[by], "n_units": int(row["n_units"]), "topic_id": first,
             "label": labels.get(first, ""), "share": share,
             "runner_up": labels.get(second, "")}
        )  # fmt: skip
    return pd.DataFrame(rows)
