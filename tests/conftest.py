"""Suite-wide check: no log line at INFO or above, from any logger, carries what someone asked the engine."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from faqbot.cache import default_cache_dir
from faqbot.engine import Engine

# Loggers that do not propagate to the root logger, so a handler on the root alone would not see their lines.
_OWN_HANDLERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "faqbot.web", "faqbot.reload")
# Shorter texts ("hi", "reset") are words a log line may contain for other reasons.
_MIN_CHARS = 8
MARKER = "logs_message_text"


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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: the test switches message logging on, so the check is skipped")


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
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder of the test session's own, seeded with the user's: tests that edit a corpus write their index
    and embeddings here, so they never push the bundled corpus's out of the shared cache (it keeps 8 of each kind)."""
    folder = tmp_path_factory.mktemp("cache")
    shared = default_cache_dir()
    if shared.is_dir():
        for path in shared.glob("*.npz"):
            shutil.copy2(path, folder / path.name)
    return folder
