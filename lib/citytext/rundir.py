"""Which directories a run may replace, and one run at a time per output.

A run builds its report in a fresh temporary directory beside ``--out`` and
moves it into place when it succeeds. Replacing is right for a previous report
and wrong for anything else, so this module decides what ``--out`` may be:

* a directory that does not exist yet, an empty directory, or a citytext run
  directory: one holding the marker file :data:`MARKER`, written by every
  run, whose manifest lists every file the run wrote. A run directory to
  which someone has added a file of their own is no longer replaced (that
  file would be lost). Reports written before the marker existed are
  recognised by their ``run.json`` (``citytext_version``).
* never the corpus, a directory inside it or one that contains it; never the
  home directory, a filesystem root or the project's repository; never the
  current directory unless it is a run directory.

A failed run is kept at ``OUT.failed`` only when that is free, empty or a
failed citytext run; otherwise beside it under a new name.

:func:`locked` holds ``OUT.lock`` (an advisory ``flock`` with the holder's
pid) for the whole run, so a second run into the same output waits for the
first one; the lock of a process that died is free at once, since the kernel
releases ``flock`` locks with the process.

The rules follow tools that replace their output: cookiecutter refuses an
existing directory, ``git clean`` does nothing without ``-f``, rsync deletes
only with ``--delete``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from citytext import __version__, config

#: File every run directory carries (JSON: version, status, manifest).
MARKER = ".citytext-run"
Status = Literal["running", "complete", "failed"]


class OutputRefused(ValueError):
    """``--out`` names a directory a run must not replace (a one-line reason)."""


# --------------------------------------------------------------------------
# The marker
# --------------------------------------------------------------------------
def _read_marker(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("kind") == MARKER else None


def _legacy_run(path: Path) -> bool:
    """Return whether ``path`` is a report written before the marker existed."""
    try:
        info = json.loads((path / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and "citytext_version" in info


def _files(path: Path) -> list[str]:
    """Every file and link under ``path``, relative, sorted (the marker left out)."""
    out = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in [*files, *(d for d in dirs if Path(root, d).is_symlink())]:
            rel = Path(root, name).relative_to(path).as_posix()
            if rel != MARKER:
                out.append(rel)
    return sorted(out)


def write_marker(run_dir: Path, status: Status) -> Path:
    """Write the run-directory marker, listing every file now in ``run_dir``.

    Args:
        run_dir: The run directory (usually the temporary one being built).
        status: ``running`` at the start, ``complete`` or ``failed`` at the end.

    Returns:
        The marker's path.
    """
    data = {
        "kind": MARKER,
        "citytext_version": __version__,
        "status": status,
        "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "files": _files(run_dir) if status != "running" else [],
    }
    path = run_dir / MARKER
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return path


def foreign_files(path: Path) -> list[str]:
    """Files under a run directory that no run wrote (relative paths, sorted)."""
    marker = _read_marker(path)
    if marker is None:
        return _files(path)
    if marker.get("status") == "running":
        return []
    written = set(marker.get("files") or [])
    return [f for f in _files(path) if f not in written]


def is_replaceable(path: Path, *, failed: bool = False) -> bool:
    """Return whether a run may replace ``path``.

    Args:
        path: The candidate directory.
        failed: Accept only a failed run (the ``OUT.failed`` rule).

    Returns:
        True when ``path`` is missing, an empty directory, or a citytext run
        directory (of a failed run with ``failed``) holding only files that
        runs wrote.
    """
    if not path.exists() and not path.is_symlink():
        return True
    if path.is_symlink() or not path.is_dir():
        return False
    if not any(path.iterdir()):
        return True
    marker = _read_marker(path)
    if marker is None:
        return not failed and _legacy_run(path)
    if failed and marker.get("status") != "failed":
        return False
    return not foreign_files(path)


# --------------------------------------------------------------------------
# What --out may be
# --------------------------------------------------------------------------
def _related(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def check_output(
    out: Path,
    corpus: Path,
    *,
    cwd: Path | None = None,
    home: Path | None = None,
    repo: Path | None = None,
) -> None:
    """Refuse an output directory that a run must not replace.

    Args:
        out: The ``--out`` directory.
        corpus: The ``--corpus`` directory.
        cwd: The current directory (default: the process's).
        home: The home directory (default: the user's).
        repo: The project's repository root (default: ``config.PROJ_ROOT``).

    Raises:
        OutputRefused: With one line naming the directory and what to do.
    """
    what_to_do = "choose a new or empty directory, or remove it yourself"
    target = out.expanduser().absolute()
    resolved = target.resolve()
    corpus_r = corpus.expanduser().resolve()
    cwd_r = (cwd or Path.cwd()).resolve()
    home_r = (home or Path.home()).expanduser().resolve()
    repo_r = (repo or config.PROJ_ROOT).resolve()
    if resolved == Path(resolved.anchor):
        raise OutputRefused(f"--out {out} is the filesystem root; {what_to_do}")
    if resolved == home_r:
        raise OutputRefused(f"--out {out} is your home directory; {what_to_do}")
    if resolved == repo_r:
        raise OutputRefused(
            f"--out {out} is the project's repository; {what_to_do} "
            "(the default is reports/)"
        )
    if _related(resolved, corpus_r):
        where = (
            "is the corpus"
            if resolved == corpus_r
            else "is inside the corpus"
            if corpus_r in resolved.parents
            else "contains the corpus"
        )
        raise OutputRefused(f"--out {out} {where} {corpus}; {what_to_do}")
    if target.is_symlink():
        raise OutputRefused(
            f"--out {out} is a symbolic link; name the directory itself or a new one"
        )
    if resolved == cwd_r and not (resolved.is_dir() and is_replaceable(resolved)):
        raise OutputRefused(
            f"--out {out} is the current directory and not a citytext run "
            f"directory; {what_to_do}"
        )
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"--out {out} exists and is not a directory")
    if not is_replaceable(target):
        foreign = foreign_files(target) if _read_marker(target) else []
        detail = (
            f"it holds files no run wrote (e.g. {foreign[0]})"
            if foreign
            else "it is not empty and not a citytext run directory"
        )
        raise OutputRefused(f"--out {out}: {detail}; {what_to_do}")


def failed_destination(out: Path) -> Path:
    """Where to keep a failed run: ``OUT.failed`` unless that holds anything else.

    Args:
        out: The ``--out`` directory.

    Returns:
        ``OUT.failed`` when it is missing, empty or a failed citytext run;
        otherwise the first free ``OUT.failed-N``.
    """
    first = out.parent / f"{out.name}.failed"
    candidate, n = first, 2
    while not is_replaceable(candidate, failed=True):
        candidate, n = out.parent / f"{out.name}.failed-{n}", n + 1
    return candidate


# --------------------------------------------------------------------------
# One run per output at a time
# --------------------------------------------------------------------------
def lock_path(out: Path) -> Path:
    """Return the lock file of an output directory (``OUT.lock`` beside it)."""
    return out.parent / f"{out.name}.lock"


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"pid {info['pid']} on {info['host']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another run"


@contextlib.contextmanager
def locked(
    out: Path,
    *,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
    poll: float = 0.2,
) -> Iterator[Path]:
    """Hold ``OUT.lock`` while the body runs; wait while another run holds it.

    Args:
        out: The ``--out`` directory.
        timeout: Seconds to wait at most (None: as long as it takes).
        on_wait: Called once with the holder's description when waiting starts.
        poll: Seconds between attempts.

    Yields:
        The lock file's path.

    Raises:
        TimeoutError: When ``timeout`` passed and the lock is still held.
    """
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if not told and on_wait is not None:
                on_wait(_holder(path))
                told = True
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{path} is held by {_holder(path)}") from None
            time.sleep(poll)
            continue
        # The file may have been removed and re-created by the holder we waited
        # for; a lock on an unlinked file guards nothing, so try again.
        try:
            same = path.stat().st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(
            fd,
            json.dumps({"pid": os.getpid(), "host": socket.gethostname()}).encode(),
        )
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)
