"""Echo cancelling: what the device's own speaker played is taken out of what its
microphone hears, so a person can speak over a reply on a loudspeaker (barge-in) without
the device hearing itself.

The canceller is WebRTC's AEC3 (the audio processing module every browser runs), through
the ``pywebrtc-audio`` bindings. ``EchoReference`` keeps what the speaker played, at 16 kHz,
on the audio clock, written from the speaker's audio thread; ``EchoCanceller`` takes what
was playing when each microphone frame was heard. AEC3 finds the rest of the delay itself
(the room, the converters); ``delay_ms`` is only its first guess.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from voice.audio.pcm import PIPELINE_RATE_HZ, pcm16_to_float
from voice.audio.resample import Resampler

_AEC_FRAME_BYTES = PIPELINE_RATE_HZ // 100 * 2
"""AEC3 works on 10 ms frames."""
PLAYING_DBFS = -50.0
"""The speaker is playing when the reference is louder than this."""
ECHO_ONLY_DB = 15.0
"""While it plays, a frame the canceller made this much quieter was only echo: its
remains are silenced (WebRTC's own suppressor leaves a little, and the server's speech
detector raises quiet input, so the remains could start a turn in a quiet room)."""
HOLD_S = 0.5
"""...and for this long after it was last loud: the room's reverberation, and a sound
system whose reported latency falls short of its real one."""
REALIGN_S = 0.03
"""A microphone frame this far from where the last one ended is taken from its own time."""
_MOST_S = 2.0
"""The reference keeps at most this much of what was played."""
_BYTES_PER_S = PIPELINE_RATE_HZ * 2


class AudioClock:
    """When each block of one audio stream is heard or played, on the audio clock.

    The times the sound system reports for each block jitter (through ALSA's PulseAudio
    plugin by 10 to 20 ms on a busy machine, measured with ``voice device``): taken as
    they are, the reference skips or repeats pieces and the microphone's frames jump,
    and the canceller loses the echo for a moment each time. So a stream's own sample
    count says where each block lies, and the reported times only say, slowly followed,
    where that count sits on the clock. Used from the stream's audio thread only."""

    FOLLOW = 0.05
    """How much of each block's reported offset is followed (about 20 blocks' memory)."""
    RESTART_S = 0.5
    """A reported time this far from the count's is a new start (the clock jumped)."""

    def __init__(self, rate_hz: int) -> None:
        self._rate = rate_hz
        self._samples = 0
        self._offset: float | None = None

    def stamp(self, reported_at: float, samples: int) -> float:
        """The time of a block of ``samples`` that the sound system says is at
        ``reported_at``."""
        position = self._samples / self._rate
        self._samples += samples
        offset = reported_at - position
        if self._offset is None or abs(offset - self._offset) > self.RESTART_S:
            self._offset = offset
        else:
            self._offset += self.FOLLOW * (offset - self._offset)
        return self._offset + position


