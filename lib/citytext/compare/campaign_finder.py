"""Named campaigns, working methods, contests, slogans and numbered formulas in a text.

What belongs here: finding the names one text gives to its own campaigns and
working methods (作风能力提升年, 徒步走城区, 擂台赛, 一放心两满意 …), whether
or not the mechanism lexicon knows them (:func:`find_mentions`), and the rules
behind it: names, kinds, quoted spans and suffix patterns. Turning a corpus's
mentions into campaigns.csv rows is :mod:`citytext.compare.campaigns`.

Why our own code: no maintained library extracts policy-campaign names from
Chinese text. The rules below combine punctuation (quotation marks, book-title
marks), the grammar of the words around a candidate (jieba part-of-speech
tags, the verb that introduces it, the noun that follows it) and two kinds of
statistics (the general-language frequency of jieba's base dictionary, and
how often the corpus writes a candidate with and without quotation marks).
No rule names an annotated string.

Candidates
----------
1. **Quoted spans** (“…”, 「…」, 『…』) of 1-32 characters. Adjacent quotes in a
   list (“利剑”“绿盾”等专项行动, “A”、“B”和“C”) share the word that follows the
   last one. A quoted span is kept when

   * a *naming head* follows it (活动, 行动, 工程, 计划, 改革, 机制, 模式,
     工作法, 大比武, 擂台赛, 攻坚战, 主题教育, 走访, 管理, 战略, 试点, 制度;
     up to four characters may come between, as in “金点子”征集活动);
   * it has the shape of a numbered formula (一放心两满意, 三个一百, 五个一,
     六稳, 两学一做: a numeral opens it or two numerals alternate with words);
   * it has the shape of a slogan: two or more parallel clauses separated by
     、，；or a space (发短文、开短会、讲短话、简办事);
   * a verb that introduces a practice comes right before it (推行“容缺办理”,
     开展“我为群众办实事”), or it is the new practice in 变“A”为“B”;
   * it is a verb phrase of 3-10 characters that is no single word of the
     general dictionary (挂图作战, 入企探岗, 走转改), unless the corpus mostly
     writes it without quotation marks (then it is ordinary language).

   A quoted span is dropped when it is **quoted speech** (a colon or a speech
   verb before it, 说/表示 after it, sentence-final punctuation, a personal
   pronoun or a modal particle inside, or too long for a name); when it is an
   **everyday word, metaphor or idiom** (one word of the general dictionary:
   一头雾水, 硬骨头, 店小二; or a phrase without a verb: 深夜食堂, 最后一公里,
   金标准, unless a naming head follows); when an **exclusion head** follows
   (问题, 现象, 意识, 品牌, 称号, 名片, 荣誉 …: “急难愁盼”问题); when it is an
   **honour title** (评选/评为/入选/荣获 before it, or a person noun at its end:
   鞍山好人, 陵城好干部); or when it names an outlet (…日报, …网).
2. **Suffix patterns** outside quotes: …行动, …工程, …攻坚战, …大会战,
   …擂台赛, …大比武, …工作法, …主题教育, …年活动/年行动 and …机制. The name
   runs back from the suffix, word by word, to the verb that introduces it
   (开展, 实施, 推进 …; for 机制: 建立, 健全, 完善 …), a function word or
   punctuation; the clause must hold such a verb (a book title 《…》 counts as
   one), so that 攻坚行动 in 等攻坚行动 or 长效机制落实 is not a name. A name made
   only of generic words (专项, 攻坚, 三年 …) or opening with a count (25项) is
   dropped.
3. **我为…** (我为群众办实事) up to the next punctuation or 活动/大比武, and
   **…长制** (河长制, 链长制) unless …长 is a common title of the general
   dictionary (家长制, 校长制).

Normalisation
-------------
A name is converted to simplified characters (the project's OpenCC t2s) and stripped of
quotation marks and outer punctuation; a quoted name keeps only the quoted
words (“50天攻坚战”行动 → 50天攻坚战). Variants are grouped by a key without
punctuation or spaces (发短文、开短会 and 发短文开短会 are one). The generic
contest words 擂台比武, 比武擂台, 打擂台 and 擂台 are one contest, 擂台赛.

Kinds
-----
``contest`` (a contest head or word: 擂台赛, 大比武, 比武, 竞赛, 比拼),
``formula`` (numbered shape), ``slogan`` (parallel clauses), ``method``
(机制, 模式, 工作法, 制度, 管理, …长制, a bare verb phrase), ``campaign``
(活动, 行动, 工程, 计划, 改革, 年, 主题教育, 我为…).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from citytext import text as text_mod
from citytext.compare.mechanisms import sentence_at

#: Columns of :func:`find_mentions` and :func:`citytext.compare.campaigns.extract`.
MENTION_COLUMNS = [
    "doc_id", "campaign", "key", "kind", "rule", "surface", "start", "end",
    "sent_start", "sent_end",
]  # fmt: skip
KINDS = ("campaign", "method", "contest", "slogan", "formula")

MAX_QUOTE = 32
MAX_NAME = 16
#: …长 words at least this frequent in jieba's dictionary are titles (家长).
TITLE_FREQ = 100


def _words(text: str) -> frozenset[str]:
    """A set of words from a space-separated string (keeps long lists short)."""
    return frozenset(text.split())


_CJK = text_mod.CJK_UNIFIED
_NUM = "一二三四五六七八九十两双百千万0-9０-９"
QUOTE_RE = re.compile(rf"[“「『]([^“”「」『』\n]{{1,{MAX_QUOTE}}})[”」』]")
TITLE_RE = re.compile(r"《([^《》\n]{2,60})》")
LIST_GAP_RE = re.compile(r"^[、和与及]?$")
_PREFIX = rf"[{_CJK}A-Za-z0-9+]{{0,4}}?"
CONTEST_HEADS = "擂台赛|擂台比武|大比武|比武|竞赛|比拼|大赛"
METHOD_HEADS = "工作法|工作机制|机制|模式|制度|管理|工作制|方式|做法"
CAMPAIGN_HEADS = (
    "主题活动|主题教育|活动|专项行动|行动|工程|计划|改革|战略|攻坚战|大会战|走访|试点"
)
HEAD_RE = re.compile(
    rf"^{_PREFIX}(?P<head>{CONTEST_HEADS}|{METHOD_HEADS}|{CAMPAIGN_HEADS})"
)
EXCLUDE_HEAD_RE = re.compile(
    rf"^[{_CJK}]{{0,2}}?(问题|现象|意识|品牌|称号|荣誉|名片|美誉|难题|心态|"
    r"之城|之乡|人物|榜样|典型|号角|精神面貌|效应|项目|平台|品质|疫情|文件|政策)"
)
#: Heads that make any quoted span (formulas too) a layout or a document.
LAYOUT_HEAD_RE = re.compile(
    rf"^[{_CJK}]{{0,6}}?(?:产业链|产业体系|格局|布局|空间|系列|文件|政策措施)"
)
#: A numbered counter of policy articles (促进就业十条, 十五条硬措施).
ARTICLES_RE = re.compile(rf"[{_NUM}]条")
#: Words between a quoted list and its head that belong to neither (等, 三项).
LIST_PREFIX_RE = re.compile(rf"^(?:等|[{_NUM}]+[项个大类条]?|.)?$")
SPEECH_BEFORE_RE = re.compile(r"(?:[：:]|说|表示|道|称|介绍|坦言|感慨|问)\s*$")
SPEECH_AFTER_RE = re.compile(
    r"^(?:[，,]?\s*[\u4e00-\u9fff]{0,6}?(?:说|表示|介绍|坦言))"
)
SPEECH_INSIDE_RE = re.compile(r"[。！？!?…]|[我你您咱他她]|[吗呢吧啊呀哇]$")
HONOUR_BEFORE_RE = re.compile(
    r"(?:评选|评为|获评|荣获|入选|授予|荣膺|表彰|命名为|获得)[^，。；]{0,6}$"
)
PERSON_END_RE = re.compile(
    r"(?:好人|之星|标兵|能手|模范|楷模|工匠|骨干|好干部|英才|人才|达人|名师|"
    r"师傅|员|者|家|人|手|军|长|二)$"
)
OUTLET_RE = re.compile(r"(?:日报|晚报|晨报|时报|新闻|网|电视台|杂志|客户端|号)$")
INTRO_BEFORE_RE = re.compile(
    r"(?:开展|实施|推行|推进|推广|启动|深化|践行|落实|执行|实行|举办|组织|"
    r"开启|掀起|坚持|探索|创新|建立|健全|完善|打响|发起|部署|持续|深入|实现)"
    r"(?:了|好|起)?$"
)
CHANGE_RE = re.compile(r"变“[^“”]{1,12}”[为成]$")
CLAUSE_SPLIT_RE = re.compile(r"[，。；：！？,;:!?\n]")
NAME_STOP_CHARS = frozenset("，。；：！？、（）()“”「」『』《》,;:!?\n\t +·—")
TRIGGER_RE = re.compile(
    r"开展|实施|推进|推行|推广|启动|深化|组织|举办|部署|落实|执行|实行|打响|"
    r"发起|打好|打赢|开启|掀起|坚持|用好|抓好|做好|建立|健全|完善|构建|创新|"
    r"探索|形成|参与|参加|融入"
)
MECH_TRIGGER_RE = re.compile(r"建立|健全|完善|构建|创新|探索|推行|实行")
#: Words that continue a suffix into another word (行动自觉, 行动指南).
SUFFIX_CONTINUES_RE = re.compile(r"^(?:自觉|指南|方向|起来|能力|纲领|力|派|者)")
CONJUNCTIONS = ("和", "与", "及", "或")
SUFFIX_RE = re.compile(
    r"(?:年活动|年行动|专项行动|攻坚行动|行动|工程|攻坚战|大会战|擂台赛|大比武|"
    r"工作法|主题教育|机制)"
)
STOP_WORDS = _words(
    "的 和 与 及 等 了 在 对 以 为 将 把 并 中 各 全 "
    "深入 扎实 持续 大力 积极 继续 精心 全力 着力 加快 "
    "统筹 重点 进一步 不断 切实 认真 全市 全区 全县 全省 "
    "全国 一批 一系列 系列 各类 各项 起 好 又 再 也 还 就 "
    "都 是 由 从 通过 围绕 聚焦 按照 依托 结合 立足 坚持 "
    "严格 着重 "
)
STOP_TAGS = ("d", "p", "c", "u", "r", "m")
GENERIC_WORDS = _words(
    "专项 攻坚 集中 主题 实践 三年 五年 百日 工作 重点 "
    "各项 系列 一系列 整治 提升 长效 运行 体制 制度 协调 "
    "考核 推进 管理 保障 实际 相关 联动 有关 多项 重大 "
    "工作 大 新 行动 工程 机制 活动 改造 建设 治理 评选 "
    "分工 合作 运行 示范 "
)
COUNT_START_RE = re.compile(r"^(?:[0-9０-９]+|[几多数若])[项个条件批类场次]")
COUNTER_RE = re.compile(rf"^[{_NUM}]+[个项大条张件支]")
FORMULA_TWO_RE = re.compile(rf"[{_NUM}多][^{_NUM}]{{1,4}}[{_NUM}]")
SLOGAN_SPLIT_RE = re.compile(r"[、，,；; ]+")
WOWEI_RE = re.compile(rf"我为[{_CJK}]{{2,8}}?(?=[^{_CJK}]|大比武|实践活动|活动|主题|$)")
CHIEF_RE = re.compile(rf"([{_CJK}])长制")
CONTEST_SYNONYM_RE = re.compile(r"^(?:擂台比武|比武擂台|打擂台|擂台|擂台比武活动)$")
VERB_TAGS = ("v", "vg", "vd")
VERB_PHRASE_OPENERS = ("vn", "m", "i", "l", "j", "d")
KEY_STRIP_RE = re.compile(r"[\s\W_]+", re.UNICODE)
EDGE_STRIP_RE = re.compile(r"^[\s\W_]+|[\s\W_]+$", re.UNICODE)
BYLINE_RE = re.compile(r"^(?:来源|责任编辑|责编|编辑|记者|作者|通讯员|摄影)")


# --------------------------------------------------------------------------
# Shared resources
# --------------------------------------------------------------------------
@functools.cache
def _base() -> Any:
    """Jieba's base dictionary and model (no domain words: general language)."""
    import rjieba

    return rjieba.Jieba()


