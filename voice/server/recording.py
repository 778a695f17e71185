"""Keeping a check-in while it happens, at the connection's edge: the person's audio as it
is accepted and every message the session sends (reply audio, final words, cues, safety,
summary) become writes, done in order by one task off the event loop. Once audio is
durably stored the client gets ``stored``; when the disk is full it is told once
(``storage_full``), nothing more is written or acknowledged, and the conversation goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from voice.errors import Disconnected, VoiceError
from voice.protocol import (
    AudioStart,
    Cues,
    Error,
    ErrorCode,
    Reply,
    Safety,
    ServerMessage,
    SpeechStarted,
    Stored,
    Summary,
    Transcript,
)
from voice.records.storage_errors import StorageFull
from voice.records.timeline import Piece, Source
from voice.records.writer import CheckinWriter, Superseded

_LOGGER = logging.getLogger(__name__)

CHUNK_SECONDS = 1.0
"""The person's audio is written (and acknowledged) in chunks of about this length; a
withdrawal of consent takes effect at the next one."""
_FULL_MESSAGE = (
    "there is no room left to keep this check-in; we can go on talking, but nothing more is kept"
)
_SUPERSEDED_MESSAGE = "this check-in is being kept from another connection now"
_FAILED_MESSAGE = (
    "this check-in can no longer be kept; we can go on talking, but nothing more is kept"
)


@dataclass(frozen=True, slots=True)
class _Write:
    """One write for the writer task: a call on the ``CheckinWriter``."""

    call: Callable[[datetime], object]
    acknowledges: int | None = None
    """The turn to acknowledge in ``stored`` (audio writes only)."""


class Recorder:
    """Feeds one connection's check-in to a ``CheckinWriter``. Call ``heard`` with accepted
    audio, ``sent`` with everything sent to the client, ``ended`` when the person ends the
    check-in, and ``close`` once at the end."""

    def __init__(
        self,
        writer: CheckinWriter,
        send: Callable[[ServerMessage], Awaitable[None]],
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._writer = writer
        self._send = send
        self._now = now
        self._voice_rate = writer.voice_rate_hz
        self._reply_rate = writer.reply_rate_hz
        self._position = 0  # samples of the person's audio heard on this connection
        self._pieces: list[Piece] = []
        self._pending_samples = 0  # the person's, since the last write
        self._pending_reply_bytes = 0  # the reply's, since the last write
        self._acknowledged_ms = 0
        self._reply_at: int | None = None  # where the reply's next frame goes
        self._reply_started: dict[int, int] = {}  # turn -> ms its reply audio began
        self._spoke_at: dict[int, int] = {}  # turn -> ms the person began speaking
        self._turn = 0
        self._ended = False
        self._stopped = False  # storage failed: nothing more is written
        self._queue: asyncio.Queue[_Write | None] = asyncio.Queue()
        self._task = asyncio.ensure_future(self._run())

    # --- what happened ------------------------------------------------------------------

    def heard(self, pcm: bytes) -> None:
        """Audio from the person, accepted by the edge (in the hello's format)."""
        self._pieces.append(Piece(Source.VOICE, self._position, pcm))
        samples = len(pcm) // 2
        self._position += samples
        self._pending_samples += samples
        if self._pending_samples >= CHUNK_SECONDS * self._voice_rate:
            self._flush()

    def sent(self, item: ServerMessage | bytes) -> None:
        """Something the session sent the client."""
        if isinstance(item, bytes):
            at = self._position if self._reply_at is None else max(self._reply_at, self._position)
            self._pieces.append(Piece(Source.REPLY, at, item))
            self._reply_at = at + len(item) // 2 * self._voice_rate // self._reply_rate
            self._pending_reply_bytes += len(item)
            if self._pending_reply_bytes >= 2 * CHUNK_SECONDS * self._reply_rate * 2:
                self._flush()  # a client that only types still gets its replies written
        elif isinstance(item, AudioStart):
            self._reply_at = None
            self._reply_started[item.turn] = self._ms(self._position)
        elif isinstance(item, SpeechStarted):
            self._turn = item.turn
            self._spoke_at[item.turn] = item.at_ms
        elif isinstance(item, Transcript) and item.final and item.text:
            self._turn = max(self._turn, item.turn)
            at = self._spoke_at.get(item.turn, self._ms(self._position))
            self._write(self._turn_write(item.turn, "person", at, item.text))
        elif isinstance(item, Reply) and item.text:
            at = self._reply_started.get(item.turn, self._ms(self._position))
            self._write(self._turn_write(item.turn, "assistant", at, item.text))
        elif isinstance(item, Cues):
            self._write(self._cues_write(item))
        elif isinstance(item, Safety):
            detail: dict[str, object] = {"level": item.level, "category": item.category}
            turn = item.turn
            self._write(_Write(lambda now: self._writer.write_safety(turn, detail, now)))
        elif isinstance(item, Summary):
            summary: dict[str, object] = {
                "items": dict(item.items),
                "text": item.text,
                "safety": item.safety,
            }
            self._write(_Write(lambda now: self._writer.write_summary(summary, now)))

    def ended(self) -> None:
        """The person ended the check-in (``end``): it will not be resumed."""
        self._ended = True

    async def close(self) -> None:
        """Write what is left, close the recording's segment and wait for the writes."""
        self._flush()
        ended = self._ended
        self._write(_Write(lambda now: self._writer.end(ended=ended, now=now)))
        self._queue.put_nowait(None)
        await asyncio.shield(self._task)

    # --- writing ------------------------------------------------------------------------

    def _turn_write(self, turn: int, speaker: str, at_ms: int, text: str) -> _Write:
        timeline = self._writer.timeline_ms
        return _Write(
            lambda now: self._writer.write_turn(turn, speaker, timeline(at_ms), text, now)
        )

    def _cues_write(self, item: Cues) -> _Write:
        cues: dict[str, object] = {
            "summary": item.summary,
            "activation": item.activation,
            "confidence": item.confidence,
            "relative": dict(item.relative),
            "baseline_turns": item.baseline_turns,
        }
        return _Write(lambda now: self._writer.write_cues(item.turn, cues, now))

    def _flush(self) -> None:
        pieces, self._pieces = self._pieces, []
        self._pending_samples = self._pending_reply_bytes = 0
        if pieces:
            self._write(
                _Write(lambda now: self._writer.write_audio(pieces, now), acknowledges=self._turn)
            )

    def _write(self, write: _Write) -> None:
        if not self._stopped:
            self._queue.put_nowait(write)

    async def _run(self) -> None:
        while (write := await self._queue.get()) is not None:
            if self._stopped:
                continue
            try:
                result = await asyncio.to_thread(write.call, self._now())
            except VoiceError as exc:
                await self._stop(exc)
                continue
            except Exception:
                _LOGGER.exception("a check-in write failed")
                await self._stop(None)
                continue
            if write.acknowledges is not None and result is not None:
                stored_ms = self._ms(getattr(result, "voice_until", 0))
                if stored_ms > self._acknowledged_ms:  # only news: more of the voice is safe
                    self._acknowledged_ms = stored_ms
                    await self._tell(Stored(turn=write.acknowledges, audio_ms=stored_ms))

    async def _stop(self, exc: VoiceError | None) -> None:
        """Stop writing and acknowledging, and tell the client once."""
        self._stopped = True
        if isinstance(exc, StorageFull):
            _LOGGER.warning("storage is full: this check-in is no longer kept")
            await self._tell(Error(code=ErrorCode.STORAGE_FULL, message=_FULL_MESSAGE))
        elif isinstance(exc, Superseded):
            _LOGGER.info("this check-in's recording continues on another connection")
            await self._tell(Error(code=ErrorCode.STORAGE_FAILED, message=_SUPERSEDED_MESSAGE))
        else:
            _LOGGER.warning("a check-in write failed (%s)", exc.code if exc else "internal")
            await self._tell(Error(code=ErrorCode.STORAGE_FAILED, message=_FAILED_MESSAGE))

    async def _tell(self, message: ServerMessage) -> None:
        with contextlib.suppress(Disconnected):
            await self._send(message)

    def _ms(self, samples: int) -> int:
        return samples * 1000 // self._voice_rate
