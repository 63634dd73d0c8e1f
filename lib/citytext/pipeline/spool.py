"""Scratch files of a stage, moved into place only when the stage succeeds."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from citytext.runfiles import SPOOL_DIR, STAGES_DIR


@contextlib.contextmanager
def scratch(run_dir: Path, *names: str) -> Iterator[list[Path]]:
    """Scratch files under ``run_dir/stages/.spool``, removed on exit.

    A stage writes its outputs there and moves them into place only once it
    has succeeded, so a failed stage leaves the previous outputs untouched.

    Args:
        run_dir: The run directory.
        *names: File names.

    Yields:
        The paths, in the order of ``names``.
    """
    folder = run_dir / STAGES_DIR / SPOOL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in names]
    try:
        yield paths
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.rmdir()
