"""Claims: what kind of claim a quantity is and the year it describes.

The metric grammar finds the quantities; this module reads the text around
them and says, for each one (the time expressions themselves are read by
:mod:`citytext.metrics.periods`, the category comes from
:mod:`citytext.metrics.categories`):

* ``claim_type``: ``achieved`` (a result stated as reached), ``target`` (a goal
  for an indicator), ``plan`` (a count of things the government will do,
  build, add or spend) or ``reference`` (background that is neither: history,
  distances, unit rates of a rule, notes that define terms).
* ``period_year``: the calendar year the quantity describes, empty when the
  text gives none or several; ``period_start`` and ``period_end`` bound it
  (equal for one year, apart for a span such as "十四五" = 2021-2025).

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
   争取) make the rest of the sentence a target; 目标 only where it announces a
   goal (目标是, 目标为, 目标：, 目标任务), not where it modifies a noun
   (招商目标图, 目标企业, 目标导向).
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
document year (``period`` keeps the words; 截至2018年12月底 is 2018); 全年 is
the year of its section;
"十三五" and "十四五" are 2016-2020 and 2021-2025 ("十四五"期末 is 2025);
过去五年, 五年来, 这四年, N年来 end the year before the document; 今后五年 and
未来五年 start in the document year; 年均 and 2018年以来 are several years. A
year used as a baseline (比2016年, 是2016年的, 在2022年…基础上) is not a
period; an achievement 比上年 with no other time is the year before the
document. Reviews describe the year before the document, plan halves the
document year; a review time (过去一年, 去年) opening a sentence in a plan
half makes its quantities achievements. Without a document year the relative
words resolve to nothing.

Why our own rules: no maintained library classifies Chinese policy statements
into achieved/target/plan; the cues are a short, genre-specific list, kept
here and tested against a hand annotation (``tests/fixtures/claims_gold.jsonl``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from citytext.metrics.periods import (
    NONE,
    TIME_RE,
    Period,
    period_of,
    time_matches,
    years_back,
)

CLAIM_TYPES = ("achieved", "target", "plan", "reference")
COLUMNS = ["claim_type", "period_year", "period_start", "period_end"]

REVIEW, PLAN, NOTES = "review", "plan", "notes"
RATE_UNITS = frozenset({"%", "‰", "百分点", "倍"})


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
    r"(?:预期目标|主要目标|奋斗目标|发展目标|目标任务)(?:建议)?(?:是|为)?[:：]"
)
# 目标 is a goal word when it announces one (目标是, 目标建议为, 目标：, 目标任务),
# not when it modifies a noun (招商目标图, 目标企业, 目标导向, 目标考核).
_GOAL_WORDS = re.compile(
    r"力争|确保|预期|争取|争创"
    r"|目标(?:[^\u3400-\u9fff]|$|[\u3400-\u9fff]{0,3}?(?:是|为)"
    r"|任务|要求|值|达到|达|到|和|与)"
)
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
    times = [period_of(m, year, current.period) for m in time_matches(head)]
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
    times = time_matches(first)
    if not times or len(first) > 20:
        return section
    period = period_of(times[0], year, section.period)
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
    review = _Scope(REVIEW, years_back(1, year) if year is not None else NONE)
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
    times = time_matches(_clause(ctx))
    if times:
        return times[-1]
    first = _first_clause(ctx.line, ctx.sentence_start)
    if ctx.sentence_start + len(first) < ctx.at and time_matches(first):
        return time_matches(first)[-1]
    after = _CLAUSE_SPLIT.split(ctx.line[ctx.stop :], maxsplit=1)[0]
    m = TIME_RE.match(after.lstrip("以上左右的"))
    if m and m.group("year"):
        return m
    earlier = ctx.line[: ctx.sentence_start]
    if not structured:
        times = time_matches(earlier)
        return times[-1] if times else None
    for start in reversed(_sentence_starts(earlier)):
        times = time_matches(_first_clause(earlier, start))
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
    explicit = period_of(time, q.year, scope.period) if time is not None else None
    claim_type = _claim_type(ctx, scope, time, explicit or NONE, q)
    if explicit is not None:
        return Claim(claim_type, explicit)
    if claim_type == "achieved" and _LAST_YEAR_BASE.search(_sentence_head(ctx)):
        return Claim(claim_type, years_back(1, q.year) if q.year else NONE)
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
