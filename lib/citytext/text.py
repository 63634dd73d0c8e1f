r"""Plain-text primitives shared by every layer: Han ranges, t2s, sentences.

What belongs here: facts about Chinese text that do not depend on a document,
a corpus or a run directory. The Unicode ranges of Han characters, the OpenCC
traditional-to-simplified converters (set up once per process), the sentence
splitter used by the metric and comparison stages, character statistics (the
readability score that ingest uses to choose an encoding and cleaning uses to
accept a repair), and the one test of whether an ``articles.csv`` row is a
duplicate. Nothing here imports another ``citytext`` module.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

#: CJK Unified Ideographs (the BMP block).
CJK_UNIFIED = "\u4e00-\u9fff"
#: CJK Unified Ideographs Extension A.
CJK_EXT_A = "\u3400-\u4dbf"
#: CJK Compatibility Ideographs.
CJK_COMPAT = "\uf900-\ufaff"
#: Han characters: BMP unified ideographs and extension A (a character class body).
CJK = CJK_EXT_A + CJK_UNIFIED
#: One Han character (:data:`CJK`).
CJK_RE = re.compile(f"[{CJK}]")
#: One Han character including the compatibility ideographs.
CJK_WITH_COMPAT_RE = re.compile(f"[{CJK}{CJK_COMPAT}]")
#: One private-use character (typical of broken fonts and mojibake).
PUA_RE = re.compile("[\ue000-\uf8ff]")


def is_cjk(ch: str) -> bool:
    """Return whether ``ch`` is one Han character of :data:`CJK`.

    Args:
        ch: A string; anything but a single character gives ``False``.

    Returns:
        ``True`` for a unified ideograph (BMP or extension A).
    """
    return len(ch) == 1 and CJK_RE.match(ch) is not None


def is_cjk_unified(ch: str) -> bool:
    """Return whether ``ch`` is one character of the BMP unified block only.

    Args:
        ch: A string; an empty one gives ``False``.

    Returns:
        ``True`` for U+4E00–U+9FFF (extension A excluded).
    """
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def count_cjk(text: str) -> int:
    """Return the number of Han characters (:data:`CJK`) in ``text``."""
    return sum(
        1 for c in text if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"
    )


# --------------------------------------------------------------------------
# Traditional <-> simplified (OpenCC, one converter each per process)
# --------------------------------------------------------------------------
@functools.cache
def t2s_converter() -> Any:
    """Return the OpenCC traditional-to-simplified converter (cached)."""
    import opencc  # deferred: loading the dictionaries is slow

    return opencc.OpenCC("t2s")


@functools.cache
def s2t_converter() -> Any:
    """Return the OpenCC simplified-to-traditional converter (cached)."""
    import opencc  # deferred: loading the dictionaries is slow

    return opencc.OpenCC("s2t")


def t2s(text: str) -> str:
    """Convert ``text`` from traditional to simplified characters (OpenCC)."""
    return t2s_converter().convert(text)


def s2t(text: str) -> str:
    """Convert ``text`` from simplified to traditional characters (OpenCC)."""
    return s2t_converter().convert(text)


@functools.cache
def t2s_char(ch: str) -> str:
    """Return the simplified form of one character, or ``ch`` if it has none.

    A conversion that would change the length (a phrase rule) is refused, so
    a text converted character by character keeps its offsets.
    """
    out = t2s_converter().convert(ch)
    return out if len(out) == 1 else ch


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------
_SENTENCE = re.compile(
    r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』\"'）)]*|\n|$)",
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``.

    Sentences end at 。！？； (and ASCII ``!?;``) or a line break; closing
    quotes and brackets right after the end mark stay with the sentence.
    Surrounding whitespace is not part of a span; empty sentences are dropped.

    Args:
        text: Any text.

    Returns:
        Offsets in order.
    """
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def sentences(text: str) -> list[str]:
    r"""Split ``text`` into sentences (see :func:`sentence_spans`).

    Args:
        text: Any text.

    Returns:
        The sentences, stripped, in order.

    Examples:
        >>> sentences("他说：“好。”我们走吧！\n第二行")
        ['他说：“好。”', '我们走吧！', '第二行']
    """
    return [text[a:b] for a, b in sentence_spans(text)]


# --------------------------------------------------------------------------
# Character statistics
# --------------------------------------------------------------------------
def _jieba_dict() -> Path | None:
    """Path of jieba's word list, or ``None`` when jieba is not installed."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


@functools.cache
def char_frequency() -> dict[str, float]:
    """Return log frequencies of Chinese characters (from jieba's dictionary).

    Returns:
        ``{char: log(1 + summed word frequency)}`` over simplified characters.
    """
    path = _jieba_dict()
    if path is None:
        return {}
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) >= 2 and parts[1].isdigit():
                for ch in parts[0]:
                    counts[ch] += int(parts[1])
    return {ch: math.log1p(n) for ch, n in counts.items()}


@functools.cache
def word_frequency() -> dict[str, int]:
    """Return jieba's words of 2–6 characters with their frequencies."""
    path = _jieba_dict()
    if path is None:
        return {}
    out: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) >= 2 and parts[1].isdigit() and 2 <= len(parts[0]) <= 6:
                out[parts[0]] = int(parts[1])
    return out


_PUNCT_SCORE = 12.0


def text_quality(text: str) -> float:
    """Score how much ``text`` reads as ordinary Chinese (higher is better).

    The mean log frequency of its characters (after traditional-to-simplified
    conversion); CJK punctuation scores as a common character, private-use
    characters and unknown characters score low. Used to accept a mojibake
    repair and to choose between candidate encodings.

    Args:
        text: Any text.

    Returns:
        The mean score per non-space character (0.0 for empty text).
    """
    freq = char_frequency()
    chars = [c for c in t2s(text) if not c.isspace()]
    if not chars:
        return 0.0
    total = 0.0
    for ch in chars:
        if ch in freq:
            total += freq[ch]
        elif ch in "，。、；：？！“”‘’《》（）—…·" or ch.isascii():
            total += _PUNCT_SCORE if not ch.isascii() else 6.0
        elif PUA_RE.match(ch):
            total -= 5.0
    return total / len(chars)


# --------------------------------------------------------------------------
# Values of articles.csv
# --------------------------------------------------------------------------
def is_duplicate(duplicate_of: Any) -> bool:
    """Return whether an ``articles.csv`` ``duplicate_of`` value marks a duplicate.

    The one meaning used by every stage: a value is a duplicate marker when it
    holds a non-blank doc_id. Empty, whitespace-only and missing values
    (``None``, NaN) are not.

    Args:
        duplicate_of: The cell value.

    Returns:
        ``True`` when the row is a near-duplicate of an earlier document.
    """
    return not is_blank(duplicate_of)


def is_blank(value: Any) -> bool:
    """Return whether a cell value is missing, empty or only whitespace.

    Args:
        value: Any cell value (text, ``None`` or a float NaN).

    Returns:
        ``True`` for ``None``, NaN, ``""`` and whitespace-only text.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return not str(value).strip()
