"""Protocol v1 wire messages: the registries, strict decoding and compact encoding.

Text frames carry one JSON object with a ``type``; binary frames carry PCM audio (see
``check_audio_frame``). Each message class has ``to_json()`` (the wire dict) and
``from_json()`` (strict validation raising ``ProtocolError``); decoding never echoes a
received value back in an error message.

To add a message: add a ``MessageType`` member, write the frozen dataclass next to its
siblings in ``client_messages``, ``server_messages`` or ``reply_messages``, and list it in
``_CLIENT_CLASSES`` or ``_SERVER_CLASSES`` below; the round-trip tests find it there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TypeAlias

from voice.errors import ProtocolError
from voice.protocol.client_messages import Commit, End, Hello, Ping, Text
from voice.protocol.reply_messages import (
    AudioEnd,
    AudioStart,
    Metrics,
    Reply,
    ReplyDelta,
)
from voice.protocol.server_messages import (
    Bye,
    Cues,
    Error,
    Pong,
    Ready,
    Safety,
    SpeechStarted,
    SpeechStopped,
    Stored,
    Summary,
    Transcript,
)
from voice.protocol.spec import (
    HELLO_TIMEOUT_SECONDS,
    MAX_ENDPOINT_SILENCE_MS,
    MAX_FRAME_BYTES,
    MAX_PING_ID,
    MAX_TEXT_CHARS,
    MAX_USER_ID_CHARS,
    MIN_ENDPOINT_SILENCE_MS,
    PROTOCOL_VERSION,
    SUPPORTED_SAMPLE_RATES,
    WEBSOCKET_PATH,
    AudioEncoding,
    AudioSpec,
    BaselineScope,
    ErrorCode,
    MessageType,
    check_audio_frame,
    check_supported_audio,
    is_valid_user_id,
)

__all__ = [
    "CLIENT_MESSAGES",
    "HELLO_TIMEOUT_SECONDS",
    "MAX_ENDPOINT_SILENCE_MS",
    "MAX_FRAME_BYTES",
    "MAX_PING_ID",
    "MAX_TEXT_CHARS",
    "MAX_USER_ID_CHARS",
    "MESSAGES",
    "MIN_ENDPOINT_SILENCE_MS",
    "PROTOCOL_VERSION",
    "SERVER_MESSAGES",
    "SUPPORTED_SAMPLE_RATES",
    "WEBSOCKET_PATH",
    "AudioEncoding",
    "AudioEnd",
    "AudioSpec",
    "AudioStart",
    "BaselineScope",
    "Bye",
    "ClientMessage",
    "Commit",
    "Cues",
    "End",
    "Error",
    "ErrorCode",
    "Hello",
    "Message",
    "MessageType",
    "Metrics",
    "Ping",
    "Pong",
    "Ready",
    "Reply",
    "ReplyDelta",
    "Safety",
    "ServerMessage",
    "SpeechStarted",
    "SpeechStopped",
    "Stored",
    "Summary",
    "Text",
    "Transcript",
    "check_audio_frame",
    "check_supported_audio",
    "decode_client",
    "decode_server",
    "encode",
    "is_valid_user_id",
]

ClientMessage: TypeAlias = Hello | Commit | Text | End | Ping
"""Any message a client may send."""

ServerMessage: TypeAlias = (
    Ready
    | SpeechStarted
    | SpeechStopped
    | Transcript
    | Cues
    | Safety
    | Summary
    | ReplyDelta
    | Reply
    | AudioStart
    | AudioEnd
    | Metrics
    | Error
    | Bye
    | Stored
    | Pong
)
"""Any message the server may send."""

Message: TypeAlias = ClientMessage | ServerMessage
"""Any protocol v1 text message."""

_CLIENT_CLASSES: tuple[type[ClientMessage], ...] = (Hello, Commit, Text, End, Ping)
_SERVER_CLASSES: tuple[type[ServerMessage], ...] = (
    Ready,
    SpeechStarted,
    SpeechStopped,
    Transcript,
    Cues,
    Safety,
    Summary,
    ReplyDelta,
    Reply,
    AudioStart,
    AudioEnd,
    Metrics,
    Error,
    Bye,
    Stored,
    Pong,
)

CLIENT_MESSAGES: Final[Mapping[MessageType, type[ClientMessage]]] = MappingProxyType(
    {cls.message_type: cls for cls in _CLIENT_CLASSES}
)
"""Client message class by ``type``."""

SERVER_MESSAGES: Final[Mapping[MessageType, type[ServerMessage]]] = MappingProxyType(
    {cls.message_type: cls for cls in _SERVER_CLASSES}
)
"""Server message class by ``type``."""

MESSAGES: Final[Mapping[MessageType, type[Message]]] = MappingProxyType(
    {**CLIENT_MESSAGES, **SERVER_MESSAGES}
)
"""Every message class by ``type``."""

# A type string short and plain enough to quote back in an error message.
_QUOTABLE_TYPE = re.compile(r"[a-z0-9_]{1,32}")


def encode(msg: Message) -> str:
    """Compact JSON text for one message (UTF-8 on the wire; NaN is refused)."""
    return json.dumps(msg.to_json(), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def decode_client(text: str) -> ClientMessage:
    """Parse one client text frame; raise ``ProtocolError`` if it is not a valid message."""
    data, message_type = _parse(text)
    cls = CLIENT_MESSAGES.get(message_type)
    if cls is None:
        raise ProtocolError(f"message type '{message_type}' is sent by the server only")
    return cls.from_json(data)


def decode_server(text: str) -> ServerMessage:
    """Parse one server text frame; raise ``ProtocolError`` if it is not a valid message."""
    data, message_type = _parse(text)
    cls = SERVER_MESSAGES.get(message_type)
    if cls is None:
        raise ProtocolError(f"message type '{message_type}' is sent by clients only")
    return cls.from_json(data)


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _has_lone_surrogate(value: object) -> bool:
    """True when any string (key or value) in ``value`` holds an unpaired surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _parse(text: str) -> tuple[Mapping[str, object], MessageType]:
    # len() counts characters, each at least one byte, so the cheap test goes first.
    if len(text) > MAX_FRAME_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise ProtocolError(
            f"message is larger than {MAX_FRAME_BYTES} bytes", code=ErrorCode.TOO_LARGE.value
        )
    try:
        data: object = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError, NaN/Infinity and over-long integers;
        # RecursionError covers absurdly nested arrays.
        raise ProtocolError("message is not valid JSON") from None
    if not isinstance(data, dict):
        raise ProtocolError("message must be a JSON object")
    if _has_lone_surrogate(data):
        # JSON's \ud800 escapes decode to text that is not valid UTF-8 and cannot be sent on.
        raise ProtocolError("message has text that is not valid UTF-8 (an unpaired surrogate)")
    if "type" not in data:
        raise ProtocolError("missing field 'type'")
    type_name = data["type"]
    if not isinstance(type_name, str):
        raise ProtocolError("field 'type' must be a string")
    try:
        return data, MessageType(type_name)
    except ValueError:
        if _QUOTABLE_TYPE.fullmatch(type_name):
            raise ProtocolError(f"unknown message type '{type_name}'") from None
        raise ProtocolError("unknown message type") from None
