"""Two `faqbot slack --http` processes sharing one real Redis: every event answered exactly once, retries included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import BOT_TOKEN
from fakeslack import FakeSlack
from redisserver import unused_url
from slackhttp import SECRET, HTTPMode, signature_headers
from test_slack_http import FOLLOW_UPS, mention

from adapters.redis_store import RedisStore
from adapters.slack import render
from adapters.slack.bot import SlackBot, build_app, web_client
from adapters.slack.settings import SlackSettings
from faqbot.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
Payload = Callable[[str], dict[str, Any]]


class BotProcess:
    """`faqbot slack --http` in a process of its own, against the fake Slack, with its log in a file."""

    def __init__(self, config: Path, api_url: str, log: Path) -> None:
        self.config, self.api_url, self.log = config, api_url, log
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> BotProcess:
        """Start (or restart) the process and wait for its start-up line naming the port."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=self.api_url)
        command = [sys.executable, "-m", "adapters.cli", "slack", "--http", "--port", "0", "--config", str(self.config)]
        seen = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while not self.url:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError("faqbot slack did not start: " + self.log.read_text()[-1500:])
            text = self.log.read_bytes()[seen:].decode("utf-8", "replace")
            if "listening on http://" in text:
                self.url = text.partition("listening on ")[2].split()[0]
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """SIGTERM, and wait for the process to exit."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(20)
            self.process = None
        self.url = ""

    def deliver(self, body: dict[str, Any], **headers: str) -> int:
        """POST a signed Events API payload; the HTTP status."""
        raw = json.dumps(body).encode()
        sent = {**signature_headers(raw), "Content-Type": "application/json", **headers}
        return httpx.post(self.url, content=raw, headers=sent, timeout=10).status_code


@pytest.fixture
def two_bots(tmp_path: Path, redis_url: str, fake_slack: FakeSlack) -> Iterator[tuple[BotProcess, BotProcess]]:
    config = tmp_path / "faqbot.toml"
    config.write_text(f'[store]\nurl = "{redis_url}"\n', encoding="utf-8")
    bots = [BotProcess(config, fake_slack.url, tmp_path / f"bot{n}.log") for n in (1, 2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(BotProcess.start, bots))
        yield bots[0], bots[1]
    finally:
        for bot in bots:
            bot.stop()
    logs = "".join(bot.log.read_text() for bot in bots)
    assert "Traceback" not in logs, logs[-2000:]


def both_at_once(bots: tuple[BotProcess, BotProcess], body: dict[str, Any], **headers: str) -> list[int]:
    """Deliver the same request to both processes at the same moment."""
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda bot: bot.deliver(body, **headers), bots))


def settle(fake_slack: FakeSlack, count: int) -> list[str]:
    """The texts posted, once `count` posts arrived and a moment passed in which no other did."""
    fake_slack.wait_for("chat.postMessage", count)
    time.sleep(0.5)
    return [call.body["text"] for call in fake_slack.calls_to("chat.postMessage")]


def test_two_processes_answer_each_event_exactly_once_across_retries_and_a_restart(
    two_bots: tuple[BotProcess, BotProcess], fake_slack: FakeSlack, payload: Payload, engine: Engine
) -> None:
    first, second = two_bots
    question = mention(payload, "what is dry needling?", "1700000001.000001")
    # Slack redelivering one event to both processes at once, then retrying it at each.
    assert both_at_once(two_bots, question) == [200, 200]
    assert second.deliver(question, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}) == 200
    assert settle(fake_slack, 1) == [render.escape(engine.respond("what is dry needling?", None).text)]

    # A restart forgets nothing that Redis holds: the last retry, arriving at the restarted process, is skipped.
    first.stop()
    first.start()
    assert first.deliver(question, **{"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"}) == 200
    assert len(settle(fake_slack, 1)) == 1

    # The thread's conversation is shared too: a follow-up at the other process continues it.
    context = engine.respond("what is dry needling?", None).state
    follow_up = next(q for q in FOLLOW_UPS if engine.respond(q, context).text != engine.respond(q, None).text)
    reply = mention(payload, follow_up, "1700000002.000002", thread_ts="1700000001.000001")
    assert both_at_once(two_bots, reply, **{"X-Slack-Retry-Num": "1"}) == [200, 200]  # first seen as a retry
    assert settle(fake_slack, 2)[1] == render.escape(engine.respond(follow_up, context).text)
    assert "skipped a repeated delivery (event)" in first.log.read_text() + second.log.read_text()


def test_with_the_store_down_events_are_still_answered(
    fake_slack: FakeSlack, payload: Payload, engine: Engine, executors: list[ThreadPoolExecutor]
) -> None:
    executors.append(ThreadPoolExecutor(max_workers=4))
    store = RedisStore(unused_url())
    bot = SlackBot(engine, SlackSettings(), store)
    app = build_app(bot, web_client(BOT_TOKEN, fake_slack.url), signing_secret=SECRET, executor=executors[-1])
    server = HTTPMode(app).start()
    try:
        assert server.event(payload("app_mention")).status_code == 200
        [post] = fake_slack.wait_for("chat.postMessage")
    finally:
        server.stop()
        store.close()
    # Answered as a fresh question (no state to continue), not with an apology.
    assert post.body["text"] == render.escape(engine.respond("does acupuncture hurt?", None).text)
