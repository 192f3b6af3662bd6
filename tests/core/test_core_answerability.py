"""Deciding whether the documents answer a question at all, and the English lexicon that informs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqbot.answerability import complements
from faqbot.engine import Engine
from faqbot.lexicon import load_lexicon
from faqbot.query import analyse_query


def test_lexicon_knows_everyday_words_and_not_typos() -> None:
    lexicon = load_lexicon()
    assert lexicon.is_common_word("kids") and lexicon.is_common_word("wear")
    assert not lexicon.is_common_word("acupucture") and lexicon.frequency("acupucture") == 0.0
    assert lexicon.frequency("the") > lexicon.frequency("trimester") > 0


@pytest.mark.parametrize(("typed", "kept"), [("kids", "kids"), ("wear", "wear"), ("tendon", "tendon")])
def test_real_words_are_not_corrected_into_corpus_words(engine: Engine, typed: str, kept: str) -> None:
    assert kept in analyse_query(f"can {typed} get acupuncture", engine.vocabulary).words


def test_misspelt_corpus_words_are_still_corrected(engine: Engine) -> None:
    assert "acupuncture" in analyse_query("acupucture needels", engine.vocabulary).words


@pytest.mark.parametrize(("typed", "meant"), [("wht", "what"), ("stil", "still"), ("frist", "first"), ("wiht", "with")])
def test_slips_of_function_words_are_corrected(engine: Engine, typed: str, meant: str) -> None:
    # Listed in the English word list (web text is full of them) or a swap of two letters, yet plainly slips.
    assert meant in analyse_query(f"{typed} acupuncture", engine.vocabulary).words


@pytest.mark.parametrize("rare", ["ibs", "wart", "talc", "cupping", "welt", "heave", "udder", "singe", "serous"])
def test_rare_real_words_are_not_corrected_into_everyday_ones(engine: Engine, rare: str) -> None:
    assert rare in analyse_query(f"can acupuncture help {rare}", engine.vocabulary).words


def test_chat_spellings_of_function_words_are_not_unknown_subjects(engine: Engine) -> None:
    query = analyse_query("does acupuncture hurt alot cuz im scared", engine.vocabulary)
    assert "alot" not in query.unknown and "cuz" not in query.unknown


def test_a_patients_phrase_is_read_as_one_and_not_word_by_word(engine: Engine) -> None:
    phrase = analyse_query("when will I notice a difference", engine.vocabulary)
    word = analyse_query("what is the difference", engine.vocabulary)
    # "difference" alone is about comparing the treatments; inside the phrase it is about relief.
    assert "different" in word.expanded.split()
    assert "different" not in phrase.expanded.split() and "relief" in phrase.expanded.split()


@pytest.mark.parametrize(
    "question",
    [
        "can acupuncture help with eczema",
        "acupuncture for gout",
        "is acupuncture safe during chemotherapy radiation and dialysis",
        "can my parrot get acupuncture",
    ],
)
def test_questions_about_subjects_the_documents_never_mention_are_declined(engine: Engine, question: str) -> None:
    assert engine.respond(question, None).kind == "fallback"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("would acupuncture ease my arthritis", "What are the benefits of acupuncture?"),
        ("could acupuncture give me an infection", "What are the risks or complications of acupuncture?"),
    ],
)
def test_a_specific_word_the_section_uses_is_enough_to_answer(engine: Engine, question: str, expected: str) -> None:
    reply = engine.respond(question, None)
    assert reply.answer is not None and reply.answer.heading == expected


def test_a_section_about_one_topic_never_answers_a_question_about_the_other(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "# Acupuncture\n\n## Is acupuncture covered by insurance?\n\nSome insurance plans cover acupuncture.\n\n"
        "## Safety\n\nDon't use it to delay seeing a healthcare provider about a health problem.\n",
        encoding="utf-8",
    )
    (tmp_path / "overlay.toml").write_text(
        '[topics]\nacupuncture = ["acupuncture"]\n"dry needling" = ["dry needling"]\n', encoding="utf-8"
    )
    engine = Engine.from_folder(tmp_path)
    assert engine.respond("is acupuncture covered by insurance?", None).kind == "answer"
    assert engine.respond("is dry needling covered by insurance?", None).kind == "fallback"


def test_complements_are_the_words_a_treatment_is_asked_for() -> None:
    asked = ("is", "acupuncture", "good", "for", "gout", "while", "pregnant", "my", "knees")
    assert complements(asked, ["gout", "pregnant", "knees"]) == ["gout", "pregnant"]
    assert complements(asked, ["acupuncture"]) == []


def test_topic_words_are_set_aside_even_when_misspelt(engine: Engine) -> None:
    query = analyse_query("when was dry needleing invented", engine.vocabulary)
    assert query.topics == ("dry needling",) and "needleing" not in query.focus.split()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("my sister is terrified of needles, does acupuncture hurt", {"Does acupuncture hurt?", "How does it feel?"}),
        ("my husband is scared, is acupuncture safe", {"What are the risks or complications of acupuncture?"}),
    ],
)
def test_who_else_is_involved_and_how_they_feel_do_not_make_a_question_unanswerable(
    engine: Engine, question: str, expected: set[str]
) -> None:
    reply = engine.respond(question, None)
    assert reply.answer is not None and reply.answer.heading in expected


def test_anxiety_stays_a_subject_the_documents_do_not_cover(engine: Engine) -> None:
    assert engine.respond("can acupuncture help if im anxious", None).kind == "fallback"


def test_chat_spellings_are_never_what_a_typo_is_corrected_into(engine: Engine) -> None:
    words = analyse_query("babt anot idek", engine.vocabulary).words
    assert not {"abt", "alot", "idk"} & set(words)


@pytest.mark.parametrize(
    "question",
    [
        "my husband is worried, should i stop my warfarin before dry needling",
        "my mum asks: can acupuncture cure lupus",
        "honestly im terrified, can acupuncture treat my epilepsy",
    ],
)
def test_naming_a_relative_or_a_feeling_never_turns_a_decline_into_an_answer(engine: Engine, question: str) -> None:
    assert engine.respond(question, None).kind == "fallback"
