"""Chat model adapter for an OpenAI-compatible ``/chat/completions`` server (stdlib only)."""

from __future__ import annotations

import http.client
import json
import logging
import time
from collections.abc import Generator, Iterator, Sequence
from urllib.parse import urlsplit

from voice.dialogue.chat import ChatMessage
from voice.errors import ChatError, ConfigError

logger = logging.getLogger(__name__)

_HTTP_OK = 200
_MAX_LINE_BYTES = 1 << 20


class OpenAIChatModel:
    """A ``ChatModel`` that streams replies from a server such as llama-server or Ollama.

    ``base_url`` is the API root: ``http://host:8080`` (``/v1`` is then assumed) or one
    with a path such as ``http://host:11434/v1``; ``/chat/completions`` is appended.
    ``timeout_s`` bounds the connection and each wait for more of the reply.
    """

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "default",
        api_key: str | None = None,
        timeout_s: float = 60.0,
    ) -> None:
        try:
            parts = urlsplit(base_url)
            port = parts.port
        except ValueError as exc:
            raise ConfigError("--llm-url is not a valid URL") from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError("--llm-url must be an http:// or https:// URL with a host name")
        if parts.query or parts.fragment or parts.username or parts.password or " " in base_url:
            raise ConfigError("--llm-url must not contain credentials, a query or a fragment")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = port
        root = parts.path.rstrip("/") or "/v1"
        self._path = f"{root}/chat/completions"
        self._model = model
        self._api_key = api_key
        self._timeout_s = timeout_s

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float
    ) -> Generator[str, None, None]:
        """Yield text pieces of the reply; closing the iterator closes the connection."""
        if max_tokens < 1:
            raise ValueError("max_tokens must be at least 1")
        body = json.dumps(
            {
                "model": self._model,
                "messages": [{"role": m.role.value, "content": m.content} for m in messages],
                "stream": True,
                "max_tokens": max_tokens,
                "temperature": temperature,
            }
        ).encode()
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return self._generate(body, headers)

    def _generate(self, body: bytes, headers: dict[str, str]) -> Generator[str, None, None]:
        connection_type = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        connection = connection_type(self._host, self._port, timeout=self._timeout_s)
        response: http.client.HTTPResponse | None = None
        started = time.monotonic()
        try:
            try:
                connection.request("POST", self._path, body=body, headers=headers)
                response = connection.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                raise ChatError("cannot reach the language model server") from exc
            if response.status != _HTTP_OK:
                raise ChatError(f"the language model server answered HTTP {response.status}")
            pieces = 0
            for data in _sse_data(response):
                if data == "[DONE]":
                    break
                text, finished = _parse_chunk(data)
                if text:
                    pieces += 1
                    yield text
                if finished:
                    break
            else:
                raise ChatError("the language model server ended the reply early")
            logger.info(
                "llm reply streamed: pieces=%d total_ms=%.0f",
                pieces,
                (time.monotonic() - started) * 1000,
            )
        finally:
            # The response may own the socket (HTTP/1.0 or "Connection: close").
            if response is not None:
                response.close()
            connection.close()


def _sse_data(response: http.client.HTTPResponse) -> Iterator[str]:
    """Yield the data of each server-sent event; raise ``ChatError`` on failure."""
    data: list[str] = []
    while True:
        try:
            raw = response.readline(_MAX_LINE_BYTES)
        except (OSError, http.client.HTTPException) as exc:
            raise ChatError("the connection to the language model server failed") from exc
        if not raw:
            return
        if len(raw) == _MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise ChatError("the language model server sent a malformed event")
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise ChatError("the language model server sent a malformed event") from exc
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "data":
            data.append(value)
        elif field == "error":
            raise ChatError("the language model server reported an error")
        # Comments (":" lines), "event", "id" and "retry" carry nothing we need.


def _parse_chunk(data: str) -> tuple[str, bool]:
    """Return the text of one ``chat.completion.chunk`` and whether it ends the reply."""
    try:
        chunk = json.loads(data)
        if "error" in chunk:
            raise ChatError("the language model server reported an error")
        choices = chunk["choices"]
        if not choices:  # a usage-only chunk
            return "", False
        choice = choices[0]
        text = choice.get("delta", {}).get("content")
        finished = choice.get("finish_reason") is not None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ChatError("the language model server sent a malformed event") from exc
    if text is not None and not isinstance(text, str):
        raise ChatError("the language model server sent a malformed event")
    return text or "", finished
