"""Reaching the clinic: its contact details (the [clinic] settings), the requests for them, and what to say."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ContactIntent = Literal["person", "phone", "hours", "booking", "address", "walk_in", "details"]

# A conversation declined this many times in a row is offered the clinic's details even when none is set (the
# reply then says so), so the patient knows the bot is not the way to get this answer.
DECLINES_BEFORE_CONTACT = 2
# How each detail is named to a patient, in the order they are listed.
_LABELS = {"phone": "phone number", "booking_url": "booking link", "hours": "opening hours", "address": "address"}
_LINE_LABELS = {"phone": "Phone", "booking_url": "Book online", "hours": "Opening hours", "address": "Address"}


@dataclass(frozen=True)
class ContactDetails:
    """How a patient reaches the clinic; each detail is None when the clinic has not set it."""

    phone: str | None = None
    booking_url: str | None = None
    hours: str | None = None
    address: str | None = None

    @property
    def configured(self) -> bool:
        """True when at least one detail is set."""
        return any(self.to_dict().values())

    def to_dict(self) -> dict[str, str | None]:
        """The contract's contact object."""
        return {"phone": self.phone, "booking_url": self.booking_url, "hours": self.hours, "address": self.address}

    def lines(self) -> tuple[str, ...]:
        """One "Label: value" line per detail that is set."""
        return tuple(f"{_LINE_LABELS[key]}: {value}" for key, value in self.to_dict().items() if value)

    def missing(self) -> tuple[str, ...]:
        """The names of the details that are not set ("phone number", "opening hours")."""
        return tuple(_LABELS[key] for key, value in self.to_dict().items() if not value)


# --- recognising a request to reach the clinic -------------------------------------------------------------------
# Each pattern must be the whole message (after greetings and thanks are stripped, punctuation flattened), so a
# question that merely mentions an appointment, a person or a phone ("how long is an appointment?", "should I talk
# to my doctor first?") is still looked up in the documents.
_YOU = (
    r"(?:you|u|ya|you guys|the clinic|your clinic|the office|your office|the practice|your practice|"
    r"the cent(?:er|re)|your cent(?:er|re))"
)
_YOUR = r"(?:(?:your|ur|the clinic'?s?|the office'?s?|the practice'?s?|the|clinic|office) )?"
_WHO = (
    r"(?:a |an |the |some |one of (?:the|your) |your |a member of )?(?:real |actual |live |human )?"
    r"(?:person|human(?: being)?|someone|somebody|anyone|anybody|staff(?: member)?|member of staff|receptionist|"
    r"reception|front desk|agent|operator|representative|people|team|nurse|practitioner|acupuncturist|therapist)"
)
_WANT = (
    r"(?:(?:can|could|may|do) i |i (?:want|need|would like|'d like|d like|wanna|wish) (?:to )?|i'd like to |let me |"
    r"is it possible to |how (?:do|can|could|should) i |how to |where (?:do|can) i |help me |please )?"
)
_DAY = (
    r"(?:today|tonight|tomorrow|now|this (?:week|weekend|morning|afternoon|evening)|"
    r"(?:on )?(?:the )?(?:weekends?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|bank holidays?|public holidays?|"
    r"holidays?|evenings?|mornings?|afternoons?|christmas|easter))"
)
_APPOINTMENT = r"(?:appointments?|appts?|sessions?|consultations?|consults?|visits?|treatments?|bookings?|slots?)"
_WHEN = r"(?: (?:for|on|at|to|next|this|tomorrow|today|tonight|in)\b(?: [\w']+){0,4})?"
_PATTERNS: tuple[tuple[ContactIntent, str], ...] = (
    (
        "walk_in",
        rf"(?:(?:do|can|will|would) {_YOU} )?(?:take|accept|allow|do|see|have) walk ?ins?(?: patients)?|"
        r"walk ?ins?(?: (?:welcome|ok|okay|allowed|accepted|possible))?|"
        r"(?:can|may|could) i (?:just )?(?:walk|drop|pop|come) in(?: without (?:an appointment|booking))?|"
        r"(?:can i )?(?:come|turn up|show up) without (?:an appointment|booking)|"
        rf"do i (?:need|have) (?:to book|an appointment|to make an appointment)(?: first| in advance| ahead)?",
    ),
    (
        "person",
        rf"{_WANT}(?:talk|speak|chat) (?:to|with) {_WHO}|(?:put me through|connect me|transfer me) (?:to|with) {_WHO}|"
        rf"(?:i (?:want|need)|give me|get me) {_WHO}|is there (?:a|any) (?:real )?(?:human|person|one) "
        rf"(?:i can|to) (?:talk|speak|chat) (?:to|with)|(?:a |an )?(?:real |live |actual )?(?:human(?: being)?|person|"
        r"agent|operator|representative)",
    ),
    (
        "phone",
        rf"(?:what(?:'s| is|s) |give me |can i (?:have|get) |may i have |i need )?{_YOUR}(?:phone|telephone|tel)"
        r"(?: number| no| #| num)?|"
        rf"{_WANT}(?:call|phone|ring) {_YOU}(?: up)?|(?:what|which) number (?:do|should|can) i (?:call|ring|phone|use)"
        rf"(?: to (?:book|make an appointment|reach {_YOU}))?|(?:can|could) (?:you|someone|somebody|the clinic) "
        r"(?:call|phone|ring) me(?: back)?",
    ),
    (
        "hours",
        rf"(?:what (?:are|r) |when are )?{_YOUR}(?:opening |office |business |clinic )?(?:hours|times)(?: on)?"
        rf"(?: {_DAY})?|(?:when|what time|what days?|which days?) (?:are|r|do|is) {_YOU} (?:open|closed|close)"
        rf"(?: on| at)?(?: {_DAY})?|(?:are|r|is) {_YOU} open(?: on| at)?(?: {_DAY})?|"
        rf"(?:when|what time) (?:do|does) {_YOU} (?:open|close|shut)(?: on)?(?: {_DAY})?",
    ),
    (
        "booking",
        rf"{_WANT}(?:book|make|schedule|arrange|set up|request|reserve|cancel|reschedule|change|move)(?: in)? "
        rf"(?:for )?(?:an |a |my |the |another |a new |a follow ?up |a first )?{_APPOINTMENT}"
        rf"(?: with {_YOU})?(?: online| by phone| over the phone)?{_WHEN}|"
        rf"{_WANT}book(?: in| online| with {_YOU})?|(?:online )?booking(?: online)?",
    ),
    (
        "address",
        rf"where (?:are|r|is) {_YOU}(?: located| based)?|where (?:can|do) i find {_YOU}|"
        rf"(?:what(?:'s| is|s) )?{_YOUR}(?:address|location|postcode|post code|zip code)|"
        rf"{_WANT}(?:get|find|come) (?:to )?{_YOU}|directions(?: to {_YOU})?",
    ),
    (
        "details",
        rf"(?:what(?:'s| is|s| are) |give me |can i (?:have|get) )?{_YOUR}contact(?: details| info| information)?|"
        rf"{_WANT}(?:contact|reach|get in touch with|get hold of) {_YOU}",
    ),
)
_OPENING = (
    r"(?:(?:so|ok|okay|and|but|um|uh|also|please|excuse me|sorry|quick question|just wondering|hey) )*"
    r"(?:(?:can|could) you (?:please )?tell me |please tell me |tell me |do you know |i'd like to know |"
    r"i want to know |i was wondering )?"
)
_CLOSING = r"(?: (?:please|pls|plz|now|right now|then|again|asap|thanks|thank you|instead|here|in person))*"
_CONTACT = tuple((intent, re.compile(rf"^{_OPENING}(?:{pattern}){_CLOSING}$")) for intent, pattern in _PATTERNS)


