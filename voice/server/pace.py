"""One client's pace, clock-free: audio no faster than about 1.5x real time, typed turns a
few a minute, closing when idle (no speech and no typed turn) or at the session's limit."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from voice.server.limits import TokenBucket
from voice.server.state import ConnectionLimits

WARN_EVERY_SECONDS = 2.0
"""At most one ``too_fast`` error per this long, however many frames are dropped."""


class AudioVerdict(Enum):
    """What to do with one frame of audio."""

    ACCEPT = "accept"
    DROP = "drop"
    """Too fast: dropped unheard; the client was told recently."""
    DROP_AND_WARN = "drop_and_warn"
    """Too fast: dropped unheard; tell the client (``too_fast``)."""
    CLOSE = "close"
    """Too fast for too long: the connection ends (``too_fast``, 1008)."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """When the connection closes unless something happens, and why."""

    at: float
    idle: bool
    """True: for want of speech or a typed turn; False: the session's time limit."""


class ClientPace:
    """Paces one session's input and keeps its two clocks (idle and total)."""

    def __init__(self, limits: ConnectionLimits, started: float) -> None:
        pacing = limits.pacing
        self._audio = TokenBucket(pacing.audio_speed, pacing.audio_burst_seconds)
        self._text = TokenBucket(pacing.text_per_minute / 60.0, pacing.text_burst)
        self._excess_limit = pacing.audio_excess_seconds
        self._idle_seconds = limits.idle_timeout_seconds
        self._ends_at = started + limits.session_seconds
        self._last_activity = started
        self._last_warning: float | None = None
        self.dropped_seconds = 0.0
        """Audio dropped so far for coming too fast."""

    def audio(self, seconds: float, now: float) -> AudioVerdict:
        """A frame of ``seconds`` of audio arrived at ``now``."""
        if self._audio.take(seconds, now):
            return AudioVerdict.ACCEPT
        self.dropped_seconds += seconds
        if self.dropped_seconds > self._excess_limit:
            return AudioVerdict.CLOSE
        return AudioVerdict.DROP_AND_WARN if self._warn(now) else AudioVerdict.DROP

    def text(self, now: float) -> bool:
        """A typed turn arrived: True to answer it, False when they come too fast."""
        if self._text.take(1.0, now):
            self.activity(now)
            return True
        return False

    def activity(self, now: float) -> None:
        """The person spoke (speech started or stopped), typed, or a reply just ended."""
        self._last_activity = max(self._last_activity, now)

    def deadline(self) -> Deadline:
        """The next reason to close."""
        idle_at = self._last_activity + self._idle_seconds
        if idle_at < self._ends_at:
            return Deadline(idle_at, idle=True)
        return Deadline(self._ends_at, idle=False)

    def _warn(self, now: float) -> bool:
        if self._last_warning is not None and now - self._last_warning < WARN_EVERY_SECONDS:
            return False
        self._last_warning = now
        return True
