"""The OpenAI-compatible HTTP adapter, against llama.cpp's real server and a scripted one."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import xllamacpp

from voice.dialogue.chat import ChatMessage, Role
from voice.engines.llm_embedded import LlamaChatModel
from voice.engines.llm_openai import OpenAIChatModel
from voice.errors import ChatError, ConfigError

SECRET = "pomegranate-7731"
API_KEY = "test-key"
QUESTION = [
    ChatMessage(Role.SYSTEM, "You are a concise assistant. Follow instructions exactly."),
    ChatMessage(Role.USER, "Reply with the single word 'banana' and nothing else."),
]


def _reply(model: OpenAIChatModel, *, max_tokens: int = 16) -> str:
    return "".join(model.stream(QUESTION, max_tokens=max_tokens, temperature=0.0))


# --- the real llama.cpp server, in-process on a free loopback port ------------------------


@pytest.fixture(scope="module")
def llama_server_url(embedded_chat_model: LlamaChatModel) -> Iterator[str]:
    params = xllamacpp.CommonParams()
    params.model.path = str(embedded_chat_model.model_path)
    params.n_ctx = 1024
    params.n_parallel = 1
    params.cpuparams.n_threads = 2
    params.cpuparams_batch.n_threads = 2
    params.verbosity = 0
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.api_keys = [API_KEY]
    params.ui = False
    server = xllamacpp.Server(params)
    yield str(server.listening_address)
    del server


@pytest.mark.real_models
@pytest.mark.parametrize("path", ["", "/v1", "/v1/"])
def test_real_server_answers(llama_server_url: str, path: str) -> None:
    model = OpenAIChatModel(llama_server_url + path, api_key=API_KEY)

    assert "banana" in _reply(model).lower()


@pytest.mark.real_models
def test_real_server_streams_pieces_and_stops_early(llama_server_url: str) -> None:
    model = OpenAIChatModel(llama_server_url, api_key=API_KEY)
    count = [ChatMessage(Role.USER, "Count from 1 to 300, separated by commas.")]

    stream = model.stream(count, max_tokens=600, temperature=0.0)
    pieces = [next(stream) for _ in range(4)]
    stream.close()

    assert "1" in "".join(pieces)
    assert "banana" in _reply(model).lower()


@pytest.mark.real_models
def test_real_server_wrong_key_is_a_chat_error(llama_server_url: str) -> None:
    model = OpenAIChatModel(llama_server_url, api_key="wrong")

    with pytest.raises(ChatError, match="401"):
        _reply(model)


@pytest.mark.real_models
def test_real_server_rejection_does_not_echo_the_prompt(llama_server_url: str) -> None:
    model = OpenAIChatModel(llama_server_url, api_key=API_KEY)
    too_long = [ChatMessage(Role.USER, f"{SECRET} " * 2000)]

    with pytest.raises(ChatError) as raised:
        "".join(model.stream(too_long, max_tokens=4, temperature=0.0))

    assert "400" in raised.value.message
    assert SECRET not in str(raised.value)


# --- a scripted server for the protocol's corners and failures ---------------------------


def _event(content: str | None = None, *, finish: str | None = None, role: bool = False) -> bytes:
    delta: dict[str, Any] = {"content": content}
    if role:
        delta["role"] = "assistant"
    chunk = {
        "object": "chat.completion.chunk",
        "choices": [{"delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(chunk)}\n\n".encode()


class _Handler(BaseHTTPRequestHandler):
    server: _ScriptedServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, dict(self.headers), body))
        route = self.path.split("/")[1]
        if route == "fail":
            self._send(500, f"internal error while handling {SECRET}".encode())
            return
        self._send_headers()
        try:
            self.server.routes[route](self)
        except (BrokenPipeError, ConnectionResetError):
            self.server.client_gone.set()

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_headers(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _ok(handler: _Handler) -> None:
    handler.wfile.write(b": keep-alive comment\r\n\r\n")
    handler.wfile.write(_event(None, role=True))
    handler.wfile.write(_event("Hello").replace(b"data: ", b"data:"))  # no space is valid too
    handler.wfile.write(_event(" there.").replace(b"\n", b"\r\n"))
    handler.wfile.write(b'data: {"choices": [], "usage": {"completion_tokens": 2}}\n\n')
    handler.wfile.write(_event(finish="stop"))
    handler.wfile.write(b"data: [DONE]\n\n")


def _garbage(handler: _Handler) -> None:
    handler.wfile.write(_event("Hi"))
    handler.wfile.write(b"data: {not json\n\n")


def _error(handler: _Handler) -> None:
    handler.wfile.write(_event("Hi"))
    handler.wfile.write(f'data: {{"error": {{"message": "{SECRET}"}}}}\n\n'.encode())


def _huge(handler: _Handler) -> None:
    # A valid event, but on a line longer than the client holds (1 MiB).
    handler.wfile.write(
        _event("Hi", finish="stop").replace(b"{", b'{"pad": "%s", ' % (b"x" * (1 << 20)), 1)
    )


def _binary(handler: _Handler) -> None:
    handler.wfile.write(_event("Hi", finish="stop").replace(b"Hi", b"H\xff"))


def _short(handler: _Handler) -> None:
    handler.wfile.write(_event("Hi"))


def _stall(handler: _Handler) -> None:
    handler.wfile.write(_event("Hi"))
    handler.wfile.flush()
    time.sleep(1.0)


def _endless(handler: _Handler) -> None:
    for i in range(500):
        handler.wfile.write(_event(f" {i}"))
        handler.wfile.flush()
        time.sleep(0.02)


class _ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.client_gone = threading.Event()
        self.routes: dict[str, Callable[[_Handler], None]] = {
            "v1": _ok,
            "ok": _ok,
            "garbage": _garbage,
            "error": _error,
            "huge": _huge,
            "binary": _binary,
            "short": _short,
            "stall": _stall,
            "endless": _endless,
        }

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up mid-reply is what some tests do on purpose

    def url(self, route: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{route}"


@pytest.fixture
def scripted() -> Iterator[_ScriptedServer]:
    server = _ScriptedServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_parses_the_event_stream(scripted: _ScriptedServer) -> None:
    model = OpenAIChatModel(scripted.url("/ok"), model="qwen", api_key="k-123")

    pieces = list(model.stream(QUESTION, max_tokens=7, temperature=0.3))

    assert pieces == ["Hello", " there."]
    path, headers, body = scripted.requests[0]
    assert path == "/ok/chat/completions"
    assert headers["Authorization"] == "Bearer k-123"
    assert body == {
        "model": "qwen",
        "messages": [{"role": m.role.value, "content": m.content} for m in QUESTION],
        "stream": True,
        "max_tokens": 7,
        "temperature": 0.3,
    }


def test_a_bare_host_gets_the_v1_path_and_no_key(scripted: _ScriptedServer) -> None:
    assert _reply(OpenAIChatModel(scripted.url(""))) == "Hello there."

    path, headers, _ = scripted.requests[0]
    assert path == "/v1/chat/completions"
    assert "Authorization" not in headers


@pytest.mark.parametrize("route", ["/fail", "/garbage", "/error", "/huge", "/binary", "/short"])
def test_failures_are_chat_errors_without_content(scripted: _ScriptedServer, route: str) -> None:
    model = OpenAIChatModel(scripted.url(route))

    with pytest.raises(ChatError) as raised:
        _reply(model)

    assert raised.value.code == "llm_failed"
    assert SECRET not in str(raised.value)
    assert QUESTION[1].content not in str(raised.value)


@pytest.mark.parametrize("route", ["/huge", "/binary"])
def test_overlong_or_undecodable_lines_are_malformed(scripted: _ScriptedServer, route: str) -> None:
    with pytest.raises(ChatError, match="malformed"):
        _reply(OpenAIChatModel(scripted.url(route)))


def test_http_status_is_named(scripted: _ScriptedServer) -> None:
    with pytest.raises(ChatError, match="HTTP 500"):
        _reply(OpenAIChatModel(scripted.url("/fail")))


def test_a_stalled_server_times_out(scripted: _ScriptedServer) -> None:
    stream = OpenAIChatModel(scripted.url("/stall"), timeout_s=0.3).stream(
        QUESTION, max_tokens=8, temperature=0.0
    )

    assert next(stream) == "Hi"
    with pytest.raises(ChatError):
        next(stream)


def test_closing_the_stream_closes_the_connection(scripted: _ScriptedServer) -> None:
    stream = OpenAIChatModel(scripted.url("/endless")).stream(
        QUESTION, max_tokens=8, temperature=0.0
    )
    assert next(stream) == " 0"

    stream.close()

    assert scripted.client_gone.wait(5.0)


def test_connection_refused_is_a_chat_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(ChatError, match="cannot reach"):
        _reply(OpenAIChatModel(f"http://127.0.0.1:{port}"))


@pytest.mark.parametrize(
    "url",
    [
        "",
        "localhost:8080",
        "ftp://127.0.0.1/v1",
        "http://",
        "http://127.0.0.1:99999",
        "http://user:pw@127.0.0.1",
        "http://127.0.0.1/v1?x=1",
        "http://127.0.0.1/my api",
    ],
)
def test_bad_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError, match="--llm-url") as raised:
        OpenAIChatModel(url)

    assert raised.value.code == "bad_config"
