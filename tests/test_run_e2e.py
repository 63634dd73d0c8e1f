"""End to end: `citytext run` on the seeds executes and renders every notebook."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from citytext import execution, runfiles
from tests.conftest import SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

README = Path(__file__).resolve().parents[1] / "README.md"
_IDENT = re.compile(r"[a-z][a-z0-9_]*")


def _readme_columns() -> dict[str, tuple[list[str], bool]]:
    """README's run-directory table: each CSV's listed columns and whether more follow.

    Parenthesised remarks are dropped; the columns are the names listed before
    the first item that is not a plain column name (``…``, ``then …``).
    """
    section = README.read_text(encoding="utf-8").split("## The run directory", 1)[1]
    out = {}
    for line in section.split("\n## ", 1)[0].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names = re.findall(r"`([^`]+\.csv)`", cells[0])
        if not line.startswith("|") or not names:
            continue
        assert len(names) == 1, f"one file per row: {cells[0]}"
        items = [i.strip() for i in re.sub(r"\([^)]*\)", "", cells[2]).split(",")]
        columns = []
        for item in items:
            if not _IDENT.fullmatch(item):
                break
            columns.append(item)
        out[names[0]] = (columns, len(columns) < len(items))
    return out


CONTRACT = _readme_columns()
SEED_CITIES = {"鸡西", "青岛", "陵城", "海阳", "海城"}


def test_index_links_every_page(seed_run):
    index = (seed_run / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', index)
    for name in execution.MAIN_NOTEBOOKS:
        assert f"html/{name}.html" in hrefs
    profiles = [h for h in hrefs if h.startswith("html/05_city_profile_")]
    assert len(profiles) == 5
    for href in hrefs:
        assert (seed_run / href).is_file(), href
    for name in execution.MAIN_NOTEBOOKS:
        assert (seed_run / "notebooks" / f"{name}.ipynb").is_file()


def test_run_json_records_provenance(seed_run):
    info = json.loads((seed_run / "run.json").read_text(encoding="utf-8"))
    counts = info["counts"]
    assert counts["files_seen"] == counts["documents"] == counts["files_accounted"] == 5
    assert counts["reconciled"] is True
    assert (
        counts["files_seen"]
        == counts["kept"] + counts["quarantined"] + counts["duplicates"]
    )
    for path in SEEDS:
        assert (
            info["input_files"][path.name]
            == hashlib.sha256(path.read_bytes()).hexdigest()
        )
    assert info["versions"]["citytext"] and info["versions"]["jieba"] == "0.42.1"
    assert any(k.endswith(".yaml") or k.endswith(".txt") for k in info["resources"])
    assert set(info["timings_seconds"]["notebooks"]) >= set(execution.MAIN_NOTEBOOKS)
    assert {"clean", "segment", "metrics"} <= set(info["timings_seconds"]["stages"])
    assert info["random_seeds"], "the topic model's seed is recorded"
    assert set(info["cities"]) == SEED_CITIES


def test_readme_lists_the_runfiles_columns():
    assert set(CONTRACT) == set(runfiles.RUN_CSV_COLUMNS)
    for name, (columns, _) in CONTRACT.items():
        assert columns == runfiles.RUN_CSV_COLUMNS[name], name
    assert CONTRACT[runfiles.CITY_COMPARISON][0][4:] == [
        "years", "n_docs", "n_chars", "year_min", "year_max",
    ]  # fmt: skip


def test_every_run_file_is_in_the_contract(seed_run):
    written = {p.name for p in seed_run.glob("*.csv")}
    assert written == set(CONTRACT)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_csv_contract_columns(seed_run, name):
    header = list(pd.read_csv(seed_run / name, dtype=str, nrows=0).columns)
    columns, more = CONTRACT[name]
    assert header[: len(columns)] == columns, name
    assert more or header == columns, f"{name} has columns README does not list"


def test_one_comparison_row_per_seed_city(seed_run):
    comp = pd.read_csv(
        seed_run / runfiles.CITY_COMPARISON, dtype=str, keep_default_na=False
    )
    assert set(comp["city"]) == SEED_CITIES and len(comp) == 5


def test_html_hides_code_and_shows_parameters_as_a_table(seed_run):
    for name in execution.MAIN_NOTEBOOKS:
        page = (seed_run / "html" / f"{name}.html").read_text(encoding="utf-8")
        assert "report.init()" not in page, f"{name}: code cells should be hidden"
        assert '<table class="citytext-params">' in page, name
        assert "# Parameters" not in page and ": str =" not in page, name
        assert '<html lang="zh-CN">' in page
    page = (seed_run / "html" / "05_city_profile_鸡西.html").read_text("utf-8")
    params_table = re.search(r'<table class="citytext-params">.*?</table>', page)
    assert "<code>city</code></th><td>鸡西 <small>(set for this run)" in (
        params_table.group(0)
    )


def test_figures_are_files_the_pages_refer_to(seed_run):
    for page in (seed_run / "html").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "data:image/png;base64" not in html, page.name
        for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
            assert src.startswith("../figures/"), (page.name, src)
            assert (page.parent / unquote(src)).is_file(), (page.name, src)


def test_tables_use_the_one_shared_bundle(seed_run):
    assets = seed_run / "assets"
    for name in ("itables.js", "itables.css", "notebook.css"):
        assert (assets / name).is_file(), name
    for page in (seed_run / "html").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "injectModule(" not in html, f"{page.name} embeds the bundle"
        assert '<link rel="stylesheet" href="../assets/notebook.css">' in html
        if re.search(r"<table[^>]* id=.itables_", html):
            assert '<script src="../assets/itables.js"></script>' in html, page.name
    index = (seed_run / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/itables.js"></script>' in index


#: A reference that makes the browser fetch something (links to read are fine).
REMOTE = r"""["']?\s*(?:https?:)?//"""
FETCH = re.compile(
    rf"<(?:script|img|iframe|source|audio|video|embed|input)\b[^>]*\ssrc\s*={REMOTE}"
    rf"|<link\b[^>]*\shref\s*={REMOTE}|<object\b[^>]*\sdata\s*={REMOTE}"
    rf"|url\(\s*{REMOTE}|@import\s+(?:url\()?{REMOTE}",
    re.I,
)


def test_no_page_fetches_anything_from_the_network(seed_run):
    pages = [seed_run / "index.html", *(seed_run / "html").glob("*.html")]
    for page in [*pages, seed_run / "assets" / "notebook.css"]:
        text = page.read_text(encoding="utf-8")
        hits = [m.group(0) for m in FETCH.finditer(text)]
        assert not hits, (page.name, hits[:3])
    # the check finds what nbconvert's stock template would have added
    assert FETCH.search('<script src="https://cdn.example/require.min.js">')
    assert FETCH.search('<link rel="stylesheet" href="https://cdn.example/x.css">')
    assert FETCH.search("@font-face{src:url('//fonts.example/x.woff')}")
    assert not FETCH.search('<a href="https://itables.org/">about</a>')


def test_page_sizes_within_budget(seed_run):
    for page in (seed_run / "html").glob("*.html"):
        size = page.stat().st_size
        limit = 400_000 if page.name.startswith("05_") else 3_000_000
        assert size <= limit, (page.name, size)


def test_executed_profiles_keep_outputs_but_not_table_payloads(seed_run):
    import nbformat

    path = seed_run / "notebooks" / "05_city_profile_鸡西.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    html = [o["data"].get("text/html", "") for o in outputs if "data" in o]
    assert any("05_city_profile_鸡西.html" in h for h in html)
    assert not any("data_json" in h for h in html)
    assert any("citytext-figure" in h for h in html), "figures stay"
    assert path.stat().st_size < 100_000


def test_same_input_gives_identical_csvs(seed_run, forced_run):
    again, _ = forced_run
    names = sorted(p.name for p in seed_run.glob("*.csv"))
    assert len(names) >= len(CONTRACT)
    assert names == sorted(p.name for p in again.glob("*.csv"))
    for name in names:
        assert (seed_run / name).read_bytes() == (again / name).read_bytes(), name


def test_dask_engine_gives_the_same_csvs(seed_run, dask_run):
    info = json.loads((dask_run / "run.json").read_text(encoding="utf-8"))
    assert info["effective_parameters"]["01_cleaning"]["engine"] == "dask"
    assert info["stages"]["clean"]["engine"] == "dask"
    names = sorted(p.name for p in seed_run.glob("*.csv"))
    for name in names:
        assert (seed_run / name).read_bytes() == (dask_run / name).read_bytes(), name


def test_profile_pages_get_only_their_parameters_readably(seed_run):
    import nbformat

    for path in (seed_run / "notebooks").glob("05_city_profile_*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        injected = nb.cells[tags.index(["injected-parameters"])].source
        city = path.stem.removeprefix("05_city_profile_")
        assert f"city = '{city}'" in injected
        assert "\\u" not in injected


@pytest.mark.parametrize("name", execution.MAIN_NOTEBOOKS)
def test_every_saved_figure_is_shown_on_its_page(seed_run, name):
    import nbformat

    nb = nbformat.read(str(seed_run / "notebooks" / f"{name}.ipynb"), as_version=4)
    shown = sum(
        "citytext-figure" in out.get("data", {}).get("text/html", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )
    saved = list((seed_run / "figures").glob(f"{name[:2]}_*.png"))
    assert shown == len(saved) >= 1, "every figure saved is also shown on the page"
    page = (seed_run / "html" / f"{name}.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img[^>]*class="citytext-figure"', page)) == shown
    assert "PosixPath(" not in page


def test_report_ships_one_font_for_its_chinese(seed_run):
    from fontTools.ttLib import TTFont

    fonts = list(seed_run.rglob("*.woff"))
    assert fonts == [seed_run / "assets" / "NotoSansSC-citytext.woff"]
    css = (seed_run / "assets" / "notebook.css").read_text(encoding="utf-8")
    assert 'url("NotoSansSC-citytext.woff")' in css and "citytext CJK" in css
    cmap = TTFont(str(fonts[0])).getBestCmap()
    for page in [seed_run / "index.html", *(seed_run / "html").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert "assets/notebook.css" in html, page.name
        missing = {c for c in html if "\u4e00" <= c <= "\u9fff" and ord(c) not in cmap}
        assert not missing, (page.name, sorted(missing)[:10])


def test_numbers_are_readable_in_pages(seed_run):
    for page in (seed_run / "html").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"\d\.\d{6}e[+-]\d\d", html), page.name
    metrics = (seed_run / "html" / "03_metrics.html").read_text(encoding="utf-8")
    assert re.search(r"\d(?:亿|万)\\\", ", metrics), "万/亿 amounts in the table data"
