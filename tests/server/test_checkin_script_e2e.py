"""A whole spoken check-in over the real websocket: answers understood from real speech."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from fakes import FakeChatModel  # type: ignore[import-not-found]

from voice.client.connection import CheckinClient
from voice.dialogue.checkin import load_script
from voice.engines.workers import Engines
from voice.server.state import ConnectionLimits
from voice.tools.measures import word_error_rate

pytestmark = pytest.mark.real_models

ANSWERS = [
    "About a six, I think.",
    "I slept okay.",
    "I'd rather not say.",
    "A deadline at work.",
    "A walk with my sister.",
    "That's enough for today, thank you.",
]


def test_spoken_check_in_ends_with_the_right_summary(
    engines: Engines, start_server: Callable[..., str], speak: Callable[[str], bytes]
) -> None:
    # Real Whisper and Piper; a short fake reflection keeps the test quick.
    chat = FakeChatModel(pieces=["Thank you for telling me."])
    address = start_server(
        ConnectionLimits(checkin_script=load_script(None)),
        Engines(engines.transcriber, chat, engines.synthesizer),
    )

    async def run() -> list[dict[str, Any]]:
        async with CheckinClient.open(f"ws://{address}/v1/checkin") as client:
            await client.hello()
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
            for turn, answer in enumerate(ANSWERS, start=1):
                await client.stream(speak(answer))
                done = await client.stream_silence_until(
                    lambda t=turn: client.turn_complete(t),
                    timeout_s=60,  # type: ignore[misc]
                )
                assert done, f"no reply to turn {turn}"
            await client.end()
            return client.received.events

    events = asyncio.run(run())
    greeting = next(e for e in events if e["type"] == "reply" and e["turn"] == 0)
    assert greeting["text"].endswith("how is your mood today?")
    replies = {e["turn"]: e["text"] for e in events if e["type"] == "reply"}
    assert replies[1].endswith("How did you sleep last night: well, okay, or badly?")
    assert replies[3].startswith("That's fine.")
    summaries = [e for e in events if e["type"] == "summary"]
    assert len(summaries) == 1
    items = summaries[0]["items"]
    assert items["mood"] == 6.0
    assert items["sleep"] == "okay"
    assert items["energy"] is None  # skipped
    # Free-text answers keep the person's words, as Whisper heard them.
    assert word_error_rate(ANSWERS[3], items["on_mind"]) <= 0.5
    assert word_error_rate(ANSWERS[4], items["went_well"]) <= 0.5
    assert replies[6] == summaries[0]["text"] and "six out of ten" in replies[6]
    assert [e["type"] for e in events][-1] == "bye"
