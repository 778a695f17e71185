"""Encryption at rest: sealed fields, wrapped keys, audio segments. Each check opens what
was sealed (decrypted equals sent) and shows what must not open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from voice.errors import VaultError
from voice.vault import (
    KEY_BYTES,
    Place,
    RootKey,
    SegmentReader,
    SegmentWriter,
    create_root_key_file,
    new_data_key,
    read_root_key_file,
    root_key_from_passphrase,
    seal,
    unseal,
    unwrap_data_key,
    wrap_data_key,
)
from voice.vault.keys import new_salt
from voice.vault.stream import HEADER_BYTES, OVERHEAD_BYTES

WORDS = b"I have not slept properly for a week and I am frightened."
PLACE = Place("turns", "42", "transcript")


def test_a_sealed_field_opens_only_in_its_place_with_its_key() -> None:
    key = new_data_key()
    sealed = seal(key, WORDS, PLACE)
    assert WORDS not in sealed and len(sealed) == 24 + len(WORDS) + 16
    assert unseal(key, sealed, PLACE) == WORDS
    assert seal(key, WORDS, PLACE) != sealed  # a fresh nonce every time
    for elsewhere in (
        Place("turns", "43", "transcript"),  # another row
        Place("turns", "42", "reply"),  # another column
        Place("answers", "42", "transcript"),  # another table
    ):
        with pytest.raises(VaultError) as moved:
            unseal(key, sealed, elsewhere)
        assert moved.value.code == "tampered"
    with pytest.raises(VaultError):
        unseal(new_data_key(), sealed, PLACE)


def test_one_flipped_byte_anywhere_fails_clearly() -> None:
    key = new_data_key()
    sealed = seal(key, WORDS, PLACE)
    for position in (0, 23, 24, len(sealed) // 2, len(sealed) - 1):
        damaged = bytearray(sealed)
        damaged[position] ^= 0x01
        with pytest.raises(VaultError, match="integrity") as failed:
            unseal(key, bytes(damaged), PLACE)
        assert failed.value.code == "tampered"
        assert "slept" not in failed.value.message
    with pytest.raises(VaultError):
        unseal(key, sealed[:30], PLACE)


def test_places_cannot_be_confused_by_their_separators() -> None:
    assert Place("a|b", "c", "d").associated_data() != Place("a", "b|c", "d").associated_data()


def test_data_keys_are_wrapped_per_person() -> None:
    root = RootKey(os.urandom(KEY_BYTES))
    data_key = new_data_key()
    wrapped = wrap_data_key(root, data_key, person_id=7)
    assert data_key not in wrapped
    assert unwrap_data_key(root, wrapped, 7) == data_key
    with pytest.raises(VaultError):
        unwrap_data_key(root, wrapped, 8)  # another person's row
    with pytest.raises(VaultError):
        unwrap_data_key(RootKey(os.urandom(KEY_BYTES)), wrapped, 7)


def test_root_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config" / "root.key"
    with pytest.raises(VaultError, match="voice init") as missing:
        read_root_key_file(path)
    assert missing.value.code == "no_key"
    created = create_root_key_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert read_root_key_file(path) == created
    assert repr(created) == "RootKey()"  # its bytes never reach a log or a traceback
    with pytest.raises(VaultError, match="never overwritten"):
        create_root_key_file(path)
    assert read_root_key_file(path) == created
    path.chmod(0o644)
    with pytest.raises(VaultError, match="chmod 600"):
        read_root_key_file(path)
    path.chmod(0o600)
    path.write_bytes(b"short")
    with pytest.raises(VaultError, match="damaged"):
        read_root_key_file(path)


def test_a_passphrase_derives_the_same_key_with_the_same_salt_only() -> None:
    salt = new_salt()
    first = root_key_from_passphrase("correct horse battery staple", salt)
    assert root_key_from_passphrase("correct horse battery staple", salt) == first
    assert root_key_from_passphrase("correct horse battery stapler", salt) != first
    assert root_key_from_passphrase("correct horse battery staple", new_salt()) != first
    with pytest.raises(VaultError, match="at least"):
        root_key_from_passphrase("short", salt)


def _pcm(seconds: float) -> bytes:
    return os.urandom(int(32000 * seconds) // 2 * 2)


def test_audio_segments_decrypt_to_the_audio_sent_in_order() -> None:
    key = new_data_key()
    chunks = [_pcm(0.1) for _ in range(20)]
    writer = SegmentWriter(key, "rec-1", 0)
    sealed = [writer.push(c, final=i == len(chunks) - 1) for i, c in enumerate(chunks)]
    assert len(writer.header) == HEADER_BYTES
    assert all(len(s) == len(c) + OVERHEAD_BYTES for s, c in zip(sealed, chunks, strict=True))
    assert all(c not in s for s, c in zip(sealed, chunks, strict=True))
    reader = SegmentReader(key, "rec-1", 0, writer.header)
    assert b"".join(reader.pull(s) for s in sealed) == b"".join(chunks)
    assert reader.finished
    with pytest.raises(VaultError):
        writer.push(b"more")  # nothing after the final chunk


def test_audio_chunks_cannot_be_reordered_dropped_moved_or_altered() -> None:
    key = new_data_key()
    writer = SegmentWriter(key, "rec-1", 0)
    sealed = [writer.push(_pcm(0.02)) for _ in range(3)]

    def read(segment_chunks: list[bytes], recording: str = "rec-1", segment: int = 0) -> None:
        reader = SegmentReader(key, recording, segment, writer.header)
        for chunk in segment_chunks:
            reader.pull(chunk)

    read(sealed)  # as written: fine
    for bad in ([sealed[1], sealed[0]], [sealed[0], sealed[2]]):
        with pytest.raises(VaultError) as failed:
            read(bad)
        assert failed.value.code == "tampered"
    with pytest.raises(VaultError):
        read(sealed, recording="rec-2")
    with pytest.raises(VaultError):
        read(sealed, segment=1)
    damaged = bytearray(sealed[2])
    damaged[5] ^= 0x80
    with pytest.raises(VaultError):
        read([sealed[0], sealed[1], bytes(damaged)])
    with pytest.raises(VaultError):
        SegmentReader(key, "rec-1", 0, writer.header[:-1])


def test_each_segment_starts_fresh_state() -> None:
    key = new_data_key()
    first, second = SegmentWriter(key, "rec-1", 0), SegmentWriter(key, "rec-1", 1)
    assert first.header != second.header
    chunk = _pcm(0.02)
    assert first.push(chunk) != second.push(chunk)
