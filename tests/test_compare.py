"""Tests for citytext.compare and the comparison stage (tests/fixtures/compare)."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from citytext import compare, config, pipeline, runfiles

FIXTURE = Path(__file__).parent / "fixtures" / "compare"


@pytest.fixture(scope="session")
def fixture_articles() -> pd.DataFrame:
    return compare.usable_articles(runfiles.read_csv(FIXTURE, runfiles.ARTICLES))


@pytest.fixture()
def run_dir(tmp_path: Path) -> Path:
    out = tmp_path / "run"
    shutil.copytree(FIXTURE, out, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return out


@pytest.fixture(scope="session")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("compared") / "run"
    shutil.copytree(FIXTURE, out, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return out, pipeline.run_comparison(out)


# --------------------------------------------------------------------------
# Lexicon matcher: real sentences from the seeds
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "mechanism"),
    [
        (
            "今年，鸡西市每月对“十项考核”打分排名，公开晾晒，排位靠后的登报反思。",
            "考核排名",
        ),
        (
            "今年，鸡西市每月对“十项考核”打分排名，公开晾晒，排位靠后的登报反思。",
            "晾晒",
        ),
        (
            "今年，鸡西市每月对“十项考核”打分排名，公开晾晒，排位靠后的登报反思。",
            "登报反思",
        ),
        ("7月，青岛市委举办第二期区(市)“一把手”“擂台赛”。", "擂台赛"),
        ("通过开展各单位“一把手”考核比拼、选派干部下沉一线等举措", "比拼"),
        ("通过开展各单位“一把手”考核比拼、选派干部下沉一线等举措", "下沉"),
        ("精准实行“蓝黄红”三色管理。共有37名干部列入“红名单”。", "三色管理"),
        ("第二个两周举一反三，建立红黑榜，第三个两周再出现问题严肃追责问责", "红黑榜"),
        ("第二个两周举一反三，建立红黑榜，第三个两周再出现问题严肃追责问责", "问责"),
        ("鸡西市还通过12345热线征集、电话连线、现场访谈等方式", "12345热线"),
        ("向12345政务服务热线问题交办长期排后的3个镇区街道下发督办通知", "12345热线"),
        ("我区牢固树立“店小二”意识，推进“放管服”改革、“一次办好”改革", "店小二"),
        ("我区牢固树立“店小二”意识，推进“放管服”改革、“一次办好”改革", "放管服"),
        ("我区牢固树立“店小二”意识，推进“放管服”改革、“一次办好”改革", "一网通办"),
        ("海城市树立交账意识，建立“赛马”机制", "赛马"),
        ("他和往常一样，带领包片处级领导“徒步走城区”。", "徒步走城区"),
        ("副区长带领负责人到广鑫铁塔制造有限公司现场办公。", "现场办公"),
        ("深入基层一线，在一线发现问题，在一线实施政策。", "一线"),
        ("全市各级领导外出招商93次，共签约项目47个。", "签约"),
    ],
)
def test_matcher_finds_real_mechanisms(sentence: str, mechanism: str) -> None:
    hits = compare.match_mechanisms(sentence)
    assert mechanism in set(hits["mechanism"])


@pytest.mark.parametrize(
    ("sentence", "mechanism"),
    [
        ("北京、上海等一线城市房价上涨。", "一线"),
        ("建设下沉式绿地和雨水花园。", "下沉"),
        ("新建粮食晾晒场12处。", "晾晒"),
        ("举办那达慕赛马节，吸引游客。", "赛马"),
        ("家庭医生签约服务覆盖率达到80%。", "签约"),
        ("开展农民种植培训，把技术送到田间地头。", "干部培训"),
        ("纳入守信红名单的企业享受便利。", "三色管理"),
        ("五月的鸡西，微风和煦、芬芳正浓。", None),
    ],
)
def test_matcher_ignores_false_hits(sentence: str, mechanism: str | None) -> None:
    found = set(compare.match_mechanisms(sentence)["mechanism"])
    assert (mechanism not in found) if mechanism else not found


def test_match_spans_and_sentences_are_exact() -> None:
    text = "五月的鸡西。\n今年，鸡西市每月打分排名，公开晾晒。排位靠后的登报反思！"
    hits = compare.match_mechanisms(text)
    assert list(hits.columns[:5]) == ["mechanism", "family", "start", "end", "sentence"]
    for row in hits.itertuples():
        assert text[row.start : row.end] == row.match
        assert row.sentence in text
        assert row.match in row.sentence
    assert hits["start"].is_monotonic_increasing


def test_lexicon_ids_names_and_families_are_unique() -> None:
    lex = compare.load_lexicon()
    assert len({m.id for m in lex}) == len(lex)
    assert len({m.name for m in lex}) == len(lex)
    families = set(compare.families()["family_id"])
    assert {m.family_id for m in lex} <= families
    expected = {"ranking", "contest", "naming", "frontline", "complaints", "business",
                "accountability", "incentives", "training", "projects"}  # fmt: skip
    assert expected <= families


# --------------------------------------------------------------------------
# Mechanism table
# --------------------------------------------------------------------------
def test_mechanism_examples_are_real_sentences(fixture_articles: pd.DataFrame) -> None:
    table = compare.mechanism_table(fixture_articles)
    assert list(table.columns[:6]) == runfiles.MECHANISM_COLUMNS
    texts = dict(zip(fixture_articles["doc_id"], fixture_articles["text"], strict=True))
    lexicon = {m.name: m for m in compare.load_lexicon()}
    for row in table.itertuples():
        doc_text = texts[row.example_doc_id]
        assert row.example in doc_text
        assert (
            fixture_articles.set_index("doc_id").loc[row.example_doc_id, "place"]
            == row.city
        )
        assert lexicon[row.mechanism].pattern.search(row.example)
        assert row.count >= row.n_docs >= 1


def test_duplicates_are_not_counted(fixture_articles: pd.DataFrame) -> None:
    assert "006_fixture_duplicate" not in set(fixture_articles["doc_id"])
    table = compare.mechanism_table(fixture_articles)
    jixi = table[table["city"] == "鸡西"]
    assert (jixi["n_docs"] == 1).all()


# --------------------------------------------------------------------------
# Comparison table and unit safety
# --------------------------------------------------------------------------
def _metric(
    doc_id: str, value: float, unit_std: str, category: str, change: bool = False
):
    return {
        "doc_id": doc_id, "city": "", "sentence": "s", "raw": "r", "number": str(value),
        "value": str(value), "unit": unit_std, "unit_std": unit_std, "qualifier": "",
        "is_change": str(change), "category": category, "subject": "", "period": "",
    }  # fmt: skip


def test_yuan_and_ge_are_never_summed() -> None:
    articles = compare.usable_articles(
        pd.DataFrame(
            {
                "doc_id": ["a", "b"],
                "city": ["甲", "甲"],
                "province": ["省", "省"],
                "year": ["2023", "2023"],
                "text": ["x", "y"],
            }
        )  # fmt: skip
    )
    metrics = pd.DataFrame(
        [
            _metric("a", 1e9, "元", "investment"),
            _metric("a", 47, "个", "investment"),
            _metric("b", 5e8, "元", "investment"),
            _metric("b", 12, "个", "investment"),
            _metric("b", 7.5, "%", "investment", change=True),
            _metric("b", 3, "%", "investment"),
        ]
    )
    claims = compare.claims_table(metrics, articles).set_index("unit_std")
    assert claims.loc["元", "total"] == 1.5e9
    assert claims.loc["个", "total"] == 59
    assert np.isnan(claims.loc["%", "total"])  # rates are never added up
    assert claims.loc["%", "n"] == 2
    table = compare.city_comparison(
        articles, None, metrics, compare.mechanism_table(articles)
    )
    row = table.iloc[0]
    assert row["metric_total:investment:元"] == 1.5e9
    assert row["metric_total:investment:个"] == 59
    assert row["metric_n:investment"] == 6
    assert not any(
        c.endswith(":%") for c in table.columns if c.startswith("metric_total")
    )


def test_city_comparison_on_fixture(compared: tuple[Path, dict]) -> None:
    _, result = compared
    table = result["comparison"]
    assert list(table["city"]) == sorted(["鸡西", "青岛", "陵城", "海阳", "海城"])
    haiyang = table.set_index("city").loc["海阳"]
    assert haiyang["n_docs"] == 2 and haiyang["years"] == "2022;2023"
    topic_cols = [c for c in table.columns if c.startswith("topic:")]
    assert len(topic_cols) == 4
    assert np.allclose(table[topic_cols].sum(axis=1), 1.0, atol=1e-3)
    assert table["mech_per10k:ranking"].ge(0).all()
    assert set(table["cluster_order"]) == set(range(len(table)))


# --------------------------------------------------------------------------
# Log-odds, similarity, reuse
# --------------------------------------------------------------------------
def test_log_odds_hand_computed() -> None:
    # delta = log(4/2) - log(2/4) = 2 log 2; var = 1/4 + 1/2; z = delta / sqrt(0.75)
    delta, z = compare.log_odds(
        np.array([3, 1]), np.array([1, 3]), np.array([1.0, 1.0])
    )
    assert delta[0] == pytest.approx(2 * np.log(2))
    assert z[0] == pytest.approx(2 * np.log(2) / np.sqrt(0.75))
    assert delta[1] == pytest.approx(-delta[0])


def test_distinctive_terms_rank_by_z(fixture_articles: pd.DataFrame) -> None:
    paragraphs = runfiles.read_csv(FIXTURE, runfiles.PARAGRAPHS)
    dist = compare.distinctive_terms(paragraphs, fixture_articles, n_terms=5)
    for _, group in dist.groupby("city"):
        assert group["z"].is_monotonic_decreasing
        assert list(group["rank"]) == list(range(1, len(group) + 1))
    assert not dist[dist["city"] == "鸡西"]["term"].str.contains("鸡西").any()


def test_similarity_is_symmetric(compared: tuple[Path, dict]) -> None:
    _, result = compared
    for mat in result["matrices"].values():
        values = mat.to_numpy()
        assert np.allclose(values, values.T)
        off = values[~np.eye(len(values), dtype=bool)]
        assert ((off >= 0) & (off <= 1)).all()
        assert off.std() > 0, "places are told apart"


def test_text_similarity_follows_shared_vocabulary() -> None:
    docs = pd.Series(
        {
            "甲": "营商 环境 招商 引资 营商",
            "乙": "营商 环境 招商 引资 营商",
            "丙": "营商 环境 文明 创建 河长",
            "丁": "乡村 振兴 粮食 安全 耕地",
        }
    )
    sim = compare.text_similarity(docs)
    assert sim.loc["甲", "乙"] == pytest.approx(1.0)
    assert 0 < sim.loc["甲", "丙"] < sim.loc["甲", "乙"]
    assert sim.loc["甲", "丁"] == pytest.approx(0.0)
    assert sim.loc["丙", "丁"] == pytest.approx(0.0)


def test_profile_similarity_ignores_scale_and_empty_rows() -> None:
    profile = pd.DataFrame(
        [[1.0, 2.0, 0.0], [3.0, 6.0, 0.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0]],
        index=["甲", "乙", "丙", "丁"],
    )
    sim = compare.profile_similarity(profile)
    assert sim.loc["甲", "乙"] == pytest.approx(1.0)
    assert sim.loc["甲", "丙"] == pytest.approx(0.0)
    assert (sim.loc["丁"].drop("丁") == 0).all()


def test_text_reuse_finds_planted_passage() -> None:
    shared = (
        "今年，鸡西市每月对经济发展绩效、招商引资绩效、优化营商环境、能力作风建设等"
        "“十项考核”打分排名，公开晾晒，排位靠后的登报反思。"
    )
    articles = compare.usable_articles(
        pd.DataFrame(
            {
                "doc_id": ["a", "b", "c"],
                "city": ["鸡西", "海阳", "青岛"],
                "province": ["黑龙江省", "山东省", "山东省"],
                "year": ["2023", "2023", "2022"],
                "text": [
                    "五月的鸡西，微风和煦、芬芳正浓。\n"
                    + shared
                    + "\n一季度地区生产总值同比增长。",
                    "海阳市委市政府审时度势、统筹布局。"
                    + shared
                    + "会议深入贯彻烟台市会议精神。",
                    "青岛市开展“作风能力提升年”活动，推动干部转作风、强能力、抓落实、促发展。",
                ],
            }
        )
    )
    reuse = compare.text_reuse(articles)
    assert len(reuse) == 1
    row = reuse.iloc[0]
    assert {row["city_a"], row["city_b"]} == {"鸡西", "海阳"}
    assert row["passage"] == shared
    assert row["passage_chars"] == len(shared)
    text_b = articles.set_index("doc_id").loc[row["doc_id_b"], "text"]
    assert text_b[row["start_b"] : row["end_b"]] == shared


def test_formulaic_sentences_are_left_out() -> None:
    stock = (
        "现在，我代表市人民政府，向大会报告工作，请予审议，"
        "并请市政协委员和其他列席人员提出意见。"
    )
    articles = compare.usable_articles(
        pd.DataFrame(
            {
                "doc_id": [f"d{i}" for i in range(8)],
                "city": [f"市{i}" for i in range(8)],
                "province": ["省"] * 8,
                "year": ["2023"] * 8,
                "text": [stock + f"本市第{i}项独有的工作安排。" for i in range(8)],
            }
        )  # fmt: skip
    )
    assert compare.text_reuse(articles, max_places=5).empty


# --------------------------------------------------------------------------
# Stage, determinism, profile
# --------------------------------------------------------------------------
OUTPUTS = [
    runfiles.MECHANISMS, runfiles.CITY_COMPARISON, runfiles.CITY_SIMILARITY,
    runfiles.TEXT_REUSE, runfiles.DISTINCTIVE_TERMS, runfiles.CITY_TOPIC_SHARES,
    runfiles.CITY_CLAIMS, runfiles.COVERAGE,
]  # fmt: skip


def test_run_comparison_is_deterministic(
    run_dir: Path, compared: tuple[Path, dict]
) -> None:
    first, _ = compared
    pipeline.run_comparison(run_dir)
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (run_dir / name).read_bytes(), name
    assert (run_dir / "stages" / "compare.json").is_file()
    mech = pd.read_csv(run_dir / runfiles.MECHANISMS)
    assert list(mech.columns[:6]) == runfiles.MECHANISM_COLUMNS
    reuse = pd.read_csv(run_dir / runfiles.TEXT_REUSE)
    assert {"海阳", "鸡西"} == {reuse.loc[0, "city_a"], reuse.loc[0, "city_b"]}


def test_run_comparison_tolerates_missing_optional_files(
    run_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("metrics.csv", "doc_topics.csv", "city_topics.csv", "topics.csv"):
        (run_dir / name).unlink()
    result = pipeline.run_comparison(run_dir)
    assert "metrics.csv not found" in caplog.text
    assert not any(c.startswith("topic:") for c in result["comparison"].columns)
    assert "metrics.csv" in result["info"]["inputs_missing"]


def test_city_profile_and_unknown_city(compared: tuple[Path, dict]) -> None:
    run, _ = compared
    tables = runfiles.read_profile_tables(run)
    profile = compare.city_profile("鸡西市", **tables)
    assert profile.city == "鸡西"
    assert set(profile.mechanisms["city"]) == {"鸡西"}
    assert "晾晒" in set(profile.mechanisms["mechanism"])
    assert len(profile.similar) == 4 and "鸡西" not in set(profile.similar["city_b"])
    assert profile.topic_mix["share"].sum() == pytest.approx(1.0, abs=1e-3)
    assert set(profile.campaigns["city"]) == {"鸡西"} and len(profile.campaigns)
    assert set(profile.metrics["doc_id"]) <= set(profile.articles["doc_id"])
    facts = compare.profile_facts(profile)
    assert (facts["city"], facts["n_docs"]) == ("鸡西", len(profile.articles))
    assert facts["n_metrics"] == len(profile.metrics)
    assert facts["mentions"] == int(profile.row["mechanism_mentions"])
    top = compare.profile_topic_facts(profile)
    gap = profile.topic_mix["share"] - profile.topic_mix["corpus"]
    assert top["share"] - top["corpus"] == pytest.approx(gap.max())
    similar = compare.profile_similar_facts(profile)
    assert similar["other"] == profile.similar["city_b"].iloc[0]
    with pytest.raises(
        ValueError, match=re.escape("known cities: 海城, 海阳, 陵城, 青岛, 鸡西")
    ):
        compare.city_profile("北京", **tables)


def test_city_profile_without_optional_files(compared: tuple[Path, dict]) -> None:
    run, _ = compared
    tables = runfiles.read_profile_tables(run)
    assert set(tables) == {*runfiles.PROFILE_FILES, *runfiles.PROFILE_OPTIONAL_FILES}
    bare = {key: tables[key] for key in runfiles.PROFILE_FILES}
    empty_metrics = pd.DataFrame(columns=runfiles.METRIC_COLUMNS)
    profile = compare.city_profile("青岛", **bare, metrics=empty_metrics)
    assert profile.topic_mix.empty and profile.similar.empty
    assert profile.reuse.empty and profile.campaigns.empty and profile.claims.empty
    assert list(profile.campaigns.columns) == runfiles.CAMPAIGN_COLUMNS
    assert profile.row["city"] == "青岛"
    assert compare.profile_topic_facts(profile) is None
    assert compare.profile_similar_facts(profile) is None
    assert compare.profile_facts(profile)["n_metrics"] == 0


# --------------------------------------------------------------------------
# Views for the notebooks
# --------------------------------------------------------------------------
def test_corpus_and_coverage_facts(compared: tuple[Path, dict]) -> None:
    _, result = compared
    comparison = result["comparison"]
    facts = compare.corpus_facts(comparison, result["articles"], ["鸡西", "青岛"])
    assert facts["n_places"] == 5 and facts["n_docs"] == len(result["articles"])
    assert facts["n_shown"] == 2
    assert facts["n_chars"] == int(result["articles"]["n_chars"].sum())
    years = sorted(y for y in result["articles"]["year"] if y)
    assert (facts["first"], facts["last"]) == (years[0], years[-1])
    per_year = compare.docs_per_year(result["coverage"])
    assert per_year.sum() == len(result["articles"][result["articles"]["year"] != ""])
    cover = compare.coverage_facts(comparison, per_year)
    assert cover["lo"] <= cover["hi"] and cover["n"] == 5
    assert cover["year_docs"] == per_year.max()
    empty = compare.coverage_facts(comparison, pd.Series(dtype=int))
    assert (empty["year"], empty["year_docs"]) == ("?", 0)
    labels = compare.place_labels(comparison)
    shown = ["青岛", "鸡西"]
    per_place = compare.docs_per_place(comparison, shown, labels)
    assert list(per_place.index) == [labels["青岛"], labels["鸡西"]]
    assert labels["鸡西"].startswith("鸡西 (") and labels["鸡西"].endswith("篇)")


def test_mechanism_facts() -> None:
    matrix = pd.DataFrame(
        {"晾晒": [2.0, 1.0, 0.0], "擂台赛": [0.0, 0.0, 3.5]}, index=["甲", "乙", "丙"]
    )
    facts = compare.mechanism_facts(matrix)
    assert (facts["m1"], facts["n1"]) == ("晾晒", 2)
    assert (facts["m2"], facts["n2"]) == ("擂台赛", 1)
    assert (facts["top_place"], facts["rate"], facts["n"]) == ("丙", 3.5, 3)
    assert compare.mechanism_facts(matrix.iloc[:0, :0]) is None
    named_by_none = matrix.assign(晾晒=0.0, 擂台赛=0.0)
    assert compare.mechanism_facts(named_by_none) is None, "no place names one"
    tie = pd.DataFrame({"甲机制": [1.0, 0.0], "乙机制": [0.0, 1.0]}, index=["甲", "乙"])
    assert compare.mechanism_facts(tie)["m1"] == "甲机制", "ties keep column order"


def test_mechanism_matrix_keeps_the_places_shown(compared: tuple[Path, dict]) -> None:
    _, result = compared
    every = compare.mechanism_matrix(result["mechanisms"], result["comparison"])
    shown = compare.mechanism_matrix(
        result["mechanisms"], result["comparison"], places=["青岛", "鸡西"]
    )
    assert list(shown.index) == ["青岛", "鸡西"]
    assert list(shown.columns) == list(every.columns)
    pd.testing.assert_frame_equal(shown, every.loc[["青岛", "鸡西"]])


def test_topic_mix_by_place_and_province(compared: tuple[Path, dict]) -> None:
    _, result = compared
    topics, comparison = result["topics"], result["comparison"]
    mix = compare.topic_mix(topics, comparison, places=["鸡西", "北京", "青岛"])
    assert list(mix.index) == ["鸡西", "青岛"]
    assert mix.sum(axis=1).to_numpy() == pytest.approx([1.0, 1.0], abs=1e-6)
    prov = compare.topic_mix(topics, comparison, by="province")
    assert set(prov.index) == set(comparison["province"])
    shandong = comparison.loc[comparison["province"] == "山东省", "city"]
    everyone = compare.topic_mix(topics, comparison)
    assert prov.loc["山东省"].to_numpy() == pytest.approx(
        everyone.loc[list(shandong)].mean().to_numpy()
    )
    leaders = compare.topic_leaders(everyone)
    assert leaders.count("→") == everyone.shape[1]
    assert compare.topic_mix_facts(topics, comparison) == {"peaks": leaders}
    assert compare.topic_mix(None, comparison, places=["鸡西"]).empty
    assert compare.topic_mix_facts(None, comparison) is None


def test_rank_agreement_and_timeline_matrix(compared: tuple[Path, dict]) -> None:
    _, result = compared
    rows = result["similarity"]
    rho = compare.rank_agreement(rows, "text_cosine", "mechanism_cosine")
    assert rho == pytest.approx(
        rows["text_cosine"].rank().corr(rows["mechanism_cosine"].rank())
    )
    flat = rows.assign(mechanism_cosine=0.5)
    assert math.isnan(compare.rank_agreement(flat, "text_cosine", "mechanism_cosine"))
    one = rows.head(1)
    assert math.isnan(compare.rank_agreement(one, "text_cosine", "mechanism_cosine"))
    facts = compare.similarity_facts(rows)
    best = compare.top_pairs(rows, "text_cosine", n=1).iloc[0]
    assert (facts["a"], facts["b"]) == (best["city_a"], best["city_b"])
    assert facts["r"] == pytest.approx(rho) and facts["t"] == best["text_cosine"]
    assert math.isnan(compare.similarity_facts(flat)["r"]), "undefined, not 0"
    assert compare.similarity_facts(rows.iloc[:0]) is None
    timeline = compare.family_timeline(result["hits"], result["articles"])
    wide = compare.timeline_matrix(timeline)
    assert all(re.fullmatch(r"\d{4} \(\d+篇\)", y) for y in wide.index)
    totals = wide.sum().to_numpy()
    assert list(totals) == sorted(totals, reverse=True)


def test_reuse_and_distinctive_views(compared: tuple[Path, dict]) -> None:
    _, result = compared
    labels = compare.place_labels(result["comparison"])
    summary = compare.reuse_summary(result["reuse"])
    bars = compare.reuse_bars(summary, labels, 1)
    assert len(bars) == 1 and " ↔ " in bars.index[0]
    assert bars.iloc[0] == summary["shared_chars"].max()
    longest = compare.longest_passages(result["reuse"], 2)
    assert longest["passage_chars"].iloc[0] == result["reuse"]["passage_chars"].max()
    panels = compare.distinctive_panels(
        result["distinctive"], ["鸡西", "青岛", "海阳"], labels, n_terms=3, n_places=2
    )
    assert list(dict.fromkeys(panels["place"])) == [labels["鸡西"], labels["青岛"]]
    assert panels.groupby("place").size().max() <= 3
    facts = compare.reuse_facts(result["reuse"])
    assert facts["n"] == len(result["reuse"]) and facts["pairs"] == len(summary)
    assert facts["chars"] == result["reuse"]["passage_chars"].max()
    assert compare.reuse_facts(result["reuse"].iloc[:0]) is None
    assert compare.reuse_bars(
        compare.reuse_summary(result["reuse"].iloc[:0]), {}, 5
    ).empty
    matrix = result["matrices"]["text_cosine"]
    square = compare.submatrix(matrix, ["青岛", "鸡西"])
    assert list(square.index) == list(square.columns) == ["青岛", "鸡西"]
    assert square.loc["青岛", "鸡西"] == matrix.loc["青岛", "鸡西"]


def test_claims_facts_count_measures_several_places_report() -> None:
    claims = pd.DataFrame(
        {"city": ["甲", "乙", "甲", "丙"], "category": ["资金", "资金", "项目", "项目"],
         "unit_std": ["元", "元", "个", "个"], "n": [1, 2, 1, 1]}
    )  # fmt: skip
    assert compare.comparable_measure_count(claims) == 2
    assert compare.comparable_measure_count(claims, min_places=3) == 0
    drawn = pd.DataFrame({"measure": ["资金 · 元", "资金 · 元", "项目 · 个"]})
    assert compare.claims_facts(claims, drawn) == {"n": 2, "k": 2}
    assert compare.claims_facts(claims, drawn.iloc[:0]) is None
    assert compare.comparable_measure_count(pd.DataFrame()) == 0


# --------------------------------------------------------------------------
# Notebooks end to end
# --------------------------------------------------------------------------
@pytest.mark.slow
def test_notebooks_04_and_05_run(tmp_path: Path) -> None:
    import papermill

    run = tmp_path / "run"
    shutil.copytree(FIXTURE, run, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    for name, extra in (("04_cross_city", {}), ("05_city_profile", {"city": "鸡西"})):
        papermill.execute_notebook(
            str(config.NOTEBOOKS_DIR / f"{name}.ipynb"),
            str(tmp_path / f"{name}.ipynb"),
            parameters={"run_dir": str(run), **extra},
            kernel_name="python3",
            progress_bar=False,
        )
    figures = {p.name for p in (run / "figures").glob("*.png")}
    assert {
        "04_mechanism_heatmap.png",
        "04_dendrogram.png",
        "05_鸡西_topic_mix.png",
    } <= figures
