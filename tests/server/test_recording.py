"""The recorder at the edge, on a fake writer (fast): what it writes and in what batches,
when it acknowledges, and how a full disk is told once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from voice.protocol import AudioStart, Error, Reply, SpeechStarted, Stored, Transcript
from voice.records.storage_errors import StorageFull
from voice.records.timeline import Piece, Source
from voice.records.writer import Stored as Kept
from voice.server.recording import Recorder

RATE, REPLY_RATE = 16000, 22050


class FakeWriter:
    voice_rate_hz = RATE
    reply_rate_hz = REPLY_RATE

    def __init__(self, full_after: int | None = None) -> None:
        self.batches: list[list[Piece]] = []
        self.turns: list[tuple[int, str, int, str]] = []
        self.ended: bool | None = None
        self.full_after = full_after

    def write_audio(self, pieces: list[Piece], now: datetime) -> Kept:
        if self.full_after is not None and len(self.batches) >= self.full_after:
            raise StorageFull("full")
        self.batches.append(pieces)
        voice = [p for b in self.batches for p in b if p.source is Source.VOICE]
        return Kept(max((p.at + len(p.pcm) // 2 for p in voice), default=0))

    def write_turn(self, turn: int, speaker: str, at_ms: int, text: str, now: datetime) -> bool:
        self.turns.append((turn, speaker, at_ms, text))
        return True

    def timeline_ms(self, stream_ms: int) -> int:
        return stream_ms

    def end(self, *, ended: bool, now: datetime) -> None:
        self.ended = ended


def _run(writer: FakeWriter, script: Any) -> list[object]:
    told: list[object] = []

    async def send(message: object) -> None:
        told.append(message)

    async def main() -> None:
        recorder = Recorder(writer, send, now=lambda: datetime.now(UTC))  # type: ignore[arg-type]
        script(recorder)
        await asyncio.sleep(0)
        await recorder.close()

    asyncio.run(main())
    return told


def test_voice_is_written_in_one_second_chunks_and_acknowledged_as_it_grows() -> None:
    writer = FakeWriter()

    def script(recorder: Recorder) -> None:
        recorder.sent(SpeechStarted(turn=1, at_ms=0))
        for _ in range(25):  # 2.5 s in 100 ms frames
            recorder.heard(bytes(RATE // 10 * 2))
        recorder.sent(Transcript(turn=1, text="hello there", final=True))
        recorder.ended()

    told = _run(writer, script)
    assert [sum(len(p.pcm) for p in b) // 2 for b in writer.batches] == [RATE, RATE, RATE // 2]
    stored = [m for m in told if isinstance(m, Stored)]
    assert [s.audio_ms for s in stored] == [1000, 2000, 2500]
    assert {s.turn for s in stored} == {1}
    assert writer.turns == [(1, "person", 0, "hello there")]
    assert writer.ended is True


def test_a_typing_client_gets_its_replies_written_in_bounded_batches() -> None:
    writer = FakeWriter()
    frame = bytes(REPLY_RATE // 5 * 2)  # 0.2 s of reply audio, as the speaker sends it

    def script(recorder: Recorder) -> None:
        recorder.sent(AudioStart(turn=1, sample_rate=REPLY_RATE))
        for _ in range(60):  # 12 s of reply, no microphone at all
            recorder.sent(frame)
        recorder.sent(Reply(turn=1, text="That sounds like a good day."))

    told = _run(writer, script)
    assert len(writer.batches) >= 5  # never one 12 s buffer
    assert all(sum(len(p.pcm) for p in b) <= 4 * REPLY_RATE * 2 for b in writer.batches)
    assert not [m for m in told if isinstance(m, Stored)]  # no voice: nothing to acknowledge
    reply_at = [p.at for b in writer.batches for p in b]
    assert reply_at == sorted(reply_at) and reply_at[-1] > 10 * RATE  # placed one after another


def test_a_full_disk_is_told_once_and_nothing_more_is_written() -> None:
    writer = FakeWriter(full_after=1)

    def script(recorder: Recorder) -> None:
        for _ in range(50):
            recorder.heard(bytes(RATE // 10 * 2))
        recorder.sent(Transcript(turn=1, text="still talking", final=True))

    told = _run(writer, script)
    errors = [m for m in told if isinstance(m, Error)]
    assert [e.code for e in errors] == ["storage_full"]
    assert len(writer.batches) == 1 and writer.turns == [] and writer.ended is None
    assert [m.audio_ms for m in told if isinstance(m, Stored)] == [1000]
