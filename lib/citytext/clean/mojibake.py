"""Repair of GBK mojibake: misaligned decoding and lost bytes.

What belongs here: :func:`mojibake` and its helpers, which re-encode a
garbled run to GBK bytes, decode it again after a lost lead byte, and recover
a lost character from its lead byte or a pinyin gloss that follows it. Why
our own code: the maintained repairers (ftfy, charset detectors) fix whole
texts decoded with the wrong codec; here one byte was lost inside a GBK text
and only a short run after it is shifted.
"""

from __future__ import annotations

import functools
import re

from citytext import text as text_mod
from citytext.clean.document import Log, record
from citytext.text import CJK_RE, PUA_RE

#: Toned pinyin vowels: a gloss has at least one (neutral-tone glosses aside).
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_CHARS = f"a-zü{TONED}"
ORPHAN_GLOSS_RE = re.compile(f"\\?([{PINYIN_CHARS}]{{1,7}})\\)")
HTML_REMNANT_RE = re.compile(r"/?[a-zA-Z][a-zA-Z0-9]{0,6}>")
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

_t2s = text_mod.t2s_converter
char_frequency = text_mod.char_frequency
_words = text_mod.word_frequency
text_quality = text_mod.text_quality


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
        record(log, "repair" if ch else "remove", rule, gloss.group(0), ch)
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
            record(log, "remove", "html_tag_remnant", html.group(0), "")
            end = html.end()
        if not ch:
            record(log, "remove", "mojibake_unrecoverable", text[i:end], "")
        repaired += ch
    record(log, "repair", "mojibake_shift", text[i:end], repaired)
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
            record(log, "remove", "replacement_char", m.group(0), "")
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
        record(log, "remove", "mojibake_unrecoverable", m.group(0)[len(keep) :], "")
        return keep

    return _STRANDED_RE.sub(_one, text)
