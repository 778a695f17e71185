"""One Wyoming connection (the async edge): events in, answers out.

``WyomingService`` is what every connection shares (the models, the ``info``, the
companion's conversations); ``WyomingHandler`` serves one connection:

- ``describe`` → ``info``; ``ping`` → ``pong``;
- ``transcribe``? ``audio-start``, ``audio-chunk``..., ``audio-stop`` → ``transcript-start``,
  ``transcript-chunk``, ``transcript`` (for older clients), ``transcript-stop``;
- ``synthesize`` → ``audio-start``, ``audio-chunk``..., ``audio-stop``; or
  ``synthesize-start``, ``synthesize-chunk``..., ``synthesize-stop`` → one audio stream per
  sentence as each is complete, then ``synthesize-stopped`` (the ``synthesize`` a
  streaming client also sends, for older servers, is not spoken twice);
- ``transcript`` (text to answer) → ``handled-start``, ``handled-chunk`` per sentence,
  ``handled`` (for older clients), ``handled-stop``: the check-in companion's reply, safety
  first (a crisis gets the scripted reply with the crisis line; the model is not asked).

A request it cannot serve gets ``error`` (a stable code and a plain message, never the
person's words) and the connection goes on; other events are dropped, as Wyoming asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from wyoming.asr import Transcript, TranscriptChunk, TranscriptStart, TranscriptStop
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event, Eventable
from wyoming.handle import Handled, HandledChunk, HandledStart, HandledStop
from wyoming.info import Info
from wyoming.ping import Ping, Pong
from wyoming.server import AsyncEventHandler
from wyoming.tts import Synthesize, SynthesizeChunk, SynthesizeStopped

from voice.audio.pcm import PIPELINE_RATE_HZ
from voice.dialogue.sentences import SentenceSplitter
from voice.engines.workers import Engines
from voice.errors import ModelError, ProtocolError, VoiceError
from voice.protocol import MAX_TEXT_CHARS, ReplyDelta
from voice.session.config import SessionSettings
from voice.session.responder import Answer, Responder
from voice.session.speaker import ReplyTiming
from voice.wyoming.conversations import Conversations
from voice.wyoming.intake import AudioFormat, AudioIntake

_LOGGER = logging.getLogger(__name__)

MAX_SYNTHESIS_CHARS = 10_000
"""The most text one ``synthesize`` (or one stream) is spoken for."""
SAMPLES_PER_CHUNK = 1024
"""Reply audio goes out in chunks of this many samples."""
MAX_EVENT_BYTES = 1 << 20
"""The most data or payload one event may declare (Home Assistant's audio chunks are a few
KiB). The ``wyoming`` library reads whatever length it is told and holds it in memory."""

E = TypeVar("E", bound=Eventable)


@dataclass
class _Companion:
    """One conversation with the companion, answered one turn at a time."""

    responder: Responder
    turns: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def answer(self, said: str) -> Answer:
        """The next turn's answer (words that are blank are asked for again)."""
        self.turns += 1
        if not said:
            return self.responder.not_heard(self.turns, ReplyTiming(None))
        return await self.responder.answer(
            self.turns, said, cues_summary="", timing=ReplyTiming(None)
        )


@dataclass
class _TextStream:
    """A ``synthesize-start`` stream: its text so far, cut into sentences."""

    splitter: SentenceSplitter = field(default_factory=SentenceSplitter)
    chars: int = 0
    refused: bool = False
    """Too long (said once): the rest of its text is dropped."""


