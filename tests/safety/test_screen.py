"""The learned safety screen's core, on a hand-made encoder and head: how the turn is cut
into pieces, how the screen's score combines with the rules, and the head's file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from voice.errors import ModelError
from voice.safety import RiskCategory, SafetyLevel, SafetyVerdict
from voice.safety.screen import MAX_PIECES, RiskScreen, ScreenHead, ScreenScore, combine, pieces

CRISIS, CONCERN, NONE = SafetyLevel.CRISIS, SafetyLevel.CONCERN, SafetyLevel.NONE


class KeywordEncoder:
    """Axis 0 for 'ledge', axis 1 for 'tired', axis 2 otherwise; records what it saw."""

    dimension = 3

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = []
        for text in texts:
            if "ledge" in text:
                rows.append([1.0, 0.0, 0.0])
            elif "tired" in text:
                rows.append([0.0, 1.0, 0.0])
            else:
                rows.append([0.0, 0.0, 1.0])
        return np.asarray(rows, dtype=np.float32)


def _head(crisis_threshold: float = 0.8, concern_threshold: float = 0.7) -> ScreenHead:
    """Identity hidden layer; 'ledge' scores crisis, 'tired' concern, the rest none."""
    logits = np.asarray([[-4.0, -4.0, 4.0], [-4.0, 4.0, -4.0], [4.0, -4.0, -4.0]], np.float32)
    return ScreenHead(
        hidden_weights=np.eye(3, dtype=np.float32),
        hidden_bias=np.zeros(3, np.float32),
        level_weights=logits,
        level_bias=np.zeros(3, np.float32),
        category_weights=np.asarray([[3.0, 0.0], [0.0, 3.0], [0.0, 0.0]], np.float32),
        category_bias=np.zeros(2, np.float32),
        categories=(RiskCategory.SUICIDE, RiskCategory.DISTRESS),
        crisis_threshold=crisis_threshold,
        concern_threshold=concern_threshold,
        provenance={"rows": 3},
    )


def test_pieces_are_the_whole_turn_then_each_sentence_of_three_words_or_more() -> None:
    assert pieces("  I am   fine ") == ["I am fine"]
    turn = "Work was long. Ok. I keep standing on the ledge at night! Then I ate tea"
    assert pieces(turn) == [
        turn,
        "Work was long.",
        "I keep standing on the ledge at night!",
        "Then I ate tea",
    ]
    assert pieces("I was fine but then it got dark again") == [
        "I was fine but then it got dark again",
        "I was fine",
        "then it got dark again",
    ]
    long_turn = " ".join(f"Sentence number {i} here." for i in range(20))
    assert len(pieces(long_turn)) == 1 + MAX_PIECES


def test_the_riskiest_piece_decides_and_names_the_category() -> None:
    encoder = KeywordEncoder()
    screen = RiskScreen(encoder, _head())
    score = screen.score("Lovely walk today. Then I stood on the ledge for an hour.")
    assert score.crisis > 0.99 and score.flagged > 0.99
    assert score.category is RiskCategory.SUICIDE
    assert encoder.seen[0].startswith("Lovely walk") and len(encoder.seen) == 3
    calm = screen.score("Lovely walk today. Had soup after.")
    assert calm.crisis < 0.01 and calm.flagged < 0.01


def test_the_screen_raises_an_unflagged_turn_to_crisis() -> None:
    verdict = RiskScreen(KeywordEncoder(), _head()).verdict("I keep going back to the ledge")
    assert verdict == SafetyVerdict(CRISIS, RiskCategory.SUICIDE, "screen.crisis")


def test_the_rules_crisis_stands_without_running_the_encoder() -> None:
    encoder = KeywordEncoder()
    verdict = RiskScreen(encoder, _head()).verdict("I want to kill myself")
    assert verdict.level is CRISIS and verdict.rule is not None
    assert not verdict.rule.startswith("screen") and encoder.seen == []


def test_the_screen_flags_a_concern_only_where_the_rules_saw_nothing() -> None:
    head = _head()
    tired = ScreenScore(crisis=0.0, flagged=0.95, category=RiskCategory.DISTRESS)
    assert combine(SafetyVerdict(NONE), tired, head) == SafetyVerdict(
        CONCERN, RiskCategory.DISTRESS, "screen.concern"
    )
    rules_concern = SafetyVerdict(CONCERN, RiskCategory.EATING_DISORDER, "eating.restrict")
    assert combine(rules_concern, tired, head) is rules_concern
    below = ScreenScore(crisis=0.79, flagged=0.69, category=RiskCategory.SUICIDE)
    assert combine(SafetyVerdict(NONE), below, head) == SafetyVerdict(NONE)


@pytest.mark.parametrize("rule", ["suicide.want_die.denied", "self_harm.act.past", "x.y.other"])
def test_a_verdict_the_rules_softened_on_purpose_stands(rule: str) -> None:
    softened = SafetyVerdict(CONCERN, RiskCategory.SUICIDE, rule)
    sure = ScreenScore(crisis=1.0, flagged=1.0, category=RiskCategory.SUICIDE)
    assert combine(softened, sure, _head()) is softened


def test_a_rules_concern_is_raised_to_crisis_with_the_rules_category() -> None:
    concern = SafetyVerdict(CONCERN, RiskCategory.SELF_HARM, "self_harm.urge")
    sure = ScreenScore(crisis=0.9, flagged=0.95, category=RiskCategory.SUICIDE)
    assert combine(concern, sure, _head()) == SafetyVerdict(
        CRISIS, RiskCategory.SELF_HARM, "screen.crisis"
    )


def test_a_distress_crisis_is_named_as_suicide() -> None:
    """Distress has no crisis script of its own: a crisis is spoken about as suicide risk."""
    distress = ScreenScore(crisis=0.9, flagged=0.95, category=RiskCategory.DISTRESS)
    verdict = combine(SafetyVerdict(NONE), distress, _head())
    assert verdict.level is CRISIS and verdict.category is RiskCategory.SUICIDE


def test_the_head_round_trips_through_its_file(tmp_path: Path) -> None:
    path = tmp_path / "head.npz"
    head = _head(0.81, 0.72)
    head.save(path)
    loaded = ScreenHead.load(path)
    assert loaded.categories == head.categories
    assert (loaded.crisis_threshold, loaded.concern_threshold) == (0.81, 0.72)
    assert loaded.provenance == {"rows": 3}
    for name in ("hidden_weights", "level_weights", "category_weights", "category_bias"):
        assert np.array_equal(getattr(loaded, name), getattr(head, name))


def test_a_missing_or_damaged_head_is_a_clear_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        ScreenHead.load(tmp_path / "absent.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file at all")
    with pytest.raises(ModelError, match="malformed"):
        ScreenHead.load(junk)
    head = _head()
    wrong = ScreenHead(
        hidden_weights=head.hidden_weights,
        hidden_bias=head.hidden_bias,
        level_weights=head.level_weights[:, :2],
        level_bias=head.level_bias[:2],
        category_weights=head.category_weights,
        category_bias=head.category_bias,
        categories=head.categories,
        crisis_threshold=0.5,
        concern_threshold=0.5,
    )
    wrong.save(tmp_path / "wrong.npz")
    with pytest.raises(ModelError, match="wrong shape"):
        ScreenHead.load(tmp_path / "wrong.npz")


def test_the_shipped_head_loads_and_fits_the_encoder() -> None:
    head = ScreenHead.load()
    assert head.hidden_weights.shape[0] == 384
    assert set(head.categories) >= {RiskCategory.SUICIDE, RiskCategory.SELF_HARM}
    assert 0.5 < head.crisis_threshold < 1.0 and 0.5 < head.concern_threshold < 1.0
    assert head.provenance["rows"] >= 2500
