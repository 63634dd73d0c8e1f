r"""Stage functions that read and write the run directory.

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
import math
import pickle
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

import numpy as np
import pandas as pd

from citytext import clean, config, ingest, metrics
from citytext.runfiles import (  # noqa: F401 - re-exported for notebooks and tests
    ARTICLE_CHUNK_ROWS,
    ARTICLE_COLUMNS,
    ARTICLE_FILE_COLUMNS,
    ARTICLES,
    CAMPAIGN_COLUMNS,
    CAMPAIGNS,
    CITY_CLAIMS,
    CITY_COMPARISON,
    CITY_SIMILARITY,
    CITY_TOPIC_SHARE_COLUMNS,
    CITY_TOPIC_SHARES,
    CITY_TOPICS,
    CLEANING_LOG,
    CLEANING_LOG_COLUMNS,
    COVERAGE,
    DISTINCTIVE_TERMS,
    DOC_TOPIC_COLUMNS,
    DOC_TOPICS,
    MECHANISM_COLUMNS,
    MECHANISMS,
    METRIC_COLUMNS,
    METRICS,
    NATIONAL_TARGET_COLUMNS,
    NATIONAL_TARGETS,
    PARAGRAPH_COLUMNS,
    PARAGRAPHS,
    QUARANTINE,
    QUARANTINE_COLUMNS,
    SPOOL_DIR,
    STAGES_DIR,
    TEXT_REUSE,
    TOPIC_COLUMNS,
    TOPIC_SELECTION,
    TOPIC_SELECTION_COLUMNS,
    TOPICS,
    CsvAppender,
    iter_csv_rows,
    read_csv,
    read_optional,
    read_stages,
    stage,
    text_csv,
    write_csv,
)
from citytext.text import is_duplicate

logger = logging.getLogger(__name__)

Engine = Literal["local", "dask"]


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
def _clean_one(record: Any) -> dict[str, Any]:
    """Clean one ingested record (module-level and pure, for any engine).

    Args:
        record: An :class:`citytext.ingest.Document` or ``Quarantine``.

    Returns:
        A compact dict: ``quarantine`` (a row) or ``article`` (a row) with
        ``log`` rows, a MinHash ``signature`` and the document's ``group``.
    """
    if isinstance(record, ingest.Quarantine):
        row = {"source_file": record.source_file, "reason": record.reason}
        row["detail"] = record.detail
        return {"quarantine": row, "sha256": record.sha256}
    doc = clean.clean_document(
        record.text, source_file=record.source_file, meta=record.meta
    )
    if ingest.count_cjk(doc.text) < ingest.MIN_CJK:
        detail = f"nothing but site chrome ({len(doc.log)} removals)"
        row = {
            "source_file": record.source_file,
            "reason": "only_chrome",
            "detail": detail,
        }
        return {"quarantine": row, "sha256": record.sha256, "encoding": record.encoding}
    article = {
        "doc_id": record.doc_id,
        "source_file": record.source_file,
        "title": doc.title,
        "date": doc.date,
        "date_source": doc.date_source,
        "year": doc.year,
        "outlet": doc.outlet,
        "authors": doc.authors_joined,
        "city": doc.city,
        "prefecture": doc.prefecture,
        "province": doc.province,
        "admin_level": doc.admin_level,
        "n_chars": len(doc.text),
        "n_chars_raw": len(record.text),
        "flags": ";".join(doc.flags),
        "duplicate_of": "",
        "encoding": record.encoding,
        "text": doc.text,
        "meta_sources": json.dumps(doc.sources, ensure_ascii=False, sort_keys=True),
    }
    log = [{"doc_id": record.doc_id, **entry} for entry in doc.log]
    group = doc.outlet or str(Path(record.source_file).parent)
    return {
        "article": article,
        "log": log,
        "signature": clean.minhash(doc.text),
        "group": group,
        "sha256": record.sha256,
    }


def _source_path(source_file: str) -> str:
    """Strip a ``#L<n>``/``#R<n>`` record suffix from a source path."""
    return source_file.split("#", 1)[0]


