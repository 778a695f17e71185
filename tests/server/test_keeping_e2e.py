"""What is kept of a real check-in: a canary sentence spoken through Piper into the real
pipeline (Whisper, the safety screen, the real websocket), for each consent choice. Exactly
what was consented is stored; nothing is in the clear at rest (data directory, database,
its WAL, the logs); yet the person's export gives back the words and a WAV equal to the
audio sent. Plus a full disk (SQLite's own "database or disk is full"), told once while the
conversation goes on."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import wave
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from databases import accounts_and_records  # type: ignore[import-not-found]
from fakes import FakeChatModel  # type: ignore[import-not-found]
from spoken import spoken_check_in  # type: ignore[import-not-found]
from sqlalchemy import event, text

from voice.accounts import AccountStore
from voice.cli import configure_logging
from voice.engines.workers import Engines
from voice.records import Records
from voice.server.edge import OriginPolicy
from voice.server.state import Access, ConnectionLimits
from voice.settings import Settings

pytestmark = pytest.mark.real_models

NOW = datetime.now(UTC)
CANARY_WORD = "lighthouse"  # the word Whisper must hear; every long word it heard is searched
SENTENCE = "Today I planted a periwinkle beside the lighthouse."
# Distinct sentences: Whisper drops a transcript that repeats itself word for word.
LONGER = (
    SENTENCE,
    "The tide came in slowly while I read on the bench.",
    "Later my neighbour brought round a loaf of warm bread.",
    "In the evening I phoned my brother and we laughed a lot.",
)
CHOICES = {
    "none": None,
    "nothing": {"audio": False, "transcript": False, "share": []},
    "audio": {"audio": True, "transcript": False, "share": []},
    "words": {"audio": False, "transcript": True, "share": []},
    "both": {"audio": True, "transcript": True, "share": ["dr-b"]},
}


def _heard_canary(text: str) -> bool:
    """Whisper heard the planted words ("light house" and "pariwinkle" happen too)."""
    joined = "".join(text.lower().split())
    return CANARY_WORD in joined or "periwinkle" in joined


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclass
class Keeping:
    address: str
    folder: Path
    store: AccountStore
    records: Records
    tokens: dict[str, str]
    log: _Captured


@pytest.fixture(scope="module")
def keeping(
    engines: Engines, start_server: Callable[..., str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Keeping]:
    folder = tmp_path_factory.mktemp("keeping")
    store, records = accounts_and_records(folder)
    tokens = {name: store.add_person(name, NOW) for name in CHOICES}
    store.add_therapist("dr-b", "a long enough password", NOW)
    store.link("both", "dr-b", NOW)
    fast = Engines(
        engines.transcriber,
        FakeChatModel(pieces=["That sounds like a good morning."]),
        engines.synthesizer,
        risk_screen=engines.risk_screen,
    )
    address = start_server(
        ConnectionLimits(max_sessions=2),
        fast,
        access=Access(accounts=store, records=records, policy=OriginPolicy.for_server("127.0.0.1")),
    )
    # The production logging set-up, at its most verbose level.
    configure_logging(Settings(log_level="DEBUG"))
    captured = _Captured()
    captured.setFormatter(logging.Formatter("%(name)s %(message)s %(exc_info)s"))
    logging.getLogger().addHandler(captured)
    yield Keeping(address, folder, store, records, tokens, captured)
    logging.getLogger().removeHandler(captured)
    logging.getLogger().setLevel(logging.WARNING)


def _everything_at_rest(keeping: Keeping) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(keeping.folder.rglob("*")) if p.is_file())


def _windows(pcm: bytes) -> list[bytes]:
    """Distinctive 64-byte stretches of the spoken audio (not silence)."""
    samples = np.frombuffer(pcm, "<i2")
    loud = [i for i in range(0, len(samples) - 32, 800) if np.abs(samples[i : i + 32]).min() > 50]
    return [pcm[2 * i : 2 * i + 64] for i in loud[:12]]


@pytest.fixture(scope="module")
def sessions(keeping: Keeping, speak: Callable[[str], bytes]) -> dict[str, tuple[list, bytes]]:
    pcm = speak(SENTENCE)
    return {
        name: asyncio.run(
            spoken_check_in(keeping.address, keeping.tokens[name], pcm, consent=choice)
        )
        for name, choice in CHOICES.items()
    }


def test_the_canary_was_heard_in_every_session(sessions: dict[str, tuple[list, bytes]]) -> None:
    for events, _sent in sessions.values():
        finals = [e["text"] for e in events if e["type"] == "transcript" and e["final"]]
        assert any(_heard_canary(t) for t in finals), finals


def test_exactly_what_was_consented_is_stored(
    keeping: Keeping, sessions: dict[str, tuple[list, bytes]]
) -> None:
    reader = keeping.records.reader
    for name, choice in CHOICES.items():
        events, _sent = sessions[name]
        stored = [e for e in events if e["type"] == "stored"]
        listing = reader.listing(name)
        ready = next(e for e in events if e["type"] == "ready")
        if choice is None or not (choice["audio"] or choice["transcript"]):
            assert listing == [] and stored == [], name
            assert ready["consent"]["audio"] is False and ready["consent"]["transcript"] is False
            continue
        [checkin] = listing
        assert checkin.has_audio is choice["audio"], name
        assert checkin.has_words is choice["transcript"], name
        assert bool(stored) is choice["audio"], name
        positions = [e["audio_ms"] for e in stored]
        assert positions == sorted(positions) and all(p > 0 for p in positions)
    consents = [e.subject for e in keeping.records.audit.entries() if e.action == "consent"]
    assert consents == [f"person:{n}" for n, c in CHOICES.items() if c is not None]


def test_nothing_is_in_the_clear_at_rest_or_in_the_logs(
    keeping: Keeping, sessions: dict[str, tuple[list, bytes]]
) -> None:
    at_rest = _everything_at_rest(keeping).lower()
    logs = "\n".join(keeping.log.lines).lower()
    assert keeping.log.lines, "the logs were captured"
    heard = {
        word.strip(".,!?").lower()
        for events, _sent in sessions.values()
        for e in events
        if e["type"] == "transcript" and e["final"]
        for word in e["text"].split()
    }
    canaries = {w for w in heard if len(w) >= 6} | {"periwinkle", CANARY_WORD}
    assert len(canaries) >= 3, heard
    for word in canaries:
        assert word.encode() not in at_rest, word
        assert word not in logs, word
    for _events, sent in sessions.values():
        windows = _windows(sent)
        assert len(windows) >= 6
        assert not any(w.lower() in at_rest for w in windows)  # no raw PCM either
    with keeping.records.engine.connect() as db:
        assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_the_export_gives_back_the_words_and_the_audio_sent(
    keeping: Keeping, sessions: dict[str, tuple[list, bytes]]
) -> None:
    _events, sent = sessions["both"]
    answer = httpx.post(
        f"http://{keeping.address}/api/v1/my/export",
        headers={"authorization": f"Bearer {keeping.tokens['both']}"},
        timeout=60,
    )
    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    document = json.loads(archive.read("checkins.json"))
    [checkin] = document["checkins"]
    said = [t["text"] for t in checkin["turns"] if t["speaker"] == "person"]
    assert any(_heard_canary(t) for t in said), said
    replies = [t["text"] for t in checkin["turns"] if t["speaker"] == "assistant"]
    assert "That sounds like a good morning." in replies
    with wave.open(io.BytesIO(archive.read(checkin["recording"]["file"]))) as wav:
        assert (wav.getnchannels(), wav.getframerate()) == (2, 16000)
        frames = np.frombuffer(wav.readframes(wav.getnframes()), "<i2")
    voice, reply = frames[0::2], frames[1::2]
    assert voice.tobytes() == sent  # decrypted equals sent
    assert np.sqrt(np.mean(reply.astype(float) ** 2)) > 100  # the assistant is there too
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["files"]) == {"checkins.json", checkin["recording"]["file"]}
    actions = [e.action for e in keeping.records.audit.entries()]
    assert "export" in actions


def test_a_full_disk_is_told_once_and_the_conversation_goes_on(
    keeping: Keeping, speak: Callable[[str], bytes]
) -> None:
    """SQLite's own SQLITE_FULL: the database may not grow past its size now."""
    keeping.store.add_person("full", NOW)
    token = keeping.store.rotate_token("full", NOW)
    engine = keeping.records.engine
    with engine.connect() as db:
        pages = db.execute(text("PRAGMA page_count")).scalar()

    def limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={int(pages or 0) + 100}")

    engine.dispose()  # new connections get the limit
    event.listen(engine, "connect", limit)
    try:
        consent = {"audio": True, "transcript": True, "share": []}
        events, sent = asyncio.run(
            spoken_check_in(
                keeping.address,
                token,
                b"".join(speak(s) for s in LONGER),
                consent=consent,
            )
        )
    finally:
        event.remove(engine, "connect", limit)
        engine.dispose()
    full = [e for e in events if e["type"] == "error" and e["code"] == "storage_full"]
    assert len(full) == 1
    after = events.index(full[0])
    assert not [e for e in events[after:] if e["type"] == "stored"]
    assert any(e["type"] == "reply" and e["turn"] >= 1 for e in events)  # it went on
    assert events[-1]["type"] == "bye"
    stored = [e["audio_ms"] for e in events[:after] if e["type"] == "stored"]
    [checkin] = keeping.records.reader.listing("full")
    tracks = keeping.records.reader.tracks("full", checkin.id, NOW)
    assert stored and tracks is not None
    kept = tracks.voice.tobytes()
    assert len(kept) >= stored[-1] * 32  # every acknowledged millisecond is there
    assert sent.startswith(kept)  # and it is what was sent
    with engine.connect() as db:
        assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"
