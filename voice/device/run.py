"""``voice device``: the check-in on this machine's microphone and speaker.

Once (``--once``, or a recording as the microphone with ``--input-wav``): one check-in
now, exit 0 when it ended well. Otherwise it runs until stopped: a key, a button or
``SIGUSR1`` starts a check-in, and so does the daily reminder (``--at``). Each check-in
reconnects with backoff when the connection drops (the person hears it once, and hears
when it is back); the server continues the same check-in. The microphone is open only
during a check-in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import signal
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from voice.device import reminder as rem
from voice.device import triggers
from voice.device.checkin import CheckinEnd, CheckinOptions, Ended, run_checkin
from voice.device.echo import canceller_or_none
from voice.device.feedback import EARCON_RATE_HZ, Cue, Phrases, Say, earcon, piper_phrases
from voice.device.retry import Backoff
from voice.device.sound import (
    Capture,
    Microphone,
    PortAudioMicrophone,
    PortAudioSpeaker,
    Speaker,
    WavMicrophone,
    WavSpeaker,
)
from voice.errors import ConfigError

_LOGGER = logging.getLogger(__name__)

DEFAULT_URL = "ws://127.0.0.1:8765/v1/checkin"
_BUSY = ("overloaded", "not_ready")
_LONGEST_SLEEP_S = 60.0
"""The service loop looks at the clock at least this often (the clock may be set)."""


@dataclass(frozen=True, slots=True)
class DeviceOptions:
    """How the device runs."""

    checkin: CheckinOptions
    once: bool
    reminder: rem.ReminderPlan | None = None
    give_up_s: float = 120.0
    """Stop reconnecting after this long (the device goes back to waiting for the button
    or the reminder, rather than greeting a person hours later when the server returns)."""


class Device:
    """The device's loop, over a microphone, a speaker and its phrases."""

    def __init__(
        self,
        options: DeviceOptions,
        open_mic: Callable[[], Microphone],
        speaker: Speaker,
        phrases: Phrases,
        *,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        rng: random.Random | None = None,
    ) -> None:
        self._options = options
        self._open_mic = open_mic
        self._speaker = speaker
        self._phrases = phrases
        self._now = now
        self._rng = rng or random.Random()
        self.stop = asyncio.Event()
        """Set to end the check-in going on (a press, or shutting down)."""
        self.connections = 0
        """Connections that reached ``ready`` (a reconnect counts again)."""

    async def once(self) -> int:
        """One check-in now: 0 when the server said bye, or the recording ended (or the
        person fell silent) after their last turn was answered and played; 1 otherwise."""
        end = await self.checkin()
        ended = end.how in (Ended.INPUT_ENDED, Ended.IDLE)
        return 0 if end.how is Ended.BYE or (ended and end.answered) else 1

    async def serve(self, button: triggers.Button, shutdown: asyncio.Event) -> int:
        """Until ``shutdown``: a press or the reminder starts a check-in."""
        plan = self._options.reminder
        state = rem.ReminderState()
        while not shutdown.is_set():
            now = self._now()
            if plan is not None and rem.due(plan, state, now):
                _LOGGER.info("reminder: inviting the person to check in")
                await self._speaker.play(*self._phrases.audio(Say.INVITATION))
                end = await self._checkin_until_pressed(button)
                state = rem.reminded(state, self._now(), answered=end.heard)
                continue
            wait_s = _LONGEST_SLEEP_S
            if plan is not None:
                wait_s = min(wait_s, (rem.next_check(plan, state, now) - now).total_seconds())
            if await button.wait(max(0.1, wait_s)) and not shutdown.is_set():
                _LOGGER.info("button: starting a check-in")
                await self._speaker.play(earcon(Cue.THINKING), EARCON_RATE_HZ)
                end = await self._checkin_until_pressed(button)
                if end.heard:
                    state = rem.checked_in(state, self._now())
        return 0

    async def _checkin_until_pressed(self, button: triggers.Button) -> CheckinEnd:
        """A check-in that a press ends."""
        self.stop.clear()

        async def ends() -> None:
            while True:
                if await button.wait(3600.0):
                    self.stop.set()

        watcher = asyncio.ensure_future(ends())
        try:
            return await self.checkin()
        finally:
            watcher.cancel()

    async def checkin(self) -> CheckinEnd:
        """One check-in, reconnecting while the connection is lost or the server is busy."""
        capture = Capture(self._open_mic)
        backoff = Backoff()
        heard = False
        lost_at: float | None = None

        async def connected() -> None:
            nonlocal backoff, lost_at
            backoff, tell = backoff.recovered()
            lost_at = None
            self.connections += 1
            _LOGGER.info("connected")
            if tell:
                await self._speaker.play(*self._phrases.audio(Say.CONNECTION_BACK))

        try:
            while True:
                end = await run_checkin(
                    self._options.checkin,
                    capture,
                    self._speaker,
                    self._phrases,
                    self.stop,
                    on_ready=connected,
                )
                heard = heard or end.heard
                if end.how is Ended.REFUSED and end.error not in _BUSY:
                    _LOGGER.warning("the server refused the check-in (%s)", end.error)
                    await self._speaker.play(*self._phrases.audio(Say.REFUSED))
                    return replace(end, heard=heard)
                if end.how not in (Ended.LOST, Ended.REFUSED):
                    _LOGGER.info("check-in ended (%s)", end.how.value)
                    return replace(end, heard=heard)
                lost_at = lost_at if lost_at is not None else time.monotonic()
                backoff = backoff.failed()
                if backoff.must_tell:
                    what = Say.SERVER_BUSY if end.how is Ended.REFUSED else Say.CONNECTION_LOST
                    await self._speaker.play(*self._phrases.audio(what))
                    backoff = backoff.told_now()
                gave_up = time.monotonic() - lost_at > self._options.give_up_s
                if gave_up or self.stop.is_set():
                    return replace(end, heard=heard)
                delay = backoff.delay(self._rng)
                _LOGGER.info("no connection (%s); trying again in %.1f s", end.how.value, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), delay)
        finally:
            capture.close()


