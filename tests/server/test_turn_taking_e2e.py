"""Turn-taking over the real websocket with the real end-of-turn model (Smart Turn v3),
Whisper and Piper: a sentence with a 1.5 s thinking pause inside it, at a quiet point
between words (as ``voice bench --pauses`` puts it), is one turn heard whole (the plain
800 ms silence would cut it in two); and the same sentence said whole ends its turn at a
half-second pause, before the plain silence could (the client then sends nothing more:
the silence rule, counting audio, would wait for ever)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from fakes import FakeChatModel  # type: ignore[import-not-found]

from voice.client.connection import CheckinClient
from voice.engines.factory import model_path
from voice.engines.turn_model import SmartTurn
from voice.engines.workers import Engines
from voice.server.state import ConnectionLimits
from voice.settings import Settings
from voice.tools.bench_audio import with_thinking_pause
from voice.tools.bench_turns import in_one_session

pytestmark = pytest.mark.real_models

SENTENCE = "I went to the shop this morning and bought some bread for dinner."


@pytest.fixture(scope="module")
def address(engines: Engines, start_server: Callable[..., str], settings: Settings) -> str:
    """A server run with ``--end-of-turn model`` (a fixed reply keeps it quick)."""
    fast = Engines(
        engines.transcriber,
        FakeChatModel(pieces=["Thank you for telling me."]),
        engines.synthesizer,
        turn_model=SmartTurn(model_path(settings, "turn")),
    )
    return start_server(ConnectionLimits(), fast)


async def _talk(address: str, pcm: bytes) -> list[dict[str, Any]]:
    async with CheckinClient.open(f"ws://{address}/v1/checkin") as client:
        await client.hello(checkin=False)
        await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
        await client.stream(pcm)
        assert await client.stream_silence_until(lambda: client.turn_complete(1), timeout_s=60)
        await client.stream(bytes(32000))  # a second more: no second turn starts
        await client.end()
        return client.received.events


def test_a_thinking_pause_inside_a_sentence_is_one_turn(
    address: str, speak: Callable[[str], bytes]
) -> None:
    events = asyncio.run(_talk(address, with_thinking_pause(speak(SENTENCE))))
    user_turns = {e["turn"] for e in events if e["type"] == "speech_started"}
    assert user_turns == {1}, [(e["type"], e.get("turn")) for e in events]
    stops = [e for e in events if e["type"] == "speech_stopped"]
    assert len(stops) == 1
    [final] = [e["text"].lower() for e in events if e["type"] == "transcript" and e["final"]]
    assert "shop" in final and "bread" in final, final  # both halves, as one turn


async def _say_then_hold(address: str, pcm: bytes) -> list[dict[str, Any]]:
    async with CheckinClient.open(f"ws://{address}/v1/checkin") as client:
        await client.hello(checkin=False)
        await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
        await client.stream(pcm + bytes(16000))  # the sentence, then half a second
        await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 1, 60)
        await client.end()
        return client.received.events


def test_a_finished_sentence_ends_its_turn_at_a_short_pause(
    address: str, speak: Callable[[str], bytes]
) -> None:
    events = asyncio.run(_say_then_hold(address, speak(SENTENCE)))
    [stopped] = [e for e in events if e["type"] == "speech_stopped"]
    assert stopped["turn"] == 1
    assert any(e["type"] == "reply" and e["turn"] == 1 for e in events)


@pytest.fixture(scope="module")
def plain_address(engines: Engines, start_server: Callable[..., str]) -> str:
    """A server with the plain silence rule (the default: no end-of-turn model)."""
    fast = Engines(engines.transcriber, FakeChatModel(pieces=["Thank you."]), engines.synthesizer)
    return start_server(ConnectionLimits(), fast)


def _with_pause(first: bytes, second: bytes) -> bytes:
    return first + bytes(round(1.5 * 32000)) + second


def test_without_a_model_words_that_stop_mid_sentence_wait_for_the_rest(
    plain_address: str, speak: Callable[[str], bytes]
) -> None:
    """ "I went to the shop and" ... 1.5 s ... "then I bought some bread": Whisper's early
    transcript stops on "and", so the 800 ms rule waits; the whole sentence is one turn."""
    pcm = _with_pause(speak("I went to the shop and"), speak("then I bought some bread."))
    events = asyncio.run(_talk(plain_address, pcm))
    assert {e["turn"] for e in events if e["type"] == "speech_started"} == {1}
    [final] = [e["text"].lower() for e in events if e["type"] == "transcript" and e["final"]]
    assert "shop" in final and "bread" in final, final


def test_without_a_model_a_whole_sentence_still_ends_at_the_pause(
    plain_address: str, speak: Callable[[str], bytes]
) -> None:
    pcm = _with_pause(speak("I went to the shop."), speak("Then I bought some bread."))

    async def talk() -> list[dict[str, Any]]:
        async with CheckinClient.open(f"ws://{plain_address}/v1/checkin") as client:
            await client.hello(checkin=False)
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
            await client.stream(pcm)
            assert await client.stream_silence_until(lambda: client.turn_complete(2), timeout_s=60)
            await client.end()
            return client.received.events

    events = asyncio.run(talk())
    finals = [e["text"].lower() for e in events if e["type"] == "transcript" and e["final"]]
    assert len(finals) == 2 and "shop" in finals[0] and "bread" in finals[1], finals


@pytest.fixture(scope="module")
def slow_address(engines: Engines, start_server: Callable[..., str]) -> str:
    """The plain silence rule, with a reply that takes 1.2 s to write, as a real model's
    first sentence does here: a person who goes on after 1.5 s has heard nothing yet."""
    slow = FakeChatModel(pieces=["Thank you."], delay_s=1.2)
    return start_server(ConnectionLimits(), Engines(engines.transcriber, slow, engines.synthesizer))


def test_a_person_cut_off_once_keeps_their_next_thinking_pause(
    slow_address: str, speak: Callable[[str], bytes]
) -> None:
    """One person's two sentences, as ``voice bench --pauses --one-session`` sends them: the
    first 1.5 s pause ends the turn at 800 ms; the person goes on before any reply, so their
    turns now wait longer, and the same pause in the next sentence is kept inside it."""
    said = [
        ("I went to the shop.", "Then I bought some bread."),
        ("I slept badly last night.", "The neighbours were loud."),
    ]
    utterances = [
        (f"u{i}", _with_pause(speak(a), speak(b)), f"{a} {b}") for i, (a, b) in enumerate(said)
    ]
    pause_at = {f"u{i}": len(speak(a)) // 32 for i, (a, _) in enumerate(said)}
    first, second = asyncio.run(
        in_one_session(f"ws://{slow_address}/v1/checkin", utterances, pause_at)
    )
    assert (first.cut_at_pause, first.turns) == (True, 2)
    assert (second.cut_at_pause, second.turns) == (False, 1)
    assert first.wer <= 0.25 and second.wer <= 0.25, (first.wer, second.wer)
    assert first.replied and second.replied
