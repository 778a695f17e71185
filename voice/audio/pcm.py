"""PCM basics: 16-bit PCM and float samples, WAV files, re-chunking and level (pure)."""

from __future__ import annotations

import io
import math
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from voice.errors import AudioError

Samples = npt.NDArray[np.float32]
"""Mono audio as float32 in [-1, 1]."""

PIPELINE_RATE_HZ = 16000
"""The rate every pipeline stage after the edge works at."""


def pcm16_to_float(pcm: bytes) -> Samples:
    """Little-endian signed 16-bit PCM to float32 samples."""
    if len(pcm) % 2:
        raise AudioError("16-bit PCM must have an even number of bytes", code="bad_message")
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def float_to_pcm16(samples: Samples) -> bytes:
    """Float samples (clipped to [-1, 1]) to little-endian signed 16-bit PCM."""
    # Scale by 32768 like pcm16_to_float so PCM -> float -> PCM is exact; +1.0 clips to 32767.
    scaled = (np.clip(samples, -1.0, 1.0) * 32768.0).round().clip(-32768.0, 32767.0)
    return scaled.astype("<i2").tobytes()


def rms_dbfs(samples: Samples) -> float:
    """Root-mean-square level in dB relative to full scale (-120 for silence)."""
    if samples.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20.0 * math.log10(rms) if rms > 1e-6 else -120.0


def active_seconds(samples: Samples, rate_hz: int, *, threshold_dbfs: float = -40.0) -> float:
    """Seconds of audio whose 20 ms windows are louder than ``threshold_dbfs``."""
    win = max(1, rate_hz // 50)
    n = samples.size // win
    if n == 0:
        return 0.0
    frames = samples[: n * win].reshape(n, win).astype(np.float64)
    rms = np.sqrt(np.mean(np.square(frames), axis=1))
    loud = rms > 10 ** (threshold_dbfs / 20.0)
    return float(np.count_nonzero(loud)) * win / rate_hz


def read_wav(path: Path) -> tuple[Samples, int]:
    """Read a PCM WAV file as mono float samples and its rate; stereo is averaged."""
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except FileNotFoundError as exc:
        raise AudioError(f"no such file: {path}") from exc
    except (wave.Error, EOFError) as exc:
        raise AudioError(f"{path} is not a PCM WAV file") from exc
    if width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    else:
        raise AudioError(f"{path}: {8 * width}-bit samples are not supported")
    if channels > 1:
        data = data[: data.size - data.size % channels].reshape(-1, channels).mean(axis=1)
    return data.astype(np.float32), rate


def wav_bytes(pcm: bytes, rate_hz: int) -> bytes:
    """Wrap mono 16-bit PCM in a WAV container."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate_hz)
        wav.writeframes(pcm)
    return buf.getvalue()


def write_wav(path: Path, pcm: bytes, rate_hz: int) -> None:
    """Write mono 16-bit PCM to a WAV file."""
    path.write_bytes(wav_bytes(pcm, rate_hz))


class Rechunker:
    """Collects PCM bytes of any length and hands back fixed-size frames."""

    def __init__(self, frame_bytes: int) -> None:
        self._frame_bytes = frame_bytes
        self._pending = bytearray()

    def push(self, pcm: bytes) -> list[bytes]:
        """Add bytes; return every complete frame now available."""
        self._pending.extend(pcm)
        n = len(self._pending) // self._frame_bytes
        frames = [
            bytes(self._pending[i * self._frame_bytes : (i + 1) * self._frame_bytes])
            for i in range(n)
        ]
        del self._pending[: n * self._frame_bytes]
        return frames
