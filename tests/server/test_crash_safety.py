"""Crash safety: a server killed with SIGKILL at random moments while a person streams
audio, restarted each time (the same check-in resumes with a new segment). After every
kill, each acknowledged chunk is present, decrypts and equals what was sent, and the
database passes its integrity check; at the end the recording plays as one continuous
timeline. 25 kills in the default suite; ``-m slow`` runs 300."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from killable import Crashes, killable_server  # type: ignore[import-not-found]
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from voice.db import open_database
from voice.db.records import AudioChunk, AudioSegment, Checkin
from voice.records import Records
from voice.records.timeline import Source, unpack, wav_bytes
from voice.vault import SegmentReader

NOW = datetime.now(UTC)
RATE = 16000
FRAME = RATE // 10 * 2  # 100 ms


@pytest.fixture
def crashes(tmp_path: Path) -> Iterator[Crashes]:
    with killable_server(tmp_path, NOW) as started:
        yield started


async def _stream_until_killed(
    port: int, pid: int, token: str, kill_after: float, rng: random.Random
) -> tuple[bytes, int]:
    """Stream noise at about twice real time; SIGKILL the server ``kill_after`` seconds in.
    Returns what was sent and the last acknowledged position (ms)."""
    sent = bytearray()
    acks: list[int] = []
    # The close after a kill is not clean: ConnectionClosed is expected on the way out.
    with contextlib.suppress(ConnectionClosed):
        await _stream(port, pid, token, kill_after, rng, sent, acks)
    return bytes(sent), max(acks, default=0)


async def _stream(
    port: int,
    pid: int,
    token: str,
    kill_after: float,
    rng: random.Random,
    sent: bytearray,
    acks: list[int],
) -> None:
    async with connect(f"ws://127.0.0.1:{port}/v1/checkin", open_timeout=10) as ws:
        hello = {
            "type": "hello",
            "protocol": 1,
            "audio": {"encoding": "pcm_s16le", "sample_rate": RATE, "channels": 1},
            "token": token,
            "checkin": False,
        }
        await ws.send(json.dumps(hello))

        async def read() -> None:
            with contextlib.suppress(ConnectionClosed):
                async for message in ws:
                    if isinstance(message, str):
                        event = json.loads(message)
                        if event["type"] == "stored":
                            acks.append(event["audio_ms"])

        reader = asyncio.ensure_future(read())
        loop = asyncio.get_running_loop()
        loop.call_later(kill_after, os.kill, pid, signal.SIGKILL)
        try:
            while not reader.done():
                frame = rng.randbytes(FRAME)  # any bytes are valid 16-bit samples
                await ws.send(frame)
                sent.extend(frame)
                await asyncio.sleep(0.05)
        except ConnectionClosed:
            pass
        await asyncio.wait_for(reader, 10)


def _segments(engine: object, records: Records) -> list[bytes]:
    """Each segment's voice, decrypted in order."""
    voices = []
    with Session(engine) as db:  # type: ignore[arg-type]
        checkin = db.scalars(select(Checkin)).one()
        key = records.keyring.key(checkin.person_id)
        assert key is not None
        for segment in db.scalars(select(AudioSegment).order_by(AudioSegment.segment)):
            reader = SegmentReader(key, checkin.public_id, segment.segment, segment.header)
            voice = bytearray()
            for sealed in db.scalars(
                select(AudioChunk.sealed)
                .where(AudioChunk.segment_id == segment.id)
                .order_by(AudioChunk.seq)
            ):
                plain = reader.pull(sealed)
                if plain:
                    piece = unpack(plain)
                    if piece.source is Source.VOICE:
                        voice.extend(piece.pcm)
            voices.append(bytes(voice))
    return voices


def _run(crashes: Crashes, kills: int) -> None:
    rng = random.Random(20261207)
    stored_parts: list[bytes] = []
    acknowledged = 0
    for _ in range(kills):
        pid, port = crashes.start()
        kill_after = rng.uniform(0.05, 1.3)
        sent, acked = asyncio.run(_stream_until_killed(port, pid, crashes.token, kill_after, rng))
        engine = open_database(f"sqlite:///{crashes.data / 'voice.db'}")
        try:
            with engine.connect() as db:
                assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            records = Records.open(engine, crashes.config, None)
            voices = _segments(engine, records) if stored_parts or acked else []
            if len(voices) > len(stored_parts):
                [new] = voices[len(stored_parts) :]
                assert sent.startswith(new)  # what was stored is what was sent
                stored_parts.append(new)
            assert voices[: len(stored_parts)] == stored_parts or not voices
            kept_ms = len(stored_parts[-1]) * 1000 // (2 * RATE) if acked else 0
            assert kept_ms >= acked  # every acknowledged chunk survived the kill
            acknowledged += acked > 0
        finally:
            engine.dispose()
    assert acknowledged >= kills // 3  # the kills fell both before and after acknowledgements
    engine = open_database(f"sqlite:///{crashes.data / 'voice.db'}")
    records = Records.open(engine, crashes.config, None)
    [listing] = records.reader.listing("ana")
    tracks = records.reader.tracks("ana", listing.id, NOW)
    assert tracks is not None
    assert tracks.voice.tobytes() == b"".join(stored_parts)  # one continuous recording
    assert len(wav_bytes(tracks)) > 44
    assert np.any(tracks.reply)  # the greetings are on the same timeline
    engine.dispose()


def test_sigkill_at_random_moments_loses_no_acknowledged_audio(crashes: Crashes) -> None:
    _run(crashes, 25)


@pytest.mark.slow
def test_sigkill_stress(crashes: Crashes) -> None:
    _run(crashes, 300)
