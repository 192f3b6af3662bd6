"""Turn-taking on the event loop: a few engine calls per loop iteration, in arrival order."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from starlette.types import Message

from adapters.web.app import create_app
from adapters.web.chat import TurnTaking
from faqbot.engine import Engine
from faqbot.settings import Settings


async def _passes(turns: TurnTaking, count: int) -> list[tuple[int, int]]:
    """(request number, loop iteration) in the order requests were let through."""
    loop = asyncio.get_running_loop()
    iteration = 0
    stop = False

    def tick() -> None:  # runs once per loop iteration
        nonlocal iteration
        iteration += 1
        if not stop:
            loop.call_soon(tick)

    passed: list[tuple[int, int]] = []

    async def request(number: int) -> None:
        await turns.wait()
        passed.append((number, iteration))

    loop.call_soon(tick)
    await asyncio.gather(*(request(n) for n in range(count)))
    stop = True
    return passed


RunAsync = Callable[[Any], Any]


def test_at_most_n_requests_run_per_loop_iteration_in_arrival_order(run_async: RunAsync) -> None:
    passed = run_async(_passes(TurnTaking(2), 5))
    assert [number for number, _ in passed] == [0, 1, 2, 3, 4]
    iterations = [iteration for _, iteration in passed]
    assert iterations[0] == iterations[1] < iterations[2] == iterations[3] < iterations[4]


def test_a_cancelled_waiter_gives_its_turn_to_the_next(run_async: RunAsync) -> None:
    turns = TurnTaking(1)

    async def scenario() -> bool:
        first, gone, last = (asyncio.ensure_future(turns.wait()) for _ in range(3))
        await asyncio.sleep(0)  # all three have asked: the first got this iteration's only turn, two wait
        gone.cancel()
        await asyncio.wait_for(last, timeout=1)
        return first.done() and gone.cancelled()

    assert run_async(scenario())


def test_a_loop_that_stopped_mid_count_does_not_hold_up_the_next(run_async: RunAsync) -> None:
    turns = TurnTaking(1)
    run_async(turns.wait())  # counted on a loop that closes before its next iteration

    async def again() -> None:
        await asyncio.wait_for(turns.wait(), timeout=1)

    run_async(again())


def test_concurrent_chat_requests_all_get_answers(engine: Engine, run_async: RunAsync) -> None:
    app = create_app(Settings(), b"k", engine)
    body = json.dumps({"message": "What is acupuncture?"}).encode()

    async def post() -> int:
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/api/chat",
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 1),
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

        await app(scope, receive, send)
        return int(sent[0]["status"])

    async def many() -> list[int]:
        return await asyncio.gather(*(post() for _ in range(12)))

    assert run_async(many()) == [200] * 12
