"""Reviewing what patients asked and did not get answered: the recorded missed questions grouped by similarity, each
group with the section the engine ranks first for it, and the editor's decisions (accept as alternate questions of a
section, "not covered", skip). No terminal code: `adapters/review.py` is the command around it."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from faqbot.dialogue import ConversationState
from faqbot.engine import Engine
from faqbot.grouping import (
    CLUSTER_CAP,
    LEXICAL_THRESHOLD,
    SEMANTIC_THRESHOLD,
    Vectoriser,
    group_texts,
    lexical_vectors,
    semantic_vectoriser,
)
from faqbot.insights import DAY_SECONDS, QUESTION_KINDS, InsightsStore
from faqbot.message import Question
from faqbot.overlay_edit import Added, add_alternates, add_not_covered
from faqbot.ranking import Candidate
from faqbot.reading import ranked
from faqbot.review_marks import ReviewMarks, question_key
from faqbot.text import content_words

EXAMPLES = 3
SECTION_CHOICES = 5
# A group's likely section is read from its most asked questions: enough to outvote one odd member, few enough that
# a group of hundreds costs no more than this many look-ups.
_GUESS_FROM = 12
# What `faqbot/scrub.py` puts in place of someone's details: such a question is not how others would ask.
_SCRUBBED = re.compile(r"\[(?:user|email|link|date|postcode|number|name)\]")


@dataclass(frozen=True)
class Missed:
    """One distinct missed question (scrubbed text as recorded), how often it was asked and when last."""

    text: str
    count: int
    last_at: float
    key: str


@dataclass(frozen=True)
class SectionGuess:
    """A section a group may belong to: its id, heading, question, and the group's mean ranking probability for it."""

    id: str
    heading: str
    question: str
    score: float


@dataclass(frozen=True)
class Group:
    """Missed questions asking much the same thing, most asked first, with the sections they most likely belong to
    (empty until looked up: see `with_sections`)."""

    id: str
    size: int
    questions: tuple[Missed, ...]
    sections: tuple[SectionGuess, ...]

    @property
    def examples(self) -> tuple[str, ...]:
        """A few of its questions, most asked first."""
        return tuple(q.text for q in self.questions[:EXAMPLES])

    @property
    def last_at(self) -> float:
        """When one of its questions was last asked."""
        return max(q.last_at for q in self.questions)

    def alternates(self) -> tuple[str, ...]:
        """Its questions as alternates: distinct, most asked first, none holding a scrubbed detail ("[name]")."""
        return tuple(q.text for q in self.questions if not _SCRUBBED.search(q.text))


@dataclass(frozen=True)
class ReviewList:
    """The groups to review and how they were made."""

    groups: tuple[Group, ...]
    questions: int  # missed questions recorded with their text since `since`, repeats counted
    hidden: int  # groups left out because the editor marked one of their questions "not covered"
    method: str  # "semantic" (the engine's sentence encoder) or "lexical" (TF-IDF over its stems)
    threshold: float
    since: float
    distinct: int  # distinct missed questions (case and punctuation aside)
    clustered: int  # of which clustered: the most asked, up to the cap
    left_out: int  # of the others, those close to no group or never vectorised: in no group, so never shown

    @property
    def grouped(self) -> int:
        """Distinct questions in a group, shown or not."""
        return self.distinct - self.left_out

    def find(self, group_id: str) -> Group | None:
        """The group with this id, or None."""
        return next((g for g in self.groups if g.id == group_id), None)


Similar = tuple[Vectoriser, float]  # a vectoriser and the cosine at which its vectors group


def engine_grouping(engine: Engine) -> Similar:
    """How missed questions are grouped with this engine: by its sentence encoder when on, else by TF-IDF."""
    if engine.semantic is not None:
        return semantic_vectoriser(engine.semantic.encoder), SEMANTIC_THRESHOLD
    return lexical_vectors, LEXICAL_THRESHOLD


def missed_questions(store: InsightsStore, since: float) -> list[Missed]:
    """The question text of declined, clarified and thumbs-down replies recorded since `since`, one entry per
    distinct question (case and punctuation aside), most asked first. A question of function words alone ("ok",
    "and then?") is left out: no section could take it as an alternate."""
    asked = [(o.question, o.at) for o in store.outcomes() if o.question and o.kind in QUESTION_KINDS]
    asked += [(f.question, f.at) for f in store.feedback() if f.question and f.vote == "down"]
    found: dict[str, Missed] = {}
    for text, at in asked:
        if at < since or not content_words(text):
            continue
        key = question_key(text)
        seen = found.get(key)
        if seen is None:
            found[key] = Missed(" ".join(text.split()), 1, at, key)
        else:
            found[key] = Missed(seen.text, seen.count + 1, max(seen.last_at, at), key)
    return sorted(found.values(), key=lambda m: (-m.count, -m.last_at))


