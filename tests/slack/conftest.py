"""Fixtures for the Slack adapter tests: a clean environment, the fake Slack and the app in HTTP mode."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fakeslack import FakeSlack, FakeSocketMode
from slack_bolt import App
from slackhttp import SECRET, HTTPMode

from adapters.slack.bot import SlackBot, build_app, web_client
from adapters.slack.settings import SlackSettings
from faqbot.engine import Engine
from faqbot.settings import EngineSettings

PAYLOADS = Path(__file__).parent / "payloads"
BOT_TOKEN = "xoxb-1234-5678-faqbot"
APP_TOKEN = "xapp-1-A0FAQBOT-1234-abcd"


@pytest.fixture(autouse=True)
def no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """bolt reads SLACK_* variables by itself (even switching to OAuth), so tests start without any."""
    for name in list(os.environ):
        if name.startswith("SLACK_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.from_settings(EngineSettings())


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_socket(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    socket = FakeSocketMode().start()
    fake_slack.ws_url = socket.url
    yield socket
    socket.stop()


@pytest.fixture
def executors() -> Iterator[list[ThreadPoolExecutor]]:
    """The listener executors of the apps a test builds, shut down (waiting) at the end."""
    pools: list[ThreadPoolExecutor] = []
    yield pools
    for pool in pools:
        pool.shutdown(wait=True)


@pytest.fixture
def drain(executors: list[ThreadPoolExecutor]) -> Callable[[], None]:
    """Wait until every listener already started has finished (then no more events can be handled)."""

    def wait() -> None:
        for pool in executors:
            pool.shutdown(wait=True)

    return wait


@pytest.fixture
def make_app(engine: Engine, fake_slack: FakeSlack, executors: list[ThreadPoolExecutor]) -> Callable[..., App]:
    """Build bolt Apps wired to the fake Slack (signing_secret None = Socket Mode)."""

    def make(signing_secret: str | None = SECRET, settings: SlackSettings | None = None) -> App:
        executors.append(ThreadPoolExecutor(max_workers=4))
        bot = SlackBot(engine, settings or SlackSettings())
        client = web_client(BOT_TOKEN, fake_slack.url)
        return build_app(bot, client, signing_secret=signing_secret, executor=executors[-1])

    return make


@pytest.fixture
def http_mode(make_app: Callable[..., App]) -> Iterator[HTTPMode]:
    server = HTTPMode(make_app()).start()
    yield server
    server.stop()


@pytest.fixture
def payload() -> Callable[..., dict[str, Any]]:
    """A recorded inbound payload from payloads/events/, deep-copied so tests may edit it."""

    def load(name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((PAYLOADS / "events" / f"{name}.json").read_text(encoding="utf-8"))
        return copy.deepcopy(data)

    return load