class _CleaningPass:
    """First pass of :func:`run_cleaning`: spool articles, keep compact state.

    Each cleaned article and its log go to a spool file as they arrive; in
    memory stay only what the corpus-wide rules need (edge-line counts per
    group, the near-duplicate index) and, per article, its doc_id, spool
    offset, group and the doc_id it copies. Quarantine rows are few and kept.
    """

    def __init__(self, spool: BinaryIO) -> None:
        self.spool = spool
        self.articles: list[tuple[str, int, str, str]] = []
        self.quarantine: list[dict[str, str]] = []
        self.inputs: dict[str, str] = {}
        self.encodings: dict[str, str] = {}
        self.documents = 0
        self.edges = clean.EdgeLineCounts()
        self.near = clean.NearDuplicateIndex()
        self._groups: dict[str, str] = {}

    def add(self, result: dict[str, Any]) -> None:
        """Take one result of :func:`_clean_one`."""
        self.documents += 1
        row = result.get("article") or result["quarantine"]
        path = _source_path(row["source_file"])
        self.inputs.setdefault(path, result.get("sha256", ""))
        if result.get("article") or result.get("encoding"):
            source = result.get("article") or result
            self.encodings.setdefault(path, source["encoding"])
        if "article" in result:
            self._add_article(result)
        else:
            self.quarantine.append(result["quarantine"])

    def _add_article(self, result: dict[str, Any]) -> None:
        art = result["article"]
        group = self._groups.setdefault(result["group"], result["group"])
        self.edges.add(group, clean.edge_lines(art["text"]))
        original = self.near.add(art["doc_id"], result["signature"])
        offset = self.spool.tell()
        pickle.dump((art, result["log"]), self.spool, protocol=pickle.HIGHEST_PROTOCOL)
        self.articles.append((art["doc_id"], offset, group, original))


def _finish_article(
    art: dict[str, Any], log: list[dict[str, Any]], lines: set[str], original: str
) -> int:
    """Apply the corpus-wide rules to one spooled article.

    Removes the group's recurring edge lines (logged with rule
    ``corpus_boilerplate``) and marks a near-duplicate.

    Returns:
        The number of lines removed.
    """
    removed = 0
    if lines:
        entries: list[dict[str, str]] = []
        art["text"] = clean.remove_lines(
            art["text"], lines, rule="corpus_boilerplate", log=entries
        )
        art["n_chars"] = len(art["text"])
        log.extend({"doc_id": art["doc_id"], **e} for e in entries)
        removed = len(entries)
    if original:
        art["duplicate_of"] = original
        art["flags"] = ";".join(f for f in (art["flags"], "near_duplicate") if f)
    return removed


def _write_articles(
    state: _CleaningPass, spool: Path, articles_path: Path, log_path: Path
) -> int:
    """Second pass: articles and cleaning log in doc_id order.

    Args:
        state: The first pass.
        spool: The spool file it wrote.
        articles_path: Where to write the articles.csv rows.
        log_path: Where to write the cleaning_log.csv rows.

    Returns:
        The number of recurring chrome lines removed.
    """
    recurring = state.edges.recurring()
    removed = 0
    with (
        spool.open("rb") as fh,
        CsvAppender(articles_path, ARTICLE_FILE_COLUMNS) as articles,
        CsvAppender(log_path, CLEANING_LOG_COLUMNS) as logs,
    ):
        for _, offset, group, original in sorted(state.articles, key=lambda a: a[0]):
            fh.seek(offset)
            art, log = pickle.load(fh)
            removed += _finish_article(art, log, recurring.get(group, set()), original)
            articles.write([art])
            logs.write(log)
    return removed


def _cleaning_counts(state: _CleaningPass, chrome_lines: int) -> dict[str, Any]:
    """The counts :func:`run_cleaning` returns, checked to reconcile.

    Args:
        state: The finished first pass.
        chrome_lines: Recurring chrome lines removed in the second pass.

    Returns:
        The counts (see :func:`run_cleaning`).

    Raises:
        RuntimeError: When documents != kept + quarantined + duplicates.
    """
    by_reason = Counter(q["reason"] for q in state.quarantine)
    n_exact = by_reason.get("duplicate", 0)
    n_near = len(state.near.duplicates)
    counts = {
        "files_seen": len(state.inputs),
        "documents": state.documents,
        "kept": len(state.articles) - n_near,
        "quarantined": len(state.quarantine) - n_exact,
        "duplicates": n_exact + n_near,
        "near_duplicates": n_near,
        "by_reason": dict(sorted(by_reason.items())),
        "encodings": dict(sorted(Counter(state.encodings.values()).items())),
        "corpus_chrome_lines": chrome_lines,
    }
    if (
        counts["documents"]
        != counts["kept"] + counts["quarantined"] + counts["duplicates"]
    ):
        raise RuntimeError(f"cleaning counts do not reconcile: {counts}")
    return counts


@contextlib.contextmanager
def _scratch(run_dir: Path, *names: str) -> Iterator[list[Path]]:
    """Scratch files under ``run_dir/stages/.spool``, removed on exit.

    A stage writes its outputs there and moves them into place only once it
    has succeeded, so a failed stage leaves the previous outputs untouched.

    Args:
        run_dir: The run directory.
        *names: File names.

    Yields:
        The paths, in the order of ``names``.
    """
    folder = run_dir / STAGES_DIR / SPOOL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in names]
    try:
        yield paths
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.rmdir()


