"""Benchmarks for citytext (not part of the test run).

``python -m bench [--quick] [--json FILE]`` runs every benchmark and prints one
line per figure. Each figure is a ratio against a baseline measured in the same
run, and the baseline is named on the line. Generated corpora and results go to
``bench/out/`` (gitignored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Skip(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a benchmark whose inputs or library modules are not there yet."""


@dataclass
class Figure:
    """One benchmark result: a ratio against a baseline measured in the same run.

    Attributes:
        name: Stable name, used as the JSON key.
        value: The ratio.
        baseline: What the ratio is measured against.
        detail: The measurements behind the ratio, for the printed line.
        target: The goal, e.g. ``">= 5"``; empty when there is none.
        data: Raw measurements (throughputs, seconds, bytes) for the JSON file.
    """

    name: str
    value: float
    baseline: str
    detail: str = ""
    target: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        """Format the figure as one printed line."""
        target = f"  [target {self.target}]" if self.target else ""
        detail = f"  ({self.detail})" if self.detail else ""
        value = f"{self.value:.4f}" if abs(self.value) < 10 else f"{self.value:.2f}"
        return f"{self.name} = {value} vs {self.baseline}{target}{detail}"

    def as_json(self) -> dict[str, Any]:
        """Return the figure as a JSON-ready dict."""
        return {
            "value": round(self.value, 4),
            "baseline": self.baseline,
            "target": self.target,
            "detail": self.detail,
            **self.data,
        }


@dataclass
class Skipped:
    """A figure that could not be measured in this run, and why."""

    name: str
    reason: str
