"""The command line: parameter validation, help, failure and atomic output."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from citytext import config, execution, rundir, runner
from tests.conftest import run_cli

BAD_PARAMS = [
    (["-p", "foo=1"], "unknown parameter 'foo'"),
    (["-p", "k=abc"], "parameter 'k'"),
    (["-p", "k=0"], "parameter 'k' must be an integer >= 2"),
    (
        ["-p", "unit=sentence"],
        "parameter 'unit' must be one of 'paragraph', 'document'",
    ),
    (["-p", "engine=spark"], "parameter 'engine' must be one of 'local', 'dask'"),
    (["-p", "novalue"], "must look like name=value"),
    (["-p", "run_dir=/tmp/x"], "is set with --run-dir"),
    (["--jobs", "-1"], "--jobs"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD_PARAMS, ids=[a[-1] for a, _ in BAD_PARAMS]
)
def test_bad_parameters_exit_2_with_one_line(tmp_path, args, message):
    out = tmp_path / "out"
    proc = run_cli("run", "--out", str(out), *args)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_missing_corpus_and_unwritable_output(tmp_path):
    proc = run_cli(
        "run", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "o")
    )
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    afile = tmp_path / "file"
    afile.write_text("x")
    proc = run_cli("run", "--out", str(afile / "sub"))
    assert proc.returncode == 2 and "not writable" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_params_command_lists_types_and_comments():
    proc = run_cli("params", "05")
    assert proc.returncode == 0
    assert "city: str = '鸡西'" in proc.stdout
    assert "city to profile" in proc.stdout
    proc = run_cli("params", "nope")
    assert proc.returncode == 2 and "unknown notebook" in proc.stderr


def test_run_help_lists_notebook_parameters():
    proc = run_cli("run", "--help")
    assert proc.returncode == 0
    for name in execution.ALL_NOTEBOOKS:
        assert f"{name}:" in proc.stdout


def _broken_notebooks(tmp_path):
    """A copy of the notebooks where 02 raises in its first cell after parameters."""
    nbdir = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, nbdir)
    path = nbdir / "02_topics.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("raise ValueError('planted failure')"))
    nbformat.write(nb, str(path))
    return nbdir


@pytest.mark.slow
@pytest.mark.xdist_group("cli_runs")
def test_failing_cell_names_notebook_and_keeps_good_report(
    tmp_path, monkeypatch, seeds_dir
):
    """A failure never replaces a good report; the partial run is kept.

    ``report.failed`` holds a file of the user's, so the partial run goes
    beside it instead of replacing it.
    """
    out = tmp_path / "report"
    out.mkdir()
    (out / "index.html").write_text("previous good report")
    rundir.write_marker(out, "complete")
    theirs = tmp_path / "report.failed"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("not a run")
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", _broken_notebooks(tmp_path))
    cfg = execution.RunConfig(
        corpus=seeds_dir, out=out, quiet=True, kernel=execution.default_kernel()
    )
    with pytest.raises(execution.RunError) as info:
        runner.run(cfg)
    msg = str(info.value)
    assert (
        "02_topics.ipynb" in msg
        and "cell" in msg
        and "ValueError: planted failure" in msg
    )
    assert (out / "index.html").read_text() == "previous good report"
    assert "report.failed-2" in msg
    assert [p.name for p in theirs.iterdir()] == ["keep.txt"]
    assert (theirs / "keep.txt").read_text() == "not a run"
    failed = tmp_path / "report.failed-2"
    assert (failed / "notebooks" / "02_topics.ipynb").is_file()
    assert (failed / "articles.csv").is_file()
    assert not list(tmp_path.glob(".report.tmp-*"))


@pytest.mark.slow
@pytest.mark.xdist_group("cli_runs")
def test_unknown_city_exits_2_and_leaves_nothing(tmp_path, seeds_dir):
    out = tmp_path / "report"
    proc = run_cli(
        "run",
        "--corpus",
        str(seeds_dir),
        "--out",
        str(out),
        "--quiet",
        "-p",
        "city=不存在市",
    )
    assert proc.returncode == 2, proc.stderr
    assert "parameter 'city' must be a city of the corpus" in proc.stderr
    assert "鸡西" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []
