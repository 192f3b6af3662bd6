"""Combining field scores into one ranking and one calibrated confidence, with topic context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faqbot.index import FieldScores
from faqbot.models import QAPair
from faqbot.query import AnalysedQuery
from faqbot.semantic import Similarity
from faqbot.weights import Logistic

FEATURES = (
    "question",
    "body",
    "sentence",
    "chars",
    "fuzzy",
    "topic_named",
    "topic_exact",
    "topic_other",
    "topic_context",
    "intro",
    "context_pair",
)
# With the semantic layer (sentence embeddings): the query's best cosine to the pair's questions, how far that is
# behind the best pair's, and its best cosine to a sentence of the pair's body.
SEMANTIC_FEATURES = (*FEATURES, "semantic", "semantic_gap", "semantic_body")
FEATURES_BY_KIND = {
    "lexical": FEATURES,
    "lexical_edited": FEATURES,
    "semantic": SEMANTIC_FEATURES,
    "uncovered": SEMANTIC_FEATURES,
}
_COLUMN = {name: column for column, name in enumerate(SEMANTIC_FEATURES)}
_FIELDS = ("question", "body", "sentence", "chars", "fuzzy")  # FieldScores attributes, used as they are
# The weights over these features are fitted by bench/fit.py (logistic regression on labelled conversations) and
# read from faqbot/data/weights.json: the decision value ranks pairs, its logistic is the calibrated probability
# that a pair answers the question.
# Asked almost word for word as a pair's question or alternate: that pair, whatever the other fields say (a rule,
# not fitted: the labelled conversations rarely quote a heading, but a patient who does should get that section).
EXACT_QUESTION_RATIO = 0.92
EXACT_QUESTION_BONUS = 3.0
# Per level of topic fit (none, some, all of the topics asked about): a strong preference for sections about what
# is asked, which a much better section about part of it can still overcome (a rule, tuned on the dev set).
TOPIC_FIT_BONUS = 2.0


@dataclass(frozen=True)
class Context:
    """What the conversation adds to a question: the topic carried over and, for a follow-up that refers back
    ("what is it used for?"), the section it refers to."""

    topic: str | None = None
    last_id: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A pair with its combined score and confidence for one query."""

    pair: QAPair
    score: float
    confidence: float
    position: int


@dataclass(frozen=True)
class TopicColumns:
    """Per pair, for one set of topics: concerns every one, concerns exactly those, concerns any, and the fit
    (how many of them it concerns, plus one when it concerns them all)."""

    every: NDArray[np.float64]
    exact: NDArray[np.float64]
    some: NDArray[np.float64]
    fit: NDArray[np.float64]


class PairTable:
    """What ranking needs of every pair as arrays, built once per knowledge base: the topics each pair concerns,
    which pairs are document introductions and where each id sits."""

    def __init__(self, pairs: tuple[QAPair, ...]) -> None:
        self.pairs = pairs
        self._intro = np.array([p.id.endswith("/intro") for p in pairs], dtype=np.float64)
        self._position = {p.id: i for i, p in enumerate(pairs)}
        # Filled on first use: a knowledge base has a handful of topics, so at most a few dozen sets are ever asked.
        self._by_topics: dict[frozenset[str], TopicColumns] = {}

    def topic_columns(self, topics: frozenset[str]) -> TopicColumns:
        """The per-pair topic columns for one set of topics."""
        columns = self._by_topics.get(topics)
        if columns is None:
            shared = np.array([len(topics & set(p.topics)) for p in self.pairs], dtype=np.float64)
            every = np.array([bool(topics) and topics <= set(p.topics) for p in self.pairs], dtype=np.float64)
            exact = np.array([bool(topics) and topics == set(p.topics) for p in self.pairs], dtype=np.float64)
            columns = TopicColumns(every, exact, (shared > 0).astype(np.float64), shared + every)
            self._by_topics[topics] = columns
        return columns

    def features(
        self,
        scores: FieldScores,
        query: AnalysedQuery,
        context: Context,
        similarity: Similarity | None = None,
    ) -> NDArray[np.float64]:
        """One row per pair, one column per FEATURES entry (SEMANTIC_FEATURES when a similarity is given)."""
        width = len(SEMANTIC_FEATURES if similarity is not None else FEATURES)
        rows = np.zeros((len(self.pairs), width), dtype=np.float64)
        if similarity is not None:
            rows[:, _COLUMN["semantic"]] = similarity.questions
            rows[:, _COLUMN["semantic_gap"]] = similarity.questions - similarity.questions.max()
            rows[:, _COLUMN["semantic_body"]] = similarity.body
        for name in _FIELDS:
            rows[:, _COLUMN[name]] = getattr(scores, name)
        if query.topics:
            named = self.topic_columns(frozenset(query.topics))
            rows[:, _COLUMN["topic_named"]] = named.every
            rows[:, _COLUMN["topic_exact"]] = named.exact
            rows[:, _COLUMN["topic_other"]] = 1.0 - named.some
        elif context.topic:
            rows[:, _COLUMN["topic_context"]] = self.topic_columns(frozenset((context.topic,))).some
        rows[:, _COLUMN["intro"]] = self._intro
        if context.last_id in self._position:
            rows[self._position[context.last_id], _COLUMN["context_pair"]] = 1.0
        return rows


