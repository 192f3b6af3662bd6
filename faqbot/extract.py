"""Document text -> sections: headings found by general rules, page furniture dropped, lost lists repaired."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from faqbot import furniture as fur
from faqbot.models import Section
from faqbot.text import fold, split_sentences

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_MD_INLINE = re.compile(r"\[([^\]]+)\]\([^)]*\)|\*\*|__|`")
_DANGLING_CONNECTOR = re.compile(
    r"^(?P<keep>.*?\w[\w)\u2019'\"]*),?\s+(such as|including|like|for example|for instance|e\.g\.)\s*:$", re.I
)
_MAX_TITLE_WORDS = 9
_MAX_QUESTION_WORDS = 16
_MAX_ITEM_WORDS = 12


@dataclass
class Block:
    """A run of non-blank lines: a heading, a paragraph or a bullet list."""

    kind: str  # "heading" | "text" | "bullets"
    text: str
    level: int = 0


@dataclass
class ParsedDocument:
    """What extraction found in one document."""

    title: str | None
    sections: list[Section]
    published: str | None = None
    reviewed: str | None = None
    dropped: list[str] = field(default_factory=list)


def parse_document(text: str, *, markdown: bool, title: str | None) -> ParsedDocument:
    """Split one document into sections, recording what was dropped as furniture."""
    result = ParsedDocument(title=title, sections=[])
    return _sectioned(_classify(_raw_blocks(text, markdown), markdown, result), result, markdown)


def parse_blocks(blocks: Sequence[Block], *, title: str | None) -> ParsedDocument:
    """Sections from a reader's typed blocks (HTML, PDF, Word): headings kept with their levels, paragraphs through
    the same furniture rules as text, lists as they are."""
    result = ParsedDocument(title=title, sections=[])
    kept: list[Block] = []
    skip_level: int | None = None
    for block in blocks:
        if skip_level is not None:
            if block.kind != "heading" or (block.level or 1) > skip_level:
                continue
            skip_level = None
        if block.kind == "heading" and fur.is_link_list_heading(block.text):
            skip_level = block.level or 1
            result.dropped.append(block.text)
        elif block.kind == "text":
            kept.extend(_classify_run([block.text], True, result))
        else:
            kept.append(block)
    return _sectioned(kept, result, markdown=True)


def _sectioned(blocks: list[Block], result: ParsedDocument, markdown: bool) -> ParsedDocument:
    """The first heading is the title when none was given; the rest are grouped into sections."""
    if blocks and blocks[0].kind == "heading":
        found_title = blocks.pop(0).text
        result.title = result.title or found_title
    result.sections = _build_sections(blocks, result.title or "Introduction", markdown)
    return result


def _raw_blocks(text: str, markdown: bool) -> list[list[str]]:
    """Blank-line separated runs of lines; a Markdown heading line is always a run of its own."""
    runs: list[list[str]] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip() or (markdown and _MD_HEADING.match(line.strip())):
            if current:
                runs.append(current)
            current = [line.strip()] if line.strip() else []
            if current:
                runs.append(current)
                current = []
            continue
        current.append(line)
    if current:
        runs.append(current)
    return runs


def _is_hard_wrapped(runs: list[list[str]]) -> bool:
    """A text file wrapped at a fixed width: most paragraphs span several lines."""
    prose = [run for run in runs if not any(fur.is_bullet_line(line) for line in run)]
    multi = [run for run in prose if len(run) > 1]
    return len(prose) > 0 and len(multi) / len(prose) > 0.4


def _classify(runs: list[list[str]], markdown: bool, result: ParsedDocument) -> list[Block]:
    """Turn runs into typed blocks, dropping furniture and noting dates found in it."""
    wrapped = markdown or _is_hard_wrapped(runs)
    blocks: list[Block] = []
    skip_level: int | None = None
    for run in runs:
        first = run[0].strip()
        heading = _MD_HEADING.match(first) if markdown else None
        if skip_level is not None:
            if not heading or len(heading[1]) > skip_level:
                continue
            skip_level = None
        if fur.is_link_list_heading(_md_plain(heading[2]) if heading else first):
            skip_level = len(heading[1]) if heading else 0  # plain text: the rest of the file is link lists
            result.dropped.append(first)
            continue
        if heading:
            blocks.append(Block("heading", _md_plain(heading[2]), len(heading[1])))
            continue
        blocks.extend(_classify_run(run, wrapped, result))
    return blocks


def _classify_run(run: list[str], wrapped: bool, result: ParsedDocument) -> list[Block]:
    text = " ".join(line.strip() for line in run)
    if fur.is_ad_notice(text) or (len(run) == 1 and fur.is_furniture_line(text)):
        result.dropped.append(text)
        return []
    if len(run) == 1 and _capture_date(text, result):
        return []
    if fur.is_review_heading(text):
        result.dropped.append(text)
        return []
    if _is_plain_list(run):
        # "Bring the following:" then one short item per line, without bullets: still a list with its lead-in.
        lead = _classify_run(run[:1], wrapped, result)
        return [*lead, Block("bullets", "\n".join("\u2022 " + _md_plain(line.strip()) for line in run[1:]))]
    bullet_at = next((i for i, line in enumerate(run) if fur.is_bullet_line(line)), None)
    if bullet_at is not None:
        lead = _classify_run(run[:bullet_at], wrapped, result) if bullet_at else []
        return [*lead, Block("bullets", "\n".join(_bullet_items(run[bullet_at:])))]
    if len(run) > 1 and not wrapped and not _breaks_mid_sentence(run):
        result.dropped.append(text)  # an image's alt text and caption scraped as separate lines
        return []
    text = _md_plain(text)
    if len(run) == 1 and _looks_like_heading(text):
        return [Block("heading", text)]
    if len(run) == 1 and not fur.ends_like_sentence(text):
        result.dropped.append(text)  # a caption or standfirst: no sentence punctuation, too long for a heading
        return []
    return [Block("text", text)]


def _is_plain_list(run: list[str]) -> bool:
    """A lead-in line ending in ":" followed by two or more short item lines, none of them a bullet line, each
    starting a new phrase (prose wrapped after a colon goes on in lower case)."""
    items = run[1:]
    return (
        len(items) >= 2
        and run[0].rstrip().endswith(":")
        and not any(fur.is_bullet_line(line) for line in run)
        and all(0 < len(line.split()) <= _MAX_ITEM_WORDS and line.strip()[0].isupper() for line in items)
        and not _breaks_mid_sentence(items)
    )


def _breaks_mid_sentence(run: list[str]) -> bool:
    """A paragraph wrapped at a fixed width: a line ends without punctuation and the next goes on in lower case."""
    return any(
        not fur.ends_like_sentence(line) and following.strip()[:1].islower()
        for line, following in itertools.pairwise(run)
    )


def _capture_date(line: str, result: ParsedDocument) -> bool:
    published = fur.dateline_date(line)
    reviewed = fur.review_stamp_date(line)
    if published:
        result.published = result.published or published
    if reviewed:
        result.reviewed = result.reviewed or reviewed
    if published or reviewed:
        result.dropped.append(line)
    return bool(published or reviewed)


def _bullet_items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if fur.is_bullet_line(line) or not items:
            items.append("\u2022 " + _md_plain(fur.bullet_text(line)))
        else:
            items[-1] += " " + line.strip()
    return items


def _looks_like_heading(line: str) -> bool:
    """A short line without sentence punctuation, or a short question: how headings look in scraped text."""
    words = line.split()
    if not words or not (line[0].isupper() or line[0].isdigit()):
        return False
    if line.endswith("?"):
        return len(words) <= _MAX_QUESTION_WORDS
    return len(words) <= _MAX_TITLE_WORDS and "," not in line and not fur.ends_like_sentence(line)


def _md_plain(text: str) -> str:
    return _MD_INLINE.sub(lambda m: m.group(1) or "", text).strip()


def _build_sections(blocks: list[Block], title: str, markdown: bool) -> list[Section]:
    """Group blocks under headings; headings without text of their own become groups (path parents)."""
    drafts: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for block in blocks:
        if block.kind == "heading":
            drafts.append((block, []))
        else:
            drafts[-1][1].append(block)
    sections: list[Section] = []
    parents: list[tuple[int, str]] = []  # (level, heading) of open groups
    for heading, body in drafts:
        paragraphs = _repair_lead_ins(body)
        if heading is None:
            if paragraphs:
                sections.append(Section(title, 1, (title,), tuple(paragraphs), is_intro=True))
            continue
        level = heading.level or (2 if heading.text.endswith("?") and parents else 1)
        parents = [(lvl, text) for lvl, text in parents if lvl < level]
        if not paragraphs:
            if not heading.text.endswith("?") or markdown:
                parents.append((level, heading.text))
            continue
        path = (*(text for _, text in parents), heading.text)
        sections.append(Section(heading.text, level, path, tuple(paragraphs)))
    return sections


def _repair_lead_ins(body: list[Block]) -> list[str]:
    """Drop or trim sentences that introduce a list the scrape lost, so no answer ends in "such as:"."""
    paragraphs: list[str] = []
    for index, block in enumerate(body):
        if block.kind == "bullets":
            paragraphs.append(block.text)
            continue
        follows_list = index + 1 < len(body) and body[index + 1].kind == "bullets"
        sentences = split_sentences(block.text)
        if sentences and sentences[-1].endswith(":") and not follows_list:
            repaired = _trim_connector(sentences[-1])
            sentences = sentences[:-1] + ([repaired] if repaired else [])
        if sentences:
            paragraphs.append(" ".join(sentences))
    return paragraphs


def _trim_connector(sentence: str) -> str | None:
    """ "... pain, such as:" -> "... pain."; a lead-in that only makes sense with its list is dropped."""
    match = _DANGLING_CONNECTOR.match(sentence)
    return match["keep"] + "." if match else None


def same_text(a: str, b: str) -> bool:
    """Compare two headings or titles ignoring case, quotes and punctuation."""
    return re.sub(r"\W+", " ", fold(a)).strip() == re.sub(r"\W+", " ", fold(b)).strip()
