"""Echo cancelling (WebRTC AEC3 through pywebrtc-audio) as the device runs it, in the room
and order of events of ``voice bench-echo``: the speaker hands what it will play (22.05
kHz, in blocks, ahead of time) to the reference, the microphone hears it back 60 ms late
with reflections, and its frames arrive later still; the person speaks over it. Both sides
carry audio-clock times."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from voice.audio.pcm import PIPELINE_RATE_HZ, pcm16_to_float, rms_dbfs
from voice.device.echo import AudioClock, EchoCanceller, EchoReference
from voice.tools.bench_echo import JITTER_S, REPLIES, room, through_the_device, turns_started

PERSON = "Actually, can I say something?"


@pytest.mark.parametrize("text", REPLIES)
def test_the_devices_own_voice_is_taken_out_of_what_its_microphone_hears(
    speak: Callable[[str], bytes], text: str
) -> None:
    reply = pcm16_to_float(speak(text))
    echo = room(reply)
    cleaned = through_the_device(reply, echo, EchoCanceller(EchoReference()))
    settled = slice(PIPELINE_RATE_HZ, cleaned.size)  # after the first second
    reduction = rms_dbfs(echo[settled].astype(np.float32)) - rms_dbfs(cleaned[settled])
    assert reduction > 30.0, f"echo reduced by only {reduction:.1f} dB"
    assert turns_started(echo[settled]) >= 1  # without cancelling, it hears itself speak
    # The canceller settles within the first second; the device listens only after its
    # greeting has been played, and keeps the canceller from one check-in to the next.
    assert turns_started(cleaned[settled]) == 0


def test_a_person_speaking_over_the_reply_is_still_heard(speak: Callable[[str], bytes]) -> None:
    reply, person = pcm16_to_float(speak(REPLIES[0])), pcm16_to_float(speak(PERSON))
    near = room(reply)
    at = 3 * PIPELINE_RATE_HZ
    near[at : at + person.size] += 0.7 * person[: near.size - at]
    cleaned = through_the_device(reply, near, EchoCanceller(EchoReference()))
    assert turns_started(cleaned[:at]) == 0
    assert turns_started(cleaned[at:]) == 1  # the person: enough to interrupt the reply


def test_a_reference_out_of_step_with_the_microphone_cancels_nothing(
    speak: Callable[[str], bytes],
) -> None:
    """Why the clock matters: the same reference half a second late (as a plain queue
    of what was played would be through ALSA's buffers) leaves the echo as it was."""
    reply = pcm16_to_float(speak(REPLIES[0]))
    late = np.concatenate([np.zeros(PIPELINE_RATE_HZ // 2), reply])[: reply.size]
    canceller = EchoCanceller(EchoReference(), silence_remains=False)
    cleaned = through_the_device(late, room(reply), canceller)
    settled = slice(PIPELINE_RATE_HZ, cleaned.size)
    reduction = rms_dbfs(room(reply)[settled].astype(np.float32)) - rms_dbfs(cleaned[settled])
    assert reduction < 10.0


def test_jittering_times_from_the_sound_system_are_smoothed_and_the_echo_still_goes(
    speak: Callable[[str], bytes],
) -> None:
    """The times the sound system reports for each block are off by up to 20 ms on a busy
    machine; taken as they are, the reference skips and repeats and the echo stays."""
    reply = pcm16_to_float(speak(REPLIES[0]))
    echo = room(reply)
    settled = slice(PIPELINE_RATE_HZ, reply.size)
    before = rms_dbfs(echo[settled].astype(np.float32))
    reductions = {}
    for smoothed in (False, True):
        canceller = EchoCanceller(EchoReference())
        cleaned = through_the_device(reply, echo, canceller, jitter_s=JITTER_S, smoothed=smoothed)
        reductions[smoothed] = before - rms_dbfs(cleaned[settled])
        if smoothed:
            assert turns_started(cleaned[settled]) == 0
    assert reductions[False] < 10.0, reductions
    assert reductions[True] > 30.0, reductions


def test_the_audio_clock_follows_the_sample_count_not_each_report() -> None:
    rng = np.random.default_rng(1)
    clock = AudioClock(16000)
    stamps = [clock.stamp(100.0 + i * 0.02 + rng.uniform(-0.02, 0.02), 320) for i in range(500)]
    steps = np.diff(stamps[100:])
    assert np.all(np.abs(steps - 0.02) < 0.003)  # within 3 ms of a frame's length
    assert abs(stamps[-1] - (100.0 + 499 * 0.02)) < 0.01
    # A stream that starts again (its clock jumped) is placed at its new time at once.
    assert clock.stamp(500.0, 320) == 500.0
    assert abs(clock.stamp(500.02, 320) - 500.02) < 1e-9


def test_the_reference_is_taken_without_gaps_unless_the_time_strays_far() -> None:
    reference = EchoReference()
    pcm = np.arange(16000, dtype="<i2").tobytes()  # one second, each sample its index
    reference.played(pcm, 16000, 10.0)
    first = np.frombuffer(reference.take(640, 10.1), "<i2")
    second = np.frombuffer(reference.take(640, 10.1 + 0.02 + 0.015), "<i2")  # 15 ms late
    assert first[0] == 1600 and second[0] == 1920  # right after the first: no gap
    third = np.frombuffer(reference.take(640, 10.5), "<i2")  # far off: its own time
    assert third[0] == 8000