class EchoReference:
    """What the speaker played, at 16 kHz mono s16le, on the audio clock (thread-safe).

    The speaker says when each block will reach its output (PortAudio's DAC time) and the
    microphone when each frame was captured (its ADC time), on the same clock, so each
    microphone frame is matched with what was playing as it was heard, whatever the
    buffers of the sound system in between (through ALSA's PulseAudio plugin, seconds)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pcm = bytearray()
        self._start: float | None = None
        """When the first byte of ``_pcm`` was played."""
        self._resampler: Resampler | None = None
        self._rate = 0
        self._next: float | None = None
        """Where the last piece taken ended."""

    def played(self, pcm: bytes, rate_hz: int, at: float) -> None:
        """``pcm`` (its silence too) at ``rate_hz`` reaches the speaker at time ``at``."""
        if rate_hz != PIPELINE_RATE_HZ:
            if self._resampler is None or self._rate != rate_hz:
                self._resampler, self._rate = Resampler(rate_hz, PIPELINE_RATE_HZ), rate_hz
            samples = self._resampler.process(pcm16_to_float(pcm))
            pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        most = int(_MOST_S * _BYTES_PER_S)
        with self._lock:
            expected = None if self._start is None else self._start + len(self._pcm) / _BYTES_PER_S
            if expected is None or abs(expected - at) > 0.05:  # a new stream, or a gap
                self._pcm.clear()
                self._start = at
            self._pcm.extend(pcm)
            self._drop(len(self._pcm) - most)

    def take(self, size: int, at: float) -> bytes:
        """``size`` bytes of what was playing from time ``at`` on (silence where nothing
        was); what was played before is forgotten. Taken one after another, the pieces
        follow on without a gap or an overlap unless ``at`` strays more than
        ``REALIGN_S`` from where the last one ended: the canceller follows small changes of
        delay itself, but not a reference that skips."""
        with self._lock:
            if self._next is None or abs(at - self._next) > REALIGN_S:
                self._next = at
            at, self._next = self._next, self._next + size / _BYTES_PER_S
            if self._start is None:
                return bytes(size)
            first = round((at - self._start) * PIPELINE_RATE_HZ) * 2
            lead = bytes(max(0, -first))
            taken = lead + bytes(self._pcm[max(0, first) : max(0, first + size)])
            self._drop(first)
        return taken[:size].ljust(size, b"\0")

    def _drop(self, size: int) -> None:
        if size > 0 and self._start is not None:
            size = min(size, len(self._pcm)) // 2 * 2
            del self._pcm[:size]
            self._start += size / _BYTES_PER_S


class EchoCanceller:
    """Removes the reference's echo from microphone frames (16 kHz mono s16le, any whole
    number of 10 ms frames). Not thread-safe: one microphone's reader uses it."""

    def __init__(
        self, reference: EchoReference, *, delay_ms: int = 60, silence_remains: bool = True
    ) -> None:
        """``silence_remains``: while the speaker plays, silence a frame the canceller made
        ``ECHO_ONLY_DB`` quieter (off only to measure AEC3 alone)."""
        from pywebrtc_audio import EchoCanceller as Aec3

        self.reference = reference
        self._silence_remains = silence_remains
        self._played_until = float("-inf")
        """When the reference was last loud (the audio clock)."""
        self._aec: Any = Aec3(sample_rate=PIPELINE_RATE_HZ, stream_delay_ms=delay_ms)

    def clean(self, near: bytes, at: float) -> bytes:
        """``near``, captured from time ``at`` on, without the echo of what was played."""
        far = self.reference.take(len(near), at)
        out = []
        for i in range(0, len(near) - len(near) % _AEC_FRAME_BYTES, _AEC_FRAME_BYTES):
            mic = np.frombuffer(near[i : i + _AEC_FRAME_BYTES], "<i2")
            ref = np.frombuffer(far[i : i + _AEC_FRAME_BYTES], "<i2")
            cleaned = self._aec.process(mic, ref).astype("<i2")
            now = at + i / _BYTES_PER_S
            if _level_db(ref) > PLAYING_DBFS:
                self._played_until = now
            playing = now - self._played_until <= HOLD_S
            reduced = _level_db(cleaned) < _level_db(mic) - ECHO_ONLY_DB
            if self._silence_remains and playing and reduced:
                cleaned = np.zeros_like(cleaned)  # only the echo's remains: nobody spoke
            out.append(cleaned.tobytes())
        return b"".join(out)


def _level_db(frame: np.ndarray) -> float:
    power = float(np.mean(frame.astype(np.float64) ** 2)) / 32768.0**2
    return float(10.0 * np.log10(max(power, 1e-12)))


def canceller_or_none(delay_ms: int = 60) -> EchoCanceller | None:
    """A canceller with its reference, or None when the bindings cannot load here."""
    try:
        return EchoCanceller(EchoReference(), delay_ms=delay_ms)
    except ImportError:
        return None
