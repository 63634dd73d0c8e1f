"""Topic shares by place and year: sums, year change, emphasis."""

from __future__ import annotations

import pandas as pd
import pytest

from citytext import procedural, topics

TOPICS = pd.DataFrame({"topic_id": [0, 1], "label": ["就业·创业", "生态·保护"],
                       "share": [0.5, 0.5]})  # fmt: skip
ARTICLES = pd.DataFrame(
    {"doc_id": ["a22", "a23", "b22", "b23"], "city": ["甲市", "甲市", "乙市", "乙市"],
     "year": ["2022", "2023", "2022", "2023"]}
)  # fmt: skip
# doc_topics rows: weights below 0.01 omitted, rows renormalised by the module
DOC_TOPICS = pd.DataFrame(
    {"doc_id": ["a22", "a22", "a23", "b22", "b23", "b23"],
     "para_id": ["0", "0", "0", "0", "0", "0"],
     "topic_id": ["0", "1", "0", "1", "0", "1"],
     "weight": ["0.6", "0.2", "1.0", "1.0", "0.5", "0.5"]}
)  # fmt: skip


def test_shares_long_sum_to_one_per_group():
    long = topics.shares_long(DOC_TOPICS, ARTICLES, TOPICS, ["year"])
    sums = long.groupby("year")["share"].sum()
    assert sums.round(6).tolist() == [1.0, 1.0]
    y22 = long[long["year"] == "2022"].set_index("topic_id")["share"]
    assert y22[0] == pytest.approx((0.75 + 0.0) / 2)
    assert set(long["label"]) == {"就业·创业", "生态·保护"}


def test_year_change_first_vs_last():
    long = topics.shares_long(DOC_TOPICS, ARTICLES, TOPICS, ["year"])
    ch = topics.year_change(long)
    assert ch["first_year"].iloc[0] == "2022" and ch["last_year"].iloc[0] == "2023"
    jobs = ch.set_index("topic_id").loc[0]
    assert jobs["change"] == pytest.approx((0.75 - 0.375) * 100, abs=0.01)
    assert ch["change"].iloc[0] >= ch["change"].iloc[-1]
    one_year = long[long["year"] == "2022"]
    assert topics.year_change(one_year).empty


def test_emphasis_and_leaders():
    long = topics.shares_long(DOC_TOPICS, ARTICLES, TOPICS, ["city"])
    emph = topics.emphasis(long, TOPICS.set_index("topic_id")["share"], min_units=1)
    top = emph[emph["topic_id"] == 0].iloc[0]
    assert top["city"] == "甲市" and top["lift"] > 1
    assert topics.emphasis(long, TOPICS["share"], min_units=5).empty
    lead = topics.leaders(emph, n=1)
    assert lead.loc[0, "places"].startswith("甲市")
    wide = topics.matrix(emph, "city", "lift")
    assert list(wide.columns) == ["就业·创业", "生态·保护"]


def test_place_year_change():
    long = topics.shares_long(DOC_TOPICS, ARTICLES, TOPICS, ["city", "year"])
    ch = topics.place_year_change(long)
    assert set(ch["city"]) == {"甲市", "乙市"}
    b = ch[(ch["city"] == "乙市") & (ch["topic_id"] == 0)].iloc[0]
    assert b["change"] == pytest.approx(50.0)


def test_flag_summary_counts():
    paras = pd.DataFrame(
        {"flags": ["procedural", "", "heading", ""],
         "text": ["各位代表！", "全市新增就业3万人。", "（一）稳就业", "治理污染。"]}
    )  # fmt: skip
    s = procedural.flag_summary(paras).set_index("flag")
    assert s.loc["procedural", "paragraphs"] == 1 and s.loc["(none)", "paragraphs"] == 2
    assert s["paragraphs"].sum() == len(paras)


def test_lift_matrix_keeps_the_largest_places():
    long = topics.shares_long(DOC_TOPICS, ARTICLES, TOPICS, ["city"])
    emph = topics.emphasis(long, TOPICS.set_index("topic_id")["share"], min_units=1)
    bigger = emph.assign(n_units=emph["n_units"].where(emph["city"] != "甲市", 9))
    one = topics.lift_matrix(bigger, 1)
    assert one.index.tolist() == ["甲市"]
    assert (
        one.loc["甲市"].tolist()
        == topics.matrix(emph, "city", "lift").loc["甲市"].tolist()
    )
    tie = topics.lift_matrix(emph, 2)
    assert tie.index.tolist() == ["乙市", "甲市"]  # same size: by name


