"""Word segmentation: the domain dictionary, stopwords and paragraphs.

What belongs here: splitting article text into body paragraphs, cutting text
into words with jieba's model plus the project's dictionary, and deciding
which words are content words (the features of the topic models). Repairing
text and converting traditional to simplified characters belong to
``citytext.clean``; this module takes clean text as given.

Two engines share one dictionary:

* :func:`tokenize` uses ``rjieba``, a compiled port of jieba with the same
  model and base dictionary (about 17 times faster than ``jieba.lcut``);
* :func:`tokenize_reference` uses ``jieba`` itself and is what tests and the
  benchmark compare the fast path against (:func:`agreement`).

The dictionary (:func:`dictionary`) is the base jieba dictionary plus

* the campaign and governance terms of ``resources/segment_userdict.txt``
  (能力作风建设, 狠抓落实, 12345热线 …), each given a frequency of at least
  :data:`DOMAIN_FREQ` so that it stays whole in running text;
* every gazetteer name from :func:`citytext.places.names` (陵城区 and 陵城)
  that the base dictionary lacks, at the smallest frequency that keeps it
  whole, so that place names never split into junk but never swallow
  everyday words either. Names already in the base dictionary keep jieba's
  own frequency.

Both engines receive the same words with the same explicit frequencies and
tags, so they differ only where their implementations do.

Examples:
    >>> tokenize("鸡西市深化能力作风建设")
    ['鸡西市', '深化', '能力作风建设']
    >>> content_tokens("今年以来，我们进一步狠抓落实，优化营商环境。")
    ['狠抓落实', '优化', '营商环境']
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from citytext import places, procedural, resources
from citytext import text as text_mod

logger = logging.getLogger(__name__)

USERDICT = "segment_userdict.txt"
STOPWORDS = "segment_stopwords.txt"

#: Minimum frequency of a domain term (jieba counts; the base total is 6e7).
DOMAIN_FREQ = 1000
DOMAIN_TAG = "nz"
PLACE_TAG = "ns"

#: Part-of-speech tags kept by ``pos_filter``: nouns, verbs, adjectives,
#: idioms (i, l), abbreviations (j), distinguishing words (b), status words
#: (z) and untagged words (x). Person names (nr…) are dropped: they name the
#: people quoted, not what the text is about.
CONTENT_POS_PREFIXES = ("n", "v", "a", "i", "l", "j", "b", "z", "x")
DROPPED_POS_PREFIXES = ("nr",)

#: A line shorter than this, without sentence-final punctuation, is a heading.
HEADING_MAX_CHARS = 30
_SENTENCE_END = tuple("。！？!?；;…")
_CLOSERS = "”’」』）)》】"

_CJK = text_mod.CJK_WITH_COMPAT_RE
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_NUMERAL_WORD = re.compile(
    r"^第?[零〇一二两三四五六七八九十百千万亿几半数多]+"
    r"[个年月日号季度次批项名件家届条位天周期轮点层级类种成倍]*$"
)
_BLANK_LINE = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Entry:
    """One dictionary word added to both engines.

    Attributes:
        word: The word.
        freq: Its jieba frequency count.
        tag: Its part-of-speech tag.
        source: ``"domain"`` or ``"gazetteer"``.
    """

    word: str
    freq: int
    tag: str
    source: str


# --------------------------------------------------------------------------
# Dictionary
# --------------------------------------------------------------------------
def _parse_userdict(lines: Iterable[str]) -> list[tuple[str, int | None, str]]:
    """Parse ``TERM [FREQ] [TAG]`` lines into ``(term, freq or None, tag)``."""
    out = []
    for line in lines:
        parts = line.split()
        word, freq, tag = parts[0], None, DOMAIN_TAG
        for extra in parts[1:]:
            if extra.isdigit():
                freq = int(extra)
            else:
                tag = extra
        out.append((word, freq, tag))
    return out


@functools.cache
def domain_terms() -> tuple[str, ...]:
    """Return the domain terms of ``resources/segment_userdict.txt``, in order."""
    return tuple(w for w, _, _ in _parse_userdict(resources.read_lines(USERDICT)))


@functools.cache
def gazetteer_names() -> tuple[str, ...]:
    """Return every gazetteer place name, full and short forms.

    Returns:
        Names from :func:`citytext.places.names`.
    """
    return tuple(sorted(set(places.names())))


@functools.cache
def dictionary() -> tuple[Entry, ...]:
    """Return the words added to the base dictionary, with frequencies and tags.

    Frequencies are computed once on a pristine base dictionary, so both
    engines receive identical entries whatever order they load them in.

    Returns:
        Domain terms first (in file order), then gazetteer names (sorted).
    """
    import rjieba

    base = rjieba.Jieba()
    entries: list[Entry] = []
    seen: set[str] = set()
    for word, freq, tag in _parse_userdict(resources.read_lines(USERDICT)):
        if word in seen:
            continue
        seen.add(word)
        needed = base.suggest_freq(word)
        entries.append(Entry(word, max(freq or DOMAIN_FREQ, needed), tag, "domain"))
    for name in gazetteer_names():
        if name in seen or len(name) < 2 or base.has_word(name):
            continue
        seen.add(name)
        entries.append(Entry(name, base.suggest_freq(name), PLACE_TAG, "gazetteer"))
    logger.debug("segment dictionary: %d added words", len(entries))
    return tuple(entries)


@functools.cache
def _fast() -> Any:
    """Return the rjieba tokenizer with the dictionary loaded (per process)."""
    import rjieba

    tok = rjieba.Jieba()
    for entry in dictionary():
        tok.add_word(entry.word, entry.freq, entry.tag)
    return tok


@functools.cache
def _reference() -> Any:
    """Return the jieba tokenizer with the dictionary loaded (per process)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for entry in dictionary():
        tok.add_word(entry.word, entry.freq, entry.tag)
    return tok


