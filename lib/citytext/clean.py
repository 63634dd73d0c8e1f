r"""Repair, boilerplate removal and metadata extraction for one scraped article.

What belongs here: text functions that take ``str`` and return ``str`` (with
keyword-only options and an optional ``log`` list that records every change),
the document-level :func:`clean_document` that chains them and extracts
metadata, and corpus-level helpers that need several documents at once
(:func:`corpus_boilerplate`, :func:`near_duplicates`). Reading files belongs in
:mod:`citytext.ingest`; place names in :mod:`citytext.places`.

The order of work in :func:`clean_document`:

1. repair: control characters, GBK mojibake, pinyin glosses, traditional to
   simplified (only for text that is traditional), width and punctuation;
2. boilerplate: spans (template leftovers, injected spam) and lines (navigation
   trails, hotlines, share widgets, photo markers and captions, tags, editor
   lines, copyright paragraphs, related-article lists, county-name lists, site
   names around the article), each removal logged with its rule id from
   ``resources/clean_rules.yaml``;
3. metadata: title, date and where it came from, outlet, authors, and the
   place the article is about (:func:`citytext.places.main_place`).

Every change is recorded as ``{"action", "rule", "before", "after"}`` so that
``cleaning_log.csv`` accounts for each removed or repaired span. Cleaning is
idempotent: cleaning an already clean text changes nothing.

Outlet: the original publisher is preferred over the site that reposted the
page: a print-edition line (《人民日报》(2022年11月07日 第10版)) first, then a
``来源`` line (its last part when it reads 人民网-人民日报), then the site named
by the page's disclaimer, then the page's own site name.

Examples:
    >>> pinyin_glosses("中國網(wǎng)")
    '中國網'
    >>> clean_document("海城市：文明创建\\n\\n2024-01-03 来源：辽宁日报\\n\\n"
    ...                "海城市全力推进文明城市创建，取得新成效。").date
    '2024-01-03'
"""

from __future__ import annotations

import functools
import logging
import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from citytext import content, places, pubdate, resources
from citytext import text as text_mod
from citytext.text import CJK, CJK_RE, PUA_RE

logger = logging.getLogger(__name__)

RULES_FILE = "clean_rules.yaml"

Log = list[dict[str, str]]
TextFunc = Callable[..., str]

#: Toned pinyin vowels: a gloss has at least one (neutral-tone glosses aside).
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_CHARS = f"a-zü{TONED}"
GLOSS_RE = re.compile(
    f"(?<=[{CJK}])[(（]([{PINYIN_CHARS}]*[{TONED}][{PINYIN_CHARS}]*)[)）]"
)
NEUTRAL_GLOSS_RE = re.compile(
    f"(?<=[{CJK}])[(（](de|le|me|ma|ne|zi|men|ba|zhe|guo|li|tou|shang|xia)[)）]"
)
ORPHAN_GLOSS_RE = re.compile(f"\\?([{PINYIN_CHARS}]{{1,7}})\\)")
HTML_REMNANT_RE = re.compile(r"/?[a-zA-Z][a-zA-Z0-9]{0,6}>")
CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b-\u200d\u2060\ufffe]"
)
SPACE_RE = re.compile("[ \t\u00a0\u2002-\u200a\u202f\u205f\u3000]+")
SENTENCE_END = "。！？!?…”’」』）)"
#: ASCII punctuation turned full-width next to Chinese (numbers are left alone).
ASCII_TO_FULL = {
    ",": "，",
    ":": "：",
    ";": "；",
    "!": "！",
    "?": "？",
    "(": "（",
    ")": "）",
}
#: Lead bytes tried when a GBK byte was lost: A1 (the punctuation row) first.
LEAD_BYTES = [0xA1, *[b for b in range(0x81, 0xFF) if b != 0xA1]]


# --------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------
@dataclass
class CleanDoc:
    """A cleaned article and its metadata.

    Attributes:
        text: Cleaned text, one paragraph per line (the title, when the page
            shows one, is the first line).
        title: Title ("" when the page has none).
        date: ISO date ``YYYY-MM-DD`` or "".
        date_source: ``header``, ``body``, ``inferred`` or ``none``.
        year: Year as a string, or "".
        outlet: Original publisher, or "".
        authors: Author names.
        city: Short name of the place the article is about (鸡西, 陵城).
        prefecture: Its prefecture-level unit (鸡西市, 德州市).
        province: Its province-level unit.
        admin_level: Its level (see :class:`citytext.places.Place`).
        flags: Notes such as ``mojibake_repaired`` or ``ambiguous_place``.
        log: Every change: dicts with ``action``, ``rule``, ``before``, ``after``.
        sources: Where each metadata field came from (field → source).
    """

    text: str = ""
    title: str = ""
    date: str = ""
    date_source: str = "none"
    year: str = ""
    outlet: str = ""
    authors: list[str] = field(default_factory=list)
    city: str = ""
    prefecture: str = ""
    province: str = ""
    admin_level: str = ""
    flags: list[str] = field(default_factory=list)
    log: Log = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def authors_joined(self) -> str:
        """Authors joined with ``;`` as written to ``articles.csv``."""
        return ";".join(self.authors)


def _record(
    log: Log | None, action: str, rule: str, before: str, after: str = ""
) -> None:
    """Append one change to ``log`` (no-op when ``log`` is None)."""
    if log is not None:
        log.append({"action": action, "rule": rule, "before": before, "after": after})


