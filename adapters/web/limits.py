"""Request limits: a rate limiter over the shared store (or this process's memory) and a bounded body reader."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from starlette.types import Receive

from ..store import MemoryStore, Store

# At most this many clients are tracked (memory stays bounded under many addresses); the least recently seen goes.
_MAX_CLIENTS = 50_000
RATE_PREFIX = "web:rate:"


class BodyTooLarge(Exception):
    """The request body is larger than allowed."""


class RateLimiter:
    """A token bucket per client key: `per_minute` requests a minute, with bursts up to that many.

    The buckets live in `store`: shared by every worker and host on Redis, else in this process's memory.
    """

    def __init__(
        self, per_minute: int, clock: Callable[[], float] = time.monotonic, store: Store | None = None
    ) -> None:
        self._per_minute = per_minute
        self._store = store or MemoryStore(_MAX_CLIENTS, clock)
        # A shared store is a network round trip, which the caller keeps off its event loop.
        self.shared = store is not None

    def check(self, key: str) -> float:
        """0 when the request may proceed (and is counted), else the whole seconds to wait (raises StoreDown)."""
        wait = self._store.take(RATE_PREFIX + key, self._per_minute, 60.0)
        return 0.0 if wait <= 0 else max(1.0, math.ceil(wait))


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
