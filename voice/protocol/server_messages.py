"""Messages the server sends: session start, turn events, cues, safety, summary, errors,
heartbeat answers and goodbye (the reply's own messages are in ``reply_messages``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Self

from voice.errors import VoiceError
from voice.protocol.consent import ConsentInForce
from voice.protocol.fields import Fields
from voice.protocol.spec import (
    MAX_PING_ID,
    PROTOCOL_VERSION,
    AudioSpec,
    BaselineScope,
    ErrorCode,
    MessageType,
)


@dataclass(frozen=True, slots=True)
class Ready:
    """Answer to ``hello``: the session id and the format of reply audio; turns may begin."""

    message_type: ClassVar[MessageType] = MessageType.READY
    session_id: str
    tts_audio: AudioSpec
    protocol: int = PROTOCOL_VERSION
    consent: ConsentInForce | None = None
    """What may be kept of this session (absent from older servers: nothing is)."""
    resources: tuple[Mapping[str, str], ...] = ()
    """The configured locale's help lines, to keep at hand from the start: ``{"name",
    "number", "kind"}`` each, as in ``safety`` (absent from older servers: none)."""

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        out: dict[str, object] = {
            "type": self.message_type.value,
            "protocol": self.protocol,
            "session_id": self.session_id,
            "tts_audio": self.tts_audio.to_json(),
        }
        if self.consent is not None:
            out["consent"] = self.consent.to_json()
        if self.resources:
            out["resources"] = [dict(r) for r in self.resources]
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly; a protocol other than ours is ``unsupported_protocol``."""
        f = Fields.for_message(d, cls.message_type)
        if f.integer("protocol") != PROTOCOL_VERSION:
            raise f.error(
                "protocol", f"must be {PROTOCOL_VERSION}", code=ErrorCode.UNSUPPORTED_PROTOCOL.value
            )
        session_id = f.string("session_id")
        if not session_id:
            raise f.error("session_id", "must not be empty")
        consent = f.optional_nested("consent")
        return cls(
            session_id=session_id,
            tts_audio=AudioSpec.from_json(f.nested("tts_audio")),
            protocol=PROTOCOL_VERSION,
            consent=ConsentInForce.read(consent) if consent is not None else None,
            resources=tuple(f.optional_string_map_list("resources")),
        )


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    """The server heard speech begin ``at_ms`` into the received audio stream."""

    message_type: ClassVar[MessageType] = MessageType.SPEECH_STARTED
    turn: int
    at_ms: int

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value, "turn": self.turn, "at_ms": self.at_ms}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        return cls(turn=f.integer("turn", min_value=0), at_ms=f.integer("at_ms", min_value=0))


@dataclass(frozen=True, slots=True)
class SpeechStopped:
    """The server decided the user's speech ended ``at_ms`` into the received audio."""

    message_type: ClassVar[MessageType] = MessageType.SPEECH_STOPPED
    turn: int
    at_ms: int

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value, "turn": self.turn, "at_ms": self.at_ms}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        return cls(turn=f.integer("turn", min_value=0), at_ms=f.integer("at_ms", min_value=0))


