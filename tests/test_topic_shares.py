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
