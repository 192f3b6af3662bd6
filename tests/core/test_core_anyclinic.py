"""Any clinic's documents: corpora that are not about acupuncture load, find their own topics, answer their own
questions from their own sections and quote their own safety statements (`eval/clinics/`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from faqbot.corpus import CorpusError
from faqbot.engine import Engine
from faqbot.evaluate import judge, parse_cases
from faqbot.knowledge import KnowledgeBase, load_knowledge_base
from faqbot.lexicon import load_lexicon
from faqbot.settings import EngineSettings
from faqbot.text import words
from faqbot.wording import corpus_synonyms

ROOT = Path(__file__).resolve().parents[2]
CLINICS = ROOT / "eval" / "clinics"
BUNDLED = ROOT / "corpus"
TOPICS = {
    "physio": {"physiotherapy.md": {"physiotherapy"}, "shockwave-therapy.md": {"shockwave therapy"}},
    "dental": {"dental-care.md": {"dental"}, "teeth-whitening.md": {"teeth whitening"}},
}
ACUPUNCTURE_WORDS = {"acupuncture", "acupuncturist", "needling", "needle", "needles"}

CUPPING = """# Cupping

## What is cupping?

Cupping is a treatment in which the practitioner places glass or silicone cups on the skin and creates suction,
either with heat or with a pump. The cups stay in place for five to ten minutes. Some clinics offer it alongside
acupuncture, but it uses no needles.

## Does it leave marks?

It usually leaves round, purple marks where the cups were. They fade within one to two weeks.

## Is it safe in pregnancy?