class WyomingService:
    """What every connection shares; ``handler`` makes one connection's handler."""

    def __init__(
        self,
        engines: Engines,
        info: Info,
        session: SessionSettings,
        *,
        language: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engines = engines
        self.info = info
        self.session = session
        """How the companion answers: open conversation (no check-in script), the
        operator's safety locale and content logging."""
        self.language = language
        """Whisper's language, given with each transcript."""
        self._clock = clock
        self._conversations: Conversations[_Companion] = Conversations(
            lambda: _Companion(Responder(engines, session))
        )

    def companion(self, conversation_id: str | None) -> _Companion:
        """The conversation Home Assistant's ``conversation_id`` names (new if unknown)."""
        return self._conversations.get(conversation_id, self._clock())

    def handler(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> WyomingHandler:
        """The handler of a new connection (``AsyncServer.start``'s factory)."""
        bounded = cast(asyncio.StreamReader, _BoundedReader(reader))
        return WyomingHandler(self, bounded, writer)


class _BoundedReader:
    """A connection's reader that refuses an event declaring more than ``MAX_EVENT_BYTES``:
    the library then reads no event and the connection closes (header lines are already
    bounded by the stream's 64 KiB line limit)."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader

    def __getattr__(self, name: str) -> Any:  # feed_eof, at_eof...: the stream's own
        return getattr(self._reader, name)

    async def readline(self) -> bytes:
        return await self._reader.readline()

    async def readexactly(self, size: int) -> bytes:
        if size > MAX_EVENT_BYTES:
            _LOGGER.warning("wyoming: an event declared %d bytes; connection closed", size)
            raise ValueError("an event larger than the limit")
        return await self._reader.readexactly(size)


class WyomingHandler(AsyncEventHandler):
    """One client's events, in order; each is answered before the next is read."""

    def __init__(
        self,
        service: WyomingService,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        super().__init__(reader, writer)
        self._service = service
        self._intake = AudioIntake()
        self._text: _TextStream | None = None
        self._routes: dict[str, Callable[[Event], Awaitable[None]]] = {
            "describe": self._describe,
            "ping": self._ping,
            "transcribe": self._transcribe_request,
            "audio-start": self._audio_start,
            "audio-chunk": self._audio_chunk,
            "audio-stop": self._audio_stop,
            "synthesize": self._synthesize,
            "synthesize-start": self._synthesize_start,
            "synthesize-chunk": self._synthesize_chunk,
            "synthesize-stop": self._synthesize_stop,
            "transcript": self._handle,
        }

    async def handle_event(self, event: Event) -> bool:
        """Serve one event; False closes the connection (the client left, or a bug)."""
        route = self._routes.get(event.type)
        if route is None:
            return True  # an event for another service, or a newer client's optional one
        try:
            try:
                await route(event)
            except VoiceError as exc:
                await self._send(Error(text=exc.message, code=exc.code))
        except ConnectionError:
            return False
        except Exception:
            _LOGGER.exception("wyoming: a %s event failed", event.type)
            with contextlib.suppress(ConnectionError):
                await self._send(Error(text="the server failed", code="internal"))
            return False
        return True

    async def _send(self, message: Eventable) -> None:
        await self.write_event(message.event())

    async def _describe(self, _event: Event) -> None:
        await self._send(self._service.info)

    async def _ping(self, event: Event) -> None:
        await self._send(Pong(text=_read(Ping, event).text))

    async def _transcribe_request(self, _event: Event) -> None:
        """Nothing to set: Whisper has one language, and the audio says the rest."""

    # --- speech to text -----------------------------------------------------------------

    async def _audio_start(self, event: Event) -> None:
        self._intake.start(_format(_read(AudioStart, event)))

    async def _audio_chunk(self, event: Event) -> None:
        chunk = _read(AudioChunk, event)
        self._intake.add(_format(chunk), chunk.audio)

    async def _audio_stop(self, _event: Event) -> None:
        pcm = self._intake.stop()
        if pcm is None:
            return  # refused, and said so
        text = ""
        if pcm:
            try:
                heard = await self._service.engines.transcribe(pcm, partial=False)
            except Exception as exc:
                _LOGGER.warning("wyoming: speech recognition failed (%s)", type(exc).__name__)
                raise ModelError("speech recognition failed", code="stt_failed") from exc
            text = heard.value.text
            seconds = len(pcm) / 2 / PIPELINE_RATE_HZ
            _LOGGER.info("wyoming: %.1f s of speech transcribed in %.0f ms", seconds, heard.work_ms)
            if self._service.session.log_content:
                _LOGGER.info("wyoming transcript: %s", text)
        language = self._service.language
        await self._send(TranscriptStart(language=language))
        if text:
            await self._send(TranscriptChunk(text=text))
        await self._send(Transcript(text=text, language=language))
        await self._send(TranscriptStop())

    # --- text to speech -----------------------------------------------------------------

    async def _synthesize(self, event: Event) -> None:
        request = _read(Synthesize, event)
        if self._text is not None:
            return  # a stream's copy for older servers: its chunks are being spoken
        text = _string(request.text, MAX_SYNTHESIS_CHARS)
        splitter = SentenceSplitter()
        pieces = [piece.text for piece in splitter.push(text + " ")]
        if (rest := splitter.flush()) is not None:
            pieces.append(rest.text)
        await self._say(pieces)

    async def _synthesize_start(self, _event: Event) -> None:
        self._text = _TextStream()

    async def _synthesize_chunk(self, event: Event) -> None:
        stream = self._streaming("synthesize-chunk")
        text = _string(_read(SynthesizeChunk, event).text, MAX_SYNTHESIS_CHARS)
        if stream.refused:
            return
        stream.chars += len(text)
        if stream.chars > MAX_SYNTHESIS_CHARS:
            stream.refused = True
            raise ProtocolError(_too_long(MAX_SYNTHESIS_CHARS), code="text_too_long")
        for piece in stream.splitter.push(text):
            await self._say([piece.text])

    async def _synthesize_stop(self, _event: Event) -> None:
        stream = self._streaming("synthesize-stop")
        self._text = None
        rest = stream.splitter.flush()
        if rest is not None and not stream.refused:
            await self._say([rest.text])
        await self._send(SynthesizeStopped())

    def _streaming(self, kind: str) -> _TextStream:
        if self._text is None:
            raise ProtocolError(
                f"{kind} came before synthesize-start", code="synthesis_not_started"
            )
        return self._text

    async def _say(self, sentences: Iterable[str]) -> None:
        """Voice ``sentences`` as one audio stream, each sent as soon as it is made."""
        engines = self._service.engines
        rate = engines.tts_rate_hz
        chunk_bytes = SAMPLES_PER_CHUNK * 2
        await self._send(AudioStart(rate=rate, width=2, channels=1))
        for sentence in sentences:
            try:
                voiced = await engines.synthesize(sentence)
            except Exception as exc:
                _LOGGER.warning("wyoming: speech synthesis failed (%s)", type(exc).__name__)
                await self._send(AudioStop())
                raise ModelError("speech synthesis failed", code="tts_failed") from exc
            _LOGGER.info("wyoming: a sentence synthesised in %.0f ms", voiced.work_ms)
            pcm = b"".join(voiced.value)
            for i in range(0, len(pcm), chunk_bytes):
                chunk = pcm[i : i + chunk_bytes]
                await self._send(AudioChunk(rate=rate, width=2, channels=1, audio=chunk))
        await self._send(AudioStop())

    # --- the companion ------------------------------------------------------------------

    async def _handle(self, event: Event) -> None:
        request = _read(Transcript, event)
        said = _string(request.text, MAX_TEXT_CHARS).strip()
        conversation_id = _conversation_id(request.context)
        context = {"conversation_id": conversation_id} if conversation_id is not None else None
        companion = self._service.companion(conversation_id)
        started = time.perf_counter()
        await self._send(HandledStart(context=context))
        async with companion.lock:  # one turn at a time, even over two connections
            answer = await companion.answer(said)
            try:
                async for item in answer.speaker.speak(voiced=False):
                    if isinstance(item, ReplyDelta):
                        await self._send(HandledChunk(text=item.text))
            finally:
                companion.responder.record(answer)
        reply_ms = (time.perf_counter() - started) * 1000.0
        _LOGGER.info("wyoming: turn %d answered in %.0f ms", answer.turn, reply_ms)
        await self._send(Handled(text=answer.speaker.spoken_text, context=context))
        await self._send(HandledStop())


def _read(kind: type[E], event: Event) -> E:
    """``event`` as ``kind``; ProtocolError when a field is missing or malformed."""
    try:
        message = kind.from_event(event)
    except (KeyError, TypeError, ValueError, AttributeError):
        message = None
    if not isinstance(message, kind):
        raise ProtocolError(f"a {event.type} event is missing a field or has a wrong one")
    return message


def _format(message: AudioStart | AudioChunk) -> AudioFormat:
    values = (message.rate, message.width, message.channels)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise ProtocolError("rate, width and channels must be whole numbers")
    return AudioFormat(message.rate, message.width, message.channels)


def _string(value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise ProtocolError("text must be a string")
    if len(value) > limit:
        raise ProtocolError(_too_long(limit), code="text_too_long")
    return value


def _too_long(limit: int) -> str:
    return f"text longer than {limit} characters is not taken"


def _conversation_id(context: Any) -> str | None:
    """Home Assistant's ``conversation_id``, from the transcript's context."""
    if not isinstance(context, dict):
        return None
    found = context.get("conversation_id")
    return found if isinstance(found, str) else None
