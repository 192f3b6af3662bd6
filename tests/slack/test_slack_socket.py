"""Socket Mode round trips against a local websocket server that answers as Slack's does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import APP_TOKEN
from fakeslack import FakeSlack, FakeSocketMode
from slack_bolt import App

from adapters.slack.server import socket_mode_handler


@pytest.fixture
def connected(make_app: Callable[..., App], fake_socket: FakeSocketMode) -> Iterator[FakeSocketMode]:
    handler = socket_mode_handler(make_app(signing_secret=None), APP_TOKEN)
    handler.connect()  # type: ignore[no-untyped-call]
    yield fake_socket
    handler.close()  # type: ignore[no-untyped-call]


def envelope(envelope_id: str, kind: str, payload: dict[str, Any], retry_attempt: int = 0) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "type": kind,
        "payload": payload,
        "accepts_response_payload": kind != "events_api",
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
    }


def test_event_envelope_is_acked_and_answered(
    connected: FakeSocketMode, fake_slack: FakeSlack, payload: Callable[[str], dict[str, Any]]
) -> None:
    connected.send(envelope("env-1", "events_api", payload("app_mention")))
    assert connected.wait_for_ack("env-1") == {"envelope_id": "env-1"}
    [post] = fake_slack.wait_for("chat.postMessage")
    assert (post.body["channel"], post.body["thread_ts"]) == ("C0FRONTDESK", "1700000100.000100")
    assert any(b["type"] == "context" for b in post.body["blocks"])
    [opened] = fake_slack.calls_to("apps.connections.open")
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"


def test_slash_command_envelope_is_acked_and_answered_privately(
    connected: FakeSocketMode, fake_slack: FakeSlack, payload: Callable[[str], dict[str, Any]]
) -> None:
    fields = payload("slash_command")
    fields["response_url"] = fake_slack.webhook_url
    connected.send(envelope("env-2", "slash_commands", fields))
    connected.wait_for_ack("env-2")
    [post] = fake_slack.wait_for("chat.postEphemeral")
    assert post.body["user"] == "U0FRONTDESK"


def test_redelivered_envelope_is_acked_without_a_second_reply(
    connected: FakeSocketMode,
    fake_slack: FakeSlack,
    payload: Callable[[str], dict[str, Any]],
    drain: Callable[[], None],
) -> None:
    body = payload("message_im")
    connected.send(envelope("env-3", "events_api", body))
    connected.send(envelope("env-4", "events_api", body, retry_attempt=1))
    connected.wait_for_ack("env-3")
    connected.wait_for_ack("env-4")
    fake_slack.wait_for("chat.postMessage")
    drain()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
