"""Running the bot: Socket Mode (the default) or HTTP mode (Starlette + uvicorn on /slack/events)."""

from __future__ import annotations

import logging
import socket
import threading

import uvicorn
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from adapters.slack.bot import SlackBot, build_app, web_client
from adapters.slack.secrets import SlackSecrets
from faqbot.engine import Engine
from faqbot.settings import Settings

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def create_app(secrets: SlackSecrets, settings: Settings, *, verify_token: bool = True) -> App:
    """The bolt App for these credentials and settings (builds the engine; auth.test if verify_token)."""
    engine = Engine.from_settings(settings.engine)
    bot = SlackBot(engine, settings.slack)
    client = web_client(secrets.bot_token, secrets.api_url)
    return build_app(bot, client, signing_secret=secrets.signing_secret, verify_token=verify_token)


def asgi_app(app: App) -> Starlette:
    """An ASGI app serving events, commands and interactivity on /slack/events."""

    async def events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        if request.headers.get("content-type", "").startswith("application/json"):
            # Events API: bolt acks before running the listener (in its executor), so dispatch returns in
            # well under a millisecond; a thread hop here would only add latency under load.
            return to_starlette_response(app.dispatch(bolt_request))
        # Commands and buttons (form-encoded): dispatch blocks until the listener calls ack(), so use a thread.
        return to_starlette_response(await run_in_threadpool(app.dispatch, bolt_request))

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]), Route("/healthz", health)])


def http_server(app: App, sock: socket.socket) -> uvicorn.Server:
    """A uvicorn server for HTTP mode on an already bound socket (call .run(sockets=[sock]))."""
    host, port = sock.getsockname()[:2]
    # ws="none": nothing here speaks websockets, and it avoids loading uvicorn's websocket stack.
    config = uvicorn.Config(
        asgi_app(app), host=host, port=port, ws="none", lifespan="off", log_level="warning", access_log=False
    )
    return uvicorn.Server(config)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def run_http(app: App, host: str, port: int) -> None:
    """Serve HTTP mode until interrupted."""
    sock = bind(host, port)
    log.info("faqbot Slack adapter listening on http://%s:%d%s", host, sock.getsockname()[1], EVENTS_PATH)
    http_server(app, sock).run(sockets=[sock])


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """A Socket Mode handler (slack_sdk's built-in websocket client; apps.connections.open via app.client)."""
    return SocketModeHandler(app, app_token)


def run_socket_mode(app: App, app_token: str, stop: threading.Event | None = None) -> None:
    """Connect over Socket Mode and serve until interrupted (or until `stop` is set)."""
    handler = socket_mode_handler(app, app_token)
    handler.connect()  # type: ignore[no-untyped-call]
    log.info("faqbot Slack adapter connected over Socket Mode")
    try:
        (stop or threading.Event()).wait()
    finally:
        handler.close()  # type: ignore[no-untyped-call]
