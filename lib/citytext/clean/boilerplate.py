"""Chrome removal: spans inside lines and whole lines around the article.

What belongs here: the boilerplate rules applied to spans (template
leftovers, injected spam) and lines (navigation trails, hotlines, share
widgets, photo markers and captions, tags, editor lines, copyright
paragraphs, related-article lists, county-name lists, site names around the
article), each removal logged with its rule id from
``resources/clean_rules.yaml``, and the line stage that combines the rules
with the line model of :mod:`citytext.clean.content` to keep the article
block and its title line.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from citytext import places
from citytext.clean import content
from citytext.clean.document import Log, record
from citytext.clean.repair import punctuation, repair, sub_logged, whitespace
from citytext.clean.rules import rules
from citytext.text import CJK

SENTENCE_END = "。！？!?…”’」』）)"


def remove_spans(text: str, *, log: Log | None = None) -> str:
    """Remove chrome spans (template leftovers, injected spam) inside lines.

    Args:
        text: Repaired text.
        log: Change log.

    Returns:
        Text without those spans; the sentences around them are kept.
    """
    for rule_id, pattern, require in rules()["spans"]:
        text = sub_logged(pattern, text, rule_id, log=log, require=require)
    return text


def _line_rule(line: str) -> str:
    """Return the id of the first line rule matching ``line`` ("" if none)."""
    for rule_id, pattern, max_len, require in rules()["lines"]:
        if (
            len(line) <= max_len
            and pattern.search(line)
            and (require is None or require.search(line))
        ):
            return rule_id
    return ""


def _is_place_list(line: str) -> bool:
    """Return whether ``line`` is a list of place names (site spam)."""
    if "。" in line:
        return False
    tokens = [t for t in re.split(r"[|｜丨、，,\s]+", line) if t]
    if len(tokens) < 5:
        return False
    known = sum(
        1
        for t in tokens
        if places.candidates(t) or re.fullmatch(f"[{CJK}]{{1,6}}[县市区旗]", t)
    )
    bars = line.count("|") + line.count("｜") + line.count("丨")
    return known / len(tokens) >= (0.5 if bars >= 4 else 0.9) and (
        bars >= 4 or len(tokens) >= 6
    )


def _is_paragraph(line: str) -> bool:
    """Return whether a line reads as article prose (not a heading or label)."""
    return len(line) >= 40 or (len(line) >= 8 and line[-1] in SENTENCE_END)


_SITE_LIKE = re.compile(
    r"(?:网|报|台|融媒|新闻|频道|客户端|微博|微信|APP|app|在线|资讯|日报|晚报|号)$"
)


def _site_like(line: str) -> bool:
    """Return whether a short line names a site or channel (东北新闻网, 北斗融媒)."""
    return (
        len(line) <= 12
        and not re.search("[，。！？：]", line)
        and bool(_SITE_LIKE.search(line) or len(line) <= 6)
    )


@dataclass
class Line:
    """One line during boilerplate removal."""

    text: str
    role: str = ""  # "" = article text; otherwise the removing rule id


def _classify(lines: list[Line]) -> None:
    """Assign rule ids to chrome and metadata lines (in place)."""
    r = rules()
    related_from = None
    for idx, line in enumerate(lines):
        text = line.text
        if related_from is None and r["related"].match(text) and idx >= 2:
            related_from = idx
            line.role = "related_list"
            continue
        if related_from is not None:
            line.role = _line_rule(text) or "related_list"
            continue
        line.role = _metadata_role(text) or _line_rule(text)
        if not line.role and _is_place_list(text):
            line.role = "place_list"
    if related_from is not None:
        _reopen_related(lines, related_from)


#: A line at least this long, with a comma and ending a sentence, is prose.
RELATED_PROSE = 30


def _reopen_related(lines: list[Line], start: int) -> None:
    """Give back article paragraphs that follow a related list, if any.

    A related list is list-like (titles, truncated snippets). Two consecutive
    statements with commas after it mean the article went on: they are kept.
    A title ending in ！ or ？ over its teaser is still the list.
    """
    idx = start + 1
    while idx < len(lines) - 1:
        a, b = lines[idx], lines[idx + 1]
        if a.role == b.role == "related_list" and all(
            len(x.text) >= RELATED_PROSE and x.text[-1] in "。”" and "，" in x.text
            for x in (a, b)
        ):
            for x in lines[idx:]:
                if x.role == "related_list":
                    x.role = ""
            return
        idx += 1


#: A date-led header line: the date first, then at most this many Han
#: characters (an outlet or author names), no sentence punctuation.
DATE_LED_NAMES = 12
#: A time label without a year: 发布时间：10-08 12:00.
DATE_LABEL = re.compile(r"^(?:发布时间|发表时间|发布日期|更新时间|最后更新)\s*[：:]")
DATE_LABEL_MAX = 60


def _date_led_header(text: str, rest: str) -> bool:
    """Return whether a line is a date followed by a name: 2024年05月10日 00:26 某报."""
    if not rules()["date"].match(text.strip()):
        return False
    return len(re.findall(f"[{CJK}]", rest)) <= DATE_LED_NAMES and not re.search(
        "[，。；！？：:、]", rest
    )


def _metadata_role(text: str) -> str:
    """Return the metadata role of a line: dateline, source, byline, print."""
    r = rules()
    if r["print_edition"].match(text):
        return "print_edition"
    if (
        len(text) <= r["dateline_max"]
        and r["date"].search(text)
        and not r["dateline_forbidden"].search(text)
    ):
        rest = r["date"].sub("", text)
        if r["dateline_kw"].search(text) or not re.search(f"[{CJK}]", rest):
            return "dateline"
        if _date_led_header(text, rest):
            return "dateline"
    if len(text) <= DATE_LABEL_MAX and DATE_LABEL.match(text):
        return "dateline"  # 发布时间：10-08 12:00 (no year)
    if len(text) <= 50 and re.match(r"^[\s•·]*(?:来源|稿源|出处)\s*[：:]", text):
        return "source"
    if len(text) <= r["byline_max"] and r["byline"].match(text):
        return "byline"
    return ""


def _zones(lines: list[Line]) -> tuple[int, int]:
    """Return indexes of the first and last article paragraphs (-1 if none)."""
    body = [i for i, x in enumerate(lines) if not x.role and _is_paragraph(x.text)]
    return (body[0], body[-1]) if body else (-1, -1)


def _choose_title(
    texts: list[str], hints: list[str], art: content.Article, given: str
) -> int:
    """Return the index of the title line (-1 when the page shows none).

    A title given in the metadata, or read from a newspaper heading stack, is
    looked up as a line; otherwise :func:`citytext.clean.content.title_index`
    chooses among the candidates. A heading-stack title (``given`` starting
    with :data:`_STACK`) is kept even when a rule matched its line.
    """
    if given.startswith(_STACK):
        given = given[len(_STACK) :]
        return texts.index(given) if given in texts else -1
    if given:
        idx = texts.index(given) if given in texts else -1
        return idx if idx < 0 or not hints[idx] else -1
    return content.title_index(texts, hints, art)


#: Marks a title read from a newspaper heading stack (not a line character).
_STACK = "\x00stack:"


def _mark_footer(lines: list[Line], last: int) -> None:
    """Mark short site lines after the last paragraph as chrome."""
    if last < 0:
        return
    for line in lines[last + 1 :]:
        if (
            not line.role
            and len(line.text) <= 12
            and not re.search("[，。！？：；]", line.text)
        ):
            line.role = "site_footer"


def _mark_captions(lines: list[Line], first: int, last: int) -> None:
    """Mark photo captions: short stand-alone descriptive lines in the body."""
    cap = rules()["captions"]
    body = [x for x in lines[first : last + 1] if not x.role]
    lengths = [len(x.text) for x in body if _is_paragraph(x.text)]
    if len(lengths) < 3:
        return
    typical = statistics.median(lengths)
    kept = [i for i in range(first, last + 1) if not lines[i].role]
    for pos, i in enumerate(kept[1:-1], start=1):
        text = lines[i].text
        if (
            len(text) > cap["max_len"]
            or not text.endswith("。")
            or text.count("。") > 1
            or cap["forbidden"].search(text)
            or cap["never_start"].match(text)
            or typical < cap["min_ratio"] * len(text)
        ):
            continue
        before, after = lines[kept[pos - 1]].text, lines[kept[pos + 1]].text
        heading = len(after) <= cap["max_len"] and after[-1] not in SENTENCE_END
        if len(before) >= cap["min_neighbour_len"] and (
            len(after) >= cap["min_neighbour_len"] or heading
        ):
            lines[i].role = "photo_caption"


#: The line stage is repeated on its own output until nothing more goes, so
#: that cleaning a cleaned text changes nothing; it settles in two passes on
#: almost every page.
MAX_PASSES = 6


def _one_pass(
    texts: list[str], title_given: str, newspaper: bool = False
) -> tuple[list[Line], int, content.Article]:
    """Classify ``texts`` once: rules, the article block, title, captions.

    A newspaper text (a heading stack over indented paragraphs) is an archive
    of the printed page, not a web page: it has no block of chrome around the
    article, and a page of several short items (subheadings, one dateline
    each) is one document. There the rules alone remove lines.
    """
    lines = [Line(t) for t in texts]
    _classify(lines)
    hints = [x.role for x in lines]
    art = content.choose_article(texts, hints)
    title_idx = _choose_title(texts, hints, art, title_given)
    for i, line in enumerate(lines):
        if i == title_idx:
            line.role = ""
        elif not line.role and not art.keep[i] and not newspaper:
            inside = art.start <= i < art.end
            line.role = "chrome_line" if inside else "outside_article"
    first, last = _zones(lines)
    _mark_footer(lines, last)
    if first >= 0:
        _mark_captions(lines, first, last)
    return lines, title_idx, art


def split_lines(
    text: str, title_given: str, heading: str = ""
) -> tuple[list[Line], int, content.Article]:
    """Classify every line; return them, the title's index (-1) and the block.

    The boilerplate rules mark what they know; the line model of
    :mod:`citytext.clean.content` then chooses the article block, and every other
    line is chrome (``outside_article``, or ``chrome_line`` inside the block).
    The choice is repeated on the lines kept (title first, as in the output)
    until it keeps them all.
    """
    lines = [Line(t) for t in text.split("\n") if t.strip()]
    alive = list(range(len(lines)))
    title_idx, first_art = -1, None
    given = title_given or (_STACK + heading if heading else "")
    for _ in range(MAX_PASSES):
        sub, t_idx, art = _one_pass(
            [lines[i].text for i in alive], given, bool(heading)
        )
        first_art = first_art or art
        if t_idx >= 0 and title_idx < 0:
            title_idx = alive[t_idx]
            # Later passes see the title first, as in the output: keep it.
            given = given or _STACK + lines[title_idx].text
        kept = [j for j, x in enumerate(sub) if not x.role]
        for j, x in enumerate(sub):
            if x.role:
                lines[alive[j]].role = x.role
        if len(kept) == len(alive):
            break
        order = ([t_idx] if t_idx >= 0 else []) + [j for j in kept if j != t_idx]
        alive = [alive[j] for j in order]
    if title_idx >= 0 and lines[title_idx].role:
        title_idx = -1
    assert first_art is not None
    return lines, title_idx, first_art


def page_lines(raw: str) -> tuple[list[str], list[str]]:
    """Return a page's repaired non-empty lines and the rule that matched each.

    The lines are those :func:`clean_document` works on; the rule is "" when
    no boilerplate or metadata rule matched (evidence for the line model).

    Args:
        raw: The decoded page text.

    Returns:
        ``(lines, rules)`` of equal length.
    """
    text = whitespace(punctuation(remove_spans(repair(raw))))
    lines = [Line(t) for t in text.split("\n") if t.strip()]
    _classify(lines)
    return [x.text for x in lines], [x.role for x in lines]


def remove_lines(
    text: str, lines_to_remove: Iterable[str], *, rule: str, log: Log | None = None
) -> str:
    """Remove whole lines equal to any of ``lines_to_remove``.

    Args:
        text: Text, one paragraph per line.
        lines_to_remove: Exact lines to remove.
        rule: Rule id for the log.
        log: Change log.

    Returns:
        Text without those lines.
    """
    targets = set(lines_to_remove)
    out = []
    for line in text.split("\n"):
        if line in targets:
            record(log, "remove", rule, line, "")
        else:
            out.append(line)
    return "\n".join(out)


def remove_boilerplate(text: str, *, log: Log | None = None) -> str:
    """Remove chrome spans and lines (no metadata is kept; see clean_document).

    Args:
        text: Repaired text (see :data:`repair`).
        log: Change log.

    Returns:
        The article text.
    """
    text = whitespace(punctuation(remove_spans(text, log=log), log=log))
    lines, _, _ = split_lines(text, "")
    for line in lines:
        if line.role:
            record(log, "remove", line.role, line.text, "")
    return "\n".join(x.text for x in lines if not x.role)
