"""Integrity of the held-out web pages in ``tests/fixtures/clean_fresh``.

These checks read the fixture only; they never run the cleaner, so the pages
stay unseen by anyone tuning it. Each gold body must be the raw lines its spec
names, every gold title a whole raw line, and no 20-character window of a gold
body may also occur in the development gold (checked when that corpus is
present).
"""

import json
import re

import pytest

from bench import quality_data as qd

FRESH = qd.FRESH_DIR
PAGES = qd.fresh_pages()
SPECS = json.loads((FRESH / "specs.json").read_text(encoding="utf-8"))
WINDOW = 20
HAN = re.compile(r"[\u4e00-\u9fff]")
REPO_AT_COMMIT = r"https://github\.com/[^/ ]+/[^/ ]+ @ [0-9a-f]{40}"


def raw_lines(page: qd.Page) -> list[str]:
    """Return the raw dump's lines (the dump ends with a newline)."""
    text = page.raw_path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return text[:-1].split("\n")


def squeeze(text: str) -> str:
    """Return ``text`` without any whitespace."""
    return re.sub(r"\s+", "", text)


def windows(text: str) -> set[str]:
    """Return every ``WINDOW``-character slice of ``text``."""
    return {text[i : i + WINDOW] for i in range(len(text) - WINDOW + 1)}


def test_set_size_and_unique_ids():
    ids = [p.id for p in PAGES]
    assert len(ids) >= 12
    assert len(ids) == len(set(ids))
    assert set(ids) == set(SPECS)


def test_at_most_three_pages_per_site():
    counts: dict[str, int] = {}
    for p in PAGES:
        counts[p.source] = counts.get(p.source, 0) + 1
    assert max(counts.values()) <= 3


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_title_is_a_raw_line(page):
    lines = raw_lines(page)
    assert page.title in lines
    assert lines[SPECS[page.id]["title_line"]] == page.title


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_body_is_the_spec_lines(page):
    lines = raw_lines(page)
    chosen = []
    for start, end in SPECS[page.id]["body"]:
        assert 0 <= start <= end < len(lines)
        chosen.extend(lines[start : end + 1])
    assert page.body == "\n".join(chosen)
    assert all(line in lines for line in page.body.split("\n"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_body_size_and_script(page):
    chars = squeeze(page.body)
    assert len(chars) >= 150
    assert len(HAN.findall(chars)) / len(chars) >= 0.5


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_date_is_iso_or_null(page):
    assert page.date is None or qd.is_date(page.date)
    if page.date:
        year, month, day = (int(x) for x in page.date.split("-"))
        assert 1995 <= year <= 2030 and 1 <= month <= 12 and 1 <= day <= 31


def test_gold_records_have_their_sources():
    for line in (FRESH / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        assert re.fullmatch(REPO_AT_COMMIT, gold["source_repo"])
        assert gold["source_path"]
        assert gold["site"]


def test_no_window_shared_with_development_gold():
    dev = qd.corpora_dir() / qd.WEB / "gold.jsonl"
    if not dev.is_file():
        pytest.skip("web_pages_dev corpus absent")
    dev_windows: set[str] = set()
    for line in dev.read_text(encoding="utf-8").splitlines():
        dev_windows |= windows(squeeze(json.loads(line)["body"] or ""))
    for page in PAGES:
        shared = windows(squeeze(page.body)) & dev_windows
        assert not shared, (page.id, sorted(shared)[:1])
