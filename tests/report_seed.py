"""Insights stores filled for the report's tests and screenshot, written through the InsightsStore interface only."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from faqbot.insights import DAY_SECONDS, QUESTION_KINDS, Feedback, InsightsStore, Outcome, Vote
from faqbot.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Row:
    """One reply to record: `days_ago` before now, with its vote if it got one."""

    days_ago: float
    kind: str
    channel: str = "web"
    answer_id: str | None = None
    question: str | None = None
    vote: Vote | None = None
    comment: str | None = None


def seed(store: InsightsStore, rows: Sequence[Row], now: float) -> None:
    """Record each row as the adapters would: an outcome, then its vote (with the question of a thumbs down)."""
    for row in rows:
        at = now - row.days_ago * DAY_SECONDS
        confidence = 0.8 if row.answer_id else None
        # As Insights keeps them: an outcome's question only on a decline or a clarification.
        asked = row.question if row.kind in QUESTION_KINDS else None
        store.add_outcome(Outcome(at, row.channel, row.kind, row.answer_id, confidence, asked))
        if row.vote and row.answer_id:
            question = row.question if row.vote == "down" else None
            feedback = Feedback(
                at + 5, row.channel, row.answer_id, row.vote, "answer", confidence, row.comment, question
            )
            store.add_feedback(feedback)


# What a clinic's patients might ask and not find (already scrubbed, as kept), with how often.
MISSED = (
    ("How much does a session cost?", 11),
    ("how much is it", 4),
    ("Do you do cupping?", 7),
    ("Can I park at the clinic?", 6),
    ("Is acupuncture ok while breastfeeding?", 5),
    ("can I bring my daughter [name] to her appointment", 3),
    ("Do you treat dogs?", 3),
    ("Should I eat before a session?", 4),
    ("does it help with anxiety", 3),
    ("What should I wear?", 3),
)
# Answers that drew a thumbs down, and what the person wrote after it.
COMMENTS = (
    "I wanted the price, not the insurance rules",
    "too long, just tell me yes or no",
    "did not say how many sessions I need",
)


def seed_demo(store: InsightsStore, kb: KnowledgeBase, now: float, days: int = 30, seed_value: int = 14) -> int:
    """A month of a small clinic's traffic (weekdays busier, web over Slack, some sections never asked); rows added."""
    rng = random.Random(seed_value)
    pairs = [p.id for p in kb.pairs]
    # Two thirds of the sections get nearly all the answers; the rest are left for "nobody asked".
    popular = pairs[: max(1, len(pairs) * 2 // 3)]
    weights = [1.0 / (1 + i % 7) for i in range(len(popular))]
    missed = [text for text, times in MISSED for _ in range(times)]
    rows: list[Row] = []
    for day in range(days):
        weekday = (int(now // DAY_SECONDS) - day + 3) % 7  # 1970-01-01 was a Thursday
        volume = rng.randint(4, 9) if weekday >= 5 else rng.randint(14, 30)
        for _ in range(volume):
            ago = day + rng.random()
            channel = "slack" if rng.random() < 0.3 else "web"
            roll = rng.random()
            if roll < 0.74:
                answer = rng.choices(popular, weights)[0]
                vote: Vote | None = None
                if rng.random() < 0.18:
                    vote = "down" if rng.random() < 0.2 else "up"
                comment = rng.choice(COMMENTS) if vote == "down" and rng.random() < 0.5 else None
                rows.append(Row(ago, "answer", channel, answer, vote=vote, comment=comment))
            elif roll < 0.98:
                kind = "clarify" if roll < 0.8 else "fallback"
                rows.append(Row(ago, kind, channel, question=rng.choice(missed)))
            else:
                rows.append(Row(ago, "emergency" if rng.random() < 0.5 else "smalltalk", channel))
    rows.sort(key=lambda r: -r.days_ago)
    seed(store, rows, now)
    return len(rows)
