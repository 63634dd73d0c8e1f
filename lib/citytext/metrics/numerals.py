"""Numerals: normalisation and parsing of numbers as Chinese texts write them.

What belongs here: the same-length shadow of a text used for matching
(full-width digits and signs to ASCII, traditional to simplified characters,
one character for one so offsets carry over), and the parsing of numerals as
written: Arabic (``2,380``, ``7.5``), full-width (``７．５``), Chinese positional
(``两千三百``, ``八点一``), mixed (``1.2万``), spaced by typesetting
(``5 0 0``) and ranges (``3至5``, ``6-6.5``, ``八至九``). The grammar that
finds quantities in sentences is :mod:`citytext.metrics.grammar`.

Why our own parser: ``cn2an`` converts plain Chinese numerals but neither
mixed forms with magnitudes, ranges, typeset spacing nor offset-keeping
normalisation, which the grammar needs on every sentence; the rules are short.
"""

from __future__ import annotations

import math
import re

from citytext import text as text_mod

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
    if re.fullmatch(r"\d(?: ?\d)*(?: ?\.\d(?: ?\d)*)?", s):
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
