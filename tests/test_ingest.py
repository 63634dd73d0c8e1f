"""Tests for citytext.ingest: encodings, formats, ids, quarantine reasons."""

import json

import pytest

from citytext import ingest

TEXT = "鸡西市深入贯彻全省深化能力作风建设“工作落实年”活动部署要求，坚持实字当头。"
TRAD = "黨的二十大報告提出，加強實踐鍛煉、專業訓練，注重在重大鬥爭中磨礪幹部。"


def records(tmp_path):
    return list(ingest.iter_inputs(tmp_path))


@pytest.mark.parametrize(
    ("encoding", "data", "expected"),
    [
        ("utf-8", TEXT.encode("utf-8"), "utf-8"),
        ("utf-8-sig", TEXT.encode("utf-8-sig"), "utf-8-sig"),
        ("utf-16", TEXT.encode("utf-16"), "utf-16"),
        ("utf-16-le", ("ascii " + TEXT).encode("utf-16-le"), "utf-16-le"),
        ("gb18030", TEXT.encode("gb18030"), "gb18030"),
        ("big5", TRAD.encode("big5"), "big5"),
    ],
)
def test_decodings(tmp_path, encoding, data, expected):
    (tmp_path / "a.txt").write_bytes(data)
    [doc] = records(tmp_path)
    assert isinstance(doc, ingest.Document)
    assert doc.encoding.replace("_", "-").lower().startswith(expected)
    assert doc.text.lstrip("\ufeff").strip().endswith(("。",)) or "ascii" in doc.text
    assert ("鸡西" in doc.text) or ("黨的二十大" in doc.text)


def test_crlf_and_nul_are_text(tmp_path):
    (tmp_path / "a.txt").write_bytes((TEXT + "\r\n" + TEXT).encode() + b"\x00")
    [doc] = records(tmp_path)
    assert isinstance(doc, ingest.Document) and doc.doc_id == "a"


def test_html_page_keeps_metadata(tmp_path):
    html = (
        "<html><head><title>鸡西能力作风建设“实”字当头</title>"
        '<meta name="author" content="杨桂华"></head><body><nav>首页 > 热点</nav>'
        f"<article><h1>鸡西能力作风建设“实”字当头</h1><p>{TEXT}</p><p>{TEXT}</p>"
        "</article></body></html>"
    )
    (tmp_path / "p.html").write_text(html, encoding="utf-8")
    [doc] = records(tmp_path)
    assert isinstance(doc, ingest.Document)
    assert "鸡西市深入贯彻" in doc.text
    assert doc.meta.get("title", "").startswith("鸡西能力作风建设")


def test_jsonl(tmp_path):
    lines = [
        json.dumps(
            {
                "doc_id": "x1",
                "title": "t",
                "year": 2022,
                "place": "云南省",
                "text": TEXT,
            }
        ),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": TEXT}, ensure_ascii=False),
        "",
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    out = records(tmp_path)
    assert [type(r).__name__ for r in out] == [
        "Document",
        "Quarantine",
        "Quarantine",
        "Document",
    ]
    assert out[0].doc_id == "x1" and out[0].meta["place"] == "云南省"
    assert out[1].reason == out[2].reason == "bad_jsonl_line"
    assert out[3].doc_id == "c-4"


def test_csv(tmp_path):
    (tmp_path / "d.csv").write_text(
        f"doc_id,title,text\nr1,标题,{TEXT}\n,,{TEXT}\n", "utf-8"
    )
    (tmp_path / "e.csv").write_text("a,b\n1,2\n", "utf-8")
    out = records(tmp_path)
    got = [r.doc_id if isinstance(r, ingest.Document) else r.reason for r in out]
    assert got == ["r1", "d-2", "missing_text_column"]
    assert out[0].meta["title"] == "标题"


def test_duplicate_ids_made_unique(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(TEXT + "另一篇。", "utf-8")
    assert [r.doc_id for r in records(tmp_path)] == ["a", "a-2"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("e.txt", b"", "empty"),
        ("w.txt", b" \n\t\r\n ", "whitespace_only"),
        ("b.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        ("n.txt", b"only ascii text here, nothing Chinese.", "no_chinese"),
        ("u.pdf", TEXT.encode(), "unsupported_extension"),
    ],
)
def test_quarantine_reasons(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    [rec] = records(tmp_path)
    assert isinstance(rec, ingest.Quarantine) and rec.reason == reason


def test_exact_duplicate_file(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "b.txt").write_text(TEXT, "utf-8")
    a, b = records(tmp_path)
    assert isinstance(a, ingest.Document)
    assert b.reason == "duplicate" and "a.txt" in b.detail


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_BYTES", 100)
    (tmp_path / "big.txt").write_text(TEXT * 10, "utf-8")
    [rec] = records(tmp_path)
    assert rec.reason == "too_large"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_pure_chinese(tmp_path, encoding):
    (tmp_path / "a.txt").write_bytes(TEXT.encode(encoding))
    [doc] = records(tmp_path)
    assert doc.encoding == encoding and doc.text == TEXT


def test_big5_even_length_not_taken_for_utf16(tmp_path):
    text = TRAD + "好" if len(TRAD.encode("big5")) % 2 else TRAD
    (tmp_path / "a.txt").write_bytes(text.encode("big5"))
    [doc] = records(tmp_path)
    assert doc.text == text


def test_jsonl_head_cut_inside_a_character_is_still_utf8(tmp_path):
    """The encoding sniff reads a fixed-size head that may end mid-character."""
    import json

    from citytext import ingest

    text = "全国A" + "政府工作报告" * 20_000
    line = json.dumps({"doc_id": "a", "text": text}, ensure_ascii=False) + "\n"
    head = line.encode("utf-8")[:65536]
    with pytest.raises(UnicodeDecodeError):
        head.decode("utf-8")  # the 64 KiB head really ends inside a character
    (tmp_path / "docs.jsonl").write_text(line, encoding="utf-8")
    records = list(ingest.iter_inputs(tmp_path))
    assert [type(r).__name__ for r in records] == ["Document"]
    assert records[0].encoding.startswith("utf-8")


def test_given_place_outside_the_gazetteer_is_kept():
    from citytext import clean

    doc = clean.clean_document(
        "国务院总理在报告中指出，台湾省、青海省和内蒙古自治区的工作取得新进展，全国人民团结奋斗。",
        meta={"place": "全国", "level": "national"},
    )
    assert (doc.city, doc.province, doc.admin_level) == ("全国", "", "national")


@pytest.mark.parametrize("name", ["SOURCE.md", "README.txt", "LICENSE", "readme.md"])
def test_corpus_documentation_is_quarantined_not_analysed(tmp_path, name):
    note = "本语料来自各地政府网站，共546篇政府工作报告。"
    (tmp_path / name).write_text(note, encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT * 3, encoding="utf-8")
    records = {r.source_file: r for r in ingest.iter_inputs(tmp_path)}
    assert getattr(records[name], "reason", None) == "corpus_documentation"
    assert type(records["a.txt"]).__name__ == "Document"
