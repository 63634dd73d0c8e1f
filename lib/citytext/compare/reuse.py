"""Text reuse between places: shingling and MinHash LSH.

What belongs here: finding passages that two places share, identical or
near-identical sentences merged into passages (:func:`text_reuse`, the rows of
text_reuse.csv). Work grows about linearly with the corpus: there is no
all-pairs comparison.
"""

from __future__ import annotations

import difflib
import logging
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from citytext import text as text_mod

logger = logging.getLogger(__name__)

_NORMALISE_RE = re.compile(r"[\s\W_]+", re.UNICODE)
_EDGE_PUNCT_RE = re.compile(r"^[\W_]+|[^\w。！？”」』）)]+$")


REUSE_COLUMNS = [
    "city_a", "city_b", "doc_id_a", "doc_id_b", "year_a", "year_b", "passage",
    "passage_chars", "similarity", "n_sentences", "start_a", "end_a", "start_b",
    "end_b",
]  # fmt: skip


@dataclass
class _Units:
    """Sentences that can carry reuse, grouped by their normalised text."""

    keys: list[str] = field(default_factory=list)  # normalised text per group
    occ: list[list[tuple[int, int]]] = field(default_factory=list)  # (doc, sentence)


def _normalise(sentence: str) -> str:
    return _NORMALISE_RE.sub("", sentence)


def _shingles(key: str, k: int) -> set[str]:
    if len(key) <= k:
        return {key}
    return {key[i : i + k] for i in range(len(key) - k + 1)}


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


def _collect_units(
    docs: list[tuple[str, str, str, str]],
    spans: list[list[tuple[int, int]]],
    min_chars: int,
) -> _Units:
    units = _Units()
    index: dict[str, int] = {}
    for d, (_doc_id, _place, _year, text) in enumerate(docs):
        for s, (start, end) in enumerate(spans[d]):
            key = _normalise(text[start:end])
            if len(key) < min_chars:
                continue
            if key not in index:
                index[key] = len(units.keys)
                units.keys.append(key)
                units.occ.append([])
            units.occ[index[key]].append((d, s))
    return units


def _near_pairs(
    units: _Units,
    active: list[int],
    *,
    k: int,
    threshold: float,
    num_perm: int,
    seed: int,
    max_candidates: int,
) -> list[tuple[int, int, float]]:
    """Verified near-duplicate pairs of unit groups found by MinHash LSH."""
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    shingles = {u: _shingles(units.keys[u], k) for u in active}
    sets = ([s.encode("utf-8") for s in sorted(shingles[u])] for u in active)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = {}
    for u, mh in zip(
        active,
        MinHash.generator(sets, num_perm=num_perm, seed=seed, hashfunc=_crc32),
        strict=True,
    ):
        hashes[u] = LeanMinHash(mh)
        lsh.insert(u, hashes[u], check_duplication=False)
    pairs = []
    for u in active:
        cands = [v for v in lsh.query(hashes[u]) if v > u]
        if len(cands) > max_candidates:
            continue
        for v in sorted(cands):
            inter = len(shingles[u] & shingles[v])
            jac = inter / len(shingles[u] | shingles[v])
            if jac >= threshold:
                pairs.append((u, v, jac))
    return pairs


def _common_block(a: str, b: str) -> str:
    match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match()
    return a[match.a : match.a + match.size]


def _occurrence_pairs(
    units: _Units,
    edges: list[tuple[int, int, float]],
    places: list[str],
    include_same: bool,
) -> list[tuple[int, int, int, int, float]]:
    """Expand group pairs to (doc a, sentence a, doc b, sentence b, jaccard)."""
    out = []
    for u, v, jac in edges:
        for da, sa in units.occ[u]:
            for db, sb in units.occ[v]:
                if da == db or (not include_same and places[da] == places[db]):
                    continue
                if (places[da], da) > (places[db], db):
                    out.append((db, sb, da, sa, jac))
                else:
                    out.append((da, sa, db, sb, jac))
    return sorted(set(out))


def _merge_runs(
    pairs: list[tuple[int, int, int, int, float]],
) -> list[list[tuple[int, int, int, int, float]]]:
    """Group sentence pairs into runs that continue in both documents."""
    runs: list[list[tuple[int, int, int, int, float]]] = []
    for pair in pairs:
        last = runs[-1][-1] if runs else None
        if (
            last
            and last[0] == pair[0]
            and last[2] == pair[2]
            and (pair[1] == last[1] + 1 and pair[3] == last[3] + 1)
        ):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    return runs


def _run_row(
    run: list[tuple[int, int, int, int, float]],
    docs: list[tuple[str, str, str, str]],
    spans: list[list[tuple[int, int]]],
) -> dict[str, Any]:
    da, db = run[0][0], run[0][2]
    text_a, text_b = docs[da][3], docs[db][3]
    start_a, end_a = spans[da][run[0][1]][0], spans[da][run[-1][1]][1]
    start_b, end_b = spans[db][run[0][3]][0], spans[db][run[-1][3]][1]
    if all(p[4] == 1.0 for p in run):
        passage = text_a[start_a:end_a]
    else:
        block = _common_block(text_a[start_a:end_a], text_b[start_b:end_b])
        passage = _EDGE_PUNCT_RE.sub("", block)
    return {
        "city_a": docs[da][1],
        "city_b": docs[db][1],
        "doc_id_a": docs[da][0],
        "doc_id_b": docs[db][0],
        "year_a": docs[da][2],
        "year_b": docs[db][2],
        "passage": passage,
        "passage_chars": len(passage),
        "similarity": round(float(np.mean([p[4] for p in run])), 4),
        "n_sentences": len(run),
        "start_a": start_a,
        "end_a": end_a,
        "start_b": start_b,
        "end_b": end_b,
    }


