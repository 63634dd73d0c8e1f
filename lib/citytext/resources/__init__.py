"""Bundled resource files: dictionaries, stopwords, rules, lexicons, gazetteer.

Resource files are data a researcher may edit (YAML, TSV, TXT). Code loads them
through :func:`path`, :func:`read_text`, :func:`load_yaml`, and records their
hashes in ``run.json`` through :func:`versions`.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import yaml

RESOURCES_DIR = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """Return the path of resource ``name``.

    Args:
        name: File name relative to the resources folder.

    Returns:
        The absolute path.

    Raises:
        FileNotFoundError: If the resource does not exist.
    """
    p = RESOURCES_DIR / name
    if not p.is_file():
        raise FileNotFoundError(
            f"citytext resource not found: {name} (looked in {RESOURCES_DIR})"
        )
    return p


def read_text(name: str) -> str:
    """Return the UTF-8 text of resource ``name``."""
    return path(name).read_text(encoding="utf-8")


@functools.cache
def load_yaml(name: str) -> Any:
    """Parse and cache YAML resource ``name``."""
    return yaml.safe_load(read_text(name))


def read_lines(name: str) -> list[str]:
    """Return the non-empty, non-comment lines of a text resource."""
    out = []
    for line in read_text(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def versions() -> dict[str, str]:
    """Return ``{file name: sha256 prefix}`` for every resource file.

    Returns:
        A mapping recorded in ``run.json`` so a run names the exact dictionaries
        and lexicons it used.
    """
    out = {}
    for p in sorted(RESOURCES_DIR.rglob("*")):
        if p.is_file() and p.suffix not in {".py", ".pyc"}:
            out[str(p.relative_to(RESOURCES_DIR))] = hashlib.sha256(
                p.read_bytes()
            ).hexdigest()[:16]
    return out
