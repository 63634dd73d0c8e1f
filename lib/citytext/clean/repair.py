"""Repair steps for one text: characters, script, width, punctuation, spaces.

What belongs here: functions that take ``str`` and return ``str`` with an
optional ``log`` list recording every change, and :func:`make_pipeline`,
which chains them. :data:`repair` is the chain :func:`citytext.clean.clean_document`
starts with: control characters, GBK mojibake (:mod:`citytext.clean.mojibake`),
pinyin glosses, traditional to simplified (only for text that is traditional),
width, punctuation and whitespace.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Literal

from citytext import text as text_mod
from citytext.clean.document import Log, TextFunc, record
from citytext.clean.mojibake import ASCII_TO_FULL, PINYIN_CHARS, TONED, mojibake
from citytext.text import CJK, CJK_RE

GLOSS_RE = re.compile(
    f"(?<=[{CJK}])[(（]([{PINYIN_CHARS}]*[{TONED}][{PINYIN_CHARS}]*)[)）]"
)
NEUTRAL_GLOSS_RE = re.compile(
    f"(?<=[{CJK}])[(（](de|le|me|ma|ne|zi|men|ba|zhe|guo|li|tou|shang|xia)[)）]"
)
CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b-\u200d\u2060\ufffe]"
)
#: C1 controls: left by text decoded with the wrong code page. They are
#: removed only after the mojibake repair, which reads them back as bytes.
C1_RE = re.compile("[\x80-\x9f]")
SPACE_RE = re.compile("[ \t\u00a0\u2002-\u200a\u202f\u205f\u3000]+")

_t2s = text_mod.t2s_converter
_s2t = text_mod.s2t_converter


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
        record(log, "remove", "control_char", ch, "")
    return CONTROL_RE.sub("", text) if found else text


#: Characters of the Latin-1 range: a UTF-8 text read with a Western code
#: page is made of them (一 → ä¸\x80). Text without any is left untouched.
LATIN1_RE = re.compile("[\x80-\xff]")


def wrong_codec(text: str, *, log: Log | None = None) -> str:
    r"""Repair a text decoded with the wrong code page (ftfy), line by line.

    UTF-8 read as Latin-1 or Windows-1252 (``ä¸\x80äº\x8c`` for 一二) is a
    whole-text mistake that ftfy undoes reliably; GBK with a lost byte is
    left to :func:`citytext.clean.mojibake.mojibake`. A line is changed only
    when the repair gives back Chinese characters.

    Args:
        text: Raw text.
        log: Change log to append to (one entry per repaired line).

    Returns:
        The text with every such line decoded as it was written.
    """
    if not LATIN1_RE.search(text):
        return text
    import ftfy

    out = []
    for line in text.split("\n"):
        fixed = line
        if LATIN1_RE.search(line):
            fixed = ftfy.fix_encoding(line, fix_c1_controls=False)
            # Only a repair that gives back Chinese is taken: stray Latin-1
            # symbols (À§, Â¡) are left as they are.
            if len(CJK_RE.findall(fixed)) <= len(CJK_RE.findall(line)):
                fixed = line
        if fixed != line:
            record(log, "repair", "mojibake_codec", line, fixed)
        out.append(fixed)
    return "\n".join(out)


def c1_controls(text: str, *, log: Log | None = None) -> str:
    """Remove C1 control characters (U+0080 to U+009F) that no repair explained.

    Args:
        text: Text after the mojibake repair.
        log: Change log to append to (one entry per distinct character).

    Returns:
        Text without C1 controls.
    """
    found = Counter(C1_RE.findall(text))
    if not found:
        return text
    for ch in sorted(found):
        record(log, "remove", "control_char", ch, "")
    # What the controls stood between may now read as a misdecoded pair.
    return wrong_codec(C1_RE.sub("", text), log=log)


def sub_logged(
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
        record(log, action, rule, m.group(0), repl)
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
    text = sub_logged(GLOSS_RE, text, "pinyin_gloss", log=log)
    if n_toned >= 3:
        text = sub_logged(NEUTRAL_GLOSS_RE, text, "pinyin_gloss", log=log)
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
            record(log, "convert", "t2s", a, b)
    elif out != text:
        record(log, "convert", "t2s", text[:200], out[:200])
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
            record(log, "normalize", "punctuation", ch, ASCII_TO_FULL[ch])
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
                record(log, "normalize", "punctuation", "()", "（）")
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
    record(log, "normalize", "width", before, unicodedata.normalize("NFKC", before))
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
    takes_log = [("log" in inspect.signature(f).parameters) for f in funcs]

    def pipeline(text: str, *, log: Log | None = None) -> str:
        for func, with_log in zip(funcs, takes_log, strict=True):
            text = func(text, log=log) if with_log else func(text)
        return text

    return pipeline


#: The repair steps, in order.
repair = make_pipeline(
    control_chars,
    wrong_codec,
    mojibake,
    c1_controls,
    pinyin_glosses,
    traditional_to_simplified,
    width,
    punctuation,
    whitespace,
)
