"""Metadata of a cleaned article: date, outlet, authors and place.

What belongs here: reading the classified lines (datelines, 来源 lines,
bylines, print-edition lines, disclaimers) for metadata, choosing among the
sources of each field, and setting the fields of a :class:`CleanDoc`.

Outlet: the original publisher is preferred over the site that reposted the
page: a print-edition line (《人民日报》(2022年11月07日 第10版)) first, then a
``来源`` line (its last part when it reads 人民网-人民日报), then the site named
by the page's disclaimer, then the page's own site name.

Dates: see :func:`set_dates`; the sources other than the dateline lines are
read by :mod:`citytext.clean.pubdate`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from citytext import places
from citytext.clean import headlines, pubdate
from citytext.clean.boilerplate import Line
from citytext.clean.content import Article
from citytext.clean.document import CleanDoc, Log, record
from citytext.clean.rules import rules
from citytext.text import CJK


def _iso(y: str, m: str, d: str) -> str:
    """Return ``YYYY-MM-DD`` or "" for an impossible date."""
    try:
        yi, mi, di = int(y), int(m), int(d)
    except ValueError:
        return ""
    if not (1949 <= yi <= 2100 and 1 <= mi <= 12 and 1 <= di <= 31):
        return ""
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def _outlet_from_source(value: str) -> str:
    """Pick the original publisher from a 来源 value (人民网-人民日报 → 人民日报)."""
    value = re.split(r"\s{2,}|[|｜丨]", value.strip())[0]
    parts = [p.strip() for p in re.split(r"[-—–]", value) if p.strip()]
    if not parts:
        return ""
    for part in reversed(parts):
        if re.search("(?:报|日报|晚报|周刊|杂志|通讯社|新华社)$", part):
            return part
    return parts[0]


def split_names(names: str) -> list[str]:
    """Split a byline's names (杨桂华 孙伟民 丁燕) into a list."""
    out = []
    for name in re.split(r"[\s、，,/和及]+", names):
        name = name.strip("·")
        if 2 <= len(name) <= 5 and re.fullmatch(f"[{CJK}·]+", name):
            out.append(name)
    return out


@dataclass
class _Meta:
    """Metadata found while cleaning, with where each field came from."""

    date: str = ""
    date_source: str = "none"
    outlet: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)


def collect_metadata(lines: list[Line]) -> _Meta:
    """Read date, outlet candidates and authors from classified lines."""
    r = rules()
    meta = _Meta()
    for line in lines:
        text = line.text
        if line.role == "print_edition":
            m = r["print_edition"].match(text)
            meta.outlet.setdefault("print_edition", m.group("outlet").strip())
            if not meta.date:
                meta.date = _iso(m.group("y"), m.group("m"), m.group("d"))
                meta.date_source = "header" if meta.date else "none"
        if line.role in {"dateline", "source"}:
            d = r["date"].search(text)
            if d and not meta.date:
                meta.date = _iso(d.group("y"), d.group("m"), d.group("d"))
                meta.date_source = "header" if meta.date else "none"
            s = r["source"].search(text)
            if s:
                meta.outlet.setdefault("source", _outlet_from_source(s.group("outlet")))
        if line.role == "byline":
            m = r["byline"].match(text)
            meta.authors.extend(
                n for n in split_names(m.group("names")) if n not in meta.authors
            )
        if line.role == "copyright":
            m = r["disclaimer_site"].search(text)
            if m:
                meta.outlet.setdefault(
                    "disclaimer", m.group("site") or m.group("site2")
                )
    return meta


def _infer_year(text: str) -> str:
    """Infer the year an undated article speaks of (2019年…政府工作报告 → 2019).

    The latest year the text mentions, leaving out target years (到2035年,
    2035年远景目标, the end of a range 2021—2025年).
    """
    r = rules()
    years = []
    for m in r["inferred_year"].finditer(text):
        start = m.start()
        before = text[max(0, start - 6) : start]
        if r["target_before"].search(before) or re.search(r"[-—–~～至]\s*$", before):
            continue
        years.append(int(m.group("y")))
    return str(max(years)) if years else ""


def choose_outlet(found: dict[str, str], meta: Mapping[str, Any]) -> tuple[str, str]:
    """Pick the outlet and its source (see the module docstring)."""
    given = str(meta.get("outlet") or "").strip()
    if given:
        return given, "given"
    for key in ("print_edition", "source", "disclaimer"):
        if found.get(key):
            return found[key], key
    site = str(meta.get("sitename") or "").strip()
    return (site, "page") if site else ("", "none")


