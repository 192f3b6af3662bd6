"""The [slack] settings table: how the Slack adapter keeps conversations and where HTTP mode listens."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SlackSettings:
    """How the Slack adapter keeps conversations."""

    state_ttl_seconds: int = 3600
    state_max_conversations: int = 10000
    port: int = 3000
