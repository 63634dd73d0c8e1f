"""Distinctive terms per place: weighted log-odds with an informative Dirichlet prior.

What belongs here: the log-odds statistic (:func:`log_odds`) and the terms
that set each place apart from all others (:func:`distinctive_terms`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from citytext.compare.articles import (
    PLACE_SUFFIX_RE,
    TERM_OK_RE,
    place_tokens,
    split_tokens,
)


def log_odds(
    y_i: np.ndarray, y_j: np.ndarray, alpha: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds ratio with an informative Dirichlet prior.

    Monroe, Colaresi and Quinn (2008), "Fightin' Words", eqs. 16-22:
    ``delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w))
    - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))`` with variance
    ``1 / (y_iw + a_w) + 1 / (y_jw + a_w)``; ``z = delta / sqrt(variance)``.

    Args:
        y_i: Term counts of group i.
        y_j: Term counts of group j (for "one place against the rest", the
            counts of all other places).
        alpha: Prior pseudo-counts per term (positive); ``a0 = alpha.sum()``.

    Returns:
        ``(delta, z)`` arrays.

    Examples:
        >>> d, z = log_odds(np.array([3, 1]), np.array([1, 3]), np.array([1.0, 1.0]))
        >>> round(float(d[0]), 4), round(float(z[0]), 4)
        (1.3863, 1.6008)
    """
    y_i = np.asarray(y_i, dtype=float)
    y_j = np.asarray(y_j, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    a0 = alpha.sum()
    n_i, n_j = y_i.sum(), y_j.sum()
    delta = np.log((y_i + alpha) / (n_i + a0 - y_i - alpha)) - np.log(
        (y_j + alpha) / (n_j + a0 - y_j - alpha)
    )
    var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    return delta, delta / np.sqrt(var)


def _own_names(place: str, articles: pd.DataFrame) -> set[str]:
    """The place's own names (鸡西, 鸡西市), which are trivially distinctive."""
    names = {place}
    rows = articles[articles["place"] == place]
    for col in ("city", "prefecture"):
        names.update(v for v in rows[col].astype(str) if v)
    names.update(PLACE_SUFFIX_RE.sub("", n) for n in list(names))
    return {n for n in names if len(n) >= 2}


def distinctive_terms(
    paragraphs: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    n_terms: int = 20,
    prior_scale: float = 500.0,
    min_count: int = 3,
    drop_own_name: bool = True,
) -> pd.DataFrame:
    """Terms that set each place apart from all other places.

    Each place is compared with the rest of the corpus by :func:`log_odds`. The
    prior is informative: ``alpha_w = prior_scale * corpus frequency of w``, so
    common words are shrunk towards the corpus rate and rare words need more
    evidence. Terms are the tokens of paragraphs.csv of at least two
    characters that contain a letter or CJK character.

    Args:
        paragraphs: paragraphs.csv.
        articles: The output of :func:`usable_articles`.
        n_terms: Terms kept per place (highest z first).
        prior_scale: ``a0``, the prior's total pseudo-count.
        min_count: Terms seen fewer times in the whole corpus are left out.
        drop_own_name: Leave out terms containing the place's own name.

    Returns:
        distinctive_terms.csv rows: ``city``, ``rank``, ``term``, ``count``,
        ``count_rest``, ``per_10k`` (per 10,000 tokens of the place),
        ``log_odds``, ``z``, sorted by city and rank.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    cols = ["city", "rank", "term", "count", "count_rest", "per_10k", "log_odds", "z"]
    docs = place_tokens(paragraphs, articles)
    docs = docs[docs.str.strip() != ""]
    if len(docs) < 2:
        return pd.DataFrame(columns=cols)
    vec = CountVectorizer(analyzer=split_tokens)
    counts = vec.fit_transform(docs.tolist()).tocsr()
    vocab = np.asarray(vec.get_feature_names_out())
    total = np.asarray(counts.sum(axis=0)).ravel()
    keep = (total >= min_count) & np.array(
        [len(t) >= 2 and bool(TERM_OK_RE.search(t)) and not t.isdigit() for t in vocab]
    )
    counts, vocab, total = counts[:, keep], vocab[keep], total[keep]
    alpha = prior_scale * total / max(total.sum(), 1)
    frames = []
    for row, place in enumerate(docs.index):
        y_i = counts[row].toarray().ravel().astype(float)
        delta, z = log_odds(y_i, total - y_i, alpha)
        df = pd.DataFrame(
            {
                "term": vocab,
                "count": y_i.astype(int),
                "count_rest": (total - y_i).astype(int),
                "log_odds": delta,
                "z": z,
            }
        )
        df = df[df["count"] > 0]
        if drop_own_name:
            names = _own_names(place, articles)
            df = df[~df["term"].map(lambda t, names=names: any(n in t for n in names))]
        df = df.sort_values(
            ["z", "term"], ascending=[False, True], kind="mergesort"
        ).head(n_terms)
        df.insert(0, "city", place)
        df.insert(1, "rank", range(1, len(df) + 1))
        df["per_10k"] = (df["count"] / max(y_i.sum(), 1) * 10_000).round(2)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)[cols]
    out[["log_odds", "z"]] = out[["log_odds", "z"]].round(4)
    return out.sort_values(["city", "rank"], kind="mergesort").reset_index(drop=True)
