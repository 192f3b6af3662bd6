"""Bounded in-memory stores: an LRU with a TTL, used for conversation state and for seen event ids."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from faqbot.engine import Engine
from faqbot.models import Reply

V = TypeVar("V")


class TTLCache(Generic[V]):
    """A thread-safe map of the `max_items` latest-written entries, each expiring `ttl` s after writing."""

    def __init__(self, max_items: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        if max_items < 1 or ttl <= 0:
            raise ValueError("max_items and ttl must be positive")
        self._items: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._max = max_items
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._items)

    def get(self, key: str) -> V | None:
        """The live value for `key`, else None."""
        with self._lock:
            self._expire(self._clock())
            item = self._items.get(key)
            return None if item is None else item[1]

    def put(self, key: str, value: V) -> None:
        """Store `value`, evicting the least recently used entry when full."""
        with self._lock:
            self._put(key, value, self._clock())

    def add(self, key: str, value: V) -> bool:
        """Store `value` only if `key` is absent; True when it was added (an atomic check-and-set)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            if key in self._items:
                return False
            self._put(key, value, now)
            return True

    def _put(self, key: str, value: V, now: float) -> None:
        self._items[key] = (now + self._ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self._max:
            self._items.popitem(last=False)

    def _expire(self, now: float) -> None:
        # Writes move an entry to the end and the TTL is fixed, so write order is expiry order.
        while self._items:
            key, (deadline, _) = next(iter(self._items.items()))
            if deadline > now:
                break
            del self._items[key]


class Conversations:
    """Conversation state per thread or DM: the only thing the adapter remembers about people."""

    def __init__(self, engine: Engine, states: TTLCache[dict[str, Any]]) -> None:
        self._engine = engine
        self._states = states
        # A turn is get-respond-put; the lock stops two messages in one thread losing a turn (about 1 ms a turn, a few
        # ms for a 1,000-character message).
        self._lock = threading.Lock()

    def turn(self, key: str, text: str) -> Reply:
        """Answer `text` in conversation `key` and remember the new state."""
        with self._lock:
            reply = self._engine.respond(text, self._states.get(key))
            self._states.put(key, reply.state)
            return reply

    def __len__(self) -> int:
        return len(self._states)
