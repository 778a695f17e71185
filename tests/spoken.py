"""Spoken audio for the tests: one spoken check-in through a real server's websocket, as a
paired person (the audio is streamed over the greeting, the person barging in, then
silence until the reply, then a second more so a ``stored`` can follow, then ``end``), and
speech cut at a quiet point between words (where a thinking pause goes)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from voice.client.connection import CheckinClient
from voice.tools.bench_audio import quiet_point


async def spoken_check_in(
    address: str, token: str, pcm: bytes, *, consent: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], bytes]:
    """The events the server sent, and every byte of audio the client sent."""
    sent = bytearray()
    async with CheckinClient.open(f"ws://{address}/v1/checkin") as client:
        original = client.ws.send

        async def recording_send(message: Any) -> None:
            if isinstance(message, bytes):
                sent.extend(message)
            await original(message)

        client.ws.send = recording_send  # type: ignore[method-assign]
        extra: dict[str, Any] = {"token": token, "checkin": False}
        if consent is not None:
            extra["consent"] = consent
        ready = await client.hello(**extra)
        assert ready["type"] == "ready", ready
        await client.stream(pcm)  # over the greeting: the person barges in
        replied = lambda: any(  # noqa: E731  (a long turn may be cut into several)
            e["type"] == "metrics" and e["turn"] >= 1 for e in client.received.events
        )
        assert await client.stream_silence_until(replied, timeout_s=60), " ".join(
            f"{e['type']}:{e.get('turn')}:{e.get('code')}" for e in client.received.events
        )
        await client.stream(bytes(32000))  # one more second, so a 'stored' can follow
        await client.end()
        return client.received.events, bytes(sent)


def spoken_check_in_now(
    address: str, token: str, pcm: bytes, *, consent: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], bytes]:
    """``spoken_check_in`` from synchronous code, on a thread of its own (so it also runs
    beside Playwright's event loop)."""
    with ThreadPoolExecutor(1) as thread:
        run = thread.submit(asyncio.run, spoken_check_in(address, token, pcm, consent=consent))
        return run.result()


def cut_between_words(pcm: bytes, fraction: float) -> bytes:
    """The speech up to a quiet point between words near ``fraction`` of it (where the
    benchmark puts its thinking pauses)."""
    return pcm[: quiet_point(pcm, fraction)]