# --------------------------------------------------------------------------
# Views for notebooks 02 and 04
# --------------------------------------------------------------------------
def test_topic_years_compares_the_first_and_last_year_overall_and_by_place():
    years = topics.topic_years(
        ARTICLES, doc_topics=DOC_TOPICS, topics=TOPICS, places=["乙市", "丙市", "甲市"]
    )
    assert (years.first, years.last, years.n_places) == ("2022", "2023", 2)
    overall = topics.year_change(
        topics.shares_long(DOC_TOPICS, ARTICLES, TOPICS, ["year"])
    )
    pd.testing.assert_frame_equal(years.change, overall)
    assert years.places.index.tolist() == ["乙市", "甲市"], "order given, known only"
    assert years.places.columns.tolist() == ["就业·创业", "生态·保护"]
    assert years.places.loc["乙市", "就业·创业"] == pytest.approx(50.0)
    assert years.places.loc["甲市", "生态·保护"] == pytest.approx(-25.0)
    moves = years.moves
    assert moves["change"].abs().tolist() == pytest.approx([50.0, 50.0, 25.0, 25.0])
    assert moves["city"].tolist() == ["乙市", "乙市", "甲市", "甲市"]
    facts = topics.topic_years_facts(years)
    assert facts == {"first": "2022", "last": "2023", "n_places": 2, "n_shown": 2}
    few = topics.topic_years(ARTICLES, doc_topics=DOC_TOPICS, topics=TOPICS, places=[])
    assert few.places.empty and len(few.moves) == 4
    assert topics.topic_years_facts(few)["n_shown"] == 0
    every = topics.topic_years(ARTICLES, doc_topics=DOC_TOPICS, topics=TOPICS)
    assert every.places.index.tolist() == ["乙市", "甲市"]


@pytest.mark.parametrize(
    ("articles", "doc_topics", "topic_table"),
    [
        (ARTICLES.assign(year="2022"), DOC_TOPICS, TOPICS),
        (ARTICLES, None, None),
        (ARTICLES, DOC_TOPICS.iloc[:0], TOPICS),
        (ARTICLES.drop(columns="year"), DOC_TOPICS, TOPICS),
    ],
    ids=["one year", "no topic stage", "no weights", "no year column"],
)
def test_topic_years_without_a_comparison(articles, doc_topics, topic_table):
    years = topics.topic_years(articles, doc_topics=doc_topics, topics=topic_table)
    assert years.change.empty and years.places.empty and years.moves.empty
    assert "change" in years.moves.columns and years.n_places == 0
    assert topics.topic_years_facts(years) is None
    assert topics.year_change_facts(years.change) is None


def test_read_topic_weights_feeds_topic_years(tmp_path):
    from citytext import runfiles

    runfiles.write_csv(DOC_TOPICS, tmp_path / runfiles.DOC_TOPICS)
    runfiles.write_csv(TOPICS, tmp_path / runfiles.TOPICS)
    weights = runfiles.read_topic_weights(tmp_path)
    assert set(weights) == {"doc_topics", "topics"}
    assert weights["topics"]["topic_id"].tolist() == [0, 1]
    assert weights["doc_topics"]["weight"].tolist() == DOC_TOPICS["weight"].tolist()
    years = topics.topic_years(ARTICLES, places=["甲市"], **weights)
    assert years.places.index.tolist() == ["甲市"] and len(years.moves) == 4
    (tmp_path / runfiles.TOPICS).unlink()
    assert runfiles.read_topic_weights(tmp_path) == {"doc_topics": None, "topics": None}


def test_first_last_change_and_its_facts():
    change = topics.first_last_change(DOC_TOPICS, ARTICLES, TOPICS)
    facts = topics.year_change_facts(change)
    assert (facts["first"], facts["last"]) == ("2022", "2023")
    assert facts["up"] == "就业·创业" and facts["down"] == "生态·保护"
    assert facts["up_change"] == pytest.approx((0.75 - 0.375) * 100, abs=0.01)
    assert facts["up_first"] == pytest.approx(0.375)


