"""Every kind of bad input gets its error code (or a clean close), and the server keeps serving."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from voice.client.connection import CheckinClient
from voice.server.state import ConnectionLimits, ServerState

pytestmark = pytest.mark.real_models

HELLO: dict[str, Any] = {
    "type": "hello",
    "protocol": 1,
    "audio": {"encoding": "pcm_s16le", "sample_rate": 16000, "channels": 1},
}


async def _exchange(
    url: str, *frames: str | bytes, hello: bool = True
) -> tuple[list[dict[str, Any]], int | None]:
    """Send frames, collect what comes back until the server closes or goes quiet."""
    events: list[dict[str, Any]] = []
    async with connect(url) as ws:
        with contextlib.suppress(ConnectionClosed):  # the server may close first
            if hello:
                await ws.send(json.dumps(HELLO))
            for frame in frames:
                await ws.send(frame)
        try:
            while True:
                message = await asyncio.wait_for(ws.recv(), 3.0)
                if isinstance(message, str):
                    events.append(json.loads(message))
        except TimeoutError:
            return events, None
        except Exception:
            return events, ws.close_code


def _errors(events: list[dict[str, Any]]) -> list[str]:
    return [e["code"] for e in events if e["type"] == "error"]


async def _until_closed(client: CheckinClient) -> None:
    """Wait (briefly) until the client's reader has seen the close."""
    for _ in range(100):
        if client.received.closed:
            return
        await asyncio.sleep(0.05)


def _still_serving(url: str) -> None:
    async def check() -> str:
        async with CheckinClient.open(url) as client:
            ready = await client.hello()
            await client.end()
            return str(ready["type"])

    assert asyncio.run(check()) == "ready"


@pytest.mark.parametrize(
    ("first", "code"),
    [
        (json.dumps({"type": "commit"}), "bad_message"),
        (json.dumps({**HELLO, "protocol": 2}), "unsupported_protocol"),
        (
            json.dumps({**HELLO, "audio": {**HELLO["audio"], "sample_rate": 44100}}),
            "unsupported_audio",
        ),
        (
            json.dumps({**HELLO, "audio": {**HELLO["audio"], "encoding": "opus"}}),
            "unsupported_audio",
        ),
        (json.dumps({**HELLO, "audio": {**HELLO["audio"], "channels": 2}}), "unsupported_audio"),
        (json.dumps({**HELLO, "user": "../etc"}), "bad_message"),
        ("{not json", "bad_message"),
        (b"\x00\x01" * 100, "bad_message"),
    ],
    ids=[
        "not-hello",
        "protocol-2",
        "rate",
        "encoding",
        "stereo",
        "user-path",
        "json",
        "binary-first",
    ],
)
def test_bad_start_is_refused_and_closed(ws_url: str, first: str | bytes, code: str) -> None:
    events, close_code = asyncio.run(_exchange(ws_url, first, hello=False))
    assert _errors(events) == [code]
    assert close_code == 1008
    assert not [e for e in events if e["type"] == "ready"]
    _still_serving(ws_url)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{oops", "bad_message"),
        (json.dumps({"type": "dance"}), "bad_message"),
        (json.dumps({"text": "no type"}), "bad_message"),
        (json.dumps([1, 2]), "bad_message"),
        (json.dumps({"type": "text", "text": "   "}), "bad_message"),
        (json.dumps({"type": "text", "text": "x" * 5000}), "too_large"),
        (json.dumps(HELLO), "bad_message"),
        (b"\x01\x02\x03", "bad_message"),
    ],
    ids=[
        "json",
        "unknown-type",
        "no-type",
        "array",
        "empty-text",
        "long-text",
        "second-hello",
        "odd-pcm",
    ],
)
def test_bad_message_mid_session_keeps_the_session(
    ws_url: str, frame: str | bytes, code: str
) -> None:
    async def run() -> list[dict[str, Any]]:
        async with CheckinClient.open(ws_url) as client:
            await client.hello()
            await client.ws.send(frame)
            await client.wait_for(lambda e: e["type"] == "error")
            # The same connection still works: a typed turn is answered.
            await client.send_json({"type": "text", "text": "Thanks, I'm okay."})
            await client.wait_for(lambda e: e["type"] == "reply" and e["turn"] == 1, 60)
            await client.end()
            return client.received.events

    events = asyncio.run(run())
    assert _errors(events) == [code]
    assert events[-1]["type"] == "bye"


