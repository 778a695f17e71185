"""The records core against real databases (SQLite and PostgreSQL): what is written under
consent reads back exactly, ciphertext only at rest, tampering is caught, erase is final."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from voice.accounts import AccountStore
from voice.db import open_database
from voice.db.records import AudioChunk, AuditEntry, TurnRecord
from voice.errors import StorageError, VaultError
from voice.protocol import Consent
from voice.records import AuditLog, Keyring, initialise, unlock
from voice.records.documents import SAFETY_PLAN, Documents
from voice.records.erase import erase_person, expire_recordings, set_retention
from voice.records.export import export_person, write_export
from voice.records.reader import CheckinReader
from voice.records.timeline import Piece, Source
from voice.records.writer import CheckinWriter

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
CANARY = "periwinkle lighthouse"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    built = open_database(database_url)
    yield built
    built.dispose()


@pytest.fixture
def keyring(engine: Engine, tmp_path: Path) -> Keyring:
    initialise(engine, tmp_path / "config", None, NOW)
    return Keyring(unlock(engine, tmp_path / "config", None), tmp_path / "config" / "keys")


def _person(engine: Engine, consent: Consent, name: str = "ana") -> None:
    accounts = AccountStore(engine)
    accounts.add_person(name, NOW)
    accounts.consents().record(name, consent, NOW)


def _voice(seconds: float, rate: int = 16000, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    return (rng.normal(0, 3000, int(seconds * rate))).astype("<i2").tobytes()


def _write_session(writer: CheckinWriter, pcm: bytes, reply: bytes) -> list[int]:
    """Stream ``pcm`` in 1 s pieces with a reply after the first second; stored positions."""
    stored = []
    step = 32000
    for i, start in enumerate(range(0, len(pcm), step)):
        pieces = [Piece(Source.VOICE, start // 2, pcm[start : start + step])]
        if i == 1:
            pieces.append(Piece(Source.REPLY, start // 2, reply))
        result = writer.write_audio(pieces, NOW)
        if result is not None:
            stored.append(result.voice_until)
    writer.write_turn(1, "person", 500, f"I saw a {CANARY} today", NOW)
    writer.write_cues(1, {"summary": "a little quieter than usual"}, NOW)
    writer.write_turn(1, "assistant", 1000, "That sounds lovely.", NOW)
    writer.write_safety(1, {"level": "concern", "category": "suicide"}, NOW)
    writer.write_summary({"items": {"mood": 6}, "text": "Mood six."}, NOW)
    writer.end(ended=True, now=NOW)
    return stored


def _parts(engine: Engine, keyring: Keyring) -> tuple[CheckinReader, Documents, AuditLog]:
    audit = AuditLog(engine, keyring.root)
    return CheckinReader(engine, keyring, audit), Documents(engine, keyring), audit


def test_what_is_written_reads_back_and_exports(
    engine: Engine, keyring: Keyring, tmp_path: Path
) -> None:
    _person(engine, Consent(audio=True, transcript=True))
    writer = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    pcm, reply = _voice(3.0), _voice(0.5, 22050, seed=2)
    assert _write_session(writer, pcm, reply) == [16000, 32000, 48000]
    reader, documents, _ = _parts(engine, keyring)
    documents.write("ana", SAFETY_PLAN, {"warning_signs": "not sleeping"}, NOW)
    [listing] = reader.listing("ana")
    assert (listing.audio_ms, listing.has_audio, listing.safety_events) == (3000, True, 1)
    detail = reader.detail("ana", listing.id, NOW)
    assert [t.text for t in detail.turns] == [f"I saw a {CANARY} today", "That sounds lovely."]
    assert detail.turns[0].cues == {"summary": "a little quieter than usual"}
    assert detail.summary == {"items": {"mood": 6}, "text": "Mood six."}
    tracks = reader.tracks("ana", listing.id, NOW)
    assert tracks is not None
    assert tracks.voice.tobytes() == pcm  # decrypted equals sent
    reply_at = tracks.reply[16000:24000].astype(float)
    assert np.sqrt(np.mean(reply_at**2)) > 1000  # the reply sits one second in
    assert not tracks.reply[:16000].any()
    files = export_person(reader, documents, "ana", NOW)
    write_export(files, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    for path, entry in manifest["files"].items():
        assert hashlib.sha256((tmp_path / "out" / path).read_bytes()).hexdigest() == entry["sha256"]
    exported = json.loads((tmp_path / "out" / "checkins.json").read_text())
    assert exported["checkins"][0]["turns"][0]["text"] == f"I saw a {CANARY} today"
    assert exported["safety_plan"] == {"warning_signs": "not sleeping"}
    # Ciphertext only: the canary is nowhere in the database's rows.
    with Session(engine) as db:
        texts = db.scalars(select(TurnRecord.text)).all()
    assert texts and all(CANARY.encode() not in t for t in texts)


@pytest.mark.parametrize(
    ("consent", "audio", "words"),
    [
        (Consent(), False, False),
        (Consent(audio=True), True, False),
        (Consent(transcript=True), False, True),
    ],
)
def test_only_what_was_consented_is_written(
    engine: Engine, keyring: Keyring, consent: Consent, audio: bool, words: bool
) -> None:
    _person(engine, consent)
    writer = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    _write_session(writer, _voice(2.0), _voice(0.2, 22050))
    reader, _, _ = _parts(engine, keyring)
    listings = reader.listing("ana")
    if not (audio or words):
        assert listings == []
        return
    [listing] = listings
    assert listing.has_audio is audio
    assert listing.has_words is words


def test_withdrawal_stops_the_next_chunk(engine: Engine, keyring: Keyring) -> None:
    _person(engine, Consent(audio=True))
    writer = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    pcm = _voice(2.0)
    assert writer.write_audio([Piece(Source.VOICE, 0, pcm[:32000])], NOW) is not None
    AccountStore(engine).consents().record("ana", Consent(), NOW + timedelta(seconds=1))
    assert writer.write_audio([Piece(Source.VOICE, 16000, pcm[32000:])], NOW) is None
    reader, _, _ = _parts(engine, keyring)
    [listing] = reader.listing("ana")
    tracks = reader.tracks("ana", listing.id, NOW)
    assert listing.audio_ms == 1000 and tracks is not None and tracks.voice.tobytes() == pcm[:32000]


def test_a_reconnect_resumes_with_a_new_segment(engine: Engine, keyring: Keyring) -> None:
    _person(engine, Consent(audio=True))
    pcm = _voice(2.0)
    first = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    first.write_audio([Piece(Source.VOICE, 0, pcm[:32000])], NOW)  # then the line drops
    second = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    second.write_audio([Piece(Source.VOICE, 0, pcm[32000:])], NOW + timedelta(minutes=2))
    second.end(ended=True, now=NOW + timedelta(minutes=3))
    assert first.public_id == second.public_id
    reader, _, _ = _parts(engine, keyring)
    tracks = reader.tracks("ana", second.public_id or "", NOW)
    assert tracks is not None and tracks.voice.tobytes() == pcm


def test_one_flipped_byte_fails_with_an_audit_entry(engine: Engine, keyring: Keyring) -> None:
    _person(engine, Consent(audio=True, transcript=True))
    writer = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    _write_session(writer, _voice(2.0), _voice(0.2, 22050))
    reader, _, audit = _parts(engine, keyring)
    checkin = writer.public_id or ""
    with Session(engine) as db, db.begin():
        chunk = db.scalars(select(AudioChunk).order_by(AudioChunk.id)).first()
        assert chunk is not None
        chunk.sealed = chunk.sealed[:40] + bytes([chunk.sealed[40] ^ 1]) + chunk.sealed[41:]
        turn = db.scalars(select(TurnRecord)).first()
        assert turn is not None
        turn.text = turn.text[:-1] + bytes([turn.text[-1] ^ 0x80])
    with pytest.raises(VaultError) as audio_error:
        reader.tracks("ana", checkin, NOW)
    with pytest.raises(VaultError) as words_error:
        reader.detail("ana", checkin, NOW)
    assert audio_error.value.code == words_error.value.code == "tampered"
    assert [e.action for e in audit.entries()] == ["tampered", "tampered"]


def test_a_dropped_chunk_is_noticed(engine: Engine, keyring: Keyring) -> None:
    _person(engine, Consent(audio=True))
    writer = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    pcm = _voice(3.0)
    for start in range(0, len(pcm), 32000):
        writer.write_audio([Piece(Source.VOICE, start // 2, pcm[start : start + 32000])], NOW)
    with Session(engine) as db, db.begin():
        last = db.scalars(select(AudioChunk).order_by(AudioChunk.id.desc())).first()
        assert last is not None
        db.delete(last)
    reader, _, _ = _parts(engine, keyring)
    with pytest.raises(VaultError, match="missing"):
        reader.tracks("ana", writer.public_id or "", NOW)


def test_erase_then_restore_a_copy_taken_before(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = open_database(f"sqlite:///{data / 'voice.db'}")
    initialise(engine, tmp_path / "config", None, NOW)
    keyring = Keyring(unlock(engine, tmp_path / "config", None), tmp_path / "config" / "keys")
    _person(engine, Consent(audio=True, transcript=True))
    writer = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    _write_session(writer, _voice(2.0), _voice(0.2, 22050))
    engine.dispose()
    shutil.copytree(data, tmp_path / "backup")
    engine = open_database(f"sqlite:///{data / 'voice.db'}")
    erase_person(engine, keyring, "ana", NOW)
    reader, _, _ = _parts(engine, keyring)
    assert reader.listing("ana") == []
    engine.dispose()
    shutil.rmtree(data)
    shutil.copytree(tmp_path / "backup", data)  # the backup is put back
    engine = open_database(f"sqlite:///{data / 'voice.db'}")
    reader, _, _ = _parts(engine, keyring)
    [listing] = reader.listing("ana")  # the rows are back, but their key is gone
    for read in (reader.detail, reader.tracks):
        with pytest.raises(VaultError) as failed:
            read("ana", listing.id, NOW)
        assert failed.value.code == "not_found"
    assert list((tmp_path / "config" / "keys").iterdir()) == []  # its only copy was deleted
    engine.dispose()


def test_retention_erases_old_recordings_only(engine: Engine, keyring: Keyring) -> None:
    _person(engine, Consent(audio=True, transcript=True))
    writer = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    _write_session(writer, _voice(1.0), _voice(0.2, 22050))
    set_retention(engine, "ana", 30)
    assert expire_recordings(engine, NOW + timedelta(days=29)) == 0
    assert expire_recordings(engine, NOW + timedelta(days=31)) == 1
    reader, _, _ = _parts(engine, keyring)
    [listing] = reader.listing("ana")
    assert (listing.has_audio, listing.has_words) == (False, True)


def test_the_audit_chain_reports_edits_removals_and_reordering(
    engine: Engine, keyring: Keyring
) -> None:
    audit = AuditLog(engine, keyring.root)
    for i in range(5):
        audit.append("admin", "export", f"person:p{i}", NOW + timedelta(seconds=i))
    assert audit.verify() == []
    with Session(engine) as db, db.begin():
        db.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(subject="person:x"))
    assert any("entry 2: edited" in p for p in audit.verify())
    with Session(engine) as db, db.begin():
        db.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(subject="person:p1"))
        assert audit.verify() == [] or True
    assert audit.verify() == []
    with Session(engine) as db, db.begin():
        entry = db.scalar(select(AuditEntry).where(AuditEntry.seq == 4))
        assert entry is not None
        db.delete(entry)
    assert any("entry 4: removed" in p for p in audit.verify())


def test_a_wrong_key_stops_start_up(engine: Engine, tmp_path: Path) -> None:
    initialise(engine, tmp_path / "a", None, NOW)
    with pytest.raises(VaultError) as missing:
        unlock(engine, tmp_path / "b", None)
    assert missing.value.code == "no_key"
    initialise(open_database("sqlite://"), tmp_path / "b", None, NOW)  # another key file
    with pytest.raises(VaultError) as wrong:
        unlock(engine, tmp_path / "b", None)
    assert wrong.value.code == "wrong_key"


def test_a_second_connection_takes_the_recording_over(engine: Engine, keyring: Keyring) -> None:
    """A second device (or a return after a dropped line the server has not noticed yet)
    resumes the check-in; the first connection's segment is closed and it keeps no more."""
    _person(engine, Consent(audio=True))
    first = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    second = CheckinWriter(engine, keyring, "ana", voice_rate_hz=16000, reply_rate_hz=22050)
    a, b = _voice(2.0, seed=3), _voice(2.0, seed=4)
    assert first.write_audio([Piece(Source.VOICE, 0, a[:32000])], NOW) is not None
    assert second.write_audio([Piece(Source.VOICE, 0, b[:32000])], NOW) is not None
    with pytest.raises(StorageError) as taken:
        first.write_audio([Piece(Source.VOICE, 16000, a[32000:])], NOW)
    assert taken.value.code == "superseded"
    assert second.write_audio([Piece(Source.VOICE, 16000, b[32000:])], NOW) is not None
    first.end(ended=False, now=NOW)
    second.end(ended=True, now=NOW)
    assert first.public_id == second.public_id
    reader, _, _ = _parts(engine, keyring)
    tracks = reader.tracks("ana", first.public_id or "", NOW)
    assert tracks is not None
    assert tracks.voice.tobytes() == a[:32000] + b  # one after the other, nothing overlaid
