"""Fitting the learned risk screen's heads on labelled CSVs (``voice fit-safety``).

Pure numpy, full batch, class-balanced, with a fixed seed (so the same data always
gives the same head): the level head is a one-hidden-layer network (ReLU, L2), the
category head a multinomial logistic regression. The
thresholds are chosen on out-of-fold probabilities from a k-fold split, so they say
what the screen does on text it was not fitted on:

- ``crisis_threshold``: the lowest P(crisis) at which at most ``crisis_fpr`` of the
  ``none`` rows would be called a crisis;
- ``concern_threshold``: the lowest P(concern or crisis) at which at most
  ``flag_fpr`` of the ``none`` rows would be flagged at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from voice.safety.screen import LEVELS, Matrix, ScreenHead, SentenceEncoder, pieces, softmax
from voice.safety.verdict import RiskCategory, SafetyLevel
from voice.tools.eval_safety import LabelledRow, read_labelled_csv

HIDDEN = 128
MEMBERS = 4
_STEPS = 400
_LEARNING_RATE = 0.01
_L2 = 1e-3
_FOLDS = 5
_SEED = 7


@dataclass(frozen=True, slots=True)
class FitReport:
    """The head and what cross-validation said about it: for each training row, the score
    the screen would give it (its riskiest piece) when fitted on the other folds."""

    head: ScreenHead
    out_of_fold_crisis: Matrix
    out_of_fold_flagged: Matrix
    labels: NDArray[np.int64]


def fit_files(
    paths: Sequence[Path],
    encoder: SentenceEncoder,
    *,
    crisis_fpr: float = 0.04,
    flag_fpr: float = 0.02,
) -> FitReport:
    """Read, embed (each row and each of its sentences, as the screen does) and fit."""
    rows = [row for path in paths for row in read_labelled_csv(path)]
    texts = [pieces(row.text) for row in rows]
    flat = encoder.encode([text for row_texts in texts for text in row_texts])
    bounds = np.cumsum([0, *(len(t) for t in texts)])
    embedded = [flat[bounds[i] : bounds[i + 1]] for i in range(len(rows))]
    provenance = {
        "files": [path.name for path in paths],
        "rows": len(rows),
        "crisis_fpr_target": crisis_fpr,
        "flag_fpr_target": flag_fpr,
    }
    return fit(rows, embedded, crisis_fpr=crisis_fpr, flag_fpr=flag_fpr, provenance=provenance)


def fit(
    rows: Sequence[LabelledRow],
    embedded: Sequence[Matrix],
    *,
    crisis_fpr: float,
    flag_fpr: float,
    provenance: dict[str, Any] | None = None,
) -> FitReport:
    """Fit both heads and choose the thresholds.

    ``embedded[i]`` holds row i's pieces (``voice.safety.screen.pieces``), the whole turn
    first. The level head learns from whole turns, and from every sentence of a ``none``
    turn as a ``none`` example too (a sentence of a safe turn is safe; a sentence of a
    risky turn may not be risky, so those are left out).
    """
    labels = np.asarray([LEVELS.index(row.label) for row in rows], dtype=np.int64)
    oof_crisis = np.zeros(len(rows), dtype=np.float32)
    oof_flagged = np.zeros(len(rows), dtype=np.float32)
    order = np.random.default_rng(_SEED).permutation(len(rows))
    for fold in range(_FOLDS):
        held = order[fold::_FOLDS]
        train = np.setdiff1d(order, held)
        fold_head = _level_head(*_examples(embedded, labels, train))
        for i in held:
            probs = _probabilities(fold_head, embedded[i])
            oof_crisis[i] = probs[:, 2].max()
            oof_flagged[i] = (probs[:, 1] + probs[:, 2]).max()
    none = labels == 0
    crisis_threshold = _threshold(oof_crisis[none], crisis_fpr)
    concern_threshold = _threshold(oof_flagged[none], flag_fpr)
    w1, b1, w2, b2 = _level_head(*_examples(embedded, labels, order))

    whole = np.stack([e[0] for e in embedded])
    flagged = [
        i for i, row in enumerate(rows) if row.label is not SafetyLevel.NONE and row.category
    ]
    categories = tuple(sorted({RiskCategory(rows[i].category or "") for i in flagged}))
    category_labels = np.asarray(
        [categories.index(RiskCategory(rows[i].category or "")) for i in flagged], dtype=np.int64
    )
    cat_w, cat_b = train_softmax(whole[flagged], category_labels, len(categories))
    head = ScreenHead(
        hidden_weights=w1,
        hidden_bias=b1,
        level_weights=w2,
        level_bias=b2,
        category_weights=cat_w,
        category_bias=cat_b,
        categories=categories,
        crisis_threshold=crisis_threshold,
        concern_threshold=concern_threshold,
        provenance=dict(provenance or {}),
    )
    return FitReport(head, oof_crisis, oof_flagged, labels)


def _examples(
    embedded: Sequence[Matrix], labels: NDArray[np.int64], chosen: NDArray[np.int64]
) -> tuple[Matrix, NDArray[np.int64]]:
    """Training examples from the chosen rows: every whole turn, and every sentence of a
    safe turn."""
    xs: list[Matrix] = []
    ys: list[int] = []
    for i in sorted(chosen):
        take = embedded[i] if labels[i] == 0 else embedded[i][:1]
        xs.append(take)
        ys.extend([int(labels[i])] * len(take))
    return np.concatenate(xs).astype(np.float32), np.asarray(ys, dtype=np.int64)


def summary(report: FitReport) -> dict[str, object]:
    """What cross-validation says the screen alone does at the chosen thresholds."""
    head, labels = report.head, report.labels
    crisis, none = labels == 2, labels == 0
    said_crisis = report.out_of_fold_crisis >= head.crisis_threshold
    said_flagged = report.out_of_fold_flagged >= head.concern_threshold

    def share(mask: NDArray[np.bool_], within: NDArray[np.bool_]) -> float:
        return round(float(mask[within].mean()), 4) if within.any() else 0.0

    return {
        "rows": int(labels.size),
        "crisis_threshold": head.crisis_threshold,
        "concern_threshold": head.concern_threshold,
        "categories": [c.value for c in head.categories],
        "out_of_fold_crisis_recall": share(said_crisis, crisis),
        "out_of_fold_none_as_crisis": share(said_crisis, none),
        "out_of_fold_none_flagged": share(said_flagged, none),
    }


_Params = list[NDArray[np.float64]]


def _level_head(x: Matrix, y: NDArray[np.int64]) -> tuple[Matrix, Matrix, Matrix, Matrix]:
    """``MEMBERS`` one-hidden-layer networks from different seeds, averaged in logit space,
    which is itself one network with ``MEMBERS`` times the hidden units."""
    members = [_one_network(x, y, _SEED + k) for k in range(MEMBERS)]
    w1 = np.concatenate([m[0] for m in members], axis=1)
    b1 = np.concatenate([m[1] for m in members])
    w2 = np.concatenate([m[2] for m in members], axis=0) / MEMBERS
    b2 = np.mean([m[3] for m in members], axis=0)
    return w1, b1, w2.astype(np.float32), b2.astype(np.float32)


def _one_network(
    x: Matrix, y: NDArray[np.int64], seed: int
) -> tuple[Matrix, Matrix, Matrix, Matrix]:
    """One one-hidden-layer level network, fitted by Adam from a seeded start."""
    rng = np.random.default_rng(seed)
    dim = x.shape[1]
    params: _Params = [
        rng.normal(0.0, 1.0 / np.sqrt(dim), (dim, HIDDEN)),
        np.zeros(HIDDEN),
        rng.normal(0.0, 1.0 / np.sqrt(HIDDEN), (HIDDEN, len(LEVELS))),
        np.zeros(len(LEVELS)),
    ]
    xd = x.astype(np.float64)
    weight, onehot = _balanced(y, len(LEVELS))

    def gradients(p: _Params) -> _Params:
        hidden = np.maximum(xd @ p[0] + p[1], 0.0)
        error = (_softmax64(hidden @ p[2] + p[3]) - onehot) * weight[:, None]
        back = (error @ p[2].T) * (hidden > 0)
        return [xd.T @ back + _L2 * p[0], back.sum(0), hidden.T @ error + _L2 * p[2], error.sum(0)]

    _adam(params, gradients)
    w1, b1, w2, b2 = (p.astype(np.float32) for p in params)
    return w1, b1, w2, b2


def train_softmax(x: Matrix, y: NDArray[np.int64], classes: int) -> tuple[Matrix, Matrix]:
    """Class-balanced multinomial logistic regression with L2, fitted by Adam from zeros."""
    params: _Params = [np.zeros((x.shape[1], classes)), np.zeros(classes)]
    xd = x.astype(np.float64)
    weight, onehot = _balanced(y, classes)

    def gradients(p: _Params) -> _Params:
        error = (_softmax64(xd @ p[0] + p[1]) - onehot) * weight[:, None]
        return [xd.T @ error + _L2 * p[0], error.sum(0)]

    _adam(params, gradients)
    return params[0].astype(np.float32), params[1].astype(np.float32)


def _probabilities(head: tuple[Matrix, Matrix, Matrix, Matrix], x: Matrix) -> Matrix:
    w1, b1, w2, b2 = head
    return softmax(np.maximum(x @ w1 + b1, 0.0) @ w2 + b2)


def _balanced(
    y: NDArray[np.int64], classes: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-row weights that give each class the same total, and the one-hot targets."""
    counts = np.bincount(y, minlength=classes).astype(np.float64)
    weight = (y.size / (classes * np.maximum(counts, 1.0)))[y] / y.size
    return weight, np.eye(classes)[y]


def _softmax64(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def _adam(params: _Params, gradients: Callable[[_Params], _Params]) -> None:
    """Update ``params`` in place for ``_STEPS`` full-batch Adam steps."""
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, _STEPS + 1):
        for index, grad in enumerate(gradients(params)):
            first[index] = 0.9 * first[index] + 0.1 * grad
            second[index] = 0.999 * second[index] + 0.001 * grad * grad
            m_hat = first[index] / (1 - 0.9**step)
            v_hat = second[index] / (1 - 0.999**step)
            params[index] -= _LEARNING_RATE * m_hat / (np.sqrt(v_hat) + 1e-8)


def _threshold(none_scores: Matrix, rate: float) -> float:
    """The lowest score above which at most ``rate`` of the none rows lie."""
    if none_scores.size == 0:
        return 0.5
    allowed = int(np.floor(rate * none_scores.size))
    ranked = np.sort(none_scores)[::-1]
    cut = float(ranked[allowed]) if allowed < ranked.size else 0.0
    return round(min(max(cut + 1e-4, 0.05), 0.99), 4)
