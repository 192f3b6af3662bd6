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
)
# Logistic-regression weights over FEATURES, fitted by bench/fit_ranking.py on labelled conversations: the
# decision value ranks pairs and its logistic is the calibrated probability that a pair answers the question.
WEIGHTS = {
    "question": 2.060,
    "body": 4.102,
    "sentence": 6.391,
    "chars": 3.204,
    "fuzzy": -0.039,
    "topic_named": 0.040,
    "topic_exact": 0.936,
    "topic_other": -2.775,
    "topic_context": -0.002,
    "intro": -0.089,
}
INTERCEPT = -4.577
# Asked almost word for word as a pair's question or alternate: that pair, whatever the other fields say (a rule,
# not fitted: the labelled conversations rarely quote a heading, but a patient who does should get that section).
EXACT_QUESTION_RATIO = 0.92
EXACT_QUESTION_BONUS = 3.0
# An unknown content word means the question is probably about something the documents never mention.
UNKNOWN_WORD_FACTOR = 0.2


@dataclass(frozen=True)
class Candidate:
    """A pair with its combined score and confidence for one query."""

    pair: QAPair
    score: float
    confidence: float


def features(
    scores: FieldScores, pairs: tuple[QAPair, ...], query: AnalysedQuery, context_topic: str | None
) -> NDArray[np.float64]:
    """One row per pair, one column per FEATURES entry."""
    named = set(query.topics)
    topic_rows = np.array(
        [
            (
                float(bool(named) and named <= set(p.topics)),
                float(bool(named) and named == set(p.topics)),
                float(bool(named) and not named & set(p.topics)),
                float(not named and context_topic in p.topics),
                float(p.id.endswith("/intro")),
            )
            for p in pairs
        ],
        dtype=np.float64,
    ).reshape(len(pairs), 5)
    fields = np.column_stack([scores.question, scores.body, scores.sentence, scores.chars, scores.fuzzy])
    return np.hstack([fields, topic_rows])


_WEIGHT_VECTOR = np.array([WEIGHTS[name] for name in FEATURES])


def rank(
    scores: FieldScores, pairs: tuple[QAPair, ...], query: AnalysedQuery, context_topic: str | None
) -> list[Candidate]:
    """Every pair, best first, with its calibrated confidence shrunk for words the corpus never uses."""
    decision = features(scores, pairs, query, context_topic) @ _WEIGHT_VECTOR + INTERCEPT
    decision = decision + EXACT_QUESTION_BONUS * (scores.fuzzy >= EXACT_QUESTION_RATIO)
    probability = 1.0 / (1.0 + np.exp(-decision))
    penalty = unknown_penalty(query)
    order = np.argsort(-decision, kind="stable")
    return [Candidate(pairs[i], float(decision[i]), float(probability[i]) * penalty) for i in order]


def unknown_penalty(query: AnalysedQuery) -> float:
    """Shrink confidence for each content word the corpus has never used (pregnancy, cupping, weather...)."""
    return float(UNKNOWN_WORD_FACTOR ** len(query.unknown))
