"""Combining field scores into one ranking and one calibrated confidence, with topic context."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faqbot.index import FieldScores
from faqbot.models import QAPair
from faqbot.query import AnalysedQuery

FEATURES = ("question", "body", "sentence", "chars", "fuzzy", "topic_named", "topic_other", "topic_context", "intro")
# Logistic-regression weights over FEATURES, fitted by bench/fit_ranking.py on labelled conversations: the
# decision value ranks pairs and its logistic is the calibrated probability that a pair answers the question.
WEIGHTS = {
    "question": 2.590,
    "body": 5.189,
    "sentence": 7.498,
    "chars": 3.715,
    "fuzzy": -1.518,
    "topic_named": 0.575,
    "topic_other": -2.391,
    "topic_context": -0.009,
    "intro": -0.414,
}
INTERCEPT = -3.882
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
                float(bool(named) and not named & set(p.topics)),
                float(not named and context_topic in p.topics),
                float(p.id.endswith("/intro")),
            )
            for p in pairs
        ],
        dtype=np.float64,
    ).reshape(len(pairs), 4)
    fields = np.column_stack([scores.question, scores.body, scores.sentence, scores.chars, scores.fuzzy])
    return np.hstack([fields, topic_rows])


_WEIGHT_VECTOR = np.array([WEIGHTS[name] for name in FEATURES])


def rank(
    scores: FieldScores, pairs: tuple[QAPair, ...], query: AnalysedQuery, context_topic: str | None
) -> list[Candidate]:
    """Every pair, best first, with its calibrated confidence shrunk for words the corpus never uses."""
    decision = features(scores, pairs, query, context_topic) @ _WEIGHT_VECTOR + INTERCEPT
    probability = 1.0 / (1.0 + np.exp(-decision))
    penalty = unknown_penalty(query)
    order = np.argsort(-decision, kind="stable")
    return [Candidate(pairs[i], float(decision[i]), float(probability[i]) * penalty) for i in order]


def unknown_penalty(query: AnalysedQuery) -> float:
    """Shrink confidence for each content word the corpus has never used (pregnancy, cupping, weather...)."""
    return float(UNKNOWN_WORD_FACTOR ** len(query.unknown))
