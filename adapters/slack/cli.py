"""Placeholder until the adapter lands (being built in parallel)."""

from __future__ import annotations

import argparse

from faqbot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No flags yet."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Not built yet."""
    raise SystemExit("faqbot: error: this adapter is not built yet")
