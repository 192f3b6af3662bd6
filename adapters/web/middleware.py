"""One pure-ASGI layer in front of everything: security headers and one log line per request."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger("faqbot.web")
# Handlers may put the message here when logging message text was explicitly switched on.
MESSAGE_SCOPE_KEY = "faqbot.message"

_SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
# Responses that set no policy of their own (JSON, scripts) get one that allows nothing.
_DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"


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
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS.items():
                    headers[name] = value
                if "content-security-policy" not in headers:
                    headers["content-security-policy"] = _DEFAULT_CSP
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            _log(scope, status, time.perf_counter() - started)


def _log(scope: Scope, status: int, seconds: float) -> None:
    client = scope.get("client")
    host = client[0] if client else "-"
    line = f"{scope['method']} {scope['path']} {status} {seconds * 1000:.1f}ms client={host}"
    message = scope.get(MESSAGE_SCOPE_KEY)
    if message is not None:
        line += f" message={message!r}"
    LOG.info(line)
