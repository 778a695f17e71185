"""From a turn's deviations to cues: an activation estimate, its confidence, and a short
plain-language summary of what stands out. Pure.

Cues describe how someone sounds compared with their own usual; they never name a
diagnosis and never state an emotion as fact.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from voice.assets import MODELS_DIR
from voice.errors import ProsodyError
from voice.prosody.baseline import PRIOR_TURNS, Baseline
from voice.prosody.measure import ProsodyFeatures

DEFAULT_WEIGHTS = MODELS_DIR / "cue_weights.json"

MIN_SUMMARY_TURNS = 3
"""No summary until the baseline holds this many turns: too little to know what is usual."""
STANDS_OUT = 1.5
"""A deviation this large (in the person's usual spreads) stands out..."""
STANDS_OUT_EARLY = 2.0
"""...or this large while the baseline is young (fewer than ``SETTLED_TURNS``)."""
SETTLED_TURNS = 8
MAX_SUMMARY_ITEMS = 3
FULL_CONFIDENCE_VOICED_SECONDS = 1.5
"""Less voiced speech than this lowers the confidence proportionally."""

# (measure, said when higher than usual, said when lower). Adjectives come first
# ("slower and quieter than usual"), then the "with ..." phrases.
_ADJECTIVES = (
    ("speaking_rate_words_per_second", "faster", "slower"),
    ("intensity_mean_db", "louder", "quieter"),
    ("pitch_median_hz", "higher-pitched", "lower-pitched"),
)
_PHRASES = (
    ("pitch_movement_semitones_per_second", "more pitch movement", "less pitch movement"),
    ("pause_fraction", "more pauses", "fewer pauses"),
    ("response_latency_seconds", "a longer wait before speaking", "a quicker start"),
)


@dataclass(frozen=True, slots=True)
class CueModel:
    """A logistic model of activation over a few deviations (see ``models/cue_weights.json``).

    ``activation = tanh(w·z / 2)`` is 0 for a turn like the person's usual. ``bias`` is the
    fitted intercept: a turn is classed as high activation when ``w·z + bias > 0``.
    """

    weights: Mapping[str, float]
    bias: float = 0.0
    fitted: Mapping[str, object] = field(default_factory=dict)
    """How the weights were fitted (data, speakers, command), for the record."""

    def score(self, relative: Mapping[str, float]) -> float:
        """The linear score ``w·z`` (missing deviations count as usual, 0)."""
        return sum(w * relative.get(name, 0.0) for name, w in self.weights.items())

    def to_json(self) -> dict[str, object]:
        """The stored form."""
        return {
            "version": 1,
            "weights": {k: round(v, 4) for k, v in self.weights.items()},
            "bias": round(self.bias, 4),
            "fitted": dict(self.fitted),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CueModel:
        """Read the stored form; anything unexpected raises ``ProsodyError``."""
        weights, bias, fitted = data.get("weights"), data.get("bias"), data.get("fitted", {})
        if (
            data.get("version") != 1
            or not isinstance(weights, dict)
            or not all(isinstance(w, int | float) for w in weights.values())
            or not isinstance(bias, int | float)
            or not isinstance(fitted, dict)
        ):
            raise ProsodyError("the cue weights have an unknown format")
        return cls(
            MappingProxyType({str(k): float(v) for k, v in weights.items()}),
            float(bias),
            MappingProxyType(fitted),
        )


@functools.cache
def load_model(path: Path = DEFAULT_WEIGHTS) -> CueModel:
    """The cue model stored at ``path`` (read once per process)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProsodyError(f"the cue weights could not be read from {path}") from exc
    if not isinstance(data, dict):
        raise ProsodyError("the cue weights have an unknown format")
    return CueModel.from_json(data)


@dataclass(frozen=True, slots=True)
class ProsodyCues:
    """How a turn sounded compared with the person's usual."""

    features: ProsodyFeatures
    relative: Mapping[str, float]
    """Deviation of each measure from usual, in the person's usual spreads."""
    activation: float
    """-1 (much calmer, slower, quieter than usual) .. 1 (much more activated)."""
    confidence: float
    """0..1: how much the activation can be trusted (baseline size, speech, measures)."""
    baseline_turns: int
    summary: str
    """What stands out, in plain words; empty when nothing does."""


def compare(features: ProsodyFeatures, baseline: Baseline, model: CueModel) -> ProsodyCues:
    """Compare a turn with the baseline (which should not include it yet)."""
    relative = baseline.compare(features)
    activation = math.tanh(model.score(relative) / 2.0) if relative else 0.0
    return ProsodyCues(
        features=features,
        relative=relative,
        activation=round(activation, 3),
        confidence=round(_confidence(features, baseline.turns, relative, model), 3),
        baseline_turns=baseline.turns,
        summary=summarise(relative, baseline.turns),
    )


def _confidence(
    features: ProsodyFeatures, turns: int, relative: Mapping[str, float], model: CueModel
) -> float:
    total = sum(abs(w) for w in model.weights.values())
    if not relative or total == 0.0:
        return 0.0
    covered = sum(abs(w) for name, w in model.weights.items() if name in relative) / total
    history = turns / (turns + PRIOR_TURNS)
    speech = min(1.0, features.voiced_seconds / FULL_CONFIDENCE_VOICED_SECONDS)
    return covered * history * speech


def summarise(relative: Mapping[str, float], baseline_turns: int) -> str:
    """A short description of only what stands out, e.g. "slower and quieter than usual,
    with less pitch movement"; empty when nothing does or the baseline is too young."""
    if baseline_turns < MIN_SUMMARY_TURNS:
        return ""
    threshold = STANDS_OUT if baseline_turns >= SETTLED_TURNS else STANDS_OUT_EARLY
    found: list[tuple[float, bool, str]] = []  # (|z|, is an adjective, words)
    for group, is_adjective in ((_ADJECTIVES, True), (_PHRASES, False)):
        for name, higher, lower in group:
            z = relative.get(name, 0.0)
            if abs(z) >= threshold:
                found.append((abs(z), is_adjective, higher if z > 0 else lower))
    found = sorted(found, key=lambda item: -item[0])[:MAX_SUMMARY_ITEMS]
    adjectives = [words for _, adjective, words in found if adjective]
    phrases = [words for _, adjective, words in found if not adjective]
    if adjectives and phrases:
        return f"{_join(adjectives)} than usual, with {_join(phrases)}"
    if adjectives:
        return f"{_join(adjectives)} than usual"
    if phrases:
        return f"with {_join(phrases)} than usual"
    return ""


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
