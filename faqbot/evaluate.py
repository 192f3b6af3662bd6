"""Evaluation: run labelled conversations through the engine and two baselines, and summarise the figures."""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from faqbot.models import Reply

NONE, EMERGENCY, SMALLTALK = "@none", "@emergency", "@smalltalk"
# A red-flag subject that is not happening now: not the emergency reply, and the line on what to do if it is.
CAUTION = "@caution"
IN_SCOPE_CATEGORIES = ("paraphrase", "typo", "keyword", "followup")


class CaseError(ValueError):
    """A malformed case file line; the message names the line."""


@dataclass(frozen=True)
class Case:
    """One labelled conversation: the reply to the last turn must match `expect`."""

    turns: tuple[str, ...]
    expect: tuple[str, ...]
    cat: str
    source: str = ""  # where a real question was found (a page's address), when the file says

    @property
    def in_scope(self) -> bool:
        """Expects a document answer (not @none/@emergency/@smalltalk)."""
        return not any(label.startswith("@") for label in self.expect)


@dataclass(frozen=True)
class Outcome:
    """What a system did with one case."""

    case: Case
    ok: bool
    got: str
    seconds: float
    has_disclaimer: bool


@dataclass
class Summary:
    """Figures for one system over one case file."""

    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    def rate(self, keep: Callable[[Outcome], bool]) -> tuple[int, int]:
        """(correct, total) among the outcomes `keep` selects."""
        chosen = [o for o in self.outcomes if keep(o)]
        return sum(o.ok for o in chosen), len(chosen)

    def latency_ms(self, quantile: float) -> float:
        """Latency of the last turn at a quantile (0.5 = median, 0.99 = p99), in milliseconds."""
        return percentile([o.seconds for o in self.outcomes], quantile) * 1000


def percentile(values: Sequence[float], quantile: float) -> float:
    """Nearest-rank percentile; 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    if quantile == 0.5:
        return statistics.median(ordered)
    rank = max(1, math.ceil(quantile * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def parse_cases(lines: Iterable[str]) -> list[Case]:
    """Cases from JSON lines; blank lines and lines starting with # are skipped."""
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise CaseError(f"line {number}: not JSON ({error.msg})") from None
        except RecursionError:
            raise CaseError(f"line {number}: nested deeper than can be read") from None
        cases.append(_case(data, number))
    if not cases:
        raise CaseError("no cases in the file")
    return cases


def judge(reply: Reply, case: Case) -> tuple[bool, str]:
    """Whether the reply meets the case's expectation, and a short description of what it was."""
    got = reply.answer.heading if reply.kind == "answer" and reply.answer else f"@{reply.kind}"
    if NONE in case.expect:
        # Not answering from the documents: a decline, or the clinic's details for "when are you open?".
        return reply.kind in ("fallback", "contact"), got
    if EMERGENCY in case.expect:
        return reply.kind == "emergency", got
    if CAUTION in case.expect:
        cautioned = reply.emergency is not None and not reply.emergency.current and bool(reply.emergency.note)
        return reply.kind != "emergency" and cautioned, got if reply.kind == "emergency" or cautioned else "@silent"
    if SMALLTALK in case.expect:
        return reply.kind == "smalltalk", got
    return reply.kind == "answer" and got in case.expect, got


def converse(respond: Callable[[str, dict[str, Any] | None], Reply], turns: Sequence[str]) -> Reply:
    """The reply to the last of `turns`, played as one conversation (each turn gets the state the one before left)."""
    state: dict[str, Any] | None = None
    reply = None
    for turn in turns:
        reply = respond(turn, state)
        state = reply.state
    if reply is None:
        raise ValueError("a conversation needs at least one turn")
    return reply


def run_engine(name: str, respond: Callable[[str, dict[str, Any] | None], Reply], cases: Sequence[Case]) -> Summary:
    """Play every case's turns as one conversation and judge the reply to the last."""
    summary = Summary(name)
    for case in cases:
        state: dict[str, Any] | None = None
        for turn in case.turns[:-1]:
            state = respond(turn, state).state
        started = time.perf_counter()
        reply = respond(case.turns[-1], state)
        elapsed = time.perf_counter() - started
        ok, got = judge(reply, case)
        summary.outcomes.append(Outcome(case, ok, got, elapsed, bool(reply.disclaimers)))
    return summary


def run_retriever(name: str, retrieve: Callable[[str], str | None], cases: Sequence[Case]) -> Summary:
    """A baseline that sees only the last turn and returns a heading, or None to decline."""
    summary = Summary(name)
    for case in cases:
        started = time.perf_counter()
        heading = retrieve(case.turns[-1])
        elapsed = time.perf_counter() - started
        got = heading if heading is not None else "@fallback"
        ok = got in case.expect if case.in_scope else (NONE in case.expect and heading is None)
        summary.outcomes.append(Outcome(case, ok, got, elapsed, False))
    return summary


def _case(data: Any, number: int) -> Case:
    if not isinstance(data, dict):
        raise CaseError(f"line {number}: expected an object with turns, expect, cat")
    turns, expect, cat = data.get("turns"), data.get("expect"), data.get("cat", "uncategorised")
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) for t in turns):
        raise CaseError(f"line {number}: turns must be a non-empty list of strings")
    if not isinstance(expect, list) or not expect or not all(isinstance(e, str) for e in expect):
        raise CaseError(f"line {number}: expect must be a non-empty list of strings")
    source = data.get("source", "")
    return Case(tuple(turns), tuple(expect), str(cat), source if isinstance(source, str) else "")
