"""The place an article is about, or why it has none.

What belongs here: weighing the place mentions of one article by where they
stand (title, heading lines, dateline, lead, body) and choosing its place
(:func:`article_place`), or flagging it ``national`` or ``multi_place``.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from citytext.places.gazetteer import Place, gazetteer
from citytext.places.resolver import LINK_ITEM_CHARS, find_places, line_at, resolve
from citytext.text import CJK_UNIFIED

#: Characters of the body counted as the lead when choosing the main place.
LEAD_CHARS = 300
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
#: Sentences of the prose that state what the article is about.
OPENING_SENTENCES = 2
#: Mentions a place needs when the title, dateline and opening do not name it
#: (a place met in passing, 在南京创作并生活多年, is not the article's).
MIN_MENTIONS = 3
#: Share of a division's weight that one of its parts needs to be chosen
#: instead of it (常德市 over 湖南省, 汉寿县 over 常德市).
DESCEND_SHARE = 0.5

#: A line this long with sentence punctuation starts the prose; headings
#: above it are at most _HEADING_CHARS long.
_PROSE_LINE_CHARS, _HEADING_CHARS = 30, 40
_SENTENCE_END = re.compile(r"。")
_SENTENCE_STOP = re.compile(r"[。！？]")
#: Heading lines after the title lie within this many characters.
_HEADING_ZONE = 160
#: One character of the CJK Unified Ideographs block.
_HAN = f"[{CJK_UNIFIED}]"
#: A line holding a place and then a person's name, as commentary bylines do.
_BYLINE = re.compile(rf"\s*{_HAN}{{2,8}}\s+{_HAN}(?:\s*{_HAN}){{1,3}}\s*")
#: A metadata line: publication time, source, author, editor.
_META_LINE = re.compile(
    r"\s*(?:发布时间|发布日期|时间|日期|来源|稿源|作者|编辑|责任编辑|责编|记者|通讯员)"
    r"\s*[：:]"
)
#: Dateline of a news agency or paper: 本报长沙2月12日电, 新华社乌鲁木齐5月9日电.
_DATELINE = re.compile(
    r"(?:本报|新华社|中新社|法新社|人民网|新华网|央视网)(?:记者)?\s*"
    rf"(?P<place>{_HAN}{{2,8}}?)\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*(?:电|讯)"
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
#: Regions spanning several provincial units: a title naming one and no
#: single place, over a text naming several provinces, is about all of them
#: (长三角一体化座谈会 with 上海、江苏、浙江、安徽).
_REGION = re.compile(
    r"长三角|长江三角洲|京津冀|粤港澳|大湾区|成渝|长江经济带|长江流域|黄河流域|"
    r"东北地区|东北三省|东北振兴|西部地区|西部大开发|中部地区|中部崛起|西北地区|"
    r"西南地区|华北地区|华东地区|华南地区|华中地区|泛珠三角|沪苏浙皖|京津"
)
_VISIT = re.compile(rf"在{_HAN}{{2,8}}?(?:调研|考察|视察|检查|主持|出席|会见)")
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
    #: Places in the title, the dateline or the opening sentences.
    anchors: set[Place] = field(default_factory=set)
    #: Mentions per place (each counts once, for the place named).
    mentions: dict[Place, int] = field(default_factory=lambda: defaultdict(int))
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
    opening_end = lead_start + _opening_length(whole[lead_start:])
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
            ev.anchors.add(place)
        else:
            lead = lead_start <= span[0] < lead_start + LEAD_CHARS
            if skip and place.name == _CAPITAL:
                lead = False  # 本报北京…电, then 在北京举行: still the desk
            weight = LEAD_WEIGHT if lead else BODY_WEIGHT
            if lead_start <= span[0] < opening_end:
                ev.anchors.add(place)
        if weight > BODY_WEIGHT:
            ev.lead_provinces.add(place.province)
        ev.weights[place] += weight * share + qualifiers * BODY_WEIGHT
        ev.mentions[place] += 1
        qualifiers = 0
    return ev


def _opening_length(prose: str) -> int:
    """Length of the first :data:`OPENING_SENTENCES` sentences of ``prose``."""
    end = 0
    for _ in range(OPENING_SENTENCES):
        m = _SENTENCE_STOP.search(prose, end, LEAD_CHARS)
        if not m:
            return LEAD_CHARS
        end = m.end()
    return end


def _anchored(place: Place, ev: _Evidence) -> bool:
    """Whether the article names ``place`` where it says what it is about.

    That is the title and heading lines, the dateline or the opening
    sentences; a place named only further on must be named at least
    :data:`MIN_MENTIONS` times (itself or places inside it).
    """
    if any(a.within(place) or place.within(a) for a in ev.anchors):
        return True
    named = sum(n for p, n in ev.mentions.items() if p.within(place))
    return named >= MIN_MENTIONS


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
    return len(items) >= 3 and all(len(i) <= LINK_ITEM_CHARS for i in items)


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
    """Whether ``pos`` is on a byline or metadata line.

    A byline is a place and a name (北京西城 于保月); a metadata line gives the
    time, source, author or editor (发布时间：…, 来源：…): a place there says who
    published the page, not what it is about.
    """
    lo, hi = line_at(text, pos)
    line = text[lo:hi]
    return bool(_BYLINE.fullmatch(line) or _META_LINE.match(line))


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
    ev, abroad = _evidence(
        title, body, lead_at, [title, text[:3000], meta.get("outlet") or ""]
    )
    if abroad and not ev.weights:
        return PlaceChoice(None)
    if _CENTRAL.search(title) and not _VISIT.search(title):
        return PlaceChoice(None, "national")
    if not ev.in_title and _REGION.search(title) and _spread(ev):
        return PlaceChoice(None, "multi_place")
    choice, dominant = _from_evidence(ev)
    if not ev.in_title and not dominant and _is_national(title, lead):
        return PlaceChoice(None, "national")
    if choice.place is not None and not _anchored(choice.place, ev):
        return PlaceChoice(None)
    return choice


def _spread(ev: _Evidence) -> bool:
    """Whether the text names at least :data:`MULTI_PROVINCES` provinces."""
    return len({p.province for p in ev.weights}) >= MULTI_PROVINCES


def _evidence(
    title: str, body: str, lead_at: int, context: list[Any]
) -> tuple[_Evidence, bool]:
    """Weigh the mentions and the dateline; say whether the dateline is abroad."""
    lead = body[lead_at:][:LEAD_CHARS]
    span, dateline, abroad = _dateline(title)
    shift = 0
    if span is None:
        span, dateline, abroad = _dateline(lead)
        shift = len(title) + 1 + lead_at
    if span:
        span = (span[0] + shift, span[1] + shift)
    skip = span if dateline is not None and dateline.name == _CAPITAL else None
    ev = _weigh(title, body, context, skip)
    if dateline is not None and skip is None:
        ev.weights[dateline] += DATELINE_WEIGHT
        ev.anchors.add(dateline)
        ev.lead_provinces.add(dateline.province)
    return ev, abroad


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
