"""The learned risk screen beside the rules: the whole turn read by a fine-tuned encoder.

The rules (``voice.safety.detector``) give a crisis only for the unmistakable and call the
signals of one (a method, a farewell, abuse, a symptom) a concern. The screen reads the
whole turn with all-MiniLM-L6-v2 adapted to one question, *is the writer themself at risk
now?* (low-rank adapters fitted on real people's posts, labelled by who and when: the
writer now, the writer in the past, someone else, a question about the topic, a figure of
speech), and gives P(none), P(concern), P(crisis) and a category. ``combine`` only ever
raises the rules' verdict: a signal becomes a crisis when the screen agrees, an unflagged
turn is raised when the screen is confident, and one short practical question ("how do I
bleed a radiator?") is never a crisis on the screen's reading alone. Two thresholds, two
costs: a false crisis pauses the check-in; a false concern asks one gentle question.

Deterministic: the same words give the same verdict. No language model is involved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from voice.assets import MODELS_DIR
from voice.errors import ModelError
from voice.safety.detector import detect
from voice.safety.normalise import normalise
from voice.safety.rules.names import plain_names
from voice.safety.rules.topic import is_topic_question
from voice.safety.verdict import SIGNAL_SUFFIX, RiskCategory, SafetyLevel, SafetyVerdict

DEFAULT_HEAD = MODELS_DIR / "safety_screen.npz"
LEVELS: tuple[SafetyLevel, ...] = (SafetyLevel.NONE, SafetyLevel.CONCERN, SafetyLevel.CRISIS)

SCREEN_CRISIS, SCREEN_CONCERN = "screen.crisis", "screen.concern"
"""The rule ids of a verdict the screen raised on its own reading."""
HEAD_TOKENS, TAIL_TOKENS = 96, 158
"""A long turn is read by its first 96 and last 158 tokens (with [CLS] and [SEP]: 256, the
encoder's window), where people often say what matters."""

Vector = NDArray[np.float32]
Matrix = NDArray[np.float32]


def head_and_tail(tokens: list[int], head: int, tail: int) -> list[int]:
    """The tokens of a turn (without [CLS] and [SEP]) as the screen reads them: all of a
    short turn, the first ``head`` and last ``tail`` of a long one."""
    if len(tokens) <= head + tail:
        return tokens
    return tokens[:head] + tokens[len(tokens) - tail :]


class TurnEncoder(Protocol):
    """Reads a whole turn into one vector (the head and the tail of a long one)."""

    def pool(self, text: str) -> Vector:
        """The turn's mean-pooled token states."""
        ...


@dataclass(frozen=True, slots=True)
class ScreenScore:
    """What the screen thinks of one turn."""

    crisis: float
    """P(crisis)."""
    flagged: float
    """P(concern) + P(crisis)."""
    category: RiskCategory
    """The most likely category, were the turn flagged."""


@dataclass(frozen=True, slots=True)
class ScreenHead:
    """The fitted screen: the encoder's adapters, the heads and the thresholds.

    ``adapter`` maps each adapted weight of the encoder (``encoder.layer.N.*.weight``) to
    the low-rank change fitted for it (already scaled), which the encoder adds at load.
    """

    level_weights: Matrix  # (3, dimension): none, concern, crisis
    level_bias: Vector
    category_weights: Matrix  # (len(categories), dimension)
    category_bias: Vector
    categories: tuple[RiskCategory, ...]
    crisis_threshold: float
    """P(crisis) that raises a turn the rules did not call a crisis."""
    signal_threshold: float
    """P(crisis) that confirms one of the rules' crisis signals."""
    flag_threshold: float
    """P(concern) + P(crisis) that raises an unflagged turn to a concern."""
    adapter: Mapping[str, tuple[Matrix, Matrix]] = field(default_factory=dict)
    """Weight name -> (B, A): the weight becomes W + B @ A."""
    head_tokens: int = HEAD_TOKENS
    tail_tokens: int = TAIL_TOKENS
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """Write the screen as a numpy ``.npz`` (float32 arrays, metadata as JSON text)."""
        meta = {
            "version": 2,
            "levels": [level.value for level in LEVELS],
            "categories": [c.value for c in self.categories],
            "crisis_threshold": self.crisis_threshold,
            "signal_threshold": self.signal_threshold,
            "flag_threshold": self.flag_threshold,
            "head_tokens": self.head_tokens,
            "tail_tokens": self.tail_tokens,
            "adapted": sorted(self.adapter),
            "provenance": dict(self.provenance),
        }
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        for i, name in enumerate(sorted(self.adapter)):
            b, a = self.adapter[name]
            arrays[f"adapter{i}_b"], arrays[f"adapter{i}_a"] = b, a
        with path.open("wb") as out:
            np.savez_compressed(out, meta=np.array(json.dumps(meta, indent=1)), **arrays)

    @classmethod
    def load(cls, path: Path = DEFAULT_HEAD) -> ScreenHead:
        """Read a screen written by ``save``; raises ModelError naming what is wrong."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("version") != 2:
                    raise ValueError("version")
                arrays = {name: data[name].astype(np.float32) for name in _ARRAYS}
                adapter = {
                    name: (
                        data[f"adapter{i}_b"].astype(np.float32),
                        data[f"adapter{i}_a"].astype(np.float32),
                    )
                    for i, name in enumerate(meta["adapted"])
                }
            head = cls(
                **arrays,
                categories=tuple(RiskCategory(c) for c in meta["categories"]),
                crisis_threshold=float(meta["crisis_threshold"]),
                signal_threshold=float(meta["signal_threshold"]),
                flag_threshold=float(meta["flag_threshold"]),
                adapter=adapter,
                head_tokens=int(meta["head_tokens"]),
                tail_tokens=int(meta["tail_tokens"]),
                provenance=dict(meta.get("provenance", {})),
            )
        except FileNotFoundError as exc:
            raise ModelError(f"safety screen not found: {path}") from exc
        except (OSError, KeyError, TypeError, ValueError) as exc:
            problem = type(exc).__name__
            raise ModelError(f"safety screen {path} is malformed ({problem})") from exc
        width = head.level_weights.shape[1]
        if head.level_weights.shape != (len(LEVELS), width) or head.category_weights.shape != (
            len(head.categories),
            width,
        ):
            raise ModelError(f"safety screen {path} has the wrong shape")
        return head

    def score(self, pooled: Vector) -> ScreenScore:
        """The screen's probabilities for one pooled turn."""
        logits = self.level_weights @ pooled + self.level_bias
        p = np.exp(logits - logits.max())
        p /= p.sum()
        category = self.categories[
            int(np.argmax(self.category_weights @ pooled + self.category_bias))
        ]
        return ScreenScore(crisis=float(p[2]), flagged=float(p[1] + p[2]), category=category)


_ARRAYS = ("level_weights", "level_bias", "category_weights", "category_bias")


class RiskScreen:
    """``verdict(text)``: the rules, raised where the screen reads a risk (see ``combine``)."""

    def __init__(self, encoder: TurnEncoder, head: ScreenHead) -> None:
        self.encoder = encoder
        self.head = head

    def score(self, text: str) -> ScreenScore:
        """The screen alone on a whole turn, with harmless names said plainly
        (``plain_names``: "suicide doors" read as "rear-hinged doors")."""
        return self.head.score(self.encoder.pool(plain_names(text)))

    def verdict(self, text: str) -> SafetyVerdict:
        """The rules' verdict, raised by the screen where it is confident."""
        rules = detect(text)
        if rules.level is SafetyLevel.CRISIS or is_topic_question(normalise(plain_names(text))):
            # nothing to add, and no need to run the encoder: a rules crisis stands, and a
            # question about a topic ("what is suicidal ideation?") is nobody's disclosure
            return rules
        return combine(
            rules, self.score(text), self.head, asks_how=asks_how(text), brief=is_brief(text)
        )


_HOW_TO = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|hey|hi|um|also),? )?(?:how (?:do|can|should|would|could|to"
    r"|does|much|many|long|often)|what(?:'s| is) the (?:best|easiest|safest|quickest|right) way"
    r"|what (?:do|should|can) (?:i|you|we)|is it (?:safe|ok|okay|normal|possible|bad)"
    r"|can (?:i|you)|where (?:can|do|should) (?:i|you)|why (?:do|does|is|are|did))\b",
    re.IGNORECASE,
)
HOW_TO_WORDS = 30


def asks_how(text: str) -> bool:
    """One short practical question ("how do I bleed a radiator?", "what's the best way to
    get rid of moles?"): the turn asks about doing something rather than telling."""
    stripped = text.strip()
    return (
        stripped.endswith("?")
        and stripped.count("?") == 1
        and len(stripped.split()) <= HOW_TO_WORDS
        and re.search(r"[.!;]\s", stripped) is None
        and _HOW_TO.search(stripped) is not None
    )


BRIEF_WORDS = 10
"""A turn of fewer words than this is brief (``is_brief``)."""
BRIEF_THRESHOLD = 0.90
"""What the screen must reach, alone, to make a brief turn the rules found nothing in a
crisis or a concern (``combine``)."""


def is_brief(text: str) -> bool:
    """A turn too short for the screen to read on its own: "see you tomorrow", "I'll take
    the bins out later", "I've decided to sell the car". Read as veiled farewells and plans
    (0.5-0.95 of crisis), they made 11% of 400 such everyday turns a crisis."""
    return len(text.split()) < BRIEF_WORDS


def combine(
    rules: SafetyVerdict,
    score: ScreenScore,
    head: ScreenHead,
    *,
    asks_how: bool = False,
    brief: bool = False,
) -> SafetyVerdict:
    """Raise the rules' verdict where the screen is confident; never lower it.

    A rules crisis stands. One of the rules' crisis signals becomes a crisis when the
    screen's P(crisis) reaches the signal threshold; any other turn, when it reaches the
    crisis threshold, unless it is one short practical question (``asks_how``): a question
    the rules found nothing certain in is not made a crisis on the screen's reading alone.
    A turn the rules left unflagged becomes a concern when P(concern) + P(crisis) reaches
    the flag threshold. A ``brief`` turn the rules found nothing in needs the screen at
    ``BRIEF_THRESHOLD`` for either.
    """
    crisis_threshold, flag_threshold = head.crisis_threshold, head.flag_threshold
    if brief and rules.level is SafetyLevel.NONE:
        crisis_threshold = max(crisis_threshold, BRIEF_THRESHOLD)
        flag_threshold = max(flag_threshold, BRIEF_THRESHOLD)
    if rules.level is SafetyLevel.CRISIS:
        return rules
    if rules.is_signal:
        if score.crisis >= head.signal_threshold:
            confirmed = (rules.rule or "").removesuffix(SIGNAL_SUFFIX) + ".confirmed"
            return SafetyVerdict(SafetyLevel.CRISIS, rules.category, confirmed, rules.about_other)
        return rules
    if score.crisis >= crisis_threshold and not asks_how:
        category = rules.category if rules.category is not None else score.category
        if category is RiskCategory.DISTRESS:
            category = (
                RiskCategory.SUICIDE if score.category is RiskCategory.DISTRESS else score.category
            )
        return SafetyVerdict(SafetyLevel.CRISIS, category, SCREEN_CRISIS)
    if rules.level is SafetyLevel.NONE and score.flagged >= flag_threshold:
        return SafetyVerdict(SafetyLevel.CONCERN, score.category, SCREEN_CONCERN)
    return rules
