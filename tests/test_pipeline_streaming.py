"""The per-document stages stream: lazy input, spooled state, unchanged bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from citytext import clean, config, ingest, metrics, pipeline, runfiles

SITE_LINES = [
    "全市经济运行稳中有进，地区生产总值增长{i}.5%。",
    "城乡居民收入增长6%，新增就业1.2万人。",
    "深入推进营商环境改造，新登记市场主体3000户。",
    "生态环境持续改善，空气优良天数比例达到90%。",
]


def _corpus(root: Path) -> Path:
    """Seeds, a recurring site slogan, an exact copy and a near copy."""
    corpus = root / "corpus"
    shutil.copytree(config.SEEDS_DIR, corpus)
    for p in corpus.iterdir():
        p.chmod(0o644)
    seeds = sorted(corpus.glob("*.txt"))
    (corpus / "zz_exact.txt").write_bytes(seeds[0].read_bytes())
    lines = seeds[1].read_text("utf-8").split("\n")
    (corpus / "zz_near.txt").write_text("\n".join(["转载标题", *lines[1:]]), "utf-8")
    site = corpus / "site"
    site.mkdir()
    for i in range(4):
        body = "\n\n".join(s.format(i=i) for s in SITE_LINES[i:] + SITE_LINES[:i])
        # The slogan stands where a headline would: only its recurrence on
        # every page of the site shows it is chrome.
        head = f"本站首页 | 新闻中心\n\n某市第{i}次会议召开\n\n奋进新时代 共建幸福家园"
        text = f"{head}\n\n{body}\n"
        (site / f"{i}.txt").write_text(text, "utf-8")
    return corpus


def _reference_cleaning(corpus: Path, out: Path) -> None:
    """Write articles.csv and cleaning_log.csv with every article in memory."""
    results = [pipeline.clean_stage._clean_one(r) for r in ingest.iter_inputs(corpus)]
    kept = [r for r in results if "article" in r]
    recurring = clean.corpus_boilerplate(
        [{"group": r["group"], "text": r["article"]["text"]} for r in kept]
    )
    dups = clean.near_duplicates(
        [(r["article"]["doc_id"], r["signature"]) for r in kept]
    )
    for r in kept:
        art, log = r["article"], []
        if recurring.get(r["group"]):
            art["text"] = clean.remove_lines(
                art["text"], recurring[r["group"]], rule="corpus_boilerplate", log=log
            )
            art["n_chars"] = len(art["text"])
            r["log"].extend({"doc_id": art["doc_id"], **e} for e in log)
        if art["doc_id"] in dups:
            art["duplicate_of"] = dups[art["doc_id"]]
            art["flags"] = ";".join(f for f in (art["flags"], "near_duplicate") if f)
    runfiles.write_csv(
        pd.DataFrame(
            [r["article"] for r in kept],
            columns=[*runfiles.ARTICLE_COLUMNS, "n_chars_raw", "meta_sources"],
        ),
        out / runfiles.ARTICLES,
        columns=runfiles.ARTICLE_COLUMNS,
        sort_by=["doc_id"],
    )
    with runfiles.CsvAppender(
        out / runfiles.CLEANING_LOG, runfiles.CLEANING_LOG_COLUMNS
    ) as log_out:
        for r in sorted(kept, key=lambda r: r["article"]["doc_id"]):
            log_out.write(r["log"])


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("streaming")
    corpus = _corpus(root)
    run_dir = root / "run"
    counts = pipeline.run_cleaning(corpus, run_dir)
    return corpus, run_dir, counts


def test_cleaning_matches_in_memory_reference(cleaned, tmp_path):
    corpus, run_dir, counts = cleaned
    assert counts["near_duplicates"] >= 1
    assert counts["corpus_chrome_lines"] >= 4
    _reference_cleaning(corpus, tmp_path)
    for name in (runfiles.ARTICLES, runfiles.CLEANING_LOG):
        assert (run_dir / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_cleaning_spool_is_removed(cleaned):
    _, run_dir, _ = cleaned
    assert not (run_dir / runfiles.STAGES_DIR / runfiles.SPOOL_DIR).exists()
    assert sorted(p.name for p in (run_dir / runfiles.STAGES_DIR).iterdir()) == [
        "clean.json"
    ]


def test_failed_cleaning_keeps_previous_outputs(cleaned, tmp_path, monkeypatch):
    corpus, run_dir, _ = cleaned
    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    clean_one, calls = pipeline.clean_stage._clean_one, []

    def failing(record):
        calls.append(record)
        if len(calls) > 3:
            raise RuntimeError("worker lost")
        return clean_one(record)

    monkeypatch.setattr(pipeline.clean_stage, "_clean_one", failing)
    with pytest.raises(RuntimeError, match="worker lost"):
        pipeline.run_cleaning(corpus, out)
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    assert not (out / runfiles.STAGES_DIR / runfiles.SPOOL_DIR).exists()


def test_edge_line_counts_match_corpus_boilerplate():
    docs = [
        {"group": "a", "text": f"本站首页\n正文{i}。\n扫一扫分享"} for i in range(4)
    ] + [{"group": "b", "text": "本站首页\n别的正文。"}]
    counts = clean.EdgeLineCounts()
    for d in docs:
        counts.add(d["group"], clean.edge_lines(d["text"]))
    assert counts.recurring() == clean.corpus_boilerplate(docs)
    assert counts.recurring() == {"a": {"本站首页", "扫一扫分享"}}


def test_near_duplicate_index_takes_uint64_arrays():
    body = "海城市全力推进文明城市创建，取得新成效，群众满意度不断提高。" * 4
    sigs = [
        ("x", np.array(clean.minhash(body + "甲"), dtype=np.uint64)),
        ("y", clean.minhash(body + "乙")),
        ("z", clean.minhash("完全不同的另一篇文章内容，讲的是鸡西的夜市。" * 3)),
    ]
    index = clean.NearDuplicateIndex()
    assert [index.add(d, s) for d, s in sigs] == ["", "x", ""]
    assert index.duplicates == clean.near_duplicates(sigs) == {"y": "x"}


# --------------------------------------------------------------------------
# run_metrics
# --------------------------------------------------------------------------
def _articles(run_dir: Path, *, shuffled: bool) -> pd.DataFrame:
    rows = [
        {
            "doc_id": p.stem,
            "city": "鸡西",
            "duplicate_of": "",
            "year": "2022",
            "text": p.read_text("utf-8"),
        }
        for p in sorted(config.SEEDS_DIR.glob("*.txt"))
    ]
    rows.append(
        {"doc_id": "zz", "city": "", "duplicate_of": "000", "year": "", "text": "1个"}
    )
    rows.append(
        {
            "doc_id": "yy",
            "city": "海阳",
            "duplicate_of": " ",
            "year": "",
            "text": "增长0.00001%，达1e5亿元。",
        }
    )
    if shuffled:
        rows = rows[::-1]
    df = pd.DataFrame(rows)
    runfiles.write_csv(
        df, run_dir / runfiles.ARTICLES, columns=runfiles.ARTICLE_COLUMNS
    )
    return df


def _reference_metrics(articles: pd.DataFrame, path: Path) -> None:
    """metrics.csv built in memory as one table."""
    kept = articles[articles["duplicate_of"].str.strip() == ""]
    items = zip(kept["doc_id"], kept["city"], kept["text"], kept["year"], strict=True)
    rows = [row for item in items for row in metrics.document_rows(item)]
    columns = runfiles.METRIC_COLUMNS + [
        c for c in metrics.COLUMNS if c not in runfiles.METRIC_COLUMNS
    ]
    periods = {c: "Int64" for c in ("period_year", "period_start", "period_end")}
    runfiles.write_csv(
        pd.DataFrame(rows, columns=columns).astype(periods),
        path,
        columns=runfiles.METRIC_COLUMNS,
        sort_by=["doc_id", "sentence_id", "start"],
    )


@pytest.mark.parametrize("shuffled", [False, True])
def test_metrics_bytes_match_in_memory_table(tmp_path, shuffled):
    articles = _articles(tmp_path, shuffled=shuffled)
    info = pipeline.run_metrics(tmp_path)
    _reference_metrics(articles, tmp_path / "reference.csv")
    assert (tmp_path / runfiles.METRICS).read_bytes() == (
        tmp_path / "reference.csv"
    ).read_bytes()
    table = runfiles.read_csv(tmp_path, runfiles.METRICS)
    assert info["metrics"] == len(table)
    assert info["docs_with_metrics"] == table["doc_id"].nunique()
    assert info["documents"] == 6 and info["duplicates_skipped"] == 1
    assert sum(info["by_category"].values()) == len(table)
    assert not (tmp_path / runfiles.STAGES_DIR / runfiles.SPOOL_DIR).exists()


def test_run_metrics_reads_articles_lazily(tmp_path, monkeypatch):
    rows = [
        {"doc_id": f"d{i:04d}", "city": "", "duplicate_of": "", "text": f"{i}个。"}
        for i in range(1200)
    ]
    runfiles.write_csv(
        pd.DataFrame(rows),
        tmp_path / runfiles.ARTICLES,
        columns=runfiles.ARTICLE_COLUMNS,
    )
    streamed = [0]
    seen_at_call: list[int] = []
    iter_rows, extract = runfiles.iter_csv_rows, metrics.document_rows

    def counting(*args, **kwargs):
        for row in iter_rows(*args, **kwargs):
            streamed[0] += 1
            yield row

    def document_rows(item):
        seen_at_call.append(streamed[0])
        return extract(item)

    monkeypatch.setattr(pipeline.metrics_stage, "iter_csv_rows", counting)
    monkeypatch.setattr(metrics, "document_rows", document_rows)
    info = pipeline.run_metrics(tmp_path)
    assert info["documents"] == 1200
    assert seen_at_call[:3] == [1, 2, 3]
    assert seen_at_call[-1] == 1200


def test_failed_metrics_leaves_no_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="articles.csv"):
        pipeline.run_metrics(tmp_path)
    assert not (tmp_path / runfiles.METRICS).exists()
    assert not (tmp_path / runfiles.STAGES_DIR / runfiles.SPOOL_DIR).exists()
