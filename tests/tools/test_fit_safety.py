"""Fitting the safety screen (``voice fit-safety``) on synthetic embeddings: the heads learn,
the thresholds keep to their false-positive targets out of fold, and fitting is repeatable."""

from __future__ import annotations

import numpy as np

from voice.safety import RiskCategory, SafetyLevel
from voice.tools.eval_safety import LabelledRow
from voice.tools.fit_safety import fit, summary

CRISIS, CONCERN, NONE = SafetyLevel.CRISIS, SafetyLevel.CONCERN, SafetyLevel.NONE


def _data(seed: int = 1) -> tuple[list[LabelledRow], np.ndarray]:
    """Three noisy clusters on the unit sphere; crisis rows split into two categories."""
    rng = np.random.default_rng(seed)
    centres = {NONE: 0, CONCERN: 1, CRISIS: 2}
    rows, vectors = [], []
    for label, count in ((NONE, 200), (CONCERN, 80), (CRISIS, 120)):
        for i in range(count):
            v = rng.normal(0.0, 0.35, 16)
            v[centres[label]] += 1.0
            category = None
            if label is CRISIS:
                category = "suicide" if i % 2 else "self_harm"
                v[3 if i % 2 else 4] += 1.0
            elif label is CONCERN:
                category = "distress"
            rows.append(LabelledRow(f"row {label} {i}", label, category))
            vectors.append(v / np.linalg.norm(v))
    return rows, np.asarray(vectors, dtype=np.float32)


def test_the_heads_learn_and_the_thresholds_keep_to_their_targets() -> None:
    rows, x = _data()
    embedded = [x[i : i + 1] for i in range(len(rows))]
    report = fit(rows, embedded, crisis_fpr=0.02, flag_fpr=0.05, provenance={"rows": len(rows)})
    figures = summary(report)
    assert figures["rows"] == 400
    assert figures["out_of_fold_none_as_crisis"] <= 0.02
    assert figures["out_of_fold_none_flagged"] <= 0.05
    assert figures["out_of_fold_crisis_recall"] >= 0.9
    head = report.head
    assert set(head.categories) == {
        RiskCategory.SUICIDE,
        RiskCategory.SELF_HARM,
        RiskCategory.DISTRESS,
    }
    probs = head.level_probabilities(x)
    labels = [row.label for row in rows]
    predicted = [(NONE, CONCERN, CRISIS)[i] for i in probs.argmax(axis=1)]
    accuracy = np.mean([p is t for p, t in zip(predicted, labels, strict=True)])
    assert accuracy >= 0.95
    crisis_rows = [i for i, row in enumerate(rows) if row.label is CRISIS]
    named = [head.category_of(x[i]).value == rows[i].category for i in crisis_rows]
    assert np.mean(named) >= 0.9


def test_fitting_is_repeatable() -> None:
    rows, x = _data()
    embedded = [x[i : i + 1] for i in range(len(rows))]
    first = fit(rows, embedded, crisis_fpr=0.03, flag_fpr=0.05).head
    second = fit(rows, embedded, crisis_fpr=0.03, flag_fpr=0.05).head
    assert np.array_equal(first.level_weights, second.level_weights)
    assert first.crisis_threshold == second.crisis_threshold


def test_a_turn_scores_as_its_riskiest_sentence_when_thresholds_are_chosen() -> None:
    """Safe turns with a risky-looking sentence: out of fold they score as the screen would
    score them (their riskiest piece), and the thresholds still keep to their targets."""
    rows, x = _data()
    crisis_like = x[next(i for i, row in enumerate(rows) if row.label is CRISIS)]
    embedded = [x[i : i + 1] for i in range(len(rows))]
    safe = [i for i, row in enumerate(rows) if row.label is NONE][:20]
    for i in safe:
        embedded[i] = np.stack([x[i], x[i], crisis_like])  # the whole, then two sentences
    report = fit(rows, embedded, crisis_fpr=0.03, flag_fpr=0.05)
    # the riskiest piece counts: those safe turns score as high as their crisis-like sentence
    scores = report.out_of_fold_crisis[safe]
    plain = fit(rows, [x[i : i + 1] for i in range(len(rows))], crisis_fpr=0.03, flag_fpr=0.05)
    assert scores.mean() > plain.out_of_fold_crisis[safe].mean()
    assert summary(report)["out_of_fold_none_as_crisis"] <= 0.03