Cups are not placed over the abdomen or lower back during pregnancy. Gentle work on the shoulders and upper back
may be possible; tell the practitioner that you are pregnant before the session.
"""


@pytest.fixture(scope="module", params=sorted(TOPICS))
def clinic(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def engines(private_cache: Path) -> dict[str, Engine]:
    settings = EngineSettings(cache_dir=private_cache)
    return {name: Engine(load_knowledge_base(CLINICS / name), settings) for name in TOPICS}


def _kb(name: str) -> KnowledgeBase:
    return load_knowledge_base(CLINICS / name)


def test_each_clinic_loads_without_an_overlay_and_its_safety_document_answers_nothing(clinic: str) -> None:
    kb = _kb(clinic)
    assert not (CLINICS / clinic / "overlay.toml").exists()
    files = {pair.doc.file for pair in kb.pairs}
    assert files == set(TOPICS[clinic]), "the safety document is quoted, never an answer"
    assert len(kb.pairs) >= 15


def test_a_documents_topics_come_from_its_own_title_and_headings(clinic: str) -> None:
    kb = _kb(clinic)
    for pair in kb.pairs:
        assert set(pair.topics) == TOPICS[clinic][pair.doc.file], pair.id
    assert set(kb.topics) == {topic for topics in TOPICS[clinic].values() for topic in topics}


def test_disclaimers_come_from_the_clinics_safety_document(clinic: str, engines: dict[str, Engine]) -> None:
    kb = engines[clinic].kb
    assert {d.doc.file for d in kb.disclaimers} == {"safety.md"}
    safety_text = (CLINICS / clinic / "safety.md").read_text(encoding="utf-8")
    statements = {d.text for d in kb.disclaimers}
    for sentence in ("Tell ", "Only "):
        assert any(text.startswith(sentence) for text in statements), sentence
    for question in ("hello", "do you do braces or invisalign?", "what is a filling", "how long is a session?"):
        reply = engines[clinic].respond(question)
        assert reply.disclaimers, question
        assert all(" ".join(text.split()) in " ".join(safety_text.split()) for text in reply.disclaimers)


def test_a_question_about_medicines_carries_the_clinics_statement_about_them(engines: dict[str, Engine]) -> None:
    for clinic in TOPICS:
        reply = engines[clinic].respond("I take a lot of medicines, is that a problem?")
        assert any("medicine" in text for text in reply.disclaimers), (clinic, reply.disclaimers)


def test_every_heading_asked_as_written_gets_its_own_section(clinic: str, engines: dict[str, Engine]) -> None:
    engine = engines[clinic]
    for pair in engine.kb.pairs:
        reply = engine.respond(pair.heading)
        assert reply.kind == "answer" and reply.answer is not None, pair.heading
        assert reply.answer.id == pair.id


def test_the_clinics_own_questions_get_their_own_sections(clinic: str, engines: dict[str, Engine]) -> None:
    """The blind set's questions: most in-scope ones answered right, none answered with another clinic's words, and
    the out-of-scope ones declined (the README's figures come from `faqbot eval` on the same files)."""
    cases = parse_cases((CLINICS / f"{clinic}_blind.jsonl").read_text(encoding="utf-8").splitlines())
    engine = engines[clinic]
    results = []
    for case in cases:
        state = None
        for turn in case.turns:
            reply = engine.respond(turn, state)
            state = reply.state
        results.append((case, judge(reply, case)[0]))
    in_scope = [ok for case, ok in results if case.in_scope]
    declined = [ok for case, ok in results if "@none" in case.expect]
    assert sum(in_scope) / len(in_scope) >= 0.6
    assert sum(declined) / len(declined) >= 0.85


def test_help_and_greetings_name_the_clinics_subjects(clinic: str, engines: dict[str, Engine]) -> None:
    for message in ("hi", "what can you do?"):
        reply = engines[clinic].respond(message)
        assert reply.kind == "smalltalk"
        assert not set(words(reply.text)) & ACUPUNCTURE_WORDS, reply.text
    greeting = engines[clinic].respond("hi").text
    assert all(topic in greeting for topics in TOPICS[clinic].values() for topic in topics)


def test_general_synonyms_stand_in_only_when_the_editors_gave_none(kb: KnowledgeBase) -> None:
    texts = [text for pair in kb.pairs for text in pair.texts()]
    assert corpus_synonyms(texts, kb.synonyms, load_lexicon()) == kb.synonyms
    dental = _kb("dental")
    found = corpus_synonyms([t for p in dental.pairs for t in p.texts()], {}, load_lexicon())
    assert "checkup" in found["check-up"]  # the documents' hyphenated word, written closed
    assert "kids" in found["children"]  # faqbot's general clinic words, for words the documents use
    assert "trimester" not in found.get("children", ())
    physio = _kb("physio")
    found = corpus_synonyms([t for p in physio.pairs for t in p.texts()], {}, load_lexicon())
    assert "treatment" in found["therapy"]  # "shockwave treatment" asks about what the documents call therapy


def test_a_treatment_asked_by_another_name_for_its_therapy_gets_its_definition(engines: dict[str, Engine]) -> None:
    reply = engines["physio"].respond("what's shockwave treatment?")
    assert reply.answer is not None and reply.answer.heading == "What is shockwave therapy?"


def test_a_corpus_without_a_safety_statement_is_refused_with_how_to_add_one(tmp_path: Path) -> None:
    shutil.copy(CLINICS / "physio" / "physiotherapy.md", tmp_path)
    with pytest.raises(CorpusError) as raised:
        load_knowledge_base(tmp_path)
    message = str(raised.value)
    assert "\n" not in message
    assert "no safety statement" in message and "safety = true" in message and "documents.toml" in message


def test_marking_a_document_as_safety_makes_its_sentences_the_statements(tmp_path: Path) -> None:
    shutil.copy(CLINICS / "physio" / "physiotherapy.md", tmp_path)
    (tmp_path / "notes.md").write_text("# Notes\n\nWe are a friendly clinic. Parking is free.\n", encoding="utf-8")
    (tmp_path / "documents.toml").write_text('["notes.md"]\nsafety = true\n', encoding="utf-8")
    kb = load_knowledge_base(tmp_path)
    assert [d.text for d in kb.disclaimers] == ["We are a friendly clinic. Parking is free."]
    assert all(pair.doc.file == "physiotherapy.md" for pair in kb.pairs)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('["a.md"]\nsafety = "yes"', "safety must be true or false"),
        ('["a.md"]\ntopics = "teeth"', "topics must be a list"),
        ('["a.md"]\nsafety = true', "every document is marked"),
    ],
)
def test_bad_safety_and_topics_keys_are_one_clear_error(tmp_path: Path, table: str, message: str) -> None:
    (tmp_path / "a.md").write_text("# A\n\nTalk to your doctor before you start a new treatment.\n", encoding="utf-8")
    (tmp_path / "documents.toml").write_text(table, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_knowledge_base(tmp_path)


def test_documents_toml_can_name_a_documents_topics(tmp_path: Path) -> None:
    for name in ("dental-care.md", "teeth-whitening.md", "safety.md"):
        shutil.copy(CLINICS / "dental" / name, tmp_path)
    (tmp_path / "documents.toml").write_text(
        '["dental-care.md"]\ntopics = ["dental care"]\n\n["safety.md"]\nsafety = true\n', encoding="utf-8"
    )
    kb = load_knowledge_base(tmp_path)
    assert {p.topics for p in kb.pairs if p.doc.file == "dental-care.md"} == {("dental care",)}
    assert {p.topics for p in kb.pairs if p.doc.file == "teeth-whitening.md"} == {("teeth whitening",)}


@pytest.fixture(scope="module")
def with_cupping(tmp_path_factory: pytest.TempPathFactory, private_cache: Path) -> Engine:
    folder = tmp_path_factory.mktemp("cupping")
    for path in BUNDLED.iterdir():
        shutil.copy(path, folder)
    (folder / "cupping.md").write_text(CUPPING, encoding="utf-8")
    # The bundled overlay's not-covered list says pregnancy is not covered, which a cupping document that covers it
    # makes stale: the editors would review it with the new document, so it is left out here.
    overlay = folder / "overlay.toml"
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(text[: text.index("[not_covered]")], encoding="utf-8")
    return Engine(load_knowledge_base(folder), EngineSettings(cache_dir=private_cache))


def test_a_third_document_is_about_its_own_topic_not_the_overlays(with_cupping: Engine, kb: KnowledgeBase) -> None:
    cupping = [pair for pair in with_cupping.kb.pairs if pair.doc.file == "cupping.md"]
    assert cupping and all(pair.topics == ("cupping",) for pair in cupping)
    # The bundled documents keep the overlay's topics, section by section.
    before = {pair.id: pair.topics for pair in kb.pairs}
    assert {pair.id: pair.topics for pair in with_cupping.kb.pairs if pair.id in before} == before


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        ("what is cupping", "What is cupping?"),
        ("what is cupping?", "What is cupping?"),
        ("is cupping safe during pregnancy?", "Is it safe in pregnancy?"),
        ("can I have cupping when pregnant", "Is it safe in pregnancy?"),
        ("does cupping leave marks", "Does it leave marks?"),
        ("does acupuncture hurt?", "Does acupuncture hurt?"),
    ],
)
def test_a_third_documents_questions_get_its_sections(with_cupping: Engine, question: str, heading: str) -> None:
    reply = with_cupping.respond(question)
    assert reply.kind == "answer" and reply.answer is not None, (question, reply.kind)
    assert reply.answer.heading == heading
