"""Patience (fake models): a person who goes on speaking soon after a turn was ended on
silence, without answering a reply (none reached them, or it had only just begun), was cut
off mid-thought; from then on their turns wait for a silence as long as that pause and a
margin, so the next pause like it is kept inside the turn. Answering a reply heard for a
second, a commit, or a long gap teaches nothing."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from fakes import (  # type: ignore[import-not-found]
    FakeChatModel,
    FakeTranscriber,
    SessionHarness,
    silence,
    speech_frames,
)

from voice.audio.endpointer import (
    END_SILENCE_MS,
    MAX_END_SILENCE_MS,
    Endpointer,
    TurnEnded,
    TurnEvent,
)
from voice.audio.vad import FRAME_BYTES
from voice.dialogue.chat import ChatMessage
from voice.protocol import Reply, ReplyDelta, SpeechStopped, Transcript
from voice.session.hearing import (
    MAX_PATIENCE_MS,
    PATIENCE_MARGIN_MS,
    RESUMED_WITHIN_MS,
    patient_silence,
)

# --- the pure parts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end_ms", "gap_ms", "expected"),
    [
        (800, 1500, 1500 + PATIENCE_MARGIN_MS),  # the pause they took, and a margin
        (800, 300, 800),  # never shorter than it was
        (1800, 1200, 1800),
        (800, 4000, MAX_PATIENCE_MS),  # bounded
        (3000, 1500, 3000),  # a client's own longer silence is kept
    ],
)
def test_patient_silence(end_ms: int, gap_ms: int, expected: int) -> None:
    assert patient_silence(end_ms, gap_ms) == expected


def _run(endpointer: Endpointer, speech_s: float, silence_s: float) -> list[TurnEvent]:
    events: list[TurnEvent] = []
    for is_speech, seconds in ((True, speech_s), (False, silence_s)):
        for _ in range(round(seconds * 1000 / 30)):
            events += endpointer.process(bytes(FRAME_BYTES), is_speech)
    return events


def test_a_lengthened_end_silence_keeps_a_pause_it_would_have_ended_at() -> None:
    plain = Endpointer()
    assert any(isinstance(e, TurnEnded) for e in _run(plain, 1.0, 1.5))
    patient = Endpointer()
    patient.lengthen(1800)
    assert patient.end_silence_ms == 1800
    assert not any(isinstance(e, TurnEnded) for e in _run(patient, 1.0, 1.5))
    assert any(isinstance(e, TurnEnded) for e in _run(patient, 0.0, 0.4))  # at 1.8 s
    patient.lengthen(END_SILENCE_MS)  # never shorter
    assert patient.end_silence_ms == 1800
    patient.lengthen(60_000)
    assert abs(patient.end_silence_ms - MAX_END_SILENCE_MS) < 30  # in whole 30 ms frames


# --- a session ----------------------------------------------------------------------------


async def feed(h: SessionHarness, pcm: bytes) -> None:
    for i in range(0, len(pcm), 640):
        await h.session.on_audio(pcm[i : i + 640])
        await asyncio.sleep(0)


def stops(h: SessionHarness) -> list[int]:
    return [m.at_ms for m in h.messages() if isinstance(m, SpeechStopped)]


class GatedChatModel(FakeChatModel):  # type: ignore[misc]
    """Writes nothing while ``gate`` is closed (as a real model's first sentence takes a
    second or two, in which the person may go on)."""

    def __init__(self) -> None:
        super().__init__(pieces=["Thanks."])
        self.gate = threading.Event()
        self.gate.set()

    def stream(self, messages: Sequence[ChatMessage], **kwargs: Any) -> Iterator[str]:
        self.gate.wait(10)
        yield from super().stream(messages, **kwargs)


def harness() -> SessionHarness:
    return SessionHarness(chat=GatedChatModel(), transcriber=FakeTranscriber(text="and then"))


def test_cut_off_once_the_next_thinking_pause_is_kept_inside_the_turn() -> None:
    async def go() -> None:
        h = harness()
        h.chat.gate.clear()
        # Cut at 800 ms of a 1.5 s pause; the person goes on before any reply came.
        await feed(h, speech_frames(1.2) + silence(1.5) + speech_frames(0.9))
        assert stops(h) == [1200]
        assert not [m for m in h.sent if isinstance(m, (ReplyDelta, bytes))]  # nothing said
        h.chat.gate.set()
        await feed(h, silence(2.0))  # their turns now end at 1.8 s of silence
        await h.session.wait_idle()
        assert stops(h) == [1200, 3600]

        # A second into the reply, the next turn: its 1.5 s pause is kept inside it.
        await feed(h, silence(1.0) + speech_frames(1.2) + silence(1.5) + speech_frames(0.9))
        await feed(h, silence(1.0))
        assert stops(h) == [1200, 3600]
        await feed(h, silence(1.0))
        await h.session.wait_idle()
        assert stops(h)[:2] == [1200, 3600]
        assert stops(h)[2] == pytest.approx(3600 + 3000 + 3600, abs=30)  # 30 ms frames
        finals = [m.turn for m in h.messages() if isinstance(m, Transcript) and m.final]
        assert finals == [1, 2, 3]

    asyncio.run(asyncio.wait_for(go(), 20))


def test_answering_a_reply_heard_for_a_second_teaches_nothing() -> None:
    async def go() -> None:
        h = harness()
        await feed(h, speech_frames(1.2) + silence(0.9))
        await h.session.wait_idle()  # the reply has been sent
        assert [m.turn for m in h.messages() if isinstance(m, Reply)] == [1]
        # 2.1 s after the first turn's speech, 1.2 s into the reply: an answer to it
        await feed(h, silence(1.2) + speech_frames(0.9) + silence(1.0))
        await h.session.wait_idle()
        assert stops(h) == [1200, 4200]  # 1.0 s of silence still ends a turn

    asyncio.run(asyncio.wait_for(go(), 20))


def test_going_on_over_a_reply_just_begun_is_going_on() -> None:
    async def go() -> None:
        h = harness()
        await feed(h, speech_frames(1.2) + silence(0.9))
        await h.session.wait_idle()  # the reply has just been sent
        # 0.9 s after the first turn's speech, as the reply begins: the same thought
        await feed(h, speech_frames(0.9) + silence(1.0))
        await h.session.wait_idle()
        assert stops(h) == [1200]  # turns now end at 1.2 s of silence
        await feed(h, silence(0.3))
        await h.session.wait_idle()
        assert stops(h) == [1200, 3000]

    asyncio.run(asyncio.wait_for(go(), 20))


def test_a_commit_or_a_long_gap_teaches_nothing() -> None:
    async def go() -> None:
        h = harness()
        await feed(h, speech_frames(1.2))
        await h.session.on_commit()  # the client said the person was done
        await feed(h, silence(1.0) + speech_frames(0.9) + silence(1.0))
        assert stops(h) == [1200, 3120]  # 1.0 s of silence still ends a turn
        long_gap = silence((RESUMED_WITHIN_MS + 300) / 1000 - 1.0)
        await feed(h, long_gap + speech_frames(0.9) + silence(1.0))
        await h.session.wait_idle()
        assert len(stops(h)) == 3
        assert stops(h)[2] - stops(h)[1] == pytest.approx(RESUMED_WITHIN_MS + 300 + 900, abs=30)

    asyncio.run(asyncio.wait_for(go(), 20))
