"""Conversation handling that needs no retrieval: the state record, small talk and follow-up intents."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from faqbot.text import fold

STATE_VERSION = 1
_MAX_STATE_QUERY = 300
# "Tell me more" doesn't come back to a section within this many; bounded because the state travels with every
# message (the web API signs it into a request body limited to 8 KB).
_MAX_SHOWN = 16
_MAX_ALERTED = 12  # more than there are red flags
_MAX_FLAG_NAME = 40

SmalltalkKind = Literal["greeting", "thanks", "bye", "identity", "help"]
# Words that acknowledge before thanking or leaving ("ok cool thanks", "alright bye").
_ACKNOWLEDGED = r"(?:(?:ok(?:ay)?|alright|all right|right|cool|great|perfect|awesome|nice|lovely|brilliant) )*"
_SMALLTALK_PATTERNS: tuple[tuple[SmalltalkKind, str], ...] = (
    (
        "greeting",
        r"hi+|hello+|hey+|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|hola|"
        r"(?:is )?(?:any ?one|any ?body|some ?one) (?:there|here|home|around)|you there|are you there",
    ),
    (
        "thanks",
        rf"{_ACKNOWLEDGED}(?:thanks?|thank you|thx|ty|cheers|"
        r"much appreciated|appreciate it|that (?:really |actually |so |truly )?(?:helps|helped)|helpful|got it|great|"
        r"perfect|awesome|"
        r"(?:that|this|it|you)(?:'s| is| was| were| are|'re)? (?:really |very |so |super |most )?"
        r"(?:helpful|useful|great|perfect|awesome|clear|kind|brilliant|lovely|nice))",
    ),
    (
        "bye",
        rf"{_ACKNOWLEDGED}(?:bye+|goodbye|good bye|see (?:you|ya)(?: later)?|later|good night|that'?s all|"
        r"that is all|i'?m done|done|farewell|take care|"
        r"have a (?:good|nice|great|lovely) (?:day|one|night|evening|weekend))",
    ),
    (
        "identity",
        r"who (?:are|r) (?:you|u)|what (?:are|r) (?:you|u)|what'?s your name|what is your name|"
        r"are (?:you|u) (?:a |an )?(?:real )?(?:bot|robot|human|real|person|ai|computer|machine)|"
        r"(?:am i|are we) (?:talking|chatting|speaking) (?:to|with) (?:a )?(?:bot|human|person|real person|"
        r"someone|anyone|a machine|an ai|a computer|you)|who am i (?:talking|chatting|speaking) (?:to|with)|"
        r"(?:are (?:you|u)|is this) (?:a |an )?(?:bot|robot|ai|computer|machine|human|person|real person)"
        r"(?: or (?:a |an )?(?:real )?(?:bot|robot|ai|computer|machine|human|person))?",
    ),
    (
        "help",
        r"help|help me|what can (?:you|u|i) (?:do|ask|say)|what can you help (?:me )?with|"
        r"what do (?:you|u) know(?: about)?|what (?:can|should) i ask(?: you)?|how does this work|"
        r"what topics(?: do you cover| can you help with)?|menu|options|commands|what do you do|"
        r"what (?:kind|kinds|sort|sorts|type|types) of (?:questions|stuff|things)"
        r"(?: (?:can|could|do) (?:you|i) (?:answer|ask|help(?: me)? with|do)(?: you)?)?|how do i use (?:this|you)",
    ),
)
# Polite tails that may follow any small-talk phrase ("thanks, have a good day").
_TAIL = (
    r"(?:[\s,]+(?:there|faqbot|bot|again|so much|very much|a lot|all|everyone|mate|buddy|pal|friend|"
    r"that (?:really |actually |so |truly )?(?:helped|helps)|"
    r"that's helpful|have a (?:good|nice|great) (?:day|one|night|evening)|for (?:your|the) help|for helping))*$"
)
_SMALLTALK: tuple[tuple[SmalltalkKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"^(?:{pattern}){_TAIL}")) for kind, pattern in _SMALLTALK_PATTERNS
)
_GREETING_PREFIX = re.compile(r"^(?:hi+|hello+|hey+|hiya|good (?:morning|afternoon|evening))(?:\s+there)?[\s,!.:-]+")
# Each trailing pattern starts where a run of separators starts (the look-behind), so a message of a thousand
# commas is one match attempt, not a thousand.
_SEPARATORS = r"(?<![\s,.?!;:-])[\s,.?!;:-]+"
_POLITE_SUFFIX = re.compile(rf"{_SEPARATORS}(?:thanks?|thank you|thx|please|pls)[\s!.]*$")
# Staff relay patients' questions ("front desk here: a caller wants to know if ... what do I tell her?"): the
# wrapper says who asks, not what, so only the question inside it is looked up. A role word alone must be followed
# by punctuation or "here"/"question": "reception hours on saturday" is itself the question.
_STAFF = r"(?:front desk|reception|receptionist|staff|admin)(?:(?: here| question)[\s,:;.!-]*|\s*[,:;.!-]+\s*)"
_RELAY_OPENING = re.compile(
    rf"^(?:{_STAFF}|i work (?:at )?(?:the )?(?:front desk|reception)(?: and)?\s+)?"
    r"(?:(?:a|one of our|our|the) )?(?:patient|caller|client|customer|people)s?(?: at the desk| on the phone)? "
    r"(?:is asking|are asking|asked|asks|wants to know|want to know|would like to know|keeps? asking)(?: me| us)?"
    rf"(?: (?:if|whether|about))?\s+|^{_STAFF}"
)
_RELAY_CLOSING = re.compile(
    rf"{_SEPARATORS}(?:(?:what|how) (?:should|do|can|would) (?:i|we) "
    r"(?:tell|say to|answer|explain (?:it |this |that )?to)(?: (?:her|him|them|the patient|the caller|people))?|"
    r"what (?:should|do|can) (?:i|we) say)[\s?.!]*$"
)
_MORE = re.compile(
    r"^(?:(?:can you |could you |please )?(?:tell me|say|explain|give me) (?:some )?more(?: about (?:it|that|this))?|"
    r"more|more (?:info|information|details?)|go on|continue|keep going|and\??|what else|anything else|"
    r"(?:can you |could you |please )?(?:elaborate|expand)(?: on (?:that|it|this))?|more please|next|and then)"
    r"(?: please)?$"
)
_WHAT_ABOUT = re.compile(
    r"^(?:and |ok(?:ay)? |so )?(?:what|how) about (?:for |with )?(?P<rest>.+)$|^and (?:for |with )?(?P<rest2>.+)$"
)
_PRONOUN = re.compile(r"\b(it|its|they|them|this|that|these|those|one)\b")
_RESET = re.compile(r"^(?:reset|start over|restart|new conversation|clear|forget (?:it|that|everything))$")


@dataclass(frozen=True)
class ConversationState:
    """What the engine remembers between turns; travels with the conversation as a small JSON object."""

    topic: str | None = None
    last_id: str | None = None
    last_query: str | None = None
    turns: int = 0
    shown: tuple[str, ...] = ()
    declines: int = 0  # fallbacks in a row: the clinic's details are offered from the second on
    # The red flags of an emergency reply to the turn before: the next reply, whatever it says ("sorry, that was last
    # year"), keeps the line on what to do if it is happening now.
    alerted: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the `state` of the reply contract)."""
        return {
            "v": STATE_VERSION,
            "topic": self.topic,
            "last_id": self.last_id,
            "last_query": self.last_query,
            "turns": self.turns,
            "shown": list(self.shown),
            "declines": self.declines,
            "alerted": list(self.alerted),
        }

    @classmethod
    def from_any(cls, data: Any, topics: tuple[str, ...]) -> ConversationState:
        """Read state from whatever a client sent back; anything malformed starts a fresh conversation."""
        if not isinstance(data, Mapping) or data.get("v") != STATE_VERSION:
            return cls()
        topic = data.get("topic") if data.get("topic") in topics else None
        last_id = data.get("last_id") if isinstance(data.get("last_id"), str) else None
        last_query = data.get("last_query") if isinstance(data.get("last_query"), str) else None
        raw_turns = data.get("turns")
        turns = raw_turns if isinstance(raw_turns, int) and not isinstance(raw_turns, bool) else 0
        raw_shown = data.get("shown")
        shown = tuple(i for i in raw_shown[-_MAX_SHOWN:] if isinstance(i, str)) if isinstance(raw_shown, list) else ()
        query = (last_query or "")[:_MAX_STATE_QUERY] or None
        # Absent from states written before it was counted: those start from none.
        raw_declines = data.get("declines")
        declines = raw_declines if isinstance(raw_declines, int) and not isinstance(raw_declines, bool) else 0
        raw_alerted = data.get("alerted")
        alerted = (
            tuple(f for f in raw_alerted[:_MAX_ALERTED] if isinstance(f, str) and len(f) <= _MAX_FLAG_NAME)
            if isinstance(raw_alerted, list)
            else ()
        )
        return cls(topic, last_id, query, max(0, min(turns, 10**6)), shown, max(0, min(declines, 100)), alerted)

    def next_turn(self) -> ConversationState:
        """The state after a turn that changed nothing but the count (small talk, a message with nothing in it)."""
        moved = self.after(topic=self.topic, last_id=self.last_id, last_query=self.last_query)
        return dataclasses.replace(moved, declines=self.declines)

    def declined(self, before: ConversationState) -> ConversationState:
        """This state, reached by a fallback: one more decline in a row than `before` had."""
        return dataclasses.replace(self, declines=before.declines + 1)

    def after(
        self,
        *,
        topic: str | None,
        last_id: str | None,
        last_query: str | None,
        shown: tuple[str, ...] | None = None,
    ) -> ConversationState:
        """The state after one more turn (no declines in a row); `shown` lists the sections given for the current
        question so far."""
        kept = self.shown if shown is None else shown[-_MAX_SHOWN:]
        return ConversationState(topic, last_id, (last_query or "")[:_MAX_STATE_QUERY] or None, self.turns + 1, kept)


