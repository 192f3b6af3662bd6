"""`faqbot slack`: flags, credential checks, then Socket Mode or HTTP mode (heavy imports inside run)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TYPE_CHECKING

from ..settings import Settings
from .secrets import SecretsError, SlackSecrets, slack_secrets

if TYPE_CHECKING:
    import socket

    from slack_bolt import App

MAX_PORT = 65535


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare `faqbot slack`'s flags."""
    parser.add_argument("--http", action="store_true", help="serve HTTP on /slack/events, not Socket Mode")
    parser.add_argument("--port", type=int, help="HTTP mode port, 0 for any free one (default: [slack] port, 3000)")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP mode address (default 127.0.0.1)")
    parser.add_argument(
        "--watch", action="store_true", help="reload the documents when the corpus folder changes (SIGHUP always does)"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Slack bot until interrupted; returns the exit status."""
    # 0 is let through on purpose: the socket then gets a free port, which the start-up log line names.
    port = settings.slack.port if args.port is None else args.port
    if not 0 <= port <= MAX_PORT:
        return _fail(f"port {port} is out of range (0 to {MAX_PORT}; 0 picks a free port)")
    try:
        secrets = slack_secrets(os.environ, http=args.http)
    except SecretsError as error:
        return _fail(str(error))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError, SlackClientError

    from .. import serving
    from ..reloading import EngineHolder, reload_on_sighup, watching
    from ..store import shared_store
    from . import server

    serving.share_the_gil_finely()
    sock = None
    if args.http:
        # Bound before Slack is contacted, so a port in use is named as such, not as Slack being unreachable.
        try:
            sock = server.bind(args.host, port)
        except OSError as error:
            return _fail(f"cannot listen on {args.host}:{port}: {error.strerror or _first_line(error)}")
    store = shared_store(settings.store.url)
    try:
        holder = EngineHolder.from_settings(settings.engine)
        watch = settings.engine.corpus if getattr(args, "watch", False) else None
        app = server.create_app(secrets, settings, holder=holder, store=store)
        with reload_on_sighup(holder), watching(holder, watch):
            _serve(app, secrets, sock)
    except BoltError as error:
        # bolt's auth.test at start-up: a revoked or wrong token, or the wrong SLACK_API_URL.
        return _fail(f"Slack did not accept SLACK_BOT_TOKEN ({_first_line(error)})")
    except SlackApiError as error:
        return _fail(f"Slack refused the connection: {error.response.get('error')} (check SLACK_APP_TOKEN)")
    except (SlackClientError, OSError) as error:
        return _fail(f"cannot reach Slack at {secrets.api_url}: {_first_line(error)}")
    finally:
        if sock is not None:
            sock.close()
        if store is not None:
            store.close()
    return 0


def _serve(app: App, secrets: SlackSecrets, sock: socket.socket | None) -> None:
    from . import server

    if sock is not None:
        assert secrets.signing_secret is not None  # slack_secrets guarantees it with --http
        server.run_http(app, secrets.signing_secret, sock)
    else:
        assert secrets.app_token is not None  # slack_secrets guarantees it without --http
        server.run_socket_mode(app, secrets.app_token)


def _fail(message: str) -> int:
    print(f"faqbot: error: {message}", file=sys.stderr)
    return 2


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
