"""Topic models: vectorise, fit, choose k, label and score topics.

What belongs here: turning token lists (the ``tokens`` column of
paragraphs.csv) into topics and topic weights, with the quality numbers a
reader needs to judge them. Reading and writing run-directory files is the
job of :mod:`citytext.pipeline`; figures live in :mod:`citytext.plots`.

Units and models
    A unit is a paragraph (the default, and the only sensible choice for a
    handful of articles) or a whole document (``unit="document"``).
    Paragraphs flagged ``procedural`` or ``heading`` in paragraphs.csv
    (:mod:`citytext.procedural`: 请予审议, 各位代表……让我们……奋斗, bare
    headings) are left out of fitting, of NPMI and of the shares; they stay
    in paragraphs.csv and in the stage counts. Three
    models share one interface (:func:`fit`):

    * ``"nmf"`` (default): non-negative matrix factorisation of sublinear
      TF-IDF (Frobenius loss, NNDSVDA start, coordinate descent);
    * ``"lda"``: latent Dirichlet allocation on counts (variational Bayes);
    * ``"kmeans"``: k-means on LSA (truncated SVD of TF-IDF, normalised);
      each unit belongs to one cluster (weight 1) and a cluster's terms are
      the mean TF-IDF of its units.

Features
    Content words (:func:`citytext.segment.content_tokens`) minus place names,
    which identify a city rather than what is said about it. Words in fewer
    than ``min_df`` units (``max(2, ceil(n / 2000))``) or, with 20 units or
    more, in more than half of the units are dropped; at most
    :data:`MAX_FEATURES` words are kept, the most widespread first.

Quality numbers
    * coherence: mean NPMI of each topic's top-10 word pairs, counted over
      paragraph windows of the corpus itself (at most :data:`NPMI_SAMPLE`
      paragraphs, every m-th one when there are more); a pair never seen
      together scores -1.
    * diversity: share of unique words among all topics' top-10 words
      (1.0 = no word shared).
    * stability: the model is refitted on :data:`N_RESAMPLES` random 80 %
      subsamples of the units (one per seed, ``seed + 1`` …); each refit's
      topics are matched one-to-one to the full fit's (Hungarian matching on
      the Jaccard similarity of top-10 words) and the mean matched Jaccard is
      averaged over refits (Greene, O'Callaghan and Cunningham 2014).

Choosing k (``k="auto"``)
    Every k of :func:`k_candidates` is fitted on the sweep sample and scored
    (coherence, diversity, stability and the largest topic share). The rule
    is :func:`citytext.topic_selection.choose_k`: only k where no topic holds
    more than 20 % of the units and stability is at least 0.5 are eligible;
    among them the largest quality ``(coherence + 1) / 2 * diversity`` wins.

Guided topics (``seed_topics``)
    ``{"考核晾晒": ["考核", "排名", "晾晒"], …}`` anchors one topic per named
    family, in the spirit of keyATM and guided BERTopic. For NMF the seeded
    topics start from rows of H that put all their weight on the family's
    seed words, the free topics start from an NNDSVDA fit, and the seed-word
    columns of the TF-IDF matrix are multiplied by :data:`SEED_BOOST`. For
    k-means the seeded clusters start at the seed words' centroids. LDA has
    no seeded variant here. Each seeded topic reports ``anchored``, the share
    of its seed words found among its top terms, so a family the data does
    not support is visible rather than hidden.

Labels
    :func:`citytext.topic_selection.distinct_labels`: two top terms, found in
    the most representative unit (the unit maximising topic weight times
    log(1 + number of tokens)) where possible, no two labels sharing their
    first term. A seeded topic is labelled with its family name.

Scaling
    Up to :data:`INCREMENTAL_THRESHOLD` units, the whole matrix is held in
    memory and fitted in batch. Above it the units are streamed in chunks of
    :data:`CHUNK_SIZE`: one pass builds the vocabulary, document frequencies
    and a fixed sample of at most :data:`SWEEP_SAMPLE` units (used for the k
    sweep and NPMI); the final model is fitted with ``MiniBatchNMF``,
    ``LatentDirichletAllocation.partial_fit`` or ``MiniBatchKMeans`` over
    :data:`EPOCHS` passes; a last pass writes the weights. Memory then grows
    with the vocabulary and k, not with the number of units.

Determinism
    Fitting runs with one BLAS thread (threadpoolctl): on a shared machine
    extra BLAS threads only wait for each other (a k=20 fit on the sweep
    sample of the local reports used 22 s of CPU with them, 0.9 s without).
    Every estimator receives ``random_state=seed``;
    vocabularies, units and outputs are sorted; weights are rounded. The
    same input and parameters give the same topics and byte-identical CSVs.
"""

