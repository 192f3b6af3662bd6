"""Emergency triage, before any retrieval: which red flags a message raises, and whether any is happening now.

A message is folded, texting spellings of function words are read as the words ("cant" is "can't"), and words one
slip away from a red-flag word ("pian", "atack", "sucidal", "hart") are read as that word (`faqbot.flagspelling`), so
a misspelt emergency is still one. Each mention is then read in its clause (`faqbot.context`): only a current one gets
the emergency reply; the others are answered as usual with a line on what to do if it is happening now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from faqbot.context import Status, classify
from faqbot.flagspelling import FlagSpelling
from faqbot.lexicon import Lexicon, load_lexicon
from faqbot.redflags import DANGER_PLACE, RED_FLAGS, RedFlag
from faqbot.urgency import UrgencyModel, load_model

# Something happening now that names no symptom: what "one" or "it" is comes from the question before.
_ONGOING = re.compile(
    r"\b(?:is|are|i'm|he's|she's|they're|keeps?) (?:having|doing) (?:one|another|it|an? (?:attack|episode|fit))\b|"
    r"\b(?:it's|it is) happening\b|\bhappening (?:right )?now\b|\b(?:started|doing) it again\b"
)
_DANGER_PLACE = re.compile(DANGER_PLACE)
_SUICIDAL = "suicidal thoughts"
_SAID_NOW = re.compile(r"\b(?:right now|just now|at the moment|currently|as we speak|now)\b")
# An emergency declared outright, or an ambulance asked for, at the head of a clause ("THIS IS AN EMERGENCY …",
# "someone call an ambulance"), not "how long … before you call an ambulance?".
_DECLARED = re.compile(
    r"^(?:(?:please|pls|plz|someone|somebody|quick|quickly|help|now)\s+)?(?:call|dial|phone|ring|get)\s+"
    r"(?:an?\s+|the\s+)?(?:ambulance|911|999|112|000)\b|"
    r"^(?:this is|it is|it's) an emergency\b(?!\s+(?:appointment|booking|slot|request|session|visit|dentist))"
)
# A clause that asks or supposes ("call 999 if a patient…", "…or go to A&E?") declares nothing.
_SUPPOSED = re.compile(r"\b(?:if|when|whether|should|would|do you|do i|or go|in case)\b|\?")
# A plea for help now, beside a red flag the rules read as happening now.
_PLEA = re.compile(
    r"\b(?:what (?:do|should|can) (?:i|we) do(?! (?:if|when|before|after|about))(?! to )|(?:please|pls|plz) help|"
    r"help (?:me|us|him|her)(?: please)?\s*[!.]*$|come quick\w*|hurry|sos)\b"
)
_MAX_TAILS = 4
_CLAUSES = re.compile(r"(?<=[,.;!?])\s+|\s+(?=but\b)")
GENERAL_FLAG = "emergency"  # the red flag named when no more specific one was mentioned


@dataclass(frozen=True)
class Mention:
    """One red flag found in a message, and how it was mentioned."""

    flag: str
    status: Status | Literal["topic"]  # "topic": the red flag's subject, not a description of it happening
    text: str


@dataclass(frozen=True)
class Triage:
    """What a message says about emergencies: every red-flag mention and whether any is happening now."""

    mentions: tuple[Mention, ...] = ()
    urgency: float | None = None  # the learned model's P(an emergency happening now); None without the model
    now: bool | None = None  # the verdict of rules and model together; None: the rules' reading alone

    @property
    def flags(self) -> tuple[str, ...]:
        """The red flags mentioned, most specific first, each once."""
        return tuple(dict.fromkeys(m.flag for m in self.mentions))

    @property
    def current(self) -> bool:
        """True when an emergency is happening now: the emergency reply."""
        return self.now if self.now is not None else self._rules_current

    @property
    def current_flags(self) -> tuple[str, ...]:
        """The red flags happening now; when only the model heard an emergency, the flags mentioned other than as
        denied or past ("I had a stroke years ago and now he is gurgling" is no stroke), else the general one."""
        if not self.current:
            return ()
        if self._rules_current:
            return tuple(dict.fromkeys(m.flag for m in self.mentions if m.status == "current"))
        present = (m.flag for m in self.mentions if m.status not in ("negated", "historical"))
        return tuple(dict.fromkeys(present)) or (GENERAL_FLAG,)

    @property
    def _rules_current(self) -> bool:
        return any(m.status == "current" for m in self.mentions)


class RedFlagReader:
    """Finds red-flag mentions in messages, misspelt or not, and reads whether each is happening now."""

    def __init__(
        self,
        flags: tuple[RedFlag, ...] = RED_FLAGS,
        lexicon: Lexicon | None = None,
        urgency: UrgencyModel | None = None,
    ) -> None:
        self.urgency = urgency
        self.flags = {flag.name: flag for flag in flags}
        # One alternation per flag: a single regex search per flag costs a quarter of one search per pattern.
        self._compiled = [(flag.name, re.compile("|".join(f"(?:{p})" for p in flag.patterns))) for flag in flags]
        self._lasting = frozenset(flag.name for flag in flags if flag.lasting)
        self._unfelt = frozenset(flag.name for flag in flags if flag.unfelt)
        self._topics = [(flag.name, re.compile(flag.topic)) for flag in flags if flag.topic]
        self._spelling = FlagSpelling(flags, lexicon or load_lexicon())

    def read(self, text: str, earlier: str | None = None) -> Triage:
        """Every red-flag mention in the text with its status (current, negated, historical, …); `earlier` is the
        conversation's previous question, for "she's having one right now" after "can people with epilepsy…?"."""
        normal = self.normalise(text)
        triage = self._mentions(normal)
        # Only a message that follows a question is read against it (most turns skip both searches).
        ongoing = bool(earlier) and not triage.current and _ONGOING.search(normal)
        if earlier and not triage.current and (ongoing or _DANGER_PLACE.search(normal)):
            before = self._mentions(self.normalise(earlier)).flags
            # "It's happening now" about the red flag just asked about, or "I'm on the bridge" after a question
            # about depression: the rules' surest reading, not weighed.
            now = tuple(Mention(f, "current", text) for f in before if ongoing or f == _SUICIDAL)
            if now:
                return Triage((*now, *triage.mentions))
        return self._weigh(triage, normal)

    def _weigh(self, triage: Triage, normal: str) -> Triage:
        """The rules' reading with the model's (`faqbot.urgency.Thresholds.now`)."""
        if self.urgency is None:
            return triage
        urgency = self.urgency.probability(normal)
        support = max([urgency, *map(self.urgency.probability, current_tails(normal, triage))])
        current = [self.flags[m.flag] for m in triage.mentions if m.status == "current" and m.flag in self.flags]
        undoubted = any(flag.undoubted for flag in current) or told_now(normal, triage)
        now = self.urgency.thresholds.now(urgency, support, triage.current, undoubted, len(normal.split()))
        return Triage(triage.mentions, urgency, now)

    def _mentions(self, normal: str) -> Triage:
        mentions = [
            Mention(
                name,
                classify(normal, found.start(), found.end(), name in self._lasting, name in self._unfelt),
                found.group(0),
            )
            for name, pattern in self._compiled
            for found in pattern.finditer(normal)
        ]
        described = {m.flag for m in mentions}
        for name, topic in self._topics:
            found = topic.search(normal) if name not in described else None
            if found:
                mentions.append(Mention(name, "topic", found.group(0)))
        return Triage(tuple(mentions))

    def set_aside(self, text: str) -> str:
        """The message without its clauses that describe a red flag not happening now, so that "I don't have chest
        pain, does acupuncture hurt?" is looked up as "does acupuncture hurt?"; the whole message when nothing else
        is left."""
        clauses = _CLAUSES.split(text)
        kept = [c for c in clauses if not any(m.status != "topic" for m in self._mentions(self.normalise(c)).mentions)]
        return " ".join(kept) if kept and len(kept) < len(clauses) else text

    def normalise(self, text: str) -> str:
        """Folded text with texting spellings expanded and slips of red-flag words corrected."""
        return self._spelling.normalise(text)


