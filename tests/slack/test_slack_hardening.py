"""HTTP mode against hostile or broken input, and Slack's Web API failing: 4xx never 500, no lost or doubled replies."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import BOT_TOKEN
from fakeslack import FakeSlack
from slack_bolt import App, BoltRequest
from slackhttp import SECRET, HTTPMode, signature_headers

from adapters.slack import guard
from adapters.slack.bot import SlackBot, build_app, web_client
from adapters.slack.logs import REDACTED, NoPayloads
from adapters.slack.settings import SlackSettings
from faqbot.engine import Engine

Payload = Callable[[str], dict[str, Any]]
QUESTION = "does acupuncture hurt?"  # the recorded payloads' question: it must never reach a log line


class Records(logging.Handler):
    """Every record of the loggers a server writes to, uvicorn's own included (they don't reach caplog)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> list[str]:
        return [self.format(record) for record in self.records]


@pytest.fixture
def records(http_mode: HTTPMode) -> Iterator[Records]:
    handler = Records()
    names = ("uvicorn.error", "adapters", "faqbot", "slack_bolt")
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield handler
    for name in names:
        logging.getLogger(name).removeHandler(handler)


def raw_request(url: str, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send a hand-made request; (status, rest of the response) as the server answered it."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(head.encode("latin-1") + b"\r\n\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe\x00", 400),
        (b"[1, 2, 3]", 400),
        (b'{"a":' * 5000 + b"1" + b"}" * 5000, 400),
        (b"payload=%7Bnot+json", 400),
        (b'{"type": "event_callback", "event": null}', 400),
        (b'{"type": "event_callback", "event": [1]}', 400),
        (b"payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%7D%5D%7D", 400),
    ],
)
def test_signed_but_unreadable_bodies_get_400_not_500(
    http_mode: HTTPMode, records: Records, body: bytes, status: int
) -> None:
    content_type = "application/x-www-form-urlencoded" if body.startswith(b"payload=") else "application/json"
    response = http_mode.post(body, content_type)
    assert response.status_code == status
    assert response.json() == {"error": "unreadable_body"}
    assert not [r for r in records.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "unsigned"),
        ({"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"}, 400, "bad_timestamp"),
        ({"X-Slack-Request-Timestamp": "1e9", "X-Slack-Signature": "v0=abc"}, 400, "bad_timestamp"),
        ({"X-Slack-Request-Timestamp": "9" * 40, "X-Slack-Signature": "v0=abc"}, 400, "bad_timestamp"),
        ({"X-Slack-Request-Timestamp": "1700000000", "X-Slack-Signature": "v0=abc"}, 401, "stale_timestamp"),
        ({"X-Slack-Signature": "v0=abc"}, 401, "unsigned"),
    ],
)
def test_unsigned_or_badly_stamped_requests_are_refused_in_json(
    http_mode: HTTPMode, records: Records, headers: dict[str, str], status: int, code: str
) -> None:
    response = http_mode.client.post(
        http_mode.url, content=b"{not json", headers={"Content-Type": "application/json", **headers}
    )
    assert (response.status_code, response.json()) == (status, {"error": code})
    assert not [r for r in records.records if r.levelno >= logging.ERROR]


def test_a_non_ascii_signature_is_401(http_mode: HTTPMode, payload: Payload) -> None:
    body = json.dumps(payload("app_mention")).encode()
    stamp = str(int(time.time()))
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"X-Slack-Request-Timestamp: {stamp}\r\nX-Slack-Signature: v0=\xe9\xe9"
    )
    status, _ = raw_request(http_mode.url, head, body)
    assert status == 401


@pytest.mark.parametrize(
    ("length_header", "status"), [("Content-Length: 104857600", 413), ("Transfer-Encoding: chunked", 401)]
)
def test_a_huge_unsigned_body_is_refused_before_it_is_read(
    http_mode: HTTPMode, length_header: str, status: int
) -> None:
    head = f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{length_header}"
    started = time.monotonic()
    # The first few bytes of 100 MB: the answer comes from the headers alone, and the connection is closed.
    first_chunk = b"1\r\n{\r\n" if "chunked" in length_header else b"{"
    answered, rest = raw_request(http_mode.url, head, first_chunk)
    assert answered == status
    assert b"connection: close" in rest.lower()
    assert time.monotonic() - started < 2


