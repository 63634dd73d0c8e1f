"""Read a corpus directory into documents or quarantine records.

What belongs here: finding input files, decoding bytes in any common Chinese
encoding, splitting multi-document files (.jsonl, .csv), extracting the main
content of HTML pages, and deciding which files cannot be read (with a short,
stable reason code). Repairing and cleaning text belongs in
:mod:`citytext.clean`.

Every file yields either documents or exactly one :class:`Quarantine` record
(a bad JSONL line yields its own record); nothing raises and nothing is
dropped silently. Reason codes:

``empty``, ``whitespace_only``, ``binary``, ``undecodable``, ``no_chinese``,
``unreadable``, ``unsupported_extension``, ``corpus_documentation``,
``too_large``, ``bad_jsonl_line``,
``missing_text_column``, ``duplicate`` (byte-identical to an earlier file),
and ``only_chrome`` (decided after cleaning, by the pipeline).

Decoding order: strict UTF-8 (with or without BOM); UTF-16/32 by BOM, and
BOM-less UTF-16 by its NUL-byte pattern; strict GB18030; then the
``charset-normalizer`` detector (Big5 and others). A strict GB18030 decode
that reads much worse than the detector's guess gives way to it, since Big5
bytes often decode as valid but meaningless GB18030.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citytext import text as text_mod

logger = logging.getLogger(__name__)

TEXT_EXTENSIONS = {".txt", ".text", ".md"}
#: Files that document a corpus rather than belong to it (SOURCE.md beside a
#: docs.jsonl): quarantined as ``corpus_documentation``, never analysed.
DOC_FILE_NAMES = re.compile(
    r"^(readme|source|sources|license|licence|changelog|datasheet)(\.[a-z]+)?$", re.I
)
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
CSV_EXTENSIONS = {".csv", ".tsv"}
#: Single-document files (.txt, .html, .csv) larger than this are quarantined
#: as ``too_large`` instead of being read in one piece: the longest government
#: work report is about 100 KB, so 16 MiB is far beyond any article and catches
#: dumps and concatenations that would dominate every per-city figure. JSONL
#: files are streamed line by line and have no limit.
MAX_BYTES = 16 * 1024 * 1024
#: Minimum Chinese characters for a text to count as Chinese.
MIN_CJK = 10
TEXT_FIELDS = ("text", "content", "body", "正文")

_MAGIC = (
    b"\x89PNG",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x7fELF",
    b"MZ",
    b"BZh",
    b"\xd0\xcf\x11\xe0",
)


@dataclass
class Document:
    """One input document.

    Attributes:
        doc_id: Identifier (file stem, JSONL ``doc_id`` or ``<stem>-<line>``).
        source_file: Path relative to the corpus directory (``#L<n>`` for a
            JSONL line, ``#R<n>`` for a CSV row).
        text: Decoded text (HTML: extracted main content).
        meta: Metadata given by the input (JSONL/CSV fields, HTML metadata).
        encoding: Encoding the bytes were decoded with.
        sha256: Hash of the whole input file.
    """

    doc_id: str
    source_file: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str = ""
    sha256: str = ""


@dataclass
class Quarantine:
    """An input that is not analysed, with its reason code and a detail."""

    source_file: str
    reason: str
    detail: str = ""
    sha256: str = ""


class DecodeError(ValueError):
    """Raised when bytes cannot be decoded; ``reason`` is the quarantine code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


count_cjk = text_mod.count_cjk


def _utf16_without_bom(data: bytes) -> str | None:
    """Return ``utf-16-le``/``utf-16-be`` when NUL bytes follow UTF-16's pattern."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.2 and even < 0.05:
        return "utf-16-le"
    if even > 0.2 and odd < 0.05:
        return "utf-16-be"
    return None


def _utf16_by_content(data: bytes) -> str | None:
    """Detect BOM-less UTF-16 with few NULs (mostly Chinese) by decoding a sample."""
    if len(data) % 2 or len(data) < 8:
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    sample = data[:8192]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
        if count_cjk(text) >= 0.4 * len(text) and printable >= 0.97 * len(text):
            return enc
    return None


def _decode_utf16_by_content(data: bytes) -> tuple[str, str] | None:
    """Decode BOM-less, mostly Chinese UTF-16 when it reads best that way."""
    utf16 = _utf16_by_content(data)
    if not utf16:
        return None
    try:
        text16 = data.decode(utf16)
    except UnicodeDecodeError:
        return None
    try:
        legacy = _decode_legacy(data)
    except DecodeError:
        return text16, utf16
    return (text16, utf16) if _quality(text16) >= _quality(legacy[0]) else legacy


def _looks_binary(data: bytes) -> bool:
    """Return whether bytes are a binary file rather than text."""
    head = data[:8192]
    if any(head.startswith(m) for m in _MAGIC):
        return True
    if not head:
        return False
    nul = head.count(0) / len(head)
    controls = sum(1 for b in head if b < 9 or 13 < b < 32) / len(head)
    return nul > 0.3 or controls > 0.1


def _quality(text: str) -> float:
    """Readability score of decoded text (see :func:`citytext.text.text_quality`)."""
    return text_mod.text_quality(text[:5000])


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode bytes in the first encoding that fits.

    Args:
        data: File content.

    Returns:
        ``(text, encoding)``.

    Raises:
        DecodeError: With reason ``binary`` or ``undecodable``.
    """
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    "undecodable", f"{enc} BOM but invalid: {exc}"
                ) from exc
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    by_content = _decode_utf16_by_content(data)
    if by_content is not None:
        return by_content
    if _looks_binary(data):
        raise DecodeError("binary", "binary content (magic number or control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _detector_guess(data: bytes) -> tuple[str, str] | None:
    """Decode with charset-normalizer's best guess (None when it has none)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or not best.encoding:
        return None
    try:
        return data.decode(best.encoding), best.encoding.replace("_", "-").lower()
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode non-UTF bytes: strict GB18030, else the detector's guess."""
    gb = None
    with contextlib.suppress(UnicodeDecodeError):
        gb = data.decode("gb18030")
    guess = _detector_guess(data)
    if gb is not None and (guess is None or _quality(gb) >= _quality(guess[0]) - 1.0):
        return gb, "gb18030"
    for enc in ("big5", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if guess is None or _quality(text) > _quality(guess[0]):
            guess = (text, enc)
    if guess is not None:
        return guess
    raise DecodeError("undecodable", "not UTF-8/16, GB18030 or a detectable encoding")


#: Elements after which a text dump of a page starts a new line.
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "title",
        "option",
    }
)


