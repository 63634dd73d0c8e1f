"""Procedural and heading paragraphs: what a report says about itself.

What belongs here: deciding, from a paragraph's text alone, whether it is the
procedure of a report or speech rather than its substance, so that topic
models fit on substance. Two flags are given (the ``flags`` column of
paragraphs.csv, ``;``-joined):

``procedural``
    Sentences matching the patterns of ``resources/procedural_rules.yaml``
    make up at least :data:`PROCEDURAL_SHARE` of the paragraph's characters:
    the opening (各位代表：现在，我代表市人民政府向大会报告工作，请予审议，并请
    市政协委员提出意见), the dateline and signature under the title, the
    rallying close (各位代表！……让我们……而努力奋斗！) and transitions that only
    announce what follows (重点抓好以下工作). A form of address at the start
    of a sentence (各位代表，) counts as procedure and the rest of the sentence
    is judged on its own, so a section that opens with 各位代表 and then
    reviews the year stays substance.
``heading``
    Not procedural, and a bare heading or slogan: no sentence-final
    punctuation at all (at most :data:`BARE_MAX_CHARS` characters), a short
    section heading that starts with a Chinese section number (一、 （三）),
    or a short paragraph whose sentences all end in an exclamation mark.

Sentences are cut at 。！？；!?; and at whitespace (the segmenter joins a
heading to its paragraph with a space). A fragment of at most
:data:`NAME_MAX_CHARS` characters next to a procedural one (the name after
市长) counts as procedural too.

Flagged paragraphs stay in paragraphs.csv and in every count; the topic
models leave them out of fitting (:func:`is_modelled`). What notebook 02
shows of the flags is :func:`flag_summary` and :func:`left_out_facts`.

The rules are regular expressions over the genre's fixed formulas; no
library covers the formulas of Chinese government reports, hence this small
module. It imports nothing from the package except the resources.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from citytext import resources

RULES = "procedural_rules.yaml"
PROCEDURAL = "procedural"
HEADING = "heading"
#: Flags that keep a paragraph out of topic fitting.
EXCLUDED_FLAGS = frozenset({PROCEDURAL, HEADING})

#: Share of a paragraph's characters in procedural sentences that flags it.
PROCEDURAL_SHARE = 0.5
#: A fragment this short next to a procedural one is procedural (a name).
NAME_MAX_CHARS = 4
#: Longest paragraph without sentence-final punctuation that is a heading.
BARE_MAX_CHARS = 80
#: Longest numbered section heading or slogan.
SHORT_MAX_CHARS = 40

_PIECE = re.compile(r"[^。！？；!?;\s]+[。！？；!?;]*[”’」』\"'）)]*")
_SENTENCE_END = re.compile(r"[。！？；!?;…]")
_SECTION_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[)）、]")
_EXCLAIM = re.compile(r"[！!][”’」』\"'）)]*$")


@functools.cache
def _rules() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """Compile the address pattern and the sentence patterns."""
    raw = resources.load_yaml(RULES)
    return re.compile(raw["address"]), tuple(re.compile(p) for p in raw["sentences"])


def pieces(paragraph: str) -> list[str]:
    """Cut a paragraph into sentences and whitespace-separated fragments.

    Args:
        paragraph: One paragraph.

    Returns:
        The pieces in order, each with its end punctuation and closing quotes.
    """
    return _PIECE.findall(paragraph)


def procedural_chars(piece: str) -> int:
    """Return how many characters of one sentence are procedure.

    Args:
        piece: One sentence or fragment.

    Returns:
        ``len(piece)`` when a sentence pattern matches (after a leading form
        of address), the length of the form of address when only that
        matches, else 0.
    """
    address, patterns = _rules()
    m = address.match(piece)
    rest = piece[m.end() :] if m else piece
    if any(p.search(rest) for p in patterns) or (m and not rest.strip()):
        return len(piece)
    return m.end() if m else 0


def _procedural_share(parts: list[str]) -> float:
    """Share of characters in procedural pieces (short neighbours included)."""
    counts = [procedural_chars(p) for p in parts]
    full = [c == len(p) and c > 0 for c, p in zip(counts, parts, strict=True)]
    for i, p in enumerate(parts):
        near = (i > 0 and full[i - 1]) or (i + 1 < len(parts) and full[i + 1])
        if not full[i] and len(p) <= NAME_MAX_CHARS and near:
            counts[i] = len(p)
    total = sum(len(p) for p in parts)
    return sum(counts) / total if total else 0.0


def is_heading(paragraph: str) -> bool:
    """Return whether a paragraph is a bare heading or slogan (see module doc).

    Args:
        paragraph: One paragraph.

    Returns:
        ``True`` for a heading.
    """
    text = paragraph.strip()
    if not text:
        return False
    if not _SENTENCE_END.search(text):
        return len(text) <= BARE_MAX_CHARS
    if len(text) > SHORT_MAX_CHARS:
        return False
    parts = pieces(text)
    if _SECTION_NUMBER.match(text) and len(parts) == 1:
        return True
    return all(_EXCLAIM.search(p) for p in parts)


def paragraph_flags(paragraph: str) -> list[str]:
    """Return the flags of one paragraph: ``["procedural"]``, ``["heading"]`` or [].

    Args:
        paragraph: One paragraph of clean text.

    Returns:
        At most one flag; procedural wins over heading.
    """
    parts = pieces(paragraph)
    if parts and _procedural_share(parts) >= PROCEDURAL_SHARE:
        return [PROCEDURAL]
    if is_heading(paragraph):
        return [HEADING]
    return []


def join_flags(flags: Iterable[str]) -> str:
    """Return flags as the ``;``-joined string of the ``flags`` column."""
    return ";".join(flags)


def is_modelled(flags: str) -> bool:
    """Return whether a paragraph with this ``flags`` value is fitted by topics.

    Args:
        flags: The ``flags`` cell (``;``-joined, possibly empty or NaN).

    Returns:
        ``False`` when any flag is in :data:`EXCLUDED_FLAGS`.
    """
    if not isinstance(flags, str) or not flags:
        return True
    return not EXCLUDED_FLAGS.intersection(flags.split(";"))


def flag_summary(paragraphs: pd.DataFrame, examples: int = 2) -> pd.DataFrame:
    """Count the paragraphs of each flag, with short examples (for notebook 02).

    Args:
        paragraphs: paragraphs.csv rows with ``flags`` and ``text``.
        examples: Example paragraphs shown per flag (the shortest distinct
            ones, first 60 characters).

    Returns:
        One row per flag of :data:`EXCLUDED_FLAGS` and one for ``(none)``:
        flag, paragraphs, share, modelled (bool), examples (`` | ``-joined).
    """
    flags = paragraphs["flags"].fillna("").astype(str)
    total = max(len(paragraphs), 1)
    rows = []
    for flag in sorted(EXCLUDED_FLAGS):
        hit = flags.str.split(";").map(lambda fs, f=flag: f in fs)
        texts = paragraphs.loc[hit, "text"].astype(str).drop_duplicates()
        shown = sorted(texts, key=lambda t: (len(t), t))[:examples]
        rows.append(
            {"flag": flag, "paragraphs": int(hit.sum()),
             "share": round(hit.sum() / total, 4), "modelled": False,
             "examples": " | ".join(t[:60] for t in shown)}
        )  # fmt: skip
    kept = int(flags.map(is_modelled).sum())
    rows.append(
        {"flag": "(none)", "paragraphs": kept, "share": round(kept / total, 4),
         "modelled": True, "examples": ""}
    )  # fmt: skip
    return pd.DataFrame(rows)


def left_out_facts(paragraphs: pd.DataFrame) -> dict[str, Any]:
    """How many paragraphs topic fitting leaves out (for notebook 02).

    Args:
        paragraphs: paragraphs.csv rows with ``flags``.

    Returns:
        ``n_out`` (paragraphs not fitted: procedural or headings), ``n`` (all
        paragraphs) and ``share`` (``n_out / n``, 0 without paragraphs).
    """
    n = len(paragraphs)
    n_out = int((~paragraphs["flags"].map(is_modelled)).sum()) if n else 0
    return {"n_out": n_out, "n": n, "share": n_out / max(n, 1)}