from __future__ import annotations

import functools
import logging
import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from citytext import procedural, segment, topic_shares
from citytext import topic_selection as ts

logger = logging.getLogger(__name__)

Model = Literal["nmf", "lda", "kmeans"]
Unit = Literal["paragraph", "document"]
MODELS: tuple[str, ...] = ("nmf", "lda", "kmeans")

N_TOP = 10
NMF_MAX_ITER = 400
LDA_MAX_ITER = 15
MAX_FEATURES = 20_000
NPMI_SAMPLE = 20_000
SWEEP_SAMPLE = 5_000
INCREMENTAL_THRESHOLD = 50_000
CHUNK_SIZE = 5_000
EPOCHS = 2
N_RESAMPLES = 3
RESAMPLE_FRACTION = 0.8
STABILITY_FLOOR = ts.STABILITY_FLOOR
BLAS_THREADS = 1
SEED_BOOST = 2.0
MIN_WEIGHT = 0.01
DECIMALS = 4
UNIT_COLUMNS = ["doc_id", "para_id", "city"]


# --------------------------------------------------------------------------
# Vocabulary and matrices
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# Quality numbers
# --------------------------------------------------------------------------
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
    if not a or not b:
        return 0.0
    sim = np.zeros((len(a), len(b)))
    for i, ta in enumerate(a):
        for j, tb in enumerate(b):
            union = set(ta) | set(tb)
            sim[i, j] = len(set(ta) & set(tb)) / len(union) if union else 0.0
    r, c = linear_sum_assignment(-sim)
    return float(sim[r, c].sum() / max(len(a), len(b)))


def topic_quality(coherence: float, div: float) -> float:
    """Return ``(coherence + 1) / 2 * diversity`` (NaN coherence counts as -1)."""
    return ts.quality(coherence, div)


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------
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


def _boost(x: sparse.csr_matrix, seeds: list[list[int]]) -> sparse.csr_matrix:
    """Multiply the seed-word columns of ``x`` by :data:`SEED_BOOST`."""
    factor = np.ones(x.shape[1])
    for cols in seeds:
        factor[cols] = SEED_BOOST
    return sparse.csr_matrix(x.multiply(factor[np.newaxis, :]))


def _fit_nmf(x: sparse.csr_matrix, k: int, seed: int, seeds: list[list[int]]) -> Fit:
    from sklearn.decomposition import NMF

    if seeds:
        xb = _boost(x, seeds)
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


# --------------------------------------------------------------------------
# Choosing k
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
        chosen (:func:`citytext.topic_selection.choose_k`).
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
        top = float(ts.topic_shares(f.weights).max())
        rows.append(
            {"k": k, "coherence": coh, "diversity": div, "stability": stab,
             "quality": topic_quality(coh, div), "max_share": top}
        )  # fmt: skip
        if progress:
            progress(
                f"k={k}: npmi={coh:.3f} diversity={div:.2f} stability={stab:.2f} "
                f"max share={top:.2f}"
            )
    table = ts.mark_eligible(pd.DataFrame(rows))
    table["chosen"] = False
    table.loc[choose_k(table), "chosen"] = True
    return table.round(DECIMALS)


