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
from voice.device.echo import EchoCanceller, EchoReference
from voice.tools.bench_echo import REPLIES, room, through_the_device, turns_started

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
