"""POST /api/feedback and the outcome of every /api/chat reply (issue 14), through Starlette's TestClient."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from widget_harness import schema_errors

from adapters.settings import Settings
from adapters.web.app import create_app
from adapters.web.openapi import openapi_document
from faqbot.engine import Engine
from faqbot.insights import Insights
from faqbot.settings import InsightsSettings

JSON = {"content-type": "application/json"}
FEEDBACK = openapi_document(1000, 8192)["paths"]["/api/feedback"]["post"]


@pytest.fixture
def make_app(engine: Engine, tmp_path: Path) -> Iterator[Callable[..., tuple[TestClient, Insights]]]:
    """A client for an app recording into its own file, with [insights] and [web] overridden by keyword."""
    clients: list[TestClient] = []

    def build(keep_questions: bool = False, **web: Any) -> tuple[TestClient, Insights]:
        base = Settings()
        settings = dataclasses.replace(
            base,
            web=dataclasses.replace(base.web, **web),
            insights=InsightsSettings(tmp_path / "insights.sqlite3", keep_questions),
        )
        client = TestClient(create_app(settings, b"k", engine), base_url="http://testserver")
        clients.append(client.__enter__())  # runs the lifespan, whose end closes the store
        return client, client.app.state.insights  # type: ignore[attr-defined]

    yield build
    for client in clients:
        client.__exit__(None, None, None)


def answer_of(client: TestClient, question: str = "how does acupuncture work?") -> dict[str, Any]:
    body = client.post("/api/chat", json={"message": question}).json()
    assert body["kind"] == "answer"
    answer: dict[str, Any] = body["answer"]
    return answer


def test_every_chat_reply_is_recorded_without_its_text(make_app: Callable[..., tuple[TestClient, Insights]]) -> None:
    client, insights = make_app()
    answer = answer_of(client)
    client.post("/api/chat", json={"message": "can I pay with bitcoin on the moon"})
    client.post("/api/chat", json={"message": "hello"})
    outcomes = insights.store.outcomes()
    assert [(o.channel, o.kind) for o in outcomes] == [("web", "answer"), ("web", "fallback"), ("web", "smalltalk")]
    assert outcomes[0].answer_id == answer["id"] and outcomes[0].confidence == pytest.approx(answer["confidence"])
    assert all(o.question is None for o in outcomes)


def test_declined_questions_are_kept_scrubbed_when_the_clinic_says_so(
    make_app: Callable[..., tuple[TestClient, Insights]],
) -> None:
    client, insights = make_app(keep_questions=True)
    answer_of(client)
    client.post("/api/chat", json={"message": "my name is Jo Bloggs, can I pay with bitcoin on the moon"})
    assert [o.question for o in insights.store.outcomes()] == [
        None,
        "my name is [name], can I pay with bitcoin on the moon",
    ]


def test_a_vote_is_stored_with_answer_kind_confidence_channel_and_time(
    make_app: Callable[..., tuple[TestClient, Insights]],
) -> None:
    client, insights = make_app()
    answer = answer_of(client)
    vote = {"answer_id": answer["id"], "vote": "down", "confidence": answer["confidence"], "comment": "prices"}
    response = client.post("/api/feedback", json={**vote, "question": "how does acupuncture work?"})
    assert response.status_code == 200 and response.json() == {"recorded": True}
    assert response.headers["cache-control"] == "no-store"
    assert schema_errors(vote, FEEDBACK["requestBody"]["content"]["application/json"]["schema"]) == []
    (kept,) = insights.store.feedback()
    assert (kept.answer_id, kept.vote, kept.kind, kept.channel, kept.comment) == (
        answer["id"],
        "down",
        "answer",
        "web",
        "prices",
    )
    assert kept.confidence == answer["confidence"] and kept.at > 0 and kept.question is None


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"not json", 422, "invalid_request"),
        (b"[]", 422, "invalid_request"),
        (b'{"vote": "up"}', 422, "invalid_request"),
        (b'{"answer_id": "x", "vote": "meh"}', 422, "invalid_request"),
        (b'{"answer_id": "no-such-answer", "vote": "up"}', 422, "unknown_answer"),
        (b'{"answer_id": "A", "vote": "up", "comment": "' + b"x" * 201 + b'"}', 422, "invalid_request"),
        (b'{"answer_id": "A", "vote": "up", "confidence": 2}', 422, "invalid_request"),
        (b'{"answer_id": "A", "vote": "up", "confidence": true}', 422, "invalid_request"),
        (b'{"answer_id": "A", "vote": "up", "question": 5}', 422, "invalid_request"),
        (b'{"answer_id": "A", "vote": "up", "comment": "' + b"x" * 9000 + b'"}', 413, "too_large"),
    ],
)
def test_bad_votes_get_a_json_error_and_nothing_is_stored(
    make_app: Callable[..., tuple[TestClient, Insights]], body: bytes, status: int, code: str
) -> None:
    client, insights = make_app()
    answer_id = answer_of(client)["id"]
    response = client.post("/api/feedback", content=body.replace(b'"A"', f'"{answer_id}"'.encode()), headers=JSON)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert str(status) in FEEDBACK["responses"]
    assert insights.store.feedback() == []


def test_a_vote_must_be_json_and_is_rate_limited_like_the_chat(
    make_app: Callable[..., tuple[TestClient, Insights]],
) -> None:
    client, insights = make_app(rate_limit_per_minute=2)
    answer_id = answer_of(client)["id"]
    assert client.post("/api/feedback", content=b"{}", headers={"content-type": "text/plain"}).status_code == 415
    vote = {"answer_id": answer_id, "vote": "up"}
    assert [client.post("/api/feedback", json=vote).status_code for _ in range(2)] == [200, 200]
    limited = client.post("/api/feedback", json=vote)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    assert len(insights.store.feedback()) == 2


def test_the_openapi_document_describes_the_feedback_endpoint(
    make_app: Callable[..., tuple[TestClient, Insights]],
) -> None:
    client, _ = make_app()
    spec = client.get("/api/openapi.json").json()
    schema = spec["paths"]["/api/feedback"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["answer_id", "vote"]
    assert schema["properties"]["vote"]["enum"] == ["up", "down"]
    assert schema["properties"]["comment"]["maxLength"] == 200
    assert schema["properties"]["question"]["maxLength"] == 1000
