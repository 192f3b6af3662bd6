"""HTTP mode's front door: a bounded body, and Slack's signature checked on the raw bytes before any parsing."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse

from ..serving import BODY_SECONDS

log = logging.getLogger(__name__)

# Slack's own payloads are a few KB; the largest (a modal's view state) stays well under this.
MAX_BODY_BYTES = 1_048_576
# Slack's documented window; older (or future) timestamps are replays.
MAX_SKEW_SECONDS = 300


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused before it reaches bolt: an HTTP status and a short code."""

    status: int
    code: str

    def response(self) -> JSONResponse:
        """The JSON answer; the connection is closed so an unread body is not read on."""
        headers = {"connection": "close"}
        if self.status != 401:
            # A malformed or oversized delivery from Slack would fail the same way again.
            headers["x-slack-no-retry"] = "1"
        log.info("refused a request: %d %s", self.status, self.code)
        return JSONResponse({"error": self.code}, status_code=self.status, headers=headers)


def check_headers(headers: Mapping[str, str], now: float) -> Refusal | None:
    """A refusal for a request whose headers alone rule it out (size, missing or stale signature), else None."""
    length = headers.get("content-length")
    if length is not None:
        if not (length.isascii() and length.isdigit()):
            return Refusal(400, "bad_content_length")
        if int(length) > MAX_BODY_BYTES:
            return Refusal(413, "body_too_large")
    timestamp = headers.get("x-slack-request-timestamp", "")
    if not timestamp or not headers.get("x-slack-signature"):
        return Refusal(401, "unsigned")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return Refusal(400, "bad_timestamp")
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        return Refusal(401, "stale_timestamp")
    return None


def signature_ok(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """True when X-Slack-Signature is the HMAC of this exact body (check_headers has vetted the timestamp)."""
    timestamp = headers.get("x-slack-request-timestamp", "").encode("ascii")
    digest = hmac.new(secret.encode("utf-8"), b"v0:" + timestamp + b":" + body, hashlib.sha256).hexdigest()
    # Starlette decodes header values as latin-1, so any value encodes back to the bytes that were sent.
    return hmac.compare_digest(b"v0=" + digest.encode("ascii"), headers.get("x-slack-signature", "").encode("latin-1"))


class BodyTooLarge(Exception):
    """The body grew past MAX_BODY_BYTES while it was read."""


async def read_limited(stream: AsyncIterator[bytes], limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, raising BodyTooLarge as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def verified_body(
    stream: AsyncIterator[bytes], headers: Mapping[str, str], secret: str
) -> bytes | Refusal | None:
    """The raw body once its signature checks out; a Refusal otherwise; None if the client left."""
    refusal = check_headers(headers, time.time())
    if refusal is not None:
        return refusal
    try:
        async with asyncio.timeout(BODY_SECONDS):
            body = await read_limited(stream)
    except BodyTooLarge:
        return Refusal(413, "body_too_large")
    except TimeoutError:
        return Refusal(408, "body_timeout")
    except ClientDisconnect:
        return None
    if not signature_ok(secret, headers, body):
        return Refusal(401, "bad_signature")
    return body
