"""Figures render Chinese with the bundled font, never tofu boxes."""

from __future__ import annotations

import warnings

import matplotlib

from citytext import plots


def test_font_is_bundled_simplified_chinese_otf():
    path = plots.cjk_font_path()
    assert path.suffix == ".otf" and path.is_file()
    assert plots.setup() == "Noto Sans SC"
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"


def test_chinese_labels_draw_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error"
        )  # "Glyph ... missing from font(s)" is a UserWarning
        fig, ax = plots.new_figure(4, 3)
        ax.bar(["鸡西", "青岛", "陵城", "海阳", "海城"], [3, 1, 4, 1, 5])
        ax.set_title("能力作风建设 · 晾晒排名（次）")
        ax.set_xlabel("城市")
        ax.set_ylabel("提及次数 −")
        out = plots.savefig(fig, tmp_path, "cjk")
    assert out.is_file() and out.stat().st_size > 5000


def test_missing_glyph_would_be_caught(tmp_path):
    """The check above is meaningful: without the font, matplotlib warns."""
    import pytest
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title("鸡西", fontfamily="DejaVu Sans")
    with pytest.warns(UserWarning, match="missing from font"):
        fig.savefig(tmp_path / "tofu.png")


def test_cleaning_sizes_draws_before_behind_after():
    import pandas as pd

    sizes = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "chars_before": [900, 400, 50],
         "chars_after": [600, 400, 0]}
    )  # fmt: skip
    fig = plots.cleaning_sizes(sizes)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [900, 400, 50, 600, 400, 0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert ax.yaxis_inverted()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["before", "after"]
    matplotlib.pyplot.close(fig)
