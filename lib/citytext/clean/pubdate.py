"""Publication dates from the dateline region, a file path or a URL.

What belongs here: functions that find an article's publication date in one
place each (the lines around the headline, a dispatch lead such as
``本报北京9月30日电``, a file path, a URL) and return ``YYYY-MM-DD`` or "".
Which source wins is decided by :func:`citytext.clean.metadata.set_dates`.

A date is a full year-month-day. A clock (``18:57``), a copyright year or a
date in a related-article list is never taken: only the lines between the
headline and the start of the article are read as the dateline region.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FULL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*"
    r"(?P<d>\d{1,2})(?!\d)"
)
_SENTENCE = re.compile("[，。；！？]")
#: Dispatch leads: 本报北京9月30日电, 新华社北京2月1日电, 本报讯 (2月1日).
DISPATCH = re.compile(
    r"(?:本报|新华社|中新社|人民网|央视网|新华网|本台|本网|记者)[^。，\n]{0,12}?"
    r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:电|讯)"
)
_FULL_DISPATCH = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*(?:电|讯)")
_PATH_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<s>[-_/.]?)(?P<m>\d{2})(?P=s)(?P<d>\d{2})(?!\d)"
)
_URL_DATES = (
    _PATH_DATE,
    # people.cn style: /2024/0510/
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})(?P<d>\d{2})/"),
    # /2024-05/13/
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})/(?P<d>\d{2})/"),
)
#: The dateline region reaches this many lines into the article block.
INTO_BLOCK = 2
#: When the region has no date, this many lines above the headline are read.
ABOVE_HEAD = 2
DATELINE_MAX = 120


def iso(y: str | int, m: str | int, d: str | int) -> str:
    """Return ``YYYY-MM-DD`` or "" for an impossible date."""
    try:
        yi, mi, di = int(y), int(m), int(d)
    except (TypeError, ValueError):
        return ""
    if not (1949 <= yi <= 2100 and 1 <= mi <= 12 and 1 <= di <= 31):
        return ""
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def region_date(lines: Sequence[str], lo: int, hi: int) -> str:
    """Return the first full date on a dateline-like line of ``lines[lo:hi]``.

    A dateline-like line is short and not a sentence (``2019年11月25日 18:57
    参考消息``, ``发布时间：2024-05-10``).

    Args:
        lines: The page's lines.
        lo: First line of the region (the headline).
        hi: One past its last line.

    Returns:
        The ISO date, or "".
    """
    region = list(lines[max(0, lo) : max(0, hi)])
    for i, line in enumerate(region):
        if len(line) > DATELINE_MAX or _SENTENCE.search(line):
            continue
        year = _YEAR_ONLY.fullmatch(line)
        if year and i + 1 < len(region):
            # A date widget split over lines: 2019 / 09/07.
            nxt = _MONTH_DAY.fullmatch(region[i + 1].strip())
            if nxt and (found := iso(year.group(1), nxt.group(1), nxt.group(2))):
                return found
        for m in FULL_DATE.finditer(line):
            found = iso(m.group("y"), m.group("m"), m.group("d"))
            if found:
                return found
    return ""


_YEAR_ONLY = re.compile(r"\s*((?:19|20)\d{2})\s*年?\s*")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def dispatch(text: str) -> tuple[str, str, str]:
    """Return ``(year, month, day)`` of a dispatch lead in the first 300 chars.

    ``year`` is "" when the lead gives only month and day (本报北京9月30日电).
    """
    full = _FULL_DISPATCH.search(text[:300])
    if full:
        return full.group(1), full.group(2), full.group(3)
    m = DISPATCH.search(text[:300])
    if not m:
        return "", "", ""
    return m.group("y") or "", m.group("m"), m.group("d")


def path_date(path: str) -> str:
    """Return a date carried by a file name or folder (rmrb-20190201-01-01.txt)."""
    for m in _PATH_DATE.finditer(path or ""):
        found = iso(m.group("y"), m.group("m"), m.group("d"))
        if found:
            return found
    return ""


def path_year(path: str) -> str:
    """Return a year carried by a file path (a folder ``2019`` or a date)."""
    found = path_date(path)
    if found:
        return found[:4]
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", path or "")
    return m.group(1) if m else ""


def url_date(url: str) -> str:
    """Return a date carried by a URL (/2024-05/13/, /20240509/, /2024/0510/)."""
    for pattern in _URL_DATES:
        for m in pattern.finditer(url or ""):
            found = iso(m.group("y"), m.group("m"), m.group("d"))
            if found:
                return found
    return ""
