"""One pure-ASGI layer in front of everything: security headers and one log line per request."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger("faqbot.web")
# Handlers may put the message here when logging message text was explicitly switched on.
MESSAGE_SCOPE_KEY = "faqbot.message"

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_SECURITY_NAMES = frozenset(name for name, _ in _SECURITY_HEADERS)
_CSP = b"content-security-policy"
# Responses that set no policy of their own (JSON, scripts) get one that allows nothing.
_DEFAULT_CSP = (_CSP, b"default-src 'none'; frame-ancestors 'none'")


class FrontDoor:
    """Adds security headers to every HTTP response and logs method, path, status and latency."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # Raw (lower-case name, value) pairs, as ASGI gives them: cheaper than MutableHeaders per response.
                headers = [pair for pair in message.get("headers", ()) if pair[0] not in _SECURITY_NAMES]
                if not any(name == _CSP for name, _ in headers):
                    headers.append(_DEFAULT_CSP)
                message["headers"] = headers + _SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            _log(scope, status, time.perf_counter() - started)


def _log(scope: Scope, status: int, seconds: float) -> None:
    if not LOG.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    host = client[0] if client else "-"
    line = f"{scope['method']} {scope['path']} {status} {seconds * 1000:.1f}ms client={host}"
    message = scope.get(MESSAGE_SCOPE_KEY)
    if message is not None:
        line += f" message={message!r}"
    # LOG.info() would also look up this function's file and line on every request; the log line never shows them.
    LOG.handle(LOG.makeRecord(LOG.name, logging.INFO, __file__, 0, line, (), None))
