"""Reading Slack payloads: who wrote it, what was asked, where the reply goes and whose state it continues."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adapters.slack.events import Place, is_from_person, place_of, place_of_click, question_of

Payload = Callable[[str], dict[str, Any]]


def test_question_strips_the_bots_mention_links_and_entities() -> None:
    text = "<@UBOT>  is it safe with <https://example.org/a|this leaflet> &amp; <@U2>? &lt;3"
    assert question_of(text, "UBOT") == "is it safe with this leaflet & ? <3"
    assert question_of("<@UBOT|faqbot> hi <https://example.org>", "UBOT") == "hi https://example.org"


def test_people_are_answered_bots_and_subtypes_are_not(payload: Payload) -> None:
    assert is_from_person(payload("message_im")["event"])
    assert is_from_person(payload("app_mention")["event"])
    assert not is_from_person(payload("message_changed")["event"])
    assert not is_from_person(payload("bot_message")["event"])
    deleted = {**payload("message_im")["event"], "subtype": "message_deleted"}
    assert not is_from_person(deleted)
    from_app = {**payload("message_im")["event"], "bot_id": "B9"}
    assert not is_from_person(from_app)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"channel": "C1", "ts": "1.1"}, Place("C1", "1.1", "thread:C1:1.1")),
        ({"channel": "C1", "ts": "2.2", "thread_ts": "1.1"}, Place("C1", "1.1", "thread:C1:1.1")),
        ({"channel": "D1", "ts": "2.2", "channel_type": "im"}, Place("D1", None, "dm:D1")),
        ({"channel": "D1", "ts": "3.3"}, Place("D1", None, "dm:D1")),  # app_mention in a DM has no channel_type
        ({"channel": "D1", "ts": "3.3", "thread_ts": "1.1"}, Place("D1", "1.1", "dm:D1")),
    ],
)
def test_place_of_an_event(event: dict[str, Any], expected: Place) -> None:
    assert place_of(event) == expected


def test_place_of_a_click_is_the_thread_of_the_message_holding_the_button(payload: Payload) -> None:
    click = payload("block_actions")
    assert place_of_click(click) == Place("C0FRONTDESK", "1700000100.000100", "thread:C0FRONTDESK:1700000100.000100")
    del click["message"]["thread_ts"]  # a top-level bot message (e.g. a shared answer) starts a thread
    assert place_of_click(click).thread_ts == "1700000000.000001"
    click["container"]["channel_id"] = "D0THERAPIST"
    assert place_of_click(click) == Place("D0THERAPIST", None, "dm:D0THERAPIST")
