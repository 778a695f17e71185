"""A scripted stand-in for the check-in server, for the web page's browser tests.

The page is served from voice/web/ by a plain static file server, and its websocket is
answered by the test through Playwright's websocket routing, so each test decides exactly
what the "server" says and when, and sees every byte the page sends. The fake microphone
plays a 440 Hz tone, so the audio the page sends can be checked against a known signal.
Import the fixtures (``static_url``, ``browser``, ``open_page``) into a test module to use
them.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voice.assets import WEB_DIR
from voice.audio.pcm import write_wav

CLIENT_DIR = WEB_DIR
SCRIPTS = Path(__file__).resolve().parent / "js"
TONE_HZ = 440
TONE_AMPLITUDE = 0.5
WAIT_MS = 20_000

Json = dict[str, Any]


class ScriptedServer:
    """Stands in for the server: records what the page sends on each connection."""

    def __init__(self) -> None:
        self.connections: list[Any] = []
        self.received: list[list[str | bytes]] = []

    def accept(self, route: Any) -> None:
        self.connections.append(route)
        inbox: list[str | bytes] = []
        self.received.append(inbox)

        def receive(message: str | bytes) -> None:
            inbox.append(message)

        route.on_message(receive)

    def messages(self, connection: int = -1) -> list[Json]:
        if not self.received:
            return []
        return [json.loads(m) for m in self.received[connection] if isinstance(m, str)]

    def frames(self, connection: int = -1) -> list[bytes]:
        return [m for m in self.received[connection] if isinstance(m, bytes)]

    def send(self, message: Json | bytes, connection: int = -1) -> None:
        payload = message if isinstance(message, bytes) else json.dumps(message)
        self.connections[connection].send(payload)

    def ready(self, connection: int = -1) -> None:
        self.send(
            {
                "type": "ready",
                "protocol": 1,
                "session_id": f"s{len(self.connections)}",
                "tts_audio": {"encoding": "pcm_s16le", "sample_rate": 22050, "channels": 1},
            },
            connection,
        )


def script(name: str) -> str:
    """A JavaScript function from js/, for ``page.evaluate``."""
    return (SCRIPTS / f"{name}.js").read_text()


def wait_until(page: Any, condition: Callable[[], bool], timeout_ms: int = WAIT_MS) -> None:
    """Poll a Python-side condition; Playwright delivers websocket callbacks while waiting."""
    waited = 0
    while not condition():
        if waited >= timeout_ms:
            raise AssertionError("timed out waiting for the page")
        page.wait_for_timeout(20)
        waited += 20


def tone(seconds: float, rate_hz: int, amplitude: float = TONE_AMPLITUDE) -> np.ndarray[Any, Any]:
    t = np.arange(round(seconds * rate_hz)) / rate_hz
    return amplitude * np.sin(2 * np.pi * TONE_HZ * t)


def pcm16(samples: np.ndarray[Any, Any]) -> bytes:
    return (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()


def frequency_hz(samples: np.ndarray[Any, Any], rate_hz: int) -> float:
    """The strongest frequency (resolution: 1 / duration)."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum)) * rate_hz / len(samples)


def events(page: Any) -> list[Json]:
    found: list[Json] = page.evaluate("voiceDebug.events")
    return found


@pytest.fixture(scope="module")
def static_url() -> Iterator[str]:
    """voice/web/ over plain HTTP, with no websocket behind it."""
    handler = functools.partial(QuietHandler, directory=str(CLIENT_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser(launch: Callable[..., Any], tmp_path_factory: pytest.TempPathFactory) -> Any:
    wav = tmp_path_factory.mktemp("scripted") / "tone.wav"
    # Longer than any test: the fake device leaves a short gap each time a file loops.
    write_wav(wav, pcm16(tone(10.0, 16000)), 16000)
    return launch(wav)


@pytest.fixture
def open_page(browser: Any, static_url: str) -> Iterator[Callable[..., tuple[Any, ScriptedServer]]]:
    """``open_page(query="?voiceProcessing=0", microphone=True, scripted=True, setup=None,
    url=None, **context)``; ``setup(page)`` runs before the page loads (to install a fake
    clock), ``url`` replaces the static server's."""
    contexts: list[Any] = []
    errors: list[str] = []

    def _open(
        query: str = "?voiceProcessing=0",
        *,
        microphone: bool = True,
        scripted: bool = True,
        setup: Callable[[Any], None] | None = None,
        url: str | None = None,
        **context_options: Any,
    ) -> tuple[Any, ScriptedServer]:
        context = browser.new_context(
            permissions=["microphone"] if microphone else [], **context_options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.on("pageerror", lambda error: errors.append(str(error)))
        server = ScriptedServer()
        if scripted:
            page.route_web_socket("**/v1/checkin", server.accept)
        if setup is not None:
            setup(page)
        page.goto((url or static_url) + query)
        return page, server

    yield _open
    for context in contexts:
        context.close()
    assert errors == [], errors


def start(page: Any, server: ScriptedServer) -> None:
    """Press Start, answer hello with ready, wait until the page says it is connected."""
    before = len(server.connections)
    page.get_by_test_id("start").click()
    wait_until(page, lambda: len(server.connections) > before and bool(server.messages()))
    server.ready()
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
