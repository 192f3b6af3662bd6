"""Request limits that need no shared store: a per-process rate limiter and a bounded body reader."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from starlette.types import Receive

# At most this many clients are tracked (memory stays bounded under many addresses); the least recently seen goes.
_MAX_CLIENTS = 50_000


class BodyTooLarge(Exception):
    """The request body is larger than allowed."""


class RateLimiter:
    """A token bucket per client key: `per_minute` requests a minute, with bursts up to that many."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def check(self, key: str) -> float:
        """0 when the request may proceed (and is counted), else the seconds to wait before retrying."""
        now = self._clock()
        # Popped and re-inserted, so the dict's order is least recently seen first.
        tokens, last = self._buckets.pop(key, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - last) * self._rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return max(1.0, math.ceil((1.0 - tokens) / self._rate))
        self._buckets[key] = (tokens - 1.0, now)
        while len(self._buckets) > _MAX_CLIENTS:
            # The least recently seen client goes first; clearing the whole table let every client start afresh.
            del self._buckets[next(iter(self._buckets))]
        return 0.0


class ClientGone(Exception):
    """The client disconnected before its request body arrived."""


async def read_body(receive: Receive, declared: bytes, limit: int) -> bytes:
    """The request body from ASGI `receive`, raising BodyTooLarge as soon as it exceeds `limit` bytes.

    `declared` is the Content-Length header (b"" when absent): a body declared too large is refused unread.
    """
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            # One chunk is the usual case; skip the join's copy then.
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
