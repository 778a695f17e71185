"""Voice activity: the speech-detector protocol and its webrtcvad adapter, on 30 ms frames.

webrtcvad judges a frame's spectrum but also its energy, so a quiet microphone (speech
peaking near -50 dBFS, as from a USB microphone at low gain) is never heard by it, and a
fixed level floor cannot tell such speech from a noisy room's hiss (both sit near -60 to
-50 dBFS). ``InputLevel`` measures the stream's own levels instead: a frame must stand
clear of the stream's noise floor, and a quiet stream is raised before webrtcvad hears it.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float, rms_dbfs
from voice.errors import ConfigError

FRAME_MS = 30
FRAME_SAMPLES = PIPELINE_RATE_HZ * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2

LEVEL_FLOOR_DBFS = -45.0
"""The level a frame needs when the stream's noise floor is unknown or high (a quiet
stream's gate is lower: ``ABOVE_FLOOR_DB`` over its floor)."""
ABOVE_FLOOR_DB = 10.0
"""How far over the stream's noise floor a frame must be to be a voice: steady hiss and
hum never are, whatever their level."""
LEVEL_WINDOW_FRAMES = 167
"""The noise floor and the loudest level are taken over the last 5 s of the stream."""
DIGITAL_SILENCE_DBFS = -90.0
"""Frames below this are digital silence (a muted or starting microphone), not a room's
noise, and are left out of the floor."""
LOUD_TARGET_DBFS = -25.0
"""A quiet stream is raised until its loudest recent frame reaches this level..."""
RAISED_FLOOR_DBFS = -50.0
"""...and never so far that its noise floor goes above this one..."""
MAX_GAIN_DB = 40.0
"""...nor by more than this."""


class SpeechDetector(Protocol):
    """Says whether one 30 ms frame of 16 kHz mono s16le PCM holds speech."""

    def is_speech(self, frame: bytes) -> bool:
        """True when the frame sounds like speech."""
        ...


class InputLevel:
    """One stream's levels over the last few seconds (pure: fed one frame level at a time).

    From its noise floor (the quietest frame) and its loudest frame follow the level gate
    (``gate_dbfs``) and the gain for a quiet stream (``gain_db``). A loud or noisy stream
    gets the fixed ``LEVEL_FLOOR_DBFS`` and no gain.
    """

    def __init__(self, ceiling_dbfs: float = LEVEL_FLOOR_DBFS) -> None:
        self._levels: deque[float] = deque(maxlen=LEVEL_WINDOW_FRAMES)
        self.floor_dbfs: float | None = None
        """The stream's noise floor; None before any frame above digital silence."""
        self.gate_dbfs = ceiling_dbfs
        """The level a frame needs to be heard at all."""
        self.gain_db = 0.0
        """How much to raise a frame before webrtcvad judges it (0 for a loud stream)."""
        self._ceiling = ceiling_dbfs

    def observe(self, level_dbfs: float) -> None:
        """Count one frame's RMS level (the floor, gate and gain follow, once a frame)."""
        if level_dbfs <= DIGITAL_SILENCE_DBFS:
            return
        self._levels.append(level_dbfs)
        floor = self.floor_dbfs = min(self._levels)
        self.gate_dbfs = min(self._ceiling, floor + ABOVE_FLOOR_DB)
        wanted = min(LOUD_TARGET_DBFS - max(self._levels), RAISED_FLOOR_DBFS - floor)
        self.gain_db = min(MAX_GAIN_DB, max(0.0, wanted))


class WebRtcSpeechDetector:
    """webrtcvad behind the stream's own level gate, with a quiet stream raised first.

    One per stream: it keeps that stream's levels (and webrtcvad its own state).
    """

    def __init__(self, aggressiveness: int = 3, min_level_dbfs: float = LEVEL_FLOOR_DBFS) -> None:
        import webrtcvad

        if not 0 <= aggressiveness <= 3:
            raise ConfigError("vad aggressiveness must be 0..3")
        self._vad = webrtcvad.Vad(aggressiveness)
        self._level = InputLevel(min_level_dbfs)

    def is_speech(self, frame: bytes) -> bool:
        """True when the frame stands clear of the noise floor and webrtcvad hears speech."""
        samples = pcm16_to_float(frame)
        level = rms_dbfs(samples)
        self._level.observe(level)
        if level < self._level.gate_dbfs:
            return False
        gain = self._level.gain_db
        if gain > 0.0:
            frame = float_to_pcm16(samples * 10.0 ** (gain / 20.0))
        return bool(self._vad.is_speech(frame, PIPELINE_RATE_HZ))