@functools.cache
def _reference_pos() -> Any:
    """Return jieba's part-of-speech tokenizer over the reference tokenizer."""
    from jieba import posseg

    return posseg.POSTokenizer(_reference())


# --------------------------------------------------------------------------
# Tokenizing
# --------------------------------------------------------------------------
def tokenize(text: str) -> list[str]:
    """Cut ``text`` into words with the domain dictionary (fast engine).

    Args:
        text: Clean article text.

    Returns:
        The words in order; whitespace-only tokens are dropped, punctuation
        and numbers are kept (see :func:`content_tokens` for features).
    """
    return [w for w in _fast().cut(text) if not w.isspace()]


def tokenize_reference(text: str) -> list[str]:
    """Cut ``text`` with jieba itself and the same dictionary.

    The reference implementation that :func:`tokenize` is checked against.

    Args:
        text: Clean article text.

    Returns:
        The words in order; whitespace-only tokens are dropped.
    """
    return [w for w in _reference().cut(text) if not w.isspace()]


def tag(text: str, *, reference: bool = False) -> list[tuple[str, str]]:
    """Cut ``text`` into ``(word, part-of-speech tag)`` pairs.

    Args:
        text: Clean article text.
        reference: Use ``jieba.posseg`` instead of the fast engine.

    Returns:
        Pairs in order; whitespace-only tokens are dropped.
    """
    if reference:
        pairs = [(p.word, p.flag) for p in _reference_pos().cut(text)]
    else:
        pairs = _fast().tag(text)
    return [(w, t) for w, t in pairs if not w.isspace()]


def _spans(tokens: list[str]) -> set[tuple[int, int]]:
    """Return the character spans of consecutive ``tokens``."""
    spans, start = set(), 0
    for tok in tokens:
        spans.add((start, start + len(tok)))
        start += len(tok)
    return spans


def agreement(a_tokens: list[str], b_tokens: list[str]) -> float:
    """Return the token agreement of two segmentations of the same text.

    Agreement is the F1 score of identical word spans: twice the number of
    spans (start, end) that both segmentations produce, divided by the total
    number of tokens. Identical segmentations score 1.0.

    Args:
        a_tokens: One segmentation.
        b_tokens: Another segmentation of the same text.

    Returns:
        A number in [0, 1]; 1.0 when both are empty.
    """
    if not a_tokens and not b_tokens:
        return 1.0
    common = len(_spans(a_tokens) & _spans(b_tokens))
    return 2 * common / (len(a_tokens) + len(b_tokens))


# --------------------------------------------------------------------------
# Content words
# --------------------------------------------------------------------------
@functools.cache
def stopwords() -> frozenset[str]:
    """Return the stopwords: the ``stopwordsiso`` Chinese list plus the domain list.

    Returns:
        Words never used as topic features (see ``resources/segment_stopwords.txt``).
    """
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh")) | frozenset(
        resources.read_lines(STOPWORDS)
    )


@functools.cache
def _domain_set() -> frozenset[str]:
    return frozenset(domain_terms())


@functools.cache
def place_words() -> frozenset[str]:
    """Return the words that name a place and nothing else.

    Returns:
        Gazetteer names that are full forms (ending in an administrative
        suffix), or that the base dictionary lacks or tags as a place name
        (``ns``). Short forms that are also everyday words (资源, 合作, 公安)
        are not included.
    """
    import rjieba

    base = rjieba.Jieba()
    out = set()
    for name in gazetteer_names():
        if name.endswith(
            ("省", "市", "区", "县", "旗", "州", "盟")
        ) or not base.has_word(name):
            out.add(name)
            continue
        pairs = base.tag(name)
        if len(pairs) == 1 and pairs[0][1] == PLACE_TAG:
            out.add(name)
    return frozenset(out)


