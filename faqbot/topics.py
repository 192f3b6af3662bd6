"""What each document is about: the editors' overlay, `documents.toml`, or else its own title and headings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from faqbot.everyday import NOT_SUBJECT
from faqbot.text import fold, stem, words

# A topic is at most this many words of the title: "shockwave therapy", "teeth whitening", "dry needling".
_MAX_TERM_WORDS = 3


@dataclass(frozen=True)
class DocumentTopics:
    """One document's topics, and whether the overlay's topics already cover it (its sections are then tagged as
    they always were: by heading, else body, else title)."""

    names: tuple[str, ...]
    from_overlay: bool


def topic_of_headings(title: str, headings: Sequence[str]) -> str | None:
    """The words of the title that the document's headings repeat most ("Shockwave therapy" whose headings ask
    "What is shockwave therapy?", "How many shockwave sessions…?" is about "shockwave"); None when no part of the
    title is in at least two headings (one, for a document of one heading)."""
    heading_stems = [tuple(stem(w) for w in words(h)) for h in headings]
    best: tuple[int, int, int] | None = None
    chosen: tuple[str, ...] = ()
    for order, candidate in enumerate(_title_terms(title)):
        term = tuple(stem(w) for w in candidate)
        count = sum(_contains(h, term) for h in heading_stems)
        # Most headings first; of equally many, the longer term ("physical therapy" over "therapy"), then the first.
        score = (count, len(candidate), -order)
        if best is None or score > best:
            best, chosen = score, candidate
    if best is None or best[0] < min(2, len(headings)) or best[0] == 0:
        return None
    return " ".join(chosen)


def longer_terms(term: str, title: str, headings: Sequence[str]) -> tuple[str, ...]:
    """The longer runs of the title that contain the term and that two headings use too ("shockwave therapy" for
    "shockwave"), so that naming the topic in those words sets them all aside."""
    heading_stems = [tuple(stem(w) for w in words(h)) for h in headings]
    core = tuple(stem(w) for w in words(term))
    longer = []
    for candidate in _title_terms(title):
        stems = tuple(stem(w) for w in candidate)
        repeated = sum(_contains(h, stems) for h in heading_stems) >= min(2, len(headings))
        if len(stems) > len(core) and _contains(stems, core) and repeated:
            longer.append(" ".join(candidate))
    return tuple(longer)


def _title_terms(title: str) -> list[tuple[str, ...]]:
    """Runs of up to three content words of the title ("Dental care at Bridge Street Dental" -> dental, care,
    dental care, bridge, …), never starting or ending with a question or function word."""
    runs: list[list[str]] = [[]]
    for word in words(title):
        if word in NOT_SUBJECT or word.isdigit():
            runs.append([])
        else:
            runs[-1].append(word)
    return [
        tuple(run[i : i + n]) for run in runs for n in range(1, _MAX_TERM_WORDS + 1) for i in range(len(run) - n + 1)
    ]


def _contains(tokens: tuple[str, ...], term: tuple[str, ...]) -> bool:
    n = len(term)
    return any(tokens[i : i + n] == term for i in range(len(tokens) - n + 1))


def corpus_topics(
    overlay: Mapping[str, tuple[str, ...]],
    documents: Sequence[tuple[str, Sequence[str], Sequence[str]]],
) -> tuple[dict[str, tuple[str, ...]], list[DocumentTopics]]:
    """Every topic with the terms naming it, and each document's own topics. `documents` holds each document's
    (title, declared topics, headings). A document the overlay's topics already name in its title keeps those; one
    with topics declared in documents.toml has those; any other is about the part of its title its headings repeat
    (a clinic's third document, "Cupping", is about cupping, not about the two topics the overlay was written for)."""
    topics = dict(overlay)
    mine: list[DocumentTopics] = []
    for title, declared, headings in documents:
        if declared:
            for name in declared:
                topics[name] = tuple(dict.fromkeys((name, *overlay.get(name, ()))))
            mine.append(DocumentTopics(tuple(declared), from_overlay=False))
            continue
        named = names_in(title, overlay)
        if named:
            mine.append(DocumentTopics(named, from_overlay=True))
            continue
        found = topic_of_headings(title, headings)
        # Named by its longest term ("teeth whitening" rather than "whitening"), as greetings and help list it.
        terms = (*longer_terms(found, title, headings), found) if found else (title,)
        name = fold(max(terms, key=len)) if found else fold(title)
        topics.setdefault(name, terms)
        mine.append(DocumentTopics((name,), from_overlay=False))
    return topics, mine


def names_in(text: str, topics: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The topics whose terms the text names (as whole words), in the order the topics are declared."""
    topic_of_term, longest = _topics_by_term(tuple(topics.items()))
    tokens = tuple(words(text))
    # Each run of words up to the longest term is looked up once: a corpus of many documents has hundreds of
    # topics, too many to search every section's text for each.
    runs = {tokens[i : i + n] for n in range(1, longest + 1) for i in range(len(tokens) - n + 1)}
    named = {topic for run in runs for topic in topic_of_term.get(run, ())}
    return tuple(topic for topic in topics if topic in named)


def section_topics(
    heading: str, body: str, title: str, topics: Mapping[str, tuple[str, ...]], document: DocumentTopics
) -> tuple[str, ...]:
    """The topics a section concerns: those its heading names, else (a document the overlay covers) those its text
    or title names, else its document's own."""
    named = names_in(heading, topics)
    if named:
        return named
    if not document.from_overlay:
        return document.names
    for text in (body, title):
        named = names_in(text, topics)
        if named:
            return named
    return tuple(topics)


@lru_cache(maxsize=8)
def _topics_by_term(
    topics: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[tuple[str, ...], list[str]], int]:
    """Each topic term as words, with the topics it names, and the most words a term has."""
    topic_of_term: dict[tuple[str, ...], list[str]] = {}
    for topic, terms in topics:
        for term in terms:
            if term_words := tuple(words(term)):
                topic_of_term.setdefault(term_words, []).append(topic)
    return topic_of_term, max(map(len, topic_of_term), default=0)
