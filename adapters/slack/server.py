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

from faqbot.insights import Insights

from .. import serving
from ..reloading import EngineHolder
from ..settings import Settings
from ..store import Store
from . import guard
from .bot import SlackBot, build_app, web_client
from .secrets import SlackSecrets

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def create_app(
    secrets: SlackSecrets,
    settings: Settings,
    *,
    verify_token: bool = True,
    holder: EngineHolder | None = None,
    store: Store | None = None,
) -> App:
    """The bolt App for these credentials and settings (builds the engine unless `holder` has it; auth.test if
    verify_token). `store` (from `[store] url`) is where seen ids and conversation state go; None keeps them here."""
    engine = holder or EngineHolder.from_settings(settings.engine)
    bot = SlackBot(engine, settings.slack, store, insights=Insights.from_settings(settings.insights))
    client = web_client(secrets.bot_token, secrets.api_url)
    return build_app(bot, client, signing_secret=secrets.signing_secret, verify_token=verify_token)


def asgi_app(app: App, signing_secret: str) -> Starlette:
    """An ASGI app serving events, commands and interactivity on /slack/events.

    The signature is checked on the raw, size-capped body before bolt parses anything, so unsigned or oversized
    requests cost no parsing and never reach bolt's logs; what cannot be parsed gets 400, never 500.
    """

    async def events(request: Request) -> Response:
        body = await guard.verified_body(request.stream(), request.headers, signing_secret)
        if body is None:
            return Response(status_code=400)  # the client has gone; nobody reads this
        if isinstance(body, guard.Refusal):
            return body.response()
        try:
            return await _dispatch(app, request, body)
        except Exception as error:  # bolt reads a signed payload of an unexpected shape with .get(), len(), [...]
            log.info("refused an unreadable signed request (%s)", type(error).__name__)
            return guard.Refusal(400, "unreadable_body").response()

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]), Route("/healthz", health)])


async def _dispatch(app: App, request: Request, body: bytes) -> Response:
    bolt_request = to_bolt_request(request, body)  # raises on a body that is not UTF-8, JSON or a form
    if not isinstance(bolt_request.body, dict) or not _well_formed(bolt_request.body):
        raise TypeError("the payload is not an object of the shape Slack sends")
    if request.headers.get("content-type", "").startswith("application/json"):
        # Events API: bolt acks before running the listener (in its executor), so dispatch returns in
        # well under a millisecond; a thread hop here would only add latency under load.
        return to_starlette_response(app.dispatch(bolt_request))
    # Commands and buttons (form-encoded): dispatch blocks until the listener calls ack(), so use a thread.
    return to_starlette_response(await run_in_threadpool(app.dispatch, bolt_request))


def _well_formed(body: dict[str, object]) -> bool:
    """The parts bolt indexes without checking are of the kinds Slack sends: an event callback's event an object, a
    button payload's actions objects (bolt answers anything else with a 500 and a traceback)."""
    if body.get("type") == "event_callback" and not isinstance(body.get("event"), dict):
        return False
    actions = body.get("actions")
    return actions is None or (
        isinstance(actions, list) and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    )


def http_server(app: App, signing_secret: str, sock: socket.socket) -> uvicorn.Server:
    """A uvicorn server for HTTP mode on an already bound socket (call .run(sockets=[sock]))."""
    host, port = sock.getsockname()[:2]
    # ws="none": nothing here speaks websockets, and it avoids loading uvicorn's websocket stack.
    config = uvicorn.Config(
        asgi_app(app, signing_secret),
        host=host,
        port=port,
        ws="none",
        lifespan="off",
        log_level="warning",
        access_log=False,
        **serving.uvicorn_options(),
    )
    return uvicorn.Server(config)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def run_http(app: App, signing_secret: str, sock: socket.socket) -> None:
    """Serve HTTP mode on a bound socket until interrupted."""
    host, port = sock.getsockname()[:2]
    log.info("faqbot Slack adapter listening on http://%s:%d%s", host, port, EVENTS_PATH)
    http_server(app, signing_secret, sock).run(sockets=[sock])


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
