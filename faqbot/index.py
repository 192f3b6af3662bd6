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
from sklearn import __version__ as sklearn_version
from sklearn.feature_extraction.text import TfidfVectorizer

from faqbot.cache import ArrayCache, content_key, pack_strings, unpack_strings
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

    def __init__(
        self,
        pairs: tuple[QAPair, ...],
        without_topics: Callable[[str], str] = lambda text: text,
        cache: ArrayCache | None = None,
    ) -> None:
        self.pairs = pairs
        # A text that is one pair's heading and another's alternate ("What is acupuncture?") belongs to the heading.
        by_precedence = [(p, t) for p, pair in enumerate(pairs) for t in (pair.heading, pair.question)]
        by_precedence += [(p, t) for p, pair in enumerate(pairs) for t in pair.alternates]
        self._verbatim: dict[str, int] = {}
        for position, text in by_precedence:
            self._verbatim.setdefault(char_form(text), position)
        rows = _Rows.of(pairs, without_topics)
        self._question_owner = OwnerGroups.of(rows.owners(rows.questions), len(pairs))
        self._sentence_owner = OwnerGroups.of(rows.owners(rows.sentences), len(pairs))
        self._whole_owner = OwnerGroups.of(rows.owners(rows.wholes), len(pairs))
        cache = cache or ArrayCache(None)
        key = rows.key()
        saved = cache.load("index", key)
        fitted = _Fitted.from_arrays(saved) if saved is not None else None
        if fitted is None or not fitted.matches(len(rows.questions), len(rows.sentences), len(pairs)):
            fitted = _Fitted.fit(rows)
            cache.save("index", key, fitted.to_arrays())
        self._word_query = _QueryVectoriser(_word_vectoriser(), fitted.word_features, fitted.word_idf)
        self._char_query = _QueryVectoriser(_char_vectoriser(), fitted.char_features, fitted.char_idf)
        self._question_words, self._question_chars = fitted.question_words, fitted.question_chars
        self._bodies, self._sentences = fitted.bodies, fitted.sentences
        self._whole_analysed = fitted.whole_analysed

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
            question=self._question_owner.best(_cosine(self._question_words, word_vector), 0.0),
            body=_cosine(self._bodies, word_vector),
            sentence=self._sentence_owner.best(_cosine(self._sentences, word_vector), 0.0),
            chars=self._question_owner.best(_cosine(self._question_chars, chars), 0.0),
            fuzzy=self._whole_owner.best(fuzzy_rows, 0.0),
        )

    def verbatim(self, words: Sequence[str]) -> int | None:
        """The pair one of whose headings or questions these words are, word for word (case and punctuation aside)."""
        return self._verbatim.get(" ".join(words))


_CACHED_WORD_CHARS = 30


class _QueryVectoriser:
    """The fitted vectoriser's analyser, vocabulary and IDF applied to one query without sklearn's per-call
    validation, which costs about ten times the arithmetic for a single short text."""

    def __init__(self, config: TfidfVectorizer, features: list[str], idf: NDArray[np.float64]) -> None:
        self._analyse = config.build_analyzer()
        self._vocabulary = {feature: position for position, feature in enumerate(features)}
        self._idf: list[float] = idf.tolist()
        self._sublinear = bool(config.sublinear_tf)
        # char_wb n-grams never cross a space, so a text's features are its words' features together, and a
        # word's are worked out once: generating n-grams in Python is most of a query's vectorising time.
        self._word_local = config.analyzer == "char_wb"
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


@dataclass(frozen=True, eq=False)
class OwnerGroups:
    """Rows grouped by owner, in order: where each group starts and whose it is, worked out once per index."""

    starts: NDArray[np.intp]
    owners: NDArray[np.int64]
    size: int

    @classmethod
    def of(cls, row_owners: NDArray[np.int64], size: int) -> OwnerGroups:
        """The groups of rows owned by pairs 0..size-1 (`row_owners` in order)."""
        starts = np.flatnonzero(np.r_[True, row_owners[1:] != row_owners[:-1]]) if len(row_owners) else np.zeros(0)
        starts = starts.astype(np.intp)
        return cls(starts, row_owners[starts], size)

    def best(self, values: NDArray[np.floating[Any]], empty: float) -> NDArray[np.float64]:
        """The largest value of each owner's rows; `empty` for an owner with none.

        One reduceat over the groups: `np.maximum.at` is unbuffered and costs milliseconds at ten thousand pairs."""
        best = np.full(self.size, empty, dtype=np.float64)
        if len(self.starts):
            best[self.owners] = np.maximum.reduceat(values, self.starts)
        return best


def _word_vectoriser() -> TfidfVectorizer:
    return TfidfVectorizer(
        token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True, dtype=np.float64
    )


def _char_vectoriser() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float64)


