"""Choosing k and naming topics: the rules a reader can check.

What belongs here: the rule that picks the number of topics from the sweep
table, the share of units each topic holds, the labels shown to readers, and
matching topics against a reader's list of policy areas. Fitting models and
computing the quality numbers is :mod:`citytext.topics`; this module takes
their tables and arrays and imports nothing from the package.

The k rule (``k="auto"``)
    Every candidate k is fitted on the sweep sample and scored by coherence
    (mean NPMI of top-10 word pairs), diversity (share of distinct words among
    all top-10 lists), stability (matched Jaccard against refits on 80 %
    subsamples) and ``max_share``, the largest share of units any one topic
    holds (the mean of the units' normalised weights).

    1. A k is *eligible* when no topic holds more than :data:`MAX_SHARE` of
       the units (a topic that takes a fifth of a corpus is "development in
       general", not something a reader can use) and its stability is at
       least :data:`STABILITY_FLOOR`.
    2. Among the eligible k, take the largest quality
       ``(coherence + 1) / 2 * diversity`` (NPMI rescaled to [0, 1] times
       diversity, after Dieng, Ruiz and Blei 2020); ties go to the smaller k.
    3. If no k is eligible, the same choice is made among the k that meet the
       share cap (stability not reached); if none meets the cap, the k with
       the smallest ``max_share`` is taken (ties: larger quality, then smaller
       k), so the reader gets the least dominated set of topics available.

    The cap cannot be met by fewer than ``1 / MAX_SHARE`` topics; on a handful
    of articles the sweep still prefers the least dominated k.

Labels
    A label is two of the topic's top-10 terms joined by ``·``, chosen from
    the terms that occur in its most representative unit (top-term order),
    then the other top terms. Topics are labelled in order of share, largest
    first; the first term of a label is never the first term of an earlier
    label. The second term neither contains nor is contained in the first,
    and a compound of three or more characters (老旧小区, 营商环境, 专精特新)
    is preferred to a two-character word, because it says more about the
    topic, as long as the label stays within ten characters (a companion
    that keeps it short is always preferred). If two labels still coincide,
    a third term is added.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: Largest share of units one topic may hold for its k to be eligible.
MAX_SHARE = 0.20
#: Smallest stability (matched top-word Jaccard) for a k to be eligible.
STABILITY_FLOOR = 0.5
#: Top terms a label and an area match look at.
N_TOP = 10
LABEL_TERMS = 2
#: A companion term this long (a compound such as 老旧小区) is preferred.
COMPOUND_CHARS = 3
#: Companions that keep the label within this many characters come first.
MAX_LABEL_CHARS = 10
SEPARATOR = "·"


# --------------------------------------------------------------------------
# Shares and the k rule
# --------------------------------------------------------------------------
def topic_shares(weights: np.ndarray) -> np.ndarray:
    """Return each topic's share of units: the mean of normalised unit weights.

    Args:
        weights: Units × topics non-negative weights (rows need not sum to 1).

    Returns:
        One share per topic; units without any weight are left out, so the
        shares sum to 1 (all zeros when no unit has a weight).
    """
    w = np.asarray(weights, dtype=float)
    sums = w.sum(axis=1)
    keep = sums > 0
    if not keep.any():
        return np.zeros(w.shape[1])
    return (w[keep] / sums[keep, np.newaxis]).mean(axis=0)


def quality(coherence: float, diversity: float) -> float:
    """Return ``(coherence + 1) / 2 * diversity`` (NaN coherence counts as -1)."""
    c = -1.0 if coherence is None or np.isnan(coherence) else coherence
    return (c + 1.0) / 2.0 * diversity


def mark_eligible(table: pd.DataFrame) -> pd.DataFrame:
    """Add ``meets_cap`` and ``eligible`` columns to a sweep table.

    Args:
        table: One row per k with ``max_share`` and ``stability``.

    Returns:
        A copy with the two boolean columns (see the module docstring).
    """
    out = table.copy()
    out["meets_cap"] = out["max_share"] <= MAX_SHARE + 1e-9
    out["eligible"] = out["meets_cap"] & (out["stability"] >= STABILITY_FLOOR)
    return out


def choose_k(table: pd.DataFrame) -> int:
    """Return the row index of the chosen k (the rule of the module docstring).

    Args:
        table: Sweep rows with k, quality, stability and max_share.

    Returns:
        The index label of the chosen row.

    Raises:
        ValueError: For an empty table.
    """
    if table.empty:
        raise ValueError("the k sweep is empty")
    t = mark_eligible(table)
    for pool in (t[t["eligible"]], t[t["meets_cap"]]):
        if not pool.empty:
            best = pool["quality"].max()
            return int(pool[pool["quality"] >= best - 1e-9].sort_values("k").index[0])
    ranked = t.assign(_q=-t["quality"]).sort_values(["max_share", "_q", "k"])
    return int(ranked.index[0])


# --------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------
def _candidates(terms: Sequence[str], text: str) -> list[str]:
    """Top terms found in the representative text first, then the others."""
    top = list(terms[:N_TOP])
    inside = [t for t in top if t in text]
    return inside + [t for t in top if t not in inside]


def _label(cands: list[str], used_first: set[str]) -> list[str]:
    """Pick the label's terms: a first term not used before, then a companion."""
    if not cands:
        return []
    first = next((t for t in cands if t not in used_first), cands[0])
    rest = [t for t in cands if t != first and t not in first and first not in t]
    fits = [t for t in rest if len(first) + 1 + len(t) <= MAX_LABEL_CHARS]
    rest = fits + [t for t in rest if t not in fits]
    compound = [t for t in fits if len(t) >= COMPOUND_CHARS]
    rest = compound[:1] + [t for t in rest if t not in compound[:1]]
    return [first, *rest[: LABEL_TERMS - 1]]


