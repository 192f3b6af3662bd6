"""PDF documents (pypdf): lines with their font size and weight, headings told by size and bold, lists by bullets."""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pypdf

from faqbot import furniture as fur
from faqbot.extract import Block
from faqbot.formats import Reading, UnreadableDocument, bullets, heading, paragraph

# A line in a font this much larger than the body text is a heading; each larger size is a higher level.
_HEADING_RATIO = 1.12
_MAX_HEADING_WORDS = 16
# Baselines further apart than this many font sizes are a paragraph break (body lines sit about 1.2 apart).
_PARAGRAPH_GAP = 1.5
# Points further right than the body text's left edge that make an indented line (a list item without a bullet).
_INDENT = 6
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-\u2013 ]*\d{1,4}(?:\s+of\s+\d{1,4})?[-\u2013 ]*$", re.I)


@dataclass
class Line:
    """One line of a page: its text, baseline height, font size, whether its font is bold, and where it starts."""

    text: str
    y: float
    size: float
    bold: bool
    x: float = 0.0


def read_pdf(data: bytes) -> Reading:
    """A PDF's text as blocks; running headers, footers and page numbers are reported as dropped."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("is encrypted with a password")
        pages = [_lines(page) for page in reader.pages]
        title = reader.metadata.title if reader.metadata is not None else None
    except UnreadableDocument:
        raise
    except Exception as error:  # a damaged PDF fails in many ways inside pypdf; each is the same one line here
        raise UnreadableDocument(f"is not a readable PDF ({type(error).__name__}: {error})".split("\n")[0]) from None
    pages, dropped = _without_running_lines(pages)
    lines = [line for page in pages for line in page]
    if not lines:
        raise UnreadableDocument("has no text layer (a scanned image?); faqbot reads text, not pictures")
    blocks = _blocks(pages, _heading_levels(lines))
    if blocks and blocks[0].kind != "heading" and title and title.strip():
        blocks.insert(0, heading(title, 1))
    count = len(reader.pages)
    return Reading("pdf", blocks=tuple(blocks), dropped=tuple(dropped), note=f"{count} page{'s' * (count != 1)}")


def _lines(page: pypdf.PageObject) -> list[Line]:
    """Text pieces grouped into lines by their baseline, in the order the page draws them."""
    lines: dict[int, Line] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        # The text matrix times the transformation matrix places the piece and scales its font.
        x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        key = round(y)
        bold = re.search(r"bold|black|heavy", name, re.I) is not None
        line = lines.setdefault(key, Line("", y, size * scale, bold, x))
        line.text += text.replace("\n", " ")

    page.extract_text(visitor_text=visit)
    return [
        Line(" ".join(line.text.split()), line.y, line.size, line.bold, line.x)
        for line in sorted(lines.values(), key=lambda line: -line.y)
    ]


def _without_running_lines(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
    """Page numbers, then the first or last line of a page, set apart from the text, when more than one page has it
    (running headers and footers, their numbers aside)."""

    def shape(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    dropped = [line.text for page in pages for line in page if _PAGE_NUMBER.match(line.text)]
    pages = [[line for line in page if not _PAGE_NUMBER.match(line.text)] for page in pages]
    edges = Counter(text for page in pages for text in {shape(line) for line in page[:1] + page[-1:]})
    kept_pages = []
    for page in pages:
        running = [i for i in {0, len(page) - 1} if page and edges[shape(page[i])] > 1 and _set_apart(page, i)]
        dropped.extend(page[i].text for i in sorted(running))
        kept_pages.append([line for i, line in enumerate(page) if i not in running])
    return kept_pages, dropped


def _set_apart(page: list[Line], index: int) -> bool:
    """A page's first or last line stands apart from the text next to it (a header or footer, not body text)."""
    if len(page) < 2:
        return True
    return _gap_between(page[0], page[1]) if index == 0 else _gap_between(page[-2], page[-1])


def _heading_levels(lines: list[Line]) -> dict[float, int]:
    """Heading level per font size: sizes well above the body text's, largest first."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    body = weights.most_common(1)[0][0]
    larger = sorted((size for size in weights if size > body * _HEADING_RATIO), reverse=True)
    levels = {size: level for level, size in enumerate(larger, start=1)}
    levels[body] = len(larger) + 1  # a bold, heading-like line at the body size
    return levels


def _level(line: Line, levels: dict[float, int]) -> int | None:
    size = round(line.size, 1)
    short = len(line.text.split()) <= _MAX_HEADING_WORDS and not fur.is_bullet_line(line.text)
    if size in levels and levels[size] < max(levels.values()) and short:
        return levels[size]
    if line.bold and short and (line.text.endswith("?") or not fur.ends_like_sentence(line.text)):
        return levels.get(size, max(levels.values()))
    return None


def _blocks(pages: list[list[Line]], levels: dict[float, int]) -> list[Block]:
    """Lines joined into headings, paragraphs and lists; a wider gap than usual between lines ends a paragraph."""
    blocks: list[Block] = []
    current: list[str] = []  # lines of the paragraph being read
    items: list[str] = []  # items of the list being read
    for page in pages:
        margin = _left_margin([line for line in page if _level(line, levels) is None])
        previous: Line | None = None
        for line in page:
            level = _level(line, levels)
            near = previous is not None and not _gap_between(previous, line)
            if level is not None and near and previous is not None and _level(previous, levels) == level:
                blocks[-1] = heading(f"{blocks[-1].text} {line.text}", level)  # a heading wrapped in two
                previous = line
                continue
            is_item = fur.is_bullet_line(line.text) or (level is None and _unmarked_item(line, margin, items, current))
            if not near or level is not None or is_item:
                _flush(blocks, current, items, list_continues=is_item)
            if level is not None:
                blocks.append(heading(line.text, level))
            elif is_item:
                items.append(fur.bullet_text(line.text) if fur.is_bullet_line(line.text) else line.text)
            elif items:
                items[-1] += " " + line.text  # an item wrapped onto the next line
            else:
                current.append(line.text)
            previous = line
    _flush(blocks, current, items, list_continues=False)
    return blocks


def _left_margin(lines: list[Line]) -> float:
    """Where a page's body text starts: the leftmost position two lines share (one line further left is an outlier,
    and a page's margin may differ from the next page's)."""
    starts = Counter(round(line.x) for line in lines)
    shared = [x for x, count in starts.items() if count > 1]
    return float(min(shared or starts or [0]))


def _unmarked_item(line: Line, margin: float, items: list[str], current: list[str]) -> bool:
    """An indented line starting with a capital or a digit, in a list or right after a lead-in ending in ":": an
    item whose bullet is drawn as a shape, not a character (as browsers print lists)."""
    if line.x <= margin + _INDENT or (not line.text[:1].isupper() and not line.text[:1].isdigit()):
        return False
    return bool(items) or (bool(current) and current[-1].endswith(":"))


def _gap_between(upper: Line, lower: Line) -> bool:
    """More space than a line's own spacing (about 1.2 times its font size): a paragraph break."""
    return upper.y - lower.y > _PARAGRAPH_GAP * max(upper.size, 1.0) or upper.y < lower.y


def _flush(blocks: list[Block], current: list[str], items: list[str], *, list_continues: bool) -> None:
    if current:
        blocks.append(paragraph(" ".join(current)))
        current.clear()
    if items and not list_continues:
        blocks.append(bullets(items))
        items.clear()
