"""The per-person baseline: robust deviations, caution while young, and its file."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from pathlib import Path

import pytest

from voice.errors import ProsodyError
from voice.prosody.baseline import COMPARED, MAX_DEVIATION, MAX_TURNS, Baseline, BaselineStore
from voice.prosody.measure import ProsodyFeatures

USUAL = ProsodyFeatures(
    speech_seconds=3.0,
    voiced_seconds=1.8,
    pitch_median_hz=180.0,
    pitch_sd_semitones=2.0,
    pitch_range_semitones=7.0,
    pitch_movement_semitones_per_second=15.0,
    intensity_mean_db=65.0,
    intensity_sd_db=6.0,
    jitter_percent=1.5,
    shimmer_percent=8.0,
    hnr_db=12.0,
    spectral_tilt_db=-15.0,
    pause_count=1,
    pause_mean_seconds=0.4,
    pause_fraction=0.1,
    speaking_rate_words_per_second=3.0,
    articulation_rate_words_per_second=3.4,
    response_latency_seconds=1.0,
)


def _turn(**changes: float | None) -> ProsodyFeatures:
    return dataclasses.replace(USUAL, **changes)  # type: ignore[arg-type]


def _usual_turns(n: int) -> Baseline:
    """n turns that vary a little, as real ones do."""
    baseline = Baseline()
    for i in range(n):
        wobble = (-1.0, 0.0, 1.0)[i % 3]
        baseline = baseline.add(
            _turn(
                intensity_mean_db=65.0 + wobble,
                pitch_median_hz=180.0 * 2 ** (0.5 * wobble / 12),
                speaking_rate_words_per_second=3.0 + 0.1 * wobble,
            )
        )
    return baseline


def test_an_empty_baseline_compares_nothing() -> None:
    assert Baseline().compare(USUAL) == {}
    assert Baseline().turns == 0


def test_a_usual_turn_is_near_zero_and_a_quieter_slower_one_is_not() -> None:
    baseline = _usual_turns(6)
    usual = baseline.compare(_turn(intensity_mean_db=65.5))
    assert set(usual) == set(COMPARED)
    assert all(abs(z) < 0.5 for z in usual.values())
    low = baseline.compare(_turn(intensity_mean_db=57.0, speaking_rate_words_per_second=2.2))
    assert low["intensity_mean_db"] < -2.5
    assert low["speaking_rate_words_per_second"] < -2.5
    assert abs(low["pitch_median_hz"]) < 0.5


def test_pitch_is_compared_in_semitones() -> None:
    baseline = _usual_turns(6)
    # An octave up is the same deviation for a low voice and a high one.
    low_voice = Baseline()
    for _ in range(6):
        low_voice = low_voice.add(_turn(pitch_median_hz=90.0))
    high_voice = Baseline()
    for _ in range(6):
        high_voice = high_voice.add(_turn(pitch_median_hz=240.0))
    up_low = low_voice.compare(_turn(pitch_median_hz=95.0))["pitch_median_hz"]
    up_high = high_voice.compare(_turn(pitch_median_hz=240.0 * 95 / 90))["pitch_median_hz"]
    assert up_low == pytest.approx(up_high, abs=1e-3)
    assert baseline.compare(_turn(pitch_median_hz=None)).get("pitch_median_hz") is None


def test_few_turns_mean_caution_many_steady_turns_mean_precision() -> None:
    steady = Baseline()
    for _ in range(30):
        steady = steady.add(USUAL)
    young = Baseline().add(USUAL)
    quieter = _turn(intensity_mean_db=61.0)
    assert abs(young.compare(quieter)["intensity_mean_db"]) < abs(
        steady.compare(quieter)["intensity_mean_db"]
    )


def test_deviations_are_clipped_and_one_odd_turn_does_not_move_the_centre() -> None:
    baseline = _usual_turns(8).add(_turn(intensity_mean_db=20.0))  # one odd turn
    assert abs(baseline.compare(_turn(intensity_mean_db=65.0))["intensity_mean_db"]) < 0.5
    assert baseline.compare(_turn(intensity_mean_db=0.0))["intensity_mean_db"] == -MAX_DEVIATION


def test_only_recent_turns_are_kept() -> None:
    baseline = Baseline()
    for i in range(MAX_TURNS + 20):
        baseline = baseline.add(_turn(intensity_mean_db=float(i)))
    assert baseline.turns == MAX_TURNS
    assert len(baseline.history["intensity_mean_db"]) == MAX_TURNS
    assert baseline.history["intensity_mean_db"][0] == 20.0


def test_json_round_trip_drops_unknown_measures_and_refuses_bad_data() -> None:
    baseline = _usual_turns(4)
    data = json.loads(json.dumps(baseline.to_json()))
    assert Baseline.from_json(data) == baseline
    data["history"]["some_future_measure"] = [1.0]
    assert Baseline.from_json(data) == baseline
    for bad in (
        {},
        {**data, "version": 2},
        {**data, "turns": "4"},
        {**data, "history": {"hnr_db": ["x"]}},
        {**data, "history": {"hnr_db": [True]}},
    ):
        with pytest.raises(ProsodyError):
            Baseline.from_json(bad)


def test_store_round_trip_is_atomic_and_private(tmp_path: Path) -> None:
    store = BaselineStore(tmp_path / "baselines")
    assert store.load("maria_01") == Baseline()  # a new person
    baseline = _usual_turns(5)
    store.save("maria_01", baseline)
    store.save("maria_01", baseline.add(USUAL))
    assert store.load("maria_01") == baseline.add(USUAL)
    assert sorted(p.name for p in store.directory.iterdir()) == ["maria_01.json"]  # no temp
    mode = stat.S_IMODE(os.stat(store.path("maria_01")).st_mode)
    assert mode & 0o077 == 0  # health data: owner only
    assert json.loads(store.path("maria_01").read_text())["turns"] == 6


def test_store_refuses_a_corrupt_file(tmp_path: Path) -> None:
    store = BaselineStore(tmp_path)
    store.path("bob").write_text("{not json")
    with pytest.raises(ProsodyError):
        store.load("bob")
    store.path("bob").write_text("[1, 2]")
    with pytest.raises(ProsodyError):
        store.load("bob")
