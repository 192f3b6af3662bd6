"""The terminal chat (`faqbot chat`): a read-eval-print loop over the engine, with history and colour."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from faqbot.engine import Engine
from faqbot.models import Reply, Suggestion
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
    listed = _listed(reply)
    if listed:
        heading = "" if reply.kind in ("clarify", "fallback", "smalltalk") else "Related questions:\n"
        numbered = "\n".join(f"  {n}. {s.question}" for n, s in enumerate(listed, start=1))
        parts.append(heading + numbered)
    if reply.emergency is not None and reply.emergency.note:
        parts.append(style(reply.emergency.note, "1"))
    parts.append("\n".join(style(f"\u26a0 {text}", "33") for text in reply.disclaimers))
    return "\n\n".join(part for part in parts if part)


def _listed(reply: Reply | None) -> tuple[Suggestion, ...]:
    # Emergency replies hide their suggestions, so a number typed after one must not pick a hidden one.
    if reply is None or reply.kind == "emergency":
        return ()
    return tuple(reply.suggestions)


def _source(reply: Reply) -> str:
    answer = reply.answer
    assert answer is not None
    about = ", ".join(p for p in (answer.publisher, answer.reviewed and f"{answer.date_kind} {answer.reviewed}") if p)
    where = " \u203a ".join((answer.title, *(p for p in answer.path if p != answer.title)))
    return f"Source: {where}" + (f" ({about})" if about else "")


def chat(engine: Engine, read: Callable[[str], str], out: TextIO, style: Style) -> int:
    """Run the loop until /quit or end of input; returns the exit status."""
    session = _Session(engine, out, style)
    print(style("faqbot", "1") + " answers from the clinic's documents. /help for help, /quit to leave.", file=out)
    while True:
        try:
            if not session.handle(read(style("you> ", "1;36")).strip()):
                return 0
        except EOFError:
            print(file=out)
            return 0
        except KeyboardInterrupt:
            # Like Python's REPL: Ctrl-C drops the line being typed (or the answer being worked out), not the chat.
            print(file=out)


class _Session:
    """One terminal conversation: the last reply (its state and numbered suggestions) and where to print."""

    def __init__(self, engine: Engine, out: TextIO, style: Style) -> None:
        self.engine, self.out, self.style = engine, out, style
        self.last: Reply | None = None

    def handle(self, line: str) -> bool:
        """Act on one input line; False when the user asked to leave."""
        if line.startswith("/"):
            return self._command(line)
        if not line:
            return True
        if line.isdecimal() and len(line) <= 6:
            picked = self._pick(int(line))
            if picked is None:
                return True
            line = picked
        reply = self.engine.respond(line, self.last.state if self.last else None)
        # Only now: a Ctrl-C while the engine works leaves the conversation as it was.
        self.last = reply
        print("\n" + render(reply, self.style) + "\n", file=self.out)
        return True

    def _command(self, line: str) -> bool:
        name = line.split()[0]
        command = name.lower()
        if command in ("/quit", "/exit", "/q"):
            return False
        if command == "/help":
            print(HELP, file=self.out)
        elif command == "/reset":
            self.last = None
            print("Started a new conversation.", file=self.out)
        else:
            print(f"unknown command {name} \u2014 try /help", file=self.out)
        return True

    def _pick(self, number: int) -> str | None:
        listed = _listed(self.last)
        if 1 <= number <= len(listed):
            return listed[number - 1].question
        if not listed:
            hint = "none are listed right now; type a question"
        else:
            hint = ("pick 1" if len(listed) == 1 else f"pick 1 to {len(listed)}") + ", or type a question"
        print(f"There is no suggestion {number} \u2014 {hint}.", file=self.out)
        return None


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
