"""The cleaning stage.

The corpus in; ``articles.csv``, ``cleaning_log.csv`` and ``quarantine.csv`` out.
"""

from __future__ import annotations

import json
import logging
import pickle
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from citytext import clean, ingest
from citytext.engines import Engine, map_documents
from citytext.pipeline.spool import scratch
from citytext.runfiles import (
    ARTICLE_FILE_COLUMNS,
    ARTICLES,
    CLEANING_LOG,
    CLEANING_LOG_COLUMNS,
    QUARANTINE,
    QUARANTINE_COLUMNS,
    CsvAppender,
    stage,
    write_csv,
)

logger = logging.getLogger(__name__)


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
    spool_files = scratch(run_dir, "clean.pkl", ARTICLES, CLEANING_LOG)
    with stage(run_dir, "clean") as info, spool_files as (spool, articles, log):
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