# --------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------
@functools.cache
def rules() -> dict[str, Any]:
    """Return the parsed boilerplate rules with compiled patterns (cached)."""
    raw = resources.load_yaml(RULES_FILE)
    compiled: dict[str, Any] = {"raw": raw}
    compiled["spans"] = [
        (
            r["id"],
            re.compile(r["pattern"]),
            re.compile(r["require"]) if r.get("require") else None,
        )
        for r in raw["spans"]
    ]
    compiled["lines"] = [
        (
            r["id"],
            re.compile(r["pattern"], re.IGNORECASE),
            int(r.get("max_len", 200)),
            re.compile(r["require"]) if r.get("require") else None,
        )
        for r in raw["lines"]
    ]
    compiled["related"] = re.compile(raw["related_headers"])
    meta = raw["metadata"]
    for key in (
        "source",
        "byline",
        "inline_byline",
        "print_edition",
        "disclaimer_site",
        "inferred_year",
    ):
        compiled[key] = re.compile(meta[key])
    compiled["target_before"] = re.compile(meta["target_year_before"])
    compiled["date"] = re.compile(meta["dateline"]["date"])
    compiled["dateline_kw"] = re.compile(meta["dateline"]["keywords"])
    compiled["dateline_max"] = int(meta["dateline"]["max_len"])
    compiled["dateline_forbidden"] = re.compile(meta["dateline"]["forbidden"])
    compiled["byline_max"] = int(meta["byline_max_len"])
    cap = raw["captions"]
    compiled["captions"] = {
        "max_len": int(cap["max_len"]),
        "forbidden": re.compile(cap["forbidden"]),
        "never_start": re.compile(cap["never_start"]),
        "min_neighbour_len": int(cap["min_neighbour_len"]),
        "min_ratio": float(cap["min_ratio"]),
    }
    return compiled


_t2s = text_mod.t2s_converter
_s2t = text_mod.s2t_converter
char_frequency = text_mod.char_frequency
_words = text_mod.word_frequency
text_quality = text_mod.text_quality


# --------------------------------------------------------------------------
# Repair
# --------------------------------------------------------------------------
def control_chars(text: str, *, log: Log | None = None) -> str:
    r"""Normalise line ends and remove NUL, other control characters and BOMs.

    Args:
        text: Raw text.
        log: Change log to append to (one entry per distinct character).

    Returns:
        Text with ``\\n`` line ends and no control characters but tab/newline.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    found = Counter(CONTROL_RE.findall(text))
    for ch in sorted(found):
        _record(log, "remove", "control_char", ch, "")
    return CONTROL_RE.sub("", text) if found else text


def _run_after(text: str, i: int) -> tuple[int, bool]:
    """Find the end of a misaligned GBK run starting at the ``?`` at ``i``.

    Returns:
        ``(end, lost)``: the run is ``text[i:end]``; ``lost`` is True when the
        run ends with a second ``?`` (a byte whose partner was lost).
    """
    j = i + 1
    n = len(text)
    while j < n and j - i <= 60:
        ch = text[j]
        if ch == "\n":
            break
        if ch == "?":
            return j + 1, True
        code = ord(ch)
        if code < 0x80:
            if ch in "!,;:":
                j += 1
                continue
            if 0x40 <= code <= 0x7E:
                return j + 1, False
            break
        j += 1
    return j, False


def _gbk_bytes(run: str) -> bytes | None:
    """Encode a garbled run back to GBK bytes (None when impossible)."""
    body = "".join(ASCII_TO_FULL.get(c, c) if c in "!,;:" else c for c in run)
    try:
        data = body.encode("gb18030")
    except UnicodeEncodeError:
        return None
    # A four-byte GB18030 sequence means a character outside GBK: not mojibake.
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        if any(0x30 <= b <= 0x39 for b in data[1::2]):
            return None
    return data


def _decode_shifted(data: bytes, lost: bool) -> list[tuple[str, int]]:
    """Decode ``data`` after each candidate lead byte; keep strict decodes.

    Returns:
        ``[(text, lead_of_lost_char_or_-1), ...]`` in :data:`LEAD_BYTES` order.
    """
    out = []
    for lead in LEAD_BYTES:
        raw = bytes([lead]) + data
        tail = -1
        if lost:
            raw, tail = raw[:-1], raw[-1]
            if tail < 0x81:
                continue
        try:
            out.append((raw.decode("gbk"), tail))
        except UnicodeDecodeError:
            continue
    return out


def _best_decode(run: str, lost: bool) -> tuple[str, int] | None:
    """Return the best repair of a garbled run, or None when none reads better."""
    body = run[1:-1] if lost else run[1:]
    data = _gbk_bytes(body)
    if data is None or not data:
        return None
    cands = _decode_shifted(data, lost)
    if not cands:
        return None
    scored = [
        (text_quality(t) + (1.0 if i == 0 else 0.0), -i, t, tail)
        for i, (t, tail) in enumerate(cands)
        if not PUA_RE.search(t)
    ]
    if not scored:
        return None
    best = max(scored)
    if best[0] < text_quality(body) + 1.5:
        return None
    return best[2], best[3]


@functools.cache
def _gbk_row(lead: int) -> tuple[str, ...]:
    """Return the characters whose GBK encoding starts with ``lead``."""
    out = []
    for trail in range(0x40, 0xFF):
        if trail == 0x7F:
            continue
        try:
            out.append(bytes([lead, trail]).decode("gbk"))
        except UnicodeDecodeError:
            continue
    return tuple(out)


def _reading_matches(ch: str, reading: str) -> bool:
    """Return whether ``ch`` can be read as the toned syllable ``reading``."""
    try:
        import pypinyin
    except ImportError:  # optional: without it lost characters stay lost
        return False
    return reading in pypinyin.pinyin(ch, heteronym=True)[0]


def _word_fit(prefix: str, ch: str) -> int:
    """Score how well ``ch`` completes a dictionary word after ``prefix``."""
    words = _words()
    simple = _t2s().convert(prefix + ch)
    best = 0
    for k in range(2, min(6, len(simple)) + 1):
        if simple[-k:] in words:
            best = max(best, k * 1_000_000 + words[simple[-k:]])
    return best


def _recover_char(prefix: str, lead: int, reading: str) -> str:
    """Recover a lost character from its lead byte and/or its pinyin gloss.

    Args:
        prefix: Text before the lost character (for the dictionary check).
        lead: Its GBK lead byte, or -1 when unknown.
        reading: Its toned pinyin from a following gloss, or "".

    Returns:
        The character when exactly one candidate fits, else "".
    """
    freq = char_frequency()
    if lead >= 0:
        # A character the dictionary never uses is not a candidate.
        cands = [c for c in _gbk_row(lead) if _t2s().convert(c) in freq]
    elif reading:
        cands = [c for c in _common_chars() if _reading_matches(c, reading)]
    else:
        return ""
    if reading:
        cands = [c for c in cands if _reading_matches(c, reading)]
    if len(cands) == 1:
        return cands[0]
    fits = sorted(((_word_fit(prefix, c), c) for c in cands), reverse=True)
    fits = [f for f in fits if f[0] > 0]
    if not fits:
        return ""
    if len(fits) == 1 or fits[0][0] // 1_000_000 > fits[1][0] // 1_000_000:
        return fits[0][1]
    return ""


@functools.cache
def _common_chars() -> tuple[str, ...]:
    """Characters frequent enough to be a lost character's candidates."""
    freq = char_frequency()
    return tuple(c for c, f in freq.items() if f >= 8.0 and CJK_RE.match(c))


