"""Chat model adapter for an OpenAI-compatible ``/chat/completions`` server, over httpx."""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

import httpx

from voice.dialogue.chat import ChatMessage
from voice.engines.llm_wire import parse_chunk, request_body
from voice.errors import ChatError, ConfigError

logger = logging.getLogger(__name__)

_HTTP_OK = 200
_MAX_LINE_BYTES = 1 << 20
_MALFORMED = "the language model server sent a malformed event"


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
            _ = parts.port  # raises on a port that is not a number from 0 to 65535
        except ValueError as exc:
            raise ConfigError("--llm-url is not a valid URL") from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError("--llm-url must be an http:// or https:// URL with a host name")
        if parts.query or parts.fragment or parts.username or parts.password or " " in base_url:
            raise ConfigError("--llm-url must not contain credentials, a query or a fragment")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        root = parts.path.rstrip("/") or "/v1"
        try:
            self._url = httpx.URL(f"{parts.scheme}://{parts.netloc}{root}/chat/completions")
        except httpx.InvalidURL as exc:
            raise ConfigError("--llm-url is not a valid URL") from exc
        self._model = model
        self._api_key = api_key
        self._timeout_s = timeout_s
        # The system's trust store, loaded once: each reply opens a new client, and httpx
        # would otherwise load certificates for each one (tens of ms), even for http://.
        self._ssl_context = ssl.create_default_context()

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float
    ) -> Generator[str, None, None]:
        """Yield text pieces of the reply; closing the iterator closes the connection."""
        body = request_body(
            messages, max_tokens=max_tokens, temperature=temperature, model=self._model
        )
        headers = {
            "Content-Type": "application/json",
            "Accept": "text/event-stream",
            # A compressing server may hold tokens back to fill a block.
            "Accept-Encoding": "identity",
        }
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return self._generate(body, headers)

    def _generate(self, body: str, headers: dict[str, str]) -> Generator[str, None, None]:
        started = time.monotonic()
        pieces = 0
        # trust_env=False: no proxy variables or .netrc; the URL alone says where to go.
        with httpx.Client(
            timeout=self._timeout_s, verify=self._ssl_context, trust_env=False
        ) as client:
            try:
                with client.stream("POST", self._url, content=body, headers=headers) as response:
                    if response.status_code != _HTTP_OK:
                        raise ChatError(
                            f"the language model server answered HTTP {response.status_code}"
                        )
                    for data in _event_data(_lines(response)):
                        chunk = parse_chunk(data)
                        if chunk.text:
                            pieces += 1
                            yield chunk.text
                        if chunk.finished:
                            break
                    else:
                        raise ChatError("the language model server ended the reply early")
            except httpx.HTTPError as exc:  # sending or the headers; _lines reports the rest
                raise ChatError("cannot reach the language model server") from exc
        logger.info(
            "llm reply streamed: pieces=%d total_ms=%.0f",
            pieces,
            (time.monotonic() - started) * 1000,
        )


def _lines(response: httpx.Response) -> Iterator[bytes]:
    """Yield the body's lines, ending at the last newline; raise ``ChatError`` on failure."""
    pending = b""
    try:
        for received in response.iter_bytes():
            *lines, pending = (pending + received).split(b"\n")
            if len(pending) > _MAX_LINE_BYTES or any(len(x) > _MAX_LINE_BYTES for x in lines):
                raise ChatError(_MALFORMED)
            yield from lines
    except httpx.HTTPError as exc:
        raise ChatError("the connection to the language model server failed") from exc


def _event_data(lines: Iterable[bytes]) -> Iterator[str]:
    """Yield the data of each server-sent event; an unfinished last event is dropped."""
    data: list[str] = []
    for raw in lines:
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            raise ChatError(_MALFORMED) from exc
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
