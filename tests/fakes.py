"""Small hand-written fakes of the model protocols, for fast tests of the cores."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from voice.audio.vad import FRAME_BYTES
from voice.dialogue.chat import ChatMessage
from voice.engines.stt import Transcription
from voice.engines.workers import Engines
from voice.errors import ChatError
from voice.prosody.baseline import BaselineStore
from voice.session.session import CheckinSession, SessionSettings

SPEECH_LEVEL = 8000


class FakeDetector:
    """Speech is any frame with a sample louder than 1000."""

    def is_speech(self, frame: bytes) -> bool:
        return bool(np.abs(np.frombuffer(frame, dtype="<i2")).max() > 1000)


class FakeTranscriber:
    """Says ``text`` for finals and ``partial`` for partials; records every call."""

    def __init__(self, text: str = "hello there", partial: str = "hello") -> None:
        self.text = text
        self.partial = partial
        self.calls: list[tuple[int, bool]] = []

    def transcribe(self, pcm: bytes, *, partial: bool = False) -> Transcription:
        self.calls.append((len(pcm), partial))
        return Transcription(self.partial if partial else self.text, len(pcm) / 32000)


class FakeChatModel:
    """Streams ``pieces`` (optionally slowly), or fails; records the prompts it got."""

    def __init__(
        self, pieces: Sequence[str] = ("Thanks. ", "That sounds hard."), delay_s: float = 0.0
    ) -> None:
        self.pieces = list(pieces)
        self.delay_s = delay_s
        self.fail = False
        self.prompts: list[list[ChatMessage]] = []
        self.closed = threading.Event()

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float
    ) -> Generator[str, None, None]:
        self.prompts.append(list(messages))
        if self.fail:
            raise ChatError("backend down")
        try:
            for piece in self.pieces:
                if self.delay_s:
                    time.sleep(self.delay_s)
                yield piece
        finally:
            self.closed.set()


class FakeSynthesizer:
    """0.1 s of a 300 Hz tone per word, at 22.05 kHz."""

    sample_rate_hz = 22050

    def __init__(self) -> None:
        self.texts: list[str] = []

    def synthesize(self, text: str) -> Iterator[bytes]:
        self.texts.append(text)
        n = int(0.1 * self.sample_rate_hz) * max(1, len(text.split()))
        tone = 0.3 * np.sin(2 * np.pi * 300 * np.arange(n) / self.sample_rate_hz)
        yield (tone * 32767).astype("<i2").tobytes()


def speech_frames(seconds: float) -> bytes:
    """Loud frames the FakeDetector calls speech (16 kHz)."""
    n = round(seconds * 1000 / 30)
    return (np.full(FRAME_BYTES // 2 * n, SPEECH_LEVEL, dtype="<i2")).tobytes()


def silence(seconds: float) -> bytes:
    """Digital silence (16 kHz)."""
    return bytes(round(seconds * 16000) * 2)


class FakeTurnModel:
    """Says each pause is complete with the next probability of ``answers`` (the last one
    again when they run out); records the length of audio each time; ``fail`` raises."""

    def __init__(self, *answers: float, fail: bool = False) -> None:
        self.answers = list(answers) or [1.0]
        self.fail = fail
        self.calls: list[int] = []

    def complete(self, pcm: bytes) -> float:
        self.calls.append(len(pcm))
        if self.fail:
            raise RuntimeError("the end-of-turn model broke")
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


FAST = SessionSettings(audio_lead_seconds=1000.0)  # no real-time pacing in unit tests


class SessionHarness:
    """A CheckinSession on fake models that records everything it sends."""

    def __init__(
        self,
        chat: FakeChatModel | None = None,
        transcriber: FakeTranscriber | None = None,
        settings: SessionSettings = FAST,
        input_rate_hz: int = 16000,
        *,
        user: str | None = None,
        store: BaselineStore | None = None,
        clock: Callable[[], float] = time.monotonic,
        turn_model: FakeTurnModel | None = None,
    ) -> None:
        self.chat = chat or FakeChatModel()
        self.transcriber = transcriber or FakeTranscriber()
        self.tts = FakeSynthesizer()
        self.engines = Engines(
            self.transcriber,
            self.chat,
            self.tts,
            detector_factory=FakeDetector,
            turn_model=turn_model,
        )
        self.sent: list[Any] = []
        self.session = CheckinSession(
            self.engines,
            self._send,
            input_rate_hz=input_rate_hz,
            settings=settings,
            clock=clock,
            now=lambda: datetime(2026, 11, 29, 9, 0),
            user=user,
            baselines=store,
        )

    async def _send(self, item: object) -> None:
        self.sent.append(item)

    def messages(self, turn: int | None = None) -> list[Any]:
        """Messages sent (not audio), optionally of one turn."""
        return [
            m
            for m in self.sent
            if not isinstance(m, bytes) and (turn is None or getattr(m, "turn", None) == turn)
        ]