def test_oversized_frame_is_refused_with_1009(ws_url: str) -> None:
    """The websocket layer itself refuses a frame over the protocol's 64 KiB (max_size):
    the frame is never read into the application."""
    events, close_code = asyncio.run(_exchange(ws_url, bytes(65538)))
    assert _errors(events) == []
    assert close_code == 1009
    _still_serving(ws_url)


def test_error_text_never_echoes_the_input(ws_url: str) -> None:
    secret = "my-private-words-" * 20
    events, _ = asyncio.run(_exchange(ws_url, json.dumps({"type": secret})))
    assert _errors(events) == ["bad_message"]
    assert all("private" not in json.dumps(e) for e in events)


def test_silent_client_times_out(start_server: Callable[[ConnectionLimits], str]) -> None:
    """A client that connects and sends nothing is closed with `timeout`."""
    address = start_server(ConnectionLimits(hello_timeout_seconds=0.5))

    async def run() -> tuple[list[dict[str, Any]], int | None]:
        async with connect(f"ws://{address}/v1/checkin") as ws:
            events = []
            try:
                while True:
                    events.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
            except Exception:
                return events, ws.close_code

    events, close_code = asyncio.run(run())
    assert _errors(events) == ["timeout"]
    assert close_code == 1008


async def _hello_once_free(url: str) -> str:
    """The answer to a hello once the last session has finished closing (its slot frees
    then): ``ready``, or what the last try got."""
    answer: dict[str, Any] = {}
    for _ in range(50):
        async with CheckinClient.open(url) as again:
            # Refused again (closed at once, maybe before our hello went out): retry.
            with contextlib.suppress(ConnectionError, ConnectionClosed):
                answer = await again.hello()
                await again.end()
        if answer.get("type") == "ready":
            break
        await asyncio.sleep(0.1)
    return str(answer.get("type"))


def test_sessions_over_the_limit_are_told_overloaded(
    start_server: Callable[[ConnectionLimits], str],
) -> None:
    address = start_server(ConnectionLimits(max_sessions=1))
    url = f"ws://{address}/v1/checkin"

    async def run() -> tuple[str, list[dict[str, Any]], int | None, str]:
        async with CheckinClient.open(url) as first:
            ready = await first.hello()
            events, code = await _exchange(url)
            await first.end()
        return str(ready["type"]), events, code, await _hello_once_free(url)

    first, events, code, after = asyncio.run(run())
    assert first == "ready"
    assert _errors(events) == ["overloaded"]
    assert code == 1013
    assert after == "ready"


def test_new_sessions_are_told_overloaded_while_replies_come_too_late(
    start_server: Callable[[ConnectionLimits], str],
    server_state: Callable[[str], ServerState],
) -> None:
    """Back-pressure: while someone is being answered and the last minute's replies took
    longer than the limit, a new hello is refused (``overloaded``, close 1013) rather than
    accepted and answered too late; with nobody left in a session, people are let in."""
    address = start_server(ConnectionLimits(overload_ms=4000.0))
    url = f"ws://{address}/v1/checkin"
    load = server_state(address).load

    async def run() -> tuple[list[dict[str, Any]], int | None, str]:
        async with CheckinClient.open(url) as first:
            assert (await first.hello())["type"] == "ready"
            now = time.monotonic()
            for latency_ms in (6500.0, 3000.0, 7200.0):  # median 6.5 s
                load.record(latency_ms, now)
            events, code = await _exchange(url)
            await first.end()
        return events, code, await _hello_once_free(url)

    events, code, later = asyncio.run(run())
    assert _errors(events) == ["overloaded"]
    assert "slow" in str(events[-1]["message"])
    assert code == 1013
    assert later == "ready"  # nobody else in a session: the slow minute does not lock out


