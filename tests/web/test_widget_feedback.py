"""Thumbs up and down under answers in the widget (issue 14 item 1), in Chromium against recorded replies."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from widget_harness import DESKTOP, PHONE, Widget, payload

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
QUESTION = "How does acupuncture work?"


def wait_for_votes(widget: Widget, count: int) -> None:
    for _ in range(100):
        if len(widget.clinic.votes) >= count:
            return
        widget.page.wait_for_timeout(50)
    raise AssertionError(f"{len(widget.clinic.votes)} vote(s) arrived, expected {count}")


def test_a_thumbs_up_is_sent_once_shown_pressed_and_kept_after_a_reload(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget(DESKTOP)
    widget.open()
    reply = widget.ask(QUESTION)
    up = reply.get_by_role("button", name="Helpful", exact=True)
    down = reply.get_by_role("button", name="Not helpful")
    assert up.get_attribute("aria-pressed") == down.get_attribute("aria-pressed") == "false"
    up.click()
    assert up.get_attribute("aria-pressed") == "true"
    assert reply.get_by_role("group", name="Was this answer helpful?").inner_text().startswith("Thanks")
    assert up.get_attribute("aria-disabled") == down.get_attribute("aria-disabled") == "true"
    down.dispatch_event("click")  # one vote per answer: a second press changes nothing
    wait_for_votes(widget, 1)
    answer = payload("answer_truncated_list")["answer"]
    assert widget.clinic.votes == [{"answer_id": answer["id"], "vote": "up", "confidence": answer["confidence"]}]
    widget.page.reload()
    kept = widget.page.locator(".msg.bot").last.get_by_role("button", name="Helpful", exact=True)
    assert kept.get_attribute("aria-pressed") == "true" and kept.get_attribute("aria-disabled") == "true"
    assert len(widget.clinic.votes) == 1
    assert widget.page.evaluate("window.__csp") == []


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_thumbs_down_by_keyboard_offers_one_optional_line_sent_with_the_vote(
    make_widget: Callable[..., Widget], size: dict[str, int]
) -> None:
    widget = make_widget(size)
    widget.open()
    reply = widget.ask(QUESTION)
    reply.get_by_role("button", name="Not helpful").focus()
    widget.page.keyboard.press("Enter")
    line = reply.get_by_label("What were you looking for? (optional)")
    assert widget.focus() == line.evaluate("e => e.id")
    assert widget.clinic.votes == []  # the vote waits for its comment
    widget.page.keyboard.type("prices for a first visit")
    widget.page.keyboard.press("Enter")
    wait_for_votes(widget, 1)
    vote = widget.clinic.votes[0]
    assert (vote["vote"], vote["comment"], vote["question"]) == ("down", "prices for a first visit", QUESTION)
    assert line.count() == 0
    assert reply.get_by_role("button", name="Not helpful").get_attribute("aria-pressed") == "true"


def test_a_thumbs_down_left_without_a_comment_is_sent_when_the_next_question_is(
    make_widget: Callable[..., Widget],
) -> None:
    widget = make_widget(DESKTOP)
    widget.open()
    widget.ask(QUESTION).get_by_role("button", name="Not helpful").click()
    widget.ask("other differences?")
    wait_for_votes(widget, 1)
    assert "comment" not in widget.clinic.votes[0]
    assert widget.clinic.votes[0]["vote"] == "down"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_buttons_and_the_comment_line(
    make_widget: Callable[..., Widget], scheme: str
) -> None:
    widget = make_widget(DESKTOP, color_scheme=scheme, bypass_csp=True)
    widget.open()
    widget.ask(QUESTION).get_by_role("button", name="Helpful", exact=True).click()
    widget.ask("other differences?").get_by_role("button", name="Not helpful").click()
    results = Axe().run(widget.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]
    assert violations == []


def test_only_answers_get_the_buttons(make_widget: Callable[..., Widget]) -> None:
    widget = make_widget(DESKTOP)
    widget.open()
    for question in ("Can I talk to a person?", "do you take walk ins", "my chest hurts and I feel sweaty"):
        assert widget.ask(question).locator(".vote").count() == 0
