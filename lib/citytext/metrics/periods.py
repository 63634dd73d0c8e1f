"""Periods: the years that time expressions in a report or article name.

What belongs here: :class:`Period` (one year, a span of years, several years
without bounds, or nothing) and the time expressions of Chinese government
texts with the period each names, given the document year and the period of
the enclosing section: 今年/本年 is the document year, 去年/上年 the year
before, 前年 two before, 明年 the next; ``2022年``, ``截至2018年`` and
``到2025年`` are as written; 一季度, 上半年, 12月底 and 1-4月 take the year
written right before them (截至2018年12月底 is 2018), else the document year;
全年 and 年内 the year of their section;
"十三五" and "十四五" are 2016-2020 and 2021-2025 ("十四五"期末 is 2025);
过去五年, 五年来, 这四年 end the year before the document; 今后五年 and 未来五年
start in the document year; 年均 and 2018年以来 are several years. A year used
as a baseline (比2016年, 是2016年的, 在2022年…基础上) is not a period. Which
expression scopes a quantity is decided by :mod:`citytext.metrics.claims`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """A period: one year (start == end), a span, or nothing (both None)."""

    start: int | None = None
    end: int | None = None

    @property
    def year(self) -> int | None:
        """The single calendar year, or None for a span or no period."""
        return self.start if self.start is not None and self.start == self.end else None

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None


#: A period known to cover several years without bounds (年均, 以来).
SEVERAL = Period(-1, -2)
NONE = Period()


# --------------------------------------------------------------------------
# Time expressions
# --------------------------------------------------------------------------
_CN_YEAR_DIGITS = "一二两三四五六七八九十"
_N = rf"(?:\d{{1,2}}(?!\d)|[{_CN_YEAR_DIGITS}]+)"
#: Parts of a year: quarters, halves, months and month ranges.
_PART = (
    r"(?:前|第)?[一二三四1-4]季度|[上下]半年"
    r"|\d{1,2}[-—－至到~]\d{1,2}月(?:份)?|\d{1,2}月(?:份)?(?:以来|初|末|底)?"
)
# A part of a year right after a year belongs to that year (截至2018年12月底 is
# 2018), so the year's alternative takes the part with it.
TIME_RE = re.compile(
    r"(?P<base>(?:比|较|是|为|相当于)(?:\d{4}年|去年|上年|上一年)(?:同期|的)?"
    r"|在(?:\d{4}年|去年|上年)[^，,。；;]{0,12}?基础上)"
    r"|(?P<fyp>[“\"]?十(?P<fyp_n>[一二三四五])五[”\"]?(?:规划)?(?P<fyp_end>期末|末)?)"
    r"|(?P<to>到|至)(?P<to_year>\d{4})年(?:{part})?"
    r"|截至(?P<asof>\d{4})年(?:{part})?"
    r"|(?P<since>\d{4})年(?:以来|来)"
    r"|(?:(?P<part_year>\d{4})年|(?P<part_rel>今年|本年|去年|上年))?"
    r"(?P<part>{part})"
    r"|(?P<year>\d{4})年(?!代)"
    r"|(?P<future>今后|未来)(?P<future_n>{n})年".replace("{n}", _N).replace(
        "{part}", _PART
    )
    + r"|(?P<past>过去的?|近|这)(?P<past_n>{n})年(?:来)?".replace("{n}", _N)
    + r"|(?P<past2>{n})年(?:来|以来)".replace("{n}", _N)
    + r"|(?P<avg>年均|平均每年|每年)"
    r"|(?P<rel>今年|本年|去年|上年|前年|明年|全年|年内|截至目前|目前|当前)"
)
_PAST_ONE = {"一", "1"}
_CN_SMALL = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}


def _small_number(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return _CN_SMALL.get(s)
    return None


def years_back(n: int | None, year: int | None) -> Period:
    """The ``n`` years before ``year`` (several years when either is unknown)."""
    if n is None or year is None:
        return SEVERAL
    if n == 1:
        return Period(year - 1, year - 1)
    return Period(year - n, year - 1)


def _relative(word: str, year: int | None, section: Period) -> Period:
    if word == "全年" or word == "年内":
        return section if section.year is not None else as_year(year)
    if year is None:
        return NONE
    offsets = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1,
               "截至目前": 0, "目前": 0, "当前": 0}  # fmt: skip
    return as_year(year + offsets[word])


def as_year(year: int | None) -> Period:
    """One calendar year as a period (no period for None)."""
    return NONE if year is None else Period(year, year)


def _span_of(g: dict[str, str | None], year: int | None) -> Period | None:
    """Periods of several years: five-year plans, 今后/过去 N 年, 年均, 以来."""
    if g["fyp"]:
        start = 2006 + 5 * "一二三四五".index(str(g["fyp_n"]))  # 十一五 = 2006-2010
        return (
            Period(start + 4, start + 4) if g["fyp_end"] else Period(start, start + 4)
        )
    if g["since"] or g["avg"]:
        return SEVERAL
    if g["past2"] or g["past"]:
        return years_back(_small_number(str(g["past2"] or g["past_n"])), year)
    if g["future"]:
        n = _small_number(str(g["future_n"]))
        return SEVERAL if year is None or n is None else Period(year, year + n - 1)
    return None


def period_of(m: re.Match[str], year: int | None, section: Period) -> Period:
    """The period named by one match of :data:`TIME_RE`."""
    g = m.groupdict()
    if g["base"]:
        return NONE
    for key in ("to_year", "asof", "year", "part_year"):
        if g[key]:
            return as_year(int(g[key]))
    if g["part"]:
        return _relative(g["part_rel"] or "今年", year, section)
    span = _span_of(g, year)
    return span if span is not None else _relative(str(g["rel"]), year, section)


def time_matches(text: str) -> list[re.Match[str]]:
    """Time expressions of ``text``, baselines (比上年, 是2016年的) left out."""
    return [m for m in TIME_RE.finditer(text) if not m.group("base")]
