"""Candidate domain terms: frequent phrases the tokenizer cuts apart.

What belongs here: finding, in a corpus, the policy and campaign terms that
``resources/segment_userdict.txt`` lacks, so that a person can review them
and add the real ones. Nothing here changes the dictionary by itself.

Two signals, both computed on token sequences from :func:`segment.tokenize`:

* quoted spans: government prose quotes its slogans and programmes
  (“放管服”, “一网通办”, “专精特新”); a quoted span of
  :data:`MIN_CHARS`–:data:`MAX_CHARS` Chinese characters that the tokenizer
  splits is a candidate;
* cohesive n-grams: runs of 2–4 Chinese tokens (3–8 characters) that occur
  in many documents and whose parts seldom occur apart (the n-gram's count
  over the smallest count of its tokens, :data:`MIN_COHESION`), with varied
  neighbours on both sides (at least :data:`MIN_NEIGHBOURS` distinct tokens
  left and right), so that a fragment of a longer phrase is not proposed.

A candidate must occur in at least ``min_docs`` documents: a term shared by
many places is a national or provincial programme, not one city's phrasing.
``citytext terms CORPUS_DIR`` prints the table for a corpus directory.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import pandas as pd

from citytext import segment
from citytext.text import CJK_UNIFIED

MIN_CHARS = 3
MAX_CHARS = 8
MAX_TOKENS = 4
MIN_COHESION = 0.3
MIN_NEIGHBOURS = 5

_QUOTED = re.compile(rf"[“\"「]([{CJK_UNIFIED}]{{3,8}})[”\"」]")
_CJK_WORD = re.compile(rf"^[{CJK_UNIFIED}]+$")


def quoted_spans(text: str) -> list[str]:
    """Return the quoted runs of Chinese characters in ``text`` (3–8 characters)."""
    return _QUOTED.findall(text)


def _ngrams(tokens: list[str]) -> Iterator[tuple[int, int]]:
    """Yield (start, end) token spans of 2–4 Chinese tokens, 3–8 characters."""
    for i in range(len(tokens)):
        if not _CJK_WORD.match(tokens[i]):
            continue
        length = len(tokens[i])
        for j in range(i + 1, min(i + MAX_TOKENS, len(tokens))):
            if not _CJK_WORD.match(tokens[j]):
                break
            length += len(tokens[j])
            if length > MAX_CHARS:
                break
            if length >= MIN_CHARS:
                yield i, j + 1


class _Counts:
    """Token, n-gram, neighbour and document counts over a corpus."""

    def __init__(self) -> None:
        self.tokens: Counter = Counter()
        self.grams: Counter = Counter()
        self.docs: dict[str, set[str]] = defaultdict(set)
        self.left: dict[str, set[str]] = defaultdict(set)
        self.right: dict[str, set[str]] = defaultdict(set)
        self.parts: dict[str, tuple[str, ...]] = {}
        self.quoted: Counter = Counter()

    def add(self, doc_id: str, text: str) -> None:
        toks = segment.tokenize(text)
        self.tokens.update(toks)
        for span in quoted_spans(text):
            if span not in segment.tokenize(span):
                self.quoted[span] += 1
                self.docs[span].add(doc_id)
        for i, j in _ngrams(toks):
            gram = "".join(toks[i:j])
            self.grams[gram] += 1
            self.docs[gram].add(doc_id)
            self.parts.setdefault(gram, tuple(toks[i:j]))
            self.left[gram].add(toks[i - 1] if i > 0 else "")
            self.right[gram].add(toks[j] if j < len(toks) else "")


def candidates(
    docs: Iterable[tuple[str, str]], *, min_docs: int = 20, top: int = 300
) -> pd.DataFrame:
    """Return candidate terms with their evidence, most widespread first.

    Args:
        docs: ``(doc_id, text)`` pairs.
        min_docs: Documents a candidate must occur in.
        top: Rows returned at most.

    Returns:
        Columns term, source (``quoted`` or ``ngram``), n_docs, count,
        cohesion (n-gram count over the smallest count of its tokens; 1.0
        for quoted spans), split (the tokenizer's cut, space-joined); terms
        already in the dictionary are left out.
    """
    c = _Counts()
    for doc_id, text in docs:
        c.add(doc_id, text)
    known = set(segment.domain_terms())
    rows = []
    for term, n in c.quoted.items():
        if len(c.docs[term]) >= min_docs and term not in known:
            rows.append((term, "quoted", len(c.docs[term]), n, 1.0))
    quoted = {r[0] for r in rows}
    for gram, n in c.grams.items():
        if gram in quoted or gram in known or len(c.docs[gram]) < min_docs:
            continue
        cohesion = n / min(c.tokens[p] for p in c.parts[gram])
        varied = min(len(c.left[gram]), len(c.right[gram])) >= MIN_NEIGHBOURS
        if cohesion >= MIN_COHESION and varied:
            rows.append((gram, "ngram", len(c.docs[gram]), n, round(cohesion, 3)))
    out = pd.DataFrame(rows, columns=["term", "source", "n_docs", "count", "cohesion"])
    out["split"] = [" ".join(segment.tokenize(t)) for t in out["term"]]
    out = out.sort_values(["n_docs", "count", "term"], ascending=[False, False, True])
    return out.head(top).reset_index(drop=True)
