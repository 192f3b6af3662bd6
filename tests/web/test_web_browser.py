"""The widget in a real browser (Debian's Chromium via Playwright) against a live server."""

from __future__ import annotations

import gzip
import re
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

XSS = '<img src=x onerror="window.__xss=1">'
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RECORD_CSP = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
    "window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def new_context(browser: Any, **options: Any) -> Any:
    """A browser context whose waits fail after 5 s instead of Playwright's 30 s."""
    context = browser.new_context(**options)
    context.set_default_timeout(5000)
    return context


@pytest.fixture
def page(browser: Any, live_url: str) -> Iterator[Any]:
    """A fresh browser context (so fresh sessionStorage) on the demo page."""
    context = new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(RECORD_CSP)
    page.goto(live_url + "/")
    yield page
    context.close()


def shadow_focus(page: Any) -> str:
    """Id or class of the element focused inside the widget's shadow root ('' when outside)."""
    script = """() => {
        const active = document.querySelector('[data-faqbot]').shadowRoot.activeElement;
        return active ? (active.id || active.className) : '';
    }"""
    return str(page.evaluate(script))


def open_widget(page: Any) -> None:
    page.get_by_role("button", name="Ask a question").click()
    page.get_by_role("dialog", name="Riverside Acupuncture & Physio").wait_for()


def ask(page: Any, text: str) -> Any:
    """Type and send a question; returns the locator of the bot reply that answers it."""
    replies = page.locator(".msg.bot")
    before = replies.count()
    page.get_by_label("Your question").fill(text)
    page.keyboard.press("Enter")
    replies.nth(before).wait_for()
    return replies.nth(before)


def test_ask_see_answer_with_source_and_disclaimers_then_click_a_suggestion(page: Any) -> None:
    open_widget(page)
    page.locator(".chip").first.wait_for()
    reply = ask(page, "What is acupuncture?")
    source = reply.locator(".source").inner_text()
    assert re.fullmatch(r"Source: .+ › .+ \(.+, (reviewed|published) \d{4}-\d{2}-\d{2}\)", source), source
    assert reply.locator(".note").inner_text().startswith("Please note")
    chip = reply.locator(".chip").first
    question = chip.inner_text()
    chip.click()
    page.locator(".msg.bot").nth(2).wait_for()
    assert page.locator(".msg.user").nth(1).inner_text().endswith(question)
    assert shadow_focus(page) == "faqbot-input"
    assert page.evaluate("window.__csp") == []


def test_keyboard_only_conversation(page: Any) -> None:
    for _ in range(12):
        page.keyboard.press("Tab")
        if shadow_focus(page) == "launcher":
            break
    assert shadow_focus(page) == "launcher"
    launcher = page.locator(".launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert launcher.get_attribute("aria-expanded") == "true"
    assert shadow_focus(page) == "faqbot-input"
    page.keyboard.type("does acupuncture hurt")
    page.keyboard.press("Enter")
    page.locator(".msg.bot").nth(1).wait_for()
    assert shadow_focus(page) == "faqbot-input"  # focus never jumps when a message arrives
    page.keyboard.press("Escape")
    assert page.locator(".panel").is_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"
    assert shadow_focus(page) == "launcher"


def test_conversation_survives_navigation_and_can_be_cleared(page: Any, browser: Any, live_url: str) -> None:
    open_widget(page)
    ask(page, "What is dry needling?")
    page.reload()
    assert page.locator(".msg.user").inner_text().endswith("What is dry needling?")
    assert page.locator(".panel").is_visible()
    follow = ask(page, "does it hurt")
    assert follow.is_visible()
    other = new_context(browser)
    try:
        fresh = other.new_page()
        fresh.goto(live_url + "/")
        fresh.get_by_role("button", name="Ask a question").click()
        assert fresh.locator(".msg.user").count() == 0
    finally:
        other.close()
    page.get_by_role("button", name="Clear conversation").click()
    page.get_by_role("button", name="Clear", exact=True).click()  # it asks first
    assert page.locator(".msg.user").count() == 0
    page.reload()
    assert page.locator(".msg.user").count() == 0


def test_xss_payload_is_shown_as_text(page: Any) -> None:
    open_widget(page)
    ask(page, XSS)
    assert page.locator(".msg.user").inner_text().endswith(XSS)
    assert page.locator("[data-faqbot] .log img").count() == 0
    page.wait_for_timeout(100)
    assert page.evaluate("window.__xss") is None


def test_phone_viewport_is_full_screen_with_a_16px_input(browser: Any, live_url: str) -> None:
    context = new_context(browser, viewport={"width": 375, "height": 667}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(live_url + "/")
        open_widget(page)
        box = page.locator(".panel").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 375, "height": 667}
        size = page.locator("#faqbot-input").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16
        reply = ask(page, "What is acupuncture?")
        assert reply.is_visible()
    finally:
        context.close()


def test_demo_page_has_no_csp_violations_under_its_strict_policy(page: Any) -> None:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.reload()
    open_widget(page)
    ask(page, "I have chest pain")
    assert page.locator(".urgent").is_visible()
    assert page.evaluate("window.__csp") == []
    assert not [m for m in messages if "Content Security Policy" in m]


def _axe_violations(page: Any) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in violations]


