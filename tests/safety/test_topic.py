"""A question about a topic is nobody's disclosure; a question that hides one is not gated."""

from __future__ import annotations

import pytest

from voice.safety import SafetyLevel, detect
from voice.safety.normalise import normalise
from voice.safety.rules.topic import is_topic_question


@pytest.mark.parametrize(
    "text",
    [
        "What is suicidal ideation?",
        "what does the term passive suicidal ideation mean",
        "What's the difference between self-harm and a suicide attempt?",
        "Why is the suicide rate higher in men than in women?",
        "How common is self harm among teenagers?",
        "How many people die from overdoses each year in the US?",
        "Why did Sylvia Plath kill herself?",
        "How did Van Gogh die?",
        "Who shot John Lennon?",
        "What happened at Jonestown?",
        "What are the warning signs of depression?",
        "Can you explain what a panic attack is?",
        "what is a hollow point bullet",
        "How does naloxone work?",
        "Is euthanasia legal in Canada?",
    ],
)
def test_a_question_about_a_topic_is_none(text: str) -> None:
    assert is_topic_question(normalise(text))
    assert detect(text).level is SafetyLevel.NONE


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # the asker is in it
        ("Why do I want to die all the time?", SafetyLevel.CRISIS),
        ("what is suicidal ideation? because I think I have it", SafetyLevel.CRISIS),
        ("Is it normal to want to kill myself every day?", SafetyLevel.CRISIS),
        # it asks about means, a method, or how dying feels
        ("What is the lethal dose of paracetamol?", SafetyLevel.CRISIS),
        ("How many pills does it take to die?", SafetyLevel.CRISIS),
        ("is it true that drowning is a peaceful way to die?", SafetyLevel.CRISIS),
        ("what is the tallest bridge to jump from", None),
        # a question that only looks like one
        ("What is the point of living?", None),
        ("When is it ok to give up on life?", None),
        ("How did she die? She was only twenty and I can't stop crying", None),
    ],
)
def test_a_question_with_the_asker_or_a_method_in_it_is_read_as_before(
    text: str, level: SafetyLevel | None
) -> None:
    assert not is_topic_question(normalise(text))
    if level is not None:
        assert detect(text).level is level


def test_a_topic_question_among_other_sentences_is_read_whole() -> None:
    text = "I have not slept in days. What is suicidal ideation?"
    assert not is_topic_question(normalise(text))


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("what is a painless way to die?", SafetyLevel.CRISIS),
        ("is drowning a peaceful way to die?", SafetyLevel.CRISIS),
        ("whats the least painful way to go", SafetyLevel.CRISIS),
        ("what's the fastest way to die in minecraft", SafetyLevel.NONE),
        ("what is the quickest way to go downtown", SafetyLevel.NONE),
        ("the best way to go to the airport from here?", SafetyLevel.NONE),
    ],
)
def test_asking_for_a_way_to_die_is_research_without_a_search(
    text: str, level: SafetyLevel
) -> None:
    verdict = detect(text)
    assert verdict.level is level
    if level is SafetyLevel.CRISIS:
        assert verdict.rule == "suicide.research"
