"""Suggestion chips: which sections to offer (the closest to the question, never the one just answered) and how to
word each one (a natural question in sentence case that, asked as it is, gets that very section)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from faqbot.models import QAPair, Suggestion
from faqbot.text import fold, split_sentences

# A question the knowledge base made from a bare heading ("Origins of the practices" -> "What about origins of the
# practices?") is a fallback for lookups, not a question a patient would tap.
_MADE_FROM_HEADING = re.compile(r"^What about ")
_WORD = re.compile(r"[A-Za-z][a-z]+")
_IS = re.compile(r"(?<=\w)'s\b")
_KEY_WORD = re.compile(r"[a-z0-9]+")


class _Casing:
    """Which capitalised words are names: those the documents capitalise mid-sentence more often than not (a word
    they never use is not one: a Title Case heading's capitals are style, not names)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.lower: Counter[str] = Counter()
        self.capital: Counter[str] = Counter()
        for text in texts:
            for sentence in split_sentences(text):
                for word in _WORD.findall(sentence)[1:]:
                    (self.capital if word[0].isupper() else self.lower)[word.lower()] += 1

    def sentence_case(self, text: str) -> str:
        """`text` with a capital first letter, and lower case for every capitalised word that is not a name."""
        first, _, rest = text.partition(" ")
        words = [self._word(word) for word in rest.split(" ")] if rest else []
        return " ".join([first[:1].upper() + first[1:], *words])

    def _word(self, word: str) -> str:
        core = word.strip("\"'“”‘’(),.:;?!")
        if not _WORD.fullmatch(core) or not core[0].isupper():
            return word  # lower case already, or an acronym such as "FDA"
        key = core.lower()
        return word if self.capital[key] > self.lower[key] else word.replace(core, key, 1)


class Suggester:
    """Chips for a knowledge base; `owner` says which section a text asked word for word gets (or None)."""

    def __init__(self, pairs: Sequence[QAPair], owner: Callable[[str], int | None]) -> None:
        self.pairs = tuple(pairs)
        casing = _Casing(text for pair in pairs for text in (pair.body, *pair.alternates))
        self.offers = {
            pair.id: Suggestion(pair.id, _wording(pair, position, owner, casing), pair.heading)
            for position, pair in enumerate(self.pairs)
        }

    def offer(self, pairs: Iterable[QAPair]) -> tuple[Suggestion, ...]:
        """The chips for these sections, in order."""
        return tuple(self.offers[pair.id] for pair in pairs)

    def starters(self, count: int, exclude: Iterable[str | None] = ()) -> tuple[QAPair, ...]:
        """Sections to offer before anything is asked: the first of each document, then the next ones."""
        by_doc: dict[str, list[QAPair]] = {}
        for pair in self.pairs:
            if not pair.id.endswith("/intro"):
                by_doc.setdefault(pair.doc.file, []).append(pair)
        interleaved = [pair for row in zip(*by_doc.values(), strict=False) for pair in row]
        return self.closest(interleaved, exclude, count)

    def closest(self, ranked: Iterable[QAPair], exclude: Iterable[str | None], count: int) -> tuple[QAPair, ...]:
        """The first `count` sections of `ranked` that are not excluded (the one just answered) and are worded
        differently from each other."""
        left_out, seen, chosen = set(exclude), set(), []
        for pair in ranked:
            wording = _same_question(self.offers[pair.id].question)
            if pair.id in left_out or wording in seen:
                continue
            seen.add(wording)
            chosen.append(pair)
            if len(chosen) == count:
                break
        return tuple(chosen)


def _same_question(text: str) -> str:
    """A chip's wording reduced to what a reader tells apart: "What's the difference…" and "What is the difference…"
    are one question to a patient, so two sections worded so are not offered side by side."""
    return " ".join(_KEY_WORD.findall(_IS.sub(" is", fold(text))))


def _wording(pair: QAPair, position: int, owner: Callable[[str], int | None], casing: _Casing) -> str:
    """The section's own question when it is one, else an editors' alternate; the first that asks for this very
    section, so tapping the chip never answers with another."""
    natural = [] if _MADE_FROM_HEADING.match(pair.question) else [pair.question]
    phrasings = [text for text in (*natural, *pair.alternates) if text.rstrip().endswith("?")]
    owned = next((text for text in phrasings if owner(text) == position), None)
    return casing.sentence_case(
        owned or (phrasings[0] if phrasings else f"What does the clinic say about {pair.heading}?")
    )