def distinct_labels(
    terms: Sequence[Sequence[str]],
    texts: Sequence[str],
    shares: Sequence[float] | None = None,
    fixed: Mapping[int, str] | None = None,
) -> list[str]:
    """Return short labels, distinct across topics, from top terms and texts.

    Args:
        terms: Top terms per topic, highest weight first.
        texts: Each topic's most representative unit text ("" if none).
        shares: Topic shares; topics are labelled largest first (default:
            in topic order).
        fixed: Labels given in advance (seeded topics keep their family
            name), by topic index.

    Returns:
        One label per topic, in topic order; ``(empty)`` for a topic without
        terms.
    """
    fixed = dict(fixed or {})
    k = len(terms)
    order = list(range(k))
    if shares is not None:
        order = sorted(order, key=lambda t: (-float(shares[t]), t))
    used_first: set[str] = set()
    taken = set(fixed.values())
    labels = [""] * k
    for t in order:
        if t in fixed:
            labels[t] = fixed[t]
            continue
        cands = _candidates(terms[t], texts[t] if t < len(texts) else "")
        words = _label(cands, used_first)
        label = SEPARATOR.join(words) or "(empty)"
        extra = [w for w in cands if w not in words]
        while label in taken and extra:
            words.append(extra.pop(0))
            label = SEPARATOR.join(words)
        if words:
            used_first.add(words[0])
        taken.add(label)
        labels[t] = label
    return labels


# --------------------------------------------------------------------------
# Matching topics against a list of areas
# --------------------------------------------------------------------------
def match_areas(
    terms: Sequence[Sequence[str]],
    areas: Mapping[str, Sequence[str]],
    *,
    min_terms: int = 2,
    n_top: int = N_TOP,
) -> pd.DataFrame:
    """Say which topics match each area of a reader's list.

    A topic matches an area when its top ``n_top`` terms contain at least
    ``min_terms`` of the area's terms.

    Args:
        terms: Top terms per topic.
        areas: Area name -> its key terms.
        min_terms: Terms an area needs among a topic's top terms.
        n_top: Top terms looked at.

    Returns:
        One row per area, in input order: area, matched (bool), topics
        (``;``-joined topic ids), terms (the area's terms found, ``;``-joined,
        for the best-matching topic).
    """
    rows = []
    for name, words in areas.items():
        wanted = set(words)
        hits = []
        for t, top in enumerate(terms):
            found = [w for w in top[:n_top] if w in wanted]
            if len(found) >= min_terms:
                hits.append((len(found), t, found))
        best = max(hits, key=lambda h: (h[0], -h[1])) if hits else (0, -1, [])
        rows.append(
            {"area": name, "matched": bool(hits),
             "topics": ";".join(str(t) for _, t, _ in hits),
             "terms": ";".join(best[2])}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["area", "matched", "topics", "terms"])
