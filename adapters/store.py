"""The one small store the adapters share state through: dedupe, conversation state and rate limits.

Two implementations: `MemoryStore` (the default, one process) and `adapters.redis_store.RedisStore` (`[store] url`),
through which any number of processes and hosts share the same dedupe, state and limits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

V = TypeVar("V")
log = logging.getLogger(__name__)


class StoreDown(Exception):
    """The shared store did not answer; the message names the failure, never a key or a value."""


class Store(Protocol):
    """What the adapters need from a store; every operation is atomic across everyone sharing it."""

    def add(self, key: str, ttl_seconds: float) -> bool:
        """Mark `key` as seen for `ttl_seconds`; True only for the first caller (add-if-absent)."""
        ...

    def get(self, key: str) -> str | None:
        """The live value stored under `key`, else None."""
        ...

    def put(self, key: str, value: str, ttl_seconds: float) -> None:
        """Store `value` under `key`, expiring `ttl_seconds` after this write."""
        ...

    def take(self, key: str, capacity: int, per_seconds: float) -> float:
        """Take a token from the bucket `key` (`capacity` tokens, refilled over `per_seconds`).

        Returns 0 when one was taken, else the seconds until one will be there (nothing is taken then).
        """
        ...

    def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...


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
            now = self._clock()
            self._expire(now)
            return sum(deadline > now for deadline, _ in self._items.values())

    def get(self, key: str) -> V | None:
        """The live value for `key`, else None."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            item = self._items.get(key)
            return None if item is None or item[0] <= now else item[1]

    def put(self, key: str, value: V, ttl: float | None = None) -> None:
        """Store `value` (for `ttl` s, default the cache's), evicting the least recently written entry when full."""
        with self._lock:
            self._put(key, value, self._clock() + (ttl or self._ttl))

    def add(self, key: str, value: V, ttl: float | None = None) -> bool:
        """Store `value` only if `key` is absent; True when it was added (an atomic check-and-set)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            item = self._items.get(key)
            if item is not None and item[0] > now:
                return False
            self._put(key, value, now + (ttl or self._ttl))
            return True

    def _put(self, key: str, value: V, deadline: float) -> None:
        self._items[key] = (deadline, value)
        self._items.move_to_end(key)
        while len(self._items) > self._max:
            self._items.popitem(last=False)

    def _expire(self, now: float) -> None:
        # Each use writes with one TTL, so write order is expiry order; an entry given a different TTL is still
        # checked against its own deadline when read.
        while self._items:
            key, (deadline, _) = next(iter(self._items.items()))
            if deadline > now:
                break
            del self._items[key]


class MemoryStore:
    """The embedded store: this process only, bounded to `max_items` entries and `max_items` buckets."""

    def __init__(self, max_items: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._items: TTLCache[str] = TTLCache(max_items, 3600.0, clock)
        self._max = max_items
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def add(self, key: str, ttl_seconds: float) -> bool:
        """Mark `key` as seen for `ttl_seconds`; True only the first time."""
        return self._items.add(key, "1", ttl_seconds)

    def get(self, key: str) -> str | None:
        """The live value stored under `key`, else None."""
        return self._items.get(key)

    def put(self, key: str, value: str, ttl_seconds: float) -> None:
        """Store `value` under `key` for `ttl_seconds`."""
        self._items.put(key, value, ttl_seconds)

    def take(self, key: str, capacity: int, per_seconds: float) -> float:
        """A token bucket per key; the least recently used bucket goes when there are too many."""
        rate = capacity / per_seconds
        with self._lock:
            now = self._clock()
            # Popped and re-inserted, so the dict's order is least recently used first.
            tokens, last = self._buckets.pop(key, (float(capacity), now))
            tokens = min(float(capacity), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[key] = (tokens - 1.0, now)
            while len(self._buckets) > self._max:
                # Forgetting the least recent client, not clearing the table, keeps everyone else limited.
                del self._buckets[next(iter(self._buckets))]
            return 0.0

    def close(self) -> None:
        """Nothing to release."""


def shared_store(url: str | None) -> Store | None:
    """The shared store `[store] url` names, checked once (a failure is logged, not fatal); None when unset."""
    if url is None:
        return None
    from .redis_store import RedisStore  # only deployments that name a Redis import its client

    store = RedisStore(url)
    if store.ping():
        log.info("sharing dedupe, conversation state and rate limits through %s", store.where)
    return store
