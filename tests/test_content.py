"""Tests for main-content detection, titles and dates on plain-text pages."""

import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citytext import clean, ingest, pipeline
from citytext.clean import content, headlines, pubdate

NAV = ["首页", "新闻", "财经", "体育", "登录", "注册", "客户端下载", "网站地图"]
BODY = [
    "近日，市政府召开常务会议，研究部署下一阶段的重点工作，会议由市长主持。",
    "会议指出，今年以来全市经济运行总体平稳，主要指标好于预期，民生保障持续加强。",
    "会议要求，各部门要压实责任、细化措施，确保各项任务按时保质完成。",
    "会议还研究了其他事项，并对近期安全生产工作作出具体安排。",
]
FOOTER = [
    "关于我们 | 联系我们 | 版权声明",
    "Copyright © 2024 某某网 版权所有",
    "京ICP备00000000号",
]


def page(
    title="市政府召开常务会议部署重点工作", dateline="2024-05-10 09:30 来源：某某日报"
):
    return "\n".join(
        [f"{title}_要闻_某某网", *NAV, "您的当前位置：首页 > 要闻", title, dateline]
        + BODY
        + ["分享到：", "相关阅读", "某地举行招聘会", "某地发布天气预报", *FOOTER]
    )


# ---------------------------------------------------------------- the block
def test_chrome_around_the_article_is_removed():
    doc = clean.clean_document(page())
    lines = doc.text.split("\n")
    assert lines[0] == "市政府召开常务会议部署重点工作"
    assert lines[1:] == BODY
    assert doc.title == lines[0]
    assert doc.date == "2024-05-10" and doc.date_source == "header"


def test_site_suffix_is_stripped_when_the_headline_is_on_the_page():
    doc = clean.clean_document(page(title="山区小学迎来新校舍！"))
    assert doc.title == "山区小学迎来新校舍！"


def test_related_link_dates_and_clocks_are_not_the_date():
    text = page(dateline="09:30 来源：某某日报") + "\n2023-01-01 某地举行招聘会"
    doc = clean.clean_document(text, source_file="pages/x.txt")
    assert doc.date == ""
    assert "no_date" in doc.flags


def test_an_all_chrome_page_keeps_no_article_text():
    text = "\n".join([*NAV, "您的当前位置：首页 > 要闻", *FOOTER] * 3)
    doc = clean.clean_document(text)
    assert ingest.count_cjk(doc.text) < ingest.MIN_CJK


def test_an_all_chrome_page_is_quarantined_only_chrome(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nav.txt").write_text(
        "\n".join([*NAV, "您的当前位置：首页 > 要闻", *FOOTER] * 3), "utf-8"
    )
    (corpus / "ok.txt").write_text(page(), "utf-8")
    pipeline.run_cleaning(corpus, tmp_path / "run")
    q = (tmp_path / "run" / "quarantine.csv").read_text("utf-8")
    assert "nav.txt,only_chrome" in q
    assert "ok.txt" not in q


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(NAV + BODY + FOOTER + ["", "。", "——", "2024-05-10"])))
def test_property_block_is_well_formed(lines):
    lines = [x for x in lines if x.strip()]
    art = content.choose_article(lines, None)
    assert len(art.keep) == len(art.proba) == len(lines)
    assert all(0.0 <= p <= 1.0 for p in art.proba)
    if any(art.keep):
        assert art.start <= min(i for i, k in enumerate(art.keep) if k)
        assert art.end > max(i for i, k in enumerate(art.keep) if k)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.text(max_size=40))
def test_property_arbitrary_page_and_path_never_raise(raw, path):
    doc = clean.clean_document(raw, source_file=path)
    assert doc.date == "" or pubdate.iso(*doc.date.split("-")) == doc.date
    assert doc.date_source in {"header", "body", "path", "url", "inferred", "none"}
    if doc.title:
        assert doc.text.split("\n")[0] == doc.title


def test_one_line_page():
    assert clean.clean_document("只有一行").text == "只有一行"


