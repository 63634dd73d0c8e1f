"""Shared fixtures: the bundled seeds and one end-to-end run of the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from citytext import config

SEEDS = sorted(config.SEEDS_DIR.glob("*.txt"))
CITYTEXT = str(Path(sys.executable).with_name("citytext"))


def run_cli(*args: str, timeout: int = 900, **kwargs) -> subprocess.CompletedProcess:
    """Run the ``citytext`` command and capture its output."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [CITYTEXT, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        **kwargs,
    )


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    assert len(SEEDS) == 5, "the five seed articles must be in data/raw/seeds"
    return config.SEEDS_DIR


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory, seeds_dir) -> Path:
    """One complete ``citytext run`` on the seeds (shared by the end-to-end tests)."""
    out = tmp_path_factory.mktemp("e2e") / "report"
    proc = run_cli("run", "--corpus", str(seeds_dir), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out
