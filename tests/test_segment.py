"""Segmentation: dictionary terms stay whole, the fast path agrees with jieba."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citytext import config, segment, topics

CAMPAIGN_TERMS = [
    "能力作风建设", "狠抓落实", "担当作为", "营商环境", "放管服", "一网通办",
    "接诉即办", "12345热线", "全国文明城市", "一线工作法", "擂台赛", "红黑榜",
    "晾晒", "徒步走城区", "店小二", "作风能力提升年", "一放心两满意", "蓝黄红",
]  # fmt: skip


@pytest.mark.parametrize("term", CAMPAIGN_TERMS)
def test_campaign_terms_stay_whole(term):
    for text in (term, f"我们{term}的做法", f"全市开展{term}活动。"):
        assert term in segment.tokenize(text), segment.tokenize(text)
        assert term in segment.tokenize_reference(text)


def test_every_dictionary_term_stays_whole_in_context():
    broken = [
        t for t in segment.domain_terms() if t not in segment.tokenize(f"今年{t}工作")
    ]
    assert broken == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("陵城区召开会议", ["陵城区", "召开", "会议"]),
        ("鸡西市深化能力作风建设", ["鸡西市", "深化", "能力作风建设"]),
        ("海阳市“一放心两满意”", ["海阳市", "“", "一放心两满意", "”"]),
    ],
)
def test_tokenize_examples(text, expected):
    assert segment.tokenize(text) == expected


def test_place_names_from_gazetteer_are_whole():
    names = set(segment.gazetteer_names())
    assert {"陵城区", "陵城", "海城市", "鸡西市"} <= names
    assert "鸡冠区" in segment.tokenize("鸡冠区召开会议")


def test_whitespace_dropped_punctuation_kept():
    assert segment.tokenize("干部  作风\n建设。") == ["干部", "作风", "建设", "。"]


def test_fast_path_agrees_with_reference_on_seeds(seed_texts):
    for text in seed_texts.values():
        a, b = segment.tokenize(text), segment.tokenize_reference(text)
        assert segment.agreement(a, b) >= 0.995  # measured: lowest seed 0.996


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([], [], 1.0),
        (["ab", "c"], ["ab", "c"], 1.0),
        (["ab", "c"], ["a", "bc"], 0.0),
        (["ab", "c", "d"], ["ab", "cd"], 0.4),
    ],
)
def test_agreement(a, b, expected):
    assert segment.agreement(a, b) == pytest.approx(expected)


@pytest.mark.parametrize(
    "token",
    [
        "工作",
        "进一步",
        "的",
        "2023",
        "三个",
        "第一",
        "一季度",
        "，",
        "鄭u",
        "BET3365",
        "记",
    ],
)
def test_not_content(token):
    assert not segment.is_content(token)


@pytest.mark.parametrize("token", ["就业", "营商环境", "12345热线", "晾晒", "干部"])
def test_content(token):
    assert segment.is_content(token)


def test_content_tokens_filters():
    text = "今年以来，鸡西市进一步狠抓落实，于君说，全市新增就业5500余个。"
    toks = segment.content_tokens(text)
    assert "狠抓落实" in toks and "就业" in toks
    assert not {"今年以来", "进一步", "，", "5500"} & set(toks)
    assert "于君" not in segment.content_tokens(text, pos_filter=True)
    assert "鸡西市" not in segment.content_tokens(text, drop_places=True)


def test_stopwords_include_maintained_and_domain_lists():
    sw = segment.stopwords()
    assert {"的", "我们"} <= sw  # stopwordsiso
    assert {"进一步", "全面", "坚持", "工作", "推动", "加强"} <= sw  # domain list
    assert not {"就业", "干部", "营商环境"} & sw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一段。\n\n第二段。", ["第一段。", "第二段。"]),
        ("第一段。\n第二段。", ["第一段。", "第二段。"]),
        ("  \u3000缩进的段落。  \n\n\n", ["缩进的段落。"]),
        ("春风十里，不如徒步走起\n5月11日，于君带队徒步走城区。", [
            "春风十里，不如徒步走起 5月11日，于君带队徒步走城区。"]),
        ("走出“文件堆”\n一线寻求“源头活水”\n正文在这里。", [
            "走出“文件堆” 一线寻求“源头活水” 正文在这里。"]),
        ("“一放心两满意”\n正文。", ["“一放心两满意” 正文。"]),
        ("他说：“干就完了。”\n下一段。", ["他说：“干就完了。”", "下一段。"]),
        ("正文。\n结尾标题", ["正文。", "结尾标题"]),
        ("", []),
    ],
)  # fmt: skip
def test_paragraphs(text, expected):
    assert segment.paragraphs(text) == expected


def test_paragraph_rows_are_compact():
    rows = segment.paragraph_rows(
        {"doc_id": "d1", "city": "鸡西市", "text": "就业服务。\n\n营商环境优化。"}
    )
    assert [r["para_id"] for r in rows] == [0, 1]
    assert all(isinstance(r["tokens"], str) for r in rows)
    assert rows[0]["tokens"] == "就业 服务"


def test_dictionary_is_deterministic():
    entries = segment.dictionary()
    assert len({e.word for e in entries}) == len(entries)
    assert all(e.freq >= 1 and e.tag for e in entries)
    domain = {e.word: e for e in entries if e.source == "domain"}
    assert domain["狠抓落实"].freq >= segment.DOMAIN_FREQ


def _corpus_texts(name: str, n: int) -> list[str]:
    path = config.SHARED_CORPORA_DIR / name / "docs.jsonl"
    if not path.is_file():
        pytest.skip(f"shared corpus {name} not found at {path}")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for _, line in zip(range(n), fh, strict=False)]


@pytest.mark.corpus
def test_agreement_on_local_reports():
    texts = _corpus_texts("cn_local_gov_work_reports_2022_2023", 5)
    total = sum(len(t) for t in texts)
    score = sum(
        segment.agreement(segment.tokenize(t), segment.tokenize_reference(t)) * len(t)
        for t in texts
    )
    assert score / total >= 0.999  # measured 1.000


def _policy_terms() -> list[str]:
    path = Path(__file__).parent / "fixtures" / "segment_policy_terms.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def test_policy_term_list_is_long_enough():
    terms = _policy_terms()
    assert len(terms) >= 50 and len(set(terms)) == len(terms)


@pytest.mark.parametrize("term", _policy_terms())
def test_policy_terms_stay_whole(term):
    frames = ("{t}", "全市开展{t}活动。", "持续推进{t}工作", "深入实施{t}，取得成效。")
    for frame in frames:
        text = frame.format(t=term)
        assert term in segment.tokenize(text), segment.tokenize(text)
        assert term in segment.tokenize_reference(text)


def test_business_environment_whole_after_verbs():
    for verb in ("优化", "持续优化", "打造一流", "营造良好"):
        assert "营商环境" in segment.tokenize(f"{verb}营商环境。")


def test_term_candidates_find_split_quoted_terms():
    docs = [(f"d{i}", f"全市推行“亩产效益评价”改革，第{i}批。") for i in range(3)]
    table = topics.terms.candidates(docs, min_docs=3)
    assert "亩产效益评价" in set(table["term"])
    row = table.set_index("term").loc["亩产效益评价"]
    assert row["source"] == "quoted" and row["n_docs"] == 3
    assert topics.terms.quoted_spans("推进“放管服”改革") == ["放管服"]
