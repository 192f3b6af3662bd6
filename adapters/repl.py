"""The terminal chat (`faqbot chat`): a read-eval-print loop over the engine, with history and colour."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from faqbot.engine import Engine
from faqbot.models import Reply
from faqbot.settings import Settings

HELP = """Type a question about acupuncture or dry needling and press Enter.
Type a number to ask one of the suggested questions.
/help  this help    /reset  start a new conversation    /quit  leave (or Ctrl-D)"""


class Style:
    """ANSI styling that turns itself off when the output is not a terminal or NO_COLOR is set."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled and text else text


def render(reply: Reply, style: Style) -> str:
    """A reply as terminal text: emergencies first in red, the source dimmed, disclaimers in yellow."""
    parts: list[str] = []
    if reply.kind == "emergency":
        parts.append(style(reply.lead, "1;31"))
    elif reply.lead:
        parts.append(reply.lead)
    if reply.answer:
        parts.append(reply.answer.body)
        parts.append(style(_source(reply), "2"))
    if reply.suggestions and reply.kind != "emergency":
        heading = "" if reply.kind in ("clarify", "fallback", "smalltalk") else "Related questions:\n"
        numbered = "\n".join(f"  {n}. {s.question}" for n, s in enumerate(reply.suggestions, start=1))
        parts.append(heading + numbered)
    parts.append("\n".join(style(f"\u26a0 {text}", "33") for text in reply.disclaimers))
    return "\n\n".join(part for part in parts if part)


def _source(reply: Reply) -> str:
    answer = reply.answer
    assert answer is not None
    about = ", ".join(p for p in (answer.publisher, answer.reviewed and f"{answer.date_kind} {answer.reviewed}") if p)
    where = " \u203a ".join((answer.title, *(p for p in answer.path if p != answer.title)))
    return f"Source: {where}" + (f" ({about})" if about else "")


def chat(engine: Engine, read: Callable[[str], str], out: TextIO, style: Style) -> int:
    """Run the loop until /quit or end of input; returns the exit status."""
    state: Mapping[str, Any] | None = None
    last: Reply | None = None
    print(style("faqbot", "1") + " answers from the clinic's documents. /help for help, /quit to leave.", file=out)
    while True:
        try:
            line = read(style("you> ", "1;36")).strip()
        except EOFError:
            print(file=out)
            return 0
        command = line.lower()
        if command in ("/quit", "/exit", "/q"):
            return 0
        if command == "/help":
            print(HELP, file=out)
            continue
        if command == "/reset":
            state, last = None, None
            print("Started a new conversation.", file=out)
            continue
        if not line:
            continue
        if line.isdigit() and last and 1 <= int(line) <= len(last.suggestions):
            line = last.suggestions[int(line) - 1].question
        last = engine.respond(line, state)
        state = last.state
        print("\n" + render(last, style) + "\n", file=out)


def run(settings: Settings) -> int:
    """`faqbot chat`: build the engine and talk on this terminal."""
    engine = Engine.from_settings(settings.engine)
    _enable_history()
    style = Style(sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    return chat(engine, input, sys.stdout, style)


def _enable_history() -> None:
    """Arrow-key editing and a history file, where the platform has readline."""
    try:
        import readline
    except ImportError:
        return
    history = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "faqbot" / "history"
    try:
        history.parent.mkdir(parents=True, exist_ok=True)
        if history.exists():
            readline.read_history_file(history)
    except OSError:
        return
    readline.set_history_length(500)
    import atexit

    atexit.register(_save_history, readline, history)


def _save_history(readline: Any, history: Path) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(history)
