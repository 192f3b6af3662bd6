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
    "question": 2.873,
    "body": 3.918,
    "sentence": 6.65,
    "chars": 4.02,
    "fuzzy": -0.844,
    "topic_named": 0.112,
    "topic_exact": 0.965,
    "topic_other": -3.659,
    "topic_context": 0.024,
    "intro": 0.085,
    "context_pair": 1.514,
}
INTERCEPT = -4.68
# Asked almost word for word as a pair's question or alternate: that pair, whatever the other fields say (a rule,
# not fitted: the labelled conversations rarely quote a heading, but a patient who does should get that section).
EXACT_QUESTION_RATIO = 0.92
EXACT_QUESTION_BONUS = 3.0


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


def rank(scores: FieldScores, pairs: tuple[QAPair, ...], query: AnalysedQuery, context: Context) -> list[Candidate]:
    """Every pair, best first, with the probability that it answers the question if the documents answer it."""
    decision = features(scores, pairs, query, context) @ _WEIGHT_VECTOR + INTERCEPT
    decision = decision + EXACT_QUESTION_BONUS * (scores.fuzzy >= EXACT_QUESTION_RATIO)
    probability = 1.0 / (1.0 + np.exp(-decision))
    # Sections about every topic the question names come first, then those about some of them: "can both dry
    # needling and acupuncture help?" is not answered by a section about acupuncture alone while one about both fits.
    named = set(query.topics)
    fit = np.array([len(named & set(p.topics)) + float(named <= set(p.topics)) for p in pairs], dtype=np.float64)
    order = np.lexsort((-decision, -fit))
    return [Candidate(pairs[i], float(decision[i]), float(probability[i]), int(i)) for i in order]