@dataclass(frozen=True)
class _Rows:
    """What the index is built from: (pair position, text) rows of each field, and each pair's whole text."""

    questions: list[tuple[int, str]]
    sentences: list[tuple[int, str]]
    wholes: list[tuple[int, str]]
    sections: list[str]
    bodies: list[str]
    placed_bodies: list[str]

    @classmethod
    def of(cls, pairs: tuple[QAPair, ...], without_topics: Callable[[str], str]) -> _Rows:
        questions: list[tuple[int, str]] = []
        sentences: list[tuple[int, str]] = []
        wholes: list[tuple[int, str]] = []
        for position, pair in enumerate(pairs):
            for text in (pair.question, *pair.alternates):
                wholes.append((position, text))
                # A question also stands without its topic words, to match queries whose topic was set aside
                # (topics are scored separately), so "Does acupuncture hurt?" also indexes as "does hurt".
                questions.extend((position, form) for form in dict.fromkeys((text, without_topics(text))))
            for paragraph in pair.body.split("\n"):
                sentences.extend((position, s) for s in split_sentences(paragraph))
        sections = [" ".join((p.question, *p.alternates, *p.path, p.body)) for p in pairs]
        # A body is matched with its place in the document (the headings above it) before it.
        placed_bodies = [" ".join((*p.path, p.body)) for p in pairs]
        return cls(questions, sentences, wholes, sections, [p.body for p in pairs], placed_bodies)

    @staticmethod
    def owners(rows: list[tuple[int, str]]) -> NDArray[np.int64]:
        return np.array([p for p, _ in rows], dtype=np.int64)

    def key(self) -> str:
        """Everything the fitted vectors depend on, the code's and scikit-learn's versions included."""
        fields = (self.questions, self.sentences, self.wholes)
        texts = [t for rows in fields for _, t in rows]
        layout = " ".join(str(len(rows)) for rows in (*fields, self.sections))
        return content_key(
            [_FORMAT, sklearn_version, layout, *texts, *self.sections, *self.bodies, *self.placed_bodies]
        )


# Bump when what is fitted or how it is stored changes, so old cache files are not read as new ones.
_FORMAT = "index-1"


@dataclass(frozen=True)
class _Fitted:
    """The fitted vocabularies and IDF, and every field's vectors: all a restart needs from the cache."""

    word_features: list[str]
    word_idf: NDArray[np.float64]
    char_features: list[str]
    char_idf: NDArray[np.float64]
    question_words: _Postings
    question_chars: _Postings
    bodies: _Postings
    sentences: _Postings
    whole_analysed: list[str]

    @classmethod
    def fit(cls, rows: _Rows) -> _Fitted:
        words = _word_vectoriser().fit([analyse(text) for text in rows.sections])
        chars = _char_vectoriser().fit([char_form(t) for _, t in rows.questions] + [char_form(b) for b in rows.bodies])
        return cls(
            word_features=_features(words),
            word_idf=words.idf_,
            char_features=_features(chars),
            char_idf=chars.idf_,
            question_words=_by_feature(words.transform([analyse(t) for _, t in rows.questions])),
            question_chars=_by_feature(chars.transform([char_form(t) for _, t in rows.questions])),
            bodies=_by_feature(words.transform([analyse(b) for b in rows.placed_bodies])),
            sentences=_by_feature(words.transform([analyse(t) for _, t in rows.sentences])),
            whole_analysed=[analyse(t) for _, t in rows.wholes],
        )

    def matches(self, questions: int, sentences: int, pairs: int) -> bool:
        """Whether the vectors have the rows and features this corpus's fields need."""
        sizes = (self.question_words.size, self.question_chars.size, self.sentences.size, self.bodies.size)
        features = (len(self.question_words.starts), len(self.bodies.starts), len(self.sentences.starts))
        return sizes == (questions, questions, sentences, pairs) and set(features) == {len(self.word_features) + 1}

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        arrays: dict[str, NDArray[Any]] = {
            "word_features": pack_strings(self.word_features),
            "word_idf": self.word_idf,
            "char_features": pack_strings(self.char_features),
            "char_idf": self.char_idf,
            "whole_analysed": pack_strings(self.whole_analysed),
            "whole_count": np.array([len(self.whole_analysed)]),
        }
        for name in _POSTINGS:
            postings: _Postings = getattr(self, name)
            arrays |= {f"{name}.starts": postings.starts, f"{name}.rows": postings.rows}
            arrays |= {f"{name}.values": postings.values, f"{name}.size": np.array([postings.size])}
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[Any]]) -> _Fitted | None:
        """The fitted index saved by `to_arrays`, or None if the arrays are not one."""
        try:
            postings = {
                name: _Postings(
                    arrays[f"{name}.starts"],
                    arrays[f"{name}.rows"],
                    arrays[f"{name}.values"],
                    int(arrays[f"{name}.size"][0]),
                )
                for name in _POSTINGS
            }
            if not all(p.consistent() for p in postings.values()):
                return None
            return cls(
                word_features=unpack_strings(arrays["word_features"], len(arrays["word_idf"])),
                word_idf=arrays["word_idf"],
                char_features=unpack_strings(arrays["char_features"], len(arrays["char_idf"])),
                char_idf=arrays["char_idf"],
                whole_analysed=unpack_strings(arrays["whole_analysed"], int(arrays["whole_count"][0])),
                **postings,
            )
        except (KeyError, IndexError, ValueError):
            return None


_POSTINGS = ("question_words", "question_chars", "bodies", "sentences")


def _features(fitted: TfidfVectorizer) -> list[str]:
    return [str(feature) for feature in fitted.get_feature_names_out()]


@dataclass(frozen=True)
class _Postings:
    """Rows x features as sparse postings per feature (CSR of the transpose), so a query's few features read only
    the rows that have them. Sparse, because a large corpus has hundreds of thousands of features by tens of
    thousands of rows (dense, that was gigabytes); single precision, because similarities need nowhere near double."""

    starts: NDArray[np.int64]
    rows: NDArray[np.int32]
    values: NDArray[np.float32]
    size: int

    def consistent(self) -> bool:
        """Whether the arrays hang together (a cache file from elsewhere might not)."""
        return (
            len(self.starts) > 0
            and int(self.starts[-1]) == len(self.rows) == len(self.values)
            and (not len(self.rows) or 0 <= int(self.rows.min()) <= int(self.rows.max()) < self.size)
        )


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
