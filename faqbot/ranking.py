"""Combining field scores into one ranking and one calibrated confidence, with topic context."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from faqbot.index import FieldScores
from faqbot.models import QAPair
from faqbot.query import AnalysedQuery

# Field weights: questions and alternates are written as patients ask, so they weigh most; the body catches
# paraphrases that use the document's own words; characters and fuzzy matching absorb typos.
WEIGHTS = {"question": 0.34, "body": 0.16, "sentence": 0.2, "chars": 0.14, "fuzzy": 0.16}
# Logistic calibration of the combined score: centre where answers start to be right, slope how fast.
CALIBRATION_CENTRE = 0.30
CALIBRATION_SLOPE = 16.0
# An unknown content word means the question is probably about something the documents never mention.
UNKNOWN_WORD_FACTOR = 0.45


@dataclass(frozen=True)
class Candidate:
    """A pair with its combined score and confidence for one query."""

    pair: QAPair
    score: float
    confidence: float


def rank(
    scores: FieldScores,
    pairs: tuple[QAPair, ...],
    query: AnalysedQuery,
    context_topic: str | None,
) -> list[Candidate]:
    """Every pair, best first, its confidence calibrated and adjusted for topic and unknown words."""
    combined = sum(weight * getattr(scores, field) for field, weight in WEIGHTS.items())
    combined = combined * _topic_factors(pairs, query.topics, context_topic)
    penalty = unknown_penalty(query)
    order = np.argsort(-combined, kind="stable")
    return [Candidate(pairs[i], float(combined[i]), calibrate(float(combined[i])) * penalty) for i in order]


def calibrate(score: float) -> float:
    """Map a combined score to a confidence in [0, 1]."""
    return 1.0 / (1.0 + math.exp(-CALIBRATION_SLOPE * (score - CALIBRATION_CENTRE)))


def unknown_penalty(query: AnalysedQuery) -> float:
    """Shrink confidence for each content word the corpus has never used (pregnancy, cupping, weather...)."""
    return float(UNKNOWN_WORD_FACTOR ** len(query.unknown))


def _topic_factors(
    pairs: tuple[QAPair, ...], named: tuple[str, ...], context_topic: str | None
) -> np.ndarray:
    wanted = set(named) or ({context_topic} if context_topic else set())
    if not wanted:
        return np.ones(len(pairs))
    mismatch = 0.55 if named else 0.75
    factors = []
    for pair in pairs:
        have = set(pair.topics)
        factors.append(1.0 if wanted <= have else 0.85 if wanted & have else mismatch)
    return np.array(factors)
