"""What every connection shares: the server-wide limits and the live state (models once
loaded, the count of live sessions)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voice.audio.endpointer import END_SILENCE_MS
from voice.dialogue.checkin import CheckinScript
from voice.engines.workers import Engines
from voice.protocol import HELLO_TIMEOUT_SECONDS


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    """Server-wide limits and defaults for connections."""

    max_sessions: int = 4
    endpoint_silence_ms: int = END_SILENCE_MS
    idle_timeout_seconds: float = 600.0
    hello_timeout_seconds: float = HELLO_TIMEOUT_SECONDS
    log_content: bool = False
    safety_locale: str = "us"
    checkin_script: CheckinScript | None = None
    """The check-in questions for sessions whose hello does not say ``checkin: false``."""
    baseline_dir: Path | None = None
    """Where each person's voice baseline is kept; ``None``: baselines last one session."""


class ServerState:
    """Models (once loaded) and the live sessions count, shared by all connections."""

    def __init__(self, limits: ConnectionLimits) -> None:
        self.limits = limits
        self.engines: Engines | None = None
        self.load_error: str | None = None
        self.active_sessions = 0
