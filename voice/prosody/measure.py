"""Prosody of one user turn, measured with Praat (parselmouth): pitch, loudness, voice
quality and timing.

``measure(samples, rate_hz)`` is the blocking part (run it on a worker, alongside the
transcription); ``with_words(features, word_count=..., response_latency_seconds=...)``
adds what needs the transcript and the session, once they are known. Both are pure.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from voice.audio.pcm import Samples

FRAME_SECONDS = 0.01
"""Time step of the pitch and intensity contours."""
PITCH_FLOOR_HZ = 60.0
PITCH_CEILING_HZ = 700.0
"""Search range of the first pitch pass; the second pass adapts to the speaker."""
SILENCE_BELOW_PEAK_DB = 25.0
"""A frame this far below the turn's loudest is silent (Praat's own default)..."""
MIN_SOUNDING_DB = 20.0
"""...and so is any frame below this level (Praat's dB, samples taken as pascals: about
-74 dBFS), so that digital silence and dither are never speech, however quiet the voice."""
MIN_PAUSE_SECONDS = 0.25
"""Shorter silences inside speech are stop closures and breaths between words, not pauses."""
MIN_SOUNDING_SECONDS = 0.1
"""Shorter sounds between silences (clicks, a lip smack) do not end a pause."""
MIN_VOICED_FRAMES = 10
"""Fewer voiced frames than this and the pitch and voice-quality measures are left out."""
MAX_PITCH_STEP_SEMITONES = 1.5
"""A larger jump between adjacent 10 ms frames is a tracking error, not movement."""


@dataclass(frozen=True, slots=True)
class ProsodyFeatures:
    """How one turn sounded; a measure is ``None`` where the audio could not give it."""

    speech_seconds: float
    """From the first to the last sounding frame."""
    voiced_seconds: float
    pitch_median_hz: float | None
    pitch_sd_semitones: float | None
    """Spread of the pitch around its median."""
    pitch_range_semitones: float | None
    """Between the 5th and 95th percentile of the pitch."""
    pitch_movement_semitones_per_second: float | None
    """Mean absolute rate of pitch change within voiced stretches."""
    intensity_mean_db: float | None
    """Mean loudness of the sounding frames (Praat's dB: relative, so only compare a
    person's turns recorded the same way)."""
    intensity_sd_db: float | None
    jitter_percent: float | None
    """Local jitter: cycle-to-cycle variation of the pitch period."""
    shimmer_percent: float | None
    """Local shimmer: cycle-to-cycle variation of the amplitude."""
    hnr_db: float | None
    """Harmonics-to-noise ratio of the voiced frames (lower: breathier or rougher)."""
    spectral_tilt_db: float | None
    """Energy above 1 kHz relative to below it, in voiced frames (higher with vocal effort)."""
    pause_count: int
    """Silences of at least ``MIN_PAUSE_SECONDS`` inside the speech span."""
    pause_mean_seconds: float | None
    pause_fraction: float | None
    """Share of the speech span spent in pauses."""
    speaking_rate_words_per_second: float | None = None
    """Words over the speech span, pauses included."""
    articulation_rate_words_per_second: float | None = None
    """Words over the speech span without its pauses."""
    response_latency_seconds: float | None = None
    """From the end of the assistant's question to the start of this turn's speech."""

    def to_json(self) -> dict[str, float | None]:
        """Every measure by name, rounded for the wire; ``None`` stays ``None``."""
        return {f.name: _round(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def values(self) -> dict[str, float]:
        """The measures that were made, by name."""
        return {
            f.name: float(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is not None
        }


def _round(value: float | None) -> float | None:
    return round(value, 4) if isinstance(value, float) else value


def with_words(
    features: ProsodyFeatures, *, word_count: int, response_latency_seconds: float | None
) -> ProsodyFeatures:
    """Add the speaking and articulation rates (from the transcript's word count) and the
    response latency; rates stay ``None`` when no words or no speech span."""
    speaking = articulation = None
    if word_count > 0 and features.speech_seconds > 0.0:
        speaking = word_count / features.speech_seconds
        phonation = features.speech_seconds * (1.0 - (features.pause_fraction or 0.0))
        articulation = word_count / phonation if phonation > 0.0 else None
    return dataclasses.replace(
        features,
        speaking_rate_words_per_second=speaking,
        articulation_rate_words_per_second=articulation,
        response_latency_seconds=response_latency_seconds,
    )


def word_count(text: str) -> int:
    """Words in a transcript, as speaking rate counts them."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def measure(samples: Samples, rate_hz: int) -> ProsodyFeatures:
    """Measure the acoustic features of one turn (blocking: about 10 ms per second of
    audio). Rates and latency are left for ``with_words``."""
    import parselmouth

    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=float(rate_hz))
    if sound.duration < 0.1:
        return _EMPTY
    db, db_times = _intensity(sound)
    sounding = _sounding(db)
    if not sounding.any():
        return _EMPTY
    onset, offset = np.flatnonzero(sounding)[[0, -1]]
    span = sounding[onset : offset + 1]
    speech_seconds = float(span.size) * FRAME_SECONDS
    pauses = [n * FRAME_SECONDS for n in _runs(~span) if n * FRAME_SECONDS >= MIN_PAUSE_SECONDS]
    loud = db[onset : offset + 1][span]

    pitch, floor_hz, ceiling_hz = _pitch(sound)
    f0 = pitch.selected_array["frequency"]
    voiced = f0 > 0.0
    # Only voicing inside the speech span counts (not a hum before the person speaks).
    pitch_times = pitch.xs()
    voiced &= (pitch_times >= db_times[onset] - FRAME_SECONDS) & (
        pitch_times <= db_times[offset] + FRAME_SECONDS
    )
    timing = dataclasses.replace(
        _EMPTY,
        speech_seconds=speech_seconds,
        voiced_seconds=float(np.count_nonzero(voiced)) * FRAME_SECONDS,
        intensity_mean_db=float(np.mean(loud)),
        intensity_sd_db=float(np.std(loud)),
        pause_count=len(pauses),
        pause_mean_seconds=float(np.mean(pauses)) if pauses else None,
        pause_fraction=sum(pauses) / speech_seconds,
    )
    if np.count_nonzero(voiced) < MIN_VOICED_FRAMES:
        return timing
    semitones = 12.0 * np.log2(f0[voiced] / np.median(f0[voiced]))
    jitter, shimmer = _perturbation(sound, floor_hz, ceiling_hz)
    return dataclasses.replace(
        timing,
        pitch_median_hz=float(np.median(f0[voiced])),
        pitch_sd_semitones=float(np.std(semitones)),
        pitch_range_semitones=float(np.percentile(semitones, 95) - np.percentile(semitones, 5)),
        pitch_movement_semitones_per_second=_movement(f0, voiced),
        jitter_percent=jitter,
        shimmer_percent=shimmer,
        hnr_db=_hnr(pitch, voiced),
        spectral_tilt_db=_spectral_tilt(samples, rate_hz, pitch_times[voiced]),
    )


_EMPTY = ProsodyFeatures(
    speech_seconds=0.0,
    voiced_seconds=0.0,
    pitch_median_hz=None,
    pitch_sd_semitones=None,
    pitch_range_semitones=None,
    pitch_movement_semitones_per_second=None,
    intensity_mean_db=None,
    intensity_sd_db=None,
    jitter_percent=None,
    shimmer_percent=None,
    hnr_db=None,
    spectral_tilt_db=None,
    pause_count=0,
    pause_mean_seconds=None,
    pause_fraction=None,
)


def _intensity(sound: Any) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    intensity = sound.to_intensity(minimum_pitch=100.0, time_step=FRAME_SECONDS)
    return np.asarray(intensity.values[0], dtype=np.float64), np.asarray(intensity.xs())


def _runs(mask: npt.NDArray[np.bool_]) -> list[int]:
    """Lengths of the runs of True in ``mask``."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [int(end - start) for start, end in zip(edges[::2], edges[1::2], strict=True)]


def _sounding(db: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Frames within ``SILENCE_BELOW_PEAK_DB`` of the loudest; blips shorter than
    ``MIN_SOUNDING_SECONDS`` are dropped so they neither start speech nor split a pause."""
    if db.size == 0 or not np.isfinite(db).any():
        return np.zeros(db.size, dtype=bool)
    loud = (db > float(np.nanmax(db)) - SILENCE_BELOW_PEAK_DB) & (db > MIN_SOUNDING_DB)
    min_frames = round(MIN_SOUNDING_SECONDS / FRAME_SECONDS)
    padded = np.concatenate(([False], loud, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if end - start < min_frames:
            loud[start:end] = False
    return loud


def _pitch(sound: Any) -> tuple[Any, float, float]:
    """Two passes (after Hirst): a wide search, then a range fitted to this voice, which
    avoids most octave errors. Returns the pitch and the range used."""
    first = sound.to_pitch_ac(
        time_step=FRAME_SECONDS, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ
    )
    f0 = first.selected_array["frequency"]
    f0 = f0[f0 > 0.0]
    if f0.size < MIN_VOICED_FRAMES:
        return first, PITCH_FLOOR_HZ, PITCH_CEILING_HZ
    q25, q75 = np.percentile(f0, [25, 75])
    floor_hz = float(np.clip(0.75 * q25, 40.0, 300.0))
    ceiling_hz = float(np.clip(2.0 * q75, floor_hz + 100.0, 1000.0))
    second = sound.to_pitch_ac(
        time_step=FRAME_SECONDS, pitch_floor=floor_hz, pitch_ceiling=ceiling_hz
    )
    return second, floor_hz, ceiling_hz


def _movement(f0: npt.NDArray[np.float64], voiced: npt.NDArray[np.bool_]) -> float | None:
    both = voiced[1:] & voiced[:-1]
    if not both.any():
        return None
    steps = np.abs(np.diff(12.0 * np.log2(np.where(voiced, f0, 1.0))))[both]
    steps = steps[steps <= MAX_PITCH_STEP_SEMITONES]
    return float(np.mean(steps)) / FRAME_SECONDS if steps.size else None


def _perturbation(
    sound: Any, floor_hz: float, ceiling_hz: float
) -> tuple[float | None, float | None]:
    """Local jitter and shimmer, in percent, with Praat's usual settings."""
    from parselmouth.praat import call

    points = call(sound, "To PointProcess (periodic, cc)", floor_hz, ceiling_hz)
    jitter = call(points, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
    shimmer = call([sound, points], "Get shimmer (local)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
    return _finite(jitter * 100.0), _finite(shimmer * 100.0)


def _hnr(pitch: Any, voiced: npt.NDArray[np.bool_]) -> float | None:
    """Mean harmonics-to-noise ratio of the voiced frames, from the normalised
    autocorrelation peak ``r`` the pitch analysis already found: 10 log10(r / (1 - r)),
    Praat's definition of harmonicity (its separate analysis agrees, r = 0.96, at 4x the cost)."""
    strength = np.clip(pitch.selected_array["strength"][voiced], 1e-4, 1.0 - 1e-4)
    return float(np.mean(10.0 * np.log10(strength / (1.0 - strength)))) if strength.size else None


def _spectral_tilt(samples: Samples, rate_hz: int, times: npt.NDArray[np.float64]) -> float | None:
    """Alpha ratio: energy in 1-5 kHz over energy in 50 Hz-1 kHz, in voiced frames, dB."""
    window = round(0.04 * rate_hz)
    starts = np.round(times * rate_hz).astype(int) - window // 2
    starts = starts[(starts >= 0) & (starts + window <= samples.size)]
    if starts.size == 0:
        return None
    frames = samples[starts[:, None] + np.arange(window)].astype(np.float64) * np.hanning(window)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(window, 1.0 / rate_hz)
    low = power[:, (freqs >= 50) & (freqs < 1000)].sum()
    high = power[:, (freqs >= 1000) & (freqs < 5000)].sum()
    if low <= 0.0 or high <= 0.0:
        return None
    return 10.0 * math.log10(high / low)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
