"""Writing one connection's part of a check-in, as it happens. Every call is one transaction
that first reads the consent in force, so a withdrawal takes effect at the next chunk and
nothing is written without consent. Audio goes in as secretstream chunks (a new segment for
each connection, and again after recordings were stopped and allowed again); words, cues,
answers and safety events as fields sealed with the person's data key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voice.accounts.consent import ConsentStore
from voice.db.records import AudioChunk, AudioSegment, Checkin, SafetyEvent, TurnRecord
from voice.errors import StorageError
from voice.protocol import Consent
from voice.records.keyring import Keyring
from voice.records.places import checkin_place, event_place, seal_json, turn_place
from voice.records.storage_errors import storage_guard
from voice.records.timeline import Piece, Source, pack
from voice.vault import SegmentWriter, seal

RESUME_WITHIN = timedelta(minutes=15)
"""A check-in that was not ended (a dropped connection, a restart) resumes when the person
reconnects within this time; its recording gets a new segment."""


class Superseded(StorageError):
    """Another connection of the person took this check-in's recording over (a second
    device, or the line dropped and they came back): this one keeps no more audio."""

    code = "superseded"


@dataclass(frozen=True, slots=True)
class Stored:
    """What a write made durable: how far into this connection's audio stream the person's
    voice is stored (in their samples)."""

    voice_until: int


class CheckinWriter:
    """One connection's writes for one person. Not thread-safe: one call at a time."""

    def __init__(
        self,
        engine: Engine,
        keyring: Keyring,
        person: str,
        *,
        voice_rate_hz: int,
        reply_rate_hz: int,
    ) -> None:
        self._engine = engine
        self._keyring = keyring
        self._consents = ConsentStore(engine)
        self.person = person
        self.voice_rate_hz = voice_rate_hz
        self.reply_rate_hz = reply_rate_hz
        self.public_id: str | None = None
        self._checkin_id: int | None = None
        self._segment: _OpenSegment | None = None
        self._segments_begun = 0

    def consent(self) -> Consent:
        """The consent in force now."""
        return self._consents.in_force(self.person).consent

    # --- audio ---------------------------------------------------------------------------

    def write_audio(self, pieces: list[Piece], now: datetime) -> Stored | None:
        """Seal and store ``pieces`` (in stream order) in one transaction; ``None`` when
        recordings are not kept now (the open segment is then closed)."""
        if not self.consent().audio:
            self.finish_audio(now)
            return None
        with storage_guard():
            for attempt in range(2):
                try:
                    return self._write_audio(pieces, now)
                except IntegrityError:
                    # Another connection of this person (a second device) began a segment
                    # of the same check-in at the same moment: begin the next number.
                    self._segment = None
                    if attempt:
                        raise
                except BaseException:
                    # The stream state has moved past what was stored: never reuse it.
                    self._segment = None
                    raise
        raise AssertionError("unreachable")

    def _write_audio(self, pieces: list[Piece], now: datetime) -> Stored:
        with Session(self._engine) as db, db.begin():
            checkin = self._checkin(db, now)
            key = self._key(db)
            segment = self._segment
            if segment is not None:
                row = db.get(AudioSegment, segment.row_id)
                if row is None or row.finished:
                    raise Superseded(
                        "this check-in is being kept from another connection now", code="superseded"
                    )
            if segment is None:
                segment = self._begin_segment(db, checkin, key, pieces[0].at, now)
            voice_until = segment.voice_until
            for piece in pieces:
                at = piece.at - segment.origin
                if piece.source is Source.VOICE:
                    at = segment.voice_samples  # the voice is contiguous within a segment
                    segment.voice_samples += len(piece.pcm) // 2
                    voice_until = piece.at + len(piece.pcm) // 2
                sealed = segment.stream.push(pack(Piece(piece.source, max(at, 0), piece.pcm)))
                db.add(AudioChunk(segment_id=segment.row_id, seq=segment.seq, sealed=sealed))
                segment.seq += 1
            checkin.audio_ms = segment.start_ms + segment.voice_samples * 1000 // self.voice_rate_hz
            checkin.last_active_at = now
        segment.voice_until = voice_until
        return Stored(voice_until)

    def finish_audio(self, now: datetime) -> None:
        """End the open segment with its final chunk (a later write begins a new one)."""
        segment, self._segment = self._segment, None
        if segment is None:
            return
        with storage_guard(), Session(self._engine) as db, db.begin():
            row = db.get(AudioSegment, segment.row_id)
            if row is None or row.finished:
                return  # superseded: the next segment has begun
            sealed = segment.stream.push(b"", final=True)
            db.add(AudioChunk(segment_id=segment.row_id, seq=segment.seq, sealed=sealed))
            row.finished = True

    def _begin_segment(
        self, db: Session, checkin: Checkin, key: bytes, origin: int, now: datetime
    ) -> _OpenSegment:
        # Segments follow one another: one left open by a crash, or by a connection the
        # person has since left (a dropped line the server has not noticed yet), is closed
        # here, and its writer stops at its next chunk (``Superseded``).
        db.execute(
            update(AudioSegment)
            .where(AudioSegment.checkin_id == checkin.id)
            .where(AudioSegment.finished.is_(False))
            .values(finished=True)
        )
        number = (
            db.scalar(
                select(func.max(AudioSegment.segment)).where(AudioSegment.checkin_id == checkin.id)
            )
            or 0
        ) + 1
        stream = SegmentWriter(key, checkin.public_id, number)
        row = AudioSegment(
            checkin_id=checkin.id,
            segment=number,
            header=stream.header,
            start_ms=checkin.audio_ms,
            finished=False,
        )
        db.add(row)
        db.flush()
        self._segment = _OpenSegment(row.id, stream, checkin.audio_ms, origin)
        return self._segment

    def timeline_ms(self, stream_ms: int) -> int:
        """A position in this connection's stream as a position on the check-in's timeline
        (the open recording segment places it; without one, the stream's own)."""
        segment = self._segment
        if segment is None:
            return stream_ms
        return max(0, segment.start_ms + stream_ms - segment.origin * 1000 // self.voice_rate_hz)

    # --- words, cues, answers, safety ---------------------------------------------------

    def write_turn(self, turn: int, speaker: str, at_ms: int, text: str, now: datetime) -> bool:
        """Keep what was said in one turn (the person's words or the reply); False when
        transcripts are not kept now."""
        if not self.consent().transcript:
            return False
        with storage_guard(), Session(self._engine) as db, db.begin():
            checkin = self._checkin(db, now)
            key = self._key(db)
            row = TurnRecord(
                checkin_id=checkin.id, turn=turn, speaker=speaker, at_ms=at_ms, text=b""
            )
            db.add(row)
            db.flush()
            row.text = seal(key, text.encode("utf-8"), turn_place(row.id, "text"))
            checkin.last_active_at = now
        return True

    def write_cues(self, turn: int, cues: dict[str, object], now: datetime) -> bool:
        """Attach a turn's cues to the person's words of that turn (kept with them)."""
        if not self.consent().transcript or self._checkin_id is None:
            return False
        with storage_guard(), Session(self._engine) as db, db.begin():
            row = db.scalar(
                select(TurnRecord)
                .where(TurnRecord.checkin_id == self._checkin_id)
                .where(TurnRecord.turn == turn)
                .where(TurnRecord.speaker == "person")
                .order_by(TurnRecord.id.desc())
                .limit(1)
            )
            if row is None:
                return False
            key = self._key(db)
            row.cues = seal_json(key, cues, turn_place(row.id, "cues"))
        return True

    def write_safety(self, turn: int, detail: dict[str, object], now: datetime) -> bool:
        """Keep a safety event (kept with the words)."""
        if not self.consent().transcript:
            return False
        with storage_guard(), Session(self._engine) as db, db.begin():
            checkin = self._checkin(db, now)
            key = self._key(db)
            row = SafetyEvent(checkin_id=checkin.id, turn=turn, at=now, detail=b"")
            db.add(row)
            db.flush()
            row.detail = seal_json(key, detail, event_place(row.id))
        return True

    def write_summary(self, summary: dict[str, object], now: datetime) -> bool:
        """Keep the check-in's answers and summary (kept with the words)."""
        if not self.consent().transcript:
            return False
        with storage_guard(), Session(self._engine) as db, db.begin():
            checkin = self._checkin(db, now)
            key = self._key(db)
            checkin.summary = seal_json(key, summary, checkin_place(checkin.id, "summary"))
        return True

    def end(self, *, ended: bool, now: datetime) -> None:
        """The connection is over: close the audio segment; ``ended`` (the person said
        ``end``) closes the check-in, otherwise a reconnect soon may resume it."""
        self.finish_audio(now)
        if self._checkin_id is None:
            return
        with storage_guard(), Session(self._engine) as db, db.begin():
            checkin = db.get(Checkin, self._checkin_id)
            if checkin is not None:
                checkin.ended = checkin.ended or ended
                checkin.last_active_at = now

    # --- rows ---------------------------------------------------------------------------

    def _key(self, db: Session) -> bytes:
        return self._keyring.key_or_new(self._keyring.person_id(db, self.person))

    def _checkin(self, db: Session, now: datetime) -> Checkin:
        """This connection's check-in: the one begun earlier, one to resume, or a new one."""
        if self._checkin_id is not None:
            # Locked for this transaction: segments of one check-in begin one at a time.
            found = db.get(Checkin, self._checkin_id, with_for_update=True)
            if found is not None:
                return found
        person_id = self._keyring.person_id(db, self.person)
        checkin = db.scalar(
            select(Checkin)
            .where(Checkin.person_id == person_id)
            .where(Checkin.ended.is_(False))
            .where(Checkin.last_active_at >= now - RESUME_WITHIN)
            .where(Checkin.voice_rate_hz == self.voice_rate_hz)
            .order_by(Checkin.last_active_at.desc())
            .limit(1)
            .with_for_update()
        )
        if checkin is None:
            checkin = Checkin(
                public_id=uuid.uuid4().hex,
                person_id=person_id,
                started_at=now,
                last_active_at=now,
                ended=False,
                voice_rate_hz=self.voice_rate_hz,
                reply_rate_hz=self.reply_rate_hz,
                audio_ms=0,
            )
            db.add(checkin)
            db.flush()
        self._checkin_id = checkin.id
        self.public_id = checkin.public_id
        return checkin


@dataclass(slots=True)
class _OpenSegment:
    row_id: int
    stream: SegmentWriter
    start_ms: int
    origin: int
    """The stream position (voice samples of this connection) the segment starts at."""
    seq: int = 0
    voice_samples: int = 0
    voice_until: int = 0
