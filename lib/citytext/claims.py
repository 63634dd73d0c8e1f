"""Claims: what kind of claim a quantity is, the year it describes, its category.

The metric grammar finds the quantities; this module reads the text around
them and says, for each one:

* ``claim_type``: ``achieved`` (a result stated as reached), ``target`` (a goal
  for an indicator), ``plan`` (a count of things the government will do,
  build, add or spend) or ``reference`` (background that is neither: history,
  distances, unit rates of a rule, notes that define terms).
* ``period_year``: the calendar year the quantity describes, empty when the
  text gives none or several; ``period_start`` and ``period_end`` bound it
  (equal for one year, apart for a span such as "十四五" = 2021-2025).
* ``category``: from the quantity's subject and the kind of its unit through
  one table, ``resources/metric_category_table.yaml`` (see below).

How the claim type is decided. Scopes are read from the widest to the
narrowest, and the narrowest scope with a cue wins:

1. Section. A heading line (a top-level ``一、`` heading, or a short line) with a
   review cue (回顾, 过去, 一年来, 五年来, 工作总结, or a year before the
   document year followed by 工作) starts the review half; with a plan cue
   (安排, 任务, 目标, 今后, 未来, 重点工作, 总体要求, 今年, or the document year)
   the plan half; 注释 or 名词解释 a notes section. A heading without a cue
   keeps the current section, so the numbered tasks of a plan half stay plan,
   except that a later top-level heading (二、, 三、 …) after the review opens
   the plan half: the review is the first part of a report. Lines before the
   first cue of a report that has a plan half are the review of the year
   before. A short line that carries a cue (一年来，主要做了以下工作。,
   主要预期目标是：) scopes the paragraphs after it in the same way.
2. Paragraph. A cue in the first clause (过去一年, 这五年, 今年) scopes its
   paragraph; a target list (主要预期目标是：, 主要目标是：) makes every quantity
   after it in the paragraph a target.
3. Sentence (up to 。！？, so across ；). Goal words (力争, 确保, 目标, 预期,
   争取) make the rest of the sentence a target.
4. Clause (up to ，；：). In a plan scope a quantity is a ``target`` when it is a
   rate, share or change (%, ‰, 百分点, 倍, or after 增长, 提高, 下降 …) or
   follows a verb of reaching (达到, 突破, 稳定在, 控制在, 保持在, 提高到);
   otherwise it is a ``plan``. Outside both halves (news), plan words
   (将, 计划, 拟, 准备) and achievement words (已, 累计, 完成, 实现, 截至)
   decide; the default is ``achieved``.

``reference`` wins in any scope for a quantity after a reference cue in its
clause (距离, 相当于, 每公斤 …, 经验表明), in a notes section or glossary line
(``13.“哈大齐呼”：…``), or whose stated year lies more than ten years before the
document year.

How the period is decided: the nearest time expression before the quantity
in its clause, else one in the first clause of its sentence, else a year
right after it, else one that opens an earlier sentence of the paragraph
(in news any earlier one), else the paragraph's cue, else the section's.
今年/本年 is the document year, 去年/上年 the year before, 前年 two before,
明年 the next; ``2022年`` and ``截至2018年底`` are as written; ``到2025年`` is
2025; 一季度, 上半年 and 1-4月 take the year written before them, else the
document year (``period`` keeps the words); 全年 is the year of its section;
"十三五" and "十四五" are 2016-2020 and 2021-2025 ("十四五"期末 is 2025);
过去五年, 五年来, 这四年, N年来 end the year before the document; 今后五年 and
未来五年 start in the document year; 年均 and 2018年以来 are several years. A
year used as a baseline (比2016年, 是2016年的, 在2022年…基础上) is not a
period; an achievement 比上年 with no other time is the year before the
document. Reviews describe the year before the document, plan halves the
document year; a review time (过去一年, 去年) opening a sentence in a plan
half makes its quantities achievements. Without a document year the relative
words resolve to nothing.

The category table. ``metric_category_table.yaml`` lists subject groups (words
that a quantity's ``subject`` contains, longest first), unit kinds (base units
``unit_std``) and one category per (subject group, unit kind) pair; a pair not
listed falls back to the group's ``*`` entry, then to the unit kind's entry for
a quantity whose subject is in no group. Because a category is a function of
the pair, the same subject with the same kind of unit never lands in two
categories: 地区生产总值99.6亿元 is 经济规模 whoever wrote it, 人均可支配收入增长8.5%
and 固定资产投资增长8% are 收入 and 投资 by their subjects.

Why our own rules: no maintained library classifies Chinese policy statements
into achieved/target/plan; the cues are a short, genre-specific list, kept
here and tested against a hand annotation (``tests/fixtures/claims_gold.jsonl``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from citytext import resources

CLAIM_TYPES = ("achieved", "target", "plan", "reference")
COLUMNS = ["claim_type", "period_year", "period_start", "period_end"]

REVIEW, PLAN, NOTES = "review", "plan", "notes"
RATE_UNITS = frozenset({"%", "‰", "百分点", "倍"})


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


@dataclass(frozen=True)
class Claim:
    """The claim type and period of one quantity."""

    claim_type: str
    period: Period

    def as_row(self) -> dict[str, Any]:
        """The :data:`COLUMNS` values (spans of unknown bounds give None)."""
        p = self.period
        known = p.start is not None and p.start >= 0
        return {
            "claim_type": self.claim_type,
            "period_year": p.year if known else None,
            "period_start": p.start if known else None,
            "period_end": p.end if known else None,
        }


# --------------------------------------------------------------------------
# Time expressions
# --------------------------------------------------------------------------
_CN_YEAR_DIGITS = "一二两三四五六七八九十"
_N = rf"(?:\d{{1,2}}(?!\d)|[{_CN_YEAR_DIGITS}]+)"
_TIME_RE = re.compile(
    r"(?P<base>(?:比|较|是|为|相当于)(?:\d{4}年|去年|上年|上一年)(?:同期|的)?"
    r"|在(?:\d{4}年|去年|上年)[^，,。；;]{0,12}?基础上)"
    r"|(?P<fyp>[“\"]?十(?P<fyp_n>[一二三四五])五[”\"]?(?:规划)?(?P<fyp_end>期末|末)?)"
    r"|(?P<to>到|至)(?P<to_year>\d{4})年"
    r"|截至(?P<asof>\d{4})年"
    r"|(?P<since>\d{4})年(?:以来|来)"
    r"|(?:(?P<part_year>\d{4})年|(?P<part_rel>今年|本年|去年|上年))?"
    r"(?P<part>(?:前|第)?[一二三四1-4]季度|[上下]半年"
    r"|\d{1,2}[-—－至到~]\d{1,2}月(?:份)?|\d{1,2}月(?:份)?(?:以来|初|末|底)?)"
    r"|(?P<year>\d{4})年(?!代)"
    r"|(?P<future>今后|未来)(?P<future_n>{n})年".replace("{n}", _N)
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


def _years_back(n: int | None, year: int | None) -> Period:
    if n is None or year is None:
        return SEVERAL
    if n == 1:
        return Period(year - 1, year - 1)
    return Period(year - n, year - 1)


def _relative(word: str, year: int | None, section: Period) -> Period:
    if word == "全年" or word == "年内":
        return section if section.year is not None else _as_year(year)
    if year is None:
        return NONE
    offsets = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1,
               "截至目前": 0, "目前": 0, "当前": 0}  # fmt: skip
    return _as_year(year + offsets[word])


def _as_year(year: int | None) -> Period:
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
        return _years_back(_small_number(str(g["past2"] or g["past_n"])), year)
    if g["future"]:
        n = _small_number(str(g["future_n"]))
        return SEVERAL if year is None or n is None else Period(year, year + n - 1)
    return None


def _period_of(m: re.Match[str], year: int | None, section: Period) -> Period:
    """The period named by one match of :data:`_TIME_RE`."""
    g = m.groupdict()
    if g["base"]:
        return NONE
    for key in ("to_year", "asof", "year", "part_year"):
        if g[key]:
            return _as_year(int(g[key]))
    if g["part"]:
        return _relative(g["part_rel"] or "今年", year, section)
    span = _span_of(g, year)
    return span if span is not None else _relative(str(g["rel"]), year, section)


def _times(text: str) -> list[re.Match[str]]:
    """Time expressions of ``text``, baselines (比上年, 是2016年的) left out."""
    return [m for m in _TIME_RE.finditer(text) if not m.group("base")]


# --------------------------------------------------------------------------
# Cues
# --------------------------------------------------------------------------
_REVIEW_HEAD = re.compile(
    r"回顾|过去|一年来|年来|这[一二三四五]年|工作总结|取得的成[绩就]|主要做了"
)
_PLAN_HEAD = re.compile(
    r"安排|任务|目标|今后|未来|打算|重点工作|工作重点|总体要求|今年|总体思路|主要工作"
)
_NOTES_HEAD = re.compile(r"^(?:注释|名词解释|附注|注解)")
_GLOSSARY_LINE = re.compile(
    r"^\s*(?:\[?\d+\]?[.．、]?|\d+[.．、])\s*[“\"][^”\"]{1,20}[”\"]\s*[:：]"
)
_TOP_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)"
)
_FIRST_HEADING = re.compile(r"^\s*(?:一、|第一部分)")
_SUB_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
_TARGET_LIST = re.compile(
    r"(?:预期目标|主要目标|奋斗目标|发展目标|目标任务)(?:是|为)?[:：]"
)
_GOAL_WORDS = re.compile(r"力争|确保|目标|预期|争取|争创")
_REACH_RE = re.compile(
    r"(?:达到|达|突破|稳定在|控制在|保持在|保持|提高到|提升到|提高至|提升至|增至|超过)"
    r"(?:了)?(?:约|近|超过|超)?$"
)
_CHANGE_RE = re.compile(
    r"(?:增长|增加|提高|提升|下降|减少|降低|增速|增幅|涨幅|降幅)(?:了|为|达|约)?$"
)
_PLAN_WORDS = re.compile(r"将|计划|拟|准备|预计(?!全年)")
_ACHIEVED_WORDS = re.compile(
    r"已|累计|完成|实现|截至|共计|达到了|超额|去年|上年|一年来"
)
_REFERENCE_WORDS = re.compile(
    r"距离?|相当于|经验表明|研究表明|据测算|每(?:公斤|斤|吨|亩|人|户|平方米|千瓦时|度)"
)
_CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』\"'）)]*")
_SHORT_LINE = 40
_HISTORY_YEARS = 10


@dataclass
class _Scope:
    """The section state while reading a document line by line."""

    mode: str = ""
    period: Period = NONE
    targets: bool = False  # after an intro line of a target list (目标是：)


def _heading_scope(line: str, year: int | None, current: _Scope) -> _Scope | None:
    """The scope a heading or intro line opens, or None when it is not one."""
    text = line.strip()
    if _NOTES_HEAD.match(text):
        return _Scope(NOTES, NONE)
    short = len(text) <= _SHORT_LINE
    top = bool(_TOP_HEADING.match(text))
    if not (short or top) or _SUB_HEADING.match(text):
        return None
    head = _CLAUSE_SPLIT.split(text)[0] if top and not short else text
    mode = _heading_mode(head, year)
    if not mode and top and current.mode == REVIEW and not _FIRST_HEADING.match(text):
        mode = PLAN  # the review is the first part; later parts look ahead
    if not mode:
        return None
    targets = mode == PLAN and bool(_TARGET_LIST.search(text))
    return _Scope(mode, _heading_period(head, mode, year, current), targets)


def _heading_mode(head: str, year: int | None) -> str:
    years = [int(y) for y in re.findall(r"(\d{4})年", head)]
    if _REVIEW_HEAD.search(head):
        return REVIEW
    if year is not None and years and max(years) < year and "工作" in head:
        return REVIEW
    if _PLAN_HEAD.search(head) or (year is not None and year in years):
        return PLAN
    return ""


def _heading_period(head: str, mode: str, year: int | None, current: _Scope) -> Period:
    times = [_period_of(m, year, current.period) for m in _times(head)]
    singles = [p for p in times if p.year is not None]
    if singles:
        return singles[0] if mode == REVIEW else singles[-1]
    if times:
        return times[-1]
    if current.mode == mode:
        return current.period
    if year is None:
        return NONE
    return Period(year - 1, year - 1) if mode == REVIEW else Period(year, year)


def _paragraph_scope(line: str, year: int | None, section: _Scope) -> _Scope:
    """A paragraph's own scope: a cue in its first clause, else its section."""
    first = _CLAUSE_SPLIT.split(line.strip(), maxsplit=1)[0]
    if section.mode == NOTES or _GLOSSARY_LINE.match(line):
        return _Scope(NOTES, NONE)
    times = _times(first)
    if not times or len(first) > 20:
        return section
    period = _period_of(times[0], year, section.period)
    word = times[0].group(0)
    if re.search(r"过去|年来|这[一二三四五]年|去年|上年", word):
        return _Scope(REVIEW, period)
    if re.search(r"今年|今后|未来|明年", word) or (
        year is not None and period.year == year
    ):
        return _Scope(PLAN if section.mode else "", period, section.targets)
    return _Scope(section.mode, period)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    scope: _Scope
    heading: bool = False


