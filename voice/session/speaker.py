"""Writing and voicing one reply: text in, the messages and audio to send out.

The model's text is cut into sentences as it streams, each checked by the guard and kept
brief by the shaper before it is released; scripted text follows whole. The first sentence
is synthesised while the model is still writing the rest. Audio is sent a little ahead of
real time, not all at once, so that a barge-in can stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass

from voice.dialogue.chat import ChatMessage
from voice.dialogue.prompt import (
    FALLBACK_REPLY,
    LISTENING_REPLY,
    ReplyShaper,
    clean_for_speech,
)
from voice.dialogue.sentences import SentenceSplitter
from voice.engines.workers import Engines
from voice.errors import ChatError
from voice.protocol import AudioEnd, AudioStart, Metrics, Reply, ReplyDelta, ServerMessage
from voice.safety import GuardResult

_LOGGER = logging.getLogger(__name__)

AUDIO_FRAME_SECONDS = 0.2
"""Reply audio goes out in frames of this length (8,820 bytes at 22.05 kHz)."""

Outgoing = ServerMessage | bytes
"""A message or a frame of reply audio, for the client."""
Emit = Callable[[Outgoing], None]


@dataclass(frozen=True, slots=True)
class _Finished:
    """One of the two producers (writing, voicing) has stopped."""

    task: asyncio.Task[None]


@dataclass(frozen=True, slots=True)
class ReplyTiming:
    """Clock times a reply is measured against."""

    endpoint_at: float | None
    """When the person's turn was confirmed over (None for the greeting)."""
    stt_ms: float | None = None
    """Whisper's compute time for the turn's final transcript."""
    stt_wait_ms: float | None = None
    """How long that transcript waited for Whisper."""