@pytest.mark.slow
def test_a_ten_megabyte_paragraph_does_not_raise():
    raw = "这是一个很长的段落，内容反复出现。" * (10_000_000 // 17)
    doc = clean.clean_document(raw)
    assert len(doc.text) == len(raw)


# ---------------------------------------------------------------- titles
def test_newspaper_heading_stack_gives_the_main_headline():
    body = (
        "\u3000\u3000本报北京2月1日电  （记者某某）"
        "会议强调，要把各项工作落到实处，确保取得实效。"
    )
    kicker_headline = f"引题一行\r\n主标题在第二行\r\n\r\n{body}\r\n"
    assert headlines.heading_stack_title(kicker_headline) == "主标题在第二行"
    no_kicker = f"\r\n主标题在第二行\r\n副题在第三行\r\n{body}\r\n"
    assert headlines.heading_stack_title(no_kicker) == "主标题在第二行"
    doc = clean.clean_document(no_kicker, source_file="docs/rmrb-20190202-01-03.txt")
    assert doc.title == "主标题在第二行"
    assert doc.text.split("\n")[0] == "主标题在第二行"
    assert (doc.date, doc.date_source) == ("2019-02-02", "path")


def test_headline_may_end_with_exclamation():
    assert headlines.headline_like("奖金711万元！首位获奖女性啥来头？")
    assert not headlines.headline_like("会议要求，各部门要压实责任。")
    assert not headlines.headline_like("首页 新闻 财经 体育 登录")


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize(
    ("path", "date"),
    [
        ("docs/rmrb-20190201-01-01.txt", "2019-02-01"),
        ("2019/02/28/a.txt", "2019-02-28"),
        ("report_2019.txt", ""),
        ("20191399.txt", ""),
    ],
)
def test_path_date(path, date):
    assert pubdate.path_date(path) == date


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("http://finance.people.com.cn/n1/2024/0510/c1004-40232587.htm", "2024-05-10"),
        ("http://news.china.com.cn/2024-05/13/content_117184963.shtml", "2024-05-13"),
        ("https://news.youth.cn/gn/202405/t20240513_15249693.htm", "2024-05-13"),
        ("https://example.com/a/b.html", ""),
    ],
)
def test_url_date(url, date):
    assert pubdate.url_date(url) == date


def test_dispatch_month_day_takes_the_year_from_the_path():
    text = "本报北京9月30日电  （记者某某）会议强调，要把各项工作落到实处。"
    doc = clean.clean_document(text, source_file="2019/paper.txt")
    assert (doc.date, doc.date_source) == ("2019-09-30", "body")


def test_region_date_skips_sentences_and_clocks():
    lines = [
        "标题",
        "18:57 参考消息",
        "2019年，全市生产总值增长6%，居全省第一。",
        "2019年11月25日 18:57",
    ]
    assert pubdate.region_date(lines, 0, 4) == "2019-11-25"
    assert pubdate.region_date(lines, 0, 3) == ""


# ---------------------------------------------------------------- the model
def test_shipped_model_matches_the_features():
    m = content.model()
    assert m.features == content.FEATURES
    assert len(m.coef) == len(m.mean) == len(m.scale) == len(content.FEATURES)


def test_using_model_swaps_and_restores():
    shipped = content.model()
    flat = content.Model(
        features=content.FEATURES,
        mean=(0.0,) * len(content.FEATURES),
        scale=(1.0,) * len(content.FEATURES),
        coef=(0.0,) * len(content.FEATURES),
        intercept=5.0,
    )
    with content.using_model(flat):
        assert statistics.mean(content.choose_article(BODY + NAV).proba) > 0.99
    assert content.model() is shipped


# ---------------------------------------------------------------- more cases
BODY_RMRB = (
    "\u3000\u3000本报北京2月1日电  （记者某某）"
    "会议强调，要把各项工作落到实处，确保取得实效。"
)


def test_heading_stack_takes_a_column_label_and_menu_words():
    assert headlines.heading_stack_title(f"\n速览\n\n{BODY_RMRB}\n") == "速览"
    text = f"引题一行\n全程跟进关注 更重一线作为\n\n{BODY_RMRB}\n"
    doc = clean.clean_document(text, source_file="docs/rmrb-20190219-10-03.txt")
    assert doc.title == "全程跟进关注 更重一线作为"


