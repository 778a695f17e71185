"""Building the real adapters from settings (the only place that knows them all)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, runtime_checkable

import threadpoolctl

from voice.dialogue.chat import ChatMessage, ChatModel, Role
from voice.dialogue.prompt import SYSTEM_PROMPT
from voice.engines import manifest
from voice.engines.turn_model import SmartTurn
from voice.engines.workers import Engines
from voice.safety.screen import RiskScreen, ScreenHead
from voice.settings import Settings

_LOGGER = logging.getLogger(__name__)


def model_path(settings: Settings, role: str) -> Path:
    """The user's own model file for a role, or the manifest default (assembled, verified)."""
    own = {"stt": settings.whisper_model, "tts": settings.piper_voice, "llm": settings.llm_model}
    if own.get(role) is not None:
        return own[role]  # type: ignore[return-value]
    spec = manifest.default_model(manifest.load_manifest(), role)
    return manifest.resolve(spec, settings.cache_dir / "models")


def build_chat_model(settings: Settings) -> ChatModel:
    """The embedded llama.cpp model, or an OpenAI-compatible server when ``llm_url`` is set."""
    if settings.llm_url is not None:
        from voice.engines.llm_openai import OpenAIChatModel

        return OpenAIChatModel(
            settings.llm_url, model=settings.llm_name, api_key=settings.llm_api_key
        )
    from voice.engines.llm_embedded import LlamaChatModel

    return LlamaChatModel(
        model_path(settings, "llm"),
        n_threads=settings.threads,
        n_parallel=settings.llm_parallel,
        slot_dir=settings.cache_dir / "llm-slots",
    )


def build_engines(settings: Settings) -> Engines:
    """Load every model once (side by side: most of a load is reading and unpacking
    weights, which overlap well), warm them up, and return the shared engines. The
    language model's slots are primed with the system prompt in the background: the
    server is ready meanwhile, and a person's first words come after the greeting."""
    from voice.engines.stt import WhisperTranscriber
    from voice.engines.tts import PiperSynthesizer

    # The CPU budget, part two: numpy's BLAS (the safety encoder, prosody) on one thread;
    # its pool would spin beside Whisper and llama.cpp (part one: voice/engines/__init__).
    threadpoolctl.threadpool_limits(1, user_api="blas")
    started = time.perf_counter()
    language = None if settings.whisper_language == "auto" else settings.whisper_language
    with ThreadPoolExecutor(4, thread_name_prefix="load") as pool:
        chat_f = pool.submit(build_chat_model, settings)  # the largest: first
        stt_f = pool.submit(
            WhisperTranscriber,
            model_path(settings, "stt"),
            language=language,
            cpu_threads=settings.threads,
        )
        tts_f = pool.submit(PiperSynthesizer, model_path(settings, "tts"))
        screen_f = pool.submit(build_risk_screen, settings)
        turn_f = (
            pool.submit(SmartTurn, model_path(settings, "turn"))
            if settings.end_of_turn == "model"
            else None
        )
        # .result() re-raises a load's ModelError here, after the others have finished.
        chat, transcriber, synthesizer = chat_f.result(), stt_f.result(), tts_f.result()
        screen = screen_f.result()
        turn_model = turn_f.result() if turn_f is not None else None
    _LOGGER.info("models loaded in %.1f s", time.perf_counter() - started)
    warm_up(transcriber, synthesizer)
    screen.verdict("Hello, I slept fine.")
    if turn_model is not None:
        turn_model.complete(bytes(32000))
    engines = Engines(
        transcriber,
        chat,
        synthesizer,
        llm_workers=settings.llm_parallel,
        risk_screen=screen,
        turn_model=turn_model,
    )
    engines.warm.clear()

    def prime() -> None:
        prime_slots(chat, settings.llm_parallel)
        engines.warm.set()

    threading.Thread(target=prime, name="llm-prime", daemon=True).start()
    return engines


def build_risk_screen(settings: Settings) -> RiskScreen:
    """The learned safety screen: the manifest's sentence encoder and the fitted head."""
    from voice.engines.minilm import MiniLmEncoder

    head = ScreenHead.load()
    encoder = MiniLmEncoder(
        model_path(settings, "safety"),
        adapter=head.adapter,
        head_tokens=head.head_tokens,
        tail_tokens=head.tail_tokens,
    )
    return RiskScreen(encoder, head)


def warm_up(transcriber: object, synthesizer: object) -> None:
    """Run Whisper and Piper once so the first person does not pay for their lazy
    initialisation."""
    started = time.perf_counter()
    transcriber.transcribe(bytes(16000), partial=True)  # type: ignore[attr-defined]
    list(synthesizer.synthesize("Hello."))  # type: ignore[attr-defined]
    _LOGGER.info("warm-up took %.1f s", time.perf_counter() - started)


PRIMING = (ChatMessage(Role.SYSTEM, SYSTEM_PROMPT), ChatMessage(Role.USER, "Hello."))
"""What every slot's cache holds before the first person speaks: the fixed system prompt."""


def prime_slots(chat: ChatModel, llm_slots: int) -> None:
    """Fill every language-model slot's key-value cache with the system prompt, so no
    person's turn pays for it. The embedded model computes it once and copies it into
    every slot (and keeps it for the next start); a remote server gets one request per
    slot at once."""
    started = time.perf_counter()
    if isinstance(chat, _Primable):
        try:
            how = chat.prime(PRIMING)
        except Exception as exc:  # the server still answers, only slower at first
            _LOGGER.warning("language model warm-up failed: %s", type(exc).__name__)
            return
        _LOGGER.info("language model slots %s in %.1f s", how, time.perf_counter() - started)
        return

    def prime(_slot: int) -> None:
        try:
            for _ in chat.stream(PRIMING, max_tokens=1, temperature=0.0):
                pass
        except Exception as exc:  # a remote model may be down now and up later
            _LOGGER.warning("language model warm-up failed: %s", type(exc).__name__)

    with ThreadPoolExecutor(llm_slots, thread_name_prefix="llm-prime") as pool:
        list(pool.map(prime, range(llm_slots)))
    _LOGGER.info("language model slots primed in %.1f s", time.perf_counter() - started)


@runtime_checkable
class _Primable(Protocol):
    """A chat model that fills its own slots (the embedded llama.cpp one)."""

    def prime(self, messages: Sequence[ChatMessage]) -> str: ...