def flatten(folded: str) -> str:
    """Folded text with its punctuation flattened and spaces collapsed: the form the intent patterns match."""
    return " ".join(re.sub(r"[^\w' ]+", " ", folded).split())


def smalltalk_kind(folded: str, bare: str) -> SmalltalkKind | None:
    """Which small-talk intent the whole message (`folded`, and `bare` flattened) is, if it is only small talk
    ("hi! who are you?" is identity)."""
    # Each piece is folded as itself, as it always was: fold is not quite idempotent (NFKD leaves primes of a triple
    # prime, which a second fold makes apostrophes).
    pieces = (flatten(fold(piece)) for piece in re.split(r"[,.!?;:]+", folded))
    kinds = [_segment_kind(piece) for piece in pieces if piece]
    if not kinds or None in kinds:
        return _segment_kind(bare)
    # A greeting opens the message; what follows it says what the person wants.
    return next((kind for kind in reversed(kinds) if kind != "greeting"), kinds[0])


def _segment_kind(bare: str) -> SmalltalkKind | None:
    return next((kind for kind, pattern in _SMALLTALK if pattern.match(bare)), None)


def strip_pleasantries(folded: str) -> str:
    """Remove a leading greeting and trailing thanks so "hi, does it hurt? thanks" is the question alone."""
    stripped = _POLITE_SUFFIX.sub("", _GREETING_PREFIX.sub("", folded.strip()))
    stripped = _RELAY_CLOSING.sub("", _RELAY_OPENING.sub("", stripped))
    return stripped if stripped.strip(" ?!.,") else folded.strip()


def is_more_request(bare: str) -> bool:
    """ "tell me more", "go on", "what else": continue from the last answer."""
    return bool(_MORE.match(bare))


def is_reset(bare: str) -> bool:
    """ "reset", "start over": forget the conversation."""
    return bool(_RESET.match(bare))


def what_about(bare: str) -> str | None:
    """The subject of "what about X?" / "and X?" (to be re-asked with the last question), else None."""
    match = _WHAT_ABOUT.match(bare)
    if not match:
        return None
    rest = match["rest"] or match["rest2"] or ""
    return rest.strip() or None


def has_pronoun(folded: str) -> bool:
    """True when the message refers back ("does it hurt?", "who performs them?")."""
    return bool(_PRONOUN.search(folded))
