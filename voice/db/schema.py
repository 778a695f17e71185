"""The tables, as SQLAlchemy 2 declarative classes. Changing them needs a new migration in
``voice/db/migrations/versions`` (``tests/db`` checks the two agree)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAME_CHARS = 64
HASH_CHARS = 64  # SHA-256, hex
PASSWORD_HASH_CHARS = 255  # an Argon2 PHC string


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC time on every backend (SQLite keeps no zone, so it is put back on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times stored must be aware (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Every table; constraint names are fixed so migrations name them the same everywhere."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Person(Base):
    """Someone who checks in. The name is also their id on the wire (``hello.user``); a
    revoked person keeps their row so the name is never given to someone else."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_CHARS), unique=True)
    token_hash: Mapped[str | None] = mapped_column(String(HASH_CHARS), unique=True)
    """SHA-256 of the pairing token; ``None`` once revoked. The token itself is never kept."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    token_issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    retention_days: Mapped[int | None] = mapped_column(Integer())
    """Recordings older than this many days are erased; ``None``: kept until erased."""


class Therapist(Base):
    """A therapist who signs in to the listening room with a password."""

    __tablename__ = "therapists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_CHARS), unique=True)
    password_hash: Mapped[str] = mapped_column(String(PASSWORD_HASH_CHARS))
    """An Argon2id PHC string (parameters and salt included)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Link(Base):
    """A person and a therapist who work together (what is shared is the person's consent)."""

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("person_id", "therapist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapists.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WebSession(Base):
    """A therapist's signed-in browser: the cookie's token, kept only as its hash."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(HASH_CHARS), unique=True)
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapists.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ConsentRecord(Base):
    """One choice a person made about what is kept, in the wording version they saw. A new
    choice supersedes the one before; the history stays (who agreed to what, and when)."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_person_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    audio: Mapped[bool] = mapped_column(Boolean())
    transcript: Mapped[bool] = mapped_column(Boolean())
    wording_version: Mapped[str] = mapped_column(String(32))
    agreed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ConsentShare(Base):
    """A therapist a consent record shares with (in force only while they stay linked)."""

    __tablename__ = "consent_shares"
    __table_args__ = (UniqueConstraint("consent_id", "therapist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id", ondelete="CASCADE"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapists.id", ondelete="CASCADE"))
