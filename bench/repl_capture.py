"""Write docs/repl-80.txt: a scripted `faqbot chat` session rendered at 80 columns without colour.

Usage: .venv/bin/python bench/repl_capture.py [--width 80] [--out docs/repl-80.txt]
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from adapters.repl import chat
from adapters.terminal import Style
from faqbot.engine import Engine
from faqbot.settings import EngineSettings

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = (
    "does acupuncture hurt?",
    "1",
    "/more",
    "what are the other differences between dry needling and acupuncture",
    "is acupuncture safe when pregnant?",
    "/safety",
    "what about cupping?",
    "thanks!",
    "/quit",
)


def capture(width: int) -> str:
    """The transcript of the scripted session, each typed line shown after its prompt as a terminal would."""
    engine = Engine.from_settings(EngineSettings(corpus=ROOT / "corpus"))
    out = io.StringIO()
    lines = list(SCRIPT)

    def read(prompt: str) -> str:
        line = lines.pop(0) if lines else "/quit"
        out.write(prompt + line + "\n")
        return line

    chat(engine, read, out, Style(False), lambda: width)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=80)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "repl-80.txt")
    args = parser.parse_args()
    text = capture(args.width)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    widest = max(len(line) for line in text.splitlines())
    print(f"wrote {args.out} ({len(text.splitlines())} lines, widest {widest} columns)")


if __name__ == "__main__":
    main()
