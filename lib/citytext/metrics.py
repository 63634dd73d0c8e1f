"""The number-and-unit grammar: claimed quantities in Chinese government news.

This module turns sentences such as ``截至目前，全区累计发现并解决问题2380余个`` into
rows of a table (``raw`` 2380余个, ``value`` 2380.0, ``unit_std`` 个, ``qualifier`` 余,
``subject`` 问题, ``period`` 截至目前, ``category`` 问题诉求). What belongs here:
sentence splitting, numeral parsing, the quantity grammar, the rules that decide
what is not a metric, subjects, periods, categories, and the yearly GDP growth
target of a government work report.

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
import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from citytext import claims, config, resources
from citytext import text as text_mod

logger = logging.getLogger(__name__)

#: Columns of :func:`extract` (metrics.csv minus doc_id and city, then extras).
COLUMNS = [
    "sentence", "raw", "number", "value", "unit", "unit_std", "qualifier",
    "is_change", "category", "subject", "period",
    "claim_type", "period_year", "period_start", "period_end",
    "sentence_id", "start", "end", "value_low", "value_high", "multiplier",
]  # fmt: skip

QUALIFIERS = (
    "余", "多", "以上", "超", "近", "约", "左右", "以内", "以下", "不少于", "不低于",
    "不超过",
)  # fmt: skip

# --------------------------------------------------------------------------
# Normalisation: same length as the input, so offsets carry over.
# --------------------------------------------------------------------------
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．％～－（）：；！？",
    "0123456789.%~-():;!?",
)


def normalize(text: str) -> str:
    """Return a same-length shadow of ``text`` used for matching.

    Full-width digits and signs become ASCII and traditional characters become
    simplified, one character for one, so an offset in the result is an
    offset in ``text``.

    Args:
        text: Any text.

    Returns:
        The normalised text, ``len(result) == len(text)``.
    """
    text = text.translate(_FULLWIDTH)
    return "".join(text_mod.t2s_char(c) if ord(c) >= 0x3400 else c for c in text)


# --------------------------------------------------------------------------
# Sentences: the splitter of :mod:`citytext.text` (re-exported here)
# --------------------------------------------------------------------------
sentence_spans = text_mod.sentence_spans
sentences = text_mod.sentences


# --------------------------------------------------------------------------
# Numerals
# --------------------------------------------------------------------------
_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_MAGNITUDES = {"十": 10.0, "百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8}
_ARABIC_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_MIXED_RE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)([十百千万亿]+)")
_RANGE_SPLIT = re.compile(r"[至到~～\-—－]")


def _parse_cn_integer(s: str) -> int | None:
    """Parse a positional Chinese integer (两千三百, 一万零五, 十五)."""
    total = section = 0
    digit: int | None = None
    after_unit = False
    for ch in s:
        if ch in _CN_DIGITS:
            value = _CN_DIGITS[ch]
            if value == 0 and after_unit:  # 一百零五
                continue
            if digit is not None or value == 0:  # 两三, 一九八〇: not positional
                return None
            digit, after_unit = value, False
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit, after_unit = None, True
        elif ch in _CN_BIG:
            total = (total + section + (digit or 0)) * _CN_BIG[ch]
            section, digit, after_unit = 0, None, True
        else:
            return None
    return total + section + (digit or 0)


def _parse_cn(s: str) -> float | None:
    """Parse a Chinese numeral with an optional decimal part (八点一)."""
    whole, _, frac = s.partition("点")
    integer = _parse_cn_integer(whole) if whole else None
    if integer is None:
        return None
    if not frac:
        return float(integer)
    digits = [_CN_DIGITS.get(c) for c in frac]
    if any(d is None for d in digits):
        return None
    return float(f"{integer}.{''.join(str(d) for d in digits)}")


def magnitude(s: str) -> float:
    """Return the multiplier of a magnitude word (万 → 1e4, 千万 → 1e7, "" → 1).

    Args:
        s: Magnitude characters (十 百 千 万 亿), possibly empty.

    Returns:
        The product of the characters' values.
    """
    return math.prod(_MAGNITUDES[c] for c in s) if s else 1.0


def parse_number(s: str) -> float | None:
    """Parse a numeral as written: Arabic, full-width, Chinese or mixed.

    Args:
        s: ``"2,380"``, ``"７．５"``, ``"两千"``, ``"百分之三十"`` (the prefix is
            ignored), ``"八点一"``, ``"1.2万"``; for a range (``"3至5"``) the
            lower end.

    Returns:
        The value, or None when ``s`` is not a numeral (``"一九八〇"``, ``"两三"``).

    Examples:
        >>> parse_number("1.2万"), parse_number("两千"), parse_number("3至5")
        (12000.0, 2000.0, 3.0)
    """
    return parse_range(s)[0]


def _parse_single(s: str) -> float | None:
    s = normalize(s).strip().removeprefix("百分之")
    if re.fullmatch(r"\d(?: ?\d)*(?:\.\d+)?", s):
        s = s.replace(" ", "")
    if not s:
        return None
    if _ARABIC_RE.fullmatch(s):
        return float(s.replace(",", ""))
    m = _MIXED_RE.fullmatch(s)
    if m:
        return float(m.group(1).replace(",", "")) * magnitude(m.group(2))
    if s == "百":
        return 100.0
    return _parse_cn(s)


def parse_range(s: str) -> tuple[float | None, float | None]:
    """Parse a numeral or a range of numerals into ``(low, high)``.

    Args:
        s: ``"3至5"``, ``"6-6.5"``, ``"八至九"`` or a single numeral.

    Returns:
        ``(low, high)``; equal for a single numeral; ``(None, None)`` when
        unparseable.
    """
    parts = [p.strip("%") for p in _RANGE_SPLIT.split(normalize(s).strip()) if p]
    values = [_parse_single(p) for p in parts[:2]]
    if not values or any(v is None for v in values):
        return None, None
    return min(values), max(values)


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
# Some typeset reports space their digits (今年再转5 0 0 亿元, 增长8 ％): one
# space between two digits, or before the unit, stays inside the quantity.
_AR_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d(?: ?\d)*)(?:\.\d+)?"
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
_QUAL_MAP = {
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


def _candidates(shadow: str) -> list[_Match]:
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
            return _QUAL_MAP.get(q, "")
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
    """Name the category of one quantity (see :func:`citytext.claims.category`).

    Args:
        row: A mapping with ``unit_std`` and ``subject``.
        context: Unused; the category depends on subject and unit only.

    Returns:
        The category from ``metric_category_table.yaml``.
    """
    del context
    return claims.category(str(row.get("subject") or ""), str(row["unit_std"]))


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


def _sentence_rows(sentence: str, sentence_id: int) -> Iterator[dict]:
    shadow = normalize(sentence)
    rows: list[dict] = []
    for c in _candidates(shadow):
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


def extract(text: str, year: int | None = None) -> pd.DataFrame:
    """Extract the claimed quantities of a text.

    Args:
        text: An article (any script; full-width digits are fine).
        year: The document year (from metadata or the date), which resolves
            今年, 去年 and the halves of a work report; None when unknown.

    Returns:
        One row per quantity, in text order, with :data:`COLUMNS`:
        ``sentence``, ``raw`` (exact span of the sentence), ``number``,
        ``value``, ``unit``, ``unit_std``, ``qualifier``, ``is_change``,
        ``category``, ``subject``, ``period``, ``claim_type``,
        ``period_year``, ``period_start``, ``period_end`` (see
        :mod:`citytext.claims`) and the extras ``sentence_id``,
        ``start``/``end`` (offsets of ``raw`` in ``sentence``), ``value_low``,
        ``value_high`` and ``multiplier`` (``value == parse_number(number) *
        multiplier``, except doublings where ``value == 2 ** number``).

    Examples:
        >>> row = extract("截至目前，全区累计发现并解决问题2380余个。").iloc[0]
        >>> row["raw"], float(row["value"]), row["qualifier"], row["subject"]
        ('2380余个', 2380.0, '余', '问题')
    """
    text = text or ""
    spans = sentence_spans(text)
    rows: list[dict] = []
    for i, (a, b) in enumerate(spans):
        rows.extend(_sentence_rows(text[a:b], i))
    _add_claims(rows, text, spans, year)
    return pd.DataFrame(rows, columns=COLUMNS).astype(
        {
            "is_change": bool, "sentence_id": int, "start": int, "end": int,
            "period_year": "Int64", "period_start": "Int64", "period_end": "Int64",
        }
    )  # fmt: skip


def _add_claims(
    rows: list[dict], text: str, spans: list[tuple[int, int]], year: int | None
) -> None:
    """Set claim type, period and category of each row (see citytext.claims)."""
    offsets = [
        (spans[r["sentence_id"]][0] + r["start"], spans[r["sentence_id"]][0] + r["end"])
        for r in rows
    ]
    found = claims.classify(
        text,
        offsets,
        [r["unit_std"] for r in rows],
        [r["is_change"] for r in rows],
        year=year,
    )
    for row, claim in zip(rows, found, strict=True):
        row.update(claim.as_row())
        row["category"] = claims.category(row["subject"], row["unit_std"])


def _year(value: Any) -> int | None:
    """A document year from articles.csv (text) or None."""
    try:
        year = int(float(str(value)))
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 2999 else None


def document_rows(item: tuple[str, ...]) -> list[dict[str, Any]]:
    """Extract one document's quantities as plain rows (for the pipeline).

    Args:
        item: ``(doc_id, city, text)`` or ``(doc_id, city, text, year)``.

    Returns:
        Rows of :func:`extract` with ``doc_id`` and ``city`` added; missing
        years are None.
    """
    doc_id, city, text = item[:3]
    year = _year(item[3]) if len(item) > 3 else None
    df = extract(text, year=year)
    df.insert(0, "city", city)
    df.insert(0, "doc_id", doc_id)
    records = df.astype({c: object for c in claims.COLUMNS[1:]}).to_dict("records")
    for r in records:
        for c in claims.COLUMNS[1:]:
            if r[c] is pd.NA:
                r[c] = None
    return records


# --------------------------------------------------------------------------
# National government work reports: the yearly GDP growth target
# --------------------------------------------------------------------------
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
    spans = sentence_spans(text)
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
        for c in _candidates(tail):
            if c.unit_key in {"%", "百分之"} and c.start <= 20:
                low, high = parse_range(c.number)
                if low is None or high is None:
                    continue
                q = _QUAL_MAP.get(c.suffix, "")
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


# --------------------------------------------------------------------------
# Helpers for the metrics notebook
# --------------------------------------------------------------------------
_NUMERIC = ["value", "value_low", "value_high", "multiplier"]
_INTEGER = ["sentence_id", "start", "end"]


def read_metrics(run_dir: Any) -> pd.DataFrame:
    """Read a run's metrics.csv with numeric and boolean columns typed.

    Args:
        run_dir: The run directory.

    Returns:
        The table; ``value`` etc. as floats, offsets as ints, periods as
        nullable ints, ``is_change`` bool.
    """
    from citytext import pipeline

    df = pipeline.read_csv(run_dir, pipeline.METRICS)
    for col in _NUMERIC:
        df[col] = pd.to_numeric(df[col])
    for col in _INTEGER:
        df[col] = pd.to_numeric(df[col]).astype(int)
    for col in claims.COLUMNS[1:]:
        if col in df.columns:
            df[col] = pd.to_numeric(df[col]).astype("Int64")
    df["is_change"] = df["is_change"] == "True"
    return df


def category_counts(df: pd.DataFrame, by: str = "city") -> pd.DataFrame:
    """Count quantities per ``by`` value and category (a wide table).

    Args:
        df: Rows of metrics.csv.
        by: Grouping column.

    Returns:
        Rows = ``by`` values, columns = categories (sorted), zeros filled.
    """
    counts = df.pivot_table(
        index=by, columns="category", values="raw", aggfunc="size", fill_value=0
    )
    counts.columns.name = None
    return counts.sort_index().reindex(sorted(counts.columns), axis=1)


def largest(df: pd.DataFrame, unit_std: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` largest quantities with one base unit, with their sentences.

    Values are only comparable within a base unit, so claims are ranked per
    unit (元, 人, 个 …), changes left out.

    Args:
        df: Rows of metrics.csv (typed, see :func:`read_metrics`).
        unit_std: The base unit to rank.
        n: How many rows.

    Returns:
        The rows, largest first (ties in document order).
    """
    rows = df[(df["unit_std"] == unit_std) & ~df["is_change"]]
    cols = ["city", "doc_id", "raw", "value", "qualifier", "subject", "period"]
    rows = rows.sort_values("value", ascending=False, kind="mergesort")
    return rows[[*cols, "sentence"]].head(n).reset_index(drop=True)


