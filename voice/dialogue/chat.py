"""The narrow protocol every language-model backend implements."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    """Who said a chat message."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a chat prompt."""

    role: Role
    content: str


class ChatModel(Protocol):
    """A chat model that streams a reply; blocking, so call it from a worker thread."""

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float
    ) -> Generator[str, None, None]:
        """Yield text pieces of the reply as they are generated.

        Raises ``ChatError`` when the backend fails. Closing the iterator early
        (``.close()``) must stop generation promptly.
        """
        ...
