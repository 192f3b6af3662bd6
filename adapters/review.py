"""`faqbot review`: the missed-question groups in the terminal (a/n/s/q, a number for another section), as JSON, or
one decision given on the command line."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from faqbot.corpus import OVERLAY_FILE
from faqbot.engine import Engine
from faqbot.grouping import VECTORISE_CAP
from faqbot.insights import SQLiteStore
from faqbot.overlay_edit import OverlayEditError
from faqbot.review import Group, ReviewList, accept, not_covered, review_list, with_sections
from faqbot.review_marks import ReviewMarks

from .errors import UsageError
from .settings import Settings
from .terminal import Style, terminal_width, wrap

SHOWN_QUESTIONS = 8
KEYS = "[a] accept for the section marked * · [n] not covered · [s] skip · [q] quit · 1-{n} choose another section"


class Session:
    """One review: the engine, the insights file's store and marks, where the overlay is, and the clock."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        path = settings.insights.path
        if not path.is_file():
            raise UsageError(f"no insights file at {path} yet ([insights] path): nothing has been recorded")
        self.engine = Engine.from_settings(settings.engine)
        self.overlay = settings.engine.corpus / OVERLAY_FILE
        self.clock = clock
        self.retention_days = settings.insights.retention_days
        try:
            self.store = SQLiteStore(path)
            self.marks = ReviewMarks(path)
        except sqlite3.Error as error:
            raise UsageError(f"cannot read the insights file {path}: {error}") from None

    def listing(self, sections: bool) -> ReviewList:
        """The groups to review now (with their likeliest sections, or without them for now)."""
        try:
            return review_list(self.engine, self.store, self.marks, self.clock(), self.retention_days, sections)
        except sqlite3.Error as error:
            raise UsageError(f"cannot read the insights file: {error}") from None

    def accept(self, group: Group, section_id: str) -> str:
        """Accept a group for a section; the line saying what was written. UsageError when it cannot be."""
        note = f"faqbot review {time.strftime('%Y-%m-%d', time.localtime(self.clock()))}"
        try:
            added = accept(self.engine, group, section_id, self.overlay, self.marks, self.clock(), note)
        except KeyError:
            raise UsageError(f"no section {section_id!r} in the documents (ids from `faqbot kb`)") from None
        except (OverlayEditError, sqlite3.Error) as error:
            raise UsageError(str(error)) from None
        pair = self.engine.kb.pair(section_id)
        heading = pair.heading if pair else section_id
        already = f"; {len(added.already)} already there" if added.already else ""
        return (
            f"added {_count(len(added.added), 'alternate question')} to {heading!r} ({section_id}) in "
            f"{self.overlay}{already}; they are used after a reload (SIGHUP, --watch) or restart"
        )

    def not_covered(self, group: Group) -> str:
        """Mark a group not covered; the line saying so."""
        note = f"faqbot review {time.strftime('%Y-%m-%d', time.localtime(self.clock()))}"
        try:
            added = not_covered(group, self.overlay, self.marks, self.clock(), note)
        except OverlayEditError as error:
            raise UsageError(str(error)) from None
        except sqlite3.Error as error:
            raise UsageError(f"cannot write the insights file: {error}") from None
        return (
            f"group {group.id} marked not covered: it will not be shown again, and "
            f"{_count(len(added.added), 'question')} added to [not_covered] in {self.overlay} make similar questions "
            "likelier declined after a reload"
        )

    def close(self) -> None:
        """Release the insights file."""
        self.marks.close()
        self.store.close()


def run(args: argparse.Namespace, settings: Settings, out: TextIO | None = None, keys: TextIO | None = None) -> int:
    """Review the missed questions: interactively, as JSON, or one decision from the options."""
    out, keys = out or sys.stdout, keys or sys.stdin
    if args.section and not args.accept:
        raise UsageError("--section goes with --accept GROUP")
    session = Session(settings)
    try:
        listing = session.listing(sections=bool(args.json))
        if args.accept or args.not_covered:
            group = with_sections(session.engine, _find(listing, args.accept or args.not_covered))
            if args.not_covered:
                print(session.not_covered(group), file=out)
                return 0
            if not group.sections and not args.section:
                raise UsageError("the engine has no section for this group; name one with --section ID")
            print(session.accept(group, args.section or group.sections[0].id), file=out)
            return 0
        if args.json:
            print(json.dumps(listing_json(listing), ensure_ascii=False, indent=2), file=out)
            return 0
        return interactive(session, listing, out, keys, Style(out.isatty()))
    finally:
        session.close()


def _find(listing: ReviewList, group_id: str) -> Group:
    group = listing.find(group_id)
    if group is None:
        raise UsageError(f"no group {group_id!r} to review now (ids from `faqbot review --json`; the list changes)")
    return group


