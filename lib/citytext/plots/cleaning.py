"""Cleaning figures (notebook 01): what cleaning removed from each document."""

from __future__ import annotations

from matplotlib.figure import Figure

from citytext.plots.base import new_figure


def cleaning_sizes(sizes) -> Figure:
    """Characters of each document before and after cleaning, as overlaid bars.

    Args:
        sizes: ``pandas.DataFrame`` with ``doc_id``, ``chars_before`` and
            ``chars_after`` (as from :func:`citytext.clean.size_table`), drawn
            top to bottom in its row order.

    Returns:
        The figure.
    """
    fig, ax = new_figure(8, 0.5 + 0.4 * len(sizes))
    ax.barh(sizes["doc_id"], sizes["chars_before"], color="#cccccc", label="before")
    ax.barh(sizes["doc_id"], sizes["chars_after"], color="#1f77b4", label="after")
    ax.set_xlabel("字符数 characters")
    ax.invert_yaxis()
    ax.legend()
    return fig
