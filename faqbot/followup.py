"""Follow-ups: a question read in the light of the conversation, and what "tell me more" goes on with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from faqbot.dialogue import ConversationState
from faqbot.message import Question
from faqbot.models import QAPair
from faqbot.query import AnalysedQuery, Vocabulary, analyse_query, topic_phrase
from faqbot.ranking import Candidate, Context

# "Tell me more" moves to another section on the same question only when it ranks at least this well for it.
MORE_FLOOR = 0.2

Ranker = Callable[[str, ConversationState], list[Candidate]]


@dataclass(frozen=True)
class Continuation:
    """What "tell me more" goes on with: the next section (None when all about the topic were shown), the others
    worth listing under it, and the state after the turn."""

    chosen: Candidate | None
    related: tuple[QAPair, ...]
    state: ConversationState


def resolve(
    question: Question, current: ConversationState, vocabulary: Vocabulary, topic_words: frozenset[str]
) -> tuple[AnalysedQuery, Context]:
    """Read the question in the light of the conversation: "what about X?", pronouns, topic carry-over."""
    subject = question.subject
    asked = Question.read(subject) if subject else question
    query = analyse_query(asked.text, vocabulary, asked.words)
    if subject and current.last_query and _names_a_topic(query):
        # "What about dry needling?": the last question, asked again about the other treatment.
        base = analyse_query(current.last_query, vocabulary)
        kept = (w for w in base.words if w not in topic_words)
        text = " ".join(kept) + " " + " ".join(query.topics)
        return analyse_query(text, vocabulary), Context(topic=query.topics[0])
    if subject and current.topic and current.last_id:
        # "And afterwards?", "what about the cost?": something else about the same treatment, so the last
        # section itself is not what is asked for.
        about = topic_phrase(current.last_query or "", current.topic, vocabulary.topics) or current.topic
        return analyse_query(f"{subject} {about}", vocabulary), Context(topic=current.topic)
    # Letters that are no word at all ("asdfgh", "yyyyyyyy") refer to nothing, however short.
    gibberish = bool(query.content) and all(
        w in query.unknown and not vocabulary.lexicon.frequency(w) for w in query.content
    )
    refers_back = asked.pronoun or (len(query.content) <= 3 and not gibberish)
    last_id = current.last_id if refers_back and not query.topics else None
    if query.topics or not current.topic:
        return query, Context(last_id=last_id)
    if refers_back:
        # The last question's words only when it was answered: "it" never means what was declined ("can it cure
        # my insomnia?" declined, then "is it safe?" is about the treatment, not insomnia).
        answered = current.last_query if current.last_id else None
        named = topic_phrase(answered or "", current.topic, vocabulary.topics) or current.topic
        return analyse_query(f"{asked.text} {named}", vocabulary), Context(current.topic, last_id)
    return query, Context(topic=current.topic)


def tell_more(current: ConversationState, last: QAPair, rank: Ranker) -> Continuation:
    """ "Tell me more" after the section `last`: the closest section to the last question not shown yet, else the
    next in the document; always one about the conversation's topic. `rank` ranks the pairs for a question."""
    shown = current.shown or (last.id,)
    fresh = [
        c
        for c in rank(current.last_query or last.question, ConversationState(topic=current.topic))
        if c.pair.id not in shown and (current.topic is None or current.topic in c.pair.topics)
    ]
    closest = fresh[0] if current.last_query and fresh and fresh[0].confidence >= MORE_FLOOR else None
    following = (c for c in sorted(fresh, key=lambda c: c.pair.order) if c.pair.doc.file == last.doc.file)
    chosen = closest or next((c for c in following if c.pair.order > last.order), None) or next(iter(fresh), None)
    if chosen is None:
        unmoved = current.after(topic=current.topic, last_id=last.id, last_query=current.last_query)
        return Continuation(None, (), unmoved)
    state = current.after(
        topic=current.topic, last_id=chosen.pair.id, last_query=current.last_query, shown=(*shown, chosen.pair.id)
    )
    return Continuation(chosen, tuple(c.pair for c in fresh if c is not chosen)[:2], state)


def _names_a_topic(query: AnalysedQuery) -> bool:
    """True when the query says little more than a topic's name: "what about dry needling?" swaps the topic."""
    return bool(query.topics) and len(query.content) <= len(" ".join(query.topics).split()) + 1