def html_text(html: str) -> str:
    """Return a page's text as a scraper dumps it.

    The ``<title>`` comes first, then one line per block element; scripts and
    styles are left out.

    Args:
        html: The page's HTML.

    Returns:
        The text, lines separated by newlines ("" for a page without text).
    """
    import lxml.etree
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    parts: list[str] = []
    title = tree.findtext(".//title") or ""
    if title.strip():
        parts += [title, "\n"]
    body = tree.find("body")
    for event, el in lxml.etree.iterwalk(
        body if body is not None else tree, events=("start", "end")
    ):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.text and tag != "title":
                parts.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.tail:
                parts.append(el.tail)
    lines = (" ".join(x.split()) for x in "".join(parts).split("\n"))
    return "\n".join(x for x in lines if x)


#: Trafilatura's text is kept when it holds at least this share of the Han
#: characters the plain-text cleaner keeps from the same page's text dump.
TRAFILATURA_MIN_SHARE = 0.5


def html_document(html: str) -> tuple[str, dict[str, Any]]:
    """Return the text to clean from an HTML page, and the page's metadata.

    Trafilatura's main text is used when it holds a fair share of the page's
    text; when it returns little (a page of short lines, a list), the page's
    text dump (:func:`html_text`) is returned instead, for the plain-text
    cleaner to find the article in.

    Args:
        html: The page's HTML.

    Returns:
        ``(text, metadata)``; metadata keys ``title``, ``date``, ``authors``,
        ``sitename`` when trafilatura found them.
    """
    body, meta = _html_document(html)
    dump = html_text(html)
    if count_cjk(body) < TRAFILATURA_MIN_SHARE * _article_cjk(dump):
        return dump, {k: v for k, v in meta.items() if k != "title"}
    return body, meta


def _article_cjk(dump: str) -> int:
    """Han characters on the dump's sentence lines (what an article holds)."""
    return sum(count_cjk(x) for x in dump.split("\n") if len(x) >= 20 and "，" in x)


def _html_document(text: str) -> tuple[str, dict[str, Any]]:
    """Extract an HTML page's main content and its own metadata."""
    import trafilatura

    meta: dict[str, Any] = {}
    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        deduplicate=False,
    )
    body = ""
    if doc is not None:
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        body = data.get("text") or ""
        for key, out in (
            ("title", "title"),
            ("date", "date"),
            ("author", "authors"),
            ("sitename", "sitename"),
        ):
            if data.get(key):
                meta[out] = str(data[key])
    if not body.strip():
        import lxml.html

        tree = lxml.html.fromstring(text)
        for bad in tree.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        body = tree.text_content()
    return body, meta


