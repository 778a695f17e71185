"""The learned risk screen beside the rules: sentence embeddings and a small fitted head.

The rules (``voice.safety.detector``) recognise how risk is usually put into words and
understand negation, history and figurative speech; new wording slips past them. The
screen embeds each sentence of a turn with a sentence encoder (all-MiniLM-L6-v2, run in
numpy) and scores it with two small heads fitted on labelled check-in text
(``voice fit-safety``): a one-hidden-layer network for the level (none, concern, crisis)
and a logistic regression for the category. ``combine`` lets the screen only ever
**raise** the rules' verdict, never lower it, and never overrule a verdict the rules
softened on purpose (a stated denial, a history, someone else, a hyperbole).

Deterministic: the same words give the same verdict. No language model is involved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from voice.assets import MODELS_DIR
from voice.errors import ModelError
from voice.safety.detector import detect
from voice.safety.verdict import RiskCategory, SafetyLevel, SafetyVerdict

DEFAULT_HEAD = MODELS_DIR / "safety_screen.npz"
LEVELS: tuple[SafetyLevel, ...] = (SafetyLevel.NONE, SafetyLevel.CONCERN, SafetyLevel.CRISIS)
SOFTENED = (".denied", ".past", ".hyperbole", ".you", ".asked", ".other")
"""Rule-id suffixes of verdicts the rules lowered on purpose; the screen leaves them be."""
MAX_PIECES = 8
"""At most this many sentences of a long turn are scored on their own (plus the whole)."""

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s+(?:but|and then|so anyway)\s+", re.IGNORECASE)
_MIN_PIECE_WORDS = 3

Matrix = NDArray[np.float32]


class SentenceEncoder(Protocol):
    """Any sentence encoder: one unit-length row per text."""

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Embed ``texts``."""
        ...


@dataclass(frozen=True, slots=True)
class ScreenHead:
    """The fitted heads and the thresholds chosen by cross-validation.

    Level: a one-hidden-layer network (ReLU) over the embedding, giving P(none),
    P(concern), P(crisis). Category: logistic regression over the embedding.
    """

    hidden_weights: Matrix  # (dimension, hidden)
    hidden_bias: Matrix
    level_weights: Matrix  # (hidden, 3): none, concern, crisis
    level_bias: Matrix
    category_weights: Matrix  # (dimension, len(categories))
    category_bias: Matrix
    categories: tuple[RiskCategory, ...]
    crisis_threshold: float
    concern_threshold: float
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """Write the head as a numpy ``.npz`` (float32 arrays, metadata as JSON text)."""
        meta = {
            "version": 1,
            "levels": [level.value for level in LEVELS],
            "categories": [c.value for c in self.categories],
            "crisis_threshold": self.crisis_threshold,
            "concern_threshold": self.concern_threshold,
            "provenance": dict(self.provenance),
        }
        with path.open("wb") as out:
            np.savez_compressed(
                out,
                meta=np.array(json.dumps(meta, indent=1)),
                **{name: getattr(self, name) for name in _ARRAYS},
            )

    @classmethod
    def load(cls, path: Path = DEFAULT_HEAD) -> ScreenHead:
        """Read a head written by ``save``; raises ModelError naming what is wrong."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                arrays = {name: data[name].astype(np.float32) for name in _ARRAYS}
            head = cls(
                **arrays,
                categories=tuple(RiskCategory(c) for c in meta["categories"]),
                crisis_threshold=float(meta["crisis_threshold"]),
                concern_threshold=float(meta["concern_threshold"]),
                provenance=dict(meta.get("provenance", {})),
            )
        except FileNotFoundError as exc:
            raise ModelError(f"safety screen head not found: {path}") from exc
        except (OSError, KeyError, TypeError, ValueError) as exc:
            problem = type(exc).__name__
            raise ModelError(f"safety screen head {path} is malformed ({problem})") from exc
        hidden = head.hidden_weights.shape[1]
        if head.level_weights.shape != (hidden, len(LEVELS)) or head.category_weights.shape[
            1
        ] != len(head.categories):
            raise ModelError(f"safety screen head {path} has the wrong shape")
        return head

    def level_probabilities(self, embeddings: Matrix) -> Matrix:
        """P(none), P(concern), P(crisis) for each row."""
        hidden = np.maximum(embeddings @ self.hidden_weights + self.hidden_bias, 0.0)
        return softmax(hidden @ self.level_weights + self.level_bias)

    def category_of(self, embedding: Matrix) -> RiskCategory:
        """The most likely category of one flagged row."""
        scores = embedding @ self.category_weights + self.category_bias
        return self.categories[int(np.argmax(scores))]


_ARRAYS = (
    "hidden_weights",
    "hidden_bias",
    "level_weights",
    "level_bias",
    "category_weights",
    "category_bias",
)


@dataclass(frozen=True, slots=True)
class ScreenScore:
    """What the screen thinks of one turn: its riskiest piece's probabilities."""

    crisis: float
    flagged: float
    category: RiskCategory


class RiskScreen:
    """``score(text)`` with a sentence encoder and a fitted head; ``verdict`` adds the rules."""

    def __init__(self, encoder: SentenceEncoder, head: ScreenHead) -> None:
        self.encoder = encoder
        self.head = head

    def score(self, text: str) -> ScreenScore:
        """Score the whole turn and each of its sentences; the riskiest piece counts."""
        embeddings = self.encoder.encode(pieces(text))
        probs = self.head.level_probabilities(embeddings)
        crisis = probs[:, 2]
        flagged = probs[:, 1] + probs[:, 2]
        riskiest = int(np.argmax(flagged))
        return ScreenScore(
            crisis=float(crisis.max()),
            flagged=float(flagged.max()),
            category=self.head.category_of(embeddings[riskiest]),
        )

    def verdict(self, text: str) -> SafetyVerdict:
        """The rules' verdict, raised by the screen where it is confident (see ``combine``)."""
        rules = detect(text)
        if rules.level is SafetyLevel.CRISIS:
            return rules  # nothing to add, and no need to run the encoder
        return combine(rules, self.score(text), self.head)


def combine(rules: SafetyVerdict, score: ScreenScore, head: ScreenHead) -> SafetyVerdict:
    """Raise the rules' verdict where the screen is confident; never lower it.

    A verdict the rules softened on purpose (a denial, a history, someone else) stands:
    those are exactly the contexts the rules read better than an embedding.
    """
    if rules.level is SafetyLevel.CRISIS or (rules.rule or "").endswith(SOFTENED):
        return rules
    if score.crisis >= head.crisis_threshold:
        category = rules.category if rules.category is not None else score.category
        if category is RiskCategory.DISTRESS:
            category = (
                RiskCategory.SUICIDE if score.category is RiskCategory.DISTRESS else score.category
            )
        return SafetyVerdict(SafetyLevel.CRISIS, category, "screen.crisis")
    if rules.level is SafetyLevel.NONE and score.flagged >= head.concern_threshold:
        return SafetyVerdict(SafetyLevel.CONCERN, score.category, "screen.concern")
    return rules


def pieces(text: str) -> list[str]:
    """The whole turn, then each sentence of it with at least three words (at most 8)."""
    whole = " ".join(text.split())
    parts = [p for p in _SENTENCE_END.split(whole) if len(p.split()) >= _MIN_PIECE_WORDS]
    if len(parts) <= 1:
        return [whole]
    return [whole, *parts[:MAX_PIECES]]


def softmax(logits: Matrix) -> Matrix:
    """Row-wise softmax."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    probabilities: Matrix = (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)
    return probabilities
