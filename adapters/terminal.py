"""A Reply as terminal text: wrapped at word boundaries, lists as bullets, one safety note inline and the rest dim."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from faqbot.models import Answer, Block, Reply, Suggestion

LABEL = "faqbot:"
MIN_WIDTH = 20
CONTACT_LINES = (("phone", "Phone"), ("booking_url", "Book"), ("hours", "Hours"), ("address", "Address"))


class Style:
    """ANSI styling that turns itself off when the output is not a terminal or NO_COLOR is set."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled and text else text


def terminal_width() -> int:
    """The terminal's width now (80 when it cannot be told), so a resized window wraps right."""
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Lines of at most `width` characters broken only between words (a word longer than the line stays whole)."""
    lines: list[str] = []
    for number, line in enumerate(text.split("\n")):
        lead = first if number == 0 else rest
        wrapped = textwrap.wrap(
            line, width, initial_indent=lead, subsequent_indent=rest, break_long_words=False, break_on_hyphens=False
        )
        lines.extend(wrapped or [lead.rstrip()])
    return lines


def blocks_text(blocks: Sequence[Block], width: int) -> list[str]:
    """Paragraphs as wrapped text and lists as bullets with a hanging indent, a blank line between blocks."""
    parts: list[str] = []
    for block in blocks:
        if block.kind == "list":
            parts.append("\n".join(line for item in block.items for line in wrap(item, width, "  \u2022 ", "    ")))
        else:
            parts.append("\n".join(wrap(block.text, width)))
    return parts


def source_line(answer: Answer, width: int) -> str:
    """ "Source: Acupuncture (Cleveland Clinic, reviewed 2023-05-16)": one line, shortened to fit."""
    dated = f"{answer.date_kind} {answer.reviewed}" if answer.reviewed else None
    about = ", ".join(part for part in (answer.publisher, dated) if part)
    line = f"Source: {answer.title}" + (f" ({about})" if about else "")
    return line if len(line) <= width else textwrap.shorten(line, width, placeholder=" \u2026")


def contact_lines(contact: Mapping[str, Any] | None, width: int) -> list[str]:
    """The clinic's contact details, one labelled line each (phone, booking link, hours, address)."""
    if not contact:
        return []
    lines: list[str] = []
    for key, label in CONTACT_LINES:
        value = contact.get(key)
        if isinstance(value, str) and value.strip():
            lines.extend(wrap(value.strip(), width, f"  {label + ':':<9}", " " * 11))
    return lines


def render(reply: Reply, style: Style, width: int = 80) -> str:
    """A reply as terminal text: labelled, emergencies first in red, the short answer, the source dimmed, one safety
    note inline and the others behind one dim line."""
    width = max(MIN_WIDTH, width)
    parts: list[str] = []
    if reply.lead:
        lead = "\n".join(wrap(reply.lead, width))
        parts.append(style(lead, "1;31") if reply.kind == "emergency" else lead)
    if reply.answer:
        parts.extend(blocks_text(reply.answer.blocks, width))
        source = source_line(reply.answer, width)
        more = "/more shows the whole section." if reply.answer.truncated else ""
        parts.append(style("\n".join([source, *([more] if more else [])]), "2"))
    contact = contact_lines(reply.to_dict().get("contact"), width)
    if contact:
        parts.append("\n".join(contact))
    parts.append(_listed_text(reply, width))
    if reply.emergency is not None and reply.emergency.note:
        parts.append(style("\n".join(wrap(reply.emergency.note, width)), "1"))
    parts.append(_notes(reply.disclaimers, style, width))
    return _labelled("\n\n".join(part for part in parts if part), style)


def more_text(answer: Answer, style: Style, width: int = 80) -> str:
    """The whole section of an answer, for /more: its heading, every block and the full source with its link."""
    width = max(MIN_WIDTH, width)
    where = " \u203a ".join((answer.title, *(p for p in answer.path if p != answer.title)))
    source = "\n".join(wrap(f"Source: {where}", width) + (wrap(answer.url, width) if answer.url else []))
    parts = [style("\n".join(wrap(answer.heading, width)), "1"), *blocks_text(answer.full_blocks, width)]
    return "\n\n".join([*parts, style(source, "2")])


def notes_text(disclaimers: Sequence[str], style: Style, width: int = 80) -> str:
    """Every safety note of a reply, for /safety."""
    return "\n".join(style(line, "33") for text in disclaimers for line in wrap(text, width, "\u26a0 ", "  "))


def listed(reply: Reply | None) -> tuple[Suggestion, ...]:
    """The suggestions a number picks (none under an emergency reply, which shows none)."""
    if reply is None or reply.kind == "emergency":
        return ()
    return tuple(reply.suggestions)


def _listed_text(reply: Reply, width: int) -> str:
    shown = listed(reply)
    if not shown:
        return ""
    heading = [] if reply.kind in ("clarify", "fallback", "smalltalk") else ["Related questions:"]
    lines = [line for n, s in enumerate(shown, start=1) for line in wrap(s.question, width, f"  {n}. ", "     ")]
    return "\n".join([*heading, *lines])


def _notes(disclaimers: Sequence[str], style: Style, width: int) -> str:
    if not disclaimers:
        return ""
    inline = notes_text(disclaimers[:1], style, width)
    rest = len(disclaimers) - 1
    if not rest:
        return inline
    # The other notes are one command away rather than a wall of text under every answer.
    more = f"Safety information: {rest} more note{'s' if rest > 1 else ''} from the documents (/safety)."
    return inline + "\n" + style("\n".join(wrap(more, width)), "2")


def _labelled(text: str, style: Style) -> str:
    # The label goes on a line of its own so that it never pushes a wrapped line past the width.
    return style(LABEL, "1;35") + "\n" + text
