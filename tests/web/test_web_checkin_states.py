"""The check-in page for a person on a hard day, in Chromium against a scripted server:
help at hand at any time, no stuck states, a link that recovers, controls people expect,
honest messages, and an accessibility check (axe-core) in every state.

The page's state machine itself is tested without a browser (js/state.test.mjs); these
tests show the page drawing it and carrying it out.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from web.a11y import axe_violations, describe_violations  # type: ignore[import-not-found]
from web.scripted import (  # type: ignore[import-not-found]
    CLIENT_DIR,
    TONE_AMPLITUDE,
    QuietHandler,
    ScriptedServer,
    browser,
    events,
    open_page,
    pcm16,
    start,
    static_url,
    tone,
    wait_until,
)

__all__ = ["browser", "open_page", "static_url"]  # fixtures, used by name

LINES = [
    {"name": "Samaritans", "number": "116 123", "kind": "call"},
    {"name": "Shout", "number": "85258", "kind": "text"},
]
READY_WITH_LINES = {
    "type": "ready",
    "protocol": 1,
    "session_id": "s1",
    "tts_audio": {"encoding": "pcm_s16le", "sample_rate": 22050, "channels": 1},
    "resources": LINES,
}
Page = Any


def ready_with_lines(page: Page, server: ScriptedServer) -> None:
    """Start, and answer hello with a ready that carries the help lines."""
    page.get_by_test_id("start").click()
    wait_until(page, lambda: bool(server.connections) and bool(server.messages()))
    server.send(READY_WITH_LINES)
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()


def activity(page: Page) -> str:
    text: str = page.get_by_test_id("activity").inner_text()
    return text


def assert_accessible(page: Page, state: str) -> None:
    found = axe_violations(page)
    assert found == [], f"{state}: {describe_violations(found)}"


def level(frames: list[bytes]) -> float:
    """RMS of 16-bit frames, 0 to 1."""
    if not frames:
        return 0.0
    samples = np.frombuffer(b"".join(frames), "<i2") / 32768.0
    return float(np.sqrt(np.mean(samples**2)))


# ---- help at hand ----------------------------------------------------------------------------


def test_help_now_opens_the_lines_before_any_risk_and_reopens(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page()
    help_now = page.get_by_test_id("help-now")
    panel = page.get_by_test_id("safety")
    # Before any connection: the panel opens, says what to do in danger, and has no lines yet.
    help_now.click()
    assert panel.is_visible()
    assert "local emergency number" in panel.inner_text()
    assert page.evaluate("document.activeElement.id") == "help-title"
    assert help_now.get_attribute("aria-expanded") == "true"
    assert_accessible(page, "help open before connecting")
    page.get_by_test_id("help-close").click()
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.dataset.testid") == "help-now"

    ready_with_lines(page, server)
    assert panel.is_hidden()  # nothing was detected: it opens only when asked
    help_now.click()
    links = panel.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "tel:116123",
        "sms:85258",
    ]
    page.get_by_test_id("help-close").click()
    help_now.click()  # and again, as often as needed
    assert panel.is_visible()
    assert panel.locator('a[href="tel:116123"]').is_visible()

    # The lines are remembered: on the next visit they are there before connecting.
    page.reload()
    page.get_by_test_id("help-now").click()
    assert page.get_by_test_id("safety").locator('a[href="tel:116123"]').is_visible()


def test_a_safety_message_opens_the_panel_announces_it_and_takes_focus(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page()
    ready_with_lines(page, server)
    page.get_by_test_id("text-input").focus()
    server.send({"type": "safety", "turn": 1, "level": "concern", "resources": LINES})
    panel = page.get_by_test_id("safety")
    panel.wait_for()
    wait_until(page, lambda: page.evaluate("document.activeElement.id") == "help-title")
    assert panel.get_attribute("data-level") == "concern"
    wait_until(page, lambda: "talk to someone" in page.locator("#announcer").inner_text())
    assert_accessible(page, "safety concern")
    # Hidden, then a crisis in a level this page does not know: shown as a crisis, not less.
    page.get_by_test_id("help-close").click()
    server.send({"type": "safety", "turn": 2, "level": "imminent", "resources": LINES})
    wait_until(page, lambda: panel.get_attribute("data-level") == "crisis")
    assert panel.is_visible()
    assert "go through this alone" in page.locator("#help-title").inner_text()


# ---- no stuck states ---------------------------------------------------------------------------


def test_a_reply_without_audio_and_an_unknown_error_end_in_listening(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page()
    start(page, server)
    server.send({"type": "speech_started", "turn": 1, "at_ms": 100})
    server.send({"type": "speech_stopped", "turn": 1, "at_ms": 900})
    server.send({"type": "transcript", "turn": 1, "final": True, "text": "rough day"})
    server.send({"type": "reply_delta", "turn": 1, "text": "That sounds hard."})
    wait_until(page, lambda: activity(page) == "Writing a reply…")
    server.send({"type": "reply", "turn": 1, "text": "That sounds hard.", "interrupted": False})
    wait_until(page, lambda: activity(page) == "Listening")

    server.send({"type": "speech_started", "turn": 2, "at_ms": 3000})
    server.send({"type": "speech_stopped", "turn": 2, "at_ms": 4000})
    wait_until(page, lambda: activity(page) == "Thinking…")
    server.send({"type": "error", "code": "a_new_kind_of_error", "message": "x"})
    wait_until(page, lambda: activity(page) == "Listening")
    assert "no reply to it" in page.get_by_test_id("error").inner_text()


def test_the_link_going_keeps_typing_counts_down_and_sends_what_was_typed(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page(setup=lambda p: p.clock.install())
    start(page, server)
    server.send({"type": "transcript", "turn": 1, "final": False, "text": "I was going to"})
    page.get_by_text("I was going to").wait_for()
    server.connections[0].close(code=1006)
    page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    # The unfinished caption is kept, marked, and no longer greyed out as pending.
    caption = page.locator('.turn-user.interrupted:has-text("I was going to")')
    assert caption.get_by_text("cut off").is_visible()
    assert page.locator(".turn.pending").count() == 0

    status = page.get_by_test_id("status")
    first = status.inner_text()
    assert first in ("Reconnecting in 1 s", "Reconnecting in 2 s")  # 1 s +/- 20 %
    box = page.get_by_test_id("text-input")
    assert box.is_enabled()
    box.fill("still here")
    box.press("Enter")
    assert "will be sent as soon as the server is back" in page.get_by_test_id("error").inner_text()
    assert box.input_value() == ""

    page.clock.run_for(1500)
    wait_until(page, lambda: len(server.connections) == 2 and bool(server.messages(1)))
    server.ready(1)
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
    wait_until(page, lambda: {"type": "text", "text": "still here"} in server.messages(1))
    assert page.get_by_test_id("error").is_hidden()


def test_voice_notes_turned_on_mid_check_in_reach_the_next_hello(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page(setup=lambda p: p.clock.install())
    start(page, server)
    assert server.messages(0)[0]["cues"] is False
    page.get_by_test_id("cues-yes").click()
    server.connections[0].close(code=1006)
    page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    page.clock.run_for(1500)
    wait_until(page, lambda: len(server.connections) == 2 and bool(server.messages(1)))
    assert server.messages(1)[0]["cues"] is True


def test_the_countdown_to_the_next_attempt_counts(open_page: Callable[..., Any]) -> None:
    page, server = open_page(setup=lambda p: p.clock.install())
    start(page, server)
    server.connections[0].close(code=1006)
    page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    # Refused again and again: the waits grow to 4 s and more, and the line counts down.
    for attempt in range(1, 4):
        page.clock.run_for(2 ** (attempt - 1) * 1200 + 100)
        wait_until(page, lambda a=attempt: len(server.connections) == a + 1)
        server.connections[-1].close(code=1006)
        page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    status = page.get_by_test_id("status")
    shown = []
    for _ in range(3):
        shown.append(status.inner_text())
        page.clock.run_for(1000)
    seconds = [int(s.split()[2]) for s in shown]
    assert seconds[0] >= 6 and seconds == [seconds[0], seconds[0] - 1, seconds[0] - 2], shown


def test_a_silent_server_and_a_stalled_link_are_retried_and_recover(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page(setup=lambda p: p.clock.install())
    page.get_by_test_id("start").click()
    wait_until(page, lambda: bool(server.connections) and bool(server.messages()))
    # The server takes the hello and never answers: given up after 20 s, and retried after
    # 0.8 to 1.2 s more.
    page.clock.run_for(20_300)
    page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    assert "did not answer" in page.get_by_test_id("error").inner_text()
    assert page.get_by_role("button", name="Try again now").is_visible()
    page.clock.run_for(1000)
    wait_until(page, lambda: len(server.connections) == 2 and bool(server.messages(1)))
    server.ready(1)
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()

    # Connected, then the link stalls: the heartbeat's pings go unanswered.
    page.clock.run_for(10_500)
    wait_until(page, lambda: any(m["type"] == "ping" for m in server.messages(1)))
    ping = next(m for m in server.messages(1) if m["type"] == "ping")
    assert isinstance(ping["id"], int)
    page.clock.run_for(20_000)
    page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    assert "stopped answering" in page.get_by_test_id("error").inner_text()
    page.clock.run_for(1500)
    wait_until(page, lambda: len(server.connections) == 3 and bool(server.messages(2)))
    server.ready(2)
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
    page.get_by_text("Reconnected").first.wait_for()
    reasons = [e["reason"] for e in events(page) if e["type"] == "connection_retrying"]
    assert reasons == ["no_answer", "stalled"]


def test_a_link_that_answers_its_pings_stays_up(open_page: Callable[..., Any]) -> None:
    page, server = open_page(setup=lambda p: p.clock.install())
    start(page, server)
    for _ in range(6):  # a minute
        page.clock.run_for(10_000)
        wait_until(page, lambda: any(m["type"] == "ping" for m in server.messages()[-3:]))
        ping = [m for m in server.messages() if m["type"] == "ping"][-1]
        server.send({"type": "pong", "id": ping["id"]})
    assert page.get_by_test_id("status").get_attribute("data-state") == "ready"
    assert len(server.connections) == 1


def test_end_without_bye_still_ends(open_page: Callable[..., Any]) -> None:
    page, server = open_page(setup=lambda p: p.clock.install())
    start(page, server)
    page.get_by_test_id("end").click()
    wait_until(page, lambda: server.messages()[-1] == {"type": "end"})
    page.clock.run_for(5_500)  # no bye comes
    page.locator('[data-testid="status"][data-state="ended"]').wait_for()
    assert page.get_by_test_id("start").is_visible()


# ---- controls ----------------------------------------------------------------------------------


def test_mute_sends_silence_and_the_microphone_comes_back(open_page: Callable[..., Any]) -> None:
    page, server = open_page()
    start(page, server)
    wait_until(page, lambda: len(server.frames()) >= 30)
    mute = page.get_by_test_id("mute")
    mute.click()
    assert mute.get_attribute("aria-pressed") == "true"
    assert page.get_by_test_id("status").inner_text() == "Connected, microphone muted"
    muted_from = len(server.frames()) + 5  # frames already on their way
    wait_until(page, lambda: len(server.frames()) >= muted_from + 30)
    assert level(server.frames()[muted_from : muted_from + 30]) == 0.0
    mute.click()
    assert mute.get_attribute("aria-pressed") == "false"
    back_from = len(server.frames()) + 5
    wait_until(page, lambda: len(server.frames()) >= back_from + 30)
    heard = level(server.frames()[back_from : back_from + 30])
    assert abs(heard - TONE_AMPLITUDE / np.sqrt(2)) < 0.03, heard


def test_talk_toggles_with_taps_as_well_as_holding(open_page: Callable[..., Any]) -> None:
    page, server = open_page()
    page.get_by_text("Options").click()
    page.get_by_label("Push to talk").check()
    start(page, server)
    talk = page.get_by_test_id("talk")
    wait_until(page, lambda: len(server.frames()) >= 20)
    assert level(server.frames()[-10:]) == 0.0  # not talking: silence flows
    talk.click()  # a tap
    assert talk.get_attribute("aria-pressed") == "true"
    assert activity(page) == "Listening. Tap Talk when done"
    from_frame = len(server.frames()) + 5
    wait_until(page, lambda: len(server.frames()) >= from_frame + 25)
    assert level(server.frames()[from_frame : from_frame + 25]) > 0.3
    assert {"type": "commit"} not in server.messages()
    talk.click()  # the second tap ends the turn
    wait_until(page, lambda: server.messages()[-1] == {"type": "commit"})
    assert talk.get_attribute("aria-pressed") == "false"
    # The keyboard too: Space taps it.
    talk.focus()
    page.keyboard.press("Space")
    assert talk.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    wait_until(
        page,
        lambda: (
            [m for m in server.messages() if m == {"type": "commit"}] == [{"type": "commit"}] * 2
        ),
    )


def send_spoken_reply(server: ScriptedServer, turn: int, seconds: float, text: str) -> None:
    server.send({"type": "reply_delta", "turn": turn, "text": text})
    server.send({"type": "audio_start", "turn": turn, "sample_rate": 22050})
    samples = pcm16(tone(seconds, 22050, 0.3))
    for i in range(0, len(samples), 8820):
        server.send(samples[i : i + 8820])
    server.send({"type": "audio_end", "turn": turn, "interrupted": False})
    server.send({"type": "reply", "turn": turn, "text": text, "interrupted": False})


def played_frames(page: Page) -> int:
    frames: int = page.evaluate("voiceDebug.playback.playedFrames")
    return frames


def test_stop_reply_stops_it_and_replay_plays_the_last_one_again(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page()
    start(page, server)
    send_spoken_reply(server, 0, 6.0, "A long reply.")
    stop = page.get_by_test_id("stop-reply")
    stop.wait_for()
    wait_until(page, lambda: activity(page).startswith("Speaking"))
    stop.click()
    wait_until(page, lambda: activity(page) == "Listening")
    assert stop.is_hidden()
    stopped = [e for e in events(page) if e["type"] == "playback_stop"]
    assert stopped and stopped[-1]["reason"] == "stop_reply"
    after_stop = played_frames(page)
    page.wait_for_timeout(500)
    assert played_frames(page) - after_stop < 0.1 * 48000  # nothing more of it plays

    send_spoken_reply(server, 1, 0.8, "A short one.")
    wait_until(page, lambda: activity(page).startswith("Speaking"))
    wait_until(page, lambda: activity(page) == "Listening")
    before = played_frames(page)
    replay = page.get_by_test_id("replay")
    replay.click()
    wait_until(page, lambda: activity(page).startswith("Speaking"))
    wait_until(page, lambda: activity(page) == "Listening")
    replayed = played_frames(page) - before
    rate = page.evaluate("voiceDebug.playback.sampleRateHz")
    assert 0.7 * rate <= replayed <= 1.2 * rate, replayed  # the 0.8 s reply, once more


def test_clear_screen_removes_the_conversation_and_the_check_in_goes_on(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page()
    start(page, server)
    server.send({"type": "transcript", "turn": 1, "final": True, "text": "my private words"})
    page.get_by_text("my private words").wait_for()
    page.get_by_text("Options").click()
    page.get_by_test_id("clear-screen").click()
    assert page.locator("#log li").count() == 0
    assert "my private words" not in page.content()
    assert page.get_by_test_id("status").get_attribute("data-state") == "ready"


# ---- honest messages ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lan_url() -> Iterator[str]:
    """voice/web/ over plain http, to be opened under a name that is not localhost."""
    handler = functools.partial(QuietHandler, directory=str(CLIENT_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://checkin.test:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_plain_http_page_on_the_network_explains_https_not_the_browser(
    launch: Callable[..., Any], lan_url: str
) -> None:
    # As a phone on the home network sees it: http to a name that is not this machine.
    chromium = launch(extra_args=("--host-resolver-rules=MAP checkin.test 127.0.0.1",))
    context = chromium.new_context()
    page = context.new_page()
    server = ScriptedServer()
    page.route_web_socket("**/v1/checkin", server.accept)
    page.goto(lan_url)
    assert page.evaluate("window.isSecureContext") is False
    page.get_by_test_id("start").click()
    error = page.get_by_test_id("error")
    error.wait_for()
    text = error.inner_text()
    assert "https" in text and "Nothing is wrong with your device" in text
    assert "This browser can't" not in text
    # Typing still works: the check-in connects without a microphone.
    wait_until(page, lambda: bool(server.connections) and bool(server.messages()))
    server.ready()
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
    assert page.get_by_test_id("text-input").is_enabled()
    assert page.get_by_test_id("mic-retry").is_hidden()  # retrying cannot help here
    assert_accessible(page, "insecure page")
    context.close()


def test_a_refused_microphone_is_explained_and_typing_goes_on(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page(microphone=False)
    page.get_by_test_id("start").click()
    page.get_by_test_id("error").get_by_text("refused").wait_for()
    wait_until(page, lambda: bool(server.connections) and bool(server.messages()))
    server.ready()
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
    assert page.get_by_test_id("status").inner_text() == "Connected, microphone off"
    assert page.get_by_role("button", name="Turn on microphone").is_visible()
    assert_accessible(page, "microphone refused")


# ---- accessibility and the keyboard -------------------------------------------------------------


def test_every_state_passes_the_accessibility_check(open_page: Callable[..., Any]) -> None:
    page, server = open_page(setup=lambda p: p.clock.install())
    # Captions fade in; half-way their colours are not yet the page's, so check them still.
    page.emulate_media(reduced_motion="reduce")
    assert_accessible(page, "idle")
    start(page, server)
    assert page.get_by_test_id("activity").get_attribute("aria-live") == "polite"
    assert_accessible(page, "ready")
    page.get_by_test_id("cues-offer").wait_for()
    assert_accessible(page, "voice notes offered")
    page.get_by_test_id("cues-no").click()
    send_spoken_reply(server, 0, 3.0, "Hello there.")
    page.get_by_test_id("stop-reply").wait_for()
    assert_accessible(page, "speaking")
    server.send({"type": "safety", "turn": 1, "level": "crisis", "resources": LINES})
    page.get_by_test_id("safety").wait_for()
    assert_accessible(page, "crisis lines")
    server.connections[0].close(code=1011)
    page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    assert_accessible(page, "retrying")
    page.clock.run_for(1500)
    wait_until(page, lambda: len(server.connections) == 2 and bool(server.messages(1)))
    server.ready(1)
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
    page.get_by_test_id("end").click()
    server.send({"type": "bye", "reason": "client_end"}, 1)
    server.connections[1].close(code=1000)
    page.locator('[data-testid="status"][data-state="ended"]').wait_for()
    assert_accessible(page, "ended")


def test_a_typed_check_in_by_keyboard_alone(open_page: Callable[..., Any]) -> None:
    page, server = open_page(microphone=False)
    for _ in range(4):  # Help now, then (on a small screen) the conversation, then Start
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "start":
            break
    assert page.evaluate("document.activeElement.dataset.testid") == "start"
    page.keyboard.press("Enter")
    wait_until(page, lambda: bool(server.connections) and bool(server.messages()))
    server.ready()
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
    # With no microphone the page puts the person in the text box.
    wait_until(page, lambda: page.evaluate("document.activeElement.dataset.testid") == "text-input")
    page.keyboard.type("A long day, but I'm ok.")
    page.keyboard.press("Enter")
    said = "A long day, but I'm ok."
    wait_until(page, lambda: {"type": "text", "text": said} in server.messages())
    server.send({"type": "transcript", "turn": 1, "final": True, "text": said})
    server.send({"type": "reply", "turn": 1, "text": "It sounds long.", "interrupted": False})
    page.get_by_text("It sounds long.").wait_for()
    # On to End by Tab, and press it.
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "end":
            break
    assert page.evaluate("document.activeElement.dataset.testid") == "end"
    page.keyboard.press("Enter")
    wait_until(page, lambda: server.messages()[-1] == {"type": "end"})
    server.send({"type": "bye", "reason": "client_end"})
    server.connections[0].close(code=1000)
    page.locator('[data-testid="status"][data-state="ended"]').wait_for()
    # End disappeared; focus is not lost: it is on Start again.
    wait_until(page, lambda: page.evaluate("document.activeElement.dataset.testid") == "start")
