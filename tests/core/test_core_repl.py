"""The terminal rendering: wrapped at word boundaries, lists as bullets, compact safety notes, /more, picks echoed."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.repl import chat
from adapters.terminal import Style, contact_lines, render
from faqbot.engine import Engine
from faqbot.evaluate import parse_cases
from faqbot.models import Reply

ROOT = Path(__file__).resolve().parents[2]
PLAIN = Style(False)
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some-more-letters-to-pass-eighty-columns"


def eval_replies(engine: Engine, limit: int = 120) -> list[Reply]:
    replies = []
    for case in parse_cases((ROOT / "eval/dev.jsonl").read_text(encoding="utf-8").splitlines())[:limit]:
        state = None
        for turn in case.turns:
            reply = engine.respond(turn, state)
            state = reply.state
            replies.append(reply)
    return replies


@pytest.mark.parametrize("width", [80, 40])
def test_replies_wrap_between_words_only(engine: Engine, width: int) -> None:
    replies = eval_replies(engine)
    long = dataclasses.replace(replies[0], lead=f"A lead with {LONG_WORD} inside it.")
    for reply in [*replies, long]:
        unwrapped, full_source = without_source(render(reply, PLAIN, 100_000))
        wrapped, source = without_source(render(reply, PLAIN, width))
        # Wrapping moves line breaks and nothing else: a word cut in two would leave pieces the reply never had.
        assert wrapped.split() == unwrapped.split()
        assert all(len(line) <= width for line in wrapped.splitlines() if LONG_WORD not in line)
        # The source is one line, shortened at a word boundary when the title is too long for it.
        assert len(source) <= width and full_source.startswith(source.removesuffix(" \u2026"))


def without_source(text: str) -> tuple[str, str]:
    lines = text.splitlines()
    source = [line for line in lines if line.startswith("Source: ")]
    assert len(source) <= 1
    return "\n".join(line for line in lines if not line.startswith("Source: ")), "".join(source)


def test_an_answer_shows_its_short_answer_source_and_one_note_inline(engine: Engine) -> None:
    reply = engine.respond("can acupuncture be dangerous?", None)
    assert reply.answer is not None and reply.answer.truncated and len(reply.disclaimers) > 1
    text = render(reply, PLAIN, 80)
    lines = text.splitlines()
    assert lines[0] == "faqbot:"
    assert f"Source: {reply.answer.title} (" in text and "/more shows the whole section." in text
    assert sum(line.startswith("\u26a0 ") for line in lines) == 1
    assert f"Safety information: {len(reply.disclaimers) - 1} more" in text
    assert " ".join(reply.disclaimers[1].split()[:6]) not in " ".join(text.split())


def test_lists_are_bullets(engine: Engine) -> None:
    reply = engine.respond("what are the other differences between dry needling and acupuncture", None)
    assert reply.answer is not None
    lists = [block for block in reply.answer.blocks if block.kind == "list"]
    assert lists
    text = render(reply, PLAIN, 80)
    for item in lists[0].items:
        first_words = " ".join(item.split()[:3])
        assert f"  \u2022 {first_words}" in text


def session(engine: Engine, *lines: str) -> str:
    inputs = [*lines]
    out = io.StringIO()

    def read(prompt: str) -> str:
        if not inputs:
            raise EOFError
        return inputs.pop(0)

    assert chat(engine, read, out, PLAIN, lambda: 80) == 0
    return out.getvalue()


def test_a_picked_suggestion_is_echoed(engine: Engine) -> None:
    first = engine.respond("does acupuncture hurt?", None)
    assert first.suggestions
    output = session(engine, "does acupuncture hurt?", "1")
    assert f"\u203a {first.suggestions[0].question}\n" in output


def test_more_shows_the_whole_section_and_safety_every_note(engine: Engine) -> None:
    reply = engine.respond("can acupuncture be dangerous?", None)
    assert reply.answer is not None and reply.answer.url
    output = " ".join(session(engine, "can acupuncture be dangerous?", "/more", "/safety").split())
    for block in reply.answer.full_blocks:
        assert " ".join(block.plain().split()) in output
    assert reply.answer.url in output
    for note in reply.disclaimers:
        assert " ".join(note.split()) in output
    assert "There is no answer" in session(engine, "/more")


def test_contact_details_are_rendered_when_the_reply_carries_them(engine: Engine) -> None:
    contact = {"phone": "+1 216 555 0100", "booking_url": "https://clinic.example/book", "hours": None}

    @dataclasses.dataclass(frozen=True)
    class WithContact(Reply):
        def to_dict(self) -> dict[str, Any]:
            return {**super().to_dict(), "contact": {**contact, "address": "1 Main St"}}

    base = engine.respond("can I talk to someone", None)
    text = render(WithContact(**{f.name: getattr(base, f.name) for f in dataclasses.fields(base)}), PLAIN, 80)
    assert "  Phone:   +1 216 555 0100" in text and "  Book:    https://clinic.example/book" in text
    assert "  Address: 1 Main St" in text and "Hours" not in text
    assert contact_lines(None, 80) == [] and "Phone" not in render(base, PLAIN, 80)


def test_colour_codes_only_when_styled(engine: Engine) -> None:
    reply = engine.respond("does acupuncture hurt", None)
    assert "\033[" in render(reply, Style(True), 80) and "\033[" not in render(reply, PLAIN, 80)
    assert json.dumps(reply.to_dict())  # the rendered reply is still the plain contract underneath
