"""The learned safety screen's core, on a hand-made encoder and head: how its score combines
with the rules (signals, thresholds, never lowering), and the screen's file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voice.errors import ModelError
from voice.safety import RiskCategory, SafetyLevel, SafetyVerdict
from voice.safety.screen import (
    BRIEF_THRESHOLD,
    BRIEF_WORDS,
    RiskScreen,
    ScreenHead,
    ScreenScore,
    asks_how,
    combine,
    is_brief,
)

CRISIS, CONCERN, NONE = SafetyLevel.CRISIS, SafetyLevel.CONCERN, SafetyLevel.NONE


class KeywordEncoder:
    """Axis 0 for 'ledge', axis 1 for 'tired', axis 2 otherwise; records what it saw."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def pool(self, text: str) -> np.ndarray:
        self.seen.append(text)
        if "ledge" in text:
            return np.asarray([1.0, 0.0, 0.0], np.float32)
        if "tired" in text:
            return np.asarray([0.0, 1.0, 0.0], np.float32)
        return np.asarray([0.0, 0.0, 1.0], np.float32)


def _head(crisis: float = 0.8, signal: float = 0.4, flag: float = 0.7) -> ScreenHead:
    """'ledge' scores crisis, 'tired' concern, the rest none."""
    levels = np.asarray([[-4.0, -4.0, 4.0], [-4.0, 4.0, -4.0], [4.0, -4.0, -4.0]], np.float32)
    return ScreenHead(
        level_weights=levels.T.copy(),
        level_bias=np.zeros(3, np.float32),
        category_weights=np.asarray([[3.0, 0.0, 0.0], [0.0, 3.0, 0.0]], np.float32),
        category_bias=np.zeros(2, np.float32),
        categories=(RiskCategory.SUICIDE, RiskCategory.DISTRESS),
        crisis_threshold=crisis,
        signal_threshold=signal,
        flag_threshold=flag,
        adapter={"encoder.layer.0.output.dense.weight": (np.ones((4, 2)), np.ones((2, 6)))},
        provenance={"rows": {"real_train": 3}},
    )


def test_the_whole_turn_is_scored_and_names_the_category() -> None:
    encoder = KeywordEncoder()
    screen = RiskScreen(encoder, _head())
    score = screen.score("Lovely walk today. Then I stood on the ledge for an hour.")
    assert score.crisis > 0.99 and score.flagged > 0.99
    assert score.category is RiskCategory.SUICIDE
    assert encoder.seen == ["Lovely walk today. Then I stood on the ledge for an hour."]
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


def test_a_signal_needs_the_screen_to_become_a_crisis_and_is_never_lowered() -> None:
    head = _head(crisis=0.8, signal=0.4)
    signal = SafetyVerdict(CONCERN, RiskCategory.ABUSE, "abuse.physical.signal")
    agrees = ScreenScore(crisis=0.5, flagged=0.9, category=RiskCategory.DISTRESS)
    assert combine(signal, agrees, head) == SafetyVerdict(
        CRISIS, RiskCategory.ABUSE, "abuse.physical.confirmed"
    )
    doubts = ScreenScore(crisis=0.3, flagged=0.1, category=RiskCategory.DISTRESS)
    assert combine(signal, doubts, head) is signal  # a concern still: one gentle question


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


def test_a_rules_concern_is_raised_to_crisis_with_the_rules_category() -> None:
    concern = SafetyVerdict(CONCERN, RiskCategory.SELF_HARM, "self_harm.urge")
    sure = ScreenScore(crisis=0.9, flagged=0.95, category=RiskCategory.SUICIDE)
    assert combine(concern, sure, _head()) == SafetyVerdict(
        CRISIS, RiskCategory.SELF_HARM, "screen.crisis"
    )
    rules_crisis = SafetyVerdict(CRISIS, RiskCategory.SUICIDE, "suicide.kill_self")
    unsure = ScreenScore(crisis=0.0, flagged=0.0, category=RiskCategory.DISTRESS)
    assert combine(rules_crisis, unsure, _head()) is rules_crisis


def test_a_practical_question_is_not_a_crisis_on_the_screen_alone() -> None:
    """The screen cannot make "how do I bleed a radiator?" a crisis; a confident reading
    still asks the gentle question, and a crisis signal is still confirmed."""
    head = _head(crisis=0.5, signal=0.4, flag=0.8)
    unsure = ScreenScore(crisis=0.6, flagged=0.62, category=RiskCategory.SUICIDE)
    assert combine(SafetyVerdict(NONE), unsure, head, asks_how=True) == SafetyVerdict(NONE)
    sure = ScreenScore(crisis=0.9, flagged=0.95, category=RiskCategory.SUICIDE)
    assert combine(SafetyVerdict(NONE), sure, head, asks_how=True) == SafetyVerdict(
        CONCERN, RiskCategory.SUICIDE, "screen.concern"
    )
    signal = SafetyVerdict(CONCERN, RiskCategory.MEDICAL_EMERGENCY, "medical.acute.signal")
    assert combine(signal, sure, head, asks_how=True).level is CRISIS


