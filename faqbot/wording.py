"""Patients' words for the documents' words when the editors have listed none: faqbot's general clinic synonyms,
and the other spellings of the documents' own compound words ("checkup" for "check-up", "shock wave" for
"shockwave", "physio" for "physiotherapy")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from faqbot.everyday import NOT_SUBJECT
from faqbot.lexicon import Lexicon
from faqbot.text import fold, words

_HYPHENATED = re.compile(r"\b([a-z]+)-([a-z]+)\b")
# A closed compound's parts: two everyday words (Zipf 3.5, about three times per million words) of four letters or
# more are also written apart ("tooth ache"); a rarer listed first part of five letters or more before an everyday
# word of five or more is the compound's everyday short form ("physio" for "physiotherapy", "chemo").
_APART_ZIPF = 3.5
_MIN_PART, _MIN_CLIP = 4, 5
_MIN_COMPOUND = 8
# Endings that are listed words too ("improve|ment", "comfort|able"): no compound ends with one of them.
_SUFFIXES = frozenset(["ment", "ments", "able", "ably", "ness", "ting", "ding", "ster", "sure", "ally", "ings", "less"])


# faqbot's general synonyms: how patients of any clinic name what a clinic's documents say (the documents' word ->
# patients' words, as in overlay.toml), for a corpus whose overlay has no [synonyms] of its own; an entry whose word
# the documents never use is left out. Only the everyday vocabulary of visiting a clinic belongs here, never a
# treatment's or a condition's own terms. (Python, not a data file, so every install carries it.)
GENERAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "appointment": ("session", "visit", "consultation", "consult"),
    "appointments": ("sessions", "visits", "consultations"),
    "session": ("appointment", "visit", "treatment session"),
    "sessions": ("appointments", "visits", "treatment sessions"),
    "visit": ("appointment", "session"),
    "hurt": ("painful", "sore", "pain", "hurts", "sting", "ache"),
    "painful": ("hurt", "hurts", "sore"),
    "pain": ("hurt", "hurts", "sore", "ache", "aching", "painful"),
    "children": ("kids", "kid", "child", "son", "daughter", "teenager", "teenagers", "teen", "teens", "toddler"),
    "child": ("kid", "kids", "son", "daughter", "toddler", "baby"),
    "pregnant": ("pregnancy", "expecting a baby", "weeks pregnant", "trimester"),
    "pregnancy": ("pregnant", "expecting a baby", "trimester"),
    "breastfeeding": ("nursing", "breast feeding", "breastfeed"),
    "cost": ("price", "prices", "fee", "fees", "charge", "charges"),
    "referral": ("refer", "referred", "referral letter", "sent by"),
    "doctor": ("gp", "physician", "doc", "family doctor"),
    "medicine": ("medication", "meds", "pills", "tablets", "drugs"),
    "medicines": ("medications", "meds", "pills", "tablets", "drugs"),
    "surgery": ("operation", "op", "surgical"),
    "operation": ("surgery", "op"),
    "wear": ("clothes", "clothing", "dress", "outfit"),
    "clothes": ("clothing", "outfit"),
    "nervous": ("anxious", "anxiety", "scared", "afraid", "terrified", "frightened", "phobia", "fear"),
    "safe": ("dangerous", "harmful", "risky", "harm"),
    "risks": ("dangers", "side effects", "downsides"),
    "exercises": ("stretches", "workout", "exercise plan"),
    "long": ("duration",),
    "therapy": ("treatment", "treatments"),
    "treatment": ("therapy",),
}


def corpus_synonyms(
    texts: Iterable[str], editors: Mapping[str, tuple[str, ...]], lexicon: Lexicon
) -> dict[str, tuple[str, ...]]:
    """The editors' synonyms when they gave any; else the general ones whose words the documents use, and the other
    spellings of the documents' compound words."""
    if editors:
        return dict(editors)
    folded = [fold(text) for text in texts]
    used = {w for text in folded for w in words(text)}
    found: dict[str, list[str]] = {}
    for key, variants in GENERAL_SYNONYMS.items():
        if all(w in used for w in words(key)):
            found.setdefault(key, []).extend(variants)
    for key, variant in _compound_spellings(folded, used, lexicon):
        found.setdefault(key, []).append(variant)
    return {key: tuple(dict.fromkeys(v for v in variants if v != key)) for key, variants in found.items()}


def _compound_spellings(texts: list[str], used: set[str], lexicon: Lexicon) -> list[tuple[str, str]]:
    """(the documents' spelling, another spelling of it) for their hyphenated and closed compound words."""
    pairs = []
    for text in texts:
        for first, second in _HYPHENATED.findall(text):
            pairs.append((f"{first}-{second}", first + second))
    for word in sorted(used):
        if len(word) < _MIN_COMPOUND or word in NOT_SUBJECT:
            continue
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
            first, second = word[:cut], word[cut:]
            if second in _SUFFIXES or lexicon.frequency(second) < _APART_ZIPF:
                continue
            frequency = lexicon.frequency(first)
            if frequency >= _APART_ZIPF:
                pairs.append((word, f"{first} {second}"))
            elif frequency and min(len(first), len(second)) >= _MIN_CLIP and first not in used:
                pairs.append((word, first))
    return list(dict.fromkeys(pairs))
