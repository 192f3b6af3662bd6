"""The retrieval index: scikit-learn TF-IDF (stemmed words and character n-grams) plus rapidfuzz question matching."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from faqbot.models import QAPair
from faqbot.text import analyse, analysed_words, char_form, split_sentences, words


@dataclass(frozen=True)
class FieldScores:
    """Per-pair similarity of one query in each field, every array aligned with the index's pairs."""

    question: NDArray[np.float64]
    body: NDArray[np.float64]
    sentence: NDArray[np.float64]
    chars: NDArray[np.float64]
    fuzzy: NDArray[np.float64]


class RetrievalIndex:
    """Vectors for every pair's questions (heading, generated forms, editors' alternates), body and sentences."""

    def __init__(self, pairs: tuple[QAPair, ...], without_topics: Callable[[str], str] = lambda text: text) -> None:
        self.pairs = pairs
        question_rows: list[tuple[int, str]] = []
        sentence_rows: list[tuple[int, str]] = []
        whole_rows: list[tuple[int, str]] = []
        # A text that is one pair's heading and another's alternate ("What is acupuncture?") belongs to the heading.
        by_precedence = [(p, t) for p, pair in enumerate(pairs) for t in (pair.heading, pair.question)]
        by_precedence += [(p, t) for p, pair in enumerate(pairs) for t in pair.alternates]
        self._verbatim: dict[str, int] = {}
        for position, text in by_precedence:
            self._verbatim.setdefault(char_form(text), position)
        for position, pair in enumerate(pairs):
            for text in (pair.question, *pair.alternates):
                whole_rows.append((position, analyse(text)))
                # A question also stands without its topic words, to match queries whose topic was set aside
                # (topics are scored separately), so "Does acupuncture hurt?" also indexes as "does hurt".
                question_rows.extend((position, form) for form in dict.fromkeys((text, without_topics(text))))
            for paragraph in pair.body.split("\n"):
                sentence_rows.extend((position, s) for s in split_sentences(paragraph))
        self._question_owner = np.array([p for p, _ in question_rows], dtype=np.int64)
        self._sentence_owner = np.array([p for p, _ in sentence_rows], dtype=np.int64)
        section_texts = [" ".join((p.question, *p.alternates, *p.path, p.body)) for p in pairs]
        self._words = TfidfVectorizer(
            token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True, dtype=np.float64
        ).fit([analyse(text) for text in section_texts])
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float64).fit(
            [char_form(t) for _, t in question_rows] + [char_form(p.body) for p in pairs]
        )
        self._word_query = _QueryVectoriser(self._words)
        self._char_query = _QueryVectoriser(self._chars)
        self._question_words = _by_feature(self._words.transform([analyse(t) for _, t in question_rows]))
        self._question_chars = _by_feature(self._chars.transform([char_form(t) for _, t in question_rows]))
        self._bodies = _by_feature(self._words.transform([analyse(" ".join((*p.path, p.body))) for p in pairs]))
        self._sentences = _by_feature(self._words.transform([analyse(t) for _, t in sentence_rows]))
        self._whole_owner = np.array([p for p, _ in whole_rows], dtype=np.int64)
        self._whole_analysed = [t for _, t in whole_rows]

    def score(self, focus: str, whole: str | None = None) -> FieldScores:
        """Similarity of the query to every pair, field by field: `focus` is the corrected, synonym-expanded query
        (topic words set aside when it names a topic), `whole` the query as asked, for whole-question matching."""
        focus_words = words(focus)  # read once for both vectorisers
        analysed = analysed_words(focus_words)
        word_vector = self._word_query.vector(analysed)
        chars = self._char_query.vector(" ".join(focus_words))
        fuzzy_query = analyse(whole) if whole else analysed
        fuzzy_rows = process.cdist([fuzzy_query], self._whole_analysed, scorer=fuzz.ratio, dtype=np.float64)[0] / 100.0
        return FieldScores(
            question=self._best_per_pair(_cosine(self._question_words, word_vector), self._question_owner),
            body=_cosine(self._bodies, word_vector),
            sentence=self._best_per_pair(_cosine(self._sentences, word_vector), self._sentence_owner),
            chars=self._best_per_pair(_cosine(self._question_chars, chars), self._question_owner),
            fuzzy=self._best_per_pair(fuzzy_rows, self._whole_owner),
        )

    def verbatim(self, words: Sequence[str]) -> int | None:
        """The pair one of whose headings or questions these words are, word for word (case and punctuation aside)."""
        return self._verbatim.get(" ".join(words))

    def _best_per_pair(self, row_scores: NDArray[np.float64], owners: NDArray[np.int64]) -> NDArray[np.float64]:
        return best_per_owner(row_scores, owners, len(self.pairs), 0.0)


