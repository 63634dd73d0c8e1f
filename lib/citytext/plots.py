"""CJK-capable matplotlib figures.

The project installs a freely licensed Simplified Chinese font (Noto Sans SC,
SIL Open Font License, shipped in the ``pylopdf-fonts-zh-cn`` wheel). Setting a
family name is not enough for matplotlib to find a font outside the system
folders, so :func:`setup` registers the file with ``fontManager.addfont`` and
puts it first in ``font.sans-serif``. Every figure function in the library
calls :func:`setup` and saves through :func:`savefig`.

Figure functions for each analysis live here too; each takes tidy DataFrames
and returns a ``matplotlib.figure.Figure``.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

from citytext import config, names, numfmt
from citytext.topics.selection import MAX_SHARE

logger = logging.getLogger(__name__)

FIGURES_SUBDIR = "figures"


@functools.cache
def cjk_font_path() -> Path:
    """Return the path of the bundled Simplified Chinese font (an OTF file).

    Raises:
        RuntimeError: If the font package is not installed.
    """
    try:
        import pylopdf_fonts_zh_cn
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise RuntimeError(
            "The Chinese font package 'pylopdf-fonts-zh-cn' is not installed; "
            "run `make env` to install the pinned requirements."
        ) from exc
    path = Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"
    if not path.is_file():  # pragma: no cover
        raise RuntimeError(f"Chinese font file missing: {path}")
    return path


@functools.cache
def setup() -> str:
    """Register the CJK font with matplotlib and make it the default.

    Returns:
        The font family name now used for all text.
    """
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["figure.dpi"] = 100
    matplotlib.rcParams["savefig.dpi"] = 120
    matplotlib.rcParams["savefig.bbox"] = "tight"
    matplotlib.rcParams["svg.fonttype"] = "none"
    logger.debug("registered CJK font %s from %s", name, path)
    return name


def new_figure(
    width: float = 8.0, height: float = 5.0, **kwargs
) -> tuple[Figure, object]:
    """Create a figure and axes with the CJK font registered.

    Args:
        width: Width in inches.
        height: Height in inches.
        **kwargs: Passed to :func:`matplotlib.pyplot.subplots`.

    Returns:
        ``(fig, ax)`` as from ``plt.subplots``.
    """
    setup()
    return plt.subplots(figsize=(width, height), **kwargs)


def savefig(fig: Figure, run_dir: Path | str, name: str, *, show: bool = True) -> Path:
    """Save ``fig`` as ``run_dir/figures/<name>.png``, show it, and close it.

    In a notebook the saved PNG is displayed as the cell's output, so the
    rendered page and the figures folder show the same image; the figure is
    then closed so long runs do not accumulate open figures (and the inline
    backend does not show it a second time).

    Args:
        fig: The figure.
        run_dir: The run directory.
        name: File stem, e.g. ``"02_topic_terms"``; a stem built from data
            (a place) is made safe with :func:`citytext.names.safe_name`.
        show: Display the PNG when running in a notebook.

    Returns:
        The PNG path, always inside ``run_dir/figures``.
    """
    folder = Path(run_dir) / FIGURES_SUBDIR
    stem = names.safe_name(name, max_chars=2 * names.MAX_NAME_CHARS)
    out = names.inside(folder / f"{stem}.png", folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_png(fig, out)
    if show and _in_notebook():
        _show_png(out)
    plt.close(fig)
    return out


def _write_png(fig: Figure, out: Path) -> None:
    """Write ``fig`` as a PNG with a 256-colour palette.

    Figures are flat colours and anti-aliased text: a palette image looks the
    same and is about a third of the size of matplotlib's RGBA file, which
    matters for a report with hundreds of profile pages. matplotlib renders
    once into an uncompressed PNG in memory; Pillow quantises it.
    """
    import io

    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(
        buf, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 0}
    )
    buf.seek(0)
    with Image.open(buf) as image:
        palette = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.FASTOCTREE
        )
    palette.save(out, format="PNG")


def _show_png(path: Path) -> None:
    """Show a saved PNG: embedded, or by reference from a run's pages.

    When the runner executes the notebook (``CITYTEXT_ASSETS`` set), pages and
    executed notebooks refer to the file in the run directory instead of
    carrying a copy of it: ``<img src="../figures/...">``.
    """
    from IPython.display import HTML, Image, display

    rel = None
    if config.page_assets():
        try:
            rel = path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            rel = None
    if rel is None:
        display(Image(filename=str(path)))
        return
    from html import escape
    from urllib.parse import quote

    src = escape("../" + quote(rel.as_posix()), quote=True)
    alt = escape(path.stem, quote=True)
    display(HTML(f'<img class="citytext-figure" src="{src}" alt="{alt}">'))


def _in_notebook() -> bool:
    """Return whether code runs in a Jupyter kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