@functools.cache
def _tags(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_base().tag(text))


def _is_common_word(text: str, min_freq: int = 2) -> bool:
    """True when ``text`` is one word of jieba's general dictionary."""
    return bool(_base().has_word(text)) and _base().suggest_freq(text) >= min_freq


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------
@functools.cache
def normalise(name: str) -> str:
    """Return the display form of a name: simplified, no outer punctuation.

    Examples:
        >>> normalise("“擂台比武”")
        '擂台赛'
        >>> normalise("網格長制")
        '网格长制'
    """
    out = text_mod.t2s(name)
    out = EDGE_STRIP_RE.sub("", out.replace("“", "").replace("”", ""))
    out = re.sub(r"\s+", " ", out)
    if CONTEST_SYNONYM_RE.match(out):
        return "擂台赛"
    return out


def name_key(name: str) -> str:
    """Return the grouping key of a name: normalised, without punctuation.

    Examples:
        >>> name_key("发短文、开短会")
        '发短文开短会'
    """
    key = KEY_STRIP_RE.sub("", normalise(name))
    if key and is_slogan(normalise(name)):
        for conj in CONJUNCTIONS:
            key = key.replace(conj + key[0], key[0])
    return key


def is_formula(name: str) -> bool:
    """True for a numbered formula (三个一百, 一放心两满意, 六稳).

    Two numerals alternating with words, a numeral with a counter (五个一,
    十项考核), or a short word opened by a numeral (六稳, 三医); never one
    word of the general dictionary (一头雾水, 一把手).

    Examples:
        >>> [is_formula(x) for x in ("一放心两满意", "三个一百", "六稳", "一头雾水")]
        [True, True, True, False]
    """
    core = KEY_STRIP_RE.sub("", name)
    if len(core) < 2 or len(core) > MAX_NAME or _is_common_word(core):
        return False
    if not re.search(f"[{_CJK}]", core) or ARTICLES_RE.search(core):
        return False
    if FORMULA_TWO_RE.search(core):
        return True
    if not re.match(rf"^[{_NUM}]", core):
        return False
    return bool(COUNTER_RE.match(core)) or len(core) <= 3


