"""The device against a scripted server (a websocket that says what a test tells it to):
an interrupted reply stops playing at once, a full disk is told once, a refused token is
told once and not retried, a busy server is retried and the person hears it once each way.
Fast; the real server is in test_device_e2e.py."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from pathlib import Path

import numpy as np
from websockets.asyncio.server import ServerConnection, serve

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, write_wav
from voice.device.checkin import CheckinOptions
from voice.device.feedback import EARCON_RATE_HZ, Cue, Phrases, earcon
from voice.device.reminder import ReminderPlan
from voice.device.run import Device, DeviceOptions
from voice.device.sound import WavMicrophone, WavSpeaker
from voice.device.triggers import Button

RATE = 22050
READY = {"type": "ready", "protocol": 1, "session_id": "s",
         "tts_audio": {"encoding": "pcm_s16le", "sample_rate": RATE, "channels": 1}}  # fmt: skip
Script = Callable[[ServerConnection, int], Awaitable[None]]


def _tone(seconds: float) -> bytes:
    t = np.arange(int(seconds * RATE)) / RATE
    return float_to_pcm16((0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32))


async def _send(ws: ServerConnection, **message: object) -> None:
    await ws.send(json.dumps(message))


def _serving(script: Script) -> tuple[Callable[[ServerConnection], Awaitable[None]], list[int]]:
    """A websocket handler that reads ``hello``, then plays ``script`` while it reads the
    microphone's frames as a server does; and the count of connections it has had."""
    connections = [0]

    async def handler(ws: ServerConnection) -> None:
        connections[0] += 1
        await ws.recv()  # hello

        async def listen() -> None:
            async for _frame in ws:
                pass

        listening = asyncio.ensure_future(listen())
        try:
            await script(ws, connections[0])
        finally:
            listening.cancel()

    return handler, connections


