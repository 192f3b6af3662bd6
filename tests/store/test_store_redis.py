"""Redis specifics: what is kept and for how long, and a store that goes away and comes back."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import redis
from redisserver import RedisServer, unused_url

from adapters import redis_store
from adapters.redis_store import RedisStore, describe
from adapters.slack.store import Conversations
from adapters.store import StoreDown, shared_store
from faqbot.engine import Engine
from faqbot.settings import EngineSettings


def test_logs_show_where_the_store_is_never_its_password() -> None:
    assert describe("redis://:s3cret@cache.internal:6380/2") == "redis://cache.internal:6380/2"
    assert describe("rediss://user:s3cret@cache.internal/0") == "rediss://cache.internal:6379/0"
    assert describe("unix:///run/redis.sock?password=s3cret") == "unix:/run/redis.sock"


def test_conversation_state_in_redis_is_the_state_alone_and_expires(redis_url: str) -> None:
    engine = Engine.from_settings(EngineSettings(semantic=False))
    store = RedisStore(redis_url)
    try:
        reply = Conversations(engine, store, 3600).turn("thread:C1:1", "what is dry needling?")
    finally:
        store.close()
    with redis.Redis.from_url(redis_url, decode_responses=True) as client:
        [key] = client.keys("*")
        assert key == "faqbot:slack:state:thread:C1:1"
        assert json.loads(client.get(key) or "") == reply.state  # no message text, only what the engine keeps
        assert 3_590_000 < client.pttl(key) <= 3_600_000


def test_a_store_that_goes_away_fails_fast_logs_once_and_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(redis_store, "RETRY_AFTER_SECONDS", 0.0)
    server = RedisServer(tmp_path).start()
    store = RedisStore(server.url.replace("//", "//:s3cret@"))  # a password the server ignores; logs must not show it
    try:
        assert store.add("event:Ev1", 60)
        server.stop()
        with caplog.at_level(logging.INFO, logger="adapters.redis_store"):
            for _ in range(3):
                with pytest.raises(StoreDown):
                    store.add("event:Ev2", 60)
            server.start()
            assert store.add("event:Ev2", 60)
    finally:
        store.close()
        server.stop()
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines  # one when it failed, one when it answered again; no traceback
    assert "failed (ConnectionError)" in lines[0] and "answers again" in lines[1]
    assert not any(record.exc_info for record in caplog.records)
    assert "s3cret" not in " ".join(lines)


def test_a_store_down_at_start_is_logged_not_fatal(caplog: pytest.LogCaptureFixture) -> None:
    store = shared_store(unused_url())
    assert store is not None
    store.close()
    assert any("failed (ConnectionError)" in record.getMessage() for record in caplog.records)
    assert shared_store(None) is None
