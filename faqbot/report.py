"""The editor's report: what was answered, clarified, declined or an emergency over time, per channel, what was missed,
what people thought of each section, and which sections nobody asked about. Figures only; `report_html` draws them."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal

from faqbot.dialogue import ConversationState
from faqbot.engine import Engine
from faqbot.grouping import CLUSTER_CAP, group_texts
from faqbot.insights import DAY_SECONDS, Feedback, Outcome
from faqbot.knowledge import KnowledgeBase
from faqbot.models import QAPair
from faqbot.report_data import Records
from faqbot.review import Similar

# The four outcomes the report follows; small talk and contact replies are counted apart as "other".
KINDS: tuple[str, ...] = ("answer", "clarify", "fallback", "emergency")
KIND_LABELS = {"answer": "Answered", "clarify": "Clarified", "fallback": "Declined", "emergency": "Emergency"}
# Replies whose question was for the documents: the answer rate is answers among these.
QUESTION_KINDS = frozenset({"answer", "clarify", "fallback"})
MISSED_KINDS = frozenset({"clarify", "fallback"})
# Up to this many days a bar is one day; beyond it, one week (more than ~60 bars stop being readable).
DAILY_UP_TO_DAYS = 62
TOP_MISSED = 10
EXAMPLES = 3
COMMENTS = 3
# Below this ranking confidence the best section is no more than a guess: the question is "close to no section".
LOCATE_FLOOR = 0.1

Bucket = Literal["day", "week"]


@dataclass(frozen=True)
class SectionRef:
    """A section as the report names it: its id and its place in its document."""

    id: str
    title: str

    @classmethod
    def of(cls, pair: QAPair) -> SectionRef:
        """The reference of a knowledge-base pair."""
        return cls(pair.id, " \u203a ".join(pair.path) or pair.heading)


@dataclass(frozen=True)
class Period:
    """One bar of the chart over time: a day or a week, and how many replies of each of KINDS it had."""

    start: date
    counts: tuple[int, ...]


@dataclass(frozen=True)
class ChannelRate:
    """One channel's replies to questions for the documents, and how many were answered."""

    channel: str
    counts: tuple[int, ...]  # per KINDS

    @property
    def questions(self) -> int:
        """Replies to questions for the documents (answered, clarified or declined)."""
        return sum(n for kind, n in zip(KINDS, self.counts, strict=True) if kind in QUESTION_KINDS)

    @property
    def rate(self) -> float | None:
        """Answered among questions; None without questions."""
        return self.counts[0] / self.questions if self.questions else None


@dataclass(frozen=True)
class MissedGroup:
    """Missed questions that most likely belong to one section (None: close to no section), most asked first."""

    section: SectionRef | None
    size: int
    examples: tuple[tuple[str, int], ...]  # (question as first asked, times asked)


@dataclass(frozen=True)
class MissedGroups:
    """The largest groups of missed questions, and what became of the distinct questions grouped by meaning."""

    groups: tuple[MissedGroup, ...]
    distinct: int  # distinct questions (once normalised)
    clustered: int  # of which clustered: the most asked, up to the cap
    left_out: int  # of the others, those close to no group: in no group, so in none of the figures