def _read_bytes(path: Path) -> bytes:
    """Read a file's bytes (raises OSError subclasses)."""
    with path.open("rb") as fh:
        return fh.read()


def _sha256_file(path: Path) -> str:
    """Return the SHA-256 of a file, streaming it."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_text(text: str) -> str:
    """Return a quarantine reason for decoded text, or ""."""
    stripped = text.replace("\x00", "").strip()
    if not stripped:
        return "whitespace_only"
    if count_cjk(stripped[:200_000]) < MIN_CJK:
        return "no_chinese"
    return ""


class _Ids:
    """Hand out unique document ids (a repeated stem gets ``-2``, ``-3``...)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def take(self, wanted: str) -> str:
        doc_id, n = wanted, 1
        while doc_id in self.seen:
            n += 1
            doc_id = f"{wanted}-{n}"
        self.seen.add(doc_id)
        return doc_id


def iter_files(corpus_dir: Path) -> Iterator[Path]:
    """Yield every file under ``corpus_dir`` recursively, sorted by path."""
    corpus_dir = Path(corpus_dir)
    for root, dirs, files in os.walk(
        corpus_dir, onerror=lambda e: logger.warning("%s", e)
    ):
        dirs.sort()
        for name in sorted(files):
            yield Path(root) / name


def iter_inputs(corpus_dir: Path | str) -> Iterator[Document | Quarantine]:
    """Yield a document or quarantine record for everything in ``corpus_dir``.

    Files are visited recursively in sorted order, so ids and outputs are
    deterministic. Byte-identical files after the first are quarantined as
    ``duplicate``.

    Args:
        corpus_dir: Corpus directory.

    Yields:
        :class:`Document` and :class:`Quarantine` records.
    """
    corpus_dir = Path(corpus_dir)
    ids = _Ids()
    seen_hashes: dict[str, str] = {}
    for path in iter_files(corpus_dir):
        rel = path.relative_to(corpus_dir).as_posix()
        yield from _file_inputs(path, rel, ids, seen_hashes)


def _file_inputs(
    path: Path, rel: str, ids: _Ids, seen_hashes: dict[str, str]
) -> Iterator[Document | Quarantine]:
    """Yield the records of one file (see :func:`iter_inputs`)."""
    try:
        size = path.stat().st_size
        sha = _sha256_file(path)
    except OSError as exc:
        yield Quarantine(
            rel, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"
        )
        return
    if size == 0:
        yield Quarantine(rel, "empty", "0 bytes", sha)
        return
    if sha in seen_hashes:
        yield Quarantine(rel, "duplicate", f"same bytes as {seen_hashes[sha]}", sha)
        return
    seen_hashes[sha] = rel
    suffix = path.suffix.lower()
    if DOC_FILE_NAMES.match(path.name):
        yield Quarantine(
            rel, "corpus_documentation", "README/SOURCE/LICENSE file of the corpus", sha
        )
        return
    if suffix in JSONL_EXTENSIONS:
        yield from _jsonl_inputs(path, rel, ids, sha)
        return
    if suffix not in TEXT_EXTENSIONS | HTML_EXTENSIONS | CSV_EXTENSIONS:
        yield Quarantine(
            rel, "unsupported_extension", f"extension {suffix or '(none)'!r}", sha
        )
        return
    yield from _single_inputs(path, rel, ids, sha, size)


def _single_inputs(
    path: Path, rel: str, ids: _Ids, sha: str, size: int
) -> Iterator[Document | Quarantine]:
    """Yield the records of a .txt, .html or .csv file."""
    suffix = path.suffix.lower()
    if size > MAX_BYTES:
        yield Quarantine(rel, "too_large", f"{size} bytes > limit {MAX_BYTES}", sha)
        return
    try:
        text, encoding = decode_bytes(_read_bytes(path))
    except DecodeError as exc:
        yield Quarantine(rel, exc.reason, exc.detail, sha)
        return
    except OSError as exc:
        yield Quarantine(rel, "unreadable", f"{type(exc).__name__}: {exc}", sha)
        return
    if suffix in CSV_EXTENSIONS:
        yield from _csv_inputs(text, rel, path.stem, ids, encoding, sha, suffix)
        return
    meta: dict[str, Any] = {}
    if suffix in HTML_EXTENSIONS:
        try:
            text, meta = html_document(text)
        except Exception as exc:  # noqa: BLE001 - a broken page must not stop the run
            yield Quarantine(rel, "undecodable", f"HTML not parsed: {exc}", sha)
            return
    reason = _check_text(text)
    if reason:
        yield Quarantine(rel, reason, f"{count_cjk(text)} Chinese characters", sha)
        return
    yield Document(ids.take(path.stem), rel, text, meta, encoding, sha)


