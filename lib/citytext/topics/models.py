"""The three models behind one interface, fitted on in-memory matrices.

What belongs here: fitting NMF, LDA or k-means on a TF-IDF or count matrix
(:func:`fit_matrix`), the seeded starts of guided topics (:func:`seed_columns`,
:func:`seed_order`) and the one-BLAS-thread rule every fit runs under. The
streaming estimators are in :mod:`citytext.topics.stream`; choosing k is
:mod:`citytext.topics.selection`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from citytext import segment
from citytext.topics.vocabulary import Vocabulary

Model = Literal["nmf", "lda", "kmeans"]
MODELS: tuple[str, ...] = ("nmf", "lda", "kmeans")

NMF_MAX_ITER = 400
LDA_MAX_ITER = 15
BLAS_THREADS = 1
SEED_BOOST = 2.0

_T = TypeVar("_T")


def one_blas_thread(func: Callable[..., _T]) -> Callable[..., _T]:
    """Run ``func`` with :data:`BLAS_THREADS` BLAS/OpenMP threads."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        with threadpool_limits(limits=BLAS_THREADS):
            return func(*args, **kwargs)

    return wrapper


@dataclass
class Fit:
    """A fitted model's factors.

    Attributes:
        weights: Units × topics raw weights (NMF activations, LDA topic
            proportions, k-means one-hot).
        components: Topics × words weights.
        estimator: The fitted scikit-learn estimator(s), for streaming.
    """

    weights: np.ndarray
    components: np.ndarray
    estimator: Any = None


def seed_columns(
    seed_topics: Mapping[str, Sequence[str]] | None, vocab: Vocabulary
) -> dict[str, list[int]]:
    """Map each seeded family to the vocabulary columns of its seed words.

    A seed word that is not a feature word is cut with the tokenizer and its
    content words are used instead (营商环境优化 → 营商环境, 优化).

    Args:
        seed_topics: Family name -> seed words.
        vocab: The vocabulary.

    Returns:
        Family name -> sorted column indices (possibly empty), in input order.
    """
    out: dict[str, list[int]] = {}
    for name, words in (seed_topics or {}).items():
        cols: set[int] = set()
        for word in words:
            if word in vocab.index:
                cols.add(vocab.index[word])
                continue
            for tok in segment.content_tokens(word):
                if tok in vocab.index:
                    cols.add(vocab.index[tok])
        out[name] = sorted(cols)
    return out


