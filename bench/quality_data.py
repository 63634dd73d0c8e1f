"""The cleaning development sets: pages, gold, sources and the held-out split.

``web_pages_dev`` (90 web pages: naive text dump, HTML, gold body, title and
date) and ``rmrb_2019_02`` (People's Daily articles with their headings and
dates) live outside the project, in the shared corpora folder
(``config.SHARED_CORPORA_DIR``, or the folder named by ``CITYTEXT_CORPORA``).

Both sets were used to develop the cleaner, so their scores are regression
figures. A part of each was set aside before any tuning and is scored apart as
the held-out figure: for the web pages, whole sources drawn at random with a
fixed seed (``HELDOUT_SOURCES``); for the newspaper, every article whose id
hashes to 0 modulo 3.

``tests/fixtures/clean_fresh`` (``fresh_pages``) is a separate, hand-annotated
set of other web pages (raw dumps, gold and line-range specs, no HTML), kept
for held-out scoring only: nobody tuning the cleaner has looked at them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from citytext import config

WEB = "web_pages_dev"
RMRB = "rmrb_2019_02"
#: The held-out web pages shipped with the tests (raw dumps, gold and specs).
FRESH_DIR = (
    Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "clean_fresh"
)
#: Public suffixes dropped to name a site by its main label.
_SUFFIXES = {"com", "cn", "net", "org", "gov", "edu", "hk", "tw"}
#: Share of the web-page sources set aside before tuning (fixed seed).
HELDOUT_SEED = 20240601
HELDOUT_MIN_PAGES = 15


def corpora_dir() -> Path:
    """Return the shared corpora folder (``CITYTEXT_CORPORA`` overrides)."""
    return config.SHARED_CORPORA_DIR


@dataclass
class Page:
    """One development page or article with its gold fields."""

    id: str
    source: str
    raw_path: Path
    html_path: Path | None
    title: str
    date: str | None
    body: str | None


def site_of(page_id: str, url: str) -> str:
    """Return the site a page comes from (its group for leave-one-source-out).

    Args:
        page_id: ``gne-<site>-<n>``, ``mh-<hash>`` or ``moz-<site>``.
        url: The page URL when known.

    Returns:
        The site's main label (``sina``, ``163``, ``people``).
    """
    if url:
        labels = [x for x in urlparse(url).netloc.lower().split(".") if x]
        while len(labels) > 1 and labels[-1] in _SUFFIXES:
            labels.pop()
        return labels[-1] if labels else page_id
    parts = page_id.split("-")
    return parts[1] if len(parts) >= 2 else page_id


def web_pages(root: Path | None = None) -> list[Page]:
    """Return the 90 development pages with gold (empty when absent)."""
    base = (root or corpora_dir()) / WEB
    if not (base / "gold.jsonl").is_file():
        return []
    with (base / "index.csv").open(encoding="utf-8") as fh:
        urls = {r["id"]: r["url"] for r in csv.DictReader(fh)}
    pages = []
    for line in (base / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        pid = gold["id"]
        pages.append(
            Page(
                id=pid,
                source=site_of(pid, urls.get(pid, "")),
                raw_path=base / "raw" / f"{pid}.txt",
                html_path=base / "html" / f"{pid}.html",
                title=gold["title"],
                date=gold["date"],
                body=gold["body"],
            )
        )
    return pages


def fresh_pages(root: Path | None = None) -> list[Page]:
    """Return the held-out web pages of ``tests/fixtures/clean_fresh``.

    Args:
        root: The fixture folder (``FRESH_DIR`` by default).

    Returns:
        One page per line of ``gold.jsonl`` (empty when the file is absent),
        with ``source`` set to the page's site and no HTML path.
    """
    base = root or FRESH_DIR
    gold_path = base / "gold.jsonl"
    if not gold_path.is_file():
        return []
    pages = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        pages.append(
            Page(
                id=gold["id"],
                source=gold["site"],
                raw_path=base / "raw" / f"{gold['id']}.txt",
                html_path=None,
                title=gold["title"],
                date=gold["date"],
                body=gold["body"],
            )
        )
    return pages


def heldout_sources(pages: list[Page]) -> set[str]:
    """Return the web sources set aside before tuning (seeded draw)."""
    counts: dict[str, int] = {}
    for p in pages:
        counts[p.source] = counts.get(p.source, 0) + 1
    order = sorted(counts)
    random.Random(HELDOUT_SEED).shuffle(order)
    chosen: set[str] = set()
    total = 0
    for source in order:
        if total >= HELDOUT_MIN_PAGES:
            break
        if counts[source] > HELDOUT_MIN_PAGES // 2:
            continue  # one big site would dominate the held-out figure
        chosen.add(source)
        total += counts[source]
    return chosen


def rmrb_articles(root: Path | None = None) -> list[Page]:
    """Return the People's Daily articles (duplicates left out; empty if absent)."""
    base = (root or corpora_dir()) / RMRB
    if not (base / "index.csv").is_file():
        return []
    out = []
    with (base / "index.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["duplicate_of"]:
                continue
            out.append(
                Page(
                    id=row["id"],
                    source=f"rmrb-page-{row['page']}",
                    raw_path=base / "docs" / f"{row['id']}.txt",
                    html_path=None,
                    title=row["title"],
                    date=row["date"],
                    body=None,
                )
            )
    return out


def rmrb_heldout(page_id: str) -> bool:
    """Return whether a newspaper article belongs to the held-out third."""
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 3 == 0


def is_date(value: str | None) -> bool:
    """Return whether ``value`` is an ISO date."""
    return bool(value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
