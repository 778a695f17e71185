"""The rules plus the shipped screen, with the real encoder, measured on labelled sets.

Real people's words (``tests/data/real/holdout_*.csv``, never trained or fitted on) and the
project's written sets (``tests/data/safety_holdout3..8.csv``) are pinned at floors a little
below the figures measured when the screen was chosen (docs/safety.md, *Measured*), so a
refit that moves one sentence does not fail, and one that regresses does.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import threadpoolctl

from voice.engines.workers import Engines
from voice.safety import SafetyLevel, detect
from voice.safety.screen import RiskScreen
from voice.tools.eval_safety import evaluate, read_labelled_csv

pytestmark = pytest.mark.real_models

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def screen(engines: Engines) -> Iterator[RiskScreen]:
    assert engines.risk_screen is not None, "the server's engines carry the learned screen"
    # the engines keep numpy's BLAS on one thread (beside Whisper and llama.cpp); these
    # thousands of turns are read with nothing else running, on both cores (~20% faster)
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        yield engines.risk_screen


@dataclass(frozen=True)
class Floors:
    """The issue's four figures: crisis rows answered as crisis, crisis rows flagged at all,
    ``none`` rows answered as crisis, ``none`` rows flagged at all."""

    crisis_as_crisis: float | None
    crisis_flagged: float | None
    none_as_crisis: float
    none_flagged: float


def figures(path: Path, screen: RiskScreen) -> Floors:
    report = evaluate(read_labelled_csv(path), screen.verdict)

    def share(key: str) -> float | None:
        value = report[key]
        assert value is None or isinstance(value, float)
        return value

    none_as_crisis, none_flagged = share("crisis_false_positive_rate"), share("false_positive_rate")
    assert none_as_crisis is not None and none_flagged is not None
    return Floors(share("crisis_recall"), share("crisis_flagged"), none_as_crisis, none_flagged)


MEASURED = {
    # measured 2026-12-07 with the shipped screen, names said plainly and brief turns
    # (docs/safety.md, *Measured*): crisis as crisis, crisis flagged, none as crisis, none
    # flagged (rows: crisis / none)
    "real/holdout_rmhd.csv": Floors(0.83, 0.92, 0.045, 0.165),  # .865 .946 3.3% 14.5% (148/572)
    "real/holdout_counsel_chat.csv": Floors(0.66, 0.88, 0.035, 0.16),  # .778 1 2.1% 14.0% (9/236)
    "real/holdout_goemotions.csv": Floors(None, None, 0.06, 0.075),  # 4.5% 6.0% (2/335)
    "real/holdout_meqsum.csv": Floors(None, None, 0.05, 0.05),  # 0% 0% (0/24)
    "safety_holdout3.csv": Floors(0.90, 0.93, 0.10, 0.10),  # .933 .967 6.3% 6.3% (30/32)
    "safety_holdout4.csv": Floors(0.88, 0.93, 0.065, 0.075),  # .925 .975 3.8% 5.0% (80/80)
    "safety_holdout5.csv": Floors(0.93, 0.95, 0.05, 0.05),  # .975 .988 2.5% 2.5%
    "safety_holdout6.csv": Floors(0.83, 0.87, 0.05, 0.065),  # .875 .912 2.5% 3.8%
    "safety_holdout7.csv": Floors(0.90, 0.95, 0.05, 0.065),  # .950 .988 2.5% 3.8%
    "safety_holdout8.csv": Floors(0.86, 0.88, 0.05, 0.065),  # .900 .925 2.5% 3.8%
    "safety_labelled.csv": Floors(0.97, 0.98, 0.025, 0.04),  # fitted on: .989 1 0.9% 2.2%
}


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_measured_figures_hold(screen: RiskScreen, name: str) -> None:
    floor, got = MEASURED[name], figures(DATA / name, screen)
    if floor.crisis_as_crisis is not None:
        assert got.crisis_as_crisis is not None and got.crisis_as_crisis >= floor.crisis_as_crisis
    if floor.crisis_flagged is not None:
        assert got.crisis_flagged is not None and got.crisis_flagged >= floor.crisis_flagged
    assert got.none_as_crisis <= floor.none_as_crisis
    assert got.none_flagged <= floor.none_flagged


def test_the_screen_raises_what_the_rules_miss(screen: RiskScreen) -> None:
    quiet = "I've given my cat to my neighbour so she'll be looked after when I'm gone"
    assert detect(quiet).level is not SafetyLevel.CRISIS, "the rules alone do not say crisis"
    verdict = screen.verdict(quiet)
    assert verdict.level is SafetyLevel.CRISIS
    assert verdict.category is not None and verdict.category.value == "suicide"


@pytest.mark.parametrize(
    "text",
    [
        "This traffic is killing me, I've been sat here for an hour",
        "I'm dead tired, the baby was up all night",
        "Work was fine, had pasta for tea and watched the match",
        "My therapist and I talked about my depression and the new medication today",
        "My friend's brother killed himself last year and she is still grieving",
    ],
)
def test_ordinary_and_open_talk_is_not_a_crisis(screen: RiskScreen, text: str) -> None:
    assert screen.verdict(text).level is not SafetyLevel.CRISIS


def test_a_denial_the_rules_understood_is_not_raised(screen: RiskScreen) -> None:
    verdict = screen.verdict("I'm not going to kill myself, I just feel really flat")
    assert verdict.level is SafetyLevel.CONCERN and verdict.rule is not None
    assert verdict.rule.endswith(".denied")


def test_everyday_questions_with_violent_words_stay_ordinary(screen: RiskScreen) -> None:
    """40 questions and remarks written here (cooking, pests, games, films, definitions):
    the gate for practical questions was built on them, so they are a regression set."""
    lines = (DATA / "everyday_questions.txt").read_text(encoding="utf-8").splitlines()
    levels = [screen.verdict(line).level for line in lines if line.strip()]
    assert len(levels) == 40
    assert SafetyLevel.CRISIS not in levels
    assert sum(level is not SafetyLevel.NONE for level in levels) <= 1


@pytest.mark.parametrize(
    ("part", "most_flagged", "most_crisis"),
    [
        # measured 2026-12-07: development 1 flagged / 0 crisis (the topic reader was built
        # on it); held out, measured once after: 7 flagged / 5 crisis (before it: 8 / 5)
        ("development", 2, 1),
        ("held_out", 8, 6),
    ],
)
def test_everyday_probes_with_violent_words(
    screen: RiskScreen, part: str, most_flagged: int, most_crisis: int
) -> None:
    """320 everyday questions and remarks with violent, death or risk words (homonyms,
    figures of speech, pests, games, films, cooking, definitions, history), 40 of each,
    written by a helper for this; half was used to build ``rules.topic``, half held out."""
    with (DATA / "everyday_probes.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["part"] == part]
    assert len(rows) == 160
    levels = [screen.verdict(row["text"]).level for row in rows]
    assert sum(level is not SafetyLevel.NONE for level in levels) <= most_flagged
    assert sum(level is SafetyLevel.CRISIS for level in levels) <= most_crisis


@pytest.mark.parametrize(
    "text",
    [
        "I think I am having a heart attack",
        "I cannot breathe and my lips are going blue",
        "he hit me again last night and I am scared to go home",
        "I have not eaten in nine days and I fainted twice today",
        "I have given away my guitar and written letters to my family",
    ],
)
def test_the_screen_confirms_a_crisis_signal_said_now(screen: RiskScreen, text: str) -> None:
    assert detect(text).is_signal, "the rules alone call it a signal"
    verdict = screen.verdict(text)
    assert verdict.level is SafetyLevel.CRISIS
    assert verdict.rule is not None and verdict.rule.endswith(".confirmed")


def test_a_panic_attack_told_afterwards_is_not_a_crisis(screen: RiskScreen) -> None:
    text = "I had a panic attack yesterday and felt like I could not breathe"
    assert screen.verdict(text).level is not SafetyLevel.CRISIS


def test_short_everyday_turns_are_not_a_crisis(screen: RiskScreen) -> None:
    """400 short everyday check-in turns with no risk words (plans, goodbyes, requests,
    small talk, mild feelings, answers, decisions, leaving), written by a helper; before
    ``is_brief`` 45 were a crisis ("see you tomorrow"), measured 2026-12-07: 1 ("until
    tomorrow then"), none other flagged."""
    with (DATA / "short_everyday.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    assert len(texts) == 400
    levels = [screen.verdict(text).level for text in texts]
    assert sum(level is SafetyLevel.CRISIS for level in levels) <= 3
    assert sum(level is not SafetyLevel.NONE for level in levels) <= 5
    assert screen.verdict("see you tomorrow").level is SafetyLevel.NONE


@pytest.mark.parametrize(
    ("part", "crisis_found", "most_flagged", "most_crisis"),
    [
        # measured 2026-12-07 (crisis rows answered as crisis of 25; none rows flagged and
        # answered as crisis of 120): development 23, 19, 6 (names and brief turns were built
        # with it); held out, measured once after: 22, 20, 8 (before: 22, 22, 8)
        ("development", 21, 22, 8),
        ("held_out", 20, 23, 10),
    ],
)
def test_everyday_probes_with_risk_words_and_crises_beside_them(
    screen: RiskScreen, part: str, crisis_found: int, most_flagged: int, most_crisis: int
) -> None:
    """330 spoken-style turns written by a helper (``everyday_probes2.csv``): 240 ordinary
    ones holding a risk word (names of things, kitchen and tools, hyperbole, games and sport,
    fiction and news, topic questions, someone else's loss, work and tech) and 90 crises and
    concerns in the same words; every other row held out."""
    with (DATA / "everyday_probes2.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["part"] == part]
    assert len(rows) == 165
    levels = {row["text"]: screen.verdict(row["text"]).level for row in rows}
    crisis = [row["text"] for row in rows if row["label"] == "crisis"]
    none = [row["text"] for row in rows if row["label"] == "none"]
    assert (len(crisis), len(none)) == (25, 120)
    assert sum(levels[text] is SafetyLevel.CRISIS for text in crisis) >= crisis_found
    assert sum(levels[text] is not SafetyLevel.NONE for text in none) <= most_flagged
    assert sum(levels[text] is SafetyLevel.CRISIS for text in none) <= most_crisis
