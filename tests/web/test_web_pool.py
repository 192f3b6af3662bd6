"""The engine off the event loop: bounded threads and queue, a time budget, 503 when saturated, emergencies still."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from starlette.types import Message

from adapters.settings import Settings
from adapters.web.app import create_app
from adapters.web.chat import ChatEndpoint
from adapters.web.pool import HEAVY_CHARS, HEAVY_PENDING, Busy, EnginePool, Lanes
from faqbot.engine import Engine

RunAsync = Callable[[Coroutine[Any, Any, Any]], Any]


def test_the_event_loop_keeps_running_while_the_engine_works(run_async: RunAsync) -> None:
    pool = EnginePool(threads=1)

    async def scenario() -> tuple[str, int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        task = asyncio.create_task(ticker())
        result = await pool.run(lambda: time.sleep(0.3) or "done")
        task.cancel()
        return result, ticks

    result, ticks = run_async(scenario())
    assert result == "done"
    assert ticks >= 20  # ~60 possible in 0.3 s; an engine call on the loop would have allowed none


def test_a_saturated_pool_refuses_at_once_and_recovers(run_async: RunAsync) -> None:
    pool = EnginePool(threads=1, max_pending=2)
    release = threading.Event()

    async def scenario() -> tuple[list[object], int]:
        held = [asyncio.create_task(pool.run(lambda: release.wait(5))) for _ in range(2)]
        await asyncio.sleep(0.05)
        with pytest.raises(Busy) as refused:
            await pool.run(lambda: "never")
        release.set()
        return [*(await asyncio.gather(*held)), await pool.run(lambda: "again")], refused.value.retry_after

    results, retry_after = run_async(scenario())
    assert results == [True, True, "again"]
    assert retry_after == 1


def test_a_call_over_budget_is_answered_busy_and_its_slot_freed_when_it_ends(run_async: RunAsync) -> None:
    pool = EnginePool(threads=1, budget=0.1)

    async def scenario() -> int:
        started = time.monotonic()
        with pytest.raises(Busy):
            await pool.run(lambda: time.sleep(0.4))
        assert time.monotonic() - started < 0.3
        assert pool.pending == 1  # the thread cannot be stopped: the call still holds its slot
        await asyncio.sleep(0.5)
        return pool.pending

    assert run_async(scenario()) == 0


def test_a_queued_call_whose_request_gave_up_is_never_run(run_async: RunAsync) -> None:
    pool = EnginePool(threads=1, budget=0.1)
    ran: list[str] = []

    async def scenario() -> int:
        first = asyncio.create_task(pool.run(lambda: time.sleep(0.4)))
        await asyncio.sleep(0.01)
        with pytest.raises(Busy):
            await pool.run(lambda: ran.append("queued"))
        with pytest.raises(Busy):
            await first
        await asyncio.sleep(0.5)  # the first call ends; the queued one is then skipped, not run
        return pool.pending

    assert run_async(scenario()) == 0
    assert ran == []
    assert run_async(pool.run(lambda: "still serving")) == "still serving"


def _post(app: Any, message: str, client: str = "127.0.0.1") -> Coroutine[Any, Any, tuple[int, dict[str, Any]]]:
    body = json.dumps({"message": message}).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/chat",
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        "client": (client, 1),
        "query_string": b"",
        "root_path": "",
        "scheme": "http",
        "server": None,
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    async def run() -> tuple[int, dict[str, Any]]:
        await app(scope, receive, send)
        return int(sent[0]["status"]), json.loads(sent[1]["body"])

    return run()


def test_concurrent_chat_requests_all_get_answers(engine: Engine, run_async: RunAsync) -> None:
    app = create_app(Settings(), b"k", engine)

    async def many() -> list[int]:
        return [status for status, _ in await asyncio.gather(*(_post(app, "What is acupuncture?") for _ in range(12)))]

    assert run_async(many()) == [200] * 12


def test_when_saturated_questions_get_503_and_emergencies_are_still_answered(
    engine: Engine, run_async: RunAsync, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(Settings(), b"k", engine)
    endpoint = next(r.app for r in app.routes if getattr(r, "path", "") == "/api/chat")
    assert isinstance(endpoint, ChatEndpoint)

    async def saturated(call: Callable[[], object]) -> object:
        raise Busy(1)

    monkeypatch.setattr(endpoint.lanes.light, "run", saturated)

    async def both() -> list[tuple[int, dict[str, Any]]]:
        return list(await asyncio.gather(_post(app, "What is acupuncture?"), _post(app, "I cant breathe")))

    (status, body), (urgent_status, urgent) = run_async(both())
    assert (status, body["error"]["code"], body["retry_after"]) == (503, "busy", 1)
    assert urgent_status == 200 and urgent["kind"] == "emergency"


def test_long_messages_queue_on_their_own_lane(run_async: RunAsync) -> None:
    lanes = Lanes()
    assert lanes.for_message("x" * HEAVY_CHARS) is lanes.light
    assert lanes.for_message("x" * (HEAVY_CHARS + 1)) is lanes.heavy
    release = threading.Event()

    async def scenario() -> tuple[object, float]:
        # The heavy lane's thread is busy with a slow call and its queue is full ...
        held = [asyncio.create_task(lanes.heavy.run(lambda: release.wait(5))) for _ in range(HEAVY_PENDING)]
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):
            await lanes.heavy.run(lambda: "refused")
        # ... and an everyday question is still answered at once.
        started = time.monotonic()
        answer = await lanes.light.run(lambda: "answered")
        waited = time.monotonic() - started
        release.set()
        await asyncio.gather(*held)
        return answer, waited

    answer, waited = run_async(scenario())
    assert answer == "answered" and waited < 0.5
