"""Limits both HTTP servers (`faqbot serve`, `faqbot slack --http`) share: connections, idle, headers, shutdown."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Connections plus running requests per worker before uvicorn answers new requests 503 (its limit_concurrency).
MAX_CONNECTIONS = 1000
# Idle seconds a keep-alive connection is held between requests.
KEEP_ALIVE_SECONDS = 5
# Seconds SIGTERM waits for running requests before closing their connections.
SHUTDOWN_SECONDS = 5
# Seconds to wait for a request body to arrive in full (each server answers 408 after it).
BODY_SECONDS = 10.0


# Seconds a thread may hold the GIL while another waits for it (Python's default: 0.005). The engine runs on worker
# threads beside the event loop, and a long message's thread held the GIL for up to 5 ms at a time while an everyday
# question's thread waited: bench/web_hostile.py measured everyday p50 8-10 ms with 5 hostile connections at the
# default, 4.4 ms at this value.
GIL_SWITCH_SECONDS = 0.0005


def share_the_gil_finely() -> None:
    """Let waiting threads take the GIL sooner (for a server process whose engine calls run on threads)."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


def uvicorn_options() -> dict[str, Any]:
    """Keyword arguments for uvicorn.Config / uvicorn.run that apply the limits above."""
    return {
        # A string, so that worker processes import the same class.
        "http": f"{__name__}:DeadlineProtocol",
        "limit_concurrency": MAX_CONNECTIONS,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "timeout_graceful_shutdown": SHUTDOWN_SECONDS,
    }


def _too_large() -> bytes:
    body = b'{"error":{"code":"headers_too_large","message":"The request headers are too large."}}'
    head = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\nconnection: close\r\n"
    return head + b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body


_TOO_LARGE = _too_large()


class DeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, plus a deadline and a size cap on reading each request's headers.

    uvicorn times out idle keep-alive connections but not a request whose headers trickle in (or never come), so a
    few hundred slow clients could hold every connection slot and file descriptor for ever.
    """

    # Seconds from a connection opening, or a request's first byte, to the end of its headers; then it is closed.
    header_seconds: float = 10.0
    # Bytes of request line plus headers; more gets 431 and the connection closed.
    max_header_bytes: int = 16_384

    _header_timer: asyncio.TimerHandle | None = None
    _header_bytes = 0
    _in_headers = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_clock()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self._in_headers:
            return
        # Counted after parsing: a chunk that completes the headers stops the clock, whatever body it carries.
        self._header_bytes += len(data)
        if self._header_bytes > self.max_header_bytes and not self.transport.is_closing():
            self._stop_header_clock()
            self.transport.write(_TOO_LARGE)
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._in_headers:
            self._start_header_clock()

    def on_headers_complete(self) -> None:
        self._stop_header_clock()
        super().on_headers_complete()

    def _start_header_clock(self) -> None:
        self._stop_header_clock()
        self._in_headers = True
        self._header_bytes = 0
        self._header_timer = self.loop.call_later(self.header_seconds, self._headers_timed_out)

    def _stop_header_clock(self) -> None:
        self._in_headers = False
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_timed_out(self) -> None:
        self._header_timer = None
        self._in_headers = False
        if not self.transport.is_closing():
            self.transport.close()