_CACHED_WORD_CHARS = 30


class _QueryVectoriser:
    """The fitted vectoriser's analyser, vocabulary and IDF applied to one query without sklearn's per-call
    validation, which costs about ten times the arithmetic for a single short text."""

    def __init__(self, fitted: TfidfVectorizer) -> None:
        self._analyse = fitted.build_analyzer()
        self._vocabulary: dict[str, int] = fitted.vocabulary_
        self._idf: list[float] = fitted.idf_.tolist()
        self._sublinear = bool(fitted.sublinear_tf)
        # char_wb n-grams never cross a space, so a text's features are its words' features together, and a
        # word's are worked out once: generating n-grams in Python is most of a query's vectorising time.
        self._word_local = fitted.analyzer == "char_wb"
        self._features_of_word = lru_cache(maxsize=16_384)(self._known_features)

    def _word_features(self, word: str) -> tuple[int, ...]:
        # Only ordinary-length words are kept: a pasted 1,000-letter "word" would hold a thousand ids in the cache.
        return self._features_of_word(word) if len(word) <= _CACHED_WORD_CHARS else self._known_features(word)

    def _known_features(self, text: str) -> tuple[int, ...]:
        feature_of = self._vocabulary.get
        return tuple(f for f in map(feature_of, self._analyse(text)) if f is not None)

    def vector(self, text: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Feature indices and L2-normalised TF-IDF weights of the text (unknown features dropped)."""
        if self._word_local:
            counts = Counter(f for word in text.split() for f in self._word_features(word))
        else:
            counts = Counter(self._known_features(text))
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        # A query has a few dozen features at most: plain floats beat numpy's per-call overhead here.
        idf = self._idf
        weights = [((1.0 + math.log(n)) if self._sublinear else n) * idf[f] for f, n in counts.items()]
        norm = math.sqrt(sum(w * w for w in weights))
        return np.fromiter(counts, dtype=np.int64, count=len(counts)), np.array(weights) / norm


def best_per_owner(
    values: NDArray[np.floating[Any]], owners: NDArray[np.int64], size: int, empty: float
) -> NDArray[np.float64]:
    """The largest value of each owner's rows (rows are grouped by owner, in order); `empty` for an owner with none.

    One reduceat over the groups: `np.maximum.at` is unbuffered and costs milliseconds at ten thousand pairs."""
    best = np.full(size, empty, dtype=np.float64)
    if len(owners):
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        best[owners[starts]] = np.maximum.reduceat(values, starts)
    return best


@dataclass(frozen=True)
class _Postings:
    """Rows x features as sparse postings per feature (CSR of the transpose), so a query's few features read only
    the rows that have them. Sparse, because a large corpus has hundreds of thousands of features by tens of
    thousands of rows (dense, that was gigabytes); single precision, because similarities need nowhere near double."""

    starts: NDArray[np.int64]
    rows: NDArray[np.int32]
    values: NDArray[np.float32]
    size: int


def _by_feature(rows: csr_matrix) -> _Postings:
    by_feature = csr_matrix(rows.T, dtype=np.float32)
    return _Postings(
        by_feature.indptr.astype(np.int64), by_feature.indices.astype(np.int32), by_feature.data, rows.shape[0]
    )


def _cosine(postings: _Postings, query: tuple[NDArray[np.int64], NDArray[np.float64]]) -> NDArray[np.float64]:
    """Rows and query are L2-normalised, so the dot product over the query's features is the cosine."""
    index, weights = query
    if not len(index):
        return np.zeros(postings.size, dtype=np.float64)
    spans = [slice(postings.starts[f], postings.starts[f + 1]) for f in index.tolist()]
    rows = np.concatenate([postings.rows[s] for s in spans])
    values = np.concatenate([postings.values[s] * w for s, w in zip(spans, weights.tolist(), strict=True)])
    return np.bincount(rows, weights=values, minlength=postings.size).astype(np.float64, copy=False)
