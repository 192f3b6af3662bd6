"""Test helpers for HTTP mode: a running server in a thread and a client that signs requests like Slack."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_bolt import App

from adapters.slack.server import EVENTS_PATH, bind, http_server

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def signature_headers(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """The X-Slack-Signature and X-Slack-Request-Timestamp headers Slack would send for `body`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


class HTTPMode:
    """The adapter's HTTP mode served by uvicorn on an ephemeral port, with a signing client."""

    def __init__(self, app: App) -> None:
        self._sock = bind("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}{EVENTS_PATH}"
        self._server = http_server(app, SECRET, self._sock)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)
        self.client = httpx.Client(timeout=10)

    def start(self) -> HTTPMode:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise AssertionError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.client.close()
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()

    def post(self, body: bytes, content_type: str, **headers: str) -> httpx.Response:
        """POST raw bytes, signed unless the caller passes its own signature headers."""
        signed = {**signature_headers(body), "Content-Type": content_type}
        signed.update({k.replace("_", "-"): v for k, v in headers.items()})
        return self.client.post(self.url, content=body, headers=signed)

    def event(self, payload: dict[str, Any], **headers: str) -> httpx.Response:
        """Deliver an Events API payload as JSON."""
        return self.post(json.dumps(payload).encode(), "application/json", **headers)

    def form(self, fields: dict[str, str], **headers: str) -> httpx.Response:
        """Deliver a slash command (form fields)."""
        return self.post(urlencode(fields).encode(), "application/x-www-form-urlencoded", **headers)

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        """Deliver an interactivity payload (payload=<JSON>) such as a button click."""
        return self.form({"payload": json.dumps(payload)})
