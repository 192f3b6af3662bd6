"""The slack-bolt App: listeners for mentions, DMs, /faq and buttons, plus retry and duplicate suppression."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from faqbot.engine import Engine
from faqbot.insights import Insights, Vote
from faqbot.models import Reply

from ..reloading import EngineHolder
from ..store import MemoryStore, Store, StoreDown
from . import render
from .events import Place, is_from_person, place_of, place_of_click, question_of
from .logs import bolt_base_logger
from .settings import SlackSettings
from .store import Conversations

log = logging.getLogger(__name__)

COMMAND = "/faq"
CHANNEL = "slack"
SEEN_TTL_SECONDS = 3600.0  # Slack's last retry comes ~5 minutes after the first delivery
SEEN_MAX = 50_000
SEEN_PREFIX = "slack:seen:"


WEB_API_TIMEOUT_SECONDS = 10
# Waits of 0.5, 1 and 2 s (plus jitter) between attempts: a reply still arrives within seconds of a Slack blip.
RETRY_BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.5)


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """slack_sdk's server-error handler retries 500 and 503 only; a 502 or 504 from Slack's edge is as transient."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code <= 599


def web_client(token: str, api_url: str, timeout: float = WEB_API_TIMEOUT_SECONDS) -> WebClient:
    """A WebClient that retries rate limits (429 + Retry-After), Slack's 5xx, timeouts and dropped connections."""
    # A timed-out post may have reached Slack, so a retry can post twice; a lost reply is worse than a repeated one.
    connection_errors: list[type[Exception]] = [URLError, ConnectionResetError, RemoteDisconnected, TimeoutError]
    handlers = [
        ConnectionErrorRetryHandler(3, RETRY_BACKOFF, error_types=connection_errors),
        AnyServerErrorRetryHandler(max_retry_count=3, interval_calculator=RETRY_BACKOFF),
        RateLimitErrorRetryHandler(max_retry_count=3),
    ]
    return WebClient(token=token, base_url=api_url, retry_handlers=handlers, timeout=timeout)  # type: ignore[arg-type]


