"""``voice bench-records``: what keeping a check-in costs on this machine. A throwaway
database (SQLite in a temporary folder, or ``--database-url``) and key folder; a person who
keeps everything; then the medians and p95 of: writing one second of audio (the commit and
sync that ``stored`` waits for), writing a turn's words, reading a check-in's words, and
decoding its whole recording; plus the export of the lot."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from voice.accounts import AccountStore
from voice.db import open_database
from voice.protocol import Consent
from voice.records import Records, initialise
from voice.records.export import export_person
from voice.records.timeline import Piece, Source
from voice.tools.measures import percentile

RATE = 16000
REPLY_RATE = 22050
SAID = "I went for a walk by the river and felt a little lighter afterwards."


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000.0


def _summary(values: list[float]) -> dict[str, float | int | None]:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 95) or 0.0, 2),
    }


def run(seconds: int, database_url: str | None, out: Path | None) -> int:
    """Write a ``seconds``-long check-in and read it back; print the figures as JSON."""
    with tempfile.TemporaryDirectory(prefix="voice-bench-records-") as folder:
        url = database_url or f"sqlite:///{folder}/data/voice.db"
        engine = open_database(url)
        now = datetime.now(UTC)
        initialise(engine, Path(folder) / "config", None, now)
        store = AccountStore(engine)
        name = f"bench-{int(time.time())}"
        store.add_person(name, now)
        store.consents().record(name, Consent(audio=True, transcript=True), now)
        records = Records.open(engine, Path(folder) / "config", None)
        writer = records.writer(name, voice_rate_hz=RATE, reply_rate_hz=REPLY_RATE)
        rng = np.random.default_rng(1)
        audio: list[float] = []
        words: list[float] = []
        for second in range(seconds):
            pcm = rng.normal(0, 2000, RATE).astype("<i2").tobytes()
            pieces = [Piece(Source.VOICE, second * RATE, pcm)]
            if second % 4 == 1:  # a reply playing now and then (0.2 s frames, as sent)
                frame = rng.normal(0, 2000, REPLY_RATE // 5).astype("<i2").tobytes()
                pieces += [Piece(Source.REPLY, second * RATE, frame)] * 5
            started = time.perf_counter()
            writer.write_audio(pieces, now)
            audio.append((time.perf_counter() - started) * 1000.0)
            if second % 5 == 4:
                started = time.perf_counter()
                writer.write_turn(second, "person", 0, SAID, now)
                words.append((time.perf_counter() - started) * 1000.0)
        writer.end(ended=True, now=now)
        checkin = writer.public_id or ""
        reads = [_timed(lambda: records.reader.detail(name, checkin, now)) for _ in range(20)]
        decodes = [_timed(lambda: records.reader.tracks(name, checkin, now)) for _ in range(5)]
        export = _timed(lambda: export_person(records.reader, records.documents, name, now))
        report: dict[str, Any] = {
            "database": engine.dialect.name,
            "check_in_seconds": seconds,
            "write_one_second_of_audio": _summary(audio),
            "write_a_turn": _summary(words),
            "read_a_checkins_words": _summary(reads),
            "decode_the_recording": _summary(decodes),
            "export_ms": round(export, 1),
        }
        engine.dispose()
    text = json.dumps(report, indent=2)
    print(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
    return 0
