"""The tables of what a person chose to keep: check-ins (recordings as
encrypted secretstream segments and chunks, turns, safety events), voice baseline and safety
plan, and the HMAC-chained audit log. Every health value is a sealed blob (``voice.vault``);
only times, numbers and ids are plain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from voice.db.schema import HASH_CHARS, NAME_CHARS, Base, UtcDateTime


class VaultCheck(Base):
    """One row: a value sealed by the root key, so a wrong key or passphrase is noticed at
    start-up instead of sealing new data that nothing else can open."""

    __tablename__ = "vault"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_value: Mapped[bytes] = mapped_column(LargeBinary())
    passphrase_salt: Mapped[bytes | None] = mapped_column(LargeBinary())
    """The Argon2id salt when the root key comes from a passphrase (useless alone)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Checkin(Base):
    """One check-in. ``public_id`` names it outside (the recording id bound into its audio);
    what was kept follows the consent in force while it ran."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_person_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_active_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended: Mapped[bool] = mapped_column(Boolean())
    """The person ended it (``end``); otherwise a reconnect soon after resumes it."""
    voice_rate_hz: Mapped[int] = mapped_column(Integer())
    reply_rate_hz: Mapped[int] = mapped_column(Integer())
    audio_ms: Mapped[int] = mapped_column(Integer())
    """The person's audio durably stored, in milliseconds of the check-in's timeline."""
    summary: Mapped[bytes | None] = mapped_column(LargeBinary())
    """Sealed JSON: the answers, the summary text and its safety note."""


class AudioSegment(Base):
    """One secretstream segment of a check-in's recording: begun at each connection (a
    reconnect or a restart never reuses stream state)."""

    __tablename__ = "audio_segments"
    __table_args__ = (UniqueConstraint("checkin_id", "segment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    segment: Mapped[int] = mapped_column(Integer())
    header: Mapped[bytes] = mapped_column(LargeBinary())
    start_ms: Mapped[int] = mapped_column(Integer())
    """Where the segment starts on the check-in's timeline."""
    finished: Mapped[bool] = mapped_column(Boolean())


class AudioChunk(Base):
    """One encrypted chunk of a segment, in order (the person's voice or the reply's)."""

    __tablename__ = "audio_chunks"
    __table_args__ = (UniqueConstraint("segment_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("audio_segments.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer())
    sealed: Mapped[bytes] = mapped_column(LargeBinary())


class TurnRecord(Base):
    """What one turn said: the person's words or the reply, its cues (sealed JSON)."""

    __tablename__ = "turns"
    __table_args__ = (Index("ix_turns_checkin_id", "checkin_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    turn: Mapped[int] = mapped_column(Integer())
    speaker: Mapped[str] = mapped_column(String(16))
    at_ms: Mapped[int] = mapped_column(Integer())
    """Where on the check-in's timeline the turn was said."""
    text: Mapped[bytes] = mapped_column(LargeBinary())
    cues: Mapped[bytes | None] = mapped_column(LargeBinary())


class SafetyEvent(Base):
    """A safety response the check-in gave (its level and category sealed)."""

    __tablename__ = "safety_events"
    __table_args__ = (Index("ix_safety_events_checkin_id", "checkin_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    turn: Mapped[int] = mapped_column(Integer())
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    detail: Mapped[bytes] = mapped_column(LargeBinary())


class PersonDocument(Base):
    """A person's sealed document of one kind: the voice baseline or the safety plan."""

    __tablename__ = "person_documents"
    __table_args__ = (UniqueConstraint("person_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    sealed: Mapped[bytes] = mapped_column(LargeBinary())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """One audited act, without health content, chained to the one before by an HMAC."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer(), unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(NAME_CHARS + 16))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(NAME_CHARS + 40))
    mac: Mapped[str] = mapped_column(String(HASH_CHARS))


class TherapistNote(Base):
    """A therapist's private note on a check-in, sealed with the person's data key (so an
    erase takes it too); the person never sees it."""

    __tablename__ = "therapist_notes"
    __table_args__ = (Index("ix_therapist_notes_checkin_id", "checkin_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapists.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    text: Mapped[bytes] = mapped_column(LargeBinary())


class TherapistView(Base):
    """When a therapist last looked at a person's check-ins (safety flags are what came
    after)."""

    __tablename__ = "therapist_views"
    __table_args__ = (UniqueConstraint("therapist_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapists.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