def _lines(text: str, year: int | None) -> list[_Line]:
    """Each line of ``text`` with its paragraph scope."""
    out: list[_Line] = []
    section = _Scope()
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        opened = _heading_scope(raw, year, section)
        if opened is not None:
            section = opened
            out.append(_Line(start, end, opened, heading=True))
            continue
        out.append(_Line(start, end, _paragraph_scope(raw, year, section)))
    return _review_before_plan(out, year)


def _review_before_plan(lines: list[_Line], year: int | None) -> list[_Line]:
    """In a report, lines before the first section are the review half.

    A work report opens with the review of the past year(s) under headings
    that need not say so (一、攻坚克难，奋发作为); when a plan half follows, the
    lines before any cue are read as the review of the year before.
    """
    modes = [ln.scope.mode for ln in lines]
    if not any(ln.heading and ln.scope.mode == PLAN for ln in lines):
        return lines
    first = next(i for i, m in enumerate(modes) if m)
    if modes[first] != PLAN:
        return lines
    review = _Scope(REVIEW, _years_back(1, year) if year is not None else NONE)
    return [_Line(ln.start, ln.end, review) if i < first else ln
            for i, ln in enumerate(lines)]  # fmt: skip


# --------------------------------------------------------------------------
# One quantity
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    """The text around one quantity, as offsets into its line."""

    line: str
    sentence_start: int  # start of the sentence (up to 。) in the line
    clause_start: int  # start of the clause (up to ，；：) in the line
    at: int  # the quantity's start in the line
    stop: int  # the quantity's end in the line


