"""``voice bench-echo``: the home device's echo canceller on this machine. The bundled Piper
voice speaks a few replies; a simulated room plays each back into the microphone (60 ms
late, -6 dB, 80 ms of reflections, a -70 dBFS noise floor) while the device's order of
events is replayed on one audio clock (the speaker's blocks handed over ahead of time, the
microphone's frames read late). Reported: how much quieter the echo is after the first
second (by AEC3 alone, and with its remains silenced as the device does; and with the
times the sound system reports off by up to 20 ms, taken as they are or smoothed as the
device does), whether the server's endpointer would start a turn on what is left, and the
time per 20 ms frame.

The same room and order of events are what ``tests/device/test_echo.py`` holds."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from voice.audio.endpointer import Endpointer, TurnStarted
from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float, rms_dbfs
from voice.audio.resample import resample
from voice.audio.vad import FRAME_BYTES as VAD_FRAME_BYTES
from voice.audio.vad import WebRtcSpeechDetector
from voice.device import echo
from voice.device.sound import FRAME_BYTES
from voice.tools.measures import percentile

SPEAKER_RATE = 22050
BLOCK = 512
"""Samples the speaker's callback plays at a time."""
REPLIES = (
    "Thank you for telling me. It sounds like today asked a lot of you. "
    "What helped, even a little, when it was hardest?",
    "I hear you. That sounds like a long day. Would you like to tell me more about the evening?",
    "Good evening. How are you feeling today, compared with yesterday?",
)
JITTER_S = 0.02
"""How far off the times reported through ALSA's PulseAudio plugin were, on this machine
while the server answered (``voice device`` against the test suite's server)."""
_EPOCH = 1_796_636_000.0
"""PortAudio's clock, as ALSA gives it."""


def room(far: np.ndarray) -> np.ndarray:
    """``far`` as a microphone a metre from the speaker hears it: 60 ms late, -6 dB, with
    80 ms of decaying reflections and a quiet noise floor (fixed seed)."""
    rng = np.random.default_rng(5)
    ir = np.zeros(int(0.15 * PIPELINE_RATE_HZ))
    start = int(0.06 * PIPELINE_RATE_HZ)
    taps = int(0.08 * PIPELINE_RATE_HZ)
    ir[start] = 0.5
    ir[start : start + taps] += rng.normal(0, 0.05, taps) * np.exp(-np.arange(taps) / 300)
    heard = np.convolve(far, ir)[: far.size]
    return heard + rng.normal(0, 10 ** (-70 / 20), far.size)


def through_the_device(
    far16: np.ndarray,
    near: np.ndarray,
    canceller: echo.EchoCanceller,
    on_frame: Callable[[float], None] | None = None,
    *,
    jitter_s: float = 0.0,
    smoothed: bool = True,
) -> np.ndarray:
    """The device's order of events on one audio clock: the speaker's callback hands over
    each block 0.3 s before it is heard, the microphone's frames arrive 0.2 s after they
    were heard, each cleaned against what was playing then. The times the sound system
    reports for each block and frame are off by up to ``jitter_s`` either way, and are
    smoothed by an ``AudioClock`` as the device does (unless not ``smoothed``).
    ``on_frame`` gets the seconds each frame's cleaning took."""
    rng = np.random.default_rng(7)
    clocks = (echo.AudioClock(SPEAKER_RATE), echo.AudioClock(PIPELINE_RATE_HZ))
    reference = canceller.reference
    played = float_to_pcm16(resample(far16, PIPELINE_RATE_HZ, SPEAKER_RATE))
    mic = float_to_pcm16(near.astype(np.float32))
    blocks = [(_EPOCH + i / 2 / SPEAKER_RATE, i) for i in range(0, len(played), BLOCK * 2)]
    frames = [(_EPOCH + i / 2 / PIPELINE_RATE_HZ, i) for i in range(0, len(mic), FRAME_BYTES)]
    events = [(at - 0.3, 0, at, i) for at, i in blocks]
    events += [(at + 0.2, 1, at, i) for at, i in frames]
    cleaned = bytearray()
    for _now, kind, at, i in sorted(events):
        reported = at + rng.uniform(-jitter_s, jitter_s)
        size = BLOCK if kind == 0 else FRAME_BYTES // 2
        stamped = clocks[kind].stamp(reported, size) if smoothed else reported
        if kind == 0:
            reference.played(played[i : i + BLOCK * 2], SPEAKER_RATE, stamped)
        elif i + FRAME_BYTES <= len(mic):
            started = time.perf_counter()
            cleaned.extend(canceller.clean(mic[i : i + FRAME_BYTES], stamped))
            if on_frame is not None:
                on_frame(time.perf_counter() - started)
    return pcm16_to_float(bytes(cleaned))


