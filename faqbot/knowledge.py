"""The knowledge base: Q&A pairs and disclaimers built from a corpus folder by deterministic, general rules."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from faqbot.corpus import CorpusError, Overlay, SourceFile, read_corpus
from faqbot.disclaimers import find_disclaimers
from faqbot.excerpt import SectionText, section_text
from faqbot.extract import ParsedDocument, parse_blocks, parse_document, same_text
from faqbot.formats.table import TableRow
from faqbot.models import Disclaimer, DocumentMeta, QAPair, Section
from faqbot.text import words
from faqbot.topics import corpus_topics, section_topics


@dataclass(frozen=True)
class FileReading:
    """How one corpus file was read: its format, what was read and what the reader left out."""

    format: str
    note: str
    sections: int
    lists: int
    dropped: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the engine knows, read-only: answerable pairs, safety statements, editors' synonyms."""

    pairs: tuple[QAPair, ...]
    disclaimers: tuple[Disclaimer, ...]
    documents: tuple[DocumentMeta, ...]
    topics: dict[str, tuple[str, ...]]
    synonyms: dict[str, tuple[str, ...]]
    dropped: dict[str, tuple[str, ...]]
    editorial: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sentences dropped from what is shown
    files: dict[str, FileReading] = field(default_factory=dict)
    not_covered: tuple[str, ...] = ()  # the overlay's questions the documents don't answer

    def pair(self, pair_id: str) -> QAPair | None:
        """The pair with this id, or None."""
        return next((p for p in self.pairs if p.id == pair_id), None)


@dataclass(frozen=True)
class _Part:
    """Sections of one file that share a source: a whole document, or a Q&A table's rows naming one source."""

    source: SourceFile
    doc: DocumentMeta
    sections: list[tuple[str, Section]]
    asked: dict[str, TableRow]  # section id -> its table row (question and alternates as the table gives them)


def load_knowledge_base(folder: Path) -> KnowledgeBase:
    """Read and extract a corpus folder into a knowledge base."""
    sources, overlay = read_corpus(folder)
    parts: list[_Part] = []
    dropped: dict[str, tuple[str, ...]] = {}
    prefixes = _id_prefixes(sources)
    for source in sources:
        if source.rows:
            parts.extend(_table_parts(source, prefixes[source.name]))
            dropped[source.name] = ()
            continue
        parsed = parse_blocks(source.blocks, title=source.title) if source.blocks else _parse_text(source)
        identified = _identify(parsed.sections, prefixes[source.name])
        parts.append(_Part(source, _document(source, parsed), identified, {}))
        dropped[source.name] = tuple(parsed.dropped)
    documents = [part.doc for part in parts]
    answering = [part for part in parts if not part.source.safety]
    # Each document's topics: the overlay's, documents.toml's, or the part of its title its headings repeat.
    topics, own = corpus_topics(
        overlay.topics,
        [(p.doc.title, p.source.topics, [s.heading for _, s in p.sections if not s.is_intro]) for p in answering],
    )
    pairs: list[QAPair] = []
    disclaimers: list[Disclaimer] = []
    editorial: dict[str, tuple[str, ...]] = {}
    for part in parts:
        if part.source.safety:
            # The clinic's own safety statements: quoted under answers, never an answer themselves.
            disclaimers.extend(find_disclaimers(part.doc, part.sections, every_sentence=True))
            continue
        disclaimers.extend(find_disclaimers(part.doc, part.sections))
    for part, document_topics in zip(answering, own, strict=True):
        dropped_here: list[str] = []
        for section_id, section in part.sections:
            shown = section_text(section.paragraphs)
            dropped_here.extend(shown.dropped)
            row = part.asked.get(section_id)
            body = "\n\n".join(section.paragraphs)
            about = section_topics(section.heading, body, part.doc.title, topics, document_topics)
            pairs.append(_pair(section_id, section, shown, part.doc, overlay, about, len(pairs), row))
        editorial[part.source.name] = editorial.get(part.source.name, ()) + tuple(dropped_here)
    _check_overlay_ids(overlay, pairs)
    if not disclaimers:
        raise CorpusError(NO_SAFETY_STATEMENT)
    if not pairs:
        raise CorpusError("no documents to answer from: every document is marked `safety = true` in documents.toml")
    return KnowledgeBase(
        pairs=tuple(pairs),
        disclaimers=tuple(disclaimers),
        documents=tuple(documents),
        topics=topics,
        synonyms=dict(overlay.synonyms),
        dropped=dropped,
        editorial=editorial,
        files=_readings(sources, parts),
        not_covered=overlay.not_covered,
    )


NO_SAFETY_STATEMENT = (
    "no safety statement found in the documents; every reply quotes one, so add the clinic's own: a document such as "
    'safety.md of short sentences ("Talk to your doctor before starting a new treatment.") marked in '
    'documents.toml with `safety = true` under `["safety.md"]` (see `faqbot kb --disclaimers`)'
)


