"""``voice eval-cues``: scoring, fitting and splitting on made-up deviations, and a run on
a handful of real recordings from ../shared/data when it is there."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from paths import SHARED_DATA  # type: ignore[import-not-found]

from voice.cli import main
from voice.errors import ProsodyError
from voice.prosody.baseline import Baseline
from voice.prosody.cues import CueModel
from voice.prosody.measure import ProsodyFeatures
from voice.tools.cue_eval import (
    MODEL_FEATURES,
    Clip,
    Scored,
    fit,
    leave_one_speaker_out,
    read_manifest,
    report,
    score_against_neutral,
)

EMOTION = SHARED_DATA / "emotion"


def _items(seed: int = 0) -> list[Scored]:
    """Three speakers; high activation is louder and faster, with noise."""
    rng = np.random.default_rng(seed)
    items = []
    for speaker in ("a", "b", "c"):
        for label, shift in (("angry", 1.5), ("happy", 1.2), ("sad", -0.8), ("calm", -0.3)):
            for _ in range(6):
                relative = {
                    "intensity_mean_db": shift + rng.normal(0, 0.7),
                    "speaking_rate_words_per_second": shift / 2 + rng.normal(0, 0.7),
                    "pitch_median_hz": rng.normal(0, 1),
                }
                items.append(Scored(Clip(Path(f"{speaker}.wav"), label, speaker), relative))
    return items


def test_fit_finds_the_direction_and_report_counts_every_clip() -> None:
    items = _items()
    weights, bias = fit(items)
    assert set(weights) == set(MODEL_FEATURES)
    assert weights["intensity_mean_db"] > 0.5
    assert weights["speaking_rate_words_per_second"] > 0.2
    assert abs(weights["pitch_median_hz"]) < 0.3  # noise gets little weight
    result = report(CueModel(weights, bias), items)
    assert result["n"] == 72 and result["counts"] == {"high": 36, "low": 36}
    confusion = result["confusion"]
    assert isinstance(confusion, dict)
    assert sum(sum(row.values()) for row in confusion.values()) == 72
    assert isinstance(result["balanced_accuracy"], float) and result["balanced_accuracy"] > 0.85


def test_balanced_accuracy_is_the_mean_of_the_two_recalls() -> None:
    items = _items()[:24]  # speaker a: 12 high, 12 low
    always_high = report(CueModel({}, 1.0), items)
    assert always_high["balanced_accuracy"] == 0.5
    assert always_high["confusion"] == {
        "high": {"high": 12, "low": 0},
        "low": {"high": 12, "low": 0},
    }


def test_leave_one_speaker_out_predicts_each_speaker_with_a_model_fitted_without_them() -> None:
    result = leave_one_speaker_out(_items(1))
    assert result["n"] == 72
    assert set(result["per_speaker"]) == {"a", "b", "c"}  # type: ignore[arg-type]
    assert isinstance(result["balanced_accuracy"], float) and result["balanced_accuracy"] > 0.8


def test_fit_needs_both_classes() -> None:
    with pytest.raises(ProsodyError):
        fit([item for item in _items() if item.truth == "high"])


def test_each_speaker_is_compared_with_their_own_neutral_clips() -> None:
    def turn(db: float) -> ProsodyFeatures:
        return ProsodyFeatures(2.0, 1.0, *[None] * 4, db, *[None] * 5, 0, None, None)

    clips = [
        Clip(Path("1.wav"), "neutral", "low_voice"),
        Clip(Path("2.wav"), "neutral", "low_voice"),
        Clip(Path("3.wav"), "angry", "low_voice"),
        Clip(Path("4.wav"), "neutral", "loud_voice"),
        Clip(Path("5.wav"), "sad", "loud_voice"),
        Clip(Path("6.wav"), "disgust", "loud_voice"),  # neither high nor low: not scored
        Clip(Path("7.wav"), "calm", "no_neutral"),  # no baseline: not scored
    ]
    features = [turn(db) for db in (50.0, 52.0, 58.0, 75.0, 70.0, 75.0, 60.0)]
    scored = score_against_neutral(clips, features)
    assert [s.clip.path.name for s in scored] == ["3.wav", "5.wav"]
    expected = Baseline().add(features[0]).add(features[1]).compare(features[2])
    assert scored[0].relative == expected
    assert scored[0].relative["intensity_mean_db"] > 0 > scored[1].relative["intensity_mean_db"]


def test_read_manifest_resolves_files_next_to_it(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,label,speaker,text\naudio/x.wav,sad,s1,hello there\n")
    assert read_manifest(manifest) == [
        Clip(tmp_path / "audio" / "x.wav", "sad", "s1", "hello there")
    ]
    manifest.write_text("path,emotion\nx.wav,sad\n")
    with pytest.raises(ProsodyError):
        read_manifest(manifest)


@pytest.mark.shared_data
def test_eval_cues_on_a_handful_of_real_recordings_of_unseen_speakers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = EMOTION / "manifest.csv"
    with source.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Two speakers the shipped weights were not fitted on: their neutral clips for the
    # baseline and the first two clips of each high and low label, in manifest order.
    picked = []
    for speaker in ("ravdess_actor04", "ravdess_actor05"):
        mine = [r for r in rows if r["speaker"] == speaker]
        picked += [r for r in mine if r["label"] == "neutral"]
        for label in ("angry", "fearful", "happy", "surprised", "sad", "calm"):
            picked += [r for r in mine if r["label"] == label][:2]
    small = tmp_path / "manifest.csv"
    with small.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in picked:
            writer.writerow({**row, "file": str(EMOTION / row["file"])})

    assert main(["eval-cues", str(small)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["unseen_speakers"] is True
    assert result["n"] == 24 and result["counts"] == {"high": 16, "low": 8}
    assert result["speakers"] == ["ravdess_actor04", "ravdess_actor05"]
    assert 0.0 < result["ms_per_clip"] < 1000.0
    assert result["balanced_accuracy"] >= 0.7
