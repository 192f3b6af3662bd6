"""Adding alternate questions to the editors' overlay (`corpus/overlay.toml`) without disturbing anything else in
it: tomlkit keeps comments, order and layout; the new file is checked as the engine reads it, then moved into place
in one step, so a failed or interrupted edit leaves the old file whole."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Array, Table

from faqbot.corpus import CorpusError, read_overlay
from faqbot.text import char_form

_INDENT = re.compile(r"\n([ \t]*)\S")
_DEFAULT_INDENT = "  "
_NEW_FILE_MODE = 0o644  # mkstemp makes files only their owner can read; a new overlay is an ordinary file


class OverlayEditError(Exception):
    """The overlay cannot be edited; the message is one line naming the file and why."""


@dataclass(frozen=True)
class Added:
    """What an edit did: the questions written, and those left out because the section already has them."""

    section_id: str
    added: tuple[str, ...]
    already: tuple[str, ...]


def add_alternates(
    path: Path, section_id: str, questions: Sequence[str], known: Sequence[str] = (), note: str = ""
) -> Added:
    """Append `questions` to `[alternates."<section_id>"] questions` in the overlay at `path` (created if missing),
    leaving out any the section already has (its alternates in the file, or `known`: its question and heading) and
    repeats; `note` is a comment on the first added line. Raises OverlayEditError."""
    return _add_questions(path, ("alternates", section_id), questions, known, note)


def add_not_covered(path: Path, questions: Sequence[str], note: str = "") -> Added:
    """Append `questions` to `[not_covered] questions` in the overlay at `path` (created if missing), leaving out
    any already there and repeats. Raises OverlayEditError."""
    return _add_questions(path, ("not_covered",), questions, (), note)


def _add_questions(
    path: Path, keys: tuple[str, ...], questions: Sequence[str], known: Sequence[str], note: str
) -> Added:
    target = path.resolve() if path.exists() else path
    before = _read(target)
    document = _parse(before, target)
    array = _questions(document, keys, target)
    seen = {char_form(str(q)) for q in (*array, *known)}
    added: list[str] = []
    already: list[str] = []
    for question in questions:
        text = " ".join(question.split())
        key = char_form(text)
        if not key or key in seen:
            already.append(text)
            continue
        seen.add(key)
        added.append(text)
    if not added:
        return Added(keys[-1], (), tuple(already))
    _append(array, added, note)
    _write(target, before, tomlkit.dumps(document))
    return Added(keys[-1], tuple(added), tuple(already))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except UnicodeDecodeError:
        raise OverlayEditError(f"{path.name} is not UTF-8 text; fix it by hand first") from None
    except OSError as error:
        raise OverlayEditError(f"cannot read {path}: {error.strerror}") from None


def _parse(text: str, path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except TOMLKitError as error:
        raise OverlayEditError(f"{path.name} is not valid TOML ({_one_line(error)}); fix it by hand first") from None


def _questions(document: tomlkit.TOMLDocument, keys: tuple[str, ...], path: Path) -> Array:
    """The `questions` array of the table at `keys` (`alternates`, then the section id; or `not_covered`), with
    any missing table added at the end."""
    container: tomlkit.TOMLDocument | Table = document
    where = ""
    for depth, key in enumerate(keys):
        where = f"{where}.{key}" if where else key
        if key not in container:
            if depth == 0 and document.as_string().strip():
                document.add(tomlkit.nl())
            container.add(key, tomlkit.table(is_super_table=depth < len(keys) - 1))
        found = container[key]
        if not isinstance(found, Table):
            raise OverlayEditError(f"{path.name}: `{where}` is not a table; fix it by hand first")
        container = found
    if "questions" not in container:
        container.add("questions", tomlkit.array())
    array = container["questions"]
    if not isinstance(array, Array) or not all(isinstance(q, str) for q in array):
        raise OverlayEditError(f"{path.name}: {where}.questions is not a list of strings")
    return array


def _append(array: Array, questions: Sequence[str], note: str) -> None:
    """One question a line, indented like the lines already there; a one-line array is closed on a line of its own."""
    layout = array.as_string()
    found = _INDENT.search(layout)
    indent = found.group(1) if found else _DEFAULT_INDENT
    for number, question in enumerate(questions):
        array.add_line(question, indent=indent, comment=note if number == 0 and note else None)
    if "\n" not in layout:
        array.add_line(indent="")


def _write(path: Path, before: str, text: str) -> None:
    """Check the new overlay as the engine reads it, then replace the file in one step (same folder, fsynced)."""
    folder = path.parent
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OverlayEditError(f"cannot write in {folder}: {error.strerror}") from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            read_overlay(temporary)
        except CorpusError as error:
            reason = str(error).replace(temporary.name, path.name)
            raise OverlayEditError(f"the edited {path.name} would not load ({reason}); nothing was changed") from None
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else _NEW_FILE_MODE)
        # Someone else saved the file while this edit was made: theirs wins, this one is refused.
        if _read(path) != before:
            raise OverlayEditError(f"{path.name} changed while it was being edited; nothing was changed, try again")
        os.replace(temporary, path)
    except OSError as error:
        raise OverlayEditError(f"cannot write {path}: {error.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
