"""Microphones and speakers: PortAudio (``sounddevice``) on a real box, WAV files for tests
and for people without hardware.

A microphone hands out 20 ms frames of 16 kHz mono s16le. While the device is speaking it
is *not listening*: a real microphone's frames are replaced by silence (without echo
cancellation it would hear the assistant), and a recording waits, like a person who lets
the assistant finish. A speaker plays mono s16le PCM at any rate and returns when it has
played it, so the caller knows when the microphone may listen again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from voice.audio.pcm import (
    PIPELINE_RATE_HZ,
    float_to_pcm16,
    pcm16_to_float,
    read_wav,
    write_wav,
)
from voice.audio.resample import resample
from voice.device.echo import AudioClock, EchoCanceller, EchoReference
from voice.device.feedback import Say
from voice.errors import AudioError

_LOGGER = logging.getLogger(__name__)

FRAME_MS = 20
FRAME_BYTES = PIPELINE_RATE_HZ * FRAME_MS // 1000 * 2
SILENCE = bytes(FRAME_BYTES)
_QUEUED_FRAMES = 50
"""Frames a microphone keeps while nobody reads them (1 s); older ones are dropped."""
_STALLED_S = 3.0
"""A speaker that has taken no audio for this long is opened again."""
_LOST_AFTER_S = 5.0
"""A microphone that has given nothing for this long is lost (unplugged). A stream through
ALSA's PulseAudio plugin gives its first frame about 2 s after it starts."""


class MicrophoneLost(AudioError):
    """The microphone stopped giving audio (unplugged, or its device went away)."""


class Microphone(Protocol):
    """Where the person's voice comes from."""

    async def frame(self, *, listening: bool) -> bytes | None:
        """The next 20 ms frame (silence while not ``listening``); None when a recording has
        ended. Raises ``MicrophoneLost`` when a real microphone goes away."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...


class Speaker(Protocol):
    """Where the assistant's voice goes."""

    async def play(self, pcm: bytes, rate_hz: int) -> None:
        """Play mono s16le ``pcm`` and return once it has been played."""
        ...

    def stop(self) -> None:
        """Drop what is waiting to be played (the reply was interrupted)."""
        ...

    def close(self) -> None:
        """Release the device (a WAV speaker writes its file)."""
        ...


class WavMicrophone:
    """A recording played as the microphone, in real time; it waits while not listening."""

    def __init__(self, path: Path, *, realtime: bool = True) -> None:
        samples, rate = read_wav(path)
        self._pcm = float_to_pcm16(resample(samples, rate, PIPELINE_RATE_HZ))
        self._offset = 0
        self._realtime = realtime
        self._due = time.monotonic()

    @property
    def heard_s(self) -> float:
        """How much of the recording has been heard, in seconds."""
        return min(self._offset, len(self._pcm)) / 2 / PIPELINE_RATE_HZ

    @property
    def ended(self) -> bool:
        """True once every frame of the recording has been heard."""
        return self._offset >= len(self._pcm)

    async def frame(self, *, listening: bool) -> bytes | None:
        if self._realtime:
            self._due = max(self._due + FRAME_MS / 1000, time.monotonic() - 0.2)
            await asyncio.sleep(max(0.0, self._due - time.monotonic()))
        if not listening:
            return SILENCE
        if self.ended:
            return None
        chunk = self._pcm[self._offset : self._offset + FRAME_BYTES]
        self._offset += FRAME_BYTES
        return chunk.ljust(FRAME_BYTES, b"\0")

    def close(self) -> None:
        return None


