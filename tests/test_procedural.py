"""Procedural and heading paragraphs: flagged from their text alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citytext import procedural, segment

# Paragraphs as the segmenter gives them (headings joined with a space),
# taken from local government work reports of 2022 and 2023.
PROCEDURAL = [
    "——2022年1月7日在本溪市第十七届人民代表大会第一次会议上 市长 吴世民 各位代表： "
    "现在，我代表本溪市人民政府向大会报告工作，请予审议，并请市政协委员和列席会议的"
    "同志提出意见。",
    "上海市市长 龚正 各位代表： 现在，我代表上海市人民政府，向大会报告工作，请予审议。"
    "请各位政协委员和其他列席人员提出意见。",
    "——2023年1月4日在伊犁哈萨克自治州第十五届人民代表大会第二次会议上",
    "（2023年1月6日在鹤岗市第十七届人民代表大会第二次会议上）",
    "各位代表！",
    "2023年政府工作报告",
    "重点做好以下工作。",
    "为实现上述目标，重点抓好以下工作。",
    "各位代表！征途漫漫，惟有奋斗！让我们更加紧密地团结在以习近平同志为核心的党中央周围，"
    "在省委、省政府和州委的坚强领导下，锐意进取、勇毅前行，为把恩施建设成为美丽湖北绿色"
    "崛起的重要一极不懈奋斗！",
    "各位代表，四年来，经济社会发展取得的成绩来之不易，这是以习近平同志为核心的党中央坚强"
    "领导的结果，是省委、省政府和州委正确领导的结果，是州人大及其常委会、州政协监督支持的"
    "结果，是全州人民共同努力的结果。在此，我谨代表州人民政府，向全州各族干部群众、各级各"
    "部门、各界人士、驻大理解放军和武警部队官兵、消防救援人员，表示衷心的感谢和崇高的敬意！",
    "受市人民政府委托，现将2022年全市国民经济和社会发展计划执行情况报告如下，请予审议。",
]
HEADING = [
    "（四）全力以赴改善生态环境。",
    "（十一）全面加强政府自身建设，努力建设人民满意政府。",
    "（七）坚持以港兴城、港产联动，加快建设现代化港口，打造通江达海战略港城",
    "坚定信心、实干为要！",
]
SUBSTANCE = [
    "各位代表！一年来，我们不断强化政治建设，深入学习宣传贯彻党的二十大精神。一年来，我们"
    "不断强化法治建设，自觉接受人大、政协监督，人大代表建议、政协提案全部办结。积极推进供"
    "热管理、市容环境领域地方立法，“府院联动”纵深拓展，“八五”普法扎实推进。",
    "各位代表，大同发展的希望在产业，潜力在产业；产业要振兴，关键靠企业。我们要对每一位企"
    "业家特别是民营企业家厚爱三分、全力支持，在全社会着力营造尊重、关爱、服务企业家的良好"
    "氛围。",
    "一、2022年工作回顾 过去一年，全市地区生产总值增长5.2%，城镇新增就业3.1万人。",
    "1.开通南部新区至城北易地扶贫搬迁安置点公交专线。",
    "[^37]: PPP：指政府与私人组织之间，为了提供某种公共物品和服务，以特许权协议为基础，"
    "彼此之间形成一种伙伴式的合作关系，最终使合作各方达到比预期单独行动更为有利的结果。",
    "得益于减税降费政策，全市新增市场主体2.3万户，增长12%。",
    "鸡西市深化能力作风建设，狠抓落实，优化营商环境。",
]


@pytest.mark.parametrize("text", PROCEDURAL)
def test_procedural(text):
    assert procedural.paragraph_flags(text) == ["procedural"], text


@pytest.mark.parametrize("text", HEADING)
def test_heading(text):
    assert procedural.paragraph_flags(text) == ["heading"], text


@pytest.mark.parametrize("text", SUBSTANCE)
def test_substance_not_flagged(text):
    assert procedural.paragraph_flags(text) == [], text


def test_is_modelled():
    assert procedural.is_modelled("")
    assert procedural.is_modelled(float("nan"))
    assert procedural.is_modelled("near_duplicate")
    assert not procedural.is_modelled("procedural")
    assert not procedural.is_modelled("x;heading")


def test_segment_rows_carry_flags():
    text = (
        "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
        "全市生产总值增长5%。"
    )
    rows = segment.paragraph_rows({"doc_id": "d", "city": "", "text": text})
    assert [r["flags"] for r in rows] == ["procedural", ""]


def test_seed_paragraphs_mostly_substance(seed_texts):
    flagged = total = 0
    for text in seed_texts.values():
        for para in segment.paragraphs(text):
            total += 1
            flagged += bool(procedural.paragraph_flags(para))
    assert total > 0 and flagged / total < 0.2


@given(st.text(max_size=300))
def test_any_text_gives_at_most_one_flag(text):
    flags = procedural.paragraph_flags(text)
    assert flags in ([], ["procedural"], ["heading"])
