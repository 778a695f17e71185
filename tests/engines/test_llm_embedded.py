"""The embedded llama.cpp chat model, run for real on the bundled GGUF model."""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

import pytest

from voice.dialogue.chat import ChatMessage, Role
from voice.engines.factory import PRIMING
from voice.engines.llm_embedded import LlamaChatModel
from voice.engines.workers import Engines
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


def _cached_tokens(records: list[logging.LogRecord]) -> list[int]:
    """The cached prompt tokens of each reply, from the model's speed report."""
    found = [re.search(r"cached_tokens=(\d+)", r.getMessage()) for r in records]
    return [int(m[1]) for m in found if m]


def test_the_primed_prompt_is_saved_once_and_restored_into_every_slot(
    embedded_chat_model: LlamaChatModel, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    slots = tmp_path / "slots"
    model = LlamaChatModel(embedded_chat_model.model_path, n_ctx=512, n_parallel=2, slot_dir=slots)
    prompt = _ask("Hello.")
    saved = model.state_file(prompt)
    try:
        assert saved is not None and saved.parent == slots
        assert model.prime(prompt) == "primed"  # computed on one slot, copied to the other
        assert saved.stat().st_size > 100_000  # the keys and values of the prompt's tokens
        assert [p.name for p in slots.iterdir()] == [saved.name]  # no partial file left
        # Both slots now hold the prompt: two replies at once each find it cached.
        caplog.set_level(logging.INFO, logger="voice.engines.llm_embedded")
        replies = [
            threading.Thread(target=lambda: _reply(model, "Hello.", max_tokens=2)) for _ in range(2)
        ]
        for thread in replies:
            thread.start()
        for thread in replies:
            thread.join(60)
        cached = _cached_tokens(caplog.records)
        assert len(cached) == 2 and min(cached) >= 10, cached
        # The next start finds the state and copies it in, computing nothing.
        assert model.prime(prompt) == "restored"
        # A state that cannot be read (a torn write, another build) is computed again.
        saved.write_bytes(b"not a slot state")
        assert model.prime(prompt) == "primed"
        assert saved.stat().st_size > 100_000
        assert model.prime(prompt) == "restored"
        assert "Monday" in _reply(model, "Name the day after Sunday, one word.", max_tokens=4)
    finally:
        model.close()


def test_the_server_start_primed_its_slots_from_a_saved_state(engines: Engines) -> None:
    assert engines.warm.wait(180), "the slots were not primed"
    chat = engines.chat
    assert isinstance(chat, LlamaChatModel)
    saved = chat.state_file(PRIMING)
    assert saved is not None and saved.is_file() and saved.stat().st_size > 1_000_000


def test_a_conversation_whose_oldest_exchanges_left_is_read_from_the_cache(
    embedded_chat_model: LlamaChatModel, caplog: pytest.LogCaptureFixture
) -> None:
    """Earlier exchanges leave the prompt six at a time (``history_window``); llama.cpp
    then finds the rest of the conversation in its cache, moved (``n_cache_reuse``), and
    reads only what is new, not the whole conversation again."""
    exchanges = [
        (
            f"On day {i} I walked the dog along the river and then cooked a stew for dinner.",
            f"Day {i} sounds steady: a walk by the river and a warm stew at the end of it.",
        )
        for i in range(9)
    ]

    def prompt(first: int, last: str) -> list[ChatMessage]:
        messages = [SYSTEM]
        for said, answered in exchanges[first:]:
            messages += [ChatMessage(Role.USER, said), ChatMessage(Role.ASSISTANT, answered)]
        return [*messages, ChatMessage(Role.USER, last)]

    def reads(messages: list[ChatMessage]) -> tuple[int, int]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="voice.engines.llm_embedded"):
            list(embedded_chat_model.stream(messages, max_tokens=2, temperature=0.0))
        (line,) = [r.getMessage() for r in caplog.records if "prompt_tokens=" in r.getMessage()]
        found = re.search(r"prompt_tokens=(\d+) cached_tokens=(\d+)", line)
        assert found is not None
        return int(found.group(1)), int(found.group(2))

    whole, _ = reads(prompt(0, "And today was quiet."))
    read, cached = reads(prompt(6, "And today was quiet."))  # six exchanges left
    assert whole > 300
    assert read < 60 and cached > 100, (read, cached)  # the three kept exchanges were reused