def apply_place(doc: CleanDoc, meta: Mapping[str, Any]) -> None:
    """Set the place fields of ``doc`` from its text, title and metadata.

    A ``place`` given in the metadata is taken as given: when the gazetteer
    knows it, its prefecture, province and level are filled in; when it does
    not (全国, a region, a place abroad), it is kept as written with the given
    ``level`` and nothing is inferred from the text, which would otherwise
    name whichever province the report mentions first.
    """
    given = str(meta.get("place") or "").strip()
    ctx = {"place": given, "outlet": doc.outlet}
    choice = places.article_place(doc.text, doc.title, ctx)
    place = choice.place
    unmatched = given and (place is None or given not in {place.name, place.short_name})
    context = [doc.title, doc.text[:2000]]
    if unmatched and places.resolve(given, context=context) is None:
        doc.city = given
        doc.admin_level = str(meta.get("level") or "")
        doc.sources["city"] = "given"
        return
    if place is None and choice.flag:
        doc.flags.append(choice.flag)
        doc.sources["city"] = "none"
        return
    if place is None:
        head = doc.title + "\n" + doc.text[: places.LEAD_CHARS]
        mentions = places.find_places(head)
        doc.flags.append(
            "ambiguous_place" if any(p is None for _, p in mentions) else "no_place"
        )
        doc.sources["city"] = "none"
        return
    # A province keeps its full name: short names of provinces collide with
    # cities (吉林省 / 吉林市, 海南省 / 海南州), and `city` keys every comparison.
    is_province = place.admin_level == "province"
    doc.city = place.name if is_province else place.short_name
    doc.prefecture = "" if is_province else place.prefecture
    doc.province = place.province
    doc.admin_level = place.admin_level
    doc.sources["city"] = "given" if meta.get("place") else "text"


def set_dates(
    doc: CleanDoc, found: _Meta, meta: Mapping[str, Any], source_file: str = ""
) -> None:
    """Set date, date_source and year.

    Order: the given date; a date in the dateline region (``header``); a full
    dispatch date in the lead (``body``); the file path (``path``); a given
    URL (``url``); a dispatch month and day with the year from the path or
    the text (``body``). The year is the given one when the metadata has one
    (a report for 2022 delivered on 2021-12-28 is of 2022), else the date's,
    else the latest year the text speaks of (``inferred``).
    """
    given_date = str(meta.get("date") or "").strip()
    given_year = str(meta.get("year") or "").strip()
    d = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", given_date)
    if d:
        doc.date, doc.date_source = _iso(*d.groups()), "header"
    elif found.date:
        doc.date, doc.date_source = found.date, found.date_source
    else:
        doc.date, doc.date_source = _fallback_date(doc.text, source_file, meta)
    doc.sources["date"] = "given" if d and doc.date else doc.date_source
    if re.fullmatch(r"\d{4}", given_year):
        doc.year = given_year
        doc.date_source = doc.date_source if doc.date else "header"
        doc.sources["year"] = "given"
        return
    if doc.date:
        doc.year = doc.date[:4]
    elif year := _infer_year(doc.text):
        doc.year, doc.date_source = year, "inferred"
    doc.sources["year"] = doc.date_source if doc.year else "none"


def _fallback_date(
    text: str, source_file: str, meta: Mapping[str, Any]
) -> tuple[str, str]:
    """Return a date and its source when no dateline gave one."""
    year, month, day = pubdate.dispatch(text)
    if year and (full := pubdate.iso(year, month, day)):
        return full, "body"
    if found := pubdate.path_date(source_file):
        return found, "path"
    if found := pubdate.url_date(str(meta.get("url") or "")):
        return found, "url"
    if month:
        year = pubdate.path_year(source_file) or str(meta.get("year") or "")
        if found := pubdate.iso(year, month, day):
            return found, "body"
    return "", "none"


def dateline_region(
    found: _Meta, lines: list[Line], title_idx: int, art: Article
) -> None:
    """Prefer a date on the lines between the headline and the article."""
    if art.start < 0:
        return
    lo = title_idx if 0 <= title_idx <= art.start else max(0, art.start - 4)
    hi = art.start + pubdate.INTO_BLOCK
    texts = [x.text for x in lines]
    date = pubdate.region_date(texts, lo, hi)
    if not date and lo == title_idx:
        # Some pages put the dateline just above the headline.
        date = pubdate.region_date(texts, lo - pubdate.ABOVE_HEAD, lo)
    if date:
        found.date, found.date_source = date, "header"


def strip_site_suffix(line: Line, log: Log) -> None:
    """Drop site and channel names from a ``<title>`` line used as the title."""
    core = headlines.site_title(line.text)
    if core and core != line.text:
        record(log, "remove", "title_site_suffix", line.text, core)
        line.text = core
