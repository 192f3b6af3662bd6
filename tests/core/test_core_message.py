"""One message per turn: what `read_message` reads once, and follow-up resolution outside the engine."""

from __future__ import annotations

import pytest

from faqbot import followup, message
from faqbot.dialogue import ConversationState
from faqbot.engine import Engine
from faqbot.message import Question, read_message
from faqbot.safety import default_reader


def read(text: str, earlier: str | None = None) -> message.Message:
    return read_message(text, 500, default_reader(), earlier)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("", "empty"),
        (" ?! ", "empty"),
        ("start over", "reset"),
        ("hi! who are you?", "identity"),
        ("ok cool thanks", "thanks"),
        ("tell me more", "more"),
        ("I can't breathe", "emergency"),
        ("hi, does it hurt? thanks", "question"),
    ],
)
def test_a_message_has_one_intent_and_a_question_only_when_it_asks_one(text: str, intent: str) -> None:
    read_once = read(text)
    assert read_once.intent == intent
    assert (read_once.question is not None) == (intent == "question")


def test_the_question_is_read_without_its_pleasantries() -> None:
    question = read("Hi, does it HURT? thanks").question
    assert question is not None
    assert question.text == "does it hurt" and question.words == ("does", "it", "hurt")
    assert question.pronoun and question.subject is None


def test_a_red_flag_not_happening_now_is_set_aside_before_the_question_is_read() -> None:
    read_once = read("I don't have chest pain, does acupuncture hurt?")
    assert read_once.triage.flags and not read_once.triage.current
    assert read_once.question is not None and "chest" not in read_once.question.words


def test_the_message_and_its_question_are_folded_once_each(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    folded: list[str] = []
    fold = message.fold
    monkeypatch.setattr(message, "fold", lambda text: folded.append(text) or fold(text))
    engine.respond("hi, does acupuncture hurt? thanks", None)
    # The message, then the question cut from it (folded as itself: fold is not quite idempotent).
    assert folded == ["hi, does acupuncture hurt? thanks", "does acupuncture hurt"]


def test_what_about_swaps_the_topic_of_the_last_question(engine: Engine) -> None:
    current = ConversationState(topic="dry needling", last_id=None, last_query="does dry needling hurt?", turns=1)
    query, context = followup.resolve(
        Question.read("what about acupuncture?"), current, engine.vocabulary, engine.evidence.topic_words
    )
    assert context.topic == "acupuncture" and query.topics == ("acupuncture",) and "hurt" in query.words


def test_tell_more_with_nothing_left_stays_on_the_last_section(engine: Engine) -> None:
    last = engine.kb.pairs[0]
    current = ConversationState(topic=None, last_id=last.id, last_query="what is it?", turns=2)
    more = followup.tell_more(current, last, lambda text, state: [])
    assert more.chosen is None and more.related == ()
    assert more.state.last_id == last.id and more.state.turns == 3
