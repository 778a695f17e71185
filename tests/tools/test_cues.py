"""``voice cues FILE.wav``: the features and cues of a recording, against a baseline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from synthetic_voice import RATE_HZ, pcm, silence, words  # type: ignore[import-not-found]

from voice.audio.pcm import pcm16_to_float, write_wav
from voice.cli import main
from voice.prosody.baseline import Baseline, BaselineStore
from voice.prosody.measure import measure, with_words

SAID = "hello there how are you"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["cues", *args]) == 0
    result = json.loads(capsys.readouterr().out)
    assert isinstance(result, dict)
    return result


def test_cues_of_a_recording_against_a_stored_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usual = Baseline()
    for peak in (0.27, 0.3, 0.33, 0.3):
        signal = words(5, gap_seconds=0.07, peak=peak, f0_hz=150.0)
        measured = measure(signal, RATE_HZ)
        usual = usual.add(with_words(measured, word_count=5, response_latency_seconds=None))
    store = BaselineStore(tmp_path / "baselines")
    store.save("maria_01", usual)
    quiet = tmp_path / "today.wav"
    # At 48 kHz, to check that the recording is resampled first.
    signal = np.repeat(words(5, gap_seconds=0.6, peak=0.07, f0_hz=150.0), 3)
    write_wav(quiet, pcm(signal), 3 * RATE_HZ)

    result = _run(capsys, str(quiet), "--text", SAID, "--baseline", str(store.path("maria_01")))
    assert result["baseline_turns"] == 4
    assert result["summary"] == "slower and quieter than usual, with more pauses"
    assert isinstance(result["activation"], float) and result["activation"] < -0.5
    features = result["features"]
    assert isinstance(features, dict)
    assert features["pause_count"] == 4
    assert features["pitch_median_hz"] == pytest.approx(150.0, rel=0.02)

    alone = _run(capsys, str(quiet), "--text", SAID)
    assert alone["baseline_turns"] == 0 and alone["summary"] == "" and alone["relative"] == {}


def test_a_missing_recording_is_a_plain_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cues", str(tmp_path / "nothing.wav"), "--text", "hi"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.real_models
def test_cues_with_a_folder_of_usual_recordings_transcribed_by_whisper(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], speak: Callable[[str], bytes]
) -> None:
    usual = tmp_path / "usual"
    usual.mkdir()
    sentences = (
        "I had a good day at work today.",
        "The weather was nice so I went for a walk.",
        "I called my sister in the evening.",
    )
    for i, sentence in enumerate(sentences):
        write_wav(usual / f"{i}.wav", speak(sentence), RATE_HZ)
    today = pcm16_to_float(speak("I stayed at home and did not do very much."))
    half = today.size // 2
    slow_quiet = 0.2 * np.concatenate([today[:half], silence(0.8), today[half:]])
    write_wav(tmp_path / "today.wav", pcm(slow_quiet), RATE_HZ)

    result = _run(capsys, str(tmp_path / "today.wav"), "--baseline", str(usual))
    assert result["baseline_turns"] == 3
    relative = result["relative"]
    assert isinstance(relative, dict)
    assert relative["intensity_mean_db"] < -3.0  # 14 dB quieter
    assert abs(relative["pitch_median_hz"]) < 1.5  # the same voice
    features = result["features"]
    assert isinstance(features, dict) and features["speaking_rate_words_per_second"] > 0
    assert "quieter" in str(result["summary"])
