"""`faqbot serve`: flags, the state secret and uvicorn; nothing heavy is imported until run()."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import time
from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING

from faqbot.settings import SettingsError

from ..settings import Settings, settings_from_mapping, settings_to_mapping
from .state import SECRET_ENV, generate_secret, secret_from_environ

if TYPE_CHECKING:
    from starlette.applications import Starlette

# How the parent hands its settings to worker processes, which uvicorn starts from an import string.
SETTINGS_ENV = "FAQBOT_SERVE_SETTINGS"
# Set (to "1") when the workers should watch the corpus folder themselves.
WATCH_ENV = "FAQBOT_SERVE_WATCH"
# Seconds a worker that cannot load the documents waits before exiting (uvicorn starts its replacement at once).
WORKER_RETRY_SECONDS = 5.0
MAX_PORT = 65535


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the flags of `faqbot serve` (each overrides the [web] settings)."""
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (default 1)")
    parser.add_argument(
        "--allow-origin",
        action="append",
        metavar="ORIGIN",
        help="a site allowed to call the API from the browser, e.g. https://clinic.example (repeatable)",
    )
    parser.add_argument(
        "--watch", action="store_true", help="reload the documents when the corpus folder changes (SIGHUP always does)"
    )


def settings_with_flags(args: argparse.Namespace, settings: Settings) -> Settings:
    """Settings with the command-line flags applied on top of [web], validated like the file's values."""
    data = json.loads(settings_to_json(settings))
    for name in ("host", "port", "workers"):
        value = getattr(args, name, None)
        if value is not None:
            data["web"][name] = value
    if getattr(args, "allow_origin", None):
        data["web"]["allow_origins"] = [origin.rstrip("/") for origin in args.allow_origin]
    for origin in data["web"]["allow_origins"]:
        # A wildcard or a URL with a path would silently allow far more (or nothing); name sites exactly.
        if not re.fullmatch(r"https?://[^/\s*]+", origin):
            raise SettingsError(f"allowed origins must look like https://clinic.example, not {origin!r}")
    import ipaddress  # here, not at the top: keeps this edit apart from the module's import block for merging

    for proxy in data["web"]["trusted_proxies"]:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            expected = "addresses or networks like 10.0.0.5 or 10.0.0.0/8"
            raise SettingsError(f"trusted proxies must be {expected}, not {proxy!r}") from None
    settings = settings_from_mapping(data)
    # settings_from_mapping refuses 0 and below; uvicorn would silently pick some port for one above the range.
    if settings.web.port > MAX_PORT:
        raise SettingsError(f"setting web.port has an unusable value {settings.web.port} (expected 1 to {MAX_PORT})")
    return settings


def ensure_secret(environ: MutableMapping[str, str]) -> bytes:
    """The state secret from `environ`; when absent, generate one, warn, and store it for the workers."""
    secret = secret_from_environ(environ)
    if secret is None:
        print(
            f"faqbot: warning: {SECRET_ENV} is not set; using a random secret for this run, so conversations "
            "do not survive a restart and other hosts reject them",
            file=sys.stderr,
        )
        environ[SECRET_ENV] = generate_secret()
        secret = secret_from_environ(environ)
        assert secret is not None
    return secret


def settings_to_json(settings: Settings) -> str:
    """Settings as JSON that settings_from_mapping reads back."""
    return json.dumps(settings_to_mapping(settings), default=str)


class RequestLogFormatter(logging.Formatter):
    """`asctime pid=N message`, with the usual asctime ("2024-05-01 12:00:00,123").

    The server writes a line per request, thousands a second under load, so the date and time are formatted once
    a second and reused; only the milliseconds change from line to line.
    """

    def __init__(self) -> None:
        super().__init__("%(asctime)s pid=%(process)d %(message)s")
        self._second = -1
        self._stamp = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        second = int(record.created)
        if second != self._second:
            self._second, self._stamp = second, time.strftime(self.default_time_format, self.converter(second))
        return f"{self._stamp},{int(record.msecs):03d}"


def configure_logging() -> None:
    """Send the one-line request log and the reload log to stderr (uvicorn's own access log is off)."""
    for name in ("faqbot.web", "faqbot.reload"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(RequestLogFormatter())
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def app_from_environ(environ: Mapping[str, str] | None = None) -> Starlette:
    """Worker-side factory: rebuild settings and secret from the environment the parent prepared."""
    from faqbot.corpus import CorpusError

    from .. import serving
    from ..reloading import EngineHolder
    from ..store import shared_store
    from .app import create_app

    env = os.environ if environ is None else environ
    settings = settings_from_mapping(json.loads(env[SETTINGS_ENV]))
    secret = secret_from_environ(env)
    if secret is None:
        raise RuntimeError(f"{SECRET_ENV} must be set for worker processes")
    configure_logging()
    serving.share_the_gil_finely()
    watch = settings.engine.corpus if env.get(WATCH_ENV) == "1" else None
    try:
        holder = EngineHolder.from_settings(settings.engine)
    except CorpusError as error:
        # A worker replacing one that died, while the documents on disk do not load: the other workers go on serving
        # the last good ones. One line, not a traceback, and a pause, or uvicorn would retry twice a second.
        logging.getLogger("faqbot.reload").error("worker not started, the documents do not load: %s", error)
        time.sleep(WORKER_RETRY_SECONDS)
        raise SystemExit(1) from None
    store = shared_store(settings.store.url)
    return create_app(settings, secret, holder, store, watch=watch, sighup=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the widget and API until interrupted; returns the exit status."""
    import uvicorn

    from .. import serving
    from ..reloading import EngineHolder, reload_on_sighup
    from ..store import shared_store
    from .app import create_app
    from .workers import run_workers

    settings = settings_with_flags(args, settings)
    serving.share_the_gil_finely()
    web = settings.web
    secret = ensure_secret(os.environ)
    holder = EngineHolder.from_settings(settings.engine)  # fail here, once, with a one-line corpus error
    configure_logging()
    watch = settings.engine.corpus if getattr(args, "watch", False) else None
    options = dict(
        host=web.host,
        port=web.port,
        access_log=False,
        server_header=False,
        ws="none",  # no websockets here; skip importing them
        log_level="info",
        # X-Forwarded-For decides whose rate limit a request counts against: believe only the proxies named.
        proxy_headers=bool(web.trusted_proxies),
        forwarded_allow_ips=list(web.trusted_proxies) or None,
        **serving.uvicorn_options(),
    )
    if web.workers > 1:
        # Each worker builds its own engine (and watches, with --watch); the master only passes SIGHUP on.
        os.environ[SETTINGS_ENV] = settings_to_json(settings)
        os.environ[WATCH_ENV] = "1" if watch else ""
        run_workers(f"{__name__}:app_from_environ", workers=web.workers, factory=True, **options)
    else:
        # With workers, each builds its own app (and store client) from the environment instead.
        store = shared_store(settings.store.url)
        # Set here, before uvicorn starts, not in the app's lifespan: SIGHUP's default action would end the server.
        with reload_on_sighup(holder):
            uvicorn.run(create_app(settings, secret, holder, store, watch=watch), **options)
    return 0
