"""POST /api/chat as a bare ASGI app.

This is the one hot path of `faqbot serve`, so it skips Starlette's Request and Response objects: it reads the two
headers it needs straight from the scope and sends the encoded reply in two ASGI messages. Every other route is an
ordinary Starlette endpoint.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Receive, Scope, Send

from faqbot.engine import Engine
from faqbot.insights import Insights
from faqbot.models import Reply

from ..reloading import EngineHolder
from ..serving import BODY_SECONDS
from ..store import Store, StoreDown
from .limits import BodyTooLarge, ClientGone, RateLimiter, read_body
from .middleware import MESSAGE_SCOPE_KEY, ClientNames
from .pool import Busy, Lanes
from .settings import WebSettings
from .state import StateSigner

# The same bytes Starlette's JSONResponse would produce, from one encoder built once instead of per response.
encode_json = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
_NO_STORE = (b"cache-control", b"no-store")
_JSON = (b"content-type", b"application/json")
RawHeaders = list[tuple[bytes, bytes]]


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


def _busy(retry_after: int) -> tuple[int, dict[str, Any], RawHeaders]:
    message = "The assistant is busy right now. Please try again in a moment."
    return 503, *error_content("busy", message, retry_after=retry_after)


def parse_chat_request(body: bytes) -> tuple[str, object] | str:
    """(message, state token) from a request body, or a one-line reason it is unusable."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested deeper than Python's recursion limit
        return "The request body is not valid JSON."
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return 'The request must be a JSON object with a "message" string.'
    return data["message"], data.get("state")


def _too_long(max_chars: int) -> tuple[int, dict[str, Any], RawHeaders]:
    return 422, *error_content("invalid_request", f"Please keep your message under {max_chars:,} characters.")


def _content_headers(scope: Scope) -> tuple[bytes, bytes]:
    """(media type, Content-Length) of the request; ASGI servers give header names in lower case."""
    media_type = length = None
    for name, value in scope["headers"]:
        if name == b"content-type" and media_type is None:
            media_type = value.split(b";", 1)[0].strip().lower()
        elif name == b"content-length" and length is None:
            length = value
    return media_type or b"", length or b""


class ChatEndpoint:
    """One conversation turn per request, sharing one engine, signer and rate limiter (in `store` when given)."""

    def __init__(
        self,
        engine: Engine | EngineHolder,
        web: WebSettings,
        secret: bytes,
        store: Store | None = None,
        insights: Insights | None = None,
    ) -> None:
        self.holder = EngineHolder.of(engine)
        self.web = web
        self.insights = insights
        self.signer = StateSigner(secret, web.state_ttl_seconds)
        self.limiter = RateLimiter(web.rate_limit_per_minute, store=store)
        # A shared store holds keyed hashes of client addresses, not the addresses.
        self.client_key = ClientNames(secret) if store is not None else ClientNames(None)
        self.lanes = Lanes()

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
        refusal = await self._limit(scope)
        try:
            async with asyncio.timeout(BODY_SECONDS):
                body = await read_body(receive, declared, self.web.max_body_bytes)
        except BodyTooLarge:
            if refusal:
                return refusal
            return 413, *error_content("too_large", "That message is too long to send.")
        except TimeoutError:
            return 408, *error_content("timeout", "The message took too long to arrive. Please send it again.")
        parsed = parse_chat_request(body)
        if isinstance(parsed, str):
            if refusal:
                return refusal
            return 422, *error_content("invalid_request", parsed)
        message, token = parsed
        # Taken once: a reload during this request does not change the engine it is answered with.
        engine = self.holder.engine
        if len(message) > self.web.max_message_chars:
            # Too long to answer, but an emergency in it is still answered (read in the engine's pool: a long
            # crafted message costs the red-flag patterns more than the event loop should wait).
            emergency = await self._emergency_only(engine, message, token)
            return emergency or refusal or _too_long(self.web.max_message_chars)
        # Safety first: the emergency instruction is never withheld, so over the limit (or with the store down)
        # only a red flag goes on.
        if refusal and not engine.red_flags.read(message).current:
            return refusal
        if self.web.log_messages:
            scope[MESSAGE_SCOPE_KEY] = message
        # A forged, expired or missing state simply starts a fresh conversation.
        state = self.signer.verify(token)
        try:
            reply = await self.lanes.for_message(message).run(lambda: engine.respond(message, state))
        except Busy as busy:
            urgent = self._urgent(engine, message, state)
            if urgent is None:
                return _busy(busy.retry_after)
            reply = urgent
        return self._answered(reply, message)

    async def _emergency_only(
        self, engine: Engine, message: str, token: object
    ) -> tuple[int, dict[str, Any], RawHeaders] | None:
        """The emergency reply to a message too long to answer otherwise; None when it raises no red flag now."""
        state = self.signer.verify(token)
        try:
            reply = await self.lanes.for_message(message).run(lambda: self._urgent(engine, message, state))
        except Busy:
            # Over capacity, read on the event loop as any message is: its first permitted characters only.
            reply = self._urgent(engine, message[: self.web.max_message_chars], state)
        if reply is None:
            return None
        return self._answered(reply, message)

    def _answered(self, reply: Reply, message: str) -> tuple[int, dict[str, Any], RawHeaders]:
        """The 200 response to a reply, its state signed, its outcome recorded."""
        if self.insights is not None:
            self.insights.outcome(reply, "web", message)
        data = reply.to_dict()
        data["state"] = self.signer.sign(reply.state)
        return 200, data, [_NO_STORE]

    async def _limit(self, scope: Scope) -> tuple[int, dict[str, Any], RawHeaders] | None:
        """The answer for a client over its rate limit (429), or when the shared store is down (503); else None."""
        client = scope.get("client")
        key = self.client_key(client[0] if client else "-")
        try:
            wait = await asyncio.to_thread(self.limiter.check, key) if self.limiter.shared else self.limiter.check(key)
        except StoreDown:
            return _busy(1)  # the store logged the outage; "busy" is what the widget and clients already handle
        return _rate_limited(wait) if wait else None

    def _urgent(self, engine: Engine, message: str, state: dict[str, Any] | None) -> Reply | None:
        """The emergency reply, answered here and now, when the message raises a red flag happening now.

        Over capacity the emergency instruction is still never withheld: triage and the emergency reply take well
        under a millisecond, so they run on the event loop instead of waiting for a thread.
        """
        if not engine.red_flags.read(message).current:
            return None
        return engine.respond(message, state)
