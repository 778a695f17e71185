"""Erasing for good: a person's key, check-ins, documents and consent records (their name
stays taken, revoked), and recordings past a person's retention period."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from voice.db.records import AudioSegment, Checkin, PersonDocument
from voice.db.schema import ConsentRecord, Person
from voice.records.keyring import Keyring
from voice.records.storage_errors import storage_guard


def erase_person(engine: Engine, keyring: Keyring, name: str, now: datetime) -> None:
    """Destroy ``name``'s data key and delete everything kept of them. A copy of the data
    taken before cannot be decrypted afterwards: the key existed only wrapped in here."""
    with Session(engine) as db, db.begin():
        person_id = Keyring.person_id(db, name)
        keyring.destroy(person_id)  # first: whatever happens next, nothing of theirs opens
        db.execute(delete(Checkin).where(Checkin.person_id == person_id))
        db.execute(delete(PersonDocument).where(PersonDocument.person_id == person_id))
        db.execute(delete(ConsentRecord).where(ConsentRecord.person_id == person_id))
        person = db.get(Person, person_id)
        if person is not None:
            person.token_hash = None
            person.revoked_at = person.revoked_at or now
    _compact(engine)


def set_retention(engine: Engine, name: str, days: int | None) -> None:
    """Keep ``name``'s recordings ``days`` days (``None``: until they are erased)."""
    with Session(engine) as db, db.begin():
        person = db.get(Person, Keyring.person_id(db, name))
        assert person is not None
        person.retention_days = days


def expire_recordings(engine: Engine, now: datetime) -> int:
    """Delete recordings older than their person's retention period; the number deleted."""
    deleted = 0
    with storage_guard(), Session(engine) as db, db.begin():
        people = db.execute(
            select(Person.id, Person.retention_days).where(Person.retention_days.is_not(None))
        ).all()
        for person_id, days in people:
            cutoff = now - timedelta(days=days or 0)
            old = (
                select(Checkin.id)
                .where(Checkin.person_id == person_id)
                .where(Checkin.started_at < cutoff)
            )
            doomed = db.scalars(
                select(AudioSegment.id).where(AudioSegment.checkin_id.in_(old))
            ).all()
            db.execute(delete(AudioSegment).where(AudioSegment.id.in_(doomed)))
            deleted += len(doomed)
    if deleted:
        _compact(engine)
    return deleted


def _compact(engine: Engine) -> None:
    """SQLite: move the WAL into the file and empty it, so deleted pages do not linger in the
    log (they are unreadable without the key in any case)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
