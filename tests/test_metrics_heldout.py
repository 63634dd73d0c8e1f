"""Held-out evaluation of the metric grammar on text it was not written on.

``fixtures/metrics/heldout_paragraphs.jsonl`` holds 50 paragraphs of the bundled
government work reports (40 local reports of 2022-2023 from 15 places, 10
national reports from 1956 to 2023), drawn with a fixed seed by
``fixtures/metrics/sample_heldout.py``; the paragraph text is stored, so the
test needs nothing outside the project. ``heldout_gold.csv`` lists every
quantity a careful reader extracts from them under the conventions of
:mod:`citytext.metrics`, annotated by reading the paragraphs.

Scores: precision and recall on (paragraph, raw span) as a multiset, and on
the matched spans the agreement of value, unit_std, qualifier and is_change.
"""

from __future__ import annotations

import collections
import csv
import json
import math
from pathlib import Path

import pytest

from citytext import metrics

FIXTURES = Path(__file__).parent / "fixtures" / "metrics"

#: Floors: the figures reached on this set (precision, recall and every field
#: agreement 1.00) minus a margin that allows one or two differences.
MIN_PRECISION = 0.97
MIN_RECALL = 0.97
MIN_FIELD_AGREEMENT = 0.97


def paragraphs() -> dict[str, dict]:
    """The held-out paragraphs by para_id."""
    with (FIXTURES / "heldout_paragraphs.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return {r["para_id"]: r for r in rows}


def gold() -> list[dict[str, str]]:
    """The annotated quantities (para_id, raw, value, unit_std, qualifier ...)."""
    with (FIXTURES / "heldout_gold.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def evaluate() -> dict:
    """Score :func:`citytext.metrics.extract` against the held-out gold."""
    key = metrics.normalize
    gold_rows = gold()
    tp = fp = fn = 0
    misses, extras = [], []
    fields = collections.Counter()
    wrong = []
    for pid, para in paragraphs().items():
        df = metrics.extract(para["text"])
        want = [g for g in gold_rows if g["para_id"] == pid]
        pred_keys = collections.Counter(key(r) for r in df["raw"])
        want_keys = collections.Counter(key(g["raw"]) for g in want)
        tp += sum((pred_keys & want_keys).values())
        fp += sum((pred_keys - want_keys).values())
        fn += sum((want_keys - pred_keys).values())
        misses += [(pid, k) for k in (want_keys - pred_keys).elements()]
        extras += [(pid, k) for k in (pred_keys - want_keys).elements()]
        # attributes: the n-th gold occurrence of a span against the n-th extracted
        df = df.assign(key=df["raw"].map(key))
        seen: collections.Counter[str] = collections.Counter()
        for g in want:
            k = key(g["raw"])
            rows = df[df["key"] == k]
            if len(rows) <= seen[k]:
                continue
            row = rows.iloc[seen[k]]
            seen[k] += 1
            checks = {
                "value": math.isclose(row.value, float(g["value"]), rel_tol=1e-9),
                "unit_std": row.unit_std == g["unit_std"],
                "qualifier": row.qualifier == g["qualifier"],
                "is_change": bool(row.is_change) == (g["is_change"] == "True"),
            }
            fields["matched"] += 1
            for name, ok in checks.items():
                fields[name] += ok
            if not all(checks.values()):
                wrong.append(
                    (pid, g["raw"], sorted(n for n, ok in checks.items() if not ok))
                )
    matched = fields["matched"] or 1
    return {
        "paragraphs": len(paragraphs()),
        "gold": len(gold_rows),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "agreement": {
            name: round(fields[name] / matched, 4)
            for name in ("value", "unit_std", "qualifier", "is_change")
        },
        "all_fields": round(1 - len(wrong) / matched, 4),
        "misses": misses,
        "extras": extras,
        "wrong_fields": wrong,
    }


@pytest.fixture(scope="module")
def result() -> dict:
    return evaluate()


def test_heldout_fixture_is_consistent():
    paras = paragraphs()
    assert len(paras) >= 50
    assert len({p["doc_id"] for p in paras.values()}) >= 25
    for g in gold():
        assert g["para_id"] in paras, g
        assert metrics.normalize(g["raw"]) in metrics.normalize(
            paras[g["para_id"]]["text"]
        ), g
        assert g["qualifier"] in ("", *metrics.QUALIFIERS), g
        assert g["is_change"] in ("True", "False"), g
        float(g["value"])


def test_heldout_precision_recall(result):
    print(
        json.dumps(
            {
                k: result[k]
                for k in result
                if k not in ("misses", "extras", "wrong_fields")
            },
            ensure_ascii=False,
        )
    )
    print("misses:", result["misses"])
    print("extras:", result["extras"])
    assert result["precision"] >= MIN_PRECISION, result["extras"]
    assert result["recall"] >= MIN_RECALL, result["misses"]


def test_heldout_field_agreement(result):
    print(json.dumps(result["agreement"], ensure_ascii=False), result["wrong_fields"])
    for name, share in result["agreement"].items():
        assert share >= MIN_FIELD_AGREEMENT, (name, result["wrong_fields"])
