"""The comparison stage.

The earlier stages' files in; mechanisms, features, similarity, distinctive
terms, text reuse and campaigns out. The analysis itself is
:mod:`citytext.compare`, on tables; this module only reads and writes files.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pandas as pd

from citytext import compare
from citytext.runfiles import (
    ARTICLES,
    CAMPAIGN_COLUMNS,
    CAMPAIGNS,
    CITY_CLAIMS,
    CITY_COMPARISON,
    CITY_SIMILARITY,
    CITY_TOPIC_SHARE_COLUMNS,
    CITY_TOPIC_SHARES,
    CITY_TOPICS,
    COVERAGE,
    DISTINCTIVE_TERMS,
    DOC_TOPICS,
    MECHANISM_COLUMNS,
    MECHANISMS,
    METRICS,
    PARAGRAPHS,
    TEXT_REUSE,
    TOPICS,
    read_csv,
    read_optional,
    stage,
    write_csv,
)

logger = logging.getLogger(__name__)


def _comparison_topics(run_dir: Path, articles: pd.DataFrame) -> pd.DataFrame | None:
    """Topic shares per place: from doc_topics.csv, else city_topics.csv, else None."""
    topics = read_optional(run_dir, TOPICS, "topic labels")
    doc_topics = read_optional(run_dir, DOC_TOPICS, "topic shares per place")
    if doc_topics is not None:
        return compare.topic_shares(doc_topics, articles, topics)
    city_topics = read_optional(run_dir, CITY_TOPICS, "topic shares per place")
    if city_topics is not None:
        return compare.normalise_city_topics(city_topics, topics)
    return None


def run_comparison(run_dir: Path, **params: Any) -> dict[str, Any]:
    """Compare places: mechanisms, features, similarity, distinctive terms, reuse.

    Reads articles.csv (required) and, when present, paragraphs.csv,
    topics.csv, doc_topics.csv (or city_topics.csv) and metrics.csv; a missing
    optional file is logged and its columns are left out. Writes mechanisms.csv,
    campaigns.csv, city_comparison.csv, city_similarity.csv, distinctive_terms.csv,
    text_reuse.csv, city_topic_shares.csv, city_claims.csv and coverage.csv.

    Args:
        run_dir: The run directory.
        **params: ``n_terms`` (distinctive terms per place, default 20),
            ``prior_scale`` (log-odds prior, 500), ``min_term_count`` (3),
            and text-reuse options
            ``reuse_threshold`` (0.6), ``reuse_min_chars`` (30),
            ``reuse_max_places`` (5), ``seed`` (1).

    Returns:
        ``info`` (counts also recorded in stages/compare.json), the tables
        written (``articles``, ``hits``, ``mechanisms``, ``campaigns``,
        ``comparison``,
        ``similarity``, ``distinctive``, ``reuse``, ``topics``, ``claims``,
        ``coverage``), the square ``matrices``, the clustering ``order`` and
        ``linkage``, and the ``paths`` written.
    """
    run_dir = Path(run_dir)
    with stage(run_dir, "compare") as info:
        articles = compare.usable_articles(read_csv(run_dir, ARTICLES))
        paragraphs = read_optional(run_dir, PARAGRAPHS, "TF-IDF similarity on tokens")
        metrics = read_optional(run_dir, METRICS, "claimed quantities")
        topic_long = _comparison_topics(run_dir, articles)
        hits = compare.mechanism_hits(articles)
        mechanisms = compare.mechanism_table(articles, hits)
        started = time.perf_counter()
        mentions = compare.campaigns.extract(articles)
        campaigns = compare.campaigns.campaign_table(mentions, articles, hits)
        campaign_seconds = round(time.perf_counter() - started, 2)
        comparison = compare.city_comparison(articles, topic_long, metrics, mechanisms)
        sim = compare.similarity(
            articles, paragraphs, mechanisms, comparison, topic_long
        )
        comparison["cluster"] = comparison["city"].map(sim["clusters"]).astype(int)
        position = {c: i for i, c in enumerate(sim["order"])}
        comparison["cluster_order"] = comparison["city"].map(position).astype(int)
        distinctive = (
            compare.distinctive_terms(
                paragraphs,
                articles,
                n_terms=int(params.get("n_terms", 20)),
                prior_scale=float(params.get("prior_scale", 500.0)),
                min_count=int(params.get("min_term_count", 3)),
            )
            if paragraphs is not None
            else pd.DataFrame(columns=["city", "rank", "term"])
        )
        reuse = compare.text_reuse(
            articles,
            threshold=float(params.get("reuse_threshold", 0.6)),
            min_passage_chars=int(params.get("reuse_min_chars", 30)),
            max_places=int(params.get("reuse_max_places", 5)),
            seed=int(params.get("seed", 1)),
        )
        claims = (
            compare.claims_table(metrics, articles)
            if metrics is not None
            else pd.DataFrame()
        )
        cover = compare.coverage(articles)
        tables = {
            MECHANISMS: (mechanisms, MECHANISM_COLUMNS, ["city", "mechanism_id"]),
            CAMPAIGNS: (campaigns, CAMPAIGN_COLUMNS, ["city", "campaign"]),
            CITY_COMPARISON: (comparison, ["city"], ["city"]),
            CITY_SIMILARITY: (sim["table"], None, ["city_a", "rank"]),
            DISTINCTIVE_TERMS: (distinctive, None, ["city", "rank"]),
            TEXT_REUSE: (reuse, compare.REUSE_COLUMNS, None),
            CITY_TOPIC_SHARES: (
                topic_long if topic_long is not None else pd.DataFrame(),
                CITY_TOPIC_SHARE_COLUMNS,
                None,
            ),
            CITY_CLAIMS: (claims, None, None),
            COVERAGE: (cover, None, None),
        }
        paths = {
            name: write_csv(df, run_dir / name, columns=cols, sort_by=sort)
            for name, (df, cols, sort) in tables.items()
        }
        info.update(
            places=len(comparison),
            documents=len(articles),
            mechanism_mentions=len(hits),
            mechanism_rows=len(mechanisms),
            campaign_mentions=len(mentions),
            campaign_rows=len(campaigns),
            campaign_seconds=campaign_seconds,
            reuse_pairs=len(reuse),
            distinctive_terms=len(distinctive),
            inputs_missing=[
                n
                for n, df in ((PARAGRAPHS, paragraphs), (METRICS, metrics))
                if df is None
            ]
            + ([] if topic_long is not None else [DOC_TOPICS]),
            params=dict(sorted(params.items())),
        )
    return {
        "info": info,
        "articles": articles,
        "hits": hits,
        "mechanisms": mechanisms,
        "campaigns": campaigns,
        "comparison": comparison,
        "similarity": sim["table"],
        "matrices": sim["matrices"],
        "order": sim["order"],
        "linkage": sim["linkage"],
        "distinctive": distinctive,
        "reuse": reuse,
        "topics": topic_long,
        "claims": claims,
        "coverage": cover,
        "paths": paths,
    }
