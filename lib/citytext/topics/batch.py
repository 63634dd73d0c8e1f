"""The in-memory path: fit topics on paragraph rows held in memory.

What belongs here: :func:`fit`, which builds the vocabulary and matrices of
a corpus small enough to hold in memory (up to
:data:`citytext.topics.stream.INCREMENTAL_THRESHOLD` units), sweeps k when
asked, fits the chosen model and describes its topics. Larger corpora go
through :mod:`citytext.topics.stream`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from citytext import segment
from citytext.topics.models import (
    Fit,
    Model,
    fit_matrix,
    one_blas_thread,
    seed_columns,
    seed_order,
)
from citytext.topics.quality import N_TOP
from citytext.topics.selection import SWEEP_SAMPLE, k_candidates, select_k
from citytext.topics.summaries import (
    TopicResult,
    describe_topics,
    group_shares,
    long_weights,
    normalise_rows,
    run_facts,
)
from citytext.topics.units import (
    Unit,
    modelled_rows,
    sample_every,
    units_from_paragraphs,
)
from citytext.topics.vocabulary import (
    binary_windows,
    build_vocabulary,
    count_matrix,
    document_frequencies,
    tfidf,
)

#: Paragraphs NPMI is counted over at most (every m-th one when there are more).
NPMI_SAMPLE = 20_000


@one_blas_thread
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
        k: Number of topics, or ``"auto"`` to sweep
            :func:`citytext.topics.selection.k_candidates`.
        seed: Random seed.
        seed_topics: Family name -> seed words (guided topics).
        n_terms: Words listed per topic.
        progress: Called with short progress messages.

    Returns:
        The result, with ``doc_topics`` in memory.
    """
    from sklearn.exceptions import ConvergenceWarning

    units = units_from_paragraphs(paragraphs, unit)
    df, n = document_frequencies(units["tokens"])
    vocab = build_vocabulary(df, n, exclude=segment.place_words())
    counts = count_matrix(list(units["tokens"]), vocab)
    x = tfidf(counts, vocab)
    modelled = modelled_rows(paragraphs)
    para_tokens = [s.split() for s in modelled["tokens"]]
    step = sample_every(len(para_tokens), NPMI_SAMPLE)
    windows = binary_windows(para_tokens[::step], vocab)
    cols = seed_columns(seed_topics, vocab)
    seeds = list(cols.values())
    selection = pd.DataFrame()
    auto = str(k) == "auto"
    rows = slice(None, None, sample_every(n, SWEEP_SAMPLE))
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
    info = run_facts(model, unit, k, seed, vocab, n, windows, incremental=False)
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
