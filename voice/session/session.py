"""One check-in conversation: audio in, turns detected, replies written and spoken.

``CheckinSession`` owns the per-connection audio side (resampler, endpointer, turn
counter, partial and early transcripts, prosody cues) and talks to the outside through
one ``send`` callable; each final turn goes to its ``Responder`` (``voice.responder``),
which decides and speaks the reply. Models are reached through the shared ``Engines``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from voice.audio.endpointer import Endpointer, TurnEnded, TurnEvent, TurnStarted
from voice.audio.pcm import PIPELINE_RATE_HZ, Rechunker, float_to_pcm16, pcm16_to_float
from voice.audio.resample import Resampler
from voice.audio.vad import FRAME_BYTES
from voice.engines.stt import Transcription
from voice.engines.workers import Engines
from voice.errors import Disconnected
from voice.prosody.baseline import BaselineStore
from voice.prosody.measure import ProsodyFeatures, with_words, word_count
from voice.protocol import SpeechStarted, SpeechStopped, Summary, Transcript
from voice.session.cues import SessionCues
from voice.session.responder import Responder, Send, SessionSettings

__all__ = ["CheckinSession", "Send", "SessionSettings"]

_LOGGER = logging.getLogger(__name__)

PARTIAL_INTERVAL_MS = 1000
# After this much silence the turn is probably ending: instead of partials, the final
# transcript is started early (and used if no more speech comes before the endpoint).
SPECULATE_AFTER_MS = 300


@dataclass(frozen=True, slots=True)
class _TurnOrder:
    """The previous turn's finish to wait for, and this turn's, to mark when done."""

    previous: asyncio.Future[None] | None
    done: asyncio.Future[None]


@dataclass(frozen=True, slots=True)
class _Speculation:
    """An early final transcription and prosody of ``key`` = (turn, where its speech ended)."""

    key: tuple[int, int]
    task: asyncio.Task[tuple[Transcription, float]]
    prosody: asyncio.Task[tuple[ProsodyFeatures, float]]


def _retrieve(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("early transcription or prosody failed", exc_info=task.exception())


class CheckinSession:
    """A conversation with one client.

    Call ``start`` once after hello, then ``on_audio`` / ``on_commit`` / ``on_text``
    as messages arrive, and ``close`` when the connection ends.
    """

    def __init__(
        self,
        engines: Engines,
        send: Send,
        *,
        input_rate_hz: int,
        settings: SessionSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = datetime.now,
        on_failure: Callable[[], None] | None = None,
        user: str | None = None,
        baselines: BaselineStore | None = None,
    ) -> None:
        self._engines = engines
        self._send = send
        self._settings = settings or SessionSettings()
        self._clock = clock
        self._now = now
        self._on_failure = on_failure
        self._detector = engines.new_detector()
        self._endpointer = Endpointer(self._settings.endpointer)
        self._resampler = (
            Resampler(input_rate_hz, PIPELINE_RATE_HZ)
            if input_rate_hz != PIPELINE_RATE_HZ
            else None
        )
        self._rechunker = Rechunker(FRAME_BYTES)
        self._turn = 0
        self._responder = Responder(engines, send, self._spawn, self._settings, clock=clock)
        self._unanswered = ""  # words of a turn cut short by more speech, not yet answered
        self._last_final: asyncio.Future[None] | None = None  # the last ended turn's finish
        self._tasks: set[asyncio.Task[None]] = set()
        self._partial_task: asyncio.Task[None] | None = None
        self._speculation: _Speculation | None = None
        self._last_partial_ms = 0
        self._last_partial_text = ""
        # Prosody cues compare with the person's stored baseline when hello named them and
        # a store is configured; otherwise with this session's earlier turns only.
        self._cues = SessionCues(engines, user, baselines)
        self._response_latency: float | None = None  # of the turn being spoken

    async def start(self) -> None:
        """Open the check-in: turn 0 is the spoken greeting."""
        self._responder.greet(self._now())

    async def on_audio(self, pcm: bytes) -> None:
        """Feed client audio (in the hello's format, already validated)."""
        if self._resampler is not None:
            pcm = float_to_pcm16(self._resampler.process(pcm16_to_float(pcm)))
        for frame in self._rechunker.push(pcm):
            events = self._endpointer.process(frame, self._detector.is_speech(frame))
            await self._handle(events)
            if self._endpointer.in_turn and not self._maybe_speculate():
                self._maybe_partial()

    async def on_commit(self) -> None:
        """The client says the person is done speaking."""
        await self._handle(self._endpointer.commit())

    async def on_text(self, text: str) -> None:
        """A typed turn, handled like a spoken one."""
        await self._responder.interrupt()
        self._turn += 1
        turn = self._turn
        await self._send(Transcript(turn=turn, text=text, final=True))
        await self._responder.answer(turn, text, endpoint_at=self._clock(), stt_ms=None)

    async def close(self) -> None:
        """Cancel everything in flight (the client is gone)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._cues.close()

    async def wait_idle(self) -> None:
        """Wait until no reply is in flight (used by tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _handle(self, events: list[TurnEvent]) -> None:
        for event in events:
            if isinstance(event, TurnStarted):
                self._response_latency = self._latency_to(event.at_ms)
                await self._responder.interrupt()
                self._turn += 1
                self._last_partial_ms = event.at_ms
                self._last_partial_text = ""
                await self._send(SpeechStarted(turn=self._turn, at_ms=event.at_ms))
            elif isinstance(event, TurnEnded):
                await self._send(SpeechStopped(turn=self._turn, at_ms=event.at_ms))
                early, self._speculation = self._speculation, None
                if early is not None and early.key == (self._turn, event.at_ms):
                    task, prosody = early.task, early.prosody
                else:
                    task, prosody = None, self._start_prosody(event.pcm)
                # Turns are finished in the order they ended: a turn's words are merged
                # into the next one's answer only if they are ready first.
                previous = self._last_final
                self._last_final = asyncio.get_running_loop().create_future()
                self._spawn(
                    self._finish_turn(
                        self._turn,
                        event.pcm,
                        self._clock(),
                        task,
                        prosody,
                        self._response_latency,
                        _TurnOrder(previous, self._last_final),
                    )
                )

    def _latency_to(self, speech_at_ms: int) -> float | None:
        """Seconds from the end of the last reply's audio, as played, to the start of this
        speech; ``None`` after a barge-in or without a spoken reply. The speech's stream
        position becomes clock time assuming the client streams in real time (microphones
        do)."""
        reply = self._responder.reply
        if reply is None or not reply.task.done() or reply.speaker.interrupted:
            return None
        played_until = reply.speaker.audio_end_at
        if played_until is None:
            return None
        lag_seconds = (self._endpointer.position_ms - speech_at_ms) / 1000.0
        latency = self._clock() - lag_seconds - played_until
        return round(latency, 3) if latency >= 0.0 else None

    def _start_prosody(self, pcm: bytes) -> asyncio.Task[tuple[ProsodyFeatures, float]]:
        task = asyncio.ensure_future(self._engines.measure_prosody(pcm))
        task.add_done_callback(_retrieve)
        return task

    def _maybe_speculate(self) -> bool:
        """Once the person has been quiet a moment, transcribe the turn so far, so the
        final transcript is usually ready when the end-of-turn silence is confirmed."""
        endpointer = self._endpointer
        if endpointer.silence_ms < SPECULATE_AFTER_MS:
            return False
        key = (self._turn, endpointer.speech_end_ms)
        if self._speculation is None or self._speculation.key != key:
            pcm = endpointer.turn_pcm()
            task = asyncio.ensure_future(self._engines.transcribe(pcm, partial=False))
            task.add_done_callback(_retrieve)
            # Prosody is measured at the same time, so the cues are ready with the words.
            self._speculation = _Speculation(key, task, self._start_prosody(pcm))
        return True

    def _maybe_partial(self) -> None:
        position = self._endpointer.position_ms
        if self._partial_task is not None and not self._partial_task.done():
            return
        if position - self._last_partial_ms < PARTIAL_INTERVAL_MS:
            return
        self._last_partial_ms = position
        self._partial_task = self._spawn(self._partial(self._turn, self._endpointer.turn_pcm()))

    async def _partial(self, turn: int, pcm: bytes) -> None:
        result, _ms = await self._engines.transcribe(pcm, partial=True)
        # Only while the same turn is still being spoken: never after its final.
        if turn != self._turn or not self._endpointer.in_turn:
            return
        if result.text and result.text != self._last_partial_text:
            self._last_partial_text = result.text
            await self._send(Transcript(turn=turn, text=result.text, final=False))

    async def _finish_turn(
        self,
        turn: int,
        pcm: bytes,
        endpoint_at: float,
        early: asyncio.Task[tuple[Transcription, float]] | None,
        prosody: asyncio.Task[tuple[ProsodyFeatures, float]],
        response_latency: float | None,
        order: _TurnOrder,
    ) -> None:
        try:
            await self._finish_in_order(
                turn, pcm, endpoint_at, early, prosody, response_latency, order.previous
            )
        finally:
            if not order.done.done():
                order.done.set_result(None)

    async def _finish_in_order(
        self,
        turn: int,
        pcm: bytes,
        endpoint_at: float,
        early: asyncio.Task[tuple[Transcription, float]] | None,
        prosody: asyncio.Task[tuple[ProsodyFeatures, float]],
        response_latency: float | None,
        previous: asyncio.Future[None] | None,
    ) -> None:
        if early is not None:
            result, stt_ms = await early
        else:
            result, stt_ms = await self._engines.transcribe(pcm, partial=False)
        if previous is not None:
            await previous  # the turn before is transcribed and merged (or answered) first
        _LOGGER.info(
            "turn %d: stt %.0f ms for %.2f s of audio (%s), ready %.0f ms after the endpoint",
            turn,
            stt_ms,
            result.audio_seconds,
            "early" if early is not None else "at endpoint",
            (self._clock() - endpoint_at) * 1000.0,
        )
        await self._send(Transcript(turn=turn, text=result.text, final=True))
        if self._settings.log_content:
            _LOGGER.info("turn %d transcript: %s", turn, result.text)
        if not result.text:
            return  # noise or a cough: nothing to answer (and nothing to learn from)
        summary = await self._send_cues(turn, prosody, result.text, response_latency)
        said = f"{self._unanswered} {result.text}".strip()
        if turn != self._turn:
            # The person went on speaking before we answered: answer both turns together.
            self._unanswered = said
            return
        self._unanswered = ""
        await self._responder.answer(
            turn, said, endpoint_at=endpoint_at, stt_ms=stt_ms, cues_summary=summary
        )

    def closing_summary(self) -> Summary | None:
        """The check-in's summary when the client ends mid check-in (None if nothing to say)."""
        return self._responder.closing_summary()

    async def _send_cues(
        self,
        turn: int,
        prosody: asyncio.Task[tuple[ProsodyFeatures, float]],
        text: str,
        response_latency: float | None,
    ) -> str:
        """Send the turn's ``cues``; return their summary for the prompt. Cues are an
        extra: if they fail, the turn goes on without them."""
        try:
            measured, prosody_ms = await prosody
            features = with_words(
                measured, word_count=word_count(text), response_latency_seconds=response_latency
            )
            cues = await self._cues.cues_for(turn, features)
        except Exception as exc:  # a Praat failure must not cost the person their answer
            _LOGGER.warning("turn %d: no prosody cues (%s)", turn, type(exc).__name__)
            return ""
        _LOGGER.info("turn %d: prosody %.0f ms", turn, prosody_ms)
        await self._send(cues)
        return cues.summary

    def _spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None or isinstance(exc, Disconnected):
            return
        _LOGGER.error("session task failed", exc_info=exc)
        if self._on_failure is not None:
            self._on_failure()
