"""The Dask engine gives the same results, in the same order, as the local one."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from citytext import config, engines, pipeline, runfiles

pytest.importorskip("distributed")

SEEDS = sorted(config.SEEDS_DIR.glob("*.txt"))


def char_profile(text: str) -> tuple[int, int, str]:
    """A pure per-document function with a compact result."""
    counts = Counter(text)
    top = "".join(ch for ch, _ in counts.most_common(3))
    return len(text), sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff"), top


def explode(text: str) -> int:
    if "鸡西" in text:
        raise ValueError("boom")
    return len(text)


@pytest.fixture(scope="module")
def cluster():
    with engines.local_cluster(2) as cl:
        yield cl


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    assert SEEDS, f"no seed articles in {config.SEEDS_DIR}"
    return [p.read_text(encoding="utf-8") for p in SEEDS]


def test_dask_matches_local_in_order(cluster, seed_texts):
    texts = seed_texts * 7  # several batches, uneven sizes
    local = list(engines.map_documents(char_profile, texts))
    dask = list(
        engines.map_documents(
            char_profile,
            iter(texts),
            engine="dask",
            scheduler=cluster.scheduler_address,
        )
    )
    assert dask == local


def test_small_batches_keep_order(cluster, seed_texts):
    texts = [t[i:] for t in seed_texts for i in range(0, 400, 50)]
    got = list(
        engines.dask_map(
            char_profile,
            texts,
            scheduler=cluster.scheduler_address,
            batch_items=3,
            in_flight=2,
        )
    )
    assert got == [char_profile(t) for t in texts]


def test_stream_is_read_lazily(cluster):
    pulled = itertools.count()

    def stream():
        for i in range(10_000):
            next(pulled)
            yield "文" * (i % 7)

    results = engines.dask_map(
        len, stream(), scheduler=cluster.scheduler_address, batch_items=10, in_flight=4
    )
    first = [next(results) for _ in range(5)]
    results.close()
    assert first == [0, 1, 2, 3, 4]
    assert next(pulled) <= 10 * 5  # at most in_flight + 1 batches were read


def test_task_errors_reach_the_caller(cluster, seed_texts):
    with pytest.raises(ValueError, match="boom"):
        list(
            engines.dask_map(
                explode, seed_texts, scheduler=cluster.scheduler_address, batch_items=1
            )
        )


def test_empty_input(cluster):
    assert list(engines.dask_map(len, [], scheduler=cluster.scheduler_address)) == []


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        (" tls://sched.lab:8786 ", "tls://sched.lab:8786"),
    ],
)
def test_scheduler_address_ok(address, expected):
    assert engines.check_scheduler_address(address) == expected


@pytest.mark.parametrize(
    "address", ["nonsense", "tcp://host", "http//x:1", "ftp://h:1"]
)
def test_scheduler_address_rejected(address):
    with pytest.raises(ValueError, match="tcp://HOST:PORT"):
        list(engines.map_documents(len, ["a"], engine="dask", scheduler=address))


def test_unreachable_scheduler(monkeypatch):
    monkeypatch.setattr(engines, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(RuntimeError, match="cannot reach the Dask scheduler"):
        list(
            engines.map_documents(
                len, ["a"], engine="dask", scheduler="tcp://127.0.0.1:9"
            )
        )


def test_batches_by_count_and_chars():
    docs = ["a" * 5, "b" * 5, "c" * 20, "d", {"text": "e" * 3, "n": 1}]
    assert [len(b) for b in engines.batches(docs, max_items=2, max_chars=10**6)] == [
        2,
        2,
        1,
    ]
    assert [len(b) for b in engines.batches(docs, max_items=99, max_chars=10)] == [
        2,
        1,
        2,
    ]
    assert list(engines.batches([])) == []


def test_unknown_engine():
    with pytest.raises(ValueError, match="unknown engine"):
        list(engines.map_documents(len, ["a"], engine="spark"))  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Through the stage functions: both engines write byte-identical CSVs.
# --------------------------------------------------------------------------
def _csv_bytes(run_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(run_dir.glob("*.csv"))}


def _run_stages(run_dir: Path, **engine: str) -> None:
    pipeline.run_cleaning(config.SEEDS_DIR, run_dir, **engine)
    pipeline.run_segmentation(run_dir, **engine)
    pipeline.run_metrics(run_dir, **engine)


def test_stages_write_identical_csvs(cluster, seed_texts, tmp_path):
    local_dir, dask_dir = tmp_path / "local", tmp_path / "dask"
    _run_stages(local_dir, engine="local")
    _run_stages(dask_dir, engine="dask", scheduler=cluster.scheduler_address)
    local, dask = _csv_bytes(local_dir), _csv_bytes(dask_dir)
    assert {runfiles.ARTICLES, runfiles.PARAGRAPHS, runfiles.METRICS} <= local.keys()
    assert dask.keys() == local.keys()
    for name in local:
        assert dask[name] == local[name], f"{name} differs between engines"


def test_iter_csv_rows_streams_what_read_csv_reads(tmp_path):
    import pandas as pd

    df = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(7)],
            "text": ["鸡西\n“狠抓落实”", "", "a,b", "NA", "0012", "x" * 200_000, "末"],
        }
    )
    runfiles.write_csv(df, tmp_path / runfiles.ARTICLES)
    rows = list(runfiles.iter_csv_rows(tmp_path, runfiles.ARTICLES, chunksize=3))
    assert rows == runfiles.read_csv(tmp_path, runfiles.ARTICLES).to_dict("records")
    assert rows[3]["text"] == "NA" and rows[4]["text"] == "0012"
    with pytest.raises(FileNotFoundError, match="run the notebook"):
        list(runfiles.iter_csv_rows(tmp_path, "missing.csv"))