def listing_json(listing: ReviewList) -> dict[str, Any]:
    """The review list as JSON: how it was made, then each group with its questions and likely sections."""
    return {
        "questions": listing.questions,
        "since": _date(listing.since),
        "method": listing.method,
        "threshold": listing.threshold,
        "hidden_not_covered": listing.hidden,
        "distinct_questions": listing.distinct,
        "grouped_questions": listing.grouped,
        "left_out_questions": listing.left_out,
        "groups": [
            {
                "id": g.id,
                "size": g.size,
                "last_asked": _date(g.last_at),
                "examples": list(g.examples),
                "questions": [{"text": q.text, "count": q.count} for q in g.questions],
                "sections": [{"id": s.id, "heading": s.heading, "score": s.score} for s in g.sections],
            }
            for g in listing.groups
        ],
    }


def interactive(session: Session, listing: ReviewList, out: TextIO, keys: TextIO, style: Style) -> int:
    """Each group in turn, a decision read as a line from `keys` (end of input quits)."""
    print(_summary(listing), file=out)
    if not listing.groups:
        print("Question text is recorded only with [insights] keep_questions = true.", file=out)
        return 0
    done = {"accepted": 0, "not covered": 0, "skipped": 0}
    for number, group in enumerate(listing.groups, start=1):
        decision = _decide(
            session, with_sections(session.engine, group), f"{number} of {len(listing.groups)}", out, keys, style
        )
        if decision == "quit":
            break
        done[decision] += 1
    print(", ".join(f"{_count(n, 'group')} {what}" for what, n in done.items()), file=out)
    return 0


def _decide(session: Session, group: Group, place: str, out: TextIO, keys: TextIO, style: Style) -> str:
    """Show one group and read keys until it is accepted, marked, skipped, or the review is quit."""
    chosen = 0
    _show(group, place, chosen, out, style)
    while True:
        out.write("> ")
        out.flush()
        line = keys.readline()
        if not line:
            print(file=out)
            return "quit"
        key = line.strip().lower()
        if key == "q":
            return "quit"
        if key == "s":
            return "skipped"
        try:
            if key == "n":
                print(session.not_covered(group), file=out)
                return "not covered"
            if key == "a" and group.sections:
                print(session.accept(group, group.sections[chosen].id), file=out)
                return "accepted"
        except UsageError as error:
            print(style(f"error: {error}", "31"), file=out)
            continue
        if key.isdigit() and 1 <= int(key) <= len(group.sections):
            chosen = int(key) - 1
            _sections(group, chosen, out, style)
            continue
        print(KEYS.format(n=len(group.sections)), file=out)


def _show(group: Group, place: str, chosen: int, out: TextIO, style: Style) -> None:
    width = terminal_width()
    head = f"\nGroup {group.id} ({place}): asked {_count(group.size, 'time')}, last on {_date(group.last_at)}"
    print(style(head, "1"), file=out)
    for question in group.questions[:SHOWN_QUESTIONS]:
        times = f"  (\u00d7{question.count})" if question.count > 1 else ""
        print("\n".join(wrap(f"\u201c{question.text}\u201d{times}", width, "  ", "   ")), file=out)
    if len(group.questions) > SHOWN_QUESTIONS:
        print(f"  \u2026 and {len(group.questions) - SHOWN_QUESTIONS} more", file=out)
    _sections(group, chosen, out, style)
    print(style(KEYS.format(n=len(group.sections)), "2"), file=out)


def _sections(group: Group, chosen: int, out: TextIO, style: Style) -> None:
    if not group.sections:
        print("No section ranks for these questions: [n] not covered or [s] skip.", file=out)
        return
    print("Most likely section (score: the ranking's mean probability over the group):", file=out)
    for number, guess in enumerate(group.sections, start=1):
        mark = "*" if number - 1 == chosen else " "
        line = f" {mark}{number}) {guess.heading}  [{guess.id}]  {guess.score:.2f}"
        print(style(line, "1") if mark == "*" else line, file=out)


def _summary(listing: ReviewList) -> str:
    hidden = f"; {_count(listing.hidden, 'group')} hidden as not covered" if listing.hidden else ""
    summary = (
        f"{_count(len(listing.groups), 'group')} of missed questions to review from "
        f"{_count(listing.questions, 'question')} recorded since {_date(listing.since)} "
        f"(grouped by {listing.method} similarity \u2265 {listing.threshold:.2f}){hidden}."
    )
    if not listing.left_out:
        return summary
    # Said whenever a question is in no group, so the editor does not take the groups for everything missed.
    return (
        f"{summary}\n{listing.grouped:,} of {listing.distinct:,} distinct questions are grouped: the "
        f"{listing.clustered:,} most asked, and {listing.grouped - listing.clustered:,} less asked that joined one "
        f"of their groups; left out: {listing.left_out:,} less asked, close to no group or beyond the "
        f"{VECTORISE_CAP:,} most asked."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _date(at: float) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(at))