def _repair_at(
    text: str, i: int, prefix: str, log: Log | None
) -> tuple[str, int] | None:
    """Try to repair the mojibake starting with the ``?`` at ``i``.

    Args:
        text: The text.
        i: Index of the ``?``.
        prefix: The already repaired text just before ``i``.
        log: Change log.

    Returns:
        ``(replacement, end)`` for ``text[i:end]``, or None (a real ``?``).
    """
    gloss = ORPHAN_GLOSS_RE.match(text, i)
    if gloss and any(c in TONED for c in gloss.group(1)) and CJK_RE.match(prefix[-1:]):
        ch = _recover_char(prefix, -1, gloss.group(1))
        rule = "mojibake_gloss_reading" if ch else "mojibake_unrecoverable"
        _record(log, "repair" if ch else "remove", rule, gloss.group(0), ch)
        return ch, gloss.end()
    end, lost = _run_after(text, i)
    if end - i < 2:
        return None
    best = _best_decode(text[i:end], lost)
    if best is None:
        return None
    repaired, tail = best
    if lost:
        after = text[end:]
        reading = ""
        m = re.match(f"([{PINYIN_CHARS}]{{1,7}})\\)", after)
        if m and any(c in TONED for c in m.group(1)):
            reading = m.group(1)
            end += m.end()
        html = HTML_REMNANT_RE.match(text, end)
        ch = _recover_char(prefix + repaired, tail, reading) if reading else ""
        if not ch and tail == 0xA1 and html:
            ch = _quote_balance(text[text.rfind("\n", 0, i) + 1 : i] + repaired)
        if html:
            _record(log, "remove", "html_tag_remnant", html.group(0), "")
            end = html.end()
        if not ch:
            _record(log, "remove", "mojibake_unrecoverable", text[i:end], "")
        repaired += ch
    _record(log, "repair", "mojibake_shift", text[i:end], repaired)
    return repaired, end


def _quote_balance(line: str) -> str:
    """Return ``”`` when ``line`` has an unclosed ``“`` (a lost closing quote)."""
    return "”" if line.count("“") > line.count("”") else ""


def mojibake(text: str, *, log: Log | None = None) -> str:
    """Repair GBK mojibake where the bytes allow it; remove what is lost.

    Misaligned GBK decoding leaves a ``?`` for a lost byte followed by a run of
    wrong characters (``看到?!鼻鄭u市`` for ``看到。”青島市``). The run is
    encoded back to bytes and decoded again after the lost lead byte; the
    repair is kept only when it reads much better than the damage. A
    character whose bytes are lost is recovered only when its lead byte or
    its pinyin gloss leaves exactly one candidate; otherwise it is removed
    and logged as ``mojibake_unrecoverable``. Replacement characters (U+FFFD)
    are removed the same way.

    Args:
        text: Text after :func:`control_chars`.
        log: Change log.

    Returns:
        Repaired text.
    """
    if "\ufffd" in text:
        for m in re.finditer("\ufffd+", text):
            _record(log, "remove", "replacement_char", m.group(0), "")
        text = text.replace("\ufffd", "")
    if "?" not in text or not CJK_RE.search(text):
        return text
    out: list[str] = []
    pos = 0
    i = text.find("?")
    while i >= 0:
        prefix = ("".join(out[-4:]) + text[pos:i])[-8:]
        near = prefix[-1:] + text[i + 1 : i + 2]
        result = (
            _repair_at(text, i, prefix, log)
            if CJK_RE.search(near) or "!" in near
            else None
        )
        if result is None:
            i = text.find("?", i + 1)
            continue
        out.append(text[pos:i])
        out.append(result[0])
        pos = result[1]
        i = text.find("?", pos)
    out.append(text[pos:])
    text = "".join(out)
    return _stranded(text, log=log)


_STRANDED_RE = re.compile(r"(.?)\?/[a-zA-Z][a-zA-Z0-9]{0,6}>")


def _stranded(text: str, *, log: Log | None) -> str:
    """Remove a lost byte left before an HTML remnant (``撃?/h2>``).

    The character before it goes too when no dictionary uses it: it was
    decoded from misaligned bytes.
    """
    freq = char_frequency()

    def _one(m: re.Match[str]) -> str:
        ch = m.group(1)
        keep = ch if ch and (_t2s().convert(ch) in freq or not CJK_RE.match(ch)) else ""
        if not CJK_RE.match(ch or "a") and ch:
            keep = ch
        _record(log, "remove", "mojibake_unrecoverable", m.group(0)[len(keep) :], "")
        return keep

    return _STRANDED_RE.sub(_one, text)


