"""Extraction from the bundled documents and from documents a clinic might add."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from faqbot.corpus import CorpusError
from faqbot.engine import Engine
from faqbot.knowledge import KnowledgeBase, load_knowledge_base

ACUPUNCTURE = [
    "Acupuncture",
    "What is acupuncture?",
    "What does acupuncture treat?",
    "Are there different types of acupuncture?",
    "What is auricular acupuncture?",
    "How does acupuncture work?",
    "What happens during an acupuncture treatment?",
    "Does acupuncture hurt?",
    "What happens after an acupuncture treatment?",
    "What are the benefits of acupuncture?",
    "What are the risks or complications of acupuncture?",
    "How often should I get treatments?",
    "Will I need any other treatments besides acupuncture?",
    "Dry needling vs. acupuncture – what’s the difference?",
    "Is acupuncture covered by insurance?",
    "A note from Cleveland Clinic",
]
DRY_NEEDLING = [
    "What’s the Difference Between Dry Needling and Acupuncture?",
    "Dry needling vs. acupuncture",
    "Origins of the practices",
    "Where do the needles go?",
    "How does it feel?",
    "How long does it take to feel relief?",
    "How long do the needles stay in?",
    "Other differences between dry needling and acupuncture",
    "Who performs dry needling and acupuncture?",
    "Which one should you try?",
]
GROUPS = [
    "Procedure Details",
    "Risks / Benefits",
    "Recovery and Outlook",
    "When To Call the Doctor",
    "Additional Common Questions",
]
FURNITURE = [
    "Advertising",
    "editorial process",
    "Related Articles",
    "Trending Topics",
    "216.448.4325",
    "Earthing",
    "Foods High In Iron",
    "Calories",
    "Close up of hand",
    "Last reviewed",
    "Medically Reviewed",
    "Kinesiology",
    "February 13, 2024/Chronic Pain",
    "Person smiling",
    "a person’s back.",
]


def test_every_heading_of_both_documents_is_a_pair_with_text(kb: KnowledgeBase) -> None:
    by_file = {doc.file: [p.heading for p in kb.pairs if p.doc.file == doc.file] for doc in kb.documents}
    assert by_file["acupuncture.txt"] == ACUPUNCTURE
    assert by_file["dry-needling-vs-acupuncture.txt"] == DRY_NEEDLING
    assert all(len(p.body) > 40 for p in kb.pairs)


def test_group_headings_are_paths_not_answers(kb: KnowledgeBase) -> None:
    headings = {p.heading for p in kb.pairs}
    assert not headings & set(GROUPS)
    hurt = next(p for p in kb.pairs if p.heading == "Does acupuncture hurt?")
    assert hurt.path == ("Procedure Details", "Does acupuncture hurt?")
    intro = next(p for p in kb.pairs if p.id == "acupuncture/intro")
    assert intro.body.startswith("Acupuncture is a traditional Chinese method")


def test_answers_are_the_documents_own_words(kb: KnowledgeBase, corpus_text: str) -> None:
    lead_ins = [line for line in corpus_text.splitlines() if line.rstrip().endswith(":")]
    for pair in kb.pairs:
        for paragraph in filter(None, pair.body.split("\n")):
            text = paragraph.removeprefix("• ")
            # Character for character, quotes and all; the one edit allowed is a lost list's lead-in ending
            # ("…pain, such as:") cut back to its sentence ("…pain.").
            trimmed = text.endswith(".") and any(line.startswith(text[:-1]) for line in lead_ins)
            assert text in corpus_text or trimmed, (pair.id, text)


@pytest.mark.parametrize("furniture", FURNITURE)
def test_no_page_furniture_is_indexed(kb: KnowledgeBase, furniture: str) -> None:
    assert not [p.id for p in kb.pairs if furniture.lower() in (p.body + p.heading).lower()]


def test_no_answer_shows_a_lead_in_to_a_lost_list(kb: KnowledgeBase) -> None:
    for pair in kb.pairs:
        paragraphs = pair.body.split("\n\n")
        for index, paragraph in enumerate(paragraphs):
            followed_by_list = index + 1 < len(paragraphs) and paragraphs[index + 1].startswith("•")
            assert not paragraph.rstrip().endswith(":") or followed_by_list, (pair.id, paragraph)
    treat = next(p for p in kb.pairs if p.heading == "What does acupuncture treat?")
    assert "such as" not in treat.body and "include:" not in treat.body
    assert "Most often, people use it to relieve chronic (long-term) pain." in treat.body


def test_disclaimers_are_found_with_their_source_sentences(kb: KnowledgeBase, corpus_text: str) -> None:
    found = {d.category: d for d in kb.disclaimers}
    assert set(found) == {
        "see-a-provider",
        "talk-to-a-provider-first",
        "keep-taking-medication",
        "check-credentials",
        "unqualified-practitioners",
        "rest-before-driving",
    }
    for disclaimer in kb.disclaimers:
        assert disclaimer.text in corpus_text
    assert "prescribed medications" in found["keep-taking-medication"].text
    assert found["rest-before-driving"].section_id == "acupuncture/what-happens-after-an-acupuncture-treatment"


def test_document_metadata_and_topics(kb: KnowledgeBase) -> None:
    docs = {d.file: d for d in kb.documents}
    assert docs["acupuncture.txt"].reviewed == "2023-05-16"
    assert docs["dry-needling-vs-acupuncture.txt"].date_kind == "published"
    topics = {p.heading: p.topics for p in kb.pairs}
    assert topics["Does acupuncture hurt?"] == ("acupuncture",)
    assert set(topics["How does it feel?"]) == {"acupuncture", "dry needling"}


def test_non_question_headings_get_question_forms(kb: KnowledgeBase) -> None:
    origins = next(p for p in kb.pairs if p.heading == "Origins of the practices")
    assert origins.question.endswith("?") and "Origins of the practices" in origins.alternates


CLINIC_MD = """# Our clinic

