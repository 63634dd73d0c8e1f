"""Run the benchmarks: ``python -m bench [--quick] [--json FILE] [--only NAME]``.

Prints one line per figure (``name = ratio vs baseline [target] (details)``)
or ``SKIP name: reason`` when a benchmark's inputs or library modules are
missing, and writes every figure under its stable name to a JSON file.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from . import Skip, Skipped
from .corpus import OUT_DIR
from .settings import Settings

BENCHMARKS = (
    "segment",
    "clean",
    "pipeline",
    "scale",
    "topics",
    "campaigns",
    "topic_areas",
    "reports",
)


def _load(name: str) -> Any:
    """Import ``bench.bench_<name>``."""
    return importlib.import_module(f"bench.bench_{name}")


def _run_one(name: str, settings: Settings, results: dict[str, Any]) -> None:
    """Run one benchmark module, printing and recording its figures."""
    module = _load(name)
    t0 = time.perf_counter()
    produced: set[str] = set()
    reason = ""
    try:
        for figure in module.run(settings):
            produced.add(figure.name)
            if isinstance(figure, Skipped):
                print(f"SKIP {figure.name}: {figure.reason}", flush=True)
                results["skipped"][figure.name] = figure.reason
                continue
            print(figure.line(), flush=True)
            results["figures"][figure.name] = figure.as_json()
    except Skip as exc:
        reason = str(exc)
    except Exception as exc:  # a broken benchmark must not hide the others
        traceback.print_exc(file=sys.stderr)
        reason = f"failed: {type(exc).__name__}: {exc}".splitlines()[0]
    for missing in module.FIGURES:
        if missing not in produced:
            reason = reason or "not measured"
            print(f"SKIP {missing}: {reason}", flush=True)
            results["skipped"][missing] = reason
    results["seconds"][name] = round(time.perf_counter() - t0, 1)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmarks and write the JSON file.

    Args:
        argv: Command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        Exit status 0.
    """
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="smaller inputs (< 5 min on 2 cores)"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=OUT_DIR / "bench.json",
        help="where to write the figures (default: bench/out/bench.json)",
    )
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, help="run only these"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = Settings.quick_run() if args.quick else Settings.full_run()
    results: dict[str, Any] = {
        "quick": args.quick,
        "settings": settings.as_json(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "figures": {},
        "skipped": {},
        "seconds": {},
    }
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        print(f"note: load average {load:.1f} at start; other work skews timings")
    t0 = time.perf_counter()
    for name in args.only or BENCHMARKS:
        _run_one(name, settings, results)
    results["seconds"]["total"] = round(time.perf_counter() - t0, 1)
    results["machine"]["load_average"] = {
        "start": round(load, 2),
        "end": round(os.getloadavg()[0], 2),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    print(f"wrote {args.json} ({results['seconds']['total']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
