"""What a headline line looks like, on plain text.

What belongs here: the vocabulary of page furniture (navigation, account,
share, comment and footer words), tests of a single line as a headline
(:func:`headline_like`), the headline that repeats a scraped ``<title>``
line (:func:`headline_index`, :func:`site_title`), and the headline of a
newspaper heading stack (:func:`heading_stack_title`). Which line becomes
the title is decided with the article block in
:func:`citytext.clean.content.title_index`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from citytext.text import CJK_RE

SENT_END = tuple("。！？!?…”’」』")
TOKEN_SPLIT = re.compile(r"[\s|｜丨/／·•>＞»]+")

#: Words of navigation bars, account links, share bars, comment widgets and
#: footers: general web vocabulary, not any one site's.
NAV_WORDS = (
    "首页",
    "登录",
    "注册",
    "退出",
    "搜索",
    "导航",
    "频道",
    "栏目",
    "专题",
    "客户端",
    "下载",
    "APP",
    "App",
    "分享",
    "转发",
    "收藏",
    "点赞",
    "举报",
    "评论",
    "回复",
    "跟帖",
    "网友",
    "扫一扫",
    "二维码",
    "关注",
    "订阅",
    "微信",
    "微博",
    "版权",
    "所有",
    "备案",
    "ICP",
    "许可证",
    "联系我们",
    "关于我们",
    "网站地图",
    "广告",
    "客服",
    "帮助",
    "投诉",
    "举报电话",
    "责任编辑",
    "编辑",
    "相关",
    "推荐",
    "热门",
    "排行",
    "阅读",
    "上一篇",
    "下一篇",
    "返回",
    "顶部",
    "更多",
    "字体",
    "字号",
    "打印",
    "关闭",
    "窗口",
    "当前位置",
    "视频",
    "图片",
    "加载",
    "免责",
    "声明",
    "Copyright",
    "copyright",
    "©",
)
NAV_RE = re.compile("|".join(re.escape(w) for w in NAV_WORDS))
BYLINE_WORDS = re.compile(
    r"(?:^|[\s　(（【\[])(?:本报)?(?:记者|通讯员|编辑|作者|来源|摄影|发布时间|原标题)"
    r"|(?:记者|通讯员|编辑|作者|来源|摄影|发布时间|原标题)\s*[：:|丨]"
)
BYLINE_START = re.compile(
    r"\s*(?:本报)?(?:记者|通讯员|编辑|作者|来源|摄影|发布时间|原标题)"
)
TITLE_SEPS = re.compile(r"\s*(?:_|\||｜|-{1,2}|–|—{1,2}|::|：：)\s*")


def headline_like(line: str) -> bool:
    """Return whether a line reads as a headline (not a sentence, not a menu).

    A headline may end with ！ or ？ but not with 。，： and holds few commas.
    """
    n = len(line)
    if not 4 <= n <= 80 or line.endswith(("。", "，", "：", ":", "、", "；")):
        return False
    if len(CJK_RE.findall(line)) < 0.3 * n or line.count("，") > 3:
        return False
    tokens = [t for t in TOKEN_SPLIT.split(line) if t]
    if len(tokens) >= 4 and max(map(len, tokens)) <= 8:
        return False  # a menu: 首页 新闻 体育 财经
    if BYLINE_WORDS.search(line):
        return False
    nav = sum(len(m) for m in NAV_RE.findall(line))
    return not (nav and n <= 15 and nav >= NAV_SHARE * n)


#: A short line whose menu words cover this share of it is a menu, not a title.
NAV_SHARE = 0.25


def site_title(first_line: str) -> str:
    """Return a ``<title>`` line without its trailing site and channel names.

    Trailing parts after a separator (``_ - | —— ::``) that are short (site,
    channel) are dropped; "" when nothing headline-like remains.

    Args:
        first_line: The page's first line.

    Returns:
        The headline part, or "".
    """
    parts = title_core(first_line)
    while len(parts) > 1 and len(parts[-1]) <= SITE_PART_MAX:
        parts.pop()
    if len(parts) != 1 or not _balanced(parts[0]) or "。" in parts[0]:
        return ""
    return parts[0] if headline_like(parts[0]) and len(parts[0]) >= 6 else ""


_PAIRS = ("（）", "()", "“”", "《》", "【】", "「」")


def _balanced(text: str) -> bool:
    """Return whether every opening bracket or quote of ``text`` is closed."""
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


#: A trailing ``<title>`` part at most this long is a site or channel name.
SITE_PART_MAX = 12


def title_core(first_line: str) -> list[str]:
    """Return the parts of a ``<title>``-like line split at site separators.

    Args:
        first_line: The page's first line (``标题_频道_网站``).

    Returns:
        Its parts, longest-first ties kept in order; empty parts dropped.
    """
    return [p for p in TITLE_SEPS.split(first_line.strip()) if p]


def headline_index(lines: Sequence[str]) -> int:
    """Return the index of the headline line that repeats the page title.

    A scraper writes the ``<title>`` as the first line; the headline in the
    page repeats it, or its first part before a site suffix. When it occurs
    several times, the occurrence followed by the most sentence text wins.

    Args:
        lines: The page's non-empty lines.

    Returns:
        The index (> 0), or -1 when no line repeats the title.
    """
    if len(lines) < 2:
        return -1
    first = lines[0].strip()
    if len(first) > 150 or first.endswith(("。", "，", "：")):
        return -1
    found, partial = [], []
    for i in range(1, min(len(lines), 2000)):
        text = lines[i].strip()
        if not first.startswith(text) or (text != first and len(text) < HEAD_PART_MIN):
            continue
        if not repeated_headline_like(text):
            continue
        if text == first or TITLE_SEPS.match(first, len(text)):
            found.append(i)
        elif len(text) >= len(first) / 2:
            partial.append(i)  # 标题 followed by a site name without separator
    found = found or partial
    if not found:
        return -1

    def _after(i: int) -> int:
        return sum(len(x) for x in lines[i + 1 : i + 25] if x.endswith(SENT_END))

    return max(found, key=lambda i: (len(lines[i].strip()), _after(i), -i))


#: A headline repeating only the start of the ``<title>`` is this long at least.
HEAD_PART_MIN = 6


def repeated_headline_like(line: str) -> bool:
    """Return whether a line repeating the page title can be its headline.

    The repeat is the evidence, so the test is loose: not a sentence, not a
    byline or a location trail, a few Han characters.
    """
    n = len(line)
    if not 4 <= n <= 150 or line.endswith(("。", "，", "：", ":", "、", "；")):
        return False
    if len(CJK_RE.findall(line)) < 2 or ">" in line or "＞" in line:
        return False
    tokens = [t for t in TOKEN_SPLIT.split(line) if t]
    if len(tokens) >= 4 and max(map(len, tokens)) <= 8:
        return False  # a menu or a list of names
    return not (BYLINE_START.match(line) or BYLINE_WORDS.search(line))


_INDENT = ("\u3000", "  ", "\t")


def heading_stack_title(raw: str) -> str:
    """Return the main headline of a newspaper-style text, or "".

    Newspaper archives write the 引题 (kicker), 主标题 (headline) and 副题
    (subtitle) on the first three lines, an empty line where one is missing,
    then the paragraphs indented with full-width spaces. When the text has
    that shape, the headline is the second of the three positions; with one
    heading line it is that line.

    Args:
        raw: The decoded text, before any cleaning.

    Returns:
        The headline as written (stripped), or "" when the text is not so shaped.
    """
    head = raw[:3000].replace("\r\n", "\n").replace("\r", "\n").split("\n")[:6]
    body_at = next(
        (i for i, x in enumerate(head) if x.startswith(_INDENT) and x.strip()), -1
    )
    if body_at < 1:
        return ""
    stack = [x.strip() for x in head[:body_at]]
    filled = [x for x in stack if x]
    if not filled or any(len(x) > 200 for x in filled):
        return ""
    title = stack[1] if len(stack) >= 3 and stack[1] else ""
    if not title and len(filled) == 1:
        title = filled[0]
    return title if stack_heading(title) else ""


def stack_heading(line: str) -> bool:
    """Return whether a line of a heading stack can be the headline.

    The stack's shape is the evidence, so a column label (速览, 来论) or a
    headline holding a menu word (更多, 注册) counts; a sentence, a byline or
    a line without Han characters does not.
    """
    n = len(line)
    if not 2 <= n <= 100 or line.endswith(("。", "，", "：", ":", "、", "；")):
        return False
    if len(CJK_RE.findall(line)) < 0.5 * len(line.replace(" ", "")):
        return False
    return not BYLINE_WORDS.search(line)
