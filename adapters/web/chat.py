"""POST /api/chat as a bare ASGI app.

This is the one hot path of `faqbot serve`, so it skips Starlette's Request and Response objects: it reads the two
headers it needs straight from the scope and sends the encoded reply in two ASGI messages. Every other route is an
ordinary Starlette endpoint.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from typing import Any

from starlette.types import Receive, Scope, Send

from adapters.web.limits import BodyTooLarge, ClientGone, RateLimiter, read_body
from adapters.web.middleware import MESSAGE_SCOPE_KEY
from adapters.web.state import StateSigner
from faqbot.engine import Engine
from faqbot.settings import WebSettings

# The same bytes Starlette's JSONResponse would produce, from one encoder built once instead of per response.
encode_json = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
_NO_STORE = (b"cache-control", b"no-store")
_JSON = (b"content-type", b"application/json")
RawHeaders = list[tuple[bytes, bytes]]
# Engine calls (~0.5 ms each) per loop iteration. Measured with bench/web_bench.py on one worker: 2 cost 8-12 %
# more CPU per request, 8 still left the last new connections of a burst waiting 0.3-0.5 s, 4 costs no measurable CPU.
_ENGINE_CALLS_PER_ITERATION = 4


def error_content(code: str, message: str, retry_after: int | None = None) -> tuple[dict[str, Any], RawHeaders]:
    """The JSON error shape every failure uses, {"error": {"code", "message"}}, and its extra headers."""
    content: dict[str, Any] = {"error": {"code": code, "message": message}}
    headers = [_NO_STORE]
    if retry_after is not None:
        content["retry_after"] = retry_after
        headers.append((b"retry-after", str(retry_after).encode("ascii")))
    return content, headers


def _rate_limited(wait: float) -> tuple[int, dict[str, Any], RawHeaders]:
    message = "You're sending messages quickly. Please wait a moment and try again."
    return 429, *error_content("rate_limited", message, retry_after=int(wait))


def parse_chat_request(body: bytes, max_chars: int) -> tuple[str, object] | str:
    """(message, state token) from a request body, or a one-line reason it is unusable."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return "The request body is not valid JSON."
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return 'The request must be a JSON object with a "message" string.'
    message: str = data["message"]
    if len(message) > max_chars:
        return f"Please keep your message under {max_chars:,} characters."
    return message, data.get("state")


def _content_headers(scope: Scope) -> tuple[bytes, bytes]:
    """(media type, Content-Length) of the request; ASGI servers give header names in lower case."""
    media_type = length = None
    for name, value in scope["headers"]:
        if name == b"content-type" and media_type is None:
            media_type = value.split(b";", 1)[0].strip().lower()
        elif name == b"content-length" and length is None:
            length = value
    return media_type or b"", length or b""


class TurnTaking:
    """Lets at most `per_iteration` engine calls run per event-loop iteration; the others queue for later ones.

    uvloop (libuv) accepts at most one new connection per loop iteration, and one iteration runs every request that
    arrived during the previous one: at full load 25-50 engine calls, 20-35 ms. A burst of new connections was then
    accepted one every 20-35 ms, so the last of 50 waited about a second for its first reply. With a cap the loop
    returns to its sockets every few milliseconds. Waiting requests run in the order they arrived, each woken once.
    """

    def __init__(self, per_iteration: int) -> None:
        self._limit = per_iteration
        self._used = 0  # engine calls let through since the last tick
        self._queue: deque[asyncio.Future[None]] = deque()
        # The loop on which a tick is queued; None once a tick found nothing left to do.
        self._ticking_on: asyncio.AbstractEventLoop | None = None

    async def wait(self) -> None:
        """Return when this request may run."""
        loop = asyncio.get_running_loop()
        if self._ticking_on is not loop:
            # Idle until now (or the loop that was ticking has stopped, leaving its waiters behind): start afresh.
            self._used = 0
            self._queue.clear()
            self._ticking_on = loop
            loop.call_soon(self._tick)
        if not self._queue and self._used < self._limit:
            self._used += 1
            return
        turn = loop.create_future()
        self._queue.append(turn)
        await turn

    def _tick(self) -> None:
        # Runs once per loop iteration while there is work: wakes the next few waiters, which run in the next
        # iteration (their wake-ups are queued before this tick's successor).
        self._used = 0
        while self._queue and self._used < self._limit:
            turn = self._queue.popleft()
            if not turn.done():  # a cancelled waiter needs no turn
                turn.set_result(None)
                self._used += 1
        if self._queue or self._used:
            asyncio.get_running_loop().call_soon(self._tick)
        else:
            self._ticking_on = None


class ChatEndpoint:
    """One conversation turn per request, sharing one engine, signer and rate limiter (per process)."""

    def __init__(self, engine: Engine, web: WebSettings, secret: bytes) -> None:
        self.engine = engine
        self.web = web
        self.signer = StateSigner(secret, web.state_ttl_seconds)
        self.limiter = RateLimiter(web.rate_limit_per_minute)
        self.turns = TurnTaking(_ENGINE_CALLS_PER_ITERATION)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            status, content, headers = await self._turn(scope, receive)
        except ClientGone:
            return  # nobody is left to answer
        body = encode_json(content).encode("utf-8")
        headers = [_JSON, (b"content-length", str(len(body)).encode("ascii")), *headers]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _turn(self, scope: Scope, receive: Receive) -> tuple[int, dict[str, Any], RawHeaders]:
        media_type, declared = _content_headers(scope)
        if media_type != b"application/json":
            return 415, *error_content("unsupported_media_type", "Send the message as application/json.")
        client = scope.get("client")
        wait = self.limiter.check(client[0] if client else "-")
        try:
            body = await read_body(receive, declared, self.web.max_body_bytes)
        except BodyTooLarge:
            if wait:
                return _rate_limited(wait)
            return 413, *error_content("too_large", "That message is too long to send.")
        parsed = parse_chat_request(body, self.web.max_message_chars)
        if isinstance(parsed, str):
            if wait:
                return _rate_limited(wait)
            return 422, *error_content("invalid_request", parsed)
        message, token = parsed
        # Safety first: the emergency instruction is never withheld, so over the limit only a red flag goes on.
        if wait and not self.engine.red_flags.read(message).current:
            return _rate_limited(wait)
        if self.web.log_messages:
            scope[MESSAGE_SCOPE_KEY] = message
        await self.turns.wait()
        # A forged, expired or missing state simply starts a fresh conversation.
        reply = self.engine.respond(message, self.signer.verify(token))
        data = reply.to_dict()
        data["state"] = self.signer.sign(reply.state)
        return 200, data, [_NO_STORE]
