"""The engine: `reply = engine.respond(text, state)`, safety first, then dialogue, then retrieval."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faqbot import answerability, compose, dialogue
from faqbot.dialogue import ConversationState
from faqbot.disclaimers import choose_disclaimers
from faqbot.index import RetrievalIndex
from faqbot.knowledge import KnowledgeBase, load_knowledge_base
from faqbot.lexicon import load_lexicon
from faqbot.models import QAPair, Reply
from faqbot.query import AnalysedQuery, Vocabulary, analyse_query, topic_phrase, without_topic_terms
from faqbot.ranking import Candidate, Context, rank
from faqbot.safety import emergency_message, red_flags
from faqbot.settings import EngineSettings
from faqbot.text import clean_input

_SUGGESTION_FLOOR = 0.05
# "Tell me more" moves to another section on the same question only when it ranks at least this well for it.
_MORE_FLOOR = 0.2
_STARTERS = 4


@dataclass(frozen=True)
class _Reading:
    """One way of reading a message: the analysed query, its ranked candidates and whether to answer."""

    query: AnalysedQuery
    context: Context
    candidates: list[Candidate]
    confidence: float
    accepted: bool


class Engine:
    """Answers one message at a time from a knowledge base; keeps no memory between calls."""

    def __init__(self, kb: KnowledgeBase, settings: EngineSettings | None = None) -> None:
        self.kb = kb
        self.settings = settings or EngineSettings()
        texts = [t for p in kb.pairs for t in (p.question, *p.alternates, *p.path, p.body)]
        self.vocabulary = Vocabulary.build(texts, kb.synonyms, kb.topics, load_lexicon())
        topic_terms = self.vocabulary.topics
        self.index = RetrievalIndex(kb.pairs, lambda text: without_topic_terms(text, topic_terms))
        self.topics = tuple(kb.topics)
        self.evidence = answerability.Evidence.build(kb.pairs, self.vocabulary)

    @classmethod
    def from_folder(cls, folder: Path, settings: EngineSettings | None = None) -> Engine:
        """Build an engine from a corpus folder (raises CorpusError with a one-line reason)."""
        return cls(load_knowledge_base(folder), settings)

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> Engine:
        """Build an engine from its settings' corpus folder."""
        return cls.from_folder(settings.corpus, settings)

    def respond(self, text: str, state: Mapping[str, Any] | None = None) -> Reply:
        """One turn: the reply to `text` given the conversation `state` (None or {} for a new conversation)."""
        current = ConversationState.from_any(state, self.topics)
        message = clean_input(text if isinstance(text, str) else "", self.settings.max_input_chars)
        flags = red_flags(message)
        if flags:
            number = self.settings.emergency_number
            return compose.emergency_reply(
                emergency_message(flags, number),
                number,
                self._disclaimers(),
                current.after(topic=current.topic, last_id=current.last_id, last_query=current.last_query),
            )
        if not message.strip(" ?!.,;:-"):
            return self._smalltalk("empty", current)
        if dialogue.is_reset(message):
            return self._smalltalk("reset", ConversationState(turns=current.turns))
        intent = dialogue.smalltalk_kind(message)
        if intent:
            return self._smalltalk(intent, current)
        question = dialogue.strip_pleasantries(message)
        if dialogue.is_more_request(question):
            return self._continue(current)
        return self._answer(question, current)

    def starter_questions(self, count: int = _STARTERS) -> tuple[QAPair, ...]:
        """Questions to offer before anything is asked: the first question of each document, then the next ones."""
        by_doc: dict[str, list[QAPair]] = {}
        for pair in self.kb.pairs:
            if not pair.id.endswith("/intro"):
                by_doc.setdefault(pair.doc.file, []).append(pair)
        interleaved = [pair for row in zip(*by_doc.values(), strict=False) for pair in row]
        return tuple(interleaved[:count])

    def _answer(self, question: str, current: ConversationState) -> Reply:
        reading = self._read(question, current)
        if not reading.accepted:
            reading = self._read_question_sentence(question, current, reading)
        query, context, candidates, confidence = reading.query, reading.context, reading.candidates, reading.confidence
        best = candidates[0]
        topic = self._topic_of(query, best.pair, context.topic)
        if not reading.accepted:
            offered = [c.pair for c in candidates[:3] if c.confidence >= _SUGGESTION_FLOOR] or self.starter_questions(3)
            new_state = current.after(topic=current.topic, last_id=current.last_id, last_query=current.last_query)
            return compose.choice_reply(
                "fallback", compose.FALLBACK_LEAD, offered, self._disclaimers(query=question), new_state
            )
        close = self._too_close(candidates, query)
        new_state = current.after(topic=topic, last_id=best.pair.id, last_query=query.text, shown=(best.pair.id,))
        if close:
            return compose.choice_reply(
                "clarify", compose.CLARIFY_LEAD, close, self._disclaimers(query=question), new_state
            )
        related = [c.pair for c in candidates[1:3] if c.confidence >= self.settings.answer_threshold / 2]
        disclaimers = self._disclaimers(query=question, pair=best.pair)
        return compose.answer_reply(best.pair, confidence, disclaimers, new_state, related)

    def _read(self, question: str, current: ConversationState) -> _Reading:
        query, context, candidates = self.candidates(question, current)
        confidence = self.answerable(query, candidates)
        # A section about acupuncture alone never answers a question about dry needling alone (or the reverse).
        off_topic = bool(query.topics) and not set(query.topics) & set(candidates[0].pair.topics)
        accepted = confidence >= self.settings.answer_threshold and not off_topic
        return _Reading(query, context, candidates, confidence, accepted)

    def _read_question_sentence(self, message: str, current: ConversationState, whole: _Reading) -> _Reading:
        """A long message whose whole text is not answered may still end in an answerable question: the story
        before it ("I'm terrified of needles.") is context, the question sentence is what is asked."""
        for sentence in dialogue.question_sentences(message):
            missing = [t for t in whole.query.topics if t not in analyse_query(sentence, self.vocabulary).topics]
            reading = self._read(" ".join((sentence, *missing)), current)
            if reading.accepted:
                return reading
        return whole

    def answerable(self, query: AnalysedQuery, candidates: list[Candidate]) -> float:
        """Probability that the best candidate answers the query (the reply's confidence)."""
        best, runner_up = candidates[0], candidates[1] if len(candidates) > 1 else candidates[0]
        row = answerability.features(query, self.evidence, best.position, best.score, runner_up.score)
        return answerability.probability(row)

    def candidates(self, question: str, current: ConversationState) -> tuple[AnalysedQuery, Context, list[Candidate]]:
        """The question read in the light of the conversation, and every pair ranked for it, best first."""
        query, context = self.resolve(question, current)
        return query, context, rank(self.index.score(query.focus, query.expanded), self.kb.pairs, query, context)

    def resolve(self, question: str, current: ConversationState) -> tuple[AnalysedQuery, Context]:
        """Read the question in the light of the conversation: "what about X?", pronouns, topic carry-over."""
        subject = dialogue.what_about(question)
        if subject and current.last_query:
            swapped = analyse_query(subject, self.vocabulary)
            if swapped.topics and len(swapped.content) <= len(" ".join(swapped.topics).split()) + 1:
                base = analyse_query(current.last_query, self.vocabulary)
                text = " ".join(w for w in base.words if not self._is_topic_word(w)) + " " + " ".join(swapped.topics)
                return analyse_query(text, self.vocabulary), Context(topic=swapped.topics[0])
        if subject:
            question = subject
        query = analyse_query(question, self.vocabulary)
        refers_back = dialogue.has_pronoun(question) or len(query.content) <= 3
        last_id = current.last_id if refers_back and not query.topics else None
        if query.topics or not current.topic:
            return query, Context(last_id=last_id)
        if refers_back:
            subject = topic_phrase(current.last_query or "", current.topic, self.vocabulary.topics) or current.topic
            return analyse_query(f"{question} {subject}", self.vocabulary), Context(current.topic, last_id)
        return query, Context(topic=current.topic)

    def _continue(self, current: ConversationState) -> Reply:
        """ "Tell me more": the closest section to the last question not shown yet, else the next in the document."""
        last = self.kb.pair(current.last_id) if current.last_id else None
        if last is None:
            return self._smalltalk("help", current)
        shown = current.shown or (last.id,)
        pair = self._more_on(current, shown) or next(
            (p for p in self.kb.pairs if p.doc.file == last.doc.file and p.order > last.order and p.id not in shown),
            None,
        )
        if pair is None:
            new_state = current.after(topic=current.topic, last_id=last.id, last_query=current.last_query)
            return compose.choice_reply(
                "fallback", compose.NO_MORE_LEAD, self.starter_questions(3), self._disclaimers(), new_state
            )
        new_state = current.after(
            topic=current.topic, last_id=pair.id, last_query=current.last_query, shown=(*shown, pair.id)
        )
        _, _, ranked = self.candidates(current.last_query or pair.question, current)
        related = [c.pair for c in ranked if c.pair.id not in new_state.shown][:2]
        return compose.answer_reply(pair, 1.0, self._disclaimers(pair=pair), new_state, related)

    def _more_on(self, current: ConversationState, shown: tuple[str, ...]) -> QAPair | None:
        """The best-ranked section for the last question that has not been shown, if it is relevant enough."""
        if not current.last_query:
            return None
        _, _, ranked = self.candidates(current.last_query, ConversationState(topic=current.topic))
        fresh = [c for c in ranked if c.pair.id not in shown]
        return fresh[0].pair if fresh and fresh[0].confidence >= _MORE_FLOOR else None

    def _too_close(self, candidates: list[Candidate], query: AnalysedQuery) -> list[QAPair]:
        """Top answers about different topics with nearly equal scores, for a question naming no topic."""
        if query.topics:
            return []
        best = candidates[0]
        rivals = [
            c
            for c in candidates[1:3]
            if best.confidence - c.confidence < self.settings.clarify_margin
            and set(c.pair.topics) != set(best.pair.topics)
            and c.confidence >= self.settings.answer_threshold
        ]
        return [best.pair, *(c.pair for c in rivals)] if rivals else []

    def _topic_of(self, query: AnalysedQuery, pair: QAPair, context_topic: str | None) -> str | None:
        if len(query.topics) == 1:
            return query.topics[0]
        if context_topic:
            return context_topic
        return pair.topics[0] if len(pair.topics) == 1 else None

    def _is_topic_word(self, word: str) -> bool:
        return any(word in " ".join(terms).split() for terms in self.kb.topics.values())

    def _smalltalk(self, intent: str, current: ConversationState) -> Reply:
        new_state = current.after(topic=current.topic, last_id=current.last_id, last_query=current.last_query)
        return compose.smalltalk_reply(intent, self.topics, self.starter_questions(), self._disclaimers(), new_state)

    def _disclaimers(self, query: str = "", pair: QAPair | None = None) -> tuple[str, ...]:
        return choose_disclaimers(
            self.kb.disclaimers,
            query=query,
            section_id=pair.id if pair else None,
            doc_file=pair.doc.file if pair else None,
            limit=self.settings.max_disclaimers,
        )