def test_newspaper_issue_date_beats_a_document_date_in_the_stack():
    text = f"\n关于某项工作的若干意见\n（2019年1月3日）\n{BODY_RMRB}\n"
    doc = clean.clean_document(text, source_file="docs/rmrb-20190220-01-02.txt")
    assert (doc.date, doc.date_source) == ("2019-02-20", "path")
    assert doc.title == "关于某项工作的若干意见"


def test_subtitle_after_a_dash_inside_brackets_is_not_a_site_suffix():
    title = "互利共赢的全球公共产品（风从东方来——国际人士谈合作）"
    assert headlines.site_title(title) == ""
    assert (
        headlines.site_title("市政府召开常务会议_要闻_某某网") == "市政府召开常务会议"
    )


def test_article_after_a_short_related_list_is_kept():
    lines = [
        "苹果发布新手机_科技_某某网",
        *NAV,
        "相关新闻：",
        "直播发布会",
        "秋季新品发布会：谈色彩",
        "某某科技讯 北京时间9月11日凌晨消息，秋季发布会开幕，新品售价699美元。",
        "某某科技查询官网，各容量售价分别为：64GB售5499元，256GB售6799元。",
        *BODY,
        *FOOTER,
    ]
    doc = clean.clean_document("\n".join(lines))
    assert "某某科技查询官网" in doc.text
    assert all(x in doc.text for x in BODY)


def test_headline_with_a_separator_inside_repeats_the_title_line():
    title = "棱镜|数据业大整顿：爬虫与现金贷共生共荣"
    lines = [f"{title}_财经_某某网", *NAV, title, "2019-09-07 10:00", *BODY]
    assert headlines.headline_index(lines) == len(NAV) + 1
    doc = clean.clean_document("\n".join(lines))
    assert doc.title == title


def test_headline_holding_a_byline_word_inside_is_a_headline():
    assert headlines.headline_like("儿歌被改 原作者女儿：改成这样不觉得拗口吗？")
    assert not headlines.headline_like("作者：某某")
    assert headlines.headline_like("短视频与大众文化生产")
    assert not headlines.headline_like("5人参与2评论")


def test_a_date_widget_split_over_lines_and_a_dateline_above_the_headline():
    assert pubdate.region_date(["标题", "2019", "09/07", "19:02"], 0, 4) == "2019-09-07"
    lines = ["某网", *NAV, "2024年5月20日 下午2:05", "公开赛 某某封王", *BODY]
    doc = clean.clean_document("\n".join(lines))
    assert doc.date == "2024-05-20"


def test_a_page_of_one_numeric_paragraph_keeps_it():
    para = (
        "1-10月，全县固定资产投资完成246.79亿元，完成年度计划82.3%，同比增长"
        "15.3%，位列三县两区第一（某县发改局）"
    )
    lines = ["某县固定资产投资结构趋稳", "发布日期：2016-11-22", para, "打印 关闭"]
    doc = clean.clean_document("\n".join(lines))
    assert para in doc.text


def test_comment_counters_and_relative_times_leave_no_quantity():
    from citytext import metrics

    chrome = [
        "1032人参与308评论",
        "2019年09月11日01:53 某某科技 我有话说(1307人参与) 收藏本文",
        "1小时前",
        "106人参与网友评论",
        "19 跟贴",
        "自动播放 某某发布新手机：配6种颜色",
        "play 某某发布新手机：配6种颜色",
    ]
    title = "市政府召开常务会议部署重点工作"
    lines = [f"{title}_要闻_某某网", *NAV, title, *chrome[:3], *BODY, *chrome[3:]]
    doc = clean.clean_document("\n".join(lines))
    assert not any(x in doc.text for x in chrome)
    assert doc.date == "2019-09-11"
    found = metrics.extract(doc.text)
    assert not found["raw"].str.contains("人|小时|种").any()
    kept = "9日的罢工是继5日80万多人参与的全国跨行业大罢工后，工会发起第二轮行动。"
    assert clean.clean_document("\n".join([title, kept, *BODY])).text.count(kept) == 1