def choose_k(table: pd.DataFrame) -> int:
    """Return the row index of the chosen k (:func:`topic_selection.choose_k`).

    Args:
        table: Output rows of :func:`select_k` (k, quality, stability,
            max_share).

    Returns:
        The index label of the chosen row.
    """
    return ts.choose_k(table)


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------
@dataclass
class TopicResult:
    """Everything a fit produces.

    Attributes:
        topics: One row per topic (topics.csv).
        doc_topics: Long table of unit weights (doc_topics.csv); ``None``
            when streamed straight to disk.
        selection: The k sweep (empty when k was given).
        city_shares: City × topic share matrix (city_topics.csv).
        info: Facts for ``run.json`` (model, k, sizes, path taken).
        unit_weights: Units × topics normalised weights (in-memory path).
        units: The units (doc_id, para_id, city, n_tokens) in row order.
    """

    topics: pd.DataFrame
    doc_topics: pd.DataFrame | None
    selection: pd.DataFrame
    city_shares: pd.DataFrame
    info: dict[str, Any]
    unit_weights: np.ndarray | None = None
    units: pd.DataFrame | None = None


def normalise_rows(w: np.ndarray) -> np.ndarray:
    """Return ``w`` with each row scaled to sum 1 (all-zero rows stay zero)."""
    s = w.sum(axis=1, keepdims=True)
    s[s == 0] = 1.0
    return w / s


def describe_topics(
    components: np.ndarray,
    vocab: Vocabulary,
    weights: np.ndarray,
    units: pd.DataFrame,
    texts: Sequence[str],
    windows: sparse.csr_matrix,
    *,
    seed_names: Sequence[str] = (),
    seed_cols: Mapping[str, list[int]] | None = None,
    n_terms: int = N_TOP,
) -> pd.DataFrame:
    """Build topics.csv rows: terms, label, quality and representative unit.

    Args:
        components: Topics × words weights.
        vocab: The vocabulary.
        weights: Units × topics normalised weights.
        units: Units (doc_id, para_id, n_tokens), rows aligned with ``weights``.
        texts: Unit texts aligned with ``weights``.
        windows: Binary paragraph matrix for NPMI.
        seed_names: Names of the seeded topics (the first topics).
        seed_cols: Seed-word columns per name.
        n_terms: Words listed in ``top_terms``.

    Returns:
        One row per topic.
    """
    terms = top_terms(components, vocab.words, max(n_terms, N_TOP))
    coh = npmi([t[:N_TOP] for t in terms], windows, vocab)
    div = diversity(terms)
    assigned = weights[weights.sum(axis=1) > 0]
    share = assigned.mean(axis=0) if len(assigned) else np.zeros(len(terms))
    score = weights * np.log1p(units["n_tokens"].to_numpy(dtype=float))[:, np.newaxis]
    reps = [
        int(np.argmax(score[:, t])) if len(score) and score[:, t].max() > 0 else -1
        for t in range(len(terms))
    ]
    labels = ts.distinct_labels(
        terms, [texts[r] if r >= 0 else "" for r in reps], share,
        fixed=dict(enumerate(seed_names)),
    )  # fmt: skip
    rows = []
    for t, words in enumerate(terms):
        rep = reps[t]
        text = texts[rep] if rep >= 0 else ""
        name = seed_names[t] if t < len(seed_names) else ""
        label = labels[t]
        anchored = ""
        if name and seed_cols is not None:
            seeds = {str(vocab.words[c]) for c in seed_cols.get(name, [])}
            anchored = (
                round(len(seeds & set(words[:N_TOP])) / len(seeds), 2) if seeds else 0.0
            )
        rows.append(
            {
                "topic_id": t,
                "label": label,
                "top_terms": " ".join(words[:n_terms]),
                "coherence": round(coh[t], DECIMALS),
                "share": round(float(share[t]), DECIMALS),
                "diversity": round(div, DECIMALS),
                "seed_family": name,
                "anchored": anchored,
                "representative_doc_id": units["doc_id"].iloc[rep] if rep >= 0 else "",
                "representative_para_id": units["para_id"].iloc[rep]
                if rep >= 0
                else "",
                "representative": text[:160],
            }
        )
    return pd.DataFrame(rows)


def long_weights(units: pd.DataFrame, weights: np.ndarray) -> pd.DataFrame:
    """Return doc_topics rows: every (unit, topic) with weight ≥ :data:`MIN_WEIGHT`."""
    r, t = np.nonzero(weights >= MIN_WEIGHT)
    return pd.DataFrame(
        {
            "doc_id": units["doc_id"].to_numpy()[r],
            "para_id": units["para_id"].to_numpy()[r],
            "topic_id": t,
            "weight": np.round(weights[r, t], DECIMALS),
        }
    )


