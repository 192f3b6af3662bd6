"""Web adapter fixtures: an app per test via TestClient; a live server plus Chromium for the browser."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import os
import threading
import time
import warnings
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
import uvicorn

with warnings.catch_warnings():
    # Starlette prefers httpx2 and warns when it falls back to httpx; either client works for these tests.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from starlette.testclient import TestClient

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from widget_harness import DESKTOP, Widget, open_widget_page

from adapters.settings import Settings
from adapters.web.app import create_app
from adapters.web.state import StateSigner
from faqbot.engine import Engine

T = TypeVar("T")
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


def _run_elsewhere(coroutine: Coroutine[Any, Any, T]) -> T:
    # Playwright's sync API keeps an event loop running in the main thread once the browser tests have started.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def run_async() -> Callable[[Coroutine[Any, Any, T]], T]:
    """Run a coroutine to completion on a fresh event loop in another thread."""
    return _run_elsewhere


@pytest.fixture
def signer() -> StateSigner:
    """Reads the state tokens that the test apps issue."""
    return StateSigner(SECRET, 3600)


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


def _clinic_app() -> Starlette:
    """A stand-in clinic website on another origin that embeds the widget with one tag."""

    async def page(request: Request) -> HTMLResponse:
        api = request.app.state.api
        color = html.escape(request.query_params.get("color", ""))
        return HTMLResponse(
            '<!doctype html><html lang="en"><head><title>Test Clinic</title></head><body><main><h1>Clinic</h1>'
            f'</main><script src="{api}/widget.js" async data-api="{api}" data-clinic-name="Test Clinic" '
            f'data-color="{color}"></script></body></html>'
        )

    return Starlette(routes=[Route("/", page)])


@pytest.fixture(scope="session")
def servers(engine: Engine) -> Iterator[tuple[str, str]]:
    """(API server URL, clinic site URL): real servers on loopback; the API allows the clinic's origin."""
    clinic = _clinic_app()
    with LiveServer(clinic) as clinic_url:
        settings = Settings()
        # The rate limit is raised so the browser tests never hit it; 429 is tested through TestClient.
        web = dataclasses.replace(settings.web, rate_limit_per_minute=10_000, allow_origins=(clinic_url,))
        with LiveServer(create_app(dataclasses.replace(settings, web=web), SECRET, engine)) as api_url:
            clinic.state.api = api_url
            yield api_url, clinic_url


@pytest.fixture(scope="session")
def live_url(servers: tuple[str, str]) -> str:
    """Base URL of the real API server (its / is the demo page)."""
    return servers[0]


@pytest.fixture(scope="session")
def clinic_url(servers: tuple[str, str]) -> str:
    """Base URL of the stand-in clinic site."""
    return servers[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright; skipped without it, except under CI where that is a failure."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + " and CI is set")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def make_widget(browser: Any) -> Iterator[Callable[..., Widget]]:
    """Build a Widget on the stand-in clinic site: viewport size, data- attributes, context options (color_scheme)."""
    widgets: list[Widget] = []

    def build(size: dict[str, int] = DESKTOP, attributes: dict[str, str] | None = None, **options: Any) -> Widget:
        widgets.append(open_widget_page(browser, size, attributes or {}, **options))
        return widgets[-1]

    yield build
    for widget in widgets:
        widget.page.context.close()
