"""Reloading the documents under the Slack bot: the engine holder in the app, and SIGHUP to `faqbot slack --http`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import BOT_TOKEN
from fakeslack import BOT_USER_ID, FakeSlack, wait_until
from slackhttp import SECRET, HTTPMode, signature_headers

from adapters.reloading import EngineHolder, watching
from adapters.slack import render
from adapters.slack.bot import SlackBot, build_app, web_client
from adapters.slack.settings import SlackSettings
from faqbot.settings import EngineSettings

ROOT = Path(__file__).resolve().parents[2]
PARKING_SECTION = (
    "\n\nIs there parking at the clinic?\n\n"
    "Yes, there is free parking for patients behind the clinic building on Elm Street.\n"
)
Payload = Callable[[str], dict[str, Any]]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    return folder


def mention(payload: Payload, text: str, ts: str, thread_ts: str | None = None) -> dict[str, Any]:
    body = payload("app_mention")
    body["event"].update(text=f"<@{BOT_USER_ID}> {text}", ts=ts, event_ts=ts)
    if thread_ts:
        body["event"]["thread_ts"] = thread_ts
    body["event_id"] = f"Ev{ts.replace('.', '')}"
    return body


def _posted(fake_slack: FakeSlack, count: int) -> str:
    return str(fake_slack.wait_for("chat.postMessage", count)[-1].body["text"])


def test_the_bot_answers_from_the_reloaded_documents_and_keeps_its_conversations(
    corpus: Path, private_cache: Path, fake_slack: FakeSlack, payload: Payload
) -> None:
    holder = EngineHolder.from_settings(EngineSettings(corpus=corpus, cache_dir=private_cache))
    with ThreadPoolExecutor(4) as executor:
        app = build_app(
            SlackBot(holder, SlackSettings()),
            web_client(BOT_TOKEN, fake_slack.url),
            signing_secret=SECRET,
            executor=executor,
        )
        server = HTTPMode(app).start()
        try:
            old = holder.engine
            server.event(mention(payload, "is there parking at the clinic?", "1700000300.000100"))
            assert "documents don't cover" in _posted(fake_slack, 1)
            first = old.respond("what is acupuncture?", None)
            server.event(mention(payload, "what is acupuncture?", "1700000301.000100", "1700000301.000100"))
            _posted(fake_slack, 2)

            with (corpus / "acupuncture.txt").open("a", encoding="utf-8") as document:
                document.write(PARKING_SECTION)
            assert holder.reload() and holder.engine is not old
            server.event(mention(payload, "is there parking at the clinic?", "1700000302.000100"))
            assert "Elm Street" in _posted(fake_slack, 3)
            # The thread's state was kept across the swap: its follow-up is read in the light of the first turn.
            follow_up = holder.engine.respond("does it hurt?", first.state)
            server.event(mention(payload, "does it hurt?", "1700000303.000100", "1700000301.000100"))
            assert _posted(fake_slack, 4) == render.escape(follow_up.text)
        finally:
            server.stop()


def test_a_failed_reload_keeps_the_engine_and_logs_one_line(corpus: Path, caplog: pytest.LogCaptureFixture) -> None:
    holder = EngineHolder.from_settings(EngineSettings(corpus=corpus))
    old = holder.engine
    (corpus / "documents.toml").write_text("[broken\n", encoding="utf-8")
    assert not holder.reload()
    assert holder.engine is old
    [record] = [r for r in caplog.records if r.name == "faqbot.reload"]
    assert record.getMessage().startswith("reload failed, still serving the previous documents: documents.toml")
    assert record.exc_info is None


def test_an_unexpected_failure_is_named_by_its_type_not_its_message(caplog: pytest.LogCaptureFixture) -> None:
    def build() -> Any:
        raise ValueError("a line quoted from a document")

    holder = EngineHolder(build, engine=object())  # type: ignore[arg-type]
    assert not holder.reload()
    [record] = [r for r in caplog.records if r.name == "faqbot.reload"]
    assert "unexpected ValueError at test_slack_reload.py:" in record.getMessage()
    assert "quoted" not in record.getMessage()


def test_watching_reloads_after_a_burst_of_changes_once(corpus: Path, private_cache: Path) -> None:
    # Lexical only: this is about when reloads happen, and embedding each new version would only add seconds.
    holder = EngineHolder.from_settings(EngineSettings(corpus=corpus, cache_dir=private_cache, semantic=False))
    reloads: list[bool] = []
    reload = holder.reload
    holder.reload = lambda: reloads.append(reload()) or reloads[-1]  # type: ignore[method-assign]
    with watching(holder, corpus):
        time.sleep(0.5)  # the watch is in place a moment after the thread starts
        for line in ("\n\nIs there parking at the clinic?\n\n", "Yes, there is free parking on Elm Street.\n"):
            with (corpus / "acupuncture.txt").open("a", encoding="utf-8") as document:
                document.write(line)
            time.sleep(0.1)
        wait_until(lambda: bool(reloads), 30, "the watcher's reload")
        time.sleep(1.5)
    assert reloads == [True]
    assert "Elm Street" in holder.engine.respond("is there parking at the clinic?", None).text


def test_watching_follows_a_folder_replaced_whole(tmp_path: Path, private_cache: Path) -> None:
    # Deploys often switch a symlink to a new copy, or move a new folder into place: no event inside the old one.
    for version in ("v1", "v2"):
        shutil.copytree(ROOT / "corpus", tmp_path / version)
    with (tmp_path / "v2" / "acupuncture.txt").open("a", encoding="utf-8") as document:
        document.write(PARKING_SECTION)
    link = tmp_path / "corpus"
    link.symlink_to(tmp_path / "v1")
    holder = EngineHolder.from_settings(EngineSettings(corpus=link, cache_dir=private_cache, semantic=False))
    first = holder.engine
    with watching(holder, link):
        time.sleep(0.5)
        (tmp_path / "next").symlink_to(tmp_path / "v2")
        (tmp_path / "next").replace(link)  # atomic, like `ln -sfn v2 corpus`
        wait_until(lambda: holder.engine is not first, 30, "the reload after the switch")
    assert "Elm Street" in holder.engine.respond("is there parking at the clinic?", None).text


class SlackProcess:
    """`faqbot slack --http` in a child process, talking to the fake Slack."""

    def __init__(self, corpus: Path, cache: Path, fake_slack: FakeSlack) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/slack/events"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake_slack.url,
        }
        command = [
            sys.executable,
            "-m",
            "adapters.cli",
            "slack",
            "--http",
            "--port",
            str(port),
            "--corpus",
            str(corpus),
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.client = httpx.Client(timeout=10)

    def _read(self) -> None:
        assert self.process.stderr is not None
        self.lines.extend(self.process.stderr)

    def count(self, text: str) -> int:
        return "".join(self.lines).count(text)

    def event(self, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        headers = {**signature_headers(raw), "Content-Type": "application/json"}
        assert self.client.post(self.url, content=raw, headers=headers).status_code == 200

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)
        assert self.process.stderr is not None
        self.process.stderr.close()


@pytest.fixture
def slack_process(corpus: Path, private_cache: Path, fake_slack: FakeSlack) -> Iterator[SlackProcess]:
    process = SlackProcess(corpus, private_cache, fake_slack)
    yield process
    process.stop()


def test_sighup_reloads_faqbot_slack_and_a_bad_edit_keeps_serving(
    slack_process: SlackProcess, corpus: Path, fake_slack: FakeSlack, payload: Payload
) -> None:
    wait_until(lambda: slack_process.count("listening on") == 1, 60, "faqbot slack to start")
    with (corpus / "acupuncture.txt").open("a", encoding="utf-8") as document:
        document.write(PARKING_SECTION)
    slack_process.process.send_signal(signal.SIGHUP)
    wait_until(lambda: slack_process.count("reloaded the documents") == 1, 60, "the reload")
    slack_process.event(mention(payload, "is there parking at the clinic?", "1700000400.000100"))
    assert "Elm Street" in _posted(fake_slack, 1)

    (corpus / "overlay.toml").write_text("not = [valid\n", encoding="utf-8")
    slack_process.process.send_signal(signal.SIGHUP)
    wait_until(lambda: slack_process.count("reload failed") == 1, 60, "the failed reload")
    time.sleep(0.2)
    failed = [line for line in slack_process.lines if "reload failed" in line]
    assert len(failed) == 1 and "overlay.toml is not valid TOML" in failed[0]
    assert "Traceback" not in "".join(slack_process.lines)
    slack_process.event(mention(payload, "is there parking at the clinic?", "1700000401.000100"))
    assert "Elm Street" in _posted(fake_slack, 2)