def _sub(
    pattern: re.Pattern[str],
    text: str,
    rule: str,
    *,
    log: Log | None,
    repl: str = "",
    action: str = "remove",
    require: re.Pattern[str] | None = None,
) -> str:
    """``pattern.sub`` that logs each replaced span under ``rule``."""

    def _one(m: re.Match[str]) -> str:
        if require is not None and not require.search(m.group(0)):
            return m.group(0)
        _record(log, action, rule, m.group(0), repl)
        return repl

    return pattern.sub(_one, text)


def pinyin_glosses(text: str, *, log: Log | None = None) -> str:
    """Remove pinyin glosses appended to characters (``網(wǎng)`` → ``網``).

    Toned glosses are always removed; neutral-tone ones (``(de)``) only when
    the text has at least three toned glosses, so a real ``(a)`` survives.

    Args:
        text: Text.
        log: Change log (one entry per gloss).

    Returns:
        Text without glosses.
    """
    n_toned = len(GLOSS_RE.findall(text))
    if not n_toned:
        return text
    text = _sub(GLOSS_RE, text, "pinyin_gloss", log=log)
    if n_toned >= 3:
        text = _sub(NEUTRAL_GLOSS_RE, text, "pinyin_gloss", log=log)
    return text


def _script_counts(text: str) -> tuple[int, int]:
    """Count characters that only traditional / only simplified text uses."""
    t2s, s2t = _t2s().convert(text), _s2t().convert(text)
    trad = sum(1 for a, b in zip(text, t2s, strict=False) if a != b)
    simp = sum(1 for a, b in zip(text, s2t, strict=False) if a != b)
    return trad, simp


def is_traditional(text: str) -> bool:
    """Return whether ``text`` is written in traditional characters.

    A text is traditional when characters that simplification would change
    clearly outnumber those that only simplified text uses. A simplified text
    with a name such as 永乾 or 濮昇 is not.

    Args:
        text: Text.

    Returns:
        True for traditional text.
    """
    trad, simp = _script_counts(text)
    return (trad >= 8 and trad > 1.5 * simp) or (trad >= 2 and simp == 0)


def traditional_to_simplified(
    text: str,
    *,
    scope: Literal["auto", "document", "never"] = "auto",
    log: Log | None = None,
) -> str:
    """Convert traditional characters to simplified with OpenCC, only where due.

    OpenCC's conversion of simplified text corrupts names (永乾 → 永干), so
    with ``scope="auto"`` a document is converted when it is traditional as a
    whole, line by line for the lines that are themselves traditional; in a
    simplified document only lines that are clearly traditional are converted.

    Args:
        text: Text.
        scope: ``auto`` (decide per document and line), ``document`` (convert
            everything) or ``never``.
        log: Change log (one entry per distinct character pair converted).

    Returns:
        Simplified text.
    """
    if scope == "never" or not CJK_RE.search(text):
        return text
    if scope == "auto" and _t2s().convert(text) == text:
        return text  # no character simplification would change: nothing to do
    if scope == "document":
        out = _t2s().convert(text)
    else:
        doc_trad = is_traditional(text)
        lines = text.split("\n")
        new = []
        for line in lines:
            trad, simp = _script_counts(line)
            if doc_trad:
                convert = trad >= 1 and trad >= simp
            else:
                convert = (trad >= 8 and trad > 1.5 * simp) or (trad >= 2 and simp == 0)
            new.append(_t2s().convert(line) if convert else line)
        out = "\n".join(new)
    if out != text and len(out) == len(text):
        pairs = sorted({(a, b) for a, b in zip(text, out, strict=True) if a != b})
        for a, b in pairs:
            _record(log, "convert", "t2s", a, b)
    elif out != text:
        _record(log, "convert", "t2s", text[:200], out[:200])
    return out


_CJK_OR_FULL = f"[{CJK}，。、；：！？“”‘’《》（）【】]"
_PUNCT_NEAR_CJK = re.compile(f"(?<={_CJK_OR_FULL})[,:;!?]|[,:;!?](?={_CJK_OR_FULL})")
_OPEN_PAREN = re.compile(f"\\((?=[^()\\n]{{0,60}}\\))(?=[^()\\n]*[{CJK}])")
_CLOSE_PAREN = re.compile(f"(?<=[{CJK}，。、”])\\)")


def punctuation(text: str, *, log: Log | None = None) -> str:
    """Use full-width punctuation next to Chinese; leave numbers alone.

    ``,`` ``:`` ``;`` ``!`` ``?`` touching a Chinese character become ``，``
    ``：`` ``；`` ``！`` ``？``; parentheses around Chinese become ``（）``. A
    comma or colon between digits (``2,380``, ``10:01``) never changes.

    Args:
        text: Text.
        log: Change log (one entry per distinct replacement).

    Returns:
        Text with normalised punctuation.
    """
    seen: set[str] = set()

    def _full(m: re.Match[str]) -> str:
        ch = m.group(0)
        start = m.start()
        if (
            ch in ",:"
            and 0 < start < len(text) - 1
            and text[start - 1].isdigit()
            and text[start + 1].isdigit()
        ):
            return ch
        if ch not in seen:
            seen.add(ch)
            _record(log, "normalize", "punctuation", ch, ASCII_TO_FULL[ch])
        return ASCII_TO_FULL[ch]

    for _ in range(4):  # a run such as ?! needs one pass per character
        new = _PUNCT_NEAR_CJK.sub(_full, text)
        if new == text:
            break
        text = new
    if "(" in text:
        new = _CLOSE_PAREN.sub("）", _OPEN_PAREN.sub("（", text))
        if new.count("（") - text.count("（") == new.count("）") - text.count("）"):
            if new != text:
                _record(log, "normalize", "punctuation", "()", "（）")
            text = new
    return text


