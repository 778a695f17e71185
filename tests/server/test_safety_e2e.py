"""A spoken crisis over the real websocket: recognised before any model, answered by script."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from fakes import FakeChatModel  # type: ignore[import-not-found]

from voice.audio import active_seconds, pcm16_to_float
from voice.client import talk
from voice.engines import Engines
from voice.server.connection import ConnectionLimits

pytestmark = pytest.mark.real_models


def test_spoken_crisis_gets_safety_and_a_scripted_reply(
    engines: Engines,
    start_server: Callable[..., str],
    speak: Callable[[str], bytes],
) -> None:
    chat = FakeChatModel(pieces=["This must never be spoken."])
    with_fake_model = Engines(
        engines.transcriber, chat, engines.synthesizer, risk_screen=engines.risk_screen
    )
    address = start_server(ConnectionLimits(), with_fake_model)
    sentence = "Sometimes I think everyone would be better off without me."
    result = asyncio.run(talk(f"ws://{address}/v1/checkin", speak(sentence), trailing_timeout_s=60))
    got = result.received
    assert result.complete
    assert chat.prompts == [], "the language model must not be called on a crisis"
    safety = got.of_type("safety")
    assert len(safety) == 1
    assert safety[0]["turn"] == 1 and safety[0]["level"] == "crisis"
    assert "988" in {r["number"] for r in safety[0]["resources"]}
    types = [e["type"] for e in got.events if e.get("turn") == 1]
    assert types.index("transcript") < types.index("safety") < types.index("reply_delta")
    reply = next(e for e in got.of_type("reply") if e["turn"] == 1)
    assert "nine eight eight" in reply["text"] and "safe right now" in reply["text"]
    assert "never be spoken" not in reply["text"]
    audio = pcm16_to_float(bytes(got.audio[1]))
    assert active_seconds(audio, 22050) > 4.0  # the whole scripted reply is spoken
