"""The knowledge base: Q&A pairs and disclaimers built from a corpus folder by deterministic, general rules."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from faqbot.corpus import CorpusError, Overlay, SourceFile, read_corpus
from faqbot.disclaimers import find_disclaimers
from faqbot.excerpt import SectionText, section_text
from faqbot.extract import ParsedDocument, parse_blocks, parse_document, same_text
from faqbot.formats.table import TableRow
from faqbot.models import Disclaimer, DocumentMeta, QAPair, Section
from faqbot.text import fold, words


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
    # Without the editors' topics, each document's title is a topic, and sections are about the ones they name.
    topics = dict(overlay.topics) or _topics_from_titles(documents)
    pairs: list[QAPair] = []
    disclaimers: list[Disclaimer] = []
    editorial: dict[str, tuple[str, ...]] = {}
    for part in parts:
        disclaimers.extend(find_disclaimers(part.doc, part.sections))
        dropped_here: list[str] = []
        for section_id, section in part.sections:
            shown = section_text(section.paragraphs)
            dropped_here.extend(shown.dropped)
            row = part.asked.get(section_id)
            pairs.append(_pair(section_id, section, shown, part.doc, overlay, topics, len(pairs), row))
        editorial[part.source.name] = editorial.get(part.source.name, ()) + tuple(dropped_here)
    _check_overlay_ids(overlay, pairs)
    if not disclaimers:
        raise CorpusError(
            "no safety statement found in the documents; every reply quotes one, so add a document that says, for "
            "example, to talk to a healthcare provider before trying a treatment (see `faqbot kb --disclaimers`)"
        )
    return KnowledgeBase(
        pairs=tuple(pairs),
        disclaimers=tuple(disclaimers),
        documents=tuple(documents),
        topics=topics,
        synonyms=dict(overlay.synonyms),
        dropped=dropped,
        editorial=editorial,
        files=_readings(sources, parts),
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
    topics: dict[str, tuple[str, ...]],
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
        topics=_topics_of(heading, body, doc.title, topics),
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


def _topics_of(heading: str, body: str, title: str, topics: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The topics a section concerns: those its heading names, else those its text names."""
    topic_of_term, longest = _topics_by_term(tuple(topics.items()))
    for text in (heading, body, title):
        tokens = tuple(words(text))
        # Each run of words up to the longest term is looked up once: a corpus of many documents has hundreds of
        # topics, too many to search every section's text for each.
        runs = {tokens[i : i + n] for n in range(1, longest + 1) for i in range(len(tokens) - n + 1)}
        named = {topic for run in runs for topic in topic_of_term.get(run, ())}
        if named:
            return tuple(topic for topic in topics if topic in named)
    return tuple(topics)


@lru_cache(maxsize=8)
def _topics_by_term(
    topics: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[tuple[str, ...], list[str]], int]:
    """Each topic term as words, with the topics it names, and the most words a term has."""
    topic_of_term: dict[tuple[str, ...], list[str]] = {}
    for topic, terms in topics:
        for term in terms:
            if term_words := tuple(words(term)):
                topic_of_term.setdefault(term_words, []).append(topic)
    return topic_of_term, max(map(len, topic_of_term), default=0)


def _topics_from_titles(documents: list[DocumentMeta]) -> dict[str, tuple[str, ...]]:
    return {fold(doc.title): (doc.title,) for doc in documents}


def _title_from_name(name: str) -> str:
    return Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize() or name


def _check_overlay_ids(overlay: Overlay, pairs: list[QAPair]) -> None:
    known = {pair.id for pair in pairs}
    unknown = sorted(set(overlay.alternates) - known)
    if unknown:
        raise CorpusError(f"overlay.toml names Q&A pairs that do not exist: {', '.join(unknown)} (see `faqbot kb`)")
