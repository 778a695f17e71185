"""The reference client: streams audio to a server at real-time pace and records events.

``CheckinClient`` is the building block (tests and the benchmark script it);
``talk`` is what ``voice talk FILE.wav`` runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from ssl import SSLContext
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from voice.audio.pcm import PIPELINE_RATE_HZ

Event = dict[str, Any]
DEFAULT_URL = "ws://127.0.0.1:8765/v1/checkin"
FRAME_MS = 20


@dataclass(slots=True)
class Received:
    """Everything a client has received so far, in order."""

    events: list[Event] = field(default_factory=list)
    event_times: list[float] = field(default_factory=list)
    audio: dict[int, bytearray] = field(default_factory=lambda: defaultdict(bytearray))
    first_audio_at: dict[int, float] = field(default_factory=dict)
    closed: bool = False
    close_code: int | None = None

    def of_type(self, kind: str) -> list[Event]:
        """Events of one type, in order."""
        return [e for e in self.events if e.get("type") == kind]

    def heard(self) -> bool:
        """True once any turn of the person's had words."""
        return any(e["final"] and e["text"] for e in self.of_type("transcript"))

    def answered(self) -> bool:
        """True once the person's last turn has been fully answered: no turn is still being
        spoken or transcribed, and the last one with words has its reply (a turn cut short
        is answered together with the next)."""
        finals = [e for e in self.of_type("transcript") if e["final"]]
        started = {e["turn"] for e in self.of_type("speech_started")}
        if started - {e["turn"] for e in finals}:
            return False
        spoken = [e["turn"] for e in finals if e["text"]]
        return bool(spoken) and self.turn_complete(spoken[-1])

    def turn_complete(self, turn: int) -> bool:
        """True once the reply of ``turn`` has been fully received (its metrics came)."""
        return any(e["type"] == "metrics" and e["turn"] == turn for e in self.events)


class CheckinClient:
    """One websocket session. Use ``async with CheckinClient.open(url) as c:``."""

    def __init__(
        self, ws: ClientConnection, *, on_event: Callable[[Event], None] | None = None
    ) -> None:
        self.ws = ws
        self.received = Received()
        self.audio_sent_ms = 0.0
        """Milliseconds of audio streamed so far (where the server's hearing is)."""
        self._on_event = on_event
        self._changed = asyncio.Condition()
        self._current_audio_turn: int | None = None
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls,
        url: str,
        *,
        on_event: Callable[[Event], None] | None = None,
        ssl: SSLContext | None = None,
    ) -> Any:
        """Connect (``ssl``: whom to trust for ``wss://``, default the system's); the reader
        runs until the connection closes."""
        options: dict[str, Any] = {"ssl": ssl} if ssl is not None else {}
        async with connect(url, max_size=2**20, open_timeout=10, **options) as ws:
            client = cls(ws, on_event=on_event)
            try:
                yield client
            finally:
                client._reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await client._reader

    async def hello(self, *, sample_rate: int = PIPELINE_RATE_HZ, **extra: Any) -> Event:
        """Send hello and wait for ready (or an error)."""
        await self.send_json(
            {
                "type": "hello",
                "protocol": 1,
                "audio": {"encoding": "pcm_s16le", "sample_rate": sample_rate, "channels": 1},
                **extra,
            }
        )
        return await self.wait_for(lambda e: e["type"] in ("ready", "error"))

    async def send_json(self, message: Event) -> None:
        """Send one text frame."""
        await self.ws.send(json.dumps(message))

    async def stream(
        self, pcm: bytes, *, sample_rate: int = PIPELINE_RATE_HZ, realtime: bool = True
    ) -> None:
        """Send PCM in 20 ms frames, paced like a microphone when ``realtime``."""
        frame = sample_rate * FRAME_MS // 1000 * 2
        start = time.monotonic()
        for i, offset in enumerate(range(0, len(pcm), frame)):
            chunk = pcm[offset : offset + frame]
            await self.ws.send(chunk)
            self.audio_sent_ms += len(chunk) / 2 / sample_rate * 1000
            if realtime:
                due = start + (i + 1) * FRAME_MS / 1000
                await asyncio.sleep(max(0.0, due - time.monotonic()))

    async def stream_silence_until(
        self, done: Callable[[], bool], *, timeout_s: float, sample_rate: int = PIPELINE_RATE_HZ
    ) -> bool:
        """Keep a live microphone's silence flowing until ``done()`` or the timeout."""
        silence = bytes(sample_rate * FRAME_MS // 1000 * 2)
        deadline = time.monotonic() + timeout_s
        while not done():
            if time.monotonic() > deadline or self.received.closed:
                return False
            await self.stream(silence, sample_rate=sample_rate)
        return True

    async def wait_for(self, predicate: Callable[[Event], bool], timeout_s: float = 60.0) -> Event:
        """Wait for an event matching ``predicate`` (already received ones count)."""

        def found() -> Event | None:
            return next((e for e in self.received.events if predicate(e)), None)

        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: found() is not None or self.received.closed),
                timeout_s,
            )
        event = found()
        if event is None:
            raise ConnectionError(f"connection closed ({self.received.close_code})")
        return event

    def turn_complete(self, turn: int) -> bool:
        """True once the reply of ``turn`` has been fully received (its metrics came)."""
        return self.received.turn_complete(turn)

    async def end(self) -> None:
        """Say goodbye and wait for the server to close."""
        with contextlib.suppress(ConnectionClosed):
            await self.send_json({"type": "end"})
            await self.wait_for(lambda e: e["type"] == "bye", 10)
        await self.ws.close()

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                now = time.monotonic()
                async with self._changed:
                    if isinstance(message, bytes):
                        turn = self._current_audio_turn
                        if turn is not None:
                            self.received.audio[turn].extend(message)
                            self.received.first_audio_at.setdefault(turn, now)
                    else:
                        event = json.loads(message)
                        if event.get("type") == "audio_start":
                            self._current_audio_turn = event["turn"]
                        self.received.events.append(event)
                        self.received.event_times.append(now)
                        if self._on_event is not None:
                            self._on_event(event)
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            async with self._changed:
                self.received.closed = True
                self.received.close_code = self.ws.close_code
                self._changed.notify_all()


@dataclass(frozen=True, slots=True)
class TalkResult:
    """What ``talk`` got back."""

    received: Received
    reply_turns: tuple[int, ...]
    complete: bool


async def talk(
    url: str,
    pcm: bytes,
    *,
    wait_greeting: bool = True,
    trailing_timeout_s: float = 60.0,
    on_event: Callable[[Event], None] | None = None,
    hello_extra: dict[str, Any] | None = None,
) -> TalkResult:
    """Greet, speak ``pcm`` (16 kHz) in real time, keep silence flowing until the reply ends."""
    async with CheckinClient.open(url, on_event=on_event) as client:
        ready = await client.hello(**(hello_extra or {}))
        if ready["type"] != "ready":
            return TalkResult(client.received, (), False)
        if wait_greeting:
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
        await client.stream(pcm)

        complete = await client.stream_silence_until(
            client.received.answered, timeout_s=trailing_timeout_s
        )
        turns = tuple(e["turn"] for e in client.received.of_type("reply") if e["turn"] > 0)
        await client.end()
        return TalkResult(client.received, turns, complete)
