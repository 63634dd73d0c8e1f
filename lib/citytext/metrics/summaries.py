"""Summaries of metrics.csv for the notebooks and profiles.

What belongs here: tables computed from the rows of metrics.csv (DataFrames
in, DataFrames out, no file access): counts per place and category or claim
type, the largest claims per unit, the rows of one claim type, the
indicators stated both as a target and as a result (GDP growth, general budget
revenue growth, per-capita disposable income growth) set side by side, and
the numbers the notebooks' sentences quote (the ``*_facts`` functions: a
dict, or ``None`` when there is nothing to say).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from citytext.metrics.claims import CLAIM_TYPES


def category_counts(df: pd.DataFrame, by: str = "city") -> pd.DataFrame:
    """Count quantities per ``by`` value and category (a wide table).

    Args:
        df: Rows of metrics.csv.
        by: Grouping column.

    Returns:
        Rows = ``by`` values, columns = categories (sorted), zeros filled.
    """
    counts = df.pivot_table(
        index=by, columns="category", values="raw", aggfunc="size", fill_value=0
    )
    counts.columns.name = None
    return counts.sort_index().reindex(sorted(counts.columns), axis=1)


def largest(df: pd.DataFrame, unit_std: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` largest quantities with one base unit, with their sentences.

    Values are only comparable within a base unit, so claims are ranked per
    unit (元, 人, 个 …), changes left out.

    Args:
        df: Rows of metrics.csv (typed, see :func:`read_metrics`).
        unit_std: The base unit to rank.
        n: How many rows.

    Returns:
        The rows, largest first (ties in document order).
    """
    rows = df[(df["unit_std"] == unit_std) & ~df["is_change"]]
    cols = ["city", "doc_id", "raw", "value", "qualifier", "subject", "period"]
    rows = rows.sort_values("value", ascending=False, kind="mergesort")
    return rows[[*cols, "sentence"]].head(n).reset_index(drop=True)


#: Indicators that reports state both as a target and as a result: the
#: subject words of each, matched on ``subject`` of a change in percent.
INDICATORS = {
    "GDP增长": ("地区生产总值", "生产总值", "国内生产总值", "GDP"),
    "一般公共预算收入增长": ("一般公共预算收入", "预算收入"),
    "居民人均可支配收入增长": ("人均可支配收入", "可支配收入"),
}
#: Words before the subject that make it a part (城镇居民…, 人均GDP) or a ratio.
_PART_OF = re.compile(r"(?:城镇|农村|城市|城乡|农民|职工|人均|单位|税收|非税)\S{0,6}$")
_CLAIM_COLUMNS = [
    "place", "indicator", "year", "claim_type", "value", "qualifier", "raw",
    "doc_id", "sentence",
]  # fmt: skip


def _require_claims(metrics: pd.DataFrame) -> None:
    missing = [c for c in ("claim_type", "period_year") if c not in metrics]
    if missing:
        raise ValueError(
            f"metrics table has no {', '.join(missing)} column: it was written by an "
            "older version; run the metric stage again"
        )


def _indicator(subject: str) -> str:
    for name, words in INDICATORS.items():
        if subject in words:
            return name
    return ""


def _places(metrics: pd.DataFrame, articles: pd.DataFrame | None) -> pd.Series:
    """The place of each metric row: city, else the article's place/province."""
    place = metrics["city"].fillna("").astype(str)
    if articles is None or articles.empty:
        return place
    cols = [c for c in ("place", "city", "prefecture", "province") if c in articles]
    names = articles[cols].fillna("").astype(str)
    first = names.apply(lambda r: next((v for v in r if v.strip()), ""), axis=1)
    by_doc = dict(zip(articles["doc_id"], first, strict=True))
    return pd.Series(
        [p or by_doc.get(d, "") for p, d in zip(place, metrics["doc_id"], strict=True)],
        index=metrics.index,
    )