def _nmf_seeded_init(
    x: sparse.csr_matrix, k: int, seeds: list[list[int]], seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(W0, H0)``: seeded rows on seed words, free rows from NNDSVDA."""
    from sklearn.decomposition import NMF, non_negative_factorization

    n_free = k - len(seeds)
    free = np.zeros((0, x.shape[1]))
    if n_free > 0:
        free = (
            NMF(n_free, init="nndsvda", random_state=seed, max_iter=50)
            .fit(x)
            .components_
        )
    scale = float(free.max()) if free.size else float(np.sqrt(x.mean() / k)) * 10
    seeded = np.full((len(seeds), x.shape[1]), 1e-6)
    for i, cols in enumerate(seeds):
        seeded[i, cols] = scale if cols else 1e-6
    h0 = np.vstack([seeded, free])
    w0, _, _ = non_negative_factorization(
        x, H=h0, n_components=k, init="custom", update_H=False, random_state=seed,
        max_iter=100,
    )  # fmt: skip
    return np.maximum(w0, 1e-9), h0


def boost(x: sparse.csr_matrix, seeds: list[list[int]]) -> sparse.csr_matrix:
    """Multiply the seed-word columns of ``x`` by :data:`SEED_BOOST`."""
    factor = np.ones(x.shape[1])
    for cols in seeds:
        factor[cols] = SEED_BOOST
    return sparse.csr_matrix(x.multiply(factor[np.newaxis, :]))


def _fit_nmf(x: sparse.csr_matrix, k: int, seed: int, seeds: list[list[int]]) -> Fit:
    from sklearn.decomposition import NMF

    if seeds:
        xb = boost(x, seeds)
        w0, h0 = _nmf_seeded_init(xb, k, seeds, seed)
        est = NMF(k, init="custom", random_state=seed, max_iter=NMF_MAX_ITER)
        w = est.fit_transform(xb, W=w0, H=h0)
    else:
        est = NMF(k, init="nndsvda", random_state=seed, max_iter=NMF_MAX_ITER)
        w = est.fit_transform(x)
    return Fit(w, est.components_, est)


def seed_order(components: np.ndarray, seeds: list[list[int]]) -> np.ndarray:
    """Return the topic order that puts each family on the topic it anchors best.

    A seeded start can drift: the topic started on one family's words may end
    on another theme while a free topic gathers the family's words. Each
    family is matched one-to-one (Hungarian matching) to the topic whose
    weights put the largest share on the family's seed words; matched topics
    come first, in family order, then the others in their own order.

    Args:
        components: Topics × words weights.
        seeds: Seed-word columns per family.

    Returns:
        A permutation of the topics (identity without seeds).
    """
    from scipy.optimize import linear_sum_assignment

    k = components.shape[0]
    if not seeds:
        return np.arange(k)
    totals = components.sum(axis=1)
    totals[totals == 0] = 1.0
    score = np.array(
        [components[:, cols].sum(axis=1) / totals if cols else np.zeros(k)
         for cols in seeds]
    )  # fmt: skip
    fam, top = linear_sum_assignment(-score)
    first = [int(t) for _, t in sorted(zip(fam, top, strict=True))]
    return np.array(first + [t for t in range(k) if t not in first])


def _fit_lda(counts: sparse.csr_matrix, k: int, seed: int) -> Fit:
    from sklearn.decomposition import LatentDirichletAllocation

    est = LatentDirichletAllocation(
        k, learning_method="batch", max_iter=LDA_MAX_ITER, random_state=seed
    )
    w = est.fit_transform(counts)
    return Fit(w, est.components_, est)


def _fit_kmeans(x: sparse.csr_matrix, k: int, seed: int, seeds: list[list[int]]) -> Fit:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n_comp = max(1, min(100, x.shape[1] - 1, x.shape[0] - 1))
    svd = TruncatedSVD(n_comp, random_state=seed)
    z = normalize(svd.fit_transform(x))
    init: Any = "k-means++"
    n_init = 10
    if seeds:
        centres = []
        for cols in seeds:
            row = np.zeros((1, x.shape[1]))
            row[0, cols] = 1.0
            centres.append(normalize(svd.transform(row))[0])
        seeded = np.array(centres)
        rest = KMeans(k, n_init=10, random_state=seed).fit(z).cluster_centers_
        closeness = (normalize(rest) @ seeded.T).max(axis=1)
        free = np.sort(np.argsort(closeness, kind="stable")[: k - len(seeds)])
        init = np.vstack([seeded, rest[free]])
        n_init = 1
    est = KMeans(k, init=init, n_init=n_init, random_state=seed).fit(z)
    labels = est.labels_
    weights = np.zeros((x.shape[0], k))
    weights[np.arange(x.shape[0]), labels] = 1.0
    comps = np.vstack(
        [
            np.asarray(x[labels == t].mean(axis=0)).ravel()
            if (labels == t).any()
            else np.zeros(x.shape[1])
            for t in range(k)
        ]
    )
    return Fit(weights, comps, (svd, est))


def fit_matrix(
    x: sparse.csr_matrix,
    counts: sparse.csr_matrix,
    *,
    model: Model,
    k: int,
    seed: int,
    seeds: list[list[int]] | None = None,
) -> Fit:
    """Fit one model on in-memory matrices.

    Args:
        x: TF-IDF matrix (NMF, k-means).
        counts: Count matrix (LDA).
        model: ``"nmf"``, ``"lda"`` or ``"kmeans"``.
        k: Number of topics.
        seed: Random seed.
        seeds: Seed-word columns of the seeded topics (the first topics).

    Returns:
        The fit.

    Raises:
        ValueError: For an unknown model, a k the data cannot support, or
            seeds with LDA.
    """
    seeds = seeds or []
    if k < 1 or k > min(x.shape):
        raise ValueError(f"k={k} needs at least k units and k feature words")
    if model == "nmf":
        return _fit_nmf(x, k, seed, seeds)
    if model == "kmeans":
        return _fit_kmeans(x, k, seed, seeds)
    if model == "lda":
        if seeds:
            raise ValueError(
                "seed_topics works with model='nmf' or 'kmeans', not 'lda'"
            )
        return _fit_lda(counts, k, seed)
    raise ValueError(f"unknown model {model!r}: use one of {MODELS}")
