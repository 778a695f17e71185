"""One Wyoming audio stream in: checked, mixed to mono and resampled to 16 kHz (clock-free).

``AudioIntake`` follows ``audio-start``, ``audio-chunk``..., ``audio-stop``: call ``start``,
``add`` for each chunk, then ``stop`` for the speech as 16 kHz mono s16le. A stream it
refuses raises ``AudioError`` once (a stable code and a plain message, never the audio),
then its chunks are dropped quietly until ``stop``, which returns None for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NoReturn

import numpy as np

from voice.audio.endpointer import EndpointerConfig
from voice.audio.pcm import PIPELINE_RATE_HZ, Samples, float_to_pcm16, pcm16_to_float
from voice.audio.resample import resample
from voice.errors import AudioError

MAX_SECONDS = EndpointerConfig().max_turn_ms / 1000.0
"""The longest stream transcribed: the longest turn the check-in hears."""
MIN_RATE_HZ = 8000
MAX_RATE_HZ = 48000
MAX_CHANNELS = 8


@dataclass(frozen=True, slots=True)
class AudioFormat:
    """What ``audio-start`` and every ``audio-chunk`` say the samples are."""

    rate_hz: int
    width: int
    """Bytes per sample."""
    channels: int


class _State(Enum):
    IDLE = "idle"
    """No stream: ``start`` opens one."""
    OPEN = "open"
    """Chunks are taken in until ``stop``."""
    REFUSED = "refused"
    """The stream was refused (said once): its chunks are dropped until ``stop``."""


class AudioIntake:
    """The audio of one stream at a time; ``start``, ``add``..., ``stop``."""

    def __init__(self) -> None:
        self._state = _State.IDLE
        self._format: AudioFormat | None = None
        self._pieces: list[Samples] = []
        self._frames = 0

    def start(self, fmt: AudioFormat) -> None:
        """Open a stream (one still open is dropped); raises AudioError for a format that
        cannot be speech: not 16-bit, or an odd rate or channel count."""
        self._reset()
        problem = _problem(fmt)
        if problem is not None:
            self._refuse(problem, "unsupported_audio")
        self._state = _State.OPEN
        self._format = fmt

    def add(self, fmt: AudioFormat, pcm: bytes) -> None:
        """Take one chunk; raises AudioError when it comes before ``start``, changes the
        format, holds part of a frame, or takes the stream past ``MAX_SECONDS``."""
        if self._state is _State.REFUSED:
            return
        if self._state is _State.IDLE or self._format is None:
            self._refuse("audio-chunk came before audio-start", "audio_not_started")
        if fmt != self._format:
            self._refuse("an audio chunk's format differs from audio-start's", "unsupported_audio")
        frame_bytes = fmt.width * fmt.channels
        if len(pcm) % frame_bytes:
            self._refuse("an audio chunk must hold whole samples", "unsupported_audio")
        frames = len(pcm) // frame_bytes
        if self._frames + frames > MAX_SECONDS * fmt.rate_hz:
            self._refuse(
                f"audio longer than {MAX_SECONDS:.0f} s is not transcribed", "audio_too_long"
            )
        samples = pcm16_to_float(pcm).reshape(frames, fmt.channels).mean(axis=1)
        self._pieces.append(samples.astype(np.float32, copy=False))
        self._frames += frames

    def stop(self) -> bytes | None:
        """End the stream: its speech as 16 kHz mono s16le (empty when no chunk came), or
        None for a stream that was refused. Raises AudioError when none was started."""
        state, fmt, pieces = self._state, self._format, self._pieces
        self._reset()
        if state is _State.REFUSED:
            return None
        if state is _State.IDLE or fmt is None:
            raise AudioError("audio-stop came before audio-start", code="audio_not_started")
        if not pieces:
            return b""
        samples = np.concatenate(pieces)
        return float_to_pcm16(resample(samples, fmt.rate_hz, PIPELINE_RATE_HZ))

    def _refuse(self, message: str, code: str) -> NoReturn:
        self._reset()
        self._state = _State.REFUSED
        raise AudioError(message, code=code)

    def _reset(self) -> None:
        self._state = _State.IDLE
        self._format = None
        self._pieces = []
        self._frames = 0


def _problem(fmt: AudioFormat) -> str | None:
    if fmt.width != 2:
        return "only 16-bit audio (width 2) is taken"
    if not MIN_RATE_HZ <= fmt.rate_hz <= MAX_RATE_HZ:
        return f"the sample rate must be {MIN_RATE_HZ}..{MAX_RATE_HZ} Hz"
    if not 1 <= fmt.channels <= MAX_CHANNELS:
        return f"the channel count must be 1..{MAX_CHANNELS}"
    return None
