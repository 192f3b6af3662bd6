"""The HTTP API through Starlette's TestClient: contract, signed state, limits, CORS and headers."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import Message
from widget_harness import schema_errors

from adapters.settings import Settings
from adapters.web.app import create_app
from adapters.web.cli import RequestLogFormatter
from adapters.web.openapi import openapi_document
from adapters.web.state import StateSigner
from faqbot.engine import Engine

JSON_HEADERS = {"content-type": "application/json"}
# The reply's fields before issue 12: a reply may gain fields (described in the OpenAPI schema), never lose these.
CONTRACT_KEYS = {
    "kind",
    "text",
    "answer",
    "suggestions",
    "disclaimers",
    "state",
    "lead",
    "emergency_number",
    "emergency",
    "contact",
}


REPLY_SCHEMA = openapi_document(1000, 8192)["paths"]["/api/chat"]["post"]["responses"]["200"]["content"][
    "application/json"
]["schema"]


def assert_reply_fields(reply: dict[str, object]) -> None:
    """The old fields are all there and the reply is what the OpenAPI schema describes, field by field."""
    assert set(reply) >= CONTRACT_KEYS
    assert schema_errors(reply, REPLY_SCHEMA) == []


def chat(client: TestClient, message: str, state: object = None, **headers: str) -> object:
    return client.post("/api/chat", json={"message": message, "state": state}, headers=headers)


def test_chat_returns_the_reply_contract_with_a_signed_state(
    client: TestClient, engine: Engine, signer: StateSigner
) -> None:
    question = engine.starter_questions(1)[0]
    response = client.post("/api/chat", json={"message": question.question})
    assert response.status_code == 200
    body = response.json()
    assert_reply_fields(body)
    assert body["kind"] == "answer"
    assert body["answer"]["id"] == question.id
    assert body["answer"]["source"]["title"]
    assert body["disclaimers"]
    expected = engine.respond(question.question, None).to_dict()
    assert {k: v for k, v in body.items() if k != "state"} == {k: v for k, v in expected.items() if k != "state"}
    assert isinstance(body["state"], str)
    assert signer.verify(body["state"]) == expected["state"]
    assert response.headers["cache-control"] == "no-store"


def test_state_round_trip_carries_the_conversation(client: TestClient, engine: Engine, signer: StateSigner) -> None:
    first = client.post("/api/chat", json={"message": "What is acupuncture?"}).json()
    follow = client.post("/api/chat", json={"message": "does it hurt", "state": first["state"]}).json()
    fresh = client.post("/api/chat", json={"message": "does it hurt"}).json()
    server_state = signer.verify(follow["state"])
    assert server_state is not None
    assert server_state["turns"] == 2
    engine_state = engine.respond("What is acupuncture?", None).state
    assert follow["text"] == engine.respond("does it hurt", engine_state).text
    assert signer.verify(fresh["state"])["turns"] == 1  # type: ignore[index]


@pytest.mark.parametrize(
    "state",
    ["garbage", "v1.e30.AAAA", {"v": 1, "turns": 5, "topic": "dry needling"}, 42, ["x"]],
)
def test_forged_or_malformed_state_starts_a_fresh_conversation(
    client: TestClient, state: object, signer: StateSigner
) -> None:
    response = client.post("/api/chat", json={"message": "hello", "state": state})
    assert response.status_code == 200
    assert signer.verify(response.json()["state"])["turns"] == 1  # type: ignore[index]


def test_tampered_state_is_ignored(client: TestClient, signer: StateSigner) -> None:
    token = client.post("/api/chat", json={"message": "hello"}).json()["state"]
    head, payload, mac = token.split(".")
    forged_signer = StateSigner(b"another-secret", 60)
    for forged in (
        forged_signer.sign({"v": 1, "turns": 9}),
        f"{head}.{payload}x.{mac}",
        f"{head}.{payload}.{mac[:-2]}",
    ):
        body = client.post("/api/chat", json={"message": "hello", "state": forged}).json()
        assert signer.verify(body["state"])["turns"] == 1  # type: ignore[index]


def test_expired_state_is_ignored() -> None:
    now = [1_000_000.0]
    signer = StateSigner(b"k", 100, clock=lambda: now[0])
    token = signer.sign({"turns": 3})
    now[0] += 99
    assert signer.verify(token) == {"turns": 3}
    now[0] += 2
    assert signer.verify(token) is None


def test_body_over_the_limit_is_413(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_body_bytes=8192)
    big = json.dumps({"message": "x" * 9000})
    response = client.post("/api/chat", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_streamed_body_without_length_is_still_limited(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_body_bytes=100)
    chunks = iter([b'{"message": "', b"x" * 80, b"y" * 80, b'"}'])
    response = client.post("/api/chat", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"state": null}',
        b'{"message": 5}',
        b"\xff\xfe",
        json.dumps({"message": "a" * 1001}).encode(),
    ],
)
def test_malformed_or_too_long_messages_are_422(client: TestClient, body: bytes) -> None:
    response = client.post("/api/chat", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["message"]


def test_an_emergency_in_a_message_over_the_limit_is_still_answered(client: TestClient) -> None:
    message = "I have chest pain right now and I can't breathe. " + "sorry for the long message " * 40
    assert len(message) > 1000
    response = client.post("/api/chat", json={"message": message})
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "emergency" and body["text"].startswith("\u26a0\ufe0f Call 911 now")
    other = client.post("/api/chat", json={"message": "does acupuncture hurt? " * 50})
    assert other.status_code == 422 and "under 1,000 characters" in other.json()["error"]["message"]


def test_a_message_of_exactly_the_limit_is_accepted(client: TestClient) -> None:
    assert client.post("/api/chat", json={"message": "a" * 1000}).status_code == 200


def test_non_json_content_type_is_415(client: TestClient) -> None:
    response = client.post("/api/chat", content='{"message": "hi"}', headers={"content-type": "text/plain"})
    assert response.status_code == 415


def test_rate_limit_answers_429_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_minute=3)
    statuses = [client.post("/api/chat", json={"message": "hi"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.post("/api/chat", json={"message": "hi"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["retry_after"] == int(refused.headers["retry-after"])


@pytest.mark.parametrize("emergency", ["I cant breathe", "my dad has chest pain"])
def test_an_emergency_over_the_rate_limit_still_gets_the_emergency_reply(
    make_client: Callable[..., TestClient], signer: StateSigner, emergency: str
) -> None:
    client = make_client(rate_limit_per_minute=2)
    assert [chat(client, "hi").status_code for _ in range(3)] == [200, 200, 429]  # type: ignore[attr-defined]
    response = client.post("/api/chat", json={"message": emergency, "state": None})
    assert response.status_code == 200
    reply = response.json()
    assert_reply_fields(reply)
    assert reply["kind"] == "emergency" and reply["emergency_number"] == "911"
    assert signer.verify(reply["state"]) is not None
    # Only the emergency gets through: anything else, or anything unusable, is still refused.
    unusable = [b"{not json chest pain", json.dumps({"message": emergency + " x" * 5000}).encode()]
    refused = [client.post("/api/chat", content=body, headers=JSON_HEADERS) for body in unusable]
    refused.append(chat(client, "What is acupuncture?"))  # type: ignore[arg-type]
    assert [r.status_code for r in refused] == [429, 429, 429]


def test_cors_allows_configured_origins_only(make_client: Callable[..., TestClient]) -> None:
    client = make_client(allow_origins=("https://clinic.example",))
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    allowed = client.options("/api/chat", headers={"origin": "https://clinic.example", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://clinic.example"
    refused = client.options("/api/chat", headers={"origin": "https://evil.example", **preflight})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    post = chat(client, "hi", origin="https://clinic.example")
    assert post.headers["access-control-allow-origin"] == "https://clinic.example"  # type: ignore[attr-defined]
    other = chat(client, "hi", origin="https://evil.example")
    assert "access-control-allow-origin" not in other.headers  # type: ignore[attr-defined]


def test_cors_defaults_to_same_origin(client: TestClient) -> None:
    preflight = {"origin": "https://clinic.example", "access-control-request-method": "POST"}
    assert "access-control-allow-origin" not in client.options("/api/chat", headers=preflight).headers
    assert "access-control-allow-origin" not in chat(client, "hi", origin="https://clinic.example").headers  # type: ignore[attr-defined]


def test_security_headers_and_strict_csp_on_the_demo_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for response in (page, client.get("/healthz"), chat(client, "hi")):
        assert response.headers["x-content-type-options"] == "nosniff"  # type: ignore[attr-defined]
        assert response.headers["referrer-policy"] == "no-referrer"  # type: ignore[attr-defined]


def test_widget_is_served_versioned_and_cacheable(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    pinned = client.get(health["widget"])
    latest = client.get("/widget.js")
    assert pinned.content == latest.content and b"attachShadow" in pinned.content
    assert pinned.headers["content-type"].startswith("text/javascript")
    assert "immutable" in pinned.headers["cache-control"]
    assert "max-age" in latest.headers["cache-control"]
    assert health["widget"] in client.get("/").text
    again = client.get("/widget.js", headers={"if-none-match": latest.headers["etag"]})
    assert again.status_code == 304


def test_greeting_openapi_and_unknown_paths(client: TestClient, engine: Engine) -> None:
    greeting = client.get("/api/greeting").json()
    assert [s["id"] for s in greeting["suggestions"]] == [q.id for q in engine.starter_questions(4)]
    assert greeting["emergency_number"] == engine.settings.emergency_number
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/chat" in spec["paths"]
    missing = client.get("/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "http_error"
    assert client.get("/api/chat").status_code == 405
    slash = client.get("/api/greeting/", headers={"host": "evil.example"}, follow_redirects=False)
    assert slash.status_code == 404 and slash.json()["error"]["code"] == "http_error"


@pytest.mark.logs_message_text
def test_one_log_line_per_request_without_the_message(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client()
    with caplog.at_level(logging.INFO, logger="faqbot.web"):
        chat(client, "my secret symptom")
    lines = [r.getMessage() for r in caplog.records if r.name == "faqbot.web"]
    assert len(lines) == 1
    assert lines[0].startswith("POST /api/chat 200 ")
    assert "ms" in lines[0]
    assert "secret symptom" not in lines[0]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="faqbot.web"):
        chat(make_client(log_messages=True), "my secret symptom")
    assert "secret symptom" in caplog.records[-1].getMessage()


def test_security_headers_are_set_once_and_a_page_keeps_its_own_policy(client: TestClient) -> None:
    for response in (client.get("/"), chat(client, "hi")):
        for name in ("x-content-type-options", "referrer-policy", "x-frame-options", "content-security-policy"):
            assert len(response.headers.get_list(name)) == 1, name  # type: ignore[attr-defined]
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]
    assert chat(client, "hi").headers["content-security-policy"].startswith("default-src 'none'")  # type: ignore[attr-defined]


def test_a_client_that_leaves_before_its_body_arrives_gets_no_reply(
    engine: Engine, run_async: Callable[[object], object]
) -> None:
    app = create_app(Settings(), b"k", engine)
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/chat",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    async def run() -> None:
        await app({**scope, "query_string": b"", "root_path": "", "scheme": "http", "server": None}, receive, send)

    run_async(run())
    assert sent == []


def test_request_log_timestamps_read_like_the_standard_format() -> None:
    standard = logging.Formatter("%(asctime)s pid=%(process)d %(message)s")
    ours = RequestLogFormatter()
    for created in (1_700_000_000.0, 1_700_000_000.999, 1_700_000_001.25, 1_700_000_001.5):
        record = logging.makeLogRecord({"msg": "POST /api/chat 200 0.8ms client=-", "created": created})
        record.msecs = (created - int(created)) * 1000
        assert ours.format(record) == standard.format(record)


def test_the_openapi_description_names_every_answer_field(client: TestClient) -> None:
    answer = client.post("/api/chat", json={"message": "can acupuncture be dangerous?"}).json()["answer"]
    reply = next(s for s in _schemas(client.get("/api/openapi.json").json()) if "answer" in s.get("properties", {}))
    answer_schema = reply["properties"]["answer"]["properties"]
    assert set(answer) <= set(answer_schema)
    assert set(answer["source"]) <= set(answer_schema["source"]["properties"])
    assert answer["truncated"] and answer["blocks"] and answer["source"]["url"].startswith("https://")


def _schemas(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_schemas(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_schemas(value))
    return found
