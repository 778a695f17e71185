"""The life of a turn in a session (fake models): its states in order, and every task the
session starts (early transcription, prosody, partials, replies) tracked and cancelled
when it is out of date, on barge-in and at close."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from fakes import (  # type: ignore[import-not-found]
    FakeChatModel,
    FakeTranscriber,
    SessionHarness,
    silence,
    speech_frames,
)

from voice.protocol import AudioEnd, Reply, SpeechStarted, Transcript
from voice.session.session import SessionSettings
from voice.session.turn import Turn, TurnState

S = TurnState


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 20))


async def feed(h: SessionHarness, pcm: bytes) -> None:
    for i in range(0, len(pcm), 640):
        await h.session.on_audio(pcm[i : i + 640])
        await asyncio.sleep(0)


class Gate:
    """Wraps ``engines.transcribe``: calls of one kind wait for ``open``, and every start
    and cancellation is recorded."""

    def __init__(self, h: SessionHarness, *, partial: bool) -> None:
        self.opened = asyncio.Event()
        self.started = 0
        self.cancelled = 0
        original = h.engines.transcribe

        async def gated(pcm: bytes, *, partial: bool) -> Any:
            if partial != self.partial:
                return await original(pcm, partial=partial)
            self.started += 1
            try:
                await self.opened.wait()
            except asyncio.CancelledError:
                self.cancelled += 1
                raise
            return await original(pcm, partial=partial)

        self.partial = partial
        h.engines.transcribe = gated  # type: ignore[method-assign]


def test_a_spoken_turn_goes_through_every_state_in_order() -> None:
    async def go() -> None:
        h = SessionHarness()
        await h.session.start()
        await h.session.wait_idle()
        await feed(h, silence(0.6) + speech_frames(1.2) + silence(1.0))
        await h.session.wait_idle()
        greeting, spoken = h.session.turns
        assert greeting.history == [S.REPLYING, S.ANSWERED]
        assert spoken.number == 1
        assert spoken.history == [S.SPEAKING, S.TRANSCRIBING, S.DECIDING, S.REPLYING, S.ANSWERED]
        assert spoken.stt_ms is not None and spoken.reply_audio_end_at is not None

    run(go)


def test_noise_ends_empty_and_a_typed_turn_starts_at_deciding() -> None:
    async def go() -> None:
        h = SessionHarness(transcriber=FakeTranscriber(text="", partial=""))
        await feed(h, speech_frames(0.6) + silence(1.0))
        await h.session.wait_idle()
        await h.session.on_text("I typed this")
        await h.session.wait_idle()
        noise, typed = h.session.turns
        assert noise.history == [S.SPEAKING, S.TRANSCRIBING, S.EMPTY]
        assert typed.history == [S.DECIDING, S.REPLYING, S.ANSWERED]

    run(go)


def test_barge_in_interrupts_the_turn_being_answered() -> None:
    async def go() -> None:
        chat = FakeChatModel(pieces=["One two three four five six seven. "] * 3)
        h = SessionHarness(chat=chat, settings=SessionSettings(audio_lead_seconds=0.05))
        await h.session.on_text("tell me a story")
        while not any(isinstance(m, bytes) for m in h.sent):
            await asyncio.sleep(0.01)
        await h.session.on_audio(speech_frames(0.6))
        told, barging = h.session.turns
        assert told.history == [S.DECIDING, S.REPLYING, S.INTERRUPTED]
        assert barging.state is S.SPEAKING
        ends = [m for m in h.sent if isinstance(m, AudioEnd)]
        assert ends == [AudioEnd(turn=1, interrupted=True)]
        (reply,) = [m for m in h.sent if isinstance(m, Reply)]  # whole text, or cut short
        assert reply.interrupted or reply.text.count("seven") == 3
        assert h.sent.index(ends[0]) < h.sent.index(SpeechStarted(turn=2, at_ms=0))
        await h.session.close()

    run(go)


def test_a_turn_overtaken_by_more_speech_is_merged_into_the_next() -> None:
    async def go() -> None:
        h = SessionHarness()
        gate = Gate(h, partial=False)
        await feed(h, speech_frames(0.6) + silence(0.9) + speech_frames(0.6))
        gate.opened.set()
        await feed(h, silence(1.5))  # the person went on: now 1.2 s of silence ends a turn
        await h.session.wait_idle()
        first, second = h.session.turns
        assert first.history == [S.SPEAKING, S.TRANSCRIBING, S.MERGED]
        assert second.history[-1] is S.ANSWERED
        assert h.chat.prompts[-1][-1].content == "hello there hello there"

    run(go)


def test_an_early_transcript_out_of_date_is_cancelled() -> None:
    async def go() -> None:
        h = SessionHarness()
        gate = Gate(h, partial=False)
        # A pause long enough to start the final transcript early, then more speech.
        await feed(h, speech_frames(0.6) + silence(0.45) + speech_frames(0.6) + silence(0.45))
        assert gate.started == 2 and gate.cancelled == 1  # the first pause's is dropped
        gate.opened.set()
        await feed(h, silence(0.6))
        await h.session.wait_idle()
        assert gate.started == 2, "the turn's end used the second pause's transcript"
        (turn,) = h.session.turns
        assert turn.state is S.ANSWERED

    run(go)


def test_a_partial_still_running_at_the_end_of_the_turn_is_cancelled() -> None:
    async def go() -> None:
        h = SessionHarness()
        gate = Gate(h, partial=True)
        await feed(h, speech_frames(1.5) + silence(1.0))
        await h.session.wait_idle()
        assert gate.started == 1 and gate.cancelled == 1
        assert not [m for m in h.sent if isinstance(m, Transcript) and not m.final]
        assert h.session.turns[0].state is S.ANSWERED

    run(go)


def test_close_cancels_everything_in_flight() -> None:
    async def go() -> None:
        h = SessionHarness()
        gate = Gate(h, partial=False)
        await feed(h, speech_frames(0.6) + silence(1.0))  # waiting for its transcript
        assert gate.started == 1
        await h.session.close()
        assert gate.cancelled == 1
        await asyncio.wait_for(h.session.wait_idle(), 1)  # nothing is left running
        assert h.session.turns[0].state is S.TRANSCRIBING

    run(go)


def test_a_new_reply_cuts_short_the_one_still_playing() -> None:
    async def go() -> None:
        chat = FakeChatModel(pieces=["One two three four five six seven. "] * 3)
        h = SessionHarness(chat=chat, settings=SessionSettings(audio_lead_seconds=0.05))
        await h.session.start()
        await h.session.on_text("first")  # a typed turn interrupts the greeting too
        await h.session.on_text("second")
        await h.session.wait_idle()
        states = [t.state for t in h.session.turns]
        assert states == [S.INTERRUPTED, S.INTERRUPTED, S.ANSWERED]
        starts = [m.turn for m in h.messages() if type(m).__name__ == "AudioStart"]
        ends = [(m.turn, m.interrupted) for m in h.messages() if isinstance(m, AudioEnd)]
        assert ends == [(t, t != 2) for t in starts]  # each reply closed before the next

    run(go)


def test_a_failing_task_is_reported_by_failed() -> None:
    """A bug (here: sending audio breaks) fails the session; a model that fails does not (see
    test_fail_soft)."""

    async def go() -> None:
        h = SessionHarness()

        replies = h.session._replies  # what speaks the reply, through the session's send
        send = replies._send

        async def broken_send(item: object) -> None:
            if isinstance(item, bytes):  # the reply's audio, sent by the reply's task
                raise RuntimeError("a bug")
            await send(item)

        replies._send = broken_send
        await h.session.on_text("hello")
        await asyncio.wait_for(h.session.failed(), 5)
        await h.session.close()

    run(go)


def test_a_move_the_lifecycle_does_not_allow_raises() -> None:
    turn = Turn(3, S.SPEAKING)
    with pytest.raises(RuntimeError, match="speaking cannot become replying"):
        turn.move(S.REPLYING)
    turn.move(S.TRANSCRIBING)
    turn.move(S.EMPTY)
    assert turn.state.final and turn.history == [S.SPEAKING, S.TRANSCRIBING, S.EMPTY]
