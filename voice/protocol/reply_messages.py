"""Messages the server sends about a reply: its text as it is written and whole, the framing
of its audio, and the turn's latencies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Self

from voice.protocol.fields import Fields
from voice.protocol.spec import MessageType


@dataclass(frozen=True, slots=True)
class ReplyDelta:
    """The next piece of the assistant's reply text; append it to the previous pieces."""

    message_type: ClassVar[MessageType] = MessageType.REPLY_DELTA
    turn: int
    text: str

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value, "turn": self.turn, "text": self.text}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        return cls(turn=f.integer("turn", min_value=0), text=f.string("text"))


@dataclass(frozen=True, slots=True)
class Reply:
    """The assistant's whole reply for a turn; ``interrupted`` if the user barged in."""

    message_type: ClassVar[MessageType] = MessageType.REPLY
    turn: int
    text: str
    interrupted: bool = False

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {
            "type": self.message_type.value,
            "turn": self.turn,
            "text": self.text,
            "interrupted": self.interrupted,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        return cls(
            turn=f.integer("turn", min_value=0),
            text=f.string("text"),
            interrupted=f.boolean("interrupted"),
        )


@dataclass(frozen=True, slots=True)
class AudioStart:
    """Reply audio for ``turn`` follows as binary frames at ``sample_rate`` Hz."""

    message_type: ClassVar[MessageType] = MessageType.AUDIO_START
    turn: int
    sample_rate: int

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {
            "type": self.message_type.value,
            "turn": self.turn,
            "sample_rate": self.sample_rate,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        return cls(
            turn=f.integer("turn", min_value=0),
            sample_rate=f.integer("sample_rate", min_value=1),
        )


@dataclass(frozen=True, slots=True)
class AudioEnd:
    """No more reply audio for ``turn``; ``interrupted`` if cut short by barge-in."""

    message_type: ClassVar[MessageType] = MessageType.AUDIO_END
    turn: int
    interrupted: bool = False

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {
            "type": self.message_type.value,
            "turn": self.turn,
            "interrupted": self.interrupted,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        return cls(turn=f.integer("turn", min_value=0), interrupted=f.boolean("interrupted"))


@dataclass(frozen=True, slots=True)
class Metrics:
    """Per-turn latencies in milliseconds; ``None`` (null) for a stage that did not run.
    The ``*_wait_ms`` say how long a stage's work queued behind other sessions' work."""

    message_type: ClassVar[MessageType] = MessageType.METRICS
    turn: int
    stt_ms: float | None
    llm_first_token_ms: float | None
    tts_first_audio_ms: float | None
    endpoint_to_first_audio_ms: float | None
    stt_wait_ms: float | None = None
    llm_wait_ms: float | None = None
    tts_wait_ms: float | None = None

    def to_json(self) -> dict[str, object]:
        """The wire dict; stages that did not run are ``null``, never omitted."""
        return {
            "type": self.message_type.value,
            "turn": self.turn,
            "stt_ms": self.stt_ms,
            "llm_first_token_ms": self.llm_first_token_ms,
            "tts_first_audio_ms": self.tts_first_audio_ms,
            "endpoint_to_first_audio_ms": self.endpoint_to_first_audio_ms,
            "stt_wait_ms": self.stt_wait_ms,
            "llm_wait_ms": self.llm_wait_ms,
            "tts_wait_ms": self.tts_wait_ms,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly; each value is a finite number >= 0 or null."""
        f = Fields.for_message(d, cls.message_type)
        return cls(
            turn=f.integer("turn", min_value=0),
            stt_ms=f.optional_duration_ms("stt_ms"),
            llm_first_token_ms=f.optional_duration_ms("llm_first_token_ms"),
            tts_first_audio_ms=f.optional_duration_ms("tts_first_audio_ms"),
            endpoint_to_first_audio_ms=f.optional_duration_ms("endpoint_to_first_audio_ms"),
            stt_wait_ms=f.optional_duration_ms("stt_wait_ms"),
            llm_wait_ms=f.optional_duration_ms("llm_wait_ms"),
            tts_wait_ms=f.optional_duration_ms("tts_wait_ms"),
        )
