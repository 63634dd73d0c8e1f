"""Feature words and the sparse matrices built on them.

What belongs here: choosing a corpus's feature words from document
frequencies (content words minus place names, ``min_df``/``max_df`` cuts, at
most :data:`MAX_FEATURES` words) and turning token lists into count, TF-IDF
and binary window matrices over those words. No fitting and no file access.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

MAX_FEATURES = 20_000


@dataclass
class Vocabulary:
    """Feature words and their inverse document frequencies.

    Attributes:
        words: Feature words, sorted.
        idf: Smoothed idf per word, ``log((1 + n) / (1 + df)) + 1``.
        n_units: Number of units the frequencies were counted on.
    """

    words: np.ndarray
    idf: np.ndarray
    n_units: int
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {w: i for i, w in enumerate(self.words)}


def default_min_df(n_units: int) -> int:
    """Return the minimum number of units a feature word must occur in."""
    return max(2, math.ceil(n_units / 2000))


def build_vocabulary(
    doc_freq: Mapping[str, int],
    n_units: int,
    *,
    min_df: int | None = None,
    max_df: float | None = None,
    max_features: int = MAX_FEATURES,
    exclude: Iterable[str] = (),
) -> Vocabulary:
    """Choose feature words from document frequencies.

    Args:
        doc_freq: Number of units each word occurs in.
        n_units: Number of units.
        min_df: Minimum units per word (default :func:`default_min_df`).
        max_df: Maximum share of units per word (default 0.5, or 1.0 below
            20 units).
        max_features: Keep at most this many words, most widespread first.
        exclude: Words never used (place names).

    Returns:
        The vocabulary.

    Raises:
        ValueError: If no word survives the cuts.
    """
    min_df = default_min_df(n_units) if min_df is None else min_df
    if max_df is None:
        max_df = 0.5 if n_units >= 20 else 1.0
    skip = set(exclude)
    kept = [
        (w, df)
        for w, df in doc_freq.items()
        if df >= min_df and df <= max_df * n_units and w not in skip
    ]
    kept.sort(key=lambda x: (-x[1], x[0]))
    kept = sorted(kept[:max_features])
    if not kept:
        raise ValueError(
            f"no feature word occurs in at least {min_df} of {n_units} units: "
            "the corpus is too small or was not segmented"
        )
    words = np.array([w for w, _ in kept], dtype=object)
    df = np.array([d for _, d in kept], dtype=float)
    idf = np.log((1.0 + n_units) / (1.0 + df)) + 1.0
    return Vocabulary(words, idf, n_units)


def document_frequencies(token_lists: Iterable[Sequence[str]]) -> tuple[Counter, int]:
    """Count in how many units each word occurs.

    Args:
        token_lists: Tokens per unit.

    Returns:
        ``(Counter word -> units, number of units)``.
    """
    df: Counter = Counter()
    n = 0
    for toks in token_lists:
        df.update(set(toks))
        n += 1
    return df, n


def count_matrix(
    token_lists: Sequence[Sequence[str]], vocab: Vocabulary
) -> sparse.csr_matrix:
    """Return the units × words count matrix over ``vocab``."""
    index = vocab.index
    cols = [[index[t] for t in toks if t in index] for toks in token_lists]
    rows = np.repeat(np.arange(len(cols)), [len(c) for c in cols])
    flat = np.fromiter((j for c in cols for j in c), dtype=np.int64, count=len(rows))
    shape = (len(token_lists), len(vocab.words))
    m = sparse.coo_matrix((np.ones(len(rows)), (rows, flat)), shape=shape).tocsr()
    m.sum_duplicates()
    m.sort_indices()
    return m


def tfidf(counts: sparse.csr_matrix, vocab: Vocabulary) -> sparse.csr_matrix:
    """Return sublinear, l2-normalised TF-IDF rows for a count matrix."""
    x = counts.copy().astype(float)
    x.data = 1.0 + np.log(x.data)
    x = sparse.csr_matrix(x.multiply(vocab.idf[np.newaxis, :]))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ x)


def binary_windows(
    token_lists: Sequence[Sequence[str]], vocab: Vocabulary
) -> sparse.csr_matrix:
    """Binary paragraph × vocabulary matrix (NPMI windows)."""
    m = count_matrix(token_lists, vocab)
    m.data[:] = 1.0
    return m
