"""One typed settings object for faqbot, read from an optional TOML file and validated at start."""

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
class SlackSettings:
    """How the Slack adapter keeps conversations."""

    state_ttl_seconds: int = 3600
    state_max_conversations: int = 10000
    port: int = 3000


@dataclass(frozen=True)
class WebSettings:
    """How `faqbot serve` listens and limits requests."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    allow_origins: tuple[str, ...] = ()
    rate_limit_per_minute: int = 30
    max_body_bytes: int = 8192
    max_message_chars: int = 1000
    state_ttl_seconds: int = 86400
    log_messages: bool = False
    # Logs show client addresses as keyed hashes unless this is true.
    log_client_addresses: bool = False
    # Proxies (addresses or networks) whose X-Forwarded-For is believed; none by default.
    trusted_proxies: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoreSettings:
    """Where the adapters keep dedupe, conversation state and rate limits: this process, or a shared store."""

    # None keeps everything in this process's memory; "redis://host:6379/0" shares it between processes and hosts.
    url: str | None = None


@dataclass(frozen=True)
class InsightsSettings:
    """What is recorded about replies and feedback, and for how long question text is kept."""

    # An SQLite file, shared by every worker and adapter that points at it.
    path: Path = field(default_factory=lambda: default_data_dir() / "insights.sqlite3")
    # Off by default: the text of declined, clarified and thumbs-down questions is kept (scrubbed) only when on.
    keep_questions: bool = False
    retention_days: int = 30


@dataclass(frozen=True)
class Settings:
    """All of faqbot's settings; secrets are not here (they come from the environment)."""

    engine: EngineSettings = field(default_factory=EngineSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    web: WebSettings = field(default_factory=WebSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    insights: InsightsSettings = field(default_factory=InsightsSettings)


T = TypeVar("T")


def load_settings(path: Path | None = None, overrides: dict[str, dict[str, Any]] | None = None) -> Settings:
    """Settings from a TOML file (engine/clinic/slack/web/store/insights tables) plus overrides; unknown keys are
    errors."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise SettingsError(f"cannot read settings file {path}: {error.strerror}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError(f"settings file {path} is not valid TOML: {error}") from None
    for section, values in (overrides or {}).items():
        data.setdefault(section, {}).update({k: v for k, v in values.items() if v is not None})
    return settings_from_mapping(data)


def settings_from_mapping(data: dict[str, Any]) -> Settings:
    """Build and validate Settings from a plain mapping."""
    sections = [*(f.name for f in dataclasses.fields(Settings)), "clinic"]
    unknown = sorted(set(data) - set(sections))
    if unknown:
        raise SettingsError(f"unknown settings section(s): {', '.join(unknown)} (known: {', '.join(sections)})")
    # The clinic's details are the engine's to offer, so they travel inside its settings to wherever it is built.
    clinic = _section(ContactDetails, data.get("clinic", {}), "clinic")
    return Settings(
        engine=dataclasses.replace(
            _section(EngineSettings, data.get("engine", {}), "engine", ("clinic",)), clinic=clinic
        ),
        slack=_section(SlackSettings, data.get("slack", {}), "slack"),
        web=_section(WebSettings, data.get("web", {}), "web"),
        store=_section(StoreSettings, data.get("store", {}), "store"),
        insights=_section(InsightsSettings, data.get("insights", {}), "insights"),
    )


def settings_to_mapping(settings: Settings) -> dict[str, Any]:
    """Settings as the plain mapping `settings_from_mapping` reads back (details the clinic has not set left out)."""
    data = dataclasses.asdict(settings)
    clinic = data["engine"].pop("clinic")
    data["clinic"] = {key: value for key, value in clinic.items() if value is not None}
    data["store"] = {key: value for key, value in data["store"].items() if value is not None}
    return data


def _section(cls: type[T], values: Any, name: str, nested: tuple[str, ...] = ()) -> T:
    if not isinstance(values, dict):
        raise SettingsError(f"settings section [{name}] must be a table")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in nested}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise SettingsError(f"unknown setting(s) in [{name}]: {', '.join(unknown)} (known: {', '.join(fields)})")
    defaults = cls()
    converted = {key: _convert(f"{name}.{key}", value, getattr(defaults, key)) for key, value in values.items()}
    for key, value in converted.items():
        _check(f"{name}.{key}", value)
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


def _url_parts(url: str, forbidden: str) -> SplitResult | None:
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
    parts = _url_parts(url, ' <>"\\`')
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_store_url(url: str) -> bool:
    """True for a redis://, rediss:// or unix:// URL the Redis client can connect to."""
    parts = _url_parts(url, " ")
    if parts is None:
        return False
    if parts.scheme == "unix":
        return bool(parts.path)
    database = parts.path.strip("/")
    return parts.scheme in ("redis", "rediss") and bool(parts.hostname) and (not database or database.isdigit())


def _is_short_line(text: str) -> bool:
    """True for one short line of printable text (it is shown to patients as it is)."""
    return len(text) <= 160 and text.isprintable()


_PHONE_HINT = "a phone number to dial, like '911', '112' or '+44 20 7946 0000'"
# Values of the right type that are still unusable; the hint says what a usable one looks like.
_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "engine.emergency_number": (_is_dialable, _PHONE_HINT),
    "clinic.phone": (_is_dialable, _PHONE_HINT.replace("'911', '112'", "'0161 496 0000'")),
    "clinic.booking_url": (_is_web_address, "an http:// or https:// address, like 'https://clinic.example/book'"),
    "clinic.hours": (_is_short_line, "one line of at most 160 characters, like 'Mon-Fri 9am-5pm'"),
    "store.url": (
        _is_store_url,
        "a Redis URL like 'redis://localhost:6379/0'; leave the key out to keep it all in memory",
    ),
    "clinic.address": (_is_short_line, "one line of at most 160 characters, like '1 High Street, Leeds LS1 1AA'"),
}


def _check(key: str, value: Any) -> None:
    check = _CHECKS.get(key)
    if check and not check[0](value):
        # A store URL can carry a password, which an error line (and the log it lands in) must not show.
        shown = _shown(re.sub(r"//[^/@]*@", "//***@", value) if key == "store.url" else value)
        raise SettingsError(f"setting {key} has an unusable value {shown} (expected {check[1]})")
