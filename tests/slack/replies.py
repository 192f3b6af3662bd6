"""Rebuild engine Reply values from their recorded JSON (the public contract), so rendering tests need no corpus."""

from __future__ import annotations

from typing import Any

from faqbot.models import Answer, Reply, Suggestion


def reply_from_dict(data: dict[str, Any]) -> Reply:
    """The Reply whose to_dict() is `data`."""
    answer = data.get("answer")
    return Reply(
        kind=data["kind"],
        text=data["text"],
        disclaimers=tuple(data["disclaimers"]),
        state=data["state"],
        answer=_answer(answer) if answer else None,
        suggestions=tuple(Suggestion(s["id"], s["question"], s["heading"]) for s in data["suggestions"]),
        lead=data.get("lead", ""),
        emergency_number=data.get("emergency_number"),
    )


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
    )
