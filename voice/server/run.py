"""Running the server under uvicorn (used by ``voice serve``, the tests and the benchmark)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from voice.accounts import AccountStore
from voice.db import default_url, open_database
from voice.dialogue.checkin import load_script
from voice.engines.workers import Engines
from voice.errors import ConfigError, VoiceError
from voice.protocol import MAX_FRAME_BYTES
from voice.records import Records
from voice.records.erase import expire_recordings
from voice.server.app import create_app
from voice.server.edge import OriginPolicy, binding_problem, is_loopback
from voice.server.state import Access, ConnectionLimits
from voice.settings import Settings

_LOGGER = logging.getLogger(__name__)

RETENTION_SWEEP_SECONDS = 3600.0


PASSPHRASE_VARIABLE = "VOICE_PASSPHRASE"


def open_engine(settings: Settings) -> Engine:
    """The configured database (created and migrated if new)."""
    return open_database(settings.database_url or default_url(settings.data_dir))


def open_accounts(settings: Settings) -> AccountStore:
    """The account store in the configured database."""
    return AccountStore(open_engine(settings))


def open_records(settings: Settings, engine: Engine) -> Records:
    """The records, with the root key unlocked (``VaultError`` when it is missing: the server
    never runs without one)."""
    if settings.config_dir.resolve().is_relative_to(settings.data_dir.resolve()):
        raise ConfigError("config_dir must not be inside data_dir: keys never sit beside data")
    return Records.open(engine, settings.config_dir, passphrase())


def passphrase() -> str | None:
    """``VOICE_PASSPHRASE``, if set and not empty (then it derives the root key)."""
    return os.environ.get(PASSPHRASE_VARIABLE) or None


def build_app(
    settings: Settings,
    load_engines: Callable[[], Engines],
    accounts: AccountStore,
    records: Records,
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
    )
    access = Access(
        accounts=accounts,
        records=records,
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

    if (settings.data_dir / "baselines").is_dir():
        _LOGGER.warning(
            "%s holds voice baselines an earlier version kept unencrypted; they are no longer "
            "read: delete the folder",
            settings.data_dir / "baselines",
        )
    engine = open_engine(settings)
    accounts = AccountStore(engine)
    records = open_records(settings, engine)
    check_binding(settings, accounts)
    tls = (settings.tls_cert, settings.tls_key) if settings.tls_cert and settings.tls_key else None
    server = make_server(
        build_app(settings, lambda: build_engines(settings), accounts, records),
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
    sweeper = asyncio.ensure_future(_expire_recordings(engine))
    try:
        await task
    finally:
        sweeper.cancel()


async def _expire_recordings(engine: Engine) -> None:
    """Erase recordings past their person's retention period: at start-up, then hourly."""
    while True:
        try:
            erased = await asyncio.to_thread(expire_recordings, engine, datetime.now(UTC))
        except VoiceError as exc:
            _LOGGER.warning("recordings past retention could not be erased (%s)", exc.code)
        else:
            if erased:
                _LOGGER.info("erased %d recording segment(s) past retention", erased)
        await asyncio.sleep(RETENTION_SWEEP_SECONDS)
