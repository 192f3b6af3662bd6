"""`faqbot review`'s core (issue 14 item 3): grouping, the missed questions read back, marks, and accepting."""

from __future__ import annotations

import shutil
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from faqbot.corpus import read_overlay
from faqbot.engine import Engine
from faqbot.grouping import (
    SEMANTIC_THRESHOLD,
    cluster,
    group_rows,
    group_texts,
    lexical_vectors,
    semantic_vectoriser,
    similarities,
)
from faqbot.insights import DAY_SECONDS, Feedback, Outcome, SQLiteStore
from faqbot.overlay_edit import OverlayEditError
from faqbot.review import accept, missed_questions, not_covered, review_list, with_sections
from faqbot.review_marks import ReviewMarks, question_key

NOW = 1_800_000_000.0
RISKS = "acupuncture/what-are-the-risks-or-complications-of-acupuncture"
LUNG = [
    "could an acupuncture needle puncture a lung or something",
    "could acupuncture puncture my lung",
    "my friend says a bad acupuncturist can puncture your lung, is that true?",
]
PARKING = ["is there parking at the clinic", "is there a car park at the clinic"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    kept = SQLiteStore(tmp_path / "insights.sqlite3")
    yield kept
    kept.close()


@pytest.fixture
def marks(store: SQLiteStore) -> Iterator[ReviewMarks]:
    kept = ReviewMarks(store.path)
    yield kept
    kept.close()


def declined(store: SQLiteStore, *questions: str, at: float = NOW) -> None:
    for question in questions:
        store.add_outcome(Outcome(at, "web", "fallback", None, None, question))


def test_cluster_joins_close_rows_and_puts_the_largest_group_first() -> None:
    rows = np.array([[1, 0, 0], [0, 1, 0], [0.95, 0.31, 0], [0, 0.98, 0.2], [0, 0, 0], [0, 0, 1]], dtype=np.float32)
    rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    assert cluster(rows, 0.9) == [[0, 2], [1, 3], [4], [5]]
    assert cluster(rows, 0.9, weights=[1, 1, 1, 1, 1, 9]) == [[5], [0, 2], [1, 3], [4]]
    assert cluster(rows, 0.99) == [[0], [1], [2], [3], [4], [5]]  # nothing that close: every row alone
    assert cluster(rows[:0], 0.9) == [] and cluster(rows[:1], 0.9) == [[0]]


def test_average_linkage_does_not_chain_through_a_middle_row() -> None:
    # a ~ b and b ~ c, but a and c far apart: single linkage would make one group of three.
    angles = np.radians([0.0, 35.0, 70.0])
    rows = np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32)
    assert similarities(rows)[0, 1] > 0.8 and similarities(rows)[0, 2] < 0.4
    assert len(cluster(rows, 0.8)) == 2


