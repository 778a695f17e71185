"""A turn's explicit state, and the set of tasks a session has started.

A spoken turn moves ``SPEAKING → TRANSCRIBING → DECIDING → REPLYING → ANSWERED``; it may
end early as ``EMPTY`` (nothing was said), ``MERGED`` (the person went on speaking, so its
words are answered with the next turn's) or ``INTERRUPTED`` (barge-in during the reply).
A typed turn starts at ``DECIDING``, the greeting (turn 0) at ``REPLYING``. A turn holds
numbers and times only, never the person's words.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from voice.errors import Disconnected

_LOGGER = logging.getLogger(__name__)

T = TypeVar("T")


class TurnState(StrEnum):
    """Where a turn is; each state's docstring says what happens next."""

    SPEAKING = "speaking"
    """The person is talking; the endpointer ends the turn (silence, ``commit`` or cap)."""
    TRANSCRIBING = "transcribing"
    """Speech ended; the final transcript (often already under way) and the cues come next."""
    EMPTY = "empty"
    """Nothing was said (a cough, noise): no answer."""
    MERGED = "merged"
    """The person spoke again before the answer: the words join the next turn's answer."""
    DECIDING = "deciding"
    """The safety verdict and the plan (script, model or scripted safety reply)."""
    REPLYING = "replying"
    """The reply is being written and spoken."""
    ANSWERED = "answered"
    """The reply was spoken whole."""
    INTERRUPTED = "interrupted"
    """The person barged in, or a newer reply took over, before the reply ended."""

    @property
    def final(self) -> bool:
        """True once nothing more happens to the turn."""
        return self in _FINAL


_FINAL = frozenset({TurnState.EMPTY, TurnState.MERGED, TurnState.ANSWERED, TurnState.INTERRUPTED})
_NEXT: dict[TurnState, frozenset[TurnState]] = {
    TurnState.SPEAKING: frozenset({TurnState.TRANSCRIBING}),
    TurnState.TRANSCRIBING: frozenset({TurnState.EMPTY, TurnState.MERGED, TurnState.DECIDING}),
    TurnState.DECIDING: frozenset({TurnState.REPLYING}),
    TurnState.REPLYING: frozenset({TurnState.ANSWERED, TurnState.INTERRUPTED}),
}


@dataclass(slots=True)
class Turn:
    """One turn of the person's and the reply to it. Call ``move`` to change its state."""

    number: int
    state: TurnState
    history: list[TurnState] = field(default_factory=list)
    """Every state the turn has been in, in order (the current one last)."""
    response_latency_s: float | None = None
    """How long after the previous reply's audio ended the person began (spoken turns)."""
    endpoint_at: float | None = None
    """Clock time at which the end of the turn was confirmed (or the text arrived)."""
    stt_ms: float | None = None
    """Whisper's compute time for the final transcript."""
    stt_wait_ms: float | None = None
    """How long the final transcript waited for Whisper (behind other sessions' work)."""
    reply_audio_end_at: float | None = None
    """Clock time at which the reply's audio ends as played; set once all of it was sent."""
    reply_sent_at_ms: int | None = None
    """Where in the person's audio (``Hearing.position_ms``) the first of the reply was sent."""

    def __post_init__(self) -> None:
        self.history.append(self.state)

    def move(self, to: TurnState) -> None:
        """Change state; a move the lifecycle does not allow is a bug and raises."""
        if to not in _NEXT.get(self.state, frozenset()):
            raise RuntimeError(f"turn {self.number}: {self.state} cannot become {to}")
        self.state = to
        self.history.append(to)


class TaskSet:
    """Every task one session starts: tracked until done, cancelled with the session.

    A task that fails (not cancelled, not a client that left) is logged and makes
    ``failed`` return; optional work (``critical=False``) is only logged.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._failure: asyncio.Future[None] | None = None

    def spawn(self, coro: Coroutine[Any, Any, T], *, critical: bool = True) -> asyncio.Task[T]:
        """Start ``coro`` as a tracked task."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._finished(done, critical))
        return task

    async def cancel(self, task: asyncio.Task[Any] | None) -> None:
        """Cancel one task and wait until it has stopped."""
        if task is None or task.done():
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

    async def cancel_all(self) -> None:
        """Cancel every task and wait until all have stopped."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def wait_idle(self, held: Callable[[], asyncio.Task[Any] | None] = lambda: None) -> None:
        """Wait until no task is left but the one ``held()`` names, which waits on the
        person (tasks may start others, or become the held one, while this waits)."""
        while pending := self._tasks - {held()}:
            await asyncio.wait(pending, timeout=0.01)

    async def failed(self) -> None:
        """Return when a critical task has failed."""
        if self._failure is None:
            self._failure = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._failure)

    def _finished(self, task: asyncio.Task[Any], critical: bool) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None or isinstance(exc, Disconnected):
            return
        _LOGGER.error("session task failed", exc_info=exc)
        if not critical:
            return
        if self._failure is None:
            self._failure = asyncio.get_running_loop().create_future()
        if not self._failure.done():
            self._failure.set_result(None)