def _context(line: str, at: int, stop: int) -> _Context:
    s_start = 0
    for m in _SENTENCE_END.finditer(line, 0, at):
        s_start = m.end()
    c_start = s_start
    for m in _CLAUSE_SPLIT.finditer(line, s_start, at):
        c_start = m.end()
    return _Context(line, s_start, c_start, at, stop)


def _clause(ctx: _Context) -> str:
    return ctx.line[ctx.clause_start : ctx.at]


def _sentence_head(ctx: _Context) -> str:
    return ctx.line[ctx.sentence_start : ctx.at]


def _first_clause(line: str, start: int) -> str:
    return _CLAUSE_SPLIT.split(line[start:], maxsplit=1)[0]


def _scoping_time(ctx: _Context, structured: bool) -> re.Match[str] | None:
    """The time expression that scopes the quantity, or None.

    The nearest in its clause; else one in the first clause of its sentence;
    else a year right after it (增长6%的2022年); else, from earlier sentences of
    the paragraph, the last sentence-initial one (any one in unstructured text).
    """
    times = _times(_clause(ctx))
    if times:
        return times[-1]
    first = _first_clause(ctx.line, ctx.sentence_start)
    if ctx.sentence_start + len(first) < ctx.at and _times(first):
        return _times(first)[-1]
    after = _CLAUSE_SPLIT.split(ctx.line[ctx.stop :], maxsplit=1)[0]
    m = _TIME_RE.match(after.lstrip("以上左右的"))
    if m and m.group("year"):
        return m
    earlier = ctx.line[: ctx.sentence_start]
    if not structured:
        times = _times(earlier)
        return times[-1] if times else None
    for start in reversed(_sentence_starts(earlier)):
        times = _times(_first_clause(earlier, start))
        if times:
            return times[-1]
    return None