def test_client_that_vanishes_mid_reply_does_not_disturb_others(
    ws_url: str, speak: Callable[[str], bytes]
) -> None:
    async def vanish() -> None:
        async with connect(ws_url) as ws:
            await ws.send(json.dumps(HELLO))
            await ws.send(json.dumps({"type": "text", "text": "Tell me something kind."}))
            while True:
                message = await ws.recv()
                if isinstance(message, bytes):
                    break  # reply audio is flowing: leave without a word
        # the context manager closes the socket abruptly enough for this purpose

    asyncio.run(vanish())
    _still_serving(ws_url)


def test_an_unpaired_surrogate_is_bad_message_and_the_session_lives_on(ws_url: str) -> None:
    """JSON's escape for half a surrogate pair decodes to text that is not UTF-8."""
    events, close_code = asyncio.run(
        _exchange(ws_url, '{"type": "text", "text": "I feel \\ud800 today"}', '{"type": "commit"}')
    )
    assert _errors(events) == ["bad_message"]
    assert "surrogate" in next(e["message"] for e in events if e["type"] == "error")
    assert close_code is None  # still open when we stopped listening; never 1011
    _still_serving(ws_url)


def test_streamed_silence_does_not_keep_a_session_alive(
    start_server: Callable[[ConnectionLimits], str],
) -> None:
    address = start_server(ConnectionLimits(idle_timeout_seconds=2.0))

    async def run() -> tuple[float, list[str], int | None]:
        async with CheckinClient.open(f"ws://{address}/v1/checkin") as client:
            await client.hello()
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
            greeted = time.monotonic()
            with contextlib.suppress(ConnectionClosed):  # closed while a frame was going out
                kept = await client.stream_silence_until(lambda: False, timeout_s=15)
                assert not kept
            await _until_closed(client)
            errors = [e["code"] for e in client.received.of_type("error")]
            return time.monotonic() - greeted, errors, client.received.close_code

    waited, errors, close_code = asyncio.run(run())
    assert errors == ["timeout"] and close_code == 1000
    assert waited < 6.0


def test_a_session_ends_at_its_time_limit(
    start_server: Callable[[ConnectionLimits], str],
) -> None:
    address = start_server(ConnectionLimits(session_seconds=4.0))

    async def run() -> tuple[float, list[dict[str, Any]], int | None]:
        async with CheckinClient.open(f"ws://{address}/v1/checkin") as client:
            started = time.monotonic()
            await client.hello()
            with contextlib.suppress(ConnectionClosed):  # closed while a frame was going out
                await client.stream_silence_until(lambda: False, timeout_s=15)
            await _until_closed(client)
            return (
                time.monotonic() - started,
                client.received.of_type("error"),
                client.received.close_code,
            )

    waited, errors, close_code = asyncio.run(run())
    assert [e["code"] for e in errors] == ["timeout"]
    assert "time limit" in errors[0]["message"]
    assert close_code == 1000
    assert 3.5 <= waited <= 8.0


def test_typed_turns_faster_than_they_can_be_answered_are_refused(ws_url: str) -> None:
    turns = [json.dumps({"type": "text", "text": f"Just checking in, note {i}."}) for i in range(5)]
    events, close_code = asyncio.run(_exchange(ws_url, *turns))
    assert _errors(events).count("too_fast") == 2  # a burst of three, then paced
    answered = [e["text"] for e in events if e["type"] == "transcript"]
    assert answered == [f"Just checking in, note {i}." for i in range(3)]
    assert close_code is None