class ReplySpeaker:
    """The reply of one turn. Iterate ``speak()`` once and send what it yields, in order.

    It yields ``reply_delta`` as text is released, ``audio_start``, audio frames paced
    ``lead_seconds`` ahead of real time, ``audio_end``, ``reply`` and ``metrics``. When the
    consumer stops early (barge-in), ``cut_short()`` gives the messages that still close the
    turn for the client. ``speak(voiced=False)`` writes the same reply as text only.

    A ``held`` reply (begun at a pause, before the turn is confirmed over) is written and
    its first sentence voiced, but ``speak`` yields nothing until ``release``; a held reply
    that is cancelled instead has sent nothing at all.
    """

    def __init__(
        self,
        turn: int,
        engines: Engines,
        *,
        prompt: list[ChatMessage] | None,
        then: str | None,
        clock: Callable[[], float],
        lead_seconds: float,
        timing: ReplyTiming,
        guard: Callable[[str], GuardResult],
        shaper: ReplyShaper,
        held: bool = False,
    ) -> None:
        self.turn = turn
        self._engines = engines
        self._prompt = prompt  # what the model is asked, if it is
        self._then = then  # scripted text, spoken whole after the model's (trusted)
        self._clock = clock
        self._lead_seconds = lead_seconds
        self._timing = timing
        self._guard = guard  # checks the model's sentences
        self._shaper = shaper  # keeps the model brief
        self._written = ""  # the reply's text as released in deltas
        self._llm_first_token_ms: float | None = None
        self._llm_wait_ms: float | None = None
        self._tts_wait_ms: float | None = None
        self._tts_first_audio_ms: float | None = None
        self._endpoint_to_first_audio_ms: float | None = None
        self._audio_end_at: float | None = None  # known once the last frame is produced
        self._reply_sent = False
        self._audio_started = False
        self._audio_ended = False
        self._released = asyncio.Event()
        if not held:
            self._released.set()

    @property
    def released(self) -> bool:
        """False while a reply begun before its turn was confirmed is held (``release``)."""
        return self._released.is_set()

    def release(self, timing: ReplyTiming) -> None:
        """The turn a held reply was begun for is confirmed: let it out, measured from
        ``timing``. Until then it is written and voiced, but nothing of it is yielded."""
        self._timing = timing
        self._released.set()

    @property
    def spoken_text(self) -> str:
        """The reply as released so far (whole, once ``speak`` has finished)."""
        return self._written.strip()

    @property
    def audio_end_at(self) -> float | None:
        """Clock time at which the reply's audio ends for a client that plays it as it
        arrives; ``None`` unless all of it was sent."""
        return self._audio_end_at if self._audio_ended else None

    async def speak(self, *, voiced: bool = True) -> AsyncIterator[Outgoing]:
        """Write and voice the reply, yielding what to send. Without ``voiced`` nothing is
        synthesised: the same text is yielded, with no audio (a text-only client)."""
        outbox: asyncio.Queue[Outgoing | _Finished] = asyncio.Queue()
        sentences: asyncio.Queue[str | None] = asyncio.Queue()
        producers = [
            asyncio.ensure_future(self._write(sentences, outbox.put_nowait)),
            asyncio.ensure_future(self._voice(sentences, outbox.put_nowait, voiced=voiced)),
        ]
        for task in producers:
            task.add_done_callback(lambda done: outbox.put_nowait(_Finished(done)))
        try:
            await self._released.wait()  # a held reply is written, but not yet sent
            running = len(producers)
            while running:
                item = await outbox.get()
                if isinstance(item, _Finished):
                    running -= 1
                    failure = None if item.task.cancelled() else item.task.exception()
                    if failure is not None:
                        raise failure
                    continue
                self._note_sent(item)
                yield item
            yield self._metrics()
        finally:
            for task in producers:
                task.cancel()
            await asyncio.gather(*producers, return_exceptions=True)

    def cut_short(self) -> list[ServerMessage]:
        """The messages that close a reply stopped early: ``audio_end`` (if audio began)
        and ``reply`` with ``interrupted: true``."""
        out: list[ServerMessage] = []
        if self._audio_started and not self._audio_ended:
            self._audio_ended = True
            out.append(AudioEnd(turn=self.turn, interrupted=True))
        if not self._reply_sent:
            self._reply_sent = True
            out.append(Reply(turn=self.turn, text=self.spoken_text, interrupted=True))
        return out

    def _note_sent(self, item: Outgoing) -> None:
        if isinstance(item, AudioStart):
            self._audio_started = True
        elif isinstance(item, AudioEnd):
            self._audio_ended = True
        elif isinstance(item, Reply):
            self._reply_sent = True

    def _metrics(self) -> Metrics:
        return Metrics(
            turn=self.turn,
            stt_ms=_round(self._timing.stt_ms),
            llm_first_token_ms=_round(self._llm_first_token_ms),
            tts_first_audio_ms=_round(self._tts_first_audio_ms),
            endpoint_to_first_audio_ms=_round(self._endpoint_to_first_audio_ms),
            stt_wait_ms=_round(self._timing.stt_wait_ms),
            llm_wait_ms=_round(self._llm_wait_ms),
            tts_wait_ms=_round(self._tts_wait_ms),
        )

    # --- writing: text in, deltas out and sentences queued for the voice ----------------

    async def _write(self, sentences: asyncio.Queue[str | None], emit: Emit) -> None:
        """Release the reply piece by piece: the model's pieces checked by the guard and the
        shaper first, then sent as deltas and queued for speech. Nothing unchecked reaches
        the client or the voice."""
        if self._prompt is not None:
            model = self._engines.stream_reply(self._prompt, on_wait=self._llm_waited)
            await self._write_model(model, sentences, emit)
            if not self.spoken_text and self._then is None:
                lost = LISTENING_REPLY if self._shaper.skipped else FALLBACK_REPLY
                self._release(lost, sentences, emit)
        if self._then is not None:
            for piece in SentenceSplitter(first_clause_words=None).push(self._then + " "):
                self._release(piece.text, sentences, emit)
        sentences.put_nowait(None)
        emit(Reply(turn=self.turn, text=self.spoken_text, interrupted=False))

    async def _write_model(
        self, model: AsyncGenerator[str, None], sentences: asyncio.Queue[str | None], emit: Emit
    ) -> None:
        splitter = SentenceSplitter()
        pieces = self._model_text(model)
        try:
            async for raw in pieces:
                for piece in splitter.push(clean_for_speech(raw)):
                    if not self._model_piece(piece.text, sentences, emit):
                        return  # the reply is complete: stop the model
            if (rest := splitter.flush()) is not None:
                self._model_piece(rest.text, sentences, emit)
        finally:
            await pieces.aclose()

    async def _model_text(self, model: AsyncGenerator[str, None]) -> AsyncGenerator[str, None]:
        """The model's text deltas, within the deadlines of ``engines.generation``. A model
        that fails, or writes nothing before the first-token deadline, is answered with the
        fallback line; a reply past the whole-reply deadline ends where it is. Either way
        the model is stopped, which frees its slot."""
        limits = self._engines.generation
        loop = asyncio.get_running_loop()
        started, clock_started = loop.time(), self._clock()
        first = True
        try:
            while True:
                if first:
                    wait = limits.first_token_seconds
                else:
                    wait = limits.reply_seconds - (loop.time() - started)
                piece = await asyncio.wait_for(anext(model), max(0.0, wait))
                if first:
                    self._llm_first_token_ms = (self._clock() - clock_started) * 1000.0
                    first = False
                yield piece
        except StopAsyncIteration:
            return
        except ChatError as exc:
            _LOGGER.warning("language model failed (%s); speaking the fallback", exc.code)
            yield FALLBACK_REPLY if first else " " + FALLBACK_REPLY
        except TimeoutError:
            if first:
                _LOGGER.warning("language model wrote nothing in time; speaking the fallback")
                yield FALLBACK_REPLY
            else:
                _LOGGER.warning("language model reply ran past its deadline; cut there")
        finally:
            with contextlib.suppress(Exception):
                await model.aclose()

    def _llm_waited(self, ms: float) -> None:
        self._llm_wait_ms = ms

    def _model_piece(self, text: str, sentences: asyncio.Queue[str | None], emit: Emit) -> bool:
        """Check one piece of the model's text and release it; False when the reply ends."""
        if not self._shaper.allows(text):
            return False
        if self._shaper.skips(text):
            return True
        verdict = self._guard(text)
        if not verdict.ok:
            self._release(verdict.replacement or FALLBACK_REPLY, sentences, emit)
            return False
        self._release(text, sentences, emit)
        return self._shaper.accept(text)

    def _release(self, text: str, sentences: asyncio.Queue[str | None], emit: Emit) -> None:
        delta = f" {text}" if self._written else text
        self._written += delta
        emit(ReplyDelta(turn=self.turn, text=delta))
        sentences.put_nowait(text)

    # --- voicing: sentences in, paced audio out -----------------------------------------

    async def _voice(
        self, sentences: asyncio.Queue[str | None], emit: Emit, *, voiced: bool
    ) -> None:
        rate = self._engines.tts_rate_hz
        frame_bytes = int(rate * AUDIO_FRAME_SECONDS) * 2
        sent_seconds = 0.0
        audio_t0: float | None = None
        # ``voiced`` turns False when the voice fails: the rest of the reply is text only.
        while (sentence := await sentences.get()) is not None:
            if not voiced:
                continue
            started = self._clock()
            try:
                voice = await self._engines.synthesize(sentence)
                pcm = b"".join(voice.value)
            except Exception as exc:  # the written reply still reaches the person
                _LOGGER.warning(
                    "speech synthesis failed (%s); the reply goes on as text", type(exc).__name__
                )
                voiced = False
                continue
            if self._tts_first_audio_ms is None:
                self._tts_first_audio_ms = (self._clock() - started) * 1000.0
                self._tts_wait_ms = voice.wait_ms
            for i in range(0, len(pcm), frame_bytes):
                if audio_t0 is None:
                    await self._released.wait()  # audio is paced from when it may be sent
                    emit(AudioStart(turn=self.turn, sample_rate=rate))
                    audio_t0 = self._clock()
                    if self._timing.endpoint_at is not None:
                        self._endpoint_to_first_audio_ms = (
                            audio_t0 - self._timing.endpoint_at
                        ) * 1000.0
                ahead = sent_seconds - (self._clock() - audio_t0)
                if ahead > self._lead_seconds:
                    await asyncio.sleep(ahead - self._lead_seconds)
                frame = pcm[i : i + frame_bytes]
                emit(frame)
                sent_seconds += len(frame) / 2 / rate
        if audio_t0 is not None:
            self._audio_end_at = audio_t0 + sent_seconds
            emit(AudioEnd(turn=self.turn, interrupted=False))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
