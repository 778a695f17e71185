"""Running the server under uvicorn (used by ``voice serve``, the tests and the benchmark)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from voice.accounts import AccountStore
from voice.db import default_url, open_database
from voice.dialogue.checkin import load_script
from voice.engines.workers import Engines
from voice.errors import ConfigError
from voice.protocol import MAX_FRAME_BYTES
from voice.server.app import create_app
from voice.server.edge import OriginPolicy, binding_problem, is_loopback
from voice.server.state import Access, ConnectionLimits
from voice.settings import Settings

_LOGGER = logging.getLogger(__name__)


def open_accounts(settings: Settings) -> AccountStore:
    """The account store in the configured database (created and migrated if new)."""
    return AccountStore(open_database(settings.database_url or default_url(settings.data_dir)))


def build_app(
    settings: Settings, load_engines: Callable[[], Engines], accounts: AccountStore
) -> FastAPI:
    """The app with limits and access taken from settings."""
    limits = ConnectionLimits(
        max_sessions=settings.max_sessions,
        max_sessions_per_account=settings.max_sessions_per_account,
        max_sessions_per_address=settings.max_sessions_per_address,
        session_seconds=settings.session_minutes * 60.0,
        endpoint_silence_ms=settings.endpoint_silence_ms,
        log_content=settings.log_content,
        safety_locale=settings.safety_locale,
        checkin_script=load_script(settings.data_dir),
        baseline_dir=settings.data_dir / "baselines",
    )
    access = Access(
        accounts=accounts,
        policy=OriginPolicy.for_server(settings.host, settings.allowed_origins),
        tls=settings.tls_cert is not None,
    )
    return create_app(load_engines, limits, access)


def check_binding(settings: Settings, accounts: AccountStore) -> None:
    """Refuse (ConfigError naming the fix) to listen where no one should be let in."""
    problem = binding_problem(
        settings.host,
        accounts=accounts.has_accounts(),
        tls=settings.tls_cert is not None,
        insecure_http=settings.insecure_http,
    )
    if problem is not None:
        raise ConfigError(problem)
    if not is_loopback(settings.host) and settings.tls_cert is None:
        _LOGGER.warning(
            "serving plain http on %s: only safe behind a TLS reverse proxy", settings.host
        )


def make_server(
    app: FastAPI, host: str, port: int, *, tls: tuple[Path, Path] | None = None
) -> uvicorn.Server:
    """A uvicorn server using the ``websockets`` implementation; logging left to us.
    No compression is negotiated, and frames over the protocol's 64 KiB are refused by
    the websocket layer itself (close 1009)."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        ws="websockets-sansio",
        ws_max_size=MAX_FRAME_BYTES,
        ws_per_message_deflate=False,
        log_config=None,
        access_log=False,
        lifespan="on",
        ssl_certfile=str(tls[0]) if tls else None,
        ssl_keyfile=str(tls[1]) if tls else None,
    )
    return uvicorn.Server(config)


def bound_port(server: uvicorn.Server) -> int:
    """The port a started server listens on (useful with port 0)."""
    return int(server.servers[0].sockets[0].getsockname()[1])


async def serve(settings: Settings) -> None:
    """Run until interrupted; models load in the background, ``/healthz`` says when."""
    from voice.engines.factory import build_engines

    accounts = open_accounts(settings)
    check_binding(settings, accounts)
    tls = (settings.tls_cert, settings.tls_key) if settings.tls_cert and settings.tls_key else None
    server = make_server(
        build_app(settings, lambda: build_engines(settings), accounts),
        settings.host,
        settings.port,
        tls=tls,
    )
    task = asyncio.ensure_future(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.05)
    if server.started:
        scheme = "https" if tls else "http"
        _LOGGER.info("listening on %s://%s:%d", scheme, settings.host, bound_port(server))
    await task
