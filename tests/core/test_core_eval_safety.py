"""Safety properties over every conversation in the evaluation files: emergencies caught, disclaimers always there."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqbot.engine import Engine
from faqbot.evaluate import parse_cases
from faqbot.knowledge import KnowledgeBase

EVAL = Path(__file__).resolve().parents[2] / "eval"
# The blind files are kept out of everything but their reported runs, the tests included.
CASES = [
    case
    for path in sorted(EVAL.glob("*.jsonl"))
    if not path.stem.endswith("_blind")
    for case in parse_cases(path.read_text(encoding="utf-8").splitlines())
]


@pytest.mark.parametrize("turns", [c.turns for c in CASES if c.expect == ("@emergency",)], ids=str)
def test_every_emergency_in_the_evaluation_files_is_caught(engine: Engine, turns: tuple[str, ...]) -> None:
    state = None
    for turn in turns:
        reply = engine.respond(turn, state)
        state = reply.state
    assert reply.kind == "emergency"


def test_every_reply_in_the_evaluation_files_quotes_a_disclaimer(engine: Engine, corpus_text: str) -> None:
    for case in CASES:
        state = None
        for turn in case.turns:
            reply = engine.respond(turn, state)
            state = reply.state
            assert reply.disclaimers and all(d in corpus_text for d in reply.disclaimers), turn


def test_every_expected_section_in_the_evaluation_files_is_a_heading_of_the_corpus(kb: KnowledgeBase) -> None:
    # Labels only, the blind files' too (no reply is computed): a label naming an alternate question rather than its
    # section's heading could never be met and would count a right answer as a miss.
    headings = {pair.heading for pair in kb.pairs}
    unknown = {
        (path.name, label)
        for path in sorted(EVAL.glob("*.jsonl"))
        for case in parse_cases(path.read_text(encoding="utf-8").splitlines())
        for label in case.expect
        if not label.startswith("@") and label not in headings
    }
    assert not unknown
