"""The streaming path: fit topics on a corpus handed over in chunks.

What belongs here: :func:`fit_stream`, for corpora above
:data:`INCREMENTAL_THRESHOLD` units. The caller (the pipeline, which opens
paragraphs.csv) passes a function returning a fresh iterator of paragraph
DataFrames and a function receiving doc_topics rows; this module never
touches a file. One pass counts document frequencies and draws the sweep
sample, :data:`EPOCHS` passes feed the incremental estimator in batches of
at least :data:`CHUNK_SIZE` units, a last pass hands out the weights.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from citytext import segment
from citytext.topics.models import (
    MODELS,
    Fit,
    Model,
    boost,
    fit_matrix,
    one_blas_thread,
    seed_columns,
    seed_order,
)
from citytext.topics.quality import N_TOP
from citytext.topics.selection import SWEEP_SAMPLE, k_candidates, select_k
from citytext.topics.summaries import (
    DECIMALS,
    TopicResult,
    describe_topics,
    long_weights,
    normalise_rows,
    run_facts,
)
from citytext.topics.units import Unit, iter_units, modelled_rows, sample_every
from citytext.topics.vocabulary import (
    Vocabulary,
    binary_windows,
    build_vocabulary,
    count_matrix,
    tfidf,
)

#: Above this many paragraphs the pipeline streams paragraphs.csv.
INCREMENTAL_THRESHOLD = 50_000
#: Rows per paragraph chunk and least units per incremental batch.
CHUNK_SIZE = 5_000
EPOCHS = 2


ChunkSource = Callable[[], Iterator[pd.DataFrame]]


def _scan(source: ChunkSource, unit: Unit) -> tuple[Counter, int, pd.DataFrame, list]:
    """First pass: document frequencies, unit count, unit and paragraph samples."""
    df: Counter = Counter()
    n = 0
    for u in iter_units(source(), unit):
        for toks in u["tokens"]:
            df.update(set(toks))
        n += len(u)
    step = sample_every(n, SWEEP_SAMPLE)
    sample, i = [], 0
    para_sample: list[list[str]] = []
    j = 0
    for chunk in source():
        chunk = modelled_rows(chunk)
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
        xb = boost(x, seeds) if seeds else x
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


@one_blas_thread
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
    windows = binary_windows(para_sample, vocab)
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
    info = run_facts(model, unit, k, seed, vocab, n, windows, incremental=True)
    info["sweep_sample"] = len(sample)
    return TopicResult(topics, None, selection, city, info)
