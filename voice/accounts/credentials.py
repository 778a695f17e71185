"""Secrets: random tokens kept only as SHA-256 hashes, and passwords hashed with Argon2id.

A token is 256 random bits, so a fast hash is enough to keep a stolen database from
yielding working tokens (no dictionary to try); a password is chosen by a person, so it gets
Argon2id with OWASP's recommended cost (its check is constant-time inside libargon2). A
token is looked up by its hash, so no secret is ever compared byte by byte here.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

TOKEN_BYTES = 32
"""256 random bits (the issue asks for at least 128)."""

# OWASP Password Storage Cheat Sheet (2025): Argon2id, m=19 MiB, t=2, p=1 is the floor;
# 64 MiB and t=3 (RFC 9106's second recommendation) costs ~0.1 s here and stays well above it.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 1
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024

_HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)
# Verified when the account does not exist, so a wrong name costs what a wrong password does.
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


def new_token() -> str:
    """A fresh random token, URL-safe (43 characters for 256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored and looked up."""
    return hashlib.sha256(_bytes(token)).hexdigest()


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def hash_password(password: str) -> str:
    """An Argon2id PHC string: algorithm, parameters, a random salt and the hash."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; ``None`` (no such account) takes as long
    as a real check and is always false."""
    try:
        if stored is None:
            _HASHER.verify(_DUMMY_HASH, password)
            return False
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is not accepted, or ``None``."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"the password must be at least {MIN_PASSWORD_CHARS} characters"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"the password must be at most {MAX_PASSWORD_CHARS} characters"
    return None
