"""Whether the documents answer a question at all: query-level evidence about the best candidate, one probability.

Ranking says which section fits a question best; this says whether even the best one answers it. The signal is
what the question's own content words find in that section: a question whose specific words ("arthritis",
"infection", "NCCAOM") are there is answered, one whose subject the section never mentions ("weight loss",
"my dog", "opening hours") is declined, however close the rest of its wording is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faqbot.everyday import NOT_SUBJECT, SETTING_WORDS
from faqbot.lexicon import Lexicon
from faqbot.models import QAPair
from faqbot.query import AnalysedQuery, Vocabulary
from faqbot.text import stem, words
from faqbot.weights import Logistic

FEATURES = (
    "rank_logit",
    "margin",
    "unknown_words",
    "unknown_other",
    "uncovered",
    "covered",
    "covered_weight",
    "uncovered_weight",
    "no_content",
    "unknown_complement",
    "unknown_share",
    "covered_share",
    "fully_covered",
    "context_pair",
)
# With the semantic layer: the best candidate's cosine, the best cosine of any pair, and how far the best
# candidate's is ahead of the next pair's.
SEMANTIC_FEATURES = (*FEATURES, "semantic_best", "semantic_max", "semantic_margin")
# With the editors' not-covered questions: the best cosine to one of them, and how far it is ahead of the best pair's.
UNCOVERED_FEATURES = (*SEMANTIC_FEATURES, "uncovered_best", "uncovered_lead")
FEATURES_BY_KIND = {
    "lexical": FEATURES,
    "lexical_edited": FEATURES,
    "semantic": SEMANTIC_FEATURES,
    "uncovered": UNCOVERED_FEATURES,
}
# The weights are fitted by bench/fit.py on questions labelled in scope (the documents answer them) or out of
# scope, classes balanced, and read from faqbot/data/weights.json: the probability that the documents answer the
# question, judged from what its words (and, with the semantic layer, its meaning) find in the best candidate.
_LOGIT_LIMIT = 8.0
_COUNT_CAP = 4
# Zipf frequencies between which an unknown word goes from everyday filler (5.5: "thing") to a specific subject
# the documents don't cover (3.0 and rarer: "trimester", "cupping").
_FILLER_ZIPF, _SPECIFIC_ZIPF = 5.5, 3.0
# Words after which English puts what a treatment is for or applied to ("good for X", "help with X", "can my X"):
# an X the documents never mention is the question's subject, not a passing remark.
_COMPLEMENT_CUES = frozenset(
    ["for", "with", "help", "helps", "treat", "treats", "cure", "cures", "fix", "while", "during"]
)


@dataclass(frozen=True)
class Evidence:
    """Each pair's word stems and each stem's specificity (IDF over pairs, scaled to [0, 1])."""

    pair_stems: tuple[frozenset[str], ...]
    specificity: Mapping[str, float]
    synonyms: Mapping[str, frozenset[str]]
    topic_words: frozenset[str]
    lexicon: Lexicon
    # A setting word ("nervous") a heading asks about is a subject in this corpus ("I am nervous about the dentist").
    headed: frozenset[str] = frozenset()

    @classmethod
    def build(cls, pairs: Sequence[QAPair], vocabulary: Vocabulary) -> Evidence:
        """Collect the stems of every pair's questions, path and body; synonyms map to their documents' stems."""
        pair_stems = tuple(frozenset(stem(w) for text in p.texts() for w in words(text)) for p in pairs)
        frequency: dict[str, int] = {}
        for stems_of_pair in pair_stems:
            for item in stems_of_pair:
                frequency[item] = frequency.get(item, 0) + 1
        top = math.log(len(pairs) + 1)
        specificity = {item: math.log((len(pairs) + 1) / count) / top for item, count in frequency.items()}
        synonyms: dict[str, set[str]] = {}
        for variant, canonicals in vocabulary.synonyms.items():
            targets = {stem(w) for canonical in canonicals for w in words(canonical)}
            for word in variant.split():
                synonyms.setdefault(word, set()).update(targets)
        topic_words = frozenset(w for terms in vocabulary.topics.values() for term in terms for w in term)
        synonym_stems = {k: frozenset(v) for k, v in synonyms.items()}
        headed = frozenset(w for p in pairs for w in words(p.heading) if w in SETTING_WORDS)
        return cls(pair_stems, specificity, synonym_stems, topic_words, vocabulary.lexicon, headed)

    def subject_words(self, query: AnalysedQuery) -> tuple[str, ...]:
        """The query's own content words, without the words naming its topic."""
        return tuple(w for w in query.words if (w not in NOT_SUBJECT or w in self.headed) and w not in self.topic_words)

    def rarity(self, word: str) -> float:
        """0 for an everyday word, rising to 1 for a rare one; unlisted words (typos, names) count as 0."""
        frequency = self.lexicon.frequency(word)
        if not frequency:
            return 0.0
        return max(0.0, min(1.0, (_FILLER_ZIPF - frequency) / (_FILLER_ZIPF - _SPECIFIC_ZIPF)))

    def match_weight(self, word: str, position: int) -> float | None:
        """Specificity of what the word matches in the pair at `position` (itself or a synonym); None if nothing."""
        stems_of_pair = self.pair_stems[position]
        matched = ({stem(word)} | self.synonyms.get(word, frozenset())) & stems_of_pair
        return max((self.specificity.get(m, 0.0) for m in matched), default=None)


