"""The segmentation and topic stages.

``articles.csv`` in, ``paragraphs.csv`` out; then the topic model over the
paragraphs: ``topics.csv``, ``doc_topics.csv``, ``city_topics.csv`` and
``topic_selection.csv``.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from citytext import segment
from citytext import topics as tm
from citytext.engines import Engine, map_documents
from citytext.runfiles import (
    ARTICLE_CHUNK_ROWS,
    ARTICLES,
    CITY_TOPICS,
    DOC_TOPIC_COLUMNS,
    DOC_TOPICS,
    PARAGRAPH_COLUMNS,
    PARAGRAPHS,
    TOPIC_COLUMNS,
    TOPIC_SELECTION,
    TOPIC_SELECTION_COLUMNS,
    TOPICS,
    CsvAppender,
    iter_csv_rows,
    read_csv,
    stage,
    text_csv,
    write_csv,
)
from citytext.text import is_duplicate

logger = logging.getLogger(__name__)


def _segment_inputs(run_dir: Path, skipped: list[int]) -> Iterator[dict[str, str]]:
    """Stream the articles to segment (doc_id, city, text); duplicates skipped."""
    for row in iter_csv_rows(run_dir, ARTICLES, chunksize=ARTICLE_CHUNK_ROWS):
        if is_duplicate(row.get("duplicate_of")):
            skipped[0] += 1
            continue
        city = row.get("city", "")
        yield {"doc_id": row["doc_id"], "city": city, "text": row["text"]}


def run_segmentation(
    run_dir: Path, *, engine: Engine = "local", scheduler: str = ""
) -> dict[str, Any]:
    """Split articles into paragraphs and tokenise them: paragraphs.csv.

    Reads articles.csv as a stream (rows with ``duplicate_of`` set are
    skipped), maps :func:`citytext.segment.paragraph_rows` over the articles
    on the chosen engine and writes paragraphs.csv sorted by doc_id, para_id.
    ``tokens`` holds each paragraph's content words, space-joined; ``flags``
    marks procedural and heading paragraphs (:mod:`citytext.procedural`).

    Args:
        run_dir: Run directory holding articles.csv.
        engine: ``"local"`` or ``"dask"``.
        scheduler: Dask scheduler address (empty: local cluster).

    Returns:
        Counts: documents, duplicates_skipped, paragraphs,
        paragraphs_flagged (per flag), tokens, and the dictionary sizes.
    """
    run_dir = Path(run_dir)
    path = run_dir / PARAGRAPHS
    skipped = [0]
    n_docs = n_tokens = 0
    flagged: Counter = Counter()
    in_order, last = True, ""
    with stage(run_dir, "segment") as info, CsvAppender(path, PARAGRAPH_COLUMNS) as out:
        rows_per_doc = map_documents(
            segment.paragraph_rows,
            _segment_inputs(run_dir, skipped),
            engine=engine,
            scheduler=scheduler,
        )
        for rows in rows_per_doc:
            n_docs += 1
            if rows:
                in_order = in_order and rows[0]["doc_id"] > last
                last = rows[0]["doc_id"]
            n_tokens += sum(len(r["tokens"].split()) for r in rows)
            flagged.update(f for r in rows for f in r["flags"].split(";") if f)
            out.write(rows)
        out.close()
        if not in_order:  # articles.csv not sorted by doc_id: sort in memory
            table = text_csv(path)
            table["para_id"] = table["para_id"].astype(int)
            write_csv(
                table, path, columns=PARAGRAPH_COLUMNS, sort_by=["doc_id", "para_id"]
            )
        info.update(
            documents=n_docs,
            duplicates_skipped=skipped[0],
            paragraphs=out.n_rows,
            paragraphs_flagged=dict(sorted(flagged.items())),
            tokens=n_tokens,
            engine=engine,
            **segment.dictionary_info(),
        )
    return dict(info)


def _paragraph_chunks(run_dir: Path, size: int) -> Iterator[pd.DataFrame]:
    """Stream paragraphs.csv in chunks of ``size`` rows (all values as text)."""
    with text_csv(Path(run_dir) / PARAGRAPHS, chunksize=size) as reader:
        yield from reader


def _count_rows(path: Path) -> int:
    """Number of CSV records in ``path`` (header excluded; quoted newlines ok)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def run_topics(
    run_dir: Path,
    *,
    unit: Literal["paragraph", "document"] = "paragraph",
    model: Literal["nmf", "lda", "kmeans"] = "nmf",
    k: int | str = "auto",
    seed: int = 0,
    seed_topics: dict[str, list[str]] | None = None,
    n_terms: int = 10,
) -> dict[str, Any]:
    """Fit topics on paragraphs or documents.

    Writes topics.csv, doc_topics.csv, city_topics.csv (city × topic share
    matrix: city, n_units, topic_0 …) and, with ``k="auto"``,
    topic_selection.csv (the k sweep). Above
    :data:`citytext.topics.stream.INCREMENTAL_THRESHOLD` rows, paragraphs.csv
    is handed to the topics package in chunks (incremental estimator).

    Args:
        run_dir: Run directory holding paragraphs.csv.
        unit: ``"paragraph"`` or ``"document"``.
        model: ``"nmf"``, ``"lda"`` or ``"kmeans"``.
        k: Number of topics or ``"auto"``.
        seed: Random seed.
        seed_topics: Family name -> seed words (guided topics); ``None`` or
            an empty dict (a notebook parameter's default) for none.
        n_terms: Words listed per topic in topics.csv.

    Returns:
        ``topics`` (DataFrame), ``selection`` (k sweep), ``city_topics``,
        ``result`` (:class:`citytext.topics.TopicResult`) and ``info``.
    """
    run_dir = Path(run_dir)
    seed_topics = seed_topics or None
    with stage(run_dir, "topics") as info:
        n_paras = _count_rows(run_dir / PARAGRAPHS)
        kwargs = dict(unit=unit, model=model, k=k, seed=seed, seed_topics=seed_topics,
                      n_terms=n_terms, progress=logger.info)  # fmt: skip
        if n_paras <= tm.stream.INCREMENTAL_THRESHOLD:
            result = tm.fit(read_csv(run_dir, PARAGRAPHS), **kwargs)
            write_csv(
                result.doc_topics, run_dir / DOC_TOPICS, columns=DOC_TOPIC_COLUMNS
            )
        else:
            with CsvAppender(run_dir / DOC_TOPICS, DOC_TOPIC_COLUMNS) as out:
                result = tm.fit_stream(
                    lambda: _paragraph_chunks(run_dir, tm.stream.CHUNK_SIZE),
                    lambda rows: out.write(rows.to_dict("records")),
                    **kwargs,
                )
        write_csv(result.topics, run_dir / TOPICS, columns=TOPIC_COLUMNS)
        write_csv(result.city_shares, run_dir / CITY_TOPICS)
        if not result.selection.empty:
            write_csv(
                result.selection, run_dir / TOPIC_SELECTION,
                columns=TOPIC_SELECTION_COLUMNS,
            )  # fmt: skip
        info.update(result.info)
        info["paragraphs"] = n_paras
    return {
        "topics": result.topics,
        "selection": result.selection,
        "city_topics": result.city_shares,
        "result": result,
        "info": dict(info),
    }
