"""The JSON of OpenAI-style streamed chat completions: the request body and one reply event.

Pure: both chat adapters (``llm_openai`` over HTTP, ``llm_embedded`` in-process) build
their requests and read each ``chat.completion.chunk`` here, so they agree on the format.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from voice.dialogue.chat import ChatMessage
from voice.errors import ChatError

DONE = "[DONE]"
_MALFORMED = "the language model sent a malformed event"
_SAFE_TYPE = re.compile(r"[a-z_]{1,64}")


@dataclass(frozen=True, slots=True)
class Timings:
    """llama.cpp's speed report for one reply: token counts and rates, never content."""

    prompt_tokens: int
    cached_tokens: int
    prompt_ms: float
    tokens: int
    tokens_per_s: float


@dataclass(frozen=True, slots=True)
class Chunk:
    """One streamed event: a piece of reply text and whether it ends the reply."""

    text: str
    finished: bool
    timings: Timings | None = None


def request_body(
    messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float, **extra: object
) -> str:
    """The JSON body asking for a streamed reply; ``extra`` adds keys such as ``model``."""
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")
    return json.dumps(
        {
            "messages": [{"role": m.role.value, "content": m.content} for m in messages],
            "stream": True,
            "max_tokens": max_tokens,
            "temperature": temperature,
            **extra,
        }
    )


def parse_chunk(data: str) -> Chunk:
    """Read the data of one event; raise ``ChatError`` on an error event or malformed data.

    ``[DONE]`` ends the reply. Error messages may quote the prompt, so only an error's
    ``type`` is kept, and only when it looks like an identifier.
    """
    if data == DONE:
        return Chunk("", finished=True)
    try:
        event = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ChatError(_MALFORMED) from exc
    if not isinstance(event, dict):
        raise ChatError(_MALFORMED)
    if "error" in event:
        error = event["error"]
        kind = error.get("type") if isinstance(error, dict) else None
        safe = kind if isinstance(kind, str) and _SAFE_TYPE.fullmatch(kind) else "unknown"
        raise ChatError(f"the language model reported an error ({safe})")
    choices = event.get("choices")
    if not isinstance(choices, list):
        raise ChatError(_MALFORMED)
    timings = _timings(event.get("timings"))
    if not choices:  # a usage-only chunk
        return Chunk("", finished=False, timings=timings)
    choice = choices[0]
    delta = choice.get("delta", {}) if isinstance(choice, dict) else None
    if not isinstance(delta, dict):
        raise ChatError(_MALFORMED)
    text = delta.get("content")
    if text is not None and not isinstance(text, str):
        raise ChatError(_MALFORMED)
    return Chunk(text or "", finished=choice.get("finish_reason") is not None, timings=timings)


def _timings(value: object) -> Timings | None:
    """Read a ``timings`` object; None when there is none or it holds anything but numbers."""
    if not isinstance(value, dict) or not value:
        return None
    counts = [value.get(key, 0) for key in ("prompt_n", "cache_n", "predicted_n")]
    rates = [value.get(key, 0.0) for key in ("prompt_ms", "predicted_per_second")]
    if not all(type(count) is int for count in counts):
        return None
    if not all(type(rate) in (int, float) and math.isfinite(rate) for rate in rates):
        return None
    prompt_n, cache_n, predicted_n = counts
    prompt_ms, per_second = rates
    return Timings(prompt_n, cache_n, float(prompt_ms), predicted_n, float(per_second))
