"""The end of a turn, judged by an end-of-turn model (a fake here; the real one is in
tests/engines/test_turn_model.py): a pause it calls unfinished does not cut the turn, one it
calls complete ends it before the plain silence would, and a model that fails leaves the
turn to the plain silence. Without a model, words that stop mid-sentence at a pause keep
the turn open (``voice.text.unfinished``)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from fakes import (  # type: ignore[import-not-found]
    FAST,
    FakeTranscriber,
    FakeTurnModel,
    SessionHarness,
    silence,
    speech_frames,
)

from voice.audio.endpointer import PAUSE_MS, UNSURE_SILENCE_MS, EndpointerConfig
from voice.engines.stt import Transcription
from voice.protocol import Reply, SpeechStopped, Transcript

JUDGED = replace(
    FAST,
    endpointer=EndpointerConfig(pause_ms=PAUSE_MS, unsure_silence_ms=UNSURE_SILENCE_MS),
)


async def feed(h: SessionHarness, pcm: bytes) -> None:
    for i in range(0, len(pcm), 640):
        await h.session.on_audio(pcm[i : i + 640])
        await asyncio.sleep(0)


def stopped(h: SessionHarness) -> list[SpeechStopped]:
    return [m for m in h.messages() if isinstance(m, SpeechStopped)]


def test_a_thinking_pause_the_model_calls_unfinished_does_not_cut_the_turn() -> None:
    async def go() -> None:
        model = FakeTurnModel(0.1, 0.9)  # mid-sentence, then the real end
        h = SessionHarness(settings=JUDGED, turn_model=model)
        await feed(h, speech_frames(1.2) + silence(1.5))  # 1.5 s: the plain rule would end it
        await h.session.wait_idle()
        assert stopped(h) == []
        await feed(h, speech_frames(0.9) + silence(0.4))
        await h.session.wait_idle()
        assert stopped(h) == [SpeechStopped(turn=1, at_ms=3600)]
        assert len(model.calls) == 2 and model.calls[1] > model.calls[0] >= 1.2 * 32000
        # One turn, transcribed whole, answered once.
        final = [n for n, partial in h.transcriber.calls if not partial]
        assert final[-1] >= (1.2 + 1.5 + 0.9) * 32000
        assert [m.turn for m in h.messages() if isinstance(m, Reply)] == [1]
        assert [m.turn for m in h.messages() if isinstance(m, Transcript) and m.final] == [1]

    asyncio.run(asyncio.wait_for(go(), 20))


def test_a_pause_the_model_calls_complete_ends_the_turn_before_the_plain_silence() -> None:
    async def go() -> None:
        h = SessionHarness(settings=JUDGED, turn_model=FakeTurnModel(0.95))
        await feed(h, speech_frames(1.2) + silence(0.45))  # less than the plain 800 ms
        await h.session.wait_idle()
        assert stopped(h) == [SpeechStopped(turn=1, at_ms=1200)]
        assert any(isinstance(m, Reply) for m in h.messages(1))

    asyncio.run(asyncio.wait_for(go(), 20))


def test_a_turn_the_model_keeps_calling_unfinished_ends_at_the_longer_silence() -> None:
    async def go() -> None:
        h = SessionHarness(settings=JUDGED, turn_model=FakeTurnModel(0.1))
        await feed(h, speech_frames(1.2) + silence(UNSURE_SILENCE_MS / 1000 - 0.2))
        await h.session.wait_idle()
        assert stopped(h) == []
        await feed(h, silence(0.3))
        await h.session.wait_idle()
        assert stopped(h) == [SpeechStopped(turn=1, at_ms=1200)]

    asyncio.run(asyncio.wait_for(go(), 20))


def test_a_model_that_fails_leaves_the_turn_to_the_plain_silence() -> None:
    async def go() -> None:
        h = SessionHarness(settings=JUDGED, turn_model=FakeTurnModel(fail=True))
        await feed(h, speech_frames(1.2) + silence(0.6))
        await h.session.wait_idle()
        assert stopped(h) == []  # not ended early
        await feed(h, silence(0.3))  # past the plain 800 ms
        await h.session.wait_idle()
        assert stopped(h) == [SpeechStopped(turn=1, at_ms=1200)]
        assert any(isinstance(m, Reply) for m in h.messages(1))  # the session goes on

    asyncio.run(asyncio.wait_for(go(), 20))


class PunctuatingTranscriber(FakeTranscriber):
    """Says ``texts`` in turn for finals, punctuated as Whisper's are."""

    def __init__(self, *texts: str) -> None:
        super().__init__(text=texts[0])
        self.texts = list(texts)

    def transcribe(self, pcm: bytes, *, partial: bool = False) -> Transcription:
        heard = super().transcribe(pcm, partial=partial)
        if not partial and len(self.texts) > 1:
            self.text = self.texts[1]
            self.texts.pop(0)
        return Transcription(heard.text, heard.audio_seconds, punctuated=True)


def test_words_that_stop_mid_sentence_keep_the_turn_open_without_a_model() -> None:
    """ "I went to the shop and" at a 1.5 s pause: the plain 800 ms rule would cut it."""

    async def go() -> None:
        heard = PunctuatingTranscriber("I went to the shop and", "I went to the shop and cried.")
        h = SessionHarness(transcriber=heard)
        await feed(h, speech_frames(1.2) + silence(0.3))
        await h.session.wait_idle()  # the early words are read (~350 ms after the pause)
        await feed(h, silence(1.2))
        await h.session.wait_idle()
        assert stopped(h) == []
        await feed(h, speech_frames(0.9) + silence(0.9))
        await h.session.wait_idle()
        assert stopped(h) == [SpeechStopped(turn=1, at_ms=3600)]
        finals = [m.text for m in h.messages() if isinstance(m, Transcript) and m.final]
        assert finals == ["I went to the shop and cried."]
        assert [m.turn for m in h.messages() if isinstance(m, Reply)] == [1]

    asyncio.run(asyncio.wait_for(go(), 20))


def test_a_whole_sentence_ends_at_the_plain_silence() -> None:
    async def go() -> None:
        h = SessionHarness(transcriber=PunctuatingTranscriber("I went to the shop."))
        await feed(h, speech_frames(1.2) + silence(0.9))
        await h.session.wait_idle()
        assert stopped(h) == [SpeechStopped(turn=1, at_ms=1200)]

    asyncio.run(asyncio.wait_for(go(), 20))


def test_a_held_turn_still_ends_at_the_longer_silence() -> None:
    async def go() -> None:
        h = SessionHarness(transcriber=PunctuatingTranscriber("so I was thinking that maybe"))
        await feed(h, speech_frames(1.2) + silence(0.3))
        await h.session.wait_idle()  # the early words are read (~350 ms after the pause)
        await feed(h, silence(2.2))
        await h.session.wait_idle()
        assert stopped(h) == []
        await feed(h, silence(0.6))  # 3.1 s of silence: past UNSURE_SILENCE_MS
        await h.session.wait_idle()
        assert stopped(h) == [SpeechStopped(turn=1, at_ms=1200)]
        assert UNSURE_SILENCE_MS == 3000

    asyncio.run(asyncio.wait_for(go(), 20))
