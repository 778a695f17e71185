"""Building the real adapters from settings (the only place that knows them all)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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

        return OpenAIChatModel(settings.llm_url, model=settings.llm_name)
    from voice.engines.llm_embedded import LlamaChatModel

    return LlamaChatModel(
        model_path(settings, "llm"), n_threads=settings.threads, n_parallel=settings.llm_parallel
    )


def build_engines(settings: Settings) -> Engines:
    """Load every model once, warm them up, and return the shared engines."""
    from voice.engines.stt import WhisperTranscriber
    from voice.engines.tts import PiperSynthesizer

    started = time.perf_counter()
    language = None if settings.whisper_language == "auto" else settings.whisper_language
    transcriber = WhisperTranscriber(
        model_path(settings, "stt"), language=language, cpu_threads=settings.threads
    )
    synthesizer = PiperSynthesizer(model_path(settings, "tts"))
    chat = build_chat_model(settings)
    screen = build_risk_screen(settings)
    turn_model = (
        SmartTurn(model_path(settings, "turn")) if settings.end_of_turn == "model" else None
    )
    _LOGGER.info("models loaded in %.1f s", time.perf_counter() - started)
    warm_up(transcriber, synthesizer, chat, settings.llm_parallel)
    screen.verdict("Hello, I slept fine.")
    if turn_model is not None:
        turn_model.complete(bytes(32000))
    return Engines(
        transcriber,
        chat,
        synthesizer,
        llm_workers=settings.llm_parallel,
        risk_screen=screen,
        turn_model=turn_model,
    )


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


def warm_up(transcriber: object, synthesizer: object, chat: ChatModel, llm_slots: int) -> None:
    """Run each model once so the first person does not pay for lazy initialisation,
    and so the system prompt's key-value cache is filled before the first turn."""
    started = time.perf_counter()
    transcriber.transcribe(bytes(16000), partial=True)  # type: ignore[attr-defined]
    list(synthesizer.synthesize("Hello."))  # type: ignore[attr-defined]

    def prime(_slot: int) -> None:
        try:
            for _ in chat.stream(
                [ChatMessage(Role.SYSTEM, SYSTEM_PROMPT), ChatMessage(Role.USER, "Hello.")],
                max_tokens=1,
                temperature=0.0,
            ):
                pass
        except Exception as exc:  # a remote model may be down now and up later
            _LOGGER.warning("language model warm-up failed: %s", type(exc).__name__)

    # One request per slot at once, so every slot has the system prompt cached.
    with ThreadPoolExecutor(llm_slots) as pool:
        list(pool.map(prime, range(llm_slots)))
    _LOGGER.info("warm-up took %.1f s", time.perf_counter() - started)
