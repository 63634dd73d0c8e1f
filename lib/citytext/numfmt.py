"""Readable numbers for pages, tables and figures.

Everything a reader sees goes through :func:`readable`: small numbers as
written (``559``, ``7.5``, ``0.0712``), thousands separators from ten
thousand on (``35,210``), 万 from a million and 亿 from a hundred million
(``352.1万``, ``99.6亿``, ``1.2万亿``), and never scientific notation, however
large or small the value. Python's own format specifications switch to
exponents (``9.96e+09``) and pandas picks one format per column, so a column
with one large value turned every row into ``5.590000e+02``; this module is
the one place that decides how a number looks.
"""

from __future__ import annotations

import math
from decimal import Decimal

#: (threshold, divisor, suffix), largest first.
_CN_UNITS = ((1e12, 1e12, "万亿"), (1e8, 1e8, "亿"), (1e6, 1e4, "万"))
#: Significant digits kept for amounts written with 万, 亿 or 万亿.
_CN_DIGITS = 4


def _plain(value: float, max_decimals: int = 2) -> str:
    """Fixed-point text with thousands separators from 10,000 on, zeros trimmed."""
    magnitude = abs(value)
    if magnitude >= 1:
        decimals = max_decimals
    else:
        # three significant digits below 1: 0.0712, 0.000153
        decimals = min(15, 2 - math.floor(math.log10(magnitude)))
    text = f"{value:,.{decimals}f}" if magnitude >= 1e4 else f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def readable(value: object, *, cn_units: bool = True) -> str:
    """Return ``value`` as a reader would write it.

    Args:
        value: A number (int, float, numpy scalar or numeric string); ``None``
            and NaN give ``""``, text that is not a number is returned as is.
        cn_units: Write amounts from a million on with 万, 亿 or 万亿 (four
            significant digits); otherwise keep every digit with separators.

    Returns:
        ``"559"``, ``"7.5"``, ``"35,210"``, ``"352.1万"``, ``"99.6亿"``,
        ``"-1.5万亿"``; ``"∞"`` for infinities.

    Examples:
        >>> readable(9.96e9), readable(559.0), readable(12600), readable(0.07123)
        ('99.6亿', '559', '12,600', '0.0712')
    """
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return ""
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if number == 0:
        return "0"
    magnitude = abs(number)
    if cn_units:
        for threshold, divisor, suffix in _CN_UNITS:
            if magnitude >= threshold:
                return _significant(number / divisor, _CN_DIGITS) + suffix
    if float(number).is_integer() and magnitude < 2**53:
        whole = int(number)
        return f"{whole:,}" if magnitude >= 1e4 else str(whole)
    return _plain(number)


def _significant(value: float, digits: int) -> str:
    """Round to ``digits`` significant digits, written without an exponent."""
    rounded = float(f"{value:.{digits}g}")
    text = format(Decimal(repr(rounded)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    integer, _, fraction = text.lstrip("-").partition(".")
    sign = "-" if text.startswith("-") else ""
    grouped = f"{int(integer):,}" if len(integer) > 4 else integer
    return sign + grouped + (f".{fraction}" if fraction else "")


def cn_number(value: float) -> str:
    """Axis and bar labels: like :func:`readable`, 万 already from ten thousand.

    Figures have little room, so ``17600`` is written ``1.76万``.
    """
    if value != value:  # NaN
        return ""
    if 1e4 <= abs(value) < 1e6:
        return _significant(value / 1e4, _CN_DIGITS) + "万"
    return readable(value)
