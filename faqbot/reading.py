"""Judging a question: its features for every pair, the ranking and the answer-or-decline decision.

Serving and fitting share these functions: `bench/fit.py` fits the weights on exactly the rows the engine computes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faqbot import answerability
from faqbot.index import FieldScores
from faqbot.query import AnalysedQuery
from faqbot.ranking import Candidate, Context, PairTable, off_topic, rank
from faqbot.semantic import Similarity
from faqbot.weights import FittedWeights, Logistic

# A section's own heading or question asked word for word gets it whatever a small corpus lets the models learn.
VERBATIM_CONFIDENCE = 0.99


@dataclass(frozen=True)
class Observation:
    """What the retrievers found for one question: a feature row per pair, before any weights."""

    query: AnalysedQuery
    context: Context
    rows: NDArray[np.float64]
    verbatim: int | None
    similarity: Similarity | None
    # Read without sentence embeddings in a corpus whose editors list the questions it doesn't cover: its editors
    # wrote an overlay like the bundled one, so the lexical models fitted with an overlay read it.
    edited: bool = False

    @property
    def kind(self) -> str:
        """Which fitted models read it: "uncovered" when the editors' not-covered questions were compared too,
        "semantic" when sentence embeddings were used, else "lexical_edited" or "lexical"."""
        if self.similarity is None:
            return "lexical_edited" if self.edited else "lexical"
        return "semantic" if self.similarity.uncovered is None else "uncovered"


@dataclass(frozen=True)
class Reading:
    """An observation judged: candidates best first, the confidence that the best answers, and whether it does."""

    observation: Observation
    candidates: list[Candidate]
    confidence: float
    accepted: bool

    @property
    def query(self) -> AnalysedQuery:
        """The analysed question."""
        return self.observation.query

    @property
    def context(self) -> Context:
        """What the conversation added to it."""
        return self.observation.context


def observe(
    scores: FieldScores,
    table: PairTable,
    query: AnalysedQuery,
    context: Context,
    verbatim: int | None,
    similarity: Similarity | None = None,
    edited: bool = False,
) -> Observation:
    """The feature rows of one question (with the semantic column when a similarity is given)."""
    rows = table.features(scores, query, context, similarity)
    return Observation(query, context, rows, verbatim, similarity, edited and similarity is None)


def ranked(observation: Observation, model: Logistic, table: PairTable, limit: int | None) -> list[Candidate]:
    """The pairs ranked by a fitted ranking model."""
    o = observation
    return rank(o.rows, model, table, o.query, o.context, limit, o.verbatim)


def answer_row(
    observation: Observation, evidence: answerability.Evidence, candidates: list[Candidate]
) -> NDArray[np.float64]:
    """The answer-or-decline features of the best candidate."""
    best, runner_up = candidates[0], candidates[1] if len(candidates) > 1 else candidates[0]
    o = observation
    follows_up = o.context.last_id == best.pair.id
    questions = o.similarity.questions if o.similarity is not None else None
    uncovered = o.similarity.uncovered if o.similarity is not None else None
    return answerability.features(
        o.query, evidence, best.position, best.score, runner_up.score, questions, follows_up, uncovered
    )


def judge(
    observation: Observation,
    table: PairTable,
    evidence: answerability.Evidence,
    weights: FittedWeights,
    threshold: float,
    limit: int | None,
) -> Reading:
    """Rank, then decide whether the best candidate answers (a section about acupuncture alone never answers a
    question about dry needling alone, or the reverse)."""
    kind = observation.kind
    candidates = ranked(observation, weights.ranking[kind], table, limit)
    answering = weights.answering[kind]
    confidence = answerability.probability(answer_row(observation, evidence, candidates), answering)
    if observation.verbatim == candidates[0].position:
        confidence = max(confidence, VERBATIM_CONFIDENCE)
    accepted = confidence >= threshold and not off_topic(observation.query, observation.context, candidates[0].pair)
    return Reading(observation, candidates, confidence, accepted)


def semantic_text(query: AnalysedQuery, context: Context) -> str:
    """What is embedded for a question: as read in the conversation ("and afterwards?" after a question about a
    session), with the conversation's topic when it names none ("does it hurt?" about dry needling)."""
    text = " ".join(query.words)  # spelling corrected: "releif" would embed far from "relief"
    return f"{text} ({context.topic})" if context.topic and not query.topics else text
