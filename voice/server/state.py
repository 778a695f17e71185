"""What every connection shares: the server-wide limits, who may connect, and the live state
(models once loaded, the session slots)."""

from __future__ import annotations

from dataclasses import dataclass, field

from voice.accounts import AccountStore
from voice.audio.endpointer import END_SILENCE_MS
from voice.dialogue.checkin import CheckinScript
from voice.engines.workers import Engines
from voice.protocol import HELLO_TIMEOUT_SECONDS
from voice.records import Records
from voice.server.edge import OriginPolicy
from voice.server.limits import Cooldowns, KeyedBuckets, SessionSlots, SlotLimits
from voice.server.load import OVERLOAD_MS, LoadGauge


@dataclass(frozen=True, slots=True)
class Pacing:
    """How fast a client may send: audio against the clock, typed turns per minute."""

    audio_speed: float = 1.5
    """Seconds of audio accepted per second of wall time, on average."""
    audio_burst_seconds: float = 4.0
    """Audio that may arrive at once (a network hiccup catching up)."""
    audio_excess_seconds: float = 6.0
    """Audio dropped for coming too fast before the connection is closed."""
    text_per_minute: float = 12.0
    text_burst: float = 3.0
    cooldown_seconds: float = 60.0
    """After a close for too-fast audio, the account and address wait this long."""


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    """Server-wide limits and defaults for connections."""

    max_sessions: int = 4
    max_sessions_per_account: int = 2
    max_sessions_per_address: int = 3
    endpoint_silence_ms: int = END_SILENCE_MS
    idle_timeout_seconds: float = 600.0
    """A session with no speech and no typed turn for this long is closed."""
    session_seconds: float = 3600.0
    """The longest a session may last."""
    hello_timeout_seconds: float = HELLO_TIMEOUT_SECONDS
    pacing: Pacing = field(default_factory=Pacing)
    log_content: bool = False
    safety_locale: str = "us"
    checkin_script: CheckinScript | None = None
    """The check-in questions for sessions whose hello does not say ``checkin: false``."""
    overload_ms: float = OVERLOAD_MS
    """New sessions are refused while the median reply latency of the last minute is
    above this (and someone is still being answered)."""

    @property
    def slots(self) -> SlotLimits:
        """The session-slot limits."""
        return SlotLimits(
            self.max_sessions, self.max_sessions_per_account, self.max_sessions_per_address
        )


@dataclass(frozen=True, slots=True)
class Access:
    """Who may connect: the accounts (``None``: no database, loopback only, no accounts),
    the records kept for them, the Host/Origin policy, and whether the server runs TLS."""

    accounts: AccountStore | None = None
    records: Records | None = None
    """What people keep (``None``: nothing is kept, whatever was consented)."""
    policy: OriginPolicy = field(default_factory=lambda: OriginPolicy(loopback_only=True))
    tls: bool = False


# Sign-in attempts: 5 per account and 20 per address, refilled over 15 minutes.
SIGN_IN_WINDOW_SECONDS = 900.0
SIGN_IN_PER_ACCOUNT = 5
SIGN_IN_PER_ADDRESS = 20


class ServerState:
    """Models (once loaded), the session slots and the sign-in limits, shared by all."""

    def __init__(self, limits: ConnectionLimits, access: Access | None = None) -> None:
        self.limits = limits
        self.access = access or Access()
        self.engines: Engines | None = None
        self.load_error: str | None = None
        self.slots = SessionSlots(limits.slots)
        self.cooldowns = Cooldowns(limits.pacing.cooldown_seconds)
        self.load = LoadGauge(limits.overload_ms)
        """Recent reply latencies: refuse new sessions while replies come too late."""
        self.sessions_started = 0
        """Sessions that got past hello and authentication (tests check nothing else did)."""
        self.sign_in_accounts = KeyedBuckets(
            SIGN_IN_PER_ACCOUNT / SIGN_IN_WINDOW_SECONDS, SIGN_IN_PER_ACCOUNT
        )
        self.sign_in_addresses = KeyedBuckets(
            SIGN_IN_PER_ADDRESS / SIGN_IN_WINDOW_SECONDS, SIGN_IN_PER_ADDRESS
        )

    @property
    def active_sessions(self) -> int:
        """Sessions running now."""
        return self.slots.active