def group_shares(
    units: pd.DataFrame, weights: np.ndarray, by: str = "city"
) -> pd.DataFrame:
    """Return the mean topic weights per group (a group × topic share matrix).

    Args:
        units: Units with a ``by`` column, aligned with ``weights``.
        weights: Units × topics normalised weights.
        by: Grouping column (``city``, ``year`` …).

    Returns:
        Columns ``by``, ``n_units``, ``topic_0`` … ``topic_{k-1}``, sorted by
        ``by``. Units without any feature word (all-zero weights) are left
        out, so each row sums to 1.
    """
    k = weights.shape[1]
    keep = weights.sum(axis=1) > 0
    df = pd.DataFrame(weights[keep], columns=[f"topic_{t}" for t in range(k)])
    df.insert(0, by, units[by].to_numpy()[keep])
    out = df.groupby(by, sort=True).mean().round(DECIMALS)
    out.insert(0, "n_units", df.groupby(by, sort=True).size())
    return out.reset_index()


# --------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------
def units_from_paragraphs(paragraphs: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """Return the modelling units from paragraph rows.

    Args:
        paragraphs: Rows with doc_id, para_id, city, text, tokens (strings)
            and optionally flags (flagged paragraphs are left out).
        unit: ``"paragraph"`` or ``"document"`` (paragraphs joined in order;
            ``para_id`` empty).

    Returns:
        Columns doc_id, para_id, city, text, tokens (list of str), n_tokens,
        sorted by doc_id then paragraph number.

    Raises:
        ValueError: For an unknown unit.
    """
    p = paragraphs.copy()
    if "flags" in p:
        p = p[[procedural.is_modelled(f) for f in p["flags"]]]
    p["_n"] = pd.to_numeric(p["para_id"], errors="coerce").fillna(0).astype(int)
    p = p.sort_values(["doc_id", "_n"], kind="mergesort")
    if unit == "paragraph":
        out = p[["doc_id", "para_id", "city", "text"]].copy()
        out["para_id"] = p["_n"].to_numpy()
        out["tokens"] = [s.split() for s in p["tokens"]]
    elif unit == "document":
        g = p.groupby("doc_id", sort=True)
        out = pd.DataFrame(
            {
                "doc_id": list(g.groups),
                "para_id": "",
                "city": g["city"].first().to_numpy(),
                "text": g["text"].agg("\n".join).to_numpy(),
                "tokens": g["tokens"].agg(lambda s: " ".join(s).split()).to_numpy(),
            }
        )
    else:
        raise ValueError(f"unknown unit {unit!r}: use 'paragraph' or 'document'")
    out["n_tokens"] = out["tokens"].map(len)
    return out.reset_index(drop=True)


def _windows(
    token_lists: Sequence[Sequence[str]], vocab: Vocabulary
) -> sparse.csr_matrix:
    """Binary paragraph × vocabulary matrix (NPMI windows)."""
    m = count_matrix(token_lists, vocab)
    m.data[:] = 1.0
    return m


def _sample_every(n: int, limit: int) -> int:
    return max(1, math.ceil(n / limit))


# --------------------------------------------------------------------------
# The in-memory path
# --------------------------------------------------------------------------
def _one_blas_thread(func: Callable[..., TopicResult]) -> Callable[..., TopicResult]:
    """Run ``func`` with :data:`BLAS_THREADS` BLAS/OpenMP threads."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> TopicResult:
        with threadpool_limits(limits=BLAS_THREADS):
            return func(*args, **kwargs)

    return wrapper


@_one_blas_thread
def fit(
    paragraphs: pd.DataFrame,
    *,
    unit: Unit = "paragraph",
    model: Model = "nmf",
    k: int | str = "auto",
    seed: int = 0,
    seed_topics: Mapping[str, Sequence[str]] | None = None,
    n_terms: int = N_TOP,
    progress: Callable[[str], None] | None = None,
) -> TopicResult:
    """Fit topics on paragraph rows held in memory.

    Args:
        paragraphs: paragraphs.csv rows (doc_id, para_id, city, text, tokens).
        unit: ``"paragraph"`` or ``"document"``.
        model: ``"nmf"``, ``"lda"`` or ``"kmeans"``.
        k: Number of topics, or ``"auto"`` to sweep :func:`k_candidates`.
        seed: Random seed.
        seed_topics: Family name -> seed words (guided topics).
        n_terms: Words listed per topic.
        progress: Called with short progress messages.

    Returns:
        The result, with ``doc_topics`` in memory.
    """
    units = units_from_paragraphs(paragraphs, unit)
    df, n = document_frequencies(units["tokens"])
    vocab = build_vocabulary(df, n, exclude=segment.place_words())
    counts = count_matrix(list(units["tokens"]), vocab)
    x = tfidf(counts, vocab)
    modelled = paragraphs
    if "flags" in paragraphs:
        modelled = paragraphs[[procedural.is_modelled(f) for f in paragraphs["flags"]]]
    para_tokens = [s.split() for s in modelled["tokens"]]
    step = _sample_every(len(para_tokens), NPMI_SAMPLE)
    windows = _windows(para_tokens[::step], vocab)
    cols = seed_columns(seed_topics, vocab)
    seeds = list(cols.values())
    selection = pd.DataFrame()
    auto = str(k) == "auto"
    rows = slice(None, None, _sample_every(n, SWEEP_SAMPLE))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        if auto:
            selection = select_k(
                x[rows], counts[rows], windows, vocab, model=model,
                ks=k_candidates(n, len(seeds)), seed=seed, seeds=seeds,
                progress=progress,
            )  # fmt: skip
            k = int(selection.loc[selection["chosen"], "k"].iloc[0])
        k = int(k)
        f = fit_matrix(x, counts, model=model, k=k, seed=seed, seeds=seeds)
    order = seed_order(f.components, seeds)
    f = Fit(f.weights[:, order], f.components[order], f.estimator)
    weights = normalise_rows(f.weights)
    topics = describe_topics(
        f.components, vocab, weights, units, list(units["text"]), windows,
        seed_names=list(cols), seed_cols=cols, n_terms=n_terms,
    )  # fmt: skip
    info = _info(model, unit, k, seed, vocab, n, windows, incremental=False)
    info["sweep_units"] = len(range(n)[rows]) if auto else 0
    info["paragraphs_modelled"] = len(modelled)
    info["convergence_warnings"] = sum(
        issubclass(w.category, ConvergenceWarning) for w in caught
    )
    info["seed_words_missing"] = {
        name: [w for w in (seed_topics or {})[name] if not cols[name]] for name in cols
    }
    return TopicResult(
        topics=topics,
        doc_topics=long_weights(units, weights),
        selection=selection,
        city_shares=group_shares(units, weights, "city"),
        info=info,
        unit_weights=weights,
        units=units.drop(columns=["tokens"]),
    )


def _info(
    model: str,
    unit: str,
    k: int,
    seed: int,
    vocab: Vocabulary,
    n: int,
    windows: sparse.csr_matrix,
    *,
    incremental: bool,
) -> dict[str, Any]:
    return {
        "model": model,
        "unit": unit,
        "k": k,
        "seed": seed,
        "units": n,
        "features": len(vocab.words),
        "npmi_windows": int(windows.shape[0]),
        "incremental": incremental,
    }


# --------------------------------------------------------------------------
# The streaming path (corpora above INCREMENTAL_THRESHOLD units)
# --------------------------------------------------------------------------
ChunkSource = Callable[[], Iterator[pd.DataFrame]]


def iter_units(chunks: Iterable[pd.DataFrame], unit: Unit) -> Iterator[pd.DataFrame]:
    """Turn paragraph chunks (sorted by doc_id, para_id) into unit chunks.

    For documents, a document split across chunk borders is held back and
    completed with the next chunk.

    Args:
        chunks: paragraphs.csv rows in chunks, in file order.
        unit: ``"paragraph"`` or ``"document"``.

    Yields:
        Unit tables as from :func:`units_from_paragraphs`.
    """
    carry = None
    for chunk in chunks:
        if unit == "paragraph":
            yield units_from_paragraphs(chunk, unit)
            continue
        if carry is not None:
            chunk = pd.concat([carry, chunk], ignore_index=True)
        last = chunk["doc_id"].iloc[-1]
        carry = chunk[chunk["doc_id"] == last]
        done = chunk[chunk["doc_id"] != last]
        if len(done):
            yield units_from_paragraphs(done, unit)
    if carry is not None and len(carry):
        yield units_from_paragraphs(carry, unit)


def _scan(source: ChunkSource, unit: Unit) -> tuple[Counter, int, pd.DataFrame, list]:
    """First pass: document frequencies, unit count, unit and paragraph samples."""
    df: Counter = Counter()
    n = 0
    for u in iter_units(source(), unit):
        for toks in u["tokens"]:
            df.update(set(toks))
        n += len(u)
    step = _sample_every(n, SWEEP_SAMPLE)
    sample, i = [], 0
    para_sample: list[list[str]] = []
    j = 0
    for chunk in source():
        if "flags" in chunk:
            chunk = chunk[[procedural.is_modelled(f) for f in chunk["flags"]]]
        toks = [s.split() for s in chunk["tokens"]]
        para_sample.extend(toks[(-j) % step :: step])
        j += len(toks)
    for u in iter_units(source(), unit):
        idx = [r for r in range(len(u)) if (i + r) % step == 0]
        sample.append(u.iloc[idx])
        i += len(u)
    return df, n, pd.concat(sample, ignore_index=True), para_sample


def _stream_estimator(model: Model, k: int, seed: int, n: int, start: Fit) -> Any:
    """Return the incremental estimator, started from the sample fit where possible."""
    if model == "nmf":
        from sklearn.decomposition import MiniBatchNMF

        return MiniBatchNMF(k, init="custom", batch_size=1024, random_state=seed)
    if model == "lda":
        from sklearn.decomposition import LatentDirichletAllocation

        return LatentDirichletAllocation(
            k, learning_method="online", total_samples=n, random_state=seed
        )
    if model == "kmeans":
        from sklearn.cluster import MiniBatchKMeans
        from sklearn.preprocessing import normalize

        centres = normalize(start.components)
        return MiniBatchKMeans(
            k, init=centres, n_init=1, batch_size=1024, random_state=seed
        )
    raise ValueError(f"unknown model {model!r}: use one of {MODELS}")


def _batches(source: ChunkSource, unit: Unit, min_units: int) -> Iterator[pd.DataFrame]:
    """Unit chunks joined until each holds at least ``min_units`` units."""
    held: list[pd.DataFrame] = []
    size = 0
    for u in iter_units(source(), unit):
        held.append(u)
        size += len(u)
        if size >= min_units:
            yield pd.concat(held, ignore_index=True)
            held, size = [], 0
    if held:
        yield pd.concat(held, ignore_index=True)


def _partial_fit(
    est: Any, model: Model, u: pd.DataFrame, vocab: Vocabulary, start: Fit | None,
    seeds: list[list[int]],
) -> None:  # fmt: skip
    """Feed one batch to the incremental estimator (``start`` on the first batch)."""
    from sklearn.decomposition import non_negative_factorization

    c = count_matrix(list(u["tokens"]), vocab)
    x = tfidf(c, vocab)
    if model == "nmf":
        xb = _boost(x, seeds) if seeds else x
        if start is None:
            est.partial_fit(xb)
            return
        w0, _, _ = non_negative_factorization(
            xb, H=start.components, n_components=est.n_components, init="custom",
            update_H=False,
        )  # fmt: skip
        est.partial_fit(xb, W=np.maximum(w0, 1e-9), H=start.components.copy())
    elif model == "lda":
        est.partial_fit(c)
    elif x.shape[0] >= est.n_clusters:  # k-means: skip a tail smaller than k
        est.partial_fit(x)


def _stream_weights(
    est: Any, model: Model, x: sparse.csr_matrix, c: sparse.csr_matrix
) -> np.ndarray:
    if model == "kmeans":
        labels = est.predict(x)
        w = np.zeros((x.shape[0], est.n_clusters))
        w[np.arange(x.shape[0]), labels] = 1.0
        return w
    return normalise_rows(est.transform(c if model == "lda" else x))


class _Totals:
    """Running totals of the streaming path's last pass."""

    def __init__(self, k: int):
        self.k = k
        self.k_sum = np.zeros(k)
        self.n_assigned = 0
        self.groups: dict[str, list[Any]] = {}
        self.best = np.full(k, -1.0)
        self.reps: list[dict[str, Any]] = [{} for _ in range(k)]

    def add(self, u: pd.DataFrame, w: np.ndarray) -> None:
        """Add one batch of units and their normalised weights."""
        keep = w.sum(axis=1) > 0
        self.k_sum += w[keep].sum(axis=0)
        self.n_assigned += int(keep.sum())
        for city, row in zip(u["city"].to_numpy()[keep], w[keep], strict=True):
            acc = self.groups.setdefault(city, [0, np.zeros(self.k)])
            acc[0] += 1
            acc[1] += row
        score = w * np.log1p(u["n_tokens"].to_numpy(dtype=float))[:, np.newaxis]
        for t in range(self.k):
            r = int(np.argmax(score[:, t]))
            if score[r, t] > self.best[t]:
                self.best[t] = score[r, t]
                self.reps[t] = u.iloc[r][
                    ["doc_id", "para_id", "text", "n_tokens"]
                ].to_dict()

    def rep_units(self) -> pd.DataFrame:
        """The representative unit of each topic, as a units table."""
        return pd.DataFrame(
            [{"doc_id": r.get("doc_id", ""), "para_id": r.get("para_id", ""),
              "n_tokens": r.get("n_tokens", 0)} for r in self.reps]
        )  # fmt: skip

    def city_shares(self) -> pd.DataFrame:
        """The city × topic share matrix."""
        return pd.DataFrame(
            [
                [g, a[0], *np.round(a[1] / a[0], DECIMALS)]
                for g, a in sorted(self.groups.items())
            ],
            columns=["city", "n_units", *[f"topic_{t}" for t in range(self.k)]],
        )


@_one_blas_thread
def fit_stream(
    source: ChunkSource,
    write_rows: Callable[[pd.DataFrame], None],
    *,
    unit: Unit = "paragraph",
    model: Model = "nmf",
    k: int | str = "auto",
    seed: int = 0,
    seed_topics: Mapping[str, Sequence[str]] | None = None,
    n_terms: int = N_TOP,
    progress: Callable[[str], None] | None = None,
) -> TopicResult:
    """Fit topics on a corpus streamed in chunks (memory bounded by vocabulary).

    Args:
        source: Called with no argument, returns a fresh iterator of
            paragraphs.csv chunks in file order (it is called several times).
        write_rows: Receives doc_topics rows chunk by chunk.
        unit: ``"paragraph"`` or ``"document"``.
        model: ``"nmf"``, ``"lda"`` or ``"kmeans"``.
        k: Number of topics or ``"auto"`` (swept on the unit sample).
        seed: Random seed.
        seed_topics: Family name -> seed words (seeded initialisation).
        n_terms: Words listed per topic.
        progress: Called with short progress messages.

    Returns:
        The result; ``doc_topics`` is ``None`` (already written).
    """
    df, n, sample, para_sample = _scan(source, unit)
    vocab = build_vocabulary(df, n, exclude=segment.place_words())
    windows = _windows(para_sample, vocab)
    s_counts = count_matrix(list(sample["tokens"]), vocab)
    s_x = tfidf(s_counts, vocab)
    cols = seed_columns(seed_topics, vocab)
    seeds = list(cols.values())
    selection = pd.DataFrame()
    if str(k) == "auto":
        selection = select_k(
            s_x, s_counts, windows, vocab, model=model,
            ks=k_candidates(len(sample), len(seeds)), seed=seed, seeds=seeds,
            progress=progress,
        )  # fmt: skip
        k = int(selection.loc[selection["chosen"], "k"].iloc[0])
    k = int(k)
    start = fit_matrix(s_x, s_counts, model=model, k=k, seed=seed, seeds=seeds)
    est = _stream_estimator(model, k, seed, n, start)
    first: Fit | None = start
    for epoch in range(EPOCHS):
        for u in _batches(source, unit, CHUNK_SIZE):
            _partial_fit(est, model, u, vocab, first, seeds)
            first = None
        if progress:
            progress(f"epoch {epoch + 1}/{EPOCHS} done")
    comps = est.cluster_centers_ if model == "kmeans" else est.components_
    order = seed_order(np.maximum(comps, 0), seeds)
    comps = np.maximum(comps, 0)[order]
    acc = _Totals(k)
    for u in _batches(source, unit, CHUNK_SIZE):  # last pass: weights out
        c = count_matrix(list(u["tokens"]), vocab)
        w = _stream_weights(est, model, tfidf(c, vocab), c)[:, order]
        write_rows(long_weights(u, w))
        acc.add(u, w)
    topics = describe_topics(
        comps, vocab, np.eye(k), acc.rep_units(), [r.get("text", "") for r in acc.reps],
        windows, seed_names=list(cols), seed_cols=cols, n_terms=n_terms,
    )  # fmt: skip
    topics["share"] = np.round(acc.k_sum / max(acc.n_assigned, 1), DECIMALS)
    city = acc.city_shares()
    info = _info(model, unit, k, seed, vocab, n, windows, incremental=True)
    info["sweep_sample"] = len(sample)
    return TopicResult(topics, None, selection, city, info)


# --------------------------------------------------------------------------
# Topic-modelling a JSON-lines corpus directly
# --------------------------------------------------------------------------
CORPUS_RUNS_SUBDIR = "topics_corpus"


def read_jsonl_corpus(corpus: Path | str) -> pd.DataFrame:
    """Read the ``*.jsonl`` files of a corpus directory as articles.

    Args:
        corpus: A directory with one or more ``.jsonl`` files whose records
            carry ``doc_id`` and ``text`` (and optionally ``place``, ``city``,
            ``year``, ``title``), like the shared corpora.

    Returns:
        Columns doc_id, city (``city`` or else ``place``), year, title, text,
        duplicate_of (empty), sorted by doc_id.

    Raises:
        FileNotFoundError: If the directory holds no ``.jsonl`` file.
    """
    files = sorted(Path(corpus).glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no .jsonl file in {corpus}")
    frames = [pd.read_json(f, lines=True, dtype=False) for f in files]
    raw = pd.concat(frames, ignore_index=True)
    city = (
        raw["city"]
        if "city" in raw
        else raw.get("place", pd.Series("", index=raw.index))
    )
    out = pd.DataFrame(
        {
            "doc_id": raw["doc_id"].astype(str),
            "city": city.fillna("").astype(str),
            "year": raw.get("year", pd.Series("", index=raw.index))
            .fillna("")
            .astype(str),
            "title": raw.get("title", pd.Series("", index=raw.index))
            .fillna("")
            .astype(str),
            "text": raw["text"].fillna("").astype(str),
            "duplicate_of": "",
        }
    )
    return out.sort_values("doc_id", kind="mergesort").reset_index(drop=True)


def prepare_corpus_run(corpus: Path | str, run_dir: Path | str) -> Path:
    """Write a JSON-lines corpus as articles.csv in a sub-directory of ``run_dir``.

    The corpus is taken as given (already clean, as the shared corpora are);
    the run's own articles.csv is left untouched.

    Args:
        corpus: Corpus directory (see :func:`read_jsonl_corpus`).
        run_dir: The run directory.

    Returns:
        ``run_dir/topics_corpus/<corpus name>``, holding articles.csv.
    """
    from citytext import pipeline

    sub = Path(run_dir) / CORPUS_RUNS_SUBDIR / Path(corpus).name
    pipeline.write_csv(
        read_jsonl_corpus(corpus), sub / pipeline.ARTICLES, sort_by=["doc_id"]
    )
    return sub


# --------------------------------------------------------------------------
# Shares by group and over time (for the notebook's tables and figures)
# --------------------------------------------------------------------------
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
        :data:`MIN_WEIGHT`). Rows whose ``by`` value is empty are left out.
    """
    wide = topic_shares.unit_weights(doc_topics)
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
        the highest share); sorted by change, largest rise first.
    """
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