def features(
    query: AnalysedQuery,
    evidence: Evidence,
    position: int,
    logit: float,
    runner_up: float,
    similarity: NDArray[np.float32] | None = None,
    follows_up: bool = False,
    uncovered: float | None = None,
) -> NDArray[np.float64]:
    """FEATURES for the candidate at `position` (its ranking logit and the next candidate's), SEMANTIC_FEATURES when
    the query's similarity to every pair is given, UNCOVERED_FEATURES with its best similarity to a not-covered
    question too."""
    # The section the conversation was on: a follow-up's "it" pulls it up however little it has on the question.
    row = np.append(_lexical_features(query, evidence, position, logit, runner_up), float(follows_up))
    if similarity is None:
        return row
    others = np.delete(similarity, position)
    best = float(similarity[position])
    extra = [best, float(similarity.max()), best - float(others.max()) if len(others) else 0.0]
    if uncovered is not None:
        extra += [uncovered, uncovered - float(similarity.max())]
    return np.concatenate([row, np.array(extra, dtype=np.float64)])


def _lexical_features(
    query: AnalysedQuery, evidence: Evidence, position: int, logit: float, runner_up: float
) -> NDArray[np.float64]:
    subject = evidence.subject_words(query)
    unknown = [w for w in subject if w in query.unknown]
    known = [w for w in subject if w not in query.unknown]
    weights = {w: evidence.match_weight(w, position) for w in known}
    covered = [w for w in known if weights[w] is not None]
    uncovered = [w for w in known if weights[w] is None]
    unknown_rarity = sum(evidence.rarity(w) for w in unknown)
    return np.array(
        [
            max(-_LOGIT_LIMIT, min(_LOGIT_LIMIT, logit)),
            max(0.0, min(_LOGIT_LIMIT, logit - runner_up)),
            unknown_rarity,
            _capped(sum(1 for w in unknown if not evidence.lexicon.frequency(w))),
            _capped(len(uncovered)),
            _capped(len(covered)),
            max((weights[w] or 0.0 for w in covered), default=0.0),
            max((evidence.specificity.get(stem(w), 0.0) for w in uncovered), default=0.0),
            float(not subject),
            float(any(evidence.lexicon.frequency(w) > 0 for w in complements(query.words, unknown))),
            unknown_rarity / max(1, len(subject)),
            len(covered) / max(1, len(subject)),
            # Every word of the question found in the section: the strongest sign, whatever the ranking score.
            float(bool(covered) and not unknown and not uncovered),
        ],
        dtype=np.float64,
    )


def _capped(count: int) -> float:
    """Counts enter the model bounded, so a pasted wall of words can't add up to any decision."""
    return float(min(count, _COUNT_CAP))


def complements(query_words: tuple[str, ...], candidates: list[str]) -> list[str]:
    """The candidate words that stand first after a complement cue ("acupuncture for <acne>")."""
    found = []
    for cue_position, word in enumerate(query_words):
        if word in _COMPLEMENT_CUES:
            following = [w for w in query_words[cue_position + 1 :] if w not in NOT_SUBJECT or w in candidates]
            if following and following[0] in candidates:
                found.append(following[0])
    return found


def probability(row: NDArray[np.float64], model: Logistic) -> float:
    """The fitted logistic: probability that the candidate answers the question."""
    return 1.0 / (1.0 + math.exp(-float(model.decision(row))))
