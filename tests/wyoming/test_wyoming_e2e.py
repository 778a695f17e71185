"""``voice wyoming`` as Home Assistant meets it: the real models behind a real socket,
driven only by the ``wyoming`` package's own client and events."""

from __future__ import annotations

import asyncio
import contextlib
import io
import socket
import wave
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from wyoming.asr import Transcribe, Transcript, TranscriptChunk
from wyoming.audio import AudioChunk, AudioStart, AudioStop, wav_to_chunks
from wyoming.client import AsyncClient
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled, HandledChunk
from wyoming.info import Describe, Info
from wyoming.ping import Ping
from wyoming.tts import Synthesize, SynthesizeChunk, SynthesizeStart, SynthesizeStop

from voice.audio.pcm import (
    PIPELINE_RATE_HZ,
    active_seconds,
    float_to_pcm16,
    pcm16_to_float,
    rms_dbfs,
)
from voice.audio.resample import resample
from voice.engines.workers import Engines
from voice.safety import resources_for
from voice.settings import Settings
from voice.tools.measures import word_error_rate
from voice.wyoming.command import service_for, start
from voice.wyoming.handler import WyomingService
from voice.wyoming.info import offer_for

pytestmark = pytest.mark.real_models

SENTENCE = "I slept badly last night and I feel a bit anxious about work today."
SPOKEN = "I went for a walk this morning. The sun was out. Now I feel calmer."
CRISIS = "I want to kill myself tonight, I have the pills here."


class CountingChat:
    """The real language model, counting the replies it is asked for."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    def stream(self, messages: Any, *, max_tokens: int, temperature: float) -> Any:
        self.calls += 1
        return self.inner.stream(messages, max_tokens=max_tokens, temperature=temperature)


class CountingVoice:
    """The real Piper voice, counting what it is asked to say."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.sample_rate_hz: int = inner.sample_rate_hz
        self.calls = 0

    def synthesize(self, text: str) -> Any:
        self.calls += 1
        return self.inner.synthesize(text)


@pytest.fixture(scope="module")
def chat(engines: Engines) -> CountingChat:
    return CountingChat(engines.chat)


@pytest.fixture(scope="module")
def voice(engines: Engines) -> CountingVoice:
    return CountingVoice(engines.synthesizer)


@pytest.fixture(scope="module")
def wyoming_engines(
    engines: Engines, chat: CountingChat, voice: CountingVoice
) -> Iterator[Engines]:
    """The session's loaded models (none loaded again), the language model and the voice
    counted. Once warm: the language model's slots are primed, so a reply is the model's,
    not the fallback for a first word past its deadline."""
    assert engines.warm.wait(120)
    own = Engines(
        engines.transcriber,
        chat,
        voice,
        llm_workers=1,
        cue_model=engines.cue_model,
        risk_screen=engines.risk_screen,
    )
    yield own
    own.close()


@pytest.fixture
def service(settings: Settings, wyoming_engines: Engines) -> WyomingService:
    return service_for(settings, offer_for(settings), wyoming_engines)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def serving(service: WyomingService) -> AsyncIterator[AsyncClient]:
    """The server on 127.0.0.1, and a client connected to it as Home Assistant connects."""
    uri = f"tcp://127.0.0.1:{_free_port()}"
    server = await start(service, uri)
    try:
        async with AsyncClient.from_uri(uri, read_timeout=60) as client:
            yield client
    finally:
        await server.stop()


def run(test: Callable[[], Any]) -> None:
    asyncio.run(asyncio.wait_for(test(), 120))


async def send(client: AsyncClient, *events: Event) -> None:
    for event in events:
        await client.write_event(event)


async def read_until(client: AsyncClient, last: str) -> list[Event]:
    """Every event up to and including the first of type ``last``."""
    got: list[Event] = []
    while True:
        event = await client.read_event()
        assert event is not None, f"the server closed the connection after {_types(got)}"
        got.append(event)
        if event.type == last:
            return got


def _types(events: Sequence[Event]) -> list[str]:
    return [e.type for e in events]


