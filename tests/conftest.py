"""Shared fixtures: the real models, loaded once per test session, and a real server."""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from paths import REPO, SHARED_DATA  # type: ignore[import-not-found]
from sound import SoundServer  # type: ignore[import-not-found]

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float
from voice.audio.resample import resample
from voice.engines.factory import model_path
from voice.engines.tts import PiperSynthesizer
from voice.engines.workers import Engines
from voice.server.state import Access, ConnectionLimits, ServerState
from voice.settings import Settings, from_sources

pytest_plugins = ["databases"]  # the SQLite and PostgreSQL fixtures


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests on the shared data sets run where they are; elsewhere (a fresh machine) they are
    deselected and the run says so: never skipped and counted."""
    if SHARED_DATA.is_dir():
        return
    needs_data = [item for item in items if item.get_closest_marker("shared_data")]
    if needs_data:
        config.hook.pytest_deselected(items=needs_data)
        items[:] = [item for item in items if item not in needs_data]


def pytest_report_header(config: pytest.Config) -> str:
    """Say where the shared data sets are looked for."""
    found = "found" if SHARED_DATA.is_dir() else "absent: its tests are deselected"
    return f"shared data: {SHARED_DATA} ({found})"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Real settings; models are cached in the checkout so runs after the first are quick."""
    cache = Path(os.environ.get("VOICE_CACHE_DIR", REPO / ".cache" / "voice"))
    return from_sources(
        {}, {"cache_dir": cache, "data_dir": tmp_path_factory.mktemp("data"), "max_sessions": 4}
    )


@pytest.fixture(scope="session")
def engines(settings: Settings) -> Iterator[Engines]:
    """Whisper, Piper and the language model, loaded once for the whole run."""
    from voice.engines.factory import build_engines

    built = build_engines(settings)
    yield built
    built.close()


@pytest.fixture(scope="session")
def embedded_chat_model(engines: Engines) -> object:
    """The embedded llama.cpp model the server uses."""
    return engines.chat


class ThreadedServer:
    """uvicorn on 127.0.0.1, port 0, in a background thread."""

    def __init__(
        self,
        engines: Engines,
        limits: ConnectionLimits,
        access: Access | None = None,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        from voice.server.app import create_app
        from voice.server.run import make_server

        app = create_app(lambda: engines, limits, access)
        self.state: ServerState = app.state.voice
        self.server = make_server(app, "127.0.0.1", 0, tls=tls)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def start(self) -> str:
        from voice.server.run import bound_port

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        app_state = self.state
        while app_state.engines is None:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not load its engines")
            time.sleep(0.02)
        return f"127.0.0.1:{bound_port(self.server)}"

    def stop(self) -> None:
        """End of the run: stop at once, without waiting for clients still connected."""
        self.server.should_exit = self.server.force_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def start_server(engines: Engines) -> Iterator[Callable[..., str]]:
    """Starts extra real servers (sharing the models) with other limits, or with other
    engines (e.g. a fake language model beside the real Whisper and Piper), accounts
    (``access``) or TLS (``tls``: certificate and key files); returns host:port."""
    servers: list[ThreadedServer] = []

    def start(
        limits: ConnectionLimits,
        other: Engines | None = None,
        *,
        access: Access | None = None,
        tls: tuple[Path, Path] | None = None,
    ) -> str:
        server = ThreadedServer(other or engines, limits, access, tls)
        servers.append(server)
        address = server.start()
        _STATES[address] = server.state
        return address

    yield start
    for server in servers:
        server.stop()


_STATES: dict[str, ServerState] = {}


@pytest.fixture(scope="session")
def server_state() -> Callable[[str], ServerState]:
    """``server_state("host:port")``: the live state of a server ``start_server`` started
    (its session slots, how many sessions it started)."""
    return _STATES.__getitem__


@pytest.fixture(scope="session")
def server_address(start_server: Callable[[ConnectionLimits], str]) -> str:
    """host:port of a real server with the real models and default limits, save one: its
    back-pressure only refuses when replies take a minute (it is shared by many tests, one
    after another, on machines slower than ours; back-pressure has its own server and
    test in test_bad_input)."""
    return start_server(ConnectionLimits(max_sessions=4, overload_ms=60_000.0))


@pytest.fixture(scope="session")
def ws_url(server_address: str) -> str:
    """The check-in websocket URL of the real server."""
    return f"ws://{server_address}/v1/checkin"


@pytest.fixture(scope="session")
def speak(settings: Settings) -> Callable[[str], bytes]:
    """Text to 16 kHz s16le speech with the bundled Piper voice (its text is the reference),
    steady: the same text is the same audio in every run, so a failure repeats."""
    voice = PiperSynthesizer(model_path(settings, "tts"), steady=True)

    @functools.cache
    def _speak(text: str) -> bytes:
        pcm = b"".join(voice.synthesize(text))
        samples = resample(pcm16_to_float(pcm), voice.sample_rate_hz, PIPELINE_RATE_HZ)
        return float_to_pcm16(samples)

    return _speak


@pytest.fixture(scope="session")
def sound_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoundServer]:
    """A real sound server (PulseAudio) with a null sink, for anything that plays sound."""
    server = SoundServer(tmp_path_factory.mktemp("sound"))
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()
