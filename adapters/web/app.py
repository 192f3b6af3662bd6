"""The Starlette app behind `faqbot serve`: the chat API, the widget script and a demo page."""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from faqbot.engine import Engine
from faqbot.insights import Insights

from ..reloading import EngineHolder, reload_on_sighup, watching
from ..settings import Settings
from ..store import Store
from .chat import ChatEndpoint, error_content
from .feedback import FeedbackEndpoint
from .middleware import ClientNames, FrontDoor
from .openapi import openapi_document
from .settings import WebSettings

DEMO_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_NO_STORE = {"cache-control": "no-store"}


@dataclass(frozen=True)
class Asset:
    """A static file held in memory with its validators."""

    body: bytes
    media_type: str
    etag: str


def _asset(name: str, media_type: str, replace: dict[str, str] | None = None) -> Asset:
    text = resources.files(__name__.rpartition(".")[0]).joinpath("static", name).read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    body = text.encode("utf-8")
    return Asset(body, media_type, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')


def _serve(request: Request, asset: Asset, cache: str, extra: dict[str, str] | None = None) -> Response:
    headers = {"cache-control": cache, "etag": asset.etag, **(extra or {})}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def error_response(status: int, code: str, message: str) -> Response:
    """A JSON error for the Starlette routes, in the same shape as the chat endpoint's."""
    content, _ = error_content(code, message)
    return JSONResponse(content, status_code=status, headers=_NO_STORE)


def _greeting_route(holder: EngineHolder) -> Route:
    async def greeting(request: Request) -> Response:
        """GET /api/greeting: starter questions for the widget's greeting chips."""
        engine = holder.engine
        starters = [suggestion.to_dict() for suggestion in engine.starter_suggestions(4)]
        content = {"suggestions": starters, "emergency_number": engine.settings.emergency_number}
        return JSONResponse(content, headers={"cache-control": "public, max-age=300"})

    return Route("/api/greeting", greeting, methods=["GET"])


def _integrity(asset: Asset) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(asset.body).digest()).decode("ascii")


def _static_routes(web: WebSettings) -> list[Route]:
    widget = _asset("widget.js", "text/javascript; charset=utf-8")
    versioned = f"/widget-{widget.etag.strip(chr(34))[:12]}.js"
    demo = _asset("index.html", "text/html; charset=utf-8", {"{{WIDGET_SRC}}": versioned})
    css = _asset("demo.css", "text/css; charset=utf-8")
    spec = openapi_document(web.max_message_chars, web.max_body_bytes)
    # Host pages load the script cross-origin; say so explicitly for pages that require CORP.
    script_headers = {"cross-origin-resource-policy": "cross-origin"}

    async def widget_latest(request: Request) -> Response:
        return _serve(request, widget, "public, max-age=300", script_headers)

    async def widget_pinned(request: Request) -> Response:
        return _serve(request, widget, "public, max-age=31536000, immutable", script_headers)

    async def index(request: Request) -> Response:
        return _serve(request, demo, "no-cache", {"content-security-policy": DEMO_CSP})

    async def demo_css(request: Request) -> Response:
        return _serve(request, css, "public, max-age=300")

    health = {"status": "ok", "widget": versioned, "integrity": _integrity(widget)}

    async def healthz(request: Request) -> Response:
        return JSONResponse(health, headers=_NO_STORE)

    async def openapi(request: Request) -> Response:
        return JSONResponse(spec)

    return [
        Route("/", index),
        Route("/widget.js", widget_latest),
        Route(versioned, widget_pinned),
        Route("/demo.css", demo_css),
        Route("/healthz", healthz),
        Route("/api/openapi.json", openapi),
    ]


class JSONCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered in the API's JSON error shape instead of plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """The preflight answer; a refusal keeps Starlette's status and headers, with a JSON body."""
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        reason = bytes(response.body).decode("ascii", "replace")  # "Disallowed CORS origin, method"
        content, _ = error_content("cors_refused", f"{reason}.")
        keep = {k: v for k, v in response.headers.items() if k not in ("content-type", "content-length")}
        return JSONResponse(content, status_code=response.status_code, headers={**keep, **_NO_STORE})


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Something went wrong."
    return error_response(status, "http_error" if status < 500 else "internal", str(detail))


def create_app(
    settings: Settings,
    secret: bytes,
    engine: Engine | EngineHolder | None = None,
    store: Store | None = None,
    insights: Insights | None = None,
    watch: Path | None = None,
    sighup: bool = False,
) -> Starlette:
    """The whole web app; `faqbot serve` builds exactly this (tests too). `store` shares the rate limit. While it
    runs (its lifespan), changes in the folder `watch` and, with `sighup`, SIGHUP reload the documents."""
    if isinstance(engine, EngineHolder):
        holder = engine
    elif engine is not None:
        holder = EngineHolder(lambda: Engine.from_settings(settings.engine), engine)
    else:
        holder = EngineHolder.from_settings(settings.engine)
    insights = insights or Insights.from_settings(settings.insights)
    routes = [
        # A bare ASGI app as the endpoint: Starlette routes to it without wrapping it in Request/Response.
        Route("/api/chat", ChatEndpoint(holder, settings.web, secret, store, insights), methods=["POST"]),
        Route("/api/feedback", FeedbackEndpoint(holder, settings.web, insights).handle, methods=["POST"]),
        _greeting_route(holder),
        *_static_routes(settings.web),
    ]
    # Logs name clients by a hash keyed from the state secret: stable across workers and hosts, useless elsewhere.
    names = ClientNames(None if settings.web.log_client_addresses else secret)
    middleware = [Middleware(FrontDoor, client_names=names)]
    if settings.web.allow_origins:
        middleware.append(
            Middleware(
                JSONCORSMiddleware,
                allow_origins=list(settings.web.allow_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
                expose_headers=["Retry-After"],
                max_age=600,
            )
        )
    handlers = {HTTPException: _http_error, Exception: _http_error}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Signal handlers can only be set from the main thread: uvicorn runs the lifespan there, test clients don't.
        hup = sighup and threading.current_thread() is threading.main_thread()
        with watching(holder, watch), reload_on_sighup(holder) if hup else nullcontext():
            yield
        insights.close()

    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers, lifespan=lifespan)
    # "/api/chat/" is a 404 in the JSON error shape, not a redirect built from the client's Host header.
    app.router.redirect_slashes = False
    app.state.insights = insights
    return app
