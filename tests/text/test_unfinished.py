"""Words that stop mid-sentence (``voice.text.unfinished``)."""

from __future__ import annotations

import pytest

from voice.text.unfinished import sounds_unfinished


@pytest.mark.parametrize(
    "text",
    [
        "I went to the shop and",
        "I went to the shop and.",  # Whisper's stop after a fragment does not finish it
        "it was because my",
        "On the whole, the type of this book may be",  # no stop: Whisper heard no end
        "but the first Bible actually dated, which also was...",
        "In 1465,",
        "I think the um",
        "and then I",
        "the rest of",
    ],
)
def test_a_fragment_is_unfinished(text: str) -> None:
    assert sounds_unfinished(text, punctuated=True)


@pytest.mark.parametrize(
    "text",
    [
        "I went to the shop.",
        "Not really.",
        "I don't want to.",
        "I'm not sure what it's for.",
        "I think so.",
        "See you tomorrow!",
        "Did you hear about it?",
        "I gave up.",
        "",
    ],
)
def test_a_whole_sentence_is_finished(text: str) -> None:
    assert not sounds_unfinished(text, punctuated=True)


def test_a_missing_stop_counts_only_from_a_transcriber_that_punctuates() -> None:
    assert sounds_unfinished("a long day at work", punctuated=True)
    assert not sounds_unfinished("a long day at work", punctuated=False)
    assert sounds_unfinished("a long day at work and", punctuated=False)