def is_slogan(name: str) -> bool:
    """True for two or more parallel clauses (发短文、开短会、讲短话)."""
    parts = [p for p in SLOGAN_SPLIT_RE.split(name.strip()) if p]
    return len(parts) >= 2 and all(2 <= len(p) <= 12 for p in parts)


def _is_verb_phrase(name: str) -> bool:
    """A verb with its object or a verb-final phrase (挂图作战, 一网通办).

    Phrases headed by a noun, or opened by a noun, adjective or distinguishing
    word (文件堆, 大治理, 总牵引), describe a thing rather than a practice.
    """
    tags = [t for w, t in _tags(name) if w.strip()]
    if len(tags) < 2:
        return False
    if tags[0] in VERB_TAGS:
        return True
    return tags[-1] in ("v", "vg") and tags[0] in VERB_PHRASE_OPENERS


def kind_of(name: str, head: str = "") -> str:
    """Classify a name by its head word and shape (see the module docstring)."""
    joined = name + head
    if re.search(rf"(?:{CONTEST_HEADS})$", joined):
        return "contest"
    if is_formula(name):
        return "formula"
    if is_slogan(name):
        return "slogan"
    if (
        head
        and re.fullmatch(METHOD_HEADS, head)
        or re.search(r"长制$|机制$|工作法$", name)
    ):
        return "method"
    if head or re.search(r"(?:年|行动|活动|工程|计划|攻坚战|大会战|主题教育)$", name):
        return "campaign"
    if name.startswith("我为"):
        return "campaign"
    return "method"


