"""Rendering is pure: recorded replies in, recorded Slack payloads out, and Slack's limits never lose text."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from replies import reply_from_dict

from adapters.slack import render
from faqbot.models import Answer, Block, Reply, Suggestion

RECORDED = Path(__file__).parent / "payloads" / "render"
CASES = sorted(p.name.removesuffix(".reply.json") for p in RECORDED.glob("*.reply.json"))


def recorded_reply(name: str) -> Reply:
    return reply_from_dict(json.loads((RECORDED / f"{name}.reply.json").read_text(encoding="utf-8")))


def sections(messages: list[render.Message]) -> list[str]:
    return [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section"]


def test_recorded_cases_exist() -> None:
    assert {"answer", "clarify_escaping", "emergency", "fallback", "smalltalk", "long_answer"} <= set(CASES)
    assert {"short_answer", "list_answer", "contact"} <= set(CASES)


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
        notes = " ".join(e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"])
        assert f"*Please note:* {render.escape(reply.disclaimers[0])}" in notes
        for disclaimer in reply.disclaimers[1:]:
            assert render.escape(disclaimer) in notes
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
    assert source.startswith(
        "*Source:* <https://my.clevelandclinic.org/health/treatments/4767-acupuncture|Acupuncture › "
    )
    assert "Cleveland Clinic" in source and "2023-05-16" in source
    assert base_answer().url is not None
    unlinked = dataclasses.replace(base_answer(), url=None)
    [message] = render.render_reply(dataclasses.replace(recorded_reply("answer"), answer=unlinked))
    assert "*Source:* Acupuncture › " in json.dumps(message, ensure_ascii=False)


def base_answer() -> Answer:
    answer = recorded_reply("answer").answer
    assert answer is not None
    return answer


def test_a_short_answer_has_paragraph_sections_and_a_read_more_button() -> None:
    reply = recorded_reply("short_answer")
    assert reply.answer is not None and reply.answer.truncated
    [message] = render.render_reply(reply)
    texts = sections([message])
    assert texts[0] == f"*{reply.answer.heading}*\n{render.escape(reply.answer.blocks[0].text)}"
    assert len(texts) == len(reply.answer.blocks)
    buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (buttons[0]["action_id"], buttons[0]["value"]) == (render.MORE_ACTION, reply.answer.id)
    assert buttons[0]["text"]["text"] == render.MORE_LABEL
    whole = dataclasses.replace(reply, answer=dataclasses.replace(reply.answer, blocks=reply.answer.full_blocks))
    [message] = render.render_reply(whole)
    assert render.MORE_ACTION not in json.dumps(message)


def test_safety_notes_are_one_inline_context_and_one_quieter_one() -> None:
    reply = recorded_reply("short_answer")
    assert len(reply.disclaimers) == 3
    [message] = render.render_reply(reply)
    contexts = [b for b in message["blocks"] if b["type"] == "context"][1:]  # after the source
    assert [len(c["elements"]) for c in contexts] == [1, 2]
    assert contexts[0]["elements"][0]["text"] == f"*Please note:* {render.escape(reply.disclaimers[0])}"
    assert contexts[1]["elements"][0]["text"].startswith("*Safety information:* ")


def test_lists_are_bulleted_lines() -> None:
    reply = recorded_reply("list_answer")
    assert reply.answer is not None
    [items] = [b.items for b in reply.answer.blocks if b.kind == "list"]
    [message] = render.render_reply(reply)
    bulleted = [t for t in sections([message]) if t.startswith("\u2022 ")]
    assert bulleted == ["\n".join(f"\u2022 {render.escape(i)}" for i in items)]


def test_contact_details_are_a_section_with_a_tel_link_and_a_booking_button() -> None:
    [message] = render.render_reply(recorded_reply("contact"))
    text = "\n".join(sections([message]))
    assert "*Phone:* <tel:+12165550100|+1 216-555-0100>" in text
    assert "*Address:* 1 Main St &lt;Suite 2&gt;" in text
    book = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert (book["action_id"], book["url"]) == (render.BOOK_ACTION, "https://clinic.example/book?a=1&b=2")
    assert "tel:" not in json.dumps(render.render_reply(recorded_reply("fallback")))


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
    blocks = tuple(Block("paragraph", text=p) for p in body.split("\n\n"))
    answer = dataclasses.replace(base.answer, body=body, blocks=blocks, full_blocks=blocks)
    reply = dataclasses.replace(base, answer=answer, text=body)
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
    # The last row is the thumbs under the answer; the Share button ends the row before.
    share = message["blocks"][-2]["elements"][-1]
    assert (share["action_id"], share["value"], share["style"]) == (render.SHARE_ACTION, "does it hurt", "primary")
    assert [e["action_id"] for e in message["blocks"][-1]["elements"]] == list(render.VOTE_ACTIONS.values())
