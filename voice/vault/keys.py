"""The root key and the people's data keys.

The root key never lives in the data directory: it is a 0600 file elsewhere (the config
directory), or it is derived with Argon2id from a passphrase (with a salt stored beside the
data, which alone is useless). Each person's data key is random and kept only wrapped by the
root key, with the person's id as associated data; destroying the wrapped key erases
everything sealed with it, backups included.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from nacl import pwhash, utils

from voice.errors import VaultError
from voice.vault.seal import KEY_BYTES, Place, seal, unseal

SALT_BYTES = pwhash.argon2id.SALTBYTES
# Argon2id for the passphrase: libsodium's "moderate" limits (3 passes, 256 MiB), done once
# at start-up; a passphrase is guessable where a random key is not.
PASSPHRASE_OPSLIMIT = pwhash.argon2id.OPSLIMIT_MODERATE
PASSPHRASE_MEMLIMIT = pwhash.argon2id.MEMLIMIT_MODERATE
MIN_PASSPHRASE_CHARS = 16


@dataclass(frozen=True, slots=True)
class RootKey:
    """The key that wraps every data key (its bytes never appear in a repr)."""

    key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise VaultError("the root key has the wrong length")


def create_root_key_file(path: Path) -> RootKey:
    """Write a new random root key to ``path`` (0600, in a 0700 folder); never overwrites."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = utils.random(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise VaultError("a root key already exists there; it is never overwritten") from None
    with os.fdopen(fd, "wb") as out:
        out.write(key)
        out.flush()
        os.fsync(out.fileno())
    return RootKey(key)


def read_root_key_file(path: Path) -> RootKey:
    """The root key in ``path``; ``VaultError`` naming the problem when it is missing,
    readable by others, or the wrong size."""
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except FileNotFoundError:
        raise VaultError("no root key: create one with 'voice init'", code="no_key") from None
    except OSError:
        raise VaultError("the root key file cannot be read", code="no_key") from None
    if mode & 0o077:
        raise VaultError("the root key file must be readable by its owner only (chmod 600)")
    if len(data) != KEY_BYTES:
        raise VaultError("the root key file is damaged (wrong length)")
    return RootKey(data)


def root_key_from_passphrase(passphrase: str, salt: bytes) -> RootKey:
    """A root key derived from a passphrase and a stored random salt."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise VaultError(f"the passphrase must be at least {MIN_PASSPHRASE_CHARS} characters")
    if len(salt) != SALT_BYTES:
        raise VaultError("the passphrase salt has the wrong length")
    key = pwhash.argon2id.kdf(
        KEY_BYTES,
        passphrase.encode("utf-8"),
        salt,
        opslimit=PASSPHRASE_OPSLIMIT,
        memlimit=PASSPHRASE_MEMLIMIT,
    )
    return RootKey(key)


def new_salt() -> bytes:
    """A random salt for ``root_key_from_passphrase``."""
    return utils.random(SALT_BYTES)


def new_data_key() -> bytes:
    """A fresh random data key for one person."""
    return utils.random(KEY_BYTES)


def _key_place(person_id: int) -> Place:
    return Place("person_keys", str(person_id), "wrapped_key")


def wrap_data_key(root: RootKey, data_key: bytes, person_id: int) -> bytes:
    """The data key sealed by the root key, bound to the person."""
    return seal(root.key, data_key, _key_place(person_id))


def unwrap_data_key(root: RootKey, wrapped: bytes, person_id: int) -> bytes:
    """The person's data key; ``VaultError`` with another root key or person."""
    return unseal(root.key, wrapped, _key_place(person_id))