def wav_events(pcm: bytes, rate_hz: int, channels: int = 1) -> list[Event]:
    """A WAV file as a Wyoming client sends it: audio-start, chunks, audio-stop."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate_hz)
        wav.writeframes(pcm)
    buf.seek(0)
    with wave.open(buf, "rb") as wav:
        parts = wav_to_chunks(wav, 1024, start_event=True, stop_event=True)
        return [part.event() for part in parts]


def audio_of(events: Sequence[Event], rate_hz: int) -> bytes:
    """The audio of one stream, with every chunk checked against its audio-start."""
    (begin,) = [AudioStart.from_event(e) for e in events if AudioStart.is_type(e.type)]
    assert (begin.rate, begin.width, begin.channels) == (rate_hz, 2, 1)
    chunks = [AudioChunk.from_event(e) for e in events if AudioChunk.is_type(e.type)]
    assert chunks
    assert {(c.rate, c.width, c.channels) for c in chunks} == {(rate_hz, 2, 1)}
    return b"".join(c.audio for c in chunks)


def test_describe_lists_speech_to_text_text_to_speech_and_the_companion(
    service: WyomingService,
) -> None:
    async def go() -> None:
        async with serving(service) as client:
            await send(client, Describe().event())
            info = Info.from_event((await read_until(client, "info"))[-1])
        assert [m.name for m in info.asr[0].models] == ["whisper-tiny.en"]
        assert info.asr[0].models[0].languages == ["en"]
        assert [v.name for v in info.tts[0].voices] == ["en_US-joe-medium"]
        assert info.tts[0].voices[0].languages == ["en_US"]
        assert info.handle[0].models[0].languages == ["en"]
        assert info.asr[0].supports_transcript_streaming
        assert info.tts[0].supports_synthesize_streaming
        assert info.handle[0].supports_handled_streaming

    run(go)


def test_a_spoken_wav_is_transcribed_at_any_rate(
    service: WyomingService, speak: Callable[[str], bytes]
) -> None:
    pcm = speak(SENTENCE)
    left = resample(pcm16_to_float(pcm), PIPELINE_RATE_HZ, 44100)
    stereo = float_to_pcm16(np.stack([left, left], axis=1).reshape(-1))

    async def go() -> None:
        async with serving(service) as client:
            for audio in (wav_events(pcm, 16000), wav_events(stereo, 44100, channels=2)):
                await send(client, Transcribe(language="en").event(), *audio)
                got = await read_until(client, "transcript-stop")
                assert _types(got) == [
                    "transcript-start",
                    "transcript-chunk",
                    "transcript",  # for older clients, which stop reading here
                    "transcript-stop",
                ]
                text = Transcript.from_event(got[2]).text
                assert word_error_rate(SENTENCE, text) <= 0.2, text
                assert TranscriptChunk.from_event(got[1]).text == text

    run(go)


def test_synthesis_is_speech_of_the_right_length_and_words(service: WyomingService) -> None:
    rate = service.engines.tts_rate_hz

    async def go() -> None:
        async with serving(service) as client:
            await send(client, Synthesize(text=SPOKEN).event())
            got = await read_until(client, "audio-stop")
            assert got[0].type == "audio-start"
            pcm = audio_of(got, rate)
            seconds = len(pcm) / 2 / rate
            assert 0.04 * len(SPOKEN) < seconds < 0.12 * len(SPOKEN), seconds
            samples = pcm16_to_float(pcm)
            assert rms_dbfs(samples) > -35.0
            assert active_seconds(samples, rate) > 0.5 * seconds  # speech, not silence
            # Said back to the server's own ears, it is the text.
            await send(client, *wav_events(pcm, rate))
            heard = Transcript.from_event((await read_until(client, "transcript"))[-1]).text
            assert word_error_rate(SPOKEN, heard) <= 0.2, heard

    run(go)


def test_streamed_text_is_spoken_sentence_by_sentence(service: WyomingService) -> None:
    rate = service.engines.tts_rate_hz
    pieces = ["I went for a wa", "lk this morning. The sun", " was out. Now I feel calmer."]

    async def go() -> None:
        async with serving(service) as client:
            await send(client, SynthesizeStart().event(), SynthesizeChunk(pieces[0]).event())
            await send(client, SynthesizeChunk(pieces[1]).event())
            first = await read_until(client, "audio-stop")  # before the text has ended
            await send(client, SynthesizeChunk(pieces[2]).event())
            # The whole text again, for servers without streaming: not spoken twice.
            await send(client, Synthesize(text="".join(pieces)).event())
            await send(client, SynthesizeStop().event())
            rest = await read_until(client, "synthesize-stopped")
            streams = [first, *_split_streams(rest[:-1])]
            assert len(streams) == 3  # one audio stream per sentence
            seconds = [len(audio_of(s, rate)) / 2 / rate for s in streams]
            for sentence, length in zip(SPOKEN.split(". "), seconds, strict=True):
                assert 0.04 * len(sentence) < length < 0.15 * len(sentence), (sentence, length)

    run(go)


def _split_streams(events: Sequence[Event]) -> list[list[Event]]:
    streams: list[list[Event]] = []
    for event in events:
        if event.type == "audio-start":
            streams.append([])
        streams[-1].append(event)
    assert all(s[-1].type == "audio-stop" for s in streams)
    return streams


def test_a_handled_turn_gets_the_companions_reply(
    service: WyomingService, chat: CountingChat, voice: CountingVoice
) -> None:
    context = {"conversation_id": "01JTESTCONVERSATION0000000"}
    asked, said_aloud = chat.calls, voice.calls

    async def go() -> None:
        async with serving(service) as client:
            said = "I had a long day at work and I feel tired."
            await send(client, Transcript(text=said, context=context, language="en").event())
            got = await read_until(client, "handled-stop")
        types = _types(got)
        assert types[0] == "handled-start"
        assert types[-2:] == ["handled", "handled-stop"]
        assert set(types[1:-2]) == {"handled-chunk"}
        handled = Handled.from_event(got[-2])
        assert handled.text
        assert "".join(HandledChunk.from_event(e).text for e in got[1:-2]) == handled.text
        assert handled.context == context
        assert chat.calls == asked + 1
        assert voice.calls == said_aloud  # text only: Home Assistant voices it

    run(go)


def test_a_crisis_gets_the_scripted_reply_with_the_crisis_line_and_no_model(
    service: WyomingService, chat: CountingChat
) -> None:
    asked = chat.calls
    line = resources_for("us").crisis_line.spoken

    async def go() -> None:
        context = {"conversation_id": "01JTESTCRISIS0000000000000"}
        async with serving(service) as client:
            await send(client, Transcript(text=CRISIS, context=context).event())
            crisis = Handled.from_event((await read_until(client, "handled-stop"))[-2])
        assert crisis.text is not None
        assert line in crisis.text  # "call or text nine eight eight"
        # The same conversation, on a new connection as Home Assistant makes: the answer to
        # the crisis reply's question is read without the model too.
        async with serving(service) as client:
            await send(client, Transcript(text="Yes.", context=context).event())
            answered = Handled.from_event((await read_until(client, "handled-stop"))[-2])
        assert answered.text
        assert answered.text != crisis.text
        assert chat.calls == asked

    run(go)


def test_bad_input_is_answered_with_an_error_and_the_connection_goes_on(
    service: WyomingService,
) -> None:
    secret = "mysecretword"

    async def go() -> None:
        async with serving(service) as client:
            await send(
                client,
                AudioChunk(rate=16000, width=2, channels=1, audio=b"\x00\x00" * 160).event(),
                AudioStop().event(),  # ends the refused stream: nothing more said
                AudioStart(rate=16000, width=1, channels=1).event(),
                AudioChunk(rate=16000, width=1, channels=1, audio=b"\x80" * 160).event(),
                AudioStop().event(),
                SynthesizeChunk(text="Hello there.").event(),
                Event(type="transcript", data={"words": secret}),
                Transcript(text=f"{secret} " * 500).event(),
                Event(type="no-such-event", data={"text": secret}),  # dropped, as Wyoming asks
                Ping(text="still there?").event(),
                Describe().event(),
            )
            got = await read_until(client, "info")
        assert _types(got) == ["error"] * 5 + ["pong", "info"]
        errors = [Error.from_event(e) for e in got[:5]]
        assert [e.code for e in errors] == [
            "audio_not_started",
            "unsupported_audio",
            "synthesis_not_started",
            "bad_message",
            "text_too_long",
        ]
        assert not any(secret in e.text for e in errors)

    run(go)


def test_an_event_declaring_a_huge_payload_closes_that_connection_only(
    service: WyomingService,
) -> None:
    """The wyoming library would wait for, and hold, whatever length a client declares."""

    async def go() -> None:
        uri = f"tcp://127.0.0.1:{_free_port()}"
        server = await start(service, uri)
        try:
            port = int(uri.rsplit(":", 1)[1])
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            header = b'{"type": "audio-chunk", "payload_length": 2000000000}\n'
            writer.write(header + b"\x00" * 4096)
            await writer.drain()
            assert await asyncio.wait_for(reader.read(), 5) == b""  # closed, not waiting
            writer.close()
            await writer.wait_closed()
            async with AsyncClient.from_uri(uri, read_timeout=30) as client:
                await send(client, Describe().event())
                assert _types(await read_until(client, "info")) == ["info"]
        finally:
            await server.stop()

    run(go)
