"""The app manifest asks for exactly what the adapter uses, and the README text names what people must set."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack import bot

ROOT = Path(__file__).resolve().parents[2]


def test_manifest_has_exactly_the_scopes_events_and_command_used() -> None:
    manifest = yaml.safe_load((ROOT / "slack-manifest.yaml").read_text(encoding="utf-8"))
    scopes = sorted(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes == ["app_mentions:read", "chat:write", "commands", "im:history"]
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [bot.COMMAND]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_docs_name_the_variables_and_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for needed in (
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_API_URL",
        "faqbot slack",
        "faqbot slack --http",
        "slack-manifest.yaml",
        "bench/slack_bench.py",
    ):
        assert needed in text, needed
