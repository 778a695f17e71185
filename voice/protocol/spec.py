"""Protocol v1 constants, wire enums, the audio format and its checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Self

from voice.audio.endpointer import MAX_END_SILENCE_MS, MIN_END_SILENCE_MS
from voice.errors import ProtocolError
from voice.protocol.fields import Fields

PROTOCOL_VERSION: Final = 1
WEBSOCKET_PATH: Final = "/v1/checkin"
MAX_FRAME_BYTES: Final = 65536
"""Largest text message (UTF-8 bytes) or binary audio frame accepted."""
MAX_TEXT_CHARS: Final = 2000
SUPPORTED_SAMPLE_RATES: Final = (8000, 16000, 32000, 48000)
MIN_ENDPOINT_SILENCE_MS: Final = MIN_END_SILENCE_MS
MAX_ENDPOINT_SILENCE_MS: Final = MAX_END_SILENCE_MS
"""The range of ``hello.endpoint_silence_ms``: the endpointer's own."""
MAX_USER_ID_CHARS: Final = 64
HELLO_TIMEOUT_SECONDS: Final = 10.0
"""A client that sends nothing this long after connecting is closed with ``timeout``."""
MAX_PING_ID: Final = 2**31 - 1
"""The largest ``ping.id`` (and ``pong.id``); the smallest is 0."""

# First character alphanumeric: rules out ".", "..", hidden names and option-like "-x".
_USER_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_USER_ID_CHARS - 1}}}")


class MessageType(StrEnum):
    """Every ``type`` string of protocol v1."""

    HELLO = "hello"
    COMMIT = "commit"
    TEXT = "text"
    END = "end"
    PING = "ping"
    READY = "ready"
    SPEECH_STARTED = "speech_started"
    SPEECH_STOPPED = "speech_stopped"
    TRANSCRIPT = "transcript"
    CUES = "cues"
    SAFETY = "safety"
    SUMMARY = "summary"
    REPLY_DELTA = "reply_delta"
    REPLY = "reply"
    AUDIO_START = "audio_start"
    AUDIO_END = "audio_end"
    METRICS = "metrics"
    ERROR = "error"
    BYE = "bye"
    STORED = "stored"
    PONG = "pong"


class ErrorCode(StrEnum):
    """Stable ``code`` values of ``error`` messages; clients must tolerate others."""

    BAD_MESSAGE = "bad_message"
    UNSUPPORTED_AUDIO = "unsupported_audio"
    UNSUPPORTED_PROTOCOL = "unsupported_protocol"
    NOT_READY = "not_ready"
    TOO_LARGE = "too_large"
    OVERLOADED = "overloaded"
    INTERNAL = "internal"
    TIMEOUT = "timeout"
    UNAUTHORIZED = "unauthorized"
    TOO_FAST = "too_fast"
    STORAGE_FULL = "storage_full"
    STORAGE_FAILED = "storage_failed"


class BaselineScope(StrEnum):
    """Whose earlier turns a ``cues`` message compares with."""

    USER = "user"
    """The person named in ``hello``: earlier turns of this and past sessions."""
    SESSION = "session"
    """No ``user`` in ``hello``: only earlier turns of this session (nothing is kept)."""


class AudioEncoding(StrEnum):
    """Audio encodings named on the wire."""

    PCM_S16LE = "pcm_s16le"


def is_valid_user_id(user: str) -> bool:
    """True if ``user`` is 1-64 ASCII letters, digits, ``-_.``, starting alphanumeric."""
    return _USER_ID.fullmatch(user) is not None


@dataclass(frozen=True, slots=True)
class AudioSpec:
    """Format of a PCM stream: encoding name, sample rate in Hz, channel count."""

    encoding: str
    sample_rate: int
    channels: int

    def to_json(self) -> dict[str, object]:
        """The wire object (it has no ``type``)."""
        return {
            "encoding": str(self.encoding),
            "sample_rate": self.sample_rate,
            "channels": self.channels,
        }

    @classmethod
    def from_json(cls, fields: Fields) -> Self:
        """Read the shape only; ``check_supported_audio`` judges client input formats."""
        return cls(
            encoding=fields.string("encoding"),
            sample_rate=fields.integer("sample_rate", min_value=1),
            channels=fields.integer("channels", min_value=1),
        )


def check_supported_audio(spec: AudioSpec) -> None:
    """Raise ``unsupported_audio`` unless ``spec`` is an input format the server accepts."""
    if spec.encoding != AudioEncoding.PCM_S16LE:
        problem = f"encoding is not supported; use '{AudioEncoding.PCM_S16LE}'"
    elif spec.channels != 1:
        problem = "channels is not supported; use 1 (mono)"
    elif spec.sample_rate not in SUPPORTED_SAMPLE_RATES:
        rates = ", ".join(str(rate) for rate in SUPPORTED_SAMPLE_RATES)
        problem = f"sample_rate is not supported; use one of {rates}"
    else:
        return
    raise ProtocolError(f"audio {problem}", code=ErrorCode.UNSUPPORTED_AUDIO.value)


def check_audio_frame(data: bytes, fmt: AudioSpec) -> None:
    """Raise unless ``data`` is a valid binary audio frame in ``fmt``; empty is a no-op."""
    size = len(data)
    if size > MAX_FRAME_BYTES:
        raise ProtocolError(
            f"audio frame is {size} bytes; the limit is {MAX_FRAME_BYTES}",
            code=ErrorCode.TOO_LARGE.value,
        )
    block_bytes = 2 * fmt.channels  # s16: two bytes per sample per channel
    if size % block_bytes:
        raise ProtocolError(
            f"audio frame length must be a multiple of {block_bytes} bytes "
            f"({fmt.encoding}, {fmt.channels} channel(s))",
            code=ErrorCode.BAD_MESSAGE.value,
        )
