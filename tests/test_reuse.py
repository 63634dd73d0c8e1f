"""Incremental re-runs: unchanged notebooks are taken from the previous report."""

from __future__ import annotations

import json
import shutil

import pytest

from citytext import reuse
from tests.conftest import run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


def _info(out):
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def rerun(tmp_path_factory, seed_run, seeds_dir):
    """A copy of the seed report, re-run with only notebook 04's parameter changed."""
    out = tmp_path_factory.mktemp("rerun") / "report"
    shutil.copytree(seed_run, out)
    proc = run_cli(
        "run", "--corpus", str(seeds_dir), "--out", str(out), "-p", "reuse_shown=7",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stderr


def test_rerun_reuses_the_notebooks_before_the_change(rerun):
    out, stderr = rerun
    info = _info(out)
    assert {"01_cleaning", "02_topics", "03_metrics"} <= set(info["reused"])
    assert "04_cross_city" not in info["reused"]
    assert "01_cleaning: reused from the previous report" in stderr
    assert info["effective_parameters"]["04_cross_city"]["reuse_shown"] == 7


def test_rerun_gives_the_csvs_of_a_full_run(rerun, seed_run):
    out, _ = rerun
    names = sorted(p.name for p in seed_run.glob("*.csv"))
    assert names == sorted(p.name for p in out.glob("*.csv"))
    for name in names:
        assert (out / name).read_bytes() == (seed_run / name).read_bytes(), name
    for page in (seed_run / "html").glob("*.html"):
        assert (out / "html" / page.name).is_file(), page.name


def test_force_executes_everything(forced_run, seed_run):
    out, _ = forced_run
    info = _info(out)
    assert info["reused"] == []
    assert [p["city"] for p in info["profiles"]] == ["鸡西"]
    for name in ("articles.csv", "metrics.csv", "city_comparison.csv"):
        assert (out / name).read_bytes() == (seed_run / name).read_bytes(), name


def test_inputs_digest_ignores_timings_and_pages(tmp_path):
    (tmp_path / "stages").mkdir()
    (tmp_path / "html").mkdir()
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "stages" / "clean.json").write_text('{"kept": 5, "seconds": 1.5}')
    first = reuse.inputs_digest(tmp_path)
    (tmp_path / "stages" / "clean.json").write_text(
        '{"kept": 5, "seconds": 9.0, "campaign_seconds": 2}'
    )
    (tmp_path / "html" / "x.html").write_text("<p>")
    assert reuse.inputs_digest(tmp_path) == first
    (tmp_path / "a.csv").write_text("x\n2\n")
    assert reuse.inputs_digest(tmp_path) != first


def test_a_changed_file_in_the_previous_report_is_not_reused(tmp_path):
    prev, new = tmp_path / "prev", tmp_path / "new"
    (prev / "notebooks").mkdir(parents=True)
    new.mkdir()
    (prev / "a.csv").write_text("x\n1\n")
    (prev / "notebooks" / "01.ipynb").write_text("{}")
    record = {
        "key": "k1",
        "files": {"a.csv": reuse.file_sha256(prev / "a.csv")},
        "pages": ["notebooks/01.ipynb"],
    }
    (prev / "run.json").write_text(json.dumps({"notebook_runs": {"01": record}}))
    previous = reuse.Previous(prev)
    assert previous.restore("01", "other key", new) is None
    assert previous.restore("01", "k1", new) is not None
    assert (new / "a.csv").read_text() == "x\n1\n"
    (prev / "a.csv").write_text("x\n2\n")
    assert reuse.Previous(prev).restore("01", "k1", tmp_path / "new2") is None
