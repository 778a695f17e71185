"""Prosody cues over a real websocket with the real models: a spoken turn gets its cues."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from databases import accounts_and_records  # type: ignore[import-not-found]

from voice.client.connection import CheckinClient
from voice.server.edge import OriginPolicy
from voice.server.state import Access, ConnectionLimits

pytestmark = pytest.mark.real_models

SENTENCE = "Honestly I am fine, it was just a long and quiet day at home."


def test_a_spoken_turn_gets_cues_before_its_reply_and_is_remembered(
    start_server: Callable[..., str],
    speak: Callable[[str], bytes],
    tmp_path: Path,
) -> None:
    store, records = accounts_and_records(tmp_path)
    token = store.add_person("e2e.cues", datetime.now(UTC))
    access = Access(store, records, policy=OriginPolicy.for_server("127.0.0.1"))
    address = start_server(ConnectionLimits(max_sessions=2), access=access)
    keep_cues = {"audio": False, "transcript": True, "share": []}

    async def check_in() -> list[dict[str, object]]:
        async with CheckinClient.open(f"ws://{address}/v1/checkin") as client:
            ready = await client.hello(token=token, consent=keep_cues)
            assert ready["type"] == "ready"
            await client.stream(speak(SENTENCE))  # speaking over the greeting interrupts it
            await client.stream_silence_until(
                lambda: any(e["turn"] == 1 for e in client.received.of_type("reply_delta")),
                timeout_s=60,
            )
            await client.end()
            return client.received.events

    events = asyncio.run(check_in())
    final = next(e for e in events if e["type"] == "transcript" and e["final"])
    (cues,) = [e for e in events if e["type"] == "cues"]
    first_delta = next(e for e in events if e["type"] == "reply_delta" and e["turn"] == 1)
    assert events.index(final) < events.index(cues) < events.index(first_delta)
    assert cues["turn"] == 1
    assert cues["baseline_scope"] == "user" and cues["baseline_turns"] == 0
    assert cues["relative"] == {} and cues["summary"] == ""  # nothing to compare with yet
    features = cues["features"]
    assert isinstance(features, dict)
    assert 60.0 < features["pitch_median_hz"] < 300.0
    assert 1.5 < features["speaking_rate_words_per_second"] < 5.0
    assert 1.0 < features["speech_seconds"] < 6.0
    assert features["response_latency_seconds"] is None  # it spoke over the greeting
    baselines = records.baselines()
    deadline = time.monotonic() + 10  # written on the prosody worker, after the cues
    while baselines.load("e2e.cues").turns == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert baselines.load("e2e.cues").turns == 1  # kept, sealed, in the database
