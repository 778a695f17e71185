"""Cues: summaries of only what stands out, activation and confidence, the weights file."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from synthetic_voice import RATE_HZ, words  # type: ignore[import-not-found]

from voice.errors import ProsodyError
from voice.prosody.baseline import COMPARED, Baseline
from voice.prosody.cues import (
    DEFAULT_WEIGHTS,
    MIN_SUMMARY_TURNS,
    CueModel,
    compare,
    load_model,
    summarise,
)
from voice.prosody.measure import ProsodyFeatures, measure, with_words

MODEL = load_model()


def _turn(*, gap_seconds: float, peak: float, f0_hz: float = 150.0) -> ProsodyFeatures:
    """Five voiced words as a measured turn (five words in the transcript)."""
    signal = words(5, gap_seconds=gap_seconds, peak=peak, f0_hz=f0_hz)
    return with_words(measure(signal, RATE_HZ), word_count=5, response_latency_seconds=None)


def _usual_baseline() -> Baseline:
    baseline = Baseline()
    for gap, peak, f0 in ((0.06, 0.30, 150.0), (0.08, 0.27, 147.0), (0.05, 0.33, 153.0)):
        baseline = baseline.add(_turn(gap_seconds=gap, peak=peak, f0_hz=f0))
    return baseline.add(_turn(gap_seconds=0.07, peak=0.30, f0_hz=150.0))


def test_a_quieter_slower_turn_is_described_and_a_usual_one_is_not() -> None:
    baseline = _usual_baseline()
    assert baseline.turns == 4
    low = compare(_turn(gap_seconds=0.6, peak=0.07), baseline, MODEL)  # -13 dB, long gaps
    assert low.summary == "slower and quieter than usual, with more pauses"
    assert low.relative["intensity_mean_db"] < -2.0
    assert low.relative["speaking_rate_words_per_second"] < -2.0
    assert low.activation < -0.5
    assert low.baseline_turns == 4
    usual = compare(_turn(gap_seconds=0.07, peak=0.31, f0_hz=151.0), baseline, MODEL)
    assert usual.summary == ""
    assert abs(usual.activation) < 0.3
    high = compare(_turn(gap_seconds=0.05, peak=0.95, f0_hz=190.0), baseline, MODEL)
    assert high.summary == "louder and higher-pitched than usual"
    assert high.activation > 0.5


def test_no_summary_and_no_confidence_without_a_baseline() -> None:
    cues = compare(_turn(gap_seconds=0.6, peak=0.07), Baseline(), MODEL)
    assert cues.relative == {} and cues.summary == "" and cues.baseline_turns == 0
    assert cues.activation == 0.0 and cues.confidence == 0.0


def test_a_young_baseline_says_nothing_then_only_what_is_far_from_usual() -> None:
    far = {"intensity_mean_db": -2.5}
    near = {"intensity_mean_db": -1.7}
    assert summarise(far, MIN_SUMMARY_TURNS - 1) == ""
    assert summarise(far, MIN_SUMMARY_TURNS) == "quieter than usual"
    assert summarise(near, MIN_SUMMARY_TURNS) == ""  # 1.7 is not far enough yet...
    assert summarise(near, 20) == "quieter than usual"  # ...but is once usual is known


def test_confidence_grows_with_the_baseline_and_with_speech() -> None:
    turn = _turn(gap_seconds=0.3, peak=0.2)
    young = compare(turn, _usual_baseline(), MODEL)
    older = _usual_baseline()
    for _ in range(12):
        older = older.add(_turn(gap_seconds=0.07, peak=0.3))
    assert 0.0 < young.confidence < compare(turn, older, MODEL).confidence <= 1.0
    short = with_words(
        measure(words(1, gap_seconds=0.0, peak=0.2), RATE_HZ),
        word_count=1,
        response_latency_seconds=None,
    )
    assert compare(short, older, MODEL).confidence < compare(turn, older, MODEL).confidence


@pytest.mark.parametrize(
    ("relative", "summary"),
    [
        ({}, ""),
        ({"hnr_db": -4.0, "jitter_percent": 4.0}, ""),  # voice quality is not summarised
        ({"pitch_movement_semitones_per_second": -2.2}, "with less pitch movement than usual"),
        (
            {"speaking_rate_words_per_second": -3.0, "intensity_mean_db": -2.0},
            "slower and quieter than usual",
        ),
        (
            {
                "speaking_rate_words_per_second": -2.1,
                "intensity_mean_db": -2.4,
                "pitch_movement_semitones_per_second": -3.0,
            },
            "quieter and slower than usual, with less pitch movement",
        ),
        (
            {
                "speaking_rate_words_per_second": 1.6,
                "pitch_median_hz": 3.0,
                "intensity_mean_db": 2.0,
                "pause_fraction": -4.0,
                "response_latency_seconds": 5.0,
            },
            # Only the three largest: louder (2.0) and faster (1.6) are left out.
            "higher-pitched than usual, with a longer wait before speaking and fewer pauses",
        ),
    ],
)
def test_summaries_say_the_largest_few_in_plain_words(
    relative: dict[str, float], summary: str
) -> None:
    assert summarise(relative, 30) == summary


def test_no_summary_names_an_emotion_or_a_condition() -> None:
    names = list(COMPARED)
    said = {
        summarise(dict(zip(combo, signs, strict=True)), 30)
        for size in (1, 2, 3)
        for combo in itertools.combinations(names, size)
        for signs in itertools.product((-3.0, 3.0), repeat=size)
    }
    words_said = {word.strip(",") for text in said for word in text.split()}
    forbidden = {"sad", "depressed", "anxious", "angry", "happy", "tired", "stressed", "manic"}
    assert not words_said & forbidden
    assert len(said) > 20


def test_the_shipped_weights_say_how_they_were_fitted() -> None:
    model = load_model(DEFAULT_WEIGHTS)
    assert set(model.weights) <= set(COMPARED)
    assert model.weights["intensity_mean_db"] > 0  # louder is more activated
    fitted = model.fitted
    assert fitted["train_speakers"] and "voice eval-cues" in str(fitted["command"])


def test_weights_round_trip_and_bad_files_are_refused(tmp_path: Path) -> None:
    model = CueModel({"intensity_mean_db": 0.5}, -0.25, {"train_speakers": ["a"]})
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(model.to_json()))
    assert load_model(path) == model
    for text in ("{", "[]", '{"version": 1, "weights": {"x": "1"}, "bias": 0}'):
        bad = tmp_path / f"bad{len(text)}.json"
        bad.write_text(text)
        with pytest.raises(ProsodyError):
            load_model(bad)
