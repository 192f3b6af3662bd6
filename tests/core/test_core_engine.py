"""Retrieval, dialogue and safety behaviour of engine.respond, checked against the reply contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faqbot import evaluate
from faqbot.dialogue import strip_pleasantries
from faqbot.engine import Engine
from faqbot.knowledge import KnowledgeBase
from faqbot.models import REPLY_KINDS, Reply
from faqbot.settings import EngineSettings
from faqbot.text import fold, split_sentences


def converse(engine: Engine, *turns: str) -> Reply:
    return evaluate.converse(engine.respond, turns)


def heading(reply: Reply) -> str | None:
    return reply.answer.heading if reply.kind == "answer" and reply.answer else None


def assert_contract(reply: Reply, corpus_text: str) -> None:
    data = json.loads(json.dumps(reply.to_dict()))
    assert data["kind"] in REPLY_KINDS
    assert set(data) >= {"kind", "text", "answer", "suggestions", "disclaimers", "state"}
    assert data["disclaimers"] and all(d in corpus_text and d in data["text"] for d in data["disclaimers"])
    if data["answer"] is not None:
        assert set(data["answer"]) >= {"id", "question", "heading", "body", "source", "confidence"}
        assert set(data["answer"]["source"]) >= {"title", "file", "reviewed"}
        assert 0.0 <= data["answer"]["confidence"] <= 1.0
        assert_blocks(data["answer"], data["text"])
    for suggestion in data["suggestions"]:
        assert set(suggestion) == {"id", "question", "heading"}


def assert_blocks(answer: dict[str, Any], text: str) -> None:
    """The short answer is in the text, each of its sentences and items is the body's own, and it is the whole
    section exactly when it is not marked truncated."""
    assert answer["blocks"] and answer["full_blocks"]
    for block in answer["blocks"]:
        shown = block["items"] if block["type"] == "list" else split_sentences(block["text"])
        assert shown and all(part in answer["body"] for part in shown)
        assert all(part in text for part in shown)
    assert answer["truncated"] == (answer["blocks"] != answer["full_blocks"])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Does acupuncture hurt?", {"Does acupuncture hurt?"}),
        ("is acupuncture covered by my insurance", {"Is acupuncture covered by insurance?"}),
        ("how long do the needles stay in", {"How long do the needles stay in?"}),
        ("who can do dry needling", {"Who performs dry needling and acupuncture?"}),
        ("does acupunture hurt", {"Does acupuncture hurt?"}),
        ("what is auricular acupuncture", {"What is auricular acupuncture?"}),
        ("how often should I go for acupuncture", {"How often should I get treatments?"}),
        ("can I drive home after acupuncture", {"What happens after an acupuncture treatment?"}),
    ],
)
def test_answers_common_questions(engine: Engine, corpus_text: str, question: str, expected: set[str]) -> None:
    reply = engine.respond(question, None)
    assert heading(reply) in expected
    assert_contract(reply, corpus_text)


def test_answer_is_the_documents_text_with_its_source(engine: Engine, kb: KnowledgeBase) -> None:
    reply = engine.respond("does acupuncture hurt?", None)
    assert reply.answer is not None
    pair = kb.pair(reply.answer.id)
    assert pair is not None and reply.answer.body == pair.body
    assert "Source: Acupuncture › Procedure Details › Does acupuncture hurt?" in reply.text
    assert reply.answer.reviewed == "2023-05-16"


@pytest.mark.parametrize(
    "question",
    [
        "Is acupuncture safe during pregnancy?",
        "Do you do cupping?",
        "Do you sell gift vouchers?",
        "What's the weather like today?",
        "What foods are high in iron?",
        "How many calories do I burn in a day?",
        "Is earthing good for you?",
        "Can a chiropractor fix my back?",
    ],
)
def test_out_of_scope_is_declined_with_suggestions(engine: Engine, corpus_text: str, question: str) -> None:
    reply = engine.respond(question, None)
    assert reply.kind == "fallback"
    assert "documents don't cover" in reply.text and "healthcare provider" in reply.text
    assert 1 <= len(reply.suggestions) <= 3
    assert_contract(reply, corpus_text)


@pytest.mark.parametrize(
    "message",
    [
        "I have crushing chest pain",
        "i cant breathe",
        "I want to kill myself",
        "the bleeding won't stop",
        "my mum just fainted",
        "his face is drooping and his speech is slurred",
        "my throat is swelling up",
        "I got acupuncture yesterday and now my chest hurts and I can't catch my breath",
        "does acupuncture hurt? also I think I'm having a stroke",
        "my husband is grabbing at his chest and sweating",
        "please just kill me",
        "I've been thinking about killing myself",
        "i wish i was dead",
        "my husband is fitting on the floor",
        "she had a fit in the waiting room and is shaking all over",
        "x" * 1500 + " I'm having a heart attack",
        "i dont want to be here anymore",
        "I don't see the point in living",
        "my arm went numb and my face feels weird on one side",
        "he can't stop shaking and jerking",
    ],
)
def test_emergencies_get_the_emergency_number_and_nothing_else_medical(
    engine: Engine, corpus_text: str, message: str
) -> None:
    reply = engine.respond(message, None)
    assert reply.kind == "emergency" and reply.answer is None and not reply.suggestions
    assert "Call 911" in reply.text and reply.emergency_number == "911"
    assert_contract(reply, corpus_text)


@pytest.mark.parametrize(
    "message", ["I took too many pills", "my kid swallowed some pills", "she took a whole bottle of paracetamol"]
)
def test_overdose_is_named_as_such(engine: Engine, message: str) -> None:
    reply = engine.respond(message, None)
    assert reply.kind == "emergency" and reply.emergency is not None
    assert reply.emergency.flags[0] == "overdose or poisoning" and reply.emergency.current


@pytest.mark.parametrize(
    "message",
    [
        "my back pain is killing me, would acupuncture help",
        "the itching kills me",
        "is acupuncture a good fit for me",
        "im fit and healthy, can i try dry needling",
        "how many acupuncture sessions is too many?",
        "should I take my pills before acupuncture?",
    ],
)
def test_figures_of_speech_are_not_emergencies(engine: Engine, message: str) -> None:
    assert engine.respond(message, None).kind != "emergency"


def test_emergency_number_is_configurable(kb: KnowledgeBase) -> None:
    engine = Engine(kb, EngineSettings(emergency_number="112"))
    reply = engine.respond("I can't breathe", None)
    assert "Call 112" in reply.text and "911" not in reply.text


@pytest.mark.parametrize(
    ("message", "lead"),
    [
        ("hi", "Hello"),
        ("thanks!", "welcome"),
        ("bye", "Goodbye"),
        ("who are you?", "faqbot"),
        ("what can you do?", "I can answer questions about acupuncture and dry needling"),
        ("thanks a lot, that was really useful!", "welcome"),
        ("cheers mate", "welcome"),
        ("what sort of things can you help me with?", "I can answer questions about acupuncture and dry needling"),
        ("thanks so much, that really helped", "welcome"),
        ("hello? is anybody there?", "Hello"),
        ("hi! are you a bot or a human?", "faqbot"),
        ("alright cool thanks", "welcome"),
        ("ok great, have a nice evening", "Goodbye"),
    ],
)
def test_small_talk(engine: Engine, corpus_text: str, message: str, lead: str) -> None:
    reply = engine.respond(message, None)
    assert reply.kind == "smalltalk" and lead in reply.text
    assert_contract(reply, corpus_text)


def test_greeting_with_a_question_answers_the_question(engine: Engine) -> None:
    assert heading(engine.respond("hi! is acupuncture covered by insurance?", None)) == (
        "Is acupuncture covered by insurance?"
    )


def test_follow_up_pronoun_resolves_to_the_conversation_topic(engine: Engine) -> None:
    reply = converse(engine, "What is dry needling?", "Does it hurt?")
    assert heading(reply) == "How does it feel?"
    assert reply.state["topic"] == "dry needling"


def test_follow_up_pronoun_keeps_the_kind_of_treatment_asked_about(engine: Engine) -> None:
    assert heading(converse(engine, "tell me about auricular acupuncture", "who is it for?")) == (
        "What is auricular acupuncture?"
    )


@pytest.mark.parametrize("mash", ["asdfgh", "yyyyyyyy", "x" * 2000])
def test_keyboard_mash_after_an_answer_is_declined_not_the_answer_again(engine: Engine, mash: str) -> None:
    assert converse(engine, "What is dry needling?", mash).kind == "fallback"


def test_what_about_asks_the_last_question_for_the_other_topic(engine: Engine) -> None:
    first = converse(engine, "Does dry needling hurt?")
    assert heading(first) == "How does it feel?"
    swapped = converse(engine, "Does dry needling hurt?", "what about acupuncture?")
    assert heading(swapped) in {"Does acupuncture hurt?", "How does it feel?"}
    assert swapped.state["topic"] == "acupuncture"


def test_what_about_after_a_declined_question_asks_that_question_again(engine: Engine) -> None:
    # "for it" is insomnia, which the documents don't cover for either treatment: not an overview of dry needling.
    swapped = converse(engine, "can acupuncture help with insomnia?", "what about dry needling for it?")
    assert swapped.kind == "fallback"
    after_decline = converse(engine, "what is acupuncture?", "can acupuncture help with insomnia?", "tell me more")
    assert after_decline.kind != "answer"


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        ("and afterwards?", "What happens after an acupuncture treatment?"),
        ("what about the side effects?", "What are the risks or complications of acupuncture?"),
    ],
)
def test_and_what_about_asks_about_something_else_of_the_same_treatment(
    engine: Engine, follow_up: str, expected: str
) -> None:
    reply = converse(engine, "what happens during an acupuncture session?", follow_up)
    assert heading(reply) == expected
    assert reply.state["topic"] == "acupuncture"


def test_and_afterwards_with_nothing_asked_before_is_not_answered(engine: Engine) -> None:
    assert engine.respond("and afterwards?", None).answer is None


def test_it_never_means_what_was_declined(engine: Engine) -> None:
    reply = converse(engine, "does acupuncture hurt", "can it cure my insomnia", "is it safe?")
    assert heading(reply) == "What are the risks or complications of acupuncture?"


@pytest.mark.parametrize(
    "message", ["yes", "no", "ok", "so", "what", "can i", "maybe", "idk", "2", "\U0001f642", "\u9488\u7078"]
)
def test_a_message_with_nothing_to_look_up_is_not_answered(engine: Engine, corpus_text: str, message: str) -> None:
    reply = engine.respond(message, None)
    assert reply.kind == "fallback" and reply.answer is None and reply.suggestions
    assert_contract(reply, corpus_text)
    after_decline = converse(engine, "can acupuncture cure my insomnia?", message)
    assert after_decline.answer is None


def test_tell_me_more_gives_the_next_closest_section_then_new_ones(engine: Engine) -> None:
    first = converse(engine, "does acupuncture hurt")
    more = converse(engine, "does acupuncture hurt", "tell me more")
    assert first.answer is not None and more.answer is not None
    assert heading(more) == "How does it feel?"
    turns = ["does acupuncture hurt", *["tell me more"] * 6]
    shown = [heading(r) for r in (converse(engine, *turns[: n + 1]) for n in range(len(turns)))]
    assert len(set(shown)) == len(shown)


def test_tell_me_more_stays_with_the_treatment_being_discussed(engine: Engine) -> None:
    turns = ["is dry needling eastern or western medicine", *["tell me more"] * 4]
    for count in range(2, len(turns) + 1):
        reply = converse(engine, *turns[:count])
        pair = engine.kb.pair(reply.answer.id) if reply.answer else None
        assert pair is not None and "dry needling" in pair.topics


def test_tell_me_more_after_an_emergency_does_not_resume_the_faq(engine: Engine) -> None:
    assert converse(engine, "does acupuncture hurt", "i cant breathe", "tell me more").kind == "smalltalk"


def test_tell_me_more_with_nothing_close_left_continues_in_document_order(engine: Engine) -> None:
    state = {"v": 1, "topic": None, "last_id": "acupuncture/what-is-acupuncture", "last_query": None, "turns": 1}
    more = engine.respond("tell me more", state)
    assert more.answer is not None and more.answer.id == "acupuncture/what-does-acupuncture-treat"


def test_question_equally_answered_for_both_topics_asks_which_one(tmp_path: Path) -> None:
    for name, topic in (("a.md", "Acupuncture"), ("b.md", "Dry needling")):
        (tmp_path / name).write_text(
            f"# {topic}\n\n## How much does a session cost?\n\n{topic} sessions cost forty dollars at the clinic.\n\n"
            "## Safety\n\nDon't use it to delay seeing a healthcare provider about a health problem.\n",
            encoding="utf-8",
        )
    (tmp_path / "overlay.toml").write_text(
        '[topics]\nacupuncture = ["acupuncture"]\n"dry needling" = ["dry needling"]\n'
    )
    engine = Engine.from_folder(tmp_path)
    reply = engine.respond("how much does a session cost?", None)
    assert reply.kind == "clarify" and {s.id for s in reply.suggestions} >= {
        "a/how-much-does-a-session-cost",
        "b/how-much-does-a-session-cost",
    }
    assert "Did you mean" in reply.text and reply.disclaimers
    assert (
        heading(engine.respond("how much does a dry needling session cost?", None)) == "How much does a session cost?"
    )


def test_medication_question_carries_the_medication_statement(engine: Engine) -> None:
    reply = engine.respond("Can I stop taking my medication once acupuncture works?", None)
    # Quoted as a safety note, or shown in the answer itself (and then not repeated under it).
    assert reply.answer is not None
    shown = " ".join(b.plain() for b in reply.answer.blocks)
    assert any("prescribed medications" in d for d in (*reply.disclaimers, shown))
    assert not any("prescribed medications" in d for d in reply.disclaimers) or "prescribed medications" not in shown


def test_every_reply_carries_a_general_disclaimer(engine: Engine) -> None:
    for message in ("hi", "does it hurt", "what about cupping", "I can't breathe", "tell me more", ""):
        reply = engine.respond(message, None)
        assert any("healthcare provider" in d for d in reply.disclaimers), message


def test_state_is_small_json_and_the_engine_keeps_no_memory(engine: Engine) -> None:
    before = engine.respond("does it hurt", None)
    reply = converse(engine, "what is dry needling", "does it hurt")
    assert len(json.dumps(reply.state)) < 600
    assert engine.respond("does it hurt", None) == before  # the conversation left nothing behind in the engine


@pytest.mark.parametrize("state", [None, {}, {"v": 99}, {"v": 1, "topic": 5, "turns": "x"}, [1, 2], "junk"])
def test_malformed_state_starts_a_fresh_conversation(engine: Engine, state: Any) -> None:
    reply = engine.respond("does acupuncture hurt", state)
    assert heading(reply) == "Does acupuncture hurt?" and reply.state["v"] == 1


def test_reset_forgets_the_topic(engine: Engine) -> None:
    reply = converse(engine, "what is dry needling", "reset")
    assert reply.kind == "smalltalk" and reply.state["topic"] is None


@pytest.mark.parametrize("question", ["reception hours on saturday", "staff parking?", "admin fees for cancelling"])
def test_a_role_word_that_is_the_subject_is_not_taken_for_a_relay(engine: Engine, question: str) -> None:
    assert strip_pleasantries(question) == question
    assert engine.respond(question, None).kind == "fallback"


@pytest.mark.parametrize(
    ("relayed", "question"),
    [
        ("Front desk here: a patient asked whether acupuncture hurts. What should I tell her?", "acupuncture hurts"),
        ("reception question - a caller wants to know if insurance covers acupuncture", "insurance covers acupuncture"),
    ],
)
def test_a_question_relayed_by_staff_is_answered_like_the_question_itself(
    engine: Engine, relayed: str, question: str
) -> None:
    direct = engine.respond(question, None)
    assert direct.kind == "answer"
    assert heading(engine.respond(relayed, None)) == heading(direct)


def test_asking_a_sections_own_heading_or_question_gets_that_section(engine: Engine) -> None:
    headings = {fold(p.heading) for p in engine.kb.pairs}
    for pair in engine.kb.pairs:
        own = [pair.heading, pair.question, *(a for a in pair.alternates if fold(a) not in headings)]
        for text in own:
            reply = engine.respond(text, None)
            assert reply.kind == "answer" and reply.answer is not None and reply.answer.id == pair.id, text


def test_a_sections_question_asked_about_the_other_treatment_is_not_forced_to_that_section(engine: Engine) -> None:
    # "Should I still see my doctor?" is an editors' question of an acupuncture-only section; in a conversation
    # about dry needling it is about dry needling.
    reply = converse(engine, "What is dry needling?", "Should I still see my doctor?")
    assert reply.answer is not None and "dry needling" in engine.kb.pair(reply.answer.id).topics


def test_a_declined_what_about_still_moves_the_conversation_to_that_treatment(engine: Engine) -> None:
    declined = converse(engine, "what is acupuncture", "is it covered by insurance?", "what about dry needling")
    assert declined.kind == "fallback" and declined.state["topic"] == "dry needling"
    reply = converse(
        engine, "what is acupuncture", "is it covered by insurance?", "what about dry needling", "who does it?"
    )
    assert heading(reply) == "Who performs dry needling and acupuncture?"
    assert reply.state["topic"] == "dry needling"


def test_a_question_in_everyday_words_that_a_section_asks_is_looked_up(engine: Engine) -> None:
    # "how often should I go?" is all everyday words, but "often" is the section's own question word.
    reply = converse(engine, "What is acupuncture?", "how often should I go?")
    assert heading(reply) == "How often should I get treatments?"


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("definition of acupuncture", "acupuncture/what-is-acupuncture"),
        ("acupuncture meaning", "acupuncture/intro"),  # an editor's alternate of the introduction, word for word
        ("define dry needling", "dry-needling-vs-acupuncture/dry-needling-vs-acupuncture"),
        ("give me a brief overview of dry needling", "dry-needling-vs-acupuncture/intro"),
    ],
)
def test_words_that_ask_for_a_definition_are_not_taken_for_a_subject(
    engine: Engine, question: str, section: str
) -> None:
    reply = engine.respond(question, None)
    assert reply.kind == "answer" and reply.answer is not None and reply.answer.id == section