def test_a_body_over_1_mb_is_413_whether_announced_or_streamed(http_mode: HTTPMode) -> None:
    big = b'{"x": "' + b"a" * (guard.MAX_BODY_BYTES + 10) + b'"}'
    announced = http_mode.post(big, "application/json")
    assert (announced.status_code, announced.json()) == (413, {"error": "body_too_large"})
    headers = {**signature_headers(big), "Content-Type": "application/json"}
    streamed = http_mode.client.post(http_mode.url, content=iter([big[:500_000], big[500_000:]]), headers=headers)
    assert (streamed.status_code, streamed.json()) == (413, {"error": "body_too_large"})
    assert streamed.headers["x-slack-no-retry"] == "1"


def test_replayed_button_clicks_and_commands_are_answered_once(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, drain: Callable[[], None]
) -> None:
    click = payload("block_actions")
    click["response_url"] = fake_slack.webhook_url
    command = payload("slash_command")
    command["response_url"] = fake_slack.webhook_url
    for _ in range(3):
        assert http_mode.interaction(click).status_code == 200
        assert http_mode.form(command).status_code == 200
    another = {**click, "trigger_id": "99999.1.other"}  # a new click on the same button is a new question
    assert http_mode.interaction(another).status_code == 200
    fake_slack.wait_for("chat.postMessage", 2)
    fake_slack.wait_for("chat.postEphemeral")
    drain()
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert len(fake_slack.calls_to("chat.postEphemeral")) == 1


def test_a_web_api_5xx_is_retried_and_the_reply_delivered(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, drain: Callable[[], None]
) -> None:
    fake_slack.fail_next("chat.postMessage", "internal_error", status=502)
    fake_slack.fail_next("chat.postMessage", "service_unavailable", status=503)
    assert http_mode.event(payload("app_mention")).status_code == 200
    calls = fake_slack.wait_for("chat.postMessage", 3, timeout=15)
    drain()
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
    assert calls[0].body == calls[2].body
    assert "Please note:" in calls[2].body["text"]


def test_when_slack_stays_broken_a_short_apology_follows(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, drain: Callable[[], None], records: Records
) -> None:
    for _ in range(4):  # the first attempt and its three retries
        fake_slack.fail_next("chat.postMessage", "internal_error", status=500)
    assert http_mode.event(payload("app_mention")).status_code == 200
    calls = fake_slack.wait_for("chat.postMessage", 5, timeout=30)
    drain()
    apology = calls[4].body
    assert "something went wrong" in apology["text"] and "911" in apology["text"]
    assert apology["thread_ts"] == "1700000100.000100"
    assert any("internal_error (HTTP 500)" in line for line in records.lines())


def test_bolts_own_verification_log_line_carries_no_message_text(
    make_app: Callable[..., App], payload: Payload, caplog: pytest.LogCaptureFixture
) -> None:
    # Straight into bolt, past the guard: bolt's RequestVerification logs the whole body of a bad request at INFO.
    app = make_app()
    body = json.dumps(payload("app_mention"))
    headers = {**signature_headers(body.encode(), secret="wrong"), "content-type": "application/json"}
    with caplog.at_level(logging.DEBUG):
        response = app.dispatch(BoltRequest(body=body, headers={k.lower(): v for k, v in headers.items()}))
    assert response.status == 401
    lines = [r.getMessage() for r in caplog.records]
    assert any("Invalid request signature" in line and REDACTED in line for line in lines)
    assert not [line for line in lines if "hurt" in line]


def test_the_filter_cuts_payloads_and_keeps_plain_lines() -> None:
    def message(text: str, *args: object) -> str:
        record = logging.makeLogRecord({"msg": text, "args": args})
        NoPayloads().filter(record)
        return record.getMessage()

    assert message("Unhandled request (%s)", {"value": QUESTION}) == f"Unhandled request {REDACTED}"
    assert message("answered app_mention (answer:x) in C1") == "answered app_mention (answer:x) in C1"


def test_a_web_api_timeout_is_retried(
    engine: Engine,
    fake_slack: FakeSlack,
    payload: Payload,
    executors: list[ThreadPoolExecutor],
    drain: Callable[[], None],
) -> None:
    executors.append(ThreadPoolExecutor(max_workers=2))
    client = web_client(BOT_TOKEN, fake_slack.url, timeout=0.5)
    app = build_app(SlackBot(engine, SlackSettings()), client, signing_secret=SECRET, executor=executors[-1])
    fake_slack.delay_next("chat.postMessage", 2.0)  # Slack answers after the client has given up
    server = HTTPMode(app).start()
    try:
        assert server.event(payload("app_mention")).status_code == 200
        first, retried = fake_slack.wait_for("chat.postMessage", 2, timeout=15)
        drain()
    finally:
        server.stop()
    assert first.body == retried.body and "Please note:" in retried.body["text"]