def current_tails(normal: str, triage: Triage) -> tuple[str, ...]:
    """The message from each clause holding a mention the rules read as happening now to its end (the first few
    such clauses: each tail is scored, and a message of many would cost its square): an emergency told after a
    question about something else is judged with what follows it, not with what came before."""
    clauses = _CLAUSES.split(normal)
    held = [i for i in _holding(clauses, triage) if i][:_MAX_TAILS]
    return tuple(" ".join(clauses[i:]) for i in held)


def told_now(normal: str, triage: Triage) -> bool:
    """Whether a clause holding a mention the rules read as happening now says so in so many words ("right now",
    "at the moment", "this is an emergency", "call an ambulance"), or the message pleads for help with it ("what do
    we do", "please help"): the model may not overrule such a reading, however calmly the rest of the message asks."""
    clauses = _CLAUSES.split(normal)
    if any(m.status == "current" for m in triage.mentions) and _PLEA.search(normal):
        return True
    return any(
        _SAID_NOW.search(clauses[i]) or (_DECLARED.search(clauses[i]) and not _SUPPOSED.search(clauses[i]))
        for i in _holding(clauses, triage)
    )


def _holding(clauses: list[str], triage: Triage) -> list[int]:
    said = [m.text for m in triage.mentions if m.status == "current"]
    return [i for i, clause in enumerate(clauses) if any(text in clause for text in said)]


@lru_cache(maxsize=1)
def default_reader() -> RedFlagReader:
    """The red-flag reader over the bundled flags, word list and urgency model, built once per process."""
    return RedFlagReader(urgency=load_model())


def red_flags(text: str) -> tuple[str, ...]:
    """Every red flag the message mentions, current or not, most specific first (empty when none)."""
    return default_reader().read(text).flags


def emergency_message(flags: tuple[str, ...], number: str, reader: RedFlagReader | None = None) -> tuple[str, str]:
    """The instruction to call, alone, and the line saying why: nothing else medical."""
    flags_by_name = (reader or default_reader()).flags
    instruction = f"Call {number} now (or your local emergency number), or go to the nearest emergency department."
    named = [flags_by_name[f] for f in flags if f in flags_by_name and f != "emergency"]
    if named:
        why = f"What you describe can be a medical emergency: {named[0].reason}."
    else:
        why = "What you describe can be a medical emergency."
    why += " Don't wait for an answer here: this assistant can't help in an emergency."
    return f"\u26a0\ufe0f {instruction}", why


def caution_line(number: str) -> str:
    """The line a reply about a red-flag topic carries when the red flag is not happening now."""
    return f"If this is happening now, call {number} (or your local emergency number)."
