"""The engine: `reply = engine.respond(text, state)`, safety first, then dialogue, then retrieval."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from faqbot import answerability, compose, excerpt, followup, reading
from faqbot.cache import ArrayCache
from faqbot.contact import ContactIntent, offered_contact
from faqbot.dialogue import ConversationState
from faqbot.disclaimers import choose_disclaimers, shortest_general
from faqbot.everyday import NOT_SUBJECT
from faqbot.extract import same_text
from faqbot.index import RetrievalIndex
from faqbot.knowledge import KnowledgeBase, load_knowledge_base
from faqbot.lexicon import Lexicon, load_lexicon
from faqbot.message import Message, Question, read_message
from faqbot.models import Block, QAPair, Reply, Suggestion
from faqbot.query import AnalysedQuery, Vocabulary, named_topics, without_topic_terms
from faqbot.ranking import FEATURES_BY_KIND as RANKING_FEATURES
from faqbot.ranking import Candidate, Context, PairTable, too_close
from faqbot.reading import Reading
from faqbot.safety import RedFlagReader, caution_line, default_reader, emergency_message
from faqbot.semantic import Encoder, SemanticIndex, SemanticUnavailable
from faqbot.settings import EngineSettings
from faqbot.suggest import Suggester
from faqbot.text import STOP_WORDS, fold, stems, tokens, words
from faqbot.weights import FittedWeights, load_weights
from faqbot.wording import corpus_synonyms

# The `uncovered` model was fitted with the bundled overlay's 295 not-covered questions. A much shorter list gives
# lower best cosines than it learned from, and the model then answers more, not less (with one listed question, the
# out-of-scope questions of eval/check.jsonl declined fell from 40 of 46 to 17), so a short list is not used.
MIN_NOT_COVERED = 100
# A floor on the ranking's probability (not the answer confidence): a related question worth listing under an answer.
_RELATED_FLOOR = 0.1
# The best answer, its rivals for "Did you mean …?", the related questions and a decline's suggestions (enough to
# leave out the section just answered); only the best two decide whether to answer.
_READ_CANDIDATES = 6
_OFFERED = 3
_STARTERS = 4
# The lexical reading is trusted without embedding the question when it is this sure (or the question is a
# section's own heading): embedding costs ~5 ms, the rest of a reply under 1 ms.
_SURE_WITHOUT_EMBEDDING = 0.9
_log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """The sentence encoder, loaded once per process and shared by every engine."""
    return Encoder()


@lru_cache(maxsize=1)
def bundled_weights() -> FittedWeights:
    """The fitted weights shipped in faqbot/data/weights.json."""
    return load_weights(RANKING_FEATURES, answerability.FEATURES_BY_KIND)


def _vacant(question: Question, heading_words: frozenset[str]) -> bool:
    """True when every word is a function word, an everyday word, a pronoun or a number, and none is a word of a
    section's own question ("how often should I go?" asks the section "How often should I get treatments?"): nothing
    the documents could be about."""
    return all((word in NOT_SUBJECT or word.isdigit()) and word not in heading_words for word in question.words)


class Engine:
    """Answers one message at a time from a knowledge base; keeps no memory between calls."""

    def __init__(
        self,
        kb: KnowledgeBase,
        settings: EngineSettings | None = None,
        lexicon: Lexicon | None = None,
        semantic: SemanticIndex | None = None,
        weights: FittedWeights | None = None,
    ) -> None:
        self.kb = kb
        self.settings = settings or EngineSettings()
        texts = [t for p in kb.pairs for t in p.texts()]
        lexicon = lexicon or load_lexicon()
        # Without the editors' synonyms, faqbot's general ones and the documents' compound spellings stand in.
        self.vocabulary = Vocabulary.build(texts, corpus_synonyms(texts, kb.synonyms, lexicon), kb.topics, lexicon)
        topic_terms = self.vocabulary.topics
        self.cache = ArrayCache(self.settings.cache_dir)
        self.index = RetrievalIndex(kb.pairs, lambda text: without_topic_terms(text, topic_terms), self.cache)
        self.topics = tuple(kb.topics)
        self.pair_table = PairTable(kb.pairs)
        self.evidence = answerability.Evidence.build(kb.pairs, self.vocabulary)
        self.red_flags: RedFlagReader = default_reader()
        self.heading_words = frozenset(
            w for p in kb.pairs for text in (p.heading, p.question) for w in words(text) if w not in STOP_WORDS
        )
        # The editors' not-covered questions in the form `index.verbatim` looks questions up by.
        self._listed_not_covered = frozenset(" ".join(words(q)) for q in kb.not_covered)
        self.weights = weights or bundled_weights()
        self.semantic = semantic or (self._semantic_index() if self.settings.semantic else None)
        self.suggester = Suggester(kb.pairs, lambda text: self.index.verbatim(tokens(fold(text))))

    @property
    def lists_not_covered(self) -> bool:
        """Whether the editors list enough questions the documents don't cover for the models fitted with such a
        list (`uncovered`, `lexical_edited`) to read this corpus."""
        return len(self.kb.not_covered) >= MIN_NOT_COVERED

    def _semantic_index(self) -> SemanticIndex | None:
        try:
            listed = self.kb.not_covered if self.lists_not_covered else ()
            topics = [frozenset(named_topics(tuple(words(q)), self.vocabulary.topics)) for q in listed]
            return SemanticIndex(self.kb.pairs, shared_encoder(), self.cache, listed, topics)
        except SemanticUnavailable as error:
            _log.warning("semantic layer off: %s", error)
            return None

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
        message = self._message(text, current)
        triage = message.triage
        number = self.settings.emergency_number
        if triage.current:
            # After an emergency, "tell me more" must not resume the FAQ where it was.
            after_emergency = current.after(topic=current.topic, last_id=None, last_query=None, shown=())
            after_emergency = dataclasses.replace(after_emergency, alerted=triage.current_flags)
            instruction, why = emergency_message(triage.current_flags, number, self.red_flags)
            disclaimers = self._disclaimers(query=words(message.raw), limit=1, relevant_first=False)
            return compose.emergency_reply(instruction, why, triage.current_flags, number, disclaimers, after_emergency)
        reply = self._reply(message, current)
        # A red-flag subject that is not happening now is answered as usual, never passed over in silence; nor is
        # the message after an emergency reply, which may be "sorry, I meant last year" or may not.
        alerted = (f for f in current.alerted if f in self.red_flags.flags)
        flags = tuple(dict.fromkeys((*triage.flags, *alerted)))
        if flags:
            return compose.with_caution(reply, flags, caution_line(number))
        return reply

    def question_for(self, text: str, current: ConversationState) -> Question | None:
        """What a message asks the documents, as `respond` looks it up; None for an emergency, small talk, a reset
        or "tell me more" (how the fitting script sees a turn)."""
        return self._message(text, current).question

    def _message(self, text: str, current: ConversationState) -> Message:
        raw = text if isinstance(text, str) else ""
        return read_message(raw, self.settings.max_input_chars, self.red_flags, current.last_query)

    def _reply(self, message: Message, current: ConversationState) -> Reply:
        """The reply to a message that is not an emergency."""
        if message.contact is not None:
            return self._contact(message.contact, current)
        if message.question is not None:
            return self._answer(message.question, current, message.raw)
        if message.intent == "more":
            return self._continue(current)
        if message.intent == "reset":
            return self._smalltalk("reset", ConversationState(turns=current.turns))
        return self._smalltalk(message.intent, current)

    def starter_questions(self, count: int = _STARTERS) -> tuple[QAPair, ...]:
        """Sections to offer before anything is asked: the first of each document, then the next ones."""
        return self.suggester.starters(count)

    def starter_suggestions(self, count: int = _STARTERS) -> tuple[Suggestion, ...]:
        """The starter sections as chips, worded as natural questions."""
        return self.suggester.offer(self.starter_questions(count))

    def _answer(self, question: Question, current: ConversationState, raw: str = "") -> Reply:
        refers_back = question.pronoun or question.subject is not None
        verbatim = self.index.verbatim(question.words)
        if (
            _vacant(question, self.heading_words)
            and verbatim is None
            and not ((current.last_id or current.topic) and refers_back)
        ):
            # "ok", "no", "why?", "🙂": nothing to look up, and no earlier answer for "it" or "and after?" to build on.
            starters = self.suggester.starters(_OFFERED, exclude=(current.last_id,))
            state = current.next_turn().declined(current)
            return self._decline(compose.VACANT_LEAD, starters, self._disclaimers(), state)
        reading = self._read(question, current, verbatim)
        query, context, candidates, confidence = reading.query, reading.context, reading.candidates, reading.confidence
        best = candidates[0]
        topic = self._topic_of(query, best.pair, context.topic)
        # A question the editors listed as not covered, asked word for word (as looked up, or as sent: `raw`, before
        # any red-flag clause is set aside), is declined whatever the models make of it (with a short list, or none of
        # the list's features, they may not know); a section's own heading or alternate is still answered.
        listed = verbatim is None and (
            " ".join(question.words) in self._listed_not_covered or " ".join(words(raw)) in self._listed_not_covered
        )
        if listed or not reading.accepted:
            offered = self.suggester.closest((c.pair for c in candidates), (current.last_id,), _OFFERED)
            # "What about dry needling?" next asks *this* question again for the other topic, so it is remembered
            # even though it was declined, and a declined "what about dry needling?" still moves the conversation to
            # dry needling; no section was given, so "tell me more" has nothing to continue.
            moved_to = query.topics[0] if len(query.topics) == 1 else current.topic
            new_state = current.after(topic=moved_to, last_id=None, last_query=query.text)
            disclaimers = self._disclaimers(query=question.words, room=len(compose.FALLBACK_LEAD.split()))
            return self._decline(compose.FALLBACK_LEAD, offered, disclaimers, new_state.declined(current))
        close = [] if query.topics else too_close(candidates, self.settings.clarify_margin, current.last_id)
        twins = [p for p in close if p.id != best.pair.id and same_text(p.heading, best.pair.heading)]
        if verbatim == best.position and not twins:
            close = []  # a heading asked as written is no question, unless another document has the same heading
        new_state = current.after(topic=topic, last_id=best.pair.id, last_query=query.text, shown=(best.pair.id,))
        if close:
            options = self.suggester.offer(close)
            disclaimers = self._disclaimers(query=question.words)
            return compose.choice_reply("clarify", compose.CLARIFY_LEAD, options, disclaimers, new_state)
        near = [c.pair for c in candidates[1:3] if c.confidence >= _RELATED_FLOOR]
        related = self.suggester.offer(self.suggester.closest(near, (best.pair.id, current.last_id), 2))
        shown = excerpt.short_answer(excerpt.of_pair(best.pair), stems(query.expanded))
        disclaimers = self._notes_under(shown, best.pair, question.words)
        return compose.answer_reply(best.pair, confidence, disclaimers, new_state, related, shown=shown)

    def _read(self, question: Question, current: ConversationState, verbatim: int | None) -> Reading:
        lexical, semantic = self.observe(question, current, verbatim, semantic="when-unsure")
        judged = self._judge(lexical)
        return self._judge(semantic) if semantic is not None else judged

    def observe(
        self, question: Question, current: ConversationState, verbatim: int | None, semantic: str = "when-unsure"
    ) -> tuple[reading.Observation, reading.Observation | None]:
        """The question's lexical observation, and its semantic one: "always", "never", or "when-unsure" (only when
        the lexical reading is not sure and the question is not a section's own heading)."""
        query, context = followup.resolve(question, current, self.vocabulary, self.evidence.topic_words)
        scores = self.index.score(query.focus, query.expanded)
        edited = self.semantic is None and self.lists_not_covered
        lexical = reading.observe(scores, self.pair_table, query, context, verbatim, edited=edited)
        if self.semantic is None or semantic == "never":
            return lexical, None
        if semantic == "when-unsure" and (
            verbatim is not None or self._judge(lexical).confidence >= _SURE_WITHOUT_EMBEDDING
        ):
            return lexical, None
        topics = frozenset(query.topics or ((context.topic,) if context.topic else ()))
        similarity = self.semantic.similarity(reading.semantic_text(query, context), topics)
        return lexical, reading.observe(scores, self.pair_table, query, context, verbatim, similarity)

    def _judge(self, observation: reading.Observation) -> Reading:
        return reading.judge(
            observation, self.pair_table, self.evidence, self.weights, self.settings.answer_threshold, _READ_CANDIDATES
        )

    def candidates(
        self, question: str, current: ConversationState, limit: int | None = None
    ) -> tuple[AnalysedQuery, Context, list[Candidate]]:
        """The question read in the light of the conversation, and the pairs ranked for it, best first (the first
        `limit`, or all)."""
        asked = Question.read(question)
        return self._ranked(asked, current, limit, self.index.verbatim(asked.words))

    def _ranked(
        self, question: Question, current: ConversationState, limit: int | None, verbatim: int | None
    ) -> tuple[AnalysedQuery, Context, list[Candidate]]:
        observation, _ = self.observe(question, current, verbatim, semantic="never")
        # A section's own question asked about the other treatment still ranks below sections about that one.
        candidates = reading.ranked(observation, self.weights.ranking[observation.kind], self.pair_table, limit)
        return observation.query, observation.context, candidates

    def _continue(self, current: ConversationState) -> Reply:
        """ "Tell me more": the next section about the conversation's topic (`followup.tell_more`)."""
        last = self.kb.pair(current.last_id) if current.last_id else None
        if last is None:
            return self._smalltalk("help", current)
        more = followup.tell_more(current, last, lambda text, state: self.candidates(text, state)[2])
        if more.chosen is None:
            starters = self.suggester.starters(_OFFERED, exclude=(*current.shown, last.id))
            return self._decline(compose.NO_MORE_LEAD, starters, self._disclaimers(), more.state.declined(current))
        chosen = more.chosen
        shown = excerpt.short_answer(excerpt.of_pair(chosen.pair))
        disclaimers = self._notes_under(shown, chosen.pair)
        related = self.suggester.offer(self.suggester.closest(more.related, (last.id,), len(more.related)))
        return compose.answer_reply(chosen.pair, chosen.confidence, disclaimers, more.state, related, shown=shown)

    def whole_section(self, pair_id: str) -> Reply | None:
        """The whole section of a pair as an answer ("Read the whole section"), outside any conversation; None for an
        id the knowledge base does not have."""
        pair = self.kb.pair(pair_id)
        if pair is None:
            return None
        full = excerpt.of_pair(pair).blocks
        return compose.answer_reply(pair, 1.0, self._notes_under(full, pair), ConversationState(), (), shown=full)

    def _topic_of(self, query: AnalysedQuery, pair: QAPair, context_topic: str | None) -> str | None:
        if len(query.topics) == 1:
            return query.topics[0]
        return context_topic or (pair.topics[0] if len(pair.topics) == 1 else None)

    def _decline(
        self, lead: str, offered: Sequence[QAPair], disclaimers: Sequence[str], state: ConversationState
    ) -> Reply:
        """A fallback (`state` counts it): the questions offered instead, and the clinic's details when due."""
        contact = offered_contact(self.settings.clinic, state.declines)
        return compose.choice_reply("fallback", lead, self.suggester.offer(offered), disclaimers, state, contact)

    def _contact(self, intent: ContactIntent, current: ConversationState) -> Reply:
        """ "Can I talk to a person?", "when are you open?": answered from the clinic's settings, not the documents."""
        # A turn that moved nothing on but ends the run of declines: the patient now knows how to reach the clinic.
        state = current.after(topic=current.topic, last_id=current.last_id, last_query=current.last_query)
        return compose.contact_reply(intent, self.settings.clinic, self._disclaimers(), state)

    def _smalltalk(self, intent: str, current: ConversationState) -> Reply:
        new_state = current.next_turn()
        # Small talk carries the shortest general statement alone: a note longer than "Hello!" drowns it.
        disclaimers = shortest_general(self.kb.disclaimers)
        return compose.smalltalk_reply(intent, self.topics, self.starter_suggestions(), disclaimers, new_state)

    def _notes_under(self, shown: Sequence[Block], pair: QAPair, query: Sequence[str] = ()) -> tuple[str, ...]:
        """The safety notes under an answer showing `shown`: none it already says, the first no longer than it."""
        text = excerpt.plain(shown)
        return self._disclaimers(query=query, pair=pair, shown=text, room=excerpt.words_in(shown))

    def _disclaimers(
        self,
        query: Sequence[str] = (),
        pair: QAPair | None = None,
        limit: int | None = None,
        shown: str = "",
        relevant_first: bool = True,
        room: int | None = None,
    ) -> tuple[str, ...]:
        return choose_disclaimers(
            self.kb.disclaimers,
            query=query,
            section_id=pair.id if pair else None,
            doc_file=pair.doc.file if pair else None,
            limit=limit or self.settings.max_disclaimers,
            shown=shown,
            relevant_first=relevant_first,
            room=room,
        )
