"""Speaking one reply: text deltas in; reply, audio and metrics messages out.

The text is cut into sentences as it streams, and the first sentence is
synthesised while the model is still writing the rest. Audio is sent a little
ahead of real time, not all at once, so that a barge-in can stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from voice.dialogue.prompt import FALLBACK_REPLY, ReplyShaper, clean_for_speech
from voice.dialogue.sentences import SentenceSplitter
from voice.engines.workers import Engines
from voice.protocol import AudioEnd, AudioStart, Metrics, Reply, ReplyDelta
from voice.safety import GuardResult

AUDIO_FRAME_SECONDS = 0.2
"""Reply audio goes out in frames of this length (8,820 bytes at 22.05 kHz)."""


class ReplySpeaker:
    """Writes and speaks the reply of one turn. Call ``run`` once.

    Set ``interrupted`` and cancel the task running ``run`` to barge in: the
    speaker then reports ``audio_end`` / ``reply`` with ``interrupted: true``.
    """

    def __init__(
        self,
        turn: int,
        engines: Engines,
        send: Callable[[object], Awaitable[None]],
        *,
        clock: Callable[[], float],
        lead_seconds: float,
        endpoint_at: float | None,
        stt_ms: float | None,
        guard: Callable[[str], GuardResult] | None = None,
        shaper: ReplyShaper | None = None,
    ) -> None:
        self.turn = turn
        self._guard = guard  # checks the model's sentences (scripted text is trusted)
        self._shaper = shaper or ReplyShaper()  # keeps the model brief
        self._engines = engines
        self._send = send
        self._clock = clock
        self._lead_seconds = lead_seconds
        self._endpoint_at = endpoint_at
        self._stt_ms = stt_ms
        self.interrupted = False
        self.llm_first_token_ms: float | None = None
        self._tts_first_audio_ms: float | None = None
        self._endpoint_to_first_audio_ms: float | None = None
        self._written = ""  # the reply's text as sent in deltas
        self._reply_sent = False
        self._audio_started = False
        self._audio_ended = False
        self._audio_end_at: float | None = None

    @property
    def audio_end_at(self) -> float | None:
        """Clock time at which the reply's audio ends for a client that plays it as it
        arrives; ``None`` unless all of it was sent."""
        return self._audio_end_at

    @property
    def spoken_text(self) -> str:
        """The reply as written so far (whole, once ``run`` has finished)."""
        return self._written.strip()

    async def run(self, source: AsyncIterator[str] | None, then: str | None = None) -> None:
        """Write and speak the model's ``source`` (guarded, kept brief), then the scripted
        ``then`` (spoken whole), and send the turn's messages."""
        sentences: asyncio.Queue[str | None] = asyncio.Queue()
        speaking = asyncio.ensure_future(self._speak(sentences))
        try:
            await self._write(source, then, sentences)
            await speaking
            await self._send(
                Metrics(
                    turn=self.turn,
                    stt_ms=_round(self._stt_ms),
                    llm_first_token_ms=_round(self.llm_first_token_ms),
                    tts_first_audio_ms=_round(self._tts_first_audio_ms),
                    endpoint_to_first_audio_ms=_round(self._endpoint_to_first_audio_ms),
                )
            )
        except asyncio.CancelledError:
            speaking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await speaking
            if self.interrupted:
                await self._report_interrupted()
            raise

    async def _write(
        self,
        source: AsyncIterator[str] | None,
        then: str | None,
        sentences: asyncio.Queue[str | None],
    ) -> None:
        """Release the reply piece by piece: the model's pieces checked by the guard and the
        shaper first, then sent as deltas and queued for speech. Nothing unchecked reaches
        the client or the voice."""
        if source is not None:
            await self._write_model(source, sentences)
            if not self.spoken_text and then is None:
                await self._release(FALLBACK_REPLY, sentences)
        if then is not None:
            for piece in SentenceSplitter(first_clause_words=None).push(then + " "):
                await self._release(piece.text, sentences)
        sentences.put_nowait(None)
        self._reply_sent = True
        await self._send(Reply(turn=self.turn, text=self.spoken_text, interrupted=False))

    async def _write_model(
        self, source: AsyncIterator[str], sentences: asyncio.Queue[str | None]
    ) -> None:
        splitter = SentenceSplitter()
        shaper = self._shaper
        try:
            async for raw in source:
                for piece in splitter.push(clean_for_speech(raw)):
                    if not await self._model_piece(piece.text, sentences, shaper):
                        break
                if shaper.done:
                    break
            else:
                if (rest := splitter.flush()) is not None:
                    await self._model_piece(rest.text, sentences, shaper)
        finally:
            with contextlib.suppress(Exception):
                await source.aclose()  # type: ignore[attr-defined]

    async def _model_piece(
        self, text: str, sentences: asyncio.Queue[str | None], shaper: ReplyShaper
    ) -> bool:
        """Check one piece of the model's text and send it; False when the reply ends."""
        if not shaper.allows(text):
            shaper.done = True
            return False
        if self._guard is not None:
            verdict = self._guard(text)
            if not verdict.ok:
                await self._release(verdict.replacement or FALLBACK_REPLY, sentences)
                shaper.done = True
                return False
        await self._release(text, sentences)
        return shaper.accept(text)

    async def _release(self, text: str, sentences: asyncio.Queue[str | None]) -> None:
        delta = f" {text}" if self._written else text
        self._written += delta
        await self._send(ReplyDelta(turn=self.turn, text=delta))
        sentences.put_nowait(text)

    async def _speak(self, sentences: asyncio.Queue[str | None]) -> None:
        rate = self._engines.tts_rate_hz
        frame_bytes = int(rate * AUDIO_FRAME_SECONDS) * 2
        sent_seconds = 0.0
        audio_t0 = 0.0
        while (sentence := await sentences.get()) is not None:
            started = self._clock()
            chunks = await self._engines.synthesize(sentence)
            if self._tts_first_audio_ms is None:
                self._tts_first_audio_ms = (self._clock() - started) * 1000.0
            pcm = b"".join(chunks)
            for i in range(0, len(pcm), frame_bytes):
                if not self._audio_started:
                    await self._send(AudioStart(turn=self.turn, sample_rate=rate))
                    self._audio_started = True
                    audio_t0 = self._clock()
                    if self._endpoint_at is not None:
                        self._endpoint_to_first_audio_ms = (audio_t0 - self._endpoint_at) * 1000
                ahead = sent_seconds - (self._clock() - audio_t0)
                if ahead > self._lead_seconds:
                    await asyncio.sleep(ahead - self._lead_seconds)
                frame = pcm[i : i + frame_bytes]
                await self._send(frame)
                sent_seconds += len(frame) / 2 / rate
        if self._audio_started:
            self._audio_ended = True
            self._audio_end_at = audio_t0 + sent_seconds
            await self._send(AudioEnd(turn=self.turn, interrupted=False))

    async def _report_interrupted(self) -> None:
        if self._audio_started and not self._audio_ended:
            self._audio_ended = True
            await self._send(AudioEnd(turn=self.turn, interrupted=True))
        if not self._reply_sent:
            self._reply_sent = True
            await self._send(Reply(turn=self.turn, text=self.spoken_text, interrupted=True))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
