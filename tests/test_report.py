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


def test_whole_float_columns_show_as_integers():
    import pandas as pd

    df = pd.DataFrame({"total": [559.0, 12600.0], "rate": [0.5, 1.0], "n": [1, 2]})
    out = report._integral_floats_as_int(df)
    assert str(out["total"].dtype) == "Int64" and list(out["total"]) == [559, 12600]
    assert out["rate"].dtype == float and df["total"].dtype == float


def test_stage_summary_escapes_and_skips_nested(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    info = {"kept": 5, "corpus": "<script>x</script>", "inputs": {"a": 1}}
    report.stage_summary(info)
    (html,) = shown
    assert "<th>kept</th><td>5</td>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "inputs" not in html
