"""Fitting the safety screen (``voice fit-safety``) without torch: reading the labelled
files, the validation split, and choosing the thresholds to their budgets with the rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voice.safety import RiskCategory, SafetyLevel, SafetyVerdict
from voice.safety.screen import (
    HEAD_TOKENS,
    LEVELS,
    TAIL_TOKENS,
    ScreenHead,
    ScreenScore,
    combine,
)
from voice.tools.eval_safety import EvaluationError
from voice.tools.fit_data import token_ids
from voice.tools.fit_safety import (
    calibrate,
    combined_levels,
    is_validation,
    read_examples,
    rules_marks,
)


def test_reading_keeps_ids_labels_and_categories(tmp_path: Path) -> None:
    path = tmp_path / "real.csv"
    path.write_text(
        "id,text,label,category\n"
        "a1,I want to die,crisis,suicide\n"
        "a2,nice day,none,distress\n"
        ",no id here,concern,\n",
        encoding="utf-8",
    )
    rows = read_examples(path, real=True)
    assert [(r.id, r.level, r.category) for r in rows] == [
        ("a1", SafetyLevel.CRISIS, RiskCategory.SUICIDE),
        ("a2", SafetyLevel.NONE, None),  # a none row has no category
        ("real.csv:4", SafetyLevel.CONCERN, None),
    ]
    assert all(r.real for r in rows)
    written = tmp_path / "written.csv"
    written.write_text(
        "text,label,category,note\n"
        "my brother says he wants to die,concern,suicide,third person\n"
        "I want to die,crisis,suicide,direct\n",
        encoding="utf-8",
    )
    levels = [r.level for r in read_examples(written, real=False)]
    assert levels == [SafetyLevel.NONE, SafetyLevel.CRISIS]  # the writer's own risk only
    path.write_text("text,label\nhello,maybe\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="not known"):
        read_examples(path, real=False)


def test_a_fifth_of_the_rows_are_kept_for_validation_by_their_id() -> None:
    ids = [f"rmhd-{i}" for i in range(5000)]
    held = [i for i in ids if is_validation(i)]
    assert 900 < len(held) < 1100
    assert held == [i for i in ids if is_validation(i)]  # the same every time


def test_combined_levels_follow_the_screen_rules() -> None:
    p = np.asarray(
        [[0.9, 0.05, 0.05], [0.2, 0.3, 0.5], [0.4, 0.3, 0.3], [0.1, 0.8, 0.1]], np.float32
    )
    rules = np.asarray([2, 0, 1, 0])
    signal = np.asarray([False, False, True, False])
    levels = combined_levels(p, rules, signal, crisis=0.45, signal_threshold=0.25, flag=0.6)
    # a rules crisis stands; 0.5 >= 0.45 raises; a signal at 0.3 >= 0.25 is confirmed;
    # 0.9 flagged >= 0.6 raises to a concern.
    assert levels.tolist() == [2, 2, 2, 1]
    asks = np.asarray([False, True, True, False])
    capped = combined_levels(p, rules, signal, 0.45, 0.25, 0.6, asks)
    # a practical question is a concern at most on the screen alone (a signal still rises)
    assert capped.tolist() == [2, 1, 2, 1]
    brief = np.asarray([True, True, True, True])
    short = combined_levels(p, rules, signal, 0.45, 0.25, 0.6, None, brief)
    # a brief turn the rules found nothing in needs the screen at BRIEF_THRESHOLD (0.9):
    # 0.5 + 0.3 is neither a crisis nor a concern, 0.8 + 0.1 flagged is just a concern; the
    # rules' crisis and the confirmed signal are not brief turns "the rules found nothing in"
    assert short.tolist() == [2, 0, 2, 1]


def test_calibration_keeps_to_both_budgets_and_catches_the_most() -> None:
    rng = np.random.default_rng(3)
    gold = np.asarray([0] * 400 + [1] * 100 + [2] * 100)
    crisis_p = np.where(gold == 2, rng.uniform(0.3, 1.0, gold.size), rng.uniform(0, 0.5, gold.size))
    concern_p = np.where(
        gold >= 1, rng.uniform(0.2, 0.7, gold.size), rng.uniform(0, 0.4, gold.size)
    )
    concern_p = np.minimum(concern_p, 1 - crisis_p)
    p = np.stack([1 - crisis_p - concern_p, concern_p, crisis_p], axis=1).astype(np.float32)
    rules = np.zeros(gold.size, dtype=np.int64)
    rules[:3] = 2  # three rules false alarms count against the budget too
    signal = np.zeros(gold.size, dtype=bool)
    t = calibrate(p, gold, rules, signal, crisis_budget=0.03, flag_budget=0.15)
    levels = combined_levels(p, rules, signal, t.crisis, t.signal, t.flag)
    assert (levels[gold == 0] == 2).mean() <= 0.03
    assert (levels[gold == 0] >= 1).mean() <= 0.15
    assert t.measured["crisis_recall"] == round(float((levels[gold == 2] == 2).mean()), 4)
    assert t.measured["crisis_recall"] > 0.6
    looser = calibrate(p, gold, rules, signal, crisis_budget=0.2, flag_budget=0.3)
    assert looser.measured["crisis_recall"] >= t.measured["crisis_recall"]
    with pytest.raises(EvaluationError, match="budget"):
        calibrate(p, gold, np.full(gold.size, 2), signal, crisis_budget=0.01, flag_budget=0.1)


def test_the_rules_marks_name_signals_and_questions() -> None:
    levels, signal, asks, brief = rules_marks(
        [
            "I want to kill myself",
            "how do I bleed a radiator?",
            "he hit me again",
            "my brother has been hitting me again whenever our parents are out of the house",
        ]
    )
    assert levels.tolist()[:2] == [2, 0]
    assert signal.tolist()[:3] == [False, False, levels[2] == 1]
    assert asks.tolist() == [False, True, False, False]
    assert brief.tolist() == [True, True, True, False]


class _Tokens:
    def __init__(self, n: int) -> None:
        self.ids = list(range(1000, 1000 + n))


class _Tokenizer:
    def encode(self, text: str, add_special_tokens: bool = True) -> _Tokens:
        return _Tokens(len(text.split()))


def test_a_long_turn_is_read_by_its_head_and_tail() -> None:
    short = token_ids(_Tokenizer(), "a b c")
    assert short == [101, 1000, 1001, 1002, 102]
    long = token_ids(_Tokenizer(), " ".join(["w"] * 600))
    assert len(long) == HEAD_TOKENS + TAIL_TOKENS + 2
    assert long[1 : HEAD_TOKENS + 1] == list(range(1000, 1000 + HEAD_TOKENS))
    assert long[-2] == 1000 + 599 and long[0] == 101 and long[-1] == 102


def test_the_calibration_decides_as_the_screen_does() -> None:
    """``combined_levels`` (vectorised, for the threshold search) and ``screen.combine`` (run
    on every turn) are one decision written twice: they must agree on every input."""
    rng = np.random.default_rng(7)
    n = 600
    p = rng.dirichlet(np.ones(3), size=n).astype(np.float32)
    rules = rng.integers(0, 3, n)
    signal = (rules == 1) & (rng.random(n) < 0.5)
    asks = rng.random(n) < 0.3
    brief = rng.random(n) < 0.4
    head = ScreenHead(
        level_weights=np.zeros((3, 4), np.float32),
        level_bias=np.zeros(3, np.float32),
        category_weights=np.zeros((1, 4), np.float32),
        category_bias=np.zeros(1, np.float32),
        categories=(RiskCategory.SUICIDE,),
        crisis_threshold=0.45,
        signal_threshold=0.3,
        flag_threshold=0.6,
    )
    levels = combined_levels(p, rules, signal, 0.45, 0.3, 0.6, asks, brief)
    for i in range(n):
        rule = "x.signal" if signal[i] else "x"
        verdict = SafetyVerdict(LEVELS[rules[i]], RiskCategory.SUICIDE, rule)
        score = ScreenScore(float(p[i, 2]), float(p[i, 1] + p[i, 2]), RiskCategory.SUICIDE)
        got = combine(verdict, score, head, asks_how=bool(asks[i]), brief=bool(brief[i]))
        assert LEVELS.index(got.level) == levels[i], i
