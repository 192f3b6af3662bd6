"""Pure rendering of an engine Reply as Slack messages: Block Kit, mrkdwn escaping, splitting to limits."""

from __future__ import annotations

import json
from typing import Any

from faqbot.models import Answer, Reply, Suggestion

Block = dict[str, Any]
Message = dict[str, Any]

SECTION_CHARS = 3000  # section text and context element text
MAX_BLOCKS = 50
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT_CHARS = 75
BUTTON_VALUE_CHARS = 2000
ASK_ACTION = "faqbot_ask"
SHARE_ACTION = "faqbot_share"


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_text(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """Split text into chunks of at most `limit` characters at paragraph, line, sentence or word breaks."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def _cut_point(text: str, limit: int) -> int:
    window = text[:limit]
    for separator in ("\n\n", "\n", ". ", " "):
        index = window.rfind(separator)
        if index > 0:
            return index + len(separator)
    # No boundary at all: cut hard, but never inside an escape such as &amp; (the longest is 5 characters).
    entity = window.rfind("&", limit - 5)
    return entity if entity > 0 and ";" not in window[entity:] else limit


def render_reply(reply: Reply, *, note: str | None = None, share_value: str | None = None) -> list[Message]:
    """The Slack messages (each with `text` and `blocks`) for a reply, split when one message is too small.

    `note` is mrkdwn shown above the reply (e.g. who asked); `share_value` adds a "Share in channel" button.
    """
    content: list[Block] = []
    if note:
        content.append(_context([note]))
    content.extend(_sections(_main_text(reply)))
    if reply.emergency is not None and reply.emergency.note:
        content.extend(_sections(f"*{escape(reply.emergency.note)}*"))
    footer = _source(reply.answer) + _notes(reply.disclaimers)
    tail: list[Block] = [_context(footer)] if footer else []
    tail.extend(_actions(reply.suggestions, share_value))
    room = MAX_BLOCKS - len(tail)
    parts = [content[i : i + room] for i in range(0, len(content), room)] or [[]]
    if len(parts) == 1:
        return [{"text": escape(reply.text), "blocks": parts[0] + tail}]
    # Every message carries the disclaimers; only the last one carries the source and the buttons.
    messages = [_continued(part, reply.disclaimers) for part in parts[:-1]]
    messages.append({"text": _fallback(parts[-1], reply.disclaimers), "blocks": parts[-1] + tail})
    return messages


def render_failure(emergency_number: str) -> list[Message]:
    """The message sent when no reply could be made: try again, and the emergency number all the same."""
    text = (
        "Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment. "
        f"If this is an emergency, call {emergency_number} (or your local emergency number) now."
    )
    return [{"text": escape(text), "blocks": _sections(escape(text))}]


def ask_value(question: str) -> str:
    """A button value that asks `question` when clicked (short enough for Slack's value limit)."""
    return question[:BUTTON_VALUE_CHARS]


def _main_text(reply: Reply) -> str:
    if reply.kind == "emergency":
        # Rendered first and bold, paragraph by paragraph so splitting keeps the emphasis.
        paragraphs = [p for p in escape(reply.lead or reply.text).split("\n\n") if p.strip()]
        return "\n\n".join(f"*{p.strip()}*" for p in paragraphs)
    if reply.answer is not None:
        return f"*{escape(reply.answer.heading)}*\n{escape(reply.answer.body)}"
    return escape(reply.lead or reply.text)


def _sections(text: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in split_text(text)]


def _source(answer: Answer | None) -> list[str]:
    if answer is None:
        return []
    where = " › ".join(escape(p) for p in (answer.title, *answer.path) if p)
    details = " · ".join(escape(d) for d in (answer.publisher, answer.reviewed, answer.file) if d)
    return [f"*Source:* {where} ({details})" if details else f"*Source:* {where}"]


def _notes(disclaimers: tuple[str, ...]) -> list[str]:
    notes: list[str] = []
    for disclaimer in disclaimers:
        notes.extend(split_text(f"*Please note:* {escape(disclaimer)}"))
    return notes


def _context(texts: list[str]) -> Block:
    # A context block holds at most 10 elements; join the overflow into the last one rather than drop it.
    head, overflow = texts[: CONTEXT_ELEMENTS - 1], texts[CONTEXT_ELEMENTS - 1 :]
    if overflow:
        head.append("\n".join(overflow)[:SECTION_CHARS])
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in head]}


def _actions(suggestions: tuple[Suggestion, ...], share_value: str | None) -> list[Block]:
    buttons: list[Block] = [
        _button(s.question, f"{ASK_ACTION}_{i}", ask_value(s.question)) for i, s in enumerate(suggestions)
    ]
    if share_value is not None:
        buttons.append(_button("Share in channel", SHARE_ACTION, ask_value(share_value), style="primary"))
    blocks = []
    for start in range(0, len(buttons), ACTIONS_ELEMENTS):
        blocks.append({"type": "actions", "elements": buttons[start : start + ACTIONS_ELEMENTS]})
    return blocks


def _button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    if len(label) > BUTTON_TEXT_CHARS:
        label = label[: BUTTON_TEXT_CHARS - 1].rstrip() + "…"
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _continued(blocks: list[Block], disclaimers: tuple[str, ...]) -> Message:
    notes = _notes(disclaimers)
    footer = [_context(notes)] if notes else []
    return {"text": _fallback(blocks, disclaimers), "blocks": [*blocks, *footer]}


def _fallback(blocks: list[Block], disclaimers: tuple[str, ...]) -> str:
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    return "\n\n".join([*texts, *(f"Please note: {escape(d)}" for d in disclaimers)])


def dumps(messages: list[Message]) -> str:
    """Messages as stable, readable JSON (the format of the recorded payload files)."""
    return json.dumps(messages, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
