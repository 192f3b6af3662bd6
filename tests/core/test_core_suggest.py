"""Suggestion chips over every non-blind eval conversation: related, distinct, natural questions in sentence case."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from faqbot.engine import Engine
from faqbot.evaluate import parse_cases
from faqbot.knowledge import KnowledgeBase
from faqbot.models import Reply
from faqbot.text import fold

EVAL = Path(__file__).resolve().parents[2] / "eval"
FILES = ("dev", "check", "holdout", "blind2", "blind3", "real")


def conversations() -> list[tuple[str, ...]]:
    return [
        case.turns
        for name in FILES
        for case in parse_cases((EVAL / f"{name}.jsonl").read_text(encoding="utf-8").splitlines())
    ]


@pytest.fixture(scope="module")
def played(engine: Engine) -> list[tuple[str | None, Reply]]:
    """Every reply of every conversation, with the section answered just before it."""
    replies: list[tuple[str | None, Reply]] = []
    for turns in conversations():
        state, answered = None, None
        for turn in turns:
            reply = engine.respond(turn, state)
            replies.append((answered, reply))
            state, answered = reply.state, reply.answer.id if reply.answer else None
    return replies


@pytest.fixture(scope="module")
def capitalised(kb: KnowledgeBase) -> set[str]:
    """Words the documents write with a capital inside a sentence more often than without: names."""
    counts: Counter[tuple[str, bool]] = Counter()
    for pair in kb.pairs:
        for word in re.findall(r"(?<=[a-z,;] )[A-Za-z][a-z]+", pair.body):
            counts[word.lower(), word[0].isupper()] += 1
    return {word for word, upper in counts if upper and counts[word, True] > counts[word, False]}


def test_chips_are_distinct_and_never_the_section_just_answered(played: list[tuple[str | None, Reply]]) -> None:
    offered = [(before, reply) for before, reply in played if reply.suggestions]
    assert len(offered) > 500
    for before, reply in offered:
        ids = [s.id for s in reply.suggestions]
        assert len(set(ids)) == len(ids) and len({s.question.casefold() for s in reply.suggestions}) == len(ids)
        assert before not in ids
        assert reply.answer is None or reply.answer.id not in ids


def test_chips_are_natural_questions_in_sentence_case(
    played: list[tuple[str | None, Reply]], capitalised: set[str]
) -> None:
    chips = {s.question for _, reply in played for s in reply.suggestions}
    assert len(chips) > 10
    for chip in chips:
        assert chip[0].isupper() and chip.endswith("?") and not chip.startswith("What about "), chip
        later = re.findall(r"(?<= )[A-Z][a-z]+", chip)
        assert all(word.lower() in capitalised for word in later), chip


def test_declines_offer_the_sections_closest_to_the_question(played: list[tuple[str | None, Reply]]) -> None:
    # Not a fixed list: what a decline offers depends on what was asked.
    offers = Counter(tuple(s.id for s in reply.suggestions) for _, reply in played if reply.kind == "fallback")
    assert sum(offers.values()) > 100
    assert offers.most_common(1)[0][1] < sum(offers.values()) / 4
    assert all(1 <= len(ids) <= 3 for ids in offers)


def test_a_chip_asked_as_it_is_gets_its_section(engine: Engine, played: list[tuple[str | None, Reply]]) -> None:
    chips = {(s.id, s.question) for _, reply in played for s in reply.suggestions}
    chips |= {(s.id, s.question) for s in engine.starter_suggestions(8)}
    for section, question in chips:
        reply = engine.respond(question, None)
        assert reply.kind == "answer" and reply.answer is not None and reply.answer.id == section, question


def test_starter_chips_are_natural_questions(engine: Engine) -> None:
    starters = engine.starter_suggestions()
    assert [s.id for s in starters] == [p.id for p in engine.starter_questions()]
    for chip in starters:
        assert chip.question.endswith("?") and not chip.question.startswith("What about "), chip.question
    # A Title Case heading is offered in sentence case.
    intro = engine.suggester.offers["dry-needling-vs-acupuncture/intro"]
    assert intro.heading != intro.question and intro.question.casefold() == intro.heading.casefold()


def test_chips_worded_as_the_same_question_are_not_offered_side_by_side(engine: Engine) -> None:
    cases = parse_cases((EVAL / "dev.jsonl").read_text(encoding="utf-8").splitlines())
    for case in cases:
        chips = [s.question for s in engine.respond(case.turns[0], None).suggestions]
        said = [" ".join(re.findall(r"[a-z]+", fold(c).replace("what's", "what is"))) for c in chips]
        assert len(said) == len(set(said)), chips