# --------------------------------------------------------------------------
# Quoted spans
# --------------------------------------------------------------------------
@dataclass
class _Quote:
    start: int  # offset of the opening mark
    end: int  # offset after the closing mark
    core: str
    head: str = ""
    after: str = ""


def _quote_groups(text: str) -> Iterator[list[_Quote]]:
    """Yield lists of adjacent quoted spans, each with the text after the list."""
    group: list[_Quote] = []
    for m in QUOTE_RE.finditer(text):
        q = _Quote(m.start(), m.end(), m.group(1))
        if group and LIST_GAP_RE.match(text[group[-1].end : q.start]):
            group.append(q)
            continue
        if group:
            yield group
        group = [q]
    if group:
        yield group


def _is_speech(text: str, q: _Quote) -> bool:
    before = text[max(0, q.start - 6) : q.start]
    after = text[q.end : q.end + 10]
    core = q.core
    if core.startswith("我为"):
        core = core[2:]
    if SPEECH_BEFORE_RE.search(before) or SPEECH_AFTER_RE.match(after):
        return True
    if SPEECH_INSIDE_RE.search(core):
        return True
    limit = MAX_QUOTE if is_slogan(core) else MAX_NAME
    return len(core) > limit


def _is_excluded(text: str, q: _Quote, head: str, prefix: str, first: int) -> bool:
    """Honour titles, outlets, layouts and words followed by an exclusion head.

    ``first`` is the offset of the first quote of the list ``q`` belongs to:
    评选“A”和“B” makes both honour titles.
    """
    before = text[max(0, first - 12) : first]
    line_start = text.rfind("\n", 0, q.start) + 1
    if BYLINE_RE.match(text[line_start : q.start]):
        return True
    if HONOUR_BEFORE_RE.search(before) or OUTLET_RE.search(q.core):
        return True
    if LAYOUT_HEAD_RE.match(q.after) or ARTICLES_RE.search(q.core):
        return True
    if not re.search(f"[{_CJK}].*[{_CJK}]", q.core):
        return True
    if PERSON_END_RE.search(q.core) and (not head or prefix):
        return True
    if head or is_formula(q.core):
        return False
    return bool(EXCLUDE_HEAD_RE.match(q.after))


