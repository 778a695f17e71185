"""The HTTP edge: health, therapists' sign-in, the static web client, and the check-in
websocket, behind one middleware that checks Host and Origin and adds the security headers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, WebSocket
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from voice import __version__
from voice.assets import WEB_DIR
from voice.engines.workers import Engines
from voice.errors import VoiceError
from voice.protocol import WEBSOCKET_PATH
from voice.server.api_errors import install_error_handlers
from voice.server.api_schema import without_422
from voice.server.connection import Connection
from voice.server.edge import SECURITY_HEADERS, OriginPolicy
from voice.server.person_api import person_router
from voice.server.signin import API_PREFIX, sign_in_router
from voice.server.state import Access, ConnectionLimits, ServerState
from voice.server.therapist_api import therapist_router

_LOGGER = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
API_SUMMARY = (
    "A person's own check-ins (paired devices, Bearer token) and the therapists' listening "
    "room (session cookie). The check-in itself is the websocket at /v1/checkin."
)


def create_app(
    load_engines: Callable[[], Engines],
    limits: ConnectionLimits,
    access: Access | None = None,
    *,
    client_dir: Path = WEB_DIR,
) -> FastAPI:
    """Build the app; models load in a worker thread at start-up, ``/healthz`` says when."""
    state = ServerState(limits, access)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        loader = asyncio.ensure_future(_load(state, load_engines))
        try:
            yield
        finally:
            loader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loader
            if state.engines is not None:
                state.engines.close()

    app = FastAPI(
        title="voice",
        summary=API_SUMMARY,
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_PATH,
        lifespan=lifespan,
    )
    app.state.voice = state
    install_error_handlers(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = without_422(
                get_openapi(
                    title=app.title, version=app.version, summary=app.summary, routes=app.routes
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        if state.engines is not None:
            return JSONResponse({"status": "ok", "warm": state.engines.warm.is_set()})
        if state.load_error is not None:
            return JSONResponse({"status": "error"}, status_code=503)
        return JSONResponse({"status": "loading"}, status_code=503)

    app.include_router(sign_in_router(state))
    app.include_router(person_router())
    app.include_router(therapist_router())

    @app.websocket(WEBSOCKET_PATH)
    async def checkin(websocket: WebSocket) -> None:
        await Connection(websocket, state).run()

    if client_dir.is_dir():
        app.mount("/", StaticFiles(directory=client_dir, html=True), name="client")
    app.add_middleware(EdgeMiddleware, policy=state.access.policy)
    return app


class EdgeMiddleware:
    """Every HTTP request: a Host this server answers to, an allowed Origin on anything
    that changes state, and the security headers on every answer. (The websocket checks the
    same policy itself, before it accepts.)"""

    def __init__(self, app: ASGIApp, policy: OriginPolicy) -> None:
        self._app = app
        self._policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        changes_state = scope["method"] not in SAFE_METHODS
        if not self._policy.request_ok(headers, changes_state=changes_state):
            await _forbidden(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self._app(scope, receive, send_with_headers)


async def _forbidden(send: Send) -> None:
    body = json.dumps(
        {"error": {"code": "forbidden", "message": "requests from that host or site are refused"}}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": 403, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _load(state: ServerState, load_engines: Callable[[], Engines]) -> None:
    try:
        state.engines = await asyncio.to_thread(load_engines)
        _LOGGER.info("models loaded; ready for check-ins")
    except VoiceError as exc:
        state.load_error = exc.message
        _LOGGER.error("could not load the models: %s", exc.message)
    except Exception:
        state.load_error = "the models could not be loaded (see the server log)"
        _LOGGER.exception("could not load the models")
