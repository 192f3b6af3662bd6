"""Reading a corpus folder: the documents, their metadata table and the editors' overlay, validated on load."""

from __future__ import annotations

import tomllib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faqbot import formats
from faqbot.extract import Block
from faqbot.formats.table import TableRow
from faqbot.furniture import parse_date

TEXT_SUFFIXES = (".txt", ".md")
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, *formats.FORMATS)
METADATA_FILE = "documents.toml"
OVERLAY_FILE = "overlay.toml"
_META_KEYS = {"title", "publisher", "date", "date_kind", "url", "safety", "topics"}
_OVERLAY_KEYS = {"topics", "synonyms", "alternates", "not_covered"}
# Patients' phrases are matched as runs of up to this many words (faqbot.query looks them up, not scans them).
MAX_SYNONYM_WORDS = 5


class CorpusError(Exception):
    """The corpus folder cannot be used; the message is one line meant for the person running faqbot."""


@dataclass(frozen=True)
class SourceFile:
    """One document as read from disk, with the metadata the clinic gave for it."""

    name: str
    text: str
    markdown: bool
    title: str | None
    publisher: str | None
    date: str | None
    date_kind: str
    url: str | None = None
    # How the file was read: "text" and "markdown" (`text` holds it), "html", "pdf" and "docx" (`blocks` holds what
    # the reader found, the same kinds of blocks text extraction makes), "table" (`rows` holds its Q&A pairs).
    format: str = "text"
    blocks: tuple[Block, ...] = ()
    rows: tuple[TableRow, ...] = ()
    read_dropped: tuple[str, ...] = ()  # what the reader left out: navigation, page numbers, tables, ...
    read_note: str = ""  # what it read: "main content of the page", "3 pages", ...
    safety: bool = False  # the clinic's own safety statements: every sentence is one, and none is an answer
    topics: tuple[str, ...] = ()  # what the clinic says the document is about; empty: from its title and headings


@dataclass(frozen=True)
class Overlay:
    """Editors' additions that never touch the documents: topic terms, synonyms and alternate questions."""

    topics: dict[str, tuple[str, ...]]
    synonyms: dict[str, tuple[str, ...]]
    alternates: dict[str, tuple[str, ...]]
    # Questions the editors know the documents don't answer: a question close to one of these is declined sooner.
    not_covered: tuple[str, ...] = ()


# About 100,000 sections: what the index holds within a few gigabytes of memory.
MAX_CORPUS_BYTES = 64 * 2**20


def read_corpus(folder: Path) -> tuple[list[SourceFile], Overlay]:
    """Read every document in `folder` (.txt, .md, .html, .pdf, .docx, .tsv, .csv) with its metadata; raise
    CorpusError with a clear reason."""
    if not folder.is_dir():
        raise CorpusError(f"corpus folder not found: {folder}")
    metadata = _read_toml(folder / METADATA_FILE)
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file())
    paths = [p for p in paths if p.name.lower() != "readme.md"]
    for path in paths:
        # A name in another system's encoding ("Übersicht" from an old zip) can't be an answer's id in UTF-8 JSON.
        if not _is_utf8(path.name):
            raise CorpusError(f"{folder}: a document's file name is not valid UTF-8 ({path.name!r}); rename it")
    if not paths:
        raise CorpusError(f"no documents in {folder} (faqbot reads {', '.join(DOCUMENT_SUFFIXES)} files)")
    size = sum(p.stat().st_size for p in paths)
    if size > MAX_CORPUS_BYTES:
        raise CorpusError(
            f"corpus too large: {size / 2**20:.0f} MB of documents in {folder} "
            f"(at most {MAX_CORPUS_BYTES / 2**20:.0f} MB, about 100,000 sections, are indexed in memory)"
        )
    unknown_files = sorted(set(metadata) - {p.name for p in paths})
    if unknown_files:
        raise CorpusError(f"{METADATA_FILE} describes files that are not in {folder}: {', '.join(unknown_files)}")
    return [_read_source(path, _table(metadata, path.name)) for path in paths], read_overlay(folder / OVERLAY_FILE)


