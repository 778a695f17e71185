"""Each person's consent to what is kept: explicit, granular (recordings, words, sharing per
linked therapist), versioned (the wording they agreed to) and revocable (a new choice
supersedes the old; the history stays). Nothing is kept without a record in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from voice.db.schema import ConsentRecord, ConsentShare, Link, Person, Therapist
from voice.errors import AccountError
from voice.protocol import Consent

WORDING_VERSION = "2026-12-06"
"""The version of the consent wording below; a change of wording gets a new version."""
WORDING = {
    "audio": "Keep my recordings: my voice and the assistant's, for me to listen to again.",
    "transcript": "Keep my words: transcripts, check-in answers and how my voice sounded.",
    "share": "Share what is kept with this therapist, until I stop sharing.",
}


@dataclass(frozen=True, slots=True)
class ConsentState:
    """The consent in force for a person, with the wording version and when they agreed
    (``version`` and ``agreed_at`` are ``None`` when they never chose: nothing is kept)."""

    consent: Consent
    version: str | None
    agreed_at: datetime | None


NOTHING_KEPT = ConsentState(Consent(), None, None)


class ConsentStore:
    """Consent records in the accounts database (synchronous; time passed in)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, person: str, choice: Consent, now: datetime) -> ConsentState:
        """Make ``choice`` the consent in force from ``now``. Sharing is recorded only with
        therapists linked to the person; other names are left out (and not in force)."""
        with Session(self._engine) as db, db.begin():
            person_id = self._person_id(db, person)
            db.execute(
                update(ConsentRecord)
                .where(ConsentRecord.person_id == person_id)
                .where(ConsentRecord.superseded_at.is_(None))
                .values(superseded_at=now)
            )
            record = ConsentRecord(
                person_id=person_id,
                audio=choice.audio,
                transcript=choice.transcript,
                wording_version=WORDING_VERSION,
                agreed_at=now,
            )
            db.add(record)
            db.flush()
            linked = self._linked(db, person_id)
            for name in choice.share:
                if name in linked:
                    db.add(ConsentShare(consent_id=record.id, therapist_id=linked[name]))
        return self.in_force(person)

    def in_force(self, person: str) -> ConsentState:
        """The consent in force now; sharing only with therapists still linked."""
        with Session(self._engine) as db:
            person_id = self._person_id(db, person)
            record = db.scalar(
                select(ConsentRecord)
                .where(ConsentRecord.person_id == person_id)
                .where(ConsentRecord.superseded_at.is_(None))
            )
            if record is None:
                return NOTHING_KEPT
            # A share holds while the link it was given under stands: unlinking ends it, and
            # linking again needs a new choice from the person.
            shares = db.execute(
                select(Therapist.name)
                .join(ConsentShare, ConsentShare.therapist_id == Therapist.id)
                .join(Link, Link.therapist_id == Therapist.id)
                .where(ConsentShare.consent_id == record.id)
                .where(Link.person_id == person_id)
                .where(Link.created_at <= record.agreed_at)
                .order_by(Therapist.name)
            )
            share = tuple(str(name) for (name,) in shares)
            return ConsentState(
                Consent(audio=record.audio, transcript=record.transcript, share=share),
                record.wording_version,
                record.agreed_at,
            )

    def history(self, person: str) -> list[ConsentState]:
        """Every choice the person made, oldest first (sharing as recorded then)."""
        with Session(self._engine) as db:
            person_id = self._person_id(db, person)
            records = db.scalars(
                select(ConsentRecord)
                .where(ConsentRecord.person_id == person_id)
                .order_by(ConsentRecord.agreed_at, ConsentRecord.id)
            ).all()
            out = []
            for record in records:
                names = db.scalars(
                    select(Therapist.name)
                    .join(ConsentShare, ConsentShare.therapist_id == Therapist.id)
                    .where(ConsentShare.consent_id == record.id)
                    .order_by(Therapist.name)
                )
                out.append(
                    ConsentState(
                        Consent(record.audio, record.transcript, tuple(names)),
                        record.wording_version,
                        record.agreed_at,
                    )
                )
            return out

    @staticmethod
    def _person_id(db: Session, name: str) -> int:
        found = db.scalar(select(Person.id).where(Person.name == name))
        if found is None:
            raise AccountError("no person has that name")
        return int(found)

    @staticmethod
    def _linked(db: Session, person_id: int) -> dict[str, int]:
        rows = db.execute(
            select(Therapist.name, Therapist.id)
            .join(Link, Link.therapist_id == Therapist.id)
            .where(Link.person_id == person_id)
        )
        return {str(name): int(tid) for name, tid in rows}
