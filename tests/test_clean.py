"""Tests for citytext.clean: repair, boilerplate removal, metadata."""

import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citytext import clean, config

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def seed(prefix: str) -> str:
    path = next(config.SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- small steps
@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("中國網(wǎng) > 即時(shí)新聞", "中國網 > 即時新聞"),
        ("點(diǎn)贊", "點贊"),
        ("方案(a)和方案(b)", "方案(a)和方案(b)"),  # not glosses: unchanged
        ("GDP(国内生产总值)", "GDP(国内生产总值)"),
        ("没有注音的文字", "没有注音的文字"),
    ],
)
def test_pinyin_glosses(text_in, text_out):
    assert clean.pinyin_glosses(text_in) == text_out


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("看到?!鼻鄭u市一位", "看到。”青島市一位"),
        ("工作思路?!斑x出千里馬", "工作思路。“選出千里馬"),
        ("人民日?qǐng)?bào)點(diǎn)贊", "人民日报點(diǎn)贊"),
        ("为何不借鉴呢?”韩青说", "为何不借鉴呢?”韩青说"),  # a real question mark
        ("2+2=4? yes", "2+2=4? yes"),
        ("普通文字。", "普通文字。"),
    ],
)
def test_mojibake(text_in, text_out):
    assert clean.mojibake(text_in) == text_out


def test_mojibake_unrecoverable_is_logged_not_guessed():
    log = []
    out = clean.mojibake("發展?jié)撃?/h2>", log=log)
    assert "?" not in out and "/h2>" not in out and "撃" not in out
    assert {e["rule"] for e in log} >= {"mojibake_unrecoverable"}


def test_replacement_char_removed_and_logged():
    log = []
    assert clean.mojibake("截断的字\ufffd", log=log) == "截断的字"
    assert log[0]["rule"] == "replacement_char"


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("黨的二十大報告提出", "党的二十大报告提出"),
        ("永乾和濮昇种菜薹", "永乾和濮昇种菜薹"),  # simplified names: unchanged
        (
            "王永乾在濮昇村种植菜薹，带动村民增收。",
            "王永乾在濮昇村种植菜薹，带动村民增收。",
        ),
        ("（責編：李文治）", "（责编：李文治）"),
        ("简体文本保持不变", "简体文本保持不变"),
    ],
)
def test_traditional_to_simplified(text_in, text_out):
    assert clean.traditional_to_simplified(text_in) == text_out


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("五月的鸡西,微风和煦", "五月的鸡西，微风和煦"),
        ("累计2,380个,同比增长7.5%", "累计2,380个，同比增长7.5%"),
        ("时间10:01:14", "时间10:01:14"),
        ("来源:黑龙江日报", "来源：黑龙江日报"),
        ("２０２３年", "2023年"),
        ("already ascii, fine", "already ascii, fine"),
    ],
)
def test_normalisation(text_in, text_out):
    assert clean.punctuation(clean.width(text_in)) == text_out


def test_make_pipeline_passes_log():
    pipe = clean.make_pipeline(
        clean.control_chars, clean.pinyin_glosses, clean.whitespace
    )
    log = []
    assert pipe("網(wǎng)\r\n\x00", log=log) == "網"
    assert {e["rule"] for e in log} == {"control_char", "pinyin_gloss"}


@pytest.mark.parametrize(
    ("text_in", "removed_rule"),
    [
        ("您的当前位置：首页 > 热点 > 正文\n" + "正文" * 30 + "。", "nav_trail"),
        (
            "新闻热线 024-23187042 值班电话 024-23186204\n" + "正文" * 30 + "。",
            "hotline",
        ),
        ('${channel_name!""}\n' + "正文" * 30 + "。", "template_leftover"),
        ("正文" * 30 + "。\n责任编辑：宋长春", "editor"),
        ("正文" * 30 + "。\n标签：", "tags"),
        ("正文" * 30 + "。\n（责编：李文治）", "editor"),
        (
            "安装新浪财经客户端第一时间接收最全面的市场资讯→【下载地址】\n"
            + "正文" * 30
            + "。",
            "app_promo",
        ),
    ],
)
def test_chrome_lines(text_in, removed_rule):
    log = []
    out = clean.remove_boilerplate(text_in, log=log)
    assert out == "正文" * 30 + "。"
    assert removed_rule in {e["rule"] for e in log}


