"""Abuse from one client never disturbs another: a flood of audio, a socket held without
hello, a compression offer. Real models, a real server with accounts."""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from voice.accounts import AccountStore
from voice.client.connection import CheckinClient
from voice.db import open_database
from voice.server.edge import OriginPolicy
from voice.server.state import Access, ConnectionLimits, ServerState

pytestmark = pytest.mark.real_models

AUDIO = {"encoding": "pcm_s16le", "sample_rate": 16000, "channels": 1}
FRAME = 640  # 20 ms of 16 kHz s16le
PHRASE = "I went for a walk by the river this morning and it cleared my head."


@pytest.fixture(scope="module")
def guarded(
    start_server: Callable[..., str],
    server_state: Callable[[str], ServerState],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, dict[str, str], ServerState]:
    folder = tmp_path_factory.mktemp("abuse")
    store = AccountStore(open_database(f"sqlite:///{folder / 'voice.db'}"))
    now = datetime.now(UTC)
    tokens = {name: store.add_person(name, now) for name in ("ana", "ben", "cy")}
    address = start_server(
        ConnectionLimits(max_sessions=2, max_sessions_per_account=1),
        access=Access(accounts=store, policy=OriginPolicy.for_server("127.0.0.1")),
    )
    return f"ws://{address}/v1/checkin", tokens, server_state(address)


async def _turn_latencies(url: str, token: str, pcm: bytes, turns: int) -> list[float]:
    """Seconds from the end of each spoken turn to the first reply audio, as heard."""
    latencies = []
    async with CheckinClient.open(url) as client:
        ready = await client.hello(token=token, checkin=False)
        assert ready["type"] == "ready", ready
        await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
        for n in range(1, turns + 1):
            await client.stream(pcm)
            spoken_at = time.monotonic()

            def replied(n: int = n) -> bool:
                return client.turn_complete(n)

            assert await client.stream_silence_until(replied, timeout_s=90), "no reply came"
            latencies.append(client.received.first_audio_at[n] - spoken_at)
        await client.end()
    return latencies


async def _flood(
    url: str, token: str, pcm: bytes, stop: asyncio.Event, seconds: float
) -> dict[str, Any]:
    """Send audio at 10x real time until ``stop`` is set (at most ``seconds``); reconnect
    whenever closed."""
    seen: dict[str, Any] = {"errors": [], "closes": [], "connections": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stop.is_set():
        seen["connections"] += 1
        async with connect(url) as ws:
            await ws.send(
                json.dumps({"type": "hello", "protocol": 1, "audio": AUDIO, "token": token})
            )

            async def read() -> None:
                with contextlib.suppress(ConnectionClosed):
                    async for message in ws:
                        if isinstance(message, str) and json.loads(message)["type"] == "error":
                            seen["errors"].append(json.loads(message)["code"])

            reader = asyncio.ensure_future(read())
            try:
                offset = 0
                while time.monotonic() < deadline and not stop.is_set():
                    await ws.send(pcm[offset : offset + FRAME])
                    offset = (offset + FRAME) % (len(pcm) - FRAME)
                    await asyncio.sleep(0.002)  # a 20 ms frame every 2 ms: 10x real time
            except ConnectionClosed:
                pass
            await asyncio.wait_for(reader, 5)
            seen["closes"].append(ws.close_code)
        await asyncio.sleep(0.5)
    return seen


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_audio_at_ten_times_real_time_does_not_slow_another_client(
    guarded: tuple[str, dict[str, str], ServerState], speak: Callable[[str], bytes]
) -> None:
    url, tokens, state = guarded
    pcm = speak(PHRASE)
    idle = asyncio.run(_turn_latencies(url, tokens["ben"], pcm, 2))
    peak_before = _rss_mb()

    async def both() -> tuple[dict[str, Any], list[float]]:
        stop = asyncio.Event()
        flood = asyncio.ensure_future(_flood(url, tokens["ana"], pcm, stop, 60.0))
        await asyncio.sleep(1.0)
        during = await _turn_latencies(url, tokens["ben"], pcm, 2)
        stop.set()  # the flood lasted through both of ben's turns
        return await flood, during

    seen, during = asyncio.run(both())
    print(f"idle {idle}, during the flood {during}, flood {seen}")
    assert statistics.mean(during) <= 1.5 * statistics.mean(idle), (idle, during)
    # The flooder was told, closed with 1008, and kept out while cooling down.
    assert "too_fast" in seen["errors"]
    assert seen["closes"][0] == 1008
    assert seen["connections"] >= 2 and set(seen["closes"]) == {1008}
    assert state.active_sessions == 0 or state.active_sessions <= 2
    assert _rss_mb() - peak_before < 100  # nothing queued without bound


def test_a_socket_without_hello_is_closed_at_ten_seconds_without_a_slot(
    guarded: tuple[str, dict[str, str], ServerState],
) -> None:
    url, tokens, _ = guarded

    async def run() -> tuple[float, int | None, list[str], str]:
        async with connect(url) as silent:
            opened = time.monotonic()
            # Both slots stay free while it waits: two people check in meanwhile (not ana,
            # who may be cooling down after the flood test).
            async with CheckinClient.open(url) as a, CheckinClient.open(url) as b:
                ready_a = await a.hello(token=tokens["cy"])
                ready_b = await b.hello(token=tokens["ben"])
                await a.end()
                await b.end()
            codes = [str(ready_a["type"]), str(ready_b["type"])]
            errors = []
            try:
                while True:
                    message = await asyncio.wait_for(silent.recv(), 15)
                    errors.append(json.loads(message)["code"])
            except ConnectionClosed:
                pass
            return time.monotonic() - opened, silent.close_code, errors, ",".join(codes)

    waited, code, errors, readies = asyncio.run(run())
    assert readies == "ready,ready"
    assert errors == ["timeout"] and code == 1008
    assert 9.5 <= waited <= 11.5


def test_no_compression_is_negotiated(
    guarded: tuple[str, dict[str, str], ServerState],
) -> None:
    url, _, _ = guarded

    async def run() -> str | None:
        async with connect(url, compression="deflate") as ws:
            assert ws.response is not None
            return ws.response.headers.get("Sec-WebSocket-Extensions")

    assert asyncio.run(run()) is None


def test_a_second_session_for_the_same_person_is_refused_over_the_limit(
    guarded: tuple[str, dict[str, str], ServerState],
) -> None:
    url, tokens, _ = guarded

    async def run() -> tuple[str, dict[str, Any], int | None]:
        async with CheckinClient.open(url) as first, CheckinClient.open(url) as second:
            ready = await first.hello(token=tokens["ben"])
            refused = await second.hello(token=tokens["ben"])
            await asyncio.sleep(0.2)
            await first.end()
            return str(ready["type"]), refused, second.received.close_code

    ready, refused, code = asyncio.run(run())
    assert ready == "ready"
    assert refused["code"] == "overloaded" and "person" in refused["message"]
    assert code == 1013
