"""POST /api/feedback: a thumbs up or down on an answer, with an optional one-line comment."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from faqbot.engine import Engine
from faqbot.insights import MAX_COMMENT_CHARS, VOTES, Insights, Vote

from ..reloading import EngineHolder
from ..serving import BODY_SECONDS
from .chat import error_content
from .limits import BodyTooLarge, ClientGone, RateLimiter, read_body
from .settings import WebSettings

CHANNEL = "web"
_NO_STORE = {"cache-control": "no-store"}


class FeedbackError(Exception):
    """A request that cannot be recorded: its status, code and one-line message."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after

    def response(self) -> Response:
        """The API's JSON error shape."""
        content, raw = error_content(self.code, self.message, self.retry_after)
        headers = {name.decode(): value.decode() for name, value in raw}
        return JSONResponse(content, status_code=self.status, headers=headers)


def parse_feedback(body: bytes, max_question_chars: int) -> dict[str, Any]:
    """The vote's fields from a request body, checked; FeedbackError (422) says what is wrong."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise FeedbackError(422, "invalid_request", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise FeedbackError(422, "invalid_request", "The request must be a JSON object.")
    answer_id, vote = data.get("answer_id"), data.get("vote")
    if not isinstance(answer_id, str) or not answer_id or len(answer_id) > 200:
        raise FeedbackError(422, "invalid_request", 'The request needs the "answer_id" of the answer.')
    if vote not in VOTES:
        raise FeedbackError(422, "invalid_request", 'The "vote" must be "up" or "down".')
    comment, question, confidence = data.get("comment"), data.get("question"), data.get("confidence")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT_CHARS):
        raise FeedbackError(422, "invalid_request", f"Please keep the comment under {MAX_COMMENT_CHARS} characters.")
    if question is not None and (not isinstance(question, str) or len(question) > max_question_chars):
        raise FeedbackError(422, "invalid_request", f'The "question" must be a string of at most {max_question_chars}.')
    number = isinstance(confidence, int | float) and not isinstance(confidence, bool)
    if confidence is not None and not (number and 0 <= confidence <= 1):
        raise FeedbackError(422, "invalid_request", 'The "confidence" must be a number from 0 to 1.')
    return {"answer_id": answer_id, "vote": vote, "comment": comment, "question": question, "confidence": confidence}


class FeedbackEndpoint:
    """Votes on answers, rate limited per client like the chat (its own bucket, so votes never cost a question)."""

    def __init__(self, engine: Engine | EngineHolder, web: WebSettings, insights: Insights) -> None:
        self.holder = EngineHolder.of(engine)
        self.web = web
        self.insights = insights
        self.limiter = RateLimiter(web.rate_limit_per_minute)

    async def handle(self, request: Request) -> Response:
        """Record the vote, or answer with the reason it cannot be."""
        try:
            fields = await self._read(request)
        except FeedbackError as error:
            return error.response()
        except ClientGone:
            return Response(status_code=400)  # nobody is left to read it
        vote: Vote = fields["vote"]
        recorded = self.insights.vote(
            CHANNEL,
            fields["answer_id"],
            vote,
            confidence=fields["confidence"],
            comment=fields["comment"],
            question=fields["question"],
        )
        if recorded is None:
            return FeedbackError(503, "not_recorded", "The feedback could not be saved. Please try again.").response()
        return JSONResponse({"recorded": True}, headers=_NO_STORE)

    async def _read(self, request: Request) -> dict[str, Any]:
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise FeedbackError(415, "unsupported_media_type", "Send the feedback as application/json.")
        client = request.client
        wait = self.limiter.check(client.host if client else "-")
        if wait:
            message = "You're sending feedback quickly. Please wait a moment and try again."
            raise FeedbackError(429, "rate_limited", message, retry_after=int(wait))
        declared = request.headers.get("content-length", "").encode("latin-1")
        try:
            async with asyncio.timeout(BODY_SECONDS):
                body = await read_body(request.receive, declared, self.web.max_body_bytes)
        except BodyTooLarge:
            raise FeedbackError(413, "too_large", "That feedback is too long to send.") from None
        except TimeoutError:
            raise FeedbackError(408, "timeout", "The feedback took too long to arrive.") from None
        fields = parse_feedback(body, self.web.max_message_chars)
        if self.holder.engine.kb.pair(fields["answer_id"]) is None:
            raise FeedbackError(422, "unknown_answer", "There is no answer with that id.")
        return fields