#: A newspaper page of two short items, each with subheadings and a dateline
#: (shortened from rmrb-20190212-13-04).
RMRB_TWO_ITEMS = (
    "\n2019春运一线\n\n"
    "\u3000\u3000新通道\n\u3000\u3000“急客”服务通道开通\n"
    "\u3000\u3000本报北京2月11日电\u00a0\u00a0（记者贺勇）随着春节假期结束，北京铁路局"
    "集团公司管内各大站全面迎来返程客流高峰，2月11日全局到达客流达到100万人。\n"
    "\u3000\u3000为增加运力，北京局增开旅客列车75列，同时在京津冀地市级以上车站设置"
    "“急客”服务通道，安排志愿者或专人引导服务，避免旅客延误旅程。\n\u3000\u3000\n"
    "\u3000\u3000新闸机\n\u3000\u3000“刷脸”进站优化升级\n"
    "\u3000\u3000本报成都2月11日电\u00a0\u00a0（记者王明峰）春节假期过去，为应对客流高峰，"
    "成都车站提前对重点进站通道的人脸识别闸机进行了全面升级，加快旅客进站速度。\n"
    "\u3000\u3000为了便于旅客出站换乘其他交通工具，成都车站还加强了与地铁、公交的联动，"
    "加密高峰时段开行频次，延长夜间开行时间等。\n"
)


def test_newspaper_page_of_several_items_keeps_every_item():
    doc = clean.clean_document(RMRB_TWO_ITEMS, source_file="rmrb-20190212-13-04.txt")
    assert doc.title == "2019春运一线" and doc.date == "2019-02-12"
    for kept in ("新通道", "本报北京2月11日电", "北京局增开", "新闸机", "本报成都"):
        assert kept in doc.text
    assert "outside_article" not in {e["rule"] for e in doc.log}


# ------------------------------------------------- already-extracted articles
#: A mobile-style post, one phrase per line (the noise of self-media pages).
SHORT_LINE_POST = [
    "5月20日至31日，高速公路大桥段封闭施工！",
    "下周一，",
    "大桥施工就将进入第二阶段，",
    "也是对市民出行影响最大的一段。",
    "为什么说此次施工",
    "对市民出行影响最大？",
    "因为",
    "第二阶段的路面专项维修工程，",
    "将从收费站往北直至枢纽，",
    "全！封！闭！",
    "简单说就是",
    "往江阴方向（包括大桥）全封闭，",
    "01",
    "相关路段强制分流，听从交警指挥疏导",
    "请大家听从现场民警指挥，关注道路电子显示屏、交通广播、指示牌诱导进行绕行。",
    "愿大家都能",
    "平安出行，安全到家。",
]


def test_an_extracted_short_line_post_comes_out_whole():
    text = "\n".join(SHORT_LINE_POST)
    doc = clean.clean_document(text)
    assert doc.text == text
    assert clean.clean_document(doc.text).text == doc.text


def test_the_same_post_inside_chrome_loses_the_chrome_only():
    raw = "\n".join([*NAV, *SHORT_LINE_POST, *FOOTER])
    doc = clean.clean_document(raw)
    assert not set(NAV + FOOTER) & set(doc.text.split("\n"))
    assert clean.clean_document(doc.text).text == doc.text


