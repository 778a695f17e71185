"""A person's sealed documents, one of each kind: the safety plan they wrote, and the voice
baseline their cues compare with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from voice.db.records import PersonDocument
from voice.records.keyring import Keyring
from voice.records.places import document_place, open_json, seal_json
from voice.records.storage_errors import storage_guard

SAFETY_PLAN = "safety_plan"
BASELINE = "baseline"


class Documents:
    """Read and write one kind of sealed document per person."""

    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self._engine = engine
        self._keyring = keyring

    def read(self, person: str, kind: str) -> dict[str, Any] | None:
        """The document, or ``None`` if there is none."""
        with Session(self._engine) as db:
            person_id = self._keyring.person_id(db, person)
            row = db.scalar(
                select(PersonDocument)
                .where(PersonDocument.person_id == person_id)
                .where(PersonDocument.kind == kind)
            )
            key = self._keyring.key(person_id)
            if row is None or key is None:
                return None
            return open_json(key, row.sealed, document_place(person_id, kind))

    def write(self, person: str, kind: str, value: dict[str, Any], now: datetime) -> None:
        """Replace the document."""
        with storage_guard(), Session(self._engine) as db, db.begin():
            person_id = self._keyring.person_id(db, person)
            key = self._keyring.key_or_new(person_id)
            sealed = seal_json(key, value, document_place(person_id, kind))
            row = db.scalar(
                select(PersonDocument)
                .where(PersonDocument.person_id == person_id)
                .where(PersonDocument.kind == kind)
            )
            if row is None:
                row = PersonDocument(person_id=person_id, kind=kind, sealed=sealed, updated_at=now)
                db.add(row)
            else:
                row.sealed = sealed
                row.updated_at = now