Welcome to the Riverside clinic. We offer acupuncture sessions every weekday. If you notice redness or swelling
after a session, contact the clinic.

## Booking

### How do I book an appointment?

Call the front desk or use the online form. Bookings open two weeks ahead.

### Can I cancel?

Yes. Please cancel at least 24 hours before your appointment, such as:

## Related articles

- Ten foods for healthy joints
"""

CUPPING_MD = """# Cupping

## What is cupping?

Cupping places cups on your skin to create suction.
"""

WRAPPED_TXT = """Parking at the clinic

Where can I park?

Patients can park in the lot behind the
building. The lot is free for the first
two hours of every visit.
"""


def test_a_clinic_markdown_document_is_extracted_by_the_same_rules(tmp_path: Path) -> None:
    (tmp_path / "clinic.md").write_text(CLINIC_MD, encoding="utf-8")
    (tmp_path / "parking.txt").write_text(WRAPPED_TXT, encoding="utf-8")
    kb = load_knowledge_base(tmp_path)
    pairs = {p.heading: p for p in kb.pairs}
    assert set(pairs) == {"Our clinic", "How do I book an appointment?", "Can I cancel?", "Where can I park?"}
    assert pairs["Can I cancel?"].path == ("Booking", "Can I cancel?")
    assert pairs["Can I cancel?"].body == "Yes. Please cancel at least 24 hours before your appointment."
    assert "free for the first two hours" in pairs["Where can I park?"].body
    assert not any("foods" in p.body for p in kb.pairs)
    assert [d.category for d in kb.disclaimers] == ["seek-help-for-symptoms"]


def test_sections_of_a_corpus_without_editors_topics_are_about_their_documents_titles(tmp_path: Path) -> None:
    (tmp_path / "cupping.md").write_text(CUPPING_MD, encoding="utf-8")
    (tmp_path / "clinic.md").write_text(CLINIC_MD, encoding="utf-8")
    kb = load_knowledge_base(tmp_path)
    assert set(kb.topics) == {"cupping", "our clinic"}
    assert {p.heading: p.topics for p in kb.pairs}["What is cupping?"] == ("cupping",)
    engine = Engine(kb)
    reply = engine.respond("what is cupping?", None)
    assert reply.kind == "answer" and reply.answer is not None and reply.answer.heading == "What is cupping?"
    assert reply.disclaimers == ("If you notice redness or swelling after a session, contact the clinic.",)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, r"no documents in .* \(faqbot reads .txt, .md, .html, .htm, .pdf, .docx, .tsv, .csv files\)"),
        ({"a.txt": "Hello there.", "documents.toml": '["b.txt"]\ntitle = "B"'}, "not in"),
        ({"a.txt": "Hello there.", "documents.toml": '["a.txt"]\ncolour = "red"'}, "unknown key"),
        ({"a.txt": "Hello there.", "documents.toml": "[[["}, "not valid TOML"),
        ({"a.txt": "Hello there.", "documents.toml": "x = " + "[" * 5000 + "]" * 5000}, "nested deeper"),
        ({"a.txt": "Hello there.", "overlay.toml": '[alternates."a/nope"]\nquestions = ["x"]'}, "do not exist"),
        ({"a.txt": "Hello there.", "overlay.toml": "[extras]"}, "unknown section"),
        ({"a.txt": "Hello there.", "overlay.toml": '[synonyms]\nhurt = ["a b c d e f"]'}, "longer than 5 words"),
        ({"a.txt": "What is cupping?\n\nCupping uses cups on the skin."}, "no safety statement"),
    ],
)
def test_a_broken_corpus_is_one_clear_error(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_knowledge_base(tmp_path)


def test_non_utf8_document_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xff\xfe bad bytes")
    with pytest.raises(CorpusError, match="not UTF-8"):
        load_knowledge_base(tmp_path)


def test_a_document_whose_file_name_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    # A Latin-1 name ("Übersicht") as an old Windows zip leaves it; Python reads the byte as a lone surrogate.
    name = os.fsdecode(b"Akupunktur_\xdcbersicht.md")
    (tmp_path / name).write_text("# T\n\nWhat is it?\n\nIt is a needle thing.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"file name is not valid UTF-8 .*; rename it"):
        load_knowledge_base(tmp_path)


PLAIN_LIST_TXT = """Your first visit

What should I bring?

Bring the following to your first visit:
Your insurance card
A list of your medications
Comfortable clothes

If you notice redness or swelling after a session, contact the clinic.

Where do I wait?

The waiting room is on the ground floor and you can sit wherever you like:
there is water, and the receptionist will call your name when the
practitioner is ready for you.
"""


def test_short_lines_after_a_lead_in_are_a_list_and_wrapped_prose_is_not(tmp_path: Path) -> None:
    (tmp_path / "visit.txt").write_text(PLAIN_LIST_TXT, encoding="utf-8")
    pairs = {p.heading: p for p in load_knowledge_base(tmp_path).pairs}
    bring = pairs["What should I bring?"]
    assert [b.kind for b in bring.blocks] == ["paragraph", "list", "paragraph"]
    assert bring.blocks[1].items == ("Your insurance card", "A list of your medications", "Comfortable clothes")
    wait = pairs["Where do I wait?"]
    assert [b.kind for b in wait.blocks] == ["paragraph"] and "receptionist" in wait.blocks[0].text
