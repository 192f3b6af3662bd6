"""What became of each reply and what people thought of it: the recording policy, a small store interface, and
the SQLite store behind it (one file shared by every worker process and adapter)."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from faqbot.models import Reply
from faqbot.scrub import scrub
from faqbot.settings import InsightsSettings, SettingsError

log = logging.getLogger(__name__)

Vote = Literal["up", "down"]
VOTES: tuple[Vote, ...] = ("up", "down")
MAX_COMMENT_CHARS = 200
# Declined and clarified replies are the ones whose question says what the documents are missing.
QUESTION_KINDS = frozenset({"fallback", "clarify"})
EXPIRE_EVERY_SECONDS = 3600.0
BUSY_TIMEOUT_MS = 10_000
DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class Outcome:
    """One reply as recorded: never its text; the question only when the clinic keeps them (scrubbed)."""

    at: float
    channel: str
    kind: str
    answer_id: str | None
    confidence: float | None
    question: str | None = None


@dataclass(frozen=True)
class Feedback:
    """A thumbs up or down on an answer, with the optional comment (scrubbed) and, kept questions on, the question."""

    at: float
    channel: str
    answer_id: str
    vote: Vote
    kind: str = "answer"
    confidence: float | None = None
    comment: str | None = None
    question: str | None = None


class InsightsStore(Protocol):
    """Where outcomes and feedback are kept; a server database can follow SQLiteStore behind the same methods."""

    def add_outcome(self, outcome: Outcome) -> None:
        """Keep one outcome (committed before returning)."""

    def add_feedback(self, feedback: Feedback) -> int:
        """Keep one vote (committed before returning); its id, for a comment that follows."""

    def add_comment(self, feedback_id: int, comment: str) -> bool:
        """Give a thumbs-down that has no comment yet its comment; False if there is no such vote."""

    def expire(self, before: float) -> int:
        """Delete the question text and comments of rows recorded before `before`; the number of rows changed."""

    def outcomes(self) -> list[Outcome]:
        """Every outcome kept, oldest first."""

    def feedback(self) -> list[Feedback]:
        """Every vote kept, oldest first."""

    def close(self) -> None:
        """Release every connection."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    id INTEGER PRIMARY KEY, at REAL NOT NULL, channel TEXT NOT NULL, kind TEXT NOT NULL,
    answer_id TEXT, confidence REAL, question TEXT);
CREATE INDEX IF NOT EXISTS outcomes_at ON outcomes (at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY, at REAL NOT NULL, channel TEXT NOT NULL, answer_id TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')), kind TEXT NOT NULL, confidence REAL,
    comment TEXT, question TEXT);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at);
