"""The gate that keeps Whisper's inventions out of the conversation (no model loaded)."""

from __future__ import annotations

import pytest

from voice.engines.stt import Segment, accept_segments


def seg(
    text: str,
    *,
    avg_logprob: float = -0.25,
    no_speech_prob: float = 0.02,
    compression_ratio: float = 1.3,
) -> Segment:
    return Segment(text, avg_logprob, no_speech_prob, compression_ratio)


def test_confident_speech_is_kept_and_stripped() -> None:
    assert accept_segments([seg("  I slept badly last night. ")]) == "I slept badly last night."


def test_segments_are_joined_with_spaces() -> None:
    segments = [seg(" Work was busy."), seg(" But I went for a walk."), seg("It helped.")]
    assert accept_segments(segments) == "Work was busy. But I went for a walk. It helped."


def test_nothing_in_nothing_out() -> None:
    assert accept_segments([]) == ""
    assert accept_segments([seg("   ")]) == ""


def test_subtitle_credit_on_unsure_audio_is_dropped() -> None:
    assert accept_segments([seg(" Thank you for watching.", no_speech_prob=0.4)]) == ""


def test_hallucination_phrase_with_low_confidence_is_dropped() -> None:
    assert accept_segments([seg(" Thank you.", no_speech_prob=0.05, avg_logprob=-0.8)]) == ""


def test_a_confident_thank_you_is_kept() -> None:
    assert accept_segments([seg(" Thank you.", no_speech_prob=0.05, avg_logprob=-0.2)]) == (
        "Thank you."
    )


@pytest.mark.parametrize(
    "tag", ["[Music]", "(coughs)", " [BLANK_AUDIO] ", "♪", "♪ la la ♪", "*sigh*"]
)
def test_sound_tags_are_dropped(tag: str) -> None:
    assert accept_segments([seg("I'm okay."), seg(tag), seg("Really.")]) == "I'm okay. Really."


def test_repetitive_segment_is_dropped() -> None:
    looping = seg(" I feel, I feel, I feel, I feel, I feel, I feel.", compression_ratio=3.1)
    assert accept_segments([seg("Today"), looping]) == "Today"


def test_compression_ratio_at_the_limit_is_kept() -> None:
    assert accept_segments([seg("Tired, tired, tired.", compression_ratio=2.4)]) == (
        "Tired, tired, tired."
    )


def test_whispers_own_no_speech_rule() -> None:
    unsure = seg(" I went to the shop.", no_speech_prob=0.7, avg_logprob=-1.2)
    assert accept_segments([unsure]) == ""
    # Either figure alone is not enough to drop ordinary words.
    no_speech_but_confident = seg(" I went to the shop.", no_speech_prob=0.7, avg_logprob=-0.5)
    speech_but_unsure = seg(" And home again.", no_speech_prob=0.1, avg_logprob=-1.5)
    assert accept_segments([no_speech_but_confident, speech_but_unsure]) == (
        "I went to the shop. And home again."
    )


def test_only_the_bad_segments_are_dropped() -> None:
    segments = [
        seg(" Thanks for watching!", no_speech_prob=0.5),
        seg(" Honestly I feel lighter today."),
        seg("[Music]"),
        seg(" Bye.", no_speech_prob=0.3),
    ]
    assert accept_segments(segments) == "Honestly I feel lighter today."
