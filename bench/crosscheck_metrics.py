"""Cross-check money amounts from ``citytext.metrics`` against JioNLP.

JioNLP's ``parse_money`` is an independent, widely used parser of Chinese money
strings. For every quantity that ``metrics.extract`` reports in 元 (unit_std),
the exact span (``5000余万元``, ``109.6亿元``) is handed to ``parse_money`` and the
two values are compared: ours is the lower bound of a hedged or ranged amount,
so it is compared with JioNLP's lower bound when JioNLP returns a range.

Usage: ``python -m bench.crosscheck_metrics [--limit N]``. Texts are the bundled
seeds plus up to ``N`` local government work reports when that corpus is
present. JioNLP is optional and not a dependency of citytext: without it the
script prints a SKIP line and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import sys
from collections.abc import Iterator
from typing import Any


def _import_jionlp() -> Any | None:
    """Import jionlp quietly (it prints a banner); None when not installed."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import jionlp
    except ImportError:
        return None
    return jionlp


def _texts(limit: int) -> Iterator[tuple[str, str]]:
    from citytext import config

    for path in sorted(config.SEEDS_DIR.glob("*.txt")):
        yield path.stem, path.read_text(encoding="utf-8")
    reports = config.LOCAL_REPORTS_DIR / "docs.jsonl"
    if limit and reports.is_file():
        with reports.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= limit:
                    break
                doc = json.loads(line)
                yield str(doc["doc_id"]), str(doc["text"])


def _jionlp_low(jionlp: Any, span: str) -> float | None:
    """JioNLP's value (its lower bound for a range), None when it refuses."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            parsed = jionlp.parse_money(span)
    except Exception:  # noqa: BLE001 - jionlp raises bare ValueErrors and others
        return None
    num = parsed.get("num")
    if isinstance(num, list):
        num = num[0]
    try:
        return float(num)
    except (TypeError, ValueError):
        return None


def crosscheck(jionlp: Any, limit: int) -> dict[str, Any]:
    """Compare every money amount; return counts and the disagreements."""
    from citytext import metrics

    agree, disagree, refused = 0, [], []
    for doc_id, text in _texts(limit):
        df = metrics.extract(text)
        for row in df[df["unit_std"] == "元"].itertuples():
            span = metrics.normalize(row.raw)
            theirs = _jionlp_low(jionlp, span)
            if theirs is None:
                refused.append((doc_id, row.raw))
            elif math.isclose(theirs, row.value, rel_tol=1e-9, abs_tol=0.01):
                agree += 1
            else:
                disagree.append((doc_id, row.raw, row.value, theirs))
    compared = agree + len(disagree)
    return {
        "money_amounts": compared + len(refused),
        "compared": compared,
        "agree": agree,
        "agreement": agree / compared if compared else float("nan"),
        "jionlp_refused": refused,
        "disagreements": disagree,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--limit",
        type=int,
        default=100,
        help="local government reports to include (0 = seeds only)",
    )
    args = parser.parse_args(argv)
    jionlp = _import_jionlp()
    if jionlp is None:
        print(
            "SKIP crosscheck_metrics: jionlp is not installed; it is optional "
            "(only this cross-check uses it)."
        )
        return 0
    result = crosscheck(jionlp, args.limit)
    print(
        f"crosscheck_metrics: money agreement = {result['agreement']:.4f} "
        f"vs jionlp.parse_money ({result['agree']}/{result['compared']} amounts "
        f"agree; {len(result['jionlp_refused'])} spans jionlp refused)"
    )
    for doc_id, raw, ours, theirs in result["disagreements"][:10]:
        print(f"  differ: {doc_id} {raw}: citytext {ours:g} vs jionlp {theirs:g}")
    for doc_id, raw in result["jionlp_refused"][:10]:
        print(f"  refused by jionlp: {doc_id} {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
