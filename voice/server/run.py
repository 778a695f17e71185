"""Running the server under uvicorn (used by ``voice serve``, the tests and the benchmark)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from voice.dialogue.checkin import load_script
from voice.engines.workers import Engines
from voice.server.app import create_app
from voice.server.state import ConnectionLimits
from voice.settings import Settings

_LOGGER = logging.getLogger(__name__)

# Frames up to this size reach the connection, which answers too_large above 64 KiB;
# anything bigger is refused by the websocket layer itself (close 1009).
WS_MAX_FRAME_BYTES = 1 << 20


def build_app(settings: Settings, load_engines: Callable[[], Engines]) -> FastAPI:
    """The app with limits taken from settings."""
    limits = ConnectionLimits(
        max_sessions=settings.max_sessions,
        endpoint_silence_ms=settings.endpoint_silence_ms,
        log_content=settings.log_content,
        safety_locale=settings.safety_locale,
        checkin_script=load_script(settings.data_dir),
        baseline_dir=settings.data_dir / "baselines",
    )
    return create_app(load_engines, limits)


def make_server(app: FastAPI, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server using the ``websockets`` implementation; logging left to us."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        ws="websockets-sansio",
        ws_max_size=WS_MAX_FRAME_BYTES,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    return uvicorn.Server(config)


def bound_port(server: uvicorn.Server) -> int:
    """The port a started server listens on (useful with port 0)."""
    return int(server.servers[0].sockets[0].getsockname()[1])


async def serve(settings: Settings) -> None:
    """Run until interrupted; models load in the background, ``/healthz`` says when."""
    from voice.engines.factory import build_engines

    server = make_server(
        build_app(settings, lambda: build_engines(settings)), settings.host, settings.port
    )
    task = asyncio.ensure_future(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.05)
    if server.started:
        _LOGGER.info("listening on http://%s:%d", settings.host, bound_port(server))
    await task
