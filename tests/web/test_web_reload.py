"""Reloading the documents while `faqbot serve` runs: SIGHUP, --watch, --workers 2, a bad edit, a swap under load."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from adapters.settings import Settings
from adapters.web import cli
from adapters.web.state import SECRET_ENV
from faqbot.settings import EngineSettings

ROOT = Path(__file__).resolve().parents[2]
PARKING_SECTION = (
    "\n\nIs there parking at the clinic?\n\n"
    "Yes, there is free parking for patients behind the clinic building on Elm Street.\n"
)
PARKING = "Is there parking at the clinic?"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the bundled corpus the test may edit."""
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    return folder


class Served:
    """`faqbot serve` in a child process on a free port, its stderr collected line by line."""

    def __init__(self, corpus: Path, cache: Path, *flags: str) -> None:
        config = corpus.parent / "faqbot.toml"
        config.write_text(f"[engine]\ncache_dir = {json.dumps(str(cache))}\n[web]\nrate_limit_per_minute = 100000\n")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api/chat"
        command = [sys.executable, "-m", "adapters.cli", "serve", "--config", str(config), "--corpus", str(corpus)]
        env = {**os.environ, SECRET_ENV: "reload-test"}
        self.process = subprocess.Popen(
            [*command, "--port", str(port), *flags], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        self.lines.extend(self.process.stderr)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, count: int = 1, timeout: float = 60) -> None:
        """Wait until `text` has appeared `count` times in the log."""
        deadline = time.monotonic() + timeout
        while self.log.count(text) < count:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"no {count} x {text!r} in the log: {self.log[-2000:]}")
            time.sleep(0.05)

    def ask(self, message: str, state: object = None) -> dict[str, Any]:
        """One turn on a new connection (so successive turns may reach different workers)."""
        body = json.dumps({"message": message, "state": state}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            reply: dict[str, Any] = json.loads(response.read())
        return reply

    def hup(self) -> None:
        self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)
        assert self.process.stderr is not None
        self.process.stderr.close()


@pytest.fixture
def serve(corpus: Path, private_cache: Path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*flags: str) -> Served:
        server = Served(corpus, private_cache, *flags)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _answer_id(reply: dict[str, Any]) -> str | None:
    return (reply.get("answer") or {}).get("id")


def _hammer(server: Served, stop: threading.Event) -> list[int]:
    """Ask until `stop` is set; the HTTP status of every request."""
    statuses: list[int] = []
    while not stop.is_set():
        try:
            server.ask("Does acupuncture hurt?")
            statuses.append(200)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
            error.close()
    return statuses


def test_sighup_swaps_in_an_edited_corpus_and_a_bad_edit_keeps_the_last_good_one(
    serve: Callable[..., Served], corpus: Path
) -> None:
    server = serve()
    # One process binds its port after the application's startup: wait for the bind, not the startup.
    server.wait_for("Uvicorn running on")
    assert server.ask(PARKING)["kind"] == "fallback"
    before = server.ask("What is acupuncture?")["state"]
    original = (corpus / "acupuncture.txt").read_text(encoding="utf-8")
    (corpus / "acupuncture.txt").write_text(original + PARKING_SECTION, encoding="utf-8")
    stop = threading.Event()
    with ThreadPoolExecutor(4) as pool:
        # Requests keep coming while the new engine is built and swapped in: none may fail.
        load = [pool.submit(_hammer, server, stop) for _ in range(4)]
        time.sleep(0.3)
        server.hup()
        server.wait_for("reloaded the documents")
        time.sleep(0.3)
        stop.set()
        statuses = [status for future in load for status in future.result()]
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
    parked = server.ask(PARKING)
    assert _answer_id(parked) == "acupuncture/is-there-parking-at-the-clinic"
    assert server.ask("Does it hurt?", before)["kind"] == "answer"  # conversations carry on across the swap

    (corpus / "notes.txt").write_bytes(b"\xff\xfe not UTF-8")
    server.hup()
    server.wait_for("reload failed")
    failed = [line for line in server.lines if "reload failed" in line]
    assert len(failed) == 1 and "notes.txt is not UTF-8 text" in failed[0], failed
    assert "Traceback" not in server.log
    assert _answer_id(server.ask(PARKING)) == "acupuncture/is-there-parking-at-the-clinic"

    # The section goes again: a conversation signed with its id still gets a polite reply.
    (corpus / "notes.txt").unlink()
    (corpus / "acupuncture.txt").write_text(original, encoding="utf-8")
    server.hup()
    server.wait_for("reloaded the documents", count=2)
    assert server.ask(PARKING)["kind"] == "fallback"
    more = server.ask("tell me more", parked["state"])
    assert more["kind"] in ("smalltalk", "answer", "fallback") and more["lead"], more


def test_two_workers_watch_the_corpus_and_both_reload_on_sighup(serve: Callable[..., Served], corpus: Path) -> None:
    server = serve("--workers", "2", "--watch")
    server.wait_for("Application startup complete", count=2)
    server.wait_for("watching", count=2)
    time.sleep(0.5)  # the watchers' inotify watches are in place a moment after the log line
    with (corpus / "acupuncture.txt").open("a", encoding="utf-8") as document:
        document.write(PARKING_SECTION)
    server.wait_for("reloaded the documents", count=2)
    reloaded = re.findall(r"pid=(\d+) reloaded the documents", server.log)
    assert len(set(reloaded)) == 2, server.log[-2000:]
    # New connections until both workers have answered some: which worker accepts is the kernel's choice, and on a
    # busy machine one may take a long run of them.
    served: set[str] = set()
    for _ in range(200):
        assert _answer_id(server.ask(PARKING)) == "acupuncture/is-there-parking-at-the-clinic"
        served = set(re.findall(r"pid=(\d+) POST /api/chat 200", server.log))
        if served == set(reloaded):
            break
    assert served == set(reloaded), server.log[-2000:]

    # SIGHUP to the master reaches every worker, which reloads in place rather than being replaced.
    server.hup()
    server.wait_for("reloaded the documents", count=4)
    assert set(re.findall(r"pid=(\d+) reloaded the documents", server.log)) == set(reloaded)
    assert "Started server process" not in server.log.split("asking 2 workers to reload")[-1]


def test_a_worker_that_cannot_load_the_documents_exits_with_one_line(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / "notes.txt").write_bytes(b"\xff not UTF-8")
    settings = cli.settings_with_flags(argparse.Namespace(), Settings(engine=EngineSettings(corpus=corpus)))
    monkeypatch.setattr(cli, "WORKER_RETRY_SECONDS", 0.0)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("faqbot.reload")
    logger.addHandler(handler)
    try:
        with pytest.raises(SystemExit) as exit:
            cli.app_from_environ({cli.SETTINGS_ENV: cli.settings_to_json(settings), SECRET_ENV: "s"})
    finally:
        logger.removeHandler(handler)
    assert exit.value.code == 1
    assert [r.getMessage() for r in records] == [
        "worker not started, the documents do not load: notes.txt is not UTF-8 text"
    ]
    assert records[0].exc_info is None