def _drop_formulaic(units: _Units, places: list[str], max_places: int) -> list[int]:
    """Indices of unit groups used by at most ``max_places`` places."""
    active = []
    for u, occ in enumerate(units.occ):
        if len({places[d] for d, _ in occ}) <= max_places:
            active.append(u)
    dropped = len(units.keys) - len(active)
    if dropped:
        logger.info(
            "text reuse: %d sentence(s) shared by more than %d places treated as "
            "formulaic and left out",
            dropped,
            max_places,
        )
    return active


def _drop_formulaic_edges(
    units: _Units,
    edges: list[tuple[int, int, float]],
    places: list[str],
    max_places: int,
) -> list[tuple[int, int, float]]:
    """Drop pairs whose near-duplicate neighbourhood spans too many places.

    A stock phrase may be worded slightly differently in each report, so no
    single wording passes ``max_places``; counted over a sentence group and
    all its near duplicates it does.
    """
    reach: dict[int, set[str]] = {}
    for u, v, _ in edges:
        for a, b in ((u, v), (v, u)):
            reach.setdefault(a, {places[d] for d, _ in units.occ[a]})
            reach[a].update(places[d] for d, _ in units.occ[b])
    wide = {u for u, seen in reach.items() if len(seen) > max_places}
    if wide:
        logger.info(
            "text reuse: %d sentence group(s) whose near duplicates span more than "
            "%d places treated as formulaic and left out",
            len(wide),
            max_places,
        )
    return [e for e in edges if e[0] not in wide and e[1] not in wide]


def text_reuse(
    articles: pd.DataFrame,
    *,
    shingle: int = 5,
    threshold: float = 0.6,
    num_perm: int = 64,
    min_sentence_chars: int = 20,
    min_passage_chars: int = 30,
    max_places: int = 5,
    max_candidates: int = 200,
    seed: int = 1,
    include_same_place: bool = False,
) -> pd.DataFrame:
    """Find passages shared between places.

    Sentences of at least ``min_sentence_chars`` characters (punctuation and
    spaces ignored) are shingled into character ``shingle``-grams. Identical
    sentences are grouped first; near-identical ones are found with MinHash LSH
    (datasketch, ``num_perm`` permutations, fixed ``seed``) and kept when their
    exact shingle Jaccard similarity is at least ``threshold``. Work grows about
    linearly with the corpus: there is no all-pairs comparison. Sentences
    shared by more than ``max_places`` places are formulaic (stock phrases of
    official speech) and left out, and so are groups whose LSH bucket holds more
    than ``max_candidates`` others. Matched sentences that follow each other in
    both documents are merged into one passage.

    Args:
        articles: The output of :func:`usable_articles`.
        shingle: Characters per shingle.
        threshold: Minimum Jaccard similarity of two sentences.
        num_perm: MinHash permutations.
        min_sentence_chars: Shorter sentences are ignored.
        min_passage_chars: Shorter passages are not reported.
        max_places: Sentences used by more places are formulaic.
        max_candidates: Cap on LSH candidates per sentence group.
        seed: MinHash seed.
        include_same_place: Also report reuse between documents of one place.

    Returns:
        text_reuse.csv rows (``REUSE_COLUMNS``): both places, both doc ids and
        years, the shared ``passage`` (from document a; for near-identical
        sentences the longest common block), ``passage_chars``, mean
        ``similarity``, ``n_sentences`` and character offsets in both texts.
        Sorted by places, documents and offset.
    """
    docs = [
        (r.doc_id, r.place, r.year, r.text)
        for r in articles.sort_values("doc_id").itertuples(index=False)
    ]
    spans = [text_mod.sentence_spans(d[3]) for d in docs]
    places = [d[1] for d in docs]
    units = _collect_units(docs, spans, min_sentence_chars)
    active = _drop_formulaic(units, places, max_places)
    edges = [(u, u, 1.0) for u in active if len(units.occ[u]) > 1]
    edges += _near_pairs(
        units,
        active,
        k=shingle,
        threshold=threshold,
        num_perm=num_perm,
        seed=seed,
        max_candidates=max_candidates,
    )
    edges = _drop_formulaic_edges(units, edges, places, max_places)
    pairs = _occurrence_pairs(units, edges, places, include_same_place)
    rows = [_run_row(run, docs, spans) for run in _merge_runs(pairs)]
    out = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    out = out[out["passage_chars"] >= min_passage_chars]
    keys = ["city_a", "city_b", "doc_id_a", "doc_id_b", "start_a", "start_b"]
    return out.sort_values(keys, kind="mergesort").reset_index(drop=True)
