"""Topics: readable, scored, guided, deterministic, and streaming above a threshold."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from citytext import (
    config,
    pipeline,
    plots,
    procedural,
    runfiles,
    segment,
    topics,
)

FIXTURES = Path(__file__).parent / "fixtures" / "topics"
SEED_CITIES = {
    "000": "鸡西市",
    "001": "青岛市",
    "002": "陵城区",
    "003": "海阳市",
    "004": "海城市",
}
FAMILIES = {
    "就业服务": ["就业", "招聘", "用工", "岗位"],
    "考核排名": ["考核", "排名", "晾晒", "擂台赛"],
}


def _seed_run(root: Path, seeds_dir: Path) -> Path:
    """A run dir whose articles.csv holds the raw seed texts."""
    rows = [
        {"doc_id": p.stem, "city": SEED_CITIES[p.stem[:3]], "duplicate_of": "",
         "text": p.read_text(encoding="utf-8")}
        for p in sorted(seeds_dir.glob("*.txt"))
    ]  # fmt: skip
    runfiles.write_csv(pd.DataFrame(rows), root / runfiles.ARTICLES)
    return root


@pytest.fixture(scope="module")
def seeds_topics(tmp_path_factory, seeds_dir):
    run = _seed_run(tmp_path_factory.mktemp("seeds"), seeds_dir)
    pipeline.run_segmentation(run)
    out = pipeline.run_topics(run)
    return run, out


@pytest.fixture
def fixture_run(tmp_path):
    shutil.copy(FIXTURES / "articles.csv", tmp_path / runfiles.ARTICLES)
    pipeline.run_segmentation(tmp_path)
    return tmp_path


def test_seed_topics_are_content_words(seeds_topics):
    _, out = seeds_topics
    tp = out["topics"]
    assert len(tp) >= 3
    for terms in tp["top_terms"]:
        words = terms.split()
        assert len(words) == 10
        assert all(segment.is_content(w) for w in words), words
        assert not set(words) & segment.stopwords()
    assert tp["diversity"].iloc[0] >= 0.92  # measured 0.927
    assert tp["coherence"].between(-1, 1).all()
    assert tp["label"].is_unique and (tp["label"] != "").all()
    assert tp["representative"].str.len().gt(0).all()


def test_seed_k_selection_curves(seeds_topics):
    run, out = seeds_topics
    sel = out["selection"]
    assert list(sel["k"]) == topics.k_candidates(out["info"]["units"])
    assert sel["chosen"].sum() == 1
    assert int(sel.loc[sel["chosen"], "k"].iloc[0]) == len(out["topics"])
    assert {"coherence", "diversity", "stability", "quality"} <= set(sel.columns)
    assert (run / runfiles.TOPIC_SELECTION).is_file()


def test_seed_outputs_follow_contract(seeds_topics):
    run, _ = seeds_topics
    paras = runfiles.read_csv(run, runfiles.PARAGRAPHS)
    assert list(paras.columns) == runfiles.PARAGRAPH_COLUMNS
    keys = list(zip(paras["doc_id"], paras["para_id"].astype(int), strict=True))
    assert keys == sorted(keys)
    tp = runfiles.read_csv(run, runfiles.TOPICS)
    assert list(tp.columns[:5]) == runfiles.TOPIC_COLUMNS
    dt = runfiles.read_csv(run, runfiles.DOC_TOPICS)
    assert list(dt.columns) == runfiles.DOC_TOPIC_COLUMNS
    assert set(dt["doc_id"]) == set(paras["doc_id"])
    city = runfiles.read_csv(run, runfiles.CITY_TOPICS)
    assert sorted(city["city"]) == sorted(SEED_CITIES.values())
    shares = city[[c for c in city.columns if c.startswith("topic_")]].astype(float)
    assert np.allclose(shares.sum(axis=1), 1.0, atol=1e-3)
    stage = runfiles.read_stages(run)
    assert stage["segment"]["paragraphs"] == len(paras)
    assert stage["topics"]["k"] == len(tp)


def test_same_input_same_csvs(seeds_topics, tmp_path, seeds_dir):
    run, _ = seeds_topics
    again = _seed_run(tmp_path, seeds_dir)
    pipeline.run_segmentation(again)
    pipeline.run_topics(again)
    for name in (runfiles.PARAGRAPHS, runfiles.TOPICS, runfiles.DOC_TOPICS,
                 runfiles.CITY_TOPICS, runfiles.TOPIC_SELECTION):  # fmt: skip
        assert (run / name).read_bytes() == (again / name).read_bytes(), name


def test_duplicates_skipped(tmp_path):
    rows = pd.DataFrame(
        [
            {"doc_id": "a", "city": "鸡西市", "text": "就业服务。", "duplicate_of": ""},
            {
                "doc_id": "b",
                "city": "鸡西市",
                "text": "就业服务。",
                "duplicate_of": "a",
            },
        ]
    )
    runfiles.write_csv(rows, tmp_path / runfiles.ARTICLES)
    info = pipeline.run_segmentation(tmp_path)
    assert info["duplicates_skipped"] == 1 and info["documents"] == 1
    assert set(runfiles.read_csv(tmp_path, runfiles.PARAGRAPHS)["doc_id"]) == {"a"}


@pytest.mark.parametrize("model", topics.MODELS)
def test_models_share_one_interface(fixture_run, model):
    out = pipeline.run_topics(fixture_run, model=model, k=3, seed=1)
    tp = out["topics"]
    assert len(tp) == 3 and out["selection"].empty
    # measured 1.00 for every model; one repeated term of 30 is 0.967
    assert topics.diversity([t.split() for t in tp["top_terms"]]) >= 0.96
    dt = runfiles.read_csv(fixture_run, runfiles.DOC_TOPICS)
    assert dt["weight"].astype(float).between(0, 1).all()


def test_document_unit(fixture_run):
    out = pipeline.run_topics(fixture_run, unit="document", k=3)
    dt = runfiles.read_csv(fixture_run, runfiles.DOC_TOPICS)
    assert (dt["para_id"] == "").all()
    assert out["info"]["units"] == 12


def test_guided_topics_anchor_on_seed_words(fixture_run):
    out = pipeline.run_topics(fixture_run, k=3, seed_topics=FAMILIES)
    tp = out["topics"].set_index("topic_id")
    for t, name in enumerate(FAMILIES):
        assert tp.loc[t, "label"] == name and tp.loc[t, "seed_family"] == name
        assert float(tp.loc[t, "anchored"]) == 1.0  # every seed word, as measured
    assert tp.loc[2, "seed_family"] == ""


def test_guided_topics_with_kmeans(fixture_run):
    out = pipeline.run_topics(fixture_run, model="kmeans", k=3, seed_topics=FAMILIES)
    assert out["topics"].loc[0, "label"] == "就业服务"
    assert float(out["topics"].loc[0, "anchored"]) >= 0.75  # measured 0.75 (3 of 4)


def test_guided_topics_refused_for_lda(fixture_run):
    with pytest.raises(ValueError, match="seed_topics"):
        pipeline.run_topics(fixture_run, model="lda", k=3, seed_topics=FAMILIES)


@pytest.mark.parametrize("unit", ["paragraph", "document"])
def test_streaming_path_above_threshold(fixture_run, monkeypatch, unit):
    monkeypatch.setattr(topics.stream, "INCREMENTAL_THRESHOLD", 10)
    monkeypatch.setattr(topics.stream, "CHUNK_SIZE", 7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = pipeline.run_topics(fixture_run, unit=unit, k=3)
    assert out["info"]["incremental"] is True
    dt = runfiles.read_csv(fixture_run, runfiles.DOC_TOPICS)
    n_units = 72 if unit == "paragraph" else 12
    assert dt.groupby(["doc_id", "para_id"]).ngroups == n_units
    assert len(out["topics"]) == 3
    assert abs(out["topics"]["share"].sum() - 1.0) < 1e-2
    assert len(runfiles.read_csv(fixture_run, runfiles.CITY_TOPICS)) == 6


def test_iter_units_keeps_documents_whole():
    paras = pd.DataFrame(
        {"doc_id": list("aaabbc"), "para_id": ["0", "1", "2", "0", "1", "0"],
         "city": "x", "text": "t", "tokens": "w"}
    )  # fmt: skip
    chunks = [paras.iloc[i : i + 2] for i in range(0, 6, 2)]
    units = pd.concat(topics.iter_units(chunks, "document"))
    assert list(units["doc_id"]) == ["a", "b", "c"]
    assert list(units["n_tokens"]) == [3, 2, 1]


def test_npmi_and_diversity():
    vocab = topics.Vocabulary(np.array(["a", "b", "c"], dtype=object), np.ones(3), 4)
    windows = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]]))
    a_b, a_c = topics.npmi([["a", "b"], ["a", "c"]], windows, vocab)
    assert a_b == pytest.approx(1.0) and a_c == -1.0
    assert topics.diversity([["a", "b"], ["a", "c"]]) == 0.75
    assert topics.match_topics([["a", "b"]], [["a", "b"]]) == 1.0
    assert topics.match_topics([["a", "b"], ["c"]], [["c"], ["a"]]) == 0.75


def test_choose_k_rule():
    table = pd.DataFrame(
        {"k": [3, 4, 5, 6], "quality": [0.5, 0.7, 0.7, 0.9],
         "stability": [0.9, 0.8, 0.8, 0.3], "max_share": [0.1, 0.1, 0.1, 0.1]}
    )  # fmt: skip
    # k=6 is the best but unstable; 4 and 5 tie and the smaller wins.
    assert table.loc[topics.choose_k(table), "k"] == 4
    table["stability"] = 0.1  # nobody stable: all k under the cap compete
    assert table.loc[topics.choose_k(table), "k"] == 6


def test_choose_k_caps_the_largest_topic():
    table = pd.DataFrame(
        {"k": [5, 10, 20], "quality": [0.9, 0.7, 0.6],
         "stability": [0.9, 0.8, 0.8], "max_share": [0.56, 0.19, 0.07]}
    )  # fmt: skip
    # k=5 scores best but one topic holds 56 % of the units.
    assert table.loc[topics.choose_k(table), "k"] == 10
    table["max_share"] = [0.56, 0.4, 0.3]  # nobody under the cap
    assert table.loc[topics.choose_k(table), "k"] == 20


def test_vocabulary_drops_places_and_rare_words():
    df = {"就业": 5, "鸡西市": 5, "罕见": 1, "普遍": 10}
    vocab = topics.build_vocabulary(df, 10, exclude={"鸡西市"}, max_df=0.9)
    assert list(vocab.words) == ["就业"]
    with pytest.raises(ValueError, match="too small"):
        topics.build_vocabulary({"罕见": 1}, 10)


def test_topic_figures(seeds_topics):
    run, out = seeds_topics
    labels = dict(zip(out["topics"]["topic_id"], out["topics"]["label"], strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = {
            "terms": plots.topic_terms(out["topics"]),
            "heatmap": plots.topic_heatmap(out["city_topics"], labels=labels),
            "k": plots.k_selection(out["selection"]),
        }  # fmt: skip
        for name, fig in figs.items():
            assert fig.axes[0].get_title() or fig._suptitle is not None
            assert plots.savefig(fig, run, f"02_{name}").stat().st_size > 5000


@pytest.mark.corpus
def test_national_reports_corpus(tmp_path):
    corpus = config.SHARED_CORPORA_DIR / "cn_national_gov_work_reports"
    if not (corpus / "docs.jsonl").is_file():
        pytest.skip(f"shared corpus not found at {corpus}")
    pipeline.run_cleaning(corpus, tmp_path)
    articles = runfiles.read_csv(tmp_path, runfiles.ARTICLES)
    assert len(articles) == 72 and set(articles["city"]) == {"全国"}
    pipeline.run_segmentation(tmp_path)
    out = pipeline.run_topics(tmp_path, unit="document", k=8)
    assert out["topics"]["diversity"].iloc[0] >= 0.93  # measured 0.938
    for terms in out["topics"]["top_terms"]:
        assert all(segment.is_content(w) for w in terms.split())


def test_labels_distinct_first_terms():
    terms = [
        ["产业", "项目", "企业", "集群"],
        ["产业", "农业", "乡村", "农村"],
        ["产业", "农业", "乡村", "农村"],
    ]
    texts = ["推动产业集群发展，招引企业。", "发展乡村特色产业和现代农业。", ""]
    labels = topics.distinct_labels(terms, texts, shares=[0.3, 0.2, 0.1])
    assert labels[0] == "产业·企业"  # terms in the representative text first
    firsts = [lab.split("·")[0] for lab in labels]
    assert len(set(firsts)) == len(firsts), labels
    assert len(set(labels)) == len(labels)
    fixed = topics.distinct_labels(terms, texts, fixed={1: "乡村振兴"})
    assert fixed[1] == "乡村振兴"


def test_labels_skip_nested_terms():
    labels = topics.distinct_labels([["生态", "生态环境", "保护"]], [""])
    assert labels == ["生态·保护"]


def test_topic_shares_ignore_empty_units():
    w = np.array([[2.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    assert topics.topic_shares(w).tolist() == [0.75, 0.25]


def test_match_areas():
    terms = [["教育", "学校", "医疗"], ["就业", "创业", "城市"]]
    areas = {"education": ["教育", "学校"], "health": ["医疗", "医院"],
             "jobs": ["就业", "创业", "社保"]}  # fmt: skip
    m = topics.match_areas(terms, areas)
    assert m["matched"].tolist() == [True, False, True]
    assert m.loc[2, "terms"] == "就业;创业"


def test_flagged_paragraphs_are_not_fitted(seeds_topics):
    run, out = seeds_topics
    paras = runfiles.read_csv(run, runfiles.PARAGRAPHS)
    left_out = paras[~paras["flags"].map(procedural.is_modelled)]
    dt = runfiles.read_csv(run, runfiles.DOC_TOPICS)
    fitted = set(zip(dt["doc_id"], dt["para_id"].astype(int), strict=True))
    for row in left_out.itertuples():
        assert (row.doc_id, int(row.para_id)) not in fitted
    assert out["info"]["paragraphs_modelled"] == len(paras) - len(left_out)
