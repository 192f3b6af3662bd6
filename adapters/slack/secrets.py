"""Slack credentials read from the environment by a pure function, checked before anything connects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_API_URL = "https://slack.com/api/"


class SecretsError(Exception):
    """A missing or malformed credential; the message is one line naming the variable."""


@dataclass(frozen=True)
class SlackSecrets:
    """The tokens one run needs: the bot token plus an app token (Socket Mode) or a signing secret (HTTP)."""

    bot_token: str
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str = DEFAULT_API_URL

    def __repr__(self) -> str:
        # Keep tokens out of tracebacks and logs.
        return f"SlackSecrets(api_url={self.api_url!r}, mode={'http' if self.signing_secret else 'socket'})"


def slack_secrets(environ: Mapping[str, str], *, http: bool) -> SlackSecrets:
    """The credentials for Socket Mode (http=False) or HTTP mode from `environ`; raises SecretsError."""
    bot_token = _token(environ, "SLACK_BOT_TOKEN", "xoxb-", "a bot token starting with xoxb-")
    api_url = _api_url(environ.get("SLACK_API_URL", "").strip())
    if http:
        secret = environ.get("SLACK_SIGNING_SECRET", "").strip()
        if not secret:
            raise SecretsError("SLACK_SIGNING_SECRET is not set (the app's signing secret, for --http)")
        if any(c.isspace() for c in secret) or not secret.isascii():
            raise SecretsError("SLACK_SIGNING_SECRET is malformed (copy it from Basic Information)")
        return SlackSecrets(bot_token, signing_secret=secret, api_url=api_url)
    app_token = _token(environ, "SLACK_APP_TOKEN", "xapp-", "an app-level token starting with xapp-")
    return SlackSecrets(bot_token, app_token=app_token, api_url=api_url)


def _token(environ: Mapping[str, str], name: str, prefix: str, what: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise SecretsError(f"{name} is not set ({what})")
    if not value.startswith(prefix) or len(value) <= len(prefix) or any(c.isspace() for c in value):
        raise SecretsError(f"{name} is malformed ({what})")
    return value


def _api_url(value: str) -> str:
    if not value:
        return DEFAULT_API_URL
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise SecretsError(f"SLACK_API_URL is malformed (expected a URL like {DEFAULT_API_URL})")
    # WebClient joins method names onto base_url, so it must end with a slash.
    return value if value.endswith("/") else value + "/"
