"""Campaign finder speed on the 546 local government work reports.

Times what the comparison stage adds for ``campaigns.csv``
(``compare.campaigns.extract`` then ``compare.campaigns.campaign_table``) on
every report, against the lexicon matcher the same stage already runs on the
same texts (``compare.mechanism_hits``), measured in the same run. Wall and
CPU seconds are both recorded: on a shared machine the wall time grows with the load,
the CPU time much less. The target is the issue's: under 30 s of wall time for
the campaign part of the stage on 2 cores.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from . import Figure
from .corpus import load_records
from .measure import library
from .settings import Settings

FIGURES = ("campaigns_vs_mechanism_hits",)


def _timed(func: Any) -> tuple[Any, float, float]:
    """Run ``func`` once; return its result, wall seconds and CPU seconds."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = func()
    return out, time.perf_counter() - w0, time.process_time() - c0


def run(settings: Settings) -> Iterator[Figure]:
    campaigns = library("compare.campaigns", "extract", "campaign_table")
    finder = library("compare.campaign_finder", "find_mentions")
    compare = library("compare", "mechanism_hits", "usable_articles")
    import pandas as pd

    records = load_records()
    if settings.quick:
        records = records[:100]
    articles = compare.usable_articles(
        pd.DataFrame(
            {
                "doc_id": [r["doc_id"] for r in records],
                "text": [r["text"] for r in records],
                "city": [r.get("place", "") for r in records],
                "date": [r.get("date", "") for r in records],
                "year": [str(r.get("year", "")) for r in records],
            }
        )
    )
    finder.find_mentions("开展“徒步走城区”活动。")  # load the dictionaries first
    hits, t_hits, c_hits = _timed(lambda: compare.mechanism_hits(articles))
    mentions, t_ext, c_ext = _timed(lambda: campaigns.extract(articles))
    table, t_tab, c_tab = _timed(
        lambda: campaigns.campaign_table(mentions, articles, hits)
    )
    wall, cpu = t_ext + t_tab, c_ext + c_tab
    load = os.getloadavg()[0]
    yield Figure(
        "campaigns_vs_mechanism_hits",
        wall / t_hits,
        "compare.mechanism_hits on the same reports",
        detail=(
            f"{len(articles)} reports: campaigns {wall:.1f} s wall / {cpu:.1f} s CPU "
            f"(extract {t_ext:.1f} s, table {t_tab:.1f} s), lexicon {t_hits:.1f} s "
            f"wall / {c_hits:.1f} s CPU; {len(mentions)} mentions, {len(table)} rows; "
            f"load average {load:.1f}"
        ),
        target="campaigns < 30 s wall",
        data={
            "reports": len(articles),
            "campaign_wall_s": round(wall, 2),
            "campaign_cpu_s": round(cpu, 2),
            "lexicon_wall_s": round(t_hits, 2),
            "lexicon_cpu_s": round(c_hits, 2),
            "mentions": len(mentions),
            "rows": len(table),
            "load_average": round(load, 2),
        },  # fmt: skip
    )
