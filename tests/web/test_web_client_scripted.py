"""The web client in Chromium against a scripted server: no models, runs in seconds.

The "server" is web/scripted.py's: each test decides exactly what it says and when, and
sees every byte the page sends. What only the real server can show (speech recognised,
replies spoken) is in test_web_client.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from web.scripted import (  # type: ignore[import-not-found]
    TONE_AMPLITUDE,
    TONE_HZ,
    WAIT_MS,
    ScriptedServer,
    browser,
    events,
    frequency_hz,
    open_page,
    pcm16,
    script,
    start,
    static_url,
    tone,
    wait_until,
)

__all__ = ["browser", "open_page", "static_url"]  # fixtures, used by name


def test_hello_then_16khz_microphone_frames(open_page: Callable[..., Any]) -> None:
    page, server = open_page()
    start(page, server)
    assert server.messages()[0] == {
        "type": "hello",
        "protocol": 1,
        "audio": {"encoding": "pcm_s16le", "sample_rate": 16000, "channels": 1},
        "cues": False,  # voice notes are off until the person turns them on
    }
    wait_until(page, lambda: len(server.frames()) >= 60)
    frames = server.frames()
    assert {len(f) for f in frames} == {640}  # 20 ms of 16 kHz 16-bit mono each
    # The device runs at 44.1 kHz stereo; what arrives is the same tone at 16 kHz.
    assert page.evaluate("voiceDebug.contextRateHz") in (44100, 48000)
    samples = np.frombuffer(b"".join(frames[10:60]), "<i2") / 32768.0
    assert abs(frequency_hz(samples, 16000) - TONE_HZ) <= 1
    assert abs(np.sqrt(np.mean(samples**2)) - TONE_AMPLITUDE / math.sqrt(2)) < 0.02
    settings = page.evaluate("voiceDebug.micSettings")
    assert settings["echoCancellation"] is False  # ?voiceProcessing=0


def test_voice_processing_is_on_by_default(open_page: Callable[..., Any]) -> None:
    page, server = open_page("")
    start(page, server)
    settings = page.evaluate("voiceDebug.micSettings")
    assert settings["echoCancellation"] is True
    assert settings["noiseSuppression"] is True
    assert settings["autoGainControl"] is True


def test_controls_send_commit_text_and_end(open_page: Callable[..., Any]) -> None:
    page, server = open_page()
    start(page, server)
    page.get_by_test_id("done").click()
    box = page.get_by_test_id("text-input")
    box.fill("  typed with Enter  ")
    box.press("Enter")
    box.fill("   ")
    box.press("Enter")  # blank: nothing to send
    box.fill("typed with the button")
    page.get_by_test_id("send").click()
    page.get_by_test_id("end").click()
    wait_until(page, lambda: server.messages()[-1]["type"] == "end")
    assert server.messages()[1:] == [
        {"type": "commit"},
        {"type": "text", "text": "typed with Enter"},
        {"type": "text", "text": "typed with the button"},
        {"type": "end"},
    ]
    server.send({"type": "bye"})
    server.connections[-1].close(code=1000)
    page.locator('[data-testid="status"][data-state="ended"]').wait_for()
    assert page.get_by_test_id("end").is_hidden()

    # Another check-in from the same page: a new connection whose turns count from 0 again.
    assert page.get_by_test_id("start").inner_text() == "Start a new check-in"
    start(page, server)
    assert len(server.connections) == 2
    server.send({"type": "reply", "turn": 0, "text": "Welcome back.", "interrupted": False})
    page.get_by_text("Welcome back.").wait_for()
    assert page.get_by_test_id("assistant-turn").count() == 1


def test_captions_reply_text_and_cues(open_page: Callable[..., Any]) -> None:
    page, server = open_page()
    start(page, server)
    log = page.locator("[role=log][aria-live=polite] > ol")
    for message in [
        {"type": "reply_delta", "turn": 0, "text": "Hello. "},
        {"type": "reply", "turn": 0, "text": "Hello.", "interrupted": False},
        {"type": "speech_started", "turn": 1, "at_ms": 900},
        {"type": "transcript", "turn": 1, "final": False, "text": "I slept"},
    ]:
        server.send(message)
    partial = log.locator('.turn-user[data-turn="1"]')
    partial.get_by_text("I slept").wait_for()
    assert partial.get_attribute("aria-hidden") == "true"  # announced once, when final
    assert page.get_by_test_id("user-turn").count() == 0

    for message in [
        {"type": "transcript", "turn": 1, "final": False, "text": "I slept badly"},
        {"type": "speech_stopped", "turn": 1, "at_ms": 2900},
        {"type": "transcript", "turn": 1, "final": True, "text": "I slept badly but ok."},
        {"type": "a_message_from_the_future", "turn": 1, "anything": [1, 2]},
        {
            "type": "cues",
            "turn": 1,
            "features": {"speech_seconds": 2.1, "pitch_median_hz": None},
            "relative": {"intensity_mean_db": -2.3},
            "activation": -0.4,
            "confidence": 0.5,
            "baseline_turns": 12,
            "baseline_scope": "user",
            "summary": "a bit quieter than usual",
        },
        {"type": "reply_delta", "turn": 1, "text": "That sounds "},
    ]:
        server.send(message)
    writing = log.locator('.turn-assistant[data-turn="1"]')
    writing.get_by_text("That sounds").wait_for()
    assert page.get_by_test_id("assistant-turn").count() == 1  # only the greeting is final
    server.send({"type": "reply_delta", "turn": 1, "text": "like a mixed night."})
    writing.get_by_text("That sounds like a mixed night.").wait_for()
    server.send(
        {
            "type": "reply",
            "turn": 1,
            "text": "That sounds like a mixed night.",
            "interrupted": False,
        }
    )
    server.send({"type": "metrics", "turn": 1, "stt_ms": 1.0, "llm_first_token_ms": 2.0})
    # A noise that was taken for speech: an empty final transcript, no caption, no reply.
    server.send({"type": "speech_started", "turn": 2, "at_ms": 9000})
    server.send({"type": "transcript", "turn": 2, "final": True, "text": ""})
    page.locator('[data-testid="assistant-turn"][data-turn="1"]').wait_for()

    user = log.get_by_test_id("user-turn")
    assert user.count() == 1
    assert user.locator(".words").inner_text() == "I slept badly but ok."
    replies = log.get_by_test_id("assistant-turn")
    assert [r.locator(".words").inner_text() for r in replies.all()] == [
        "Hello.",
        "That sounds like a mixed night.",
    ]
    cue = user.get_by_test_id("cue")
    assert cue.inner_text() == "You sound a bit quieter than usual."
    assert cue.is_hidden()  # voice notes are off until the person turns them on
    offer = page.get_by_test_id("cues-offer")
    assert offer.is_visible()
    page.get_by_test_id("cues-yes").click()
    assert offer.is_hidden()
    assert cue.is_visible()
    assert page.evaluate("localStorage.getItem('voice.cues')") == "1"
    page.get_by_text("Options").click()
    page.get_by_role("checkbox", name="Voice notes").uncheck()
    assert cue.is_hidden()
    assert page.evaluate("localStorage.getItem('voice.cues')") == "0"
    assert page.locator('.turn[data-turn="2"]').count() == 0


def test_safety_lines_are_shown_as_links_and_the_summary_as_a_card(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page(viewport={"width": 375, "height": 700})
    start(page, server)
    help_panel = page.get_by_test_id("safety")
    assert help_panel.is_hidden()
    server.send(
        {
            "type": "safety",
            "turn": 1,
            "level": "crisis",
            "category": "suicide",
            "resources": [
                {
                    "name": "988 Suicide and Crisis Lifeline",
                    "number": "988",
                    "kind": "call_or_text",
                },
                {"name": "Emergency services", "number": "911", "kind": "call"},
                {"name": "A line of a kind added later", "number": "1-800-555-0100", "kind": "fax"},
            ],
        }
    )
    help_panel.wait_for()
    links = help_panel.get_by_role("link")
    assert [(a.inner_text(), a.get_attribute("href")) for a in links.all()] == [
        ("Call 988", "tel:988"),
        ("Text 988", "sms:988"),
        ("Call 911", "tel:911"),
        ("Call 1-800-555-0100", "tel:18005550100"),
    ]
    assert "988 Suicide and Crisis Lifeline" in help_panel.inner_text()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert contrast(page, ".help a") >= 4.5, scheme
        assert contrast(page, ".help h2") >= 4.5, scheme
    help_panel.get_by_role("button", name="Hide").click()
    assert help_panel.is_hidden()

    page.get_by_test_id("end").click()
    wait_until(page, lambda: server.messages()[-1] == {"type": "end"})
    text = "Today you rated your mood six out of ten. Take care of yourself."
    server.send({"type": "summary", "items": {"mood": 6.0, "sleep": None}, "text": text})
    server.send({"type": "bye"})
    server.connections[-1].close(code=1000)
    page.locator('[data-testid="status"][data-state="ended"]').wait_for()
    card = page.get_by_test_id("summary")
    assert card.locator(".words").inner_text() == text
    assert card.is_visible()


def test_reply_plays_gaplessly_and_stops_on_barge_in(open_page: Callable[..., Any]) -> None:
    page, server = open_page()
    start(page, server)
    rate = page.evaluate("voiceDebug.playback.sampleRateHz")
    reply = pcm16(tone(2.0, 22050))
    frame = 8820  # 0.2 s, as the server sends it
    server.send({"type": "audio_start", "turn": 0, "sample_rate": 22050})
    for i in range(0, len(reply), frame):
        server.send(reply[i : i + frame])
    server.send({"type": "audio_end", "turn": 0, "interrupted": False})
    page.wait_for_function("voiceDebug.events.some(e => e.type === 'playback_drained')")
    found = events(page)
    playing = next(e for e in found if e["type"] == "playback_playing")
    drained = next(e for e in found if e["type"] == "playback_drained")
    played_s = drained["played"] / rate
    assert abs(played_s - 2.0) < 0.02, played_s  # every sample, once
    assert abs((drained["t"] - playing["t"]) / 1000 - 2.0) < 0.15  # no gaps in between
    rms = math.sqrt(drained["energy"] / drained["played"])
    assert abs(rms - TONE_AMPLITUDE / math.sqrt(2)) < 0.02, rms

    # Turn 1 speaks for 3 s; after about half a second the person starts talking.
    long_reply = pcm16(tone(3.0, 22050))
    server.send({"type": "audio_start", "turn": 1, "sample_rate": 22050})
    for i in range(0, len(long_reply), frame):
        server.send(long_reply[i : i + frame])
    page.wait_for_function(f"voiceDebug.playback.playedFrames >= {(2.0 + 0.5) * rate}")
    server.send({"type": "speech_started", "turn": 2, "at_ms": 4000})
    page.wait_for_function("voiceDebug.events.some(e => e.type === 'playback_stopped')")
    page.wait_for_timeout(400)
    server.send(long_reply[:frame])  # a late frame of the interrupted turn: not played
    page.wait_for_timeout(400)
    found = events(page)
    barge = next(e for e in found if e["type"] == "speech_started")
    stopped = next(e for e in found if e["type"] == "playback_stopped")
    assert stopped["droppedFrames"] >= 2.0 * rate
    after_s = (page.evaluate("voiceDebug.playback.playedFrames") - barge["played"]) / rate
    assert after_s < 0.05, after_s


def test_push_to_talk_sends_silence_until_held(open_page: Callable[..., Any]) -> None:
    page, server = open_page()
    page.get_by_text("Options").click()
    page.get_by_label("Push to talk").check()
    start(page, server)
    assert page.get_by_test_id("done").is_hidden()
    wait_until(page, lambda: len(server.frames()) >= 25)
    assert all(not any(f) for f in server.frames())  # silence, but the stream keeps flowing
    before = len(server.frames())
    page.get_by_test_id("talk").hover()
    page.mouse.down()
    wait_until(page, lambda: len(server.frames()) >= before + 25)
    page.mouse.up()
    wait_until(page, lambda: server.messages()[-1] == {"type": "commit"})
    held = np.frombuffer(b"".join(server.frames()[before + 3 : before + 20]), "<i2") / 32768
    assert abs(np.sqrt(np.mean(held**2)) - TONE_AMPLITUDE / math.sqrt(2)) < 0.02


def test_reconnects_with_backoff(open_page: Callable[..., Any]) -> None:
    page, server = open_page()
    start(page, server)
    server.send({"type": "reply", "turn": 0, "text": "Hello.", "interrupted": False})
    page.get_by_test_id("assistant-turn").wait_for()
    server.connections[0].close(code=1011)
    status = page.get_by_test_id("status")
    page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    assert status.inner_text() == "Reconnecting in 1 s"
    assert "Something went wrong on the server" in page.get_by_test_id("error").inner_text()

    # Second attempt: the server is full. The wait doubles.
    wait_until(page, lambda: len(server.connections) == 2 and bool(server.messages(1)))
    assert server.messages(1)[0]["type"] == "hello"
    server.send({"type": "error", "code": "overloaded", "message": "too many"}, 1)
    server.connections[1].close(code=1013)
    page.get_by_text("Reconnecting in 2 s").wait_for()
    assert "busy" in page.get_by_test_id("error").inner_text()

    wait_until(page, lambda: len(server.connections) == 3 and bool(server.messages(2)))
    server.ready(2)
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
    assert page.get_by_test_id("error").is_hidden()
    page.get_by_text("Reconnected").wait_for()
    # Turns restart with the new session; the old caption stays.
    server.send({"type": "reply", "turn": 0, "text": "Welcome back.", "interrupted": False}, 2)
    wait_until(page, lambda: page.get_by_test_id("assistant-turn").count() == 2)
    delays = [e for e in events(page) if e["type"] == "connection_retrying"]
    assert [e["reason"] for e in delays] == ["server_error", "busy"]


def test_server_unreachable_is_explained(open_page: Callable[..., Any]) -> None:
    page, _ = open_page(scripted=False)  # the static server has no websocket
    page.get_by_test_id("start").click()
    page.locator('[data-testid="status"][data-state="retrying"]').wait_for()
    assert "Can't reach the check-in server" in page.get_by_test_id("error").inner_text()
    attempts = len([e for e in events(page) if e["type"] == "connection_connecting"])
    page.get_by_role("button", name="Try again now").click()
    wait_until(
        page,
        lambda: len([e for e in events(page) if e["type"] == "connection_connecting"]) > attempts,
    )


def test_refused_microphone_is_explained_and_typing_still_works(
    open_page: Callable[..., Any],
) -> None:
    page, server = open_page(microphone=False)
    start(page, server)
    error = page.get_by_test_id("error")
    assert error.get_attribute("role") == "alert"
    assert error.inner_text().startswith("Microphone access was refused")
    assert page.get_by_test_id("status").inner_text() == "Connected, microphone off"
    assert page.get_by_test_id("talk").is_hidden() and page.get_by_test_id("done").is_hidden()
    box = page.get_by_test_id("text-input")
    assert box.is_enabled()
    box.fill("typing instead")
    box.press("Enter")
    wait_until(page, lambda: server.messages()[-1] == {"type": "text", "text": "typing instead"})
    assert server.frames() == []

    # Allowed afterwards: the microphone can be turned on without starting over.
    page.context.grant_permissions(["microphone"])
    page.get_by_role("button", name="Turn on microphone").click()
    wait_until(page, lambda: len(server.frames()) >= 10)
    assert error.is_hidden()
    assert page.get_by_test_id("status").inner_text() == "Connected"
    assert page.get_by_role("button", name="Turn on microphone").is_hidden()


def test_no_microphone_is_explained(launch: Callable[..., Any], static_url: str) -> None:
    context = launch(microphone=False).new_context(permissions=["microphone"])
    page = context.new_page()
    page.route_web_socket("**/v1/checkin", ScriptedServer().accept)
    page.goto(static_url)
    page.get_by_test_id("start").click()
    page.get_by_test_id("error").get_by_text("No microphone was found").wait_for(timeout=WAIT_MS)
    context.close()


def test_keyboard_focus_contrast_motion_and_narrow_screen(open_page: Callable[..., Any]) -> None:
    page, server = open_page(viewport={"width": 320, "height": 640})
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "help-now"  # help first
    # Then the conversation, when it scrolls on a small screen (a focusable scroller), then
    # Start.
    for _ in range(2):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "start":
            break
    assert page.evaluate("document.activeElement.dataset.testid") == "start"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2  # a visible focus ring
    page.keyboard.press("Enter")  # the keyboard starts a check-in
    wait_until(page, lambda: bool(server.messages()))
    server.ready()
    page.locator('[data-testid="status"][data-state="ready"]').wait_for()
    long_word = "Hello " + "x" * 80  # an unbroken string must wrap, not widen the page
    server.send({"type": "reply", "turn": 0, "text": long_word, "interrupted": False})
    page.get_by_test_id("assistant-turn").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for selector in ("h1", ".activity", ".turn-assistant .words", ".who", "#end", "#send"):
            ratio = contrast(page, selector)
            assert ratio >= 4.5, (scheme, selector, ratio)

    assert page.evaluate("getComputedStyle(document.querySelector('.turn')).animationName") != (
        "none"
    )
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate("getComputedStyle(document.querySelector('.turn')).animationName") == (
        "none"
    )


def contrast(page: Any, selector: str) -> float:
    """WCAG contrast ratio of an element's text against its background."""
    ratio: float = page.evaluate(script("contrast"), selector)
    return ratio


def test_resampler_keeps_speech_and_removes_what_would_alias(open_page: Callable[..., Any]) -> None:
    page, _ = open_page(scripted=False)
    measured = page.evaluate(script("resampler"))
    for key, out_rate in (("down441", 16000), ("down48", 16000), ("up", 48000)):
        result = measured[key]
        assert abs(result["length"] - out_rate) <= 4, (key, result)  # plus the filter's tail
        assert result["errRms"] < 1e-3, (key, result)  # the same tone, sample for sample
    assert measured["alias"]["rms"] < 0.005  # 10 kHz cannot be carried at 16 kHz: removed
