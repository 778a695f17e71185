"""Hearing, the clock-free audio core of a session: turn events, early transcription at a
pause, and partial transcripts, from audio alone."""

from __future__ import annotations

import numpy as np
from fakes import FakeDetector, silence, speech_frames  # type: ignore[import-not-found]

from voice.audio.endpointer import (
    PAUSE_MS,
    UNSURE_SILENCE_MS,
    EndpointerConfig,
    TurnEnded,
    TurnStarted,
)
from voice.session.hearing import (
    PARTIAL_INTERVAL_MS,
    Hearing,
    PartialDue,
    PauseHeard,
)


def hearing(rate_hz: int = 16000) -> Hearing:
    return Hearing(FakeDetector(), input_rate_hz=rate_hz, endpointer=EndpointerConfig())


def feed(h: Hearing, pcm: bytes, *, busy: bool = False) -> list[object]:
    """In 20 ms chunks, like a microphone."""
    events: list[object] = []
    for i in range(0, len(pcm), 640):
        events += h.feed(pcm[i : i + 640], partial_busy=busy)
    return events


def kinds(events: list[object]) -> list[str]:
    return [type(e).__name__ for e in events]


def test_a_turn_with_partials_then_a_pause_then_its_end() -> None:
    h = hearing()
    events = feed(h, silence(0.6) + speech_frames(2.4) + silence(1.0))
    assert kinds(events) == [
        "TurnStarted", "PartialDue", "PartialDue", "PauseHeard", "TurnEnded",
    ]  # fmt: skip
    started, pause, ended = events[0], events[3], events[4]
    assert isinstance(started, TurnStarted) and started.at_ms == 600
    assert isinstance(pause, PauseHeard) and isinstance(ended, TurnEnded)
    # The early transcript is of the same speech the turn ends with.
    assert pause.speech_end_ms == ended.at_ms == 3000
    assert pause.pcm[: len(ended.pcm)] == ended.pcm[: len(pause.pcm)]
    partials = [e for e in events if isinstance(e, PartialDue)]
    # A second of speech after the start, and another, each with the 300 ms pre-roll.
    assert [len(p.pcm) // 32 for p in partials] == [300 + 1020, 300 + 2040]


def test_speech_after_a_pause_gives_a_new_pause_later() -> None:
    h = hearing()
    pauses = [
        e
        for e in feed(h, speech_frames(0.6) + silence(0.45) + speech_frames(0.6) + silence(1.0))
        if isinstance(e, PauseHeard)
    ]
    assert [p.speech_end_ms for p in pauses] == [600, 1650]
    assert len(pauses[1].pcm) > len(pauses[0].pcm)


def test_no_partial_while_one_is_being_made() -> None:
    events = feed(hearing(), speech_frames(3.0), busy=True)
    assert kinds(events) == ["TurnStarted"]


def test_one_partial_per_chunk_even_when_a_chunk_is_long() -> None:
    h = hearing()
    events = h.feed(speech_frames(4.5))  # one 4.5 s chunk: one partial, not four
    assert kinds(events) == ["TurnStarted", "PartialDue"]


def test_commit_ends_the_turn_and_pauses_are_reported_once() -> None:
    h = hearing()
    events = feed(h, speech_frames(0.6) + silence(EndpointerConfig().pause_ms / 1000 + 0.09))
    assert kinds(events) == ["TurnStarted", "PauseHeard"]
    assert h.in_turn
    (ended,) = h.commit()
    assert isinstance(ended, TurnEnded) and ended.reason == "commit" and ended.at_ms == 600
    assert not h.in_turn and h.commit() == []
    assert PARTIAL_INTERVAL_MS > 990  # no partial was due in so short a turn


def test_48_khz_audio_is_heard_at_its_true_times() -> None:
    h = hearing(48000)
    loud = np.full(48000, 8000, dtype="<i2").tobytes()
    events = h.feed(bytes(48000 * 2 // 2) + loud + bytes(48000 * 2))
    started = next(e for e in events if isinstance(e, TurnStarted))
    assert abs(started.at_ms - 500) <= 30
    assert h.position_ms // 30 * 30 == h.position_ms and 2400 <= h.position_ms <= 2500


def judged() -> Hearing:
    config = EndpointerConfig(pause_ms=PAUSE_MS, unsure_silence_ms=UNSURE_SILENCE_MS)
    return Hearing(FakeDetector(), input_rate_hz=16000, endpointer=config)


def pause_in(events: list[object]) -> PauseHeard:
    [pause] = [e for e in events if isinstance(e, PauseHeard)]
    return pause


def test_with_a_model_a_pause_is_judged_and_complete_ends_the_turn_there() -> None:
    h = judged()
    pause = pause_in(feed(h, speech_frames(0.9) + silence(0.3)))
    assert pause.speech_end_ms == 900
    [ended] = h.judge(pause, True)
    assert isinstance(ended, TurnEnded) and ended.reason == "complete" and ended.at_ms == 900
    assert pause.pcm[: len(ended.pcm)] == ended.pcm[: len(pause.pcm)] and not h.in_turn


def test_a_verdict_on_a_pause_the_person_spoke_after_changes_nothing() -> None:
    h = judged()
    pause = pause_in(feed(h, speech_frames(0.9) + silence(0.3)))
    feed(h, speech_frames(0.6))  # they went on before the model answered
    assert h.judge(pause, True) == [] and h.in_turn
    later = pause_in(feed(h, silence(0.3)))
    assert later.speech_end_ms == 1800 and h.judge(pause, True) == []
    assert [e.reason for e in h.judge(later, True)] == ["complete"]  # type: ignore[attr-defined]
    assert h.judge(later, True) == []  # the turn is already over


def test_unfinished_waits_the_longer_silence_and_no_verdict_the_plain_one() -> None:
    h = judged()
    pause = pause_in(feed(h, speech_frames(0.9) + silence(0.3)))
    assert h.judge(pause, False) == []
    assert kinds(feed(h, silence(UNSURE_SILENCE_MS / 1000 - 0.4))) == []
    assert kinds(feed(h, silence(0.2))) == ["TurnEnded"]
    h = judged()
    pause = pause_in(feed(h, speech_frames(0.9) + silence(0.9)))  # past the plain 800 ms
    assert [e.reason for e in h.judge(pause, None)] == ["silence"]  # type: ignore[attr-defined]
