"""One article end to end: :func:`clean_document`.

What belongs here: the order of work (repair, boilerplate, metadata), how the
title line is placed, and the flags derived from the log. The steps live in
the sibling modules.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from citytext.clean import headlines, pubdate
from citytext.clean.boilerplate import Line, remove_spans, split_lines
from citytext.clean.document import CleanDoc, Log, record
from citytext.clean.metadata import (
    apply_place,
    choose_outlet,
    collect_metadata,
    dateline_region,
    set_dates,
    split_names,
    strip_site_suffix,
)
from citytext.clean.repair import punctuation, repair, whitespace
from citytext.clean.rules import rules

logger = logging.getLogger(__name__)


_FLAG_RULES = {
    "mojibake_shift": "mojibake_repaired",
    "mojibake_codec": "mojibake_repaired",
    "mojibake_gloss_reading": "mojibake_repaired",
    "mojibake_unrecoverable": "mojibake_unrecoverable",
    "replacement_char": "mojibake_unrecoverable",
    "pinyin_gloss": "pinyin_removed",
    "t2s": "traditional_converted",
    "gambling_spam": "spam_removed",
    "photo_caption": "caption_removed",
    "control_char": "control_chars_removed",
}


def _assemble(lines: list[Line], title_idx: int) -> str:
    """Join the kept lines, the title first."""
    kept = [x.text for i, x in enumerate(lines) if not x.role and i != title_idx]
    if title_idx >= 0:
        kept.insert(0, lines[title_idx].text)
    return "\n".join(kept)


def clean_document(
    raw: str,
    source_file: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> CleanDoc:
    """Repair and clean one article and extract its metadata.

    Args:
        raw: The decoded text (page text for HTML, after content extraction).
        source_file: Where it came from (for log messages only).
        meta: Metadata already known (JSONL fields, HTML page metadata): keys
            ``title``, ``date``, ``year``, ``place``, ``outlet``, ``authors``,
            ``sitename``. Given fields are taken as given; only missing ones
            are inferred.

    Returns:
        The :class:`CleanDoc`.
    """
    meta = dict(meta or {})
    log: Log = []
    text = repair(raw, log=log)
    # Removing a span can bring ASCII punctuation next to Chinese: normalise again.
    text = whitespace(punctuation(remove_spans(text, log=log), log=log))
    given_title = whitespace(repair(str(meta.get("title") or "")))
    heading = whitespace(punctuation(repair(headlines.heading_stack_title(raw))))
    lines, title_idx, art = split_lines(text, given_title, heading)
    for line in lines:
        if line.role:
            record(log, "remove", line.role, line.text, "")
    found = collect_metadata(lines)
    dateline_region(found, lines, title_idx, art)
    if heading and (issue := pubdate.path_date(source_file or "")):
        # A newspaper archive names its files by issue: a date in the
        # heading stack is the date of the document the paper prints.
        found.date, found.date_source = issue, "path"
    if title_idx == 0 and not given_title and not heading:
        strip_site_suffix(lines[0], log)
    doc = CleanDoc(text=_assemble(lines, title_idx), log=log)
    doc.title = given_title or (lines[title_idx].text if title_idx >= 0 else "")
    doc.sources["title"] = "given" if given_title else ("text" if doc.title else "none")
    for m in rules()["inline_byline"].finditer(doc.text[:300]):
        found.authors.extend(
            n for n in split_names(m.group("names")) if n not in found.authors
        )
    given_authors = meta.get("authors") or meta.get("author") or ""
    if isinstance(given_authors, str):
        given_authors = split_names(given_authors) or (
            [given_authors] if given_authors else []
        )
    doc.authors = list(given_authors) or found.authors
    doc.sources["authors"] = (
        "given" if given_authors else ("byline" if doc.authors else "none")
    )
    doc.outlet, doc.sources["outlet"] = choose_outlet(found.outlet, meta)
    set_dates(doc, found, meta, source_file or "")
    apply_place(doc, meta)
    if not doc.title:
        doc.flags.append("no_title")
    if not doc.date:
        doc.flags.append("no_date")
    rules_seen = {e["rule"] for e in log}
    doc.flags.extend(sorted({f for r, f in _FLAG_RULES.items() if r in rules_seen}))
    if source_file:
        logger.debug("cleaned %s: %d log entries", source_file, len(log))
    return doc
