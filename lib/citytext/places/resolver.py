"""Place names read in context: resolving a name, finding toponyms in text.

What belongs here: :func:`resolve` (a name and what else is known give one
:class:`~citytext.places.gazetteer.Place` or ``None``) and
:func:`find_places` (whole toponyms in a text, each resolved with the other
places of the same text). Nothing here edits text.

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

import functools
import importlib.util
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import ahocorasick
import rjieba

from citytext.places.gazetteer import Place, candidates, gazetteer, name_index

logger = logging.getLogger(__name__)


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
    r"|[^\W\d一的这那某在是和与及、，。]{0,8}?(?:有限公司|有限责任公司)"
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
#: Items of a menu: at most this long, at least LINK_MIN_ITEMS on a line.
LINK_ITEM_CHARS, LINK_MIN_ITEMS = 8, 3
#: How far :func:`line_at` looks for a line's ends (characters either side).
_LINE_WINDOW = 400
#: Characters either side of a short form given to the segmenter.
_SEGMENT_WINDOW = 8


@functools.cache
def _full_names() -> frozenset[str]:
    """Every full division name in the index (陵城区, 鸡西市)."""
    return frozenset(p.name for p in gazetteer()) & frozenset(name_index())


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
    shorts = frozenset(name_index()) - _full_names()
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
        if not all(piece in name_index() for piece in pieces):
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


def line_at(text: str, pos: int) -> tuple[int, int]:
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
    lo, hi = line_at(text, start)
    line = text[lo:hi]
    if len(line.split()) >= LINK_MIN_ITEMS:
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
        if around and all(len(x) <= LINK_ITEM_CHARS for x in [item, *around]):
            return True
    if hi - lo > LINK_ITEM_CHARS or lo == 0 or hi >= len(text):
        return False
    prev_lo, _ = line_at(text, lo - 1)
    _, next_hi = line_at(text, hi + 1)
    prev_line = text[prev_lo : lo - 1].strip()
    next_line = text[hi + 1 : next_hi].strip()
    return all(0 < len(x) <= LINK_ITEM_CHARS for x in (prev_line, next_line))


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    """Build the multi-pattern matcher over :func:`names` (cached)."""
    auto = ahocorasick.Automaton()
    for name in name_index():
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
        line_at(text, span[0])[0] == span[0]
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
