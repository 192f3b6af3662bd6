"""Rendering is pure: recorded replies in, recorded Slack payloads out, and Slack's limits never lose text."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from replies import reply_from_dict

from adapters.slack import render
from faqbot.models import Reply, Suggestion

RECORDED = Path(__file__).parent / "payloads" / "render"
CASES = sorted(p.name.removesuffix(".reply.json") for p in RECORDED.glob("*.reply.json"))


def recorded_reply(name: str) -> Reply:
    return reply_from_dict(json.loads((RECORDED / f"{name}.reply.json").read_text(encoding="utf-8")))


def sections(messages: list[render.Message]) -> list[str]:
    return [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section"]


def test_recorded_cases_exist() -> None:
    assert {"answer", "clarify_escaping", "emergency", "fallback", "smalltalk", "long_answer"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_rendering_matches_the_recorded_payload(name: str) -> None:
    expected = json.loads((RECORDED / f"{name}.slack.json").read_text(encoding="utf-8"))
    assert render.render_reply(recorded_reply(name)) == expected


@pytest.mark.parametrize("name", CASES)
def test_every_message_has_text_and_the_disclaimers_within_limits(name: str) -> None:
    reply = recorded_reply(name)
    for message in render.render_reply(reply):
        assert message["text"].strip()
        assert len(message["blocks"]) <= render.MAX_BLOCKS
        notes = [e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]]
        for disclaimer in reply.disclaimers:
            assert f"*Please note:* {render.escape(disclaimer)}" in notes
        for block in message["blocks"]:
            assert_block_within_limits(block)


def assert_block_within_limits(block: dict[str, Any]) -> None:
    if block["type"] == "section":
        assert len(block["text"]["text"]) <= render.SECTION_CHARS
    elif block["type"] == "context":
        assert 1 <= len(block["elements"]) <= render.CONTEXT_ELEMENTS
        assert all(len(e["text"]) <= render.SECTION_CHARS for e in block["elements"])
    elif block["type"] == "actions":
        assert 1 <= len(block["elements"]) <= render.ACTIONS_ELEMENTS
        for button in block["elements"]:
            assert len(button["text"]["text"]) <= render.BUTTON_TEXT_CHARS
            assert len(button["value"]) <= render.BUTTON_VALUE_CHARS
        assert len({b["action_id"] for b in block["elements"]}) == len(block["elements"])


def test_emergency_comes_first_and_bold_without_buttons() -> None:
    [message] = render.render_reply(recorded_reply("emergency"))
    first = message["blocks"][0]["text"]["text"]
    assert first.startswith("*") and "911" in first
    assert all(b["type"] != "actions" for b in message["blocks"])


def test_document_text_is_escaped_but_nothing_else() -> None:
    assert render.escape('a & b <c> d\'s "e" *f*') == 'a &amp; b &lt;c&gt; d\'s "e" *f*'
    [message] = render.render_reply(recorded_reply("clarify_escaping"))
    assert "&lt;question&gt; &amp; I'll" in message["blocks"][0]["text"]["text"]
    assert "<question>" not in json.dumps(message)


def test_answer_shows_its_source() -> None:
    [message] = render.render_reply(recorded_reply("answer"))
    context = next(b for b in message["blocks"] if b["type"] == "context")
    source = context["elements"][0]["text"]
    assert source.startswith("*Source:* Acupuncture › ")
    assert "Cleveland Clinic" in source and "2023-05-16" in source


@pytest.mark.parametrize("limit", [40, 200, 3000])
def test_split_text_keeps_every_word(limit: int) -> None:
    text = render.escape(recorded_reply("long_answer").answer.body)  # type: ignore[union-attr]
    chunks = render.split_text(text, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_split_text_cuts_words_longer_than_the_limit_without_breaking_escapes() -> None:
    text = "x" * 7 + "&amp;" + "y" * 10
    chunks = render.split_text(text, 10)
    assert "".join(chunks) == text
    assert all(len(c) <= 10 for c in chunks)
    assert any("&amp;" in c for c in chunks)


def test_a_reply_too_big_for_one_message_is_split_and_every_part_is_disclaimed() -> None:
    base = recorded_reply("answer")
    assert base.answer is not None
    body = "\n\n".join(f"Paragraph {i}: " + "word " * 590 for i in range(60))
    reply = dataclasses.replace(base, answer=dataclasses.replace(base.answer, body=body), text=body)
    messages = render.render_reply(reply)
    assert len(messages) == 2
    assert all(len(m["blocks"]) <= render.MAX_BLOCKS for m in messages)
    joined = " ".join(sections(messages))
    heading_words = len(base.answer.heading.split())  # the bold heading comes first
    assert joined.split()[heading_words:] == body.split()
    for message in messages:
        assert "Please note:" in message["text"]
        assert any(b["type"] == "context" for b in message["blocks"])
    assert messages[-1]["blocks"][-1]["type"] == "actions"  # buttons once, at the end


def test_long_button_labels_are_shortened_but_the_value_keeps_the_question() -> None:
    question = "What should I know about " + "very " * 30 + "long questions?"
    reply = dataclasses.replace(recorded_reply("fallback"), suggestions=(Suggestion("x/y", question, "H"),))
    [message] = render.render_reply(reply)
    [button] = message["blocks"][-1]["elements"]
    assert len(button["text"]["text"]) == render.BUTTON_TEXT_CHARS and button["text"]["text"].endswith("…")
    assert button["value"] == question


def test_share_button_and_note() -> None:
    [message] = render.render_reply(recorded_reply("answer"), note="<@U1> asked", share_value="does it hurt")
    assert message["blocks"][0] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "<@U1> asked"}]}
    share = message["blocks"][-1]["elements"][-1]
    assert (share["action_id"], share["value"], share["style"]) == (render.SHARE_ACTION, "does it hurt", "primary")
