"""What ``voice fit-safety`` trains on, shared by its numpy and torch halves: the examples,
the settings, and how a turn becomes tokens and batches."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from voice.safety.screen import HEAD_TOKENS, TAIL_TOKENS, head_and_tail
from voice.safety.verdict import RiskCategory, SafetyLevel

CATEGORIES: tuple[RiskCategory, ...] = tuple(RiskCategory)
PARITY_TEXTS = (
    "I slept okay and work was fine, just a bit tired.",
    "I don't want to be here anymore, everyone would be better off without me.",
    "My best friend told me she wants to kill herself and I don't know how to help her.",
    "What is the difference between sertraline and fluoxetine?",
    "This exam is killing me lol",
    "I used to cut when I was fifteen but I've been clean for six years now.",
    "I have been so low for weeks, I can barely get out of bed and nothing feels worth it. " * 12
    + "Tonight I took out the pills I have been saving.",
)
"""Fixed turns whose torch outputs the numpy runtime must reproduce (the last one is long
enough to be read by its head and tail)."""


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled turn; ``real`` for people's own words, not the project's written sets."""

    id: str
    text: str
    level: SafetyLevel
    category: RiskCategory | None
    real: bool


@dataclass(frozen=True, slots=True)
class FitSettings:
    """How the screen is trained: every real and every written row, every epoch (the written
    sets hold the near misses, "I'm gonna kill it tomorrow", "I cut myself shaving", that
    real posts have too few of)."""

    seeds: tuple[int, ...] = (1, 2)
    rank: int = 8
    alpha: float = 16.0
    epochs: int = 3
    learning_rate: float = 5e-4
    crisis_budget: float = 0.025
    flag_budget: float = 0.12


def token_ids(tokenizer: Any, text: str) -> list[int]:
    """[CLS] + the head and tail of the text's tokens + [SEP], as the screen reads a turn."""
    ids: list[int] = tokenizer.encode(text, add_special_tokens=False).ids
    return [101, *head_and_tail(ids, HEAD_TOKENS, TAIL_TOKENS), 102]


def batches(
    items: Sequence[tuple[list[int], int, int]], size: int, rng: random.Random
) -> Iterator[list[tuple[list[int], int, int]]]:
    """Batches of similar length (little padding), in a shuffled order."""
    ordered = sorted(items, key=lambda item: len(item[0]))
    groups = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    rng.shuffle(groups)
    yield from groups
