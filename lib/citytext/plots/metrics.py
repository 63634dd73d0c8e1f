"""Figures of claimed quantities (notebooks 03 and 05).

Targets against results, quantities per category, the national GDP targets.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from citytext.plots.base import new_figure, setup
from citytext.plots.compare import comparison_paired_bars

_INDICATOR_COLOURS = ("#C44E52", "#4C72B0", "#55A868", "#8172B2", "#CCB974")


def target_achieved_scatter(pairs, *, title: str = "各地目标与实际完成") -> Figure:
    """Across places: each place-year's target (x) against its reported result (y).

    One panel per indicator; points above the diagonal beat the target.

    Args:
        pairs: Rows of :func:`citytext.metrics.target_vs_achieved`.
        title: Figure title.

    Returns:
        The figure (an empty note when there are no pairs).
    """
    indicators = sorted(set(pairs["indicator"])) if len(pairs) else []
    n = max(len(indicators), 1)
    fig = Figure(figsize=(4.2 * n, 4.4), layout="constrained")
    setup()
    axes = fig.subplots(1, n, squeeze=False)[0]
    if not indicators:
        axes[0].text(0.5, 0.5, "没有同时给出目标与实绩的指标", ha="center", va="center")
        axes[0].set_axis_off()
    for ax, (i, name) in zip(axes, enumerate(indicators), strict=False):
        rows = pairs[pairs["indicator"] == name]
        lo = float(min(rows["target"].min(), rows["achieved"].min(), 0.0))
        hi = float(max(rows["target"].max(), rows["achieved"].max())) + 1.0
        ax.plot([lo, hi], [lo, hi], color="#8C8C8C", linewidth=1, linestyle="--")
        for year, marker in zip(sorted(set(rows["year"])), "os^D", strict=False):
            sub = rows[rows["year"] == year]
            ax.scatter(sub["target"], sub["achieved"], s=18, alpha=0.7, marker=marker,
                       color=_INDICATOR_COLOURS[i % 5], label=f"{year}年")  # fmt: skip
        met = int(rows["met"].sum())
        ax.set_title(f"{name}（{met}/{len(rows)} 达标）", fontsize=10)
        ax.set_xlabel("目标（%）")
        ax.set_ylabel("实际（%）")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    return fig


def target_achieved_bars(pairs, place: str = "", *, title: str = "") -> Figure | None:
    """One place: its target for each indicator and year beside its result.

    Args:
        pairs: Rows of :func:`citytext.metrics.target_vs_achieved`.
        place: The place to draw; "" = every row (pairs of one place already).
        title: Figure title; default names the place.

    Returns:
        The figure, or ``None`` when there is no pair to draw.
    """
    rows = pairs[pairs["place"] == place] if place else pairs
    if rows.empty:
        return None
    labels = [
        f"{i} · {y}年" for i, y in zip(rows["indicator"], rows["year"], strict=True)
    ]
    return comparison_paired_bars(
        rows.assign(label=labels),
        label="label",
        left="achieved",
        right="target",
        left_name="实际完成",
        right_name="年初目标",
        title=title or f"{place}：目标与实际完成",
        xlabel="增长（%）",
        ylabel="指标与年份",
    )


def metric_categories(
    counts, *, title: str = "各城市报道中的量化指标：按类别"
) -> Figure:
    """Quantities per place, stacked by category (one bar per place).

    Args:
        counts: Wide table of :func:`citytext.metrics.category_counts` (rows
            places, columns categories).
        title: Figure title.

    Returns:
        The figure (a note when there are no quantities).
    """
    fig, ax = new_figure(9, 0.6 * max(len(counts), 3) + 2)
    if counts.empty or not len(counts.columns):
        ax.text(0.5, 0.5, "没有提取到量化指标", ha="center", va="center")
        ax.set_axis_off()
        return fig
    counts.plot.barh(stacked=True, ax=ax, colormap="tab20")
    ax.set_xlabel("数量（条）")
    ax.set_ylabel("城市")
    ax.set_title(title)
    ax.legend(title="类别", bbox_to_anchor=(1.01, 1), loc="upper left")
    return fig


def gdp_targets(targets, *, title: str = "政府工作报告中的经济增长预期目标") -> Figure:
    """The yearly GDP growth target of the national reports; ranges as bars.

    Args:
        targets: Rows of national_targets.csv (year, low, high).
        title: Figure title.

    Returns:
        The figure.
    """
    fig, ax = new_figure(9, 4.5)
    ax.vlines(targets["year"], targets["low"], targets["high"], linewidth=4)
    ax.plot(targets["year"], (targets["low"] + targets["high"]) / 2, "o")
    ax.set_xlabel("年份")
    ax.set_ylabel("国内生产总值增长目标（%）")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return fig
