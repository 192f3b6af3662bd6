"""Reference retrievers run beside the engine in `faqbot eval`: plain TF-IDF cosine and BM25 (rank-bm25)."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from faqbot.models import QAPair

# Below these best scores a baseline declines; chosen as each method's usual "no real overlap" level.
TFIDF_DECLINE_BELOW = 0.1
BM25_DECLINE_BELOW = 1.0


def tfidf_baseline(pairs: tuple[QAPair, ...]) -> Callable[[str], str | None]:
    """Cosine similarity of scikit-learn's default TF-IDF over each pair's question and body."""
    vectorizer = TfidfVectorizer(stop_words="english")
    matrix = vectorizer.fit_transform([f"{p.question} {p.body}" for p in pairs])

    def retrieve(text: str) -> str | None:
        scores = (matrix @ vectorizer.transform([text]).T).toarray().ravel()
        best = int(np.argmax(scores))
        return pairs[best].heading if scores[best] >= TFIDF_DECLINE_BELOW else None

    return retrieve


def bm25_baseline(pairs: tuple[QAPair, ...]) -> Callable[[str], str | None] | None:
    """Okapi BM25 over lower-cased word tokens; None when rank-bm25 (a dev dependency) is not installed."""
    try:
        from rank_bm25 import BM25Okapi
    except ImportError:
        return None
    model = BM25Okapi([_tokens(f"{p.question} {p.body}") for p in pairs])

    def retrieve(text: str) -> str | None:
        scores = model.get_scores(_tokens(text))
        best = int(np.argmax(scores))
        return pairs[best].heading if scores[best] >= BM25_DECLINE_BELOW else None

    return retrieve


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())