def rank(
    rows: NDArray[np.float64],
    model: Logistic,
    table: PairTable,
    query: AnalysedQuery,
    context: Context,
    limit: int | None = None,
    verbatim: int | None = None,
) -> list[Candidate]:
    """The pairs, best first (the first `limit`, or all), with the probability that each answers the question if
    the documents answer it; `verbatim` is the pair whose own heading or question was asked word for word."""
    decision = model.decision(rows)
    decision = decision + EXACT_QUESTION_BONUS * (rows[:, _COLUMN["fuzzy"]] >= EXACT_QUESTION_RATIO)
    if verbatim is not None:
        # Asking a section's own heading or question (a suggestion chip, a heading copied from the page) gets
        # that section, however many others share its words ("the difference" vs "other differences").
        decision[verbatim] = max(decision[verbatim], decision.max()) + EXACT_QUESTION_BONUS
    # Sections about every topic the question is about rank higher than those about some of them: "can both dry
    # needling and acupuncture help?" is not answered by a section about acupuncture alone while one about both fits.
    fit = table.topic_columns(frozenset(required_topics(query, context))).fit
    order = _best_first(decision + TOPIC_FIT_BONUS * fit, limit)
    chosen = decision[order]
    probability = 1.0 / (1.0 + np.exp(-chosen))
    return [
        Candidate(table.pairs[i], d, p, i)
        for i, d, p in zip(order.tolist(), chosen.tolist(), probability.tolist(), strict=True)
    ]


def _best_first(scores: NDArray[np.float64], limit: int | None) -> NDArray[np.intp]:
    """Positions of the `limit` highest scores (all when None), highest first, ties in pair order; a partial sort
    when only a few are wanted from a large corpus."""
    if limit is None or limit >= len(scores):
        return np.argsort(-scores, kind="stable")
    chosen = np.argpartition(-scores, limit - 1)[:limit]
    return chosen[np.lexsort((chosen, -scores[chosen]))]


def required_topics(query: AnalysedQuery, context: Context) -> set[str]:
    """The topics an answer must concern: those the question names, else the one the conversation is about."""
    return set(query.topics) or ({context.topic} if context.topic else set())


def off_topic(query: AnalysedQuery, context: Context, pair: QAPair) -> bool:
    """True when the pair concerns none of the topics the question is about (acupuncture vs dry needling)."""
    required = required_topics(query, context)
    return bool(required) and not required & set(pair.topics)


# A rival worth offering in "Did you mean …?" is at least this likely (ranking probability, not answer confidence).
CLARIFY_FLOOR = 0.2


def too_close(candidates: Sequence[Candidate], margin: float, answered: str | None) -> list[QAPair]:
    """The best pair and its rivals about other topics within `margin` of its confidence, for a "Did you mean …?"
    (none of them the section just answered; empty when that leaves no choice)."""
    best = candidates[0]
    rivals = [
        c
        for c in candidates[1:3]
        if best.confidence - c.confidence < margin
        and set(c.pair.topics) != set(best.pair.topics)
        and c.confidence >= CLARIFY_FLOOR
    ]
    close = [pair for pair in (best.pair, *(c.pair for c in rivals)) if pair.id != answered]
    return close if len(close) > 1 else []
