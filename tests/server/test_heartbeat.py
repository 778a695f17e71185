"""The heartbeat and the help lines in ``ready``, over a real websocket to a real server on
fake models (fast: no model is loaded): ``ping`` is answered with its ``id`` at once, is not
the person's activity (a session that only pings still ends when idle) and spends no rate
allowance; ``ready`` carries the configured locale's lines."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fakes import (  # type: ignore[import-not-found]
    FakeChatModel,
    FakeDetector,
    FakeSynthesizer,
    FakeTranscriber,
)
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from voice.client.connection import CheckinClient
from voice.engines.workers import Engines
from voice.protocol import MAX_PING_ID, Pong, Ready, decode_server
from voice.safety import resources_for
from voice.server.app import create_app
from voice.server.run import bound_port, make_server
from voice.server.state import ConnectionLimits

Serve = Callable[[ConnectionLimits], str]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """``serve(limits)`` starts a real server on fake models and returns its websocket URL."""
    started: list[tuple[Any, threading.Thread]] = []

    def start(limits: ConnectionLimits) -> str:
        engines = Engines(
            FakeTranscriber(), FakeChatModel(), FakeSynthesizer(), detector_factory=FakeDetector
        )
        app = create_app(lambda: engines, limits)
        server = make_server(app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
        thread.start()
        started.append((server, thread))
        deadline = time.monotonic() + 30
        while not server.started or app.state.voice.engines is None:
            assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
            time.sleep(0.02)
        return f"ws://127.0.0.1:{bound_port(server)}/v1/checkin"

    yield start
    for server, thread in started:
        server.should_exit = True
        thread.join(10)


async def _until_closed(client: CheckinClient, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not client.received.closed and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def _pong_ids(client: CheckinClient) -> list[int]:
    return [e["id"] for e in client.received.of_type("pong")]


def test_ready_carries_the_configured_locales_help_lines(serve: Serve) -> None:
    url = serve(ConnectionLimits(safety_locale="gb"))

    async def run() -> dict[str, Any]:
        async with CheckinClient.open(url) as client:
            ready = await client.hello()
            await client.end()
            return ready

    ready = asyncio.run(run())
    assert ready["type"] == "ready"
    assert ready["resources"] == [
        {"name": "Samaritans", "number": "116 123", "kind": "call"},
        {"name": "Emergency services", "number": "999", "kind": "call"},
        {"name": "National Domestic Abuse Helpline", "number": "0808 2000 247", "kind": "call"},
    ]
    # The same table the safety replies use, and a message the strict decoder accepts.
    assert ready["resources"] == [line.as_dict() for line in resources_for("gb").lines]
    decoded = decode_server(json.dumps(ready))
    assert isinstance(decoded, Ready) and decoded.resources == tuple(ready["resources"])


def test_ping_is_answered_at_once_with_its_id(serve: Serve) -> None:
    url = serve(ConnectionLimits())

    async def run() -> tuple[list[int], list[dict[str, Any]], dict[str, Any]]:
        async with CheckinClient.open(url) as client:
            ready = await client.hello()
            await client.send_json({"type": "ping", "id": 7})
            pong = await client.wait_for(lambda e: e["type"] == "pong", 5)
            assert decode_server(json.dumps(pong)) == Pong(7)
            await client.send_json({"type": "ping", "id": "8"})  # refused: no pong
            await client.send_json({"type": "ping", "id": 0})
            await client.send_json({"type": "ping", "id": MAX_PING_ID})
            await client.wait_for(lambda e: e["type"] == "pong" and e["id"] == MAX_PING_ID, 5)
            await client.end()
            return _pong_ids(client), client.received.of_type("error"), ready

    pongs, errors, ready = asyncio.run(run())
    assert ready["type"] == "ready"
    assert pongs == [7, 0, MAX_PING_ID]
    assert [e["code"] for e in errors] == ["bad_message"]
    assert "'id'" in errors[0]["message"]


def test_a_session_that_only_pings_still_ends_when_idle(serve: Serve) -> None:
    url = serve(ConnectionLimits(idle_timeout_seconds=2.0))

    async def run() -> tuple[float, int, list[int], list[dict[str, Any]], int | None]:
        async with CheckinClient.open(url) as client:
            await client.hello()
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 30)
            greeted = time.monotonic()
            sent = 0
            with contextlib.suppress(ConnectionClosed):  # closed while a ping was going out
                while not client.received.closed and time.monotonic() - greeted < 15:
                    await client.send_json({"type": "ping", "id": sent})
                    sent += 1
                    await asyncio.sleep(0.2)
            await _until_closed(client)
            waited = time.monotonic() - greeted
            errors = client.received.of_type("error")
            return waited, sent, _pong_ids(client), errors, client.received.close_code

    waited, sent, pongs, errors, close_code = asyncio.run(run())
    assert [e["code"] for e in errors] == ["timeout"]
    assert errors[0]["message"] == "closed after a long silence"
    assert close_code == 1000
    assert waited < 6.0  # the 2 s idle limit, not reset by about ten pings
    assert sent >= 8
    assert pongs == list(range(len(pongs))) and len(pongs) >= sent - 2  # all answered, in order


def test_pings_spend_no_rate_allowance(serve: Serve) -> None:
    url = serve(ConnectionLimits())
    turns = [f"Just checking in, note {i}." for i in range(3)]  # the typed turns' whole burst

    async def run() -> tuple[list[int], list[str], list[str]]:
        async with CheckinClient.open(url) as client:
            await client.hello()
            for i in range(40):  # far faster than any page's heartbeat
                await client.send_json({"type": "ping", "id": i})
            await client.wait_for(lambda e: e["type"] == "pong" and e["id"] == 39, 10)
            for text in turns:
                await client.send_json({"type": "text", "text": text})
            await client.wait_for(
                lambda e: e["type"] == "error" or (e["type"] == "transcript" and e["turn"] == 3),
                30,
            )
            finals = [e["text"] for e in client.received.of_type("transcript") if e["final"]]
            errors = [e["code"] for e in client.received.of_type("error")]
            await client.end()
            return _pong_ids(client), finals, errors

    pongs, finals, errors = asyncio.run(run())
    assert pongs == list(range(40))
    assert finals == turns  # every typed turn of the burst was still answered
    assert errors == []  # no too_fast


def test_a_ping_before_hello_is_refused_like_any_other_first_message(serve: Serve) -> None:
    url = serve(ConnectionLimits())

    async def run() -> tuple[list[dict[str, Any]], int | None]:
        events: list[dict[str, Any]] = []
        async with connect(url) as ws:
            await ws.send(json.dumps({"type": "ping", "id": 1}))
            with contextlib.suppress(ConnectionClosed):
                async for message in ws:
                    events.append(json.loads(message))
            return events, ws.close_code

    events, close_code = asyncio.run(run())
    assert events == [
        {"type": "error", "code": "bad_message", "message": "the first message must be hello"}
    ]
    assert close_code == 1008
