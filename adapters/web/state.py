"""Signed conversation state: the server keeps no per-user memory, so the client carries it, HMAC-signed."""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

SECRET_ENV = "FAQBOT_STATE_SECRET"
_PREFIX = "v1"
# Tolerate small clock differences between hosts behind one load balancer.
_CLOCK_SKEW_SECONDS = 60
# Far above any state the engine issues (a few hundred characters), far below the request body limit.
_MAX_TOKEN_CHARS = 8192
# Built once: json.dumps with non-default options builds a new encoder on every call.
_compact_json = json.JSONEncoder(separators=(",", ":")).encode


def secret_from_environ(environ: Mapping[str, str]) -> bytes | None:
    """The state-signing secret from the environment, or None when it is unset or blank."""
    value = environ.get(SECRET_ENV, "").strip()
    return value.encode("utf-8") if value else None


def generate_secret() -> str:
    """A fresh random secret (URL-safe text, so it can travel through the environment)."""
    return secrets.token_urlsafe(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class StateSigner:
    """Turns engine state into an opaque signed token and back; bad or old tokens read as None."""

    def __init__(self, secret: bytes, ttl_seconds: int, clock: Callable[[], float] = time.time) -> None:
        if not secret:
            raise ValueError("the state-signing secret must not be empty")
        self._secret = secret
        self._ttl = ttl_seconds
        self._clock = clock

    def _mac(self, body: str) -> str:
        # The one-shot hmac.digest runs in C; hmac.new builds a Python HMAC object per call.
        return _b64(hmac.digest(self._secret, body.encode("ascii"), "sha256"))

    def sign(self, state: Mapping[str, Any]) -> str:
        """An opaque token carrying `state` and the time it was issued."""
        payload = _compact_json({"s": state, "t": int(self._clock())})
        body = f"{_PREFIX}.{_b64(payload.encode('utf-8'))}"
        return f"{body}.{self._mac(body)}"

    def verify(self, token: object) -> dict[str, Any] | None:
        """The state inside a genuine, unexpired token; None for anything else (never raises)."""
        # Only ASCII can be a token we issued; anything else would make the MAC's encode or compare raise.
        if not isinstance(token, str) or len(token) > _MAX_TOKEN_CHARS or not token.isascii() or token.count(".") != 2:
            return None
        body, _, mac = token.rpartition(".")
        if not body.startswith(_PREFIX + ".") or not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            payload = json.loads(_unb64(body[len(_PREFIX) + 1 :]))
        except (ValueError, RecursionError):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("s"), dict):
            return None
        issued = payload.get("t")
        now = self._clock()
        if not isinstance(issued, int) or issued > now + _CLOCK_SKEW_SECONDS or now - issued > self._ttl:
            return None
        state: dict[str, Any] = payload["s"]
        return state
