"""Stage functions that read and write the run directory.

Every stage reads the files an earlier stage wrote into ``run_dir`` and writes
its own, as listed in DESIGN.md. Per-document stages (ingest, clean, segment,
metrics) are pure functions over documents mapped with :func:`map_documents`,
so the same code runs in one process or on a Dask cluster. Output CSVs are
written deterministically (sorted rows, fixed column order, ``\\n`` line ends,
UTF-8) so that two runs on the same input give byte-identical files.

The notebooks call these functions; ``citytext.runner`` never does, it only
executes the notebooks.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import pandas as pd

logger = logging.getLogger(__name__)

Engine = Literal["local", "dask"]

# --------------------------------------------------------------------------
# The data contract (DESIGN.md): file names and column order.
# --------------------------------------------------------------------------
ARTICLES = "articles.csv"
QUARANTINE = "quarantine.csv"
CLEANING_LOG = "cleaning_log.csv"
PARAGRAPHS = "paragraphs.csv"
TOPICS = "topics.csv"
DOC_TOPICS = "doc_topics.csv"
METRICS = "metrics.csv"
MECHANISMS = "mechanisms.csv"
CITY_COMPARISON = "city_comparison.csv"
STAGES_DIR = "stages"

ARTICLE_COLUMNS = [
    "doc_id", "source_file", "title", "date", "date_source", "year", "outlet",
    "authors", "city", "prefecture", "province", "admin_level", "n_chars",
    "flags", "duplicate_of", "encoding", "text",
]  # fmt: skip
QUARANTINE_COLUMNS = ["source_file", "reason", "detail"]
CLEANING_LOG_COLUMNS = ["doc_id", "action", "rule", "before", "after"]
PARAGRAPH_COLUMNS = ["doc_id", "para_id", "city", "text", "tokens"]
TOPIC_COLUMNS = ["topic_id", "label", "top_terms", "coherence", "share"]
DOC_TOPIC_COLUMNS = ["doc_id", "para_id", "topic_id", "weight"]
METRIC_COLUMNS = [
    "doc_id", "city", "sentence", "raw", "number", "value", "unit", "unit_std",
    "qualifier", "is_change", "category", "subject", "period",
]  # fmt: skip
MECHANISM_COLUMNS = ["city", "mechanism", "family", "count", "n_docs", "example"]


# --------------------------------------------------------------------------
# Deterministic CSV I/O
# --------------------------------------------------------------------------
def write_csv(
    df: pd.DataFrame,
    path: Path,
    *,
    columns: list[str] | None = None,
    sort_by: list[str] | None = None,
) -> Path:
    """Write ``df`` deterministically.

    Args:
        df: The table.
        path: Destination file.
        columns: Leading columns in this order (missing ones are added empty);
            any other columns follow in their current order.
        sort_by: Columns to sort rows by (stable sort) before writing.

    Returns:
        ``path``.
    """
    df = df.copy()
    if columns is not None:
        for col in columns:
            if col not in df.columns:
                df[col] = pd.Series([""] * len(df), index=df.index, dtype="object")
        rest = [c for c in df.columns if c not in columns]
        df = df[list(columns) + rest]
    if sort_by:
        df = df.sort_values(sort_by, kind="mergesort").reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def read_csv(run_dir: Path | str, name: str) -> pd.DataFrame:
    """Read a run-directory CSV with every column as text except known numerics.

    Args:
        run_dir: The run directory.
        name: File name, e.g. ``"articles.csv"``.

    Returns:
        The table; empty strings stay empty strings (no NaN for text columns).

    Raises:
        FileNotFoundError: With a message naming the stage that writes the file.
    """
    path = Path(run_dir) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: run the notebook that writes {name} first "
            "(see README, 'The run directory')."
        )
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


class CsvAppender:
    """Write CSV rows incrementally (streaming stages), header first.

    Rows are written as they arrive; call :meth:`finalize` to re-sort the
    file into deterministic order once the stage is done.
    """

    def __init__(self, path: Path, columns: list[str]):
        self.path = Path(path)
        self.columns = columns
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("w", encoding="utf-8", newline="")
        self._writer = csv.DictWriter(
            self._fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n"
        )
        self._writer.writeheader()
        self.n_rows = 0

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Append rows (dicts keyed by column)."""
        for row in rows:
            self._writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
            self.n_rows += 1

    def close(self) -> None:
        """Flush and close the file."""
        if not self._fh.closed:
            self._fh.close()

    def __enter__(self) -> CsvAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------
