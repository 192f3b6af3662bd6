"""Rebuild engine Reply values from their recorded JSON (the public contract), so rendering tests need no corpus."""

from __future__ import annotations

import dataclasses
from typing import Any

from faqbot.models import Answer, Block, Reply, Suggestion


@dataclasses.dataclass(frozen=True)
class RecordedReply(Reply):
    """A recorded reply whose contract carries fields this Reply may not model (e.g. `contact`), passed through."""

    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The contract as recorded: the modelled fields plus the passed-through ones."""
        return {**super().to_dict(), **self.extra}


def reply_from_dict(data: dict[str, Any]) -> Reply:
    """The Reply whose to_dict() is `data`."""
    answer = data.get("answer")
    fields = {
        "kind": data["kind"],
        "text": data["text"],
        "disclaimers": tuple(data["disclaimers"]),
        "state": data["state"],
        "answer": _answer(answer) if answer else None,
        "suggestions": tuple(Suggestion(s["id"], s["question"], s["heading"]) for s in data["suggestions"]),
        "lead": data.get("lead", ""),
        "emergency_number": data.get("emergency_number"),
    }
    extra = {key: data[key] for key in ("contact",) if key in data}
    return RecordedReply(**fields, extra=extra) if extra else Reply(**fields)


def _answer(data: dict[str, Any]) -> Answer:
    source = data["source"]
    return Answer(
        id=data["id"],
        question=data["question"],
        heading=data["heading"],
        body=data["body"],
        title=source["title"],
        file=source["file"],
        reviewed=source["reviewed"],
        confidence=data["confidence"],
        path=tuple(source["path"]),
        publisher=source["publisher"],
        blocks=_blocks(data.get("blocks", [])),
        full_blocks=_blocks(data.get("full_blocks", [])),
        url=source.get("url"),
    )


def _blocks(data: list[dict[str, Any]]) -> tuple[Block, ...]:
    return tuple(
        Block("list", items=tuple(b["items"])) if b["type"] == "list" else Block("paragraph", text=b["text"])
        for b in data
    )
