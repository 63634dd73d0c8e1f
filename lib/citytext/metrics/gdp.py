"""The yearly GDP growth target of a government work report.

What belongs here: finding the year's growth target (国内生产总值增长…左右,
经济增长预期目标为…) in a national government work report with the quantity
grammar of :mod:`citytext.metrics.grammar`, and tabulating it per report. The
metrics stage runs it over the national reports that ingest reads and writes
the table into the run directory; the rules are in :func:`gdp_growth_target`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from citytext import text as text_mod
from citytext.metrics.grammar import QUAL_MAP, candidates
from citytext.metrics.numerals import normalize, parse_range

_GDP_SUBJECT_RE = re.compile(
    r"(?<![单位人均工农业农工])(?:国内生产总值|国民生产总值|经济增长速度|经济增长|经济增速)"
)
_TARGET_CUE_RE = re.compile(r"今年|计划|预期目标|预期为|调控目标|主要目标|增长目标")
_NOT_ANNUAL_RE = re.compile(
    r"五年|年均|平均每年|期间|时期|今后|比上年|上年|去年|翻|比重|能耗|之比|达到|实现了|确定的"
)


@dataclass(frozen=True)
class GdpTarget:
    """A yearly GDP growth target stated in a government work report."""

    low: float
    high: float
    qualifier: str
    raw: str
    sentence: str

    @property
    def value(self) -> float:
        """The lower bound, as for every range (see the module docstring)."""
        return self.low


def _target_context(spans: list[tuple[int, int]], i: int, text: str) -> str:
    """A sentence plus the previous one when that ends in a colon (目标是：)."""
    a, b = spans[i]
    if i and re.search(r"[:：]\s*$", text[spans[i - 1][0] : a]):
        return text[spans[i - 1][0] : b]
    return text[a:b]


def gdp_growth_target(text: str) -> GdpTarget | None:
    """Find the year's GDP growth target in a government work report.

    The target is the first percentage that follows a growth subject
    (国内生产总值, 国民生产总值, 经济增长(速度)) within 20 characters, in a
    sentence that announces a plan or target (今年, 计划, 预期, 调控目标) before
    that subject, or right after a line ending in a colon that does. Sentences
    about several years (五年, 年均, 期间), outcomes (比上年, 达到, 确定的) and
    ratios to GDP (比重, 能耗) are skipped.

    Args:
        text: A report, simplified or traditional script.

    Returns:
        The target (``low`` = ``high`` unless a range such as 6%－6.5% is
        given), or None when the report states none.

    Examples:
        >>> gdp_growth_target("今年发展主要预期目标是：国内生产总值增长5%左右；").low
        5.0
    """
    spans = text_mod.sentence_spans(text)
    for i in range(len(spans)):
        context = _target_context(spans, i, text)
        target = _target_in_sentence(context)
        if target is not None:
            return target
    return None


def _target_in_sentence(sentence: str) -> GdpTarget | None:
    shadow = normalize(sentence)
    for m in _GDP_SUBJECT_RE.finditer(shadow):
        head = shadow[: m.start()]
        if not _TARGET_CUE_RE.search(head) or _NOT_ANNUAL_RE.search(head[-30:]):
            continue
        tail = re.sub(r"\s", "", shadow[m.end() : m.end() + 30])
        tail = re.split(r"[;；。]", tail)[0]
        if _NOT_ANNUAL_RE.search(tail[:8]):
            continue
        for c in candidates(tail):
            if c.unit_key in {"%", "百分之"} and c.start <= 20:
                low, high = parse_range(c.number)
                if low is None or high is None:
                    continue
                q = QUAL_MAP.get(c.suffix, "")
                raw = tail[c.start : c.stop]
                return GdpTarget(low, high, q, raw, sentence.strip())
    return None


def gdp_targets(docs: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Tabulate the GDP growth target of each report that states one.

    Args:
        docs: Records with ``doc_id``, ``year``, ``title`` and ``text`` (the
            bundled national reports' ``docs.jsonl``).

    Returns:
        One row per report with a target: doc_id, year, title, low, high,
        value (the lower bound), qualifier, raw, sentence; sorted by year.
    """
    rows = []
    for doc in docs:
        target = gdp_growth_target(str(doc.get("text") or ""))
        if target is None:
            continue
        rows.append(
            {
                "doc_id": doc.get("doc_id"),
                "year": int(doc["year"]),
                "title": doc.get("title"),
                "low": target.low,
                "high": target.high,
                "value": target.value,
                "qualifier": target.qualifier,
                "raw": target.raw,
                "sentence": target.sentence,
            }
        )
    columns = ["doc_id", "year", "title", "low", "high", "value", "qualifier", "raw"]
    df = pd.DataFrame(rows, columns=[*columns, "sentence"])
    return df.sort_values(["year", "doc_id"], kind="mergesort").reset_index(drop=True)
