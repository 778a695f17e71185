"""Resampling between rates with libsoxr (``soxr``): streaming, or a whole signal at once.

soxr compensates its own filter delay, so output sample ``n`` lines up with input time
``n / out_rate``, and streaming over chunks of any size gives exactly the one-shot result.
"""

from __future__ import annotations

import numpy as np
import soxr

from voice.audio.pcm import Samples
from voice.errors import AudioError

MAX_RATE_HZ = 384_000
QUALITY = "HQ"
"""soxr's high quality: a steep low-pass well below the new Nyquist, little latency."""


def _check(in_rate_hz: int, out_rate_hz: int) -> None:
    if not (0 < in_rate_hz <= MAX_RATE_HZ and 0 < out_rate_hz <= MAX_RATE_HZ):
        raise AudioError(f"sample rates must be between 1 and {MAX_RATE_HZ} Hz")


class Resampler:
    """A streaming resampler for one mono signal.

    Feed chunks with ``process`` (it returns whatever output is complete); call ``flush``
    once at the end for the tail soxr holds back.
    """

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        _check(in_rate_hz, out_rate_hz)
        self._stream = soxr.ResampleStream(in_rate_hz, out_rate_hz, 1, "float32", QUALITY)

    def process(self, samples: Samples) -> Samples:
        """Resample one chunk."""
        out: Samples = self._stream.resample_chunk(samples.astype(np.float32, copy=False))
        return out

    def flush(self) -> Samples:
        """The rest of the output, once the input has ended."""
        out: Samples = self._stream.resample_chunk(np.zeros(0, np.float32), last=True)
        return out


def resample(samples: Samples, in_rate_hz: int, out_rate_hz: int) -> Samples:
    """Resample a whole signal to ``floor(len * out / in)`` samples, aligned with the input."""
    if in_rate_hz == out_rate_hz:
        return samples.astype(np.float32)
    _check(in_rate_hz, out_rate_hz)
    out = soxr.resample(samples.astype(np.float32, copy=False), in_rate_hz, out_rate_hz, QUALITY)
    result: Samples = out[: samples.size * out_rate_hz // in_rate_hz].astype(np.float32)
    return result
