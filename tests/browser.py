"""Open report pages in headless Chromium and report what a reader would see.

A small client for the Chrome DevTools Protocol over ``--remote-debugging-pipe``
(commands on file descriptor 3, replies and events on 4, each message JSON
ended by a NUL byte), so the browser test needs only the ``chromium`` package
and the standard library: no browser download, no WebSocket library.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")

#: JavaScript run in the page: what rendered.
PROBE = """(() => ({
  tables: document.querySelectorAll('table[id^="itables_"]').length,
  datatables: document.querySelectorAll('table[id^="itables_"].dataTable').length,
  search_boxes: document.querySelectorAll('.dt-search input').length,
  lang: document.documentElement.lang,
  title: document.title,
}))()"""


def find_browser() -> str | None:
    """Return the path of an installed Chromium-family browser, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageReport:
    """What loading one page showed.

    Attributes:
        url: The page.
        state: The result of :data:`PROBE` once the tables settled.
        errors: Console errors, uncaught exceptions and failed loads.
        requests: Every URL the page requested.
    """

    url: str
    state: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class Browser:
    """A headless Chromium driven over the DevTools pipe."""

    def __init__(self, executable: str):
        self._profile = tempfile.mkdtemp(prefix="citytext-chromium-")
        cmd_r, self._cmd_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        args = [
            executable, "--headless", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--mute-audio",
            f"--user-data-dir={self._profile}", "--remote-debugging-pipe",
            "about:blank",
        ]  # fmt: skip

        # The protocol is fixed to descriptors 3 and 4 of the browser; bash
        # (unlike dash) moves descriptors numbered above 9.
        shell = shutil.which("bash") or "sh"
        script = f'exec "$@" 3<&{cmd_r} 4>&{resp_w}'
        self._proc = subprocess.Popen(
            [shell, "-c", script, "browser", *args],
            pass_fds=(cmd_r, resp_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(cmd_r)
        os.close(resp_w)
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buf = b""
        with os.fdopen(self._resp_r, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                buf += chunk
                *messages, buf = buf.split(b"\0")
                with self._cond:
                    for raw in messages:
                        msg = json.loads(raw)
                        if "id" in msg:
                            self._replies[msg["id"]] = msg
                        else:
                            self._events.append(msg)
                    self._cond.notify_all()

    def send(
        self, method: str, params: dict | None = None, session: str | None = None
    ) -> dict:
        """Send one command and wait for its reply.

        Raises:
            RuntimeError: If the browser answers with an error or not at all.
        """
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method}
        msg["params"] = params or {}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        with self._cond:
            if not self._cond.wait_for(lambda: self._next_id in self._replies, 30):
                raise RuntimeError(f"no reply from the browser to {method}")
            reply = self._replies.pop(self._next_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open(
        self, path: Path, *, settle: float = 1.0, timeout: float = 30
    ) -> PageReport:
        """Load a file, wait until its tables settle, and report.

        Args:
            path: HTML file, opened as a ``file://`` URL.
            settle: Seconds the probe must stay unchanged.
            timeout: Seconds to wait at most.
        """
        url = Path(path).resolve().as_uri()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable", session=session)
        with self._cond:
            start = len(self._events)
        self.send("Page.navigate", {"url": url}, session=session)
        report = PageReport(url)
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            state = self.send(
                "Runtime.evaluate",
                {"expression": PROBE, "returnByValue": True},
                session=session,
            )["result"].get("value")
            if state != last:
                last, since = state, time.monotonic()
            elif (
                time.monotonic() - since >= settle
                and state
                and (state["tables"] == state["datatables"])
            ):
                break
            time.sleep(0.2)
        report.state = last or {}
        with self._cond:
            events = [e for e in self._events[start:] if e.get("sessionId") == session]
        report.errors, report.requests = _problems(events)
        self.send("Target.closeTarget", {"targetId": target})
        return report

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        with contextlib.suppress(OSError):
            os.close(self._cmd_w)
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        shutil.rmtree(self._profile, ignore_errors=True)


def _problems(events: list[dict]) -> tuple[list[str], list[str]]:
    errors, requests = [], []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in {
            "error",
            "assert",
        }:
            args = params.get("args", [])
            errors.append("console: " + " ".join(str(a.get("value", a)) for a in args))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get(
                "text"
            )
            errors.append(f"exception: {text}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            errors.append(f"log: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.loadingFailed":
            errors.append(f"failed load: {params.get('errorText')}")
        elif method == "Network.requestWillBeSent":
            requests.append(params["request"]["url"])
    return errors, requests
