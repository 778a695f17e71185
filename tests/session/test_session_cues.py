"""Prosody cues in a session with fake models: the ``cues`` event, the baseline it rests
on (per person and stored, or per session), the response latency, and the prompt."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from fakes import (  # type: ignore[import-not-found]
    FAST,
    FakeChatModel,
    FakeSynthesizer,
    FakeTranscriber,
    SessionHarness,
)
from synthetic_voice import RATE_HZ, pcm, silence, words  # type: ignore[import-not-found]

from voice.dialogue.chat import Role
from voice.dialogue.prompt import SYSTEM_PROMPT
from voice.prosody.baseline import Baseline, BaselineStore
from voice.prosody.measure import measure, with_words
from voice.protocol import Cues, ReplyDelta, SpeechStarted, Transcript

SAID = "hello there how are you"  # five words, what the fake transcriber hears
TTS_BYTES_PER_SECOND = 2 * FakeSynthesizer.sample_rate_hz


def usual_turn(i: int) -> bytes:
    """A usual turn: five words spoken briskly, at a usual level (varying a little)."""
    wobble = (-1, 0, 1, 0)[i % 4]
    return pcm(words(5, gap_seconds=0.07, peak=0.3 * 1.1**wobble, f0_hz=150.0 + 3 * wobble))


def quiet_slow_turn() -> bytes:
    """The same five words, 13 dB quieter and with long pauses between them."""
    return pcm(words(5, gap_seconds=0.6, peak=0.07, f0_hz=150.0))


class Harness(SessionHarness):  # type: ignore[misc]
    def __init__(
        self,
        *,
        user: str | None = None,
        store: BaselineStore | None = None,
        chat: FakeChatModel | None = None,
        clock: Callable[[], float] = time.monotonic,
        voice_notes: bool = True,
    ) -> None:
        super().__init__(
            chat,
            FakeTranscriber(text=SAID),
            input_rate_hz=RATE_HZ,
            user=user,
            store=store,
            clock=clock,
            settings=replace(FAST, voice_notes=voice_notes),
        )

    def cues(self, turn: int) -> Cues:
        (found,) = [m for m in self.messages(turn) if isinstance(m, Cues)]
        return found

    async def speak(self, audio: bytes, on_chunk: Callable[[], None] | None = None) -> None:
        """Feed a turn (with silence before and after) in 20 ms chunks, and wait for its reply."""
        stream = pcm(silence(0.6)) + audio + pcm(silence(1.0))
        for i in range(0, len(stream), 640):
            await self.session.on_audio(stream[i : i + 640])
            if on_chunk is not None:
                on_chunk()
            await asyncio.sleep(0)
        await self.session.wait_idle()


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 30))


def test_cues_follow_each_final_transcript_against_this_session_only() -> None:
    async def go() -> None:
        h = Harness()  # no user in hello: a session-only baseline
        for i in range(3):
            await h.speak(usual_turn(i))
        for turn in (1, 2, 3):
            msgs = h.messages(turn)
            kinds = [type(m).__name__ for m in msgs]
            final = msgs.index(Transcript(turn=turn, text=SAID, final=True))
            assert kinds[final + 1] == "Cues"
            assert kinds.index("ReplyDelta") > final + 1
            cues = h.cues(turn)
            assert cues.baseline_turns == turn - 1 and cues.baseline_scope == "session"
            assert cues.features["pitch_median_hz"] is not None
            assert 140.0 < cues.features["pitch_median_hz"] < 160.0
            speaking_rate = cues.features["speaking_rate_words_per_second"]
            assert speaking_rate is not None and 3.0 < speaking_rate < 4.5
            assert cues.summary == ""
        assert h.cues(1).relative == {} and h.cues(1).confidence == 0.0
        assert "intensity_mean_db" in h.cues(3).relative

    run(go)


def test_the_summary_of_a_quieter_slower_turn_reaches_the_prompt(tmp_path: Path) -> None:
    store = BaselineStore(tmp_path)
    usual = Baseline()
    for i in range(4):  # four earlier turns of this person, from past sessions
        measured = measure(np.frombuffer(usual_turn(i), "<i2") / 32768.0, RATE_HZ)
        usual = usual.add(with_words(measured, word_count=5, response_latency_seconds=None))
    store.save("maria_01", usual)

    async def go() -> None:
        h = Harness(user="maria_01", store=store)
        await h.speak(quiet_slow_turn())
        cues = h.cues(1)
        assert cues.baseline_scope == "user" and cues.baseline_turns == 4
        assert cues.summary == "slower and quieter than usual, with more pauses"
        assert cues.activation < -0.5 and cues.confidence > 0.3
        prompt = h.chat.prompts[-1]
        assert prompt[0].role == Role.SYSTEM and prompt[0].content == SYSTEM_PROMPT
        user = prompt[-1]
        assert user.role == Role.USER
        assert user.content.startswith(SAID + "\n\n[")
        assert "slower and quieter than usual, with more pauses" in user.content
        assert "not said by the person" in user.content and "is that right?" in user.content
        # The next turn is like the person's usual: no note, and history keeps only words.
        await h.speak(usual_turn(1))
        assert h.cues(2).summary == "" and h.cues(2).baseline_turns == 5
        prompt = h.chat.prompts[-1]
        assert [m.content for m in prompt[1:]] == [SAID, "Thanks. That sounds hard.", SAID]
        await h.session.close()
        assert store.load("maria_01").turns == 6

    run(go)


def test_without_voice_notes_the_reply_is_not_told_how_the_voice_sounds(tmp_path: Path) -> None:
    store = BaselineStore(tmp_path)
    usual = Baseline()
    for i in range(4):
        measured = measure(np.frombuffer(usual_turn(i), "<i2") / 32768.0, RATE_HZ)
        usual = usual.add(with_words(measured, word_count=5, response_latency_seconds=None))
    store.save("maria_01", usual)

    async def go() -> None:
        h = Harness(user="maria_01", store=store, voice_notes=False)
        await h.speak(quiet_slow_turn())
        # Measured and sent as before (the page keeps or drops it) ...
        assert h.cues(1).summary == "slower and quieter than usual, with more pauses"
        # ... but the model hears only the words, so the reply cannot mention the voice.
        assert [m.content for m in h.chat.prompts[-1][1:]] == [SAID]
        await h.session.close()

    run(go)


def test_the_stored_baseline_carries_over_to_the_next_session(tmp_path: Path) -> None:
    store = BaselineStore(tmp_path)

    async def go() -> None:
        first = Harness(user="sam", store=store)
        await first.speak(usual_turn(0))
        await first.speak(usual_turn(1))
        await first.session.close()
        second = Harness(user="sam", store=store)
        await second.speak(usual_turn(2))
        assert second.cues(1).baseline_turns == 2 and second.cues(1).baseline_scope == "user"
        await second.session.close()
        other = Harness(user="alex", store=store)
        await other.speak(usual_turn(2))
        assert other.cues(1).baseline_turns == 0  # one person's baseline is theirs alone
        await other.session.close()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["alex.json", "sam.json"]

    run(go)


def test_an_unreadable_stored_baseline_is_left_alone(tmp_path: Path) -> None:
    store = BaselineStore(tmp_path)
    store.path("kim").write_text("{damaged")

    async def go() -> None:
        h = Harness(user="kim", store=store)
        await h.speak(usual_turn(0))
        await h.speak(usual_turn(1))
        await h.session.close()
        assert [h.cues(t).baseline_scope for t in (1, 2)] == ["session", "session"]
        assert h.cues(2).baseline_turns == 1
        assert any(isinstance(m, ReplyDelta) for m in h.messages(2))

    run(go)
    assert store.path("kim").read_text() == "{damaged"


def test_response_latency_is_measured_from_the_end_of_the_spoken_question() -> None:
    now = [100.0]

    def tick() -> None:
        now[0] += 0.02  # 20 ms of audio per chunk, streamed in real time

    async def go() -> None:
        h = Harness(clock=lambda: now[0])
        await h.session.start()
        await h.session.wait_idle()
        greeting_seconds = sum(len(m) for m in h.sent if isinstance(m, bytes))
        greeting_seconds /= TTS_BYTES_PER_SECOND
        now[0] += greeting_seconds + 2.0  # the question ends; two seconds pass in silence
        await h.speak(usual_turn(0), tick)
        assert SpeechStarted(turn=1, at_ms=900) in h.sent  # then 0.9 s more silence
        latency = h.cues(1).features["response_latency_seconds"]
        assert latency is not None and abs(latency - 2.9) < 0.035
        # Speaking before the reply's audio has finished playing is a barge-in: no latency.
        await h.speak(usual_turn(1))
        assert h.cues(2).features["response_latency_seconds"] is None

    run(go)
