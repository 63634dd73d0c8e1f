"""Tests for citytext.places: gazetteer, resolution, ambiguity, main place."""

import csv
from pathlib import Path

import pytest

from citytext import places


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("陵城区", ("陵城区", "德州市", "山东省", "district")),
        ("陵城", ("陵城区", "德州市", "山东省", "district")),
        ("海阳市", ("海阳市", "烟台市", "山东省", "county-level city")),
        ("鸡西市", ("鸡西市", "鸡西市", "黑龙江省", "prefecture")),
        ("鸡西", ("鸡西市", "鸡西市", "黑龙江省", "prefecture")),
        ("海城市", ("海城市", "鞍山市", "辽宁省", "county-level city")),
        ("海城区", ("海城区", "北海市", "广西壮族自治区", "district")),
        ("青岛", ("青岛市", "青岛市", "山东省", "prefecture")),
        ("北京", ("北京市", "北京市", "北京市", "municipality")),
        ("内蒙古", ("内蒙古自治区", "内蒙古自治区", "内蒙古自治区", "province")),
        ("杭锦后旗", ("杭锦后旗", "巴彦淖尔市", "内蒙古自治区", "banner")),
        (
            "延边",
            ("延边朝鲜族自治州", "延边朝鲜族自治州", "吉林省", "autonomous prefecture"),
        ),
        ("仙桃市", ("仙桃市", "仙桃市", "湖北省", "county-level city")),
    ],
)
def test_resolve(name, expected):
    place = places.resolve(name)
    assert place is not None
    assert (place.name, place.prefecture, place.province, place.admin_level) == expected
    assert len(place.adcode) == 6


def test_short_name():
    assert places.resolve("陵城区").short_name == "陵城"
    assert places.resolve("鸡西市").short_name == "鸡西"
    assert places.resolve("广西").short_name == "广西"


@pytest.mark.parametrize("name", ["朝阳区", "海城", "不存在的地方", "", "城区"])
def test_unresolvable_without_context(name):
    assert places.resolve(name) is None


def test_ambiguous_resolved_by_context():
    assert places.resolve("朝阳区", context="吉林省长春市").prefecture == "长春市"
    assert places.resolve("朝阳区", context={"place": "北京市"}).province == "北京市"
    assert places.resolve("朝阳区", context=["北京"]).province == "北京市"
    assert places.resolve("海城", context="辽宁鞍山").name == "海城市"
    assert places.resolve("海城", context="广西北海").name == "海城区"
    assert places.is_ambiguous("朝阳区")


def test_names_has_full_and_short_forms():
    names = set(places.names())
    assert {"陵城区", "陵城", "海阳市", "海阳", "鸡西市", "鸡西"} <= names
    assert "比如" not in names and "比如县" in names
    assert "城区" not in names


def test_find_places_leftmost_longest():
    found = places.find_places("上海城市更新与海城市的文明创建")
    assert [p.name for _, p in found if p] == ["上海市", "海城市"]
    text = "辽宁鞍山海城市,海城好人"
    spans = [
        (text[a:b], p.name if p else None) for (a, b), p in places.find_places(text)
    ]
    assert ("海城", "海城市") in spans


def test_find_places_reports_ambiguity():
    found = places.find_places("朝阳区开展活动")
    assert found == [((0, 3), None)]


def test_main_place_prefers_title_and_lead():
    text = "海阳市召开大会。会议贯彻烟台市会议精神。海阳市委要求…海阳市各部门"
    assert places.main_place(text, "").name == "海阳市"
    assert (
        places.main_place("鸡冠区,鸡冠区,鸡东县。", "鸡西能力作风建设").name == "鸡西市"
    )
    assert places.main_place("没有地名的文字。", "") is None


def test_main_place_meta_given():
    assert places.main_place("文字", "", {"place": "云南省"}).name == "云南省"


def _sentence_cases():
    path = Path(__file__).parent / "fixtures" / "places_sentences.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            pytest.param(r["text"], r["places"], id=r["note"])
            for r in csv.DictReader(fh)
        ]


@pytest.mark.parametrize(("text", "expected"), _sentence_cases())
def test_whole_toponyms_only(text, expected):
    found = [p.name if p else None for _, p in places.find_places(text)]
    assert found == [n for n in expected.split(";") if n]


def test_national_article_is_flagged():
    text = (
        "新华社北京2月14日电 日前，国务院办公厅印发《意见》。各地区各部门要结合实际。"
    )
    choice = places.article_place(text, "国办印发意见 支持湖北和武汉")
    assert choice == places.PlaceChoice(None, "national")


def test_multi_province_article_is_flagged():
    text = (
        "春节期间，记者在江西、湖南、黑龙江、江苏四省部分农村调查。"
        "江西贵溪市的集市很热闹。湖南邵阳的超市货品丰富。"
        "黑龙江绥化的农民网购年货。江苏宿迁的乡村快递点很忙。"
    )
    choice = places.article_place(text, "增加优质供给繁荣农村市场")
    assert choice.place is None and choice.flag == "multi_place"


