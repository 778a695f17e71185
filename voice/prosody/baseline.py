"""A person's usual voice: robust statistics over their recent turns, and how far a new
turn lies from them.

``Baseline`` is pure and immutable: ``compare(features)`` gives each measure's deviation
(a robust z-score), ``add(features)`` returns the baseline with the turn included.
``BaselineStore`` keeps one JSON file per person under the data directory.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

import numpy as np
import numpy.typing as npt

from voice.errors import ProsodyError
from voice.prosody.measure import ProsodyFeatures

MAX_TURNS = 100
"""Only this many recent turns are kept, so the baseline follows slow change."""
PRIOR_TURNS = 4.0
"""Weight, in turns, of the typical spread (below) against the person's own: with few
turns their spread is mostly the typical one, with many it is their own."""
MAX_DEVIATION = 5.0
"""Deviations are clipped here: beyond it the measure is simply far from usual."""


@dataclass(frozen=True, slots=True)
class _Compared:
    """How one measure is compared: on what scale, and its typical turn-to-turn spread."""

    semitones: bool
    """Compare on a log scale (12 log2 of the value): pitch is heard that way."""
    typical_spread: float
    """A person's usual turn-to-turn spread in the compared unit (a prior, not a norm:
    no one is ever compared with other people's average)."""


COMPARED: Mapping[str, _Compared] = MappingProxyType(
    {
        "pitch_median_hz": _Compared(True, 1.5),
        "pitch_sd_semitones": _Compared(False, 0.6),
        "pitch_range_semitones": _Compared(False, 2.0),
        "pitch_movement_semitones_per_second": _Compared(False, 4.0),
        "intensity_mean_db": _Compared(False, 2.5),
        "intensity_sd_db": _Compared(False, 1.5),
        "jitter_percent": _Compared(False, 0.4),
        "shimmer_percent": _Compared(False, 1.5),
        "hnr_db": _Compared(False, 1.5),
        "spectral_tilt_db": _Compared(False, 2.0),
        "speaking_rate_words_per_second": _Compared(False, 0.35),
        "articulation_rate_words_per_second": _Compared(False, 0.35),
        "pause_fraction": _Compared(False, 0.08),
        "pause_mean_seconds": _Compared(False, 0.2),
        "response_latency_seconds": _Compared(False, 0.8),
    }
)
"""The measures a baseline tracks. Speech length, voiced time and pause count depend on
how much was said rather than how, so they are not compared."""


def _scaled(name: str, value: float) -> float:
    return 12.0 * math.log2(value) if COMPARED[name].semitones else value


@dataclass(frozen=True, slots=True)
class Baseline:
    """Recent values of each compared measure (on the compared scale), oldest first."""

    turns: int = 0
    """Turns added so far (a turn counts even if some measures were missing)."""
    history: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    def add(self, features: ProsodyFeatures) -> Baseline:
        """This baseline with ``features`` included (older values beyond ``MAX_TURNS`` drop)."""
        history = dict(self.history)
        for name, value in features.values().items():
            if name in COMPARED and (value > 0.0 or not COMPARED[name].semitones):
                kept = round(_scaled(name, value), 4)  # as stored, so a reload is identical
                history[name] = (*history.get(name, ()), kept)[-MAX_TURNS:]
        return Baseline(min(self.turns + 1, MAX_TURNS), history)

    def compare(self, features: ProsodyFeatures) -> dict[str, float]:
        """Each measure's deviation from usual, in units of the person's usual spread
        (positive is more); only measures present in the turn and in the baseline."""
        out: dict[str, float] = {}
        for name, value in features.values().items():
            past = self.history.get(name)
            if name not in COMPARED or not past:
                continue
            if COMPARED[name].semitones and value <= 0.0:
                continue
            values = np.asarray(past)
            centre = float(np.median(values))
            spread = self._spread(name, values)
            deviation = (_scaled(name, value) - centre) / spread
            out[name] = round(float(np.clip(deviation, -MAX_DEVIATION, MAX_DEVIATION)), 3)
        return out

    @staticmethod
    def _spread(name: str, values: npt.NDArray[np.float64]) -> float:
        typical = COMPARED[name].typical_spread
        n = float(values.size)
        own = 1.4826 * float(np.median(np.abs(values - np.median(values))))  # MAD as a s.d.
        blended = math.sqrt((PRIOR_TURNS * typical**2 + n * own**2) / (PRIOR_TURNS + n))
        return max(blended, 0.25 * typical)

    def to_json(self) -> dict[str, object]:
        """The stored form."""
        return {
            "version": 1,
            "turns": self.turns,
            "history": {name: list(values) for name, values in self.history.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Baseline:
        """Read the stored form; unknown measures are dropped, bad data raises."""
        turns = data.get("turns")
        history = data.get("history")
        if data.get("version") != 1 or not isinstance(turns, int) or not isinstance(history, dict):
            raise ProsodyError("the stored baseline has an unknown format")
        kept: dict[str, tuple[float, ...]] = {}
        for name, values in history.items():
            if name not in COMPARED:
                continue
            if not isinstance(values, list) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in values
            ):
                raise ProsodyError("the stored baseline has an unknown format")
            kept[name] = tuple(float(v) for v in values)[-MAX_TURNS:]
        return cls(max(0, min(turns, MAX_TURNS)), kept)


class BaselineKeeper(Protocol):
    """Where a person's baseline is kept between sessions (blocking: a worker thread)."""

    def load(self, user: str) -> Baseline:
        """The stored baseline, or an empty one."""
        ...

    def save(self, user: str, baseline: Baseline) -> None:
        """Keep ``baseline`` (a keeper may decline, e.g. without consent)."""
        ...


class BaselineStore:
    """One JSON file per person: ``<directory>/<user>.json``, replaced atomically.

    User ids are validated by the protocol (``is_valid_user_id``) to be safe file names.
    Blocking: call from a worker thread.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, user: str) -> Path:
        """Where ``user``'s baseline lives."""
        return self.directory / f"{user}.json"

    def load(self, user: str) -> Baseline:
        """The stored baseline, or an empty one for a new person."""
        path = self.path(user)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Baseline()
        except (OSError, ValueError) as exc:
            raise ProsodyError("the stored baseline could not be read") from exc
        if not isinstance(data, dict):
            raise ProsodyError("the stored baseline has an unknown format")
        return Baseline.from_json(data)

    def save(self, user: str, baseline: Baseline) -> None:
        """Write atomically (a temporary file renamed over the old one), owner-only."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps(baseline.to_json(), separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(prefix=f".{user}.", suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path(user))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
