"""Tokens and passwords: what is stored, how it is hashed, what it takes to match."""

from __future__ import annotations

import base64
import re

from argon2 import PasswordHasher
from argon2.low_level import Type

from voice.accounts import (
    ARGON2_MEMORY_KIB,
    ARGON2_PARALLELISM,
    ARGON2_TIME_COST,
    TOKEN_BYTES,
    hash_password,
    hash_token,
    new_token,
    verify_password,
)
from voice.accounts.credentials import password_problem


def test_tokens_are_random_and_carry_at_least_128_bits() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) == TOKEN_BYTES >= 16


def test_token_hash_is_sha256_hex_and_differs_per_token() -> None:
    token = new_token()
    digest = hash_token(token)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert token not in digest
    assert hash_token(token) == digest
    assert hash_token(token + "x") != digest


def test_password_hash_is_argon2id_with_the_documented_parameters() -> None:
    stored = hash_password("a long enough password")
    match = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)", stored)
    assert match, stored
    assert int(match.group(1)) == ARGON2_MEMORY_KIB >= 19 * 1024  # OWASP's floor
    assert int(match.group(2)) == ARGON2_TIME_COST >= 2
    assert int(match.group(3)) == ARGON2_PARALLELISM
    assert "a long enough password" not in stored
    # A second hash of the same password has its own salt.
    assert hash_password("a long enough password") != stored
    # The stored string is an ordinary Argon2id hash any implementation can check.
    assert PasswordHasher(type=Type.ID).verify(stored, "a long enough password")


def test_verify_password() -> None:
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password(stored, "")
    assert not verify_password("not a hash", "correct horse battery")
    assert not verify_password(None, "correct horse battery")  # no such account


def test_weak_or_absurd_passwords_are_refused() -> None:
    assert password_problem("short") is not None
    assert password_problem("x" * 2000) is not None
    assert password_problem("ten chars!") is None