@dataclass(frozen=True, slots=True)
class Transcript:
    """What the user said so far (``final`` false) or in the end (``final`` true)."""

    message_type: ClassVar[MessageType] = MessageType.TRANSCRIPT
    turn: int
    text: str
    final: bool

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {
            "type": self.message_type.value,
            "turn": self.turn,
            "final": self.final,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        return cls(
            turn=f.integer("turn", min_value=0), text=f.string("text"), final=f.boolean("final")
        )


@dataclass(frozen=True, slots=True)
class Cues:
    """How the person sounded in ``turn`` compared with their own usual (after its final
    transcript). Descriptive only: never a diagnosis, never an emotion stated as fact."""

    message_type: ClassVar[MessageType] = MessageType.CUES
    turn: int
    features: Mapping[str, float | None]
    """Measured prosody by name (units in the names); ``None`` where not measurable."""
    relative: Mapping[str, float]
    """Deviation of each measure from the person's usual, in their usual spreads."""
    activation: float
    """-1 (much calmer, slower, quieter than usual) .. 1 (much more activated)."""
    confidence: float
    """0..1: how far the activation can be trusted."""
    baseline_turns: int
    """Earlier turns the comparison rests on (0: nothing to compare with yet)."""
    baseline_scope: str
    """``user`` (earlier sessions of the person in ``hello``) or ``session`` (this one only)."""
    summary: str
    """What stands out, in plain words; empty when nothing does."""

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {
            "type": self.message_type.value,
            "turn": self.turn,
            "features": dict(self.features),
            "relative": dict(self.relative),
            "activation": self.activation,
            "confidence": self.confidence,
            "baseline_turns": self.baseline_turns,
            "baseline_scope": str(self.baseline_scope),
            "summary": self.summary,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly; numbers must be finite, activation in [-1, 1], confidence
        in [0, 1]."""
        f = Fields.for_message(d, cls.message_type)
        scope = f.string("baseline_scope")
        if scope not in set(BaselineScope):
            raise f.error("baseline_scope", "must be 'user' or 'session'")
        return cls(
            turn=f.integer("turn", min_value=0),
            features=f.optional_number_map("features"),
            relative=f.number_map("relative"),
            activation=f.number("activation", min_value=-1.0, max_value=1.0),
            confidence=f.number("confidence", min_value=0.0, max_value=1.0),
            baseline_turns=f.integer("baseline_turns", min_value=0),
            baseline_scope=scope,
            summary=f.string("summary"),
        )


@dataclass(frozen=True, slots=True)
class Safety:
    """The turn was met by a scripted safety reply, not the model (sent before it)."""

    message_type: ClassVar[MessageType] = MessageType.SAFETY
    turn: int
    level: str
    """``crisis`` or ``concern``."""
    category: str
    """What was recognised: suicide, self_harm, harm_to_others, abuse, ..."""
    resources: tuple[Mapping[str, str], ...]
    """Help to reach: ``{"name", "number", "kind"}`` each."""

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {
            "type": self.message_type.value,
            "turn": self.turn,
            "level": self.level,
            "category": self.category,
            "resources": [dict(r) for r in self.resources],
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly; ``level`` must be crisis or concern."""
        f = Fields.for_message(d, cls.message_type)
        level = f.string("level")
        if level not in ("crisis", "concern"):
            raise f.error("level", "must be 'crisis' or 'concern'")
        return cls(
            turn=f.integer("turn", min_value=0),
            level=level,
            category=f.string("category"),
            resources=tuple(f.string_map_list("resources")),
        )


@dataclass(frozen=True, slots=True)
class Summary:
    """The check-in's answers and the spoken summary (when the person stops, or at ``end``)."""

    message_type: ClassVar[MessageType] = MessageType.SUMMARY
    items: Mapping[str, float | str | None]
    """Each scripted item's answer: a 0-10 number, a choice, free text, or null (skipped)."""
    text: str
    safety: str | None = None
    """``crisis`` or ``concern`` when the session had one (flags it for a therapist)."""

    def to_json(self) -> dict[str, object]:
        """The wire dict (``safety`` only when set)."""
        out: dict[str, object] = {
            "type": self.message_type.value,
            "items": dict(self.items),
            "text": self.text,
        }
        if self.safety is not None:
            out["safety"] = self.safety
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        safety = f.optional_string("safety")
        if safety not in (None, "crisis", "concern"):
            raise f.error("safety", "must be crisis or concern")
        return cls(items=f.answer_map("items"), text=f.string("text"), safety=safety)


@dataclass(frozen=True, slots=True)
class Error:
    """A problem with a stable snake_case ``code`` and a plain, safe ``message``."""

    message_type: ClassVar[MessageType] = MessageType.ERROR
    code: str
    message: str

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value, "code": str(self.code), "message": self.message}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly; unknown codes are kept as plain strings."""
        f = Fields.for_message(d, cls.message_type)
        code = f.string("code")
        if not code:
            raise f.error("code", "must not be empty")
        return cls(code=code, message=f.string("message"))

    @classmethod
    def from_exception(cls, exc: VoiceError) -> Self:
        """The message for ``exc``: its stable code and its safe ``message`` attribute."""
        return cls(code=exc.code, message=exc.message)


@dataclass(frozen=True, slots=True)
class Stored:
    """The person's audio up to ``audio_ms`` into this connection's stream is durably stored
    (encrypted, committed and synced); ``turn`` is the turn going on then. Sent only while
    recordings are kept."""

    message_type: ClassVar[MessageType] = MessageType.STORED
    turn: int
    audio_ms: int

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value, "turn": self.turn, "audio_ms": self.audio_ms}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly."""
        f = Fields.for_message(d, cls.message_type)
        return cls(turn=f.integer("turn", min_value=0), audio_ms=f.integer("audio_ms", min_value=0))


@dataclass(frozen=True, slots=True)
class Pong:
    """Answer to ``ping``, sent at once with its ``id``. The server never pings by itself."""

    message_type: ClassVar[MessageType] = MessageType.PONG
    id: int

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value, "id": self.id}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly: ``id`` is a required integer in range."""
        f = Fields.for_message(d, cls.message_type)
        return cls(id=f.integer("id", min_value=0, max_value=MAX_PING_ID))


@dataclass(frozen=True, slots=True)
class Bye:
    """Answer to ``end``; the server closes the connection (1000) right after."""

    message_type: ClassVar[MessageType] = MessageType.BYE

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate (only the ``type``)."""
        Fields.for_message(d, cls.message_type)
        return cls()