def test_place_emphasis_uses_the_corpus_share_of_topics_csv():
    emph = topics.place_emphasis(DOC_TOPICS, ARTICLES, TOPICS, min_units=1)
    long = topics.shares_long(DOC_TOPICS, ARTICLES, TOPICS, ["city"])
    expected = topics.emphasis(long, TOPICS.set_index("topic_id")["share"], min_units=1)
    pd.testing.assert_frame_equal(emph, expected)
    assert topics.place_emphasis(DOC_TOPICS, ARTICLES, TOPICS, min_units=3).empty


def test_year_shares_trends_and_highlights():
    three = pd.concat(
        [
            ARTICLES,
            pd.DataFrame({"doc_id": ["c24"], "city": ["甲市"], "year": ["2024"]}),
        ]
    )
    doc_topics = pd.concat(
        [DOC_TOPICS, pd.DataFrame({"doc_id": ["c24"], "para_id": ["0"],
                                   "topic_id": ["1"], "weight": ["1.0"]})]
    )  # fmt: skip
    assert topics.year_shares(doc_topics, ARTICLES).empty, "two years: no trend"
    years = topics.year_shares(doc_topics, three)
    assert years["year"].tolist() == ["2022", "2023", "2024"]
    assert topics.trend_facts(years) == {"y0": "2022", "y1": "2024", "n": 3}
    trends = topics.trends(years, TOPICS, "year")
    top = topics.trend_highlights(trends, n=1)
    assert top.columns.tolist() == topics.views.HIGHLIGHT_COLUMNS
    assert top["word"].tolist() == ["gained", "lost"]
    assert top["label"].tolist() == [trends["label"].iloc[0], trends["label"].iloc[-1]]
    empty = topics.year_shares(doc_topics, three.assign(year=""))
    assert empty.empty and topics.trend_facts(empty) is None
    assert topics.trends(empty, TOPICS, "year").empty
    assert topics.trend_highlights(topics.trends(empty, TOPICS, "year")).empty


def test_fit_facts():
    table = TOPICS.assign(coherence=[0.2, -0.1], diversity=[0.9, 0.9], share=[0.7, 0.3])
    facts = topics.topic_facts(table)
    assert (facts["k"], facts["big"], facts["best"], facts["worst"]) == (
        2, "就业·创业", "就业·创业", "生态·保护",
    )  # fmt: skip
    assert facts["mean"] == pytest.approx(0.05) and facts["warn"]
    assert not topics.topic_facts(table.assign(coherence=[0.2, 0.1]))["warn"]
    selection = pd.DataFrame(
        {"k": [3, 4, 5], "coherence": [0.1, 0.3, 0.2], "diversity": [0.9, 0.8, 0.95],
         "stability": [0.6, 0.4, 0.7], "quality": [0.5, 0.52, 0.57],
         "max_share": [0.19, 0.3, 0.15], "eligible": [True, False, True],
         "chosen": [False, False, True]}
    )  # fmt: skip
    sweep = topics.sweep_facts(selection)
    assert (sweep["lo"], sweep["hi"], sweep["k"], sweep["n_ok"], sweep["n"]) == (
        3, 5, 5, 2, 3,
    )  # fmt: skip
    assert (sweep["best"], sweep["best_k"]) == (0.3, 4)
    assert topics.sweep_facts(selection.iloc[:0]) is None
    leading = pd.DataFrame(
        {"city": ["甲市", "乙市"], "n_units": [3, 4], "topic_id": [0, 0],
         "label": ["就业·创业"] * 2, "share": [0.6, 0.8], "runner_up": ["", ""]}
    )  # fmt: skip
    assert topics.leading_facts(leading) == {
        "city": "乙市", "share": 0.8, "label": "就业·创业", "n_lead": 1, "n": 2,
    }  # fmt: skip
    assert topics.leading_facts(leading.iloc[:0]) is None
    assert topics.label_map(TOPICS) == {0: "就业·创业", 1: "生态·保护"}


def test_left_out_facts_count_unfitted_paragraphs():
    paras = pd.DataFrame({"flags": ["procedural", "", "heading", ""]})
    assert procedural.left_out_facts(paras) == {"n_out": 2, "n": 4, "share": 0.5}
    assert procedural.left_out_facts(paras.iloc[:0])["share"] == 0