def _id_prefixes(sources: list[SourceFile]) -> dict[str, str]:
    """Pair ids start with the file's name without its suffix, or with it when two files share that name (guide.pdf
    and guide.html), so ids stay unique."""
    stems = Counter(Path(source.name).stem for source in sources)
    return {s.name: Path(s.name).stem if stems[Path(s.name).stem] == 1 else s.name for s in sources}


def _parse_text(source: SourceFile) -> ParsedDocument:
    return parse_document(source.text, markdown=source.markdown, title=source.title)


def _document(source: SourceFile, parsed: ParsedDocument) -> DocumentMeta:
    return DocumentMeta(
        file=source.name,
        title=parsed.title or _title_from_name(source.name),
        publisher=source.publisher,
        reviewed=source.date or parsed.reviewed or parsed.published,
        date_kind=source.date_kind if source.date else ("reviewed" if parsed.reviewed else "published"),
        url=source.url,
    )


def _table_parts(source: SourceFile, prefix: str) -> list[_Part]:
    """A Q&A table's rows as sections, one part per source they name (rows without one: the file's title)."""
    title = source.title or _title_from_name(source.name)
    sections = [Section(row.question, 1, (row.question,), row.paragraphs) for row in source.rows]
    identified = _identify(sections, prefix)
    by_source: dict[str, list[int]] = {}
    for index, row in enumerate(source.rows):
        by_source.setdefault(row.source or title, []).append(index)
    parts = []
    for name, indexes in by_source.items():
        doc = DocumentMeta(
            file=source.name,
            title=name,
            publisher=source.publisher,
            reviewed=source.date,
            date_kind=source.date_kind,
            url=source.url,
        )
        asked = {identified[i][0]: source.rows[i] for i in indexes}
        parts.append(_Part(source, doc, [identified[i] for i in indexes], asked))
    return parts


def _readings(sources: list[SourceFile], parts: list[_Part]) -> dict[str, FileReading]:
    """Per file: what was read (sections, lists) and what the reader left out, for `faqbot kb`."""
    readings = {}
    for source in sources:
        sections = [section for part in parts if part.source is source for _, section in part.sections]
        lists = sum(p.startswith("\u2022 ") for section in sections for p in section.paragraphs)
        readings[source.name] = FileReading(source.format, source.read_note, len(sections), lists, source.read_dropped)
    return readings


def slug(text: str) -> str:
    """A stable, readable id fragment: "Does acupuncture hurt?" -> "does-acupuncture-hurt"."""
    return "-".join(words(text)) or "section"


def _identify(sections: list[Section], prefix: str) -> list[tuple[str, Section]]:
    seen: dict[str, int] = {}
    identified = []
    for section in sections:
        base = f"{prefix}/{'intro' if section.is_intro else slug(section.heading)}"
        seen[base] = seen.get(base, 0) + 1
        identified.append((base if seen[base] == 1 else f"{base}-{seen[base]}", section))
    return identified


def _pair(
    section_id: str,
    section: Section,
    shown: SectionText,
    doc: DocumentMeta,
    overlay: Overlay,
    topics: tuple[str, ...],
    order: int,
    row: TableRow | None = None,
) -> QAPair:
    heading = section.heading
    question = heading if heading.rstrip().endswith("?") else _question_form(heading, section.is_intro)
    body = "\n\n".join(section.paragraphs)
    alternates = _generated_alternates(heading, question) + overlay.alternates.get(section_id, ())
    if row is not None:  # a Q&A table's question and alternates are used as written
        question, alternates = row.question, row.alternates + overlay.alternates.get(section_id, ())
    return QAPair(
        id=section_id,
        question=question,
        heading=heading,
        path=section.path,
        body=body,
        doc=doc,
        topics=topics,
        alternates=tuple(dict.fromkeys(a for a in alternates if not same_text(a, question))),
        order=order,
        blocks=shown.blocks,
        asides=shown.asides,
    )


def _question_form(heading: str, is_intro: bool) -> str:
    """A natural question for a non-question heading ("Origins of the practices" -> "What about origins ...?")."""
    text = heading.strip().rstrip(".:")
    first, _, rest = text.partition(" ")
    if not (len(first) > 1 and first.isupper()):
        text = (first[:1].lower() + first[1:] + " " + rest).strip()
    if is_intro:
        return f"Tell me about {text}"
    versus = re.split(r"\s+(?:vs\.?|versus)\s+", text, flags=re.I)
    if len(versus) == 2:
        return f"What is the difference between {versus[0]} and {versus[1]}?"
    return f"What about {text}?"


def _generated_alternates(heading: str, question: str) -> tuple[str, ...]:
    if heading.rstrip().endswith("?"):
        return ()
    return (heading, f"What is {heading}?" if len(heading.split()) <= 3 else f"Tell me about {heading}")


def _title_from_name(name: str) -> str:
    return Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize() or name


def _check_overlay_ids(overlay: Overlay, pairs: list[QAPair]) -> None:
    known = {pair.id for pair in pairs}
    unknown = sorted(set(overlay.alternates) - known)
    if unknown:
        raise CorpusError(f"overlay.toml names Q&A pairs that do not exist: {', '.join(unknown)} (see `faqbot kb`)")
