"""Query analysis: spelling correction against the corpus vocabulary, synonyms, topics and unknown words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from faqbot.corpus import MAX_SYNONYM_WORDS
from faqbot.everyday import FUNCTION_WORDS, GENERIC_WORDS, NOT_SUBJECT
from faqbot.lexicon import Lexicon
from faqbot.text import CHAT_SPELLINGS, STOP_WORDS, stem, words

# Zipf 2.5 is about 300 times in a billion words: a three-letter word that rare is more likely a slip than meant.
_OBSCURE_ZIPF = 2.5
_MIN_SLIP_LENGTH = 4
# A function word this many Zipf units (about 300 times) more frequent than the word typed, and one dropped or
# swapped letter away from it, is what was meant.
SLIP_ZIPF_GAP = 2.5
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Vocabulary:
    """The words the corpus (and the editors' overlay) use, for spelling correction and unknown-word checks."""

    known: frozenset[str]
    known_stems: frozenset[str]
    correctable: tuple[str, ...]
    synonyms: Mapping[str, tuple[str, ...]]
    idioms: frozenset[str]
    topics: Mapping[str, tuple[tuple[str, ...], ...]]
    lexicon: Lexicon

    @classmethod
    def build(
        cls,
        texts: Iterable[str],
        synonyms: Mapping[str, tuple[str, ...]],
        topics: Mapping[str, tuple[str, ...]],
        lexicon: Lexicon,
    ) -> Vocabulary:
        """Collect the vocabulary from corpus texts, synonyms and topic terms."""
        corpus_texts = [" ".join(words(text)) for text in texts]
        corpus_words = {w for text in corpus_texts for w in text.split()}
        synonym_map: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in synonyms.items():
            for variant in variants:
                synonym_map[tuple(words(variant))] = (*synonym_map.get(tuple(words(variant)), ()), canonical)
            corpus_words.update(words(canonical))
        variant_words = {w for variant in synonym_map for w in variant}
        known = frozenset(corpus_words | variant_words | STOP_WORDS | GENERIC_WORDS)
        # Order decides ties: a function word beats a rarer corpus word at the same distance ("wat" -> "what").
        ordered = [*sorted(STOP_WORDS - CHAT_SPELLINGS), *sorted(corpus_words | variant_words), *sorted(GENERIC_WORDS)]
        correctable = tuple(dict.fromkeys(w for w in ordered if len(w) >= 3))
        topic_terms = {topic: tuple(tuple(words(term)) for term in terms) for topic, terms in topics.items()}
        known_stems = frozenset(stem(w) for w in corpus_words | variant_words)
        synonym_phrases = {" ".join(k): v for k, v in synonym_map.items()}
        # Patients' phrases the documents never use ("notice a difference"), as opposed to ones they use as well
        # ("side effects"), whose words still count as they are.
        written = f" {' | '.join(corpus_texts)} "
        idioms = frozenset(p for p in synonym_phrases if " " in p and f" {p} " not in written)
        return cls(known, known_stems, correctable, synonym_phrases, idioms, topic_terms, lexicon)

    def knows(self, word: str) -> bool:
        """True for corpus, overlay and everyday words (and numbers), in any inflection the corpus has."""
        return word in self.known or word.isdigit() or stem(word) in self.known_stems


@dataclass(frozen=True)
class AnalysedQuery:
    """A query after correction: its words, the stems the index sees, topics named and words nobody knows."""

    text: str
    words: tuple[str, ...]
    expanded: str
    focus: str
    content: tuple[str, ...]
    unknown: tuple[str, ...]
    topics: tuple[str, ...]


def analyse_query(text: str, vocabulary: Vocabulary, tokens: Sequence[str] | None = None) -> AnalysedQuery:
    """Correct misspellings, add synonyms' corpus words and name the topics a query mentions (`tokens`: the text's
    words, when already read)."""
    corrected = tuple(_correct(word, vocabulary) for word in (words(text) if tokens is None else tokens))
    unknown = tuple(w for w in corrected if not vocabulary.knows(w))
    phrases = _synonym_phrases(corrected, vocabulary.synonyms)
    expansions = _synonym_expansions(corrected, vocabulary.synonyms, phrases)
    # A patient's phrase the documents never use is read as the documents' words for it: "notice a difference" is
    # about relief, and its "difference" must not pull in the sections comparing the two treatments.
    idiom = {
        position
        for start, end in phrases
        if " ".join(corrected[start:end]) in vocabulary.idioms
        for position in range(start, end)
    }
    literal = [w for position, w in enumerate(corrected) if position not in idiom]
    content = tuple(w for w in corrected if w not in STOP_WORDS and w not in GENERIC_WORDS)
    # A patient's word for a topic ("IMS") names it as surely as the documents' own term.
    topics = named_topics((*corrected, *(w for phrase in expansions for w in words(phrase))), vocabulary.topics)
    # A topic named by another term ("intramuscular stimulation") is also asked under its own name ("dry needling").
    named = [name for name in topics if name not in " ".join(corrected)]
    expanded = " ".join((*corrected, *expansions, *named))
    looked_up = " ".join((*literal, *expansions, *named))
    return AnalysedQuery(
        text=text,
        words=corrected,
        expanded=expanded,
        focus=without_topic_terms(looked_up, vocabulary.topics) if topics else looked_up,
        content=content,
        unknown=unknown,
        topics=topics,
    )


def named_topics(query_words: tuple[str, ...], topics: Mapping[str, tuple[tuple[str, ...], ...]]) -> tuple[str, ...]:
    """The topics whose terms appear in the words (compared by stem), in the order the topics are declared."""
    topics_of_run, longest = _topics_by_stemmed_term(tuple(topics.items()))
    stemmed = tuple(stem(w) for w in query_words)
    # Each run of words up to the longest term is looked up once: a corpus of many documents has hundreds of topics.
    runs = {stemmed[i : i + n] for n in range(1, longest + 1) for i in range(len(stemmed) - n + 1)}
    named = {topic for run in runs for topic in topics_of_run.get(run, ())}
    return tuple(topic for topic in topics if topic in named)


@lru_cache(maxsize=16)
def _topics_by_stemmed_term(
    topics: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...],
) -> tuple[dict[tuple[str, ...], set[str]], int]:
    topics_of_run: dict[tuple[str, ...], set[str]] = {}
    for topic, terms in topics:
        for term in terms:
            if term:
                topics_of_run.setdefault(tuple(stem(w) for w in term), set()).add(topic)
    return topics_of_run, max(map(len, topics_of_run), default=0)


