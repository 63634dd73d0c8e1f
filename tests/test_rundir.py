"""A run never deletes what it did not write, nor writes outside its output."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citytext import config, names, rundir
from tests.conftest import CITYTEXT, run_cli

HOSTILE_PLACES = [
    "../../x",
    "a/b",
    "/etc/x",
    "C:\\x",
    "nul\x00place",
    "长" * 300,
    "..",
    ".hidden",
    "con",
]


# --------------------------------------------------------------------------
# safe_name and inside
# --------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["鸡西", "陵城", "05_city_profile", "02_topic_terms"])
def test_safe_values_are_kept(value):
    assert names.safe_name(value) == value


@pytest.mark.parametrize("value", HOSTILE_PLACES)
def test_hostile_values_become_plain_stems(value):
    stem = names.safe_name(value)
    assert stem and len(stem) <= names.MAX_NAME_CHARS
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert not stem.startswith(".") and "\x00" not in stem
    assert stem == names.safe_name(value)  # stable


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_safe_name_is_a_single_bounded_component(value):
    stem = names.safe_name(value)
    assert 0 < len(stem) <= names.MAX_NAME_CHARS
    assert len(stem.encode("utf-8", "surrogatepass")) <= names.MAX_NAME_BYTES
    assert Path(stem).name == stem and stem not in {".", ".."}
    assert all(ch.isprintable() and not ch.isspace() for ch in stem)
    assert "." not in stem


@given(st.text(max_size=80), st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_different_values_get_different_stems(a, b):
    if names.safe_name(a) == names.safe_name(b):
        import unicodedata

        assert unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)


def test_inside_refuses_escapes(tmp_path):
    root = tmp_path / "run"
    root.mkdir()
    assert names.inside(root / "figures" / "a.png", root).parent.name == "figures"
    for bad in ("../x.png", "/etc/x.png", "figures/../../x.png"):
        with pytest.raises(ValueError, match="outside"):
            names.inside(root / bad, root)
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(ValueError, match="outside"):
        names.inside(root / "link" / "x.png", root)


def test_savefig_keeps_hostile_names_in_figures(tmp_path):
    import matplotlib.pyplot as plt

    from citytext import plots

    for place in HOSTILE_PLACES:
        fig, _ = plt.subplots()
        out = plots.savefig(fig, tmp_path, f"05_{place}_topic_mix", show=False)
        assert out.parent == (tmp_path / "figures").resolve()
    assert [p for p in tmp_path.iterdir()] == [tmp_path / "figures"]
    assert len(list((tmp_path / "figures").iterdir())) == len(HOSTILE_PLACES)


# --------------------------------------------------------------------------
# What --out may be
# --------------------------------------------------------------------------
def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its sha256 (to prove nothing changed)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def workspace(tmp_path, seeds_dir):
    """A user's folder: own files, a corpus copy and a thesis directory."""
    corpus = tmp_path / "work" / "pages"
    corpus.mkdir(parents=True)
    for p in sorted(seeds_dir.glob("*.txt"))[:1]:
        (corpus / p.name).write_bytes(p.read_bytes())
    (tmp_path / "work" / "notes.md").write_text("my notes", encoding="utf-8")
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "draft.txt").write_text("chapter 1", encoding="utf-8")
    return tmp_path


