"""The records of one server, opened once at start-up: the database, the unlocked keys, the
audit log, and the readers and writers built on them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from voice.accounts.consent import ConsentStore
from voice.errors import VoiceError
from voice.records.audit import AuditLog
from voice.records.baselines import SealedBaselines
from voice.records.documents import SAFETY_PLAN, Documents
from voice.records.keyring import KEYS_FOLDER, Keyring
from voice.records.reader import CheckinReader
from voice.records.rootkey import unlock
from voice.records.writer import CheckinWriter
from voice.safety.plan import spoken_plan

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Records:
    """Everything that reads or writes what people keep."""

    engine: Engine
    keyring: Keyring
    audit: AuditLog
    reader: CheckinReader
    documents: Documents

    @classmethod
    def open(cls, engine: Engine, config_dir: Path, passphrase: str | None) -> Records:
        """Unlock the root key (``VaultError`` when it is missing or does not fit)."""
        root = unlock(engine, config_dir, passphrase)
        keyring = Keyring(root, config_dir / KEYS_FOLDER)
        audit = AuditLog(engine, root)
        return cls(
            engine,
            keyring,
            audit,
            CheckinReader(engine, keyring, audit),
            Documents(engine, keyring),
        )

    def baselines(self) -> SealedBaselines:
        """The people's voice baselines, kept under their consent."""
        return SealedBaselines(self.documents, ConsentStore(self.engine))

    def spoken_safety_plan(self, person: str) -> str | None:
        """The steps of the person's safety plan a crisis reply reads aloud (``None`` when
        there are none, or the plan cannot be read: the crisis reply never waits on it)."""
        try:
            return spoken_plan(self.documents.read(person, SAFETY_PLAN))
        except VoiceError as exc:
            _LOGGER.warning("the safety plan could not be read (%s)", exc.code)
            return None

    def writer(self, person: str, *, voice_rate_hz: int, reply_rate_hz: int) -> CheckinWriter:
        """A writer for one connection of ``person``."""
        return CheckinWriter(
            self.engine,
            self.keyring,
            person,
            voice_rate_hz=voice_rate_hz,
            reply_rate_hz=reply_rate_hz,
        )
