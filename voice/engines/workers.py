"""The shared models and the worker threads that run them off the event loop.

One single-thread worker per model that is not re-entrant (Whisper, Piper, Praat for
prosody, and the safety screen's sentence encoder); the language model gets as many
workers as it has parallel slots. Every
session shares one ``Engines``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from voice.audio.pcm import PIPELINE_RATE_HZ, pcm16_to_float
from voice.audio.vad import SpeechDetector, WebRtcSpeechDetector
from voice.dialogue.chat import ChatMessage, ChatModel
from voice.dialogue.prompt import MAX_REPLY_TOKENS
from voice.engines.stt import Transcriber, Transcription
from voice.engines.tts import Synthesizer
from voice.engines.turn_model import TurnModel
from voice.errors import ChatError, ModelError
from voice.prosody.cues import CueModel, load_model
from voice.prosody.measure import ProsodyFeatures, measure
from voice.safety import SafetyVerdict, detect
from voice.safety.screen import RiskScreen

T = TypeVar("T")
_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GenerationSettings:
    """How replies are sampled."""

    max_tokens: int = MAX_REPLY_TOKENS
    temperature: float = 0.6
    first_token_seconds: float = 10.0
    """A model that has written nothing by then is given up on: the fallback is spoken."""
    reply_seconds: float = 30.0
    """A reply still being written by then ends there (what was written stays)."""


@dataclass(frozen=True, slots=True)
class Timed(Generic[T]):
    """A worker's result with its times: how long it waited behind other work on that
    worker (other sessions' turns), and how long the work itself took."""

    value: T
    wait_ms: float
    work_ms: float


class _End:
    pass


_END = _End()


class Engines:
    """Loaded models plus their workers; the async face of the blocking adapters."""

    def __init__(
        self,
        transcriber: Transcriber,
        chat: ChatModel,
        synthesizer: Synthesizer,
        *,
        llm_workers: int = 2,
        generation: GenerationSettings | None = None,
        detector_factory: Callable[[], SpeechDetector] = WebRtcSpeechDetector,
        cue_model: CueModel | None = None,
        risk_screen: RiskScreen | None = None,
        turn_model: TurnModel | None = None,
    ) -> None:
        self.transcriber = transcriber
        self.chat = chat
        self.synthesizer = synthesizer
        self.generation = generation or GenerationSettings()
        self.cue_model = cue_model if cue_model is not None else load_model()
        """Weights of the activation cue (``models/cue_weights.json`` by default)."""
        self.risk_screen = risk_screen
        """The learned screen beside the safety rules; None runs the rules alone."""
        self.turn_model = turn_model
        """Judges whether a pause ends the turn; None: a fixed silence ends it."""
        self._detector_factory = detector_factory
        self._stt_pool = ThreadPoolExecutor(1, thread_name_prefix="stt")
        self._tts_pool = ThreadPoolExecutor(1, thread_name_prefix="tts")
        self._llm_pool = ThreadPoolExecutor(llm_workers, thread_name_prefix="llm")
        self._prosody_pool = ThreadPoolExecutor(1, thread_name_prefix="prosody")
        self._safety_pool = ThreadPoolExecutor(1, thread_name_prefix="safety")
        self._turn_pool = ThreadPoolExecutor(1, thread_name_prefix="turn")
        self._stt_jobs = 0  # transcriptions asked for and not yet done
        self._replies = 0  # model replies being written
        self.warm = threading.Event()
        """Set once every model has run once (the language model's slots primed): until
        then the first replies may be slower. Set from the start unless the builder
        clears it and primes in the background."""
        self.warm.set()

    @property
    def tts_rate_hz(self) -> int:
        """Sample rate of synthesised speech."""
        return self.synthesizer.sample_rate_hz

    def new_detector(self) -> SpeechDetector:
        """A speech detector for one session (webrtcvad keeps per-stream state)."""
        return self._detector_factory()

    @property
    def stt_busy(self) -> bool:
        """Whisper is working or has work waiting (a partial transcript then waits for a
        quieter moment: it must not hold up anyone's final one)."""
        return self._stt_jobs > 0

    @property
    def replies_in_progress(self) -> int:
        """Model replies asked for and not yet finished or stopped, across sessions."""
        return self._replies

    async def transcribe(self, pcm: bytes, *, partial: bool) -> Timed[Transcription]:
        """Transcribe on the Whisper worker."""
        self._stt_jobs += 1
        try:
            return await _timed(
                self._stt_pool, lambda: self.transcriber.transcribe(pcm, partial=partial)
            )
        finally:
            self._stt_jobs -= 1

    async def turn_complete(self, pcm: bytes) -> float:
        """How likely the turn in ``pcm`` is over (the end-of-turn model, on its worker)."""
        model = self.turn_model
        if model is None:
            raise ModelError("no end-of-turn model is loaded")
        return await asyncio.get_running_loop().run_in_executor(
            self._turn_pool, model.complete, pcm
        )

    async def measure_prosody(self, pcm: bytes) -> Timed[ProsodyFeatures]:
        """Measure a turn's prosody on the Praat worker (alongside its transcription)."""
        return await _timed(
            self._prosody_pool, lambda: measure(pcm16_to_float(pcm), PIPELINE_RATE_HZ)
        )

    async def on_prosody_worker(self, work: Callable[[], T]) -> T:
        """Run small blocking prosody work (a baseline file read or write) in order with
        the measurements."""
        return await asyncio.get_running_loop().run_in_executor(self._prosody_pool, work)

    async def safety_verdict(self, text: str) -> SafetyVerdict:
        """The safety verdict on a final user turn: the rules, raised by the screen if any
        (on its own worker: the encoder takes a few milliseconds per sentence). A screen
        that fails leaves the rules' verdict alone: the turn is still judged."""
        screen = self.risk_screen

        def work() -> SafetyVerdict:
            if screen is not None:
                try:
                    return screen.verdict(text)
                except Exception as exc:  # the rules need no model
                    _LOGGER.warning(
                        "safety screen failed (%s); the rules decide", type(exc).__name__
                    )
            return detect(text)

        return await asyncio.get_running_loop().run_in_executor(self._safety_pool, work)

    async def synthesize(self, text: str) -> Timed[list[bytes]]:
        """Synthesise one sentence on the Piper worker; the generator is drained there."""
        return await _timed(self._tts_pool, lambda: list(self.synthesizer.synthesize(text)))

    async def stream_reply(
        self,
        messages: Sequence[ChatMessage],
        *,
        on_wait: Callable[[float], None] | None = None,
    ) -> AsyncGenerator[str, None]:
        """Stream the model's reply; leaving the loop early stops generation. ``on_wait``
        hears how long (ms) the request waited for a free model worker."""
        loop = asyncio.get_running_loop()
        submitted = time.perf_counter()
        queue: asyncio.Queue[str | _End | BaseException] = asyncio.Queue()
        stop = threading.Event()
        settings = self.generation

        def post(callback: Callable[[T], None], item: T) -> None:
            try:
                loop.call_soon_threadsafe(callback, item)
            except RuntimeError:  # the loop has closed: nobody is listening any more
                stop.set()

        def put(item: str | _End | BaseException) -> None:
            post(queue.put_nowait, item)

        def work() -> None:
            if stop.is_set():  # cancelled while queued (barge-in, close): never start it
                put(_END)
                return
            if on_wait is not None:
                post(on_wait, (time.perf_counter() - submitted) * 1000.0)
            pieces = self.chat.stream(
                messages, max_tokens=settings.max_tokens, temperature=settings.temperature
            )
            try:
                for piece in pieces:
                    if stop.is_set():
                        break
                    put(piece)
            except Exception as exc:  # handed to the awaiting side, which decides
                put(exc)
            finally:
                pieces.close()
                put(_END)

        loop.run_in_executor(self._llm_pool, work)
        self._replies += 1
        try:
            while True:
                item = await queue.get()
                if isinstance(item, _End):
                    return
                if isinstance(item, ChatError):
                    raise item
                if isinstance(item, BaseException):
                    raise ChatError("the language model failed") from item
                yield item
        finally:
            self._replies -= 1
            stop.set()

    def close(self) -> None:
        """Stop the workers (after the jobs in flight)."""
        pools = (self._stt_pool, self._tts_pool, self._llm_pool, self._prosody_pool)
        for pool in (*pools, self._safety_pool, self._turn_pool):
            pool.shutdown(wait=False, cancel_futures=True)


async def _timed(pool: ThreadPoolExecutor, work: Callable[[], T]) -> Timed[T]:
    """Run ``work`` on ``pool`` and time its wait in the queue and its run."""
    submitted = time.perf_counter()

    def timed() -> Timed[T]:
        started = time.perf_counter()
        value = work()
        done = time.perf_counter()
        return Timed(value, (started - submitted) * 1000.0, (done - started) * 1000.0)

    return await asyncio.get_running_loop().run_in_executor(pool, timed)
