"""Encryption at rest, as small synchronous functions over bytes: the root key (a 0600 file,
or derived from a passphrase with Argon2id), each person's data key wrapped by it, fields
sealed with their place (table, row, column) as associated data, and audio as libsodium
secretstream segments. Nothing here touches the database or the network.

May import: voice.errors.
"""

from voice.vault.keys import (
    RootKey,
    create_root_key_file,
    new_data_key,
    read_root_key_file,
    root_key_from_passphrase,
    unwrap_data_key,
    wrap_data_key,
)
from voice.vault.seal import KEY_BYTES, Place, seal, unseal
from voice.vault.stream import SegmentReader, SegmentWriter

__all__ = [
    "KEY_BYTES",
    "Place",
    "RootKey",
    "SegmentReader",
    "SegmentWriter",
    "create_root_key_file",
    "new_data_key",
    "read_root_key_file",
    "root_key_from_passphrase",
    "seal",
    "unseal",
    "unwrap_data_key",
    "wrap_data_key",
]
