"""TEMPORARY fixture for developing the LLM adapters; tests/conftest.py will replace it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from voice.dialogue.llm_embedded import LlamaChatModel


@pytest.fixture(scope="session")
def embedded_chat_model() -> Iterator[LlamaChatModel]:
    model = LlamaChatModel(Path("/tmp/qwen.gguf"))
    yield model
    model.close()
