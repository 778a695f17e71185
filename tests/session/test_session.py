"""CheckinSession with fake models: the event sequences of whole turns."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fakes import (  # type: ignore[import-not-found]
    FAST,
    FakeChatModel,
    FakeTranscriber,
    SessionHarness,
    silence,
    speech_frames,
)

from voice.dialogue.chat import Role
from voice.dialogue.prompt import FALLBACK_REPLY, LISTENING_REPLY, SYSTEM_PROMPT
from voice.engines.stt import Transcription
from voice.engines.workers import Timed
from voice.protocol import (
    AudioEnd,
    AudioStart,
    Metrics,
    Reply,
    ReplyDelta,
    Safety,
    SpeechStarted,
    SpeechStopped,
    Summary,
    Transcript,
)
from voice.session.session import CheckinSession, SessionSettings

NOON = datetime(2026, 11, 29, 12, 0)


class Harness(SessionHarness):  # type: ignore[misc]
    def kinds(self, turn: int) -> list[str]:
        out: list[str] = []
        for m in self.messages(turn):
            name = type(m).__name__
            if not out or out[-1] != name:
                out.append(name)
        return out

    def audio_bytes(self) -> int:
        return sum(len(m) for m in self.sent if isinstance(m, bytes))


async def feed(h: Harness, pcm: bytes, chunk_bytes: int = 640) -> None:
    """Feed audio in 20 ms chunks, letting other tasks run between them, like a client."""
    for i in range(0, len(pcm), chunk_bytes):
        await h.session.on_audio(pcm[i : i + chunk_bytes])
        await asyncio.sleep(0)


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 20))


def test_greeting_opens_the_check_in() -> None:
    async def go() -> None:
        h = Harness()
        await h.session.start()
        await h.session.wait_idle()
        msgs = h.messages(0)
        expected = "Good morning. It's good to hear from you. How are you feeling today?"
        deltas = [m.text for m in msgs if isinstance(m, ReplyDelta)]
        assert deltas == [
            "Good morning.",
            " It's good to hear from you.",
            " How are you feeling today?",
        ]
        assert Reply(turn=0, text=expected, interrupted=False) in msgs
        assert msgs[-2:][0] == AudioEnd(turn=0, interrupted=False)
        assert isinstance(msgs[-1], Metrics) and msgs[-1].stt_ms is None
        assert h.chat.prompts == []  # the greeting is scripted, not generated
        assert h.audio_bytes() > 0

    run(go)


def test_spoken_turn_sequence_and_prompt() -> None:
    async def go() -> None:
        h = Harness()
        await h.session.start()
        await h.session.wait_idle()
        await feed(h, silence(0.6) + speech_frames(1.5) + silence(1.0))
        await h.session.wait_idle()
        kinds = h.kinds(1)
        assert kinds[:2] == ["SpeechStarted", "Transcript"]  # a partial while speaking
        assert kinds.index("SpeechStopped") < kinds.index("ReplyDelta")
        assert kinds[-2:] == ["AudioEnd", "Metrics"]
        started = h.messages(1)[0]
        assert started == SpeechStarted(turn=1, at_ms=600)
        stopped = next(m for m in h.messages(1) if isinstance(m, SpeechStopped))
        assert stopped.at_ms == 2100
        finals = [m for m in h.messages(1) if isinstance(m, Transcript) and m.final]
        assert finals == [Transcript(turn=1, text="hello there", final=True)]
        partials = [m for m in h.messages(1) if isinstance(m, Transcript) and not m.final]
        assert partials == [Transcript(turn=1, text="hello", final=False)]
        reply = next(m for m in h.messages(1) if isinstance(m, Reply))
        assert reply == Reply(turn=1, text="Thanks. That sounds hard.", interrupted=False)
        prompt = h.chat.prompts[0]
        assert prompt[0].role == Role.SYSTEM and prompt[0].content == SYSTEM_PROMPT
        assert prompt[-1].role == Role.USER and prompt[-1].content == "hello there"
        assert h.tts.texts[-2:] == ["Thanks.", "That sounds hard."]
        # The final transcript covers the turn with pre-roll and a short tail, not the silence.
        final_len = next(n for n, partial in h.transcriber.calls if not partial)
        assert 1.5 * 32000 <= final_len <= (1.5 + 0.3 + 0.3) * 32000

    run(go)


def test_second_turn_carries_history() -> None:
    async def go() -> None:
        h = Harness()
        await h.session.on_text("first thing")
        await h.session.wait_idle()
        await h.session.on_text("second thing")
        await h.session.wait_idle()
        contents = [(m.role, m.content) for m in h.chat.prompts[1]]
        assert contents[1:] == [
            (Role.USER, "first thing"),
            (Role.ASSISTANT, "Thanks. That sounds hard."),
            (Role.USER, "second thing"),
        ]

    run(go)


def test_noise_that_transcribes_to_nothing_gets_no_reply() -> None:
    async def go() -> None:
        h = Harness(transcriber=FakeTranscriber(text="", partial=""))
        await h.session.on_audio(speech_frames(0.6) + silence(1.0))
        await h.session.wait_idle()
        assert h.kinds(1) == ["SpeechStarted", "SpeechStopped", "Transcript"]
        assert h.chat.prompts == []

    run(go)


def test_commit_ends_the_turn_at_once() -> None:
    async def go() -> None:
        h = Harness()
        await h.session.on_audio(speech_frames(0.9))
        assert not any(isinstance(m, SpeechStopped) for m in h.sent)
        await h.session.on_commit()
        await h.session.wait_idle()
        assert SpeechStopped(turn=1, at_ms=900) in h.sent
        assert any(isinstance(m, Reply) for m in h.sent)

    run(go)


def test_barge_in_interrupts_audio_and_listens() -> None:
    async def go() -> None:
        chat = FakeChatModel(pieces=["One two three four five six seven. "] * 3)
        h = Harness(chat=chat, settings=SessionSettings(audio_lead_seconds=0.05))
        await h.session.on_text("tell me a story")
        for _ in range(100):  # until audio is flowing
            if any(isinstance(m, bytes) for m in h.sent):
                break
            await asyncio.sleep(0.01)
        await h.session.on_audio(speech_frames(0.6))
        assert AudioEnd(turn=1, interrupted=True) in h.sent
        end = h.sent.index(AudioEnd(turn=1, interrupted=True))
        assert h.sent.index(SpeechStarted(turn=2, at_ms=0)) > end
        assert not any(isinstance(m, bytes) for m in h.sent[end:])
        assert AudioEnd(turn=1, interrupted=False) not in h.sent
        await h.session.close()

    run(go)


def test_model_failure_speaks_a_fallback() -> None:
    async def go() -> None:
        chat = FakeChatModel()
        chat.fail = True
        h = Harness(chat=chat)
        await h.session.on_text("hello?")
        await h.session.wait_idle()
        reply = next(m for m in h.sent if isinstance(m, Reply))
        assert reply.text == FALLBACK_REPLY
        assert any(isinstance(m, AudioStart) for m in h.sent)

    run(go)


def test_long_reply_is_cut_after_a_question() -> None:
    async def go() -> None:
        pieces = ["I hear ", "you. ", "How was it? ", "Also this. ", "And more."]
        h = Harness(chat=FakeChatModel(pieces=pieces))
        await h.session.on_text("it was a day")
        await h.session.wait_idle()
        reply = next(m for m in h.sent if isinstance(m, Reply))
        assert reply.text == "I hear you. How was it?"
        deltas = "".join(m.text for m in h.sent if isinstance(m, ReplyDelta))
        assert deltas.strip() == reply.text
        assert h.chat.closed.wait(2)  # generation was stopped, not run to the end

    run(go)


def test_advice_nobody_asked_for_is_left_out_and_asked_for_advice_is_kept() -> None:
    pieces = ["It sounds like a hard week. ", "You should take a break. ", "What was hardest?"]

    async def go(said: str) -> str:
        h = Harness(chat=FakeChatModel(pieces=pieces))
        await h.session.on_text(said)
        await h.session.wait_idle()
        return next(m for m in h.sent if isinstance(m, Reply)).text

    unasked = asyncio.run(asyncio.wait_for(go("work was a lot this week"), 20))
    assert unasked == "It sounds like a hard week. What was hardest?"
    asked = asyncio.run(asyncio.wait_for(go("work was a lot, what should I do?"), 20))
    assert asked == "It sounds like a hard week. You should take a break. What was hardest?"


def test_a_reply_that_was_all_advice_becomes_an_invitation_to_say_more() -> None:
    async def go() -> None:
        h = Harness(chat=FakeChatModel(pieces=["Try to rest. ", "It's important to eat well."]))
        await h.session.on_text("I feel tired")
        await h.session.wait_idle()
        assert next(m for m in h.sent if isinstance(m, Reply)).text == LISTENING_REPLY

    run(go)


def test_48khz_input_is_resampled() -> None:
    async def go() -> None:
        import numpy as np

        h = Harness(input_rate_hz=48000)
        n = 48000
        loud = (np.full(n, 8000, dtype="<i2")).tobytes()
        await h.session.on_audio(bytes(n) + loud + bytes(n * 2))  # 0.5 s, 1 s, 1 s
        await h.session.wait_idle()
        started = next(m for m in h.sent if isinstance(m, SpeechStarted))
        assert abs(started.at_ms - 500) <= 30

    run(go)


def test_content_stays_out_of_the_log_unless_asked(caplog: Any) -> None:
    import logging

    caplog.set_level(logging.DEBUG)

    async def go(settings: SessionSettings) -> None:
        h = Harness(transcriber=FakeTranscriber(text="my secret worry"), settings=settings)
        await feed(h, speech_frames(0.9) + silence(1.0))
        await h.session.wait_idle()
        assert any(isinstance(m, Reply) for m in h.sent)

    run(lambda: go(FAST))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "turn 1" in logged  # the turn was logged, by number and timing only
    assert "secret" not in logged and "sounds hard" not in logged

    caplog.clear()
    run(lambda: go(SessionSettings(audio_lead_seconds=1000.0, log_content=True)))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "my secret worry" in logged and "That sounds hard." in logged


def test_an_earlier_turn_whose_words_come_late_is_still_answered_with_the_next() -> None:
    """Turn 2's transcript is ready before turn 1's: turns are still finished in order, so
    turn 1's words are merged into the one answer instead of being lost."""

    async def go() -> None:
        transcriber = FakeTranscriber(text="first part")
        h = Harness(transcriber=transcriber)
        gate = asyncio.Event()
        original = h.engines.transcribe

        async def out_of_order(pcm: bytes, *, partial: bool) -> Any:
            said = transcriber.text
            timed = await original(pcm, partial=partial)
            if partial:
                return timed
            await gate.wait()
            if said == "first part":
                await asyncio.sleep(0.2)  # the first turn's words arrive last
            heard = Transcription(said, timed.value.audio_seconds)
            return Timed(heard, timed.wait_ms, timed.work_ms)

        h.engines.transcribe = out_of_order  # type: ignore[method-assign]
        await feed(h, speech_frames(0.6) + silence(0.9) + speech_frames(0.6))
        transcriber.text = "second part"
        await feed(h, silence(1.5))  # the person went on: now 1.2 s of silence ends a turn
        gate.set()
        await asyncio.sleep(0.4)
        await h.session.wait_idle()
        finals = [(m.turn, m.text) for m in h.sent if isinstance(m, Transcript) and m.final]
        assert finals == [(1, "first part"), (2, "second part")]
        assert [m.turn for m in h.sent if isinstance(m, Reply)] == [2]
        assert h.chat.prompts[-1][-1].content == "first part second part"

    run(go)


