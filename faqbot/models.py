"""Typed values that cross module boundaries: documents, Q&A pairs, disclaimers and the public Reply contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from faqbot.contact import ContactDetails

ReplyKind = Literal["answer", "clarify", "fallback", "smalltalk", "emergency", "contact"]
BlockKind = Literal["paragraph", "list"]
REPLY_KINDS: tuple[ReplyKind, ...] = ("answer", "clarify", "fallback", "smalltalk", "emergency", "contact")


@dataclass(frozen=True)
class DocumentMeta:
    """Where a document comes from: its file, title, publisher and review/publication date."""

    file: str
    title: str
    publisher: str | None = None
    reviewed: str | None = None
    date_kind: str = "reviewed"
    url: str | None = None


@dataclass(frozen=True)
class Block:
    """One block of a section as shown: a paragraph, or a list's items, in the document's own words."""

    kind: BlockKind
    text: str = ""
    items: tuple[str, ...] = ()

    def plain(self) -> str:
        """The block as plain text: a paragraph as it is, a list as one bulleted line per item."""
        return self.text if self.kind == "paragraph" else "\n".join(f"\u2022 {item}" for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        """The contract's block object."""
        if self.kind == "list":
            return {"type": "list", "items": list(self.items)}
        return {"type": "paragraph", "text": self.text}


@dataclass(frozen=True)
class Section:
    """One heading of a document with the paragraphs that belong to it (furniture already removed)."""

    heading: str
    level: int
    path: tuple[str, ...]
    paragraphs: tuple[str, ...]
    is_intro: bool = False


@dataclass(frozen=True)
class QAPair:
    """One answerable section: the question it answers, in the document's own words."""

    id: str
    question: str
    heading: str
    path: tuple[str, ...]
    body: str
    doc: DocumentMeta
    topics: tuple[str, ...]
    alternates: tuple[str, ...] = ()
    order: int = 0
    # The section as shown (`faqbot.excerpt`): editorial leftovers dropped; asides (quoted people) kept out of short
    # answers. Empty when the pair was built by hand: the body is split when needed.
    blocks: tuple[Block, ...] = ()
    asides: frozenset[int] = frozenset()

    def texts(self) -> tuple[str, ...]:
        """Every text the pair is known by: question, alternates, section path and body."""
        return (self.question, *self.alternates, *self.path, self.body)


@dataclass(frozen=True)
class Disclaimer:
    """A safety statement quoted from a document, with the rule that found it."""

    text: str
    category: str
    doc: DocumentMeta
    section_id: str | None
    # Stems of the questions this statement concerns beyond its rule's: a clinic's own statement concerns its words.
    concerns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Suggestion:
    """A question the bot can answer, offered as a button or chip."""

    id: str
    question: str
    heading: str

    def to_dict(self) -> dict[str, str]:
        """The contract's suggestion object."""
        return {"id": self.id, "question": self.question, "heading": self.heading}


@dataclass(frozen=True)
class Answer:
    """The matched Q&A pair as the contract shows it."""

    id: str
    question: str
    heading: str
    body: str
    title: str
    file: str
    reviewed: str | None
    confidence: float
    path: tuple[str, ...] = ()
    publisher: str | None = None
    date_kind: str = "reviewed"
    # The short answer shown and the whole section as shown (`faqbot.excerpt`); `body` is the section as extracted.
    blocks: tuple[Block, ...] = ()
    full_blocks: tuple[Block, ...] = ()
    url: str | None = None

    @property
    def truncated(self) -> bool:
        """True when the short answer leaves part of the section out."""
        return self.blocks != self.full_blocks

    def to_dict(self) -> dict[str, Any]:
        """The contract's answer object (extra keys may be added, none removed)."""
        return {
            "id": self.id,
            "question": self.question,
            "heading": self.heading,
            "body": self.body,
            "source": {
                "title": self.title,
                "file": self.file,
                "reviewed": self.reviewed,
                "date_kind": self.date_kind,
                "publisher": self.publisher,
                "path": list(self.path),
                "url": self.url,
            },
            "confidence": round(self.confidence, 4),
            "blocks": [block.to_dict() for block in self.blocks],
            "full_blocks": [block.to_dict() for block in self.full_blocks],
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class EmergencyNote:
    """The red flags a message raised: `current` when happening now (the emergency reply), else the `note` line an
    answer or decline carries about what to do if it is."""

    flags: tuple[str, ...]
    current: bool
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's emergency object."""
        return {"flags": list(self.flags), "current": self.current, "note": self.note}


@dataclass(frozen=True)
class Reply:
    """What the engine says back: one immutable value every adapter renders in its own way."""

    kind: ReplyKind
    text: str
    disclaimers: tuple[str, ...]
    state: dict[str, Any]
    answer: Answer | None = None
    suggestions: tuple[Suggestion, ...] = ()
    lead: str = ""
    emergency_number: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    emergency: EmergencyNote | None = None
    contact: ContactDetails | None = None  # the clinic's details, on replies that offer them

    def to_dict(self) -> dict[str, Any]:
        """The public reply contract as a JSON-ready dict."""
        return {
            "kind": self.kind,
            "text": self.text,
            "answer": self.answer.to_dict() if self.answer else None,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "disclaimers": list(self.disclaimers),
            "state": self.state,
            "lead": self.lead,
            "emergency_number": self.emergency_number,
            "emergency": self.emergency.to_dict() if self.emergency else None,
            "contact": self.contact.to_dict() if self.contact else None,
        }
