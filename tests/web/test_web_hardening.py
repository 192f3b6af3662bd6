"""Hostile input to `faqbot serve`: every input error a 4xx in the JSON shape, slow clients cut off, safe log lines."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from starlette.testclient import TestClient

from adapters.serving import DeadlineProtocol
from adapters.settings import Settings
from adapters.web import cli
from adapters.web.app import create_app
from adapters.web.limits import RateLimiter
from adapters.web.middleware import escape_field
from adapters.web.state import SECRET_ENV, StateSigner
from faqbot.engine import Engine
from faqbot.settings import SettingsError

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "state",
    ["v1.é.x", "v1.\u00e9\u00e9.\u00e9", "\ud800.a.b", "v1." + "A" * 20_000 + ".x", "a.b.c" * 3],
)
def test_odd_state_tokens_start_a_fresh_conversation(client: TestClient, signer: StateSigner, state: str) -> None:
    body = json.dumps({"message": "hello", "state": state}).encode()
    response = client.post("/api/chat", content=body, headers=JSON)
    if len(body) > 8192:
        assert response.status_code == 413
        return
    assert response.status_code == 200
    assert signer.verify(response.json()["state"])["turns"] == 1  # type: ignore[index]


def test_deeply_nested_json_is_422_not_500(client: TestClient) -> None:
    nested = b'{"message": "hi", "state": ' + b"[" * 4000 + b"]" * 4000 + b"}"
    response = client.post("/api/chat", content=nested, headers=JSON)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("message", ["\ud800 does it hurt", "\x00\x01\x7f", "\u202e\u200b" * 50, "🪡" * 500])
def test_odd_characters_in_a_message_are_answered(client: TestClient, message: str) -> None:
    response = client.post("/api/chat", content=json.dumps({"message": message}).encode(), headers=JSON)
    assert response.status_code == 200
    assert response.json()["disclaimers"]


def test_a_refused_cors_preflight_is_a_json_error(make_client: Callable[..., TestClient]) -> None:
    client = make_client(allow_origins=("https://clinic.example",))
    preflight = {"origin": "https://evil.example", "access-control-request-method": "DELETE"}
    refused = client.options("/api/chat", headers=preflight)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/json"
    error = refused.json()["error"]
    assert error["code"] == "cors_refused" and "origin" in error["message"] and "method" in error["message"]
    assert "access-control-allow-origin" not in refused.headers


def test_log_fields_are_escaped_and_clients_pseudonymised(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="faqbot.web"):
        make_client().get("/nope%0a200%20GET%20/forged")
        make_client(log_client_addresses=True).get("/healthz")
    forged, plain = (r.getMessage() for r in caplog.records if r.name == "faqbot.web")
    assert "\n" not in forged and forged.startswith(r"GET /nope\n200\x20GET\x20/forged 404 ")
    assert "client=h:" in forged and "testclient" not in forged
    assert plain.endswith("client=testclient")
    assert escape_field("a\\b é") == r"a\\b\x20\xe9"


def test_a_client_that_leaves_is_logged_as_disconnected(
    engine: Engine, run_async: Callable[[object], object], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(), b"k", engine)
    scope = {"type": "http", "method": "POST", "path": "/api/chat", "query_string": b"", "root_path": ""}
    scope |= {"headers": [(b"content-type", b"application/json")], "client": ("10.1.2.3", 1), "scheme": "http"}

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: object) -> None:
        raise AssertionError("nothing should be sent")

    with caplog.at_level(logging.INFO, logger="faqbot.web"):
        run_async(app({**scope, "server": None}, receive, send))
    [line] = [r.getMessage() for r in caplog.records if r.name == "faqbot.web"]
    assert " disconnected " in line and " 500 " not in line and "10.1.2.3" not in line


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_serve_trusts_no_proxy_by_default_and_applies_the_server_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda target, **options: seen.append(options))
    monkeypatch.setenv(SECRET_ENV, "s3cret")
    settings = Settings()
    assert cli.run(_parse(), settings) == 0
    trusted = dataclasses.replace(settings, web=dataclasses.replace(settings.web, trusted_proxies=("10.0.0.0/8",)))
    assert cli.run(_parse(), trusted) == 0
    default, behind_proxy = seen
    assert default["proxy_headers"] is False
    assert (behind_proxy["proxy_headers"], behind_proxy["forwarded_allow_ips"]) == (True, ["10.0.0.0/8"])
    for option in ("limit_concurrency", "timeout_keep_alive", "timeout_graceful_shutdown"):
        assert isinstance(default[option], int) and default[option] > 0
    assert default["http"] == "adapters.serving:DeadlineProtocol"


def test_trusted_proxies_must_be_addresses() -> None:
    bad = dataclasses.replace(Settings().web, trusted_proxies=("*",))
    with pytest.raises(SettingsError, match="trusted proxies"):
        cli.settings_with_flags(_parse(), dataclasses.replace(Settings(), web=bad))


class QuickDeadline(DeadlineProtocol):
    header_seconds = 0.3
    max_header_bytes = 2048


@pytest.fixture(scope="module")
def quick_server(engine: Engine) -> Iterator[tuple[str, int]]:
    """The API served by uvicorn with a 0.3 s header deadline and a 2 KB header cap."""
    app = create_app(Settings(), b"k", engine)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", ws="none", lifespan="off")
    config.http = QuickDeadline  # type: ignore[assignment]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield "127.0.0.1", server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    thread.join(10)


def _read_all(conn: socket.socket) -> bytes:
    data = b""
    while chunk := conn.recv(65536):
        data += chunk
    return data


def test_a_connection_whose_headers_never_finish_is_closed(quick_server: tuple[str, int]) -> None:
    with socket.create_connection(quick_server, timeout=5) as conn:
        conn.sendall(b"POST /api/chat HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert _read_all(conn) == b""  # closed without an answer
        assert 0.2 < time.monotonic() - started < 2
    with socket.create_connection(quick_server, timeout=5) as idle:
        started = time.monotonic()
        assert _read_all(idle) == b""
        assert time.monotonic() - started < 2


def test_oversized_headers_get_431(quick_server: tuple[str, int]) -> None:
    with socket.create_connection(quick_server, timeout=5) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 4000 + b"\r\n")
        answer = _read_all(conn)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["code"] == "headers_too_large"


def test_keep_alive_requests_and_a_body_in_the_header_packet_are_unaffected(quick_server: tuple[str, int]) -> None:
    body = json.dumps({"message": "x" * 3000}).encode()  # more than the header cap, in the same packet
    request = b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    request += b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    with socket.create_connection(quick_server, timeout=5) as conn:
        for _ in range(2):
            conn.sendall(request)
            head = conn.recv(65536)
            assert head.startswith(b"HTTP/1.1 422 "), head[:40]  # too long a message: read and judged, not cut
            time.sleep(0.4)  # past the header deadline between requests: the clock restarts per request


def test_a_body_that_trickles_past_the_deadline_gets_408(
    quick_server: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("adapters.web.chat.BODY_SECONDS", 0.3)
    with socket.create_connection(quick_server, timeout=5) as conn:
        conn.sendall(
            b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"
        )
        answer = conn.recv(65536)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["code"] == "timeout"


def test_a_full_rate_limit_table_forgets_the_least_recent_client_not_everyone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("adapters.web.limits._MAX_CLIENTS", 3)
    limiter = RateLimiter(2, clock=lambda: 0.0)
    assert [limiter.check("abuser"), limiter.check("abuser")] == [0.0, 0.0]
    assert limiter.check("abuser") > 0
    for other in ("a", "b", "abuser", "c", "abuser", "d"):  # new addresses fill the table; the abuser stays recent
        limiter.check(other)
    assert limiter.check("abuser") > 0  # still limited, not forgotten
    assert limiter.check("a") == 0.0  # "a" was forgotten and starts afresh
