"""Browser fixtures for the web client: Debian's Chromium driven by Playwright.

The microphone is Chromium's fake capture device playing a WAV. Permission to use it is
given per browser context (``permissions=["microphone"]``), so one browser can also show
what happens when it is refused.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from web_pages import WatchedTab  # type: ignore[import-not-found]

from voice.audio.pcm import PIPELINE_RATE_HZ, write_wav

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IMAGE_STATS_JS = Path(__file__).resolve().parent / "js" / "image_stats.js"

BASE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

Launch = Callable[..., Any]


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """A Playwright driver for the module."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run 'sudo apt-get install chromium'")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: run \".venv/bin/pip install -e '.[dev]'\"")
    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="module")
def launch(playwright: Any) -> Iterator[Launch]:
    """``launch(wav=None, *, loop=False, microphone=True, extra_args=())``: Debian's Chromium
    (never a downloaded one). With ``microphone`` it has a fake one that plays ``wav`` (once,
    from when the page opens the stream) or, without a WAV, beeps; without, it has none."""
    browsers: list[Any] = []

    def _launch(
        wav: Path | None = None,
        *,
        loop: bool = False,
        microphone: bool = True,
        extra_args: tuple[str, ...] = (),
    ) -> Any:
        args = [*BASE_ARGS, *extra_args]
        if microphone:
            args.append("--use-fake-device-for-media-stream")
            if wav is not None:
                args.append(f"--use-file-for-fake-audio-capture={wav}{'' if loop else '%noloop'}")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        browsers.append(browser)
        return browser

    yield _launch
    for browser in browsers:
        browser.close()


@pytest.fixture(scope="session")
def save_artifact() -> Callable[[str, bytes], Path]:
    """Keep a file for people to look at after the run (test-artifacts/ is gitignored)."""

    def _save(name: str, data: bytes) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        path.write_bytes(data)
        return path

    return _save


@pytest.fixture(scope="session")
def image_stats() -> Callable[[Any, bytes], dict[str, float]]:
    """``image_stats(page, png)``: decode a PNG in the browser (no imaging library needed)
    and measure it: size, mean and spread of luminance, share of dark pixels, colours."""

    def _stats(page: Any, png: bytes) -> dict[str, float]:
        url = "data:image/png;base64," + base64.b64encode(png).decode()
        stats: dict[str, float] = page.evaluate(IMAGE_STATS_JS.read_text(), url)
        return stats

    return _stats


WATCHED_WAIT_MS = 90_000  # generous: replies come from the real models on shared CPUs


@pytest.fixture(scope="module")
def silent_browser(launch: Launch, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Chromium whose fake microphone plays silence (the only turns are typed ones)."""
    wav = tmp_path_factory.mktemp("silent-mic") / "silence.wav"
    write_wav(wav, bytes(2 * PIPELINE_RATE_HZ * 2), PIPELINE_RATE_HZ)
    return launch(wav, loop=True)


@pytest.fixture
def open_watched(silent_browser: Any) -> Iterator[Callable[..., Any]]:
    """``open_watched(url, tab_class=WatchedTab, scripted=None)``: the page in a fresh
    context (empty localStorage); ``scripted`` answers its websocket instead of the server.
    Afterwards each tab must have had no script error, no CSP violation and no console
    error."""
    contexts: list[Any] = []
    tabs: list[WatchedTab] = []

    def _open(
        url: str,
        tab_class: type[WatchedTab] = WatchedTab,
        scripted: Callable[[Any], None] | None = None,
    ) -> WatchedTab:
        context = silent_browser.new_context(permissions=["microphone"])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WATCHED_WAIT_MS)
        tab = tab_class(page)
        tabs.append(tab)
        page.on("pageerror", lambda error: tab.errors.append(str(error)))
        page.on("console", lambda m: tab.console.append(f"{m.type}: {m.text}"))
        if scripted is not None:
            page.route_web_socket("**/v1/checkin", scripted)
        page.goto(url)
        return tab

    yield _open
    for context in contexts:
        context.close()
    for tab in tabs:
        assert tab.errors == [], tab.errors
        csp = [m for m in tab.console if "content security policy" in m.lower()]
        assert csp == [], csp
        assert [m for m in tab.console if m.startswith("error")] == [], tab.console