def contact_intent(bare: str) -> ContactIntent | None:
    """Which request to reach the clinic the whole message is (`bare`: folded, punctuation flattened), if any."""
    return next((intent for intent, pattern in _CONTACT if pattern.match(bare)), None)


# --- what to say --------------------------------------------------------------------------------------------------
# The detail each request asks for, and how an answer with it opens.
_ASKED: dict[ContactIntent, str] = {"phone": "phone", "hours": "hours", "booking": "booking_url", "address": "address"}
_GIVEN = {
    "phone": "You can call the clinic on {}.",
    "hours": "The clinic's opening hours: {}.",
    "booking_url": "You can book an appointment online at {}.",
    "address": "The clinic's address: {}.",
}
_OPENINGS: dict[ContactIntent, str] = {
    "person": "I'm an automated assistant, so I can't put you through to a person.",
    "walk_in": "I can't tell you whether the clinic sees patients without an appointment, so please check with "
    "the clinic.",
}
_ALL = "(phone number, booking link, opening hours and address) are not set up here."
_NONE_SET = f"The clinic's contact details {_ALL}"


def contact_lead(intent: ContactIntent, details: ContactDetails) -> str:
    """The answer to a request to reach the clinic, from the details that are set, saying plainly which are not."""
    key = _ASKED.get(intent)
    value = getattr(details, key) if key else None
    if not details.configured:
        if key:
            return f"I'm sorry, I can't give you the clinic's {_LABELS[key]}: its contact details {_ALL}"
        return (
            f"{_OPENINGS[intent]} {_NONE_SET}"
            if intent in _OPENINGS
            else f"I'm sorry, the clinic's contact details {_ALL}"
        )
    if key and value:
        opening = _GIVEN[key].format(value)
    elif key:
        opening = f"I'm sorry, the clinic's {_LABELS[key]} {_be(key)} not set up here."
    else:
        opening = _OPENINGS.get(intent, "")
    unset = [k for k, v in details.to_dict().items() if not v and k != key]
    missing = f" (its {_listed([_LABELS[k] for k in unset])} {_be(*unset)} not set up here)" if unset else ""
    return f"{opening} Here is how to reach the clinic{missing}:".strip()


def offered_contact(details: ContactDetails, declines: int) -> ContactDetails | None:
    """The details a decline carries: all of them when any is set, or after `declines` fallbacks in a row."""
    return details if details.configured or declines >= DECLINES_BEFORE_CONTACT else None


def fallback_lead(details: ContactDetails | None, declined: str) -> str:
    """A decline's lead, its closing "… or contact the clinic." naming how to when a detail is set."""
    stem = declined.removesuffix(" or contact the clinic.")
    way = _way(details) if details else None
    return f"{stem} or {way}." if way and stem != declined else declined


def _way(details: ContactDetails) -> str | None:
    if details.phone:
        return f"call the clinic on {details.phone}"
    if details.booking_url:
        return f"book a visit at {details.booking_url}"
    if details.address:
        return f"visit the clinic at {details.address}"
    return f"contact the clinic (opening hours: {details.hours})" if details.hours else None


def reach_block(details: ContactDetails) -> str:
    """The plain-text block a decline that offers the clinic's details ends with (before the safety notes)."""
    return "\n".join(("You can reach the clinic:", *details.lines())) if details.configured else _NONE_SET


def _be(*keys: str) -> str:
    return "are" if len(keys) > 1 or keys == ("hours",) else "is"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
