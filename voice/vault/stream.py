"""Audio as libsodium secretstream (XChaCha20-Poly1305) segments: one header, then chunks
that must be read in order, the last one tagged final. The recording id and segment number
are every chunk's associated data, so a chunk cannot be moved to another recording or
segment; a new segment (new header, new state) is begun after every reconnect or restart,
and stream state is never reused."""

from __future__ import annotations

from nacl import bindings
from nacl.exceptions import CryptoError

from voice.errors import VaultError

HEADER_BYTES = bindings.crypto_secretstream_xchacha20poly1305_HEADERBYTES
OVERHEAD_BYTES = bindings.crypto_secretstream_xchacha20poly1305_ABYTES
_TAG_MESSAGE = bindings.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def _associated(recording_id: str, segment: int) -> bytes:
    return f"voice/v1|recording:{recording_id}|segment:{segment}".encode()


class SegmentWriter:
    """Encrypts one segment's chunks in order. ``header`` is stored before the first."""

    def __init__(self, key: bytes, recording_id: str, segment: int) -> None:
        self._state = bindings.crypto_secretstream_xchacha20poly1305_state()
        self.header: bytes = bindings.crypto_secretstream_xchacha20poly1305_init_push(
            self._state, key
        )
        self._ad = _associated(recording_id, segment)
        self._finished = False

    def push(self, chunk: bytes, *, final: bool = False) -> bytes:
        """The encrypted chunk (``len(chunk) + OVERHEAD_BYTES`` bytes)."""
        if self._finished:
            raise VaultError("this segment is already finished")
        self._finished = final
        tag = _TAG_FINAL if final else _TAG_MESSAGE
        sealed: bytes = bindings.crypto_secretstream_xchacha20poly1305_push(
            self._state, chunk, self._ad, tag
        )
        return sealed


class SegmentReader:
    """Decrypts one segment's chunks in the order they were written."""

    def __init__(self, key: bytes, recording_id: str, segment: int, header: bytes) -> None:
        if len(header) != HEADER_BYTES:
            raise VaultError("a recording's header is damaged", code="tampered")
        self._state = bindings.crypto_secretstream_xchacha20poly1305_state()
        bindings.crypto_secretstream_xchacha20poly1305_init_pull(self._state, header, key)
        self._ad = _associated(recording_id, segment)
        self.finished = False

    def pull(self, sealed: bytes) -> bytes:
        """The next chunk's audio; ``VaultError`` (``tampered``) when a chunk was altered,
        dropped, reordered, moved, or comes after the final one."""
        if self.finished:
            raise VaultError("data follows the end of a recording segment", code="tampered")
        try:
            chunk, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(
                self._state, sealed, self._ad
            )
        except (CryptoError, ValueError):
            raise VaultError(
                "a recording chunk failed its integrity check", code="tampered"
            ) from None
        self.finished = tag == _TAG_FINAL
        return bytes(chunk)
