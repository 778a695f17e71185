"""One field, sealed with XChaCha20-Poly1305 (libsodium, through PyNaCl): a random 192-bit
nonce, and the field's place as associated data, so a sealed value moved to another row or
column no longer opens."""

from __future__ import annotations

from dataclasses import dataclass

from nacl import bindings, utils
from nacl.exceptions import CryptoError

from voice.errors import VaultError

NONCE_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
KEY_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_KEYBYTES
FORMAT = b"voice/v1"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a sealed value lives: it is bound to exactly this table, row and column."""

    table: str
    row: str
    column: str

    def associated_data(self) -> bytes:
        """The bytes authenticated with the value (lengths first, so no two places share)."""
        parts = [FORMAT, *(s.encode("utf-8") for s in (self.table, self.row, self.column))]
        return b"".join(len(p).to_bytes(2, "big") + p for p in parts)


def seal(key: bytes, plaintext: bytes, place: Place) -> bytes:
    """``nonce || ciphertext+tag`` for ``plaintext`` at ``place``."""
    _check_key(key)
    nonce = utils.random(NONCE_BYTES)
    sealed: bytes = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, place.associated_data(), nonce, key
    )
    return nonce + sealed


def unseal(key: bytes, sealed: bytes, place: Place) -> bytes:
    """The plaintext; ``VaultError`` (code ``tampered``) when the value was altered, moved
    from another place, or sealed with another key."""
    _check_key(key)
    if len(sealed) < NONCE_BYTES + bindings.crypto_aead_xchacha20poly1305_ietf_ABYTES:
        raise VaultError("a stored value is damaged and cannot be read", code="tampered")
    try:
        opened: bytes = bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            sealed[NONCE_BYTES:], place.associated_data(), sealed[:NONCE_BYTES], key
        )
    except CryptoError:
        raise VaultError(
            "a stored value failed its integrity check (altered, moved or another key)",
            code="tampered",
        ) from None
    return opened


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise VaultError("an encryption key has the wrong length")
