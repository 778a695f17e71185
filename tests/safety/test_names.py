"""Names of things that hold a risk word (``rules.names``), and the rules added with them
for a wish to join someone who died, a high place now, and a past attempt."""

from __future__ import annotations

import pytest

from voice.safety import SafetyLevel, detect
from voice.safety.rules.names import plain_names


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        (
            "My uncle's old Lincoln has suicide doors",
            "My uncle's old Lincoln has rear-hinged doors",
        ),
        ("The Suicide-Squeeze won it in the ninth", "The squeeze play won it in the ninth"),
        (
            "coach made us run suicides till we puked at practice",
            "coach made us run shuttle sprints till we puked at practice",
        ),
        ("at practice we did ten suicides", "at practice we run shuttle sprints"),
        ("shoot me an email with the details", "send me a message with the details"),
        (
            "how do i kill the parent process without killing the children",
            "how do i stop the parent process without stopping the children",
        ),
        ("we saw killer whales off the coast", "we saw orcas off the coast"),
        ("my dad calls it the suicide seat", "my dad calls it the front passenger seat"),
    ],
)
def test_a_name_is_said_plainly(text: str, plain: str) -> None:
    assert plain_names(text) == plain


@pytest.mark.parametrize(
    "text",
    [
        "my suicide note is in the drawer",
        "we made a suicide pact",
        "I want to kill my parents",  # no program in the turn: the words stand
        "I'll bash his door in and kill their children",
        "I'm going to kill myself",
        "I'm going to shoot him",
        "I ran suicides through my head all night",  # no training in the turn
        "I think about suicide every day",
        "suicide runs in my family",
        "I called one of the suicide lines last night",
        "our team lost two people to suicides this year",  # no verb of a drill
        "I was on cell suicide watch",
        "we do the suicide prevention training at work every year",
    ],
)
def test_risk_words_that_name_nothing_else_are_kept(text: str) -> None:
    assert plain_names(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "The suicide squeeze won them the game in the ninth.",
        "Coach made us do suicides at practice until half the team threw up.",
        "There's a suicide lane in the middle of this road and it terrifies me.",
        "The rocket does a suicide burn right before landing.",
    ],
)
def test_a_name_is_not_a_mention_of_suicide(text: str) -> None:
    assert detect(text).level is SafetyLevel.NONE


@pytest.mark.parametrize(
    "text",
    [
        "since my brother died i keep thinking about joining him soon",
        "Mum passed in March and I want to be with her now",
        "i drove to the multi storey after work, i'm on the top floor now",
        "Tonight I counted out every tablet in the house",
    ],
)
def test_joining_the_dead_or_a_high_place_now_is_a_crisis_signal(text: str) -> None:
    verdict = detect(text)
    assert verdict.level is SafetyLevel.CONCERN and verdict.is_signal, verdict


@pytest.mark.parametrize(
    "text",
    [
        "Since Dad died, Mum wants me to join her at church on Sundays.",
        "My friend's dog died so I'm joining her for a walk later.",
        "I parked on the top floor of the multi storey, it was the only space.",
        "After my attempt at baking bread I'm never doing it again.",
        "I failed my driving test, that was my second attempt.",
        "I counted out my pills for the week into the organiser",
    ],
)
def test_everyday_joins_floors_and_attempts_are_ordinary(text: str) -> None:
    assert detect(text).level is SafetyLevel.NONE


def test_a_past_attempt_without_the_word_suicide_is_a_concern() -> None:
    verdict = detect("I locked all the knives away years ago after my attempt.")
    assert verdict.level is SafetyLevel.CONCERN and verdict.rule == "suicide.past_attempt"


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("I've given my dog to my sister.", True),
        ("It'll all be over soon.", True),
        ("I've given my dog to my sister for the weekend while I'm away.", False),
        ("Don't worry, the exams will all be over soon, just two left.", False),
        ("This will be over soon.", False),  # reassurance, not a farewell
    ],
)
def test_brief_veiled_farewells_are_crisis_signals(text: str, signal: bool) -> None:
    """A brief turn the rules find nothing in needs the screen at 0.9 (``is_brief``); these
    veiled farewells are read by the rules, so the screen confirms them at 0.45."""
    assert detect(text).is_signal is signal
