"""Thumbs up and down under answers in Slack, and every reply's outcome (issue 14), against the fake Slack."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fakeslack import BOT_USER_ID, FakeSlack
from slackhttp import SECRET, HTTPMode

from adapters.slack import render
from adapters.slack.bot import SlackBot, build_app, web_client
from adapters.slack.settings import SlackSettings
from faqbot.engine import Engine
from faqbot.insights import Insights
from faqbot.settings import InsightsSettings

Payload = Callable[[str], dict[str, Any]]
BOT_TOKEN = "xoxb-1234-5678-faqbot"


@pytest.fixture
def recorded(
    engine: Engine, fake_slack: FakeSlack, executors: list[ThreadPoolExecutor], tmp_path: Path
) -> Iterator[tuple[HTTPMode, Insights]]:
    """The app in HTTP mode with a bot that records into its own SQLite file (questions kept)."""
    insights = Insights.from_settings(InsightsSettings(tmp_path / "insights.sqlite3", keep_questions=True))
    executors.append(ThreadPoolExecutor(max_workers=4))
    bot = SlackBot(engine, SlackSettings(), insights=insights)
    app = build_app(bot, web_client(BOT_TOKEN, fake_slack.url), signing_secret=SECRET, executor=executors[-1])
    server = HTTPMode(app).start()
    yield server, insights
    server.stop()
    executors[-1].shutdown(wait=True)
    insights.close()


def vote_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = set(render.VOTE_ACTIONS.values())
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] in ids]


def test_an_answer_in_slack_has_thumbs_buttons_and_a_click_is_recorded_and_thanked(
    recorded: tuple[HTTPMode, Insights], fake_slack: FakeSlack, payload: Payload, engine: Engine
) -> None:
    server, insights = recorded
    mention = payload("app_mention")
    mention["event"]["text"] = f"<@{BOT_USER_ID}> does acupuncture hurt?"
    assert server.event(mention).status_code == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    up, down = vote_buttons(post.body["blocks"])
    assert (up["text"]["text"], down["text"]["text"]) == ("\U0001f44d Helpful", "\U0001f44e Not helpful")
    answer_id = json.loads(down["value"])["id"]
    assert engine.kb.pair(answer_id) is not None

    click = payload("block_actions")
    click["response_url"] = fake_slack.webhook_url
    click["actions"][0].update(action_id=down["action_id"], value=down["value"])
    assert server.interaction(click).status_code == 200
    [hook] = fake_slack.wait_for("webhook")
    assert (hook.body["response_type"], hook.body["text"]) == ("ephemeral", "Thanks for your feedback.")
    assert hook.body["replace_original"] is False
    line = hook.body["blocks"][1]
    assert (line["type"], line["element"]["action_id"], line["optional"]) == ("input", render.COMMENT_ACTION, True)
    (vote,) = insights.store.feedback()
    assert (vote.answer_id, vote.vote, vote.kind, vote.channel) == (answer_id, "down", "answer", "slack")
    assert vote.comment is None
    assert vote.question == "does acupuncture hurt?"  # questions are kept here, and a thumbs down keeps its own

    typed = payload("block_actions")
    typed["response_url"] = fake_slack.webhook_url
    typed["container"]["is_ephemeral"] = True
    typed["actions"] = [
        {
            "type": "plain_text_input",
            "action_id": render.COMMENT_ACTION,
            "block_id": line["block_id"],
            "value": "prices, I'm Jo Bloggs",
            "action_ts": "1700000600.000600",
        }
    ]
    typed["trigger_id"] = "another-trigger"
    assert server.interaction(typed).status_code == 200
    _, done = fake_slack.wait_for("webhook", 2)
    assert (done.body["text"], done.body["replace_original"]) == ("Thanks for your feedback.", True)
    (vote,) = insights.store.feedback()
    assert vote.comment == "prices, I'm [name]"
    assert vote.confidence == json.loads(down["value"])["confidence"]
    assert render.comment_feedback_id("faqbot_comment_x") is None
    (outcome,) = insights.store.outcomes()
    assert (outcome.channel, outcome.kind, outcome.answer_id, outcome.question) == ("slack", "answer", answer_id, None)


def test_a_decline_in_slack_is_recorded_with_its_scrubbed_question_and_has_no_thumbs(
    recorded: tuple[HTTPMode, Insights], fake_slack: FakeSlack, payload: Payload
) -> None:
    server, insights = recorded
    mention = payload("app_mention")
    mention["event"]["text"] = f"<@{BOT_USER_ID}> I'm Jo Bloggs, can I pay with bitcoin on the moon?"
    assert server.event(mention).status_code == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    assert vote_buttons(post.body["blocks"]) == []
    (outcome,) = insights.store.outcomes()
    assert (outcome.kind, outcome.question) == ("fallback", "I'm [name], can I pay with bitcoin on the moon?")


def test_a_vote_button_with_a_value_not_ours_is_acked_and_ignored(
    recorded: tuple[HTTPMode, Insights], fake_slack: FakeSlack, payload: Payload
) -> None:
    server, insights = recorded
    click = payload("block_actions")
    click["response_url"] = fake_slack.webhook_url
    click["actions"][0].update(action_id=render.VOTE_ACTIONS["up"], value="not json")
    assert server.interaction(click).status_code == 200
    assert insights.store.feedback() == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('{"id": "a/b", "confidence": 0.5}', ("a/b", 0.5, None)),
        ('{"id": "a/b", "confidence": 7, "question": "q"}', ("a/b", None, "q")),
        ('{"id": "a/b", "confidence": true, "question": 3}', ("a/b", None, None)),
        ('{"id": ""}', None),
        ("[]", None),
        ("{", None),
    ],
)
def test_vote_values_are_read_back_strictly(value: str, expected: tuple[str, float | None, str | None] | None) -> None:
    assert render.read_vote_value(value) == expected


def test_a_vote_value_always_fits_and_reads_back(engine: Engine) -> None:
    reply = engine.respond("does acupuncture hurt?", None)
    assert reply.answer is not None
    for question in ("short", "é" * 5000, '"\\' * 3000):
        value = render.vote_value(reply.answer, question)
        read = render.read_vote_value(value)
        assert len(value) <= render.BUTTON_VALUE_CHARS and read is not None and read.answer_id == reply.answer.id
    [message] = render.render_reply(reply)
    assert "question" not in json.dumps(message)  # without kept questions the buttons carry none
