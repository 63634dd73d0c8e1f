"""Cross-place figures (notebooks 04 and 05).

Heatmaps, bars, dendrogram, facets, timelines, coverage and the campaign
diffusion chart.

Each function takes tidy DataFrames and returns a ``matplotlib.figure.Figure``,
or ``None`` when the table has no rows (see :mod:`citytext.plots`). Row labels
can be given as a mapping (``labels``: place → ``鸡西 (2篇)``), so a notebook
passes the table as the library returned it.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from citytext.plots.base import fit_fontsize, new_figure


def comparison_heatmap(
    matrix,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    colorbar_label: str,
    cmap: str = "YlOrRd",
    annotate: bool | None = None,
    value_format: str = "{:.1f}",
    vmin: float | None = None,
    vmax: float | None = None,
    symmetric: bool = False,
    labels: Mapping | None = None,
    column_labels: Mapping | None = None,
) -> Figure | None:
    """Heatmap of a labelled matrix (rows and columns in the order given).

    Args:
        matrix: A ``pandas.DataFrame``; index labels become rows.
        title: Figure title.
        xlabel: Column axis label.
        ylabel: Row axis label.
        colorbar_label: What a cell's colour measures.
        cmap: Matplotlib colour map.
        annotate: Write values in cells (default: when there are at most 400).
        value_format: Format of annotations.
        vmin: Lower end of the colour scale (default: data minimum).
        vmax: Upper end of the colour scale (default: data maximum).
        symmetric: Centre the colour scale on 0, from minus to plus the
            largest absolute value (1 when every cell is 0); for changes.
        labels: Row labels by index value (default: the index itself).
        column_labels: Column labels by column name (default: the names).

    Returns:
        The figure, or ``None`` when the matrix has no rows or no columns.
    """
    import numpy as np

    if matrix.empty:
        return None
    if labels is not None:
        matrix = matrix.rename(index=labels)
    if column_labels is not None:
        matrix = matrix.rename(columns=column_labels)
    if symmetric:
        top = float(np.nanmax(np.abs(matrix.to_numpy(dtype=float)))) or 1.0
        vmin, vmax = -top, top
    n_rows, n_cols = matrix.shape
    fig, ax = new_figure(min(3.0 + 0.42 * n_cols, 22.0), min(2.2 + 0.3 * n_rows, 40.0))
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(values, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels(
        [str(c) for c in matrix.columns],
        rotation=60,
        ha="right",
        fontsize=fit_fontsize(n_cols),
    )
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([str(i) for i in matrix.index], fontsize=fit_fontsize(n_rows))
    if annotate is None:
        annotate = n_rows * n_cols <= 400
    if annotate and values.size:
        top = float(values.max()) if vmax is None else vmax
        for (r, c), v in np.ndenumerate(values):
            ax.text(
                c,
                r,
                value_format.format(v),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if top and v > 0.6 * top else "black",
            )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
    return fig


def comparison_stacked_bars(
    shares,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    legend_title: str,
    labels: Mapping | None = None,
) -> Figure | None:
    """Horizontal stacked bars: one bar per row of ``shares``, one segment per column.

    Args:
        shares: ``pandas.DataFrame`` of shares (rows sum to about 1).
        title: Figure title.
        xlabel: Value axis label.
        ylabel: Category axis label.
        legend_title: Title of the legend (what the segments are).
        labels: Row labels by index value (default: the index itself).

    Returns:
        The figure, or ``None`` when ``shares`` has no rows.
    """
    import numpy as np

    if shares.empty:
        return None
    if labels is not None:
        shares = shares.rename(index=labels)
    n_rows = len(shares)
    fig, ax = new_figure(10.0, min(2.5 + 0.3 * n_rows, 40.0))
    cmap = plt.get_cmap("tab20")
    left = np.zeros(n_rows)
    for j, col in enumerate(shares.columns):
        vals = shares[col].to_numpy(dtype=float)
        ax.barh(range(n_rows), vals, left=left, color=cmap(j % 20), label=str(col))
        left = left + vals
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([str(i) for i in shares.index], fontsize=fit_fontsize(n_rows))
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.0, float(left.max()) if n_rows else 1.0))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(
        title=legend_title, bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8
    )
    return fig


def comparison_dendrogram(
    linkage,
    labels: list[str],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    max_leaves: int = 60,
) -> Figure:
    """Dendrogram of a hierarchical clustering, leaves labelled with place names.

    With more than ``max_leaves`` places the tree is cut to its last
    ``max_leaves`` merges; a leaf then shows the number of places it holds.

    Args:
        linkage: A SciPy linkage matrix (``None`` draws an explanatory note).
        labels: Leaf labels in the order of the linkage's observations.
        title: Figure title.
        xlabel: Distance axis label.
        ylabel: Leaf axis label.
        max_leaves: Most leaves drawn.

    Returns:
        The figure.
    """
    from scipy.cluster.hierarchy import dendrogram

    n = len(labels)
    shown = min(n, max_leaves)
    fig, ax = new_figure(9.0, min(2.5 + 0.28 * shown, 30.0))
    if linkage is None:
        ax.text(0.5, 0.5, "少于两个地方，无法聚类", ha="center", va="center")
        ax.set_axis_off()
    else:
        kwargs = {"truncate_mode": "lastp", "p": max_leaves} if n > max_leaves else {}
        dendrogram(
            linkage,
            labels=labels,
            orientation="left",
            ax=ax,
            leaf_font_size=fit_fontsize(shown),
            color_threshold=None,
            **kwargs,
        )
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    ax.set_title(title)
    return fig


def comparison_facets(
    long,
    *,
    facet: str,
    label: str,
    value: str,
    title: str,
    xlabel: str,
    ylabel: str = "",
    ncols: int = 3,
    max_bars: int = 10,
    max_facets: int = 12,
    value_format: object = "{:,.4g}",
    labels: Mapping | None = None,
) -> Figure | None:
    """Small multiples of horizontal bars: one panel per ``facet`` value.

    Each panel shows the ``max_bars`` largest ``value`` rows, labelled by
    ``label``. Panels have their own value scale, so compare within a panel.

    Args:
        long: A tidy ``pandas.DataFrame``.
        facet: Column naming the panel (e.g. ``measure`` or ``city``).
        label: Column of bar labels.
        value: Column of bar lengths.
        title: Figure title.
        xlabel: Value axis label (every panel).
        ylabel: Bar axis label (every panel).
        ncols: Panels per row.
        max_bars: Bars per panel.
        max_facets: Panels at most, in order of first appearance.
        value_format: Format string or function (e.g.
            :func:`citytext.plots.cn_number`) for the value at each bar's end
            and the value axis.
        labels: Bar labels by value of the ``label`` column (default: the
            values themselves).

    Returns:
        The figure, or ``None`` when ``long`` has no rows.
    """
    from matplotlib.ticker import FuncFormatter

    if long.empty:
        return None
    if labels is not None:
        long = long.assign(**{label: long[label].map(labels).fillna(long[label])})
    panels = list(dict.fromkeys(long[facet]))[:max_facets]
    n = max(len(panels), 1)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = new_figure(
        4.6 * ncols,
        0.32 * max_bars * nrows + 1.4 * nrows + 0.6,
        nrows=nrows,
        ncols=ncols,
        squeeze=False,
    )
    for ax in axes.flat[len(panels) :]:
        ax.set_axis_off()
    for ax, key in zip(axes.flat, panels, strict=False):
        sub = (
            long[long[facet] == key].sort_values(value, ascending=False).head(max_bars)
        )
        vals = sub[value].astype(float).to_numpy()
        ax.barh(range(len(sub)), vals, color="#4C72B0")
        ax.set_yticks(range(len(sub)))
        ax.set_yticklabels([str(v) for v in sub[label]], fontsize=8)
        ax.invert_yaxis()
        fmt = value_format.format if isinstance(value_format, str) else value_format
        for i, v in enumerate(vals):
            ax.text(v, i, " " + fmt(v), va="center", fontsize=7)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos, f=fmt: f(v)))
        ax.tick_params(axis="x", labelsize=7)
        ax.margins(x=0.25)
        ax.set_title(str(key), fontsize=10)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.set_ylabel(ylabel, fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def comparison_timeline(
    timeline, *, title: str, xlabel: str, ylabel: str, legend_title: str
) -> Figure | None:
    """Lines of a value per year, one line per series, with points marked.

    Args:
        timeline: ``pandas.DataFrame`` indexed by year, one column per series.
        title: Figure title.
        xlabel: Year axis label.
        ylabel: Value axis label.
        legend_title: Title of the legend.

    Returns:
        The figure, or ``None`` when ``timeline`` has no rows.
    """
    if timeline.empty:
        return None
    fig, ax = new_figure(9.0, 5.0)
    cmap = plt.get_cmap("tab20")
    x = [str(i) for i in timeline.index]
    for j, col in enumerate(timeline.columns):
        ax.plot(
            x,
            timeline[col].to_numpy(dtype=float),
            marker="o",
            color=cmap(j % 20),
            label=str(col),
        )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(
        title=legend_title, bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8
    )
    return fig


def comparison_coverage(
    per_place,
    per_year,
    *,
    title: str,
    place_label: str = "地方",
    year_label: str = "年份",
    count_label: str = "文档数",
) -> Figure:
    """Two panels: documents per place (bars) and documents per year.

    Args:
        per_place: ``pandas.Series`` of document counts indexed by place, in
            the order to draw (the caller cuts it to the places shown).
        per_year: ``pandas.Series`` of document counts indexed by year.
        title: Figure title.
        place_label: Place axis label.
        year_label: Year axis label.
        count_label: Count axis label.

    Returns:
        The figure.
    """
    n = len(per_place)
    fig, (ax1, ax2) = new_figure(
        12.0, min(3.0 + 0.26 * n, 30.0), ncols=2, gridspec_kw={"width_ratios": [2, 1]}
    )
    ax1.barh(range(n), per_place.to_numpy(dtype=float), color="#55A868")
    ax1.set_yticks(range(n))
    ax1.set_yticklabels([str(i) for i in per_place.index], fontsize=fit_fontsize(n))
    ax1.invert_yaxis()
    ax1.set_xlabel(count_label)
    ax1.set_ylabel(place_label)
    ax1.set_title(f"每个{place_label}的{count_label}")
    ax2.bar(
        [str(i) for i in per_year.index],
        per_year.to_numpy(dtype=float),
        color="#8172B2",
    )
    ax2.set_xlabel(year_label)
    ax2.set_ylabel(count_label)
    ax2.set_title(f"每{year_label}的{count_label}")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def comparison_paired_bars(
    frame,
    *,
    label: str,
    left: str,
    right: str,
    left_name: str,
    right_name: str,
    title: str,
    xlabel: str,
    ylabel: str,
) -> Figure | None:
    """Two bars per row (e.g. a city's topic share beside the corpus average).

    Args:
        frame: ``pandas.DataFrame`` with one row per bar pair.
        label: Column of row labels.
        left: Column of the first value.
        right: Column of the second value.
        left_name: Legend name of the first value.
        right_name: Legend name of the second value.
        title: Figure title.
        xlabel: Value axis label.
        ylabel: Row axis label.

    Returns:
        The figure, or ``None`` when ``frame`` has no rows.
    """
    import numpy as np

    if frame.empty:
        return None
    n = len(frame)
    fig, ax = new_figure(9.0, min(2.5 + 0.45 * n, 30.0))
    pos = np.arange(n)
    ax.barh(
        pos - 0.2,
        frame[left].astype(float),
        height=0.4,
        label=left_name,
        color="#C44E52",
    )
    ax.barh(
        pos + 0.2,
        frame[right].astype(float),
        height=0.4,
        label=right_name,
        color="#8C8C8C",
    )
    ax.set_yticks(pos)
    ax.set_yticklabels([str(v) for v in frame[label]], fontsize=fit_fontsize(n))
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return fig


def year_change_bars(
    change,
    *,
    title: str = "各主题占比：{first}年与{last}年",
    xlabel: str = "段落占比",
    ylabel: str = "主题（按变化排序）",
) -> Figure | None:
    """Each topic's share in the last year beside its share in the first year.

    Args:
        change: Rows of :func:`citytext.topics.year_change` (label,
            first_year, last_year, share_first, share_last), in the order to
            draw.
        title: Figure title; ``{first}`` and ``{last}`` become the two years.
        xlabel: Value axis label.
        ylabel: Topic axis label.

    Returns:
        The figure, or ``None`` when ``change`` has no rows (fewer than two
        years).
    """
    if change.empty:
        return None
    first, last = str(change["first_year"].iloc[0]), str(change["last_year"].iloc[0])
    return comparison_paired_bars(
        change,
        label="label",
        left="share_last",
        right="share_first",
        left_name=f"{last}年",
        right_name=f"{first}年",
        title=title.format(first=first, last=last),
        xlabel=xlabel,
        ylabel=ylabel,
    )


def comparison_bars(
    values, *, title: str, xlabel: str, ylabel: str, value_format: str = "{:,.0f}"
) -> Figure | None:
    """Horizontal bars of a labelled series, in the order given (first on top).

    Args:
        values: ``pandas.Series`` indexed by label.
        title: Figure title.
        xlabel: Value axis label.
        ylabel: Label axis label.
        value_format: Format of the value written at each bar's end.

    Returns:
        The figure, or ``None`` when ``values`` is empty.
    """
    if values.empty:
        return None
    n = len(values)
    fig, ax = new_figure(9.0, min(2.2 + 0.32 * n, 30.0))
    vals = values.to_numpy(dtype=float)
    ax.barh(range(n), vals, color="#4C72B0")
    ax.set_yticks(range(n))
    ax.set_yticklabels([str(i) for i in values.index], fontsize=fit_fontsize(n))
    ax.invert_yaxis()
    for i, v in enumerate(vals):
        ax.text(v, i, " " + value_format.format(v), va="center", fontsize=7)
    ax.margins(x=0.15)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def campaign_diffusion(timeline, *, title: str, xlabel: str) -> Figure | None:
    """When each place first names each campaign: one row per campaign.

    Args:
        timeline: ``pandas.DataFrame`` with ``campaign``, ``city`` and
            ``first_date`` (ISO date, or a year when only the year is known),
            as from :func:`citytext.compare.campaigns.timeline`; campaigns are
            drawn top to bottom in their order of appearance.
        title: Figure title.
        xlabel: Date axis label.

    Returns:
        The figure (``None`` when ``timeline`` has no rows). Filled dots are
        dated documents; hollow dots are placed at 1 July when only the year
        is known. The first place is labelled.
    """
    import pandas as pd

    if timeline.empty:
        return None
    order = list(dict.fromkeys(timeline["campaign"]))
    fig, ax = new_figure(10.0, max(3.0, 0.45 * len(order) + 1.5))
    year_only = timeline["first_date"].str.fullmatch(r"\d{4}")
    when = pd.to_datetime(
        timeline["first_date"].where(~year_only, timeline["first_date"] + "-07-01"),
        errors="coerce",
    )
    y = timeline["campaign"].map({c: i for i, c in enumerate(order)})
    ax.scatter(when[~year_only], y[~year_only], s=18, color="tab:blue", alpha=0.6)
    ax.scatter(
        when[year_only], y[year_only], s=18, facecolors="none",
        edgecolors="tab:blue", alpha=0.6,
    )  # fmt: skip
    first = timeline.assign(when=when).dropna(subset=["when"])
    first = first.sort_values("when", kind="mergesort").drop_duplicates("campaign")
    for r in first.itertuples(index=False):
        ax.annotate(
            str(r.city), (r.when, order.index(r.campaign)), fontsize=7,
            xytext=(3, 4), textcoords="offset points",
        )  # fmt: skip
    ax.set_yticks(
        range(len(order)),
        [f"{c} ({(timeline['campaign'] == c).sum()}地)" for c in order],
    )
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    fig.autofmt_xdate()
    return fig
