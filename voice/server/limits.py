"""Rate and session limits as small clock-free cores: the caller passes the time.

``TokenBucket`` paces one stream (a client's audio, its typed turns); ``KeyedBuckets``
keeps one bucket per key (sign-in attempts per account and per address) in bounded
memory; ``SessionSlots`` counts live sessions overall, per account and per address.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class TokenBucket:
    """Holds up to ``capacity`` units, refilled at ``rate`` units a second; starts full."""

    rate: float
    capacity: float
    level: float = field(default=-1.0)
    updated: float | None = None

    def __post_init__(self) -> None:
        if self.level < 0:
            self.level = self.capacity

    def take(self, amount: float, now: float) -> bool:
        """Take ``amount`` if the bucket holds it (then True); otherwise take nothing."""
        self._refill(now)
        if amount > self.level:
            return False
        self.level -= amount
        return True

    def seconds_until(self, amount: float, now: float) -> float:
        """How long until ``amount`` could be taken (0 when it can be now)."""
        self._refill(now)
        missing = min(amount, self.capacity) - self.level
        return max(0.0, missing / self.rate)

    def is_full(self, now: float) -> bool:
        """True when the bucket has refilled completely (it then carries no history)."""
        self._refill(now)
        return self.level >= self.capacity

    def _refill(self, now: float) -> None:
        if self.updated is not None and now > self.updated:
            self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
        if self.updated is None or now > self.updated:
            self.updated = now


class KeyedBuckets:
    """One ``TokenBucket`` per key. Buckets that have refilled are forgotten, and at most
    ``max_keys`` are kept (when full, refilled ones go first, then the oldest)."""

    def __init__(self, rate: float, capacity: float, *, max_keys: int = 10_000) -> None:
        self._rate = rate
        self._capacity = capacity
        self._max_keys = max_keys
        self._buckets: dict[str, TokenBucket] = {}

    def take(self, key: str, amount: float, now: float) -> bool:
        """Take from ``key``'s bucket (see ``TokenBucket.take``)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            self._make_room(now)
            bucket = self._buckets[key] = TokenBucket(self._rate, self._capacity)
        return bucket.take(amount, now)

    def seconds_until(self, key: str, amount: float, now: float) -> float:
        """How long until ``key`` could take ``amount``."""
        bucket = self._buckets.get(key)
        return 0.0 if bucket is None else bucket.seconds_until(amount, now)

    def __len__(self) -> int:
        return len(self._buckets)

    def _make_room(self, now: float) -> None:
        if len(self._buckets) < self._max_keys:
            return
        for key in [k for k, b in self._buckets.items() if b.is_full(now)]:
            del self._buckets[key]
        while len(self._buckets) >= self._max_keys:
            del self._buckets[next(iter(self._buckets))]


@dataclass(frozen=True, slots=True)
class SlotLimits:
    """How many sessions may run: in all, per account, per client address."""

    total: int = 4
    per_account: int = 2
    per_address: int = 3


class SessionSlots:
    """Counts live sessions. ``acquire`` says why a new one cannot start, or takes a slot."""

    def __init__(self, limits: SlotLimits) -> None:
        self.limits = limits
        self.active = 0
        self._accounts: Counter[str] = Counter()
        self._addresses: Counter[str] = Counter()

    def acquire(self, account: str | None, address: str | None) -> str | None:
        """Take a slot and return ``None``; or return which limit is reached
        (``"total"``, ``"account"`` or ``"address"``) and take nothing. ``address`` is
        ``None`` for loopback clients, which are not limited per address."""
        if self.active >= self.limits.total:
            return "total"
        if account is not None and self._accounts[account] >= self.limits.per_account:
            return "account"
        if address is not None and self._addresses[address] >= self.limits.per_address:
            return "address"
        self.active += 1
        if account is not None:
            self._accounts[account] += 1
        if address is not None:
            self._addresses[address] += 1
        return None

    def release(self, account: str | None, address: str | None) -> None:
        """Give back a slot taken with the same arguments."""
        self.active -= 1
        if account is not None:
            self._accounts[account] -= 1
            if self._accounts[account] <= 0:
                del self._accounts[account]
        if address is not None:
            self._addresses[address] -= 1
            if self._addresses[address] <= 0:
                del self._addresses[address]


class Cooldowns:
    """Keys (an account, an address) that must wait before starting again, e.g. after
    being closed for sending audio too fast. At most ``max_keys`` are kept."""

    def __init__(self, seconds: float, *, max_keys: int = 10_000) -> None:
        self.seconds = seconds
        self._max_keys = max_keys
        self._until: dict[str, float] = {}

    def start(self, keys: list[str], now: float) -> None:
        """Make each of ``keys`` wait ``seconds`` from ``now``."""
        for key in keys:
            if len(self._until) >= self._max_keys:
                self._until = {k: t for k, t in self._until.items() if t > now}
                while len(self._until) >= self._max_keys:
                    del self._until[next(iter(self._until))]
            self._until[key] = now + self.seconds

    def waiting(self, keys: list[str], now: float) -> bool:
        """True while any of ``keys`` is still cooling down."""
        return any(self._until.get(key, 0.0) > now for key in keys)