def topic_phrase(text: str, topic: str, topics: Mapping[str, tuple[tuple[str, ...], ...]]) -> str | None:
    """The topic as the text names it, with up to two words before it that narrow it down ("what is auricular
    acupuncture" -> "auricular acupuncture"), so "what is it used for?" stays about that kind of acupuncture."""
    tokens = words(text)
    spans = _term_spans(tokens, topics.get(topic, ()))
    if not spans:
        return None
    start, end = min(spans)
    modifiers: list[str] = []
    for word in reversed(tokens[max(0, start - 2) : start]):
        if word in NOT_SUBJECT:
            break
        modifiers.insert(0, word)
    return " ".join((*modifiers, *tokens[start:end]))


def without_topic_terms(text: str, topics: Mapping[str, tuple[tuple[str, ...], ...]]) -> str:
    """The text without the words naming its topics, so retrieval weighs what is asked *about* the topic."""
    tokens = words(text)
    spans = _term_spans(tokens, [term for terms in topics.values() for term in terms])
    named = {position for start, end in spans for position in range(start, end)}
    remaining = [w for position, w in enumerate(tokens) if position not in named]
    return " ".join(remaining) if any(w not in STOP_WORDS for w in remaining) else text


def _term_spans(tokens: list[str], terms: Iterable[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Where the terms occur in the tokens, compared by stem (so misspelt "needleing" is "needling"), longest terms
    first and never overlapping: (start, end) token positions."""
    by_first_stem = _terms_by_first_stem(tuple(terms))
    stemmed = [stem(w) for w in tokens]
    # Every occurrence, ordered as if each term (longest first) were searched for left to right in turn.
    found = sorted(
        (-len(term), order, start)
        for start, first in enumerate(stemmed)
        for order, term in by_first_stem.get(first, ())
        if tuple(stemmed[start : start + len(term)]) == term
    )
    taken = [False] * len(tokens)
    spans = []
    for negative_length, _, start in found:
        end = start - negative_length
        if not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
            spans.append((start, end))
    return spans


@lru_cache(maxsize=64)
def _terms_by_first_stem(terms: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """Stemmed terms keyed by their first stem, each with its place in the longest-first order: a text is scanned
    once rather than once per term (a corpus of many documents has hundreds of topic terms)."""
    stemmed = sorted((tuple(stem(w) for w in t) for t in terms if t), key=len, reverse=True)
    by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for order, term in enumerate(stemmed):
        by_first.setdefault(term[0], []).append((order, term))
    return by_first


def _correct(word: str, vocabulary: Vocabulary) -> str:
    # An ordinary English word was typed on purpose ("kids" is not a misspelt "kinds"): its being unknown to the
    # documents is itself the signal that the question may be about something they don't cover.
    if vocabulary.knows(word) or len(word) < 3 or vocabulary.lexicon.is_common_word(word):
        return word
    frequency = vocabulary.lexicon.frequency(word)
    if frequency:
        return _listed_slip(word, frequency, vocabulary)
    # Not a word at all: the nearest the bot knows, a little further away the longer the word.
    allowed = 1 if len(word) <= 5 else 2 if len(word) <= 9 else 3
    match = process.extractOne(word, vocabulary.correctable, scorer=OSA.distance, score_cutoff=allowed)
    if match is None:
        return word
    candidate = match[0]
    # A different first letter plus more than one edit is usually a different word, not a typo.
    if candidate[0] != word[0] and match[1] > 1:
        return word
    return str(candidate)


def _listed_slip(word: str, frequency: float, vocabulary: Vocabulary) -> str:
    """A rare word from the English list: a real one ("cupping", "udder"), or a slip common enough in web text to be
    listed ("stil", "frist", "wht"). Only a function word it is missing a letter of, or has two letters swapped
    in, and that is far more frequent, replaces it; a real word usually differs by a wrong or an extra letter."""
    # Three letters have too many neighbours ("ibs": "is", "its") to guess from unless barely anyone writes them.
    if len(word) < _MIN_SLIP_LENGTH and frequency >= _OBSCURE_ZIPF:
        return word
    floor = frequency + SLIP_ZIPF_GAP
    twins = [w for w in _with_a_letter_back(word) if w in FUNCTION_WORDS and vocabulary.lexicon.frequency(w) >= floor]
    return max(twins, key=vocabulary.lexicon.frequency) if twins else word


def _with_a_letter_back(word: str) -> set[str]:
    """Every string the word could have been before one letter was dropped or two neighbours were swapped."""
    insertions = {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _LETTERS}
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return insertions | swaps


def _synonym_phrases(query_words: tuple[str, ...], synonyms: Mapping[str, tuple[str, ...]]) -> list[tuple[int, int]]:
    """Where patients' phrases from the overlay occur: (start, end) word positions, longest first at each word and
    never overlapping, so "notice a difference" is one phrase and its "difference" is not also read on its own."""
    spans = []
    start = 0
    while start < len(query_words):
        longest = min(MAX_SYNONYM_WORDS, len(query_words) - start)
        end = next(
            (start + n for n in range(longest, 0, -1) if " ".join(query_words[start : start + n]) in synonyms), None
        )
        if end is None:
            start += 1
        else:
            spans.append((start, end))
            start = end
    return spans


def _synonym_expansions(
    query_words: tuple[str, ...], synonyms: Mapping[str, tuple[str, ...]], phrases: list[tuple[int, int]]
) -> list[str]:
    """The documents' words for the patient phrases found in the query, in the overlay's order (the bigrams the
    index sees depend on it)."""
    found = {" ".join(query_words[start:end]) for start, end in phrases}
    order = {variant: position for position, variant in enumerate(synonyms)} if len(found) > 1 else {}
    return [canonical for variant in sorted(found, key=lambda v: order.get(v, 0)) for canonical in synonyms[variant]]
