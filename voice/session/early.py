"""Work begun at a pause, before a turn is confirmed over: the final transcript and the
prosody (``Early``), then the reply itself, held (``Begun``).

``AheadOfTheEnd`` keeps them for one session: begun at ``PauseHeard``, out of date when the
person speaks on, a new turn or a typed one comes, and taken when the turn ends at that
pause. The session decides what the reply is (``write``); this module only keeps track of
what was begun, and cancels it, without ever cancelling the turn's own transcript.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from voice.engines.stt import Transcription
from voice.engines.workers import Engines, Timed
from voice.prosody.measure import ProsodyFeatures
from voice.session.hearing import PauseHeard
from voice.session.responder import Answer
from voice.session.turn import TaskSet, Turn

_LOGGER = logging.getLogger(__name__)

Words = asyncio.Task[Timed[Transcription]]
Prosody = asyncio.Task[Timed[ProsodyFeatures]]


@dataclass(frozen=True, slots=True)
class Early:
    """The final transcript and prosody of a turn, started at a pause (``PauseHeard``)."""

    turn: int
    speech_end_ms: int
    words: Words
    prosody: Prosody


@dataclass(slots=True)
class Begun:
    """A reply begun at a pause, on the early transcript, held until the turn is over."""

    turn: Turn
    early: Early
    task: asyncio.Task[None]
    """Waits for the early words, decides, then writes the reply (held)."""
    answer: Answer | None = None
    """Set once the reply is being written."""
    written_from: float = 0.0
    """Clock time at which the reply began to be written."""


Write = Callable[[Turn, Early], Coroutine[Any, Any, None]]
"""Writes the reply begun at a pause (the session's), setting ``Begun.answer``."""


class AheadOfTheEnd:
    """What one session has begun at the person's latest pause."""

    def __init__(self, engines: Engines, tasks: TaskSet) -> None:
        self._engines = engines
        self._tasks = tasks
        self.early: Early | None = None
        self.begun: Begun | None = None

    def transcribe(self, pcm: bytes) -> Words:
        """Start a final transcript (also used for a turn that ended without a pause)."""
        return self._tasks.spawn(self._engines.transcribe(pcm, partial=False), critical=False)

    def measure(self, pcm: bytes) -> Prosody:
        """Start a turn's prosody measurement."""
        return self._tasks.spawn(self._engines.measure_prosody(pcm), critical=False)

    async def paused(self, turn: int, pause: PauseHeard) -> None:
        """The person paused: start the final transcript and the prosody now, so both are
        usually ready when the end of the turn is confirmed."""
        early = self.early
        if early is not None and (early.turn, early.speech_end_ms) == (turn, pause.speech_end_ms):
            return
        await self.drop()  # the person went on speaking: it is out of date
        self.early = Early(
            turn, pause.speech_end_ms, self.transcribe(pause.pcm), self.measure(pause.pcm)
        )

    def begin(self, turn: Turn, write: Write) -> None:
        """Begin the reply on the early transcript, unless it is begun already or another
        reply is being written (under load, a reply begun and then dropped would slow the
        others)."""
        early = self.early
        if early is None or self._engines.replies_in_progress > 0:
            return
        if self.begun is not None and self.begun.early is early:
            return
        self.begun = Begun(turn, early, self._tasks.spawn(write(turn, early), critical=False))

    def begun_on(self, early: Early) -> Begun | None:
        """The reply begun on ``early``, if it is still the current one."""
        begun = self.begun
        return begun if begun is not None and begun.early is early else None

    async def take(self, turn: int, at_ms: int) -> Early | None:
        """The turn ended at ``at_ms``: the early work if it covers the same speech (the
        reply begun on it stays, for ``adoptable``); otherwise it is dropped."""
        early = self.early
        if early is not None and (early.turn, early.speech_end_ms) == (turn, at_ms):
            self.early = None
            return early
        await self.drop()
        return None

    def held(self) -> asyncio.Task[None] | None:
        """The reply begun at a pause, once its first words are written and it waits for
        the turn's end (before that, the model may not even have been asked yet)."""
        begun = self.begun
        if begun is None or begun.answer is None or not begun.answer.speaker.spoken_text:
            return None
        return begun.task

    async def adoptable(self, turn: Turn) -> Begun | None:
        """Take the reply begun for ``turn`` if it is written and waiting; else drop it."""
        begun, self.begun = self.begun, None
        if begun is None:
            return None
        if begun.turn is turn and begun.answer is not None and not begun.task.done():
            return begun
        await self.discard(begun)
        return None

    async def drop(self) -> None:
        """Drop the early work and the reply begun on it (out of date)."""
        early, self.early = self.early, None
        if early is not None and self.begun_on(early) is not None:
            await self.drop_reply()
        if early is not None:
            await self._tasks.cancel(early.words)
            await self._tasks.cancel(early.prosody)

    async def drop_reply(self) -> None:
        """Cancel the reply begun early: it has sent nothing, and it frees its model slot."""
        begun, self.begun = self.begun, None
        if begun is not None:
            await self.discard(begun)

    async def discard(self, begun: Begun) -> None:
        """Cancel ``begun`` (no longer kept here)."""
        if begun.answer is not None:
            _LOGGER.info("turn %d: reply begun at the pause: dropped", begun.turn.number)
        await self._tasks.cancel(begun.task)