def test_own_place_wins_over_places_mentioned():
    text = (
        "本报长沙2月12日电 湖南省委、省政府领导进村入户调研。"
        "在怀化市麻阳县，贫困户说起新房子。在湘西州花垣县，村民种起了猕猴桃。"
        "他们还谈到北京、上海的市场。"
    )
    assert places.article_place(text, "湖南领导进村入户").place.name == "湖南省"


def test_capital_dateline_is_not_the_place():
    text = "本报北京2月11日电 记者从有关部门获悉，全国春节期间治安秩序良好。"
    assert places.main_place(text, "春节期间全国治安秩序良好") is None


def test_county_named_in_full_address_wins():
    text = (
        "走进内蒙古自治区赤峰市松山区大庙镇小庙子村，依然能感受到节庆气氛。"
        "这一年，村里又发生了很多变化。"
    )
    assert places.main_place(text, "找到好出路带动全村富").name == "松山区"


PASSING = (
    "潘振声女儿马莉表示，改成这样，唱起来不觉得拗口吗？我理解大家是用这个来搞笑"
    "或者调侃，但现在我们有时候并不尊重自己的经典文化，这并不值得提倡。\n"
    "近日，一张截图在朋友圈流传，那首著名的儿童歌曲《一分钱》被改成了《一元钱》，"
    "有人感叹时光飞逝，也有质疑，这样改编经典，难道不是恶搞吗？要知道，作曲家就曾"
    "在南京创作并生活多年，记者采访了原作者的家人。\n"
    "“我在马路边捡到一分钱，把它交到警察叔叔手里边……”等曾伴随亿万少年儿童成长的"
    "歌曲，都是出自著名音乐家潘振声之手。潘振声创作的大量儿童歌曲，有一千余首在"
    "全国各地报刊电台发表、热播，被人们誉为当代“儿歌大王”。潘振声生于上海，"
    "1991年调任江苏省文联副主席，2009年在南京逝世。\n"
)


def test_place_met_in_passing_is_not_the_articles():
    assert places.main_place(PASSING, "儿歌一分钱被改成一元钱") is None
    # Named in the opening sentences, the same place is the article's.
    opening = "南京市民近日热议一首儿歌的改编。" + PASSING
    assert places.main_place(opening, "儿歌一分钱被改成一元钱").name == "南京市"


def test_publisher_on_a_metadata_line_is_not_the_place():
    assert places.find_places("青岛软媒网络科技有限公司发布") == []
    text = (
        "日本最后一家传呼机公司停止服务\n发布时间：09-30 22:46 某某网络科技\n"
        "据外媒报道，9月30日，日本现存的唯一一家提供传呼机服务的营运商将正式终止服务。"
    )
    assert places.main_place(text, "日本最后一家传呼机公司停止服务") is None
    source = text.replace("某某网络科技", "来源：青岛日报")
    assert places.main_place(source, "日本最后一家传呼机公司停止服务") is None


def test_region_in_the_title_over_several_provinces_is_multi_place():
    title = "习近平主持召开深入推进长三角一体化发展座谈会"
    text = (
        "新华社上海11月30日电 习近平30日上午在上海主持召开深入推进长三角一体化发展"
        "座谈会并发表重要讲话。他强调，深入推进长三角一体化发展，进一步提升创新能力、"
        "产业竞争力、发展能级，率先形成更高层次改革开放新格局，对于我国构建新发展格局、"
        "推动高质量发展意义重大。要完整、准确、全面贯彻新发展理念，紧扣一体化和高质量"
        "这两个关键词，树立全球视野和战略思维，坚定不移深化改革、扩大高水平开放，"
        "推动长三角一体化发展取得新的重大突破，在中国式现代化中走在前列，更好发挥"
        "先行探路、引领示范、辐射带动作用。\n"
        "11月30日上午，习近平在上海主持召开深入推进长三角一体化发展座谈会并发表"
        "重要讲话。中共中央政治局常委、国务院总理李强出席座谈会。\n"
        "习近平在上海调研期间专门召开这次座谈会。座谈会上，国家发展改革委主任、"
        "上海市委书记、江苏省委书记、浙江省委书记、安徽省委书记先后发言。"
    )
    assert places.article_place(text, title) == places.PlaceChoice(None, "multi_place")
    # One province throughout: the region names the setting, not several places.
    one = (
        "国务院新闻办举行新闻发布会，河南省有关负责同志介绍了相关情况。"
        "河南实现了由传统农业大省向新兴工业大省的转变。河南将继续争先出彩。"
    )
    assert places.main_place(one, "在新时代中部地区崛起中争先出彩").name == "河南省"
