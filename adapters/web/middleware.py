"""One pure-ASGI layer in front of everything: security headers and one log line per request."""

from __future__ import annotations

import hmac
import logging
import re
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
# Anything but printable ASCII (and the escape character itself) is written as an escape, so a path such as
# "/%0a200 GET /admin" cannot forge a log line or hide in one.
_UNSAFE = re.compile(r"[^\x21-\x5b\x5d-\x7e]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return r"\x20" if char == " " else char.encode("unicode_escape").decode("ascii")


def escape_field(text: str) -> str:
    """`text` as one log field: spaces, control and non-ASCII characters and backslashes as escapes."""
    return _UNSAFE.sub(_escaped, text)


class ClientNames:
    """Client addresses as short keyed hashes: one client's requests can be followed in the log, not located."""

    def __init__(self, secret: bytes | None) -> None:
        # None logs addresses as they are ([web] log_client_addresses = true).
        self._key = None if secret is None else hmac.digest(secret, b"faqbot: client addresses in logs", "sha256")

    def __call__(self, address: str) -> str:
        if self._key is None:
            return escape_field(address)
        return "h:" + hmac.digest(self._key, address.encode("utf-8", "surrogatepass"), "sha256").hex()[:12]


class FrontDoor:
    """Adds security headers to every HTTP response and logs method, path, status and latency."""

    def __init__(self, app: ASGIApp, client_names: ClientNames | None = None) -> None:
        self.app = app
        self.client_names = client_names or ClientNames(None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None

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

        failed = True
        try:
            await self.app(scope, receive, send_with_headers)
            failed = False
        finally:
            # No response and no error: the client left first (an error is answered 500 further out).
            outcome = str(status) if status is not None else ("500" if failed else "disconnected")
            self._log(scope, outcome, time.perf_counter() - started)

    def _log(self, scope: Scope, outcome: str, seconds: float) -> None:
        if not LOG.isEnabledFor(logging.INFO):
            return
        client = scope.get("client")
        host = self.client_names(client[0]) if client else "-"
        method, path = escape_field(scope["method"]), escape_field(scope["path"])
        line = f"{method} {path} {outcome} {seconds * 1000:.1f}ms client={host}"
        message = scope.get(MESSAGE_SCOPE_KEY)
        if message is not None:
            line += f" message={message!r}"
        # LOG.info() would also look up this function's file and line on every request; the log line never shows them.
        LOG.handle(LOG.makeRecord(LOG.name, logging.INFO, __file__, 0, line, (), None))
