"""Write labelled real patients' questions into the overlay: alternates of their section, or not-covered questions.

Usage: .venv/bin/python bench/import_real.py [--corpus corpus] [FILE ...]   (default: the real-question fitting files)

This is what an editor does with `faqbot review`, done once for questions real people asked on other clinics' FAQ
pages and forums and a helper labelled without reading the code. Only single-turn cases are taken, only those whose
label the helper did not mark as doubtful, and only those labelled with one section or none: a question labelled with
several sits between them. Left out as well: a question any other case file asks word for word (a blind file, say),
so that no evaluation file is measured on its own questions; and a question the knowledge base already holds
anywhere (a section's question, heading or alternate, or a not-covered question): the editors' reading of it stands.
bench/fit.py reads each imported question, and its site's other questions, with an overlay that lacks them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from faqbot.corpus import OVERLAY_FILE
from faqbot.engine import Engine
from faqbot.overlay_edit import OverlayEditError, add_alternates, add_not_covered
from faqbot.text import char_form

REAL_FILES = ("eval/real.jsonl", "eval/real3.jsonl", "eval/real5.jsonl")
NOTE = "real patients' question, labelled blind (bench/import_real.py)"


def labelled_questions(paths: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """The files' confident single-turn questions: by expected section heading, and those expecting no answer."""
    by_heading: dict[str, list[str]] = defaultdict(list)
    uncovered: list[str] = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if len(case["turns"]) != 1 or case.get("doubt", False) or len(case["expect"]) > 1:
                continue
            first = case["expect"][0]
            if first == "@none":
                uncovered.append(case["turns"][0])
            elif not first.startswith("@"):
                by_heading[first].append(case["turns"][0])
    return by_heading, uncovered


def evaluation_questions(imported: set[str]) -> set[str]:
    """The character forms of every turn of every case file in eval/ but the imported ones."""
    forms = set()
    for path in sorted(Path("eval").glob("*.jsonl")):
        if str(path) not in imported:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    forms.update(char_form(turn) for turn in json.loads(line)["turns"])
    return forms


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("files", nargs="*", default=list(REAL_FILES))
    options = parser.parse_args(arguments)
    engine = Engine.from_folder(options.corpus)
    section_of = {pair.heading: pair for pair in engine.kb.pairs}
    by_heading, uncovered = labelled_questions(options.files)
    overlay = options.corpus / OVERLAY_FILE
    held = {char_form(q) for q in (*engine.kb.not_covered, *(t for p in engine.kb.pairs for t in p.texts()))}
    held |= evaluation_questions(set(options.files))
    by_heading = {h: [q for q in qs if char_form(q) not in held] for h, qs in by_heading.items()}
    uncovered = [q for q in uncovered if char_form(q) not in held]
    try:
        for heading, questions in by_heading.items():
            if heading not in section_of:
                print(f"import_real: no section is headed {heading!r}", file=sys.stderr)
                return 1
            pair = section_of[heading]
            added = add_alternates(overlay, pair.id, questions, (), NOTE)
            print(f"{pair.id}: {len(added.added)} added, {len(added.already)} already there")
        added = add_not_covered(overlay, uncovered, NOTE)
        print(f"not covered: {len(added.added)} added, {len(added.already)} already there")
    except OverlayEditError as error:
        print(f"import_real: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
