"""All of faqbot's settings in one typed object, read from an optional TOML file and validated at start.

The core's tables ([engine], [clinic], [insights]) are defined in faqbot/settings.py; each platform's table sits next
to its adapter ([slack] in slack/settings.py, [web] in web/settings.py) and the shared store's is here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faqbot.settings import (
    Check,
    EngineSettings,
    InsightsSettings,
    SettingsError,
    engine_settings,
    engine_to_mapping,
    parse_section,
    read_settings_file,
    url_parts,
)

from .slack.settings import SlackSettings
from .web.settings import WebSettings


@dataclass(frozen=True)
class StoreSettings:
    """Where the adapters keep dedupe, conversation state and rate limits: this process, or a shared store."""

    # None keeps everything in this process's memory; "redis://host:6379/0" shares it between processes and hosts.
    url: str | None = None


@dataclass(frozen=True)
class Settings:
    """All of faqbot's settings; secrets are not here (they come from the environment)."""

    engine: EngineSettings = field(default_factory=EngineSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    web: WebSettings = field(default_factory=WebSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    insights: InsightsSettings = field(default_factory=InsightsSettings)


def _is_store_url(url: str) -> bool:
    """True for a redis://, rediss:// or unix:// URL the Redis client can connect to."""
    parts = url_parts(url, " ")
    if parts is None:
        return False
    if parts.scheme == "unix":
        return bool(parts.path)
    database = parts.path.strip("/")
    return parts.scheme in ("redis", "rediss") and bool(parts.hostname) and (not database or database.isdigit())


_STORE_CHECKS = {
    "url": Check(
        _is_store_url,
        "a Redis URL like 'redis://localhost:6379/0'; leave the key out to keep it all in memory",
        hides_password=True,
    )
}


def load_settings(path: Path | None = None, overrides: dict[str, dict[str, Any]] | None = None) -> Settings:
    """Settings from a TOML file (engine/clinic/slack/web/store/insights tables) plus overrides; unknown keys are
    errors."""
    data: dict[str, Any] = {} if path is None else read_settings_file(path)
    for section, values in (overrides or {}).items():
        data.setdefault(section, {}).update({k: v for k, v in values.items() if v is not None})
    return settings_from_mapping(data)


def settings_from_mapping(data: dict[str, Any]) -> Settings:
    """Build and validate Settings from a plain mapping."""
    sections = [*(f.name for f in dataclasses.fields(Settings)), "clinic"]
    unknown = sorted(set(data) - set(sections))
    if unknown:
        raise SettingsError(f"unknown settings section(s): {', '.join(unknown)} (known: {', '.join(sections)})")
    return Settings(
        engine=engine_settings(data),
        slack=parse_section(SlackSettings, data.get("slack", {}), "slack"),
        web=parse_section(WebSettings, data.get("web", {}), "web"),
        store=parse_section(StoreSettings, data.get("store", {}), "store", checks=_STORE_CHECKS),
        insights=parse_section(InsightsSettings, data.get("insights", {}), "insights"),
    )


def settings_to_mapping(settings: Settings) -> dict[str, Any]:
    """Settings as the plain mapping `settings_from_mapping` reads back (details not set left out)."""
    data = {f.name: dataclasses.asdict(getattr(settings, f.name)) for f in dataclasses.fields(Settings)}
    data.update(engine_to_mapping(settings.engine))
    data["store"] = {key: value for key, value in data["store"].items() if value is not None}
    return data
