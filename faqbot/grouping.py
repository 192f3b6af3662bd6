"""Grouping questions by similarity: unit vectors (the engine's sentence encoder, or TF-IDF over its own stems when
the encoder is off) joined by average-linkage agglomerative clustering, cut at a cosine threshold. Clustering needs
every pair's distance, so only the most asked questions are clustered (`group_rows`); the rest join the group closest
to them or are left out."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

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
# The most rows clustered at once. Average linkage holds every pair's distance: at 2,000 rows the square of them is
# 32 MB and clustering takes well under a second (bench/review_time.py --scale); at 30,000 it would be ~7 GB. The rows
# beyond it are the least asked (in a month's missed questions, asked once), and no editor works through 2,000 groups
# in one review anyway.
CLUSTER_CAP = 2_000
# Rows beyond the cap are compared with the groups this many at a time: against 2,000 groups, 16 MB of similarities.
_BLOCK = 1_024
# The most texts vectorised at all (`group_texts`): the encoder takes about 4 ms a question here, so 30,000 distinct
# missed questions took two minutes before the first group showed, and the TF-IDF vectors (encoder off) are dense.
# The texts beyond it are the least asked, left out like the rows that join no group.
VECTORISE_CAP = 4 * CLUSTER_CAP
LEXICAL_FEATURES = 20_000


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
    # The vectors are dense: at most LEXICAL_FEATURES columns keeps VECTORISE_CAP rows near 640 MB (2,000 questions
    # used about 11,000, so smaller sets group as before).
    vectoriser = TfidfVectorizer(
        token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True, max_features=LEXICAL_FEATURES
    )
    matrix = vectoriser.fit_transform(analysed)
    return np.asarray(matrix.astype(np.float32).toarray(), dtype=np.float32)  # rows L2-normalised by TfidfVectorizer


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


@dataclass(frozen=True)
class Grouping:
    """Rows grouped by `group_rows`, largest group first, and which rows beyond the cap joined no group."""

    groups: list[list[int]]
    rows: int  # every row given
    clustered: int  # rows clustered by average linkage: the `cap` with the largest weights, or all
    left_out: tuple[int, ...]  # rows beyond the cap close to no group, in their given order

    @property
    def grouped(self) -> int:
        """Rows in a group: those clustered, and those beyond the cap that joined one."""
        return self.rows - len(self.left_out)


def group_rows(
    vectors: Vectors,
    threshold: float,
    weights: Sequence[int] | None = None,
    *,
    cap: int = CLUSTER_CAP,
    first: Collection[int] = (),
) -> Grouping:
    """Rows grouped as `cluster` groups them when there are at most `cap`. With more, only the `cap` rows in `first`,
    then with the largest weights (the first among equals), are clustered, and each other row joins the group whose
    mean cosine to it is highest if that reaches `threshold` (as average linkage would join it to that group on its
    own), else is left out. Memory grows with cap² plus the rows, never with the square of the rows."""
    if cap < 1:
        raise ValueError(f"cap must be at least 1, not {cap}")
    count = len(vectors)
    weight = list(weights) if weights is not None else [1] * count
    if count <= cap:
        return Grouping(cluster(vectors, threshold, weight), count, count, ())
    order = _priority(count, weight, first)
    head, rest = sorted(order[:cap]), sorted(order[cap:])
    groups = [[head[r] for r in rows] for rows in cluster(vectors[head], threshold, [weight[r] for r in head])]
    joined, left_out = _attach(vectors, groups, rest, threshold)
    for rows, extra in zip(groups, joined, strict=True):
        rows.extend(extra)
        rows.sort()
    groups.sort(key=lambda rows: (-sum(weight[r] for r in rows), rows[0]))
    return Grouping(groups, count, cap, tuple(left_out))


def _attach(
    vectors: Vectors, groups: list[list[int]], rows: list[int], threshold: float
) -> tuple[list[list[int]], list[int]]:
    """For each group, the `rows` that join it, and the rows that join none. A row's mean cosine to a group's members
    is its dot product with their mean (unit rows), so each block of rows is compared with one centroid per group."""
    centroids = np.stack([np.asarray(vectors[g], dtype=np.float64).mean(axis=0) for g in groups])
    joined: list[list[int]] = [[] for _ in groups]
    left_out: list[int] = []
    for start in range(0, len(rows), _BLOCK):
        block = rows[start : start + _BLOCK]
        mean_cosine = np.asarray(vectors[block], dtype=np.float64) @ centroids.T
        best = mean_cosine.argmax(axis=1)  # the first among equals: the larger group
        reached = mean_cosine[np.arange(len(block)), best] >= threshold
        for row, group, joins in zip(block, best.tolist(), reached.tolist(), strict=True):
            (joined[group] if joins else left_out).append(row)
    return joined, left_out


def group_texts(
    texts: Sequence[str],
    vectorise: Vectoriser,
    threshold: float,
    weights: Sequence[int] | None = None,
    *,
    cap: int = CLUSTER_CAP,
    vectorise_cap: int = VECTORISE_CAP,
    first: Collection[int] = (),
) -> Grouping:
    """`group_rows` over the texts' vectors, only the `vectorise_cap` rows in `first`, then most asked (the first among
    equals), vectorised; the rest are left out. Rows are positions in `texts`."""
    weight = list(weights) if weights is not None else [1] * len(texts)
    order = _priority(len(texts), weight, first)
    kept, beyond = sorted(order[:vectorise_cap]), order[vectorise_cap:]
    wanted = set(first)
    inner = group_rows(
        vectorise([texts[r] for r in kept]),
        threshold,
        [weight[r] for r in kept],
        cap=cap,
        first=[i for i, r in enumerate(kept) if r in wanted],
    )
    groups = [[kept[r] for r in rows] for rows in inner.groups]
    left_out = sorted([kept[r] for r in inner.left_out] + beyond)
    return Grouping(groups, len(texts), inner.clustered, tuple(left_out))


def _priority(count: int, weight: Sequence[int], first: Collection[int]) -> list[int]:
    """Rows in the order a cap keeps them: those in `first`, then the largest weights; the first among equals."""
    wanted = set(first)
    return sorted(range(count), key=lambda row: (row not in wanted, -weight[row]))
