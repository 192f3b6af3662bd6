"""Reading red-flag words however they are typed: texting spellings, slips of one or two letters, words split in two.

A word one slip away from a word of the red-flag patterns ("pian", "atack", "sucidal") is read as that word; a word of
its own ("calf", "sore") only in a red-flag phrase or beside that flag's words ("hart attack", "my hart hurts"); two
short pieces only into a word that names a red flag ("a see sure", "over dose").
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from faqbot.lexicon import Lexicon
from faqbot.redflags import CONTEXT_WORDS, RedFlag
from faqbot.text import fold
from faqbot.texting import SHORTHAND, TEXTING

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# "ODd", "OD'd": the capitals say overdosed, where a folded "odd" would be the adjective.
_CAPITAL_OD = re.compile(r"\bOD(?:['\u2019]?d|ed)\b")
# A listed English word is read as a red-flag word only when that word is far commoner ("hart" for "heart") and the
# word itself is not an everyday one ("chess" stays "chess").
_SLIP_ZIPF_GAP = 0.5
_EVERYDAY_ZIPF = 4.2
_MIN_CORRECTED_LENGTH = 4
_SPLIT_PART, _SPLIT_WORD = 5, 6
_DERIVED_ENDINGS = ("er", "ers", "s", "es", "y", "ly", "ish")


class FlagSpelling:
    """Normalises messages for the red-flag patterns: folded, texting expanded, slips of red-flag words corrected."""

    def __init__(self, flags: tuple[RedFlag, ...], lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._flag_words = [_pattern_words((*flag.patterns, flag.topic), lexicon) - CONTEXT_WORDS for flag in flags]
        self._known = frozenset().union(*self._flag_words)
        # The words that name a red flag ("seizure"): what a word dictation split in two may be ("a see sure"), not
        # any word of a pattern ("was fine" is no "washing", "there any" no "therapy").
        self._naming = _pattern_words(tuple(flag.topic for flag in flags), lexicon) - CONTEXT_WORDS
        self._vocabulary = sorted(self._known)
        self._phrases = _pattern_bigrams(flags)
        self._candidates = lru_cache(maxsize=16_384)(self._corrections)
        self._joined_word = lru_cache(maxsize=16_384)(self._joined_reading)

    def normalise(self, text: str) -> str:
        """Folded text with texting spellings expanded and slips of red-flag words corrected."""
        folded = " ".join(fold(_CAPITAL_OD.sub("overdosed", text)).split())
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
            exact_next = bool(
                after and following and following[0] == after[1] + 1 and after[2] + following[2] in self._naming
            )
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
