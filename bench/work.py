"""The per-document work that the engine benchmarks map over a corpus.

Module-level and pure, so Dask workers can run it. It returns counts, not
token lists: results cross process boundaries on the Dask engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any


def documents(corpus: Path) -> Iterator[Any]:
    """Stream the corpus's documents through ``ingest`` (quarantined ones left out)."""
    from citytext import ingest

    for item in ingest.iter_inputs(corpus):
        if isinstance(item, ingest.Document):
            yield item


def process_document(doc: Any) -> tuple[str, int, int, int, int]:
    """Clean, segment and extract metrics from one ingested document.

    Args:
        doc: A :class:`citytext.ingest.Document`.

    Returns:
        ``(doc_id, clean chars, paragraphs, content tokens, metrics)``.
    """
    from citytext import clean, metrics, segment

    cleaned = clean.clean_document(doc.text, source_file=doc.source_file, meta=doc.meta)
    rows = segment.paragraph_rows(
        {"doc_id": doc.doc_id, "city": cleaned.city or "", "text": cleaned.text}
    )
    n_tokens = sum(len(r["tokens"].split()) for r in rows)
    n_metrics = len(metrics.extract(cleaned.text))
    return doc.doc_id, len(cleaned.text), len(rows), n_tokens, n_metrics


def warm_up() -> bool:
    """Load the dictionaries and patterns of this process (on every worker)."""
    from citytext import ingest

    text = "鸡西市深化能力作风建设，全年投资增长5%。"
    process_document(ingest.Document("warmup", "warmup.txt", text))
    return True
