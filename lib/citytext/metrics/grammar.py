"""The number-and-unit grammar: claimed quantities in Chinese government news.

This module turns sentences such as ``截至目前，全区累计发现并解决问题2380余个`` into
rows of a table (``raw`` 2380余个, ``value`` 2380.0, ``unit_std`` 个, ``qualifier`` 余,
``subject`` 问题, ``period`` 截至目前, ``category`` 问题诉求). What belongs here:
the quantity grammar, the rules that decide what is not a metric, qualifiers,
changes, subjects and the period words: :func:`sentence_rows` gives the rows of
one sentence. Numerals are parsed by :mod:`.numerals`;
:func:`citytext.metrics.extract` adds the claim type and year (:mod:`.claims`)
and the category (:mod:`.categories`).

Why a hand-written grammar. The maintained options were compared on the seed
articles. JioNLP's ``parse_money`` / ``extract_money`` resolve money amounts well
(``bench/crosscheck_metrics.py`` cross-checks our money values against it), but
cover only money. ``cn2an`` converts numerals and nothing more. Microsoft
Recognizers-Text resolves Chinese numbers and numbers with general units
(currency, dimension, age), but has no field for the approximate qualifiers
that these claims hinge on (余, 多, 以上, 超, 近, 约, 左右), no notion of change
verbs (增长, 提高 N 个百分点) or of what is counted (签约项目47个 -> 项目), and
no rules for the administrative classifiers (批次, 件次, 人(次), 个工作日) or
for the non-metrics of this genre (hotline names, ranks, slogans). Those rules
are specific to the genre and short, so they live here, in regular
expressions with their lists in editable resource files
(``metric_units.yaml``, ``metric_subjects.yaml``, ``metric_category_table.yaml``).

Decisions (each is tested in ``tests/test_metrics.py``):

* A metric is a numeral followed by a unit from ``metric_units.yaml``, a
  percentage (``7.5%``, ``百分之三十``, ``三成``), percentage points, a multiple
  (``1.5倍``) or a doubling (``翻一番`` = value 2, ``翻两番`` = 4, unit ``倍``).
  A bare Arabic number with a magnitude (``1.2万``) is kept with an empty base
  unit; other bare numbers are not metrics.
* ``raw`` runs from the first character of the numeral to the end of the unit,
  so qualifiers inside that stretch are part of it (``2380余个``, ``4个多月``);
  qualifiers before the number (超过, 近, 约) or after the unit (以上, 左右)
  are recorded in ``qualifier`` only.
* ``value`` applies magnitudes (千 万 亿 千万 百万 万亿); percentages are the
  percent number (``三成`` -> 30). ``number`` is the numeral as written
  without the magnitude (``109.6亿元``: number 109.6, unit 亿元), so that
  ``value == parse_number(number) * multiplier`` always holds.
* Ranges (``3至5个``, ``3-5个``, ``6%－6.5%``, ``百分之八至九``): ``value`` is
  the lower bound, like the other qualifiers that state a floor (余, 多,
  以上); both ends are kept in ``value_low`` and ``value_high``. A claim of
  "3 to 5" commits the writer to at least 3, and lower bounds add up safely.
* Not metrics: dates and times (``5月11日``, ``2022年``, ``6时许``, ``一九八〇年``),
  phone numbers and numbers used as names (``024-23187042``, ``12345热线``),
  ordinals and ranks (``第一``, ``第2位``, ``排名第四``, ``排名跃升到45位``,
  the session after a congress term ``十二届十五次全会``: a rank is a claim, but
  not a quantity that can be summed or compared across cities, so it is left
  to the text), codes and versions (``PM2.5``, ``1.0版本``, ``4+4+3+N``),
  numbers glued to ASCII letters or underscores (injected spam such as
  ``BET365``), quantities inside short quoted names (``“50天攻坚战”``,
  ``‘人才新政17条’``), and ``N年来`` / ``N年以来`` (a period, not a claim).
* Slogans and idioms (``一把手``, ``一线``, ``三个导向``, ``一放心两满意``,
  ``十项考核``): following the national standard on numerals in publications
  (GB/T 15835-2011), statistical counts are written in Arabic digits, and
  Chinese numerals mark fixed expressions, slogans and approximations
  (``两三天``). So a quantity written only in Chinese numerals is kept when
  its value exceeds ten (``两千余名``, ``三百多人``, ``一万``), when it carries a
  qualifier (``十余个``), or when it is a percentage, percentage points, a
  multiple or a doubling (``百分之三十``, ``三成``, ``一个百分点``, ``翻一番``);
  ``三个导向``, ``十项考核``, ``一条线路`` and ``两次`` are not metrics. Arabic
  ``1个`` is a metric.
* ``is_change`` is true when the quantity is a difference rather than a level:
  after a change verb (增长, 提高, 下降, 减少, 提升, 增加, 降, 改善 …, also with
  了 / 约 in between), after ``比 … 高/低/多/少``, for doublings, and for the
  later items of a list that follows one when they have the same base unit
  or share it by ellipsis (``分别减少4.42%和5.95%``, ``提升3.5个、12.2个百分点``,
  but not ``增长9.5%、4年连跨…``). A change noun
  stays a change after 控制在/保持在/稳定在 (``涨幅控制在3%左右``). A verb
  followed by 至/到 states a new level (``提升至99.59%``) and is not a change;
  ``新增`` counts additions and is not a change either. 提升 and 改善 also
  mean "upgrade": a count right after them followed by its noun is the thing
  upgraded (``巩固提升80万亩特色优势产业基地``), not a change.
* Digits spaced by typesetting are one number: one space between two
  digits, before the unit, or before a decimal point (then also between the
  digits after it): ``5 0 0 亿元``, ``8 ．8 ％``, ``1 0 ．0 6 ‰``. A point
  followed by a space ends a list number (``26. 5个``), and other spaces
  (a no-break space in ``麒麟990 5G``) keep numbers apart.
* Units are read as whole words. 点 ends a noun (``示范点19个``) unless it
  is the decimal point of a Chinese numeral (``八点一``); a unit's list of
  characters that would make it part of another word never blocks a
  qualifier (``2所以上`` is 2 schools, not 所以); 方 is cubic metres only after
  万 or 亿 (``40亿方``; ``15方成员`` counts parties).
* ``period`` is the time expression nearest before the number in the same
  sentence (``今年以来``, ``一季度``, ``1-4月``, ``截至4月末``), else the nearest after.

Text in traditional script is matched through a character-level conversion to
simplified script that keeps offsets, so ``sentence``, ``raw``, ``number``,
``unit`` and ``period`` are always exact spans of the input while ``unit_std``,
``subject`` and ``category`` are in simplified script.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from citytext import resources
from citytext import text as text_mod
from citytext.metrics import categories
from citytext.metrics.numerals import magnitude, normalize, parse_range

QUALIFIERS = (
    "余", "多", "以上", "超", "近", "约", "左右", "以内", "以下", "不少于", "不低于",
    "不超过",
)  # fmt: skip


# --------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Unit:
    std: str
    factor: float = 1.0
    qualifier: str = ""
    not_before: str = ""
    after_magnitude: bool = False


@functools.cache
def _units() -> dict[str, _Unit]:
    table = resources.load_yaml("metric_units.yaml")["units"]
    return {
        str(k): _Unit(
            std=str(v["std"]),
            factor=float(v.get("factor", 1)),
            qualifier=str(v.get("qualifier", "")),
            not_before=str(v.get("not_before", "")),
            after_magnitude=bool(v.get("after_magnitude", False)),
        )
        for k, v in table.items()
    }


@functools.cache
def _subjects() -> tuple[str, ...]:
    words = resources.load_yaml("metric_subjects.yaml")["subjects"]
    return tuple(sorted({str(w) for w in words}, key=len, reverse=True))


@functools.cache
def _subject_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in _subjects()))


# --------------------------------------------------------------------------
# The grammar
# --------------------------------------------------------------------------
_CN_NUM = (
    r"[一二两三四五六七八九十](?:[零〇○一二两三四五六七八九十百千万亿]*"
    r"[零〇○一二两三四五六七八九十百千])?(?:点[零〇○一二三四五六七八九]+)?"
)
# Some typeset reports space their digits (今年再转5 0 0 亿元, 增长8 ％, 增长8 ．8 ％,
# 1 0 ．0 6 ‰): one space between two digits, before the unit, or before a
# decimal point (and then between the digits after it) stays inside the
# quantity. A point followed by a space ends a list number (26. 5个样板墟).
_AR_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d(?: ?\d)*)"
    r"(?:\.\d+|(?<=\d) \.\d(?: \d)*)?"
)
_NUM = rf"(?:{_AR_NUM}|{_CN_NUM})"
_RANGE_MARK = r"(?:至|到|~|-|—|－)"
_MAG = r"(?:千万|百万|万亿|亿|万|千|百)"
_CN_CHARS = "零〇○一二两三四五六七八九十百千万亿"


@functools.cache
def _quantity_re() -> re.Pattern[str]:
    units = sorted(_units(), key=len, reverse=True)
    alts = []
    for u in units:
        nb = _units()[u].not_before
        # a qualifier (以上, 以下 ...) after the unit never makes it another word
        guard = f"(?!(?!以上|以下|以内)[{re.escape(nb)}])" if nb else ""
        alts.append(re.escape(u) + guard)
    unit_alt = "|".join(alts)
    return re.compile(
        # 点 is a decimal point only after a Chinese digit (八点一), else the end
        # of a noun (示范点19个, 服务站点270个)
        rf"(?<![\d.{_CN_CHARS}])(?<!\d,)(?<![{_CN_CHARS}]点)"
        rf"(?P<num>{_NUM})"
        rf"(?:(?P<pct1>%)?{_RANGE_MARK}(?P<num2>{_NUM}))?"
        rf"(?:(?<=\d) (?=(?:{_MAG})?(?:{unit_alt})))?"
        r"(?P<inf1>余|多|来)?"
        rf"(?P<mag>{_MAG})?"
        r"(?P<inf2>余|多)?"
        rf"(?P<unit>{unit_alt})?"
        r"(?P<suf>以上|左右|上下|以内|以下)?"
    )


_PCT_CN_RE = re.compile(
    rf"百分之(?P<num>{_CN_NUM}|{_AR_NUM}|百)"
    rf"(?:{_RANGE_MARK}(?:百分之)?(?P<num2>{_CN_NUM}|{_AR_NUM}))?"
    r"(?P<suf>以上|左右|上下|以内|以下)?"
)
_FAN_RE = re.compile(r"翻了?(?P<num>[一两二三四五六七八九十]|\d+)番|翻番")

_PREFIX_QUAL_RE = re.compile(
    r"(?<!最)(不少于|不低于|不超过|超过|超|逾|将近|接近|近|大约|约|大概)$"
)
QUAL_MAP = {
    "超过": "超", "超": "超", "逾": "超", "将近": "近", "接近": "近", "近": "近",
    "大约": "约", "约": "约", "大概": "约", "来": "约", "余": "余", "多": "多",
    "以上": "以上", "左右": "左右", "上下": "左右", "以内": "以内", "以下": "以下",
    "不少于": "不少于", "不低于": "不低于", "不超过": "不超过",
}  # fmt: skip
_CHANGE_RE = re.compile(
    r"(?P<verb>增长|增加|提高|提升|上升|上涨|下降|减少|降低|回落|下滑|压减|削减|压缩"
    r"|缩小|扩大|改善|增幅|降幅|增速|涨幅|(?<!新)增|减|降|涨)"
    r"(?:了|为|达|达到|幅度为|分别为|分别|控制在|保持在|稳定在)?"
    r"(?:不低于|不少于|不超过|超过|超|逾|将近|接近|近|大约|约|大概)?$"
)
# 提升 / 改善 also mean "upgrade": with a count followed by its noun, the
# quantity is what is upgraded (巩固提升80万亩特色优势产业基地), not a change.
_UPGRADE_VERBS = ("提升", "改善")
_RATE_UNITS = frozenset({"%", "‰", "百分点", "倍"})
# Words that make a following N位 / N名 a rank (排名跃升到45位), not people.
_RANK_RE = re.compile(r"排名|排位|排序|位次|名次|位居|位列|跃居|居全[国省市区]")
_COMPARE_RE = re.compile(
    r"比[^,，;；。]{0,15}?(?:高|低|多|少|快|慢)(?:出|了)?"
    r"(?:超过|超|逾|将近|接近|近|大约|约|大概)?$"
)
_CLAUSE_STOP = re.compile(r"[,，;；。:：!！?？]")
_QUOTED_RE = re.compile(r"[“‘「『\"][^“”‘’「」『』\"\n]{1,15}[”’」』\"]")
_PERIOD_RE = re.compile(
    r"截至(?:目前|今年|去年|年底|年末|\d{4}年)?(?:\d{1,2}月)?(?:底|末|\d{1,2}日)?"
    r"|(?:\d{4}年|今年|去年|上年|本年|全年)?(?:前|第)?[一二三四1-4]季度"
    r"|(?:\d{4}年|今年|去年)?\d{1,2}[-—－至到~]\d{1,2}月(?:份)?"
    r"|(?:\d{4}年|今年|去年)?[上下]半年"
    r"|(?:自|从)?(?:\d{4}年|今年|去年)?\d{1,2}月(?:份)?(?:以来|初|末|底)?"
    r"|(?:今年|年初|去年|开年|\d{4}年)以来"
    r"|近(?:\d+|[一二两三四五六七八九十]+)?年来"
    r"|(?:\d+|[一二两三四五六七八九十]+)年(?:来|以来)"
    r"|“十[一二三四五]五”(?:期间|时期)?"
    r"|\d{4}年"
    r"|今年|去年|上年|全年|年初|年内|目前|当前"
)


@dataclass
class _Match:
    """One candidate quantity in a normalised sentence."""

    start: int
    num_start: int  # where the numeral starts (after 百分之 / 翻)
    end: int  # end of raw (numeral through unit)
    stop: int  # end including a trailing qualifier
    number: str  # numeral text (range: "3至5"), normalised offsets
    num_end: int  # end of the (last) numeral
    mag: str
    unit_key: str  # key into _units(), "百分之", "番" or ""
    unit_text_span: tuple[int, int]  # where the unit as written lies
    infix: str
    suffix: str
    chinese_only: bool


def candidates(shadow: str) -> list[_Match]:
    """Find every numeral-with-unit in a normalised sentence (overlaps resolved)."""
    found: list[_Match] = []
    for m in _PCT_CN_RE.finditer(shadow):
        end = m.end("num2") if m.group("num2") else m.end("num")
        found.append(
            _Match(
                start=m.start(), num_start=m.start("num"), end=end, stop=m.end(),
                number=shadow[m.start("num") : end], num_end=end, mag="",
                unit_key="百分之", unit_text_span=(m.start(), m.start() + 3),
                infix="", suffix=m.group("suf") or "",
                chinese_only=not re.search(r"\d", m.group(0)),
            )
        )  # fmt: skip
    for m in _FAN_RE.finditer(shadow):
        num = m.group("num") or ""
        found.append(
            _Match(
                start=m.start(), num_start=m.start("num") if num else m.end(),
                end=m.end(), stop=m.end(), number=num, num_end=m.end(), mag="",
                unit_key="番", unit_text_span=(m.end() - 1, m.end()), infix="",
                suffix="", chinese_only=not re.search(r"\d", num),
            )
        )  # fmt: skip
    for m in _quantity_re().finditer(shadow):
        found.append(_from_quantity_match(m, shadow))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[_Match] = []
    for c in found:
        if out and c.start < out[-1].stop:
            continue
        out.append(c)
    return out


def _from_quantity_match(m: re.Match[str], shadow: str) -> _Match:
    num_end = m.end("num2") if m.group("num2") else m.end("num")
    number = shadow[m.start("num") : num_end]
    unit = m.group("unit") or ("%" if m.group("pct1") else "")
    mag = m.group("mag") or ""
    # A Chinese numeral keeps its own 千/百 (两千余名); only 万/亿 split off.
    if not re.search(r"\d", number) and mag in {"千", "百", "千万", "百万"}:
        number, mag = number + mag, ""
    if unit:
        end = m.end("unit")
        unit_span = (m.start("mag") if mag else m.start("unit"), end)
    else:
        end = m.end("mag") if mag else num_end
        unit_span = (m.start("mag"), end) if mag else (end, end)
    stop = m.end("suf") if m.group("suf") and unit else end
    return _Match(
        start=m.start(), num_start=m.start(), end=end, stop=stop, number=number,
        num_end=num_end,
        mag=mag, unit_key=unit, unit_text_span=unit_span,
        infix=m.group("inf1") or m.group("inf2") or "",
        suffix=(m.group("suf") or "") if unit else "",
        chinese_only=not re.search(r"\d", number),
    )  # fmt: skip


# --------------------------------------------------------------------------
# Exclusions: what is not a metric
# --------------------------------------------------------------------------
def _quoted_spans(shadow: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED_RE.finditer(shadow)]


def _is_code_or_name(c: _Match, shadow: str) -> bool:
    """Numbers glued to letters, '+', '_' or '-' (PM2.5, 4+4, BET365, 024-…)."""
    before = shadow[c.start - 1] if c.start else " "
    after = shadow[c.num_end] if c.num_end < len(shadow) else " "
    if before.isascii() and (before.isalnum() or before in "+_/-.#"):
        return True
    if after.isascii() and (after.isalpha() or after in "+_/#"):
        return True
    window = shadow[max(0, c.start - 4) : c.stop + 4]
    return "_" in window


def _is_ordinal(c: _Match, shadow: str) -> bool:
    """Ordinals and ranks: 第2位, 十二届十五次全会 (届 then the session), 排名45位."""
    if shadow[: c.start].rstrip().endswith(("第", "届")):
        return True
    if c.unit_key in {"位", "名"}:
        return bool(_RANK_RE.search(_clause_before(shadow, c.start, 16)))
    return False


def _is_date(c: _Match, shadow: str, value: float) -> bool:
    """Years (2022年, 一九八〇年) and 'N年来' periods; 月/日/时 are never units."""
    if _units().get(c.unit_key, _Unit("")).std != "年":
        return False
    after = shadow[c.end : c.end + 2]
    if after.startswith(("来", "以来", "前", "后")) or (after[:1].isdigit()):
        return True
    return not c.chinese_only and 1000 <= value < 3000 and not c.mag


# Percentages, percentage points, multiples and doublings are never slogans.
_PROPORTION_UNITS = frozenset({"百分之", "番", "%", "倍", "成", "个百分点", "百分点"})


def _is_slogan_numeral(c: _Match, value: float) -> bool:
    """Small quantities in Chinese numerals: slogans, idioms, approximations."""
    if not c.chinese_only or c.unit_key in _PROPORTION_UNITS:
        return False
    return value <= 10 and not (c.infix or c.suffix)


def _in_quotes(c: _Match, quoted: list[tuple[int, int]]) -> bool:
    return any(a < c.start and c.end < b for a, b in quoted)


def _excluded(c: _Match, shadow: str, value: float | None, quoted: list) -> bool:
    if value is None:
        return True
    if not c.unit_key and not (c.mag in {"万", "亿", "万亿"} and not c.chinese_only):
        return True
    if c.unit_key == "大" and c.chinese_only:
        return True
    unit = _units().get(c.unit_key)
    if unit is not None and unit.after_magnitude and c.mag not in {"万", "亿", "万亿"}:
        return True
    return (
        _is_code_or_name(c, shadow)
        or _is_ordinal(c, shadow)
        or _is_date(c, shadow, value)
        or _is_slogan_numeral(c, value * magnitude(c.mag))
        or _in_quotes(c, quoted)
    )


# --------------------------------------------------------------------------
# Attributes: qualifier, change, subject, period, category
# --------------------------------------------------------------------------
def _clause_before(shadow: str, start: int, width: int = 16) -> str:
    text = shadow[max(0, start - width) : start]
    parts = _CLAUSE_STOP.split(text)
    return parts[-1]


def _qualifier(c: _Match, shadow: str) -> str:
    unit_q = _units()[c.unit_key].qualifier if c.unit_key in _units() else ""
    pre = _PREFIX_QUAL_RE.search(shadow[max(0, c.start - 3) : c.start])
    for q in (c.infix, unit_q, pre.group(1) if pre else "", c.suffix):
        if q:
            return QUAL_MAP.get(q, "")
    return ""


def _is_change(c: _Match, shadow: str) -> bool:
    if c.unit_key == "番":
        return True
    before = _clause_before(shadow, c.start, 24)
    m = _CHANGE_RE.search(before)
    if m and m.group("verb") in _UPGRADE_VERBS and m.end("verb") == len(before):
        std = _unit_std(c)[0]
        after = shadow[c.stop : c.stop + 1]
        if std not in _RATE_UNITS and std and text_mod.is_cjk_unified(after):
            m = None
    return bool(m or _COMPARE_RE.search(before))


def _subject(c: _Match, shadow: str) -> str:
    after = _CLAUSE_STOP.split(shadow[c.stop : c.stop + 14])[0]
    after = re.split(r"[、“”]", after)[0]
    m = _subject_re().search(after)
    if m:
        return m.group(0)
    before = _clause_before(shadow, c.start, 20).split("、")[-1]
    hits = list(_subject_re().finditer(before))
    if hits:
        return hits[-1].group(0)
    # a percentage or rate often names its subject in the previous clause
    if c.unit_key in {"%", "百分之", "个百分点", "百分点", "倍"}:
        head = re.split(r"[;；。]", shadow[max(0, c.start - 40) : c.start])[-1]
        hits = list(_subject_re().finditer(head))
        return hits[-1].group(0) if hits else ""
    return ""


def _period(c: _Match, shadow: str, sentence: str) -> str:
    spans = [
        (m.start(), m.end())
        for m in _PERIOD_RE.finditer(shadow)
        if m.end() <= c.start or m.start() >= c.stop
    ]
    before = [s for s in spans if s[1] <= c.start]
    if before:
        a, b = before[-1]
        return sentence[a:b]
    if spans:
        a, b = spans[0]
        return sentence[a:b]
    return ""


def categorize(row: Mapping[str, Any], context: str = "") -> str:
    """Name the category of one quantity (see :func:`.categories.category`).

    Args:
        row: A mapping with ``unit_std`` and ``subject``.
        context: Unused; the category depends on subject and unit only.

    Returns:
        The category from ``metric_category_table.yaml``.
    """
    del context
    return categories.category(str(row.get("subject") or ""), str(row["unit_std"]))


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------
def _unit_std(c: _Match) -> tuple[str, float]:
    if c.unit_key == "百分之":
        return "%", 1.0
    if c.unit_key == "番":
        return "倍", 1.0
    if not c.unit_key:
        return "", 1.0
    unit = _units()[c.unit_key]
    return unit.std, unit.factor


def _row(c: _Match, sentence: str, shadow: str, sentence_id: int) -> dict | None:
    low, high = parse_range(c.number) if c.number else (1.0, 1.0)
    quoted = _quoted_spans(shadow)
    if _excluded(c, shadow, low, quoted):
        return None
    unit_std, factor = _unit_std(c)
    multiplier = magnitude(c.mag) * factor
    if c.unit_key == "番":
        value_low, value_high, multiplier = 2.0**low, 2.0**high, 1.0
    else:
        value_low, value_high = round(low * multiplier, 6), round(high * multiplier, 6)
    a, b = c.unit_text_span
    row = {
        "sentence": sentence,
        "raw": sentence[c.start : c.end],
        "number": sentence[c.num_start : c.num_start + len(c.number)],
        "value": value_low,
        "unit": "番" if c.unit_key == "番" else _unit_as_written(sentence, a, b, c),
        "unit_std": unit_std,
        "qualifier": _qualifier(c, shadow),
        "is_change": _is_change(c, shadow),
        "subject": _subject(c, shadow),
        "period": _period(c, shadow, sentence),
        "sentence_id": sentence_id,
        "start": c.start,
        "end": c.end,
        "value_low": value_low,
        "value_high": value_high,
        "multiplier": multiplier,
    }
    row["category"] = categorize(row)
    return row


def _unit_as_written(sentence: str, a: int, b: int, c: _Match) -> str:
    """The unit as written, without a qualifier inside it (1万余人 -> 万人)."""
    text = sentence[a:b]
    if c.unit_key == "百分之":
        return "百分之"
    if c.infix and c.mag and c.unit_key:
        shadow = normalize(text)
        cut = len(c.mag)
        if shadow[cut : cut + 1] == c.infix:
            return text[:cut] + text[cut + 1 :]
    return text


def sentence_rows(sentence: str, sentence_id: int) -> Iterator[dict]:
    """Rows of the quantities of one sentence, in text order.

    Args:
        sentence: The sentence (an exact span of the document).
        sentence_id: Its index in the document.

    Yields:
        One dict per quantity: the grammar's columns (``raw``, ``value``,
        ``unit_std``, ``qualifier``, ``is_change``, ``subject``, ``period``,
        ``category`` …) with offsets in the sentence; claim type and year are
        added by :func:`citytext.metrics.extract`.
    """
    shadow = normalize(sentence)
    rows: list[dict] = []
    for c in candidates(shadow):
        row = _row(c, sentence, shadow, sentence_id)
        if row is None:
            continue
        if (
            rows
            and not row["is_change"]
            and rows[-1]["is_change"]
            and _same_kind(rows[-1], row)
        ):
            gap = shadow[rows[-1]["end"] : c.start]
            if re.fullmatch(r"[、和及与或]", gap.strip()):
                row["is_change"] = True
        rows.extend(_list_items(row, sentence, shadow))
        rows.append(row)
    yield from rows


# A 分别 list whose earlier items leave the unit to the last one:
# 出栏量分别达335、236万头 -> 335万头 and 236万头.
_BARE_LIST_RE = re.compile(
    r"分别[^\d,，;；。]{0,4}?(?P<items>(?:\d+(?:\.\d+)?[、和及与])+)$"
)
_BARE_ITEM_RE = re.compile(r"\d+(?:\.\d+)?")


def _list_items(last: dict, sentence: str, shadow: str) -> list[dict]:
    """Rows for the bare numbers of a 分别 list that ends with ``last``.

    Each item takes the magnitude and unit of the last item (``raw`` is the
    number as written, ``unit`` the shared unit), so ``value == number *
    multiplier`` still holds.
    """
    if not last["unit_std"] and last["multiplier"] == 1.0:
        return []
    m = _BARE_LIST_RE.search(shadow[: last["start"]])
    if m is None:
        return []
    rows = []
    for item in _BARE_ITEM_RE.finditer(m.group("items")):
        a, b = m.start("items") + item.start(), m.start("items") + item.end()
        value = round(float(item.group(0)) * last["multiplier"], 6)
        rows.append(
            last | {
                "raw": sentence[a:b], "number": sentence[a:b], "value": value,
                "qualifier": "", "start": a, "end": b,
                "value_low": value, "value_high": value,
            }
        )  # fmt: skip
    return rows


def _same_kind(first: dict, later: dict) -> bool:
    """Items of one list: same base unit, or a unit shared by ellipsis.

    In ``提升3.5个、12.2个百分点`` the first item's unit 个百分点 is cut short,
    so a later unit that begins with the earlier one counts as the same kind.
    """
    if first["unit_std"] == later["unit_std"]:
        return True
    return bool(first["unit"]) and later["unit"].startswith(first["unit"])
