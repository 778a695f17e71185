"""Speech to text: the Transcriber protocol, the faster-whisper adapter, and the gate
that keeps Whisper's inventions on silence and noise out of the conversation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from voice.audio.pcm import PIPELINE_RATE_HZ, pcm16_to_float
from voice.errors import ModelError


@dataclass(frozen=True, slots=True)
class Segment:
    """One decoded segment with Whisper's own confidence figures."""

    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


@dataclass(frozen=True, slots=True)
class Transcription:
    """What was said in one piece of audio (``text`` is empty when nothing was)."""

    text: str
    audio_seconds: float
    punctuated: bool = False
    """Whether the transcriber punctuates (Whisper does): then a transcript without a final
    stop is one it heard stop mid-sentence (``voice.text.unfinished``)."""


class Transcriber(Protocol):
    """Transcribes 16 kHz mono s16le PCM; blocking, so call it from a worker thread."""

    def transcribe(self, pcm: bytes, *, partial: bool = False) -> Transcription:
        """Return the words in ``pcm``; ``partial`` trades accuracy for speed."""
        ...


# Phrases Whisper is known to produce from silence, music or noise (subtitle credits
# learned from its training data). A real person may say "thank you", so these are
# only dropped when Whisper itself is unsure the audio held speech.
_HALLUCINATIONS = frozenset(
    {
        "thank you",
        "thank you very much",
        "thanks for watching",
        "thank you for watching",
        "thank you so much for watching",
        "please subscribe",
        "subscribe to my channel",
        "bye",
        "you",
        "so",
        "oh",
        "uh",
        "um",
        "hmm",
        "the end",
        "subtitles by the amara org community",
    }
)
_NON_SPEECH = re.compile(r"^\s*(?:♪+|[\[(♪*].*[\])♪*])\s*$")  # "[Music]", "(coughs)", "♪"


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z' ]+", " ", text.lower()).split())


def accept_segments(segments: Sequence[Segment]) -> str:
    """Join the segments that plausibly hold speech; drop Whisper's inventions.

    A segment is dropped when Whisper thinks it is not speech and is not confident
    in the words (its own rule), when it is a sound tag like "[Music]", when it
    repeats itself (high compression ratio), or when it is a known hallucination
    phrase decoded without confidence.
    """
    kept = []
    for seg in segments:
        text = seg.text.strip()
        if not text or _NON_SPEECH.match(text):
            continue
        if seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0:
            continue
        if seg.compression_ratio > 2.4:
            continue
        if _normalise(text) in _HALLUCINATIONS and (
            seg.no_speech_prob > 0.15 or seg.avg_logprob < -0.6
        ):
            continue
        kept.append(text)
    return " ".join(kept)


class WhisperTranscriber:
    """faster-whisper on the CPU (CTranslate2, int8)."""

    def __init__(
        self,
        model_dir: Path,
        *,
        language: str | None = "en",
        cpu_threads: int = 2,
        compute_type: str = "int8",
    ) -> None:
        from faster_whisper import WhisperModel

        try:
            self._model = WhisperModel(
                str(model_dir), device="cpu", compute_type=compute_type, cpu_threads=cpu_threads
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"could not load the Whisper model from {model_dir}") from exc
        self._language = language

    def transcribe(self, pcm: bytes, *, partial: bool = False) -> Transcription:
        """Decode greedily (beam 1: on two cores the beam costs more than it gains)."""
        audio = pcm16_to_float(pcm)
        segments, _info = self._model.transcribe(
            audio,
            language=self._language,
            beam_size=1,
            temperature=0.0 if partial else [0.0, 0.2, 0.4],
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,  # our own VAD has already found the speech
        )
        # The generator does the decoding: consume it here, in the worker thread.
        decoded = [
            Segment(s.text, s.avg_logprob, s.no_speech_prob, s.compression_ratio) for s in segments
        ]
        return Transcription(
            text=accept_segments(decoded),
            audio_seconds=audio.size / PIPELINE_RATE_HZ,
            punctuated=True,
        )