def _is_old_practice(text: str, q: _Quote) -> bool:
    """The A of 变“A”为“B”: the practice being replaced."""
    return text[max(0, q.start - 1) : q.start] == "变" and text[q.end : q.end + 2] in {
        "为“",
        "成“",
    }


def _bare_rule(text: str, q: _Quote) -> str:
    """Why a quoted span without a naming head is a name ("" when it is not)."""
    core = q.core.strip()
    before = text[max(0, q.start - 4) : q.start]
    if is_formula(core):
        return "quote-formula"
    if is_slogan(core):
        return "quote-slogan"
    if core.startswith("我为") and len(core) >= 4:
        return "quote-wowei"
    if _is_common_word(core):
        return ""
    if INTRO_BEFORE_RE.search(before):
        return "quote-intro"
    if CHANGE_RE.search(text[max(0, q.start - 16) : q.start]):
        return "quote-change"
    if 3 <= len(core) <= 10 and _is_verb_phrase(core):
        return "quote-verb"
    return ""


def _quote_candidates(text: str) -> Iterator[tuple[_Quote, str, str]]:
    """Yield ``(quote, head, rule)`` for the quoted spans that name something.

    Items of one list of adjacent quotes share the head that follows the list;
    when one item is a name by its own shape, so are its neighbours (a list
    of parallel names), unless they are speech or excluded.
    """
    for group in _quote_groups(text):
        after = text[group[-1].end : group[-1].end + 12]
        m = HEAD_RE.match(after)
        head = m.group("head") if m else ""
        prefix = after[: m.start("head")] if m else ""
        if LIST_PREFIX_RE.match(prefix) or "的" in prefix:
            prefix = ""
        kept: list[tuple[_Quote, str]] = []
        spare: list[_Quote] = []
        for q in group:
            q.after = after
            if not q.core.strip() or _is_speech(text, q) or _is_old_practice(text, q):
                continue
            if _is_excluded(text, q, head, prefix, group[0].start):
                continue
            rule = "quote-head" if head else _bare_rule(text, q)
            if rule:
                kept.append((q, rule))
            else:
                spare.append(q)
        if kept and len(group) > 1:
            kept.extend((q, "quote-list") for q in spare if not _is_common_word(q.core))
        if prefix and head and kept and not all(is_formula(q.core) for q, _ in kept):
            yield _joined(text, group, kept, prefix + head), head, "quote-head"
            continue
        for q, rule in sorted(kept, key=lambda x: x[0].start):
            yield q, head, rule


