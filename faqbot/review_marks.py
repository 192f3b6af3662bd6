"""The editor's decisions on missed questions ("accepted" for a section, "not covered"), kept in a small table of the
insights file so a decided question does not come back. A question is kept as a hash of its words, never its text:
the marks outlive the retention period the text is deleted after."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from faqbot.insights import BUSY_TIMEOUT_MS
from faqbot.text import char_form

Decision = Literal["accepted", "not covered"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_marks (
    question_key TEXT PRIMARY KEY, decision TEXT NOT NULL, section TEXT, at REAL NOT NULL);
"""


def question_key(text: str) -> str:
    """A question's identity for the marks: a hash of its words, case and punctuation aside."""
    return hashlib.sha256(char_form(text).encode("utf-8")).hexdigest()[:24]


class ReviewMarks:
    """Decisions by question key, in the `review_marks` table of an SQLite file (the insights file)."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self._connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._connection.executescript(_SCHEMA)

    def decisions(self) -> dict[str, Decision]:
        """Every marked question key with its decision."""
        rows = self._connection.execute("SELECT question_key, decision FROM review_marks").fetchall()
        return {str(key): decision for key, decision in rows}

    def mark(self, keys: Iterable[str], decision: Decision, at: float, section: str | None = None) -> None:
        """Record one decision for these question keys (a later decision replaces an earlier one), in one commit."""
        rows = [(key, decision, section, at) for key in keys]
        with self._connection:
            self._connection.execute("BEGIN IMMEDIATE")
            self._connection.executemany(
                "INSERT INTO review_marks (question_key, decision, section, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (question_key) DO UPDATE SET decision = excluded.decision, section = excluded.section, "
                "at = excluded.at",
                rows,
            )

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()
