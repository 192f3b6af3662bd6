"""Pure rendering of an engine Reply as Slack messages: Block Kit, mrkdwn escaping, splitting to limits."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from faqbot.models import Answer, Reply
from faqbot.models import Block as TextBlock

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
MORE_ACTION = "faqbot_more"
BOOK_ACTION = "faqbot_book"
VOTE_ACTIONS = {"up": "faqbot_vote_up", "down": "faqbot_vote_down"}
COMMENT_ACTION = "faqbot_vote_comment"
COMMENT_BLOCK = "faqbot_comment_"  # + the vote's id: Slack sends the block id back with the line typed
COMMENT_CHARS = 200
THANKS = "Thanks for your feedback."
VOTE_ID_CHARS = 500
VOTE_QUESTION_CHARS = 1000
VOTE_LABELS = {"up": "\U0001f44d Helpful", "down": "\U0001f44e Not helpful"}
MORE_LABEL = "Read the whole section"


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


def render_reply(
    reply: Reply, *, note: str | None = None, share_value: str | None = None, vote_question: str | None = None
) -> list[Message]:
    """The Slack messages (each with `text` and `blocks`) for a reply, split when one message is too small.

    `note` is mrkdwn shown above the reply (e.g. who asked); `share_value` adds a "Share in channel" button;
    `vote_question` rides in the thumbs buttons' value, for a clinic that keeps the questions of thumbs-downs.
    """
    content: list[Block] = []
    if note:
        content.append(_context([note]))
    content.extend(_main(reply))
    content.extend(_contact(reply.to_dict().get("contact")))
    if reply.emergency is not None and reply.emergency.note:
        content.extend(_sections(f"*{escape(reply.emergency.note)}*"))
    tail: list[Block] = [_context(_source(reply.answer))] if reply.answer else []
    tail.extend(_notes_blocks(reply.disclaimers))
    tail.extend(_actions(reply, share_value, vote_question))
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


class VoteValue(NamedTuple):
    """What a thumbs button carries back: the answer's id and confidence, and the question when it is kept."""

    answer_id: str
    confidence: float | None
    question: str | None = None


def vote_value(answer: Answer, question: str | None = None) -> str:
    """The value of the thumbs buttons under an answer: its id and confidence, which the vote is stored with."""
    data: dict[str, Any] = {"id": answer.id[:VOTE_ID_CHARS], "confidence": round(answer.confidence, 4)}
    if question:
        data["question"] = question[:VOTE_QUESTION_CHARS]
    # Cut to length, the JSON would not read back: escapes are what could make it long, so drop the question then.
    text = json.dumps(data, ensure_ascii=False)
    return text if len(text) <= BUTTON_VALUE_CHARS or not question else vote_value(answer)


def read_vote_value(value: str) -> VoteValue | None:
    """The answer id, confidence and question from a thumbs button's value; None for a value not written here."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        return None
    question = data.get("question") if isinstance(data.get("question"), str) else None
    confidence = data.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        return VoteValue(data["id"], None, question)
    return VoteValue(data["id"], float(confidence), question)


def comment_prompt(feedback_id: int) -> Message:
    """After a thumbs down: thanks, and an optional one-line "what were you looking for?" sent with Enter."""
    line = {
        "type": "plain_text_input",
        "action_id": COMMENT_ACTION,
        "max_length": COMMENT_CHARS,
        "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
    }
    label = {"type": "plain_text", "text": "What were you looking for? (optional, press Enter to send)"}
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": THANKS}},
        {
            "type": "input",
            "block_id": f"{COMMENT_BLOCK}{feedback_id}",
            "dispatch_action": True,
            "optional": True,
            "label": label,
            "element": line,
        },
    ]
    return {"text": THANKS, "blocks": blocks}


def comment_feedback_id(block_id: str) -> int | None:
    """The vote's id from a comment line's block id; None for a block this module did not write."""
    digits = block_id.removeprefix(COMMENT_BLOCK)
    return int(digits) if block_id.startswith(COMMENT_BLOCK) and digits.isdigit() else None


def _main(reply: Reply) -> list[Block]:
    if reply.kind == "emergency":
        # Rendered first and bold, paragraph by paragraph so splitting keeps the emphasis.
        paragraphs = [p for p in escape(reply.lead or reply.text).split("\n\n") if p.strip()]
        return _sections("\n\n".join(f"*{p.strip()}*" for p in paragraphs))
    if reply.answer is not None:
        lead = _sections(escape(reply.lead)) if reply.lead else []
        return lead + answer_blocks(reply.answer.heading, _shown(reply.answer))
    return _sections(escape(reply.lead or reply.text))


def answer_blocks(heading: str, blocks: Sequence[TextBlock]) -> list[Block]:
    """The answer's heading in bold, then each paragraph as a section and each list as bulleted lines."""
    texts = [
        escape(b.text) if b.kind == "paragraph" else "\n".join(f"\u2022 {escape(i)}" for i in b.items) for b in blocks
    ]
    texts = [f"*{escape(heading)}*\n{texts[0]}" if texts else f"*{escape(heading)}*", *texts[1:]]
    return [section for text in texts for section in _sections(text)]