def _sentence_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text))]


_REVIEW_TIME = re.compile(r"过去|年来|去年|上年|前年|这[一二三四五]年")
_LAST_YEAR_BASE = re.compile(r"比(?:上年|去年|上一年)")


def _in_target_list(ctx: _Context) -> bool:
    head = ctx.line[: ctx.at]
    return bool(_TARGET_LIST.search(head))


def _plan_type(ctx: _Context, scope: _Scope, unit_std: str, is_change: bool) -> str:
    if scope.targets or _in_target_list(ctx) or _GOAL_WORDS.search(_sentence_head(ctx)):
        return "target"
    clause = _clause(ctx)
    if unit_std in RATE_UNITS or is_change or _CHANGE_RE.search(clause):
        return "target"
    if _REACH_RE.search(clause) or _REACH_RE.search(clause.rstrip("约近超")):
        return "target"
    return "plan"


def _news_type(ctx: _Context, unit_std: str, is_change: bool) -> str:
    head = _sentence_head(ctx)
    cues = [
        (m.start(), kind)
        for kind, rx in (("target", _GOAL_WORDS), ("plan", _PLAN_WORDS),
                         ("achieved", _ACHIEVED_WORDS))
        for m in rx.finditer(head)
    ]  # fmt: skip
    if _in_target_list(ctx):
        return "target"
    if not cues:
        return "achieved"
    kind = max(cues)[1]
    if kind == "plan" and (unit_std in RATE_UNITS or is_change):
        return "target"
    return kind


