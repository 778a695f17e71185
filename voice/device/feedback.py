"""What the device says about itself, for a person who cannot see it.

Earcons are short tones made here (no files): a rising pair when it starts listening, a
soft low tick when it has heard the end of a turn and is thinking, a falling pair on an
error. Problems a person must act on or wait for are also said in words, in the local
Piper voice when the models are installed (``Phrases``), and only an earcon when not.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np

from voice.audio.pcm import float_to_pcm16

_LOGGER = logging.getLogger(__name__)

EARCON_RATE_HZ = 22050


class Cue(enum.Enum):
    """A state the device makes audible."""

    LISTENING = "listening"
    THINKING = "thinking"
    ERROR = "error"


# (frequency Hz, seconds) notes; quiet (peak -12 dBFS) so they never startle.
_NOTES: dict[Cue, tuple[tuple[float, float], ...]] = {
    Cue.LISTENING: ((660.0, 0.09), (880.0, 0.12)),
    Cue.THINKING: ((440.0, 0.07),),
    Cue.ERROR: ((523.0, 0.14), (392.0, 0.2)),
}
_PEAK = 0.25


def earcon(cue: Cue, rate_hz: int = EARCON_RATE_HZ) -> bytes:
    """The cue's tones as mono s16le at ``rate_hz``, each note faded in and out."""
    pieces = []
    for freq, seconds in _NOTES[cue]:
        t = np.arange(int(seconds * rate_hz)) / rate_hz
        fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.015)
        pieces.append(_PEAK * fade * np.sin(2 * np.pi * freq * t))
        pieces.append(np.zeros(int(0.03 * rate_hz)))
    return float_to_pcm16(np.concatenate(pieces).astype(np.float32))


class Say(enum.Enum):
    """The phrases the device says in its own voice (never health content)."""

    INVITATION = "It's time for your check-in."
    CONNECTION_LOST = "I've lost the connection to the check-in server. I'll keep trying."
    CONNECTION_BACK = "I'm connected again."
    SERVER_BUSY = "The check-in server is busy. I'll try again in a moment."
    REFUSED = "The check-in server did not accept this device. It needs a new pairing token."
    MICROPHONE_LOST = "I can't hear the microphone. Please check that it is plugged in."
    MICROPHONE_BACK = "I can hear the microphone again."
    NOT_KEEPING = "I can't keep a record of this check-in right now, but we can still talk."


_PROBLEMS = frozenset(
    {Say.CONNECTION_LOST, Say.SERVER_BUSY, Say.REFUSED, Say.MICROPHONE_LOST, Say.NOT_KEEPING}
)


class Phrases:
    """Each ``Say`` as audio: spoken by ``synthesize`` (made once, on first use), or the
    error earcon when there is no voice."""

    def __init__(self, synthesize: Callable[[str], tuple[bytes, int]] | None) -> None:
        self._synthesize = synthesize
        self._made: dict[Say, tuple[bytes, int]] = {}

    def audio(self, what: Say) -> tuple[bytes, int]:
        """PCM and its rate."""
        if what not in self._made:
            self._made[what] = self._make(what)
        return self._made[what]

    def _make(self, what: Say) -> tuple[bytes, int]:
        if self._synthesize is not None:
            try:
                return self._synthesize(what.value)
            except Exception as exc:  # a broken voice must not silence the device
                _LOGGER.warning("the local voice failed (%s); using tones", type(exc).__name__)
                self._synthesize = None
        tone = Cue.ERROR if what in _PROBLEMS else Cue.LISTENING
        return earcon(tone), EARCON_RATE_HZ


def piper_phrases(model_path: Path | None) -> Phrases:
    """Phrases in the local Piper voice at ``model_path``, or tones when it cannot load."""
    if model_path is None:
        return Phrases(None)
    from voice.engines.tts import PiperSynthesizer
    from voice.errors import ModelError

    try:
        # steady: these few phrases are made once and replayed, so each is the same clear
        # take every time (Piper's sampled variation once in a while slurs a word)
        voice = PiperSynthesizer(model_path, steady=True)
    except (ModelError, ImportError) as exc:
        _LOGGER.warning("no local voice (%s); the device will use tones", type(exc).__name__)
        return Phrases(None)

    def synthesize(text: str) -> tuple[bytes, int]:
        return b"".join(voice.synthesize(text)), voice.sample_rate_hz

    return Phrases(synthesize)
