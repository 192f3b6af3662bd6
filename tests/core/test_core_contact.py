"""Reaching the clinic: contact requests answered from the [clinic] settings, and declines that offer the details."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faqbot.contact import ContactDetails, contact_intent
from faqbot.dialogue import flatten, strip_pleasantries
from faqbot.engine import Engine
from faqbot.evaluate import parse_cases
from faqbot.knowledge import KnowledgeBase
from faqbot.models import Reply
from faqbot.settings import EngineSettings
from faqbot.text import fold

EVAL = Path(__file__).resolve().parents[2] / "eval"
# The files a test may read: never the blind ones.
EVAL_FILES = ("dev", "check", "holdout", "blind2", "blind3", "real", "safety", "safety2", "safety3")
CLINIC = ContactDetails(
    phone="0161 496 0000",
    booking_url="https://clinic.example/book",
    hours="Mon\u2013Fri 9am\u20135pm",
    address="1 High Street, Leeds LS1 1AA",
)
REQUESTS = {
    "person": ["can i talk to a human", "Can I speak to someone, please?", "I want to talk to a real person", "human"],
    "phone": ["whats ur phone number", "What's the clinic's phone number?", "how do i call you", "phone number?"],
    "hours": ["opening hours", "when are you open", "Are you open on Saturdays?", "what time do you close today"],
    "booking": ["How do I book an appointment?", "book an appointment online", "i need to cancel my appointment"],
    "address": ["where are you", "what's your address?", "how do I get to the clinic", "where are you located"],
    "walk_in": ["do you take walk ins", "Do you accept walk-ins?", "can i just walk in", "do I need an appointment"],
    "details": ["what's your contact info", "how can I contact you", "how do I get in touch with the clinic"],
}
ASKED = {"phone": CLINIC.phone, "hours": CLINIC.hours, "booking": CLINIC.booking_url, "address": CLINIC.address}
FAQ_QUESTIONS = [
    "how do I find a qualified acupuncturist?",
    "how long is an appointment?",
    "what happens at my first appointment?",
    "should I talk to my doctor before trying dry needling?",
    "can I book dry needling myself without seeing a doctor?",
    "where do the needles go?",
    "who performs dry needling and acupuncture?",
    "how long does a session last?",
    "is the person doing it properly qualified?",
    "when will I feel better?",
    "can I call it acupuncture if it's dry needling?",
    "how many appointments will I need?",
]


def bare(text: str) -> str:
    return flatten(strip_pleasantries(fold(text)))


@pytest.fixture(scope="module")
def clinic_engine(kb: KnowledgeBase, engine: Engine) -> Engine:
    return Engine(kb, EngineSettings(clinic=CLINIC), semantic=engine.semantic)


def converse(engine: Engine, *turns: str) -> list[Reply]:
    replies, state = [], None
    for turn in turns:
        reply = engine.respond(turn, state)
        replies.append(reply)
        state = reply.state
    return replies


@pytest.mark.parametrize(("intent", "text"), [(i, t) for i, texts in REQUESTS.items() for t in texts])
def test_requests_to_reach_the_clinic_are_answered_from_the_settings(
    clinic_engine: Engine, intent: str, text: str
) -> None:
    assert contact_intent(bare(text)) == intent
    reply = clinic_engine.respond(text, None)
    data = reply.to_dict()
    assert reply.kind == "contact" and reply.answer is None
    assert data["contact"] == CLINIC.to_dict()
    assert reply.disclaimers and all(f"Please note: {d}" in reply.text for d in reply.disclaimers)
    asked = ASKED.get(intent)
    assert asked is None or asked in reply.lead
    assert all(value in reply.text for value in CLINIC.to_dict().values() if value)
    assert "not set up" not in reply.text


def test_missing_details_are_named_plainly(kb: KnowledgeBase, engine: Engine) -> None:
    partial = Engine(kb, EngineSettings(clinic=ContactDetails(hours="Mon-Fri 9-5")), semantic=engine.semantic)
    reply = partial.respond("what's your phone number?", None)
    assert reply.kind == "contact" and reply.contact == ContactDetails(hours="Mon-Fri 9-5")
    assert "phone number is not set up here" in reply.lead
    assert "booking link and address are not set up here" in reply.lead and "Mon-Fri 9-5" in reply.text
    unset = engine.respond("what's your phone number?", None)
    assert unset.kind == "contact" and unset.to_dict()["contact"] == ContactDetails().to_dict()
    assert "not set up here" in unset.lead and "0161" not in unset.text


@pytest.mark.parametrize("question", FAQ_QUESTIONS)
def test_questions_that_only_mention_appointments_people_or_calls_are_looked_up(
    clinic_engine: Engine, question: str
) -> None:
    assert contact_intent(bare(question)) is None
    assert clinic_engine.respond(question, None).kind != "contact"


@pytest.mark.parametrize("name", EVAL_FILES)
def test_no_question_the_documents_answer_is_taken_for_a_contact_request(name: str) -> None:
    cases = parse_cases((EVAL / f"{name}.jsonl").read_text(encoding="utf-8").splitlines())
    caught = [t for case in cases if case.in_scope for t in case.turns if contact_intent(bare(t))]
    assert caught == []


@pytest.mark.parametrize(
    "message",
    ["I can't breathe, call someone", "my chest hurts, what's your phone number", "he collapsed, where are you"],
)
def test_red_flags_are_triaged_before_contact_requests(clinic_engine: Engine, engine: Engine, message: str) -> None:
    reply = clinic_engine.respond(message, None)
    assert reply.kind == "emergency" and reply.contact is None
    assert reply.text == engine.respond(message, None).text  # the emergency reply does not change


def test_every_decline_offers_the_details_and_names_them(clinic_engine: Engine) -> None:
    for replies in (
        converse(clinic_engine, "do you do cupping?"),
        converse(clinic_engine, "what is dry needling", "ok"),
    ):
        reply = replies[-1]
        assert reply.kind == "fallback" and reply.to_dict()["contact"] == CLINIC.to_dict()
        assert all(value in reply.text for value in CLINIC.to_dict().values() if value)
    lead = converse(clinic_engine, "do you do cupping?")[0].lead
    assert "contact the clinic" not in lead and CLINIC.phone is not None and CLINIC.phone in lead


def test_two_declines_in_a_row_offer_the_clinic_even_without_details(engine: Engine) -> None:
    first, second, third = converse(engine, "do you do cupping?", "what's the weather like today?", "is it sunny?")
    assert first.kind == second.kind == third.kind == "fallback"
    assert first.contact is None and second.contact == ContactDetails() == third.contact
    assert "not set up here" in second.text and "not set up here" not in first.text
    assert [r.state["declines"] for r in (first, second, third)] == [1, 2, 3]


def test_an_answer_or_a_contact_reply_ends_the_run_of_declines_and_small_talk_does_not(engine: Engine) -> None:
    answered = converse(engine, "do you do cupping?", "what is dry needling", "do you sell gift vouchers?")
    assert answered[1].state["declines"] == 0 and answered[-1].contact is None
    reached = converse(engine, "do you do cupping?", "what's your phone number", "do you sell gift vouchers?")
    assert reached[-1].contact is None
    thanked = converse(engine, "do you do cupping?", "thanks", "do you sell gift vouchers?")
    assert thanked[1].kind == "smalltalk" and thanked[-1].contact == ContactDetails()


@pytest.mark.parametrize(
    ("declines", "offered"),
    [(None, False), (1, True), (0, False), ("2", False), (True, False), (-5, False), (10**9, True)],
)
def test_states_without_or_with_a_bad_decline_count_still_work(engine: Engine, declines: Any, offered: bool) -> None:
    state: dict[str, Any] = {"v": 1, "topic": None, "last_id": None, "last_query": None, "turns": 3, "shown": []}
    if declines is not None:
        state["declines"] = declines
    reply = engine.respond("do you do cupping?", json.loads(json.dumps(state)))
    assert reply.kind == "fallback" and (reply.contact is not None) == offered


def test_other_replies_carry_no_contact(clinic_engine: Engine) -> None:
    for text in ("what is dry needling?", "hi", "thanks", "I have crushing chest pain"):
        assert clinic_engine.respond(text, None).to_dict()["contact"] is None