def _run(script: Script, tmp_path: Path, *, silence_s: float = 1.0) -> tuple[int, Device, bytes]:
    """The device, once, against ``script`` (called with each connection and its number)."""
    write_wav(tmp_path / "in.wav", bytes(int(silence_s * PIPELINE_RATE_HZ) * 2), 16000)
    speaker = WavSpeaker(tmp_path / "out.wav")
    handler, connections = _serving(script)

    async def go() -> tuple[int, Device]:
        async with serve(handler, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            options = CheckinOptions(f"ws://127.0.0.1:{port}/v1/checkin", {"user": "ana"})
            mic = WavMicrophone(tmp_path / "in.wav")
            device = Device(
                DeviceOptions(options, once=True, give_up_s=5.0),
                lambda: mic, speaker, Phrases(None), rng=random.Random(1),
            )  # fmt: skip
            return await asyncio.wait_for(device.once(), 30), device

    code, device = asyncio.run(go())
    assert connections[0] >= 1
    return code, device, speaker.played


def test_an_interrupted_reply_stops_at_once_and_a_full_disk_is_told_once(
    tmp_path: Path,
) -> None:
    async def script(ws: ServerConnection, _n: int) -> None:
        await _send(ws, **READY)
        await _send(ws, type="audio_start", turn=0, sample_rate=RATE)
        audio = _tone(3.0)
        for offset in range(0, len(audio), RATE // 10 * 2):  # 3 s of reply, in real time
            await ws.send(audio[offset : offset + RATE // 10 * 2])
            if offset >= RATE * 2 // 2:  # after 0.5 s: the person spoke over it
                break
            await asyncio.sleep(0.1)
        await _send(ws, type="audio_end", turn=0, interrupted=True)
        await asyncio.sleep(0.3)
        for _ in range(2):
            await _send(ws, type="error", code="storage_full", message="the disk is full")
        await asyncio.sleep(1.0)
        await _send(ws, type="bye")  # and the handler returns: the server closes

    code, device, played = _run(script, tmp_path)
    assert code == 0 and device.connections == 1
    reply = played.split(earcon(Cue.ERROR, EARCON_RATE_HZ))[0]
    assert len(reply) / 2 / RATE < 1.0  # of the 3 s reply, what arrived before it stopped
    assert played.count(earcon(Cue.ERROR, EARCON_RATE_HZ)) == 1  # "can't keep it", once


def test_a_refused_token_is_told_once_and_not_tried_again(tmp_path: Path) -> None:
    async def script(ws: ServerConnection, _n: int) -> None:
        await _send(ws, type="error", code="unauthorized", message="not this token")
        await ws.close(1008)

    code, device, played = _run(script, tmp_path)
    assert code == 1 and device.connections == 0
    assert played == earcon(Cue.ERROR, EARCON_RATE_HZ)  # the refusal, said once


def test_a_busy_server_is_tried_again_and_the_person_hears_it_once_each_way(
    tmp_path: Path,
) -> None:
    async def script(ws: ServerConnection, n: int) -> None:
        if n <= 2:
            await _send(ws, type="error", code="overloaded", message="busy")
            await ws.close(1013)
            return
        await _send(ws, **READY)
        await asyncio.sleep(0.5)
        await _send(ws, type="bye")  # and the handler returns: the server closes

    code, device, played = _run(script, tmp_path)
    assert code == 0 and device.connections == 1
    busy, back = earcon(Cue.ERROR, EARCON_RATE_HZ), earcon(Cue.LISTENING, EARCON_RATE_HZ)
    assert played == busy + back  # "busy" once for two refusals, then "connected again"


def test_a_missed_reminder_is_repeated_once_then_left_until_tomorrow(tmp_path: Path) -> None:
    """The service loop on a clock that moves 20 minutes each time it is read: the
    reminder at 20:30, nobody answers (the server ends each check-in with nothing heard),
    once more 15 minutes after, then nothing more that evening."""
    clock = iter(datetime(2026, 12, 7, 20, 30) + timedelta(minutes=20 * i) for i in range(99))

    async def script(ws: ServerConnection, _n: int) -> None:
        await _send(ws, **READY)
        await asyncio.sleep(0.3)
        await _send(ws, type="bye")  # and the handler returns: the server closes

    handler, connections = _serving(script)

    write_wav(tmp_path / "in.wav", bytes(PIPELINE_RATE_HZ * 2), 16000)
    speaker = WavSpeaker(tmp_path / "out.wav")

    async def go() -> int:
        async with serve(handler, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            options = CheckinOptions(f"ws://127.0.0.1:{port}/v1/checkin", {"user": "ana"})
            plan = ReminderPlan(time(20, 30))
            mic = WavMicrophone(tmp_path / "in.wav")
            device = Device(
                DeviceOptions(options, once=False, reminder=plan),
                lambda: mic, speaker, Phrases(None), now=lambda: next(clock),
            )  # fmt: skip
            button, shutdown = Button(), asyncio.Event()
            serving = asyncio.ensure_future(device.serve(button, shutdown))
            await asyncio.sleep(3.0)  # two check-ins take about a second; a third would come
            shutdown.set()
            button.press()
            return await asyncio.wait_for(serving, 10)

    assert asyncio.run(go()) == 0
    assert connections == [2]
    invitation = earcon(Cue.LISTENING, EARCON_RATE_HZ)  # without a voice, a rising tone
    assert speaker.played == invitation * 2


def test_a_server_that_stays_away_is_given_up_on_after_a_while(tmp_path: Path) -> None:
    async def script(ws: ServerConnection, _n: int) -> None:
        await _send(ws, type="error", code="not_ready", message="the models are loading")
        await ws.close(1013)

    code, device, played = _run(script, tmp_path)  # give_up_s is 5 s here
    assert code == 1 and device.connections == 0
    assert played == earcon(Cue.ERROR, EARCON_RATE_HZ)  # "busy", once, then no more tries
