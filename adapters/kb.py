"""`faqbot kb`: the extracted knowledge base for review (text or JSON), its safety statements, or a Q&A table."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from faqbot.engine import Engine
from faqbot.formats.table import write_table
from faqbot.knowledge import KnowledgeBase

from .errors import UsageError
from .settings import Settings


def run(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    """Print the extracted knowledge base (pairs, or disclaimers) for review, or export its pairs as a table."""
    out = out or sys.stdout
    if args.export is not None and args.export.suffix.lower() not in (".tsv", ".csv"):
        raise UsageError(f"--export writes a .tsv or .csv table, not {args.export.name!r}")
    base = Engine.from_settings(settings.engine).kb
    if args.export is not None:
        try:
            count = write_table(base.pairs, args.export)
        except OSError as error:
            raise UsageError(f"cannot write {args.export}: {error.strerror}") from None
        print(f"wrote {count} Q&A pairs to {args.export}", file=out)
        return 0
    if args.json:
        print(json.dumps(_kb_json(base, args.disclaimers), ensure_ascii=False, indent=2), file=out)
        return 0
    if args.disclaimers:
        for found in base.disclaimers:
            print(f"[{found.category}] {found.doc.file} \u203a {found.section_id}\n  {found.text}\n", file=out)
        return 0
    for pair in base.pairs:
        path = " \u203a ".join(pair.path)
        print(f"{pair.id}\n  path:     {path}\n  question: {pair.question}", file=out)
        print(f"  topics:   {', '.join(pair.topics)}\n  also:     {' | '.join(pair.alternates) or '-'}", file=out)
        print("  " + pair.body.replace("\n", "\n  ") + "\n", file=out)
    print("Files read:", file=out)
    for name in base.files:
        print("  " + _file_line(base, name), file=out)
    print(
        f"{len(base.pairs)} Q&A pairs from {len(base.files)} documents, {len(base.disclaimers)} disclaimers",
        file=out,
    )
    return 0


def _file_line(base: KnowledgeBase, name: str) -> str:
    """One file's reading: its format, what was read and what was dropped (all of it is in `kb --json`)."""
    read = base.files[name]
    how = f"{read.format}, {read.note}" if read.note else read.format
    line = f"{name} ({how}): {_count(read.sections, 'section')}, {_count(read.lists, 'list')}"
    dropped = [
        (len(read.dropped), "left out by the reader"),
        (len(base.dropped.get(name, ())), "dropped as furniture"),
        (len(base.editorial.get(name, ())), "dropped as editorial"),
    ]
    line += "".join(f"; {count} {what}" for count, what in dropped if count)
    if read.dropped:
        shown = " | ".join(text if len(text) <= 40 else text[:39] + "\u2026" for text in read.dropped[:5])
        more = " | \u2026" if len(read.dropped) > 5 else ""
        line += f" ({shown}{more})"
    return line


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _kb_json(base: KnowledgeBase, disclaimers_only: bool) -> Any:
    disclaimers = [
        {"text": d.text, "category": d.category, "file": d.doc.file, "section_id": d.section_id}
        for d in base.disclaimers
    ]
    if disclaimers_only:
        return disclaimers
    pairs = [
        {
            "id": p.id,
            "question": p.question,
            "heading": p.heading,
            "path": list(p.path),
            "body": p.body,
            "topics": list(p.topics),
            "alternates": list(p.alternates),
            "source": {"title": p.doc.title, "file": p.doc.file, "reviewed": p.doc.reviewed, "url": p.doc.url},
            # As shown: editorial leftovers dropped; `asides` (blocks quoting a person) stay out of short answers.
            "blocks": [block.to_dict() for block in p.blocks],
            "asides": sorted(p.asides),
        }
        for p in base.pairs
    ]
    dropped = {file: list(lines) for file, lines in base.dropped.items()}
    editorial = {file: list(sentences) for file, sentences in base.editorial.items()}
    files = {
        file: {
            "format": read.format,
            "read": read.note,
            "sections": read.sections,
            "lists": read.lists,
            "dropped_by_reader": list(read.dropped),
        }
        for file, read in base.files.items()
    }
    return {
        "pairs": pairs,
        "disclaimers": disclaimers,
        "dropped_as_furniture": dropped,
        "dropped_as_editorial": editorial,
        "files": files,
    }
