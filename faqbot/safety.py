"""Emergency triage, before any retrieval: which red flags a message raises, and whether any is happening now.

A message is folded, texting spellings of function words are read as the words ("cant" is "can't"), and words one
slip away from a red-flag word ("pian", "atack", "sucidal", "hart") are read as that word, so a misspelt emergency is
still one. Each mention is then read in its clause (`faqbot.context`): only a current one gets the emergency reply; the
others are answered as usual with a line on what to do if it is happening now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from faqbot.context import Status, classify
from faqbot.lexicon import Lexicon, load_lexicon
from faqbot.redflags import DANGER_PLACE, RED_FLAGS, RedFlag
from faqbot.text import fold
from faqbot.texting import SHORTHAND, TEXTING
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
_MAX_TAILS = 4
_CLAUSES = re.compile(r"(?<=[,.;!?])\s+|\s+(?=but\b)")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# A listed English word is read as a red-flag word only when that word is far commoner ("hart" for "heart") and the
# word itself is not an everyday one ("chess" stays "chess").
_SLIP_ZIPF_GAP = 0.5
_EVERYDAY_ZIPF = 4.2
_MIN_CORRECTED_LENGTH = 4
_SPLIT_PART, _SPLIT_WORD = 5, 6
_DERIVED_ENDINGS = ("er", "ers", "s", "es", "y", "ly", "ish")
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
        self._lexicon = lexicon or load_lexicon()
        self._flag_words = [_pattern_words((*flag.patterns, flag.topic), self._lexicon) for flag in flags]
        self._known = frozenset().union(*self._flag_words)
        # The words that name a red flag ("seizure"): what a word dictation split in two may be ("a see sure"), not
        # any word of a pattern ("was fine" is no "washing", "there any" no "therapy").
        self._naming = _pattern_words(tuple(flag.topic for flag in flags), self._lexicon)
        self._vocabulary = sorted(self._known)
        self._phrases = _pattern_bigrams(flags)
        self._candidates = lru_cache(maxsize=16_384)(self._corrections)
        self._joined_word = lru_cache(maxsize=16_384)(self._joined_reading)

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
        folded = " ".join(fold(text).split())
        for pattern, replacement in SHORTHAND:
            folded = pattern.sub(replacement, folded)
        tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(folded)]
        pieces, last, position = [], 0, 0
        while position < len(tokens):
            start, end, word = tokens[position]
            after = tokens[position + 1] if position + 1 < len(tokens) else None
            # Dictation splits a long word in two ("a see sure"): read the two as the word they sound like, unless
            # the next two spell one exactly ("has ting ling" is "has tingling", not "harming ling").
            following = tokens[position + 2] if position + 2 < len(tokens) else None
            exact_next = bool(after and following and after[2] + following[2] in self._naming)
            joined = self._joined(word, after[2]) if after and after[0] == end + 1 and not exact_next else None
            if after and joined:
                pieces += [folded[last:start], joined]
                last, position = after[1], position + 2
                continue
            before = tokens[position - 1][2] if position else ""
            # A letter run that is part of a code ("SI1", "CV17" for acupuncture points) is no word to read.
            code = folded[end : end + 1].isdigit() or folded[start - 1 : start].isdigit()
            reading = word if code else self._reading(word, before, after[2] if after else "")
            pieces += [folded[last:start], reading]
            last, position = end, position + 1
        return "".join([*pieces, folded[last:]])

    def _joined(self, first: str, second: str) -> str | None:
        # Two pieces that spell a word naming a red flag are that word ("over dose", "brea the", "sui cidal").
        if len(first) + len(second) >= _SPLIT_WORD and first + second in self._naming:
            return first + second
        if len(first) > _SPLIT_PART or len(second) > _SPLIT_PART or first in self._known or second in self._known:
            return None
        return self._joined_word(first + second)

    def _joined_reading(self, joined: str) -> str | None:
        if len(joined) < _SPLIT_WORD or self._lexicon.frequency(joined):
            return None
        long_words = [c for c in self._candidates(joined) if len(c) >= _SPLIT_WORD + 1 and c in self._naming]
        return long_words[0] if long_words else None

    def _reading(self, word: str, before: str, after: str) -> str:
        if word in TEXTING:
            return TEXTING[word]
        candidates = self._candidates(word)
        if not candidates:
            return word
        # A phrase of the red flags first ("hart attack" is "heart attack", not "hard attack"), the neighbour read
        # as it is or as its own slip ("hart atack"), then a word of the neighbours' red flag, then the nearest and
        # commonest.
        befores, afters = self._forms(before), self._forms(after)
        phrased = [
            c
            for c in candidates
            if any((b, c) in self._phrases for b in befores) or any((c, a) in self._phrases for a in afters)
        ]
        neighbours = {before, after}
        related = [c for c in candidates if any(c in words and neighbours & words for words in self._flag_words)]
        # A word of its own ("spinal cord", "my calf") is read as a red-flag word only in a red-flag phrase ("having
        # a stoke") or beside that red flag's words.
        if self._lexicon.frequency(word):
            return (phrased or related or [word])[0]
        return (phrased or related or candidates)[0]

    def _forms(self, word: str) -> tuple[str, ...]:
        """A neighbouring word as written and as each red-flag word it may be a slip of."""
        return (word, *self._candidates(word)) if word else ()

    def _corrections(self, word: str) -> tuple[str, ...]:
        """The red-flag words a word may be a slip of, nearest and commonest first; empty when it is no slip."""
        if len(word) < _MIN_CORRECTED_LENGTH or word in self._known or "'" in word:
            return ()
        # A derived form of a red-flag word is a word of its own ("fainter", "bleeder"), not a slip.
        if any(word.endswith(end) and word[: -len(end)] in self._known for end in _DERIVED_ENDINGS):
            return ()
        frequency = self._lexicon.frequency(word)
        if frequency >= _EVERYDAY_ZIPF:
            return ()
        # A listed word is one slip from what was meant, or meant as it is; an unlisted one may be two off.
        allowed = 1 if len(word) <= 6 or frequency else 2
        matches = process.extract(word, self._vocabulary, scorer=OSA.distance, score_cutoff=allowed, limit=None)
        # Nearest first, then commonest, so that the reading never depends on the order of a set.
        ordered = sorted(matches, key=lambda m: (m[1], -self._lexicon.frequency(m[0]), m[0]))
        return tuple(
            str(candidate)
            for candidate, distance, _ in ordered
            # A different first letter plus more than one edit is another word, not a slip; a listed word is a slip
            # only of a far commoner one.
            if (candidate[0] == word[0] or distance <= 1)
            and not (frequency and self._lexicon.frequency(candidate) - frequency < _SLIP_ZIPF_GAP)
        )


def _pattern_words(patterns: tuple[str, ...], lexicon: Lexicon) -> frozenset[str]:
    """The English words red-flag patterns are written with: what a misspelt word may be corrected to."""
    literal = (re.sub(r"\\[a-zA-Z]", " ", p) for p in patterns)
    found = {w for p in literal for w in re.findall(r"[a-z]+", p)}
    return frozenset(w for w in found if len(w) >= _MIN_CORRECTED_LENGTH and lexicon.frequency(w) > 0)


def _pattern_bigrams(flags: tuple[RedFlag, ...]) -> frozenset[tuple[str, str]]:
    """Pairs of words that stand next to each other in the red-flag patterns ("heart attack", "chest pain")."""
    # "\s+" between two words is a space between them ("having\s+a\s+stroke" holds "a stroke").
    spaced = (re.sub(r"\\s[+*]?", " ", p) for flag in flags for p in (*flag.patterns, flag.topic))
    literal = (re.sub(r"\\[a-zA-Z]", " ", p) for p in spaced)
    return frozenset(pair for p in literal for pair in re.findall(r"(?=\b([a-z]+) ([a-z]+)\b)", p))


def current_tails(normal: str, triage: Triage) -> tuple[str, ...]:
    """The message from each clause holding a mention the rules read as happening now to its end (the first few
    such clauses: each tail is scored, and a message of many would cost its square): an emergency told after a
    question about something else is judged with what follows it, not with what came before."""
    clauses = _CLAUSES.split(normal)
    held = [i for i in _holding(clauses, triage) if i][:_MAX_TAILS]
    return tuple(" ".join(clauses[i:]) for i in held)


def told_now(normal: str, triage: Triage) -> bool:
    """Whether a clause holding a mention the rules read as happening now says so in so many words ("right now",
    "at the moment", "this is an emergency", "call an ambulance"): the model may not overrule such a reading, however
    calmly the rest of the message asks."""
    clauses = _CLAUSES.split(normal)
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
