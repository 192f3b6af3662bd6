"""The editors' not-covered questions: read from the overlay, embedded with the sections, weighed when declining."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from faqbot import reading
from faqbot.cache import ArrayCache
from faqbot.corpus import CorpusError, read_overlay
from faqbot.dialogue import ConversationState
from faqbot.engine import MIN_NOT_COVERED, Engine, shared_encoder
from faqbot.knowledge import KnowledgeBase, load_knowledge_base
from faqbot.message import Question
from faqbot.semantic import SemanticIndex

ROOT = Path(__file__).resolve().parents[2]
PRICE = "How much does a session cost?"


def test_the_overlay_lists_not_covered_questions_and_refuses_unknown_keys(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.toml"
    overlay.write_text('[not_covered]\nquestions = ["How much does it cost?", "Can children have it?"]\n')
    assert read_overlay(overlay).not_covered == ("How much does it cost?", "Can children have it?")
    overlay.write_text('[not_covered]\nquestion = ["typo in the key"]\n')
    with pytest.raises(CorpusError, match="not_covered has unknown key"):
        read_overlay(overlay)


def test_similarity_to_not_covered_questions_is_measured_only_when_there_are_some(kb: KnowledgeBase) -> None:
    encoder = shared_encoder()
    without = SemanticIndex(kb.pairs, encoder, ArrayCache(None))
    assert without.similarity(PRICE).uncovered is None
    listed = SemanticIndex(kb.pairs, encoder, ArrayCache(None), (PRICE, "Can children have acupuncture?"))
    near, far = listed.similarity("what's the price of one session"), listed.similarity("does acupuncture hurt")
    assert near.uncovered is not None and far.uncovered is not None and near.uncovered > far.uncovered + 0.2
    assert np.array_equal(near.questions, without.similarity("what's the price of one session").questions)


def test_not_covered_questions_are_cached_with_the_sections(kb: KnowledgeBase, tmp_path: Path) -> None:
    SemanticIndex(kb.pairs, shared_encoder(), ArrayCache(tmp_path), (PRICE,))
    SemanticIndex(kb.pairs, shared_encoder(), ArrayCache(tmp_path), (PRICE, "Can children have it?"))
    assert len(list(tmp_path.glob("embeddings-*.npz"))) == 2  # a changed list is a new key, never a stale hit


def _corpus_with(tmp_path: Path, questions: list[str] | None) -> Engine:
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    overlay = folder / "overlay.toml"
    text = overlay.read_text(encoding="utf-8")
    head, _, _ = text.partition("[not_covered]")
    listed = "" if questions is None else f"[not_covered]\nquestions = {json.dumps(questions)}\n"
    overlay.write_text(head.rstrip() + "\n\n" + listed, encoding="utf-8")
    return Engine(load_knowledge_base(folder))


def _confidence(engine: Engine, text: str) -> float:
    """The answer-or-decline model's confidence in the best section, read with the semantic layer."""
    _, observation = engine.observe(Question.read(text), ConversationState(), None, semantic="always")
    assert observation is not None
    judged = reading.judge(observation, engine.pair_table, engine.evidence, engine.weights, 0.5, 3)
    return judged.confidence


def test_a_question_like_a_not_covered_one_is_less_likely_answered(tmp_path: Path, kb: KnowledgeBase) -> None:
    question = "do you treat animals, can my horse have acupuncture?"
    bundled = [q for q in kb.not_covered if "horse" not in q and "dog" not in q and "animal" not in q]
    plain = _corpus_with(tmp_path / "a", bundled)
    listed = _corpus_with(tmp_path / "b", [*bundled, "Can my horse or dog have acupuncture?"])
    assert listed.respond(question).kind == "fallback"
    assert _confidence(listed, question) < _confidence(plain, question)
    # A question far from every not-covered one is read much as without them.
    near_nothing = "how long do the needles stay in?"
    assert abs(_confidence(listed, near_nothing) - _confidence(plain, near_nothing)) < 0.2


def test_a_short_list_is_not_used(tmp_path: Path) -> None:
    # The model was fitted with a long list: with a few questions it would answer more, not less.
    engine = _corpus_with(tmp_path / "short", ["Can my horse or dog have acupuncture?"] * 1)
    assert engine.kb.not_covered and engine.semantic is not None
    assert engine.semantic.similarity("can my horse have acupuncture").uncovered is None
    assert len(engine.kb.not_covered) < MIN_NOT_COVERED


def test_a_not_covered_question_about_another_treatment_is_not_compared(kb: KnowledgeBase) -> None:
    listed = "Can I have acupuncture while pregnant?"
    index = SemanticIndex(kb.pairs, shared_encoder(), ArrayCache(None), (listed,), (frozenset({"acupuncture"}),))
    assert (index.similarity(listed).uncovered or 0.0) > 0.9  # a question naming no treatment: compared
    assert (index.similarity(listed, frozenset({"acupuncture"})).uncovered or 0.0) > 0.9
    assert index.similarity(listed, frozenset({"dry needling"})).uncovered == -1.0


@pytest.mark.parametrize("semantic", [True, False], ids=["semantic", "lexical"])
def test_a_listed_question_asked_word_for_word_is_declined(engine: Engine, semantic: bool) -> None:
    # Each of these was answered before the rule: the first two by the lexical engine, the last by the semantic one.
    read = engine if semantic else Engine(engine.kb, dataclasses.replace(engine.settings, semantic=False))
    for listed in ("How much does an acupuncture session cost?", "Does acupuncture help with nausea from chemo?"):
        assert listed in engine.kb.not_covered
        assert read.respond(listed).kind == "fallback", listed
    assert read.respond("Can a chiropractor do dry needling?").kind == "fallback"
    assert read.respond("How long do the needles stay in?").kind == "answer"  # a section's own question


def test_a_short_list_still_declines_its_own_questions_word_for_word(tmp_path: Path) -> None:
    # Too short for the models to read, but the editor said so: that very question gets no answer, also when a clause
    # about a red flag not happening now is set aside before the question is looked up.
    question = "How many needles are used in a typical session?"
    with_a_clause = "I had a stroke in 2019, how many needles are used in a typical session?"
    before = _corpus_with(tmp_path / "none", None)
    assert before.respond(question).kind == "answer" and before.respond(with_a_clause).kind == "answer"
    after = _corpus_with(tmp_path / "one", [question])
    assert after.respond(question).kind == "fallback" and after.respond(question).suggestions
    assert _corpus_with(tmp_path / "clause", [with_a_clause]).respond(with_a_clause).kind == "fallback"