def test_a_distress_crisis_is_named_as_suicide() -> None:
    """Distress has no crisis script of its own: a crisis is spoken about as suicide risk."""
    distress = ScreenScore(crisis=0.9, flagged=0.95, category=RiskCategory.DISTRESS)
    verdict = combine(SafetyVerdict(NONE), distress, _head())
    assert verdict.level is CRISIS and verdict.category is RiskCategory.SUICIDE


def test_the_screen_round_trips_through_its_file(tmp_path: Path) -> None:
    path = tmp_path / "screen.npz"
    head = _head(0.81, 0.35, 0.72)
    head.save(path)
    loaded = ScreenHead.load(path)
    assert loaded.categories == head.categories
    thresholds = (loaded.crisis_threshold, loaded.signal_threshold, loaded.flag_threshold)
    assert thresholds == (0.81, 0.35, 0.72)
    assert loaded.provenance == {"rows": {"real_train": 3}}
    assert (loaded.head_tokens, loaded.tail_tokens) == (96, 158)
    for name in ("level_weights", "level_bias", "category_weights", "category_bias"):
        assert np.array_equal(getattr(loaded, name), getattr(head, name))
    (name,) = loaded.adapter
    b, a = loaded.adapter[name]
    assert name == "encoder.layer.0.output.dense.weight" and (b @ a).shape == (4, 6)


def test_a_missing_or_damaged_screen_is_a_clear_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        ScreenHead.load(tmp_path / "absent.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file at all")
    with pytest.raises(ModelError, match="malformed"):
        ScreenHead.load(junk)
    head = _head()
    wrong = ScreenHead(
        level_weights=head.level_weights[:2],
        level_bias=head.level_bias[:2],
        category_weights=head.category_weights,
        category_bias=head.category_bias,
        categories=head.categories,
        crisis_threshold=0.5,
        signal_threshold=0.5,
        flag_threshold=0.5,
    )
    wrong.save(tmp_path / "wrong.npz")
    with pytest.raises(ModelError, match="wrong shape"):
        ScreenHead.load(tmp_path / "wrong.npz")


def test_the_shipped_screen_loads_and_fits_the_encoder() -> None:
    head = ScreenHead.load()
    assert head.level_weights.shape == (3, 384)
    assert set(head.categories) >= {RiskCategory.SUICIDE, RiskCategory.SELF_HARM}
    assert 0.0 < head.signal_threshold <= head.crisis_threshold < 1.0
    assert 0.0 < head.flag_threshold < 1.0
    assert len(head.adapter) == 36  # six dense layers in each of six blocks
    assert head.provenance["rows"]["real_train"] >= 3000


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("How do I bleed a radiator?", True),
        ("so what's the best way to get rid of moles in the lawn?", True),
        ("Is it safe to take ibuprofen with paracetamol?", True),
        ("How do I bleed a radiator? I keep thinking about ending it all.", False),
        ("I want to disappear. How do I make it stop?", False),
        ("I've been so low lately", False),
        ("How do I " + "really " * 30 + "stop?", False),
    ],
)
def test_one_short_practical_question_is_recognised(text: str, asks: bool) -> None:
    assert asks_how(text) is asks


def test_a_brief_turn_needs_a_surer_screen() -> None:
    """ "see you tomorrow" read as a veiled farewell: a turn of fewer than ``BRIEF_WORDS``
    words the rules found nothing in is a crisis or a concern only at ``BRIEF_THRESHOLD``."""
    head = _head(crisis=0.45, signal=0.45, flag=0.8)
    farewell = ScreenScore(crisis=0.83, flagged=0.85, category=RiskCategory.SUICIDE)
    assert combine(SafetyVerdict(NONE), farewell, head, brief=True) == SafetyVerdict(NONE)
    assert combine(SafetyVerdict(NONE), farewell, head).level is CRISIS  # a longer turn
    sure = ScreenScore(crisis=0.97, flagged=0.98, category=RiskCategory.SUICIDE)
    assert combine(SafetyVerdict(NONE), sure, head, brief=True).level is CRISIS
    worried = ScreenScore(crisis=0.2, flagged=0.93, category=RiskCategory.DISTRESS)
    assert combine(SafetyVerdict(NONE), worried, head, brief=True).level is CONCERN
    # where the rules found something the usual thresholds hold: the rules read the words
    concern = SafetyVerdict(CONCERN, RiskCategory.SUICIDE, "suicide.hopeless")
    assert combine(concern, farewell, head, brief=True).level is CRISIS
    signal = SafetyVerdict(CONCERN, RiskCategory.SUICIDE, "suicide.veiled.signal")
    assert combine(signal, farewell, head, brief=True).level is CRISIS


def test_brief_is_counted_in_words() -> None:
    assert is_brief("see you tomorrow")
    assert is_brief("I've made up my mind, I'm taking the job")  # 9 words
    assert not is_brief("I've made up my mind and I'm taking the job on Monday")
    assert BRIEF_WORDS == 10 and BRIEF_THRESHOLD == 0.9


def test_the_screen_reads_names_said_plainly() -> None:
    encoder = KeywordEncoder()
    RiskScreen(encoder, _head()).score("My uncle's old Lincoln has suicide doors")
    assert encoder.seen == ["My uncle's old Lincoln has rear-hinged doors"]