def indicator_claims(
    metrics: pd.DataFrame, articles: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Targets and results of the indicators stated both ways (see INDICATORS).

    A row is a percentage change whose subject is the indicator itself (not
    an urban or rural part of it), stated as ``target`` or ``achieved`` for
    one year. When a document states the same (indicator, year, claim type)
    more than once, the first statement is kept: a report gives its headline
    figures first.

    Args:
        metrics: Rows of metrics.csv (``period_year`` numeric or text).
        articles: Optional articles.csv rows, to name the place of a document
            without a city (a province's report).

    Returns:
        Columns place, indicator, year, claim_type, value, qualifier, raw,
        doc_id, sentence; sorted by place, indicator, year, claim_type.

    Raises:
        ValueError: If ``metrics`` has no claim types (an older run).
    """
    _require_claims(metrics)
    if metrics.empty:
        return pd.DataFrame(columns=_CLAIM_COLUMNS)
    df = metrics.assign(
        place=_places(metrics, articles),
        indicator=metrics["subject"].fillna("").map(_indicator),
        year=pd.to_numeric(metrics["period_year"], errors="coerce"),
        value=pd.to_numeric(metrics["value"], errors="coerce"),
    )
    change = df["is_change"].astype(str).isin(["True", "true", "1"])
    keep = (
        (df["indicator"] != "")
        & change
        & (df["unit_std"] == "%")
        & df["claim_type"].isin(["target", "achieved"])
        & df["year"].notna()
        & (df["place"] != "")
    )
    df = df[keep]
    starts = (
        df["start"]
        if "start" in df
        else [
            str(t).find(str(r)) for t, r in zip(df["sentence"], df["raw"], strict=True)
        ]
    )
    whole = [
        not _part_of(s, int(a)) for s, a in zip(df["sentence"], starts, strict=True)
    ]
    df = df[pd.Series(whole, index=df.index, dtype=bool)]
    df = df.assign(year=df["year"].astype(int))
    df = df.drop_duplicates(["place", "indicator", "year", "claim_type", "doc_id"])
    df = df.drop_duplicates(["place", "indicator", "year", "claim_type"])
    return (
        df[_CLAIM_COLUMNS]
        .sort_values(["place", "indicator", "year", "claim_type"], kind="mergesort")
        .reset_index(drop=True)
    )


def _part_of(sentence: str, start: int) -> bool:
    """Whether the quantity's subject is qualified as a part (城镇居民人均…)."""
    head = re.split(r"[，,；;。：:]", str(sentence)[: int(start)])[-1]
    for words in INDICATORS.values():
        for w in words:
            at = head.rfind(w)
            if at >= 0:
                return bool(_PART_OF.search(head[:at]))
    return False


def target_vs_achieved(claims_rows: pd.DataFrame) -> pd.DataFrame:
    """A place's target for a year beside the result it reported for that year.

    Args:
        claims_rows: Rows of :func:`indicator_claims`.

    Returns:
        One row per (place, indicator, year) with both: place, indicator, year,
        target, target_qualifier, achieved, gap (achieved minus target, in
        percentage points), met (achieved >= target), target_doc_id,
        achieved_doc_id.
    """
    cols = [
        "place", "indicator", "year", "target", "target_qualifier", "achieved",
        "gap", "met", "target_doc_id", "achieved_doc_id",
    ]  # fmt: skip
    key = ["place", "indicator", "year"]
    t = claims_rows[claims_rows["claim_type"] == "target"]
    a = claims_rows[claims_rows["claim_type"] == "achieved"]
    both = t[[*key, "value", "qualifier", "doc_id"]].merge(
        a[[*key, "value", "doc_id"]], on=key, suffixes=("_t", "_a")
    )
    if both.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(
        {
            **{k: both[k] for k in key},
            "target": both["value_t"].astype(float),
            "target_qualifier": both["qualifier"],
            "achieved": both["value_a"].astype(float),
            "target_doc_id": both["doc_id_t"],
            "achieved_doc_id": both["doc_id_a"],
        }
    )
    out["gap"] = (out["achieved"] - out["target"]).round(4)
    out["met"] = out["achieved"] >= out["target"]
    return out[cols].sort_values(key, kind="mergesort").reset_index(drop=True)


def target_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Across places: how results compare with targets, per indicator and year.

    Args:
        pairs: Rows of :func:`target_vs_achieved`.

    Returns:
        One row per (indicator, year): places, met (count), share_met,
        median_target, median_achieved, median_gap.
    """
    cols = ["indicator", "year", "places", "met", "share_met", "median_target",
            "median_achieved", "median_gap"]  # fmt: skip
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    g = pairs.groupby(["indicator", "year"], sort=True)
    out = g.agg(
        places=("place", "size"),
        met=("met", "sum"),
        median_target=("target", "median"),
        median_achieved=("achieved", "median"),
        median_gap=("gap", "median"),
    ).reset_index()
    out["met"] = out["met"].astype(int)
    out["share_met"] = (out["met"] / out["places"]).round(4)
    return out[cols]


def claim_type_counts(metrics: pd.DataFrame, by: str = "city") -> pd.DataFrame:
    """Count quantities per ``by`` value and claim type (a wide table).

    Args:
        metrics: Rows of metrics.csv.
        by: Grouping column.

    Returns:
        Rows = ``by`` values, columns = the claim types in :data:`CLAIM_TYPES`
        order, zeros filled.
    """
    counts = pd.crosstab(metrics[by], metrics["claim_type"])
    counts = counts.reindex(columns=list(CLAIM_TYPES), fill_value=0)
    counts.columns.name = None
    return counts.sort_index()


def of_type(metrics: pd.DataFrame, claim_type: str) -> pd.DataFrame:
    """The rows of one claim type, in their order.

    Args:
        metrics: Rows of metrics.csv.
        claim_type: One of :data:`CLAIM_TYPES`.

    Returns:
        The rows.

    Raises:
        ValueError: For an unknown claim type, or a table without claim types.
    """
    if claim_type not in CLAIM_TYPES:
        raise ValueError(f"claim_type must be one of {CLAIM_TYPES}, got {claim_type!r}")
    _require_claims(metrics)
    return metrics[metrics["claim_type"] == claim_type].reset_index(drop=True)


# --------------------------------------------------------------------------
# Facts the notebooks' sentences quote: a dict, or None when there are none
# --------------------------------------------------------------------------
def overview_facts(metrics: pd.DataFrame) -> dict[str, Any]:
    """How many quantities, from how many articles and places, how hedged.

    Args:
        metrics: Rows of metrics.csv (``is_change`` boolean, as
            :func:`citytext.runfiles.read_metrics` gives it).

    Returns:
        ``n`` (quantities), ``docs``, ``cities``, ``share`` (with a
        qualifier) and ``change`` (changes rather than levels); shares are 0
        without rows.
    """
    n = len(metrics)
    return {
        "n": n,
        "docs": int(metrics["doc_id"].nunique()),
        "cities": int(metrics["city"].nunique()),
        "share": float((metrics["qualifier"] != "").mean()) if n else 0.0,
        "change": float(metrics["is_change"].astype(bool).mean()) if n else 0.0,
    }


def top_category_facts(counts: pd.DataFrame) -> dict[str, Any] | None:
    """Each place's most frequent category.

    Args:
        counts: :func:`category_counts` (rows places, columns categories).

    Returns:
        ``tops``: ``place — category`` per place, joined by ``; ``; ``None``
        without quantities.
    """
    if counts.empty or not len(counts.columns):
        return None
    top = counts.idxmax(axis=1)
    return {"tops": "; ".join(f"{city} — {cat}" for city, cat in top.items())}


def target_facts(pairs: pd.DataFrame, summary: pd.DataFrame) -> dict[str, Any] | None:
    """The indicator and year with most places that state a target and a result.

    Args:
        pairs: :func:`target_vs_achieved` rows.
        summary: :func:`target_summary` of them.

    Returns:
        ``n`` (place-years with both), ``ind`` and ``y`` (the indicator and
        year with most places), ``k`` (those places), ``met`` (of them, how
        many met the target), ``t`` and ``a`` (median target and result);
        ``None`` without pairs.
    """
    if summary.empty:
        return None
    top = summary.sort_values("places", ascending=False, kind="mergesort").iloc[0]
    return {
        "n": len(pairs),
        "ind": top["indicator"],
        "y": int(top["year"]),
        "k": int(top["places"]),
        "met": int(top["met"]),
        "t": float(top["median_target"]),
        "a": float(top["median_achieved"]),
    }


def targets_met_facts(pairs: pd.DataFrame) -> dict[str, Any] | None:
    """How many of one place's targets its later reports say it met.

    Returns:
        ``met`` and ``n`` (targets with a reported result); ``None`` without
        pairs.
    """
    if pairs.empty:
        return None
    return {"met": int(pairs["met"].astype(bool).sum()), "n": len(pairs)}


def national_target_facts(
    targets: pd.DataFrame, n_reports: int
) -> dict[str, Any] | None:
    """The national GDP growth targets in numbers.

    Args:
        targets: national_targets.csv rows as
            :func:`citytext.runfiles.read_national_targets` types them, in
            year order.
        n_reports: National reports read.

    Returns:
        ``n`` (reports with a target) of ``m``, the first year ``y0`` and its
        target ``v0``, the last ``y1`` and ``v1``, the highest target ``hi``
        and ``hedged`` (targets with a qualifier); ``None`` without targets.
    """
    if targets.empty:
        return None
    first, last = targets.iloc[0], targets.iloc[-1]
    return {
        "n": len(targets),
        "m": n_reports,
        "y0": int(first["year"]),
        "v0": float(first["low"]),
        "y1": int(last["year"]),
        "v1": float(last["low"]),
        "hi": float(targets["high"].max()),
        "hedged": int((targets["qualifier"] != "").sum()),
    }
