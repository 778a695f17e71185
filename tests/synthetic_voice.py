"""Voice-like test signals whose prosody is known: harmonic complexes (a glottal-like
source Praat's pitch tracker follows) with chosen pitch, level, vibrato and pauses."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RATE_HZ = 16000
Signal = npt.NDArray[np.float32]


def voiced(
    seconds: float,
    *,
    f0_hz: float = 200.0,
    peak: float = 0.3,
    vibrato_semitones: float = 0.0,
    vibrato_hz: float = 2.0,
) -> Signal:
    """A sawtooth-like harmonic complex (harmonics at 1/k) with 20 ms fades; its pitch
    moves ``vibrato_semitones`` either side of ``f0_hz``, ``vibrato_hz`` times a second."""
    t = np.arange(round(seconds * RATE_HZ)) / RATE_HZ
    f0 = f0_hz * 2.0 ** (vibrato_semitones * np.sin(2 * np.pi * vibrato_hz * t) / 12.0)
    phase = 2 * np.pi * np.cumsum(f0) / RATE_HZ
    harmonics = [k for k in range(1, 40) if k * f0_hz * 1.2 < RATE_HZ / 2]
    wave = sum(np.sin(k * phase) / k for k in harmonics)
    wave = wave / np.max(np.abs(wave)) * peak
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.02)
    return (wave * fade).astype(np.float32)


def silence(seconds: float) -> Signal:
    """Digital silence."""
    return np.zeros(round(seconds * RATE_HZ), dtype=np.float32)


def words(count: int, *, gap_seconds: float, word_seconds: float = 0.25, **voice: float) -> Signal:
    """``count`` voiced "words" separated by ``gap_seconds``, with 0.3 s of silence around."""
    parts = [silence(0.3)]
    for i in range(count):
        parts.append(voiced(word_seconds, **voice))
        parts.append(silence(gap_seconds if i < count - 1 else 0.3))
    return np.concatenate(parts)


def pcm(signal: Signal) -> bytes:
    """16-bit little-endian PCM."""
    return (np.clip(signal, -1.0, 1.0) * 32767).astype("<i2").tobytes()