class WavSpeaker:
    """Records what the speaker would play into a WAV file (written on ``close``); playing
    takes as long as the audio lasts when ``realtime``."""

    def __init__(self, path: Path, *, rate_hz: int = 22050, realtime: bool = True) -> None:
        self.path = path
        self.rate_hz = rate_hz
        self._realtime = realtime
        self._pcm = bytearray()
        self._stopped = False

    @property
    def played(self) -> bytes:
        """Everything played so far, at ``rate_hz``."""
        return bytes(self._pcm)

    async def play(self, pcm: bytes, rate_hz: int) -> None:
        self._stopped = False
        if rate_hz != self.rate_hz:
            pcm = float_to_pcm16(resample(pcm16_to_float(pcm), rate_hz, self.rate_hz))
        step = self.rate_hz // 10 * 2  # 100 ms, so a stop takes effect soon
        for offset in range(0, len(pcm), step):
            if self._stopped:
                return
            chunk = pcm[offset : offset + step]
            self._pcm.extend(chunk)
            if self._realtime:
                await asyncio.sleep(len(chunk) / 2 / self.rate_hz)

    def stop(self) -> None:
        self._stopped = True

    def close(self) -> None:
        write_wav(self.path, bytes(self._pcm), self.rate_hz)


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # the PortAudio library itself is missing
        raise AudioError(
            "PortAudio is missing: install it (Debian: sudo apt-get install libportaudio2)"
        ) from exc
    return sounddevice