def test_is_extracted_needs_no_chrome_rule_and_no_menu_item():
    lines = SHORT_LINE_POST
    assert content.is_extracted(lines, [""] * len(lines))
    assert content.is_extracted(lines, ["dateline", *[""] * (len(lines) - 1)])
    assert not content.is_extracted(lines, ["copyright", *[""] * (len(lines) - 1)])
    with_menu = ["登录", *lines]
    assert not content.is_extracted(with_menu, [""] * len(with_menu))


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("分享：", "share_widget"),
        ("腾讯QQ QQ空间", "share_widget"),
        ("举报 缩小字体 放大字体 收藏 微博 微信 分享 1,088", "share_widget"),
        ("字体：小大", "share_widget"),
        ("您的浏览器暂时无法播放此视频.", "player_widget"),
        ("调查问题加载中，请稍候。", "player_widget"),
        ("点击进入“文艺星青年”>>", "link_prompt"),
        ("（资料来源：参考消息、海外网等）", "credit"),
        ("（综合整理自澎湃新闻、智东西、雷锋网等）", "credit"),
        ("（原标题：多地项目连环爆雷 狂奔的集团“暗伤”曝露？）", "original_title"),
        ("（原题为《是“收割韭菜”还是“回归理性”》）", "original_title"),
        (
            "声明：本报力求信息真实、准确，文章提及内容仅供参考，不构成实质性投资建议。",
            "disclaimer",
        ),
        ("本作品为“科普中国”原创，转载时务请注明出处。", "copyright"),
        ("原创： 某某编译 某某研究", "byline_label"),
        ("分享经验是一件好事。", ""),
        ("他说：声明已经发出，请大家放心。", ""),
        ("点击率不断攀升，成为年度热词。", ""),
    ],
)
def test_chrome_line_rules(line, rule):
    assert clean.boilerplate._line_rule(line) == rule  # noqa: SLF001


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("2024年05月10日 00:26 每日经济新闻", "dateline"),
        ("2020-06-05 20:35 叨叨姐 胡一刀 李小飞刀", "dateline"),
        ("发布时间：10-08 12:00 优质原创作者", "dateline"),
        ("澎湃新闻记者 段彦超 廖艳", "byline"),
        ("《棱镜》作者 周纯", "byline"),
        ("执笔/叨叨姐、胡一刀&李小飞刀", "byline"),
        ("2019年9月5日，我市召开全市经济工作会议", ""),
        ("新华社记者从有关部门获悉", ""),
    ],
)
def test_metadata_line_roles(line, role):
    assert clean.boilerplate._metadata_role(line) == role  # noqa: SLF001


def test_a_question_headline_over_its_teaser_stays_in_the_related_list():
    raw = "\n".join(
        [
            *NAV,
            "某地召开会议部署工作",
            *BODY,
            "为你推荐",
            "我国又发现10亿吨级大油田，这只股票暴涨！利好有多大？",
            "国庆节前夕，某公司发布重磅利好公告，在某地勘探发现10亿吨级大油田。",
            "又见金融股权大笔划转，某公司29.9亿股划转社保基金",
            "以某公司A股27日收盘价8.69元计算，29.9亿股对应市值约260亿资金。",
            *FOOTER,
        ]
    )
    doc = clean.clean_document(raw)
    assert "利好有多大" not in doc.text and "划转社保基金" not in doc.text
    assert doc.text.split("\n")[-1] == BODY[-1]


def test_the_block_below_the_headline_beats_a_stronger_one_far_away():
    far = 3 + content.HEAD_ANCHOR
    scores = [-1.0, 0.5, 0.5, *[-1.0] * (far - 3), 1.0, 1.0, 1.0, 1.0]
    weights = [1.0] * len(scores)
    hints = [""] * len(scores)
    assert content.best_block(scores, weights) == (far, far + 4)
    assert content.anchored_block(scores, weights, hints, head=0) == (1, 3)
    assert content.anchored_block(scores, weights, hints, head=-1) == (0, 0)
    # Nothing scores above zero close below the headline: no anchored block.
    low = [-1.0] * len(scores)
    assert content.anchored_block(low, weights, hints, head=0) == (0, 0)


def test_a_run_of_sure_chrome_lines_is_never_bridged():
    proba = [0.9, 0.9, *[0.01] * content.BARRIER_RUN, 0.95, 0.95, 0.95]
    scores = content._barriers(  # noqa: SLF001
        [p - 0.5 for p in proba], proba, 0.1
    )
    assert content.best_block(scores, [10.0] * len(proba)) == (
        len(proba) - 3,
        len(proba),
    )
    short_run = [0.9, 0.9, *[0.01] * (content.BARRIER_RUN - 1), 0.95]
    assert content._barriers([0.4, 0.4], short_run[:2], 0.1) == [0.4, 0.4]  # noqa: SLF001


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Posted by 某某 Feb 1st, 2015 iOS", "2015-02-01"),
        ("十一月 6th, 2009 at 12:02 下午", "2009-11-06"),
        ("Sept. 3, 2019", "2019-09-03"),
        ("更新时间 2012年12月10日, 格林尼治标准时间10:41", "2012-12-10"),
        ("Decimal 5, 2015", ""),
        ("2009年十一月", ""),
    ],
)
def test_dateline_dates_with_month_words_and_a_labelled_comma(line, date):
    assert pubdate.region_date([line], 0, 1) == date