def test_turn_continued_before_the_answer_is_answered_together() -> None:
    async def go() -> None:
        transcriber = FakeTranscriber(text="first part")
        h = Harness(transcriber=transcriber)
        # Turn 1 ends, but turn 2 starts before turn 1's transcript is ready.
        gate = asyncio.Event()
        original = h.engines.transcribe

        async def slow(pcm: bytes, *, partial: bool) -> Any:
            said = transcriber.text  # what was said when the request was made
            timed = await original(pcm, partial=partial)
            if partial:
                return timed
            await gate.wait()
            heard = Transcription(said, timed.value.audio_seconds)
            return Timed(heard, timed.wait_ms, timed.work_ms)

        h.engines.transcribe = slow  # type: ignore[method-assign]
        await feed(h, speech_frames(0.6) + silence(0.9) + speech_frames(0.6))
        transcriber.text = "second part"
        gate.set()
        await feed(h, silence(1.5))  # the person went on: now 1.2 s of silence ends a turn
        await h.session.wait_idle()
        finals = [m for m in h.sent if isinstance(m, Transcript) and m.final]
        assert [(m.turn, m.text) for m in finals] == [(1, "first part"), (2, "second part")]
        assert [m.turn for m in h.sent if isinstance(m, Reply)] == [2]
        assert h.chat.prompts[-1][-1].content == "first part second part"

    run(go)