def test_a_sentence_about_an_app_is_not_chrome():
    text = "正文" * 30 + "。\n市民可下载“浙里办”APP进行申请。"
    assert clean.remove_boilerplate(text) == text


# ---------------------------------------------------------------- fixtures
def test_spam_span_removed_sentence_kept():
    doc = clean.clean_document(fixture("003_spam.txt"))
    assert "BET" not in doc.text and "365" not in doc.text
    assert "并由市委组织部、工委牵头，抽调精干力量组建工作专班。" in doc.text
    assert "spam_removed" in doc.flags


def test_header_metadata_000():
    doc = clean.clean_document(fixture("000_header.txt"))
    assert doc.title == "提能力 转作风 抓落实丨鸡西能力作风建设“实”字当头"
    assert (doc.date, doc.date_source, doc.outlet) == (
        "2023-05-17",
        "header",
        "黑龙江日报",
    )
    assert doc.authors == ["杨桂华", "孙伟民", "丁燕"]
    assert "相关资料图" not in doc.text and "您的当前位置" not in doc.text
    assert doc.text.splitlines()[1] == "五月的鸡西，微风和煦、芬芳正浓。"


def test_related_list_and_disclaimer_removed():
    doc = clean.clean_document(fixture("000_related_footer.txt"))
    assert doc.text.endswith("通过能力作风建设落实，鸡西一定会更美更好。")
    for chrome in ("推荐阅读", "猜您喜欢", "版权", "王一新", "城市\n"):
        assert chrome not in doc.text + "\n"


def test_footer_001():
    doc = clean.clean_document(fixture("001_footer.txt"))
    assert (doc.outlet, doc.date) == ("人民日报", "2022-11-07")
    for chrome in ("责编", "版权", "黎城县", "人民日报》"):
        assert chrome not in doc.text
    assert doc.text.splitlines()[-1].endswith("青岛市委主要负责同志说。")


def test_mojibake_header_001():
    doc = clean.clean_document(fixture("001_mojibake_header.txt"))
    assert doc.title.startswith("人民日报点赞青岛")
    assert "看到。”青岛市一位区委书记说" in doc.text
    assert not re.search(r"[?\ufffd]|\([a-zāáǎà]+\)", doc.text)
    assert doc.text == clean.traditional_to_simplified(doc.text, scope="document")


def test_html_remnants_001():
    doc = clean.clean_document(fixture("001_mojibake_html.txt"))
    assert "/p>" not in doc.text
    assert "经常能看到他。”" in doc.text


def test_byline_002():
    doc = clean.clean_document(fixture("002_byline.txt"))
    assert doc.authors == ["任婧婉", "刘瑶", "李哲"]
    assert doc.title == "陵城：狠抓落实一线“点兵”励担当"
    assert doc.city == "陵城" and doc.prefecture == "德州市"


def test_disclaimer_002_gives_outlet():
    doc = clean.clean_document(fixture("002_disclaimer.txt"))
    assert doc.outlet == "德州新闻网"
    assert "版权" not in doc.text and "本网" not in doc.text


def test_header_004():
    doc = clean.clean_document(fixture("004_header.txt"))
    assert doc.title == "海城市：聚焦振兴新突破 激发干事精气神"
    assert (doc.date, doc.outlet) == ("2024-01-03", "辽宁日报")
    for chrome in ("${", "热线", "东北新闻网", "北斗融媒", "分享到"):
        assert chrome not in doc.text


def test_caption_004():
    doc = clean.clean_document(fixture("004_caption.txt"))
    assert "海城下足“绣花”功夫推进道路维修改造。" not in doc.text
    assert len(doc.text.splitlines()) == 4


def test_footer_004():
    doc = clean.clean_document(fixture("004_footer.txt"))
    assert doc.text.endswith("决战决胜全国文明城市创建。")
    for chrome in ("责任编辑", "微博", "北斗融媒", "本网站", "${"):
        assert chrome not in doc.text


