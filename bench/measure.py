"""Timing and memory measurement shared by the benchmarks."""

from __future__ import annotations

import importlib
import json
import resource
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from . import Figure, Skip, Skipped

PROJ_ROOT = Path(__file__).resolve().parents[1]


def best_time(func: Callable[[], Any], *, repeat: int = 1) -> float:
    """Return the best wall time in seconds of ``repeat`` calls of ``func``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def library(name: str, *attributes: str) -> ModuleType:
    """Import ``citytext.<name>`` or skip when it, or an attribute, is missing.

    Args:
        name: Module name inside ``citytext``.
        attributes: Attributes the benchmark calls.

    Returns:
        The module.

    Raises:
        Skip: If the module cannot be imported or lacks an attribute.
    """
    try:
        module = importlib.import_module(f"citytext.{name}")
    except ImportError as exc:
        raise Skip(f"citytext.{name} is not available ({exc})") from exc
    missing = [a for a in attributes if not hasattr(module, a)]
    if missing:
        raise Skip(f"citytext.{name} has no {', '.join(missing)} yet")
    return module


def call_stage(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a pipeline stage, turning ``NotImplementedError`` into a skip."""
    try:
        return func(*args, **kwargs)
    except NotImplementedError as exc:
        raise Skip(f"pipeline.{func.__name__} is not implemented yet") from exc


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes.

    Reads ``VmHWM`` from ``/proc/self/status`` (Linux). ``getrusage``'s
    ``ru_maxrss`` is not used there: it carries the parent's peak across
    fork and exec, so every child would report at least the parent's size.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_child(task: str, **kwargs: Any) -> dict[str, Any]:
    """Run ``bench.child`` ``task`` in a fresh interpreter and return its report.

    A fresh process gives a clean peak-RSS reading for each corpus size.

    Args:
        task: Task name known to :mod:`bench.child`.
        **kwargs: JSON-serialisable arguments of the task.

    Returns:
        The task's report (including ``peak_rss`` in bytes and ``seconds``).

    Raises:
        Skip: If the child skipped (its reason is passed on).
        RuntimeError: If the child failed.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "bench.child", task, json.dumps(kwargs)],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip().splitlines()[-3:]
        raise RuntimeError(f"child {task} failed: {' | '.join(tail)}")
    report = json.loads(lines[-1])
    if "skip" in report:
        raise Skip(report["skip"])
    return report


def mib(n_bytes: float) -> str:
    """Format bytes as MiB."""
    return f"{n_bytes / 2**20:.0f} MiB"


def mchars(n_chars: float) -> str:
    """Format a character count (or rate) in millions."""
    return f"{n_chars / 1e6:.2f} M"


def guarded(
    names: tuple[str, ...], produce: Callable[[], Iterable[Figure | Skipped]]
) -> Iterator[Figure | Skipped]:
    """Yield ``produce()``'s figures; on a skip or failure, skip the rest of ``names``.

    Args:
        names: The figures ``produce`` is meant to yield.
        produce: Measures and yields figures.

    Yields:
        Figures, then :class:`Skipped` for any of ``names`` not produced.
    """
    done: set[str] = set()
    try:
        for figure in produce():
            done.add(figure.name)
            yield figure
        return
    except Skip as exc:
        reason = str(exc)
    except Exception as exc:  # one broken measurement must not hide the others
        traceback.print_exc(file=sys.stderr)
        reason = f"failed: {type(exc).__name__}: {exc}".splitlines()[0]
    for name in names:
        if name not in done:
            yield Skipped(name, reason)


def _spin(n: int) -> int:
    """Pure-Python busy loop (the calibration workload)."""
    total = 0
    for i in range(n):
        total += i % 7
    return total


def parallel_capacity(n: int = 3_000_000) -> float:
    """Speedup that 2 processes get over 1 on this machine right now.

    Two copies of a pure-Python loop in two processes against the same two
    copies in one: 2.0 on two idle cores, less when other work holds a core.

    Args:
        n: Loop length (about 0.2 s per copy).

    Returns:
        The ratio of the two wall times.
    """
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [1000, 1000]))  # start both processes first
        one = best_time(lambda: [_spin(n), _spin(n)])
        two = best_time(lambda: list(pool.map(_spin, [n, n])))
    return one / two
