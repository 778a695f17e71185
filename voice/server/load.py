"""Back-pressure: whether the server still answers in time, from its recent replies.

A pure gauge, fed the latency of each answered turn (end of the person's turn to the first
reply audio) with the time it was measured. When the median over the last minute is past
the limit while people are still talking to it, the server refuses new sessions at
``hello`` (``overloaded``) rather than accept one it would answer too late.
"""

from __future__ import annotations

import statistics
from collections import deque

OVERLOAD_MS = 5000.0
"""A median reply latency above this is too slow to take another person on."""
WINDOW_SECONDS = 60.0
"""Only the turns answered in this last stretch count."""
MIN_TURNS = 3
"""Fewer recent turns than this say nothing (one slow reply is not a trend)."""


class LoadGauge:
    """Recent reply latencies; ``overloaded(now)`` says whether to refuse a new session."""

    def __init__(self, limit_ms: float = OVERLOAD_MS) -> None:
        self.limit_ms = limit_ms
        self._turns: deque[tuple[float, float]] = deque(maxlen=256)

    def record(self, latency_ms: float, now: float) -> None:
        """One answered turn's latency, measured at ``now`` (monotonic seconds)."""
        self._turns.append((now, latency_ms))

    def median_ms(self, now: float) -> float | None:
        """The median latency of the turns of the last ``WINDOW_SECONDS``; None if too few."""
        while self._turns and self._turns[0][0] < now - WINDOW_SECONDS:
            self._turns.popleft()
        if len(self._turns) < MIN_TURNS:
            return None
        return statistics.median(ms for _, ms in self._turns)

    def overloaded(self, now: float) -> bool:
        """True when recent replies came too late."""
        median = self.median_ms(now)
        return median is not None and median > self.limit_ms
