"""A spoken crisis over the real websocket: recognised before any model, answered by script."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from fakes import FakeChatModel  # type: ignore[import-not-found]

from voice.audio.pcm import active_seconds, pcm16_to_float
from voice.client.connection import CheckinClient, talk
from voice.dialogue.checkin import load_script
from voice.engines.workers import Engines
from voice.safety import SafetyLevel, detect
from voice.server.state import ConnectionLimits

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


def test_a_quiet_crisis_only_the_screen_hears_then_not_safe_then_a_flagged_summary(
    engines: Engines,
    start_server: Callable[..., str],
    speak: Callable[[str], bytes],
) -> None:
    """A mood answered; then spoken words the rules miss, caught by the learned screen; the
    answer to "are you safe right now?" read without the model; the summary flagged."""
    chat = FakeChatModel(pieces=["Thank you for telling me."])
    address = start_server(
        ConnectionLimits(checkin_script=load_script(None)),
        Engines(engines.transcriber, chat, engines.synthesizer, risk_screen=engines.risk_screen),
    )
    sentence = "I've made my peace with it, and I'm ready to go now."
    assert detect(sentence).level is SafetyLevel.NONE, "the rules alone miss this"

    events = asyncio.run(_mood_then_spoken(address, speak(sentence), ["no, not really"]))
    assert len(chat.prompts) == 1, "the model reflected on the mood only, never after"
    safety = [e for e in events if e["type"] == "safety"]
    assert [(e["turn"], e["level"], e["category"]) for e in safety] == [
        (2, "crisis", "suicide"),
        (3, "crisis", "suicide"),
    ]
    replies = {e["turn"]: e["text"] for e in events if e["type"] == "reply"}
    assert "safe right now" in replies[2]
    assert "get help right now" in replies[3] and "nine eight eight" in replies[3]
    summaries = [e for e in events if e["type"] == "summary"]
    assert len(summaries) == 1
    assert summaries[0]["items"]["mood"] == 3.0 and summaries[0]["safety"] == "crisis"


def test_a_crisis_only_the_screen_read_resumes_the_check_in_when_the_person_is_safe(
    engines: Engines,
    start_server: Callable[..., str],
    speak: Callable[[str], bytes],
) -> None:
    """A reading is not a statement: after "yes, I'm safe" the check-in asks its open
    question again and goes on, and the summary still carries the crisis flag."""
    chat = FakeChatModel(pieces=["Thank you for telling me."])
    address = start_server(
        ConnectionLimits(checkin_script=load_script(None)),
        Engines(engines.transcriber, chat, engines.synthesizer, risk_screen=engines.risk_screen),
    )
    sentence = "I've made my peace with it, and I'm ready to go now."

    answers = ["yes, I'm safe", "pretty badly"]
    events = asyncio.run(_mood_then_spoken(address, speak(sentence), answers))
    safety = [(e["turn"], e["level"]) for e in events if e["type"] == "safety"]
    assert safety == [(2, "crisis")]
    replies = {e["turn"]: e["text"] for e in events if e["type"] == "reply"}
    assert "safe right now" in replies[2]
    assert "nine eight eight" in replies[3] and replies[3].endswith(
        "How did you sleep last night: well, okay, or badly?"
    ), "the acknowledgement, then the open check-in question again"
    assert "energy" in replies[4], "the check-in went on to its next question"
    summaries = [e for e in events if e["type"] == "summary"]
    assert len(summaries) == 1 and summaries[0]["safety"] == "crisis"
    assert summaries[0]["items"]["sleep"] is not None


async def _mood_then_spoken(address: str, pcm: bytes, answers: list[str]) -> list[dict[str, Any]]:
    """A check-in: the mood typed (turn 1), ``pcm`` spoken (turn 2), then each answer typed
    (turns 3, 4, ...), each waited for; every event received."""
    async with CheckinClient.open(f"ws://{address}/v1/checkin") as client:
        await client.hello()
        await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
        await client.send_json({"type": "text", "text": "about a three"})
        await client.wait_for(lambda e: e["type"] == "reply" and e["turn"] == 1, 60)
        await client.stream(pcm)
        assert await client.stream_silence_until(lambda: client.turn_complete(2), timeout_s=60)
        for turn, answer in enumerate(answers, start=3):
            await client.send_json({"type": "text", "text": answer})
            await client.wait_for(lambda e, t=turn: e["type"] == "reply" and e["turn"] == t, 60)
        await client.end()
        return client.received.events
