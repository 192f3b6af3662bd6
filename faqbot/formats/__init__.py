"""Readers for documents that are not plain text: each turns one file into the typed blocks text extraction makes
(headings with levels, paragraphs, lists), or, for a Q&A table, into question-answer rows."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from faqbot.extract import Block
from faqbot.formats.table import TableRow

# The readers' libraries log what they repair in a damaged file ("EOF marker not found"). With no logging set up, as
# in `faqbot kb`, Python would print those on stderr beside faqbot's own one-line error; a configured application
# still gets them through its root logger.
for _library in ("pypdf", "trafilatura", "htmldate", "courlan", "docx"):
    logging.getLogger(_library).addHandler(logging.NullHandler())

# Suffix -> format name; .txt and .md are read as text by faqbot.corpus itself.
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".tsv": "table", ".csv": "table"}


class UnreadableDocument(Exception):
    """A document the reader cannot use; the message is the one-line reason, without the file's name."""


@dataclass(frozen=True)
class Reading:
    """What a reader took from one file: its blocks or rows, what it left out, and how it was read."""

    format: str
    blocks: tuple[Block, ...] = ()
    rows: tuple[TableRow, ...] = ()
    dropped: tuple[str, ...] = ()
    note: str = ""


def heading(text: str, level: int) -> Block:
    """A heading block at `level` (1 is the document's title level)."""
    return Block("heading", " ".join(text.split()), max(1, min(level, 6)))


def paragraph(text: str) -> Block:
    """A paragraph block, its whitespace collapsed."""
    return Block("text", " ".join(text.split()))


def bullets(items: list[str]) -> Block:
    """A list block, one "• item" line per non-empty item (as text extraction writes lists)."""
    return Block("bullets", "\n".join("\u2022 " + " ".join(item.split()) for item in items if item.strip()))


def read_document(suffix: str, data: bytes) -> Reading:
    """Read one file's bytes with the reader for its suffix; raise UnreadableDocument with the reason.
    Readers are imported here, when a corpus has such a file, so a text-only corpus never loads their libraries."""
    match FORMATS.get(suffix.lower()):
        case "html":
            from faqbot.formats.html_page import read_html

            return read_html(data)
        case "pdf":
            from faqbot.formats.pdf_file import read_pdf

            return read_pdf(data)
        case "docx":
            from faqbot.formats.word import read_docx

            return read_docx(data)
        case "table":
            from faqbot.formats.table import TableError, read_table

            try:
                rows, ignored = read_table(data, "\t" if suffix.lower() == ".tsv" else ",")
            except TableError as error:
                raise UnreadableDocument(str(error)) from None
            return Reading("table", rows=rows, dropped=ignored, note=f"{len(rows)} rows")
        case _:
            raise UnreadableDocument(f"no reader for {suffix} files")
