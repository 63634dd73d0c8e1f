"""Corpus text shown in notebooks is escaped."""

from __future__ import annotations

import json
import re

import pytest

from citytext import report

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"> '
    "**bold** [x](javascript:alert(3))"
)


@pytest.fixture
def shown(monkeypatch):
    """What ``report.table`` displays, in order, with tables shown statically.

    Notes arrive as display objects, tables as ``(frame, itables options)``.
    """
    out = []
    monkeypatch.setattr("IPython.display.display", out.append)
    monkeypatch.setattr("itables.show", lambda df, **kw: out.append((df, kw)))
    monkeypatch.setattr(report, "_load_tables", lambda: None)
    report.reset()
    report.init(interactive_tables=False)
    yield out
    report.reset()


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


def test_numbers_show_readably_and_sort_by_value():
    import pandas as pd
    from itables.javascript import to_html_datatable

    df = pd.DataFrame(
        {"total": [559.0, 9.96e9], "n": [1, 22022], "year": ["2022", "2023"],
         "flag": [True, False]}
    )  # fmt: skip
    out = report.numbers_for_display(df)
    assert out["total"].dtype == float and out["n"].dtype == float
    assert out["flag"].dtype == bool and df["n"].dtype == "int64"
    report.init(interactive_tables=False)
    html = to_html_datatable(out, connected=False)
    raw = re.search(r'"data_json": ("(?:[^"\\]|\\.)*")', html).group(1)
    rows = json.loads(json.loads(raw))
    assert rows[0][:2] == [["559", 559.0], ["1", 1.0]]
    assert rows[1][:2] == [["99.6亿", 9960000000.0], ["22,022", 22022.0]]


def test_small_table_is_shown_whole():
    import pandas as pd

    df = pd.DataFrame({"a": range(20)})
    shown, cost = report.shown_rows(df, max_rows=100, max_bytes=10_000)
    assert shown is df and cost > 0


def test_large_table_keeps_top_rows_and_a_stable_sample_within_budget():
    import pandas as pd

    df = pd.DataFrame({"sentence": ["某地完成投资109.6亿元"] * 5000, "i": range(5000)})
    shown, cost = report.shown_rows(df, max_rows=400, max_bytes=50_000, top=30)
    assert 30 < len(shown) <= 400 and cost <= 50_000
    assert list(shown["i"][:30]) == list(range(30)), "the top rows come first"
    assert shown["i"].is_monotonic_increasing, "table order is kept"
    again, _ = report.shown_rows(df, max_rows=400, max_bytes=50_000, top=30)
    assert again.equals(shown), "the sample has a fixed seed"
    few, _ = report.shown_rows(df, max_rows=40, max_bytes=10**9, top=30)
    assert len(few) == 40


def test_cut_table_says_what_is_left_out_and_links_the_csv(shown):
    import pandas as pd

    df = pd.DataFrame({"x": range(3000)})
    report.table(df, "big", csv="metrics.csv", max_rows=500, top=50)
    note, (table, _) = shown
    assert "500 of 3000 rows shown" in note.data
    assert "2500 rows are left out" in note.data
    assert '<a href="../metrics.csv">metrics.csv</a>' in note.data
    assert len(table) == 500


def test_cut_computed_table_links_the_file_it_comes_from(shown):
    import pandas as pd

    report.table(pd.DataFrame({"x": range(3000)}), source="city_topics.csv")
    note, (_, options) = shown
    assert 'computed from <a href="../city_topics.csv">city_topics.csv</a>' in note.data
    assert "The full table is" not in note.data
    assert options["display_logo_when_loading"] is False


def test_notebook_02_tables_link_their_data():
    """Every table of the topics page can be cut; each names its CSV."""
    import ast

    import nbformat

    from citytext import execution

    nb = nbformat.read(execution.notebook_path("02_topics"), as_version=4)
    calls = [
        node
        for cell in nb.cells
        if cell.cell_type == "code"
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "table"
    ]
    assert len(calls) >= 7
    for call in calls:
        names = {k.arg for k in call.keywords}
        assert names & {"csv", "source"}, ast.unparse(call)


def test_page_budget_limits_later_tables(monkeypatch):
    import pandas as pd

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    monkeypatch.setattr("itables.show", lambda df, **kw: shown.append(len(df)))
    monkeypatch.setattr(report, "_load_tables", lambda: None)
    report.reset()
    report.init(interactive_tables=False, page_bytes=60_000)
    df = pd.DataFrame({"s": ["某" * 50] * 1000})
    for _ in range(3):
        report.table(df, max_rows=1000)
    assert shown[0] > shown[1] > 0, shown
    assert sum(shown) * 50 * 7 < 80_000
    report.reset()


def test_shared_assets_replace_the_embedded_bundle(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    monkeypatch.setenv(report.ASSETS_ENV, "../assets")
    report.reset()
    report.init()
    (html,) = shown
    assert '<script src="../assets/itables.js"></script>' in html
    assert "injectModule" not in html and len(html) < 500
    report.init()
    assert len(shown) == 1, "loaded once per page"
    report.reset()


def test_shared_bundle_script_is_classic_and_defines_the_itables_module():
    from itables import javascript as js

    src = report.tables_bundle_js()
    assert f"window.{js._itables_underscore_version()} = import(url)" in src
    assert "export" in src and len(src) > 100_000
    assert report.tables_bundle_css().strip()


def test_stage_summary_escapes_and_skips_nested(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    info = {"kept": 5, "corpus": "<script>x</script>", "inputs": {"a": 1}}
    report.stage_summary(info)
    (html,) = shown
    assert "<th>kept</th><td>5</td>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "inputs" not in html


def test_undefined_values_read_n_a_whatever_the_format():
    text = report.md(
        "rho {r:.2f}, share {s:.0%}, n {n:,}", r=float("nan"), s=None, n=3
    ).data
    assert text == "rho n/a, share n/a, n 3"
    assert report.md("{r:+.2f}", r=0.25).data == "+0.25"


def test_facts_sentence_or_note(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    report.facts("**{a}** met {n} targets", {"a": HOSTILE, "n": 2})
    report.facts("**{a}** met {n} targets", None, otherwise="No targets.")
    report.facts("**{a}** met {n} targets", None)
    report.facts("{city}: {n}", {"n": 1}, city="鸡西")
    assert len(shown) == 3
    assert "<script>" not in shown[0] and shown[0].endswith("met 2 targets")
    assert shown[1] == "No targets." and shown[2] == "鸡西: 1"


def test_bullets_one_item_per_row(monkeypatch):
    import pandas as pd

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    rows = pd.DataFrame({"label": ["就业", "<b>x</b>"], "share": [0.25, float("nan")]})
    report.bullets("**{label}** {share:.0%}", rows)
    report.bullets("**{label}** {share:.0%}", rows.iloc[:0])
    (text,) = shown
    assert text.splitlines() == ["- **就业** 25%", "- **&lt;b&gt;x&lt;/b&gt;** n/a"]


def test_table_columns_index_and_what_an_empty_table_means(shown):
    import pandas as pd

    wide = pd.DataFrame(
        {"a": [1, 2], "b": [3, 4]}, index=pd.Index(["甲", "乙"], name="city")
    )
    report.table(wide, columns=["city", "b"], index=True)
    assert shown.pop()[0].columns.tolist() == ["city", "b"]
    report.table(wide.iloc[:0], empty="No rows: nothing compared.")
    assert shown.pop().data == "No rows: nothing compared."
    report.table(wide.iloc[:0], empty="")
    assert shown == []
    report.table(wide.iloc[:0])
    assert shown.pop()[0].empty, "without `empty`, the empty table is shown"