def _claim_type(
    ctx: _Context, scope: _Scope, time: re.Match[str] | None, period: Period, q: _Q
) -> str:
    if scope.mode == NOTES or _REFERENCE_WORDS.search(_clause(ctx)):
        return "reference"
    old = period.end is not None and 0 <= period.end < (q.year or 0) - _HISTORY_YEARS
    if q.year is not None and old:
        return "reference"
    if scope.mode == REVIEW:
        return "achieved"
    if time is not None and _REVIEW_TIME.search(time.group(0)):
        return "achieved"
    if scope.mode == PLAN:
        return _plan_type(ctx, scope, q.unit_std, q.is_change)
    return _news_type(ctx, q.unit_std, q.is_change)


@dataclass(frozen=True)
class _Q:
    start: int
    end: int
    unit_std: str
    is_change: bool
    year: int | None


def _one(text: str, line: _Line, q: _Q, structured: bool) -> Claim:
    ctx = _context(
        text[line.start : line.end], q.start - line.start, q.end - line.start
    )
    scope = line.scope
    time = _scoping_time(ctx, structured)
    explicit = _period_of(time, q.year, scope.period) if time is not None else None
    claim_type = _claim_type(ctx, scope, time, explicit or NONE, q)
    if explicit is not None:
        return Claim(claim_type, explicit)
    if claim_type == "achieved" and _LAST_YEAR_BASE.search(_sentence_head(ctx)):
        return Claim(claim_type, _years_back(1, q.year) if q.year else NONE)
    if not structured or claim_type == "reference":
        return Claim(claim_type, NONE)
    return Claim(claim_type, scope.period)