def highlight_html(sentence: str, spans: Iterable[tuple[int, int]], escape: Any) -> str:
    """Build HTML of a sentence with spans wrapped in ``<mark>``.

    Every piece of the (untrusted) sentence goes through ``escape``; only the
    ``<mark>`` tags are markup.

    Args:
        sentence: The sentence.
        spans: ``(start, end)`` offsets in the sentence; overlaps are skipped.
        escape: An HTML escaping function (``citytext.report.esc``).

    Returns:
        The HTML fragment.
    """
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos or end <= start:
            continue
        out.append(escape(sentence[pos:start]))
        out.append(f"<mark>{escape(sentence[start:end])}</mark>")
        pos = end
    out.append(escape(sentence[pos:]))
    return "".join(out)


def read_reports(path: Any = "") -> list[dict[str, Any]]:
    """Read government work reports from a ``docs.jsonl`` (or its folder).

    Args:
        path: A ``docs.jsonl`` file or a folder holding one; ``""`` = the
            bundled national reports (``config.NATIONAL_REPORTS_DIR``).

    Returns:
        The records (doc_id, title, year, text, …).

    Raises:
        FileNotFoundError: If no docs.jsonl is found.
    """
    p = Path(path) if str(path).strip() else config.NATIONAL_REPORTS_DIR
    if p.is_dir():
        p = p / "docs.jsonl"
    if not p.is_file():
        raise FileNotFoundError(f"no government work reports at {p} (docs.jsonl)")
    with p.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
