"""Main-content detection on plain text: which lines of a page are the article.

What belongs here: line features, the line model (logistic regression
coefficients shipped as ``resources/content_model.json``), and the choice of
the article block from the scored lines. Text in, decisions out: no file
access beyond the model resource, no other documents needed, no site rules.

Why our own code: the maintained extractors (trafilatura, readability, jusText,
GNE) work on the HTML tree. A naive scraper's text dump has lost the tree, so
their node scores do not apply; what is left is what each line looks like and
where it stands. jusText's idea is kept (classify lines from their length,
punctuation and link-like shape, then decide in context), with the thresholds
learned by ``bench/train_content.py`` instead of set by hand.

How a page is read:

1. Each line gets features: length, share of Han characters, sentence
   punctuation density, whether it ends a sentence, link-list shape (many
   short items on one line), navigation and footer vocabulary, digits and
   Latin letters, a date or clock, whether the line recurs on the page, the
   boilerplate rules' verdict (as evidence, ``hints``), its position, its
   place after the headline, and the same measures averaged over neighbours.
2. The line model gives each line a probability of being article text.
3. The article is the contiguous block with the largest sum of
   ``(p - threshold) * weight(length)`` (the maximum-sum subarray). A block
   never crosses a long run of lines the model is sure are chrome, and when
   the page's headline is known, the best block starting just below it wins
   over one far from it. Short lines inside the block that the model is sure
   are chrome are dropped.
4. A page with no chrome at all (no rule matches, no menu item) is an article
   already extracted: every line the rules leave is kept.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from citytext import resources
from citytext.clean.headlines import (
    NAV_RE,
    SENT_END,
    TOKEN_SPLIT,
    headline_index,
    headline_like,
    site_title,
)
from citytext.text import CJK_RE

MODEL_FILE = "content_model.json"


_PUNCT_RE = re.compile("[，。；：！？、,;!?]")
_DIGIT_RE = re.compile(r"\d")
_LATIN_RE = re.compile(r"[A-Za-z]")
_DATE_RE = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}[:：]\d{2}"
)

FEATURES = (
    "len_log",
    "cjk",
    "punct",
    "sent_end",
    "has_comma",
    "tokens_log",
    "short_tokens",
    "nav",
    "nav_dense",
    "digits",
    "latin",
    "datetime",
    "rule_chrome",
    "rule_meta",
    "pos",
    "head_found",
    "after_head",
    "near_head",
    "dup",
    "ctx_len",
    "ctx_punct",
    "ctx_sent",
    "ctx_nav",
    "ctx_short",
    "ctx_len_far",
    "ctx_sent_far",
)
#: Hint values from the boilerplate rules that mark metadata, not chrome.
META_HINTS = frozenset({"dateline", "source", "byline", "print_edition"})


# --------------------------------------------------------------------------
# Features
# --------------------------------------------------------------------------
#: Character shares are read on the first characters of a long line.
SAMPLE = 300


def _own(line: str) -> dict[str, float]:
    """Features of one line on its own (cached: lines recur across passes)."""
    return dict(_own_cached(line))


@functools.lru_cache(maxsize=16384)
def _own_cached(full: str) -> tuple[tuple[str, float], ...]:
    n = len(full)
    line = full[:SAMPLE]
    nonspace = max(1, len("".join(line.split())))
    tokens = [t for t in TOKEN_SPLIT.split(line) if t]
    n_tok = len(tokens)
    short = sum(1 for t in tokens if len(t) <= 4) / n_tok if n_tok >= 3 else 0.0
    nav = len(NAV_RE.findall(line))
    n_sample = max(len(line), 1)
    return tuple(
        {
            "len_log": math.log1p(n),
            "cjk": len(CJK_RE.findall(line)) / nonspace,
            "punct": min(1.0, 8 * len(_PUNCT_RE.findall(line)) / n_sample),
            "sent_end": float(full.endswith(SENT_END)),
            "has_comma": float("，" in line or "。" in line),
            "tokens_log": math.log1p(n_tok),
            "short_tokens": short,
            "nav": float(min(nav, 3)),
            "nav_dense": min(1.0, 4 * nav / n_sample),
            "digits": len(_DIGIT_RE.findall(line)) / nonspace,
            "latin": len(_LATIN_RE.findall(line)) / nonspace,
            "datetime": float(bool(_DATE_RE.search(line))),
        }.items()
    )


def _ring_means(values: Sequence[float], lo: int, hi: int) -> list[float]:
    """Per line, the mean of ``values`` at offsets ``lo..hi`` on either side.

    Offsets below ``lo`` (the line itself included) are left out; positions
    outside the page are not counted. Prefix sums keep it linear.
    """
    n = len(values)
    prefix = [0.0]
    for v in values:
        prefix.append(prefix[-1] + v)

    def span(a: int, b: int) -> tuple[float, int]:
        a, b = max(0, a), min(n, b)
        return (prefix[b] - prefix[a], b - a) if b > a else (0.0, 0)

    out = []
    for i in range(n):
        outer, n_outer = span(i - hi, i + hi + 1)
        inner, n_inner = span(i - lo + 1, i + lo)
        count = n_outer - n_inner
        out.append((outer - inner) / count if count > 0 else 0.0)
    return out


def line_features(
    lines: Sequence[str], hints: Sequence[str] | None = None, head: int | None = None
) -> list[list[float]]:
    """Return the feature vector of every line (order of :data:`FEATURES`).

    Args:
        lines: The page's non-empty lines.
        hints: Per line, the boilerplate rule that matched it ("" for none).
        head: The headline's index when already known (see
            :func:`headline_index`).

    Returns:
        One list of floats per line.
    """
    n = len(lines)
    hints = list(hints) if hints is not None else [""] * n
    own = [_own(x) for x in lines]
    counts = Counter(lines)
    head = headline_index(lines) if head is None else head
    length = [f["len_log"] for f in own]
    punct = [f["punct"] for f in own]
    sent = [f["sent_end"] for f in own]
    nav = [float(f["nav"] > 0) for f in own]
    short = [float(len(x) <= 6) for x in lines]
    rows = []
    ctx = {
        "ctx_len": _ring_means(length, 1, 2),
        "ctx_punct": _ring_means(punct, 1, 2),
        "ctx_sent": _ring_means(sent, 1, 2),
        "ctx_nav": _ring_means(nav, 1, 2),
        "ctx_short": _ring_means(short, 1, 3),
        "ctx_len_far": _ring_means(length, 3, 8),
        "ctx_sent_far": _ring_means(sent, 3, 8),
    }
    for i, f in enumerate(own):
        after = i - head if head >= 0 else -1
        f = {
            **f,
            "rule_chrome": float(bool(hints[i]) and hints[i] not in META_HINTS),
            "rule_meta": float(hints[i] in META_HINTS),
            "pos": i / max(1, n - 1),
            "head_found": float(head >= 0),
            "after_head": float(after > 0),
            "near_head": math.exp(-after / 8) if after > 0 else 0.0,
            "dup": math.log(counts[lines[i]]),
            **{name: values[i] for name, values in ctx.items()},
        }
        rows.append([f[name] for name in FEATURES])
    return rows


#: Features of the smoothing stage, read from the line model's scores.
SMOOTH_FEATURES = (
    "logit",
    "win1",
    "win3",
    "win8",
    "win20",
    "rel3",
    "rel8",
    "core_dist",
    "before_core",
    "between_head_core",
)


def _window_means(values: Sequence[float], k: int) -> list[float]:
    """Mean of ``values`` over ``i - k .. i + k`` (clipped at the edges)."""
    n = len(values)
    prefix = [0.0]
    for v in values:
        prefix.append(prefix[-1] + v)
    return [
        (prefix[min(n, i + k + 1)] - prefix[max(0, i - k)])
        / (min(n, i + k + 1) - max(0, i - k))
        for i in range(n)
    ]


def smooth_features(
    proba: Sequence[float], weights: Sequence[float], head: int = -1
) -> list[list[float]]:
    """Return the smoothing-stage features of every line.

    Context smoothing in the manner of jusText, learned: a line's score is
    read together with the scores around it (windows of 1, 3, 8 and 20
    lines), relative to the page's densest region (its *core*, where the
    length-weighted score over 8 lines on each side peaks), and by its place
    between the headline and that core.

    Args:
        proba: Per line, the line model's probability.
        weights: Per line, its weight (see :func:`_weight`).
        head: Index of the headline (-1 when unknown).

    Returns:
        One list of floats per line (order of :data:`SMOOTH_FEATURES`).
    """
    n = len(proba)
    if not n:
        return []
    wins = {k: _window_means(proba, k) for k in (1, 3, 8, 20)}
    mass = _window_means([p * w for p, w in zip(proba, weights, strict=True)], 8)
    core = max(range(n), key=lambda i: (mass[i], -i))
    top3 = max(wins[3]) or 1.0
    top8 = max(wins[8]) or 1.0
    rows = []
    for i, p in enumerate(proba):
        q = min(max(p, 1e-4), 1 - 1e-4)
        rows.append(
            [
                math.log(q / (1 - q)),
                wins[1][i],
                wins[3][i],
                wins[8][i],
                wins[20][i],
                wins[3][i] / top3,
                wins[8][i] / top8,
                math.log1p(abs(i - core)),
                float(i < core),
                float(0 <= head < i <= core),
            ]
        )
    return rows


def article_proba(
    lines: Sequence[str],
    hints: Sequence[str] | None = None,
    head: int | None = None,
    m: Model | None = None,
) -> list[float]:
    """Return P(article line) per line: the line model, then its smoothing.

    Args:
        lines: The page's non-empty lines.
        hints: Per line, the boilerplate rule that matched it.
        head: The headline's index when known.
        m: The model (the one in use by default).

    Returns:
        One probability per line.
    """
    m = m or model()
    head = headline_index(lines) if head is None else head
    proba = m.proba(line_features(lines, hints, head))
    if m.smooth is None:
        return proba
    weights = [_weight(x) for x in lines]
    return m.smooth.proba(smooth_features(proba, weights, head))


# --------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Model:
    """A logistic line model and the block-choice parameters.

    Attributes:
        features: Feature names, in the order of ``coef``.
        mean: Per-feature mean used to standardise.
        scale: Per-feature scale used to standardise.
        coef: Coefficients on the standardised features.
        intercept: The intercept.
        threshold: Probability above which a line adds to a block.
        drop_below: Lines inside the block below this probability are dropped.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5
    drop_below: float = 0.1
    smooth: Model | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        """Build a model from its JSON form."""
        smooth = data.get("smooth")
        return cls(
            features=tuple(data["features"]),
            mean=tuple(float(x) for x in data["mean"]),
            scale=tuple(float(x) for x in data["scale"]),
            coef=tuple(float(x) for x in data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data.get("threshold", 0.5)),
            drop_below=float(data.get("drop_below", 0.1)),
            smooth=cls.from_dict(smooth) if smooth else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        out: dict[str, Any] = {
            "features": list(self.features),
            "mean": [round(x, 6) for x in self.mean],
            "scale": [round(x, 6) for x in self.scale],
            "coef": [round(x, 6) for x in self.coef],
            "intercept": round(self.intercept, 6),
            "threshold": self.threshold,
            "drop_below": self.drop_below,
        }
        if self.smooth is not None:
            out["smooth"] = self.smooth.to_dict()
        return out

    def proba(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Return P(article line) for each feature row."""
        weights = [c / s for c, s in zip(self.coef, self.scale, strict=True)]
        base = self.intercept - sum(
            w * m for w, m in zip(weights, self.mean, strict=True)
        )
        out = []
        for row in rows:
            z = base + sum(w * x for w, x in zip(weights, row, strict=True))
            out.append(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))))
        return out


_override: list[Model] = []


@functools.cache
def _shipped_model() -> Model:
    data = json.loads(resources.read_text(MODEL_FILE))
    model = Model.from_dict(data)
    if model.features != FEATURES or (
        model.smooth is not None and model.smooth.features != SMOOTH_FEATURES
    ):
        raise ValueError(f"{MODEL_FILE} was trained on other features; retrain it")
    return model


def model() -> Model:
    """Return the line model in use (the shipped one unless overridden)."""
    return _override[-1] if _override else _shipped_model()


@contextlib.contextmanager
def using_model(m: Model) -> Iterator[None]:
    """Use ``m`` instead of the shipped model inside the ``with`` block."""
    _override.append(m)
    try:
        yield
    finally:
        _override.pop()


# --------------------------------------------------------------------------
# Choosing the article block
# --------------------------------------------------------------------------
def _weight(line: str) -> float:
    """Weight of a line in the block sum: grows with length, sublinearly."""
    return math.sqrt(min(len(line), 400))


def best_block(scores: Sequence[float], weights: Sequence[float]) -> tuple[int, int]:
    """Return ``(start, end)`` (end exclusive) of the maximum-sum block.

    Args:
        scores: Per line, ``p - threshold``.
        weights: Per line, its weight.

    Returns:
        The block; ``(0, 0)`` when no line scores above zero.
    """
    best, best_span = 0.0, (0, 0)
    run, start = 0.0, 0
    for i, (s, w) in enumerate(zip(scores, weights, strict=True)):
        if run <= 0:
            run, start = 0.0, i
        run += s * w
        if run > best:
            best, best_span = run, (start, i + 1)
    return best_span


#: The article starts within this many unmarked lines after its headline.
HEAD_ANCHOR = 12


def anchored_block(
    scores: Sequence[float],
    weights: Sequence[float],
    hints: Sequence[str],
    head: int,
) -> tuple[int, int]:
    """Return the best block that starts close below the headline.

    A page's headline (the line repeating its ``<title>``) stands right above
    its article: between them there are at most a dateline, a byline and a
    share bar. A block far from it that scores more (a carousel of teasers, a
    list of ticket prices, a comment thread) is not the article.

    Args:
        scores: Per line, ``p - threshold``.
        weights: Per line, its weight.
        hints: Per line, the boilerplate rule that matched it.
        head: Index of the headline (-1 when unknown).

    Returns:
        ``(start, end)``; ``(0, 0)`` when no block there scores above zero.
    """
    if head < 0:
        return 0, 0
    reach, unmarked = head + 1, 0
    while reach < len(scores) and unmarked < HEAD_ANCHOR:
        unmarked += not hints[reach]
        reach += 1
    prefix = [0.0]
    for s, w in zip(scores, weights, strict=True):
        prefix.append(prefix[-1] + s * w)
    # Best end for each start: the largest prefix sum at or after it.
    best_after = prefix[:]
    for i in range(len(prefix) - 2, -1, -1):
        best_after[i] = max(prefix[i], best_after[i + 1])
    best, best_start = 0.0, -1
    for start in range(head + 1, reach):
        gain = best_after[start + 1] - prefix[start]
        if gain > best:
            best, best_start = gain, start
    if best_start < 0:
        return 0, 0
    target = best_after[best_start + 1]
    end = next(e for e in range(best_start + 1, len(prefix)) if prefix[e] == target)
    return best_start, end


#: This many lines in a row that the model is sure are chrome end a block.
BARRIER_RUN = 8


def _barriers(scores: list[float], proba: Sequence[float], sure: float) -> list[float]:
    """Make runs of sure chrome lines impassable for the block.

    Article paragraphs are never set apart by a long run of lines the model
    is sure are chrome (a menu, a list of teasers): a block that bridged such
    a run would join the article to a list that merely scores well.
    """
    out = list(scores)
    i, n = 0, len(proba)
    while i < n:
        j = i
        while j < n and proba[j] < sure:
            j += 1
        if j - i >= BARRIER_RUN:
            for k in range(i, j):
                out[k] = -1e6
        i = max(j, i + 1)
    return out


#: Pages with fewer unmarked lines keep every line that reads as prose.
SMALL_PAGE = 6
#: On such a page, an unmarked line this long is kept whatever its score.
SMALL_PAGE_PARAGRAPH = 40


def _prose(line: str, hint: str, p: float, floor: float) -> bool:
    """Return whether a line is an unmarked sentence with a comma."""
    return not hint and p >= floor and line.endswith(SENT_END) and "，" in line


def _extend(
    lines: Sequence[str],
    hints: Sequence[str],
    proba: Sequence[float],
    span: tuple[int, int],
    floor: float,
) -> tuple[int, int]:
    """Grow the block over adjacent prose lines the model was unsure of."""
    start, end = span
    while start > 0 and _prose(
        lines[start - 1], hints[start - 1], proba[start - 1], floor
    ):
        start -= 1
    while end < len(lines) and _prose(lines[end], hints[end], proba[end], floor):
        end += 1
    return start, end


#: A line this short that names a menu item (首页, 登录, 网站地图) is chrome.
MENU_ITEM = 8


def is_extracted(lines: Sequence[str], hints: Sequence[str]) -> bool:
    """Return whether a page is an article already cut from its page.

    A scraped page always carries some chrome the boilerplate rules know (a
    copyright or ICP line, a share bar, a breadcrumb, a comment counter) or a
    menu item; an article that an extractor, an archive or this cleaner has
    already cut out has none. Such a text keeps every line the rules leave:
    the line model learned to tell an article from the chrome around it, and
    with no chrome there it would only cut the article's short lines.

    Args:
        lines: The page's non-empty lines.
        hints: Per line, the boilerplate rule that matched it ("" for none).

    Returns:
        True when no line is marked as chrome (metadata lines do not count)
        and none is a short menu item.
    """
    if any(h and h not in META_HINTS for h in hints):
        return False
    return not any(len(x) <= MENU_ITEM and NAV_RE.search(x) for x in lines)


@dataclass
class Article:
    """The result of :func:`choose_article`.

    Attributes:
        keep: Per line, whether it is article text.
        proba: Per line, the model's probability.
        start: First line of the article block (-1 when none).
        end: One past its last line.
        headline: Index of the line that repeats the page title (-1).
    """

    keep: list[bool]
    proba: list[float]
    start: int
    end: int
    headline: int


def choose_article(lines: Sequence[str], hints: Sequence[str] | None = None) -> Article:
    """Choose the article lines of a page.

    Args:
        lines: The page's non-empty lines.
        hints: Per line, the boilerplate rule that matched it ("" for none).

    Returns:
        An :class:`Article`.
    """
    if not lines:
        return Article([], [], -1, -1, -1)
    m = model()
    hints = list(hints) if hints is not None else [""] * len(lines)
    head = headline_index(lines)
    proba = article_proba(lines, hints, head, m)
    weights = [_weight(x) for x in lines]
    # When no line reaches the threshold (one paragraph amid chrome), the
    # most likely lines still make the article.
    threshold = min(m.threshold, 0.8 * max(proba))
    drop = min(m.drop_below, threshold / 2)
    scores = _barriers([p - threshold for p in proba], proba, drop)
    start, end = best_block(scores, weights)
    near = anchored_block(scores, weights, hints, head)
    if near[1] > near[0] and not near[0] <= start < near[1]:
        start, end = near
    if end > start:
        start, end = _extend(lines, hints, proba, (start, end), 0.0)
    small = sum(1 for h in hints if not h) < SMALL_PAGE
    extracted = is_extracted(lines, hints)
    if small or extracted:
        # Too few lines to tell a block from its surroundings, or no chrome
        # around the article at all.
        start, end = 0, len(lines)
    keep = [False] * len(lines)
    for i in range(start, end):
        keep[i] = (
            extracted
            or proba[i] >= drop
            or _prose(lines[i], hints[i], 1.0, 0.0)
            or (small and not hints[i] and len(lines[i]) >= SMALL_PAGE_PARAGRAPH)
        )
    kept = [i for i, k in enumerate(keep) if k]
    start, end = (kept[0], kept[-1] + 1) if kept else (-1, -1)
    return Article(keep, proba, start, end, head)


# --------------------------------------------------------------------------
# Titles
# --------------------------------------------------------------------------
#: Hint values that a title search steps over (metadata and photo markers).
_SKIP_HINTS = META_HINTS | {"photo_marker", "share_widget"}
#: How far above the article block a headline is looked for.
HEAD_REACH = 8


def title_index(lines: Sequence[str], hints: Sequence[str], article: Article) -> int:
    """Return the index of the title line, or -1.

    Candidates in order: the line repeating the page's ``<title>`` (first
    line of a scraped dump); the nearest headline-like line above the
    article block, stepping over datelines, bylines and photo markers; the
    first line of the page when the article starts right there (or after a
    byline) and it reads as a headline.

    Args:
        lines: The page's non-empty lines.
        hints: Per line, the boilerplate rule that matched it.
        article: The result of :func:`choose_article`.

    Returns:
        The index, or -1 when the page shows no title.
    """
    if article.headline >= 0:
        return article.headline
    start = article.start
    if start < 0:
        return -1
    for i in range(start - 1, max(-1, start - 1 - HEAD_REACH), -1):
        text = lines[i].strip()
        if (
            hints[i] in _SKIP_HINTS
            or _DATE_RE.fullmatch(text)
            or len(text) <= 6
            or text.startswith("——")
        ):
            continue  # datelines, bylines, photo markers, labels, subtitles
        if headline_like(text) and not hints[i]:
            return i
        break
    if start > 0 and not hints[0] and site_title(lines[0]):
        return 0
    if start == 0 or all(h in META_HINTS for h in hints[:start]):
        first = start if start == 0 else 0
        nxt = lines[first + 1] if first + 1 < len(lines) else ""
        if (
            not hints[first]
            and headline_like(lines[first])
            and (
                hints[first + 1 : first + 2] != [""] or len(nxt) > 2 * len(lines[first])
            )
        ):
            return first
    return -1