def classify(
    text: str,
    spans: Sequence[tuple[int, int]],
    unit_std: Sequence[str],
    is_change: Sequence[bool],
    year: int | None = None,
) -> list[Claim]:
    """Decide the claim type and period of each quantity of a document.

    Args:
        text: The whole document (paragraphs on their own lines).
        spans: ``(start, end)`` offsets of each quantity in ``text``.
        unit_std: Each quantity's base unit.
        is_change: Whether each quantity is a change (增长 N%).
        year: The document year (metadata or date); None when unknown.

    Returns:
        One :class:`Claim` per span, in the order given.

    Examples:
        >>> text = "今年主要预期目标是：地区生产总值增长6%左右。"
        >>> c = classify(text, [(text.index("6%"), text.index("6%") + 2)], ["%"],
        ...              [True], year=2023)[0]
        >>> c.claim_type, c.period.year
        ('target', 2023)
    """
    lines = _lines(text, year)
    starts = [ln.start for ln in lines]
    structured = any(ln.heading and ln.scope.mode in (REVIEW, PLAN) for ln in lines)
    out = []
    for (a, b), unit, change in zip(spans, unit_std, is_change, strict=True):
        line = lines[max(0, bisect.bisect_right(starts, a) - 1)]
        out.append(_one(text, line, _Q(a, b, unit, bool(change), year), structured))
    return out


# --------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class _CategoryTable:
    unit_kinds: dict[str, str]
    default_kind: str
    groups: tuple[tuple[str, str], ...]  # (word, group), longest word first
    by_pair: dict[tuple[str, str], str]
    by_kind: dict[str, str]
    fallback: str


