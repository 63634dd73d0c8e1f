"""Incremental re-runs: take unchanged notebooks from the previous report.

A notebook's result depends on its code (the notebook and the library), its
parameters and the files the notebooks before it left in the run directory
(for ``01``, the corpus). The runner hashes these into a key before it
executes a notebook. When the report already in ``--out`` recorded the same
key for that notebook in its ``run.json`` (``notebook_runs``), and every
file the notebook wrote there is still as it was written (same SHA-256),
the runner copies those files instead of executing the notebook. Copies are
byte-identical, so a re-run gives exactly what a full run gives; ``--force``
executes everything.

The city profiles count as one unit: their key covers the list of places.
Timings (``seconds``, ``*_seconds`` in ``stages/*.json``) are left out of
the inputs, so a notebook re-executed with the same result does not force
the next one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from citytext import __version__

#: Folders and files of a run directory that are not notebook inputs.
NOT_INPUTS = {"notebooks", "html", "assets", "fonts", "figures", "run.json",
              "index.html"}  # fmt: skip
#: Folders and files never recorded as written by a notebook.
NOT_OUTPUTS = {"notebooks", "html", "assets", "fonts", "run.json", "index.html"}
PACKAGE_DIR = Path(__file__).resolve().parent
CODE_SUFFIXES = {".py", ".yaml", ".yml", ".txt", ".j2", ".json", ".csv", ".tsv"}

_hash_cache: dict[tuple[str, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file (cached while size and mtime are unchanged)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _hash_cache:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        _hash_cache[key] = digest.hexdigest()
    return _hash_cache[key]


def code_digest(notebook: Path) -> str:
    """Hash a notebook's source together with the whole library and its resources."""
    digest = hashlib.sha256(__version__.encode())
    files = sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts
    )
    for path in [Path(notebook), *files]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _visible_files(run_dir: Path, skip: set[str]) -> list[Path]:
    out = []
    for path in sorted(run_dir.rglob("*")):
        rel = path.relative_to(run_dir)
        if rel.parts[0] in skip or any(p.startswith(".") for p in rel.parts):
            continue
        if path.is_file() and not path.is_symlink():
            out.append(rel)
    return out


def _stage_facts(path: Path) -> str:
    """A stage's facts without its timings (they differ from run to run)."""
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return file_sha256(path)
    return hashlib.sha256(
        json.dumps(_without_timings(facts), sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _without_timings(value: Any) -> Any:
    """Drop ``seconds`` and ``*_seconds`` entries, at any depth."""
    if isinstance(value, dict):
        return {
            k: _without_timings(v)
            for k, v in value.items()
            if not (k == "seconds" or str(k).endswith("_seconds"))
        }
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def inputs_digest(run_dir: Path) -> str:
    """Hash the data files in a run directory (what the next notebook can read)."""
    digest = hashlib.sha256()
    for rel in _visible_files(run_dir, NOT_INPUTS):
        path = run_dir / rel
        sha = _stage_facts(path) if rel.parts[0] == "stages" else file_sha256(path)
        digest.update(f"{rel.as_posix()}\0{sha}\n".encode())
    return digest.hexdigest()


def snapshot(run_dir: Path) -> dict[str, str]:
    """Return ``{relative path: sha256}`` of every file a notebook may have written."""
    return {
        rel.as_posix(): file_sha256(run_dir / rel)
        for rel in _visible_files(run_dir, NOT_OUTPUTS)
    }


def written(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """Return the files that are new or changed between two snapshots."""
    return {k: v for k, v in after.items() if before.get(k) != v}


def key(**parts: Any) -> str:
    """Hash the parts of a notebook's key (JSON, sorted keys)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Previous:
    """The report already in ``--out``, as a source of reusable results.

    Args:
        out: The output directory (may not exist or not be a report).
    """

    def __init__(self, out: Path):
        self.out = Path(out)
        self.records: dict[str, dict[str, Any]] = {}
        try:
            info = json.loads((self.out / "run.json").read_text(encoding="utf-8"))
            self.records = dict(info.get("notebook_runs", {}))
        except (OSError, ValueError, AttributeError):
            self.records = {}

    def restore(self, name: str, wanted: str, dest: Path) -> dict[str, Any] | None:
        """Copy a notebook's files from the previous report if its key matches.

        Args:
            name: Notebook (or ``05_city_profile`` for all profiles).
            wanted: The key this run computed.
            dest: The run directory being built.

        Returns:
            The previous record (``key``, ``files``, ``pages``) when every
            file was copied, else None (nothing usable; the caller executes).
        """
        record = self.records.get(name)
        if not record or record.get("key") != wanted:
            return None
        files: dict[str, str] = record.get("files", {})
        pages: list[str] = record.get("pages", [])
        for rel, sha in files.items():
            src = self.out / rel
            if not src.is_file() or file_sha256(src) != sha:
                return None
        if not all((self.out / rel).is_file() for rel in pages):
            return None
        for rel in [*files, *pages]:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.out / rel, target)
        return record