@dataclass(frozen=True)
class SectionVotes:
    """The thumbs up and down on one section, and its latest comments; `section.title` is its id when it is gone."""

    section: SectionRef
    known: bool
    up: int
    down: int
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Everything the report shows, for the window from `start` to `end`."""

    start: datetime
    end: datetime
    bucket: Bucket
    periods: tuple[Period, ...]
    totals: tuple[int, ...]  # per KINDS
    other: int
    channels: tuple[ChannelRate, ...]
    missed: tuple[MissedGroup, ...]
    missed_replies: int  # clarified and declined replies plus thumbs down, with or without text
    missed_texts: int  # of which the question text was kept
    missed_by_meaning: bool  # grouped as `faqbot review` groups them, not by the section each most likely belongs to
    missed_distinct: int  # distinct kept questions
    missed_clustered: int  # of which clustered by meaning (the most asked, up to the cap)
    missed_left_out: int  # of the others, those close to every group: in no group
    votes: tuple[SectionVotes, ...]
    unasked: tuple[SectionRef, ...]
    sections: int


Locate = Callable[[str], SectionRef | None]


def engine_locator(engine: Engine, floor: float = LOCATE_FLOOR) -> Locate:
    """The section the engine's own ranking puts first for a question, on its own (no conversation); None if weak."""

    def locate(question: str) -> SectionRef | None:
        _, _, ranked = engine.candidates(question, ConversationState(), 1)
        return SectionRef.of(ranked[0].pair) if ranked and ranked[0].confidence >= floor else None

    return locate


def normalise(question: str) -> str:
    """A question as compared for duplicates: case folded, punctuation and repeated spaces gone."""
    return " ".join(re.sub(r"[^\w\s]", " ", question.casefold()).split())


def missed_groups(
    questions: Iterable[str],
    locate: Locate,
    limit: int = TOP_MISSED,
    similar: Similar | None = None,
    *,
    cap: int = CLUSTER_CAP,
) -> MissedGroups:
    """Missed questions grouped, exact duplicates (once normalised) counted together; the largest `limit` groups, with
    how many distinct questions were clustered and left out. With `similar` (a vectoriser and its cosine threshold)
    they are grouped by meaning as `faqbot review` groups them, each group placed under the section of its most asked
    question, only the `cap` most asked clustered and the others joining a group or left out (`grouping.group_texts`);
    without, by the section each most likely belongs to."""
    first: dict[str, str] = {}
    asked: Counter[str] = Counter()
    for question in questions:
        key = normalise(question)
        if key:
            first.setdefault(key, question.strip())
            asked[key] += 1
    # Most asked first, so that a group's first row is its most asked question.
    found = sorted(((first[key], times) for key, times in asked.items()), key=lambda e: (-e[1], e[0]))
    clustered, left_out = len(found), 0
    if similar is None:
        by_section: dict[SectionRef | None, list[int]] = defaultdict(list)
        for row, (text, _) in enumerate(found):
            by_section[locate(text)].append(row)
        placed = list(by_section.items())
    else:
        vectorise, threshold = similar
        texts, times = [text for text, _ in found], [count for _, count in found]
        grouping = group_texts(texts, vectorise, threshold, times, cap=cap)
        placed = [(locate(found[min(group)][0]), sorted(group)) for group in grouping.groups]
        clustered, left_out = grouping.clustered, len(grouping.left_out)
    built = [
        MissedGroup(section, sum(found[r][1] for r in group), tuple(found[r] for r in group[:EXAMPLES]))
        for section, group in placed
    ]
    built.sort(key=lambda g: (-g.size, g.section is None, g.section.title if g.section else ""))
    return MissedGroups(tuple(built[:limit]), len(found), clustered, left_out)


def _bucket_start(day: date, bucket: Bucket) -> date:
    return day - timedelta(days=day.weekday()) if bucket == "week" else day


def _periods(outcomes: Sequence[Outcome], start: datetime, end: datetime, bucket: Bucket, tz: tzinfo) -> list[Period]:
    """Every day or week of the window, empty ones too, so gaps show as gaps."""
    step = timedelta(days=7 if bucket == "week" else 1)
    counts: dict[date, list[int]] = {}
    day = _bucket_start(start.date(), bucket)
    while day <= end.date():
        counts[day] = [0] * len(KINDS)
        day += step
    for outcome in outcomes:
        if outcome.kind in KINDS:
            when = _bucket_start(datetime.fromtimestamp(outcome.at, tz).date(), bucket)
            counts.setdefault(when, [0] * len(KINDS))[KINDS.index(outcome.kind)] += 1
    return [Period(day, tuple(n)) for day, n in sorted(counts.items())]


