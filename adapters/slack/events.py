"""Pure helpers that read Slack payloads: the question, where to reply, which conversation it continues."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Subtypes that are a person writing; edits, deletions, joins and bot posts all carry other subtypes.
_PERSON_SUBTYPES = (None, "file_share")
_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


@dataclass(frozen=True)
class Place:
    """Where a reply goes and which conversation state it continues."""

    channel: str
    thread_ts: str | None
    key: str


def is_from_person(event: Mapping[str, Any]) -> bool:
    """True for a plain message by a person: not a bot, not an edit, deletion or other subtype."""
    return (
        event.get("subtype") in _PERSON_SUBTYPES
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and bool(event.get("user"))
        and bool(event.get("channel"))
        and bool(event.get("ts"))
    )


def is_direct(channel: str, channel_type: str | None = None) -> bool:
    """True when the conversation is a direct message with the bot."""
    return channel_type == "im" or channel.startswith("D")


def place_of(event: Mapping[str, Any]) -> Place:
    """Where to answer a message event: in its thread in channels; in the DM itself (one state per DM)."""
    channel = str(event["channel"])
    if is_direct(channel, event.get("channel_type")):
        return Place(channel, event.get("thread_ts"), f"dm:{channel}")
    thread = str(event.get("thread_ts") or event["ts"])
    return Place(channel, thread, f"thread:{channel}:{thread}")


def place_of_click(body: Mapping[str, Any]) -> Place:
    """Where a button's answer goes: the thread (or DM) of the message holding the button."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    if is_direct(channel):
        return Place(channel, message.get("thread_ts"), f"dm:{channel}")
    thread = str(message.get("thread_ts") or message.get("ts") or container.get("message_ts") or "")
    return Place(channel, thread or None, f"thread:{channel}:{thread}")


def question_of(text: str, bot_user_id: str | None) -> str:
    """The question as typed: the bot's mention removed, links shown as labels, entities decoded."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)

    def readable(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if label:
            return label
        return "" if target.startswith(("@", "#", "!")) else target

    text = _LINK.sub(readable, text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())
