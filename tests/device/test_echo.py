"""Echo cancelling (WebRTC AEC3 through pywebrtc-audio) as the device runs it: the speaker
hands what it will play (22.05 kHz, in blocks, ahead of time) to the reference, the
microphone hears it back through a simulated room, 60 ms late, with reflections, and its
frames arrive later still; the person speaks over it. Both sides carry audio-clock times."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from voice.audio.endpointer import Endpointer, TurnStarted
from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float, rms_dbfs
from voice.audio.resample import resample
from voice.audio.vad import FRAME_BYTES as VAD_FRAME_BYTES
from voice.audio.vad import WebRtcSpeechDetector
from voice.device.echo import EchoCanceller, EchoReference
from voice.device.sound import FRAME_BYTES

SPEAKER_RATE = 22050
BLOCK = 512  # samples the speaker's callback plays at a time
REPLIES = (
    "Thank you for telling me. It sounds like today asked a lot of you. "
    "What helped, even a little, when it was hardest?",
    "I hear you. That sounds like a long day. Would you like to tell me more about the evening?",
    "Good evening. How are you feeling today, compared with yesterday?",
)
PERSON = "Actually, can I say something?"


def _room(far: np.ndarray) -> np.ndarray:
    """The far signal as a microphone a metre away hears it: 60 ms late, -6 dB, with
    80 ms of decaying reflections and a quiet noise floor."""
    rng = np.random.default_rng(5)
    ir = np.zeros(int(0.15 * PIPELINE_RATE_HZ))
    start = int(0.06 * PIPELINE_RATE_HZ)
    taps = int(0.08 * PIPELINE_RATE_HZ)
    ir[start] = 0.5
    ir[start : start + taps] += rng.normal(0, 0.05, taps) * np.exp(-np.arange(taps) / 300)
    heard = np.convolve(far, ir)[: far.size]
    return heard + rng.normal(0, 10 ** (-70 / 20), far.size)


def _through_the_device(far16: np.ndarray, near: np.ndarray) -> np.ndarray:
    """Run the device's order of events on one audio clock: the speaker's callback hands
    over a block 0.3 s before it will be heard (its output buffer), the microphone's
    frames arrive 0.2 s after they were heard (its input buffer), each cleaned against
    what was playing when it was heard."""
    reference = EchoReference()
    canceller = EchoCanceller(reference)
    played = float_to_pcm16(resample(far16, PIPELINE_RATE_HZ, SPEAKER_RATE))
    mic = float_to_pcm16(near.astype(np.float32))
    epoch = 1_796_636_000.0  # PortAudio's clock, as ALSA gives it
    blocks = [(epoch + i / 2 / SPEAKER_RATE, i) for i in range(0, len(played), BLOCK * 2)]
    frames = [(epoch + i / 2 / PIPELINE_RATE_HZ, i) for i in range(0, len(mic), FRAME_BYTES)]
    events = [(at - 0.3, 0, at, i) for at, i in blocks]  # handed over before it plays
    events += [(at + 0.2, 1, at, i) for at, i in frames]  # read after it was heard
    cleaned = bytearray()
    for _now, kind, at, i in sorted(events):
        if kind == 0:
            reference.played(played[i : i + BLOCK * 2], SPEAKER_RATE, at)
        elif i + FRAME_BYTES <= len(mic):
            cleaned.extend(canceller.clean(mic[i : i + FRAME_BYTES], at))
    return pcm16_to_float(bytes(cleaned))


def _turns_started(samples: np.ndarray) -> int:
    """Turns the server's speech detector and endpointer would start on ``samples``."""
    detector, endpointer = WebRtcSpeechDetector(), Endpointer()
    pcm = float_to_pcm16(samples.astype(np.float32))
    started = 0
    for i in range(0, len(pcm) - VAD_FRAME_BYTES + 1, VAD_FRAME_BYTES):
        frame = pcm[i : i + VAD_FRAME_BYTES]
        events = endpointer.process(frame, detector.is_speech(frame))
        started += sum(isinstance(e, TurnStarted) for e in events)
    return started


@pytest.mark.parametrize("text", REPLIES)
def test_the_devices_own_voice_is_taken_out_of_what_its_microphone_hears(
    speak: Callable[[str], bytes], text: str
) -> None:
    reply = pcm16_to_float(speak(text))
    echo = _room(reply)
    cleaned = _through_the_device(reply, echo)
    settled = slice(PIPELINE_RATE_HZ, cleaned.size)  # after the first second
    erle = rms_dbfs(echo[settled].astype(np.float32)) - rms_dbfs(cleaned[settled])
    assert erle > 25.0, f"echo reduced by only {erle:.1f} dB"
    assert _turns_started(echo[settled]) >= 1  # without cancelling, it hears itself speak
    # The canceller settles within the first second; the device listens only after its
    # greeting has been played, and keeps the canceller from one check-in to the next.
    assert _turns_started(cleaned[settled]) == 0


def test_a_person_speaking_over_the_reply_is_still_heard(speak: Callable[[str], bytes]) -> None:
    reply, person = pcm16_to_float(speak(REPLIES[0])), pcm16_to_float(speak(PERSON))
    near = _room(reply)
    at = 3 * PIPELINE_RATE_HZ
    near[at : at + person.size] += 0.7 * person[: near.size - at]
    cleaned = _through_the_device(reply, near)
    assert _turns_started(cleaned[:at]) == 0
    assert _turns_started(cleaned[at:]) == 1  # the person: enough to interrupt the reply