class PortAudioMicrophone:
    """The machine's microphone through PortAudio, 16 kHz mono, 20 ms a frame; with a
    ``canceller``, without the echo of what the device's speaker played."""

    def __init__(
        self, device: str | int | None = None, *, canceller: EchoCanceller | None = None
    ) -> None:
        sd = _sounddevice()
        self._canceller = canceller
        self._clock = AudioClock(PIPELINE_RATE_HZ)
        self._loop = asyncio.get_running_loop()
        self._frames: asyncio.Queue[tuple[bytes, float]] = asyncio.Queue(_QUEUED_FRAMES)
        try:
            self._stream = sd.RawInputStream(
                samplerate=PIPELINE_RATE_HZ,
                channels=1,
                dtype="int16",
                blocksize=FRAME_BYTES // 2,
                latency="low",
                device=device,
                callback=self._captured,
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError, ValueError: no such device
            raise MicrophoneLost(f"no microphone could be opened ({type(exc).__name__})") from exc

    def _captured(self, data: Any, _frames: int, times: Any, _status: Any) -> None:
        # The audio clock the speaker's is on, the jitter of each report smoothed away.
        heard_at = self._clock.stamp(float(times.inputBufferAdcTime), len(data) // 2)
        self._loop.call_soon_threadsafe(self._keep, bytes(data), heard_at)

    def _keep(self, frame: bytes, heard_at: float) -> None:
        if self._frames.full():
            self._frames.get_nowait()
        self._frames.put_nowait((frame, heard_at))

    async def frame(self, *, listening: bool) -> bytes | None:
        try:
            captured, heard_at = await asyncio.wait_for(self._frames.get(), _LOST_AFTER_S)
        except TimeoutError:
            raise MicrophoneLost("the microphone stopped giving audio") from None
        try:
            active = self._stream.active
        except Exception:  # PortAudioError: the stream is gone
            active = False
        if not active:
            raise MicrophoneLost("the microphone stream stopped")
        if self._canceller is not None:
            captured = self._canceller.clean(captured, heard_at)  # every frame: it adapts
        return captured if listening else SILENCE

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stream.close()


class PortAudioSpeaker:
    """The machine's speaker through PortAudio. A callback stream takes audio from a
    buffer and plays silence when it is empty (no underrun errors between replies);
    ``play`` waits until its audio has been taken, so ``stop`` takes effect at once."""

    def __init__(
        self, device: str | int | None = None, *, reference: EchoReference | None = None
    ) -> None:
        self._sd = _sounddevice()
        self._device = device
        self._reference = reference
        self._stream: Any = None
        self._rate = 0
        self._clock = AudioClock(PIPELINE_RATE_HZ)
        self._pending = bytearray()
        self._lock = threading.Lock()

    def _open(self, rate_hz: int) -> None:
        if self._stream is not None and self._rate == rate_hz and self._active():
            return
        self.close()
        self._rate = rate_hz  # before the stream starts: its callback reads them
        self._clock = AudioClock(rate_hz)
        try:
            self._stream = self._sd.RawOutputStream(
                samplerate=rate_hz,
                channels=1,
                dtype="int16",
                device=self._device,
                callback=self._feed,
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError, ValueError: no such device
            self._stream = None
            raise AudioError(f"no speaker could be opened ({type(exc).__name__})") from exc

    def _active(self) -> bool:
        try:
            return bool(self._stream.active)
        except Exception:  # PortAudioError: the stream is gone
            return False

    def _feed(self, out: Any, _frames: int, times: Any, _status: Any) -> None:
        size = len(out)
        with self._lock:
            chunk = bytes(self._pending[:size])
            del self._pending[:size]
        out[: len(chunk)] = chunk
        out[len(chunk) :] = bytes(size - len(chunk))
        if self._reference is not None:
            at = self._clock.stamp(float(times.outputBufferDacTime), size // 2)
            self._reference.played(bytes(out), self._rate, at)

    async def play(self, pcm: bytes, rate_hz: int) -> None:
        self._open(rate_hz)
        with self._lock:
            self._pending.extend(pcm)
        before, moved_at, reopened = -1, time.monotonic(), False
        while True:
            with self._lock:
                left = len(self._pending)
            if not left:
                return
            if left != before:
                before, moved_at = left, time.monotonic()
            elif time.monotonic() - moved_at > _STALLED_S or not self._active():
                # The sound system stopped taking audio (ALSA through a sound server can
                # drop a stream's callbacks): open the stream again, once per piece.
                if reopened:
                    self.stop()
                    raise AudioError("the speaker stopped taking audio")
                _LOGGER.warning("the speaker stalled; opening it again")
                self.close()
                self._open(rate_hz)
                reopened, moved_at = True, time.monotonic()
            await asyncio.sleep(min(0.05, left / 2 / rate_hz))

    def stop(self) -> None:
        with self._lock:
            self._pending.clear()

    def close(self) -> None:
        if self._stream is not None:
            with contextlib.suppress(Exception):
                self._stream.close()
        self._stream = None


class Capture:
    """The microphone across a check-in: opened by ``open_mic`` when first needed, and
    when it is lost (unplugged), opened again every ``retry_s`` while silence stands in for
    it. ``take_news`` says, once each, that it was lost or is back."""

    def __init__(
        self,
        open_mic: Callable[[], Microphone],
        *,
        retry_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._open_mic = open_mic
        self._retry_s = retry_s
        self._clock = clock
        self._mic: Microphone | None = None
        self._retry_at = 0.0
        self._lost = False
        self._news: list[Say] = []

    async def frame(self, *, listening: bool) -> bytes | None:
        """The microphone's next frame, or silence while there is none."""
        if self._mic is None and self._clock() >= self._retry_at:
            self._open()
        if self._mic is None:
            await asyncio.sleep(FRAME_MS / 1000)
            return SILENCE
        try:
            return await self._mic.frame(listening=listening)
        except MicrophoneLost:
            self._mic.close()
            self._mic = None
            self._retry_at = self._clock() + self._retry_s
            self._lose()
            return SILENCE

    def _open(self) -> None:
        try:
            self._mic = self._open_mic()
        except MicrophoneLost:
            self._retry_at = self._clock() + self._retry_s
            self._lose()
            return
        if self._lost:
            self._lost = False
            self._news.append(Say.MICROPHONE_BACK)

    def _lose(self) -> None:
        if not self._lost:
            self._lost = True
            self._news.append(Say.MICROPHONE_LOST)

    def take_news(self) -> list[Say]:
        """What to tell the person about the microphone since the last call."""
        news, self._news = self._news, []
        return news

    def close(self) -> None:
        """Release the microphone (it is opened only during a check-in)."""
        if self._mic is not None:
            self._mic.close()
        self._mic = None
