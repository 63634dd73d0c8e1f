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
#: A line opening with a time label is a dateline even with a comma in it:
#: 更新时间 2012年12月10日, 格林尼治标准时间10:41.
_TIME_LABEL = re.compile(
    r"\s*(?:更新时间|发布时间|发布日期|发表时间|最后更新|日期|时间)\s*[：:]?"
)
_MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            (
                "jan",
                "feb",
                "mar",
                "apr",
                "may",
                "jun",
                "jul",
                "aug",
                "sep",
                "oct",
                "nov",
                "dec",
            ),
            start=1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            (
                "一月",
                "二月",
                "三月",
                "四月",
                "五月",
                "六月",
                "七月",
                "八月",
                "九月",
                "十月",
                "十一月",
                "十二月",
            ),
            start=1,
        )
    },
}
#: A date with the month as a word, as blog engines print it: Feb 1st, 2015,
#: February 1, 2015, 十一月 6th, 2009 (an English template in Chinese).
WORD_DATE = re.compile(
    r"(?<![A-Za-z一-鿿])(?P<mon>(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?"
    r"|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?"
    r"|Dec(?:ember)?)\.?(?![A-Za-z])|十[一二]?月|[一二三四五六七八九]月)"
    r"\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*[,，]\s*(?P<y>(?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
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
        if len(line) > DATELINE_MAX or (
            _SENTENCE.search(line) and not _TIME_LABEL.match(line)
        ):
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
        if found := word_date(line):
            return found
    return ""


def word_date(line: str) -> str:
    """Return the first date written with a month word (Feb 1st, 2015), or ""."""
    for m in WORD_DATE.finditer(line):
        mon = m.group("mon").lower().rstrip(".")
        month = _MONTHS.get(mon if "月" in mon else mon[:3], 0)
        if found := iso(m.group("y"), month, m.group("d")):
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
