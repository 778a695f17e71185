"""What the listening room reads and writes beside the person's own records: who shares
with a therapist (asked on every request, so a withdrawal holds from the next one), each
person's last check-in and the safety events since the therapist last looked, and the
therapist's private notes, sealed with the person's data key (an erase takes them too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from voice.accounts.consent import ConsentStore
from voice.db.records import Checkin, SafetyEvent, TherapistNote, TherapistView
from voice.db.schema import Link, Person, Therapist
from voice.errors import VaultError
from voice.records.keyring import Keyring
from voice.records.reader import owned_checkin
from voice.records.storage_errors import storage_guard
from voice.vault import Place, seal, unseal

MAX_NOTE_CHARS = 4000


@dataclass(frozen=True, slots=True)
class SharingPerson:
    """One line of a therapist's list."""

    name: str
    last_checkin_at: datetime | None
    new_safety_events: int
    """Safety events in check-ins since the therapist last opened this person."""


@dataclass(frozen=True, slots=True)
class Note:
    """A therapist's note on a check-in."""

    at: datetime
    text: str


def _flags_then_newest(person: SharingPerson) -> tuple[bool, float]:
    when = person.last_checkin_at.timestamp() if person.last_checkin_at else float("-inf")
    return (person.new_safety_events == 0, -when)


def _note_place(row_id: int) -> Place:
    return Place("therapist_notes", str(row_id), "text")


class Room:
    """The listening room's reads and writes (synchronous; time passed in)."""

    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self._engine = engine
        self._keyring = keyring
        self._consents = ConsentStore(engine)

    def shares(self, person: str, therapist: str) -> bool:
        """True while ``person`` is linked to ``therapist`` and shares with them now."""
        return therapist in self._consents.in_force(person).consent.share

    def people(self, therapist: str) -> list[SharingPerson]:
        """The linked people who share with ``therapist``: flagged ones first, then by their
        last check-in, newest first."""
        with Session(self._engine) as db:
            therapist_id = self._therapist_id(db, therapist)
            names = db.scalars(
                select(Person.name)
                .join(Link, Link.person_id == Person.id)
                .where(Link.therapist_id == therapist_id)
                .order_by(Person.name)
            ).all()
            found = [
                self._summary(db, therapist_id, name)
                for name in names
                if self.shares(name, therapist)
            ]
        return sorted(found, key=_flags_then_newest)

    def looked(self, therapist: str, person: str, now: datetime) -> None:
        """The therapist opened ``person``: later safety events are new to them."""
        with storage_guard(), Session(self._engine) as db, db.begin():
            therapist_id = self._therapist_id(db, therapist)
            person_id = self._keyring.person_id(db, person)
            view = db.scalar(
                select(TherapistView)
                .where(TherapistView.therapist_id == therapist_id)
                .where(TherapistView.person_id == person_id)
            )
            if view is None:
                db.add(TherapistView(therapist_id=therapist_id, person_id=person_id, seen_at=now))
            else:
                view.seen_at = now

    def add_note(
        self, therapist: str, person: str, checkin_id: str, text: str, now: datetime
    ) -> Note:
        """Keep a private note on one of ``person``'s check-ins."""
        with storage_guard(), Session(self._engine) as db, db.begin():
            checkin, key = owned_checkin(db, self._keyring, person, checkin_id)
            row = TherapistNote(
                checkin_id=checkin.id,
                therapist_id=self._therapist_id(db, therapist),
                at=now,
                text=b"",
            )
            db.add(row)
            db.flush()
            row.text = seal(key, text.encode("utf-8"), _note_place(row.id))
        return Note(now, text)

    def notes(self, therapist: str, person: str, checkin_id: str) -> list[Note]:
        """This therapist's notes on the check-in, oldest first (another's stay theirs)."""
        with Session(self._engine) as db:
            checkin, key = owned_checkin(db, self._keyring, person, checkin_id)
            rows = db.scalars(
                select(TherapistNote)
                .where(TherapistNote.checkin_id == checkin.id)
                .where(TherapistNote.therapist_id == self._therapist_id(db, therapist))
                .order_by(TherapistNote.at, TherapistNote.id)
            ).all()
            return [Note(r.at, unseal(key, r.text, _note_place(r.id)).decode()) for r in rows]

    # --- rows ---------------------------------------------------------------------------

    def _summary(self, db: Session, therapist_id: int, name: str) -> SharingPerson:
        person_id = self._keyring.person_id(db, name)
        last = db.scalar(select(func.max(Checkin.started_at)).where(Checkin.person_id == person_id))
        seen = db.scalar(
            select(TherapistView.seen_at)
            .where(TherapistView.therapist_id == therapist_id)
            .where(TherapistView.person_id == person_id)
        )
        events = (
            select(func.count())
            .select_from(SafetyEvent)
            .join(Checkin, Checkin.id == SafetyEvent.checkin_id)
            .where(Checkin.person_id == person_id)
        )
        if seen is not None:
            events = events.where(SafetyEvent.at > seen)
        return SharingPerson(name, last, int(db.scalar(events) or 0))

    @staticmethod
    def _therapist_id(db: Session, name: str) -> int:
        found = db.scalar(select(Therapist.id).where(Therapist.name == name))
        if found is None:
            raise VaultError("no such therapist", code="not_found")
        return int(found)
