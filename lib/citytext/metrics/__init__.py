"""Metrics: the claimed quantities of Chinese government texts, as a table.

A sentence such as ``截至目前，全区累计发现并解决问题2380余个`` becomes a row
(``raw`` 2380余个, ``value`` 2380.0, ``unit_std`` 个, ``qualifier`` 余,
``subject`` 问题, ``claim_type`` achieved, ``category`` 问题诉求). The package,
in the order the work is done:

* :mod:`.numerals`: normalisation that keeps offsets, numeral parsing;
* :mod:`.grammar`: the quantity grammar, what is not a metric, qualifiers,
  changes, subjects and period words (its docstring lists every convention);
* :mod:`.periods`: the years that time expressions name;
* :mod:`.claims`: claim type (achieved, target, plan, reference) and year;
* :mod:`.categories`: the category of a (subject, unit) pair, from one table;
* :mod:`.extraction`: :func:`extract` and the per-document rows of the stage;
* :mod:`.gdp`: the yearly GDP growth target of a national work report;
* :mod:`.summaries`: tables of metrics.csv for the notebooks and profiles.

The names below are the public entry points, re-exported here. The package
reads no files but its resource tables: documents come from
:mod:`citytext.ingest` and the run directory's files are read and written
by :mod:`citytext.runfiles`.
"""

from __future__ import annotations

from citytext.metrics.categories import (
    category,
    category_table,
    subject_group,
    unit_kind,
)
from citytext.metrics.claims import CLAIM_TYPES, Claim, classify
from citytext.metrics.claims import COLUMNS as CLAIM_COLUMNS
from citytext.metrics.extraction import COLUMNS, document_rows, extract
from citytext.metrics.gdp import GdpTarget, gdp_growth_target, gdp_targets
from citytext.metrics.grammar import QUALIFIERS, categorize
from citytext.metrics.numerals import magnitude, normalize, parse_number, parse_range
from citytext.metrics.periods import Period
from citytext.metrics.summaries import (
    INDICATORS,
    category_counts,
    claim_type_counts,
    indicator_claims,
    largest,
    national_target_facts,
    of_type,
    overview_facts,
    target_facts,
    target_summary,
    target_vs_achieved,
    targets_met_facts,
    top_category_facts,
)
from citytext.text import sentence_spans, sentences

__all__ = [
    "CLAIM_COLUMNS",
    "CLAIM_TYPES",
    "COLUMNS",
    "INDICATORS",
    "QUALIFIERS",
    "Claim",
    "GdpTarget",
    "Period",
    "categorize",
    "category",
    "category_counts",
    "category_table",
    "claim_type_counts",
    "classify",
    "document_rows",
    "extract",
    "gdp_growth_target",
    "gdp_targets",
    "indicator_claims",
    "largest",
    "magnitude",
    "national_target_facts",
    "normalize",
    "of_type",
    "overview_facts",
    "parse_number",
    "parse_range",
    "sentence_spans",
    "sentences",
    "subject_group",
    "target_facts",
    "target_summary",
    "target_vs_achieved",
    "targets_met_facts",
    "top_category_facts",
    "unit_kind",
]
