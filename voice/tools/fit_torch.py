"""The torch half of ``voice fit-safety``: training one seed, averaging seeds, predicting.

Imported only by ``voice.tools.fit_safety`` when it fits (torch is an optional extra).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray
from tokenizers import Tokenizer
from torch import nn

from voice.safety.screen import HEAD_TOKENS, LEVELS, TAIL_TOKENS, ScreenHead
from voice.tools import minilm_torch
from voice.tools.fit_data import (
    CATEGORIES,
    Example,
    FitSettings,
    batches,
    token_ids,
)

BATCH = 16
CATEGORY_WEIGHT = 0.3
"""The category loss counts this much beside the level's."""

Pair = tuple[torch.Tensor, torch.Tensor]


@dataclass(frozen=True)
class Run:
    """One trained seed (or the average of several): adapters and heads."""

    adapters: dict[str, Pair]
    level: Pair  # weight (3, 384), bias
    category: Pair  # weight (7, 384), bias

    def head(
        self, crisis: float, signal: float, flag: float, provenance: dict[str, Any]
    ) -> ScreenHead:
        """The screen as the server loads it."""

        def arr(t: torch.Tensor) -> NDArray[np.float32]:
            out: NDArray[np.float32] = np.asarray(t.detach().numpy(), dtype=np.float32)
            return out

        return ScreenHead(
            level_weights=arr(self.level[0]),
            level_bias=arr(self.level[1]),
            category_weights=arr(self.category[0]),
            category_bias=arr(self.category[1]),
            categories=CATEGORIES,
            crisis_threshold=crisis,
            signal_threshold=signal,
            flag_threshold=flag,
            adapter={name: (arr(b), arr(a)) for name, (b, a) in self.adapters.items()},
            head_tokens=HEAD_TOKENS,
            tail_tokens=TAIL_TOKENS,
            provenance=provenance,
        )


def _tokenizer(model_dir: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _tensors(group: Sequence[tuple[list[int], int, int]]) -> tuple[torch.Tensor, torch.Tensor]:
    n = max(len(ids) for ids, _, _ in group)
    ids = torch.zeros(len(group), n, dtype=torch.long)
    mask = torch.zeros(len(group), n, dtype=torch.long)
    for row, (tokens, _, _) in enumerate(group):
        ids[row, : len(tokens)] = torch.tensor(tokens)
        mask[row, : len(tokens)] = 1
    return ids, mask


def train(
    real: Sequence[Example],
    written: Sequence[Example],
    model_dir: Path,
    settings: FitSettings,
    seed: int,
) -> Run:
    """Fit adapters and heads for one seed."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = _tokenizer(model_dir)

    def encode(rows: Sequence[Example]) -> list[tuple[list[int], int, int]]:
        return [
            (
                token_ids(tokenizer, e.text),
                LEVELS.index(e.level),
                CATEGORIES.index(e.category) if e.category is not None else -1,
            )
            for e in rows
        ]

    real_items, written_items = encode(real), encode(written)
    encoder = minilm_torch.load(model_dir, rank=settings.rank, alpha=settings.alpha)
    level, category = nn.Linear(384, len(LEVELS)), nn.Linear(384, len(CATEGORIES))
    params = [*encoder.parameters(), *level.parameters(), *category.parameters()]
    optimiser = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=0.01)
    counts = np.bincount([y for _, y, _ in real_items], minlength=len(LEVELS)) + 1
    weights = torch.tensor(np.sqrt(counts.sum() / counts / len(LEVELS)), dtype=torch.float32)
    per_epoch = len(real_items) + len(written_items)
    total = math.ceil(per_epoch / BATCH) * settings.epochs
    step = 0
    for epoch in range(settings.epochs):
        started = time.perf_counter()
        shuffled = rng.sample(written_items, len(written_items))
        for group in batches(real_items + shuffled, BATCH, rng):
            rate = settings.learning_rate * min(1.0, (step + 1) / 50) * max(0.0, 1 - step / total)
            for slot in optimiser.param_groups:
                slot["lr"] = rate
            step += 1
            ids, mask = _tensors(group)
            pooled = minilm_torch.mean_pool(encoder(ids, mask), mask)
            gold = torch.tensor([y for _, y, _ in group])
            cats = torch.tensor([c for _, _, c in group])
            loss = nn.functional.cross_entropy(level(pooled), gold, weight=weights)
            if bool((cats >= 0).any()):
                flagged = cats >= 0
                loss = loss + CATEGORY_WEIGHT * nn.functional.cross_entropy(
                    category(pooled[flagged]), cats[flagged]
                )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        print(f"seed {seed} epoch {epoch}: {time.perf_counter() - started:.0f} s", flush=True)
    return Run(
        encoder.adapters(),
        (level.weight.detach(), level.bias.detach()),
        (category.weight.detach(), category.bias.detach()),
    )


def soup(runs: Sequence[Run]) -> Run:
    """The average of several runs: adapters side by side (B/n beside B/n, A under A), so
    their low-rank changes average exactly; heads averaged."""
    n = len(runs)
    adapters = {
        name: (
            torch.cat([r.adapters[name][0] for r in runs], dim=1) / n,
            torch.cat([r.adapters[name][1] for r in runs], dim=0),
        )
        for name in runs[0].adapters
    }

    def mean(pairs: list[Pair]) -> Pair:
        return (
            torch.stack([p[0] for p in pairs]).mean(0),
            torch.stack([p[1] for p in pairs]).mean(0),
        )

    return Run(adapters, mean([r.level for r in runs]), mean([r.category for r in runs]))


def predict(run: Run, model_dir: Path, texts: Sequence[str]) -> NDArray[np.float32]:
    """P(none), P(concern), P(crisis) of each text, in order."""
    encoder = minilm_torch.load(model_dir, rank=0, alpha=1.0)
    encoder.merge(run.adapters)
    tokenizer = _tokenizer(model_dir)
    items = [(token_ids(tokenizer, text), i, 0) for i, text in enumerate(texts)]
    out = np.zeros((len(texts), len(LEVELS)), dtype=np.float32)
    with torch.no_grad():
        for group in batches(items, 32, random.Random(0)):
            ids, mask = _tensors(group)
            pooled = minilm_torch.mean_pool(encoder(ids, mask), mask)
            probs = torch.softmax(pooled @ run.level[0].T + run.level[1], dim=-1).numpy()
            for (_, index, _), row in zip(group, probs, strict=True):
                out[index] = row
    return out


def reference_probabilities(
    head: ScreenHead, model_dir: Path, texts: Sequence[str]
) -> list[dict[str, Any]]:
    """The torch forward pass of a saved screen, for the numpy runtime's parity test."""
    adapters = {n: (torch.from_numpy(b), torch.from_numpy(a)) for n, (b, a) in head.adapter.items()}
    run = Run(
        adapters,
        (torch.from_numpy(head.level_weights), torch.from_numpy(head.level_bias)),
        (torch.from_numpy(head.category_weights), torch.from_numpy(head.category_bias)),
    )
    probabilities = predict(run, model_dir, texts)
    return [
        {"text": text, "probabilities": [round(float(x), 6) for x in row]}
        for text, row in zip(texts, probabilities, strict=True)
    ]
