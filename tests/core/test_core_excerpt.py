"""Short answers in the documents' own words, editorial leftovers, source URLs and compact safety notes."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faqbot import editorial
from faqbot.corpus import CorpusError
from faqbot.disclaimers import same_statement
from faqbot.engine import Engine
from faqbot.evaluate import parse_cases
from faqbot.excerpt import of_pair, plain, section_text, short_answer, words_in
from faqbot.knowledge import KnowledgeBase, load_knowledge_base
from faqbot.models import Block
from faqbot.text import split_sentences, stems

ROOT = Path(__file__).resolve().parents[2]

SECTION = [
    "Needles are sterile and used once. Your practitioner throws them away after each use.",
    "Let's take a closer look at what a session involves.",
    "Most sessions last half an hour. Parking is free for the first two hours.",
    "\u201cWe always check in with you first,\u201d Dr. Rivera says.",
    "Bring the following to your first visit:",
    "\u2022 A list of your medications.\n\u2022 Your insurance card.\n\u2022 Comfortable clothes.",
    "Our video below shows the treatment room.",
]


def test_a_section_splits_into_paragraphs_and_lists_without_its_leftovers() -> None:
    text = section_text(SECTION)
    kinds = [block.kind for block in text.blocks]
    assert kinds == ["paragraph", "paragraph", "paragraph", "paragraph", "list"]
    assert text.blocks[4].items == ("A list of your medications.", "Your insurance card.", "Comfortable clothes.")
    assert text.dropped == (SECTION[1], SECTION[6])
    assert text.asides == frozenset({2})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how long is a session?", "Most sessions last half an hour."),
        ("are the needles sterile", "Needles are sterile"),
        ("what's the weather like", "Needles are sterile"),  # nothing matches: the first block
    ],
)
def test_the_short_answer_is_the_block_that_answers(question: str, expected: str) -> None:
    shown = short_answer(section_text(SECTION), stems(question))
    assert shown[0].text.startswith(expected)
    assert words_in(shown) < words_in(section_text(SECTION).blocks)


def test_a_list_comes_with_its_lead_in_and_only_the_items_asked_about() -> None:
    shown = short_answer(section_text(SECTION), stems("do I need my insurance card at the first visit?"))
    assert shown == (Block("paragraph", text=SECTION[4]), Block("list", items=("Your insurance card.",)))


def test_quoted_people_are_kept_out_of_short_answers() -> None:
    shown = plain(short_answer(section_text(SECTION), stems("check in first rivera")))
    assert "Rivera" not in shown


@pytest.mark.parametrize(
    ("sentence", "dropped", "attributed"),
    [
        ("Let\u2019s delve deeper into some of those differences.", True, False),
        ("The association has an infographic to help you understand the rules in your state.", True, False),
        ("\u201cStay hydrated,\u201d he adds.", False, True),
        ("Clinical manager Adam Smith, PT, DPT, explains the differences.", False, True),
        ("Dr. Smith notes that most people feel little.", False, True),
        ("Let your practitioner know if you feel faint.", False, False),
        ("Your acupuncturist will recommend a schedule that\u2019s right for you.", False, False),
        ("An X-ray image of the spine can show the cause of the pain.", False, False),
    ],
)
def test_editorial_rules(sentence: str, dropped: bool, attributed: bool) -> None:
    assert editorial.is_dropped(sentence) is dropped
    assert editorial.is_attributed(sentence) is attributed


PARAGRAPH = st.lists(
    st.sampled_from(["needles", "session", "pain", "insurance", "sterile", "relief", "rest"]), min_size=3, max_size=12
).map(lambda ws: " ".join(ws).capitalize() + ".")
LEAD_IN = PARAGRAPH.map(lambda text: text[:-1] + ":")
LIST = st.lists(PARAGRAPH, min_size=1, max_size=5).map(lambda items: "\n".join(f"\u2022 {i}" for i in items))


@settings(max_examples=200, deadline=None)
@given(
    paragraphs=st.lists(st.one_of(PARAGRAPH, st.tuples(LEAD_IN, LIST)), min_size=1, max_size=6),
    question=st.lists(st.sampled_from(["pain", "insurance", "rest", "cost", "needles"]), max_size=4),
)
def test_short_answers_never_separate_a_lead_in_from_its_list(paragraphs: list[object], question: list[str]) -> None:
    flat = [p for item in paragraphs for p in (item if isinstance(item, tuple) else (item,))]
    section = section_text(flat)
    shown = short_answer(section, stems(" ".join(question)))
    assert shown and words_in(shown) <= words_in(section.blocks)
    for position, block in enumerate(shown):
        if block.kind == "list":
            lead_in = shown[position - 1] if position else None
            assert lead_in is not None and lead_in.text.endswith(":")
        if block.kind == "paragraph" and block.text.endswith(":"):
            assert position + 1 < len(shown) and shown[position + 1].kind == "list"
    # Every sentence and item shown is the document's own.
    for block in shown:
        for part in block.items or tuple(split_sentences(block.text)):
            assert any(part in p for p in flat)


def test_kb_records_the_sentences_dropped_as_editorial(kb: KnowledgeBase) -> None:
    dropped = kb.editorial["dry-needling-vs-acupuncture.txt"]
    assert any(sentence.startswith("Let\u2019s delve deeper") for sentence in dropped)
    assert any("infographic" in sentence for sentence in dropped)
    shown = " ".join(plain(of_pair(p).blocks) for p in kb.pairs)
    assert not any(sentence in shown for sentence in dropped)
    # The body (what is indexed) stays the section as extracted.
    assert any(any(sentence in p.body for p in kb.pairs) for sentence in dropped)


def answered(engine: Engine, files: tuple[str, ...]) -> list[tuple[str, object]]:
    replies = []
    for file in files:
        for case in parse_cases((ROOT / file).read_text(encoding="utf-8").splitlines()):
            state = None
            for turn in case.turns:
                reply = engine.respond(turn, state)
                state = reply.state
            replies.append((case.turns[-1], reply))
    return replies


def test_short_answers_over_the_evaluation_questions(engine: Engine) -> None:
    replies = [reply for _, reply in answered(engine, ("eval/dev.jsonl", "eval/check.jsonl"))]
    answers = [r.answer for r in replies if r.kind == "answer" and r.answer]  # type: ignore[attr-defined]
    assert len(answers) > 200
    assert statistics.median(words_in(a.blocks) for a in answers) <= 60
    assert sum(a.truncated for a in answers) > len(answers) / 2
    for reply in replies:
        if reply.kind == "answer":  # type: ignore[attr-defined]
            shown = words_in(reply.answer.blocks)  # type: ignore[attr-defined]
            assert len(reply.disclaimers[0].split()) <= shown  # type: ignore[attr-defined]


NOTE_QUESTIONS = st.sampled_from(
    [
        "what are the side effects",
        "is acupuncture safe when pregnant?",
        "can I stop taking my medication",
        "can i drive home after",
        "how do i find a qualified acupuncturist",
        "does dry needling hurt",
        "thanks!",
        "hi",
        "what about cupping",
        "tell me more",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=NOTE_QUESTIONS, second=NOTE_QUESTIONS)
def test_safety_notes_are_never_missing_nor_repeated(engine: Engine, first: str, second: str) -> None:
    reply = engine.respond(second, engine.respond(first, None).state)
    assert reply.disclaimers and len(set(reply.disclaimers)) == len(reply.disclaimers)
    if reply.answer is not None:
        shown = plain(reply.answer.blocks)
        repeated = [d for d in reply.disclaimers if same_statement(d, shown)]
        assert not repeated or len(reply.disclaimers) == 1
    if reply.kind == "smalltalk":
        general = [
            d.text for d in engine.kb.disclaimers if d.category in ("see-a-provider", "talk-to-a-provider-first")
        ]
        assert reply.disclaimers == (min(general, key=lambda t: len(t.split())),)


def test_the_note_that_fits_the_question_comes_first(engine: Engine) -> None:
    reply = engine.respond("should I try dry needling or acupuncture?", None)
    assert "talk to a healthcare provider" in reply.disclaimers[0]


def test_a_statement_the_answer_shows_is_not_repeated_under_it(engine: Engine) -> None:
    for question in ("what are the risks of unqualified acupuncturists", "should i keep taking my medication"):
        reply = engine.respond(question, None)
        assert reply.answer is not None
        shown = plain(reply.answer.blocks)
        assert not any(same_statement(d, shown) for d in reply.disclaimers), question


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/a", "https://", "https://a b.org", 5])
def test_a_document_url_must_be_http(tmp_path: Path, url: object) -> None:
    (tmp_path / "a.txt").write_text("Don't use it to delay seeing a healthcare provider about a problem.\n")
    (tmp_path / "documents.toml").write_text(f'["a.txt"]\nurl = {json.dumps(url)}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="url must be"):
        load_knowledge_base(tmp_path)


def test_the_source_url_is_in_the_contract(engine: Engine, tmp_path: Path) -> None:
    data = engine.respond("does acupuncture hurt", None).to_dict()
    assert data["answer"]["source"]["url"].startswith("https://my.clevelandclinic.org/")
    (tmp_path / "a.md").write_text("# Care\n\n## Safety\n\nDon't use it to delay seeing a healthcare provider.\n")
    assert Engine.from_folder(tmp_path).respond("safety", None).to_dict()["answer"]["source"]["url"] is None


def test_the_whole_section_is_one_call_away(engine: Engine) -> None:
    short = engine.respond("can acupuncture be dangerous?", None)
    assert short.answer is not None and short.answer.truncated
    whole = engine.whole_section(short.answer.id)
    assert whole is not None and whole.answer is not None and whole.disclaimers
    assert whole.answer.blocks == short.answer.full_blocks and not whole.answer.truncated
    assert engine.whole_section("no/such-section") is None
