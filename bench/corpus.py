"""Scale corpora for the benchmarks, built from the real corpora in ../shared.

The base material is the 546 local government work reports (9.5 M characters)
in ``config.LOCAL_REPORTS_DIR``. A corpus of ``n`` characters takes the real
reports first, in a fixed shuffled order; when it must be larger it adds
replicas. A replica keeps a real report's metadata and its first two
paragraphs (the header), and fills the body with paragraphs drawn from the whole
corpus, each with its sentences reordered and its numbers varied. Replicas are
therefore new documents for near-duplicate detection and boilerplate counting,
while the text stays real report prose.

Corpora are written as JSON Lines shards under ``bench/out/corpora/`` and
reused while their manifest matches; they are never committed.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from citytext import config

from . import Skip

OUT_DIR = Path(__file__).resolve().parent / "out"
CORPORA_DIR = OUT_DIR / "corpora"
SHARD_DOCS = 200
BUILDER_VERSION = 1

_NUMBER = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


def require_shared() -> Path:
    """Return the local-reports corpus file, or skip when ../shared is absent.

    Returns:
        Path of ``docs.jsonl``.

    Raises:
        Skip: If the shared corpora are not on this machine.
    """
    path = config.LOCAL_REPORTS_DIR / "docs.jsonl"
    if not path.is_file():
        raise Skip(f"{path} is absent (the shared corpora sit beside the project)")
    return path


def load_records() -> list[dict[str, Any]]:
    """Read the real local reports, in file order."""
    with require_shared().open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def real_text(n_chars: int) -> str:
    """Return about ``n_chars`` of real report text (whole reports, file order).

    Args:
        n_chars: Characters wanted; capped at the corpus size (9.5 M).

    Returns:
        Reports joined by blank lines.
    """
    parts, total = [], 0
    for record in load_records():
        if total >= n_chars:
            break
        parts.append(record["text"])
        total += len(record["text"])
    return "\n\n".join(parts)


def _vary_number(rng: random.Random, match: re.Match[str]) -> str:
    digits = match.group()
    if len(digits) == 4 and digits[:2] in {"19", "20"}:
        return digits  # a year
    last = str(rng.randrange(10))
    return digits[:-1] + last if len(digits) > 1 else last


def perturb(paragraph: str, rng: random.Random) -> str:
    """Reorder a paragraph's sentences and vary its numbers."""
    sentences = [s for s in _SENTENCE_END.split(paragraph) if s]
    rng.shuffle(sentences)
    return _NUMBER.sub(lambda m: _vary_number(rng, m), "".join(sentences))


def _replicas(records: list[dict[str, Any]], rng: random.Random) -> Iterator[dict]:
    """Yield replica documents forever, round after round over ``records``."""
    pool = [p for r in records for p in r["text"].split("\n\n")[2:] if p.strip()]
    for round_no in itertools.count(1):
        for record in records:
            paragraphs = record["text"].split("\n\n")
            body = [perturb(p, rng) for p in rng.sample(pool, len(paragraphs[2:]))]
            yield {
                **record,
                "doc_id": f"{record['doc_id']}-r{round_no}",
                "text": "\n\n".join(paragraphs[:2] + body),
            }


def iter_documents(n_chars: int, *, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Yield documents until at least ``n_chars`` characters of text.

    Args:
        n_chars: Size of the corpus in characters.
        seed: Seed of the order and the perturbations.

    Yields:
        Records with the fields of the shared corpus.
    """
    rng = random.Random(seed)
    records = load_records()
    rng.shuffle(records)
    stream = itertools.chain(records, _replicas(records, rng))
    total = 0
    for record in stream:
        if total >= n_chars:
            return
        total += len(record["text"])
        yield record


def build(n_chars: int, *, seed: int = 0, root: Path = CORPORA_DIR) -> Path:
    """Write (or reuse) a corpus of ``n_chars`` characters as JSON Lines shards.

    Args:
        n_chars: Size in characters.
        seed: Seed of the order and the perturbations.
        root: Parent directory of the corpora.

    Returns:
        The corpus directory (shards ``part-NNNNN.jsonl`` and ``manifest.json``).
    """
    wanted = {"n_chars_wanted": n_chars, "seed": seed, "version": BUILDER_VERSION}
    out = root / f"c{n_chars}-s{seed}"
    manifest = out / "manifest.json"
    if manifest.is_file():
        facts = json.loads(manifest.read_text("utf-8"))
        if {k: facts.get(k) for k in wanted} == wanted:
            return out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.jsonl"):
        old.unlink()
    n_docs = total = 0
    fh = None
    try:
        for record in iter_documents(n_chars, seed=seed):
            if n_docs % SHARD_DOCS == 0:
                if fh:
                    fh.close()
                fh = (out / f"part-{n_docs // SHARD_DOCS:05d}.jsonl").open(
                    "w", encoding="utf-8"
                )
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n_docs += 1
            total += len(record["text"])
    finally:
        if fh:
            fh.close()
    facts = {**wanted, "n_docs": n_docs, "n_chars": total}
    manifest.write_text(json.dumps(facts, indent=2), "utf-8")
    return out


def facts(corpus: Path) -> dict[str, Any]:
    """Return a built corpus's manifest."""
    return json.loads((corpus / "manifest.json").read_text("utf-8"))


def read_documents(corpus: Path) -> Iterator[dict[str, Any]]:
    """Stream the records of a built corpus, shard by shard."""
    for shard in sorted(corpus.glob("part-*.jsonl")):
        with shard.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)
