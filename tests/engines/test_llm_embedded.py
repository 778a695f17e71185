"""The embedded llama.cpp chat model, run for real on the bundled GGUF model."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from voice.dialogue.chat import ChatMessage, Role
from voice.engines.llm_embedded import LlamaChatModel
from voice.errors import ChatError, ModelError

pytestmark = pytest.mark.real_models

SYSTEM = ChatMessage(Role.SYSTEM, "You are a concise assistant. Follow instructions exactly.")


def _ask(text: str) -> list[ChatMessage]:
    return [SYSTEM, ChatMessage(Role.USER, text)]


def _reply(model: LlamaChatModel, text: str, *, max_tokens: int = 16) -> str:
    return "".join(model.stream(_ask(text), max_tokens=max_tokens, temperature=0.0))


def _wait_idle(model: LlamaChatModel, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while model.active_streams and time.monotonic() < deadline:
        time.sleep(0.02)
    return model.active_streams == 0


def test_follows_a_one_word_instruction(embedded_chat_model: LlamaChatModel) -> None:
    reply = _reply(embedded_chat_model, "Reply with the single word 'banana' and nothing else.")

    assert "banana" in reply.lower()
    assert len(reply.split()) <= 3


def test_streams_several_pieces(embedded_chat_model: LlamaChatModel) -> None:
    pieces = list(
        embedded_chat_model.stream(
            _ask("List the days of the week, separated by commas."),
            max_tokens=24,
            temperature=0.0,
        )
    )

    assert len(pieces) > 5
    text = "".join(pieces)
    assert "Monday" in text and "Tuesday" in text


def test_two_threads_stream_concurrently(embedded_chat_model: LlamaChatModel) -> None:
    prompts = {
        "days": "List the days of the week, separated by commas.",
        "months": "List the first six months of the year, separated by commas.",
    }
    arrivals: dict[str, list[tuple[float, str]]] = {name: [] for name in prompts}
    start = threading.Barrier(len(prompts))

    def consume(name: str) -> None:
        start.wait()
        for piece in embedded_chat_model.stream(_ask(prompts[name]), max_tokens=30, temperature=0):
            arrivals[name].append((time.monotonic(), piece))

    threads = [threading.Thread(target=consume, args=(name,)) for name in prompts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    days = "".join(piece for _, piece in arrivals["days"])
    months = "".join(piece for _, piece in arrivals["months"])
    assert "Monday" in days and "Wednesday" in days
    assert "January" in months and "March" in months
    # Both replies were decoded together (two slots), not one after the other.
    assert arrivals["days"][0][0] < arrivals["months"][-1][0]
    assert arrivals["months"][0][0] < arrivals["days"][-1][0]


def test_closing_early_stops_generation(embedded_chat_model: LlamaChatModel) -> None:
    stream = embedded_chat_model.stream(
        _ask("Count from 1 to 300, separated by commas."), max_tokens=600, temperature=0.0
    )
    text = ""
    for piece in stream:
        text += piece
        if "3" in text:
            break
    started = time.monotonic()
    stream.close()

    assert time.monotonic() - started < 1.0
    # Generating all 600 tokens would take tens of seconds on a CPU.
    assert _wait_idle(embedded_chat_model, timeout_s=5.0)
    assert "1, 2" in text
    assert "banana" in _reply(embedded_chat_model, "Reply with the single word 'banana'.").lower()


def test_max_tokens_limits_the_reply(embedded_chat_model: LlamaChatModel) -> None:
    question = _ask("Count from 1 to 50, separated by commas.")
    short = list(embedded_chat_model.stream(question, max_tokens=4, temperature=0.0))
    long = "".join(embedded_chat_model.stream(question, max_tokens=40, temperature=0.0))

    assert 1 <= len(short) <= 4
    assert "10" not in "".join(short)
    assert "10" in long


def test_too_long_prompt_raises_chat_error(embedded_chat_model: LlamaChatModel) -> None:
    secret = "pomegranate"
    with pytest.raises(ChatError) as raised:
        _reply(embedded_chat_model, f"{secret} " * 6000)

    assert secret not in raised.value.message
    assert raised.value.code == "llm_failed"


def test_does_not_print_prompts(
    embedded_chat_model: LlamaChatModel, capfd: pytest.CaptureFixture[str]
) -> None:
    _reply(embedded_chat_model, "My secret word is zanzibar. Reply with 'ok'.", max_tokens=4)

    out, err = capfd.readouterr()
    assert "zanzibar" not in out + err


def test_stream_after_close_raises(embedded_chat_model: LlamaChatModel) -> None:
    model = LlamaChatModel(embedded_chat_model.model_path, n_ctx=512, n_parallel=1)
    model.close()

    with pytest.raises(ChatError):
        _reply(model, "Say hi.")


def test_missing_model_file_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        LlamaChatModel(tmp_path / "missing.gguf")
