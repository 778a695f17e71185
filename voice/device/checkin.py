"""One check-in over one connection: the microphone out, the reply played as it comes.

The device listens once the greeting has been played (a rising earcon says so). While its
own speaker plays it keeps listening when the echo is cancelled (``barge_in``: the person
can interrupt), or else sends silence instead of the microphone (docs/home-device.md);
it plays each reply turn by turn as its audio arrives and stops at once
when the server says a reply was interrupted. A check-in ends when the server says
``bye``, when a recording used as the microphone has ended and its last turn has been
answered, when nothing was said for ``idle_s`` after the last reply, when the person
presses the button (``stop``), or when the connection is lost (the caller reconnects:
the server continues the same check-in).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed, WebSocketException

from voice.client.connection import CheckinClient, Received
from voice.device.feedback import EARCON_RATE_HZ, Cue, Phrases, Say, earcon
from voice.device.sound import SILENCE, Capture, Speaker

PLAY_PIECE_S = 0.5
"""Reply audio is handed to the speaker in pieces this long (an interruption stops it
within one piece)."""
ECHO_TAIL_S = 0.25
"""The microphone stays muted this long after the speaker stops (the room's echo)."""
REPLY_WAIT_S = 60.0
"""How long a person's turn may wait for its reply before the check-in ends anyway."""
GREETING_WAIT_S = 10.0
"""Listen anyway if no greeting came this long after ``ready``."""
_LOGGER = logging.getLogger(__name__)
_POLL_S = 0.02
_STORAGE_ERRORS = ("storage_full", "storage_failed")


class Ended(enum.Enum):
    """Why a check-in's connection ended."""

    BYE = "bye"
    INPUT_ENDED = "input_ended"
    IDLE = "idle"
    STOPPED = "stopped"
    LOST = "lost"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class CheckinOptions:
    """How to check in."""

    url: str
    hello: dict[str, Any]
    """Extra ``hello`` fields: the ``token``, ``checkin``."""
    idle_s: float = 60.0
    barge_in: bool = False
    """Keep listening while the speaker plays (its echo cancelled, or headphones)."""


@dataclass(frozen=True, slots=True)
class CheckinEnd:
    """What happened on one connection."""

    how: Ended
    heard: bool = False
    """The person said something that was heard as words."""
    answered: bool = False
    """The person's last turn was answered and its reply played."""
    error: str | None = None
    """The server's error code when it refused the ``hello``."""


async def run_checkin(
    options: CheckinOptions,
    capture: Capture,
    speaker: Speaker,
    phrases: Phrases,
    stop: asyncio.Event,
    *,
    on_ready: Callable[[], Awaitable[None]] | None = None,
) -> CheckinEnd:
    """Connect, check in until it ends (see the module), and say how it ended."""
    try:
        async with CheckinClient.open(options.url) as client:
            ready = await client.hello(**options.hello)
            if ready["type"] != "ready":
                return CheckinEnd(Ended.REFUSED, error=str(ready.get("code")))
            if on_ready is not None:
                await on_ready()
            rate = int(ready["tts_audio"]["sample_rate"])
            return await _Conversation(client, rate, capture, speaker, phrases, options).run(stop)
    except (OSError, TimeoutError, ConnectionError, WebSocketException):
        return CheckinEnd(Ended.LOST)


@dataclass
class _Playback:
    """What the speaker is doing, shared by the player and the sender."""

    playing: bool = False
    quiet_until: float = 0.0
    greeted: bool = False
    played_turns: set[int] = field(default_factory=set)
    clips: asyncio.Queue[tuple[bytes, int]] = field(default_factory=asyncio.Queue)


class _Conversation:
    def __init__(
        self,
        client: CheckinClient,
        rate_hz: int,
        capture: Capture,
        speaker: Speaker,
        phrases: Phrases,
        options: CheckinOptions,
    ) -> None:
        self._client = client
        self._got: Received = client.received
        self._rate = rate_hz
        self._capture = capture
        self._speaker = speaker
        self._phrases = phrases
        self._options = options
        self._playback = _Playback()
        self._seen = 0
        self._told_storage = False
        self._started = time.monotonic()
        self._last_activity = self._started

    async def run(self, stop: asyncio.Event) -> CheckinEnd:
        player = asyncio.create_task(self._play())
        try:
            how = await self._send(stop)
        finally:
            player.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await player
        if how in (Ended.STOPPED, Ended.INPUT_ENDED, Ended.IDLE):
            self._speaker.stop()
            with contextlib.suppress(TimeoutError, ConnectionError):
                await self._client.end()
        return CheckinEnd(how, heard=self._got.heard(), answered=self._answered())

    # The sender: microphone frames out, until the check-in ends.

    async def _send(self, stop: asyncio.Event) -> Ended:
        while True:
            self._notice_events()
            if self._got.closed:
                return Ended.BYE if self._got.of_type("bye") else Ended.LOST
            if stop.is_set():
                return Ended.STOPPED
            if self._idle():
                return Ended.IDLE
            frame = await self._capture.frame(listening=self._listening())
            for news in self._capture.take_news():
                self._say(news)
            if frame is None:  # the recording has ended
                if self._answered():
                    return Ended.INPUT_ENDED
                frame = SILENCE
            try:
                await self._client.ws.send(frame)
            except ConnectionClosed:
                continue  # the reader sees the close; the loop says how it ended

    def _listening(self) -> bool:
        playback = self._playback
        if not playback.greeted:
            if time.monotonic() - self._started < GREETING_WAIT_S:
                return False
            playback.greeted = True
        if self._options.barge_in:
            return True
        return not playback.playing and time.monotonic() >= playback.quiet_until

    def _answered(self) -> bool:
        """The last turn is answered and nothing of it is left to play."""
        got = self._got
        pending = {e["turn"] for e in got.of_type("audio_start")} - self._playback.played_turns
        return got.answered() and not pending and not self._playback.playing

    def _idle(self) -> bool:
        """Asked every frame: the events are read only once ``idle_s`` has gone by."""
        quiet_s = time.monotonic() - self._last_activity
        if quiet_s <= self._options.idle_s:
            return False
        if self._playback.playing or not self._playback.greeted:
            return False
        started = {e["turn"] for e in self._got.of_type("speech_started")}
        finals = {e["turn"] for e in self._got.of_type("transcript") if e["final"]}
        if started - finals:
            return False  # the person is speaking, or being transcribed
        if not self._got.answered() and self._got.heard():
            return quiet_s > REPLY_WAIT_S  # a reply is coming
        return True

    def _notice_events(self) -> None:
        events = self._got.events
        for event in events[self._seen :]:
            kind = event.get("type")
            if kind in ("speech_started", "speech_stopped", "audio_end"):
                self._last_activity = time.monotonic()
            if kind in ("speech_started", "speech_stopped"):
                _LOGGER.info("turn %s: %s", event.get("turn"), kind.replace("_", " "))
            if kind == "speech_stopped":
                self._playback.clips.put_nowait((earcon(Cue.THINKING), EARCON_RATE_HZ))
            elif (
                kind == "error" and event.get("code") in _STORAGE_ERRORS and not self._told_storage
            ):
                self._told_storage = True
                self._say(Say.NOT_KEEPING)
        self._seen = len(events)

    def _say(self, what: Say) -> None:
        self._playback.clips.put_nowait(self._phrases.audio(what))

    # The player: local clips, then each reply turn's audio as it arrives.

    async def _play(self) -> None:
        playback = self._playback
        while True:
            clip = None if playback.clips.empty() else playback.clips.get_nowait()
            turn = self._next_turn()
            if clip is None and turn is None:
                await asyncio.sleep(_POLL_S)
                continue
            playback.playing = True
            try:
                if clip is not None:
                    await self._speaker.play(*clip)
                else:
                    assert turn is not None
                    whole = await self._play_turn(turn)
                    playback.played_turns.add(turn)
                    _LOGGER.info("turn %d: reply %s", turn, "played" if whole else "interrupted")
                    if turn == 0 and not playback.greeted:
                        playback.greeted = True
                        _LOGGER.info("listening")
                        await self._speaker.play(earcon(Cue.LISTENING), EARCON_RATE_HZ)
            finally:
                playback.playing = False
                playback.quiet_until = time.monotonic() + ECHO_TAIL_S
                self._last_activity = time.monotonic()

    def _next_turn(self) -> int | None:
        for event in self._got.of_type("audio_start"):
            if event["turn"] not in self._playback.played_turns:
                return int(event["turn"])
        return None

    async def _play_turn(self, turn: int) -> bool:
        """Play ``turn``'s reply as it arrives; False when it was interrupted."""
        piece = int(self._rate * PLAY_PIECE_S) * 2
        offset = 0
        while True:
            ends = [e for e in self._got.of_type("audio_end") if e["turn"] == turn]
            if ends and ends[0].get("interrupted"):
                self._speaker.stop()
                return False
            audio = self._got.audio[turn]
            if offset < len(audio):
                chunk = bytes(audio[offset : offset + piece])
                offset += len(chunk)
                await self._speaker.play(chunk, self._rate)
            elif ends or self._got.closed:
                return True
            else:
                await asyncio.sleep(_POLL_S)
