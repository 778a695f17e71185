"""The answer to ``describe``: what this server offers Home Assistant, by name and language.

``offer_for(settings)`` reads the names (the models in use) and languages (Whisper's, the
Piper voice's own) once at start-up; ``build_info`` turns them into Wyoming's ``Info``
(pure). The streaming flags say what ``handler`` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from wyoming.info import (
    AsrModel,
    AsrProgram,
    Attribution,
    HandleModel,
    HandleProgram,
    Info,
    TtsProgram,
    TtsVoice,
)

from voice.engines import manifest
from voice.engines.factory import model_path
from voice.errors import ConfigError, ModelError
from voice.settings import Settings

COMPANION_LANGUAGE = "en"
"""The check-in companion's language: its prompt, scripts and safety rules are English."""

_FASTER_WHISPER = Attribution("SYSTRAN faster-whisper", "https://github.com/SYSTRAN/faster-whisper")
_PIPER = Attribution("Open Home Foundation Piper", "https://github.com/OHF-Voice/piper1-gpl")
_COMPANION = Attribution("voice", "")  # this project; it has no public address


@dataclass(frozen=True, slots=True)
class Offer:
    """The services offered, as Home Assistant lists them."""

    version: str | None
    stt_model: str
    stt_language: str
    tts_voice: str
    tts_language: str
    chat_model: str


def build_info(offer: Offer) -> Info:
    """Speech to text, text to speech and the companion (``handle``), each streaming."""
    asr = AsrProgram(
        name="voice-whisper",
        attribution=_FASTER_WHISPER,
        installed=True,
        description="Whisper speech to text (voice)",
        version=offer.version,
        models=[
            AsrModel(
                name=offer.stt_model,
                attribution=_FASTER_WHISPER,
                installed=True,
                description=None,
                version=None,
                languages=[offer.stt_language],
            )
        ],
        supports_transcript_streaming=True,
    )
    tts = TtsProgram(
        name="voice-piper",
        attribution=_PIPER,
        installed=True,
        description="Piper text to speech (voice)",
        version=offer.version,
        voices=[
            TtsVoice(
                name=offer.tts_voice,
                attribution=_PIPER,
                installed=True,
                description=None,
                version=None,
                languages=[offer.tts_language],
            )
        ],
        supports_synthesize_streaming=True,
    )
    handle = HandleProgram(
        name="voice-checkin",
        attribution=_COMPANION,
        installed=True,
        description="A check-in companion with crisis handling (voice); keeps nothing",
        version=offer.version,
        models=[
            HandleModel(
                name=offer.chat_model,
                attribution=_COMPANION,
                installed=True,
                description=None,
                version=None,
                languages=[COMPANION_LANGUAGE],
            )
        ],
        supports_handled_streaming=True,
        supports_home_control=False,
    )
    return Info(asr=[asr], tts=[tts], handle=[handle])


def offer_for(settings: Settings) -> Offer:
    """What ``settings`` offer. Raises ConfigError for ``--whisper-language auto``: Home
    Assistant chooses a service by its languages, and one language is transcribed here."""
    if settings.whisper_language == "auto":
        raise ConfigError(
            "whisper_language: voice wyoming needs one language (e.g. en), not auto: Home "
            "Assistant chooses speech-to-text services by language"
        )
    voice = model_path(settings, "tts")
    try:
        config = json.loads(voice.with_name(voice.name + ".json").read_text(encoding="utf-8"))
        tts_language = str(config["language"]["code"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"the Piper voice {voice.name} has no readable language") from exc
    try:
        package_version: str | None = version("voice")
    except PackageNotFoundError:
        package_version = None
    return Offer(
        version=package_version,
        stt_model=_model_name(settings, "stt"),
        stt_language=settings.whisper_language,
        tts_voice=voice.name.removesuffix(".onnx"),
        tts_language=tts_language,
        chat_model=settings.llm_name if settings.llm_url else _model_name(settings, "llm"),
    )


def _model_name(settings: Settings, role: str) -> str:
    own = {"stt": settings.whisper_model, "llm": settings.llm_model}[role]
    if own is not None:
        return own.name
    return manifest.default_model(manifest.load_manifest(), role).name
