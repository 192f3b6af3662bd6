"""Fixtures for the web adapter: an app per test through TestClient, and a live server plus Chromium for browser tests."""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn

with warnings.catch_warnings():
    # Starlette prefers httpx2 and warns when it falls back to httpx; either client works for these tests.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from starlette.testclient import TestClient

from adapters.web.app import create_app
from faqbot.engine import Engine
from faqbot.settings import Settings

SECRET = b"test-secret"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def engine() -> Engine:
    """One engine over the bundled corpus, shared because it is pure."""
    return Engine.from_settings(Settings().engine)


@pytest.fixture
def make_client(engine: Engine) -> Callable[..., TestClient]:
    """Build a TestClient for an app whose [web] settings are overridden by keyword."""

    def build(**web: Any) -> TestClient:
        settings = Settings()
        settings = dataclasses.replace(settings, web=dataclasses.replace(settings.web, **web))
        return TestClient(create_app(settings, SECRET, engine), base_url="http://testserver")

    return build


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A client for an app with default settings."""
    return make_client()


class LiveServer:
    """uvicorn serving the app in a thread on an ephemeral port."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", ws="none", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_url(engine: Engine) -> Iterator[str]:
    """Base URL of a real server (rate limit raised so the browser tests never hit it)."""
    settings = Settings()
    settings = dataclasses.replace(
        settings, web=dataclasses.replace(settings.web, rate_limit_per_minute=10_000)
    )
    with LiveServer(create_app(settings, SECRET, engine)) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright; skipped without it, except under CI where that is a failure."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + " and CI is set")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
