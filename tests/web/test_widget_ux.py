"""The widget's UX (issue 12 item 7): dark mode, modal dialog on phones, clearing, scrolling, strings, storage."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from widget_harness import DESKTOP, ORIGIN, PHONE, Widget, box_inside, boxes_overlap

SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


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
def test_a_reply_and_after_a_reload_the_latest_exchange_are_in_view(
    make_widget: Callable[..., Widget], size: dict[str, int]
) -> None:
    widget = make_widget(size)
    widget.open()
    for question in ("How does acupuncture work?", "other differences?", "Can I talk to a person?"):
        reply = widget.ask(question)
        # The question stays above its new reply, and the reply is read from its start.
        asked = widget.page.locator(".msg.user").last.bounding_box()
        view = widget.page.locator(".log").bounding_box()
        assert box_inside(asked, view)
        assert view["y"] < reply.bounding_box()["y"] < view["y"] + view["height"] / 2
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
