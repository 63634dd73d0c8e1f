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


def test_no_rows_no_figure_and_nothing_saved(tmp_path):
    import pandas as pd

    empty = pd.DataFrame()
    assert (
        plots.comparison_heatmap(
            empty, title="", xlabel="", ylabel="", colorbar_label=""
        )
        is None
    )
    assert (
        plots.comparison_stacked_bars(
            empty, title="", xlabel="", ylabel="", legend_title=""
        )
        is None
    )
    assert (
        plots.comparison_timeline(
            empty, title="", xlabel="", ylabel="", legend_title=""
        )
        is None
    )
    assert (
        plots.comparison_bars(pd.Series(dtype=float), title="", xlabel="", ylabel="")
        is None
    )
    no_pairs = pd.DataFrame(
        columns=["place", "indicator", "year", "target", "achieved"]
    )
    assert plots.target_achieved_bars(no_pairs) is None
    assert plots.k_selection(pd.DataFrame(columns=["k", "coherence"])) is None
    assert plots.topic_heatmap(None) is None
    facets = pd.DataFrame(columns=["measure", "city", "value"])
    assert (
        plots.comparison_facets(facets, facet="measure", label="city", value="value",
                                title="", xlabel="") is None
    )  # fmt: skip
    assert plots.savefig(None, tmp_path, "04_nothing") is None
    assert not (tmp_path / plots.FIGURES_SUBDIR).exists()


def test_rows_are_labelled_from_a_mapping_and_changes_centred_on_zero():
    import pandas as pd

    change = pd.DataFrame(
        {"就业": [12.0, -3.0], "生态": [-30.0, 0.0]}, index=["甲", "乙"]
    )
    fig = plots.comparison_heatmap(
        change, labels={"甲": "甲 (2篇)"}, title="变化", xlabel="话题", ylabel="地方",
        colorbar_label="百分点", cmap="RdBu_r", symmetric=True,
    )  # fmt: skip
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["甲 (2篇)", "乙"]
    assert ax.images[0].get_clim() == (-30.0, 30.0)
    matplotlib.pyplot.close(fig)
    flat = plots.comparison_heatmap(
        change * 0, title="", xlabel="", ylabel="", colorbar_label="", symmetric=True
    )
    assert flat.axes[0].images[0].get_clim() == (-1.0, 1.0)
    matplotlib.pyplot.close(flat)
    long = pd.DataFrame(
        {"measure": ["m", "m"], "city": ["甲", "乙"], "value": [2.0, 1.0]}
    )
    fig = plots.comparison_facets(
        long, facet="measure", label="city", value="value", title="", xlabel="",
        labels={"甲": "甲 (2篇)"},
    )  # fmt: skip
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["甲 (2篇)", "乙"]
    matplotlib.pyplot.close(fig)


def test_year_change_bars_name_the_two_years():
    import pandas as pd

    change = pd.DataFrame(
        {"label": ["就业", "生态"], "first_year": ["2022"] * 2,
         "last_year": ["2023"] * 2, "share_first": [0.2, 0.5],
         "share_last": [0.4, 0.3]}
    )  # fmt: skip
    fig = plots.year_change_bars(change, title="占比：{first}年与{last}年")
    ax = fig.axes[0]
    assert ax.get_title() == "占比：2022年与2023年"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2023年", "2022年"]
    assert [p.get_width() for p in ax.patches] == [0.4, 0.3, 0.2, 0.5]
    matplotlib.pyplot.close(fig)
    assert plots.year_change_bars(change.iloc[:0]) is None


def _tight_size(fig):
    from citytext.plots import base

    with base._draw_tight(fig) as image:  # noqa: SLF001 - the reference path
        return image.size


def test_saved_figure_keeps_what_reaches_past_its_edge(tmp_path, monkeypatch):
    """Long tick labels left of the figure and a legend right of it are kept,
    in one draw: the size is what matplotlib's tight saving gives."""
    from PIL import Image

    from citytext.plots import base

    def figure():
        fig, ax = plots.new_figure(6, 3)
        ax.barh(["较长的话题标签之一", "短"], [3, 1], label="一个图例")
        ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left")
        return fig

    expected = _tight_size(figure())
    monkeypatch.setattr(base, "_draw_tight", lambda fig: 1 / 0)
    out = plots.savefig(figure(), tmp_path, "edge", show=False)
    with Image.open(out) as image:
        width, height = image.size
        assert image.mode == "P"
    assert abs(width - expected[0]) <= 4 and abs(height - expected[1]) <= 4


def test_figure_reaching_past_the_margin_is_saved_the_tight_way(tmp_path):
    from PIL import Image

    from citytext.plots import base

    fig, ax = plots.new_figure(4, 3)
    ax.plot([0, 1], [0, 1])
    # Starts 0.4 inches left of the figure and runs on past the margin.
    fig.text(-0.1, 0.5, "一段很长很长很长很长很长很长的说明文字", ha="right")
    assert base._draw_once(fig) is None  # noqa: SLF001
    expected = _tight_size(fig)
    out = plots.savefig(fig, tmp_path, "far", show=False)
    with Image.open(out) as image:
        assert image.size == expected