def _channels(outcomes: Sequence[Outcome]) -> tuple[ChannelRate, ...]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(KINDS))
    for outcome in outcomes:
        if outcome.kind in KINDS:
            counts[outcome.channel][KINDS.index(outcome.kind)] += 1
    rates = [ChannelRate(channel, tuple(n)) for channel, n in counts.items()]
    return tuple(sorted(rates, key=lambda r: (-r.questions, r.channel)))


def _votes(feedback: Sequence[Feedback], kb: KnowledgeBase) -> tuple[SectionVotes, ...]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    comments: dict[str, list[str]] = defaultdict(list)
    for vote in feedback:
        tally[vote.answer_id][0 if vote.vote == "up" else 1] += 1
        if vote.comment:
            comments[vote.answer_id].append(vote.comment)
    found = []
    for section_id, (up, down) in tally.items():
        pair = kb.pair(section_id)
        ref = SectionRef.of(pair) if pair else SectionRef(section_id, section_id)
        latest = tuple(reversed(comments[section_id][-COMMENTS:]))
        found.append(SectionVotes(ref, pair is not None, up, down, latest))
    # The sections people disliked most come first: those are the ones to rewrite.
    return tuple(sorted(found, key=lambda v: (-v.down, -(v.up + v.down), v.section.title)))


def _missed_questions(records: Records) -> tuple[int, list[str]]:
    """How many replies missed, and the question texts kept for them."""
    missed = [o for o in records.outcomes if o.kind in MISSED_KINDS]
    downs = [f for f in records.feedback if f.vote == "down"]
    texts = [o.question for o in missed if o.question] + [f.question for f in downs if f.question]
    return len(missed) + len(downs), texts


def build_report(
    records: Records,
    kb: KnowledgeBase,
    locate: Locate,
    now: float,
    days: int | None = None,
    tz: tzinfo = UTC,
    similar: Similar | None = None,
    *,
    cap: int = CLUSTER_CAP,
) -> Report:
    """The report on the records of the last `days` days up to `now` (from the first record when None); missed
    questions grouped as `missed_groups` groups them."""
    since = now - days * DAY_SECONDS if days is not None else None
    outcomes = [o for o in records.outcomes if (since is None or o.at >= since) and o.at <= now]
    feedback = [f for f in records.feedback if (since is None or f.at >= since) and f.at <= now]
    kept = Records(tuple(outcomes), tuple(feedback))
    first = min([o.at for o in outcomes] + [f.at for f in feedback], default=now)
    start = datetime.fromtimestamp(since if since is not None else first, tz)
    end = datetime.fromtimestamp(now, tz)
    bucket: Bucket = "day" if (end.date() - start.date()).days <= DAILY_UP_TO_DAYS else "week"
    periods = _periods(outcomes, start, end, bucket, tz)
    totals = tuple(sum(p.counts[i] for p in periods) for i in range(len(KINDS)))
    missed_replies, texts = _missed_questions(kept)
    missed = missed_groups(texts, locate, similar=similar, cap=cap)
    answered = {o.answer_id for o in outcomes if o.answer_id} | {f.answer_id for f in feedback}
    return Report(
        start=start,
        end=end,
        bucket=bucket,
        periods=tuple(periods),
        totals=totals,
        other=sum(1 for o in outcomes if o.kind not in KINDS),
        channels=_channels(outcomes),
        missed=missed.groups,
        missed_replies=missed_replies,
        missed_texts=len(texts),
        missed_by_meaning=similar is not None,
        missed_distinct=missed.distinct,
        missed_clustered=missed.clustered,
        missed_left_out=missed.left_out,
        votes=_votes(feedback, kb),
        unasked=tuple(SectionRef.of(p) for p in kb.pairs if p.id not in answered),
        sections=len(kb.pairs),
    )
