"""Pages: parameters as an escaped table, no raw dicts, slim executed notebooks."""

from __future__ import annotations

import nbformat
import pytest

from citytext import render

HOSTILE = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({}, "(none)"),
        ({"考核晾晒": ["考核", "排名"]}, "考核晾晒: 考核, 排名"),
        ("", "(empty)"),
        (True, "true"),
        (9.96e9, "99.6亿"),
        (30, "30"),
        ([1, 2], "1, 2"),
    ],
)
def test_show_value(value, shown):
    assert render.show_value(value) == shown


def _notebook(city: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    declared = nbformat.v4.new_code_cell(
        'city: str = "鸡西"  # city to profile\nseed_topics: dict = {}  # guided topics'
    )
    declared.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell(f"# Parameters\ncity = {city!r}\n")
    injected.metadata["tags"] = ["injected-parameters"]
    body = nbformat.v4.new_code_cell("report.init()")
    nb.cells = [nbformat.v4.new_markdown_cell("# 05 · City profile"), declared,
                injected, body]  # fmt: skip
    return nb


def test_parameters_table_escapes_values_and_shows_no_dicts():
    table = render.parameters_table(_notebook(HOSTILE), "05_city_profile")
    assert "<script>" not in table and "&lt;script&gt;" in table
    assert "(set for this run)" in table and "(none)" in table and "{}" not in table


def test_page_hides_code_and_puts_the_table_where_the_declarations_were():
    nb = _notebook("鸡西")
    page = render.PageRenderer().page_notebook(nb, "05_city_profile")
    kinds = [c.cell_type for c in page.cells]
    assert kinds == ["markdown", "raw", "code"]
    assert page.cells[2].metadata["transient"]["remove_source"] is True
    assert "transient" not in nb.cells[3].metadata, "the input is not changed"


def test_rendered_page_is_chinese_and_fetches_nothing(tmp_path):
    out = render.PageRenderer().render(_notebook("鸡西"), tmp_path / "p.html", "p")
    html = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert "require" not in html.lower() and "mathjax" not in html.lower()
    assert "http://" not in html and "https://" not in html
    assert '<link rel="stylesheet" href="../assets/notebook.css">' in html
    assert len(html) < 20_000, "no stylesheet inlined"


def test_slim_notebook_replaces_table_payloads_only():
    nb = _notebook("鸡西")
    table = nbformat.v4.new_output(
        "display_data",
        data={"text/html": '<table id="itables_1"></table><script>ITable(x)</script>'},
    )
    figure = nbformat.v4.new_output(
        "display_data", data={"text/html": '<img class="citytext-figure" src="x">'}
    )
    nb.cells[3].outputs = [table, figure]
    assert render.slim_notebook(nb, "../html/p.html") == 1
    assert 'href="../html/p.html"' in nb.cells[3].outputs[0]["data"]["text/html"]
    assert nb.cells[3].outputs[1] == figure


def test_table_output_loses_its_preview_and_escapes_but_not_its_content():
    import pandas as pd
    from itables.javascript import to_html_datatable

    df = pd.DataFrame({"text": ["完成投资109.6亿元", "\\u4ebf literally", HOSTILE]})
    html = to_html_datatable(df, connected=False)
    assert "_fallback" in html and "\\\\u5b8c" in html
    small = render.compact_table_html(html)
    assert "_fallback" not in small and 'hidden="hidden"' not in small
    assert "完成投资109.6亿元" in small
    assert "\\\\\\\\u4ebf literally" in small, "a backslash of the text stays"
    assert "<script>alert" not in small
    assert len(small.encode()) < len(html.encode())
