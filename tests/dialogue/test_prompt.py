"""Greeting, prompt building, speech clean-up and reply shaping."""

from __future__ import annotations

from datetime import datetime

import pytest

from voice.dialogue.chat import ChatMessage, Role
from voice.dialogue.prompt import (
    HISTORY_STEP,
    MAX_HISTORY_CHARS,
    MAX_HISTORY_TURNS,
    SYSTEM_PROMPT,
    Exchange,
    ReplyShaper,
    build_messages,
    clean_for_speech,
    greeting,
    history_window,
)

REST = " It's good to hear from you. How are you feeling today?"


@pytest.mark.parametrize(
    ("hour", "opener"),
    [
        (5, "Good morning."),
        (11, "Good morning."),
        (12, "Good afternoon."),
        (17, "Good afternoon."),
        (18, "Good evening."),
        (22, "Good evening."),
        (23, "Hi, I'm here."),
        (0, "Hi, I'm here."),
        (4, "Hi, I'm here."),
    ],
)
def test_greeting_by_hour(hour: int, opener: str) -> None:
    assert greeting(datetime(2025, 3, 14, hour, 59)) == opener + REST


def test_build_messages_without_history() -> None:
    assert build_messages([], "I slept badly.") == [
        ChatMessage(Role.SYSTEM, SYSTEM_PROMPT),
        ChatMessage(Role.USER, "I slept badly."),
    ]


def test_cues_summary_is_a_tentative_note_in_the_user_turn_only() -> None:
    history = [Exchange("I'm okay.", "Good to hear. What did you do today?")]
    plain = build_messages(history, "Not much.")
    cued = build_messages(history, "Not much.", "slower and quieter than usual")
    assert cued[:-1] == plain[:-1]  # the system prompt and history stay byte-identical
    note = cued[-1].content
    assert cued[-1].role == Role.USER and note.startswith("Not much.\n\n[")
    assert note.endswith("]") and "slower and quieter than usual" in note
    assert "not said by the person" in note and "may be wrong" in note
    assert "is that right?" in note and "Never label" in note
    assert build_messages(history, "Not much.", "") == plain


def test_build_messages_keeps_the_most_recent_exchanges_in_order() -> None:
    history = [Exchange(f"user {i}", f"assistant {i}") for i in range(20)]
    messages = build_messages(history, "now")
    assert messages[0] == ChatMessage(Role.SYSTEM, SYSTEM_PROMPT)
    kept = range(2 * HISTORY_STEP, 20)  # 20 is over MAX_HISTORY_TURNS: two steps left
    expected_middle = []
    for i in kept:
        expected_middle += [
            ChatMessage(Role.USER, f"user {i}"),
            ChatMessage(Role.ASSISTANT, f"assistant {i}"),
        ]
    assert messages[1:-1] == expected_middle
    assert messages[-1] == ChatMessage(Role.USER, "now")
    assert len(kept) <= MAX_HISTORY_TURNS


def test_the_prompt_begins_as_the_last_one_did_but_once_a_step() -> None:
    """The model's cache of a prompt's beginning is reused only if the next prompt begins
    the same: over 40 turns the window of earlier exchanges moves on 5 times, not 34."""
    history: list[Exchange] = []
    previous: list[ChatMessage] = []
    moves = 0
    for turn in range(40):
        messages = build_messages(history, f"turn {turn}")
        assert len(messages) <= 2 + 2 * MAX_HISTORY_TURNS
        said = messages[:-1]  # the earlier part, before this turn's words
        if said[: len(previous)] != previous:
            moves += 1
        previous = [*said, messages[-1]]
        history.append(Exchange(f"turn {turn}", f"reply {turn}"))
    assert moves == (40 - MAX_HISTORY_TURNS - 1) // HISTORY_STEP + 1 == 5


def test_long_exchanges_leave_the_prompt_to_keep_it_inside_the_context() -> None:
    minute = "word " * 200  # about a minute of speech, 1,000 characters
    history = [Exchange(minute, "That sounds like a lot to carry.") for _ in range(9)]
    window = history_window(history)
    assert sum(len(e.user) + len(e.assistant) for e in window) <= MAX_HISTORY_CHARS
    assert len(window) == 3 and window[-1] is history[-1]  # six left, the latest kept


def test_build_messages_with_short_history_keeps_all_of_it() -> None:
    history = (Exchange("hi", "hello"), Exchange("tired", "that sounds hard"))
    assert [(m.role, m.content) for m in build_messages(history, "yes")] == [
        (Role.SYSTEM, SYSTEM_PROMPT),
        (Role.USER, "hi"),
        (Role.ASSISTANT, "hello"),
        (Role.USER, "tired"),
        (Role.ASSISTANT, "that sounds hard"),
        (Role.USER, "yes"),
    ]


@pytest.mark.parametrize(
    ("raw", "spoken"),
    [
        ("**Take** a _slow_ breath.", "Take a slow breath."),
        ("# Tonight\nRest well.", " Tonight\nRest well."),
        ("Try `box breathing` now.", "Try box breathing now."),
        ("Read [this short guide](https://example.org/a_b) today.", "Read this short guide today."),
        ("I'm glad 😊 you came ❤️!", "I'm glad  you came !"),
        ("Great job 👍🏽.", "Great job ."),
    ],
)
def test_clean_for_speech_strips_markdown_and_emoji(raw: str, spoken: str) -> None:
    assert clean_for_speech(raw) == spoken


def test_clean_for_speech_keeps_ordinary_punctuation() -> None:
    text = "It's okay—really? Yes… “fine”, (maybe); don't rush: 3.5 hours, 50%! Isn’t it?"
    assert clean_for_speech(text) == text


def test_reply_shaper_stops_after_a_question() -> None:
    shaper = ReplyShaper()
    assert shaper.accept("That sounds like a heavy day.") is True
    assert shaper.done is False
    assert shaper.accept("What helped you get through it?") is False
    assert shaper.done is True


def test_reply_shaper_stops_after_three_sentences() -> None:
    shaper = ReplyShaper()
    assert [
        shaper.accept("You did a lot today."),
        shaper.accept("Rest is earned."),
        shaper.accept("Be kind to yourself!"),
    ] == [True, True, False]
    assert shaper.done


def test_reply_shaper_does_not_count_clauses() -> None:
    shaper = ReplyShaper(max_sentences=2)
    assert shaper.accept("When the evening gets quiet and slow,") is True
    assert shaper.accept("you could try a short walk.") is True
    assert shaper.accept("It often helps.") is False


def test_reply_shaper_sees_a_question_inside_closing_quotes() -> None:
    shaper = ReplyShaper()
    assert shaper.accept('Maybe ask yourself, "what do I need?"') is False
