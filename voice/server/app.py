"""The HTTP edge: health, the static web client, and the check-in websocket."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from fastapi import FastAPI, WebSocket
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from voice.assets import WEB_DIR
from voice.engines.workers import Engines
from voice.errors import VoiceError
from voice.protocol import WEBSOCKET_PATH
from voice.server.connection import Connection
from voice.server.state import ConnectionLimits, ServerState

_LOGGER = logging.getLogger(__name__)


def create_app(
    load_engines: Callable[[], Engines],
    limits: ConnectionLimits,
    *,
    client_dir: Path = WEB_DIR,
) -> FastAPI:
    """Build the app; models load in a worker thread at start-up, ``/healthz`` says when."""
    state = ServerState(limits)

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

    app = FastAPI(title="voice", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.voice = state

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        if state.engines is not None:
            return JSONResponse({"status": "ok", "sessions": state.active_sessions})
        if state.load_error is not None:
            return JSONResponse({"status": "error", "error": state.load_error}, status_code=503)
        return JSONResponse({"status": "loading"}, status_code=503)

    @app.websocket(WEBSOCKET_PATH)
    async def checkin(websocket: WebSocket) -> None:
        await Connection(websocket, state).run()

    if client_dir.is_dir():
        app.mount("/", StaticFiles(directory=client_dir, html=True), name="client")
    return app


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
