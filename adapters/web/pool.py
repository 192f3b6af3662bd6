"""The engine off the event loop: a thread per lane, a bounded queue and a time budget per request."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Engine calls take about 1 ms (25 ms for a worst-case 1,000-character message) and hold the GIL most of the time,
# so more threads would not answer faster: a second one only contends for the GIL with the first and with the event
# loop (bench/web_bench.py --mix real, same hour: p99 112 ms with two, 90 ms with one). Long messages have a lane of
# their own, so one long call does not stall the everyday ones.
ENGINE_THREADS = 1
# Calls running or waiting per worker before new ones are turned away with 503 (above the 50 connections of the
# benchmark, far below what would take seconds to clear).
MAX_PENDING = 128
# Seconds a request may wait for and run in the engine before it is answered 503.
BUDGET_SECONDS = 2.0
# A message this long can cost 10-40x a typical question (every unknown word is looked up for spelling), so long
# messages queue on a lane of their own, one thread and at most HEAVY_PENDING calls: a few clients sending
# worst-case messages slow each other, not everyone's everyday questions.
HEAVY_CHARS = 300
HEAVY_PENDING = 8


class Abandoned(Exception):
    """A queued call skipped because its request stopped waiting for it."""


class Busy(Exception):
    """The engine could not take or finish this call in time; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"busy; retry after {retry_after} s")
        self.retry_after = retry_after


class Lanes:
    """Two pools: one for everyday questions, one for long messages."""

    def __init__(self) -> None:
        self.light = EnginePool()
        self.heavy = EnginePool(threads=1, max_pending=HEAVY_PENDING)

    def for_message(self, message: str) -> EnginePool:
        """The pool a message of this length runs on."""
        return self.heavy if len(message) > HEAVY_CHARS else self.light


class EnginePool:
    """Runs engine calls on worker threads so the event loop keeps accepting, reading and answering."""

    def __init__(
        self, threads: int = ENGINE_THREADS, max_pending: int = MAX_PENDING, budget: float = BUDGET_SECONDS
    ) -> None:
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="faqbot-engine")
        self._max_pending = max_pending
        self._budget = budget
        self._pending = 0  # submitted and not yet finished (a call over budget still holds its thread)

    @property
    def pending(self) -> int:
        """Calls submitted and not yet finished."""
        return self._pending

    async def run(self, call: Callable[[], T]) -> T:
        """The result of `call()` run on a pool thread; raises Busy when saturated or over the time budget."""
        if self._pending >= self._max_pending:
            raise Busy(1)
        loop = asyncio.get_running_loop()
        self._pending += 1
        abandoned = threading.Event()

        def unless_abandoned() -> T:
            # A call whose request was answered 503 while it waited is not run: under overload the thread would
            # otherwise work through answers nobody waits for while every new request times out.
            if abandoned.is_set():
                raise Abandoned
            return call()

        future = loop.run_in_executor(self._executor, unless_abandoned)
        future.add_done_callback(self._finished)
        try:
            # shield: a request over budget stops waiting, but its thread cannot be stopped and finishes the call.
            return await asyncio.wait_for(asyncio.shield(future), self._budget)
        except TimeoutError:
            abandoned.set()
            raise Busy(max(1, round(self._budget))) from None

    def _finished(self, future: asyncio.Future[T]) -> None:
        self._pending -= 1
        if not future.cancelled():
            future.exception()  # retrieved, so an over-budget call's failure is not reported as never retrieved

    def shutdown(self) -> None:
        """Stop the threads once running calls end."""
        self._executor.shutdown(wait=False, cancel_futures=True)
