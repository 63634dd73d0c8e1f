"""The boilerplate and metadata rules of ``resources/clean_rules.yaml``.

What belongs here: reading the rule file once and compiling its patterns.
The steps that apply the rules live in :mod:`citytext.clean.boilerplate` and
:mod:`citytext.clean.metadata`.
"""

from __future__ import annotations

import re
from typing import Any

from citytext import resources

RULES_FILE = "clean_rules.yaml"


def rules() -> dict[str, Any]:
    """Return the parsed boilerplate rules with compiled patterns (cached)."""
    raw = resources.load_yaml(RULES_FILE)
    compiled: dict[str, Any] = {"raw": raw}
    compiled["spans"] = [
        (
            r["id"],
            re.compile(r["pattern"]),
            re.compile(r["require"]) if r.get("require") else None,
        )
        for r in raw["spans"]
    ]
    compiled["lines"] = [
        (
            r["id"],
            re.compile(r["pattern"], re.IGNORECASE),
            int(r.get("max_len", 200)),
            re.compile(r["require"]) if r.get("require") else None,
        )
        for r in raw["lines"]
    ]
    compiled["related"] = re.compile(raw["related_headers"])
    meta = raw["metadata"]
    for key in (
        "source",
        "byline",
        "inline_byline",
        "print_edition",
        "disclaimer_site",
        "inferred_year",
    ):
        compiled[key] = re.compile(meta[key])
    compiled["target_before"] = re.compile(meta["target_year_before"])
    compiled["date"] = re.compile(meta["dateline"]["date"])
    compiled["dateline_kw"] = re.compile(meta["dateline"]["keywords"])
    compiled["dateline_max"] = int(meta["dateline"]["max_len"])
    compiled["dateline_forbidden"] = re.compile(meta["dateline"]["forbidden"])
    compiled["byline_max"] = int(meta["byline_max_len"])
    cap = raw["captions"]
    compiled["captions"] = {
        "max_len": int(cap["max_len"]),
        "forbidden": re.compile(cap["forbidden"]),
        "never_start": re.compile(cap["never_start"]),
        "min_neighbour_len": int(cap["min_neighbour_len"]),
        "min_ratio": float(cap["min_ratio"]),
    }
    return compiled
