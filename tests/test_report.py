"""Corpus text shown in notebooks is escaped."""

from __future__ import annotations

from citytext import report

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"> '
    "**bold** [x](javascript:alert(3))"
)


def test_esc_escapes_html():
    out = report.esc(HOSTILE)
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out


def test_md_escapes_markdown_and_html():
    md = report.md("Title: {t} ({n} docs)", t=HOSTILE, n=3)
    text = md.data
    assert "<script>" not in text and "<img" not in text
    assert "\\*\\*bold\\*\\*" in text
    assert "\\[x\\]\\(javascript" in text
    assert "(3 docs)" in text


def test_table_refuses_html(monkeypatch):
    import pandas as pd
    import pytest

    with pytest.raises(ValueError, match="untrusted"):
        report.table(pd.DataFrame({"a": [1]}), allow_html=True)
