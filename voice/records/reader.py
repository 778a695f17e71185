"""Reading a person's check-ins back: the list, one check-in's words, cues, answers and
safety events, and its recording as one timeline. A value that fails its integrity check is
a ``VaultError`` (code ``tampered``) and an audit entry; nothing is guessed around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from voice.db.records import AudioChunk, AudioSegment, Checkin, SafetyEvent, TurnRecord
from voice.errors import VaultError
from voice.records.audit import AuditLog
from voice.records.keyring import Keyring
from voice.records.places import checkin_place, event_place, open_json, turn_place
from voice.records.timeline import Piece, Source, Tracks, assemble, unpack
from voice.vault import SegmentReader, unseal


@dataclass(frozen=True, slots=True)
class CheckinListing:
    """One line of a person's list of check-ins."""

    id: str
    started_at: datetime
    audio_ms: int
    has_audio: bool
    has_words: bool
    safety_events: int


@dataclass(frozen=True, slots=True)
class TurnText:
    """One turn as kept: who spoke, where on the timeline, the words and the cues."""

    turn: int
    speaker: str
    at_ms: int
    text: str
    cues: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class CheckinDetail:
    """One check-in's words, answers, summary and safety events."""

    listing: CheckinListing
    turns: tuple[TurnText, ...]
    summary: dict[str, Any] | None
    safety: tuple[dict[str, Any], ...]


class CheckinReader:
    """A person's check-ins, decrypted on demand."""

    def __init__(self, engine: Engine, keyring: Keyring, audit: AuditLog) -> None:
        self._engine = engine
        self._keyring = keyring
        self._audit = audit

    def listing(self, person: str) -> list[CheckinListing]:
        """Every check-in of ``person`` that kept anything, newest first."""
        with Session(self._engine) as db:
            person_id = self._keyring.person_id(db, person)
            rows = db.scalars(
                select(Checkin)
                .where(Checkin.person_id == person_id)
                .order_by(Checkin.started_at.desc(), Checkin.id.desc())
            ).all()
            return [self._listing(db, row) for row in rows]

    def detail(self, person: str, checkin_id: str, now: datetime) -> CheckinDetail:
        """One check-in's words and events; ``VaultError`` (``not_found``) if it is not
        this person's."""
        with Session(self._engine) as db:
            row, key = owned_checkin(db, self._keyring, person, checkin_id)
            try:
                return self._decrypted(db, row, key)
            except VaultError as exc:
                self._tampered(exc, person, checkin_id, now)
                raise

    def _decrypted(self, db: Session, row: Checkin, key: bytes) -> CheckinDetail:
        turns = tuple(
            TurnText(
                t.turn,
                t.speaker,
                t.at_ms,
                unseal(key, t.text, turn_place(t.id, "text")).decode("utf-8"),
                None if t.cues is None else open_json(key, t.cues, turn_place(t.id, "cues")),
            )
            for t in db.scalars(
                select(TurnRecord)
                .where(TurnRecord.checkin_id == row.id)
                .order_by(TurnRecord.at_ms, TurnRecord.id)
            )
        )
        summary = (
            None
            if row.summary is None
            else open_json(key, row.summary, checkin_place(row.id, "summary"))
        )
        events = db.scalars(
            select(SafetyEvent).where(SafetyEvent.checkin_id == row.id).order_by(SafetyEvent.id)
        )
        safety = tuple(
            {**open_json(key, e.detail, event_place(e.id)), "turn": e.turn, "at": e.at.isoformat()}
            for e in events
        )
        return CheckinDetail(self._listing(db, row), turns, summary, safety)

    def tracks(self, person: str, checkin_id: str, now: datetime) -> Tracks | None:
        """The recording (both tracks on one timeline), or ``None`` if none was kept."""
        with Session(self._engine) as db:
            row, key = owned_checkin(db, self._keyring, person, checkin_id)
            segments: list[tuple[int, list[Piece]]] = []
            stored_ms = 0
            try:
                for segment in db.scalars(
                    select(AudioSegment)
                    .where(AudioSegment.checkin_id == row.id)
                    .order_by(AudioSegment.segment)
                ):
                    reader = SegmentReader(key, row.public_id, segment.segment, segment.header)
                    pieces: list[Piece] = []
                    voice_samples = 0
                    for sealed in db.scalars(
                        select(AudioChunk.sealed)
                        .where(AudioChunk.segment_id == segment.id)
                        .order_by(AudioChunk.seq)
                    ):
                        plain = reader.pull(sealed)
                        if reader.finished and not plain:
                            break
                        piece = unpack(plain)
                        pieces.append(piece)
                        if piece.source is Source.VOICE:
                            voice_samples += len(piece.pcm) // 2
                    segments.append((segment.start_ms, pieces))
                    stored_ms = segment.start_ms + voice_samples * 1000 // row.voice_rate_hz
                if segments and stored_ms < row.audio_ms:
                    raise VaultError("chunks of a recording are missing", code="tampered")
            except VaultError as exc:
                self._tampered(exc, person, checkin_id, now)
                raise
            if not segments:
                return None
            return assemble(segments, row.voice_rate_hz, row.reply_rate_hz)

    def _tampered(self, exc: VaultError, person: str, checkin_id: str, now: datetime) -> None:
        if exc.code == "tampered":
            self._audit.append("system", "tampered", f"person:{person} checkin:{checkin_id}", now)

    @staticmethod
    def _listing(db: Session, row: Checkin) -> CheckinListing:
        def count(table: Any) -> int:
            return int(
                db.scalar(select(func.count()).select_from(table).where(table.checkin_id == row.id))
                or 0
            )

        return CheckinListing(
            id=row.public_id,
            started_at=row.started_at,
            audio_ms=row.audio_ms,
            has_audio=count(AudioSegment) > 0,
            has_words=count(TurnRecord) > 0 or row.summary is not None,
            safety_events=count(SafetyEvent),
        )


def owned_checkin(
    db: Session, keyring: Keyring, person: str, checkin_id: str
) -> tuple[Checkin, bytes]:
    """``person``'s check-in ``checkin_id`` and their data key; ``VaultError``
    (``not_found``) when it is not theirs, or their key is gone."""
    person_id = keyring.person_id(db, person)
    row = db.scalar(
        select(Checkin).where(Checkin.public_id == checkin_id).where(Checkin.person_id == person_id)
    )
    key = keyring.key(person_id)
    if row is None or key is None:
        raise VaultError("no such check-in", code="not_found")
    return row, key
