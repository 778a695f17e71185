"""A model that fails or stalls costs the person one turn's answer at most, never the
session: Whisper failing asks them to say it again, Piper failing leaves the reply as text,
the safety screen failing leaves the rules' verdict, and a language model that is silent
past its deadline is answered with the fallback line and stopped."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from fakes import (  # type: ignore[import-not-found]
    FakeChatModel,
    FakeSynthesizer,
    FakeTranscriber,
    SessionHarness,
    silence,
    speech_frames,
)

from voice.dialogue.prompt import FALLBACK_REPLY, NOT_HEARD_REPLY
from voice.engines.stt import Transcription
from voice.engines.workers import GenerationSettings
from voice.protocol import AudioEnd, AudioStart, Reply, Safety, Transcript


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 20))


async def still_running(h: SessionHarness) -> bool:
    """True when no critical task of the session has failed."""
    try:
        await asyncio.wait_for(h.session.failed(), 0.2)
    except TimeoutError:
        return True
    return False


def replies(h: SessionHarness) -> dict[int, str]:
    return {m.turn: m.text for m in h.sent if isinstance(m, Reply)}


def audio_turns(h: SessionHarness) -> set[int]:
    return {m.turn for m in h.sent if isinstance(m, AudioStart)}


class FlakyTranscriber(FakeTranscriber):  # type: ignore[misc]
    """Fails the first final transcript, then works."""

    def __init__(self) -> None:
        super().__init__(text="I went for a walk")
        self.failed_once = False

    def transcribe(self, pcm: bytes, *, partial: bool = False) -> Transcription:
        if not partial and not self.failed_once:
            self.failed_once = True
            raise RuntimeError("whisper broke")
        return super().transcribe(pcm, partial=partial)


def test_whisper_failing_asks_again_and_the_session_goes_on() -> None:
    async def go() -> None:
        h = SessionHarness(transcriber=FlakyTranscriber())
        await h.session.on_audio(speech_frames(0.9) + silence(1.0))
        await h.session.wait_idle()
        assert replies(h)[1] == NOT_HEARD_REPLY
        assert 1 in audio_turns(h)  # said aloud
        assert not [m for m in h.messages(1) if isinstance(m, Transcript) and m.final]
        assert h.chat.prompts == []  # nothing was made up in its place
        await h.session.on_audio(speech_frames(0.9) + silence(1.0))
        await h.session.wait_idle()
        finals = [m.text for m in h.messages(2) if isinstance(m, Transcript) and m.final]
        assert finals == ["I went for a walk"]
        assert replies(h)[2] == "Thanks. That sounds hard."
        assert await still_running(h)
        await h.session.close()

    run(go)


class BrokenSynthesizer(FakeSynthesizer):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.broken = True

    def synthesize(self, text: str) -> Any:
        if self.broken:
            raise RuntimeError("the voice broke")
        return super().synthesize(text)


def test_piper_failing_leaves_the_reply_as_text() -> None:
    async def go() -> None:
        h = SessionHarness()
        voice = BrokenSynthesizer()
        h.engines.synthesizer = voice
        await h.session.on_text("I had a long day")
        await h.session.wait_idle()
        assert replies(h)[1] == "Thanks. That sounds hard."
        assert 1 not in audio_turns(h)
        assert not any(isinstance(m, bytes) for m in h.sent)
        voice.broken = False
        await h.session.on_text("and I slept badly")
        await h.session.wait_idle()
        assert 2 in audio_turns(h)
        assert AudioEnd(turn=2, interrupted=False) in h.sent
        assert await still_running(h)
        await h.session.close()

    run(go)


class BrokenScreen:
    def verdict(self, text: str) -> Any:
        raise RuntimeError("the encoder broke")


def test_the_safety_screen_failing_leaves_the_rules_verdict() -> None:
    async def go() -> None:
        h = SessionHarness()
        h.engines.risk_screen = BrokenScreen()
        await h.session.on_text("I want to kill myself tonight")
        await h.session.wait_idle()
        safety = [m for m in h.sent if isinstance(m, Safety)]
        assert [(m.turn, m.level) for m in safety] == [(1, "crisis")]
        assert h.chat.prompts == []  # the crisis reply is scripted
        assert await still_running(h)
        await h.session.close()

    run(go)


def test_a_model_silent_past_its_deadline_gets_the_fallback_and_is_stopped() -> None:
    async def go() -> None:
        chat = FakeChatModel(pieces=["Much ", "later."], delay_s=1.0)
        h = SessionHarness(chat=chat)
        h.engines.generation = GenerationSettings(first_token_seconds=0.2)
        await h.session.on_text("hello?")
        await h.session.wait_idle()
        assert replies(h)[1] == FALLBACK_REPLY
        assert 1 in audio_turns(h)
        assert chat.closed.wait(3)  # generation stopped at its next piece, not run out
        assert await still_running(h)
        await h.session.close()

    run(go)


@pytest.mark.parametrize("deadline", [0.5, 1.1])
def test_a_reply_past_the_whole_reply_deadline_ends_there(deadline: float) -> None:
    async def go() -> None:
        pieces = ["One. ", "Two. ", "Three. ", "Four."]
        chat = FakeChatModel(pieces=pieces, delay_s=0.4)
        h = SessionHarness(chat=chat)
        h.engines.generation = GenerationSettings(max_tokens=96, reply_seconds=deadline)
        await h.session.on_text("hello?")
        await h.session.wait_idle()
        text = replies(h)[1]
        # Pieces come at 0.4 s, 0.8 s, ...; those in time are kept, no fallback is added.
        kept = int(deadline / 0.4)
        assert text == " ".join(p.strip() for p in pieces[:kept])
        assert chat.closed.wait(3)

    run(go)
