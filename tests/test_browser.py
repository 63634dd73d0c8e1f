"""A real browser opens the report from file:// with no network."""

from __future__ import annotations

import pytest

from tests.browser import Browser, find_browser

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def browser():
    executable = find_browser()
    if executable is None:
        pytest.skip(
            "no Chromium-family browser installed (apt-get install chromium); "
            "the report's pages were not opened in a browser"
        )
    b = Browser(executable)
    yield b
    b.close()


@pytest.mark.parametrize("page", ["index.html", "html/05_city_profile_鸡西.html"])
def test_page_renders_its_tables_without_errors(browser, seed_run, page):
    report = browser.open(seed_run / page)
    state = report.state
    assert state["lang"] == "zh-CN"
    assert state["tables"] >= 1
    assert state["datatables"] == state["tables"], "every table initialised"
    assert state["search_boxes"] >= 1
    assert report.errors == []
    schemes = {url.split(":", 1)[0] for url in report.requests}
    assert schemes <= {"file", "blob", "data"}, report.requests
