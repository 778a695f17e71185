"""The home device's clock-free cores and small parts: the reminder, reconnecting, the
earcons, the microphone across an unplug, a recording as the microphone, the options."""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import random
import signal
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest

from voice.audio.pcm import PIPELINE_RATE_HZ, pcm16_to_float, write_wav
from voice.device import reminder as rem
from voice.device import triggers
from voice.device.feedback import EARCON_RATE_HZ, Cue, Phrases, Say, earcon
from voice.device.retry import Backoff
from voice.device.run import options_from, read_token
from voice.device.sound import FRAME_BYTES, SILENCE, Capture, MicrophoneLost, WavMicrophone
from voice.errors import ConfigError

PLAN = rem.ReminderPlan(time(20, 30))
DAY = datetime(2026, 12, 7)


def at(hh: int, mm: int, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, hours=hh, minutes=mm)


def test_the_reminder_comes_at_its_time_and_once_more_if_missed_then_not_again() -> None:
    state = rem.ReminderState()
    assert not rem.due(PLAN, state, at(20, 29))
    assert rem.next_check(PLAN, state, at(20, 29)) == at(20, 30)
    assert rem.due(PLAN, state, at(20, 30))
    state = rem.reminded(state, at(20, 30), answered=False)
    assert not rem.due(PLAN, state, at(20, 44))
    assert rem.next_check(PLAN, state, at(20, 40)) == at(20, 45)
    assert rem.due(PLAN, state, at(20, 45))
    state = rem.reminded(state, at(20, 45), answered=False)
    assert not any(rem.due(PLAN, state, at(h, m)) for h, m in ((21, 0), (22, 0), (23, 59)))
    assert rem.next_check(PLAN, state, at(21, 0)) == at(20, 30, day=1)
    assert rem.due(PLAN, state, at(20, 31, day=1))  # tomorrow is a new day


def test_an_answered_reminder_or_a_checkin_already_done_means_no_more_that_day() -> None:
    answered = rem.reminded(rem.ReminderState(), at(20, 30), answered=True)
    assert not rem.due(PLAN, answered, at(20, 50))
    done = rem.checked_in(rem.ReminderState(), at(9, 0))
    assert not rem.due(PLAN, done, at(20, 30))
    assert rem.due(PLAN, done, at(20, 30, day=1))


def test_a_device_that_was_off_reminds_within_the_window_not_at_midnight() -> None:
    state = rem.ReminderState()
    assert rem.due(PLAN, state, at(21, 10))
    assert rem.due(PLAN, state, at(22, 30))
    assert not rem.due(PLAN, state, at(22, 31))
    assert not rem.due(PLAN, state, at(23, 55))


@pytest.mark.parametrize("text", ["20:30", "7:05", "00:00", "23:59"])
def test_reminder_times_parse(text: str) -> None:
    hh, mm = text.split(":")
    assert rem.parse_at(text) == time(int(hh), int(mm))


@pytest.mark.parametrize("text", ["24:00", "20:60", "8pm", "", "20.30", "20:3"])
def test_a_reminder_time_that_is_not_a_time_is_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="--at"):
        rem.parse_at(text)


def test_backoff_doubles_to_its_cap_and_tells_the_person_once_each_way() -> None:
    rng = random.Random(7)
    backoff = Backoff()
    delays = []
    told = 0
    for _ in range(8):
        backoff = backoff.failed()
        if backoff.must_tell:
            told += 1
            backoff = backoff.told_now()
        delays.append(backoff.delay(rng))
    assert told == 1
    assert 1.0 <= delays[0] <= 1.25 and 2.0 <= delays[1] <= 2.5 and 4.0 <= delays[2] <= 5.0
    assert all(30.0 <= d <= 37.5 for d in delays[5:])
    fresh, say_back = backoff.recovered()
    assert say_back and fresh.failures == 0 and not fresh.must_tell
    assert Backoff().recovered() == (Backoff(), False)  # nothing was lost: nothing to say


@pytest.mark.parametrize("cue", list(Cue))
def test_earcons_are_short_quiet_tones(cue: Cue) -> None:
    samples = pcm16_to_float(earcon(cue))
    seconds = samples.size / EARCON_RATE_HZ
    assert 0.05 < seconds < 0.5
    assert 0.2 < np.abs(samples).max() <= 0.26  # about -12 dBFS: heard, never startling
    assert abs(samples[0]) < 0.01 and abs(samples[-1]) < 0.01  # faded: no click


def test_phrases_fall_back_to_a_tone_when_the_voice_fails() -> None:
    def broken(_text: str) -> tuple[bytes, int]:
        raise RuntimeError("no voice")

    phrases = Phrases(broken)
    pcm, rate = phrases.audio(Say.CONNECTION_LOST)
    assert (pcm, rate) == (earcon(Cue.ERROR), EARCON_RATE_HZ)
    assert phrases.audio(Say.CONNECTION_BACK)[0] == earcon(Cue.LISTENING)