def width(text: str, *, log: Log | None = None) -> str:
    """Turn full-width ASCII letters, digits and symbols into half-width.

    Full-width digits (２０２３) become ASCII so that numbers parse; Chinese
    punctuation (，。：) is left as it is.

    Args:
        text: Text.
        log: Change log (one entry when anything changed).

    Returns:
        Text with half-width letters and digits.
    """
    pattern = (
        "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
        "\uff05\uff0b\uff0d\uff0e\uff0f\uff1d\uff20]"
    )
    found = sorted(set(re.findall(pattern, text)))
    if not found:
        return text
    out = re.sub(pattern, lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    before = "".join(found)
    _record(log, "normalize", "width", before, unicodedata.normalize("NFKC", before))
    return out


def whitespace(text: str) -> str:
    """Collapse spaces inside lines, strip lines and drop empty lines.

    Args:
        text: Text.

    Returns:
        Paragraphs one per line, without blank lines or edge spaces.
    """
    lines = (SPACE_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def make_pipeline(*funcs: TextFunc) -> Callable[..., str]:
    r"""Chain text functions into one ``str -> str`` function.

    Each function is called with the text and, when it accepts one, the
    keyword-only ``log`` given to the pipeline.

    Args:
        *funcs: Functions taking ``str`` and returning ``str``.

    Returns:
        A function ``pipeline(text, *, log=None) -> str``.

    Examples:
        >>> repair = make_pipeline(control_chars, pinyin_glosses, whitespace)
        >>> repair("網(wǎng)\\r\\n")
        '網'
    """
    import inspect

    takes_log = [("log" in inspect.signature(f).parameters) for f in funcs]

    def pipeline(text: str, *, log: Log | None = None) -> str:
        for func, with_log in zip(funcs, takes_log, strict=True):
            text = func(text, log=log) if with_log else func(text)
        return text

    return pipeline


#: The repair steps, in order.
repair = make_pipeline(
    control_chars,
    mojibake,
    pinyin_glosses,
    traditional_to_simplified,
    width,
    punctuation,
    whitespace,
)


# --------------------------------------------------------------------------
# Boilerplate: spans and lines
# --------------------------------------------------------------------------
def remove_spans(text: str, *, log: Log | None = None) -> str:
    """Remove chrome spans (template leftovers, injected spam) inside lines.

    Args:
        text: Repaired text.
        log: Change log.

    Returns:
        Text without those spans; the sentences around them are kept.
    """
    for rule_id, pattern, require in rules()["spans"]:
        text = _sub(pattern, text, rule_id, log=log, require=require)
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
class _Line:
    """One line during boilerplate removal."""

    text: str
    role: str = ""  # "" = article text; otherwise the removing rule id


def _classify(lines: list[_Line]) -> None:
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


def _reopen_related(lines: list[_Line], start: int) -> None:
    """Give back article paragraphs that follow a related list, if any.

    A related list is list-like (titles, truncated snippets). Two consecutive
    sentences with commas after it mean the article went on: they are kept.
    """
    idx = start + 1
    while idx < len(lines) - 1:
        a, b = lines[idx], lines[idx + 1]
        if a.role == b.role == "related_list" and all(
            len(x.text) >= RELATED_PROSE and x.text[-1] in "。！？”" and "，" in x.text
            for x in (a, b)
        ):
            for x in lines[idx:]:
                if x.role == "related_list":
                    x.role = ""
            return
        idx += 1


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
    if len(text) <= 50 and re.match(r"^[\s•·]*(?:来源|稿源|出处)\s*[：:]", text):
        return "source"
    if len(text) <= r["byline_max"] and r["byline"].match(text):
        return "byline"
    return ""


def _zones(lines: list[_Line]) -> tuple[int, int]:
    """Return indexes of the first and last article paragraphs (-1 if none)."""
    body = [i for i, x in enumerate(lines) if not x.role and _is_paragraph(x.text)]
    return (body[0], body[-1]) if body else (-1, -1)


def _choose_title(
    texts: list[str], hints: list[str], art: content.Article, given: str
) -> int:
    """Return the index of the title line (-1 when the page shows none).

    A title given in the metadata, or read from a newspaper heading stack, is
    looked up as a line; otherwise :func:`citytext.content.title_index`
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


def _mark_footer(lines: list[_Line], last: int) -> None:
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


def _mark_captions(lines: list[_Line], first: int, last: int) -> None:
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
    texts: list[str], title_given: str
) -> tuple[list[_Line], int, content.Article]:
    """Classify ``texts`` once: rules, the article block, title, captions."""
    lines = [_Line(t) for t in texts]
    _classify(lines)
    hints = [x.role for x in lines]
    art = content.choose_article(texts, hints)
    title_idx = _choose_title(texts, hints, art, title_given)
    for i, line in enumerate(lines):
        if i == title_idx:
            line.role = ""
        elif not line.role and not art.keep[i]:
            inside = art.start <= i < art.end
            line.role = "chrome_line" if inside else "outside_article"
    first, last = _zones(lines)
    _mark_footer(lines, last)
    if first >= 0:
        _mark_captions(lines, first, last)
    return lines, title_idx, art


def _split_lines(
    text: str, title_given: str, heading: str = ""
) -> tuple[list[_Line], int, content.Article]:
    """Classify every line; return them, the title's index (-1) and the block.

    The boilerplate rules mark what they know; the line model of
    :mod:`citytext.content` then chooses the article block, and every other
    line is chrome (``outside_article``, or ``chrome_line`` inside the block).
    The choice is repeated on the lines kept (title first, as in the output)
    until it keeps them all.
    """
    lines = [_Line(t) for t in text.split("\n") if t.strip()]
    alive = list(range(len(lines)))
    title_idx, first_art = -1, None
    given = title_given or (_STACK + heading if heading else "")
    for _ in range(MAX_PASSES):
        sub, t_idx, art = _one_pass([lines[i].text for i in alive], given)
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
    lines = [_Line(t) for t in text.split("\n") if t.strip()]
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
            _record(log, "remove", rule, line, "")
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
    lines, _, _ = _split_lines(text, "")
    for line in lines:
        if line.role:
            _record(log, "remove", line.role, line.text, "")
    return "\n".join(x.text for x in lines if not x.role)


# --------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------
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


def _split_names(names: str) -> list[str]:
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


def _collect_metadata(lines: list[_Line]) -> _Meta:
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
                n for n in _split_names(m.group("names")) if n not in meta.authors
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


def _choose_outlet(found: dict[str, str], meta: Mapping[str, Any]) -> tuple[str, str]:
    """Pick the outlet and its source (see the module docstring)."""
    given = str(meta.get("outlet") or "").strip()
    if given:
        return given, "given"
    for key in ("print_edition", "source", "disclaimer"):
        if found.get(key):
            return found[key], key
    site = str(meta.get("sitename") or "").strip()
    return (site, "page") if site else ("", "none")


def _apply_place(doc: CleanDoc, meta: Mapping[str, Any]) -> None:
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


_FLAG_RULES = {
    "mojibake_shift": "mojibake_repaired",
    "mojibake_gloss_reading": "mojibake_repaired",
    "mojibake_unrecoverable": "mojibake_unrecoverable",
    "replacement_char": "mojibake_unrecoverable",
    "pinyin_gloss": "pinyin_removed",
    "t2s": "traditional_converted",
    "gambling_spam": "spam_removed",
    "photo_caption": "caption_removed",
    "control_char": "control_chars_removed",
}


def _set_dates(
    doc: CleanDoc, found: _Meta, meta: Mapping[str, Any], source_file: str = ""
) -> None:
    """Set date, date_source and year.

    Order: the given date; a date in the dateline region (``header``); a full
    dispatch date in the lead (``body``); the file path (``path``); a given
    URL (``url``); a dispatch month and day with the year from the path or
    the text (``body``). Without a date, the year is the given one or the
    latest year the text speaks of (``inferred``).
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
    if doc.date:
        doc.year = doc.date[:4]
    elif re.fullmatch(r"\d{4}", given_year):
        doc.year, doc.date_source = given_year, "header"
    elif year := _infer_year(doc.text):
        doc.year, doc.date_source = year, "inferred"
    doc.sources["date"] = doc.date_source
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


def _dateline_region(
    found: _Meta, lines: list[_Line], title_idx: int, art: content.Article
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


def _strip_site_suffix(line: _Line, log: Log) -> None:
    """Drop site and channel names from a ``<title>`` line used as the title."""
    core = content.site_title(line.text)
    if core and core != line.text:
        _record(log, "remove", "title_site_suffix", line.text, core)
        line.text = core


def _assemble(lines: list[_Line], title_idx: int) -> str:
    """Join the kept lines, the title first."""
    kept = [x.text for i, x in enumerate(lines) if not x.role and i != title_idx]
    if title_idx >= 0:
        kept.insert(0, lines[title_idx].text)
    return "\n".join(kept)


def clean_document(
    raw: str,
    source_file: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> CleanDoc:
    """Repair and clean one article and extract its metadata.

    Args:
        raw: The decoded text (page text for HTML, after content extraction).
        source_file: Where it came from (for log messages only).
        meta: Metadata already known (JSONL fields, HTML page metadata): keys
            ``title``, ``date``, ``year``, ``place``, ``outlet``, ``authors``,
            ``sitename``. Given fields are taken as given; only missing ones
            are inferred.

    Returns:
        The :class:`CleanDoc`.
    """
    meta = dict(meta or {})
    log: Log = []
    text = repair(raw, log=log)
    # Removing a span can bring ASCII punctuation next to Chinese: normalise again.
    text = whitespace(punctuation(remove_spans(text, log=log), log=log))
    given_title = whitespace(repair(str(meta.get("title") or "")))
    heading = whitespace(punctuation(repair(content.heading_stack_title(raw))))
    lines, title_idx, art = _split_lines(text, given_title, heading)
    for line in lines:
        if line.role:
            _record(log, "remove", line.role, line.text, "")
    found = _collect_metadata(lines)
    _dateline_region(found, lines, title_idx, art)
    if heading and (issue := pubdate.path_date(source_file or "")):
        # A newspaper archive names its files by issue: a date in the
        # heading stack is the date of the document the paper prints.
        found.date, found.date_source = issue, "path"
    if title_idx == 0 and not given_title and not heading:
        _strip_site_suffix(lines[0], log)
    doc = CleanDoc(text=_assemble(lines, title_idx), log=log)
    doc.title = given_title or (lines[title_idx].text if title_idx >= 0 else "")
    doc.sources["title"] = "given" if given_title else ("text" if doc.title else "none")
    for m in rules()["inline_byline"].finditer(doc.text[:300]):
        found.authors.extend(
            n for n in _split_names(m.group("names")) if n not in found.authors
        )
    given_authors = meta.get("authors") or meta.get("author") or ""
    if isinstance(given_authors, str):
        given_authors = _split_names(given_authors) or (
            [given_authors] if given_authors else []
        )
    doc.authors = list(given_authors) or found.authors
    doc.sources["authors"] = (
        "given" if given_authors else ("byline" if doc.authors else "none")
    )
    doc.outlet, doc.sources["outlet"] = _choose_outlet(found.outlet, meta)
    _set_dates(doc, found, meta, source_file or "")
    _apply_place(doc, meta)
    if not doc.title:
        doc.flags.append("no_title")
    if not doc.date:
        doc.flags.append("no_date")
    rules_seen = {e["rule"] for e in log}
    doc.flags.extend(sorted({f for r, f in _FLAG_RULES.items() if r in rules_seen}))
    if source_file:
        logger.debug("cleaned %s: %d log entries", source_file, len(log))
    return doc


# --------------------------------------------------------------------------
# Corpus-level helpers
# --------------------------------------------------------------------------
def edge_lines(text: str, *, n: int = 3) -> list[str]:
    r"""Return the candidate chrome lines at the edges of a text.

    A candidate is short (at most 30 characters), is not a sentence (does not
    end with sentence punctuation) and sits among the first or last ``n``
    lines.

    Args:
        text: Cleaned text, one paragraph per line.
        n: Lines looked at at each end.

    Returns:
        The distinct candidate lines, sorted.

    Examples:
        >>> edge_lines("本站首页\n正文第一段。\n扫一扫分享")
        ['扫一扫分享', '本站首页']
    """
    lines = text.split("\n")
    edge = lines[:n] + lines[-n:] if len(lines) > 2 * n else lines
    return sorted(
        {x for x in edge if 0 < len(x) <= 30 and x[-1] not in "。！？：；”…:;"}
    )


class EdgeLineCounts:
    """Edge-line counts per group, filled one document at a time.

    The streaming form of :func:`corpus_boilerplate`: add each document's
    :func:`edge_lines` as it comes, then ask for the recurring lines. Only the
    counts are kept, never the texts.

    Examples:
        >>> counts = EdgeLineCounts()
        >>> for i in range(3):
        ...     counts.add("site", ["本站首页", f"标题{i}"])
        >>> counts.recurring()
        {'site': {'本站首页'}}
    """

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.sizes: Counter[str] = Counter()

    def add(self, group: str, lines: Iterable[str]) -> None:
        """Count one document of ``group`` with these edge lines."""
        self.sizes[group] += 1
        self.counts[group].update(set(lines))

    def recurring(
        self, *, min_docs: int = 3, min_share: float = 0.3
    ) -> dict[str, set[str]]:
        """Return the lines found in enough documents of their group.

        Args:
            min_docs: Minimum number of documents a line must occur in.
            min_share: Minimum share of the group's documents.

        Returns:
            ``{group: {line, ...}}`` for groups with recurring lines.
        """
        out: dict[str, set[str]] = {}
        for group, counter in self.counts.items():
            need = max(min_docs, math.ceil(min_share * self.sizes[group]))
            lines = {line for line, c in counter.items() if c >= need}
            if lines:
                out[group] = lines
        return out


def recurring_edge_lines(
    edges: Iterable[tuple[str, Iterable[str]]],
    *,
    min_docs: int = 3,
    min_share: float = 0.3,
) -> dict[str, set[str]]:
    """:func:`corpus_boilerplate` from each document's group and edge lines.

    Args:
        edges: ``(group, edge lines)`` per document, the lines as returned by
            :func:`edge_lines`.
        min_docs: Minimum number of documents a line must occur in.
        min_share: Minimum share of the group's documents.

    Returns:
        ``{group: {line, ...}}`` for groups with recurring lines.
    """
    counts = EdgeLineCounts()
    for group, lines in edges:
        counts.add(group, lines)
    return counts.recurring(min_docs=min_docs, min_share=min_share)


def _group_and_text(doc: Any) -> tuple[str, str]:
    """The group (outlet when no group is given) and text of a document."""
    get = doc.get if isinstance(doc, Mapping) else lambda k, d=doc: getattr(d, k, "")
    return str(get("group") or get("outlet") or ""), str(get("text") or "")


def corpus_boilerplate(
    docs: Iterable[Any], *, min_docs: int = 3, min_share: float = 0.3
) -> dict[str, set[str]]:
    """Find lines that recur at the edges of many documents of one outlet.

    Rules catch chrome that looks like chrome; a site's own slogans and
    channel names look like anything, but they recur. A line counts when it
    is short, is not a sentence, sits among the first or last three lines of
    a document (:func:`edge_lines`), and recurs in at least ``min_docs``
    documents and ``min_share`` of the documents of the same group (outlet,
    or source folder when the outlet is unknown). To keep only the counts
    while documents stream past, use :class:`EdgeLineCounts`.

    Args:
        docs: Items with ``text`` and ``group`` (mappings or objects); a
            :class:`CleanDoc` uses its ``outlet`` as group.
        min_docs: Minimum number of documents a line must occur in.
        min_share: Minimum share of the group's documents.

    Returns:
        ``{group: {line, ...}}`` for groups with recurring lines.
    """
    pairs = (_group_and_text(doc) for doc in docs)
    return recurring_edge_lines(
        ((group, edge_lines(text)) for group, text in pairs),
        min_docs=min_docs,
        min_share=min_share,
    )


def minhash(
    text: str, *, num_perm: int = 64, k: int = 5, max_chars: int = 200_000
) -> list[int]:
    """Return a MinHash signature of ``text``'s character k-shingles.

    Args:
        text: Cleaned text.
        num_perm: Number of permutations.
        k: Shingle length in characters.
        max_chars: Only the first ``max_chars`` characters are shingled, so a
            huge input stays cheap.

    Returns:
        The signature as a list of ints (compact and picklable).
    """
    from datasketch import MinHash

    mh = MinHash(num_perm=num_perm, seed=1, scheme="affine32")
    body = re.sub(r"\s+", "", text[:max_chars])
    shingles = {body[i : i + k] for i in range(max(1, len(body) - k + 1))}
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return [int(v) for v in mh.hashvalues]


class NearDuplicateIndex:
    """Near-duplicate detection one document at a time (MinHash LSH).

    Documents are added in priority order; each is checked against the
    originals added before it, so only the LSH band keys of the originals are
    kept, never the texts. :func:`near_duplicates` is the batch form.

    Args:
        threshold: Estimated Jaccard similarity above which two are copies.
    """

    def __init__(self, *, threshold: float = 0.8) -> None:
        self.threshold = threshold
        self.duplicates: dict[str, str] = {}
        self._lsh: Any = None
        self._order: dict[str, int] = {}
        self._n = 0

    def add(self, doc_id: str, signature: Sequence[int] | Any) -> str:
        """Add a document; return the doc_id it copies, or ``""``.

        Args:
            doc_id: The document's id (unique).
            signature: Its :func:`minhash` signature (list or uint64 array).

        Returns:
            The earliest original it is a near-duplicate of, or ``""``.
        """
        import numpy as np
        from datasketch import MinHash, MinHashLSH

        sig = np.asarray(signature, dtype=np.uint64)
        mh = MinHash(num_perm=len(sig), seed=1, hashvalues=sig, scheme="affine32")
        if self._lsh is None:
            self._lsh = MinHashLSH(threshold=self.threshold, num_perm=len(sig))
        hits = [h for h in self._lsh.query(mh) if h not in self.duplicates]
        original = ""
        if hits:
            original = min(hits, key=self._order.__getitem__)
            self.duplicates[doc_id] = original
        else:
            self._lsh.insert(doc_id, mh)
        self._order[doc_id] = self._n
        self._n += 1
        return original


def near_duplicates(
    signatures: Iterable[tuple[str, Sequence[int] | Any]], *, threshold: float = 0.8
) -> dict[str, str]:
    """Find near-duplicate documents (the same story on two sites).

    Args:
        signatures: ``(doc_id, minhash signature)`` in priority order: an
            earlier document is the original of a later copy. A signature is
            a list of ints or a uint64 array.
        threshold: Estimated Jaccard similarity above which two are copies.

    Returns:
        ``{later doc_id: earlier doc_id}``.
    """
    index = NearDuplicateIndex(threshold=threshold)
    for doc_id, sig in signatures:
        index.add(doc_id, sig)
    return index.duplicates


# --------------------------------------------------------------------------
# Summaries for the cleaning notebook
# --------------------------------------------------------------------------
def size_table(articles: Any) -> Any:
    """Return per-document sizes before and after cleaning.

    Args:
        articles: ``articles.csv`` as read by :func:`citytext.pipeline.read_csv`.

    Returns:
        A DataFrame: doc_id, source_file, chars_before, chars_after, removed_pct.
    """
    import pandas as pd

    before = pd.to_numeric(
        articles.get("n_chars_raw", articles["n_chars"]), errors="coerce"
    )
    after = pd.to_numeric(articles["n_chars"], errors="coerce")
    out = pd.DataFrame(
        {
            "doc_id": articles["doc_id"],
            "source_file": articles["source_file"],
            "chars_before": before,
            "chars_after": after,
        }
    )
    out["removed_pct"] = (100 * (1 - out["chars_after"] / out["chars_before"])).round(1)
    return out


def removals_by_rule(log: Any) -> Any:
    """Count log entries and characters per action and rule.

    Args:
        log: ``cleaning_log.csv`` as a DataFrame.

    Returns:
        A DataFrame: action, rule, entries, documents, chars_before, sorted by
        characters.
    """
    import pandas as pd

    if log.empty:
        return pd.DataFrame(
            columns=["action", "rule", "entries", "documents", "chars_before"]
        )
    frame = log.assign(chars_before=log["before"].str.len())
    out = (
        frame.groupby(["action", "rule"])
        .agg(
            entries=("doc_id", "size"),
            documents=("doc_id", "nunique"),
            chars_before=("chars_before", "sum"),
        )
        .reset_index()
        .sort_values(
            ["chars_before", "rule"], ascending=[False, True], kind="mergesort"
        )
    )
    return out.reset_index(drop=True)


def repaired_spans(log: Any) -> Any:
    """Return the repair entries (mojibake, glosses and lost characters)."""
    mask = log["rule"].str.startswith(("mojibake", "replacement_char", "html_tag"))
    return log.loc[mask, ["doc_id", "action", "rule", "before", "after"]].reset_index(
        drop=True
    )


def metadata_table(articles: Any) -> Any:
    """Return the metadata of each article with where each field came from.

    Args:
        articles: ``articles.csv`` as a DataFrame (with ``meta_sources``).

    Returns:
        A DataFrame of metadata columns, each followed by its source.
    """
    import json

    import pandas as pd

    rows = []
    for _, art in articles.iterrows():
        sources = json.loads(art.get("meta_sources") or "{}")
        rows.append(
            {
                "doc_id": art["doc_id"],
                "title": art["title"],
                "title_from": sources.get("title", ""),
                "date": art["date"],
                "year": art["year"],
                "date_from": art["date_source"],
                "outlet": art["outlet"],
                "outlet_from": sources.get("outlet", ""),
                "authors": art["authors"],
                "authors_from": sources.get("authors", ""),
                "city": art["city"],
                "prefecture": art["prefecture"],
                "province": art["province"],
                "admin_level": art["admin_level"],
                "city_from": sources.get("city", ""),
                "flags": art["flags"],
                "duplicate_of": art.get("duplicate_of", ""),
            }
        )
    return pd.DataFrame(rows)


def document_diffs(
    corpus: Path | str, doc_ids: Iterable[str] | None = None
) -> dict[str, str]:
    """Return unified diffs between raw and cleaned text, per document.

    Args:
        corpus: Corpus directory (re-read with :func:`citytext.ingest.iter_inputs`).
        doc_ids: Documents to diff (all when None).

    Returns:
        ``{doc_id: diff text}``.
    """
    import difflib

    from citytext import ingest

    wanted = set(doc_ids) if doc_ids is not None else None
    out = {}
    for record in ingest.iter_inputs(corpus):
        if not isinstance(record, ingest.Document):
            continue
        if wanted is not None and record.doc_id not in wanted:
            continue
        doc = clean_document(
            record.text, source_file=record.source_file, meta=record.meta
        )
        raw_lines = whitespace(control_chars(record.text)).split("\n")
        diff = difflib.unified_diff(
            raw_lines, doc.text.split("\n"), "raw", "clean", lineterm="", n=0
        )
        out[record.doc_id] = "\n".join(diff)
    return out
