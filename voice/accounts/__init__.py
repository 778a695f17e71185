"""Who may connect: people with pairing tokens, therapists with passwords, the links between
them, therapists' signed-in browsers, and each person's consent to what is kept. Tokens and
passwords are kept only as hashes.

May import: voice.errors, voice.protocol, voice.db.
"""

from voice.accounts.consent import (
    NOTHING_KEPT,
    WORDING,
    WORDING_VERSION,
    ConsentState,
    ConsentStore,
)
from voice.accounts.credentials import (
    ARGON2_MEMORY_KIB,
    ARGON2_PARALLELISM,
    ARGON2_TIME_COST,
    TOKEN_BYTES,
    hash_password,
    hash_token,
    new_token,
    verify_password,
)
from voice.accounts.store import AccountStore, PersonInfo, TherapistInfo

__all__ = [
    "ARGON2_MEMORY_KIB",
    "ARGON2_PARALLELISM",
    "ARGON2_TIME_COST",
    "NOTHING_KEPT",
    "TOKEN_BYTES",
    "WORDING",
    "WORDING_VERSION",
    "AccountStore",
    "ConsentState",
    "ConsentStore",
    "PersonInfo",
    "TherapistInfo",
    "hash_password",
    "hash_token",
    "new_token",
    "verify_password",
]
