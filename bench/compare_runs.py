"""Compare every CSV of two run directories byte for byte.

Usage: ``python -m bench.compare_runs BEFORE AFTER``. Lists each CSV (searched
recursively, paths relative to the run directory) as ``same``, ``DIFFERENT``
or missing on one side, then one summary line. Exit status 0 when both
directories hold the same set of CSVs with identical bytes, 1 otherwise. Used
to check that a refactoring leaves the output of a run unchanged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def csv_files(run_dir: Path) -> dict[str, Path]:
    """Map each CSV under ``run_dir`` (relative POSIX path) to its path.

    Args:
        run_dir: A run directory.

    Returns:
        Relative path -> absolute path, for every ``*.csv`` below ``run_dir``.
    """
    return {p.relative_to(run_dir).as_posix(): p for p in run_dir.rglob("*.csv")}


def compare(before: Path, after: Path) -> tuple[list[str], list[str]]:
    """Compare the CSVs of two run directories.

    Args:
        before: The reference run directory.
        after: The run directory to check.

    Returns:
        ``(same, problems)``: names of identical files, and one line per file
        that differs or exists on one side only.
    """
    left, right = csv_files(before), csv_files(after)
    same: list[str] = []
    problems: list[str] = []
    for name in sorted(left.keys() | right.keys()):
        if name not in right:
            problems.append(f"missing in {after}: {name}")
        elif name not in left:
            problems.append(f"missing in {before}: {name}")
        elif left[name].read_bytes() == right[name].read_bytes():
            same.append(name)
        else:
            problems.append(f"DIFFERENT: {name}")
    return same, problems


def main(argv: list[str] | None = None) -> int:
    """Compare two run directories and print the result.

    Args:
        argv: Command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        0 when every CSV is identical, 1 otherwise.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    same, problems = compare(args.before, args.after)
    for name in same:
        print(f"same       {name}")
    for line in problems:
        print(line)
    verdict = "identical" if not problems and same else "NOT identical"
    print(f"{len(same)} CSV files identical, {len(problems)} problems: {verdict}")
    return 0 if not problems and same else 1


if __name__ == "__main__":
    sys.exit(main())
