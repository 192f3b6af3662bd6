"""HTTP mode end to end: real signed requests through uvicorn, replies recorded by the fake Slack Web API."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from fakeslack import BOT_ID, BOT_USER_ID, Call, FakeSlack
from slackhttp import HTTPMode, signature_headers

from adapters.slack import render
from faqbot.engine import Engine

Payload = Callable[[str], dict[str, Any]]
FOLLOW_UPS = ("does it hurt?", "what does it treat?", "is it safe?", "what are the risks?", "how long does it take?")


def mention(payload: Payload, text: str, ts: str, thread_ts: str | None = None, event_id: str = "") -> dict[str, Any]:
    body = payload("app_mention")
    body["event"].update(text=f"<@{BOT_USER_ID}> {text}", ts=ts, event_ts=ts)
    if thread_ts:
        body["event"]["thread_ts"] = thread_ts
    body["event_id"] = event_id or f"Ev{ts.replace('.', '')}"
    return body


def assert_disclaimed(call: Call) -> None:
    """Every message has a plain text fallback and a context block quoting a safety statement."""
    assert call.body["text"].strip()
    contexts = [b for b in call.body["blocks"] if b["type"] == "context"]
    notes = [e["text"] for b in contexts for e in b["elements"] if e["text"].startswith("*Please note:*")]
    assert notes, call.body["blocks"]
    assert "Please note:" in call.body["text"]


def test_mention_is_answered_in_its_thread(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, engine: Engine
) -> None:
    response = http_mode.event(payload("app_mention"))
    assert response.status_code == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "C0FRONTDESK"
    assert post.body["thread_ts"] == "1700000100.000100"
    assert post.body["text"] == render.escape(engine.respond("does acupuncture hurt?", None).text)
    assert post.headers["authorization"] == "Bearer xoxb-1234-5678-faqbot"
    assert_disclaimed(post)


def test_thread_follow_up_continues_the_conversation(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, engine: Engine
) -> None:
    first = "what is dry needling?"
    # A follow-up whose answer depends on context (the engine is the oracle, so this survives corpus changes).
    context = engine.respond(first, None).state
    follow_up = next((q for q in FOLLOW_UPS if engine.respond(q, context).text != engine.respond(q, None).text), None)
    assert follow_up is not None, "no follow-up question depends on context any more: pick new FOLLOW_UPS"
    http_mode.event(mention(payload, first, "1700000001.000001"))
    fake_slack.wait_for("chat.postMessage", 1)
    http_mode.event(mention(payload, follow_up, "1700000002.000002", thread_ts="1700000001.000001"))
    in_thread = fake_slack.wait_for("chat.postMessage", 2)[1]
    http_mode.event(mention(payload, follow_up, "1700000003.000003"))
    fresh = fake_slack.wait_for("chat.postMessage", 3)[2]
    assert in_thread.body["thread_ts"] == "1700000001.000001"
    assert fresh.body["thread_ts"] == "1700000003.000003"
    assert in_thread.body["text"] == render.escape(engine.respond(follow_up, context).text)
    assert fresh.body["text"] == render.escape(engine.respond(follow_up, None).text)


def test_direct_message_is_answered_in_the_dm_and_reset_starts_over(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload
) -> None:
    http_mode.event(payload("message_im"))
    [post] = fake_slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "D0THERAPIST"
    assert "thread_ts" not in post.body
    assert_disclaimed(post)
    reset = payload("message_im")
    reset["event"].update(text="reset", ts="1700000201.000201")
    reset["event_id"] = "Ev0DM000002"
    http_mode.event(reset)
    second = fake_slack.wait_for("chat.postMessage", 2)[1]
    assert "start over" in second.body["text"]


def test_mention_in_a_dm_is_answered_once(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, drain: Callable[[], None]
) -> None:
    dm = payload("message_im")
    as_mention = payload("app_mention")
    as_mention["event"].update(channel="D0THERAPIST", ts=dm["event"]["ts"], text=f"<@{BOT_USER_ID}> hi")
    assert http_mode.event(dm).status_code == 200
    assert http_mode.event(as_mention).status_code == 200
    fake_slack.wait_for("chat.postMessage")
    drain()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_bots_edits_and_own_messages_are_ignored(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, drain: Callable[[], None]
) -> None:
    own = payload("message_im")
    own["event"].update(user=BOT_USER_ID, bot_id=BOT_ID, ts="1700000900.000900")
    own["event_id"] = "Ev0OWN000001"
    for body in (payload("message_changed"), payload("bot_message"), own):
        assert http_mode.event(body).status_code == 200
    drain()
    assert fake_slack.calls_to("chat.postMessage") == []


def test_redelivered_event_ids_never_reply_twice(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, drain: Callable[[], None]
) -> None:
    body = payload("app_mention")
    assert http_mode.event(body).status_code == 200
    assert http_mode.event(body).status_code == 200  # the same event_id redelivered
    assert http_mode.event(body, X_Slack_Retry_Num="1", X_Slack_Retry_Reason="http_timeout").status_code == 200
    drain()
    [post] = fake_slack.calls_to("chat.postMessage")
    assert post.body["thread_ts"] == "1700000100.000100"


def test_a_retry_of_an_event_never_seen_is_answered(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, drain: Callable[[], None]
) -> None:
    # After a restart, or when the first delivery was lost, Slack's retry is the only copy of the question.
    retried = mention(payload, "does acupuncture hurt?", "1700000700.000700")
    response = http_mode.event(retried, X_Slack_Retry_Num="2", X_Slack_Retry_Reason="http_timeout")
    assert response.status_code == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1700000700.000700"
    assert http_mode.event(retried, X_Slack_Retry_Num="3", X_Slack_Retry_Reason="http_timeout").status_code == 200
    drain()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_bad_signature_and_stale_timestamp_get_401(http_mode: HTTPMode, payload: Payload) -> None:
    body = json.dumps(payload("app_mention")).encode()
    forged = signature_headers(body, secret="not-the-secret")
    stale = signature_headers(body, timestamp=int(time.time()) - 301)
    for headers in (forged, stale):
        response = http_mode.post(body, "application/json", **headers)
        assert response.status_code == 401


def test_url_verification_echoes_the_challenge(http_mode: HTTPMode, payload: Payload) -> None:
    body = payload("url_verification")
    response = http_mode.event(body)
    assert response.status_code == 200
    assert response.json() == {"challenge": body["challenge"]}


def test_slash_command_is_acked_and_answered_privately(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload
) -> None:
    fields = payload("slash_command")
    fields["response_url"] = fake_slack.webhook_url
    started = time.monotonic()
    response = http_mode.form(fields)
    assert response.status_code == 200
    assert time.monotonic() - started < 3  # Slack's deadline for the ack
    [post] = fake_slack.wait_for("chat.postEphemeral")
    assert (post.body["channel"], post.body["user"]) == ("C0FRONTDESK", "U0FRONTDESK")
    assert_disclaimed(post)
    buttons = [e for b in post.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert any(b["action_id"] == "faqbot_share" and b["value"] == "does acupuncture hurt?" for b in buttons)


def test_slash_command_uses_response_url_when_bot_cannot_post(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload
) -> None:
    fake_slack.fail_next("chat.postEphemeral", "not_in_channel")
    fields = payload("slash_command")
    fields["response_url"] = fake_slack.webhook_url
    assert http_mode.form(fields).status_code == 200
    [hook] = fake_slack.wait_for("webhook")
    assert hook.body["response_type"] == "ephemeral"
    assert_disclaimed(hook)


def test_button_click_asks_its_question_in_the_same_thread(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload
) -> None:
    click = payload("block_actions")
    click["response_url"] = fake_slack.webhook_url
    assert http_mode.interaction(click).status_code == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    assert (post.body["channel"], post.body["thread_ts"]) == ("C0FRONTDESK", "1700000100.000100")
    assert post.body["blocks"][0]["elements"][0]["text"].startswith("<@U0FRONTDESK> asked:")
    assert_disclaimed(post)


def test_share_button_posts_the_answer_in_the_channel(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload
) -> None:
    click = payload("block_actions")
    click["response_url"] = fake_slack.webhook_url
    click["container"]["is_ephemeral"] = True
    click["actions"][0].update(action_id="faqbot_share", value="does acupuncture hurt?")
    assert http_mode.interaction(click).status_code == 200
    [hook] = fake_slack.wait_for("webhook")
    assert hook.body["response_type"] == "in_channel"
    assert "shared an answer" in hook.body["blocks"][0]["elements"][0]["text"]
    assert_disclaimed(hook)


def test_rate_limited_post_is_retried_not_dropped(http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload) -> None:
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    http_mode.event(payload("app_mention"))
    first, second = fake_slack.wait_for("chat.postMessage", 2, timeout=15)
    assert first.body == second.body
    assert_disclaimed(second)


def test_missing_scope_is_logged_not_raised(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, drain: Callable[[], None], caplog: Any
) -> None:
    fake_slack.fail_next("chat.postMessage", "missing_scope")
    assert http_mode.event(payload("app_mention")).status_code == 200
    fake_slack.wait_for("chat.postMessage")
    drain()
    assert "missing_scope" in caplog.text
    assert "hurt" not in caplog.text  # no message text in logs


def test_an_engine_failure_gets_an_apology_with_the_emergency_number(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, engine: Engine, monkeypatch: Any
) -> None:
    def fail(text: str, state: object = None) -> None:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(engine, "respond", fail)
    assert http_mode.event(payload("app_mention")).status_code == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    assert "something went wrong" in post.body["text"]
    assert engine.settings.emergency_number in post.body["text"]
    assert post.body["thread_ts"] == "1700000100.000100"


def test_read_the_whole_section_posts_it_in_the_same_thread(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload, engine: Engine
) -> None:
    short = engine.respond("can acupuncture be dangerous?", None)
    assert short.answer is not None and short.answer.truncated
    click = payload("block_actions")
    click["response_url"] = fake_slack.webhook_url
    click["actions"][0].update(action_id=render.MORE_ACTION, value=short.answer.id)
    assert http_mode.interaction(click).status_code == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    assert (post.body["channel"], post.body["thread_ts"]) == ("C0FRONTDESK", "1700000100.000100")
    shown = " ".join(b["text"]["text"] for b in post.body["blocks"] if b["type"] == "section")
    for block in short.answer.full_blocks:
        assert render.escape(block.plain().split("\n")[0].removeprefix("\u2022 ")) in shown
    assert render.MORE_ACTION not in json.dumps(post.body["blocks"])
    assert_disclaimed(post)


def test_read_the_whole_section_of_an_unknown_section_is_answered_politely(
    http_mode: HTTPMode, fake_slack: FakeSlack, payload: Payload
) -> None:
    click = payload("block_actions")
    click["response_url"] = fake_slack.webhook_url
    click["actions"][0].update(action_id=render.MORE_ACTION, value="no/such-section")
    assert http_mode.interaction(click).status_code == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    assert "went wrong" not in post.body["text"]
    assert_disclaimed(post)