def test_crisis_gets_the_scripted_reply_and_the_model_is_never_called() -> None:
    async def go() -> None:
        h = Harness()
        await h.session.on_text("Sometimes I think everyone would be better off without me")
        await h.session.wait_idle()
        assert h.chat.prompts == []
        safety = [m for m in h.sent if isinstance(m, Safety)]
        assert len(safety) == 1 and safety[0].level == "crisis" and safety[0].turn == 1
        assert {"name", "number", "kind"} <= set(safety[0].resources[0])
        assert "988" in {r["number"] for r in safety[0].resources}
        reply = next(m for m in h.sent if isinstance(m, Reply))
        assert h.sent.index(safety[0]) < h.sent.index(reply)
        # Spoken whole (no brevity cut): the safety question, the line, and the disclaimer.
        assert "safe right now?" in reply.text
        assert "nine eight eight" in reply.text
        assert "emergency" in reply.text.lower()
        assert h.tts.texts[-1] in reply.text and len(h.tts.texts) >= 4

    run(go)


def test_figurative_speech_goes_to_the_model() -> None:
    async def go() -> None:
        h = Harness()
        await h.session.on_text("This traffic is killing me, but I'd die for a coffee")
        await h.session.wait_idle()
        assert not any(isinstance(m, Safety) for m in h.sent)
        assert len(h.chat.prompts) == 1

    run(go)