def is_content(token: str) -> bool:
    """Return whether ``token`` can be a topic feature.

    A content word has at least two characters, at least one Chinese
    character, no Latin letters or digits (unless it is a domain term such as
    12345热线), is not a numeral word (三个, 第一, 一季度) and is not a
    stopword.

    Args:
        token: One token.

    Returns:
        ``True`` for a content word.
    """
    if len(token) < 2 or token in stopwords():
        return False
    if token in _domain_set():
        return True
    if not _CJK.search(token) or _ASCII_ALNUM.search(token):
        return False
    return not _NUMERAL_WORD.match(token)


def _keep_pos(flag: str) -> bool:
    return flag.startswith(CONTENT_POS_PREFIXES) and not flag.startswith(
        DROPPED_POS_PREFIXES
    )


def content_tokens(
    text: str, *, pos_filter: bool = False, drop_places: bool = False
) -> list[str]:
    """Return the content words of ``text``: the features of topic models.

    Args:
        text: Clean text.
        pos_filter: Also keep only nouns, verbs, adjectives, idioms and
            abbreviations, dropping person names (part-of-speech tags from the
            fast engine; :data:`CONTENT_POS_PREFIXES`).
        drop_places: Also drop place names (:func:`place_words`), which
            identify the city rather than what is said about it.

    Returns:
        Content words in text order (:func:`is_content`).
    """
    words = [w for w, t in tag(text) if _keep_pos(t)] if pos_filter else tokenize(text)
    places = place_words() if drop_places else frozenset()
    return [w for w in words if is_content(w) and w not in places]


# --------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------
def _is_heading(line: str) -> bool:
    """Return whether a line looks like a heading (short, no sentence end).

    Closing quotes and brackets are looked through: ``“一放心两满意”`` is a
    heading, ``……落到实处。”`` is not.
    """
    return len(line) <= HEADING_MAX_CHARS and not line.rstrip(_CLOSERS).endswith(
        _SENTENCE_END
    )


def paragraphs(text: str) -> list[str]:
    """Split article text into body paragraphs.

    Every line break ends a paragraph (scraped pages and the corpora separate
    paragraphs by blank lines or by single line breaks). A short line without
    sentence-final punctuation (at most :data:`HEADING_MAX_CHARS` characters)
    is a heading: it is joined, with a space, to the paragraph that follows,
    because a subheading announces what that paragraph is about and would be
    a useless unit on its own. Consecutive headings join the same paragraph;
    a heading with nothing after it stays a paragraph of its own.

    Args:
        text: Clean article text.

    Returns:
        Paragraphs with surrounding whitespace (including full-width spaces)
        stripped; empty lines are dropped.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [ln.strip(" \t\u3000\u00a0") for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    out: list[str] = []
    pending: list[str] = []
    for line in lines:
        if _is_heading(line):
            pending.append(line)
            continue
        out.append(" ".join([*pending, line]))
        pending = []
    if pending:
        out.append(" ".join(pending))
    return out


# --------------------------------------------------------------------------
# Per-document rows (mapped by pipeline.run_segmentation on any engine)
# --------------------------------------------------------------------------
def paragraph_rows(doc: dict[str, str]) -> list[dict[str, Any]]:
    """Split one article into paragraph rows with their content tokens.

    A pure function of one document, so it runs on any engine.

    Args:
        doc: A mapping with ``doc_id``, ``city`` and ``text``.

    Returns:
        One row per paragraph: ``doc_id``, ``para_id`` (0-based, in text
        order), ``city``, ``text`` and ``tokens`` (the paragraph's content
        words with the part-of-speech filter, space-joined; place names are
        kept, topic models drop them) and ``flags`` (``procedural`` or
        ``heading`` from :func:`citytext.procedural.paragraph_flags`; such
        paragraphs are left out of topic fitting).
    """
    rows = []
    for i, para in enumerate(paragraphs(doc.get("text", ""))):
        toks = content_tokens(para, pos_filter=True)
        rows.append(
            {
                "doc_id": doc["doc_id"],
                "para_id": i,
                "city": doc.get("city", ""),
                "text": para,
                "tokens": " ".join(toks),
                "flags": procedural.join_flags(procedural.paragraph_flags(para)),
            }
        )
    return rows


def dictionary_info() -> dict[str, Any]:
    """Return facts about the dictionary for ``run.json``.

    Returns:
        Counts of domain and gazetteer words and the number of stopwords.
    """
    entries = dictionary()
    return {
        "domain_words": sum(e.source == "domain" for e in entries),
        "gazetteer_words": sum(e.source == "gazetteer" for e in entries),
        "stopwords": len(stopwords()),
    }
