"""Reconnecting, clock-free: how long to wait before the next try, and when to speak.

Waits double from ``first`` up to ``most`` with up to a quarter of random jitter (so
devices that lost the same server do not all knock at once). The person hears once that
the connection is lost, and once that it is back: never a phrase per try.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Backoff:
    """The state of an outage: how many tries failed, whether the person was told."""

    failures: int = 0
    told: bool = False
    first: float = 1.0
    most: float = 30.0

    def failed(self) -> Backoff:
        """One more try failed."""
        return replace(self, failures=self.failures + 1)

    def delay(self, rng: random.Random) -> float:
        """Seconds to wait before the next try."""
        base = min(self.most, self.first * 2.0 ** max(0, self.failures - 1))
        return base * (1.0 + 0.25 * rng.random())

    @property
    def must_tell(self) -> bool:
        """Tell the person (once per outage)."""
        return self.failures > 0 and not self.told

    def told_now(self) -> Backoff:
        return replace(self, told=True)

    def recovered(self) -> tuple[Backoff, bool]:
        """A try worked: a fresh state, and whether to say the connection is back."""
        return Backoff(first=self.first, most=self.most), self.told
