"""The accounts, kept in the database: synchronous calls that take the time as an argument
(the server runs them off the event loop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voice.accounts.consent import ConsentStore
from voice.accounts.credentials import (
    hash_password,
    hash_token,
    new_token,
    password_problem,
    verify_password,
)
from voice.db.schema import Link, Person, Therapist, WebSession
from voice.errors import AccountError
from voice.protocol import MAX_USER_ID_CHARS, is_valid_user_id

WEB_SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class PersonInfo:
    """A person as ``voice user list`` shows them (never their token)."""

    name: str
    created_at: datetime
    token_issued_at: datetime
    revoked: bool
    therapists: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TherapistInfo:
    """A therapist as ``voice therapist list`` shows them (never their password)."""

    name: str
    created_at: datetime
    people: tuple[str, ...]


def _check_name(name: str) -> None:
    if not is_valid_user_id(name):
        raise AccountError(
            f"a name must be 1-{MAX_USER_ID_CHARS} ASCII letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        )


class AccountStore:
    """People, therapists, links and web sessions in one database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def consents(self) -> ConsentStore:
        """The consent records, in the same database."""
        return ConsentStore(self._engine)

    def has_accounts(self) -> bool:
        """True once any person or therapist exists (authentication is then required)."""
        with Session(self._engine) as db:
            return bool(
                db.scalar(select(exists().select_from(Person)))
                or db.scalar(select(exists().select_from(Therapist)))
            )

    # --- people ---------------------------------------------------------------------

    def add_person(self, name: str, now: datetime) -> str:
        """Create a person; return their pairing token (shown once, stored as a hash)."""
        _check_name(name)
        token = new_token()
        person = Person(
            name=name, token_hash=hash_token(token), created_at=now, token_issued_at=now
        )
        try:
            with Session(self._engine) as db, db.begin():
                db.add(person)
        except IntegrityError:
            raise AccountError("that name is already taken (names are never reused)") from None
        return token

    def rotate_token(self, name: str, now: datetime) -> str:
        """A new token for a person; the old one stops working at once."""
        token = new_token()
        with Session(self._engine) as db, db.begin():
            person = self._person(db, name)
            if person.revoked_at is not None:
                raise AccountError("that person was revoked; add a new person instead")
            person.token_hash = hash_token(token)
            person.token_issued_at = now
        return token

    def revoke_person(self, name: str, now: datetime) -> None:
        """Revoke a person: their token stops working; the name stays taken."""
        with Session(self._engine) as db, db.begin():
            person = self._person(db, name)
            person.token_hash = None
            person.revoked_at = person.revoked_at or now

    def person_for_token(self, token: str) -> str | None:
        """The name of the active person holding ``token``, or ``None``. The token is found
        by its SHA-256 through an index: no secret is compared byte by byte in Python, so
        there is no timing to learn from (a revoked person's hash is gone)."""
        with Session(self._engine) as db:
            name = db.scalar(select(Person.name).where(Person.token_hash == hash_token(token)))
        return str(name) if name is not None else None

    def people(self) -> list[PersonInfo]:
        """Every person, by name, with the therapists they are linked to."""
        with Session(self._engine) as db:
            links = self._link_names(db)
            return [
                PersonInfo(
                    name=p.name,
                    created_at=p.created_at,
                    token_issued_at=p.token_issued_at,
                    revoked=p.revoked_at is not None,
                    therapists=tuple(t for person, t in links if person == p.name),
                )
                for p in db.scalars(select(Person).order_by(Person.name))
            ]

    def linked_therapists(self, name: str) -> list[str]:
        """The therapists ``name`` is linked to (whom they may choose to share with)."""
        with Session(self._engine) as db:
            return [t for p, t in self._link_names(db) if p == name]

    # --- therapists -------------------------------------------------------------------

    def add_therapist(self, name: str, password: str, now: datetime) -> None:
        """Create a therapist with a password (hashed with Argon2id)."""
        _check_name(name)
        if (problem := password_problem(password)) is not None:
            raise AccountError(problem)
        therapist = Therapist(name=name, password_hash=hash_password(password), created_at=now)
        try:
            with Session(self._engine) as db, db.begin():
                db.add(therapist)
        except IntegrityError:
            raise AccountError("that name is already taken") from None

    def therapists(self) -> list[TherapistInfo]:
        """Every therapist, by name, with the people linked to them."""
        with Session(self._engine) as db:
            links = self._link_names(db)
            return [
                TherapistInfo(
                    name=t.name,
                    created_at=t.created_at,
                    people=tuple(p for p, therapist in links if therapist == t.name),
                )
                for t in db.scalars(select(Therapist).order_by(Therapist.name))
            ]

    def link(self, person: str, therapist: str, now: datetime) -> bool:
        """Link a person and a therapist; False when they already were."""
        with Session(self._engine) as db, db.begin():
            p = self._person(db, person)
            t = self._therapist(db, therapist)
            found = db.scalar(
                select(Link.id).where(Link.person_id == p.id, Link.therapist_id == t.id)
            )
            if found is not None:
                return False
            db.add(Link(person_id=p.id, therapist_id=t.id, created_at=now))
            return True

    def unlink(self, person: str, therapist: str) -> bool:
        """Remove a link; False when there was none."""
        with Session(self._engine) as db, db.begin():
            p = self._person(db, person)
            t = self._therapist(db, therapist)
            result = db.execute(
                delete(Link).where(Link.person_id == p.id, Link.therapist_id == t.id)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    # --- therapists' web sessions ------------------------------------------------------

    def sign_in(
        self, name: str, password: str, now: datetime, lifetime: timedelta = WEB_SESSION_LIFETIME
    ) -> str | None:
        """A new web session token when the password is right, else ``None`` (an unknown
        name takes as long as a wrong password)."""
        with Session(self._engine) as db:
            therapist = db.scalar(select(Therapist).where(Therapist.name == name))
        stored = therapist.password_hash if therapist is not None else None
        if not verify_password(stored, password) or therapist is None:
            return None
        token = new_token()
        with Session(self._engine) as db, db.begin():
            db.execute(delete(WebSession).where(WebSession.expires_at <= now))
            db.add(
                WebSession(
                    token_hash=hash_token(token),
                    therapist_id=therapist.id,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )
        return token

    def therapist_for_session(self, token: str, now: datetime) -> str | None:
        """The therapist a live web session token belongs to, or ``None`` (found by its
        SHA-256, like a person's token)."""
        with Session(self._engine) as db:
            found = db.execute(
                select(Therapist.name, WebSession.expires_at)
                .join(Therapist, Therapist.id == WebSession.therapist_id)
                .where(WebSession.token_hash == hash_token(token))
            ).first()
        if found is None or found.expires_at <= now:
            return None
        return str(found.name)

    def sign_out(self, token: str) -> None:
        """End a web session (unknown tokens are ignored)."""
        with Session(self._engine) as db, db.begin():
            db.execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))

    def web_session_count(self) -> int:
        """Web sessions kept (for tests and housekeeping)."""
        with Session(self._engine) as db:
            return int(db.scalar(select(func.count()).select_from(WebSession)) or 0)

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    def _person(db: Session, name: str) -> Person:
        person = db.scalar(select(Person).where(Person.name == name))
        if person is None:
            raise AccountError("no person has that name")
        return person

    @staticmethod
    def _therapist(db: Session, name: str) -> Therapist:
        therapist = db.scalar(select(Therapist).where(Therapist.name == name))
        if therapist is None:
            raise AccountError("no therapist has that name")
        return therapist

    @staticmethod
    def _link_names(db: Session) -> list[tuple[str, str]]:
        rows = db.execute(
            select(Person.name, Therapist.name)
            .join(Link, Link.person_id == Person.id)
            .join(Therapist, Therapist.id == Link.therapist_id)
            .order_by(Person.name, Therapist.name)
        )
        return [(str(p), str(t)) for p, t in rows]
