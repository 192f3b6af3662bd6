"""One turn's text, normalised once: cleaned, triaged, folded, and what it wants, for every step of the reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from faqbot import dialogue
from faqbot.contact import ContactIntent, contact_intent
from faqbot.dialogue import SmalltalkKind
from faqbot.safety import RedFlagReader, Triage
from faqbot.text import clean_input, fold, tokens

# Red flags are looked for in the whole message, not just the part short enough to answer.
RED_FLAG_SCAN_CHARS = 100_000

Intent = Literal["question", "emergency", "empty", "reset", "more", "contact"] | SmalltalkKind


@dataclass(frozen=True)
class Question:
    """What a message asks the documents, read once: its words and how it refers to the conversation."""

    text: str
    words: tuple[str, ...]
    bare: str  # folded, punctuation flattened: what the follow-up patterns match
    subject: str | None  # the X of "what about X?" / "and X?", to be asked with the last question
    pronoun: bool  # refers back: "does it hurt?"

    @classmethod
    def read(cls, text: str) -> Question:
        """Fold and tokenise a question once, and read whether it follows up on the last one."""
        # Folded even when cut from folded text, as it always was: fold is not quite idempotent.
        folded = fold(text)
        bare = dialogue.flatten(folded)
        return cls(text, tuple(tokens(folded)), bare, dialogue.what_about(bare), dialogue.has_pronoun(folded))


@dataclass(frozen=True)
class Message:
    """One turn as every step of the reply reads it; `question` is set exactly when `intent` is "question" or
    "contact" (a request to reach the clinic is answered from the settings, but it is still the question the
    documents would be asked, which is how the fitting script sees it); `contact` says which request it is."""

    raw: str
    text: str  # cleaned and bounded, with clauses about a red flag not happening now set aside
    folded: str
    triage: Triage
    intent: Intent
    question: Question | None
    contact: ContactIntent | None = None


def read_message(raw: str, limit: int, reader: RedFlagReader, earlier: str | None) -> Message:
    """Read one turn: clean it, triage it for red flags (`earlier` is the last question), fold it once and say what
    it wants: an emergency, a question to look up, small talk, "tell me more" or a reset."""
    text = clean_input(raw, limit)
    triage = reader.read(clean_input(raw, RED_FLAG_SCAN_CHARS), earlier=earlier)
    if triage.current:
        return Message(raw, text, fold(text), triage, "emergency", None)
    if triage.flags:
        text = reader.set_aside(text)
    folded = fold(text)
    intent, question = _intent(text, folded)
    # Only after triage: "I can't breathe, call someone" is an emergency, not a request for the phone number.
    contact = contact_intent(question.bare) if question is not None else None
    if contact is not None:
        return Message(raw, text, folded, triage, "contact", question, contact)
    return Message(raw, text, folded, triage, intent, question)


def _intent(text: str, folded: str) -> tuple[Intent, Question | None]:
    if not text.strip(" ?!.,;:-"):
        return "empty", None
    bare = dialogue.flatten(folded)
    if dialogue.is_reset(bare):
        return "reset", None
    kind = dialogue.smalltalk_kind(folded, bare)
    if kind:
        return kind, None
    question = Question.read(dialogue.strip_pleasantries(folded))
    return ("more", None) if dialogue.is_more_request(question.bare) else ("question", question)