# Stage bookkeeping: timings and counts end up in run.json
# --------------------------------------------------------------------------
@contextlib.contextmanager
def stage(run_dir: Path | str, name: str) -> Iterator[dict[str, Any]]:
    """Time a stage and record its facts in ``run_dir/stages/<name>.json``.

    Usage::

        with stage(run_dir, "clean") as info:
            ...
            info["kept"] = 5

    Args:
        run_dir: The run directory.
        name: Stage name (``ingest``, ``clean``, ``segment``...).

    Yields:
        A dict the caller fills with counts; ``seconds`` is added on exit.
    """
    info: dict[str, Any] = {}
    t0 = time.perf_counter()
    try:
        yield info
    finally:
        info["seconds"] = round(time.perf_counter() - t0, 3)
        out = Path(run_dir) / STAGES_DIR / f"{name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(info, ensure_ascii=False, indent=2, default=str), "utf-8")
        logger.info("stage %s done in %.2fs", name, info["seconds"])


def read_stages(run_dir: Path | str) -> dict[str, dict[str, Any]]:
    """Return every recorded stage's facts, keyed by stage name."""
    folder = Path(run_dir) / STAGES_DIR
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))}


# --------------------------------------------------------------------------
# Engines: map a pure per-document function over documents
# --------------------------------------------------------------------------
def map_documents(
    func: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    engine: Engine = "local",
    scheduler: str = "",
    workers: int | None = None,
) -> Iterator[Any]:
    """Apply ``func`` to each item, in input order, on the chosen engine.

    ``func`` must be a pure, picklable module-level function whose result is
    compact (rows, not token lists), since results cross process boundaries on
    the Dask engine.

    Args:
        func: Per-document function.
        items: Documents (any picklable objects).
        engine: ``"local"`` (this process) or ``"dask"``.
        scheduler: Address of an existing Dask scheduler (``tcp://host:port``);
            empty starts a ``LocalCluster``.
        workers: Number of local Dask workers (default: all cores).

    Yields:
        ``func(item)`` for each item, in input order.

    Raises:
        ValueError: For an unknown engine.
    """
    if engine == "local":
        for item in items:
            yield func(item)
        return
    if engine != "dask":
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    from citytext import engines

    yield from engines.dask_map(func, items, scheduler=scheduler, workers=workers)


# --------------------------------------------------------------------------
# Stages. Each notebook calls one or more of these.
# --------------------------------------------------------------------------
def run_cleaning(
    corpus: Path, run_dir: Path, *, engine: Engine = "local", scheduler: str = ""
) -> dict[str, Any]:
    """Ingest and clean a corpus: articles.csv, quarantine.csv, cleaning_log.csv.

    Args:
        corpus: Corpus directory (read recursively).
        run_dir: Run directory.
        engine: ``"local"`` or ``"dask"``.
        scheduler: Dask scheduler address (empty: local cluster).

    Returns:
        Counts: files_seen, kept, quarantined, duplicates.
    """
    raise NotImplementedError("cleaning stage")


def run_segmentation(
    run_dir: Path, *, engine: Engine = "local", scheduler: str = ""
) -> dict[str, Any]:
    """Split articles into paragraphs and tokenise them: paragraphs.csv."""
    raise NotImplementedError("segmentation stage")


def run_topics(run_dir: Path, **params: Any) -> dict[str, Any]:
    """Fit topics on paragraphs or documents: topics.csv, doc_topics.csv."""
    raise NotImplementedError("topics stage")


def run_metrics(
    run_dir: Path, *, engine: Engine = "local", scheduler: str = ""
) -> dict[str, Any]:
    """Extract claimed quantities from articles: metrics.csv."""
    raise NotImplementedError("metrics stage")


def run_comparison(run_dir: Path, **params: Any) -> dict[str, Any]:
    """Build mechanisms.csv and city_comparison.csv from the earlier stages."""
    raise NotImplementedError("comparison stage")
