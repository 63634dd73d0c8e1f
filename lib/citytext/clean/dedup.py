"""Corpus-level helpers: recurring edge lines and near-duplicate documents.

What belongs here: what needs several documents at once. Rules catch chrome
that looks like chrome; a site's own slogans recur at the edges of its pages
(:func:`corpus_boilerplate`, :class:`EdgeLineCounts`). The same story posted
on two sites is found by MinHash LSH (:func:`near_duplicates`,
:class:`NearDuplicateIndex`, both from ``datasketch``). Only counts and
signatures are kept while documents stream past, never the texts.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


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
    from datasketch import MinHash  # imports scipy: loaded only when used

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
