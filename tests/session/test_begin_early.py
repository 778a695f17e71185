"""A reply begun at the first pause (fake models): written before the turn is confirmed
over, let out only when the turn ends there with the same words, and dropped, having sent
nothing, when the person speaks on."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from fakes import (  # type: ignore[import-not-found]
    FAST,
    FakeChatModel,
    FakeTranscriber,
    SessionHarness,
    silence,
    speech_frames,
)

from voice.dialogue.chat import Role
from voice.protocol import AudioStart, Reply, ReplyDelta, Safety, SpeechStopped, Transcript


async def feed(h: SessionHarness, pcm: bytes) -> None:
    for i in range(0, len(pcm), 640):
        await h.session.on_audio(pcm[i : i + 640])
        await asyncio.sleep(0)


def reply_messages(h: SessionHarness) -> list[object]:
    return [m for m in h.sent if isinstance(m, (ReplyDelta, Reply, AudioStart, bytes))]


def run(go: object) -> None:
    asyncio.run(asyncio.wait_for(go(), 20))  # type: ignore[operator]


def test_a_reply_begun_at_the_pause_is_let_out_when_the_turn_ends_there() -> None:
    async def go() -> None:
        h = SessionHarness(transcriber=FakeTranscriber(text="a long day at work"))
        await h.session.start()
        await h.session.wait_idle()
        greeting = len(h.sent)
        await feed(h, speech_frames(1.2) + silence(0.5))  # paused, not yet over (800 ms)
        await h.session.wait_idle()
        assert [p[-1].content for p in h.chat.prompts] == ["a long day at work"]
        assert not any(isinstance(m, SpeechStopped) for m in h.sent)
        assert not [m for m in h.sent[greeting:] if isinstance(m, (ReplyDelta, Reply, bytes))]

        await feed(h, silence(0.4))  # the turn is over, at the same pause
        await h.session.wait_idle()
        kinds = [
            "Final" if isinstance(m, Transcript) and m.final else type(m).__name__
            for m in h.messages(1)
        ]
        assert kinds.index("SpeechStopped") < kinds.index("Final") < kinds.index("ReplyDelta")
        reply = next(m for m in h.messages(1) if isinstance(m, Reply))
        assert reply.text == "Thanks. That sounds hard." and not reply.interrupted
        assert sum(len(m) for m in h.sent[greeting:] if isinstance(m, bytes)) > 0
        assert len(h.chat.prompts) == 1  # the begun reply was the answer: no second request

    run(go)


def test_speech_after_the_pause_drops_the_begun_reply_which_sent_nothing() -> None:
    async def go() -> None:
        transcriber = FakeTranscriber(text="I went to the shops")
        h = SessionHarness(transcriber=transcriber)
        await feed(h, speech_frames(1.2) + silence(0.5))
        await h.session.wait_idle()
        assert [p[-1].content for p in h.chat.prompts] == ["I went to the shops"]
        assert reply_messages(h) == []

        transcriber.text = "I went to the shops and then I cried in the car"
        await feed(h, speech_frames(0.9) + silence(1.0))
        await h.session.wait_idle()
        assert h.chat.closed.is_set()  # the begun reply's model stream was stopped
        finals = [m.text for m in h.sent if isinstance(m, Transcript) and m.final]
        assert finals == ["I went to the shops and then I cried in the car"]
        assert [p[-1].content for p in h.chat.prompts][-1] == finals[0]
        replies = [m for m in h.sent if isinstance(m, Reply)]
        assert len(replies) == 1 and replies[0].turn == 1
        deltas = "".join(m.text for m in h.sent if isinstance(m, ReplyDelta))
        assert deltas == replies[0].text  # one reply's text, once

        # The dropped reply was never said: the next prompt's history holds one exchange.
        transcriber.text = "anyway"
        await feed(h, speech_frames(0.6) + silence(1.0))
        await h.session.wait_idle()
        users = [m.content for m in h.chat.prompts[-1] if m.role is Role.USER]
        assert users == ["I went to the shops and then I cried in the car", "anyway"]

    run(go)


def test_a_risky_early_transcript_begins_nothing_and_gets_the_scripted_reply() -> None:
    async def go() -> None:
        h = SessionHarness(transcriber=FakeTranscriber(text="I want to kill myself"))
        await feed(h, speech_frames(1.2) + silence(0.5))
        await h.session.wait_idle()
        assert h.chat.prompts == []
        await feed(h, silence(0.4))
        await h.session.wait_idle()
        assert h.chat.prompts == []
        kinds = [type(m).__name__ for m in h.messages(1)]
        assert kinds.index("SpeechStopped") < kinds.index("Safety") < kinds.index("Reply")
        assert any(isinstance(m, Safety) and m.level == "crisis" for m in h.sent)

    run(go)


def test_nothing_is_begun_while_another_reply_is_being_written() -> None:
    async def go() -> None:
        chat = FakeChatModel(pieces=("one. ", "two. ", "three."))
        h = SessionHarness(chat=chat, transcriber=FakeTranscriber(text="a quiet day"))
        other = h.engines.stream_reply([])  # another person's reply, half written
        assert await anext(other) == "one. "
        await feed(h, speech_frames(1.2) + silence(0.5))
        await h.session.wait_idle()
        assert len(chat.prompts) == 1  # only the other reply's
        await other.aclose()
        await feed(h, silence(0.4))
        await h.session.wait_idle()
        assert [p[-1].content for p in chat.prompts[1:]] == ["a quiet day"]
        assert any(isinstance(m, Reply) for m in h.messages(1))

    run(go)


def test_the_switch_turns_it_off() -> None:
    async def go() -> None:
        settings = replace(FAST, begin_replies_early=False)
        h = SessionHarness(settings=settings, transcriber=FakeTranscriber(text="fine"))
        await feed(h, speech_frames(1.2) + silence(0.5))
        await h.session.wait_idle()
        assert h.chat.prompts == []
        await feed(h, silence(0.4))
        await h.session.wait_idle()
        assert [p[-1].content for p in h.chat.prompts] == ["fine"]

    run(go)
