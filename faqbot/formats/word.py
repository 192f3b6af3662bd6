"""Word documents (.docx, python-docx): heading styles give the levels, list styles and numbering the lists."""

from __future__ import annotations

import io
import re

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from faqbot.extract import Block
from faqbot.formats import Reading, UnreadableDocument, bullets, heading, paragraph

_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)


def read_docx(data: bytes) -> Reading:
    """A Word document's body as blocks; tables, page headers and footers are reported as dropped."""
    try:
        document = docx.Document(io.BytesIO(data))
        content = list(document.iter_inner_content())
        margins = [
            part.text
            for section in document.sections
            for part in (*section.header.paragraphs, *section.footer.paragraphs)
            if part.text.strip()
        ]
    except Exception as error:  # a damaged file fails in zipfile, lxml or python-docx; each is one line here
        raise UnreadableDocument(f"is not a readable Word document ({type(error).__name__})") from None
    blocks: list[Block] = []
    items: list[str] = []
    dropped = [f"page header or footer: {text}" for text in dict.fromkeys(margins)]
    for part in content:
        if isinstance(part, Table):
            dropped.append("table: " + " | ".join(cell.text.strip() for cell in part.rows[0].cells) + " …")
            continue
        text = " ".join(part.text.split())
        if not text:
            continue
        if _is_item(part):
            items.append(text)
            continue
        if items:
            blocks.append(bullets(items))
            items = []
        level = _heading_level(part)
        blocks.append(heading(text, level) if level else paragraph(text))
    if items:
        blocks.append(bullets(items))
    if not blocks:
        raise UnreadableDocument("has no text (an empty document, or only tables and pictures)")
    return Reading("docx", blocks=tuple(blocks), dropped=tuple(dropped), note="body text")


def _style(part: Paragraph) -> str:
    return part.style.name if part.style is not None and part.style.name else ""


def _heading_level(part: Paragraph) -> int:
    """1-9 for a Title or Heading N paragraph, 0 for body text."""
    name = _style(part)
    if name.lower() == "title":
        return 1
    match = _HEADING_STYLE.match(name)
    return int(match[1]) if match else 0


def _is_item(part: Paragraph) -> bool:
    """A list item: a List style (List Bullet, List Number, List Paragraph) or Word's own numbering."""
    properties = part._p.pPr  # numbering lives in the paragraph properties, which python-docx does not wrap
    return _style(part).lower().startswith("list") or (properties is not None and properties.numPr is not None)