def turns_started(samples: np.ndarray) -> int:
    """Turns the server's speech detector and endpointer would start on ``samples``."""
    detector, endpointer = WebRtcSpeechDetector(), Endpointer()
    pcm = float_to_pcm16(samples.astype(np.float32))
    started = 0
    for i in range(0, len(pcm) - VAD_FRAME_BYTES + 1, VAD_FRAME_BYTES):
        frame = pcm[i : i + VAD_FRAME_BYTES]
        events = endpointer.process(frame, detector.is_speech(frame))
        started += sum(isinstance(e, TurnStarted) for e in events)
    return started


def measure(speak: Callable[[str], np.ndarray]) -> dict[str, Any]:
    """The report, for replies spoken by ``speak`` (16 kHz float samples)."""
    rows = []
    frame_ms: list[float] = []
    for text in REPLIES:
        reply = speak(text)
        heard = room(reply)
        settled = slice(PIPELINE_RATE_HZ, reply.size)
        before = rms_dbfs(heard[settled].astype(np.float32))
        row: dict[str, Any] = {"seconds": round(reply.size / PIPELINE_RATE_HZ, 2)}
        for name, silence_remains in (("aec3", False), ("device", True)):
            canceller = echo.EchoCanceller(echo.EchoReference(), silence_remains=silence_remains)
            cleaned = through_the_device(
                reply, heard, canceller, on_frame=lambda s: frame_ms.append(s * 1000.0)
            )
            row[f"{name}_reduction_db"] = round(before - rms_dbfs(cleaned[settled]), 1)
            row[f"{name}_turns_started"] = turns_started(cleaned[settled])
        row["raw_turns_started"] = turns_started(heard[settled])
        # The sound system's reported times off by up to JITTER_S, taken as they are or
        # smoothed as the device does.
        for name, smoothed in (("jittered_as_reported", False), ("jittered_smoothed", True)):
            canceller = echo.EchoCanceller(echo.EchoReference())
            cleaned = through_the_device(
                reply, heard, canceller, jitter_s=JITTER_S, smoothed=smoothed
            )
            row[f"{name}_reduction_db"] = round(before - rms_dbfs(cleaned[settled]), 1)
            row[f"{name}_turns_started"] = turns_started(cleaned[settled])
        rows.append(row)
    p95 = percentile(frame_ms, 95)
    return {
        "replies": rows,
        "frame_ms": {
            "median": round(statistics.median(frame_ms), 3),
            "p95": None if p95 is None else round(p95, 3),
            "n": len(frame_ms),
        },
    }


def run(piper_voice: Path, out: Path | None) -> int:
    """``voice bench-echo``: print the report (and write it to ``out``)."""
    from voice.engines.tts import PiperSynthesizer

    voice = PiperSynthesizer(piper_voice, steady=True)

    def speak(text: str) -> np.ndarray:
        pcm = b"".join(voice.synthesize(text))
        return resample(pcm16_to_float(pcm), voice.sample_rate_hz, PIPELINE_RATE_HZ)

    report = json.dumps(measure(speak), indent=2)
    print(report)
    if out is not None:
        out.write_text(report + "\n", encoding="utf-8")
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``bench-echo`` command's arguments."""
    bench = sub.add_parser("bench-echo", help="measure the home device's echo canceller")
    bench.add_argument("--cache-dir", type=Path)
    bench.add_argument("--piper-voice", type=Path, help="a Piper .onnx voice")
    bench.add_argument("--out", type=Path, help="also write the JSON report here")
