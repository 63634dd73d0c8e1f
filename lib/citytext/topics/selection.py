"""Choosing k and naming topics: the rules a reader can check.

What belongs here: the k sweep (every candidate k fitted and scored on the
sweep sample), the rule that picks the number of topics from the sweep
table, the share of units each topic holds, the labels shown to readers, and
matching topics against a reader's list of policy areas. The models are
:mod:`citytext.topics.models`, the quality numbers
:mod:`citytext.topics.quality`.

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

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from citytext.topics.models import Model, fit_matrix
from citytext.topics.quality import N_TOP, diversity, match_topics, npmi, top_terms
from citytext.topics.vocabulary import Vocabulary

#: Largest share of units one topic may hold for its k to be eligible.
MAX_SHARE = 0.20
#: Smallest stability (matched top-word Jaccard) for a k to be eligible.
STABILITY_FLOOR = 0.5
#: Units the k sweep is fitted on at most (every m-th unit when there are more).
SWEEP_SAMPLE = 5_000
N_RESAMPLES = 3
RESAMPLE_FRACTION = 0.8
DECIMALS = 4
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
# The k sweep
# --------------------------------------------------------------------------
def k_candidates(n_units: int, n_seeded: int = 0) -> list[int]:
    """Return the k values swept by ``k="auto"`` for a corpus of ``n_units``.

    Args:
        n_units: Number of units.
        n_seeded: Number of seeded families (k stays above it).

    Returns:
        2…min(6, n-1) below 30 units, 3…12 below 500, else
        5, 8, 10, 12, 15, 20, 25, 30; always k > ``n_seeded``.
    """
    if n_units < 30:
        ks = list(range(2, max(3, min(6, n_units - 1)) + 1))
    elif n_units < 500:
        ks = list(range(3, 13))
    else:
        ks = [5, 8, 10, 12, 15, 20, 25, 30]
    ks = [k for k in ks if k > n_seeded and k < n_units]
    return ks or [max(n_seeded + 1, 2)]


def _resample_stability(
    x: sparse.csr_matrix,
    counts: sparse.csr_matrix,
    vocab: Vocabulary,
    full_terms: list[list[str]],
    *,
    model: Model,
    k: int,
    seed: int,
    seeds: list[list[int]],
) -> float:
    """Mean matched Jaccard of top words between the full fit and resampled fits."""
    n = x.shape[0]
    size = max(k + 1, int(round(RESAMPLE_FRACTION * n)))
    if size >= n:
        return 1.0
    scores = []
    for r in range(N_RESAMPLES):
        rng = np.random.default_rng(seed + 1 + r)
        rows = np.sort(rng.choice(n, size=size, replace=False))
        sub = fit_matrix(
            x[rows], counts[rows], model=model, k=k, seed=seed + 1 + r, seeds=seeds
        )
        scores.append(match_topics(full_terms, top_terms(sub.components, vocab.words)))
    return float(np.mean(scores))


def select_k(
    x: sparse.csr_matrix,
    counts: sparse.csr_matrix,
    windows: sparse.csr_matrix,
    vocab: Vocabulary,
    *,
    model: Model,
    ks: Sequence[int],
    seed: int,
    seeds: list[list[int]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Fit and score every k; mark the chosen one.

    Args:
        x: TF-IDF matrix.
        counts: Count matrix.
        windows: Binary paragraph matrix for NPMI.
        vocab: The vocabulary.
        model: Model name.
        ks: Candidate k values.
        seed: Random seed.
        seeds: Seed-word columns of seeded topics.
        progress: Called with a short message after each k.

    Returns:
        One row per k: k, coherence, diversity, stability, quality, max_share
        (largest topic share of the sample units), meets_cap, eligible,
        chosen (:func:`choose_k`).
    """
    rows = []
    for k in ks:
        f = fit_matrix(x, counts, model=model, k=k, seed=seed, seeds=seeds)
        terms = top_terms(f.components, vocab.words)
        coh = float(np.nanmean(npmi(terms, windows, vocab)))
        div = diversity(terms)
        stab = _resample_stability(
            x, counts, vocab, terms, model=model, k=k, seed=seed, seeds=seeds or []
        )
        top = float(topic_shares(f.weights).max())
        rows.append(
            {"k": k, "coherence": coh, "diversity": div, "stability": stab,
             "quality": quality(coh, div), "max_share": top}
        )  # fmt: skip
        if progress:
            progress(
                f"k={k}: npmi={coh:.3f} diversity={div:.2f} stability={stab:.2f} "
                f"max share={top:.2f}"
            )
    table = mark_eligible(pd.DataFrame(rows))
    table["chosen"] = False
    table.loc[choose_k(table), "chosen"] = True
    return table.round(DECIMALS)


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
