"""A corpus of bad files next to the seeds: every file accounted for, nothing breaks.

Also checks that hostile text (script tags, event handlers, Markdown links)
reaches every rendered page escaped, and that the seeds' per-document results
are unchanged by their bad neighbours.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from citytext import pipeline
from tests.conftest import SEEDS, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bad")]

HOSTILE_TEXT = (
    "哈哈市开展能力作风建设活动<script>alert('xss')</script>，全市解决问题120余个。\n\n"
    '干部下沉一线<img src=x onerror="alert(1)">，走访企业300家，签约项目12个。\n\n'
    '[点击这里](javascript:alert(2)) **加粗** <iframe src="http://evil.example"></iframe>'
    "市委书记表示，要狠抓落实，优化营商环境。"
)
CHINESE = SEEDS[3].read_text(encoding="utf-8")[:600]


def _build_bad_corpus(root):
    """Return {relative path: expected quarantine reason or None if kept}."""
    root.mkdir(parents=True)
    expected = {}

    def put(rel, data, reason):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expected[rel] = reason

    for seed in SEEDS:
        put(seed.name, seed.read_bytes(), None)
    put("bad/empty.txt", b"", "empty")
    put("bad/blank.txt", "  \n\t\n   \n", "whitespace_only")
    put("bad/binary.txt", bytes(range(256)) * 40, "binary")
    put("bad/gb18030.txt", CHINESE.encode("gb18030"), None)
    put(
        "bad/big5.txt",
        "臺灣省臺北市政府推動數位服務，優化營商環境，全市新增企業三百餘家。".encode(
            "big5"
        )
        * 3,
        None,
    )
    put("bad/utf16bom.txt", CHINESE.encode("utf-16"), None)
    put("bad/utf16le.txt", CHINESE.encode("utf-16-le"), None)
    put("bad/utf8bom.txt", b"\xef\xbb\xbf" + CHINESE.encode("utf-8"), None)
    put(
        "bad/crlf_nul.txt",
        CHINESE.replace("\n", "\r\n").replace("。", "。\x00", 2),
        None,
    )
    put("bad/english.txt", "This page has no Chinese text at all. " * 20, "no_chinese")
    put(
        "bad/chrome.txt",
        "您当前的位置 ：首页>>新闻\n责任编辑：张三\n分享到：\n版权所有 © 2024 某某网\n",
        "only_chrome",
    )
    put("bad/unknown.xyz", CHINESE, "unsupported_extension")
    put("nested/deeper/again/seed_copy.txt", SEEDS[0].read_bytes(), "duplicate")
    put("nested/hostile.txt", HOSTILE_TEXT, None)
    page = (
        "<html><head><title>海阳市召开作风建设大会</title></head>"
        "<body><nav>首页 &gt; 新闻</nav>"
        "<article><h1>海阳市召开作风建设大会</h1>"
        f"<p>{CHINESE[:300]}</p><p>{CHINESE[300:]}</p></article>"
        "<footer>版权所有</footer></body></html>"
    )
    put("web/page.html", page, None)
    # 52 MB on one line: far beyond any article; quarantined by size, not read whole
    put("big/oneline.txt", ("能力作风建设狠抓落实" * 10 + "，") * 173_000, "too_large")
    return expected


@pytest.fixture(scope="session")
def bad_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    corpus = base / "corpus"
    expected = _build_bad_corpus(corpus)
    out = base / "report"
    proc = run_cli(
        "run", "--corpus", str(corpus), "--out", str(out), "--quiet", timeout=1800
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    return corpus, out, expected


def _read(out, name):
    return pd.read_csv(out / name, dtype=str, keep_default_na=False)


def test_every_file_is_accounted_for(bad_run):
    corpus, out, expected = bad_run
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    counts = info["counts"]
    n_files = sum(1 for p in corpus.rglob("*") if p.is_file())
    assert counts["files_seen"] == n_files == len(expected)
    assert counts["reconciled"] is True
    assert set(info["input_files"]) == set(expected)


def test_quarantine_reasons(bad_run):
    _, out, expected = bad_run
    q = _read(out, "quarantine.csv")
    reasons = dict(zip(q["source_file"], q["reason"], strict=True))
    for rel, reason in expected.items():
        if reason is not None and reason != "duplicate":
            assert reasons.get(rel) == reason, (rel, reasons.get(rel))
    assert (q["detail"] != "").all(), q[q["detail"] == ""]


def test_decodable_files_are_kept(bad_run):
    _, out, expected = bad_run
    arts = _read(out, "articles.csv")
    kept_files = set(arts["source_file"])
    for rel in (
        "bad/gb18030.txt",
        "bad/big5.txt",
        "bad/utf16bom.txt",
        "bad/utf16le.txt",
        "bad/utf8bom.txt",
        "bad/crlf_nul.txt",
        "web/page.html",
        "nested/hostile.txt",
    ):
        assert rel in kept_files, rel
    big5 = arts[arts["source_file"] == "bad/big5.txt"]["text"].iloc[0]
    assert "台湾" in big5 or "台北" in big5, "Big5 decoded and converted to simplified"
    for text in arts["text"]:
        assert "\x00" not in text and "\r" not in text


@pytest.fixture(scope="session")
def seeds_alone(tmp_path_factory, seeds_dir):
    """The cleaning and metrics stages on the seeds alone (what ``01``/``03`` run)."""
    run_dir = tmp_path_factory.mktemp("seeds_alone")
    pipeline.run_cleaning(seeds_dir, run_dir)
    pipeline.run_metrics(run_dir)
    return run_dir


def test_seeds_unchanged_by_bad_neighbours(bad_run, seeds_alone):
    _, out, _ = bad_run
    seed_run = seeds_alone
    cols = ["doc_id", "title", "date", "city", "province", "text"]
    alone = _read(seed_run, "articles.csv")[cols].set_index("doc_id")
    mixed = _read(out, "articles.csv")[cols].set_index("doc_id")
    for doc_id in alone.index:
        assert mixed.loc[doc_id].equals(alone.loc[doc_id]), doc_id
    m_alone = _read(seed_run, "metrics.csv")
    m_mixed = _read(out, "metrics.csv")
    m_mixed = m_mixed[m_mixed["doc_id"].isin(set(m_alone["doc_id"]))]
    pd.testing.assert_frame_equal(
        m_alone.reset_index(drop=True), m_mixed.reset_index(drop=True)
    )


UNSAFE = [
    re.compile(r"<script>alert\('xss'\)", re.I),
    re.compile(r"<img[^>]*onerror=", re.I),
    re.compile(r"<iframe[^>]*evil", re.I),
    re.compile(r'href="javascript:', re.I),
]


def test_hostile_text_is_escaped_in_every_page(bad_run):
    _, out, _ = bad_run
    pages = list(out.rglob("*.html"))
    assert len(pages) >= 5
    seen_escaped = False
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for pattern in UNSAFE:
            assert not pattern.search(html), f"{page.name}: {pattern.pattern}"
        seen_escaped |= (
            "alert(&#x27;xss&#x27;)" in html
            or "&lt;script&gt;alert" in html
            or "alert(\\u0027xss" in html
        )
    assert seen_escaped, "the hostile document is shown (escaped) somewhere"
