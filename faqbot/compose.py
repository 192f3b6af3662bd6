"""Assembling Reply values: the plain-text reply, its source line and its disclaimers."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from faqbot import excerpt
from faqbot.contact import ContactDetails, ContactIntent, contact_lead, fallback_lead, reach_block
from faqbot.dialogue import ConversationState, SmalltalkKind
from faqbot.models import Answer, Block, EmergencyNote, QAPair, Reply, ReplyKind, Suggestion

FALLBACK_LEAD = (
    "I'm sorry, the clinic's documents don't cover that, so I can't answer it. "
    "Please ask your healthcare provider or contact the clinic."
)
CLARIFY_LEAD = "I'm not sure which of these you mean. Did you mean:"
VACANT_LEAD = "I'm not sure what you'd like to know. You could ask, for example:"
WAY_FORWARD = "If this isn't happening now, ask me your question again."
NO_MORE_LEAD = "That's all the clinic's documents say on this. You could ask about something else, for example:"


def source_line(pair: QAPair) -> str:
    """ "Source: Acupuncture › Procedure Details › Does acupuncture hurt? (Cleveland Clinic, reviewed 2023-05-16)"."""
    where = " \u203a ".join((pair.doc.title, *(p for p in pair.path if p != pair.doc.title)))
    about = [part for part in (pair.doc.publisher, _dated(pair)) if part]
    return f"Source: {where}" + (f" ({', '.join(about)})" if about else "")


def answer_reply(
    pair: QAPair,
    confidence: float,
    disclaimers: Sequence[str],
    state: ConversationState,
    related: Sequence[Suggestion],
    lead: str = "",
    shown: Sequence[Block] | None = None,
) -> Reply:
    """An answer in the document's own words (the `shown` blocks, else the section's first), with its source,
    disclaimers and related questions; the whole section goes along in `full_blocks`."""
    section = excerpt.of_pair(pair)
    blocks = tuple(shown) if shown is not None else excerpt.short_answer(section)
    answer = Answer(
        id=pair.id,
        question=pair.question,
        heading=pair.heading,
        body=pair.body,
        title=pair.doc.title,
        file=pair.doc.file,
        reviewed=pair.doc.reviewed,
        confidence=confidence,
        path=pair.path,
        publisher=pair.doc.publisher,
        date_kind=pair.doc.date_kind,
        blocks=blocks,
        full_blocks=section.blocks,
        url=pair.doc.url,
    )
    parts = [lead, excerpt.plain(blocks), source_line(pair)]
    return _reply("answer", parts, disclaimers, state, answer=answer, suggestions=related, lead=lead)


def choice_reply(
    kind: ReplyKind,
    lead: str,
    options: Sequence[Suggestion],
    disclaimers: Sequence[str],
    state: ConversationState,
    contact: ContactDetails | None = None,
) -> Reply:
    """A clarify or fallback reply: a lead sentence and the questions offered instead, and, given `contact`, how to
    reach the clinic (named in the lead's "contact the clinic" when a detail is set)."""
    listing = "\n".join(f"\u2022 {pair.question}" for pair in options)
    lead = fallback_lead(contact, lead)
    block = reach_block(contact) if contact else ""
    return _reply(kind, [lead, listing, block], disclaimers, state, suggestions=options, lead=lead, contact=contact)


def contact_reply(
    intent: ContactIntent, details: ContactDetails, disclaimers: Sequence[str], state: ConversationState
) -> Reply:
    """The answer to "can I talk to a person?", "what are your opening hours?": the clinic's details, from settings."""
    lead = contact_lead(intent, details)
    return _reply("contact", [lead, "\n".join(details.lines())], disclaimers, state, lead=lead, contact=details)


def smalltalk_reply(
    intent: SmalltalkKind | str,
    topics: Sequence[str],
    starters: Sequence[Suggestion],
    disclaimers: Sequence[str],
    state: ConversationState,
) -> Reply:
    """Greetings, thanks, goodbyes, who-are-you and help."""
    subjects = _subjects(topics)
    leads = {
        "greeting": f"Hello! I answer questions about {subjects} using the clinic's own documents. "
        "What would you like to know?",
        "thanks": f"You're welcome! Is there anything else you'd like to know about {subjects}?",
        "bye": "Goodbye, and take care!",
        "identity": f"I'm faqbot, the clinic's FAQ assistant: a computer program, not a person. I answer "
        f"questions about {subjects} using only the clinic's documents, and I can't give "
        "personal medical advice.",
        "help": f"I can answer questions about {subjects} from the clinic's documents. "
        "Ask in your own words, or try one of these:",
        "reset": "Okay, let's start over. What would you like to know?",
        "empty": f"Please type a question about {subjects}.",
    }
    offered = () if intent in ("bye", "thanks") else starters
    listing = "\n".join(f"\u2022 {pair.question}" for pair in offered) if intent == "help" else ""
    lead = leads.get(intent, leads["help"])
    return _reply("smalltalk", [lead, listing], disclaimers, state, suggestions=offered, lead=lead)


# More topics than this are not listed one by one in greetings and help: the documents' subjects are named instead.
_MAX_NAMED_TOPICS = 3


def _subjects(topics: Sequence[str]) -> str:
    """The topics as a phrase ("acupuncture and dry needling", "a, b and c"), or the documents' subjects at large."""
    if not topics:
        return "the clinic's documents"
    if len(topics) > _MAX_NAMED_TOPICS:
        return "what the clinic's documents cover"
    return " and ".join((", ".join(topics[:-1]), topics[-1])) if len(topics) > 1 else topics[0]


def emergency_reply(
    instruction: str, why: str, flags: Sequence[str], number: str, disclaimers: Sequence[str], state: ConversationState
) -> Reply:
    """The instruction to call, first and alone; then why, the way forward and one safety statement."""
    lead = "\n\n".join((instruction, why, WAY_FORWARD))
    reply = _reply("emergency", [lead], disclaimers, state, lead=lead, emergency_number=number)
    return dataclasses.replace(reply, emergency=EmergencyNote(tuple(flags), current=True))


def with_caution(reply: Reply, flags: Sequence[str], line: str) -> Reply:
    """A reply to a message about a red-flag subject that is not happening now: the same reply, and one line on what
    to do if it is, just before the safety statements."""
    notes = "\n".join(f"Please note: {text}" for text in reply.disclaimers)
    body = reply.text[: -len(notes)].rstrip("\n") if notes and reply.text.endswith(notes) else reply.text
    text = "\n\n".join(part for part in (body, line, notes) if part)
    return dataclasses.replace(reply, text=text, emergency=EmergencyNote(tuple(flags), current=False, note=line))


def _reply(
    kind: ReplyKind,
    parts: Sequence[str],
    disclaimers: Sequence[str],
    state: ConversationState,
    *,
    answer: Answer | None = None,
    suggestions: Sequence[Suggestion] = (),
    lead: str = "",
    emergency_number: str | None = None,
    contact: ContactDetails | None = None,
) -> Reply:
    notes = "\n".join(f"Please note: {text}" for text in disclaimers)
    text = "\n\n".join(part for part in (*parts, notes) if part)
    return Reply(
        kind=kind,
        text=text,
        disclaimers=tuple(disclaimers),
        state=state.to_dict(),
        answer=answer,
        suggestions=tuple(suggestions),
        lead=lead,
        emergency_number=emergency_number,
        contact=contact,
    )


def _dated(pair: QAPair) -> str | None:
    return f"{pair.doc.date_kind} {pair.doc.reviewed}" if pair.doc.reviewed else None
