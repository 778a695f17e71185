"""Voice activity: the speech-detector protocol and its webrtcvad adapter, on 30 ms frames."""

from __future__ import annotations

from typing import Protocol

from voice.audio.pcm import PIPELINE_RATE_HZ, pcm16_to_float, rms_dbfs
from voice.errors import ConfigError

FRAME_MS = 30
FRAME_SAMPLES = PIPELINE_RATE_HZ * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2


class SpeechDetector(Protocol):
    """Says whether one 30 ms frame of 16 kHz mono s16le PCM holds speech."""

    def is_speech(self, frame: bytes) -> bool:
        """True when the frame sounds like speech."""
        ...


class WebRtcSpeechDetector:
    """webrtcvad, plus a level floor so faint hiss and hum never count as speech."""

    def __init__(self, aggressiveness: int = 3, min_level_dbfs: float = -45.0) -> None:
        import webrtcvad

        if not 0 <= aggressiveness <= 3:
            raise ConfigError("vad aggressiveness must be 0..3")
        self._vad = webrtcvad.Vad(aggressiveness)
        self._min_level_dbfs = min_level_dbfs

    def is_speech(self, frame: bytes) -> bool:
        """True when webrtcvad hears speech and the frame is loud enough to be a voice."""
        if rms_dbfs(pcm16_to_float(frame)) < self._min_level_dbfs:
            return False
        return bool(self._vad.is_speech(frame, PIPELINE_RATE_HZ))