def _shown(answer: Answer) -> tuple[TextBlock, ...]:
    # A reply recorded before answers had blocks shows its whole body, one paragraph per block.
    return answer.blocks or tuple(TextBlock("paragraph", text=p) for p in answer.body.split("\n\n") if p.strip())


def _contact(contact: Mapping[str, Any] | None) -> list[Block]:
    """The clinic's contact details as one section (the phone a tel: link), with a booking button when there is a
    booking link."""
    if not contact:
        return []
    lines = []
    phone = _text(contact.get("phone"))
    if phone:
        lines.append(f"*Phone:* <tel:{re.sub(r'[^0-9+]', '', phone)}|{escape(phone)}>")
    for key, label in (("hours", "Hours"), ("address", "Address")):
        if value := _text(contact.get(key)):
            lines.append(f"*{label}:* {escape(value)}")
    booking = _text(contact.get("booking_url"))
    blocks = _sections("\n".join(lines)) if lines else []
    if booking:
        button = _button("Book an appointment", BOOK_ACTION, "book", style="primary")
        blocks.append({"type": "actions", "elements": [{**button, "url": booking[:3000]}]})
    return blocks


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _sections(text: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in split_text(text)]


def _source(answer: Answer) -> list[str]:
    where = " › ".join(escape(p) for p in (answer.title, *answer.path) if p)
    if answer.url:
        # Inside <url|label> a "|" or ">" in the address would end it early.
        where = f"<{answer.url.replace('|', '%7C').replace('>', '%3E')}|{where}>"
    details = " · ".join(escape(d) for d in (answer.publisher, answer.reviewed, answer.file) if d)
    return [f"*Source:* {where} ({details})" if details else f"*Source:* {where}"]


def _notes_blocks(disclaimers: Sequence[str]) -> list[Block]:
    """The most relevant note in a context block of its own; the others in a second, quieter one."""
    if not disclaimers:
        return []
    blocks = [_context(split_text(f"*Please note:* {escape(disclaimers[0])}"))]
    rest = [chunk for text in disclaimers[1:] for chunk in split_text(escape(text))]
    if rest:
        rest[0] = f"*Safety information:* {rest[0]}"
        blocks.append(_context([chunk[:SECTION_CHARS] for chunk in rest]))
    return blocks


def _context(texts: list[str]) -> Block:
    # A context block holds at most 10 elements; join the overflow into the last one rather than drop it.
    head, overflow = texts[: CONTEXT_ELEMENTS - 1], texts[CONTEXT_ELEMENTS - 1 :]
    if overflow:
        head.append("\n".join(overflow)[:SECTION_CHARS])
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in head]}


def _actions(reply: Reply, share_value: str | None, vote_question: str | None) -> list[Block]:
    buttons: list[Block] = []
    if reply.answer is not None and reply.answer.truncated:
        buttons.append(_button(MORE_LABEL, MORE_ACTION, reply.answer.id[:BUTTON_VALUE_CHARS]))
    buttons.extend(
        _button(s.question, f"{ASK_ACTION}_{i}", ask_value(s.question)) for i, s in enumerate(reply.suggestions)
    )
    if share_value is not None:
        buttons.append(_button("Share in channel", SHARE_ACTION, ask_value(share_value), style="primary"))
    blocks = []
    for start in range(0, len(buttons), ACTIONS_ELEMENTS):
        blocks.append({"type": "actions", "elements": buttons[start : start + ACTIONS_ELEMENTS]})
    if reply.kind == "answer" and reply.answer is not None:
        # A row of their own, so the thumbs read as a verdict on the answer, not as more questions to ask.
        value = vote_value(reply.answer, vote_question)
        votes = [_button(VOTE_LABELS[vote], action, value) for vote, action in VOTE_ACTIONS.items()]
        blocks.append({"type": "actions", "elements": votes})
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
    return {"text": _fallback(blocks, disclaimers), "blocks": [*blocks, *_notes_blocks(disclaimers)]}


def _fallback(blocks: list[Block], disclaimers: tuple[str, ...]) -> str:
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    return "\n\n".join([*texts, *(f"Please note: {escape(d)}" for d in disclaimers)])


def dumps(messages: list[Message]) -> str:
    """Messages as stable, readable JSON (the format of the recorded payload files)."""
    return json.dumps(messages, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
