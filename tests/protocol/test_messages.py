"""Protocol v1 messages: automatic round trips, every validation path, safe error text."""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from collections.abc import Callable
from pathlib import Path

import pytest

from voice.errors import ProtocolError
from voice.protocol import (
    CLIENT_MESSAGES,
    MAX_FRAME_BYTES,
    MAX_PING_ID,
    MAX_TEXT_CHARS,
    MESSAGES,
    PROTOCOL_VERSION,
    SERVER_MESSAGES,
    SUPPORTED_SAMPLE_RATES,
    AudioSpec,
    BaselineScope,
    Bye,
    Commit,
    Consent,
    ConsentInForce,
    Cues,
    Error,
    ErrorCode,
    Hello,
    Message,
    MessageType,
    Metrics,
    Ping,
    Pong,
    Ready,
    Reply,
    Text,
    Transcript,
    check_audio_frame,
    decode_client,
    decode_server,
    encode,
    is_valid_user_id,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
MIC = AudioSpec("pcm_s16le", 16000, 1)
LONG = "Q" * 5000  # never appears in an error message

# --- building a sample of every message class from its type hints ---------------

# Fields whose valid values are narrower than their type.
_FIELD_SAMPLES: dict[str, object] = {
    "protocol": PROTOCOL_VERSION,
    "audio": AudioSpec("pcm_s16le", 48000, 1),
    "tts_audio": AudioSpec("pcm_s16le", 22050, 1),
    "user": "alice.b-1_2",
    "endpoint_silence_ms": 5000,
    "sample_rate": 22050,
    "code": "too_large",
    "features": {"pitch_median_hz": 182.25, "pause_count": 2, "jitter_percent": None},
    "relative": {"intensity_mean_db": -2.5, "speaking_rate_words_per_second": 1},
    "activation": -0.375,
    "confidence": 0.5,
    "baseline_scope": "user",
    "items": {"mood": 6.0, "sleep": "okay", "energy": None},
    "level": "crisis",
    "safety": "concern",
    "category": "suicide",
    "resources": ({"name": "988 Lifeline", "number": "988", "kind": "call_or_text"},),
}


def _type_sample(hint: object, name: str, index: int, *, flip: bool) -> object:
    """A value of type ``hint`` that differs from field to field, so swaps are caught."""
    if hint is AudioSpec:
        return MIC
    if hint is Consent:
        return Consent(audio=not flip, transcript=flip, share=("dr-b", "dr.c"))
    if hint is ConsentInForce:
        return ConsentInForce(Consent(transcript=True), "2026-12-06", "2026-12-06T12:00:00Z")
    if hint is bool:
        return (index % 2 == 0) != flip
    if hint is int:
        return 7 + index
    if hint is float:
        return 12.5 + index
    if hint is str:
        return f'héllo "{name}"\n✓'
    raise AssertionError(f"no sample for field {name!r} of type {hint!r}; add one above")


def _sample_value(
    name: str, hint: object, index: int, *, fill_optional: bool, flip: bool
) -> object:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and type(None) in args:
        if not fill_optional:
            return None
        (hint,) = [arg for arg in args if arg is not type(None)]
    if name in _FIELD_SAMPLES:
        return _FIELD_SAMPLES[name]
    return _type_sample(hint, name, index, flip=flip)


def _samples(cls: type[Message]) -> list[Message]:
    """Distinct instances of ``cls``: optionals set or left out, booleans both ways."""
    hints = typing.get_type_hints(cls)
    found: list[Message] = []
    for fill_optional, flip in ((True, False), (True, True), (False, False)):
        values = {
            f.name: _sample_value(f.name, hints[f.name], i, fill_optional=fill_optional, flip=flip)
            for i, f in enumerate(dataclasses.fields(cls))
        }
        sample = cls(**values)  # type: ignore[arg-type]
        if sample not in found:
            found.append(sample)
    return found


ALL_SAMPLES = [sample for cls in MESSAGES.values() for sample in _samples(cls)]


def _id(sample: object) -> str:
    return repr(sample)[:60]


# --- registry and round trips --------------------------------------------------------


def test_every_type_has_exactly_one_class_on_one_side() -> None:
    assert set(CLIENT_MESSAGES).isdisjoint(SERVER_MESSAGES)
    assert set(MESSAGES) == set(MessageType)
    for message_type, cls in MESSAGES.items():
        assert cls.message_type is message_type


@pytest.mark.parametrize("msg", ALL_SAMPLES, ids=_id)
def test_round_trip(msg: Message) -> None:
    wire = msg.to_json()
    assert wire["type"] == msg.message_type.value
    assert type(wire["type"]) is str
    text = encode(msg)
    decode = decode_client if msg.message_type in CLIENT_MESSAGES else decode_server
    assert decode(text) == msg
    assert type(msg).from_json(json.loads(text)) == msg
    assert json.loads(text) == wire


@pytest.mark.parametrize("msg", ALL_SAMPLES, ids=_id)
def test_messages_are_frozen(msg: Message) -> None:
    assert dataclasses.is_dataclass(msg)
    assert not hasattr(msg, "__dict__")  # slots
    for f in dataclasses.fields(msg):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(msg, f.name, None)


def test_encode_is_compact_and_keeps_unicode() -> None:
    assert encode(Commit()) == '{"type":"commit"}'
    assert encode(Reply(turn=1, text="ça va", interrupted=False)) == (
        '{"type":"reply","turn":1,"text":"ça va","interrupted":false}'
    )


def test_encode_refuses_nan() -> None:
    with pytest.raises(ValueError):
        encode(Metrics(1, float("nan"), None, None, None))


def test_hello_omits_absent_options_and_metrics_keeps_nulls() -> None:
    assert Hello(1, MIC).to_json() == {
        "type": "hello",
        "protocol": 1,
        "audio": {"encoding": "pcm_s16le", "sample_rate": 16000, "channels": 1},
    }
    assert json.loads(encode(Metrics(2, None, 80.0, 45.5, None))) == {
        "type": "metrics",
        "turn": 2,
        "stt_ms": None,
        "llm_first_token_ms": 80.0,
        "tts_first_audio_ms": 45.5,
        "endpoint_to_first_audio_ms": None,
        "stt_wait_ms": None,
        "llm_wait_ms": None,
        "tts_wait_ms": None,
    }
    waits = Metrics(3, 120.0, 80.0, 45.5, 700.0, stt_wait_ms=2.5, llm_wait_ms=0.0, tts_wait_ms=9.0)
    assert decode_server(encode(waits)) == waits


def test_hello_carries_whether_the_person_wants_voice_notes() -> None:
    for cues in (True, False):
        wire = Hello(1, MIC, cues=cues).to_json()
        assert wire["cues"] is cues
        assert decode_client(json.dumps(wire)) == Hello(1, MIC, cues=cues)
    assert "cues" not in Hello(1, MIC).to_json()


def test_decodes_the_examples_from_the_brief() -> None:
    hello = decode_client(
        '{"type":"hello","protocol":1,"audio":'
        '{"encoding":"pcm_s16le","sample_rate":16000,"channels":1},'
        '"user":"maria_01","endpoint_silence_ms":900,"token":"t0k"}'
    )
    assert hello == Hello(1, MIC, token="t0k", user="maria_01", endpoint_silence_ms=900)
    assert decode_server('{"type":"transcript","turn":3,"final":true,"text":"fine"}') == (
        Transcript(turn=3, text="fine", final=True)
    )
    ready = decode_server(
        '{"type":"ready","protocol":1,"session_id":"s1","tts_audio":'
        '{"encoding":"pcm_s16le","sample_rate":22050,"channels":1}}'
    )
    assert ready == Ready("s1", AudioSpec("pcm_s16le", 22050, 1))


def test_cues_accept_integers_and_nulls_and_keep_the_scope() -> None:
    cues = decode_server(json.dumps(_CUES | {"activation": -1, "features": {"pause_count": 2}}))
    assert isinstance(cues, Cues)
    assert cues.activation == -1.0 and type(cues.activation) is float
    assert cues.features == {"pause_count": 2.0}
    assert cues.baseline_scope == BaselineScope.SESSION
    assert decode_server(encode(cues)) == cues


def test_metrics_accepts_integers_as_milliseconds() -> None:
    metrics = decode_server(
        '{"type":"metrics","turn":1,"stt_ms":120,"llm_first_token_ms":0,'
        '"tts_first_audio_ms":33.25,"endpoint_to_first_audio_ms":null}'
    )
    assert metrics == Metrics(1, 120.0, 0.0, 33.25, None)
    assert isinstance(metrics, Metrics)
    assert type(metrics.stt_ms) is float


def test_unknown_extra_fields_are_ignored() -> None:
    text = json.dumps({**Hello(1, MIC).to_json(), "future": {"x": [1, 2]}, "v2": True})
    assert decode_client(text) == Hello(1, MIC)
    assert decode_server('{"type":"bye","reason":"later"}') == Bye()


def test_optional_fields_may_be_null() -> None:
    wire = {**Hello(1, MIC).to_json(), "user": None, "token": None, "endpoint_silence_ms": None}
    assert decode_client(json.dumps(wire)) == Hello(1, MIC)


@pytest.mark.parametrize("rate", SUPPORTED_SAMPLE_RATES)
def test_hello_accepts_every_supported_rate(rate: int) -> None:
    hello = Hello(1, AudioSpec("pcm_s16le", rate, 1))
    assert decode_client(encode(hello)) == hello


@pytest.mark.parametrize("ms", [200, 201, 4999, 5000])
def test_endpoint_silence_bounds_are_inclusive(ms: int) -> None:
    hello = decode_client(encode(Hello(1, MIC, endpoint_silence_ms=ms)))
    assert isinstance(hello, Hello)
    assert hello.endpoint_silence_ms == ms


@pytest.mark.parametrize("user", ["a", "7", "x" * 64, "Maria.Lopez_2-b", "a..b", "a."])
def test_valid_user_ids(user: str) -> None:
    assert is_valid_user_id(user)
    assert decode_client(encode(Hello(1, MIC, user=user))) == Hello(1, MIC, user=user)


def test_text_at_the_limit_is_kept_verbatim() -> None:
    text = "  " + "a" * (MAX_TEXT_CHARS - 2)
    assert decode_client(encode(Text(text))) == Text(text)


def test_ping_and_pong_carry_the_same_id_on_the_wire() -> None:
    assert MAX_PING_ID == 2**31 - 1
    assert encode(Ping(7)) == '{"type":"ping","id":7}'
    assert encode(Pong(7)) == '{"type":"pong","id":7}'
    assert decode_client('{"type":"ping","id":7}') == Ping(7)
    assert decode_server('{"type":"pong","id":7}') == Pong(7)
    for edge in (0, MAX_PING_ID):
        assert decode_client(encode(Ping(edge))) == Ping(edge)
        assert decode_server(encode(Pong(edge))) == Pong(edge)


HELP_LINES = (
    {"name": "988 Suicide and Crisis Lifeline", "number": "988", "kind": "call_or_text"},
    {"name": "Emergency services", "number": "911", "kind": "call"},
)


def test_ready_carries_help_lines_only_when_there_are_some() -> None:
    with_lines = Ready("s1", MIC, resources=HELP_LINES)
    assert with_lines.to_json()["resources"] == [dict(line) for line in HELP_LINES]
    assert decode_server(encode(with_lines)) == with_lines
    assert "resources" not in Ready("s1", MIC).to_json()
    # Absent (an older server) and null both read as no lines.
    plain = {k: v for k, v in with_lines.to_json().items() if k != "resources"}
    assert decode_server(json.dumps(plain)) == Ready("s1", MIC)
    assert decode_server(json.dumps({**plain, "resources": None})) == Ready("s1", MIC)
    assert decode_server(json.dumps({**plain, "resources": []})) == Ready("s1", MIC)


@pytest.mark.parametrize("size", [0, 2, 3200, MAX_FRAME_BYTES])
def test_audio_frames_within_limits_pass(size: int) -> None:
    check_audio_frame(b"\x00" * size, MIC)


# --- every error path, with its code ---------------------------------------------------


def _hello(**changes: object) -> str:
    wire = Hello(1, MIC).to_json()
    wire.update(changes)
    return json.dumps({key: value for key, value in wire.items() if value is not ...})


def _hello_audio(**changes: object) -> str:
    audio = {**MIC.to_json(), **changes}
    return _hello(audio={key: value for key, value in audio.items() if value is not ...})


BAD_CLIENT: list[tuple[str, str, str]] = [
    # (case id, text frame, expected code)
    ("protocol 2", _hello(protocol=2), "unsupported_protocol"),
    ("cues string", _hello(cues="no"), "bad_message"),
    ("cues number", _hello(cues=0), "bad_message"),
    ("protocol 0", _hello(protocol=0), "unsupported_protocol"),
    ("protocol string", _hello(protocol="1"), "bad_message"),
    ("protocol bool", _hello(protocol=True), "bad_message"),
    ("protocol float", _hello(protocol=1.0), "bad_message"),
    ("protocol missing", _hello(protocol=...), "bad_message"),
    ("audio missing", _hello(audio=...), "bad_message"),
    ("audio not object", _hello(audio="pcm_s16le"), "bad_message"),
    ("audio array", _hello(audio=[16000]), "bad_message"),
    ("rate 44100", _hello_audio(sample_rate=44100), "unsupported_audio"),
    ("rate 22050", _hello_audio(sample_rate=22050), "unsupported_audio"),
    ("rate 0", _hello_audio(sample_rate=0), "bad_message"),
    ("rate string", _hello_audio(sample_rate="16000"), "bad_message"),
    ("rate float", _hello_audio(sample_rate=16000.0), "bad_message"),
    ("rate bool", _hello_audio(sample_rate=True), "bad_message"),
    ("rate missing", _hello_audio(sample_rate=...), "bad_message"),
    ("encoding opus", _hello_audio(encoding="opus"), "unsupported_audio"),
    ("encoding upper", _hello_audio(encoding="PCM_S16LE"), "unsupported_audio"),
    ("encoding number", _hello_audio(encoding=16), "bad_message"),
    ("channels 2", _hello_audio(channels=2), "unsupported_audio"),
    ("channels 0", _hello_audio(channels=0), "bad_message"),
    ("channels bool", _hello_audio(channels=True), "bad_message"),
    ("user empty", _hello(user=""), "bad_message"),
    ("user dot", _hello(user="."), "bad_message"),
    ("user dotdot", _hello(user=".."), "bad_message"),
    ("user traversal", _hello(user="../etc"), "bad_message"),
    ("user slash", _hello(user="a/b"), "bad_message"),
    ("user backslash", _hello(user="a\\b"), "bad_message"),
    ("user hidden", _hello(user=".ssh"), "bad_message"),
    ("user option", _hello(user="-rf"), "bad_message"),
    ("user space", _hello(user="a b"), "bad_message"),
    ("user newline", _hello(user="alice\n"), "bad_message"),
    ("user nul", _hello(user="a\x00"), "bad_message"),
    ("user non-ascii", _hello(user="zoë"), "bad_message"),
    ("user 65 chars", _hello(user="x" * 65), "bad_message"),
    ("user number", _hello(user=42), "bad_message"),
    ("token number", _hello(token=42), "bad_message"),
    ("silence 199", _hello(endpoint_silence_ms=199), "bad_message"),
    ("silence 5001", _hello(endpoint_silence_ms=5001), "bad_message"),
    ("silence negative", _hello(endpoint_silence_ms=-800), "bad_message"),
    ("silence bool", _hello(endpoint_silence_ms=True), "bad_message"),
    ("silence float", _hello(endpoint_silence_ms=800.5), "bad_message"),
    ("silence string", _hello(endpoint_silence_ms="800"), "bad_message"),
    ("invalid json", '{"type": "commit"', "bad_message"),
    ("empty string", "", "bad_message"),
    ("array", '[{"type": "commit"}]', "bad_message"),
    ("json string", '"commit"', "bad_message"),
    ("json number", "1", "bad_message"),
    ("json null", "null", "bad_message"),
    ("NaN constant", '{"type":"commit","x":NaN}', "bad_message"),
    ("Infinity constant", '{"type":"commit","x":-Infinity}', "bad_message"),
    ("deep nesting", '{"type":"commit","x":' + "[" * 30000 + "]" * 30000 + "}", "bad_message"),
    ("huge integer", '{"type":"hello","protocol":' + "9" * 5000 + "}", "bad_message"),
    ("missing type", '{"text": "hi"}', "bad_message"),
    ("type null", '{"type": null}', "bad_message"),
    ("type number", '{"type": 5}', "bad_message"),
    ("unknown type", '{"type": "dance"}', "bad_message"),
    ("type wrong case", '{"type": "Commit"}', "bad_message"),
    ("server type", '{"type": "bye"}', "bad_message"),
    ("text empty", '{"type": "text", "text": ""}', "bad_message"),
    ("text blank", '{"type": "text", "text": " \\n\\t "}', "bad_message"),
    ("text missing", '{"type": "text"}', "bad_message"),
    ("text number", '{"type": "text", "text": 5}', "bad_message"),
    ("ping no id", '{"type": "ping"}', "bad_message"),
    ("ping id null", '{"type": "ping", "id": null}', "bad_message"),
    ("ping id string", '{"type": "ping", "id": "7"}', "bad_message"),
    ("ping id float", '{"type": "ping", "id": 7.0}', "bad_message"),
    ("ping id bool", '{"type": "ping", "id": true}', "bad_message"),
    ("ping id list", '{"type": "ping", "id": [7]}', "bad_message"),
    ("ping id negative", '{"type": "ping", "id": -1}', "bad_message"),
    ("ping id 2**31", '{"type": "ping", "id": 2147483648}', "bad_message"),
    ("ping id huge", '{"type": "ping", "id": ' + "9" * 5000 + "}", "bad_message"),
    ("pong from a client", '{"type": "pong", "id": 7}', "bad_message"),
    ("text too long", json.dumps({"type": "text", "text": "a" * 2001}), "too_large"),
    ("frame chars", json.dumps({"type": "text", "text": "a" * MAX_FRAME_BYTES}), "too_large"),
    (
        "frame bytes",
        json.dumps({"type": "commit", "pad": "é" * 33000}, ensure_ascii=False),
        "too_large",
    ),
]


@pytest.mark.parametrize(
    ("text", "code"), [case[1:] for case in BAD_CLIENT], ids=[case[0] for case in BAD_CLIENT]
)
def test_decode_client_rejects(text: str, code: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode_client(text)
    assert caught.value.code == code
    assert code in set(ErrorCode)
    assert type(caught.value.code) is str  # plain, not an enum member
    assert caught.value.message == str(caught.value)
    assert len(caught.value.message) < 200


_CUES: dict[str, object] = {
    "type": "cues",
    "turn": 2,
    "features": {"hnr_db": 9.5, "jitter_percent": None},
    "relative": {"hnr_db": -1.25},
    "activation": -0.5,
    "confidence": 0.25,
    "baseline_turns": 4,
    "baseline_scope": "session",
    "summary": "",
}

BAD_SERVER: list[tuple[str, dict[str, object], str]] = [
    ("client type", {"type": "hello"}, "bad_message"),
    ("ping from the server", {"type": "ping", "id": 7}, "bad_message"),
    ("pong no id", {"type": "pong"}, "bad_message"),
    ("pong id string", {"type": "pong", "id": "7"}, "bad_message"),
    ("pong id bool", {"type": "pong", "id": False}, "bad_message"),
    ("pong id negative", {"type": "pong", "id": -7}, "bad_message"),
    ("pong id 2**31", {"type": "pong", "id": 2**31}, "bad_message"),
    ("ready resources object", {**Ready("s", MIC).to_json(), "resources": {}}, "bad_message"),
    ("ready resources strings", {**Ready("s", MIC).to_json(), "resources": ["988"]}, "bad_message"),
    (
        "ready resource number",
        {**Ready("s", MIC).to_json(), "resources": [{"name": "x", "number": 988}]},
        "bad_message",
    ),
    ("ready protocol 2", {**Ready("s", MIC).to_json(), "protocol": 2}, "unsupported_protocol"),
    ("ready empty session", {**Ready("s", MIC).to_json(), "session_id": ""}, "bad_message"),
    ("ready no tts_audio", {"type": "ready", "protocol": 1, "session_id": "s"}, "bad_message"),
    ("turn negative", {"type": "speech_started", "turn": -1, "at_ms": 0}, "bad_message"),
    ("turn bool", {"type": "speech_stopped", "turn": True, "at_ms": 0}, "bad_message"),
    ("at_ms float", {"type": "speech_stopped", "turn": 1, "at_ms": 1.5}, "bad_message"),
    ("final int", {"type": "transcript", "turn": 1, "text": "", "final": 1}, "bad_message"),
    ("final missing", {"type": "transcript", "turn": 1, "text": "hi"}, "bad_message"),
    ("delta no text", {"type": "reply_delta", "turn": 1}, "bad_message"),
    (
        "interrupted str",
        {"type": "reply", "turn": 1, "text": "", "interrupted": "no"},
        "bad_message",
    ),
    ("audio_end null", {"type": "audio_end", "turn": 1, "interrupted": None}, "bad_message"),
    ("audio_start rate 0", {"type": "audio_start", "turn": 1, "sample_rate": 0}, "bad_message"),
    (
        "metrics string",
        {**Metrics(1, None, None, None, None).to_json(), "stt_ms": "9"},
        "bad_message",
    ),
    (
        "metrics bool",
        {**Metrics(1, None, None, None, None).to_json(), "stt_ms": True},
        "bad_message",
    ),
    (
        "metrics negative",
        {**Metrics(1, None, None, None, None).to_json(), "stt_ms": -1},
        "bad_message",
    ),
    ("cues activation 1.5", {**_CUES, "activation": 1.5}, "bad_message"),
    ("cues confidence bool", {**_CUES, "confidence": True}, "bad_message"),
    ("cues confidence string", {**_CUES, "confidence": "0.5"}, "bad_message"),
    ("cues features list", {**_CUES, "features": [1.0]}, "bad_message"),
    ("cues feature string", {**_CUES, "features": {"hnr_db": "9"}}, "bad_message"),
    ("cues feature bool", {**_CUES, "features": {"pause_count": True}}, "bad_message"),
    ("cues relative null", {**_CUES, "relative": {"hnr_db": None}}, "bad_message"),
    ("cues relative huge int", {**_CUES, "relative": {"hnr_db": 10**400}}, "bad_message"),
    ("cues scope", {**_CUES, "baseline_scope": "everyone"}, "bad_message"),
    ("cues turns negative", {**_CUES, "baseline_turns": -1}, "bad_message"),
    ("cues no summary", {k: v for k, v in _CUES.items() if k != "summary"}, "bad_message"),
    ("error empty code", {"type": "error", "code": "", "message": "x"}, "bad_message"),
    ("error no message", {"type": "error", "code": "internal"}, "bad_message"),
    # Required on the wire though the dataclass has a default:
    ("reply no interrupted", {"type": "reply", "turn": 1, "text": ""}, "bad_message"),
    ("audio_end no interrupted", {"type": "audio_end", "turn": 1}, "bad_message"),
    (
        "ready no protocol",
        {k: v for k, v in Ready("s", MIC).to_json().items() if k != "protocol"},
        "bad_message",
    ),
    # The version is judged first, before any other field.
    ("ready protocol 200, no session", {"type": "ready", "protocol": 200}, "unsupported_protocol"),
]


@pytest.mark.parametrize(
    ("wire", "code"), [case[1:] for case in BAD_SERVER], ids=[case[0] for case in BAD_SERVER]
)
def test_decode_server_rejects(wire: dict[str, object], code: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode_server(json.dumps(wire))
    assert caught.value.code == code


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -0.5])
def test_metrics_from_json_rejects_non_finite_or_negative(value: float) -> None:
    with pytest.raises(ProtocolError, match="'tts_first_audio_ms'") as caught:
        Metrics.from_json({"type": "metrics", "turn": 1, "tts_first_audio_ms": value})
    assert caught.value.code == "bad_message"


def test_from_json_rejects_another_type() -> None:
    with pytest.raises(ProtocolError, match="'type'") as caught:
        Commit.from_json({"type": "end"})
    assert caught.value.code == "bad_message"


@pytest.mark.parametrize(
    ("size", "code"),
    [
        (MAX_FRAME_BYTES + 1, "too_large"),
        (10**6, "too_large"),
        (1, "bad_message"),
        (3201, "bad_message"),
    ],
)
def test_check_audio_frame_rejects(size: int, code: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        check_audio_frame(bytes(size), MIC)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (_hello(protocol=True), "'protocol'"),
        (_hello_audio(sample_rate="x"), "'audio.sample_rate'"),
        (_hello_audio(channels=2), "channels"),
        (_hello(user=".."), "'user'"),
        (_hello(endpoint_silence_ms=10), "'endpoint_silence_ms'"),
        ('{"type":"text","text":""}', "'text'"),
        ('{"type":"text"}', "'text'"),
        ('{"text":"hi"}', "'type'"),
        ('{"type":"ping","id":"7"}', "'id'"),
        ('{"type":"ping"}', "'id'"),
    ],
)
def test_error_messages_name_the_field(text: str, field: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode_client(text)
    assert field in caught.value.message


def test_short_plain_unknown_types_are_quoted_to_help_client_authors() -> None:
    with pytest.raises(ProtocolError, match="unknown message type 'dance'"):
        decode_client('{"type":"dance"}')
    with pytest.raises(ProtocolError, match="server only"):
        decode_client('{"type":"ready"}')


# --- error messages never carry the offending long input ------------------------------

ECHO_CASES: list[tuple[str, Callable[[], object]]] = [
    ("unknown type", lambda: decode_client(json.dumps({"type": LONG}))),
    ("type with markup", lambda: decode_client(json.dumps({"type": "<b>" + LONG}))),
    ("user", lambda: decode_client(_hello(user=LONG))),
    ("user path", lambda: decode_client(_hello(user="../" + LONG))),
    ("encoding", lambda: decode_client(_hello_audio(encoding=LONG))),
    ("rate as string", lambda: decode_client(_hello_audio(sample_rate=LONG))),
    ("protocol as string", lambda: decode_client(_hello(protocol=LONG))),
    ("huge protocol", lambda: decode_client(_hello(protocol=int("7" * 4000)))),
    ("silence as string", lambda: decode_client(_hello(endpoint_silence_ms=LONG))),
    ("token as list", lambda: decode_client(_hello(token=[LONG]))),
    ("text too long", lambda: decode_client(json.dumps({"type": "text", "text": LONG}))),
    ("text as object", lambda: decode_client(json.dumps({"type": "text", "text": {LONG: 1}}))),
    ("invalid json", lambda: decode_client('{"type":"text","text":"' + LONG)),
    ("trailing garbage", lambda: decode_client('{"type":"end"}' + LONG)),
    ("oversized", lambda: decode_client(json.dumps({"type": "text", "text": LONG * 20}))),
    (
        "server session",
        lambda: decode_server(json.dumps({**Ready("s", MIC).to_json(), "session_id": {LONG: 1}})),
    ),
    ("server code", lambda: decode_server(json.dumps({"type": "error", "code": [LONG]}))),
]


@pytest.mark.parametrize("call", [case[1] for case in ECHO_CASES], ids=[c[0] for c in ECHO_CASES])
def test_error_messages_do_not_echo_long_input(call: Callable[[], object]) -> None:
    with pytest.raises(ProtocolError) as caught:
        call()
    text = caught.value.message
    assert "QQQQ" not in text
    assert "7777" not in text
    assert "<b>" not in text
    assert len(text) < 200


# --- the documentation's examples are real messages ------------------------------------


def _doc_examples() -> list[str]:
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_docs_show_every_message_type() -> None:
    shown = {json.loads(line)["type"] for line in _doc_examples()}
    assert shown == set(MessageType)


@pytest.mark.parametrize("line", _doc_examples() if DOCS.exists() else [], ids=_id)
def test_docs_examples_decode(line: str) -> None:
    message_type = json.loads(line)["type"]
    decode = decode_client if message_type in CLIENT_MESSAGES else decode_server
    assert decode(line).to_json() == json.loads(line)


def test_error_from_exception_uses_code_and_safe_message() -> None:
    exc = ProtocolError("frame too big", code="too_large")
    assert Error.from_exception(exc) == Error(code="too_large", message="frame too big")
