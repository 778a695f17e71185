"""Messages a client sends: ``hello``, ``commit``, ``text``, ``end``, ``ping``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Self

from voice.protocol.consent import Consent
from voice.protocol.fields import Fields
from voice.protocol.spec import (
    MAX_ENDPOINT_SILENCE_MS,
    MAX_PING_ID,
    MAX_TEXT_CHARS,
    MAX_USER_ID_CHARS,
    MIN_ENDPOINT_SILENCE_MS,
    PROTOCOL_VERSION,
    AudioSpec,
    ErrorCode,
    MessageType,
    check_supported_audio,
    is_valid_user_id,
)


@dataclass(frozen=True, slots=True)
class Hello:
    """First client message: protocol version, input audio format, optional identity."""

    message_type: ClassVar[MessageType] = MessageType.HELLO
    protocol: int
    audio: AudioSpec
    token: str | None = None
    user: str | None = None
    endpoint_silence_ms: int | None = None
    checkin: bool | None = None
    """False: open conversation only, without the scripted check-in questions."""
    consent: Consent | None = None
    """A new standing choice of what may be kept (absent: the one in force holds)."""
    cues: bool | None = None
    """False: the person has not asked for voice notes, so the replies never mention how
    their voice sounds (``cues`` messages still come, for the client to keep or drop)."""

    def to_json(self) -> dict[str, object]:
        """The wire dict; absent optional fields are omitted."""
        out: dict[str, object] = {
            "type": self.message_type.value,
            "protocol": self.protocol,
            "audio": self.audio.to_json(),
        }
        if self.token is not None:
            out["token"] = self.token
        if self.user is not None:
            out["user"] = self.user
        if self.endpoint_silence_ms is not None:
            out["endpoint_silence_ms"] = self.endpoint_silence_ms
        if self.checkin is not None:
            out["checkin"] = self.checkin
        if self.consent is not None:
            out["consent"] = self.consent.to_json()
        if self.cues is not None:
            out["cues"] = self.cues
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly: version first, then audio shape and support, then options."""
        f = Fields.for_message(d, cls.message_type)
        if f.integer("protocol") != PROTOCOL_VERSION:
            raise f.error(
                "protocol", f"must be {PROTOCOL_VERSION}", code=ErrorCode.UNSUPPORTED_PROTOCOL.value
            )
        audio = AudioSpec.from_json(f.nested("audio"))
        check_supported_audio(audio)
        user = f.optional_string("user")
        if user is not None and not is_valid_user_id(user):
            raise f.error(
                "user",
                f"must be 1-{MAX_USER_ID_CHARS} ASCII letters, digits, '-', '_' or '.', "
                "starting with a letter or digit",
            )
        return cls(
            protocol=PROTOCOL_VERSION,
            audio=audio,
            token=f.optional_string("token"),
            user=user,
            endpoint_silence_ms=f.optional_integer(
                "endpoint_silence_ms",
                min_value=MIN_ENDPOINT_SILENCE_MS,
                max_value=MAX_ENDPOINT_SILENCE_MS,
            ),
            checkin=f.optional_boolean("checkin"),
            consent=Consent.read(c) if (c := f.optional_nested("consent")) else None,
            cues=f.optional_boolean("cues"),
        )


@dataclass(frozen=True, slots=True)
class Commit:
    """Client is done speaking: end the current turn now, without waiting for silence."""

    message_type: ClassVar[MessageType] = MessageType.COMMIT

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate (only the ``type``)."""
        Fields.for_message(d, cls.message_type)
        return cls()


@dataclass(frozen=True, slots=True)
class Text:
    """A typed user turn: non-blank, at most ``MAX_TEXT_CHARS`` characters, kept verbatim."""

    message_type: ClassVar[MessageType] = MessageType.TEXT
    text: str

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value, "text": self.text}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate: too long is ``too_large``, blank is ``bad_message``."""
        f = Fields.for_message(d, cls.message_type)
        text = f.string("text")
        if len(text) > MAX_TEXT_CHARS:
            raise f.error(
                "text",
                f"must be at most {MAX_TEXT_CHARS} characters",
                code=ErrorCode.TOO_LARGE.value,
            )
        if not text.strip():
            raise f.error("text", "must not be empty or only whitespace")
        return cls(text=text)


@dataclass(frozen=True, slots=True)
class End:
    """Client is finished; the server answers ``bye`` and closes."""

    message_type: ClassVar[MessageType] = MessageType.END

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate (only the ``type``)."""
        Fields.for_message(d, cls.message_type)
        return cls()


@dataclass(frozen=True, slots=True)
class Ping:
    """A heartbeat: the server answers ``pong`` with the same ``id`` at once. It is not the
    person's activity: it keeps no quiet session from its idle end."""

    message_type: ClassVar[MessageType] = MessageType.PING
    id: int
    """0 .. ``MAX_PING_ID``, chosen by the client (a counter, say) to match its pong."""

    def to_json(self) -> dict[str, object]:
        """The wire dict."""
        return {"type": self.message_type.value, "id": self.id}

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Self:
        """Validate strictly: ``id`` is a required integer in range."""
        f = Fields.for_message(d, cls.message_type)
        return cls(id=f.integer("id", min_value=0, max_value=MAX_PING_ID))
