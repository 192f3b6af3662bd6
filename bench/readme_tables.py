"""Regenerate the README's measured tables: run each table's commands and put their output between its markers.

Usage: .venv/bin/python bench/readme_tables.py [eval] [bench] [scale]   (no argument: eval and bench)
The scale table takes minutes (a 10,000-pair corpus built twice); run it on a quiet machine.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EVAL_FILES = (
    "dev",
    "check",
    "holdout",
    "blind2",
    "blind3",
    "real",
    "real3",
    "real5",
    "safety",
    "safety2",
    "safety3",
    "safety5",
    "safety6",
)
TABLES: dict[str, list[str]] = {
    "eval-table": [f".venv/bin/faqbot eval eval/{name}.jsonl" for name in EVAL_FILES],
    "bench-table": [".venv/bin/python bench/engine_bench.py"],
    "scale-table": [".venv/bin/python bench/scale_bench.py --pairs 10000"],
}
CHOICES = {"eval": "eval-table", "bench": "bench-table", "scale": "scale-table"}


def run(command: str) -> str:
    """One command's output, shown as it is typed at a prompt."""
    done = subprocess.run(shlex.split(command), cwd=ROOT, capture_output=True, text=True, check=True)
    return f"$ {command}\n{done.stdout.rstrip()}\n"


def replace_between(text: str, marker: str, body: str) -> str:
    """The text with what lies between <!-- marker --> and <!-- /marker --> replaced by a code block of body."""
    pattern = re.compile(rf"(<!-- {re.escape(marker)} -->\n).*?(<!-- /{re.escape(marker)} -->)", re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no <!-- {marker} --> … <!-- /{marker} --> markers")
    return pattern.sub(lambda found: f"{found.group(1)}```\n{body}```\n{found.group(2)}", text, count=1)


def main(arguments: list[str]) -> None:
    chosen = [CHOICES[a] for a in arguments] if arguments else ["eval-table", "bench-table"]
    text = README.read_text(encoding="utf-8")
    for marker in chosen:
        print(f"running {marker} …", file=sys.stderr)
        text = replace_between(text, marker, "\n".join(run(command) for command in TABLES[marker]))
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    unknown = [a for a in sys.argv[1:] if a not in CHOICES]
    if unknown:
        raise SystemExit(f"unknown table {unknown[0]!r}: choose from {', '.join(CHOICES)}")
    main(sys.argv[1:])
