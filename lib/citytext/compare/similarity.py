"""Similarity of places and a clustering order.

What belongs here: cosine similarity of places on TF-IDF of their tokens
(:func:`text_similarity`) and on feature profiles (:func:`profile_similarity`),
average-linkage clustering (:func:`cluster_order`, :func:`flat_clusters`), the
rows of city_similarity.csv (:func:`similarity_table`) and the whole set
(:func:`similarity`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from citytext.compare.articles import TERM_OK_RE, place_tokens, split_tokens
from citytext.compare.mechanisms import mechanism_matrix


def _char_bigrams(articles: pd.DataFrame) -> pd.Series:
    """Fallback documents when paragraphs.csv is missing: character bigrams."""
    texts = articles.groupby("place", sort=True)["text"].agg("\n".join)
    return texts.map(
        lambda t: " ".join(
            t[i : i + 2] for i in range(len(t) - 1) if TERM_OK_RE.match(t[i])
        )
    )


def _cosine_matrix(matrix: Any) -> np.ndarray:
    from sklearn.metrics.pairwise import cosine_similarity

    sim = cosine_similarity(matrix)
    np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def text_similarity(docs: pd.Series) -> pd.DataFrame:
    """Cosine similarity of places on TF-IDF of their tokens.

    Args:
        docs: Space-joined tokens per place (index = place).

    Returns:
        A square place × place DataFrame.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(docs) == 0 or not any(docs.str.strip()):
        return pd.DataFrame(np.eye(len(docs)), index=docs.index, columns=docs.index)
    vec = TfidfVectorizer(analyzer=split_tokens, sublinear_tf=True, dtype=np.float64)
    sim = _cosine_matrix(vec.fit_transform(docs.tolist()))
    return pd.DataFrame(sim, index=docs.index, columns=docs.index)


def profile_similarity(profile: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity of rows of a place × feature matrix (zero rows give 0)."""
    sim = _cosine_matrix(profile.to_numpy(dtype=float))
    return pd.DataFrame(sim, index=profile.index, columns=profile.index)


def cluster_order(sim: pd.DataFrame) -> tuple[list[str], np.ndarray | None]:
    """Order places by average-linkage clustering on ``1 - similarity``.

    Args:
        sim: Square similarity matrix.

    Returns:
        ``(leaf order, linkage matrix)``; the linkage is ``None`` for fewer than
        two places.
    """
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    labels = list(sim.index)
    if len(labels) < 2:
        return labels, None
    dist = np.clip(1.0 - sim.to_numpy(dtype=float), 0.0, None)
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    link = linkage(
        squareform(dist, checks=False), method="average", optimal_ordering=True
    )
    return [labels[i] for i in leaves_list(link)], link


def flat_clusters(
    link: np.ndarray | None, labels: list[str], k: int | None = None
) -> pd.Series:
    """Cut a linkage into ``k`` clusters (default about sqrt(n/2)), numbered from 1."""
    from scipy.cluster.hierarchy import fcluster

    if link is None:
        return pd.Series(1, index=labels)
    k = k or max(2, round((len(labels) / 2) ** 0.5))
    return pd.Series(fcluster(link, t=k, criterion="maxclust"), index=labels)


def similarity_table(sims: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Stack square similarity matrices into city_similarity.csv rows.

    Args:
        sims: ``{column name: square matrix}``; the first names the ranking.

    Returns:
        Every ordered pair ``city_a != city_b`` with one column per matrix and
        ``rank`` (1 = most similar to ``city_a`` by the first matrix), sorted by
        ``city_a`` and ``rank``.
    """
    names = list(sims)
    labels = np.asarray(sims[names[0]].index, dtype=object)
    n = len(labels)
    a_idx, b_idx = np.nonzero(~np.eye(n, dtype=bool))
    out = pd.DataFrame({"city_a": labels[a_idx], "city_b": labels[b_idx]})
    for name in names:
        values = sims[name].loc[labels, labels].to_numpy(dtype=float)
        out[name] = np.round(values[a_idx, b_idx], 4)
    out = out.sort_values(["city_a", names[0], "city_b"], ascending=[True, False, True])
    out["rank"] = out.groupby("city_a").cumcount() + 1
    return out.reset_index(drop=True)


def similarity(
    articles: pd.DataFrame,
    paragraphs: pd.DataFrame | None,
    mechanisms: pd.DataFrame,
    comparison: pd.DataFrame,
    topic_long: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Compute place similarities and a clustering order.

    Args:
        articles: The output of :func:`usable_articles`.
        paragraphs: paragraphs.csv (its ``tokens``); ``None`` falls back to
            character bigrams of the article texts.
        mechanisms: :func:`mechanism_table` rows.
        comparison: :func:`city_comparison` rows.
        topic_long: Long topic shares (optional).

    Returns:
        ``{"matrices": {name: square DataFrame}, "table": city_similarity rows,
        "order": leaf order, "linkage": linkage matrix, "clusters": Series}``.
    """
    docs = (
        place_tokens(paragraphs, articles)
        if paragraphs is not None
        else _char_bigrams(articles)
    )
    places = list(comparison["city"])
    docs = docs.reindex(places).fillna("")
    mats = {"text_cosine": text_similarity(docs)}
    mech = mechanism_matrix(mechanisms, comparison).reindex(places).fillna(0.0)
    mats["mechanism_cosine"] = profile_similarity(mech)
    if topic_long is not None and not topic_long.empty:
        topic = topic_long.pivot_table(index="city", columns="topic_id", values="share")
        mats["topic_cosine"] = profile_similarity(topic.reindex(places).fillna(0.0))
    order, link = cluster_order(mats["text_cosine"])
    return {
        "matrices": mats,
        "table": similarity_table(mats),
        "order": order,
        "linkage": link,
        "clusters": flat_clusters(link, places),
    }
