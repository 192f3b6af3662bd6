"""The terminal chat (`faqbot chat`): a read-eval-print loop over the engine, with history and colour."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from faqbot.engine import Engine
from faqbot.models import Reply

from .settings import Settings
from .terminal import Style, listed, more_text, notes_text, render, terminal_width

__all__ = ["HELP", "Style", "chat", "render", "run"]

HELP = """Type a question about acupuncture or dry needling and press Enter.
Type a number to ask one of the suggested questions.
/more    the whole section of the last answer     /safety  every safety note of the last reply
/help    this help    /reset  start a new conversation    /quit  leave (or Ctrl-D)"""


def chat(
    engine: Engine, read: Callable[[str], str], out: TextIO, style: Style, width: Callable[[], int] = terminal_width
) -> int:
    """Run the loop until /quit or end of input; returns the exit status. `width` is asked before each reply, so a
    resized terminal wraps right."""
    session = _Session(engine, out, style, width)
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

    def __init__(self, engine: Engine, out: TextIO, style: Style, width: Callable[[], int]) -> None:
        self.engine, self.out, self.style, self.width = engine, out, style, width
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
            # Echoed, so the transcript shows what was asked rather than a bare number.
            print(self.style(f"\u203a {picked}", "36"), file=self.out)
            line = picked
        reply = self.engine.respond(line, self.last.state if self.last else None)
        # Only now: a Ctrl-C while the engine works leaves the conversation as it was.
        self.last = reply
        print("\n" + render(reply, self.style, self.width()) + "\n", file=self.out)
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
        elif command == "/more":
            answer = self.last.answer if self.last else None
            text = more_text(answer, self.style, self.width()) if answer else "There is no answer to show more of yet."
            print("\n" + text + "\n", file=self.out)
        elif command == "/safety":
            notes = self.last.disclaimers if self.last else ()
            text = notes_text(notes, self.style, self.width()) if notes else "Ask a question first."
            print("\n" + text + "\n", file=self.out)
        else:
            print(f"unknown command {name} \u2014 try /help", file=self.out)
        return True

    def _pick(self, number: int) -> str | None:
        shown = listed(self.last)
        if 1 <= number <= len(shown):
            return shown[number - 1].question
        if not shown:
            hint = "none are listed right now; type a question"
        else:
            hint = ("pick 1" if len(shown) == 1 else f"pick 1 to {len(shown)}") + ", or type a question"
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