def read_token(token: str | None, token_file: Path | None) -> str | None:
    """The pairing token from ``--token`` or a file (which others should not read)."""
    if token_file is None:
        return token
    try:
        text = token_file.read_text(encoding="utf-8").strip()
        mode = token_file.stat().st_mode
    except OSError as exc:
        raise ConfigError(f"the token file {token_file} cannot be read") from exc
    if not text:
        raise ConfigError(f"the token file {token_file} is empty")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        _LOGGER.warning("the token file %s can be read by others: chmod 600 it", token_file)
    return text


def options_from(args: argparse.Namespace) -> DeviceOptions:
    """The device's options from its command line (``ConfigError`` when they do not fit)."""
    if args.idle < 5:
        raise ConfigError("--idle must be at least 5 seconds")
    hello: dict[str, object] = {"checkin": not args.open_conversation}
    token = read_token(args.token, args.token_file)
    if token:
        hello["token"] = token
    elif args.user:
        hello["user"] = args.user
    once = args.once or args.input_wav is not None
    plan = rem.ReminderPlan(rem.parse_at(args.at)) if args.at else None
    if once and plan is not None:
        raise ConfigError("--at needs the device to keep running: leave out --once/--input-wav")
    checkin = CheckinOptions(args.url, hello, idle_s=args.idle, barge_in=args.echo == "off")
    # Running, a check-in is worth reconnecting to for as long as the server continues one
    # (15 minutes, protocol.md); once, two minutes.
    return DeviceOptions(checkin, once=once, reminder=plan, give_up_s=120.0 if once else 900.0)


def _device_name(text: str | None) -> str | int | None:
    return int(text) if text is not None and text.isdigit() else text


def _local_voice(args: argparse.Namespace) -> Phrases:
    if args.no_local_voice:
        return Phrases(None)
    from voice.engines import manifest

    cache = args.cache_dir or Path(os.environ.get("VOICE_CACHE_DIR", "~/.cache/voice"))
    try:
        spec = manifest.default_model(manifest.load_manifest(), "tts")
        path = manifest.resolve(spec, cache.expanduser() / "models")
    except Exception as exc:  # no models installed here: the tones still work
        _LOGGER.warning("no local voice (%s); the device will use tones", type(exc).__name__)
        return Phrases(None)
    return piper_phrases(path)


