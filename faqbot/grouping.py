"""Grouping questions by similarity: unit vectors (the engine's sentence encoder, or TF-IDF over its own stems when
the encoder is off) joined by average-linkage agglomerative clustering, cut at a cosine threshold."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from faqbot.semantic import Encoder
from faqbot.text import stems

Vectors = NDArray[np.float32]
Vectoriser = Callable[[Sequence[str]], Vectors]

# Cosine thresholds chosen by `bench/review_threshold.py` on the single-turn questions of eval/dev.jsonl and
# eval/check.jsonl (paraphrases whose section is known): the best pairwise F0.5 (two questions grouped together ask
# for the same section; precision weighted over recall, since an accepted group's every question becomes an
# alternate of one section and a wrong one costs more than a group split in two). Holdout figures in the README.
SEMANTIC_THRESHOLD = 0.70
LEXICAL_THRESHOLD = 0.15


def semantic_vectoriser(encoder: Encoder) -> Vectoriser:
    """Vectors from the engine's sentence encoder (all-MiniLM-L6-v2), unit length."""

    def vectors(texts: Sequence[str]) -> Vectors:
        return encoder.encode(list(texts)) if texts else np.zeros((0, 1), dtype=np.float32)

    return vectors


def lexical_vectors(texts: Sequence[str]) -> Vectors:
    """TF-IDF over the engine's stemmed content words (uni- and bigrams), fitted on the texts themselves; a text
    with no content word gets a zero vector and so groups with nothing."""
    analysed = [" ".join(stems(text)) for text in texts]
    if not any(analysed):
        return np.zeros((len(texts), 1), dtype=np.float32)
    vectoriser = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectoriser.fit_transform(analysed)
    return np.asarray(matrix.toarray(), dtype=np.float32)  # rows are L2-normalised by TfidfVectorizer


def similarities(vectors: Vectors) -> NDArray[np.float64]:
    """Cosine similarity of every pair of rows (rows are unit length or zero)."""
    matrix = np.asarray(vectors, dtype=np.float64)
    return np.clip(matrix @ matrix.T, -1.0, 1.0)


def cluster(vectors: Vectors, threshold: float, weights: Sequence[int] | None = None) -> list[list[int]]:
    """Rows grouped by average linkage: two groups join while their mean cosine is at least `threshold`. Groups
    come largest first (by the summed `weights`, one per row by default), rows in each in their given order."""
    count = len(vectors)
    if count == 0:
        return []
    weight = list(weights) if weights is not None else [1] * count
    if count == 1:
        return [[0]]
    distances = 1.0 - similarities(vectors)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels.tolist()):
        groups.setdefault(int(label), []).append(row)
    # Largest first; among equals, the group whose first row comes first (stable output for the same input).
    return sorted(groups.values(), key=lambda rows: (-sum(weight[r] for r in rows), rows[0]))
