"""Measuring the activation cue on labelled recordings, and fitting its few weights.

Each speaker's baseline is built from their neutral clips only, exactly as a person's
baseline is built from their usual turns; their other clips are then scored as high
activation (angry, fearful, happy, surprised) or low (sad, calm). The cores here are
pure; ``voice/cli_cues.py`` reads the files and prints.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from voice.errors import ProsodyError
from voice.prosody.baseline import Baseline
from voice.prosody.cues import CueModel
from voice.prosody.measure import ProsodyFeatures

HIGH_LABELS = frozenset({"angry", "fearful", "happy", "surprised"})
LOW_LABELS = frozenset({"sad", "calm"})
BASELINE_LABEL = "neutral"
CLASSES = ("high", "low")

MODEL_FEATURES = (
    "intensity_mean_db",
    "pitch_median_hz",
    "pitch_movement_semitones_per_second",
    "spectral_tilt_db",
    "speaking_rate_words_per_second",
)
"""Chosen before fitting, from what is known to carry vocal arousal: loudness, pitch level,
pitch movement, spectral balance (vocal effort) and rate."""
L2_PENALTY = 1.0


@dataclass(frozen=True, slots=True)
class Clip:
    """One row of a manifest: a recording, its label and speaker, and its words if known."""

    path: Path
    label: str
    speaker: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Scored:
    """A clip compared with its speaker's neutral baseline."""

    clip: Clip
    relative: Mapping[str, float]

    @property
    def truth(self) -> str:
        """``high`` or ``low``."""
        return "high" if self.clip.label in HIGH_LABELS else "low"


def read_manifest(path: Path) -> list[Clip]:
    """Rows of a CSV with columns ``file`` (relative to the CSV), ``label``, ``speaker``
    and optionally ``text``."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ProsodyError(f"could not read the manifest {path}") from exc
    if rows and not {"file", "label", "speaker"} <= set(rows[0]):
        raise ProsodyError("the manifest needs the columns file, label and speaker")
    return [
        Clip(path.parent / row["file"], row["label"], row["speaker"], row.get("text") or None)
        for row in rows
    ]


def is_used(clip: Clip) -> bool:
    """Whether the evaluation needs this clip (baseline or scored)."""
    return clip.label in HIGH_LABELS | LOW_LABELS or clip.label == BASELINE_LABEL


def score_against_neutral(
    clips: Sequence[Clip], features: Sequence[ProsodyFeatures]
) -> list[Scored]:
    """Per speaker: a baseline from the neutral clips, then each high or low clip's
    deviations from it. Speakers without neutral clips are skipped."""
    baselines: dict[str, Baseline] = {}
    for clip, measured in zip(clips, features, strict=True):
        if clip.label == BASELINE_LABEL:
            baselines[clip.speaker] = baselines.get(clip.speaker, Baseline()).add(measured)
    return [
        Scored(clip, baselines[clip.speaker].compare(measured))
        for clip, measured in zip(clips, features, strict=True)
        if clip.label in HIGH_LABELS | LOW_LABELS and clip.speaker in baselines
    ]


def predict(model: CueModel, item: Scored) -> str:
    """``high`` when the model's score plus its intercept is positive."""
    return "high" if model.score(item.relative) + model.bias > 0.0 else "low"


def report(model: CueModel, items: Sequence[Scored]) -> dict[str, object]:
    """Balanced accuracy, counts and the confusion matrix (rows: truth, columns: predicted)."""
    confusion = _confusion([(item.truth, predict(model, item)) for item in items])
    return {
        "balanced_accuracy": _balanced_accuracy(confusion),
        "n": len(items),
        "counts": {c: sum(confusion[c].values()) for c in CLASSES},
        "confusion": confusion,
        "speakers": sorted({item.clip.speaker for item in items}),
    }


def _confusion(pairs: Sequence[tuple[str, str]]) -> dict[str, dict[str, int]]:
    confusion = {t: dict.fromkeys(CLASSES, 0) for t in CLASSES}
    for truth, predicted in pairs:
        confusion[truth][predicted] += 1
    return confusion


def _balanced_accuracy(confusion: Mapping[str, Mapping[str, int]]) -> float | None:
    """The mean of the per-class recalls (classes with no clips are left out)."""
    recalls = [row[c] / sum(row.values()) for c, row in confusion.items() if sum(row.values())]
    return round(float(np.mean(recalls)), 4) if recalls else None


def fit(items: Sequence[Scored], *, l2: float = L2_PENALTY) -> tuple[dict[str, float], float]:
    """Logistic regression of high (1) vs low (0) on ``MODEL_FEATURES``, classes weighted
    equally, a ridge penalty on the weights (not the intercept), fitted by Newton's method."""
    x = np.array([[item.relative.get(n, 0.0) for n in MODEL_FEATURES] for item in items])
    y = np.array([item.truth == "high" for item in items], dtype=np.float64)
    if y.min() == y.max():
        raise ProsodyError("fitting needs clips of both classes")
    weight = np.where(y == 1.0, 0.5 / y.mean(), 0.5 / (1.0 - y.mean()))
    design = np.hstack([x, np.ones((len(items), 1))])
    penalty = np.diag([l2] * len(MODEL_FEATURES) + [0.0])
    beta = np.zeros(design.shape[1])
    for _ in range(50):
        p = _sigmoid(design @ beta)
        gradient = design.T @ (weight * (p - y)) + penalty @ beta
        hessian = (design * (weight * p * (1.0 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    weights = {name: float(b) for name, b in zip(MODEL_FEATURES, beta[:-1], strict=True)}
    return weights, float(beta[-1])


def _sigmoid(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-np.clip(v, -30.0, 30.0)))


def leave_one_speaker_out(items: Sequence[Scored]) -> dict[str, object]:
    """For each speaker, fit on all the others and predict that one; the pooled report of
    those held-out predictions, and each speaker's balanced accuracy."""
    speakers = sorted({item.clip.speaker for item in items})
    pooled: list[tuple[str, str]] = []  # (truth, prediction)
    per_speaker: dict[str, float | None] = {}
    for speaker in speakers:
        weights, bias = fit([item for item in items if item.clip.speaker != speaker])
        model = CueModel(weights, bias)
        mine = [item for item in items if item.clip.speaker == speaker]
        own = [(item.truth, predict(model, item)) for item in mine]
        per_speaker[speaker] = _balanced_accuracy(_confusion(own))
        pooled += own
    confusion = _confusion(pooled)
    return {
        "balanced_accuracy": _balanced_accuracy(confusion),
        "n": len(pooled),
        "confusion": confusion,
        "per_speaker": per_speaker,
    }
