r"""Repair, boilerplate removal and metadata extraction for scraped articles.

Text in, text and metadata out: reading files belongs in
:mod:`citytext.ingest`, place names in :mod:`citytext.places`. A package:

- :mod:`.repair` and :mod:`.mojibake`: control characters, GBK mojibake,
  pinyin glosses, traditional to simplified (only for text that is
  traditional), width, punctuation and whitespace;
- :mod:`.boilerplate` with :mod:`.rules`: chrome spans and lines, each removal
  logged with its rule id from ``resources/clean_rules.yaml``;
- :mod:`.content` and :mod:`.headlines`: the line model that chooses the
  article block on plain text, and the title line;
- :mod:`.metadata` and :mod:`.pubdate`: date and where it came from, outlet,
  authors, and the place the article is about
  (:func:`citytext.places.article_place`);
- :mod:`.core`: :func:`clean_document`, the order of work; :mod:`.document`:
  :class:`CleanDoc` and its change log;
- :mod:`.dedup`: corpus-level helpers (recurring edge lines, near
  duplicates); :mod:`.summaries`: tables for the cleaning notebook.

Every change is recorded as ``{"action", "rule", "before", "after"}`` so that
``cleaning_log.csv`` accounts for each removed or repaired span. Cleaning is
idempotent: cleaning an already clean text changes nothing. The names below
are re-exported, so ``clean.clean_document(...)`` is the stable entry point.

Examples:
    >>> pinyin_glosses("中國網(wǎng)")
    '中國網'
    >>> clean_document("海城市：文明创建\\n\\n2024-01-03 来源：辽宁日报\\n\\n"
    ...                "海城市全力推进文明城市创建，取得新成效。").date
    '2024-01-03'
"""

from __future__ import annotations

from citytext.clean.boilerplate import (
    MAX_PASSES,
    page_lines,
    remove_boilerplate,
    remove_lines,
    remove_spans,
)
from citytext.clean.core import clean_document
from citytext.clean.dedup import (
    EdgeLineCounts,
    NearDuplicateIndex,
    corpus_boilerplate,
    edge_lines,
    minhash,
    near_duplicates,
    recurring_edge_lines,
)
from citytext.clean.document import CleanDoc, Log, TextFunc
from citytext.clean.mojibake import mojibake
from citytext.clean.repair import (
    control_chars,
    is_traditional,
    make_pipeline,
    pinyin_glosses,
    punctuation,
    repair,
    traditional_to_simplified,
    whitespace,
    width,
)
from citytext.clean.rules import rules
from citytext.clean.summaries import (
    document_diff,
    metadata_table,
    removals_by_rule,
    repaired_spans,
    size_table,
)

__all__ = [
    "MAX_PASSES",
    "CleanDoc",
    "EdgeLineCounts",
    "Log",
    "NearDuplicateIndex",
    "TextFunc",
    "clean_document",
    "control_chars",
    "corpus_boilerplate",
    "document_diff",
    "edge_lines",
    "is_traditional",
    "make_pipeline",
    "metadata_table",
    "minhash",
    "mojibake",
    "near_duplicates",
    "page_lines",
    "pinyin_glosses",
    "punctuation",
    "recurring_edge_lines",
    "removals_by_rule",
    "remove_boilerplate",
    "remove_lines",
    "remove_spans",
    "repair",
    "repaired_spans",
    "rules",
    "size_table",
    "traditional_to_simplified",
    "whitespace",
    "width",
]
