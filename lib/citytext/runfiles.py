r"""The run directory's files: names, column lists, readers and writers.

What belongs here: the one implementation of README's "The run directory"
table. Every file name a stage writes or reads, the leading columns of each
CSV, the deterministic CSV writer (fixed column order, sorted rows, ``\\n``
line ends, UTF-8, so that two runs on the same input give byte-identical
files), the text-only reader (every value a string, empty stays empty), the
streaming reader and appender, and the per-stage facts under ``stages/``.
Stages (:mod:`citytext.pipeline`), the runner and the notebooks use these
names instead of literals. A column list that a table-building module of
layer 2 already defines (campaigns.csv) is taken from it, not written twice.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from citytext.compare import campaigns as campaign_tables
from citytext.compare import reuse as compare_reuse

logger = logging.getLogger(__name__)

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
CAMPAIGNS = "campaigns.csv"
CITY_COMPARISON = "city_comparison.csv"
STAGES_DIR = "stages"

ARTICLE_COLUMNS = [
    "doc_id", "source_file", "title", "date", "date_source", "year", "outlet",
    "authors", "city", "prefecture", "province", "admin_level", "n_chars",
    "flags", "duplicate_of", "encoding", "text",
]  # fmt: skip
QUARANTINE_COLUMNS = ["source_file", "reason", "detail"]
CLEANING_LOG_COLUMNS = ["doc_id", "action", "rule", "before", "after"]
PARAGRAPH_COLUMNS = ["doc_id", "para_id", "city", "text", "tokens", "flags"]
TOPIC_COLUMNS = ["topic_id", "label", "top_terms", "coherence", "share"]
DOC_TOPIC_COLUMNS = ["doc_id", "para_id", "topic_id", "weight"]
METRIC_COLUMNS = [
    "doc_id", "city", "sentence", "raw", "number", "value", "unit", "unit_std",
    "qualifier", "is_change", "category", "subject", "period", "claim_type",
    "period_year", "period_start", "period_end",
]  # fmt: skip
#: Typed columns of metrics.csv (see :func:`read_metrics`).
METRIC_FLOAT_COLUMNS = ["value", "value_low", "value_high", "multiplier"]
METRIC_INT_COLUMNS = ["sentence_id", "start", "end"]
METRIC_YEAR_COLUMNS = ["period_year", "period_start", "period_end"]
MECHANISM_COLUMNS = ["city", "mechanism", "family", "count", "n_docs", "example"]
#: campaigns.csv columns: defined where the table is built.
CAMPAIGN_COLUMNS = campaign_tables.COLUMNS
#: articles.csv as written: the contract columns, then the extra ones.
ARTICLE_FILE_COLUMNS = [*ARTICLE_COLUMNS, "n_chars_raw", "meta_sources"]
#: mechanisms.csv as written.
MECHANISM_FILE_COLUMNS = [
    *MECHANISM_COLUMNS, "example_doc_id", "mechanism_id", "family_id", "forms",
]  # fmt: skip

# File of the metrics stage besides metrics.csv: the GDP growth target that each
# national government work report of the reference corpus states.
NATIONAL_TARGETS = "national_targets.csv"
NATIONAL_TARGET_COLUMNS = [
    "doc_id", "year", "title", "low", "high", "value", "qualifier", "raw", "sentence",
]  # fmt: skip

# Files of the topic stage besides topics.csv and doc_topics.csv.
CITY_TOPICS = "city_topics.csv"
TOPIC_SELECTION = "topic_selection.csv"
TOPIC_SELECTION_COLUMNS = [
    "k", "coherence", "diversity", "stability", "quality", "max_share", "meets_cap",
    "eligible", "chosen",
]  # fmt: skip

# Files the comparison stage writes besides mechanisms.csv and city_comparison.csv.
CITY_SIMILARITY = "city_similarity.csv"
TEXT_REUSE = "text_reuse.csv"
DISTINCTIVE_TERMS = "distinctive_terms.csv"
CITY_TOPIC_SHARES = "city_topic_shares.csv"
CITY_CLAIMS = "city_claims.csv"
COVERAGE = "coverage.csv"
CITY_TOPIC_SHARE_COLUMNS = ["city", "topic_id", "label", "share"]
#: Leading columns of city_comparison.csv; then ``topic:<label>`` shares,
#: ``n_metrics``, ``metric_n:<category>``, ``metric_total:<category>:<unit>``,
#: ``mechanism_mentions``, ``mech_per10k``, ``mech_per10k:<family>``,
#: ``top_mechanisms``, ``cluster`` and ``cluster_order``.
CITY_COMPARISON_COLUMNS = [
    "city", "province", "prefecture", "admin_level", "years", "n_docs", "n_chars",
    "year_min", "year_max",
]  # fmt: skip
#: Leading columns of city_similarity.csv; ``topic_cosine`` follows when topic
#: shares exist, then ``rank``.
CITY_SIMILARITY_COLUMNS = ["city_a", "city_b", "text_cosine", "mechanism_cosine"]
DISTINCTIVE_TERM_COLUMNS = [
    "city", "rank", "term", "count", "count_rest", "per_10k", "log_odds", "z",
]  # fmt: skip
#: text_reuse.csv, as built by :func:`citytext.compare.reuse.text_reuse`.
TEXT_REUSE_COLUMNS = compare_reuse.REUSE_COLUMNS
CITY_CLAIM_COLUMNS = [
    "city", "category", "unit_std", "n", "n_change", "n_amount", "total", "median",
    "max",
]  # fmt: skip
COVERAGE_COLUMNS = ["city", "province", "year", "n_docs", "n_chars"]
#: Leading columns of city_topics.csv; then ``topic_0`` … ``topic_k``.
CITY_TOPIC_COLUMNS = ["city", "n_units"]

#: Every CSV of the run directory and its columns, in order, as README's table
#: lists them (after those, metrics.csv, topics.csv, city_comparison.csv,
#: city_topics.csv and city_similarity.csv have columns of their own).
RUN_CSV_COLUMNS = {
    ARTICLES: ARTICLE_FILE_COLUMNS,
    QUARANTINE: QUARANTINE_COLUMNS,
    CLEANING_LOG: CLEANING_LOG_COLUMNS,
    PARAGRAPHS: PARAGRAPH_COLUMNS,
    TOPICS: TOPIC_COLUMNS,
    DOC_TOPICS: DOC_TOPIC_COLUMNS,
    METRICS: METRIC_COLUMNS,
    NATIONAL_TARGETS: NATIONAL_TARGET_COLUMNS,
    MECHANISMS: MECHANISM_FILE_COLUMNS,
    CAMPAIGNS: CAMPAIGN_COLUMNS,
    CITY_COMPARISON: CITY_COMPARISON_COLUMNS,
    CITY_TOPICS: CITY_TOPIC_COLUMNS,
    TOPIC_SELECTION: TOPIC_SELECTION_COLUMNS,
    CITY_SIMILARITY: CITY_SIMILARITY_COLUMNS,
    DISTINCTIVE_TERMS: DISTINCTIVE_TERM_COLUMNS,
    TEXT_REUSE: TEXT_REUSE_COLUMNS,
    CITY_TOPIC_SHARES: CITY_TOPIC_SHARE_COLUMNS,
    CITY_CLAIMS: CITY_CLAIM_COLUMNS,
    COVERAGE: COVERAGE_COLUMNS,
}

#: Scratch folder of the cleaning stage, under :data:`STAGES_DIR` (removed at the end).
SPOOL_DIR = ".spool"


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


def text_csv(path: Path, **kwargs: Any) -> Any:
    """Parse a run-directory CSV with every value as text (empty stays "").

    The one parsing convention for the run's files; ``kwargs`` go to
    :func:`pandas.read_csv` (e.g. ``chunksize`` for a streaming reader).
    """
    kwargs.setdefault("encoding", "utf-8")
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)


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
    if _read_cache is None:
        return text_csv(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _read_cache:
        _read_cache[key] = text_csv(path)
        while len(_read_cache) > READ_CACHE_FILES:
            _read_cache.pop(next(iter(_read_cache)))
    return _read_cache[key].copy()


#: Tables kept by the read cache at most (oldest dropped first).
READ_CACHE_FILES = 16
_read_cache: dict[tuple[str, int, int], pd.DataFrame] | None = None


def cache_reads(enabled: bool = True) -> None:
    """Keep tables read by :func:`read_csv` in memory while their files are unchanged.

    For a process that reads the same finished run directory again and again
    (a kernel executing one city profile after another); each caller gets its
    own copy. A file that changes (size or modification time) is read again.
    Off by default: streaming stages keep their memory small.
    """
    global _read_cache
    _read_cache = {} if enabled else None


def read_optional(
    run_dir: Path | str, name: str, needed_for: str, *, level: int = logging.WARNING
) -> pd.DataFrame | None:
    """Read a run-directory CSV that may be absent, logging when it is.

    Args:
        run_dir: The run directory.
        name: File name.
        needed_for: What the caller goes on without (for the log message).
        level: Logging level of the message.

    Returns:
        The table (as :func:`read_csv`), or ``None`` when the file is missing.
    """
    try:
        return read_csv(run_dir, name)
    except FileNotFoundError:
        logger.log(level, "%s not found in %s: going on without %s",
                   name, run_dir, needed_for)  # fmt: skip
        return None


def read_metrics(run_dir: Path | str) -> pd.DataFrame:
    """Read a run's metrics.csv with numeric and boolean columns typed.

    Args:
        run_dir: The run directory.

    Returns:
        The table; ``value`` etc. as floats, offsets as ints, periods as
        nullable ints, ``is_change`` bool.

    Raises:
        FileNotFoundError: With a message naming the stage that writes the file.
    """
    df = read_csv(run_dir, METRICS)
    for col in METRIC_FLOAT_COLUMNS:
        df[col] = pd.to_numeric(df[col])
    for col in METRIC_INT_COLUMNS:
        df[col] = pd.to_numeric(df[col]).astype(int)
    for col in METRIC_YEAR_COLUMNS:
        if col in df.columns:
            df[col] = pd.to_numeric(df[col]).astype("Int64")
    df["is_change"] = df["is_change"] == "True"
    return df


def read_national_targets(run_dir: Path | str) -> pd.DataFrame:
    """Read the national GDP growth targets the metrics stage wrote.

    Args:
        run_dir: The run directory.

    Returns:
        :data:`NATIONAL_TARGET_COLUMNS`; ``year`` as int, ``low``, ``high`` and
        ``value`` as floats, the rest text.

    Raises:
        FileNotFoundError: With a message naming the stage that writes the file.
    """
    df = read_csv(run_dir, NATIONAL_TARGETS)
    df["year"] = pd.to_numeric(df["year"]).astype(int)
    for col in ("low", "high", "value"):
        df[col] = pd.to_numeric(df[col]).astype(float)
    return df


def read_topic_weights(run_dir: Path | str) -> dict[str, pd.DataFrame | None]:
    """Read the topic stage's weights and topic table, when the stage has run.

    Args:
        run_dir: The run directory.

    Returns:
        ``{"doc_topics": …, "topics": …}``, the keywords of
        :func:`citytext.topics.topic_years`: doc_topics.csv as text and
        topics.csv with an integer ``topic_id``; both ``None`` when either
        file is missing (the run has no paragraph topic weights).
    """
    needed = "topic shares by year"
    doc_topics = read_optional(run_dir, DOC_TOPICS, needed, level=logging.INFO)
    topics = read_optional(run_dir, TOPICS, needed, level=logging.INFO)
    if doc_topics is None or topics is None:
        return {"doc_topics": None, "topics": None}
    return {"doc_topics": doc_topics, "topics": topics.astype({"topic_id": int})}


#: The files of one place's profile, by the keyword of
#: :func:`citytext.compare.city_profile` that takes them.
PROFILE_FILES = {
    "articles": ARTICLES,
    "mechanisms": MECHANISMS,
    "comparison": CITY_COMPARISON,
}
#: Files a profile goes on without (their part of the page is left out).
PROFILE_OPTIONAL_FILES = {
    "metrics": METRICS,
    "topic_shares": CITY_TOPIC_SHARES,
    "similarity": CITY_SIMILARITY,
    "distinctive": DISTINCTIVE_TERMS,
    "reuse": TEXT_REUSE,
    "campaigns": CAMPAIGNS,
}


def read_profile_tables(run_dir: Path | str) -> dict[str, pd.DataFrame | None]:
    """Read the files a city profile is cut from (see :data:`PROFILE_FILES`).

    Args:
        run_dir: A run directory the comparison stage wrote.

    Returns:
        ``{keyword: table}`` for :func:`citytext.compare.city_profile`; an
        absent optional file gives ``None``, except metrics.csv, which gives an
        empty table with its columns.

    Raises:
        FileNotFoundError: If articles.csv, mechanisms.csv or
            city_comparison.csv is missing.
    """
    tables: dict[str, pd.DataFrame | None] = {
        key: read_csv(run_dir, name) for key, name in PROFILE_FILES.items()
    }
    for key, name in PROFILE_OPTIONAL_FILES.items():
        tables[key] = read_optional(
            run_dir, name, "that part of the profile", level=logging.INFO
        )
    if tables["metrics"] is None:
        tables["metrics"] = pd.DataFrame(columns=METRIC_COLUMNS)
    return tables


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
        out.write_text(
            json.dumps(info, ensure_ascii=False, indent=2, default=str), "utf-8"
        )
        logger.info("stage %s done in %.2fs", name, info["seconds"])


def read_stages(run_dir: Path | str) -> dict[str, dict[str, Any]]:
    """Return every recorded stage's facts, keyed by stage name."""
    folder = Path(run_dir) / STAGES_DIR
    if not folder.is_dir():
        return {}
    return {
        p.stem: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))
    }


#: Articles parsed at a time by the streaming stages: whole articles are large,
#: and a chunk's text is a stage's largest allocation.
ARTICLE_CHUNK_ROWS = 64


def iter_csv_rows(
    run_dir: Path | str, name: str, *, chunksize: int = 500
) -> Iterator[dict[str, str]]:
    """Stream a run-directory CSV as row dicts, ``chunksize`` rows in memory.

    The streaming twin of :func:`read_csv` (same parsing: every value is a
    string, empty stays empty), for per-document stages that must not hold
    the corpus in memory: pass the rows straight to :func:`map_documents`.

    Args:
        run_dir: The run directory.
        name: File name, e.g. ``"articles.csv"``.
        chunksize: Rows parsed at a time.

    Yields:
        One dict per row, keyed by column.

    Raises:
        FileNotFoundError: With a message naming the stage that writes the file.
    """
    path = Path(run_dir) / name
    if not path.is_file():
        read_csv(run_dir, name)  # raises the explanatory error
    with text_csv(path, chunksize=chunksize) as reader:
        for chunk in reader:
            yield from chunk.to_dict("records")