def test_a_reply_that_diagnoses_is_replaced_before_it_is_sent() -> None:
    async def go() -> None:
        pieces = ["That sounds heavy. ", "It sounds like you have depression. ", "Take care."]
        h = Harness(chat=FakeChatModel(pieces=pieces))
        await h.session.on_text("I have felt flat for weeks")
        await h.session.wait_idle()
        reply = next(m for m in h.sent if isinstance(m, Reply))
        written = "".join(m.text for m in h.sent if isinstance(m, ReplyDelta))
        assert reply.text.startswith("That sounds heavy.")
        assert "depression" not in written and "depression" not in " ".join(h.tts.texts)
        assert "Take care" not in reply.text  # the rest of that reply is dropped
        assert written.strip() == reply.text

    run(go)


def test_check_in_reflection_then_the_scripted_question() -> None:
    from voice.dialogue.checkin import load_script

    async def go() -> None:
        chat = FakeChatModel(pieces=["A six, okay. ", "What made it a six? ", "More text."])
        settings = SessionSettings(audio_lead_seconds=1000.0, checkin_script=load_script(None))
        h = Harness(chat=chat, settings=settings)
        await h.session.start()
        await h.session.wait_idle()
        greeting = next(m for m in h.sent if isinstance(m, Reply))
        assert greeting.text.endswith("how is your mood today?")
        await h.session.on_text("about a six")
        await h.session.wait_idle()
        reply = [m for m in h.sent if isinstance(m, Reply)][-1]
        # The model's own question is dropped: only the scripted one is asked.
        assert reply.text == "A six, okay. How did you sleep last night: well, okay, or badly?"
        assert chat.prompts[-1][-1].content.startswith("about a six\n\n[Check-in:")
        await h.session.on_text("stop please, that's enough for today")
        await h.session.wait_idle()
        summary = next(m for m in h.sent if isinstance(m, Summary))
        assert summary.items["mood"] == 6.0 and summary.items["sleep"] is None
        last = [m for m in h.sent if isinstance(m, Reply)][-1]
        assert last.text == summary.text and "six out of ten" in last.text
        assert h.sent.index(summary) < h.sent.index(last)
        assert len(chat.prompts) == 1  # the stop turn is scripted

    run(go)


