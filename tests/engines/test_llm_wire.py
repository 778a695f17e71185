"""The shared JSON of streamed chat completions: request bodies and reply events."""

from __future__ import annotations

import json
from typing import Any

import pytest

from voice.dialogue.chat import ChatMessage, Role
from voice.engines.llm_wire import Chunk, Timings, parse_chunk, request_body
from voice.errors import ChatError

SECRET = "pomegranate-7731"
MESSAGES = [ChatMessage(Role.SYSTEM, "Be brief."), ChatMessage(Role.USER, "Hi there")]


def _chunk(delta: Any = None, *, finish: str | None = None, **extra: Any) -> str:
    choice: dict[str, Any] = {"index": 0, "finish_reason": finish}
    if delta is not None:
        choice["delta"] = delta
    return json.dumps({"object": "chat.completion.chunk", "choices": [choice], **extra})


def test_the_body_asks_for_a_stream_with_the_messages_in_order() -> None:
    body = json.loads(request_body(MESSAGES, max_tokens=12, temperature=0.4))

    assert body == {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi there"},
        ],
        "stream": True,
        "max_tokens": 12,
        "temperature": 0.4,
    }


def test_the_body_takes_extra_keys() -> None:
    body = json.loads(
        request_body(MESSAGES, max_tokens=1, temperature=0.0, model="qwen", cache_prompt=True)
    )

    assert body["model"] == "qwen"
    assert body["cache_prompt"] is True
    assert body["max_tokens"] == 1


def test_the_body_needs_at_least_one_token() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        request_body(MESSAGES, max_tokens=0, temperature=0.0)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_chunk({"content": "Hello"}), Chunk("Hello", finished=False)),
        (_chunk({"role": "assistant", "content": None}), Chunk("", finished=False)),
        (_chunk({"role": "assistant"}), Chunk("", finished=False)),
        (_chunk({"content": "."}, finish="stop"), Chunk(".", finished=True)),
        (_chunk({}, finish="length"), Chunk("", finished=True)),
        (_chunk(finish="stop"), Chunk("", finished=True)),  # no delta at all
        ('{"choices": [], "usage": {"completion_tokens": 2}}', Chunk("", finished=False)),
        ("[DONE]", Chunk("", finished=True)),
    ],
)
def test_chunks_give_text_and_the_end(data: str, expected: Chunk) -> None:
    assert parse_chunk(data) == expected


def test_timings_are_read_as_numbers_only() -> None:
    timings = {
        "prompt_n": 31,
        "cache_n": 12,
        "prompt_ms": 80.5,
        "predicted_n": 9,
        "predicted_per_second": 21.25,
    }

    chunk = parse_chunk(_chunk({}, finish="stop", timings=timings))

    assert chunk == Chunk("", finished=True, timings=Timings(31, 12, 80.5, 9, 21.25))


@pytest.mark.parametrize(
    ("timings", "expected"),
    [
        ({}, None),
        ({"predicted_n": 4}, Timings(0, 0, 0.0, 4, 0.0)),
        ({"prompt_n": "31"}, None),
        ({"prompt_n": True}, None),
        ({"prompt_ms": float("nan")}, None),
        ([1, 2], None),
    ],
)
def test_odd_timings_are_left_out(timings: Any, expected: Timings | None) -> None:
    assert parse_chunk(_chunk({"content": "a"}, timings=timings)).timings == expected


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ({"type": "exceed_context_size_error", "message": SECRET}, "exceed_context_size_error"),
        ({"type": f"bad {SECRET}", "message": SECRET}, "unknown"),
        ({"type": "x" * 65}, "unknown"),
        ({"type": 7}, "unknown"),
        ({"message": SECRET}, "unknown"),
        (SECRET, "unknown"),
    ],
)
def test_an_error_keeps_only_a_safe_type(error: Any, kind: str) -> None:
    with pytest.raises(ChatError) as raised:
        parse_chunk(json.dumps({"error": error}))

    assert raised.value.message == f"the language model reported an error ({kind})"
    assert raised.value.code == "llm_failed"
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "{not json",
        f'"{SECRET}"',
        '["choices"]',
        "{}",
        '{"choices": null}',
        '{"choices": {"0": {}}}',
        '{"choices": ["text"]}',
        '{"choices": [{"delta": "text"}]}',
        '{"choices": [{"delta": {"content": 7}}]}',
        '{"choices": [{"delta": {"content": ["a"]}}]}',
        "[" * 100_000,
    ],
)
def test_malformed_data_is_a_chat_error(data: str) -> None:
    with pytest.raises(ChatError, match="malformed") as raised:
        parse_chunk(data)

    assert raised.value.code == "llm_failed"
    assert SECRET not in str(raised.value)
