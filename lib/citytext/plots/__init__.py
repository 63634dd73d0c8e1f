"""CJK-capable matplotlib figures for the notebooks.

:mod:`citytext.plots.base` holds the font set-up and :func:`savefig`; the
figure functions live by family: :mod:`~citytext.plots.cleaning` (01),
:mod:`~citytext.plots.topics` (02, 05), :mod:`~citytext.plots.metrics` (03, 05)
and :mod:`~citytext.plots.compare` (04, 05). Each takes tidy DataFrames and
returns a ``matplotlib.figure.Figure``; notebooks call them as
``plots.<name>``. A function a notebook may call on a table with no rows (a
run without topics, places without shared text) returns ``None`` instead, and
:func:`savefig` saves nothing for ``None``: the notebook's cell stays one call
and the page says in words why the figure is missing.
"""

from citytext.plots.base import (
    FIGURES_SUBDIR,
    cjk_font_path,
    cn_number,
    new_figure,
    savefig,
    setup,
)
from citytext.plots.cleaning import cleaning_sizes
from citytext.plots.compare import (
    campaign_diffusion,
    comparison_bars,
    comparison_coverage,
    comparison_dendrogram,
    comparison_facets,
    comparison_heatmap,
    comparison_paired_bars,
    comparison_stacked_bars,
    comparison_timeline,
    year_change_bars,
)
from citytext.plots.metrics import (
    gdp_targets,
    metric_categories,
    target_achieved_bars,
    target_achieved_scatter,
)
from citytext.plots.topics import k_selection, topic_heatmap, topic_terms

__all__ = [
    "FIGURES_SUBDIR",
    "campaign_diffusion",
    "cjk_font_path",
    "cleaning_sizes",
    "cn_number",
    "comparison_bars",
    "comparison_coverage",
    "comparison_dendrogram",
    "comparison_facets",
    "comparison_heatmap",
    "comparison_paired_bars",
    "comparison_stacked_bars",
    "comparison_timeline",
    "gdp_targets",
    "k_selection",
    "metric_categories",
    "new_figure",
    "savefig",
    "setup",
    "target_achieved_bars",
    "target_achieved_scatter",
    "topic_heatmap",
    "topic_terms",
    "year_change_bars",
]
