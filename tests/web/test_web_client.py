"""The web client in Chromium, against the real server and models.

One browser for the module. Its fake microphone plays one WAV: 1.5 s of silence, then a
synthesised phrase, then silence. The file starts when a page opens the microphone, so
each test gets the whole recording again. The phrase lands in the middle of the spoken
greeting (about 3.4 s long, sent 0.5 s ahead of playback), so every spoken check-in starts
with a barge-in that the server sees too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from voice.audio.pcm import PIPELINE_RATE_HZ, write_wav
from voice.tools.measures import word_error_rate

pytestmark = pytest.mark.real_models

PHRASE = "I went for a long walk this morning, and it really helped my mood."
TYPED = "I had a good lunch with my sister."
LEAD_SECONDS = 1.5  # silence before the phrase (at least 0.3 s: the device starts on open)
TAIL_SECONDS = 2.0  # silence after it, more than the server's 800 ms endpoint
TTS_RATE_HZ = 22050
WAIT_MS = 90_000  # generous: other test runs may share the two CPU cores

Event = dict[str, Any]


@dataclass
class Phrase:
    """The fake microphone's recording."""

    wav: Path
    speech_seconds: float


@dataclass
class Tab:
    """A page of the client in its own browser context, and what went wrong in it."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def events(self) -> list[Event]:
        events: list[Event] = self.page.evaluate("voiceDebug.events")
        return events

    def rate_hz(self) -> int:
        rate: int = self.page.evaluate("voiceDebug.playback.sampleRateHz")
        return rate

    def words(self, testid: str, turn: int) -> str:
        item = self.page.locator(f'[data-testid="{testid}"][data-turn="{turn}"]')
        item.wait_for()
        text: str = item.locator(".words").inner_text()
        return text


def find(events: list[Event], after: int = -1, **match: object) -> int:
    """Index of the first event after ``after`` with all the given fields."""
    for i, event in enumerate(events):
        if i > after and all(event.get(k) == v for k, v in match.items()):
            return i
    raise AssertionError(f"no event {match} after #{after} in {events}")


@pytest.fixture(scope="module")
def phrase(speak: Callable[[str], bytes], tmp_path_factory: pytest.TempPathFactory) -> Phrase:
    speech = speak(PHRASE)
    silence = bytes(2 * int(PIPELINE_RATE_HZ * LEAD_SECONDS))
    tail = bytes(2 * int(PIPELINE_RATE_HZ * TAIL_SECONDS))
    wav = tmp_path_factory.mktemp("web-client") / "phrase.wav"
    write_wav(wav, silence + speech + tail, PIPELINE_RATE_HZ)
    return Phrase(wav, len(speech) / 2 / PIPELINE_RATE_HZ)


@pytest.fixture(scope="module")
def browser(launch: Callable[..., Any], phrase: Phrase) -> Any:
    return launch(phrase.wav)


@pytest.fixture
def tab(browser: Any, server_address: str) -> Iterator[Tab]:
    context = browser.new_context(
        permissions=["microphone"], viewport={"width": 1000, "height": 760}
    )
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    tab = Tab(page)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
    # Browser voice processing would reshape the fake microphone's signal; turn it off.
    page.goto(f"http://{server_address}/?voiceProcessing=0")
    yield tab
    context.close()


def test_spoken_check_in_with_barge_in_and_spoken_reply(
    tab: Tab,
    save_artifact: Callable[[str, bytes], Path],
    image_stats: Callable[[Any, bytes], dict[str, float]],
) -> None:
    page = tab.page
    page.get_by_test_id("start").click()

    # The phrase, transcribed, as the caption of turn 1: the microphone path works
    # (44.1 kHz stereo device -> worklet -> 16 kHz mono frames -> server).
    heard = tab.words("user-turn", 1)
    assert word_error_rate(PHRASE, heard) <= 0.25, heard
    reply = tab.words("assistant-turn", 1)
    assert len(reply.split()) >= 3, reply

    # Let the reply finish playing, then read the order of events and the tap.
    page.wait_for_function(
        """() => {
            const ev = voiceDebug.events;
            const i = ev.findIndex(e => e.dir === "in" && e.type === "audio_start" && e.turn === 1);
            return i >= 0 && ev.slice(i).some(e => e.type === "playback_drained");
        }"""
    )
    events = tab.events()
    rate = tab.rate_hz()
    received: dict[str, int] = page.evaluate("voiceDebug.receivedSamples")

    # Barge-in: the greeting was audibly playing when the person started to speak ...
    greeting = find(events, dir="in", type="audio_start", turn=0)
    playing = find(events, greeting, dir="page", type="playback_playing")
    speech = find(events, dir="in", type="speech_started", turn=1)
    assert greeting < playing < speech
    assert events[speech]["played"] / rate >= 0.3
    # ... the server cut it short, and the page dropped what it still had queued ...
    find(events, dir="in", type="audio_end", turn=0, interrupted=True)
    second = find(events, dir="in", type="audio_start", turn=1)
    dropped = [
        e["droppedFrames"] for e in events[playing:second] if e["type"] == "playback_stopped"
    ]
    assert sum(dropped) > 0.05 * rate, dropped
    assert events[second]["played"] < received["0"] / TTS_RATE_HZ * rate
    # ... and nothing more sounded until the reply to the new turn began.
    assert (events[second]["played"] - events[speech]["played"]) / rate < 0.1

    # Live captions came first: partial transcripts before the person stopped.
    partial = find(events, dir="in", type="transcript", turn=1, final=False)
    assert partial < find(events, dir="in", type="speech_stopped", turn=1)

    # The reply was played in full, with the energy of speech, through the audio graph.
    drained = find(events, second, dir="page", type="playback_drained")
    played_s = (events[drained]["played"] - events[second]["played"]) / rate
    sent_s = received["1"] / TTS_RATE_HZ
    assert sent_s >= 0.5
    assert sent_s - 0.1 <= played_s <= sent_s + 0.05, (played_s, sent_s)
    energy = events[drained]["energy"] - events[second]["energy"]
    rms = math.sqrt(energy / (played_s * rate))
    assert 0.02 < rms < 0.7, rms

    # One caption per final turn: greeting, person, reply.
    assert page.get_by_test_id("user-turn").count() == 1
    assert page.get_by_test_id("assistant-turn").count() == 2
    assert page.locator("[role=log][aria-live] > ol").get_by_test_id("user-turn").count() == 1

    # A screenshot at desktop and phone widths, looked at by the browser.
    for name, size in [("desktop", (1000, 760)), ("phone", (375, 740))]:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        png = page.screenshot()
        save_artifact(f"web-client-{name}.png", png)
        stats = image_stats(page, png)
        assert (stats["width"], stats["height"]) == size
        assert stats["std"] > 20 and stats["colours"] > 50, stats  # not blank
        assert 0.002 < stats["darkFraction"] < 0.5, stats  # text on a light page

    page.get_by_test_id("end").click()
    page.locator('[data-testid="status"][data-state="ended"]').wait_for()
    events = tab.events()
    assert find(events, dir="out", type="end") < find(events, dir="in", type="bye")
    assert tab.errors == []


def test_push_to_talk_then_typing(tab: Tab, phrase: Phrase) -> None:
    page = tab.page
    page.get_by_text("Options").click()
    page.get_by_label("Push to talk").check()
    page.get_by_test_id("start").click()
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()

    # Hold Space on the Talk button from before the phrase until just after it.
    mic_started = tab.events()[find(tab.events(), type="mic_started")]["t"]
    release_at = mic_started + 1000 * (LEAD_SECONDS + phrase.speech_seconds + 0.3)
    page.get_by_test_id("talk").focus()
    page.keyboard.down("Space")
    page.wait_for_function(f"() => performance.now() >= {release_at}")
    page.keyboard.up("Space")

    heard = tab.words("user-turn", 1)
    assert word_error_rate(PHRASE, heard) <= 0.25, heard
    events = tab.events()
    pressed = find(events, type="talk_pressed")
    started = find(events, dir="in", type="speech_started", turn=1)
    released = find(events, type="talk_released")
    commit = find(events, dir="out", type="commit")
    stopped = find(events, dir="in", type="speech_stopped", turn=1)
    # Releasing sent commit, which ended the turn (before the 800 ms silence would have).
    assert pressed < started < released < commit < stopped

    # Typing instead: Enter sends; the server echoes it as the next turn and answers it.
    box = page.get_by_test_id("text-input")
    box.fill(TYPED)
    box.press("Enter")
    assert tab.words("user-turn", 2) == TYPED
    assert box.input_value() == ""
    assert tab.words("assistant-turn", 2).strip()
    assert page.get_by_test_id("user-turn").count() == 2
    assert find(tab.events(), dir="out", type="text") > stopped
    assert tab.errors == []
