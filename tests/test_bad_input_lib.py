"""A corpus of bad files next to the seeds: every input is accounted for."""

import os
import shutil

import pandas as pd
import pytest

from citytext import config, pipeline, runfiles

TEXT = (
    "海城市深入开展“我为企业解难题”大比武活动，精准施策，全力解决审批手续办理等问题。"
)
TRAD = "黨的二十大報告提出，加強實踐鍛煉、專業訓練，注重在重大鬥爭中磨礪幹部本領。"


def build_corpus(root):
    seeds = root / "seeds"
    shutil.copytree(config.SEEDS_DIR, seeds)
    for p in seeds.iterdir():
        p.chmod(0o644)
    bad = root / "bad" / "nested" / "deeper"
    bad.mkdir(parents=True)
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t \r\n",
        "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "gb.txt": (TEXT * 3).encode("gb18030"),
        "big5.txt": (TRAD * 3).encode("big5"),
        "u16bom.txt": (TEXT * 2).encode("utf-16"),
        "u16nobom.txt": ("ascii 123 " + TEXT * 2).encode("utf-16-le"),
        "u8bom.txt": (TEXT * 2).encode("utf-8-sig"),
        "crlf_nul.txt": (TEXT + "\r\n" + TEXT + "\r\n").encode() + b"\x00\x00",
        "english.txt": b"No Chinese characters in this file at all.",
        "chrome.txt": "您的当前位置：首页 > 新闻\n责任编辑：张三\n分享到：\n".encode(),
        "notes.docx": b"PK\x03\x04 zip",
        "page.html": (
            "<html><head><title>海城市文明创建</title></head><body><nav>首页</nav>"
            f"<article><p>{TEXT}</p><p>{TEXT}二</p></article></body></html>"
        ).encode(),
    }
    for name, data in files.items():
        (bad / name).write_bytes(data)
    big = ("海阳市推进能力作风建设年活动，全力提升服务质量。" * 110_000).encode()
    (root / "bad" / "large_one_line.txt").write_bytes(big)  # about 5 MB, one line
    (root / "zz_copies").mkdir()
    (root / "zz_copies" / "dup_of_seed.txt").write_bytes(
        next(config.SEEDS_DIR.glob("000_*.txt")).read_bytes()
    )
    return files


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    build_corpus(root)
    locked = root / "bad" / "locked.txt"
    locked.write_text(TEXT, "utf-8")
    locked.chmod(0o000)
    can_lock = os.geteuid() != 0
    out = tmp_path_factory.mktemp("run")
    counts = pipeline.run_cleaning(root, out)
    locked.chmod(0o644)
    arts = runfiles.read_csv(out, "articles.csv")
    quar = runfiles.read_csv(out, "quarantine.csv")
    return counts, arts, quar, out, can_lock


def test_counts_reconcile(run):
    counts, arts, quar, out, _ = run
    assert (
        counts["documents"]
        == counts["kept"] + counts["quarantined"] + counts["duplicates"]
    )
    assert counts["files_seen"] == counts["documents"]  # single-document files only
    assert len(arts) + len(quar) == counts["documents"]
    info = runfiles.read_stages(out)["clean"]
    assert len(info["inputs"]) == counts["files_seen"]
    assert all(len(h) == 64 for h in info["inputs"].values())


def test_reasons(run):
    _, _, quar, _, can_lock = run
    reasons = dict(
        zip(
            quar["source_file"].str.rsplit("/", n=1).str[-1],
            quar["reason"],
            strict=True,
        )
    )
    expected = {
        "empty.txt": "empty",
        "blank.txt": "whitespace_only",
        "binary.txt": "binary",
        "english.txt": "no_chinese",
        "chrome.txt": "only_chrome",
        "notes.docx": "unsupported_extension",
        "dup_of_seed.txt": "duplicate",
    }
    for name, reason in expected.items():
        assert reasons.get(name) == reason, name
    if can_lock:
        assert reasons.get("locked.txt") == "unreadable"


def test_decoded_files_are_kept(run):
    _, arts, _, _, _ = run
    enc = dict(
        zip(
            arts["source_file"].str.rsplit("/", n=1).str[-1],
            arts["encoding"],
            strict=True,
        )
    )
    assert enc["gb.txt"] == "gb18030"
    assert enc["big5.txt"].startswith("big5")
    assert enc["u16bom.txt"] == "utf-16"
    assert enc["u16nobom.txt"] == "utf-16-le"
    assert enc["u8bom.txt"] == "utf-8-sig"
    assert "large_one_line.txt" in enc and "page.html" in enc and "crlf_nul.txt" in enc
    big5 = arts[arts["source_file"].str.endswith("big5.txt")].iloc[0]
    assert "党的二十大报告" in big5["text"]


def test_near_duplicates_counted(run):
    counts, arts, _, _, _ = run
    dups = arts[arts["duplicate_of"] != ""]
    assert counts["near_duplicates"] == len(dups)
    assert set(dups["duplicate_of"]) <= set(arts["doc_id"])


def test_seeds_unchanged_by_bad_neighbours(run, tmp_path):
    _, arts, _, _, _ = run
    alone = tmp_path / "alone"
    pipeline.run_cleaning(config.SEEDS_DIR, alone)
    ref = runfiles.read_csv(alone, "articles.csv").set_index("doc_id")
    mixed = arts[arts["source_file"].str.startswith("seeds/")].set_index("doc_id")
    cols = ["title", "date", "year", "outlet", "authors", "city", "province", "text"]
    pd.testing.assert_frame_equal(mixed.loc[ref.index, cols], ref[cols])


def test_rerun_is_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    pipeline.run_cleaning(config.SEEDS_DIR, a)
    pipeline.run_cleaning(config.SEEDS_DIR, b)
    for name in ("articles.csv", "quarantine.csv", "cleaning_log.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
