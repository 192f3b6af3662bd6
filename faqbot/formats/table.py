"""Q&A tables (.tsv, .csv) in and out: columns question, answer, alternates (separated by "|") and source."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from faqbot import furniture as fur
from faqbot.models import QAPair

COLUMNS = ("question", "answer", "alternates", "source")
BULLET = "\u2022 "


class TableError(ValueError):
    """A table that cannot be used; the message is one line without the file's name."""


@dataclass(frozen=True)
class TableRow:
    """One Q&A pair as a table gives it: the answer as extracted paragraphs (a list is "• item" lines)."""

    question: str
    paragraphs: tuple[str, ...]
    alternates: tuple[str, ...]
    source: str


def read_table(data: bytes, delimiter: str) -> tuple[tuple[TableRow, ...], tuple[str, ...]]:
    """Parse a Q&A table into its rows and the names of the columns it ignores; a missing column, an empty question
    or answer is a TableError naming it."""
    try:
        text = data.decode("utf-8-sig")  # spreadsheets save a byte-order mark
    except UnicodeDecodeError:
        raise TableError("is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            columns = f"{', '.join(missing)} column{'s' * (len(missing) > 1)}"
            raise TableError(f"has no {columns} (the header row needs {', '.join(COLUMNS)})")
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            cell = dict(zip(header, values, strict=False))
            rows.append(_row(cell, reader.line_num))
    except csv.Error as error:
        raise TableError(f"line {reader.line_num}: {error}") from None
    if not rows:
        raise TableError("has a header but no Q&A rows")
    return tuple(rows), tuple(f"column {name!r}" for name in header if name not in COLUMNS)


def _row(cell: dict[str, str], line: int) -> TableRow:
    question, answer = cell.get("question", "").strip(), cell.get("answer", "").strip()
    if not question or not answer:
        raise TableError(f"line {line}: the {'question' if not question else 'answer'} is empty")
    alternates = tuple(a.strip() for a in cell.get("alternates", "").split("|") if a.strip())
    return TableRow(" ".join(question.split()), answer_paragraphs(answer), alternates, cell.get("source", "").strip())


def answer_paragraphs(answer: str) -> tuple[str, ...]:
    """An answer cell as extracted paragraphs: blank lines part paragraphs, bullet lines make a list."""
    paragraphs: list[str] = []
    for chunk in answer.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        first_item = next((i for i, line in enumerate(lines) if fur.is_bullet_line(line)), len(lines))
        if lines[:first_item]:
            paragraphs.append(" ".join(lines[:first_item]))
        if lines[first_item:]:
            paragraphs.append(_items(lines[first_item:]))
    return tuple(paragraphs)


def _items(lines: list[str]) -> str:
    items: list[str] = []
    for line in lines:
        if fur.is_bullet_line(line) or not items:
            items.append(BULLET + fur.bullet_text(line))
        else:
            items[-1] += " " + line  # an item wrapped onto the next line
    return "\n".join(items)


def write_table(pairs: Iterable[QAPair], path: Path) -> int:
    """Write pairs as a Q&A table (.tsv tab-separated, else comma-separated); return how many rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        # Cells with line breaks or separators are quoted, as spreadsheets do, so lists and paragraphs survive.
        writer = csv.writer(out, delimiter="\t" if path.suffix.lower() == ".tsv" else ",", lineterminator="\n")
        writer.writerow(COLUMNS)
        for pair in pairs:
            writer.writerow((pair.question, pair.body, " | ".join(pair.alternates), pair.doc.title))
            count += 1
    return count