@functools.cache
def category_table() -> _CategoryTable:
    """Load ``metric_category_table.yaml`` (see the module docstring).

    Returns:
        The parsed table.

    Raises:
        ValueError: If a word is listed in two subject groups or a unit in two
            unit kinds, which would let one subject land in two categories.
    """
    data = resources.load_yaml("metric_category_table.yaml")
    unit_kinds: dict[str, str] = {}
    for kind, units in data["unit_kinds"].items():
        for u in units or []:
            if str(u) in unit_kinds:
                raise ValueError(f"unit {u!r} is in two unit kinds")
            unit_kinds[str(u)] = str(kind)
    words: dict[str, str] = {}
    by_pair: dict[tuple[str, str], str] = {}
    for group, spec in data["subject_groups"].items():
        for w in spec["words"]:
            if str(w) in words:
                raise ValueError(f"subject word {w!r} is in two subject groups")
            words[str(w)] = str(group)
        for kind, category in spec["categories"].items():
            by_pair[(str(group), str(kind))] = str(category)
    groups = tuple(sorted(words.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    return _CategoryTable(
        unit_kinds=unit_kinds,
        default_kind=str(data["default_unit_kind"]),
        groups=groups,
        by_pair=by_pair,
        by_kind={str(k): str(v) for k, v in data["without_subject"].items()},
        fallback=str(data["fallback"]),
    )


def unit_kind(unit_std: str) -> str:
    """The kind of a base unit (rate, money, people …) from the category table.

    Args:
        unit_std: A base unit (``%``, ``元``, ``人``).

    Returns:
        The kind; units not listed are counts.
    """
    table = category_table()
    return table.unit_kinds.get(unit_std, table.default_kind)


def subject_group(subject: str) -> str:
    """The subject group whose longest word the subject contains ("" if none).

    Args:
        subject: The quantity's subject (simplified script).

    Returns:
        The group name, or "".
    """
    for word, group in category_table().groups:
        if word in (subject or ""):
            return group
    return ""


def category(subject: str, unit_std: str) -> str:
    """The category of a quantity: a function of (subject group, unit kind).

    Args:
        subject: The quantity's subject.
        unit_std: Its base unit.

    Returns:
        The category name.

    Examples:
        >>> category("地区生产总值", "元"), category("固定资产投资", "%")
        ('经济规模', '投资')
    """
    table = category_table()
    kind = unit_kind(unit_std)
    group = subject_group(subject)
    if group:
        for key in ((group, kind), (group, "*")):
            if key in table.by_pair:
                return table.by_pair[key]
    return table.by_kind.get(kind, table.fallback)


# --------------------------------------------------------------------------
# Targets beside results
# --------------------------------------------------------------------------
#: Indicators that reports state both as a target and as a result: the
#: subject words of each, matched on ``subject`` of a change in percent.
INDICATORS = {
    "GDP增长": ("地区生产总值", "生产总值", "国内生产总值", "GDP"),
    "一般公共预算收入增长": ("一般公共预算收入", "预算收入"),
    "居民人均可支配收入增长": ("人均可支配收入", "可支配收入"),
}
#: Words before the subject that make it a part (城镇居民…, 人均GDP) or a ratio.
_PART_OF = re.compile(r"(?:城镇|农村|城市|城乡|农民|职工|人均|单位|税收|非税)\S{0,6}$")
_CLAIM_COLUMNS = [
    "place", "indicator", "year", "claim_type", "value", "qualifier", "raw",
    "doc_id", "sentence",
]  # fmt: skip


def _require_claims(metrics: pd.DataFrame) -> None:
    missing = [c for c in ("claim_type", "period_year") if c not in metrics]
    if missing:
        raise ValueError(
            f"metrics table has no {', '.join(missing)} column: it was written by an "
            "older version; run the metric stage again"
        )


def _indicator(subject: str) -> str:
    for name, words in INDICATORS.items():
        if subject in words:
            return name
    return ""


def _places(metrics: pd.DataFrame, articles: pd.DataFrame | None) -> pd.Series:
    """The place of each metric row: city, else the article's place/province."""
    place = metrics["city"].fillna("").astype(str)
    if articles is None or articles.empty:
        return place
    cols = [c for c in ("place", "city", "prefecture", "province") if c in articles]
    names = articles[cols].fillna("").astype(str)
    first = names.apply(lambda r: next((v for v in r if v.strip()), ""), axis=1)
    by_doc = dict(zip(articles["doc_id"], first, strict=True))
    return pd.Series(
        [p or by_doc.get(d, "") for p, d in zip(place, metrics["doc_id"], strict=True)],
        index=metrics.index,
    )


def indicator_claims(
    metrics: pd.DataFrame, articles: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Targets and results of the indicators stated both ways (see INDICATORS).

    A row is a percentage change whose subject is the indicator itself (not
    an urban or rural part of it), stated as ``target`` or ``achieved`` for
    one year. When a document states the same (indicator, year, claim type)
    more than once, the first statement is kept: a report gives its headline
    figures first.

    Args:
        metrics: Rows of metrics.csv (``period_year`` numeric or text).
        articles: Optional articles.csv rows, to name the place of a document
            without a city (a province's report).

    Returns:
        Columns place, indicator, year, claim_type, value, qualifier, raw,
        doc_id, sentence; sorted by place, indicator, year, claim_type.

    Raises:
        ValueError: If ``metrics`` has no claim types (an older run).
    """
    _require_claims(metrics)
    if metrics.empty:
        return pd.DataFrame(columns=_CLAIM_COLUMNS)
    df = metrics.assign(
        place=_places(metrics, articles),
        indicator=metrics["subject"].fillna("").map(_indicator),
        year=pd.to_numeric(metrics["period_year"], errors="coerce"),
        value=pd.to_numeric(metrics["value"], errors="coerce"),
    )
    change = df["is_change"].astype(str).isin(["True", "true", "1"])
    keep = (
        (df["indicator"] != "")
        & change
        & (df["unit_std"] == "%")
        & df["claim_type"].isin(["target", "achieved"])
        & df["year"].notna()
        & (df["place"] != "")
    )
    df = df[keep]
    starts = (
        df["start"]
        if "start" in df
        else [
            str(t).find(str(r)) for t, r in zip(df["sentence"], df["raw"], strict=True)
        ]
    )
    whole = [
        not _part_of(s, int(a)) for s, a in zip(df["sentence"], starts, strict=True)
    ]
    df = df[pd.Series(whole, index=df.index, dtype=bool)]
    df = df.assign(year=df["year"].astype(int))
    df = df.drop_duplicates(["place", "indicator", "year", "claim_type", "doc_id"])
    df = df.drop_duplicates(["place", "indicator", "year", "claim_type"])
    return (
        df[_CLAIM_COLUMNS]
        .sort_values(["place", "indicator", "year", "claim_type"], kind="mergesort")
        .reset_index(drop=True)
    )


def _part_of(sentence: str, start: int) -> bool:
    """Whether the quantity's subject is qualified as a part (城镇居民人均…)."""
    head = re.split(r"[，,；;。：:]", str(sentence)[: int(start)])[-1]
    for words in INDICATORS.values():
        for w in words:
            at = head.rfind(w)
            if at >= 0:
                return bool(_PART_OF.search(head[:at]))
    return False


def target_vs_achieved(claims_rows: pd.DataFrame) -> pd.DataFrame:
    """A place's target for a year beside the result it reported for that year.

    Args:
        claims_rows: Rows of :func:`indicator_claims`.

    Returns:
        One row per (place, indicator, year) with both: place, indicator, year,
        target, target_qualifier, achieved, gap (achieved minus target, in
        percentage points), met (achieved >= target), target_doc_id,
        achieved_doc_id.
    """
    cols = [
        "place", "indicator", "year", "target", "target_qualifier", "achieved",
        "gap", "met", "target_doc_id", "achieved_doc_id",
    ]  # fmt: skip
    key = ["place", "indicator", "year"]
    t = claims_rows[claims_rows["claim_type"] == "target"]
    a = claims_rows[claims_rows["claim_type"] == "achieved"]
    both = t[[*key, "value", "qualifier", "doc_id"]].merge(
        a[[*key, "value", "doc_id"]], on=key, suffixes=("_t", "_a")
    )
    if both.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(
        {
            **{k: both[k] for k in key},
            "target": both["value_t"].astype(float),
            "target_qualifier": both["qualifier"],
            "achieved": both["value_a"].astype(float),
            "target_doc_id": both["doc_id_t"],
            "achieved_doc_id": both["doc_id_a"],
        }
    )
    out["gap"] = (out["achieved"] - out["target"]).round(4)
    out["met"] = out["achieved"] >= out["target"]
    return out[cols].sort_values(key, kind="mergesort").reset_index(drop=True)


def target_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Across places: how results compare with targets, per indicator and year.

    Args:
        pairs: Rows of :func:`target_vs_achieved`.

    Returns:
        One row per (indicator, year): places, met (count), share_met,
        median_target, median_achieved, median_gap.
    """
    cols = ["indicator", "year", "places", "met", "share_met", "median_target",
            "median_achieved", "median_gap"]  # fmt: skip
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    g = pairs.groupby(["indicator", "year"], sort=True)
    out = g.agg(
        places=("place", "size"),
        met=("met", "sum"),
        median_target=("target", "median"),
        median_achieved=("achieved", "median"),
        median_gap=("gap", "median"),
    ).reset_index()
    out["met"] = out["met"].astype(int)
    out["share_met"] = (out["met"] / out["places"]).round(4)
    return out[cols]


def claim_type_counts(metrics: pd.DataFrame, by: str = "city") -> pd.DataFrame:
    """Count quantities per ``by`` value and claim type (a wide table).

    Args:
        metrics: Rows of metrics.csv.
        by: Grouping column.

    Returns:
        Rows = ``by`` values, columns = the claim types in :data:`CLAIM_TYPES`
        order, zeros filled.
    """
    counts = pd.crosstab(metrics[by], metrics["claim_type"])
    counts = counts.reindex(columns=list(CLAIM_TYPES), fill_value=0)
    counts.columns.name = None
    return counts.sort_index()


def of_type(metrics: pd.DataFrame, claim_type: str) -> pd.DataFrame:
    """The rows of one claim type, in their order.

    Args:
        metrics: Rows of metrics.csv.
        claim_type: One of :data:`CLAIM_TYPES`.

    Returns:
        The rows.

    Raises:
        ValueError: For an unknown claim type, or a table without claim types.
    """
    if claim_type not in CLAIM_TYPES:
        raise ValueError(f"claim_type must be one of {CLAIM_TYPES}, got {claim_type!r}")
    _require_claims(metrics)
    return metrics[metrics["claim_type"] == claim_type].reset_index(drop=True)