"""
_OUTCOME_COLUMNS = "at, channel, kind, answer_id, confidence, question"
_FEEDBACK_COLUMNS = "at, channel, answer_id, vote, kind, confidence, comment, question"


def _close_all(connections: list[sqlite3.Connection], lock: threading.Lock) -> None:
    with lock:
        for connection in connections:
            connection.close()
        connections.clear()


class SQLiteStore:
    """The store in one SQLite file: WAL so readers never wait, a busy timeout so workers queue for the write lock,
    and one connection per thread (sqlite3 connections are not to be shared between threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        # Connections are closed when the store is, or when it is garbage collected without being closed.
        self._finalizer = weakref.finalize(self, _close_all, self._connections, self._lock)
        self._connection().executescript(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # Autocommit: each insert is its own transaction, committed before the caller goes on.
            connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL loses nothing when a process dies, only on power loss; FULL would fsync every row.
            connection.execute("PRAGMA synchronous = NORMAL")
            with self._lock:
                self._connections.append(connection)
            self._local.connection = connection
        return connection

    def add_outcome(self, outcome: Outcome) -> None:
        """Keep one outcome."""
        self._connection().execute(
            f"INSERT INTO outcomes ({_OUTCOME_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (outcome.at, outcome.channel, outcome.kind, outcome.answer_id, outcome.confidence, outcome.question),
        )

    def add_feedback(self, feedback: Feedback) -> int:
        """Keep one vote; its row id."""
        f = feedback
        cursor = self._connection().execute(
            f"INSERT INTO feedback ({_FEEDBACK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (f.at, f.channel, f.answer_id, f.vote, f.kind, f.confidence, f.comment, f.question),
        )
        return int(cursor.lastrowid or 0)

    def add_comment(self, feedback_id: int, comment: str) -> bool:
        """Set the comment of a thumbs-down that has none."""
        cursor = self._connection().execute(
            "UPDATE feedback SET comment = ? WHERE id = ? AND vote = 'down' AND comment IS NULL",
            (comment, feedback_id),
        )
        return cursor.rowcount == 1

    def expire(self, before: float) -> int:
        """Delete question text and comments older than `before`."""
        connection = self._connection()
        changed = connection.execute(
            "UPDATE outcomes SET question = NULL WHERE at < ? AND question IS NOT NULL", (before,)
        ).rowcount
        changed += connection.execute(
            "UPDATE feedback SET question = NULL, comment = NULL WHERE at < ? "
            "AND (question IS NOT NULL OR comment IS NOT NULL)",
            (before,),
        ).rowcount
        return changed

    def outcomes(self) -> list[Outcome]:
        """Every outcome, oldest first."""
        rows = self._connection().execute(f"SELECT {_OUTCOME_COLUMNS} FROM outcomes ORDER BY id").fetchall()
        return [Outcome(*row) for row in rows]

    def feedback(self) -> list[Feedback]:
        """Every vote, oldest first."""
        rows = self._connection().execute(f"SELECT {_FEEDBACK_COLUMNS} FROM feedback ORDER BY id").fetchall()
        return [Feedback(*row) for row in rows]

    def close(self) -> None:
        """Close every thread's connection."""
        self._finalizer()


class Insights:
    """The recording policy over a store: what is kept, what is scrubbed first, and when text is deleted.

    Recording never stands in a reply's way: a store error is logged (by its class, never with text) and the
    reply goes out all the same.
    """

    def __init__(
        self, store: InsightsStore, settings: InsightsSettings, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.settings = settings
        self._clock = clock
        self._expired_at = -EXPIRE_EVERY_SECONDS
        self._expire(clock())

    @classmethod
    def from_settings(cls, settings: InsightsSettings) -> Insights:
        """Insights over the SQLite file the settings name (created if missing); SettingsError if it can't be used."""
        try:
            return cls(SQLiteStore(settings.path), settings)
        except (OSError, sqlite3.Error) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise SettingsError(f"cannot use the insights file {settings.path} ([insights] path): {reason}") from None

    def outcome(self, reply: Reply, channel: str, question: str) -> bool:
        """Record a reply's outcome; the question only if kept and the reply declined or clarified. False if lost."""
        keep = self.settings.keep_questions and reply.kind in QUESTION_KINDS
        answer = reply.answer
        outcome = Outcome(
            at=self._clock(),
            channel=channel,
            kind=reply.kind,
            answer_id=answer.id if answer else None,
            confidence=round(answer.confidence, 4) if answer else None,
            question=_stored(question) if keep and question.strip() else None,
        )
        return self._write(lambda: self.store.add_outcome(outcome))

    def vote(
        self,
        channel: str,
        answer_id: str,
        vote: Vote,
        *,
        confidence: float | None = None,
        comment: str | None = None,
        question: str | None = None,
    ) -> int | None:
        """Record a vote on an answer: the comment scrubbed, the question only on a thumbs down when kept.
        The vote's id (for a comment sent after it), None if it was lost."""
        keep = self.settings.keep_questions and vote == "down" and question is not None and question.strip()
        feedback = Feedback(
            at=self._clock(),
            channel=channel,
            answer_id=answer_id,
            vote=vote,
            confidence=confidence,
            comment=_comment(comment),
            question=_stored(question) if keep and question else None,
        )
        ids: list[int] = []
        return ids[0] if self._write(lambda: ids.append(self.store.add_feedback(feedback))) else None

    def comment(self, feedback_id: int, comment: str) -> bool:
        """Add the (scrubbed) comment line sent after a thumbs down; False if lost or there is no such vote."""
        text = _comment(comment)
        added: list[bool] = []
        if text is None or not self._write(lambda: added.append(self.store.add_comment(feedback_id, text))):
            return False
        return added == [True]

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def _write(self, write: Callable[[], object]) -> bool:
        now = self._clock()
        try:
            write()
            if now - self._expired_at >= EXPIRE_EVERY_SECONDS:
                self._expire(now)
        except Exception as error:
            log.warning("an insights record could not be written (%s)", type(error).__name__)
            return False
        return True

    def _expire(self, now: float) -> None:
        self._expired_at = now
        self.store.expire(now - self.settings.retention_days * DAY_SECONDS)


def _comment(comment: str | None) -> str | None:
    """A comment as kept: one line of at most MAX_COMMENT_CHARS, scrubbed; None when there is nothing to keep."""
    line = " ".join((comment or "").split())[:MAX_COMMENT_CHARS]
    return _stored(line) if line else None


def _stored(text: str) -> str:
    """Text as it may be stored: scrubbed, and valid UTF-8 (a lone surrogate, which JSON lets a client send and
    SQLite refuses, becomes "?")."""
    return scrub(text).encode("utf-8", "replace").decode("utf-8")
