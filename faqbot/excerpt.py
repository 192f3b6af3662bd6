"""Short answers in the documents' own words: a section split into blocks, and the blocks that answer a question."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from faqbot import editorial
from faqbot.models import Block, QAPair
from faqbot.text import split_sentences, stems

BULLET = "\u2022 "
# A short answer grows by the next block only while it stays this short (words), so a one-line paragraph is not
# shown alone when the paragraph after it goes on with the same point.
_ENOUGH_WORDS = 25
_MOST_WORDS = 60
# A paragraph opening with one of these leans on the one before it ("But ...", "This means ...").
_LEANS_BACK = re.compile(r"^(?:but|this|that|these|those|it|they|however|also|and|so|then)\b", re.I)


@dataclass(frozen=True)
class SectionText:
    """A section as shown: its blocks, which of them are asides, and the sentences dropped as editorial leftovers."""

    blocks: tuple[Block, ...]
    asides: frozenset[int]  # blocks quoting or introducing a person: kept out of short answers
    dropped: tuple[str, ...]


def section_text(paragraphs: Sequence[str]) -> SectionText:
    """Split a section's paragraphs (as extracted: a list is one paragraph of bulleted lines) into blocks."""
    blocks: list[Block] = []
    asides: set[int] = set()
    dropped: list[str] = []
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        if lines and all(line.startswith(BULLET) for line in lines):
            blocks.append(Block("list", items=tuple(line.removeprefix(BULLET).strip() for line in lines)))
            continue
        kept: list[str] = []
        for sentence in split_sentences(paragraph):
            (dropped if editorial.is_dropped(sentence) else kept).append(sentence)
        if not kept:
            continue
        if editorial.is_attributed(paragraph):
            asides.add(len(blocks))
        blocks.append(Block("paragraph", text=" ".join(kept)))
    return SectionText(tuple(blocks), frozenset(asides), tuple(dropped))


def of_pair(pair: QAPair) -> SectionText:
    """The section a pair answers with, as shown."""
    if pair.blocks:
        return SectionText(pair.blocks, pair.asides, ())
    return section_text(pair.body.split("\n\n"))


def words_in(blocks: Sequence[Block]) -> int:
    """How many words the blocks show."""
    return sum(len(block.plain().split()) for block in blocks)


def plain(blocks: Sequence[Block]) -> str:
    """Blocks as plain text, one paragraph or list per paragraph."""
    return "\n\n".join(block.plain() for block in blocks)


def short_answer(section: SectionText, focus: Collection[str] = ()) -> tuple[Block, ...]:
    """The block(s) that best answer a question whose content-word stems are `focus`; the first when none matches.
    A lead-in paragraph ending in ":" always comes with its list."""
    units = _units(section)
    if len(units) <= 1:
        return tuple(_narrowed(section.blocks, focus))
    shown = [u for u in units if not (set(u) & section.asides)] or units
    scores = _scores([[section.blocks[i] for i in unit] for unit in units], focus)
    best = max(shown, key=lambda u: (scores[units.index(u)], -units.index(u)))
    if scores[units.index(best)] <= 0:
        best = shown[0]
    chosen = [best]
    position = units.index(best)
    first_block = section.blocks[best[0]]
    if position > 0 and first_block.kind == "paragraph" and _LEANS_BACK.match(first_block.text):
        chosen.insert(0, units[position - 1])
    following = units[position + 1] if position + 1 < len(units) else None
    short = _words(section, chosen) < _ENOUGH_WORDS
    if following and following in shown and short and _words(section, [*chosen, following]) <= _MOST_WORDS:
        chosen.append(following)
    indexes = sorted(i for unit in chosen for i in unit)
    return tuple(_narrowed([section.blocks[i] for i in indexes], focus))


def _units(section: SectionText) -> list[tuple[int, ...]]:
    """Block indexes grouped so that a lead-in paragraph (ending in ":") and the list after it stay together."""
    units: list[tuple[int, ...]] = []
    for index, block in enumerate(section.blocks):
        previous = section.blocks[index - 1] if index else None
        leads_in = previous is not None and previous.kind == "paragraph" and previous.text.rstrip().endswith(":")
        if block.kind == "list" and leads_in and units and units[-1][-1] == index - 1:
            units[-1] = (*units[-1], index)
            continue
        units.append((index,))
    return units


def _scores(units: Sequence[Sequence[Block]], focus: Collection[str]) -> list[float]:
    """Each unit's overlap with the question's stems, a stem counting less the more units share it."""
    unit_stems = [_stem_set(plain(unit)) for unit in units]
    wanted = set(focus)
    scores = []
    for found in unit_stems:
        shared = found & wanted
        scores.append(sum(math.log(1 + len(units) / sum(s in u for u in unit_stems)) for s in shared))
    return scores


def _narrowed(blocks: Sequence[Block], focus: Collection[str]) -> list[Block]:
    """A long list cut to the items the question names (lead-in kept), when it names some but not all; words the
    lead-in also has ask for the whole list."""
    narrowed = []
    for position, block in enumerate(blocks):
        lead_in = blocks[position - 1] if position else None
        named = set(focus) - (_stem_set(lead_in.text) if lead_in is not None else frozenset())
        if block.kind == "list" and len(block.items) > 2 and named:
            scores = _scores([[Block("paragraph", text=item)] for item in block.items], named)
            best = max(scores)
            if best > 0 and min(scores) < best:
                block = Block("list", items=tuple(i for i, s in zip(block.items, scores, strict=True) if s == best))
        narrowed.append(block)
    return narrowed


@lru_cache(maxsize=8192)
def _stem_set(text: str) -> frozenset[str]:
    """The stems of a block's text; the documents' blocks are few and asked about again and again."""
    return frozenset(stems(text))


def _words(section: SectionText, units: Sequence[tuple[int, ...]]) -> int:
    return words_in([section.blocks[i] for unit in units for i in unit])