def _audio(
    args: argparse.Namespace, options: DeviceOptions
) -> tuple[Callable[[], Microphone], Speaker, DeviceOptions]:
    """The microphone, the speaker, and whether it listens while it speaks: with the
    echo canceller (a real microphone and speaker, ``--echo cancel``), or ``--echo off``."""
    canceller = None
    if args.echo == "cancel" and args.input_wav is None and args.output_wav is None:
        canceller = canceller_or_none()
        if canceller is None:
            _LOGGER.warning("no echo canceller here: the microphone is muted while it speaks")
        else:
            checkin = replace(options.checkin, barge_in=True)
            options = replace(options, checkin=checkin)
    speaker: Speaker = (
        WavSpeaker(args.output_wav)
        if args.output_wav is not None
        else PortAudioSpeaker(
            _device_name(args.output_device),
            reference=canceller.reference if canceller is not None else None,
        )
    )
    if args.input_wav is not None:
        recording = WavMicrophone(args.input_wav)

        def open_mic() -> Microphone:
            return recording
    else:

        def open_mic() -> Microphone:
            return PortAudioMicrophone(_device_name(args.input_device), canceller=canceller)

    return open_mic, speaker, options


async def _main(args: argparse.Namespace) -> int:
    open_mic, speaker, options = _audio(args, options_from(args))
    device = Device(options, open_mic, speaker, _local_voice(args))
    loop = asyncio.get_running_loop()
    shutdown = asyncio.Event()

    def stop_all() -> None:
        shutdown.set()
        device.stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop_all)
    try:
        if options.once:
            return await device.once()
        button = triggers.Button()
        key = None if args.key == "none" else triggers.key_char(args.key)
        with (
            triggers.usr1(button),
            triggers.gpio_button(button, args.gpio_pin),
            contextlib.ExitStack() as keys,
        ):
            if key is not None and keys.enter_context(triggers.keyboard(button, key)):
                print(f"voice device: press {args.key} to check in", file=sys.stderr)

            def shut_down() -> None:
                stop_all()
                button.press()

            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, shut_down)
            return await device.serve(button, shutdown)
    finally:
        speaker.close()


def run(args: argparse.Namespace) -> int:
    """``voice device``."""
    return asyncio.run(_main(args))


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``device`` command's arguments."""
    device = sub.add_parser("device", help="check in on this machine's microphone and speaker")
    device.add_argument("--url", default=os.environ.get("VOICE_URL", DEFAULT_URL))
    device.add_argument(
        "--token",
        default=os.environ.get("VOICE_TOKEN"),
        help="the person's pairing token (default: $VOICE_TOKEN)",
    )
    device.add_argument("--token-file", type=Path, help="read the token from this file")
    device.add_argument("--user", help="the person's id (a server without accounts only)")
    device.add_argument("--at", help="remind and start a check-in daily at HH:MM (local time)")
    device.add_argument("--once", action="store_true", help="one check-in now, then exit")
    device.add_argument("--input-wav", type=Path, help="play this recording as the microphone")
    device.add_argument("--output-wav", type=Path, help="record what the speaker would play")
    device.add_argument("--input-device", help="PortAudio input device (name or number)")
    device.add_argument("--output-device", help="PortAudio output device (name or number)")
    device.add_argument(
        "--key", default="space", help="the key that starts or ends a check-in (or 'none')"
    )
    device.add_argument("--gpio-pin", type=int, help="a push button on this GPIO line")
    device.add_argument(
        "--echo",
        choices=("cancel", "mute", "off"),
        default="cancel",
        help="while the reply plays: cancel its echo and keep listening (default), mute the "
        "microphone, or keep listening without cancelling (headphones)",
    )
    device.add_argument(
        "--idle", type=float, default=60.0, help="end after this many seconds of silence"
    )
    device.add_argument(
        "--open-conversation", action="store_true", help="no scripted check-in questions"
    )
    device.add_argument("--no-local-voice", action="store_true", help="tones instead of words")
    device.add_argument("--cache-dir", type=Path, help="where the models are (the local voice)")
