"""Reading the insights file for the report without changing it: read-only SQLite, nothing created, nothing written."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from faqbot.insights import Feedback, Outcome

_OUTCOME_COLUMNS = "at, channel, kind, answer_id, confidence, question"
_FEEDBACK_COLUMNS = "at, channel, answer_id, vote, kind, confidence, comment, question"


class ReportError(Exception):
    """The insights file cannot be read; the message is one line for the editor."""


@dataclass(frozen=True)
class Records:
    """Everything the insights file holds at or after a time: outcomes and votes, oldest first."""

    outcomes: tuple[Outcome, ...]
    feedback: tuple[Feedback, ...]


def _uri(path: Path) -> str:
    """The file as a read-only SQLite URI.

    A WAL database opened with `mode=ro` alone gets its -wal and -shm files created when they are missing, so a file
    no server has open (no -wal beside it: everything is in the main file) is opened `immutable`, which creates
    nothing and takes no locks. With a -wal present a server is writing (or died while writing): then plain `mode=ro`
    reads through the existing -wal and -shm so the latest rows are seen; it never writes to the database.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    wal = path.with_name(path.name + "-wal")
    return uri if wal.exists() else uri + "&immutable=1"


def read_records(path: Path, since: float | None = None) -> Records:
    """The outcomes and votes recorded at or after `since` (all when None); ReportError when the file can't be read."""
    if not path.is_file():
        raise ReportError(f"no insights file at {path} ([insights] path): nothing has been recorded there yet")
    where, values = ("WHERE at >= ?", (since,)) if since is not None else ("", ())
    try:
        connection = sqlite3.connect(_uri(path), uri=True)
    except sqlite3.Error as error:
        raise ReportError(f"cannot open the insights file {path}: {error}") from None
    try:
        outcomes = connection.execute(f"SELECT {_OUTCOME_COLUMNS} FROM outcomes {where} ORDER BY at, id", values)
        kept_outcomes = tuple(Outcome(*row) for row in outcomes.fetchall())
        votes = connection.execute(f"SELECT {_FEEDBACK_COLUMNS} FROM feedback {where} ORDER BY at, id", values)
        kept_votes = tuple(Feedback(*row) for row in votes.fetchall())
    except sqlite3.Error as error:
        # Not an SQLite file, or one that is not faqbot's (no such table): the editor named the wrong file.
        raise ReportError(f"cannot read {path} as a faqbot insights file: {error}") from None
    finally:
        connection.close()
    return Records(kept_outcomes, kept_votes)
