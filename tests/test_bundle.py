"""citytext bundle: one zip with index.html at its root."""

from __future__ import annotations

import re
import zipfile
from urllib.parse import unquote

import pytest

from citytext import bundle
from tests.conftest import run_cli


def _report(path):
    (path / "html").mkdir(parents=True)
    (path / "assets").mkdir()
    (path / "index.html").write_text('<a href="html/a.html">a</a>')
    (path / "run.json").write_text("{}")
    (path / "html" / "a.html").write_text("<p>a</p>")
    (path / "assets" / "f.woff").write_bytes(b"\0" * 10)
    (path / ".citytext-run").write_text("{}")
    return path


def test_bundle_packs_the_report_with_index_first(tmp_path):
    report = _report(tmp_path / "report")
    path, n, size = bundle.bundle(report, tmp_path / "report.zip")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names[0] == "index.html"
        assert set(names) == {"index.html", "run.json", "html/a.html", "assets/f.woff"}
        assert zf.getinfo("assets/f.woff").compress_type == zipfile.ZIP_STORED
        assert zf.read("html/a.html") == b"<p>a</p>"
    assert n == 4 and size == path.stat().st_size


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("exists", "exists"),
        ("inside", "outside the report"),
        ("not_zip", "must end in .zip"),
        ("not_report", "not a finished citytext report"),
    ],
)
def test_bundle_refuses(tmp_path, case, message):
    report = _report(tmp_path / "report")
    dest = tmp_path / "out.zip"
    if case == "exists":
        dest.write_text("mine")
    elif case == "inside":
        dest = report / "html" / "x.zip"
    elif case == "not_zip":
        dest = tmp_path / "out.tar"
    else:
        (report / "run.json").unlink()
    with pytest.raises(bundle.BundleError, match=message):
        bundle.bundle(report, dest)
    if case == "exists":
        assert dest.read_text() == "mine"
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.slow
@pytest.mark.xdist_group("e2e")
def test_bundled_seed_report_opens_after_unzipping(seed_run, tmp_path):
    proc = run_cli("bundle", str(seed_run), str(tmp_path / "report.zip"))
    assert proc.returncode == 0, proc.stderr
    assert "unzip it and open index.html" in proc.stderr
    with zipfile.ZipFile(tmp_path / "report.zip") as zf:
        assert zf.namelist()[0] == "index.html"
        zf.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped"
    for page in [root / "index.html", *(root / "html").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        for ref in re.findall(r'(?:href|src)="([^"#]+)"', html):
            if not re.match(r"[a-z]+:", ref):  # links to read elsewhere
                assert (page.parent / unquote(ref)).exists(), (page.name, ref)
    again = run_cli("bundle", str(seed_run), str(tmp_path / "report.zip"))
    assert again.returncode == 2 and "exists" in again.stderr
