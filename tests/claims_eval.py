"""Score claim type and period year against ``fixtures/claims_gold.jsonl``.

Each annotated paragraph of a local report is measured inside its report (the
stored text up to that paragraph, ``fixtures/claims/claims_reports.jsonl.gz``),
so section headings count; a news paragraph is measured on its own. Gold
quantities are matched to extracted ones by span, the n-th occurrence of a span
in the paragraph to the n-th extracted; unmatched gold quantities count as
missed, not as wrong.
"""

from __future__ import annotations

import collections
import gzip
import json
from pathlib import Path

from citytext import metrics

FIXTURES = Path(__file__).parent / "fixtures"


def gold(split: str | None = None) -> list[dict]:
    """The annotated paragraphs, optionally of one split (dev or heldout)."""
    with (FIXTURES / "claims_gold.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def reports() -> dict[str, dict]:
    """The stored report texts by doc_id."""
    path = FIXTURES / "claims" / "claims_reports.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return {d["doc_id"]: d for d in map(json.loads, fh) if d}


def _paragraph_rows(para: dict, docs: dict[str, dict]) -> list[dict]:
    """Extracted rows of one annotated paragraph, in text order."""
    if para["doc_id"] not in docs:
        return metrics.extract(para["text"], year=para["year"]).to_dict("records")
    text = docs[para["doc_id"]]["text"]
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[: para["line"]])
    end = start + len(lines[para["line"]])
    df = metrics.extract(text, year=para["year"])
    spans = metrics.sentence_spans(text)
    at = [spans[s][0] + a for s, a in zip(df["sentence_id"], df["start"], strict=True)]
    return [
        r for r, a in zip(df.to_dict("records"), at, strict=True) if start <= a < end
    ]


def _year(v: object) -> int | None:
    return None if v is None or v != v or v is __import__("pandas").NA else int(v)


def evaluate(split: str | None = None) -> dict:
    """Accuracy of claim_type and period_year on the matched quantities."""
    docs = reports()
    n = matched = ok_type = ok_year = 0
    wrong: list[tuple] = []
    confusion: collections.Counter[tuple[str, str]] = collections.Counter()
    for para in gold(split):
        rows = _paragraph_rows(para, docs)
        pool = collections.defaultdict(list)
        for r in rows:
            pool[metrics.normalize(r["raw"])].append(r)
        for q in para["quantities"]:
            n += 1
            candidates = pool.get(metrics.normalize(q["raw"]))
            if not candidates:
                continue
            r = candidates.pop(0)
            matched += 1
            year = _year(r["period_year"])
            confusion[(q["claim_type"], r["claim_type"])] += 1
            ok_type += r["claim_type"] == q["claim_type"]
            ok_year += year == q["period_year"]
            if r["claim_type"] != q["claim_type"] or year != q["period_year"]:
                wrong.append((para["para_id"], q["raw"], q["claim_type"],
                               r["claim_type"], q["period_year"], year))  # fmt: skip
    return {
        "quantities": n,
        "matched": matched,
        "claim_type": round(ok_type / matched, 4) if matched else 0.0,
        "period_year": round(ok_year / matched, 4) if matched else 0.0,
        "confusion": dict(confusion),
        "wrong": wrong,
    }
