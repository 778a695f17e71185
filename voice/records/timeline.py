"""A check-in's recording as one timeline: the person's voice and the assistant's reply, each
piece placed by its position in the person's audio stream. Pure functions: the bytes of a
chunk before it is sealed, and the two tracks put back together for listening."""

from __future__ import annotations

import io
import struct
import wave
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from voice.audio.resample import resample
from voice.errors import VaultError

_HEAD = struct.Struct(">BQ")  # source, position in voice samples from the segment's start


class Source(IntEnum):
    """Whose audio a piece is."""

    VOICE = 0
    REPLY = 1


@dataclass(frozen=True, slots=True)
class Piece:
    """Audio placed on the timeline: ``at`` counts the person's samples (at their rate)."""

    source: Source
    at: int
    pcm: bytes


def pack(piece: Piece) -> bytes:
    """The plaintext of one chunk."""
    return _HEAD.pack(int(piece.source), piece.at) + piece.pcm


def unpack(plain: bytes) -> Piece:
    """A chunk's piece; ``VaultError`` if the bytes are not one (a bug or an old format)."""
    if len(plain) < _HEAD.size or (len(plain) - _HEAD.size) % 2:
        raise VaultError("a recording chunk has an unknown format", code="tampered")
    source, at = _HEAD.unpack_from(plain)
    if source not in (Source.VOICE, Source.REPLY):
        raise VaultError("a recording chunk has an unknown format", code="tampered")
    return Piece(Source(source), at, plain[_HEAD.size :])


@dataclass(frozen=True, slots=True)
class Tracks:
    """The recording, decoded: both tracks at the person's rate, on one timeline."""

    rate_hz: int
    voice: npt.NDArray[np.int16]
    reply: npt.NDArray[np.int16]

    @property
    def seconds(self) -> float:
        return len(self.voice) / self.rate_hz


def assemble(
    segments: list[tuple[int, list[Piece]]], voice_rate_hz: int, reply_rate_hz: int
) -> Tracks:
    """Both tracks from each segment's start (ms on the check-in's timeline) and pieces.
    Reply audio is resampled to the person's rate; where replies overlap they are summed."""
    voice_parts: list[tuple[int, npt.NDArray[np.int16]]] = []
    reply_parts: list[tuple[int, npt.NDArray[np.int16]]] = []
    for start_ms, pieces in segments:
        origin = start_ms * voice_rate_hz // 1000
        for piece in pieces:
            samples = np.frombuffer(piece.pcm, dtype="<i2")
            if piece.source is Source.VOICE:
                voice_parts.append((origin + piece.at, samples))
            else:
                reply_parts.append((origin + piece.at, samples))
    replies = [(at, _to_rate(s, reply_rate_hz, voice_rate_hz)) for at, s in reply_parts]
    length = max((at + len(s) for at, s in [*voice_parts, *replies]), default=0)
    voice = np.zeros(length, dtype=np.int16)
    for at, samples in voice_parts:
        voice[at : at + len(samples)] = samples
    mixed = np.zeros(length, dtype=np.int32)
    for at, samples in replies:
        mixed[at : at + len(samples)] += samples
    reply = np.clip(mixed, -32768, 32767).astype(np.int16)
    return Tracks(voice_rate_hz, voice, reply)


def _to_rate(samples: npt.NDArray[np.int16], from_hz: int, to_hz: int) -> npt.NDArray[np.int16]:
    if from_hz == to_hz or not len(samples):
        return samples
    floats = resample(samples.astype(np.float32) / 32768.0, from_hz, to_hz)
    return np.clip(np.round(floats * 32768.0), -32768, 32767).astype(np.int16)


def wav_bytes(tracks: Tracks) -> bytes:
    """A 16-bit stereo WAV: the person on the left channel, the assistant on the right."""
    frames = np.empty(len(tracks.voice) * 2, dtype="<i2")
    frames[0::2] = tracks.voice
    frames[1::2] = tracks.reply
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(tracks.rate_hz)
        wav.writeframes(frames.tobytes())
    return out.getvalue()
