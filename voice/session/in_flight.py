"""The one reply in flight in a session: spoken item by item through the session's
``send``, cut short when the person speaks over it (barge-in), and the last whole reply,
from whose end the person's next response latency is measured."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from voice.session.responder import Answer, Responder
from voice.session.speaker import Outgoing
from voice.session.turn import TaskSet, Turn, TurnState

Send = Callable[[Outgoing], Awaitable[None]]
"""Sends a server message or a frame of reply audio to the client."""


@dataclass(frozen=True, slots=True)
class _Replying:
    turn: Turn
    answer: Answer
    task: asyncio.Task[None]


class ReplyInFlight:
    """Speaks one reply at a time; ``position`` says where the person's audio is (ms)."""

    def __init__(
        self,
        tasks: TaskSet,
        send: Send,
        responder: Responder,
        *,
        clock: Callable[[], float],
        position: Callable[[], int],
    ) -> None:
        self._tasks = tasks
        self._send = send
        self._responder = responder
        self._clock = clock
        self._position = position
        self._replying: _Replying | None = None

    async def reply(self, turn: Turn, answer: Answer) -> None:
        """Speak ``answer`` as the one reply in flight (a reply still going is cut short)."""
        await self.interrupt()
        task = self._tasks.spawn(self.speak(turn, answer))
        self._replying = _Replying(turn, answer, task)

    async def adopt(self, turn: Turn, answer: Answer, task: asyncio.Task[None]) -> None:
        """Make the reply already being spoken by ``task`` (begun at a pause, just let out)
        the one in flight."""
        await self.interrupt()
        self._replying = _Replying(turn, answer, task)

    async def speak(self, turn: Turn, answer: Answer) -> None:
        """Send ``answer`` as it is written and voiced (nothing while it is held); records
        where in the person's audio it began (``Turn.reply_sent_at_ms``)."""
        try:
            async for item in answer.speaker.speak():
                if turn.reply_sent_at_ms is None:
                    turn.reply_sent_at_ms = self._position()
                await self._send(item)
            turn.reply_audio_end_at = answer.speaker.audio_end_at
            turn.move(TurnState.ANSWERED)
        finally:
            self._responder.record(answer)

    async def interrupt(self) -> None:
        """Stop the reply in flight (the client hears it was interrupted), and forget the
        last reply: the next turn's response latency is measured from a whole reply only."""
        replying, self._replying = self._replying, None
        if replying is None or replying.task.done():
            return
        await self._tasks.cancel(replying.task)
        replying.turn.move(TurnState.INTERRUPTED)
        for message in replying.answer.speaker.cut_short():
            await self._send(message)

    def response_latency(self, speech_at_ms: int) -> float | None:
        """Seconds from the end of the last reply's audio, as played, to the start of the
        speech at ``speech_at_ms``; ``None`` after a barge-in or without a spoken reply.
        The speech's stream position becomes clock time assuming the client streams in
        real time (microphones do)."""
        replying = self._replying  # the last reply, until the next turn interrupts it
        if replying is None or replying.turn.state is not TurnState.ANSWERED:
            return None
        played_until = replying.turn.reply_audio_end_at
        if played_until is None:
            return None
        lag_seconds = (self._position() - speech_at_ms) / 1000.0
        latency = self._clock() - lag_seconds - played_until
        return round(latency, 3) if latency >= 0.0 else None
