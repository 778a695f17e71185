"""``voice wyoming``: its flags, and serving Home Assistant until stopped."""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import TYPE_CHECKING, Any

from voice.errors import ConfigError
from voice.settings import Settings
from voice.wyoming.bind import DEFAULT_URI, check_uri

if TYPE_CHECKING:  # the models and the protocol load only when the command runs
    from wyoming.server import AsyncServer

    from voice.engines.workers import Engines
    from voice.wyoming.handler import WyomingService
    from voice.wyoming.info import Offer

_LOGGER = logging.getLogger(__name__)


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add ``wyoming`` to the sub-commands; the caller adds the model and logging flags."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "wyoming", help="serve Home Assistant over Wyoming: speech to text and back, the companion"
    )
    parser.add_argument(
        "--uri",
        default=DEFAULT_URI,
        help=f"where to listen: tcp://HOST:PORT or unix:///PATH (default {DEFAULT_URI})",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow an address other machines can reach (Wyoming has no authentication)",
    )
    return parser


def service_for(settings: Settings, offer: Offer, engines: Engines) -> WyomingService:
    """``offer`` over Wyoming, with the loaded models. The companion holds an open
    conversation, with its crisis handling: Home Assistant is asked anything at any time,
    so the daily check-in's script is not started."""
    from voice.session.config import SessionSettings
    from voice.wyoming.handler import WyomingService
    from voice.wyoming.info import build_info

    session = SessionSettings(
        log_content=settings.log_content,
        safety_locale=settings.safety_locale,
        checkin_script=None,
    )
    return WyomingService(engines, build_info(offer), session, language=offer.stt_language)


async def start(service: WyomingService, uri: str) -> AsyncServer:
    """Listen on ``uri`` (already checked) and serve each connection with ``service``."""
    from wyoming.server import AsyncServer

    server = AsyncServer.from_uri(uri)
    try:
        await server.start(service.handler)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"cannot listen on {uri}: {reason}") from exc
    return server


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Check where to listen, load the models, and serve until interrupted."""
    if check_uri(args.uri, allow_remote=args.allow_remote):
        _LOGGER.warning(
            "Wyoming has no authentication: anyone who reaches %s can use speech recognition "
            "and the companion; let only Home Assistant through the firewall",
            args.uri,
        )
    from voice.engines.factory import build_engines
    from voice.wyoming.info import offer_for

    offer = offer_for(settings)  # before the models load: a bad setting stops at once
    engines = build_engines(settings)
    try:
        asyncio.run(_serve(service_for(settings, offer, engines), args.uri))
    finally:
        engines.close()
    return 0


async def _serve(service: WyomingService, uri: str) -> None:
    server = await start(service, uri)
    _LOGGER.info("wyoming: listening on %s", uri)
    try:
        await asyncio.Event().wait()  # until interrupted
    finally:
        await server.stop()
