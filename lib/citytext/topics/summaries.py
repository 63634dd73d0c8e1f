"""What a fit produces: the topic table, unit weights and group shares.

What belongs here: turning a model's factors into the tables a run
directory holds (topics.csv rows with terms, label, quality and
representative unit; doc_topics rows; the city × topic share matrix) and
the :class:`TopicResult` both fitting paths return. DataFrames and arrays
in, DataFrames out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from citytext.topics.quality import N_TOP, diversity, npmi, top_terms
from citytext.topics.selection import distinct_labels
from citytext.topics.vocabulary import Vocabulary

MIN_WEIGHT = 0.01
DECIMALS = 4


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
    labels = distinct_labels(
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


def run_facts(
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
    """Return the facts of a fit recorded in the stage's JSON."""
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
