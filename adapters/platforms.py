"""The long-running platform adapters (`faqbot slack`, `faqbot serve`), chosen by an explicit match."""

from __future__ import annotations

import argparse
from types import ModuleType

from .settings import Settings


def _module(command: str) -> ModuleType:
    # Each adapter's cli module only declares flags at import time; Slack and HTTP libraries load inside run().
    match command:
        case "slack":
            from .slack import cli as slack_cli

            return slack_cli
        case "serve":
            from .web import cli as web_cli

            return web_cli
    raise ValueError(f"no platform adapter for {command!r}")


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    """Let the adapter declare its own flags."""
    _module(command).add_arguments(parser)


def run(command: str, args: argparse.Namespace, settings: Settings) -> int:
    """Run the adapter until it stops; returns the exit status."""
    status: int = _module(command).run(args, settings)
    return status
