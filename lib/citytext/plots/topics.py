"""Topic figures (notebooks 02 and 05): top terms, shares by place, the choice of k."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from citytext.plots.base import fit_fontsize, new_figure, setup
from citytext.topics.selection import MAX_SHARE


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
) -> Figure | None:
    """Heatmap of a group × topic share matrix (city_topics.csv layout).

    Args:
        shares: Columns ``by``, ``n_units``, ``topic_0`` … (mean topic weight).
        labels: Optional ``{topic_id: label}`` for the column names.
        by: The grouping column.
        title: Figure title.
        ylabel: Row axis label.

    Returns:
        The figure, or ``None`` when ``shares`` is ``None`` or has no rows.
    """
    if shares is None or shares.empty:
        return None
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
        fontsize=fit_fontsize(n_cols),
    )
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([str(v) for v in shares[by]], fontsize=fit_fontsize(n_rows))
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


def k_selection(selection, *, title: str = "主题数 k 的选择") -> Figure | None:
    """Curves of the k sweep: coherence, diversity, stability, quality, top share.

    Args:
        selection: topic_selection.csv rows (k, coherence, diversity,
            stability, quality, chosen; max_share when present).
        title: Figure title.

    Returns:
        The figure; the chosen k is marked with a dashed line and, with
        ``max_share``, the share cap with a dotted one. ``None`` when no k
        was swept (``selection`` has no rows).
    """
    if selection.empty:
        return None
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