def _joined(
    text: str, group: list[_Quote], kept: list[tuple[_Quote, str]], tail: str
) -> _Quote:
    """One name for a quoted list and the words after it (“金点子”征集活动)."""
    cores = "、".join(q.core.strip() for q, _ in sorted(kept, key=lambda x: x[0].start))
    start = min(q.start for q, _ in kept)
    return _Quote(start, group[-1].end + len(tail), cores + tail)


# --------------------------------------------------------------------------
# Suffix patterns outside quotes
# --------------------------------------------------------------------------
def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def _name_back(window: str, trigger: re.Pattern[str]) -> str:
    """Words at the end of ``window`` back to a verb, function word or mark."""
    out: list[str] = []
    size = 0
    for word, tag in reversed(_tags(window)):
        size += len(word)
        if (
            size > MAX_NAME
            or any(c in NAME_STOP_CHARS for c in word)
            or word in STOP_WORDS
            or (len(word) >= 2 and trigger.search(word))
            or tag.startswith(STOP_TAGS)
            and not re.match(rf"[{_NUM}]", word)
        ):
            break
        out.append(word)
    return "".join(reversed(out))


def _second_conjunct(text: str, start: int) -> bool:
    """True when a name starts right after 和/与/及 that do not join two names."""
    if text[start - 1 : start] not in CONJUNCTIONS:
        return False
    return not re.search(
        r"(?:行动|工程|计划|活动|机制|战略)$", text[max(0, start - 5) : start - 1]
    )


def _has_place(words: str) -> bool:
    """True when a word of ``words`` is a place name (a construction project)."""
    return any(tag == "ns" for _, tag in _tags(words))


def _generic(words: str) -> bool:
    rest = words
    for w in sorted(GENERIC_WORDS, key=len, reverse=True):
        rest = rest.replace(w, "")
    rest = re.sub(rf"[{_NUM}年个项大]", "", rest)
    return len(rest) < 2