class _Mic:
    def __init__(self, frames: int) -> None:
        self.frames = frames
        self.closed = False

    async def frame(self, *, listening: bool) -> bytes | None:
        if self.frames == 0:
            raise MicrophoneLost("unplugged")
        self.frames -= 1
        return b"\x01\x00" * (FRAME_BYTES // 2) if listening else SILENCE

    def close(self) -> None:
        self.closed = True


def test_an_unplugged_microphone_is_told_once_silence_stands_in_and_it_comes_back() -> None:
    clock = [0.0]
    plugged: list[_Mic] = []
    attempts = []

    def open_mic() -> _Mic:
        attempts.append(clock[0])
        if 1.0 <= clock[0] < 5.0:
            raise MicrophoneLost("not there")
        plugged.append(_Mic(frames=2))
        return plugged[-1]

    capture = Capture(open_mic, retry_s=2.0, clock=lambda: clock[0])

    async def go() -> list[tuple[float, bytes | None, list[Say]]]:
        heard = []
        for now in (0.0, 0.0, 0.0, 1.0, 2.0, 3.5, 5.0, 5.0):
            clock[0] = now
            frame = await capture.frame(listening=True)
            heard.append((now, frame, capture.take_news()))
        return heard

    heard = asyncio.run(go())
    voiced = [f != SILENCE for _, f, _ in heard]
    assert voiced == [True, True, False, False, False, False, True, True]
    news = [n for _, _, n in heard if n]
    assert news == [[Say.MICROPHONE_LOST], [Say.MICROPHONE_BACK]]
    assert plugged[0].closed
    assert attempts == [0.0, 2.0, 5.0]  # retried every 2 s, not on every frame


def test_a_recording_as_the_microphone_waits_while_the_device_speaks(tmp_path: Path) -> None:
    ramp = (np.arange(PIPELINE_RATE_HZ // 10) % 100 + 1).astype("<i2").tobytes()  # 100 ms
    write_wav(tmp_path / "in.wav", ramp, PIPELINE_RATE_HZ)
    mic = WavMicrophone(tmp_path / "in.wav", realtime=False)

    async def go() -> list[bytes | None]:
        frames = [await mic.frame(listening=True), await mic.frame(listening=False)]
        frames += [await mic.frame(listening=True) for _ in range(5)]
        return frames

    frames = asyncio.run(go())
    assert frames[1] == SILENCE
    assert b"".join(f for f in frames[:1] + frames[2:6] if f) == ramp
    assert frames[6] is None and mic.ended and mic.heard_s == pytest.approx(0.1)


def _args(**given: object) -> argparse.Namespace:
    base: dict[str, object] = {
        "url": "ws://127.0.0.1:8765/v1/checkin",
        "token": None,
        "token_file": None,
        "user": None,
        "at": None,
        "once": False,
        "input_wav": None,
        "idle": 60.0,
        "echo": "cancel",
        "open_conversation": False,
    }
    return argparse.Namespace(**{**base, **given})


def test_the_token_comes_from_its_file_and_a_file_others_can_read_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "token"
    path.write_text("abc123\n", encoding="utf-8")
    path.chmod(0o600)
    assert read_token(None, path) == "abc123"
    assert not caplog.records
    path.chmod(0o644)
    assert read_token("ignored", path) == "abc123"
    assert "chmod 600" in caplog.text and "abc123" not in caplog.text
    options = options_from(_args(token_file=path, at="20:30"))
    assert options.checkin.hello == {"checkin": True, "token": "abc123"}
    assert options.reminder == rem.ReminderPlan(time(20, 30)) and not options.once
    assert options.give_up_s == 900.0  # as long as the server continues a check-in


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"token_file": Path("/nonexistent/token")}, "cannot be read"),
        ({"at": "25:00"}, "--at"),
        ({"at": "20:30", "input_wav": Path("x.wav")}, "keep running"),
        ({"idle": 4.0}, "--idle"),
    ],
)
def test_options_that_do_not_fit_are_refused_plainly(
    given: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        options_from(_args(**given))


def test_a_gpio_button_and_sigusr1_press_the_button() -> None:
    from gpiozero import Device as GpioDevice
    from gpiozero.pins.mock import MockFactory

    GpioDevice.pin_factory = MockFactory()

    async def go() -> list[bool]:
        button = triggers.Button()
        presses = []
        with triggers.gpio_button(button, 17) as wired, triggers.usr1(button):
            assert wired
            pin = GpioDevice.pin_factory.pin(17)
            pin.drive_low()  # pressed: the line pulled to ground
            presses.append(await button.wait(2.0))
            pin.drive_high()
            presses.append(await button.wait(0.2))  # released: no press
            os.kill(os.getpid(), signal.SIGUSR1)
            presses.append(await button.wait(2.0))
        return presses

    try:
        assert asyncio.run(go()) == [True, False, True]
    finally:
        GpioDevice.pin_factory.close()
        GpioDevice.pin_factory = None


def test_a_gpio_pin_that_cannot_be_used_is_a_plain_error() -> None:
    from gpiozero import Device as GpioDevice
    from gpiozero.pins.mock import MockFactory

    GpioDevice.pin_factory = MockFactory()

    async def go() -> None:
        with triggers.gpio_button(triggers.Button(), 99):  # no such pin on the board
            pass

    try:
        with pytest.raises(ConfigError, match="GPIO 99"):
            asyncio.run(go())
    finally:
        GpioDevice.pin_factory.close()
        GpioDevice.pin_factory = None


def test_the_key_on_a_terminal_presses_the_button_and_other_keys_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    main, side = pty.openpty()
    terminal = os.fdopen(side, "r", buffering=1, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", terminal)

    async def go() -> list[bool]:
        button = triggers.Button()
        presses = []
        with triggers.keyboard(button, triggers.key_char("space")) as listening:
            assert listening
            os.write(main, b"x")
            presses.append(await button.wait(0.3))
            os.write(main, b" ")  # read at once: the terminal is in cbreak mode
            presses.append(await button.wait(2.0))
        return presses

    try:
        assert asyncio.run(go()) == [False, True]
    finally:
        terminal.close()
        os.close(main)
