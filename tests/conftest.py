"""Suite-wide fixtures: no log line at INFO or above carries what someone asked the engine; a real Redis."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redisserver import RedisServer

from faqbot.cache import default_cache_dir
from faqbot.engine import Engine

# Loggers that do not propagate to the root logger, so a handler on the root alone would not see their lines.
_OWN_HANDLERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "faqbot.web", "faqbot.reload")
# Shorter texts ("hi", "reset") are words a log line may contain for other reasons.
_MIN_CHARS = 8
MARKER = "logs_message_text"
_DATA_KEY = pytest.StashKey[tuple[str | None, str]]()


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        with self._guard:
            self.lines.append(f"{record.name}: {text}")


_DATA_ENV = "XDG_DATA_HOME"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: the test switches message logging on, so the check is skipped")
    # Apps built with default settings record insights in the default data folder: a throwaway one, not the home's.
    config.stash[_DATA_KEY] = (os.environ.get(_DATA_ENV), tempfile.mkdtemp(prefix="faqbot-data-"))
    os.environ[_DATA_ENV] = config.stash[_DATA_KEY][1]


def pytest_unconfigure(config: pytest.Config) -> None:
    before, folder = config.stash.get(_DATA_KEY, (None, ""))
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        if before is None:
            os.environ.pop(_DATA_ENV, None)
        else:
            os.environ[_DATA_ENV] = before


@pytest.fixture(autouse=True)
def no_message_text_in_logs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Record every text the engine is asked during the test; fail if a log line of INFO or above repeats one."""
    asked: set[str] = set()
    respond = Engine.respond

    def recording(self: Engine, text: str, *args: Any, **kwargs: Any) -> Any:
        if len(text.strip()) >= _MIN_CHARS:
            asked.add(text.strip())
        return respond(self, text, *args, **kwargs)

    monkeypatch.setattr(Engine, "respond", recording)
    handler = _Lines()
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in _OWN_HANDLERS)]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    if request.node.get_closest_marker(MARKER):
        return
    leaked = sorted({line for line in handler.lines for text in asked if text in line})
    if leaked:
        pytest.fail(f"message text in {len(leaked)} log line(s), e.g. {leaked[0][:300]!r}", pytrace=False)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server shared by the session's tests (skipped, saying why, when the binary is absent)."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of an emptied Redis database."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture(scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder of the test session's own, seeded with the user's: tests that edit a corpus write their index
    and embeddings here, so they never push the bundled corpus's out of the shared cache (it keeps 8 of each kind)."""
    folder = tmp_path_factory.mktemp("cache")
    shared = default_cache_dir()
    if shared.is_dir():
        for path in shared.glob("*.npz"):
            shutil.copy2(path, folder / path.name)
    return folder
