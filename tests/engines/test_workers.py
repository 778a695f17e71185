"""The engines' workers with fake models: queue waits are timed, and a reply cancelled
while it waits for a free language-model worker never reaches the model."""

from __future__ import annotations

import asyncio
import time

from fakes import FakeChatModel, FakeSynthesizer, FakeTranscriber  # type: ignore[import-not-found]

from voice.dialogue.chat import ChatMessage, Role
from voice.engines.stt import Transcription
from voice.engines.workers import Engines

PROMPT = [ChatMessage(Role.USER, "hello")]


def test_a_reply_cancelled_in_the_queue_is_never_started() -> None:
    async def go() -> None:
        chat = FakeChatModel(pieces=["One. ", "Two."], delay_s=0.3)
        engines = Engines(FakeTranscriber(), chat, FakeSynthesizer(), llm_workers=1)
        waits: list[float] = []
        first = engines.stream_reply(PROMPT, on_wait=waits.append)
        assert await anext(first) == "One. "  # holds the only worker
        queued = engines.stream_reply([ChatMessage(Role.USER, "second")])
        reading = asyncio.ensure_future(anext(queued))
        await asyncio.sleep(0.05)  # queued behind the first
        reading.cancel()  # the person barged in
        await asyncio.gather(reading, return_exceptions=True)
        await queued.aclose()
        assert [piece async for piece in first] == ["Two."]
        await asyncio.sleep(0.3)  # the worker is free now: the queued job had its turn
        assert [m[-1].content for m in chat.prompts] == ["hello"]  # "second" never ran
        assert len(waits) == 1 and waits[0] < 100
        engines.close()

    asyncio.run(asyncio.wait_for(go(), 10))


def test_a_job_behind_another_reports_its_wait() -> None:
    class Slow(FakeTranscriber):  # type: ignore[misc]
        def transcribe(self, pcm: bytes, *, partial: bool = False) -> Transcription:
            time.sleep(0.2)
            return super().transcribe(pcm, partial=partial)

    async def go() -> None:
        engines = Engines(Slow(), FakeChatModel(), FakeSynthesizer())
        a, b = await asyncio.gather(
            engines.transcribe(bytes(3200), partial=False),
            engines.transcribe(bytes(3200), partial=False),
        )
        assert a.value.text == b.value.text == "hello there"
        assert min(a.work_ms, b.work_ms) >= 150
        assert min(a.wait_ms, b.wait_ms) < 50 and max(a.wait_ms, b.wait_ms) >= 150
        engines.close()

    asyncio.run(asyncio.wait_for(go(), 10))
