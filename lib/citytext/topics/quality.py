"""Quality numbers of a set of topics: top terms, NPMI, diversity, matching.

What belongs here: the measures a reader uses to judge topics, computed from
topic × word weights and the corpus's own paragraph windows (coherence as
mean NPMI of top-word pairs, diversity as the share of distinct top words)
and the one-to-one matching of two topic sets that stability is built on.
The formula that combines them into one quality figure is part of the k rule
(:func:`citytext.topics.selection.quality`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from citytext.topics.vocabulary import Vocabulary

#: Top words per topic that coherence, diversity, labels and matching look at.
N_TOP = 10


def top_terms(
    components: np.ndarray, words: np.ndarray, n: int = N_TOP
) -> list[list[str]]:
    """Return each topic's ``n`` highest-weighted words (ties by word order)."""
    out = []
    for row in components:
        order = np.lexsort((np.arange(len(row)), -row))[:n]
        out.append([str(words[j]) for j in order if row[j] > 0])
    return out


def npmi(
    terms: Sequence[Sequence[str]], windows: sparse.csr_matrix, vocab: Vocabulary
) -> list[float]:
    """Return each topic's mean pairwise NPMI over paragraph windows.

    Args:
        terms: Top words per topic.
        windows: Binary paragraphs × vocabulary matrix (the reference corpus).
        vocab: The vocabulary of ``windows``.

    Returns:
        Mean NPMI per topic in [-1, 1]; NaN for a topic with fewer than two
        words.
    """
    n = windows.shape[0]
    out = []
    for words in terms:
        cols = [vocab.index[w] for w in words if w in vocab.index]
        if len(cols) < 2 or n == 0:
            out.append(float("nan"))
            continue
        sub = windows[:, cols]
        p = np.asarray(sub.sum(axis=0)).ravel() / n
        co = (sub.T @ sub).toarray() / n
        scores = []
        for a in range(len(cols)):
            for b in range(a + 1, len(cols)):
                pab = co[a, b]
                if pab <= 0:
                    scores.append(-1.0)
                elif pab >= 1:
                    scores.append(1.0)
                else:
                    scores.append(math.log(pab / (p[a] * p[b])) / -math.log(pab))
        out.append(float(np.mean(scores)))
    return out


def diversity(terms: Sequence[Sequence[str]], n: int = N_TOP) -> float:
    """Return the share of unique words among all topics' top ``n`` words."""
    words = [w for t in terms for w in t[:n]]
    return len(set(words)) / len(words) if words else 0.0


def match_topics(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> float:
    """Return the mean Jaccard similarity of the best one-to-one topic matching."""
    from scipy.optimize import linear_sum_assignment

    if not a or not b:
        return 0.0
    sim = np.zeros((len(a), len(b)))
    for i, ta in enumerate(a):
        for j, tb in enumerate(b):
            union = set(ta) | set(tb)
            sim[i, j] = len(set(ta) & set(tb)) / len(union) if union else 0.0
    r, c = linear_sum_assignment(-sim)
    return float(sim[r, c].sum() / max(len(a), len(b)))
