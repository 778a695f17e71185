"""What ``voice bench`` streams: check-in sentences (synthesised) or recorded utterances,
a thinking pause put between two words, and speech as a quiet microphone gives it."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float, read_wav
from voice.audio.resample import resample
from voice.errors import VoiceError
from voice.settings import Settings

# Things people say at a daily check-in; synthesised with the bundled voice.
DEFAULT_UTTERANCES = (
    "I slept badly last night and I feel a bit anxious about work today.",
    "Honestly I'm doing okay, just tired.",
    "My sister called me this morning and that cheered me up.",
    "I didn't really want to get out of bed today.",
    "Work has been stressful because of a deadline on Friday.",
    "I went for a long walk after lunch and it helped.",
    "I keep worrying about money and I can't switch it off.",
    "Today was better than yesterday.",
    "I had an argument with my partner and I still feel upset about it.",
    "I managed to cook a proper dinner for the first time this week.",
)


def utterances(
    audio_dir: Path | None, limit: int, settings: Settings
) -> list[tuple[str, bytes, str]]:
    if audio_dir is None:
        from voice.engines.factory import model_path
        from voice.engines.tts import PiperSynthesizer

        voice = PiperSynthesizer(model_path(settings, "tts"), steady=True)
        out = []
        for i, text in enumerate(DEFAULT_UTTERANCES):
            pcm = b"".join(voice.synthesize(text))
            samples = resample(pcm16_to_float(pcm), voice.sample_rate_hz, PIPELINE_RATE_HZ)
            out.append((f"synth-{i:02d}", float_to_pcm16(samples), text))
    else:
        manifest = audio_dir / "manifest.csv"
        if not manifest.is_file():
            raise VoiceError(f"{manifest} not found", code="bad_input")
        out = []
        with manifest.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                samples, rate = read_wav(audio_dir / row["file"])
                pcm = float_to_pcm16(resample(samples, rate, PIPELINE_RATE_HZ))
                out.append((row["file"], pcm, row["transcript"]))
    return out[:limit] if limit else out


THINKING_PAUSE_SECONDS = 1.5


def quiet_point(pcm: bytes, fraction: float) -> int:
    """The byte offset of the quietest 30 ms of 16 kHz speech within ±240 ms of
    ``fraction`` of it: a gap between words, where a pause to think goes."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    frame = PIPELINE_RATE_HZ * 30 // 1000
    middle = int(len(samples) * fraction) // frame
    candidates = range(max(0, middle - 8), min(len(samples) // frame, middle + 8))
    energy = {i: float(np.mean(samples[i * frame : (i + 1) * frame] ** 2)) for i in candidates}
    return min(energy, key=energy.__getitem__) * frame * 2


def with_thinking_pause(pcm: bytes, fraction: float = 0.45) -> bytes:
    """``pcm`` with ``THINKING_PAUSE_SECONDS`` of silence at its quiet point near
    ``fraction``."""
    cut = quiet_point(pcm, fraction)
    return pcm[:cut] + bytes(round(THINKING_PAUSE_SECONDS * PIPELINE_RATE_HZ) * 2) + pcm[cut:]


QUIET_PEAK_DBFS = -50.0
QUIET_ROOM_DBFS = -85.0


def at_quiet_microphone(pcm: bytes, *, seed: int = 0) -> bytes:
    """16 kHz speech as a USB microphone at low gain gives it: peaking at
    ``QUIET_PEAK_DBFS``, over a room (and converter) noise floor at ``QUIET_ROOM_DBFS``."""
    samples = pcm16_to_float(pcm).astype(np.float64)
    peak = float(np.max(np.abs(samples))) or 1.0
    quiet = samples * 10 ** (QUIET_PEAK_DBFS / 20) / peak
    room = np.random.default_rng(seed).normal(0.0, 10 ** (QUIET_ROOM_DBFS / 20), samples.size)
    return float_to_pcm16((quiet + room).astype(np.float32))


CUT_TOLERANCE_MS = 300
"""A turn that ended this close to where the thinking pause begins was cut by it."""


def speech_end_seconds(pcm: bytes) -> float:
    """Where the last sound above -40 dBFS ends (the file may hold trailing silence)."""
    samples = pcm16_to_float(pcm)
    win = PIPELINE_RATE_HZ // 50
    n = samples.size // win
    rms = np.sqrt(np.mean(samples[: n * win].reshape(n, win).astype(np.float64) ** 2, axis=1))
    loud = np.nonzero(rms > 0.01)[0]
    return float((loud[-1] + 1) * win / PIPELINE_RATE_HZ) if loud.size else 0.0