def _is_utf8(name: str) -> bool:
    """Whether a file name decoded from the file system is UTF-8 (undecodable bytes come as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_overlay(path: Path) -> Overlay:
    """Parse the overlay file (absent means empty); unknown sections are errors."""
    data = _read_toml(path)
    unknown = sorted(set(data) - _OVERLAY_KEYS)
    if unknown:
        raise CorpusError(f"{path.name}: unknown section(s) {', '.join(unknown)}; expected {sorted(_OVERLAY_KEYS)}")
    alternates: dict[str, tuple[str, ...]] = {}
    for pair_id, entry in _mapping(data.get("alternates", {}), path.name, "alternates").items():
        entry = _mapping(entry, path.name, f"alternates.{pair_id}")
        extra = sorted(set(entry) - {"questions"})
        if extra:
            raise CorpusError(f"{path.name}: alternates.{pair_id} has unknown key(s) {', '.join(extra)}")
        alternates[pair_id] = _strings(entry.get("questions", []), path.name, f"alternates.{pair_id}.questions")
    synonyms = _string_lists(data.get("synonyms", {}), path.name, "synonyms")
    too_long = [v for variants in synonyms.values() for v in variants if len(v.split()) > MAX_SYNONYM_WORDS]
    if too_long:
        raise CorpusError(f"{path.name}: synonym {too_long[0]!r} is longer than {MAX_SYNONYM_WORDS} words")
    not_covered = _mapping(data.get("not_covered", {}), path.name, "not_covered")
    extra = sorted(set(not_covered) - {"questions"})
    if extra:
        raise CorpusError(f"{path.name}: not_covered has unknown key(s) {', '.join(extra)}")
    return Overlay(
        topics=_string_lists(data.get("topics", {}), path.name, "topics"),
        synonyms=synonyms,
        alternates=alternates,
        not_covered=_strings(not_covered.get("questions", []), path.name, "not_covered.questions"),
    )


def _read_source(path: Path, meta: dict[str, Any]) -> SourceFile:
    text, reading = _read_file(path)
    date_text = meta.get("date")
    date = parse_date(str(date_text)) if date_text is not None else None
    if date_text is not None and date is None:
        raise CorpusError(f"{METADATA_FILE}: [{path.name}] date {date_text!r} is not a date (use YYYY-MM-DD)")
    kind = str(meta.get("date_kind", "reviewed"))
    if kind not in ("reviewed", "published"):
        raise CorpusError(f'{METADATA_FILE}: [{path.name}] date_kind must be "reviewed" or "published"')
    return SourceFile(
        name=path.name,
        text=text,
        markdown=path.suffix.lower() == ".md",
        format=reading.format if reading else ("markdown" if path.suffix.lower() == ".md" else "text"),
        blocks=reading.blocks if reading else (),
        rows=reading.rows if reading else (),
        read_dropped=reading.dropped if reading else (),
        read_note=reading.note if reading else "",
        title=_optional_str(meta.get("title")),
        publisher=_optional_str(meta.get("publisher")),
        date=date,
        date_kind=kind,
        url=_url(meta.get("url"), path.name),
        safety=_flag(meta.get("safety", False), path.name, "safety"),
        topics=_strings(meta.get("topics", []), METADATA_FILE, f"[{path.name}] topics"),
    )


def _flag(value: Any, name: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise CorpusError(f"{METADATA_FILE}: [{name}] {key} must be true or false, got {value!r}")
    return value


def _read_file(path: Path) -> tuple[str, formats.Reading | None]:
    """A text document's text, or what the reader for its format found; one clear line when it can't be read."""
    try:
        if path.suffix.lower() in TEXT_SUFFIXES:
            return path.read_text(encoding="utf-8"), None
        return "", formats.read_document(path.suffix, path.read_bytes())
    except UnicodeDecodeError:
        raise CorpusError(f"{path.name} is not UTF-8 text") from None
    except formats.UnreadableDocument as error:
        raise CorpusError(f"{path.name} {error}") from None
    except OSError as error:
        raise CorpusError(f"cannot read {path}: {error.strerror}") from None


def _url(value: Any, name: str) -> str | None:
    """The page a document was taken from: an absolute http(s) URL, checked so adapters can link it as it is."""
    if value is None:
        return None
    text = str(value).strip() if isinstance(value, str) else ""
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() or c in '<>"' for c in text):
        raise CorpusError(f"{METADATA_FILE}: [{name}] url must be an http:// or https:// address, got {value!r}")
    return text


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CorpusError(f"{path.name} is not valid TOML: {error}") from None
    except RecursionError:
        raise CorpusError(f"{path.name} is nested deeper than can be read") from None
    except OSError as error:
        raise CorpusError(f"cannot read {path}: {error.strerror}") from None


def _table(metadata: dict[str, Any], name: str) -> dict[str, Any]:
    table = _mapping(metadata.get(name, {}), METADATA_FILE, name)
    unknown = sorted(set(table) - _META_KEYS)
    if unknown:
        raise CorpusError(f"{METADATA_FILE}: [{name}] has unknown key(s) {', '.join(unknown)}")
    return table


def _mapping(value: Any, file: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CorpusError(f"{file}: {where} must be a table")
    return value


def _strings(value: Any, file: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise CorpusError(f"{file}: {where} must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _string_lists(value: Any, file: str, where: str) -> dict[str, tuple[str, ...]]:
    return {key: _strings(items, file, f"{where}.{key}") for key, items in _mapping(value, file, where).items()}


def _optional_str(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None