# ---------------------------------------------------------------- whole seeds
EXPECTED = {
    "000": (
        "鸡西",
        "黑龙江省",
        "2023-05-17",
        "2023",
        "黑龙江日报",
        "杨桂华;孙伟民;丁燕",
    ),
    "001": ("青岛", "山东省", "2022-11-07", "2022", "人民日报", ""),
    "002": ("陵城", "山东省", "", "2019", "德州新闻网", "任婧婉;刘瑶;李哲"),
    "003": ("海阳", "山东省", "", "2022", "", ""),
    "004": ("海城", "辽宁省", "2024-01-03", "2024", "辽宁日报", ""),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata(prefix):
    doc = clean.clean_document(seed(prefix))
    got = (doc.city, doc.province, doc.date, doc.year, doc.outlet, doc.authors_joined)
    assert got == EXPECTED[prefix]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_first_and_last_sentences_kept(prefix):
    raw = seed(prefix)
    doc = clean.clean_document(raw)
    first_last = {
        "000": ("五月的鸡西，微风和煦、芬芳正浓。", "鸡西一定会更美更好。"),
        "001": ("党的二十大报告提出", "青岛市委主要负责同志说。"),
        "002": (
            "近日，我区分管工业的副区长杜昌春",
            "激发起广大干部群众主动干事的激情和热情。",
        ),
        "003": ("又是一年东风劲，又是一度春潮涌。", "让企业满意的“硕果”。"),
        "004": ("年初以来，辽宁鞍山海城市", "决战决胜全国文明城市创建。"),
    }[prefix]
    assert first_last[0] in "".join(doc.text.split("\n")[:3])
    assert doc.text.endswith(first_last[1])


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_idempotent(prefix):
    once = clean.clean_document(seed(prefix)).text
    assert clean.clean_document(once).text == once


def test_seed_003_has_no_title_and_inferred_year():
    doc = clean.clean_document(seed("003"))
    assert doc.title == "" and doc.date_source == "inferred"
    assert doc.text.startswith("又是一年东风劲")


REPORT_DEC = (
    "石嘴山市政府工作报告\n"
    "——2021年12月28日在石嘴山市第十五届人民代表大会第一次会议上\n"
    "各位代表：现在，我代表市人民政府，向大会报告工作，请予审议。"
    "过去的五年，是石嘴山市发展史上极不平凡的五年。"
)


UNDATED = REPORT_DEC.split("\n", 2)[2]


@pytest.mark.parametrize(
    ("raw", "meta", "date", "year", "sources"),
    [
        # Delivered in December for the next year: the corpus year wins.
        (
            REPORT_DEC,
            {"year": 2022, "date": "2021-12-28"},
            "2021-12-28",
            "2022",
            ("given", "given"),
        ),
        (REPORT_DEC, {"year": "2022"}, "2021-12-28", "2022", ("header", "given")),
        (REPORT_DEC, {"date": "2021-12-28"}, "2021-12-28", "2021", ("given", "header")),
        # A year that is not four digits is not taken.
        (REPORT_DEC, {"year": "二〇二二"}, "2021-12-28", "2021", ("header", "header")),
        (UNDATED, {"year": "2022"}, "", "2022", ("none", "given")),
        (UNDATED, {}, "", "", ("none", "none")),
    ],
)
def test_given_year_and_date_win_over_the_text(raw, meta, date, year, sources):
    doc = clean.clean_document(raw, meta=meta)
    assert (doc.date, doc.year) == (date, year)
    assert (doc.sources["date"], doc.sources["year"]) == sources


# ---------------------------------------------------------------- properties
def removed_chars_accounted(raw: str, doc: clean.CleanDoc) -> bool:
    removed = Counter(c for c in raw if not c.isspace()) - Counter(
        c for c in doc.text if not c.isspace()
    )
    logged = set("".join(e["before"] for e in doc.log))
    return set(removed) <= logged


CHUNKS = st.sampled_from(
    [
        "鸡西市深入贯彻能力作风建设，一批难题得到破解。",
        "标签：",
        "责任编辑：宋长春",
        "推荐阅读",
        "网(wǎng)",
        "您的当前位置：首页 > 热点",
        "黎城县| 凤山县| 江北区| 包头市| 吕梁市| 黄陵县|",
        "${x}",
        "?!",
        "\n",
        "\n\n",
        " ",
        "2023-05-17 来源：黑龙江日报",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CHUNKS, max_size=12).map("".join))
def test_property_structured_noise(raw):
    doc = clean.clean_document(raw)
    assert clean.clean_document(doc.text).text == doc.text
    assert removed_chars_accounted(raw, doc)


def added_chars_logged(raw: str, doc: clean.CleanDoc) -> bool:
    """Every character the cleaner adds is the ``after`` of a logged repair."""
    added = Counter(c for c in doc.text if not c.isspace()) - Counter(
        c for c in raw if not c.isspace()
    )
    return set(added) <= set("".join(e["after"] for e in doc.log))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_property_arbitrary_text(raw):
    doc = clean.clean_document(raw)
    lines = doc.text.split("\n")
    assert all(line == line.strip() for line in lines), doc.text
    assert doc.text == doc.text.strip()
    assert clean.clean_document(doc.text).text == doc.text
    assert removed_chars_accounted(raw, doc)
    assert added_chars_logged(raw, doc)


def test_added_characters_come_from_logged_repairs():
    """The check above can fail: a repair with its log entry removed is caught."""
    raw = "人民日?qǐng)?bào)點(diǎn)贊"
    doc = clean.clean_document(raw)
    assert "报" in doc.text and "报" not in raw
    assert added_chars_logged(raw, doc)
    assert not added_chars_logged(raw, dataclasses.replace(doc, log=[]))


def test_corpus_boilerplate_and_near_duplicates():
    body = "鸡西市深入贯彻全省能力作风建设部署要求，一批难题得到破解。" * 3
    docs = [{"group": "a", "text": f"本站快讯\n{body}{i}\n扫码关注"} for i in range(4)]
    found = clean.corpus_boilerplate(docs)
    assert found == {"a": {"本站快讯", "扫码关注"}}
    sigs = [
        ("x", clean.minhash(body + "甲")),
        ("y", clean.minhash(body + "乙")),
        ("z", clean.minhash("完全不同的另一篇文章内容，讲的是海城市的文明创建。" * 3)),
    ]
    assert clean.near_duplicates(sigs) == {"y": "x"}


def test_province_and_city_of_the_same_short_name_stay_apart():
    province = clean.clean_document(
        "吉林省人民政府工作报告。过去一年，全省经济运行稳中有进，各项工作取得新成效。",
        meta={"place": "吉林省", "level": "province"},
    )
    city = clean.clean_document(
        "吉林市人民政府工作报告。过去一年，全市经济运行稳中有进，各项工作取得新成效。",
        meta={"place": "吉林市", "level": "prefecture"},
    )
    assert (province.city, province.prefecture, province.admin_level) == (
        "吉林省",
        "",
        "province",
    )
    assert (city.city, city.prefecture, city.province) == ("吉林", "吉林市", "吉林省")
    assert province.city != city.city


def test_c1_controls_go_after_the_codec_repair():
    log: list = []
    assert clean.clean_document("近日，市政府召开会议\x80研究部署工作。").text == (
        "近日，市政府召开会议研究部署工作。"
    )
    text = "一二三会议，研究部署工作。"
    misread = text.encode("utf-8").decode("latin-1")
    assert "\x80" in misread
    assert clean.repair(misread, log=log) == text
    assert {e["rule"] for e in log} == {"mojibake_codec"}


CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.sampled_from(
    "，。、：；！？“”《》0123456789"
)


@given(st.text(alphabet=CHINESE, min_size=2, max_size=60), st.text(max_size=40))
def test_property_codec_repair_keeps_clean_text_and_undoes_latin1(text, other):
    from citytext.clean.repair import wrong_codec

    assert wrong_codec(text) == text
    assert wrong_codec(text.encode("utf-8").decode("latin-1")) == text
    # Whatever it is given, the repair never raises and keeps the line count.
    assert wrong_codec(other).count("\n") == other.count("\n")


@pytest.mark.parametrize("raw", ["\x8dÂ¡", "\xa0À§", "价格为100€，同比Â·增长"])
def test_stray_latin1_symbols_are_not_repaired_and_cleaning_is_stable(raw):
    once = clean.clean_document(raw).text
    assert clean.clean_document(once).text == once
    assert not {e["rule"] for e in clean.clean_document(raw).log} & {"mojibake_codec"}
