"""The bounded stores: LRU size limit, TTL expiry and atomic check-and-set; state kept per conversation."""

from __future__ import annotations

import pytest

from adapters.slack.store import Conversations, MemoryStore, TTLCache
from faqbot.engine import Engine


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_least_recently_written_entries_are_evicted() -> None:
    cache: TTLCache[int] = TTLCache(2, 60)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 3)  # rewriting makes "a" the newest
    cache.put("c", 4)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (3, None, 4)
    assert len(cache) == 2


def test_entries_expire_after_the_ttl() -> None:
    clock = Clock()
    cache: TTLCache[str] = TTLCache(10, 60, clock)
    cache.put("a", "x")
    clock.now += 59
    cache.put("b", "y")
    assert cache.get("a") == "x"
    clock.now += 2
    assert (cache.get("a"), cache.get("b")) == (None, "y")
    clock.now += 60
    assert len(cache) == 0


def test_add_is_a_check_and_set() -> None:
    clock = Clock()
    cache: TTLCache[bool] = TTLCache(10, 60, clock)
    assert cache.add("Ev1", True)
    assert not cache.add("Ev1", True)
    clock.now += 61
    assert cache.add("Ev1", True)


def test_bad_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        TTLCache(0, 60)


def test_conversations_keep_state_per_key_and_stay_bounded(engine: Engine) -> None:
    store = MemoryStore(2)
    conversations = Conversations(engine, store, 60)
    conversations.turn("thread:C1:1", "what is dry needling?")
    in_thread = conversations.turn("thread:C1:1", "does it hurt?")
    elsewhere = conversations.turn("thread:C1:2", "does it hurt?")
    assert in_thread.state["turns"] == 2 and elsewhere.state["turns"] == 1
    conversations.turn("dm:D1", "hello")
    assert len(store) == 2
