"""Safety statements found in the documents by cue patterns, and the choice of which ones a reply carries."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from faqbot.everyday import NOT_SUBJECT
from faqbot.models import Disclaimer, DocumentMeta, Section
from faqbot.text import fold, split_sentences, stem, words


@dataclass(frozen=True)
class CueRule:
    """A kind of safety statement: how to recognise it in a sentence and which questions it concerns."""

    category: str
    cue: re.Pattern[str]
    concerns: frozenset[str]  # stems of query words that make this statement relevant
    general: bool = False


def _rule(category: str, cue: str, concerns: str, general: bool = False) -> CueRule:
    return CueRule(category, re.compile(cue, re.I), frozenset(stem(w) for w in concerns.split()), general)


# Patterns run over folded sentences (straight quotes, lower case). Order matters: a sentence takes the first match.
CUE_RULES: tuple[CueRule, ...] = (
    _rule(
        "see-a-provider",
        r"\b(don't|do not|never|shouldn't|should not)\b[^.]*\b(delay|replace|instead of)\b[^.]*"
        r"\b(provider|doctor|physician|medical care|care)\b",
        "doctor provider physician instead replace delay cure serious skip gp",
        general=True,
    ),
    _rule(
        "talk-to-a-provider-first",
        r"\b(talk|speak|consult|check) (to|with) (a|your) (healthcare provider|health care provider|doctor|"
        r"physician|provider)\b[^.]*\bbefore\b|\bbest to (talk|speak|consult)\b",
        "candidate suitable right safe try start should before pregnant condition allowed",
        general=True,
    ),
    _rule(
        "keep-taking-medication",
        r"\b(continue|keep) taking\b[^.]*\bmedic(ations?|ines?)\b|\bmedications?\b[^.]*\b(don't|do not) stop\b",
        "medication medications medicine medicines meds pill pills drug drugs prescription prescribed painkiller",
    ),
    _rule(
        "check-credentials",
        r"\bcheck\b[^.]*\b(credentials|licen[cs]e|qualifi|certifi)|\bcredentials\b",
        "credentials qualified qualification licensed license certified registered registration find choose "
        "practitioner therapist trust",
    ),
    _rule(
        "unqualified-practitioners",
        r"\b(unqualified|untrained|unlicensed|non-?sterile)\b[^.]*\b(harm|dangerous|injur|infection|cause)",
        "safe safety risk risks danger dangerous infection injury harm unqualified untrained sterile",
    ),
    _rule(
        "seek-help-for-symptoms",
        r"\bif you (notice|have|get|develop|experience|feel)\b[^.]*\b(contact|call|see|tell|seek)\b[^.]*"
        r"\b(clinic|doctor|provider|practitioner|physician|medical|help|emergency)\b|"
        r"\bseek (medical|emergency|urgent) (help|attention|care)\b",
        "after afterwards symptom symptoms side effect effects worse worried redness swelling sore bruise bleeding "
        "pain infection reaction",
    ),
    _rule(
        "rest-before-driving",
        r"\bbefore (you )?driv|\b(ride|lift) home\b|\bdriv\w*\b[^.]*\b(rest|wait)\b",
        "drive driving car ride home afterwards after work tired sleepy",
    ),
)


# A sentence of the clinic's own safety document that no cue rule recognises is still a safety statement: a general
# one, since the clinic chose it, that concerns the questions sharing its words.
CLINIC_RULE = CueRule("clinic", re.compile(r"(?!)"), frozenset(), general=True)
_RULES = {rule.category: rule for rule in (*CUE_RULES, CLINIC_RULE)}
_RANK = {category: position for position, category in enumerate(_RULES)}
# A practitioner named by trade ("dentist", "physiotherapist", "acupuncturist") is asked about like "practitioner".
_PRACTITIONER = re.compile(r"[a-z]{4,}ists?")


def find_disclaimers(
    doc: DocumentMeta, sections: Sequence[tuple[str, Section]], every_sentence: bool = False
) -> list[Disclaimer]:
    """Every safety statement of one document, adjacent sentences of one kind quoted together; with
    `every_sentence` (the clinic's own safety document) every sentence is one."""
    found: list[Disclaimer] = []
    for section_id, section in sections:
        for paragraph in section.paragraphs:
            found.extend(_in_paragraph(paragraph, doc, section_id, every_sentence))
    return found


def _in_paragraph(paragraph: str, doc: DocumentMeta, section_id: str, every_sentence: bool) -> list[Disclaimer]:
    found: list[Disclaimer] = []
    previous: CueRule | None = None
    for sentence in split_sentences(paragraph.removeprefix("\u2022 ")):
        folded = fold(sentence)
        rule = next((r for r in CUE_RULES if r.cue.search(folded)), CLINIC_RULE if every_sentence else None)
        concerns = _own_concerns(sentence) if every_sentence else frozenset()
        if rule and previous is rule and found:
            last = found[-1]
            found[-1] = Disclaimer(f"{last.text} {sentence}", rule.category, doc, section_id, last.concerns | concerns)
        elif rule:
            found.append(Disclaimer(sentence, rule.category, doc, section_id, concerns))
        previous = rule
    return found


def _own_concerns(sentence: str) -> frozenset[str]:
    """The stems of a clinic's statement's own subject words: a question using them is one it concerns."""
    return frozenset(stem(w) for w in words(sentence) if w not in NOT_SUBJECT and not w.isdigit())


def _concerned(found: Disclaimer, query_stems: set[str]) -> int:
    """How many of the question's stems the statement concerns."""
    return len(query_stems & (_RULES[found.category].concerns | found.concerns))


def _query_stems(query: Sequence[str]) -> set[str]:
    stems = {stem(w) for w in query}
    if any(_PRACTITIONER.fullmatch(w) for w in query):
        stems.add(stem("practitioner"))
    return stems


def choose_disclaimers(
    all_found: Sequence[Disclaimer],
    *,
    query: Sequence[str] = (),
    section_id: str | None = None,
    doc_file: str | None = None,
    limit: int = 3,
    shown: str = "",
    relevant_first: bool = False,
    room: int | None = None,
) -> tuple[str, ...]:
    """The general statement (from the answer's document when it has one) plus those the answer or the question (its
    words, `query`) concerns. With `relevant_first`, the one that fits the question and section best comes first
    (of those no longer than `room` words, the length of what it is shown under, when one is), and a statement the
    reply already shows word for word (`shown`) is not repeated, unless no other is left."""
    # A corpus with no general statement still quotes one of its own in every reply.
    general = [d for d in all_found if _RULES[d.category].general] or list(all_found[:1])
    first = min(general, key=lambda d: (d.doc.file != doc_file, _RANK[d.category]), default=None)
    query_stems = _query_stems(query)
    relevant = [d for d in all_found if d.section_id is not None and d.section_id == section_id]
    relevant += [d for d in all_found if _concerned(d, query_stems)]
    relevant.sort(key=lambda d: d.doc.file != doc_file)
    chosen = _unique([*([first] if first else []), *relevant])
    if not relevant_first:
        return tuple(d.text for d in chosen[:limit])

    def fit(found: Disclaimer) -> tuple[int, int]:
        asked = _concerned(found, query_stems)
        in_section = section_id is not None and found.section_id == section_id
        return -(asked + int(in_section)), -asked

    # A stable sort: among equally fitting statements the general one stays first.
    chosen.sort(key=fit)
    return tuple(d.text for d in _compact(chosen, general, shown, room)[:limit])


def _compact(chosen: list[Disclaimer], general: list[Disclaimer], shown: str, room: int | None) -> list[Disclaimer]:
    """The statements not already shown, the first one no longer than `room` words when one is."""
    fresh = [d for d in chosen if not same_statement(d.text, shown)]
    if not fresh:
        # Every reply quotes a statement of its own, so one already in the answer gives way to another general one.
        others = [d for d in general if not same_statement(d.text, shown)]
        fresh = others[:1] or chosen[:1]
    if room is None:
        return fresh
    # The note shown inline must not outweigh the answer above it; the others stay one tap away.
    pool = [*fresh, *(d for d in general if d not in fresh and not same_statement(d.text, shown))]
    short = [d for d in pool if len(d.text.split()) <= room]
    inline = short[0] if short else min(pool, key=lambda d: len(d.text.split()))
    return [inline, *(d for d in fresh if d is not inline)]


def shortest_general(all_found: Sequence[Disclaimer]) -> tuple[str, ...]:
    """The shortest general statement alone: what small talk carries."""
    general = [d for d in all_found if _RULES[d.category].general] or list(all_found[:1])
    return (min(general, key=lambda d: len(d.text.split())).text,) if general else ()


def same_statement(statement: str, shown: str) -> bool:
    """True when `statement` is already part of the text shown (compared ignoring case, quotes and spacing)."""
    return bool(shown) and _normal(statement) in _normal(shown)


def _normal(text: str) -> str:
    return " ".join(fold(text).split())


def _unique(found: Iterable[Disclaimer]) -> list[Disclaimer]:
    seen: dict[str, Disclaimer] = {}
    for disclaimer in found:
        seen.setdefault(disclaimer.text, disclaimer)
    return list(seen.values())
