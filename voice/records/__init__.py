"""What a person chose to keep, at rest: the root key unlocked at start-up, each person's data
key, check-ins written as they happen (audio as encrypted chunks on one timeline, words,
cues, answers and safety events as sealed fields), read back, exported and erased, and the
HMAC-chained audit log. Synchronous calls that take the time as an argument; the server runs
them off the event loop.

May import: voice.errors, voice.vault, voice.db, voice.accounts, voice.audio, voice.protocol,
voice.prosody, voice.safety.
"""

from voice.records.audit import AuditLog
from voice.records.keyring import Keyring
from voice.records.rootkey import initialise, unlock
from voice.records.service import Records

__all__ = ["AuditLog", "Keyring", "Records", "initialise", "unlock"]
