"""Topics on the 546 local work reports: policy areas, not procedure.

Skipped when the shared corpora are absent. The policy areas and procedural
words are the list in ``fixtures/policy_areas.yaml``, written before the
models were tuned; the floor sits just under what the default settings
reach on this corpus after the cleaning stage (18 of 24 areas; this corpus is
the one the k rule was developed on, so it is a regression set, not a
held-out figure). The corpus enters like any input: ingest and cleaning.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from citytext import config, pipeline, runfiles, topics

FIXTURE = Path(__file__).parent / "fixtures" / "policy_areas.yaml"
CORPUS = config.LOCAL_REPORTS_DIR
AREAS_FLOOR = 17
#: One worker fits the topics of the whole corpus once for every test here.
pytestmark = pytest.mark.xdist_group("topics_corpus")


@pytest.fixture(scope="module")
def spec():
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_topics(tmp_path_factory):
    if not (CORPUS / "docs.jsonl").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    run = tmp_path_factory.mktemp("local")
    pipeline.run_cleaning(CORPUS, run)
    pipeline.run_segmentation(run)
    out = pipeline.run_topics(run)
    return run, out


def test_policy_area_list_is_complete(spec):
    areas = spec["areas"]
    assert len(areas) >= 15
    assert all(len(a["terms"]) >= 8 for a in areas.values())
    assert spec["min_terms"] == 2


@pytest.mark.corpus
def test_no_topic_dominates(corpus_topics):
    _, out = corpus_topics
    tp = out["topics"]
    assert tp["share"].max() <= topics.MAX_SHARE
    sel = out["selection"]
    chosen = sel[sel["chosen"]].iloc[0]
    assert chosen["meets_cap"] and chosen["eligible"]


@pytest.mark.corpus
def test_no_procedural_topic(corpus_topics, spec):
    _, out = corpus_topics
    proc = set(spec["procedural_terms"])
    for terms in out["topics"]["top_terms"]:
        words = terms.split()[:10]
        assert len(proc & set(words)) < spec["min_terms"], words


@pytest.mark.corpus
def test_policy_areas_matched(corpus_topics, spec):
    _, out = corpus_topics
    terms = [t.split() for t in out["topics"]["top_terms"]]
    areas = {name: a["terms"] for name, a in spec["areas"].items()}
    m = topics.match_areas(terms, areas, min_terms=spec["min_terms"])
    assert m["matched"].sum() >= AREAS_FLOOR, m[~m["matched"]]


@pytest.mark.corpus
def test_labels_distinct_on_corpus(corpus_topics):
    _, out = corpus_topics
    labels = out["topics"]["label"]
    firsts = labels.str.split("·").str[0]
    assert labels.is_unique and firsts.is_unique, labels.tolist()
    assert labels.str.len().le(12).all()


@pytest.mark.corpus
def test_procedural_paragraphs_flagged(corpus_topics):
    sub, out = corpus_topics
    paras = runfiles.read_csv(sub, runfiles.PARAGRAPHS)
    opening = paras[paras["text"].str.contains("请予审议")]
    assert len(opening) >= 530  # measured 539
    assert (opening["flags"] == "procedural").mean() >= 0.995  # measured 0.998
    assert out["info"]["paragraphs_modelled"] < len(paras)
