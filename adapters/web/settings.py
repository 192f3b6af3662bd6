"""The [web] settings table: how `faqbot serve` listens and limits requests."""

from __future__ import annotations

from dataclasses import dataclass


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
