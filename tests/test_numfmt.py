"""Readable numbers: separators, 万/亿, never scientific notation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citytext import numfmt


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9.96e9, "99.6亿"),
        (5.59e2, "559"),
        (559.0, "559"),
        (2022, "2022"),
        (7.5, "7.5"),
        (0.07123, "0.0712"),
        (1234.567, "1234.57"),
        (12600, "12,600"),
        (107960, "107,960"),
        (35210.5, "35,210.5"),
        (3.52e6, "352万"),
        (9.96e7, "9960万"),
        (2.895e11, "2895亿"),
        (1.2e12, "1.2万亿"),
        (-2.5e9, "-25亿"),
        (0, "0"),
        (1e-7, "0.0000001"),
        (float("nan"), ""),
        (None, ""),
        (float("inf"), "∞"),
        ("not a number", "not a number"),
    ],
)
def test_readable(value, text):
    assert numfmt.readable(value) == text


def test_readable_without_chinese_units_keeps_every_digit():
    assert numfmt.readable(9.96e9, cn_units=False) == "9,960,000,000"


def test_numpy_scalars():
    np = pytest.importorskip("numpy")
    assert numfmt.readable(np.float64(3.0)) == "3"
    assert numfmt.readable(np.int64(123456)) == "123,456"


def test_cn_number_for_figures():
    assert numfmt.cn_number(17600) == "1.76万"
    assert numfmt.cn_number(2.9e11) == "2900亿"
    assert numfmt.cn_number(1e13) == "10万亿"
    assert numfmt.cn_number(float("nan")) == ""


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_never_scientific(value):
    text = numfmt.readable(value)
    assert "e" not in text.lower() and text
    if abs(value) < 1e4 and abs(value) >= 0.01:
        assert math.isclose(float(text), value, rel_tol=0.01, abs_tol=0.006)


@given(st.floats(min_value=1e6, max_value=1e30))
def test_large_amounts_use_chinese_units(value):
    text = numfmt.readable(value)
    assert text.endswith(("万", "亿", "万亿"))
    number = float(text.rstrip("万亿").replace(",", ""))
    unit = 1e12 if text.endswith("万亿") else 1e8 if text.endswith("亿") else 1e4
    assert math.isclose(number * unit, value, rel_tol=1e-3)