def run_cleaning(
    corpus: Path, run_dir: Path, *, engine: Engine = "local", scheduler: str = ""
) -> dict[str, Any]:
    """Ingest and clean a corpus: articles.csv, quarantine.csv, cleaning_log.csv.

    Every input ends up in exactly one place. A document is *kept* (a row of
    ``articles.csv``), *quarantined* (a row of ``quarantine.csv`` with its
    reason), or a *duplicate*: a byte-identical file (a ``quarantine.csv``
    row with reason ``duplicate``) or a near-duplicate story (kept in
    ``articles.csv`` with ``duplicate_of`` set and flag ``near_duplicate``,
    so it is counted but not analysed twice). So
    ``documents = kept + quarantined + duplicates``; for a corpus of
    single-document files ``documents == files_seen``.

    The stage streams: cleaned articles are spooled to a scratch file under
    ``run_dir/stages/.spool`` (removed at the end) while only compact state
    stays in memory; the corpus-wide rules (recurring site chrome,
    near-duplicates) are then applied while the spool is read back in doc_id
    order and appended to the CSVs.

    Args:
        corpus: Corpus directory (read recursively).
        run_dir: Run directory.
        engine: ``"local"`` or ``"dask"``.
        scheduler: Dask scheduler address (empty: local cluster).

    Returns:
        Counts: files_seen, documents, kept, quarantined, duplicates,
        near_duplicates, by_reason, encodings and corpus_chrome_lines.

    Raises:
        FileNotFoundError: When ``corpus`` is not a directory.
        RuntimeError: When the counts do not reconcile.
    """
    corpus, run_dir = Path(corpus), Path(run_dir)
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {corpus}")
    scratch = _scratch(run_dir, "clean.pkl", ARTICLES, CLEANING_LOG)
    with stage(run_dir, "clean") as info, scratch as (spool, articles, log):
        with spool.open("wb") as fh:
            state = _CleaningPass(fh)
            for result in map_documents(
                _clean_one,
                ingest.iter_inputs(corpus),
                engine=engine,
                scheduler=scheduler,
            ):
                state.add(result)
        chrome_lines = _write_articles(state, spool, articles, log)
        counts = _cleaning_counts(state, chrome_lines)
        articles.replace(run_dir / ARTICLES)
        write_csv(
            pd.DataFrame(state.quarantine, columns=QUARANTINE_COLUMNS),
            run_dir / QUARANTINE,
            columns=QUARANTINE_COLUMNS,
            sort_by=["source_file"],
        )
        log.replace(run_dir / CLEANING_LOG)
        info.update(counts)
        info["inputs"] = dict(sorted(state.inputs.items()))
        info["corpus"] = str(corpus)
        info["engine"] = engine
    logger.info(
        "cleaning: %s", {k: counts[k] for k in ("files_seen", "kept", "quarantined")}
    )
    return counts


def document_diffs(
    corpus: Path | str, doc_ids: Iterable[str] | None = None
) -> dict[str, str]:
    """Return unified diffs between raw and cleaned text, per document.

    Args:
        corpus: Corpus directory (re-read with :func:`citytext.ingest.iter_inputs`).
        doc_ids: Documents to diff (all when None).

    Returns:
        ``{doc_id: diff text}`` (see :func:`citytext.clean.document_diff`).
    """
    wanted = set(doc_ids) if doc_ids is not None else None
    out = {}
    for record in ingest.iter_inputs(corpus):
        if not isinstance(record, ingest.Document):
            continue
        if wanted is not None and record.doc_id not in wanted:
            continue
        out[record.doc_id] = clean.document_diff(
            record.text, source_file=record.source_file, meta=record.meta
        )
    return out


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
    from citytext import segment

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
        seed_topics: Family name -> seed words (guided topics).
        n_terms: Words listed per topic in topics.csv.

    Returns:
        ``topics`` (DataFrame), ``selection`` (k sweep), ``city_topics``,
        ``result`` (:class:`citytext.topics.TopicResult`) and ``info``.
    """
    from citytext import topics as tm

    run_dir = Path(run_dir)
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
    scratch = _scratch(run_dir, METRICS)
    with stage(run_dir, "metrics") as info, scratch as (path,):
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


def _comparison_topics(run_dir: Path, articles: pd.DataFrame) -> pd.DataFrame | None:
    """Topic shares per place: from doc_topics.csv, else city_topics.csv, else None."""
    from citytext import compare

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
    from citytext import compare

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
