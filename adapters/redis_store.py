"""The shared store on Redis: every operation is one atomic command or script, so N processes agree."""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .store import StoreDown

log = logging.getLogger(__name__)

PREFIX = "faqbot:"
# A store that does not answer within this long counts as down: callers are waiting to answer someone.
TIMEOUT_SECONDS = 1.0
# After a failure, calls fail at once for this long instead of each waiting for a timeout (and each logging).
RETRY_AFTER_SECONDS = 1.0

# A token bucket in one script, on the server's clock, so hosts with drifting clocks still share one limit.
# Returns the wait as a string: Redis would truncate a Lua number to an integer.
_TAKE = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or capacity
local at = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens < 1 then
  wait = (1 - tokens) / rate
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000))
return tostring(wait)
"""


def describe(url: str) -> str:
    """The URL as logs may show it: scheme, host, port and database, never a password."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix:{parts.path}"
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))


class RedisStore:
    """`adapters.store.Store` on Redis: SET NX PX, GET, SET PX and a token-bucket script."""

    def __init__(self, url: str) -> None:
        self.where = describe(url)
        self._client: redis.Redis = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=TIMEOUT_SECONDS,
            socket_connect_timeout=TIMEOUT_SECONDS,
            # One immediate retry covers a pooled connection the server closed (a Redis restart); no more.
            retry=Retry(NoBackoff(), 1),
            health_check_interval=30,
        )
        self._take = self._client.register_script(_TAKE)
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def add(self, key: str, ttl_seconds: float) -> bool:
        """SET key 1 NX PX ttl: True only for the first caller anywhere."""
        return bool(self._call(self._client.set, PREFIX + key, "1", nx=True, px=_ms(ttl_seconds)))

    def get(self, key: str) -> str | None:
        """GET key."""
        value = self._call(self._client.get, PREFIX + key)
        return None if value is None else str(value)

    def put(self, key: str, value: str, ttl_seconds: float) -> None:
        """SET key value PX ttl."""
        self._call(self._client.set, PREFIX + key, value, px=_ms(ttl_seconds))

    def take(self, key: str, capacity: int, per_seconds: float) -> float:
        """One token from a bucket kept in Redis (a hash that expires once it would be full again)."""
        wait = self._call(self._take, keys=[PREFIX + key], args=[capacity, capacity / per_seconds])
        return float(wait)

    def ping(self) -> bool:
        """True when the store answers now (a start-up check; failures are logged once like any other)."""
        try:
            return bool(self._call(self._client.ping))
        except StoreDown:
            return False

    def close(self) -> None:
        """Close every pooled connection."""
        self._client.close()

    def _call(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        if self._down and time.monotonic() < self._down_until:
            raise StoreDown(f"the shared store at {self.where} is unreachable")
        try:
            result = command(*args, **kwargs)
        except (redis.RedisError, OSError) as error:
            self._failed(error)
            raise StoreDown(f"the shared store at {self.where} failed: {type(error).__name__}") from None
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    log.warning("the shared store at %s answers again", self.where)
        return result

    def _failed(self, error: BaseException) -> None:
        with self._lock:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            if self._down:
                return
            self._down = True
        # Only the error's class: its text can quote a command, and commands carry keys and values.
        log.warning(
            "the shared store at %s failed (%s); retrying it in %.0f s, meanwhile without it",
            self.where,
            type(error).__name__,
            RETRY_AFTER_SECONDS,
        )