def test_axe_finds_no_wcag_violations_in_the_opened_widget(browser: Any, live_url: str) -> None:
    context = new_context(browser, bypass_csp=True)  # axe is injected as a script, which the demo CSP forbids
    try:
        page = context.new_page()
        page.goto(live_url + "/")
        open_widget(page)
        ask(page, "What is acupuncture?")
        ask(page, "chest pain")
        assert _axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("color", ["#ffe066", "#0000ff", "#777777"])
def test_cross_origin_embed_keeps_contrast_for_any_brand_colour(browser: Any, clinic_url: str, color: str) -> None:
    context = new_context(browser, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{clinic_url}/?color={quote(color)}")
        page.get_by_role("button", name="Ask a question").click()
        reply = ask(page, "What is acupuncture?")
        assert reply.locator(".source").is_visible()  # the API answered across origins (CORS allowed)
        background = page.locator(".launcher").evaluate("e => getComputedStyle(e).backgroundColor")
        assert background == "rgb({}, {}, {})".format(*(int(color[i : i + 2], 16) for i in (1, 3, 5)))
        assert _axe_violations(page) == []
    finally:
        context.close()


def test_typing_indicator_then_a_polite_rate_limit_message(page: Any) -> None:
    held: list[Any] = []
    page.route("**/api/chat", lambda route: held.append(route))  # held, so the pending state can be seen
    open_widget(page)
    page.get_by_label("Your question").fill("What is acupuncture?")
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    status.get_by_text("The assistant is typing").wait_for()
    assert len(held) == 1
    error = {"error": {"code": "rate_limited", "message": "slow down"}, "retry_after": 7}
    held[0].fulfill(status=429, json=error, headers={"Retry-After": "7"})
    alert = page.get_by_role("alert")
    alert.get_by_text("Please wait 7 seconds").wait_for()
    assert status.inner_text() == ""
    assert page.locator(".msg.bot").count() == 1  # only the greeting: no reply was invented
    assert shadow_focus(page) == "faqbot-input"
    # The unanswered message says so, and its text is back in the box to send again.
    assert page.locator(".msg.user .failed").inner_text() == "Not sent"
    assert page.get_by_label("Your question").input_value() == "What is acupuncture?"


def next_request(page: Any, held: list[Any]) -> Any:
    """The next request held by a route handler, once Playwright has delivered it."""
    for _ in range(100):
        if held:
            return held.pop(0)
        page.wait_for_timeout(50)
    raise AssertionError("no request reached the route")


def test_a_failed_send_gives_the_text_back_unless_something_new_was_typed(page: Any) -> None:
    held: list[Any] = []
    page.route("**/api/chat", lambda route: held.append(route))
    open_widget(page)
    box = page.get_by_label("Your question")
    alert = page.get_by_role("alert")
    box.fill("Does dry needling hurt?")
    page.keyboard.press("Enter")
    next_request(page, held).fulfill(status=429, json={"retry_after": 1}, headers={"Retry-After": "1"})
    alert.get_by_text("Sorry, too many messages at once. Please wait 1 second and try again.", exact=True).wait_for()
    assert box.input_value() == "Does dry needling hurt?"
    page.keyboard.press("Enter")  # resend it as it is
    request = next_request(page, held)
    box.fill("How long is a session?")  # typed while waiting: a failure must not overwrite it
    request.abort()
    alert.get_by_text("could not be sent").wait_for()
    assert box.input_value() == "How long is a session?"
    assert page.locator(".msg.user .failed").count() == 2
    assert shadow_focus(page) == "faqbot-input"
    page.reload()  # the transcript remembers which messages were not sent
    assert page.locator(".msg.user .failed").count() == 2
    assert page.evaluate("window.__csp") == []


def test_widget_script_is_small_and_builds_no_html_from_strings(live_url: str) -> None:
    with urllib.request.urlopen(live_url + "/widget.js") as response:
        source = response.read()
    assert len(gzip.compress(source)) < 20_000
    for forbidden in (b"innerHTML", b"outerHTML", b"insertAdjacentHTML", b"eval(", b"new Function", b"document.write"):
        assert forbidden not in source
