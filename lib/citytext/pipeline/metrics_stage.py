"""The metrics stage.

``articles.csv`` in; ``metrics.csv`` out, and the national reports' GDP targets
and results (``national_targets.csv``), read through :mod:`citytext.ingest`.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from citytext import config, ingest, metrics
from citytext.engines import Engine, map_documents
from citytext.pipeline.spool import scratch
from citytext.runfiles import (
    ARTICLE_CHUNK_ROWS,
    ARTICLES,
    METRIC_COLUMNS,
    METRICS,
    NATIONAL_TARGET_COLUMNS,
    NATIONAL_TARGETS,
    CsvAppender,
    iter_csv_rows,
    read_csv,
    stage,
    text_csv,
    write_csv,
)
from citytext.text import is_duplicate

logger = logging.getLogger(__name__)


def _metric_inputs(
    run_dir: Path, counts: Counter[str]
) -> Iterator[tuple[str, str, str, str]]:
    """Stream ``(doc_id, city, text, year)`` of the articles to measure.

    Rows with ``duplicate_of`` set are skipped and counted as
    ``duplicates_skipped``; the others are counted as ``documents``.
    """
    for row in iter_csv_rows(run_dir, ARTICLES, chunksize=ARTICLE_CHUNK_ROWS):
        if is_duplicate(row.get("duplicate_of")):
            counts["duplicates_skipped"] += 1
            continue
        counts["documents"] += 1
        yield row["doc_id"], row.get("city", ""), row["text"], row.get("year", "")


def _csv_cell(value: Any) -> Any:
    """A value as :func:`write_csv` writes it (missing and NaN empty).

    Floats use the shortest round-trip form (``repr``), which is also what
    pandas writes for a float column.
    """
    if value is None:
        return ""
    if isinstance(value, float | np.floating):
        return "" if math.isnan(value) else repr(float(value))
    return value


def _sort_metrics_file(path: Path) -> int:
    """Sort metrics.csv by doc_id, sentence_id, start (stable), in memory.

    Only needed when articles.csv is not in doc_id order.

    Returns:
        The number of distinct doc_ids.
    """
    table = text_csv(path)
    keys = pd.DataFrame(
        {
            "doc_id": table["doc_id"],
            "sentence_id": table["sentence_id"].astype(int),
            "start": table["start"].astype(int),
        }
    )
    order = keys.sort_values(["doc_id", "sentence_id", "start"], kind="mergesort")
    write_csv(table.loc[order.index].reset_index(drop=True), path)
    return int(table["doc_id"].nunique())


def _national_reports(path: Path | str) -> tuple[list[dict[str, Any]], int, int]:
    """The national work reports with a year, as records for the GDP target table.

    Returns:
        ``(records, quarantined, without_year)``: doc_id, title, year (int) and
        text of each report; how many inputs ingest quarantined; how many
        reports gave no usable year (left out).
    """
    where = Path(path) if str(path).strip() else config.NATIONAL_REPORTS_DIR
    try:
        docs, quarantined = ingest.read_reference(where)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"no national government work reports at {where} "
            "(give a docs.jsonl or its folder as national_reports)"
        ) from None
    records, without_year = [], 0
    for doc in docs:
        try:
            year = int(float(str(doc.meta.get("year", "")).strip()))
        except (ValueError, OverflowError):
            year = 0
        if not 1000 <= year <= 2999:
            without_year += 1
            continue
        records.append(
            {"doc_id": doc.doc_id, "title": doc.meta.get("title"), "year": year,
             "text": doc.text}
        )  # fmt: skip
    return records, len(quarantined), without_year


def _write_national_targets(run_dir: Path, national_reports: Path | str) -> dict:
    """Write national_targets.csv: each national report's GDP growth target."""
    reports, quarantined, without_year = _national_reports(national_reports)
    targets = metrics.gdp_targets(reports)
    write_csv(targets, run_dir / NATIONAL_TARGETS, columns=NATIONAL_TARGET_COLUMNS)
    return {
        "national_reports": len(reports),
        "national_reports_quarantined": quarantined,
        "national_reports_without_year": without_year,
        "national_targets": len(targets),
    }


def run_metrics(
    run_dir: Path,
    *,
    engine: Engine = "local",
    scheduler: str = "",
    national_reports: Path | str = "",
) -> dict[str, Any]:
    """Extract claimed quantities from articles: metrics.csv, national_targets.csv.

    Reads articles.csv as a stream, skips rows marked as duplicates
    (``duplicate_of`` set), maps :func:`citytext.metrics.document_rows` over
    the rest and appends one row per quantity as documents come back, sorted
    by doc_id and position (re-sorted at the end only when articles.csv is not
    in doc_id order). Then reads the national government work reports through
    :func:`citytext.ingest.read_reference` and writes the GDP growth target of
    each (:func:`citytext.metrics.gdp_targets`) to national_targets.csv.

    Args:
        run_dir: Run directory (must hold articles.csv).
        engine: ``"local"`` or ``"dask"``.
        scheduler: Dask scheduler address (empty: local cluster).
        national_reports: The national reports: a ``docs.jsonl`` or its folder;
            ``""`` = the bundled ones (``config.NATIONAL_REPORTS_DIR``).

    Returns:
        Counts: documents, duplicates_skipped, docs_with_metrics, metrics,
        by_category, national_reports, national_reports_quarantined,
        national_reports_without_year, national_targets.

    Raises:
        FileNotFoundError: If articles.csv or the national reports are missing.
    """
    run_dir = Path(run_dir)
    if not (run_dir / ARTICLES).is_file():
        read_csv(run_dir, ARTICLES)  # raises the explanatory error
    columns = METRIC_COLUMNS + [c for c in metrics.COLUMNS if c not in METRIC_COLUMNS]
    counts: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    n_docs_with_metrics, in_order, last = 0, True, ""
    spool_files = scratch(run_dir, METRICS)
    with stage(run_dir, "metrics") as info, spool_files as (path,):
        national = _write_national_targets(run_dir, national_reports)
        inputs = _metric_inputs(run_dir, counts)
        next_rows = map_documents(
            metrics.document_rows, inputs, engine=engine, scheduler=scheduler
        )
        with CsvAppender(path, columns) as out:
            for doc_rows in next_rows:
                if not doc_rows:
                    continue
                n_docs_with_metrics += 1
                in_order = in_order and doc_rows[0]["doc_id"] > last
                last = doc_rows[0]["doc_id"]
                doc_rows.sort(key=lambda r: (r["sentence_id"], r["start"]))
                categories.update(
                    r["category"] for r in doc_rows if r["category"] is not None
                )
                out.write({k: _csv_cell(v) for k, v in r.items()} for r in doc_rows)
        if not in_order:
            n_docs_with_metrics = _sort_metrics_file(path)
        path.replace(run_dir / METRICS)
        info["documents"] = counts["documents"]
        info["duplicates_skipped"] = counts["duplicates_skipped"]
        info["docs_with_metrics"] = n_docs_with_metrics
        info["metrics"] = out.n_rows
        info["by_category"] = {str(k): v for k, v in sorted(categories.items())}
        info.update(national)
    return dict(info)