class SlackBot:
    """The adapter's behaviour, independent of how events arrive (Socket Mode or HTTP)."""

    def __init__(
        self,
        engine: Engine | EngineHolder,
        settings: SlackSettings,
        store: Store | None = None,
        insights: Insights | None = None,
    ) -> None:
        """`store` is shared with other processes (Redis); None keeps state and seen ids in this process.
        `insights` records each reply's outcome and the votes on answers."""
        self.holder = EngineHolder.of(engine)
        self.insights = insights
        self._states = store or MemoryStore(settings.state_max_conversations)
        self._ttl = settings.state_ttl_seconds
        self._conversations = Conversations(self.holder.engine, self._states, self._ttl)
        self._conversations_of = self.holder.engine
        self._swap = threading.Lock()
        self.seen = store or MemoryStore(SEEN_MAX)

    def first_time(self, key: str) -> bool:
        """True for the first sight of `key` anywhere the store is shared (an atomic add-if-absent).

        With the store down the event is handled anyway: a reply repeated by a rare retry is better than a lost one.
        """
        try:
            return self.seen.add(SEEN_PREFIX + key, SEEN_TTL_SECONDS)
        except StoreDown:
            log.info("could not check %s for a repeat; handling it", key.partition(":")[0])
            return True

    @property
    def engine(self) -> Engine:
        """The engine in service now (a listener takes it once and answers with it)."""
        return self.holder.engine

    @property
    def conversations(self) -> Conversations:
        """Conversation turns answered by the engine in service; the remembered states outlive a reload."""
        engine = self.holder.engine
        with self._swap:
            if self._conversations_of is not engine:
                # A turn already running on the old engine finishes there; its state is kept like any other.
                self._conversations = Conversations(engine, self._states, self._ttl)
                self._conversations_of = engine
            return self._conversations

    def skip_redeliveries(self, request: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:
        """Global middleware: ack an event, command or click already handled without running any listener.

        A retry (X-Slack-Retry-Num) of an event never seen here is answered: after a restart, or when the first
        delivery never arrived, it is the only copy. Replayed commands and clicks are recognised by trigger_id.
        """
        key = delivery_key(request.body) if isinstance(request.body, dict) else None
        if key is not None and not self.first_time(key):
            log.info("skipped a repeated delivery (%s)", key.partition(":")[0])
            return BoltResponse(status=200, body="")
        return next()

    def on_message(self, event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """app_mention anywhere, or a message in a DM: answer it once, in its thread or DM."""
        if event.get("type") == "message" and event.get("channel_type") != "im":
            return  # channel messages arrive as app_mention; answering both would reply twice
        if not is_from_person(event) or event.get("user") == context.bot_user_id:
            return
        # A mention inside a DM arrives as both app_mention and message.im: the first one wins.
        if not self.first_time(f"message:{event['channel']}:{event['ts']}"):
            return
        place = place_of(event)
        text = event.get("text")
        question = question_of(text if isinstance(text, str) else "", context.bot_user_id)
        reply, messages = self.answer(lambda: self.conversations.turn(place.key, question), question=question)
        log.info("answered %s (%s) in %s", event.get("type"), answer_of(reply), place.channel)
        self.post(client, place, messages)

    def on_command(self, ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """/faq question: ack at once, then show the answer only to the asker with a Share button."""
        ack()
        text = command.get("text")
        question = question_of(text if isinstance(text, str) else "", None)
        reply, messages = self.answer(
            lambda: self.engine.respond(question, None), share_value=question, question=question
        )
        log.info("answered %s (%s)", COMMAND, answer_of(reply))
        self.post_ephemeral(client, respond, command["channel_id"], command["user_id"], messages)

    def on_ask_click(self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """A clarify/suggestion button: ask its question in the same thread or DM."""
        ack()
        question = str(body["actions"][0].get("value") or "")
        user = str((body.get("user") or {}).get("id") or "")
        note = f"<@{user}> asked: _{render.escape(question)}_" if user else None
        place = place_of_click(body)
        if (body.get("container") or {}).get("is_ephemeral"):
            # Buttons under a /faq answer: stay private, as the question was.
            _, messages = self.answer(
                lambda: self.engine.respond(question, None), note=note, share_value=question, question=question
            )
            for message in messages:
                respond(**message, response_type="ephemeral", replace_original=False)
            return
        reply, messages = self.answer(
            lambda: self.conversations.turn(place.key, question), note=note, question=question
        )
        log.info("answered a button (%s) in %s", answer_of(reply), place.channel)
        self.post(client, place, messages)

    def on_more_click(self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """ "Read the whole section": post the section the answer came from in the same thread, DM or ephemeral view;
        the conversation itself does not move."""
        ack()
        pair_id = str(body["actions"][0].get("value") or "")
        reply, messages = self.answer(lambda: self.engine.whole_section(pair_id) or self._gone())
        if (body.get("container") or {}).get("is_ephemeral"):
            for message in messages:
                respond(**message, response_type="ephemeral", replace_original=False)
        else:
            self.post(client, place_of_click(body), messages)
        log.info("showed a whole section (%s)", answer_of(reply))

    def on_vote_click(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """A thumbs button under an answer: record the vote and thank the person who clicked, only them."""
        ack()
        action = body["actions"][0]
        vote: Vote = "up" if action.get("action_id") == render.VOTE_ACTIONS["up"] else "down"
        read = render.read_vote_value(str(action.get("value") or ""))
        if read is None or self.insights is None:
            log.info("ignored a vote that cannot be recorded")
            return
        answer_id, confidence, question = read
        recorded = self.insights.vote(CHANNEL, answer_id, vote, confidence=confidence, question=question)
        if recorded is not None:
            # After a thumbs down, the thanks carries the optional "what were you looking for?" line.
            thanks = render.comment_prompt(recorded) if vote == "down" else {"text": render.THANKS}
            respond(**thanks, response_type="ephemeral", replace_original=False)
        log.info("recorded a %s vote (%s)", vote, answer_id if recorded is not None else "lost")

    def on_comment(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """The line typed under the thanks for a thumbs down: add it to that vote, then leave only the thanks."""
        ack()
        action = body["actions"][0]
        feedback_id = render.comment_feedback_id(str(action.get("block_id") or ""))
        line = str(action.get("value") or "")
        added = feedback_id is not None and self.insights is not None and self.insights.comment(feedback_id, line)
        respond(text=render.THANKS, response_type="ephemeral", replace_original=True)
        log.info("a comment on a vote was %s", "recorded" if added else "not recorded")

    def _gone(self) -> Reply:
        # A button on an old message whose section the corpus no longer has: say so politely, with a safety note.
        return self.engine.respond("help", None)

    def on_share_click(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """The Share button under a /faq answer: post the same answer visibly in the channel."""
        ack()
        question = str(body["actions"][0].get("value") or "")
        user = str((body.get("user") or {}).get("id") or "")
        note = f"<@{user}> shared an answer to _{render.escape(question)}_"
        reply, messages = self.answer(lambda: self.engine.respond(question, None), note=note)
        # An apology is for the person who clicked, not the channel.
        visibility = "in_channel" if reply is not None else "ephemeral"
        for message in messages:
            respond(**message, response_type=visibility, replace_original=False)
        log.info("shared a /faq answer (%s)", answer_of(reply))

    def answer(
        self,
        ask: Callable[[], Reply],
        *,
        note: str | None = None,
        share_value: str | None = None,
        question: str | None = None,
    ) -> tuple[Reply | None, list[render.Message]]:
        """The reply and its messages; if answering fails, an apology that still names the emergency number,
        because the person asking may be waiting on it. The Share button is offered under answers only.
        With `question`, the reply's outcome is recorded (a section shown again or shared is not a new one)."""
        try:
            reply = ask()
            if question is not None and self.insights is not None:
                self.insights.outcome(reply, CHANNEL, question)
            share = share_value if reply.kind == "answer" else None
            kept = self.insights is not None and self.insights.settings.keep_questions
            # Only a clinic that keeps questions gets them back with a thumbs down, so only then do buttons carry them.
            keep = question if kept and reply.kind == "answer" else None
            return reply, render.render_reply(reply, note=note, share_value=share, vote_question=keep)
        except Exception:
            log.exception("answering failed")
            return None, render.render_failure(self.engine.settings.emergency_number)

    def post(self, client: WebClient, place: Place, messages: list[render.Message]) -> None:
        """Post messages in order; a Slack error is logged (by code, never with text) rather than raised.

        When Slack stays down or broken past the client's retries, one short apology naming the emergency number
        is tried, so the person asking is not left waiting in silence.
        """
        for message in messages:
            try:
                client.chat_postMessage(channel=place.channel, thread_ts=place.thread_ts, unfurl_links=False, **message)
            except SlackApiError as error:
                status = error.response.status_code
                code = error.response.get("error")
                log.warning("chat.postMessage failed in %s: %s (HTTP %s)", place.channel, code, status)
                if status >= 500:
                    self.apologise(client, place)
                return
            except (SlackClientError, OSError) as error:
                log.warning("chat.postMessage failed in %s: %s", place.channel, type(error).__name__)
                self.apologise(client, place)
                return

    def apologise(self, client: WebClient, place: Place) -> None:
        """Post the short apology once; if that fails too, only log it."""
        for message in render.render_failure(self.engine.settings.emergency_number):
            try:
                client.chat_postMessage(channel=place.channel, thread_ts=place.thread_ts, unfurl_links=False, **message)
            except (SlackClientError, OSError) as error:
                log.warning("the apology could not be posted in %s either: %s", place.channel, type(error).__name__)
                return
        log.info("posted an apology for an undelivered reply in %s", place.channel)

    def post_ephemeral(
        self, client: WebClient, respond: Respond, channel: str, user: str, messages: list[render.Message]
    ) -> None:
        """Post only to `user`; where the bot may not post (not in channel, no scope) use the response_url."""
        for message in messages:
            try:
                client.chat_postEphemeral(channel=channel, user=user, **message)
            except SlackApiError as error:
                log.info("chat.postEphemeral failed (%s); using response_url", error.response.get("error"))
                respond(**message, response_type="ephemeral")


def build_app(
    bot: SlackBot,
    client: WebClient,
    *,
    signing_secret: str | None,
    verify_token: bool = True,
    executor: Executor | None = None,
) -> App:
    """The bolt App with every listener registered; signing_secret None means Socket Mode."""
    app = App(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,
        token_verification_enabled=verify_token,
        # Events are acked before the listener runs; answering takes a few ms plus one Web API call.
        listener_executor=executor or ThreadPoolExecutor(max_workers=16, thread_name_prefix="faqbot-slack"),
        logger=bolt_base_logger(),
    )
    app.use(bot.skip_redeliveries)
    app.event("app_mention")(bot.on_message)
    # Registered once for every message subtype so unhandled messages are acked (bolt 404s them otherwise).
    app.event("message")(bot.on_message)
    app.command(COMMAND)(bot.on_command)
    app.action(re.compile(rf"^{render.ASK_ACTION}_\d+$"))(bot.on_ask_click)
    app.action(render.SHARE_ACTION)(bot.on_share_click)
    app.action(render.MORE_ACTION)(bot.on_more_click)
    app.action(re.compile(rf"^({'|'.join(render.VOTE_ACTIONS.values())})$"))(bot.on_vote_click)
    app.action(render.COMMENT_ACTION)(bot.on_comment)
    # The booking button opens its link in the browser; Slack still sends the click, which must be acked.
    app.action(render.BOOK_ACTION)(lambda ack: ack())
    return app


def delivery_key(body: dict[str, Any]) -> str | None:
    """What makes a delivery a repeat: an event's event_id; a command's or click's trigger_id (one per use)."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("trigger_id") and (body.get("command") or body.get("type") == "block_actions"):
        return f"{'command' if body.get('command') else 'click'}:{body['trigger_id']}"
    return None


def answer_of(reply: Reply | None) -> str:
    """A short description of a reply for logs: its kind and answer id, never its text."""
    if reply is None:
        return "failed"
    return f"{reply.kind}:{reply.answer.id}" if reply.answer else reply.kind
