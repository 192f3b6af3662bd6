"""A local fake of Slack for tests: a Web API over HTTP and a Socket Mode websocket server, both on 127.0.0.1."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0CLINIC"


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str  # "chat.postMessage", or "webhook" for response_url posts
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    """A canned failure returned for the next call of a method."""

    status: int
    body: dict[str, Any] | None  # None: Slack's usual answer, after `delay`
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    """Poll `predicate` until true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


class FakeSlack:
    """The Web API: records every call with its body and answers like Slack does (or with queued faults)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.faults: dict[str, list[Fault]] = {}
        self.ws_url = "ws://127.0.0.1:9/unset"
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fakeslack-http", daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to give WebClient (SLACK_API_URL)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    @property
    def webhook_url(self) -> str:
        """A response_url that posts back to this fake."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhook/T0CLINIC/1/abc"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def fail_next(self, method: str, error: str = "missing_scope", *, status: int = 200) -> None:
        """Make the next call of `method` fail with Slack error `error`."""
        self._queue(method, Fault(status, {"ok": False, "error": error}))

    def rate_limit_next(self, method: str, retry_after: int = 1) -> None:
        """Make the next call of `method` get 429 with Retry-After."""
        headers = {"Retry-After": str(retry_after)}
        self._queue(method, Fault(429, {"ok": False, "error": "ratelimited"}, headers))

    def delay_next(self, method: str, seconds: float) -> None:
        """Make the next call of `method` answer normally, but only after `seconds` (a client may time out first)."""
        self._queue(method, Fault(200, None, delay=seconds))

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of one method, in order."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until `method` was called at least `count` times; returns those calls."""
        wait_until(lambda: len(self.calls_to(method)) >= count, timeout, f"{count} x {method}")
        return self.calls_to(method)

    def _queue(self, method: str, fault: Fault) -> None:
        with self._lock:
            self.faults.setdefault(method, []).append(fault)

    def record(self, call: Call) -> Fault | None:
        with self._lock:
            self.calls.append(call)
            queued = self.faults.get(call.method)
            return queued.pop(0) if queued else None

    def answer(self, call: Call) -> dict[str, Any]:
        """Slack's success response for a call."""
        body = call.body
        if call.method == "auth.test":
            return {"ok": True, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "user": "faqbot"}
        if call.method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            message = {"type": "message", "text": body.get("text"), "bot_id": BOT_ID, "ts": ts}
            return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": message}
        if call.method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if call.method == "apps.connections.open":
            return {"ok": True, "url": self.ws_url}
        if call.method == "webhook":
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            method = "webhook" if self.path.startswith("/webhook/") else self.path.removeprefix("/api/")
            call = Call(method, self.path, {k.lower(): v for k, v in self.headers.items()}, _parse(raw, self.headers))
            fault = fake.record(call)
            token = call.headers.get("authorization", "")
            wanted = "Bearer xapp-" if method == "apps.connections.open" else "Bearer xoxb-"
            if fault is not None and fault.delay:
                time.sleep(fault.delay)
            if fault is not None and fault.body is not None:
                self._send(fault.status, fault.body, fault.headers)
            elif method != "webhook" and not token.startswith(wanted):
                self._send(200, {"ok": False, "error": "not_authed"})
            else:
                self._send(200, fake.answer(call))

        def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            # After delay_next the client may have timed out and left: exactly what that test wants.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return Handler


def _parse(raw: bytes, headers: Any) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in (headers.get("Content-Type") or ""):
        parsed: dict[str, Any] = json.loads(raw)
        return parsed
    return {k: v[0] for k, v in parse_qs(raw.decode()).items()}


class FakeSocketMode:
    """A Socket Mode websocket endpoint: says hello, sends envelopes when asked, records the app's acks."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.connections: list[ServerConnection] = []
        self._lock = threading.Lock()
        self._server: Server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fakeslack-ws", daemon=True)

    @property
    def url(self) -> str:
        """The URL apps.connections.open hands out."""
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/?ticket=test"

    def start(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)

    def send(self, envelope: dict[str, Any], timeout: float = 10.0) -> None:
        """Deliver an envelope on the newest connection (waiting for the app to connect)."""
        wait_until(lambda: bool(self.connections), timeout, "a Socket Mode connection")
        with self._lock:
            connection = self.connections[-1]
        connection.send(json.dumps(envelope))

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The app's ack for `envelope_id`."""

        def acked() -> list[dict[str, Any]]:
            with self._lock:
                return [a for a in self.acks if a.get("envelope_id") == envelope_id]

        wait_until(lambda: bool(acked()), timeout, f"the ack of {envelope_id}")
        return acked()[0]

    def _handle(self, connection: ServerConnection) -> None:
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0FAQBOT"}}
        connection.send(json.dumps(hello))
        with self._lock:
            self.connections.append(connection)
        try:
            for message in connection:
                with self._lock:
                    self.acks.append(json.loads(message))
        except ConnectionClosed:
            pass  # the app closed the socket: the test is over