def _refused(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize(
    ("cwd", "out", "words"),
    [
        (".", "thesis", ["not empty and not a citytext run directory", "remove it"]),
        (".", "work/pages", ["is the corpus"]),
        (".", "work/pages/report", ["is inside the corpus"]),
        (".", "work", ["contains the corpus"]),
        ("thesis", ".", ["current directory", "not a citytext run directory"]),
    ],
)
def test_out_that_is_not_ours_is_refused(workspace, cwd, out, words):
    before = _tree(workspace)
    proc = run_cli(
        "run",
        "--corpus",
        str(workspace / "work" / "pages"),
        "--out",
        out,
        "--quiet",
        cwd=workspace / cwd,
    )
    _refused(proc, *words)
    assert _tree(workspace) == before
    assert sorted(p.name for p in workspace.iterdir()) == ["thesis", "work"]


def test_home_root_and_repository_are_refused(tmp_path, seeds_dir):
    corpus = str(seeds_dir)
    for out, word in [
        (str(Path.home()), "home directory"),
        ("/", "filesystem root"),
        (str(config.PROJ_ROOT), "repository"),
    ]:
        proc = run_cli("run", "--corpus", corpus, "--out", out, cwd=tmp_path)
        _refused(proc, word)


def test_check_output_rules(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    kw = {"cwd": tmp_path / "elsewhere", "home": tmp_path / "home", "repo": corpus}
    rundir.check_output(tmp_path / "new", corpus, **kw)  # missing: fine
    (tmp_path / "empty").mkdir()
    rundir.check_output(tmp_path / "empty", corpus, **kw)
    (tmp_path / "f").write_text("x")
    with pytest.raises(rundir.OutputRefused, match="not a directory"):
        rundir.check_output(tmp_path / "f", corpus, **kw)
    (tmp_path / "ln").symlink_to(tmp_path / "empty")
    with pytest.raises(rundir.OutputRefused, match="symbolic link"):
        rundir.check_output(tmp_path / "ln", corpus, **kw)


def test_a_run_directory_with_a_file_of_the_users_is_not_replaced(tmp_path):
    run = tmp_path / "report"
    (run / "html").mkdir(parents=True)
    (run / "html" / "index.html").write_text("x")
    rundir.write_marker(run, "complete")
    assert rundir.is_replaceable(run)
    (run / "my_notes.txt").write_text("mine")
    assert rundir.foreign_files(run) == ["my_notes.txt"]
    assert not rundir.is_replaceable(run)
    with pytest.raises(rundir.OutputRefused, match="my_notes.txt"):
        rundir.check_output(run, tmp_path / "corpus", cwd=tmp_path / "x")


def test_reports_written_before_the_marker_are_recognised(tmp_path):
    run = tmp_path / "report"
    run.mkdir()
    (run / "run.json").write_text(json.dumps({"citytext_version": "0.1.0"}))
    (run / "articles.csv").write_text("doc_id\n")
    assert rundir.is_replaceable(run)
    assert not rundir.is_replaceable(run, failed=True)


def test_failed_destination_never_takes_someone_elses_directory(tmp_path):
    out = tmp_path / "report"
    assert rundir.failed_destination(out) == tmp_path / "report.failed"
    theirs = tmp_path / "report.failed"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("keep")
    assert rundir.failed_destination(out) == tmp_path / "report.failed-2"
    complete = tmp_path / "report.failed-2"
    complete.mkdir()
    (complete / "a.csv").write_text("a")
    rundir.write_marker(complete, "complete")  # a good report: not replaced either
    assert rundir.failed_destination(out) == tmp_path / "report.failed-3"
    rundir.write_marker(complete, "failed")
    assert rundir.failed_destination(out) == complete


# --------------------------------------------------------------------------
# The lock
# --------------------------------------------------------------------------
def test_lock_waits_for_the_holder_and_is_released(tmp_path):
    out = tmp_path / "report"
    events: list[str] = []
    with rundir.locked(out) as path:
        assert json.loads(path.read_text())["pid"] == os.getpid()

        def second() -> None:
            with rundir.locked(out, on_wait=lambda h: events.append(f"wait {h}")):
                events.append("got")

        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.6)
        assert events and events[0].startswith("wait pid")
        assert "got" not in events
    t.join(timeout=10)
    assert events[-1] == "got"
    assert not rundir.lock_path(out).exists()


def test_lock_of_a_dead_process_is_taken_over(tmp_path):
    out = tmp_path / "report"
    code = (
        "import os, sys; from pathlib import Path; from citytext import rundir\n"
        f"cm = rundir.locked(Path({str(out)!r})); cm.__enter__(); os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert rundir.lock_path(out).exists()  # left behind by the dead process
    with rundir.locked(out, timeout=2):
        pass


# --------------------------------------------------------------------------
# Whole runs
# --------------------------------------------------------------------------
def _hostile_corpus(root: Path, seed_texts: dict[str, str]) -> Path:
    """Six distinct documents whose metadata places are path-like."""
    reports = config.NATIONAL_REPORTS_DIR / "docs.jsonl"
    texts = list(seed_texts.values())
    with reports.open(encoding="utf-8") as fh:
        texts.append(json.loads(fh.readlines()[-1])["text"][:4000])
    corpus = root / "hostile"
    corpus.mkdir()
    with (corpus / "docs.jsonl").open("w", encoding="utf-8") as fh:
        for i, (place, text) in enumerate(zip(HOSTILE_PLACES[:6], texts, strict=True)):
            doc = {"id": f"h{i}", "title": f"标题{i}", "year": 2023, "place": place}
            fh.write(json.dumps({**doc, "text": text}, ensure_ascii=False) + "\n")
    return corpus


@pytest.mark.slow
@pytest.mark.xdist_group("hostile_run")
def test_hostile_places_stay_inside_and_reruns_replace_the_report(tmp_path, seed_texts):
    """Path-like places write nothing outside; two runs at once leave one report."""
    box = tmp_path / "box"
    box.mkdir()
    corpus = _hostile_corpus(box, seed_texts)
    out = box / "deep" / "er" / "report"
    before = _tree(box)
    proc = run_cli("run", "--corpus", str(corpus), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr[-3000:]
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    cities = info["cities"]
    assert len(cities) == len(info["profiles"]) == 6, cities
    for p in info["profiles"]:
        assert (out / p["href"]).is_file()
    # Nothing outside the run directory changed or appeared (tmp_path holds box).
    outside = {k: v for k, v in _tree(box).items() if not k.startswith("deep/")}
    assert outside == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["box"]
    assert sorted(p.name for p in (box / "deep" / "er").iterdir()) == ["report"]
    for f in out.rglob("*"):
        assert out.resolve() in f.resolve().parents

    # Two runs started at once into the same report: both end, one whole report.
    procs = [
        subprocess.Popen(
            [CITYTEXT, "run", "--corpus", str(corpus), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=900), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0, 0], results
    assert any("waiting for pid" in err for _, err in results)
    assert sorted(p.name for p in (box / "deep" / "er").iterdir()) == ["report"]
    assert rundir.is_replaceable(out) and not rundir.foreign_files(out)
    again = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert again["cities"] == cities
    assert (out / "index.html").is_file()
