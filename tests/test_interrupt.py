"""Interrupting a run leaves the previous report intact and no stray kernels."""

from __future__ import annotations

import signal
import subprocess
import time

import psutil
import pytest

from citytext import rundir
from tests.conftest import CITYTEXT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("interrupt")]


def _kernels_of(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [
            c
            for c in proc.children(recursive=True)
            if "ipykernel" in " ".join(c.cmdline())
        ]
    except psutil.Error:
        return []


@pytest.mark.parametrize(
    "sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"]
)
def test_interrupt_keeps_previous_report(tmp_path, seeds_dir, sig):
    out = tmp_path / "report"
    out.mkdir()
    (out / "index.html").write_text("previous good report")
    rundir.write_marker(out, "complete")  # a previous citytext report
    popen = subprocess.Popen(
        [CITYTEXT, "run", "--corpus", str(seeds_dir), "--out", str(out), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc = psutil.Process(popen.pid)
    deadline = time.time() + 120
    kernels: list[psutil.Process] = []
    while time.time() < deadline and not kernels:
        kernels = _kernels_of(proc)
        time.sleep(0.2)
    assert kernels, "a kernel was started"
    time.sleep(1.0)
    popen.send_signal(sig)
    _, err = popen.communicate(timeout=60)
    assert popen.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert (out / "index.html").read_text() == "previous good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]
    gone, alive = psutil.wait_procs(kernels, timeout=10)
    assert not alive, f"stray kernels: {[k.pid for k in alive]}"