def topic_rows(topics: list[int], seed: int = 0) -> np.ndarray:
    """Unit rows in 16 dimensions, each close to the axis of its topic (cosine ~0.93 to it, ~0.86 to each other)."""
    rng = np.random.default_rng(seed)
    rows = np.eye(16)[topics] + 0.1 * rng.standard_normal((len(topics), 16))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_rows_beyond_the_cap_join_the_closest_group_or_are_left_out() -> None:
    rows = np.array([[1, 0, 0], [0.95, 0.31, 0], [0, 1, 0], [0.8, 0.6, 0], [0.3, 0.95, 0], [0, 0, 1], [0, 0, 0]])
    rows = (rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    weights = [1, 1, 5, 3, 3, 2, 2]
    # The three most asked (rows 2, 3, 4) are clustered: {3} and {2, 4}. Row 1 is closest to {3} (0.95); row 0's
    # mean cosine to {2, 4} is 0.15, to {3} 0.8; rows 5 and 6 are close to neither.
    grouping = group_rows(rows, 0.9, weights, cap=3)
    assert grouping.groups == [[2, 4], [1, 3]] and grouping.left_out == (0, 5, 6)
    assert (grouping.rows, grouping.clustered, grouping.grouped) == (7, 3, 4)
    assert group_rows(rows, 0.75, weights, cap=3).groups == [[2, 4], [0, 1, 3]]  # row 0 reaches a lower threshold
    # At or under the cap, exactly what `cluster` gives.
    assert group_rows(rows, 0.9, weights).groups == cluster(rows, 0.9, weights)
    assert group_rows(rows, 0.9, weights, cap=7) == group_rows(rows, 0.9, weights)
    assert group_rows(rows, 0.9, weights).left_out == () and group_rows(rows[:0], 0.9).groups == []
    with pytest.raises(ValueError, match="cap"):
        group_rows(rows, 0.9, cap=0)
    # A row in `first` (a question the editor decided on) is clustered however rarely asked, and keeps its group.
    assert 5 in group_rows(rows, 0.9, weights, cap=3).left_out
    decided = group_rows(rows, 0.9, weights, cap=3, first=[5])
    assert [5] in decided.groups and 5 not in decided.left_out


def test_only_the_most_asked_texts_are_vectorised() -> None:
    vectors = {"a": [1.0, 0.0], "a2": [0.99, 0.14], "b": [0.0, 1.0], "b2": [0.14, 0.99]}
    seen: list[list[str]] = []

    def vectorise(texts: Sequence[str]) -> np.ndarray:
        seen.append(list(texts))
        return np.array([vectors[t] for t in texts], dtype=np.float32)

    texts, weights = ["a", "b", "a2", "b2"], [1, 4, 3, 2]
    grouping = group_texts(texts, vectorise, 0.9, weights, cap=10, vectorise_cap=3)
    assert seen == [["b", "a2", "b2"]]  # "a", the least asked, is never vectorised
    assert grouping.groups == [[1, 3], [2]] and grouping.left_out == (0,) and grouping.rows == 4
    assert group_texts(texts, vectorise, 0.9, weights).groups == [[1, 3], [0, 2]]
    seen.clear()
    assert group_texts(texts, vectorise, 0.9, weights, cap=10, vectorise_cap=3, first=[0]).left_out == (3,)
    assert seen == [["a", "b", "a2"]]  # "a" comes first, so "b2" is the one beyond the cap


def test_well_apart_topics_group_the_same_with_or_without_the_cap() -> None:
    topics = [t % 6 for t in range(240)]
    rows = topic_rows(topics)
    weights = [3 if r < 30 else 1 for r in range(240)]  # the first 30 rows, five of each topic, are the most asked
    full = cluster(rows, SEMANTIC_THRESHOLD, weights)
    capped = group_rows(rows, SEMANTIC_THRESHOLD, weights, cap=30)
    assert len(full) == 6 and capped.groups == full and capped.left_out == ()


def test_the_rows_beyond_the_cap_are_never_compared_pairwise() -> None:
    # 3,000 rows: the pairwise matrix alone would be 72 MB. Clustering 60 and comparing the rest with 10 groups in
    # blocks stays within a few MB; rows of an eleventh topic, which no clustered row asks, are left out.
    topics = [t % 10 for t in range(2_980)] + [12] * 20
    rows = topic_rows(topics, seed=1)
    weights = [2] * 60 + [1] * (len(topics) - 60)
    tracemalloc.start()
    try:
        grouping = group_rows(rows, SEMANTIC_THRESHOLD, weights, cap=60)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000, f"{peak:,} bytes at the peak"
    assert grouping.clustered == 60 and grouping.left_out == tuple(range(2_980, 3_000))
    assert [len({topics[r] for r in group}) for group in grouping.groups] == [1] * 10  # one topic per group
    assert [len(group) for group in grouping.groups] == [298] * 10


def test_lexical_vectors_use_the_engines_stems() -> None:
    vectors = lexical_vectors(["how much does a session cost", "session costs, how much?", "where do I park", "ok"])
    sim = similarities(vectors)
    assert sim[0, 1] > 0.6 and sim[0, 2] < 0.1
    assert not vectors[3].any()  # no content word: groups with nothing
    assert not lexical_vectors(["the", "a"]).any()


def test_the_sentence_encoder_groups_paraphrases_apart_from_other_needs(engine: Engine) -> None:
    assert engine.semantic is not None
    texts = [*LUNG[:2], *PARKING, "how much does a session cost", "what are your fees for a session"]
    groups = cluster(semantic_vectoriser(engine.semantic.encoder)(texts), SEMANTIC_THRESHOLD)
    named = sorted(sorted(texts[r] for r in group) for group in groups)
    assert sorted(LUNG[:2]) in named and sorted(PARKING) in named
    assert all(len({t in LUNG for t in group}) == 1 for group in named)


def test_missed_questions_are_the_kept_declines_clarifications_and_thumbs_down_within_retention(
    store: SQLiteStore,
) -> None:
    declined(store, "Where do I park?", "where do i park", at=NOW - 10)
    declined(store, "an old question", at=NOW - 40 * DAY_SECONDS)
    store.add_outcome(Outcome(NOW, "web", "clarify", None, None, "what about the needles"))
    store.add_outcome(Outcome(NOW, "web", "answer", "a1", 0.9, "an answered question"))
    store.add_outcome(Outcome(NOW, "web", "fallback", None, None, None))  # recorded without its text
    declined(store, "ok", "and then?", "  ")  # nothing a section could be asked as
    store.add_feedback(Feedback(NOW, "web", "a1", "down", question="does it hurt a lot"))
    store.add_feedback(Feedback(NOW, "web", "a1", "up", question="a liked question"))
    found = missed_questions(store, since=NOW - 30 * DAY_SECONDS)
    assert [(m.text, m.count) for m in found] == [
        ("Where do I park?", 2),
        ("what about the needles", 1),
        ("does it hurt a lot", 1),
    ]
    assert found[0].last_at == NOW - 10 and found[0].key == question_key("where do I park")


def test_a_group_has_its_size_examples_and_the_engines_likeliest_section(
    engine: Engine, store: SQLiteStore, marks: ReviewMarks
) -> None:
    declined(store, LUNG[0], LUNG[0], *LUNG[1:], *PARKING)
    listing = review_list(engine, store, marks, NOW, 30)
    assert listing.method == "semantic" and listing.questions == 6
    lung = listing.groups[0]
    assert lung.size == 4 and lung.examples[0] == LUNG[0] and set(lung.examples) == set(LUNG)
    assert lung.sections[0].id == RISKS
    assert [s.score for s in lung.sections] == sorted((s.score for s in lung.sections), reverse=True)
    assert 0 < lung.sections[0].score <= 1
    assert listing.find(lung.id) == lung and listing.find("nope") is None
    bare = review_list(engine, store, marks, NOW, 30, sections=False)
    assert [g.sections for g in bare.groups] == [(), ()] and with_sections(engine, bare.groups[0]) == lung


def test_decided_groups_do_not_come_back(
    engine: Engine, store: SQLiteStore, marks: ReviewMarks, tmp_path: Path
) -> None:
    declined(store, *LUNG, *PARKING)
    first = review_list(engine, store, marks, NOW, 30)
    parking = next(g for g in first.groups if PARKING[0] in g.examples)
    overlay = tmp_path / "overlay.toml"
    added = not_covered(parking, overlay, marks, NOW)
    assert set(added.added) == set(parking.alternates()) and read_overlay(overlay).not_covered == added.added
    declined(store, "is there any parking near the clinic")  # a new wording of a need marked not covered
    second = review_list(engine, store, marks, NOW, 30)
    assert second.hidden == 1 and all(PARKING[0] not in g.examples for g in second.groups)
    assert all("is there any parking near the clinic" not in g.examples for g in second.groups)


def test_accepting_writes_alternates_without_scrubbed_details_and_marks_the_group(
    engine: Engine, store: SQLiteStore, marks: ReviewMarks, tmp_path: Path
) -> None:
    overlay = tmp_path / "overlay.toml"
    declined(store, *LUNG, "my name is [name], could acupuncture puncture my lung")
    group = review_list(engine, store, marks, NOW, 30).groups[0]
    assert group.size == 4
    added = accept(engine, group, RISKS, overlay, marks, NOW, note="review")
    assert set(added.added) == set(LUNG)
    assert set(marks.decisions().values()) == {"accepted"} and len(marks.decisions()) == 4
    assert review_list(engine, store, marks, NOW, 30).groups == ()
    with pytest.raises(KeyError):
        accept(engine, group, "no/such-section", overlay, marks, NOW)


def test_an_overlay_that_cannot_be_edited_marks_nothing(
    engine: Engine, store: SQLiteStore, marks: ReviewMarks, tmp_path: Path
) -> None:
    overlay = tmp_path / "overlay.toml"
    overlay.write_text("[broken\n", encoding="utf-8")
    declined(store, *LUNG)
    group = review_list(engine, store, marks, NOW, 30).groups[0]
    with pytest.raises(OverlayEditError, match="not valid TOML"):
        accept(engine, group, RISKS, overlay, marks, NOW)
    assert marks.decisions() == {}


def test_the_lexical_engine_groups_too(store: SQLiteStore, marks: ReviewMarks, tmp_path: Path) -> None:
    from faqbot.settings import EngineSettings

    corpus = Path(__file__).resolve().parents[2] / "corpus"
    lexical = Engine.from_folder(corpus, EngineSettings(semantic=False, cache_dir=tmp_path / "cache"))
    declined(store, "how much does a session cost", "how much does one session cost", "where do I park")
    listing = review_list(lexical, store, marks, NOW, 30)
    assert listing.method == "lexical"
    assert [g.size for g in listing.groups] == [2, 1] and listing.groups[0].sections
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)


def test_past_the_cap_review_groups_the_most_asked_and_says_how_many_it_left_out(
    engine: Engine, store: SQLiteStore, marks: ReviewMarks
) -> None:
    dogs = "do you treat dogs"
    declined(store, LUNG[0], LUNG[0], LUNG[0], PARKING[0], PARKING[0], LUNG[1], LUNG[2], PARKING[1], dogs)
    capped = review_list(engine, store, marks, NOW, 30, cap=2)
    assert [(g.size, {q.text for q in g.questions}) for g in capped.groups] == [
        (5, set(LUNG)),
        (3, set(PARKING)),
    ]
    assert (capped.distinct, capped.clustered, capped.grouped, capped.left_out) == (6, 2, 5, 1)
    assert capped.questions == 9  # the left-out question is still counted among those recorded
    whole = review_list(engine, store, marks, NOW, 30)
    assert [g.size for g in whole.groups] == [5, 3, 1] and (whole.clustered, whole.left_out) == (6, 0)
