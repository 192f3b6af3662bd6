"""The widget's rendering of the reply contract (issue 12), driven by recorded payloads at phone and desktop sizes."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from widget_harness import DESKTOP, PHONE, STATIC, Widget, payload, schema_errors

from adapters.web.openapi import openapi_document

SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])


@SIZES
def test_a_list_stays_a_list_and_the_whole_section_is_one_tap_away(
    make_widget: Callable[..., Widget], size: dict[str, int]
) -> None:
    widget = make_widget(size)
    widget.open()
    reply = widget.ask("How does acupuncture work?")
    answer = payload("answer_truncated_list")["answer"]
    body = reply.locator(".body")
    lead_in, items = answer["blocks"][0]["text"], answer["blocks"][1]["items"]
    assert body.locator("p").all_inner_texts() == [lead_in]
    assert body.locator("ul > li").all_inner_texts() == items
    # The lead-in paragraph is immediately followed by its list.
    assert body.locator("p").evaluate("p => p.nextElementSibling.tagName") == "UL"
    more = reply.get_by_role("button", name="Read the whole section")
    assert more.is_visible()
    more.click()
    whole = [b["text"] for b in answer["full_blocks"] if b["type"] == "paragraph"]
    assert body.locator("p").all_inner_texts() == whole
    assert body.locator("ul > li").count() == 3
    assert more.count() == 0
    assert widget.focus() == "body"  # focus moves to the text that appeared, not to the page
    assert widget.clinic.questions == ["How does acupuncture work?"]  # no second request
    widget.page.reload()  # the expanded section stays expanded
    assert widget.page.locator(".msg.bot .body p").all_inner_texts() == whole
    assert widget.page.evaluate("window.__csp") == []


@SIZES
def test_one_safety_note_inline_and_the_rest_behind_a_disclosure(
    make_widget: Callable[..., Widget], size: dict[str, int]
) -> None:
    widget = make_widget(size)
    widget.open()
    reply = widget.ask("other differences?")
    disclaimers = payload("answer_whole_list")["disclaimers"]
    assert len(disclaimers) == 3
    assert reply.locator(".note").all_inner_texts() == ["Please note: " + disclaimers[0]]
    details = reply.locator("details")
    summary = details.locator("summary")
    assert summary.inner_text() == "Safety information"
    hidden = details.locator("p")
    assert hidden.count() == 2
    assert not hidden.first.is_visible()
    summary.click()
    assert hidden.all_inner_texts() == disclaimers[1:]
    assert hidden.last.is_visible()
    # A reply with a single statement has no disclosure.
    contact = widget.ask("Can I talk to a person?")
    assert contact.locator(".note").count() == 1
    assert contact.locator("details").count() == 0
    # Nothing was cut: every statement of both replies is in the page.
    assert not reply.get_by_role("button", name="Read the whole section").count()


def test_the_source_is_a_safe_link_only_when_the_documents_give_a_url(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget()
    widget.open()
    linked = widget.ask("How does acupuncture work?").locator(".source a")
    assert linked.get_attribute("href") == payload("answer_truncated_list")["answer"]["source"]["url"]
    assert linked.get_attribute("rel") == "noopener noreferrer"
    assert linked.get_attribute("target") == "_blank"
    assert linked.inner_text() == "Acupuncture › Procedure Details › How does acupuncture work?"
    plain = widget.ask("other differences?")
    assert plain.locator(".source").inner_text().startswith("Source: What’s the Difference")
    assert plain.locator(".source a").count() == 0


def test_a_source_url_that_is_not_http_is_shown_as_text(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget()
    evil = payload("answer_truncated_list")
    evil["answer"]["source"]["url"] = "javascript:alert(1)"
    widget.clinic.overrides["answer_truncated_list"] = evil
    widget.open()
    reply = widget.ask("How does acupuncture work?")
    assert reply.locator(".source a").count() == 0
    assert reply.locator(".source").inner_text().startswith("Source: Acupuncture ›")


@SIZES
def test_contact_replies_show_a_card_styled_like_an_answer(
    make_widget: Callable[..., Widget], size: dict[str, int]
) -> None:
    widget = make_widget(size)
    widget.open()
    answer = widget.ask("How does acupuncture work?")
    reply = widget.ask("Can I talk to a person?")
    contact = payload("contact")["contact"]
    card = reply.locator(".contact")
    assert card.get_by_role("link", name=contact["phone"]).get_attribute("href") == "tel:+15550100200"
    book = card.get_by_role("link", name="Book an appointment")
    assert book.get_attribute("href") == contact["booking_url"]
    assert book.get_attribute("rel") == "noopener noreferrer"
    text = card.inner_text()
    assert "Opening hours: " + contact["hours"] in text
    assert "Address: " + contact["address"] in text
    assert reply.locator("p").first.inner_text() == payload("contact")["lead"]
    style = "e => getComputedStyle(e).backgroundColor + ' ' + getComputedStyle(e).borderColor"
    assert reply.locator(".bubble").evaluate(style) == answer.locator(".bubble").evaluate(style)
    assert "urgent" not in (reply.get_attribute("class") or "")
    # A fallback with only some details set shows only those.
    fallback = widget.ask("do you take walk ins")
    assert fallback.locator(".contact a").all_inner_texts() == ["+1 555 0100 200"]
    assert "Opening hours:" in fallback.locator(".contact").inner_text()
    assert "Address:" not in fallback.locator(".contact").inner_text()


def test_a_contact_reply_with_no_details_set_shows_no_empty_card(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget()
    unset = payload("contact")
    unset["contact"] = {"phone": None, "booking_url": "javascript:alert(1)", "hours": None, "address": None}
    unset["lead"] = "The clinic has not given its phone number or booking link here."
    widget.clinic.overrides["contact"] = unset
    widget.open()
    reply = widget.ask("Can I talk to a person?")
    assert reply.locator("p").first.inner_text() == unset["lead"]
    assert reply.locator(".contact").count() == 0
    assert reply.locator("a").count() == 0


def without_new_fields(reply: dict[str, Any]) -> dict[str, Any]:
    """The reply as a server from before issue 12 sends it."""
    old = copy.deepcopy(reply)
    old.pop("contact", None)
    for key in ("blocks", "full_blocks", "truncated"):
        old["answer"].pop(key, None)
    old["answer"]["source"].pop("url", None)
    return old


def test_a_reply_without_the_new_fields_still_shows_its_list(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget()
    widget.clinic.overrides["answer_truncated_list"] = without_new_fields(payload("answer_truncated_list"))
    widget.open()
    reply = widget.ask("How does acupuncture work?")
    assert reply.locator(".body ul > li").count() == 3
    assert reply.locator(".body p").count() == 3
    assert not [t for t in reply.locator(".body p").all_inner_texts() if "•" in t]
    assert reply.get_by_role("button", name="Read the whole section").count() == 0
    assert reply.locator(".source a").count() == 0
    assert reply.locator(".contact").count() == 0
    assert reply.locator(".note").count() == 1


def test_the_emergency_reply_keeps_its_call_link_and_urgent_first_line(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget(PHONE)
    widget.open()
    reply = widget.ask("my chest hurts and I feel sweaty")
    assert "urgent" in (reply.get_attribute("class") or "")
    assert reply.locator("p").first.inner_text().startswith("⚠️ Call 911 now")
    assert reply.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
    assert reply.locator(".contact").count() == 0


REPLY_SCHEMA = openapi_document(1000, 8192)["paths"]["/api/chat"]["post"]["responses"]["200"]["content"][
    "application/json"
]["schema"]
RECORDED = ["answer_truncated_list", "answer_whole_list", "emergency", "contact", "fallback_contact"]


@pytest.mark.parametrize("name", RECORDED)
def test_recorded_payloads_follow_the_contract_and_carry_every_field_the_server_returns(client: Any, name: str) -> None:
    reply = payload(name)
    assert schema_errors(reply, REPLY_SCHEMA) == []
    live = client.post("/api/chat", json={"message": "How does acupuncture work?"}).json()
    assert set(live) <= set(reply)
    answer = reply["answer"]
    if answer:
        assert set(live["answer"]) <= set(answer)
        assert set(live["answer"]["source"]) <= set(answer["source"])
        assert answer["truncated"] == (len(answer["blocks"]) < len(answer["full_blocks"]))
        assert all(block in answer["full_blocks"] for block in answer["blocks"])  # verbatim parts of the section


def test_the_schema_check_catches_what_breaks_the_contract() -> None:
    reply = payload("answer_truncated_list")
    reply["answer"]["blocks"][1] = {"type": "list", "text": "a list without items"}
    reply["contact"] = {"phone": 5550100}
    reply["kind"] = "chat"
    errors = schema_errors(reply, REPLY_SCHEMA)
    assert {e.split(":")[0] for e in errors} == {"$.kind", "$.answer.blocks[1]", "$.contact", "$.contact.phone"}
    assert "$.contact: no hours" in errors


def test_every_attribute_and_string_key_of_the_widget_is_documented() -> None:
    source = (STATIC / "widget.js").read_text(encoding="utf-8")
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    attributes = {re.sub("([A-Z])", r"-\1", name).lower() for name in re.findall(r"\bdata\.(\w+)", source)}
    assert {"api", "clinic-name", "theme", "avatar", "strings", "persist"} <= attributes
    assert [a for a in attributes if f"`data-{a}`" not in readme] == []
    strings = source[source.index("var T = {") : source.index("};", source.index("var T = {"))]
    keys = re.findall(r"(\w+): ['\"]", strings)
    assert len(keys) > 30
    assert [k for k in keys if f"`{k}`" not in readme] == []
