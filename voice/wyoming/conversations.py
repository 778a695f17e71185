"""The companion's conversations, kept in memory by Home Assistant's ``conversation_id``
(pure: the time is passed in).

At most ``limit`` are kept, the least recently used going first, and one with no turn for
``idle_seconds`` is forgotten. Nothing is written anywhere: a conversation ends with the
process at the latest.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_CONVERSATIONS = 16
IDLE_SECONDS = 30 * 60.0
MAX_ID_CHARS = 128
"""A longer id is not kept (Home Assistant's are 26-character ULIDs)."""


class Conversations(Generic[T]):
    """Conversations by id; ``get`` one for each turn, with the time now."""

    def __init__(
        self,
        new: Callable[[], T],
        *,
        limit: int = MAX_CONVERSATIONS,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self._new = new
        self._limit = limit
        self._idle_seconds = idle_seconds
        self._kept: OrderedDict[str, tuple[float, T]] = OrderedDict()  # oldest use first

    def get(self, key: str | None, now: float) -> T:
        """The conversation ``key`` names, used now; a new one when it is unknown or was
        forgotten. Without a usable key the new conversation is not kept: it lasts one turn."""
        self._forget_idle(now)
        if key is None or not 0 < len(key) <= MAX_ID_CHARS:
            return self._new()
        found = self._kept.pop(key, None)
        value = found[1] if found is not None else self._new()
        self._kept[key] = (now, value)
        while len(self._kept) > self._limit:
            self._kept.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, key: object) -> bool:
        return key in self._kept

    def _forget_idle(self, now: float) -> None:
        while self._kept:
            key, (used, _value) = next(iter(self._kept.items()))
            if now - used < self._idle_seconds:
                return
            del self._kept[key]
