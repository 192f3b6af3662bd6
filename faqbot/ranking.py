"""Combining field scores into one ranking and one calibrated confidence, with topic context."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faqbot.index import FieldScores
from faqbot.models import QAPair
from faqbot.query import AnalysedQuery

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
# Logistic-regression weights over FEATURES, fitted by bench/fit_ranking.py on labelled conversations: the
# decision value ranks pairs and its logistic is the calibrated probability that a pair answers the question.
WEIGHTS = {
    "question": 2.591,
    "body": 4.356,
    "sentence": 6.914,
    "chars": 4.163,
    "fuzzy": -0.714,
    "topic_named": 0.079,
    "topic_exact": 0.976,
    "topic_other": -3.525,
    "topic_context": -0.018,
    "intro": 0.147,
    "context_pair": 1.662,
}
INTERCEPT = -4.727
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


def features(
    scores: FieldScores, pairs: tuple[QAPair, ...], query: AnalysedQuery, context: Context
) -> NDArray[np.float64]:
    """One row per pair, one column per FEATURES entry."""
    named = set(query.topics)
    topic_rows = np.array(
        [
            (
                float(bool(named) and named <= set(p.topics)),
                float(bool(named) and named == set(p.topics)),
                float(bool(named) and not named & set(p.topics)),
                float(not named and context.topic in p.topics),
                float(p.id.endswith("/intro")),
                float(p.id == context.last_id),
            )
            for p in pairs
        ],
        dtype=np.float64,
    ).reshape(len(pairs), 6)
    fields = np.column_stack([scores.question, scores.body, scores.sentence, scores.chars, scores.fuzzy])
    return np.hstack([fields, topic_rows])


_WEIGHT_VECTOR = np.array([WEIGHTS[name] for name in FEATURES])


def rank(
    scores: FieldScores, pairs: tuple[QAPair, ...], query: AnalysedQuery, context: Context, limit: int | None = None
) -> list[Candidate]:
    """The pairs, best first (the first `limit`, or all), with the probability that each answers the question if
    the documents answer it."""
    decision = features(scores, pairs, query, context) @ _WEIGHT_VECTOR + INTERCEPT
    decision = decision + EXACT_QUESTION_BONUS * (scores.fuzzy >= EXACT_QUESTION_RATIO)
    probability = 1.0 / (1.0 + np.exp(-decision))
    # Sections about every topic the question is about rank higher than those about some of them: "can both dry
    # needling and acupuncture help?" is not answered by a section about acupuncture alone while one about both fits.
    required = required_topics(query, context)
    fit = np.array([len(required & set(p.topics)) + float(required <= set(p.topics)) for p in pairs])
    order = np.argsort(-(decision + TOPIC_FIT_BONUS * fit), kind="stable")[:limit]
    return [Candidate(pairs[i], float(decision[i]), float(probability[i]), int(i)) for i in order]


def required_topics(query: AnalysedQuery, context: Context) -> set[str]:
    """The topics an answer must concern: those the question names, else the one the conversation is about."""
    return set(query.topics) or ({context.topic} if context.topic else set())


def off_topic(query: AnalysedQuery, context: Context, pair: QAPair) -> bool:
    """True when the pair concerns none of the topics the question is about (acupuncture vs dry needling)."""
    required = required_topics(query, context)
    return bool(required) and not required & set(pair.topics)