def review_list(
    engine: Engine,
    store: InsightsStore,
    marks: ReviewMarks,
    now: float,
    retention_days: int,
    sections: bool = True,
    *,
    cap: int = CLUSTER_CAP,
) -> ReviewList:
    """The missed questions recorded within the retention period, grouped, each group with its likely sections
    (unless `sections` is false: they cost a look-up per question, so an interactive review finds them as each
    group is shown). Questions already decided are not shown; a group holding one marked "not covered" is left out
    whole. Only `cap` questions are clustered, the decided ones first, then the most asked; the others join a group or
    are left out (`group_texts`)."""
    since = now - retention_days * DAY_SECONDS
    missed = missed_questions(store, since)
    decided = marks.decisions()
    semantic = engine.semantic is not None
    vectorise, threshold = engine_grouping(engine)
    groups: list[Group] = []
    hidden = 0
    # Decided questions are always grouped, however rarely asked: a "not covered" mark hides its group only if the
    # marked question is in it.
    kept = [row for row, m in enumerate(missed) if m.key in decided]
    texts, counts = [m.text for m in missed], [m.count for m in missed]
    grouping = group_texts(texts, vectorise, threshold, counts, cap=cap, first=kept)
    for rows in grouping.groups:
        members = [missed[r] for r in rows]
        if any(decided.get(m.key) == "not covered" for m in members):
            hidden += 1
            continue
        # Decided questions still group (so a new wording joins its old group) but are not reviewed again.
        members = sorted((m for m in members if m.key not in decided), key=lambda m: (-m.count, -m.last_at))
        if members:
            group = _group(members)
            groups.append(with_sections(engine, group) if sections else group)
    groups.sort(key=lambda g: (-g.size, -g.last_at))
    total = sum(m.count for m in missed)
    method = "semantic" if semantic else "lexical"
    left_out = len(grouping.left_out)
    return ReviewList(tuple(groups), total, hidden, method, threshold, since, len(missed), grouping.clustered, left_out)


def _group(members: list[Missed]) -> Group:
    digest = hashlib.sha256(" ".join(sorted(m.key for m in members)).encode("ascii")).hexdigest()
    return Group(digest[:8], sum(m.count for m in members), tuple(members), ())


def with_sections(engine: Engine, group: Group) -> Group:
    """The group with the sections the engine ranks highest for it."""
    return dataclasses.replace(group, sections=section_guesses(engine, group.questions))


def section_guesses(
    engine: Engine, members: Sequence[Missed], limit: int = SECTION_CHOICES
) -> tuple[SectionGuess, ...]:
    """The sections the engine ranks highest for a group: each section's ranking probability averaged over the
    group's most asked questions (weighted by how often each was asked), best first."""
    chosen = list(members[:_GUESS_FROM])
    weight = sum(m.count for m in chosen)
    totals: dict[int, float] = {}
    for member in chosen:
        for candidate in _ranked(engine, member.text):
            totals[candidate.position] = totals.get(candidate.position, 0.0) + member.count * candidate.confidence
    best = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    pairs = engine.kb.pairs
    return tuple(
        SectionGuess(pairs[p].id, pairs[p].heading, pairs[p].question, round(total / weight, 3)) for p, total in best
    )


def _ranked(engine: Engine, text: str) -> list[Candidate]:
    """The engine's candidates for a question asked on its own, read with the sentence encoder when it is on."""
    question = Question.read(text)
    observation, semantic = engine.observe(
        question, ConversationState(), engine.index.verbatim(question.words), semantic="always"
    )
    used = semantic or observation
    return ranked(used, engine.weights.ranking[used.kind], engine.pair_table, SECTION_CHOICES)


def accept(
    engine: Engine, group: Group, section_id: str, overlay: Path, marks: ReviewMarks, now: float, note: str = ""
) -> Added:
    """Write a group's questions as alternates of a section into the overlay file (the corpus's overlay.toml) and
    mark them accepted. Raises KeyError for a section the engine does not have, OverlayEditError when the overlay
    cannot be edited (then nothing is marked)."""
    pair = engine.kb.pair(section_id)
    if pair is None:
        raise KeyError(section_id)
    added = add_alternates(overlay, section_id, group.alternates(), known=(pair.question, pair.heading), note=note)
    marks.mark((m.key for m in group.questions), "accepted", now, section_id)
    return added


def not_covered(group: Group, overlay: Path, marks: ReviewMarks, now: float, note: str = "") -> Added:
    """Write a group's questions to the overlay's `[not_covered]` list, so that questions like them are declined
    sooner, and mark them not covered, so the group is not shown again. Raises OverlayEditError when the overlay
    cannot be edited (then nothing is marked)."""
    added = add_not_covered(overlay, group.alternates(), note=note)
    marks.mark((m.key for m in group.questions), "not covered", now)
    return added