def test_a_stage_queued_behind_another_session_reports_its_wait() -> None:
    """Two sessions on the same engines end a turn together; Whisper (0.3 s a call here)
    serves one, then the other: that one's ``stt_wait_ms`` shows the queue."""

    class SlowTranscriber(FakeTranscriber):  # type: ignore[misc]
        def transcribe(self, pcm: bytes, *, partial: bool = False) -> Transcription:
            time.sleep(0.3)
            return super().transcribe(pcm, partial=partial)

    async def go() -> None:
        a = Harness(transcriber=SlowTranscriber())
        b = Harness()
        b.session = CheckinSession(
            a.engines, b._send, input_rate_hz=16000, settings=FAST, now=lambda: NOON
        )
        speech = speech_frames(0.6) + silence(1.0)
        await asyncio.gather(a.session.on_audio(speech), b.session.on_audio(speech))
        await asyncio.gather(a.session.wait_idle(), b.session.wait_idle())
        waits = sorted(
            m.stt_wait_ms for h in (a, b) for m in h.messages(1) if isinstance(m, Metrics)
        )
        assert len(waits) == 2
        assert waits[0] < 100 and waits[1] >= 250
        for h in (a, b):
            metrics = next(m for m in h.messages(1) if isinstance(m, Metrics))
            assert metrics.llm_wait_ms is not None and metrics.llm_wait_ms >= 0
            assert metrics.tts_wait_ms is not None and metrics.tts_wait_ms >= 0

    asyncio.run(asyncio.wait_for(go(), 20))


def test_partials_wait_while_whisper_is_busy_with_a_final() -> None:
    """Under load partial transcripts are thinned: while another session's final transcript
    holds Whisper, a speaking person gets no partial (theirs would queue ahead of finals);
    alone, the same speech gets its partials."""

    class SlowFinals(FakeTranscriber):  # type: ignore[misc]
        def transcribe(self, pcm: bytes, *, partial: bool = False) -> Transcription:
            if not partial:
                time.sleep(1.0)
            return super().transcribe(pcm, partial=partial)

    def partials(h: Harness) -> list[Transcript]:
        return [m for m in h.messages() if isinstance(m, Transcript) and not m.final]

    async def go() -> None:
        a = Harness(transcriber=SlowFinals())
        b = Harness()
        b.session = CheckinSession(
            a.engines, b._send, input_rate_hz=16000, settings=FAST, now=lambda: NOON
        )
        await feed(a, speech_frames(0.6) + silence(1.0))  # a's final now holds Whisper
        await asyncio.sleep(0.1)
        await feed(b, speech_frames(3.0))
        assert partials(b) == []
        await asyncio.gather(a.session.wait_idle(), b.session.wait_idle())
        alone = Harness()
        await feed(alone, speech_frames(3.0))
        await alone.session.wait_idle()
        assert len(partials(alone)) >= 2

    asyncio.run(asyncio.wait_for(go(), 20))
