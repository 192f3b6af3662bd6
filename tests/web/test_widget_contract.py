"""The widget's rendering of the reply contract (issue 12), driven by recorded payloads at phone and desktop sizes."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from widget_harness import DEMO_ATTRIBUTES, ORIGIN, STATIC, RecordedClinic, clinic_page, payload, schema_errors

from adapters.web.openapi import openapi_document

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RECORD_CSP = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
    "window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)
SHADOW_FOCUS = """() => {
    const active = document.querySelector('[data-faqbot]').shadowRoot.activeElement;
    return active ? (active.id || active.className || active.tagName) : '';
}"""


class Widget:
    """One page with the widget on the stand-in clinic site, plus the recorded API behind it."""

    def __init__(self, page: Any, clinic: RecordedClinic) -> None:
        self.page = page
        self.clinic = clinic

    def open(self) -> None:
        self.page.get_by_role("button", name="Ask a question").click()
        self.page.locator(".panel").wait_for()

    def ask(self, text: str) -> Any:
        """Send a question; the locator of the bot reply to it."""
        replies = self.page.locator(".msg.bot")
        before = replies.count()
        self.page.get_by_label("Your question").fill(text)
        self.page.keyboard.press("Enter")
        replies.nth(before).wait_for()
        return replies.nth(before)

    def focus(self) -> str:
        return str(self.page.evaluate(SHADOW_FOCUS))


@pytest.fixture
def make_widget(browser: Any) -> Iterator[Callable[..., Widget]]:
    """Build a Widget at a viewport size, with data- attributes and context options (e.g. color_scheme)."""
    contexts: list[Any] = []

    def build(size: dict[str, int] = DESKTOP, attributes: dict[str, str] | None = None, **options: Any) -> Widget:
        context = browser.new_context(viewport=size, **options)
        context.set_default_timeout(5000)
        contexts.append(context)
        clinic = RecordedClinic(clinic_page({**DEMO_ATTRIBUTES, **(attributes or {})}))
        clinic.install(context)
        page = context.new_page()
        page.add_init_script(RECORD_CSP)
        page.goto(ORIGIN + "/")
        return Widget(page, clinic)

    yield build
    for context in contexts:
        context.close()


def box_inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def boxes_overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


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


def panel_background(widget: Widget) -> str:
    return str(widget.page.locator(".panel").evaluate("e => getComputedStyle(e).backgroundColor"))


@pytest.mark.parametrize(
    ("scheme", "theme", "expected"),
    [
        ("light", None, "rgb(255, 255, 255)"),
        ("dark", None, "rgb(30, 31, 34)"),
        ("dark", "light", "rgb(255, 255, 255)"),
        ("light", "dark", "rgb(30, 31, 34)"),
    ],
)
def test_dark_mode_follows_the_system_unless_data_theme_says_otherwise(
    make_widget: Callable[..., Widget], scheme: str, theme: str | None, expected: str
) -> None:
    widget = make_widget(attributes={"data-theme": theme} if theme else {}, color_scheme=scheme)
    widget.open()
    assert panel_background(widget) == expected


@pytest.mark.parametrize("scheme", ["light", "dark"])
@SIZES
def test_axe_finds_no_violations_with_every_kind_of_reply(
    make_widget: Callable[..., Widget], size: dict[str, int], scheme: str
) -> None:
    avatar = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
    widget = make_widget(size, {"data-avatar": avatar}, color_scheme=scheme, bypass_csp=True)
    widget.open()
    widget.ask("How does acupuncture work?")
    widget.ask("other differences?").locator("summary").click()
    widget.ask("Can I talk to a person?")
    widget.ask("do you take walk ins")
    widget.ask("my chest hurts and I feel sweaty")
    widget.page.get_by_role("button", name="Clear conversation").click()  # the confirmation is scanned too
    results = Axe().run(widget.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]
    assert violations == []


def test_on_a_phone_the_panel_is_a_modal_dialog_that_traps_focus(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget(PHONE, has_touch=True)
    page = widget.page
    launcher = page.get_by_role("button", name="Ask a question")
    launcher.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Riverside Acupuncture & Physio")
    assert dialog.get_attribute("aria-modal") == "true"
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") == "hidden"
    widget.ask("other differences?")
    seen = set()
    for _ in range(25):  # more presses than there are controls: Tab must wrap, never leave
        page.keyboard.press("Tab")
        seen.add(widget.focus())
        assert page.evaluate("document.activeElement.hasAttribute('data-faqbot')")
    assert {"close", "faqbot-input", "send", "link clear"} <= seen
    page.get_by_role("button", name="Close chat").focus()  # the first control: Shift+Tab goes to the last
    page.keyboard.press("Shift+Tab")
    assert widget.focus() == "link clear"
    page.evaluate("document.querySelector('main a').focus()")  # e.g. a screen reader moving into the page
    assert widget.focus() == "faqbot-input"
    page.keyboard.press("Escape")
    assert dialog.count() == 0
    assert widget.focus() == "launcher"
    assert launcher.get_attribute("aria-expanded") == "false"
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") == "visible"


def test_on_a_desktop_the_panel_is_not_modal_and_has_one_close_control(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget(DESKTOP)
    widget.open()
    page = widget.page
    assert page.locator(".panel").get_attribute("aria-modal") is None
    assert page.locator(".launcher").is_hidden()  # no second control that closes the panel
    closers = page.get_by_role("button", name="Close chat")
    assert closers.count() == 1
    assert page.get_by_text("Automated assistant").is_visible()
    closers.click()
    assert page.locator(".panel").is_hidden()
    assert widget.focus() == "launcher"


def test_clearing_the_conversation_asks_first(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget(PHONE)
    widget.open()
    widget.ask("How does acupuncture work?")
    page = widget.page
    page.get_by_role("button", name="Clear conversation").click()
    group = page.get_by_role("group", name="Clear conversation")
    assert group.get_by_text("Clear the whole conversation?").is_visible()
    assert widget.focus() == "link"  # on Cancel, the safe choice
    assert page.get_by_role("button", name="Cancel").evaluate("b => b === b.getRootNode().activeElement")
    page.keyboard.press("Enter")
    assert page.locator(".msg.user").count() == 1
    page.get_by_role("button", name="Clear conversation").click()
    page.keyboard.press("Escape")  # Escape cancels the question, not the whole panel
    assert page.locator(".panel").is_visible()
    assert page.locator(".msg.user").count() == 1
    page.get_by_role("button", name="Clear conversation").click()
    page.get_by_role("button", name="Clear", exact=True).click()
    assert page.locator(".msg.user").count() == 0
    assert page.get_by_role("status").inner_text() == "Conversation cleared."
    assert widget.focus() == "faqbot-input"


@SIZES
def test_after_a_reload_the_latest_message_is_in_view(make_widget: Callable[..., Widget], size: dict[str, int]) -> None:
    widget = make_widget(size)
    widget.open()
    for question in ("How does acupuncture work?", "other differences?", "Can I talk to a person?"):
        widget.ask(question)
    widget.page.reload()
    log = widget.page.locator(".log")
    assert log.evaluate("e => e.scrollTop") > 0
    question, answer = widget.page.locator(".msg").nth(-2), widget.page.locator(".msg").last
    assert question.inner_text().endswith("Can I talk to a person?")
    assert answer.locator(".contact").count() == 1
    view = log.bounding_box()
    # The latest question and its answer from their start; all of the answer when it fits.
    assert box_inside(question.bounding_box(), view)
    top = answer.bounding_box()
    if top["height"] <= view["height"] - question.bounding_box()["height"] - 36:
        assert box_inside(top, view)
    else:
        assert view["y"] <= top["y"] <= view["y"] + view["height"] / 2


@SIZES
def test_not_sent_sits_under_its_bubble_and_stays_in_view(
    make_widget: Callable[..., Widget], size: dict[str, int]
) -> None:
    widget = make_widget(size)
    widget.open()
    widget.ask("How does acupuncture work?")
    widget.ask("other differences?")
    widget.page.route(ORIGIN + "/api/chat", lambda route: route.abort())
    widget.page.get_by_label("Your question").fill("Does it hurt?")
    widget.page.keyboard.press("Enter")
    mark = widget.page.locator(".msg.user .failed")
    mark.wait_for()
    alert = widget.page.get_by_role("alert")
    alert.get_by_text("could not be sent").wait_for()
    bubble = widget.page.locator(".msg.user .said").last
    log = widget.page.locator(".log").bounding_box()
    assert not boxes_overlap(mark.bounding_box(), bubble.bounding_box())
    assert mark.bounding_box()["y"] >= bubble.bounding_box()["y"] + bubble.bounding_box()["height"]
    assert box_inside(bubble.bounding_box(), log)
    assert box_inside(mark.bounding_box(), log)
    assert not boxes_overlap(alert.bounding_box(), log)


def test_ui_strings_can_be_overridden_and_bad_json_keeps_english(make_widget: Callable[..., Widget]) -> None:
    strings = {"launcher": "Poser une question", "send": "Envoyer", "assistant": "Assistant automatique"}
    widget = make_widget(attributes={"data-strings": json.dumps(strings)})
    widget.page.get_by_role("button", name="Poser une question").click()
    assert widget.page.get_by_role("button", name="Envoyer").is_visible()
    assert widget.page.get_by_text("Assistant automatique").is_visible()
    assert widget.page.get_by_role("button", name="Clear conversation").is_visible()  # not overridden: English
    broken = make_widget(attributes={"data-strings": "{not json"})
    broken.open()
    assert broken.page.get_by_role("button", name="Send").is_visible()


def test_persist_none_keeps_nothing_in_session_storage(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget(attributes={"data-persist": "none"})
    widget.open()
    widget.ask("How does acupuncture work?")
    assert widget.page.evaluate("sessionStorage.length") == 0
    widget.page.reload()
    widget.open()
    assert widget.page.locator(".msg.user").count() == 0
    kept = make_widget()
    kept.open()
    kept.ask("How does acupuncture work?")
    assert kept.page.evaluate("sessionStorage.length") == 1


def test_an_avatar_is_shown_only_for_image_urls_and_under_the_strict_csp(make_widget: Callable[..., Widget]) -> None:
    avatar = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 2 2'/%3E"
    widget = make_widget(attributes={"data-avatar": avatar})
    widget.open()
    image = widget.page.locator(".head img.avatar")
    assert image.get_attribute("src") == avatar
    assert image.get_attribute("alt") == ""
    assert widget.page.evaluate("window.__csp") == []
    for bad in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>"):
        other = make_widget(attributes={"data-avatar": bad})
        other.open()
        assert other.page.locator("[data-faqbot] img").count() == 0


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
