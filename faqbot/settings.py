"""The core's settings (engine, clinic, insights) and the reading and checking every settings table shares.

The adapters' own tables ([slack], [web], [store]) and the whole `Settings` object are in adapters/settings.py.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import SplitResult, urlsplit

from faqbot.cache import default_cache_dir, default_data_dir
from faqbot.contact import ContactDetails

_PACKAGE_PARENT = Path(__file__).resolve().parent.parent


def bundled_corpus(source: Path | None = None, prefix: Path | None = None) -> Path:
    """The bundled documents: `corpus/` next to the package in a source checkout, else where the wheel installs them
    (`<prefix>/share/faqbot/corpus`)."""
    checkout = (source or _PACKAGE_PARENT) / "corpus"
    installed = (prefix or Path(sys.prefix)) / "share" / "faqbot" / "corpus"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


DEFAULT_CORPUS = bundled_corpus()


class SettingsError(Exception):
    """Settings that cannot be used; the message is one line naming the bad key."""


@dataclass(frozen=True)
class EngineSettings:
    """How the engine answers."""

    corpus: Path = DEFAULT_CORPUS
    emergency_number: str = "911"
    answer_threshold: float = 0.55
    clarify_margin: float = 0.05
    max_input_chars: int = 1000
    max_disclaimers: int = 3
    # Sentence embeddings rerank and help decide answer or decline; false runs the lexical engine alone.
    semantic: bool = True
    # Where a knowledge base's fitted index and embeddings are kept between starts (keyed by a hash of what they
    # were computed from).
    cache_dir: Path = field(default_factory=default_cache_dir)
    # Read from the [clinic] table, not from [engine]: how patients reach the clinic, offered when the bot can't help.
    clinic: ContactDetails = field(default_factory=ContactDetails)


@dataclass(frozen=True)
class InsightsSettings:
    """What is recorded about replies and feedback, and for how long question text is kept."""

    # An SQLite file, shared by every worker and adapter that points at it.
    path: Path = field(default_factory=lambda: default_data_dir() / "insights.sqlite3")
    # Off by default: the text of declined, clarified and thumbs-down questions is kept (scrubbed) only when on.
    keep_questions: bool = False
    retention_days: int = 30


T = TypeVar("T")


@dataclass(frozen=True)
class Check:
    """What a value of the right type must also pass, the hint the error gives, and whether it may hold a password."""

    usable: Callable[[Any], bool]
    hint: str
    # A URL can carry a password, which an error line (and the log it lands in) must not show.
    hides_password: bool = False


def read_settings_file(path: Path) -> dict[str, Any]:
    """The tables of a TOML settings file; a file that can't be read or parsed is a one-line SettingsError."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"cannot read settings file {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"settings file {path} is not valid TOML: {error}") from None
    except RecursionError:
        raise SettingsError(f"settings file {path} is nested deeper than can be read") from None


def engine_settings(data: dict[str, Any]) -> EngineSettings:
    """The [engine] table with the [clinic] table inside it, validated."""
    # The clinic's details are the engine's to offer, so they travel inside its settings to wherever it is built.
    clinic = parse_section(ContactDetails, data.get("clinic", {}), "clinic")
    return dataclasses.replace(
        parse_section(EngineSettings, data.get("engine", {}), "engine", ("clinic",)), clinic=clinic
    )


def engine_to_mapping(engine: EngineSettings) -> dict[str, dict[str, Any]]:
    """The [engine] and [clinic] tables `engine_settings` reads back (details the clinic has not set left out)."""
    data = dataclasses.asdict(engine)
    clinic = data.pop("clinic")
    return {"engine": data, "clinic": {key: value for key, value in clinic.items() if value is not None}}


def parse_section(
    cls: type[T], values: Any, name: str, nested: tuple[str, ...] = (), checks: dict[str, Check] | None = None
) -> T:
    """One table as `cls`: unknown keys, values of the wrong type and values failing a check are SettingsErrors."""
    if not isinstance(values, dict):
        raise SettingsError(f"settings section [{name}] must be a table")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in nested}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise SettingsError(f"unknown setting(s) in [{name}]: {', '.join(unknown)} (known: {', '.join(fields)})")
    defaults = cls()
    converted = {key: _convert(f"{name}.{key}", value, getattr(defaults, key)) for key, value in values.items()}
    for key, value in converted.items():
        check = (checks or {}).get(key) or _CHECKS.get(f"{name}.{key}")
        if check is not None:
            _check(f"{name}.{key}", value, check)
    return dataclasses.replace(defaults, **converted)  # type: ignore[type-var]


def _convert(key: str, value: Any, default: Any) -> Any:
    """Coerce to the default's type, refusing values that don't fit."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, Path):
        if isinstance(value, str | Path) and str(value):
            return Path(value)
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    elif isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
            return float(value)
    elif isinstance(default, tuple):
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
    elif isinstance(default, str | None) and isinstance(value, str) and value.strip():
        return value.strip()
    expected = "a non-empty string (leave the key out when there is none)" if default is None else f"like {default!r}"
    raise SettingsError(f"setting {key} has an unusable value {_shown(value)} (expected {expected})")


def _shown(value: Any) -> str:
    """The value as the error line quotes it: a long one is cut, so the error stays one readable line."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


# Digit groups, optionally after a "+", separated by single spaces or hyphens: "911", "+44 20 7946 0000".
_DIALABLE = re.compile(r"\+?[0-9]+(?:[ -][0-9]+)*")


def _is_dialable(number: str) -> bool:
    """True if `number` looks like a phone number a person can dial (it is shown to patients as "Call ...")."""
    digits = sum(char.isdigit() for char in number)
    return 2 <= len(number) <= 20 and digits >= 2 and _DIALABLE.fullmatch(number) is not None


def url_parts(url: str, forbidden: str) -> SplitResult | None:
    """The parts of a printable URL of at most 500 characters without any `forbidden` character, else None."""
    if len(url) > 500 or not url.isprintable() or any(char in url for char in forbidden):
        return None
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number in range raises here
    except ValueError:
        return None
    return parts


def _is_web_address(url: str) -> bool:
    """True for an http(s) URL with a host and nothing a link could be broken or abused with."""
    parts = url_parts(url, ' <>"\\`')
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_short_line(text: str) -> bool:
    """True for one short line of printable text (it is shown to patients as it is)."""
    return len(text) <= 160 and text.isprintable()


_PHONE_HINT = "a phone number to dial, like '911', '112' or '+44 20 7946 0000'"
# Values of the right type that are still unusable; the hint says what a usable one looks like.
_CHECKS: dict[str, Check] = {
    "engine.emergency_number": Check(_is_dialable, _PHONE_HINT),
    "clinic.phone": Check(_is_dialable, _PHONE_HINT.replace("'911', '112'", "'0161 496 0000'")),
    "clinic.booking_url": Check(_is_web_address, "an http:// or https:// address, like 'https://clinic.example/book'"),
    "clinic.hours": Check(_is_short_line, "one line of at most 160 characters, like 'Mon-Fri 9am-5pm'"),
    "clinic.address": Check(_is_short_line, "one line of at most 160 characters, like '1 High Street, Leeds LS1 1AA'"),
}


def _check(key: str, value: Any, check: Check) -> None:
    if not check.usable(value):
        shown = _shown(re.sub(r"//[^/@]*@", "//***@", value) if check.hides_password else value)
        raise SettingsError(f"setting {key} has an unusable value {shown} (expected {check.hint})")
