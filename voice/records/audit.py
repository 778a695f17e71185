"""The audit log: who did what, when, to whose records, with no health content. Each entry's
HMAC covers its number, its fields and the HMAC before it, so an edited, removed or
reordered entry breaks the chain (``voice audit verify``). The HMAC key is derived from the
root key, so someone who can write the database but lacks the key cannot mend the chain."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voice.db.records import AuditEntry
from voice.errors import StorageError
from voice.vault import RootKey

GENESIS = "0" * 64
_APPEND_TRIES = 8


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One entry as read back."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str


def audit_key(root: RootKey) -> bytes:
    """The HMAC key of the chain, derived from the root key for this one purpose."""
    derived: bytes = blake2b(
        b"audit log chain", key=root.key, person=b"voice-audit-v1", encoder=RawEncoder
    )
    return derived


def entry_mac(key: bytes, previous: str, record: AuditRecord) -> str:
    """The HMAC-SHA256 (hex) of an entry chained to ``previous``."""
    fields = (
        previous,
        str(record.seq),
        record.at.isoformat(timespec="microseconds"),
        record.actor,
        record.action,
        record.subject,
    )
    message = b"\x1f".join(f.encode("utf-8") for f in fields)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class AuditLog:
    """Appends entries and checks the chain."""

    def __init__(self, engine: Engine, root: RootKey) -> None:
        self._engine = engine
        self._key = audit_key(root)

    def append(self, actor: str, action: str, subject: str, now: datetime) -> None:
        """Add one entry at the end of the chain (retried when another server appended the
        same number at the same moment)."""
        for _ in range(_APPEND_TRIES):
            try:
                with Session(self._engine) as db, db.begin():
                    last = db.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
                    seq = 1 if last is None else last.seq + 1
                    previous = GENESIS if last is None else last.mac
                    record = AuditRecord(seq, now, actor, action, subject)
                    db.add(
                        AuditEntry(
                            seq=seq,
                            at=now,
                            actor=actor,
                            action=action,
                            subject=subject,
                            mac=entry_mac(self._key, previous, record),
                        )
                    )
                return
            except IntegrityError:
                continue
        raise StorageError("the audit log could not be appended to")

    def entries(self) -> list[AuditRecord]:
        """Every entry, in order."""
        with Session(self._engine) as db:
            rows = db.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
            return [AuditRecord(r.seq, r.at, r.actor, r.action, r.subject) for r in rows]

    def verify(self) -> list[str]:
        """What is wrong with the chain, entry by entry (empty when it is whole)."""
        problems: list[str] = []
        previous = GENESIS
        expected = 1
        with Session(self._engine) as db:
            rows = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
            count = db.scalar(select(func.count()).select_from(AuditEntry))
        for row in rows:
            record = AuditRecord(row.seq, row.at, row.actor, row.action, row.subject)
            if row.seq != expected:
                what = "removed" if row.seq > expected else "reordered or duplicated"
                problems.append(f"entry {expected}: {what} (found entry {row.seq} in its place)")
            if not hmac.compare_digest(row.mac, entry_mac(self._key, previous, record)):
                problems.append(f"entry {row.seq}: edited, or the entry before it was changed")
            previous = row.mac
            expected = row.seq + 1
        if count != len(rows):
            problems.append("the log changed while it was being checked")
        return problems
