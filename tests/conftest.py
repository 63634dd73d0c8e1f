"""Shared fixtures: the bundled seeds and the end-to-end runs of the suite.

The expensive runs are session fixtures: with ``--dist loadgroup`` every test
that uses them carries ``xdist_group("e2e")`` and runs on one worker, so each
run happens once per ``make test``. Every other test module is a group of its
own (see :func:`pytest_collection_modifyitems`).
"""

from __future__ import annotations

import os
import shutil
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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    """Keep each test module on one worker unless a test names its own group.

    Module-scoped fixtures (a fitted model, a cleaned corpus) are then built
    once instead of once per worker and again whenever tests of other modules
    ran in between.
    """
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory, seeds_dir) -> Path:
    """One complete ``citytext run`` on the seeds (shared by the end-to-end tests)."""
    out = tmp_path_factory.mktemp("e2e") / "report"
    proc = run_cli("run", "--corpus", str(seeds_dir), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def forced_run(tmp_path_factory, seed_run, seeds_dir) -> tuple[Path, str]:
    """The seed report re-run in place with ``--force`` (one profile, one job).

    Every notebook executes again, so its CSVs show that the same input gives
    the same output, whatever the number of jobs.
    """
    out = tmp_path_factory.mktemp("forced") / "report"
    shutil.copytree(seed_run, out)
    proc = run_cli(
        "run", "--corpus", str(seeds_dir), "--out", str(out), "--quiet", "--force",
        "--jobs", "1", "-p", "city=鸡西",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stderr


@pytest.fixture(scope="session")
def dask_run(tmp_path_factory, seeds_dir) -> Path:
    """The seeds run with the Dask engine (one profile)."""
    out = tmp_path_factory.mktemp("dask") / "report"
    proc = run_cli(
        "run", "--corpus", str(seeds_dir), "--out", str(out), "--quiet",
        "--engine", "dask", "--jobs", "1", "-p", "city=鸡西",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out
