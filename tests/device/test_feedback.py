"""The device's own words, in the local Piper voice: what a person hears when the
connection drops or the microphone goes, checked by ear (Whisper)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float
from voice.audio.resample import resample
from voice.device.feedback import EARCON_RATE_HZ, Cue, Say, earcon, piper_phrases
from voice.engines.factory import model_path
from voice.engines.workers import Engines
from voice.settings import Settings
from voice.tools.measures import word_error_rate


@pytest.mark.parametrize("what", [Say.CONNECTION_LOST, Say.MICROPHONE_LOST, Say.INVITATION])
def test_the_device_says_what_happened_in_words(
    settings: Settings, engines: Engines, what: Say
) -> None:
    phrases = piper_phrases(model_path(settings, "tts"))
    pcm, rate = phrases.audio(what)
    assert phrases.audio(what) == (pcm, rate)  # made once
    heard = resample(pcm16_to_float(pcm), rate, PIPELINE_RATE_HZ)
    words = asyncio.run(engines.transcribe(float_to_pcm16(heard), partial=False))
    assert word_error_rate(what.value, words.value.text) <= 0.2


def test_without_a_voice_the_device_still_makes_a_sound(tmp_path: Path) -> None:
    phrases = piper_phrases(tmp_path / "missing.onnx")
    assert phrases.audio(Say.CONNECTION_LOST) == (earcon(Cue.ERROR), EARCON_RATE_HZ)
