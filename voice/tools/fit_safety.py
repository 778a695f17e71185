"""Fitting the learned safety screen (``voice fit-safety``, ``make fit-safety``).

all-MiniLM-L6-v2 gets low-rank adapters and two linear heads (level; category), trained
with torch on the CPU (``pip install -e '.[fit]'``) on real people's posts labelled for the
writer's own risk (``tests/data/real/``) and the project's written check-in turns. Several
seeds are trained and their adapters and heads averaged (a "soup": one model, no extra
cost at run time). A fifth of the real rows, chosen by a hash of their id, are kept out of
training; the thresholds are chosen on them, together with the rules, to two budgets:

- ``crisis_budget``: at most this share of ``none`` rows may end as a crisis;
- ``flag_budget``: at most this share of ``none`` rows may be flagged at all.

Training is seeded (torch, Python's random); whether a refit reproduces the shipped screen
bit for bit has not been checked. Everything but the training
loop is plain numpy and tested without torch.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from voice.safety import detect
from voice.safety.screen import BRIEF_THRESHOLD, LEVELS, ScreenHead, asks_how, is_brief
from voice.safety.verdict import RiskCategory, SafetyLevel
from voice.tools.eval_safety import EvaluationError
from voice.tools.fit_data import Example, FitSettings

_SOMEONE_ELSE = re.compile(
    r"\b(?:third person|other|others|someone else|friend|brother|sister|partner|child|son"
    r"|daughter|mum|dad|parent)\b"
)


def own_risk_only(level: SafetyLevel, note: str) -> SafetyLevel:
    """The written sets follow the check-in guide, where someone else's risk is a concern or a
    crisis; the screen learns the writer's own risk, so those rows (their ``note`` says whose
    risk it is) count as ``none`` (the rules still answer someone else's emergency)."""
    lowered = note.lower()
    if level is not SafetyLevel.NONE and _SOMEONE_ELSE.search(lowered) and "self" not in lowered:
        return SafetyLevel.NONE
    return level


def read_examples(path: Path, *, real: bool) -> list[Example]:
    """Rows of a labelled CSV (``text``, ``label``, optional ``category``, ``id`` and ``note``);
    written rows about someone else's risk count as ``none`` (see ``own_risk_only``)."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot be read ({type(exc).__name__})") from None
    out = []
    for line, row in enumerate(rows, 2):
        try:
            level = SafetyLevel(row["label"].strip())
            if not real:
                level = own_risk_only(level, row.get("note") or "")
            raw = (row.get("category") or "").strip()
            category = RiskCategory(raw) if raw and level is not SafetyLevel.NONE else None
        except (KeyError, ValueError):
            raise EvaluationError(f"{path}:{line}: a label or category is not known") from None
        out.append(
            Example(row.get("id") or f"{path.name}:{line}", row["text"], level, category, real)
        )
    return out


def is_validation(example_id: str) -> bool:
    """A fifth of the real rows, chosen by their id, for choosing the thresholds."""
    return int(hashlib.sha1(f"val{example_id}".encode()).hexdigest(), 16) % 5 == 0


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The screen's three thresholds and what they give on the validation rows."""

    crisis: float
    signal: float
    flag: float
    measured: dict[str, float]


def combined_levels(
    probabilities: NDArray[np.float32],
    rules: NDArray[np.int64],
    signal: NDArray[np.bool_],
    crisis: float,
    signal_threshold: float,
    flag: float,
    asks: NDArray[np.bool_] | None = None,
    brief: NDArray[np.bool_] | None = None,
) -> NDArray[np.int64]:
    """What ``voice.safety.screen.combine`` decides for each row (0 none, 1 concern, 2
    crisis), from the screen's probabilities, the rules' level and signal marks, which rows
    are one short practical question (``asks``: never a crisis on the screen alone) and
    which are brief (``brief``: the screen alone needs ``BRIEF_THRESHOLD``)."""
    out = rules.copy()
    threshold = np.where(signal, signal_threshold, crisis)
    flag_threshold = np.full(rules.shape, flag)
    if brief is not None:
        quiet = brief & (rules == 0)
        threshold = np.where(quiet, max(crisis, BRIEF_THRESHOLD), threshold)
        flag_threshold = np.where(quiet, max(flag, BRIEF_THRESHOLD), flag_threshold)
    if asks is not None:
        threshold = np.where(asks & ~signal, np.inf, threshold)
    out[(rules < 2) & (probabilities[:, 2] >= threshold)] = 2
    out[(out == 0) & (probabilities[:, 1] + probabilities[:, 2] >= flag_threshold)] = 1
    return out


def calibrate(
    probabilities: NDArray[np.float32],
    gold: NDArray[np.int64],
    rules: NDArray[np.int64],
    signal: NDArray[np.bool_],
    asks: NDArray[np.bool_] | None = None,
    brief: NDArray[np.bool_] | None = None,
    *,
    crisis_budget: float,
    flag_budget: float,
) -> Thresholds:
    """The thresholds that catch the most crises with at most ``crisis_budget`` of the
    ``none`` rows called a crisis, then flag the most risk with at most ``flag_budget`` of
    them flagged; lower false alarms break ties."""
    none, crisis = gold == 0, gold == 2
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    best: tuple[float, float, float, float] | None = None  # recall, -fp, crisis, signal
    for tc in grid:
        for ts in grid[grid <= tc]:
            levels = combined_levels(probabilities, rules, signal, tc, ts, 1.01, asks, brief)
            fp = float((levels[none] == 2).mean())
            if fp > crisis_budget:
                continue
            key = (float((levels[crisis] == 2).mean()), -fp, float(tc), float(ts))
            if best is None or key > best:
                best = key
    if best is None:
        raise EvaluationError("no crisis threshold keeps to the budget")
    tc, ts = best[2], best[3]
    best_flag: tuple[float, float, float] | None = None  # flagged risk, -fp, flag
    for tf in grid:
        levels = combined_levels(probabilities, rules, signal, tc, ts, float(tf), asks, brief)
        fp = float((levels[none] >= 1).mean())
        if fp > flag_budget:
            continue
        flag_key = (float((levels[~none] >= 1).mean()), -fp, float(tf))
        if best_flag is None or flag_key > best_flag:
            best_flag = flag_key
    tf = best_flag[2] if best_flag is not None else 1.0
    levels = combined_levels(probabilities, rules, signal, tc, ts, tf, asks, brief)
    measured = {
        "crisis_recall": round(float((levels[crisis] == 2).mean()), 4),
        "crisis_flagged": round(float((levels[crisis] >= 1).mean()), 4),
        "none_as_crisis": round(float((levels[none] == 2).mean()), 4),
        "none_flagged": round(float((levels[none] >= 1).mean()), 4),
        "rows": int(gold.size),
    }
    return Thresholds(tc, ts, tf, measured)


def rules_marks(
    texts: Sequence[str],
) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """The rules' level of each text (0, 1, 2), whether it is a crisis signal, whether it
    is one short practical question (``voice.safety.screen.asks_how``) and whether it is
    brief (``voice.safety.screen.is_brief``)."""
    verdicts = [detect(text) for text in texts]
    levels = np.array([LEVELS.index(v.level) for v in verdicts], dtype=np.int64)
    signal = np.array([v.is_signal for v in verdicts], dtype=bool)
    asks = np.array([asks_how(text) for text in texts], dtype=bool)
    brief = np.array([is_brief(text) for text in texts], dtype=bool)
    return levels, signal, asks, brief


def summary(thresholds: Thresholds, settings: FitSettings, rows: dict[str, int]) -> dict[str, Any]:
    """What a fit did, for the provenance of the screen and the command's output."""
    return {
        "thresholds": {
            "crisis": thresholds.crisis,
            "signal": thresholds.signal,
            "flag": thresholds.flag,
        },
        "validation": thresholds.measured,
        "settings": {
            "seeds": list(settings.seeds),
            "rank": settings.rank,
            "alpha": settings.alpha,
            "epochs": settings.epochs,
            "learning_rate": settings.learning_rate,
            "crisis_budget": settings.crisis_budget,
            "flag_budget": settings.flag_budget,
        },
        "rows": rows,
    }


def fit(
    real: Sequence[Example],
    written: Sequence[Example],
    model_dir: Path,
    settings: FitSettings,
) -> tuple[ScreenHead, dict[str, Any]]:
    """Train the seeds, average them, and choose the thresholds on the validation rows."""
    from voice.tools.fit_torch import predict, soup, train

    train_rows = [e for e in real if not is_validation(e.id)]
    validation = [e for e in real if is_validation(e.id)]
    runs = [train(train_rows, written, model_dir, settings, seed) for seed in settings.seeds]
    model = soup(runs)
    probabilities = predict(model, model_dir, [e.text for e in validation])
    gold = np.array([LEVELS.index(e.level) for e in validation], dtype=np.int64)
    rules, signal, asks, brief = rules_marks([e.text for e in validation])
    thresholds = calibrate(
        probabilities,
        gold,
        rules,
        signal,
        asks,
        brief,
        crisis_budget=settings.crisis_budget,
        flag_budget=settings.flag_budget,
    )
    counts = {"real_train": len(train_rows), "real_validation": len(validation)}
    counts["written"] = len(written)
    report = summary(thresholds, settings, counts)
    head = model.head(thresholds.crisis, thresholds.signal, thresholds.flag, report)
    return head, report


def write_parity(head: ScreenHead, model_dir: Path, path: Path, texts: Sequence[str]) -> None:
    """Store the torch forward pass's probabilities for ``texts`` (the reference the numpy
    runtime is tested against)."""
    from voice.tools.fit_torch import reference_probabilities

    rows = reference_probabilities(head, model_dir, texts)
    path.write_text(json.dumps({"texts": rows}, indent=1) + "\n", encoding="utf-8")
