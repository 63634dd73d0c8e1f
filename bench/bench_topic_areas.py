"""Topics on the 546 local work reports: policy areas matched, shares, stage time.

The local reports are cleaned (read and cleaned like any input, as
``citytext run --corpus`` does), segmented, and topic-modelled with the
defaults (NMF, ``k="auto"``). Figures:

* ``topic_areas_matched``: areas of ``tests/fixtures/policy_areas.yaml``
  matched by a topic whose top 10 terms hold at least ``min_terms`` of the
  area's terms, as a share of the areas listed;
* ``topic_max_share``: the largest topic's share of paragraphs, against the
  20 % cap;
* ``topic_stage_seconds``: wall-clock and CPU seconds of the topic stage,
  against the 60 s budget (the load average is printed: the machine may be
  shared).

``python -m bench.bench_topic_areas [--run-dir DIR]`` prints the same lines
for an existing run directory (topics.csv and stages/topics.json) without
fitting anything.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from citytext import pipeline, runfiles, topics

from . import Figure, Skip
from . import corpus as corpora
from .settings import Settings

AREAS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "policy_areas.yaml"
BUDGET_SECONDS = 60.0
FIGURES = ("topic_areas_matched", "topic_max_share", "topic_stage_seconds")


def load_areas() -> dict[str, Any]:
    """Return the policy-area list (areas, min_terms, procedural_terms)."""
    return yaml.safe_load(AREAS.read_text(encoding="utf-8"))


def evaluate(topic_rows: Any) -> dict[str, Any]:
    """Match topics.csv rows against the policy areas.

    Args:
        topic_rows: topics.csv as a DataFrame.

    Returns:
        matched (table), n_matched, n_areas, procedural (topic ids whose top
        10 terms hold at least ``min_terms`` procedural words), max_share, k.
    """
    spec = load_areas()
    terms = [str(t).split() for t in topic_rows["top_terms"]]
    areas = {name: a["terms"] for name, a in spec["areas"].items()}
    table = topics.match_areas(terms, areas, min_terms=spec["min_terms"])
    proc = set(spec["procedural_terms"])
    procedural = [
        int(t)
        for t, words in zip(topic_rows["topic_id"], terms, strict=True)
        if len(proc & set(words[: topics.N_TOP])) >= spec["min_terms"]
    ]
    return {
        "matched": table,
        "n_matched": int(table["matched"].sum()),
        "n_areas": len(table),
        "procedural": procedural,
        "max_share": float(topic_rows["share"].astype(float).max()),
        "k": len(topic_rows),
    }


def fit_corpus(out_dir: Path) -> dict[str, Any]:
    """Clean, segment and topic-model the local reports in ``out_dir``; time topics."""
    pipeline.run_cleaning(corpora.require_shared().parent, out_dir)
    pipeline.run_segmentation(out_dir)
    wall, cpu = time.perf_counter(), time.process_time()
    pipeline.run_topics(out_dir)
    return {
        "run_dir": out_dir,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
    }


def figures(run_dir: Path, wall: float, cpu: float | None) -> Iterator[Figure]:
    """Yield the three figures for a run directory holding topics.csv."""
    ev = evaluate(runfiles.read_csv(run_dir, runfiles.TOPICS))
    missing = ev["matched"].loc[~ev["matched"]["matched"], "area"].tolist()
    yield Figure(
        "topic_areas_matched",
        ev["n_matched"] / ev["n_areas"],
        f"{ev['n_areas']} policy areas listed",
        f"{ev['n_matched']} of {ev['n_areas']} matched at k={ev['k']}; "
        f"procedural topics: {ev['procedural'] or 'none'}; "
        f"unmatched: {', '.join(missing) or 'none'}",
        ">= 12 areas",
        {"n_matched": ev["n_matched"], "k": ev["k"], "unmatched": missing},
    )
    yield Figure(
        "topic_max_share",
        ev["max_share"] / topics.MAX_SHARE,
        f"the {topics.MAX_SHARE:.0%} cap",
        f"largest topic holds {ev['max_share']:.1%} of paragraphs",
        "<= 1",
        {"max_share": ev["max_share"]},
    )
    load = os.getloadavg()[0]
    cpu_text = "CPU not measured" if cpu is None else f"CPU {cpu:.1f} s"
    yield Figure(
        "topic_stage_seconds",
        wall / BUDGET_SECONDS,
        f"{BUDGET_SECONDS:.0f} s budget",
        f"wall {wall:.1f} s, {cpu_text}, load average now {load:.1f} "
        f"on {os.cpu_count()} cores",
        "<= 1",
        {"wall": round(wall, 2), "cpu": cpu, "load": load},
    )


def run(settings: Settings) -> Iterator[Figure]:
    """Fit the local reports (full run only) and yield the figures."""
    del settings
    done = fit_corpus(corpora.OUT_DIR / "topic_areas")
    yield from figures(done["run_dir"], done["wall"], done["cpu"])


def main() -> None:
    """Print the figures for an existing run directory, or fit the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", type=Path, help="run directory with topics.csv")
    args = parser.parse_args()
    if args.run_dir is None:
        try:
            for fig in run(Settings.full_run()):
                print(fig.line())
        except Skip as exc:
            print(f"SKIP topic_areas: {exc}")
        return
    info = runfiles.read_stages(args.run_dir).get("topics", {})
    for fig in figures(args.run_dir, float(info.get("seconds", 0.0)), None):
        print(fig.line())
    ev = evaluate(runfiles.read_csv(args.run_dir, runfiles.TOPICS))
    print(ev["matched"].to_string(index=False))


if __name__ == "__main__":
    main()