def _jsonl_inputs(
    path: Path, rel: str, ids: _Ids, sha: str
) -> Iterator[Document | Quarantine]:
    """Yield one document per JSONL line (bad lines are quarantined)."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Quarantine(rel, "unreadable", f"{type(exc).__name__}: {exc}", sha)
        return
    with fh:
        head = fh.read(65536)
        fh.seek(0)
        try:
            # JSON text is UTF-8 (RFC 8259); the head may end inside a character.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            try:
                _, encoding = decode_bytes(head)
            except DecodeError as exc:
                yield Quarantine(rel, exc.reason, exc.detail, sha)
                return
        encoding = "utf-8-sig" if encoding.startswith("utf-8") else encoding
        n_records = 0
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            n_records += 1
            yield _jsonl_record(raw, lineno, encoding, rel, path.stem, ids, sha)
        if n_records == 0:
            yield Quarantine(rel, "whitespace_only", "no JSON lines", sha)


def _jsonl_record(
    raw: bytes, lineno: int, encoding: str, rel: str, stem: str, ids: _Ids, sha: str
) -> Document | Quarantine:
    """Turn one JSONL line into a document or a quarantine record."""
    where = f"{rel}#L{lineno}"
    try:
        obj = json.loads(
            raw.decode(encoding if lineno == 1 else encoding.replace("-sig", ""))
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Quarantine(
            where, "bad_jsonl_line", f"{type(exc).__name__}: {exc}"[:200], sha
        )
    if not isinstance(obj, dict):
        return Quarantine(where, "bad_jsonl_line", "line is not a JSON object", sha)
    text = next((obj[k] for k in TEXT_FIELDS if isinstance(obj.get(k), str)), None)
    if text is None:
        return Quarantine(where, "bad_jsonl_line", "no text field", sha)
    reason = _check_text(text)
    if reason:
        return Quarantine(where, reason, f"{count_cjk(text)} Chinese characters", sha)
    meta = {
        k: v for k, v in obj.items() if k not in TEXT_FIELDS and v not in (None, "")
    }
    doc_id = str(obj.get("doc_id") or f"{stem}-{lineno}")
    return Document(ids.take(doc_id), where, text, meta, encoding, sha)


def _csv_inputs(
    text: str, rel: str, stem: str, ids: _Ids, encoding: str, sha: str, suffix: str
) -> Iterator[Document | Quarantine]:
    """Yield one document per CSV row with a ``text`` column."""
    reader = csv.DictReader(
        io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ","
    )
    try:
        columns = {c.strip().lower(): c for c in (reader.fieldnames or []) if c}
    except csv.Error as exc:
        yield Quarantine(rel, "missing_text_column", f"CSV not parsed: {exc}", sha)
        return
    text_col = next((columns[k] for k in TEXT_FIELDS if k in columns), None)
    if text_col is None:
        yield Quarantine(rel, "missing_text_column", f"columns: {sorted(columns)}", sha)
        return
    try:
        for rowno, row in enumerate(reader, start=1):
            where = f"{rel}#R{rowno}"
            body = row.get(text_col) or ""
            reason = _check_text(body)
            if reason:
                yield Quarantine(
                    where, reason, f"{count_cjk(body)} Chinese characters", sha
                )
                continue
            meta = {
                k.strip().lower(): v
                for k, v in row.items()
                if k and k != text_col and v not in (None, "")
            }
            doc_id = str(meta.pop("doc_id", "") or f"{stem}-{rowno}")
            yield Document(ids.take(doc_id), where, body, meta, encoding, sha)
    except csv.Error as exc:
        yield Quarantine(rel, "missing_text_column", f"CSV not parsed: {exc}", sha)


def read_reference(path: Path | str) -> tuple[list[Document], list[Quarantine]]:
    """Read a reference corpus: a folder of inputs or one input file.

    A reference corpus is read beside the run's own corpus and taken as given,
    with its metadata (the national government work reports' ``docs.jsonl``
    with ``year`` and ``title``); it is not cleaned. Files are read exactly as
    :func:`iter_inputs` reads a corpus, so a bad line or file becomes a
    quarantine record, never an exception.

    Args:
        path: A folder (every input file below it) or one file (``docs.jsonl``).

    Returns:
        ``(documents, quarantined)`` in input order.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
    """
    path = Path(path)
    if path.is_dir():
        records = list(iter_inputs(path))
    elif path.is_file():
        records = list(_file_inputs(path, path.name, _Ids(), {}))
    else:
        raise FileNotFoundError(f"no reference corpus at {path}")
    docs = [r for r in records if isinstance(r, Document)]
    return docs, [r for r in records if isinstance(r, Quarantine)]