def _suffix_candidate(
    text: str, m: re.Match[str], titles: list[tuple[int, int]]
) -> tuple[int, str] | None:
    """Return ``(start, name)`` of the name ending with suffix match ``m``."""
    suffix = m.group()
    clause_start = max(
        (
            c.end()
            for c in CLAUSE_SPLIT_RE.finditer(text, max(0, m.start() - 40), m.start())
        ),
        default=max(0, m.start() - 40),
    )
    if SUFFIX_CONTINUES_RE.match(text[m.end() : m.end() + 2]):
        return None
    trigger = MECH_TRIGGER_RE if suffix == "机制" else TRIGGER_RE
    window = text[max(clause_start, m.start() - 2 * MAX_NAME) : m.start()]
    words = _name_back(window, trigger)
    if not words or _generic(words) or COUNT_START_RE.match(words):
        return None
    start = m.start() - len(words)
    if text[start - 1 : start] in "”」』" or _second_conjunct(text, start):
        return None
    if suffix == "工程" and (re.search(r"[0-9０-９]", words) or _has_place(words)):
        return None
    lead = text[clause_start:start]
    if not (trigger.search(lead) or _inside(titles, m.start())):
        return None
    if suffix == "机制" and len(words) < 4:
        return None
    return start, words + suffix


def _pattern_candidates(
    text: str, quoted: list[tuple[int, int]]
) -> Iterator[tuple[int, int, str, str]]:
    """Yield ``(start, end, name, rule)`` for suffix, 我为… and …长制 names."""
    titles = [m.span() for m in TITLE_RE.finditer(text)]
    for m in SUFFIX_RE.finditer(text):
        if _inside(quoted, m.start()):
            continue
        found = _suffix_candidate(text, m, titles)
        if found:
            yield found[0], m.end(), found[1], "suffix"
    for m in WOWEI_RE.finditer(text):
        if not _inside(quoted, m.start()):
            yield m.start(), m.end(), m.group(), "wowei"
    for m in CHIEF_RE.finditer(text):
        title = m.group(1) + "长"
        if _is_common_word(title, TITLE_FREQ):
            continue
        yield m.start(), m.end(), m.group(), "chief"


# --------------------------------------------------------------------------
# One document
# --------------------------------------------------------------------------
def _sentence_index(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    spans = text_mod.sentence_spans(text) or [(0, len(text))]
    return spans, [s for s, _ in spans]


def find_mentions(text: str) -> pd.DataFrame:
    """Find the candidate campaign names of one cleaned text.

    Args:
        text: Cleaned article text (simplified characters).

    Returns:
        One row per mention with :data:`MENTION_COLUMNS` but ``doc_id``
        (``surface`` is the text as written, ``start``/``end`` its offsets,
        ``sent_start``/``sent_end`` those of its sentence), ordered by offset.

    Examples:
        >>> find_mentions("全市开展“徒步走城区”活动。")["campaign"].tolist()
        ['徒步走城区']
    """
    rows: list[dict[str, Any]] = []
    quoted: list[tuple[int, int]] = []
    for q, head, rule in _quote_candidates(text):
        name = normalise(q.core)
        if not name_key(name):
            continue
        quoted.append((q.start, q.end))
        rows.append(_row(name, kind_of(name, head), rule, q.start, q.end, text))
    all_quotes = [m.span() for m in QUOTE_RE.finditer(text)]
    for start, end, name, rule in _pattern_candidates(text, all_quotes):
        name = normalise(name)
        if name_key(name):
            rows.append(_row(name, kind_of(name), rule, start, end, text))
    return _finish(rows, text)


def _row(
    name: str, kind: str, rule: str, start: int, end: int, text: str
) -> dict[str, Any]:
    return {
        "campaign": name, "key": name_key(name), "kind": kind, "rule": rule,
        "surface": text[start:end], "start": start, "end": end,
    }  # fmt: skip


def _finish(rows: list[dict[str, Any]], text: str) -> pd.DataFrame:
    cols = [c for c in MENTION_COLUMNS if c != "doc_id"]
    if not rows:
        return pd.DataFrame(columns=cols)
    spans, starts = _sentence_index(text)
    df = pd.DataFrame(rows)
    idx = [sentence_at(spans, starts, s) for s in df["start"]]
    df["sent_start"] = [spans[i][0] for i in idx]
    df["sent_end"] = [spans[i][1] for i in idx]
    df = df.sort_values(["start", "end"], kind="mergesort")
    df = df.drop_duplicates(["start", "key"])
    return df[cols].reset_index(drop=True)
