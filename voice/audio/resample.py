"""Resampling between integer rates, streaming or whole signals."""

from __future__ import annotations

import math

import numpy as np

from voice.audio.pcm import Samples
from voice.errors import AudioError


class Resampler:
    """Streaming polyphase resampler between two integer rates (windowed-sinc low-pass).

    Feed chunks with ``process``; call ``flush`` once at the end for the tail.
    The output lags the input by the filter's half length, which ``flush`` returns.
    """

    _HALF_TAPS = 16  # per side, in input-rate samples of the slower side

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        if in_rate_hz <= 0 or out_rate_hz <= 0:
            raise AudioError("sample rates must be positive")
        g = math.gcd(in_rate_hz, out_rate_hz)
        self._up, self._down = out_rate_hz // g, in_rate_hz // g
        if max(self._up, self._down) > 1000:
            raise AudioError(f"cannot resample {in_rate_hz} Hz to {out_rate_hz} Hz")
        factor = max(self._up, self._down)
        n_taps = 2 * self._HALF_TAPS * factor + 1
        t = np.arange(n_taps) - (n_taps - 1) / 2
        cutoff = 0.5 / factor * 0.92
        h = 2 * cutoff * np.sinc(2 * cutoff * t) * np.kaiser(n_taps, 8.0) * self._up
        taps_per_phase = math.ceil(n_taps / self._up)
        h = np.concatenate([h, np.zeros(taps_per_phase * self._up - n_taps)])
        # phases[p][m] multiplies x[i0 - m] for outputs whose upsampled offset is p.
        self._phases = np.stack([h[p :: self._up] for p in range(self._up)]).astype(np.float64)
        self._taps = taps_per_phase
        self._history = np.zeros(taps_per_phase - 1, dtype=np.float64)
        self._consumed = 0  # input samples seen, excluding history padding
        self._next_out = 0  # index of the next output sample
        self._delay_out = (n_taps - 1) // 2 // self._down

    def process(self, samples: Samples) -> Samples:
        """Resample one chunk; returns whatever output is complete so far."""
        buf = np.concatenate([self._history, samples.astype(np.float64)])
        start_abs = self._consumed - (self._history.size)
        self._consumed += samples.size
        # Output n needs inputs up to floor(n * down / up): emit every n whose
        # newest input has arrived.
        n_end = (self._consumed * self._up - 1) // self._down + 1
        out_idx = np.arange(self._next_out, max(self._next_out, n_end))
        out = np.zeros(out_idx.size, dtype=np.float64)
        if out_idx.size:
            pos = out_idx * self._down
            i0 = pos // self._up
            phase = pos - i0 * self._up
            windows = np.lib.stride_tricks.sliding_window_view(buf, self._taps)
            # window w covers buf[w : w + taps]; we need x[i0 - m] for m < taps,
            # i.e. the window ending at i0, reversed against the phase taps.
            rel = i0 - start_abs - (self._taps - 1)
            picked = windows[rel][:, ::-1]
            out = np.einsum("ij,ij->i", picked, self._phases[phase])
            self._next_out = int(out_idx[-1]) + 1
        keep = self._taps - 1
        self._history = buf[-keep:] if keep else buf[:0]
        return out.astype(np.float32)

    def flush(self) -> Samples:
        """Push zeros through to emit the tail held back by the filter."""
        return self.process(np.zeros(self._taps, dtype=np.float32))

    @property
    def delay_samples(self) -> int:
        """Output samples by which the output lags the input."""
        return self._delay_out


def resample(samples: Samples, in_rate_hz: int, out_rate_hz: int) -> Samples:
    """Resample a whole signal, compensating the filter delay."""
    if in_rate_hz == out_rate_hz:
        return samples.astype(np.float32)
    rs = Resampler(in_rate_hz, out_rate_hz)
    out = np.concatenate([rs.process(samples), rs.flush()])
    want = samples.size * out_rate_hz // in_rate_hz
    return out[rs.delay_samples : rs.delay_samples + want].astype(np.float32)