# --------------------------------------------------------------------------
# Cross-city comparison figures (notebooks 04 and 05)
# --------------------------------------------------------------------------
def cn_number(value: float) -> str:
    """Format a number the Chinese way: 2.9e11 → ``2900亿``, 17600 → ``1.76万``.

    See :func:`citytext.numfmt.cn_number` (never scientific notation).
    """
    return numfmt.cn_number(value)


def _fit_fontsize(n_labels: int, *, base: float = 10.0, floor: float = 6.0) -> float:
    """Shrink tick labels as their number grows (readable up to a few hundred)."""
    return max(floor, base - max(0, n_labels - 20) * 0.08)


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
) -> Figure:
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

    Returns:
        The figure.
    """
    import numpy as np

    n_rows, n_cols = matrix.shape
    fig, ax = new_figure(min(3.0 + 0.42 * n_cols, 22.0), min(2.2 + 0.3 * n_rows, 40.0))
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(values, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels(
        [str(c) for c in matrix.columns],
        rotation=60,
        ha="right",
        fontsize=_fit_fontsize(n_cols),
    )
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([str(i) for i in matrix.index], fontsize=_fit_fontsize(n_rows))
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
    shares, *, title: str, xlabel: str, ylabel: str, legend_title: str
) -> Figure:
    """Horizontal stacked bars: one bar per row of ``shares``, one segment per column.

    Args:
        shares: ``pandas.DataFrame`` of shares (rows sum to about 1).
        title: Figure title.
        xlabel: Value axis label.
        ylabel: Category axis label.
        legend_title: Title of the legend (what the segments are).

    Returns:
        The figure.
    """
    import numpy as np

    n_rows = len(shares)
    fig, ax = new_figure(10.0, min(2.5 + 0.3 * n_rows, 40.0))
    cmap = plt.get_cmap("tab20")
    left = np.zeros(n_rows)
    for j, col in enumerate(shares.columns):
        vals = shares[col].to_numpy(dtype=float)
        ax.barh(range(n_rows), vals, left=left, color=cmap(j % 20), label=str(col))
        left = left + vals
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([str(i) for i in shares.index], fontsize=_fit_fontsize(n_rows))
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
            leaf_font_size=_fit_fontsize(shown),
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
) -> Figure:
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
        value_format: Format string or function (e.g. :func:`cn_number`) for
            the value at each bar's end and the value axis.

    Returns:
        The figure.
    """
    from matplotlib.ticker import FuncFormatter

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
) -> Figure:
    """Lines of a value per year, one line per series, with points marked.

    Args:
        timeline: ``pandas.DataFrame`` indexed by year, one column per series.
        title: Figure title.
        xlabel: Year axis label.
        ylabel: Value axis label.
        legend_title: Title of the legend.

    Returns:
        The figure.
    """
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
    ax1.set_yticklabels([str(i) for i in per_place.index], fontsize=_fit_fontsize(n))
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
) -> Figure:
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
        The figure.
    """
    import numpy as np

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
    ax.set_yticklabels([str(v) for v in frame[label]], fontsize=_fit_fontsize(n))
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return fig


def comparison_bars(
    values, *, title: str, xlabel: str, ylabel: str, value_format: str = "{:,.0f}"
) -> Figure:
    """Horizontal bars of a labelled series, in the order given (first on top).

    Args:
        values: ``pandas.Series`` indexed by label.
        title: Figure title.
        xlabel: Value axis label.
        ylabel: Label axis label.
        value_format: Format of the value written at each bar's end.

    Returns:
        The figure.
    """
    n = len(values)
    fig, ax = new_figure(9.0, min(2.2 + 0.32 * n, 30.0))
    vals = values.to_numpy(dtype=float)
    ax.barh(range(n), vals, color="#4C72B0")
    ax.set_yticks(range(n))
    ax.set_yticklabels([str(i) for i in values.index], fontsize=_fit_fontsize(n))
    ax.invert_yaxis()
    for i, v in enumerate(vals):
        ax.text(v, i, " " + value_format.format(v), va="center", fontsize=7)
    ax.margins(x=0.15)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def topic_terms(
    topics, *, n_terms: int = 10, title: str = "各主题的高权重词", cols: int = 3
) -> Figure:
    """Small multiples: each topic's top terms as bars, in rank order.

    Args:
        topics: topics.csv rows (topic_id, label, top_terms space-joined, share).
        n_terms: Terms drawn per topic.
        title: Figure title.
        cols: Panels per row.

    Returns:
        The figure.
    """
    import math

    setup()
    k = len(topics)
    rows = max(1, math.ceil(k / cols))
    size = (4.2 * cols, 0.28 * n_terms * rows + 1.2)
    fig, axes = plt.subplots(rows, cols, figsize=size)
    flat = list(axes.ravel()) if hasattr(axes, "ravel") else [axes]
    for ax, (_, row) in zip(flat, topics.iterrows(), strict=False):
        terms = str(row["top_terms"]).split()[:n_terms]
        ranks = list(range(len(terms), 0, -1))
        ax.barh(range(len(terms)), ranks, color="#4C72B0")
        ax.set_yticks(range(len(terms)))
        ax.set_yticklabels(terms, fontsize=8)
        ax.invert_yaxis()
        ax.set_xticks([])
        share = float(row["share"])
        ax.set_title(f"{row['topic_id']}: {row['label']}（{share:.0%}）", fontsize=9)
        ax.set_xlabel("词序（越长越靠前）", fontsize=7)
    for ax in flat[k:]:
        ax.set_visible(False)
    fig.suptitle(title)
    fig.supylabel("高权重词")
    fig.tight_layout()
    return fig


def topic_heatmap(
    shares,
    *,
    labels: dict | None = None,
    by: str = "city",
    title: str = "城市 × 主题 占比",
    ylabel: str = "城市",
) -> Figure:
    """Heatmap of a group × topic share matrix (city_topics.csv layout).

    Args:
        shares: Columns ``by``, ``n_units``, ``topic_0`` … (mean topic weight).
        labels: Optional ``{topic_id: label}`` for the column names.
        by: The grouping column.
        title: Figure title.
        ylabel: Row axis label.

    Returns:
        The figure.
    """
    cols = [c for c in shares.columns if str(c).startswith("topic_")]
    values = shares[cols].to_numpy(dtype=float)
    names = [(labels or {}).get(int(c.split("_")[1]), c.split("_")[1]) for c in cols]
    n_rows, n_cols = values.shape
    fig, ax = new_figure(max(6.0, 0.7 * n_cols + 3), min(1.5 + 0.32 * n_rows, 30.0))
    top = max(values.max(), 1e-9)
    im = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=top)
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels(
        [f"{i}:{n}" for i, n in enumerate(names)],
        rotation=45,
        ha="right",
        fontsize=_fit_fontsize(n_cols),
    )
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([str(v) for v in shares[by]], fontsize=_fit_fontsize(n_rows))
    if n_rows * n_cols <= 300:
        for i in range(n_rows):
            for j in range(n_cols):
                v = values[i, j]
                colour = "white" if v > 0.6 * top else "black"
                ax.text(
                    j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color=colour
                )
    fig.colorbar(im, ax=ax, label="平均主题权重")
    ax.set_title(title)
    ax.set_xlabel("主题")
    ax.set_ylabel(ylabel)
    return fig


def k_selection(selection, *, title: str = "主题数 k 的选择") -> Figure:
    """Curves of the k sweep: coherence, diversity, stability, quality, top share.

    Args:
        selection: topic_selection.csv rows (k, coherence, diversity,
            stability, quality, chosen; max_share when present).
        title: Figure title.

    Returns:
        The figure; the chosen k is marked with a dashed line and, with
        ``max_share``, the share cap with a dotted one.
    """
    fig, ax = new_figure(8.0, 4.5)
    series = [
        ("coherence", "一致性 NPMI", "o-"),
        ("diversity", "多样性", "s-"),
        ("stability", "稳定性", "^-"),
        ("quality", "质量 =(NPMI+1)/2×多样性", "D-"),
    ]
    if "max_share" in selection:
        series.append(("max_share", "最大主题占比", "x-"))
    for col, name, style in series:
        ax.plot(selection["k"], selection[col].astype(float), style, label=name)
    if "max_share" in selection:
        cap = MAX_SHARE
        ax.axhline(cap, color="#C44E52", ls=":", lw=1)
        ax.text(
            selection["k"].min(), cap, f"占比上限 {cap:.0%}", va="bottom", fontsize=8
        )
    chosen = selection.loc[selection["chosen"].astype(bool), "k"]
    if len(chosen):
        best = int(chosen.iloc[0])
        ax.axvline(best, color="grey", ls="--", lw=1)
        ax.text(best, ax.get_ylim()[1], f" 选定 k={best}", va="top", fontsize=8)
    ax.set_xticks(list(selection["k"]))
    ax.set_title(title)
    ax.set_xlabel("主题数 k")
    ax.set_ylabel("得分")
    ax.legend(fontsize=8, loc="best")
    return fig


def campaign_diffusion(timeline, *, title: str, xlabel: str) -> Figure:
    """When each place first names each campaign: one row per campaign.

    Args:
        timeline: ``pandas.DataFrame`` with ``campaign``, ``city`` and
            ``first_date`` (ISO date, or a year when only the year is known),
            as from :func:`citytext.compare.campaigns.timeline`; campaigns are drawn
            top to bottom in their order of appearance.
        title: Figure title.
        xlabel: Date axis label.

    Returns:
        The figure. Filled dots are dated documents; hollow dots are placed
        at 1 July when only the year is known. The first place is labelled.
    """
    import pandas as pd

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


def target_achieved_bars(pairs, place: str = "", *, title: str = "") -> Figure:
    """One place: its target for each indicator and year beside its result.

    Args:
        pairs: Rows of :func:`citytext.metrics.target_vs_achieved`.
        place: The place to draw; "" = every row (pairs of one place already).
        title: Figure title; default names the place.

    Returns:
        The figure.
    """
    rows = pairs[pairs["place"] == place] if place else pairs
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
