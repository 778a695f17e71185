"""Hearing one client: audio in, turn events out (synchronous and clock-free).

Client PCM is resampled to 16 kHz, cut into 30 ms frames, judged by the speech detector
and fed to the ``Endpointer``. Besides the turn's start and end, ``Hearing`` says when to
transcribe before the turn has ended: a partial transcript about once a second while the
person speaks, and the final one early, at each pause (``PauseHeard``), where an
end-of-turn model is also asked whether the turn is over (``judge``), and when the person
speaks again after such a pause (``SpeechResumed``). A person who goes on speaking soon
after a turn was ended on silence, without answering a reply, was cut off mid-thought;
their turns then wait for longer silences (``went_on``). Time is the audio fed so far,
never a clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice.audio.endpointer import (
    Endpointer,
    EndpointerConfig,
    TurnEnded,
    TurnEvent,
    TurnStarted,
)
from voice.audio.pcm import PIPELINE_RATE_HZ, Rechunker, float_to_pcm16, pcm16_to_float
from voice.audio.resample import Resampler
from voice.audio.vad import FRAME_BYTES, SpeechDetector

PARTIAL_INTERVAL_MS = 1000
"""A partial transcript at most this often while the person speaks."""
RESUMED_WITHIN_MS = 2500
"""Speech that begins this soon after a turn ended on silence, without answering a reply,
goes on with the same thought: that turn was ended too soon."""
REPLY_HEARD_MS = 500
"""Speech that begins less than this after the reply began to be sent does not answer it
(the person has heard a word at most: they are going on with their thought)."""
PATIENCE_MARGIN_MS = 300
"""Added to the pause the person took, for the silence that ends their turns from then on."""
MAX_PATIENCE_MS = 2500
"""The longest end silence patience gives (below the 3 s a mid-sentence pause waits)."""


def patient_silence(end_silence_ms: int, gap_ms: int) -> int:
    """The silence that should end a person's turns once they went on speaking ``gap_ms``
    after one ended: the pause they took and a margin, never less than ``end_silence_ms``,
    and at most ``MAX_PATIENCE_MS`` (unless ``end_silence_ms`` was more already)."""
    return max(end_silence_ms, min(MAX_PATIENCE_MS, gap_ms + PATIENCE_MARGIN_MS))


@dataclass(frozen=True, slots=True)
class PauseHeard:
    """The person has paused inside a turn (``EndpointerConfig.pause_ms``): transcribe
    ``pcm`` now, as the probable final, and, with an end-of-turn model, ask it whether the
    turn is over (its answer goes to ``Hearing.judge``).

    ``speech_end_ms`` says where the speech paused; the turn's ``TurnEnded.at_ms`` equals
    it when no more speech came, which is when the early transcript is used."""

    speech_end_ms: int
    pcm: bytes


@dataclass(frozen=True, slots=True)
class SpeechResumed:
    """The person spoke again after the pause at ``paused_ms``: what was begun there (the
    early transcript, a reply held for the end of the turn) is out of date."""

    paused_ms: int


@dataclass(frozen=True, slots=True)
class PartialDue:
    """Time for a partial transcript of the turn so far (``pcm``)."""

    pcm: bytes


HearingEvent = TurnStarted | TurnEnded | PauseHeard | SpeechResumed | PartialDue


class Hearing:
    """Turns one client's audio into ``HearingEvent``s.

    Call ``feed`` with each chunk of client audio (in the hello's format) and ``commit``
    when the client says the person is done; both return the events, in order.
    """

    def __init__(
        self, detector: SpeechDetector, *, input_rate_hz: int, endpointer: EndpointerConfig
    ) -> None:
        self._detector = detector
        self._endpointer = Endpointer(endpointer)
        self._resampler = (
            Resampler(input_rate_hz, PIPELINE_RATE_HZ)
            if input_rate_hz != PIPELINE_RATE_HZ
            else None
        )
        self._rechunker = Rechunker(FRAME_BYTES)
        self._last_partial_ms = 0
        self._paused_at_ms: int | None = None  # the pause already reported in this turn
        self._silence_ended_ms: int | None = None  # the last turn's speech end, if silence ended it

    @property
    def position_ms(self) -> int:
        """Milliseconds of audio heard so far."""
        return self._endpointer.position_ms

    @property
    def in_turn(self) -> bool:
        """True while the person is taking a turn."""
        return self._endpointer.in_turn

    def feed(self, pcm: bytes, *, partial_busy: bool = False) -> list[HearingEvent]:
        """Hear a chunk; ``partial_busy`` says a partial transcript is still being made
        (no new one is due until it is done)."""
        if self._resampler is not None:
            pcm = float_to_pcm16(self._resampler.process(pcm16_to_float(pcm)))
        events: list[HearingEvent] = []
        endpointer = self._endpointer
        for frame in self._rechunker.push(pcm):
            for event in self._note(endpointer.process(frame, self._detector.is_speech(frame))):
                if isinstance(event, TurnStarted):
                    self._last_partial_ms = event.at_ms
                    self._paused_at_ms = None
                events.append(event)
            if not endpointer.in_turn:
                continue
            paused = self._paused_at_ms
            if paused is not None and endpointer.speech_end_ms != paused:
                self._paused_at_ms = None
                events.append(SpeechResumed(paused))
            if endpointer.silence_ms >= endpointer.config.pause_ms:
                if self._paused_at_ms != endpointer.speech_end_ms:
                    self._paused_at_ms = endpointer.speech_end_ms
                    events.append(PauseHeard(endpointer.speech_end_ms, endpointer.turn_pcm()))
            elif (
                not partial_busy
                and endpointer.position_ms - self._last_partial_ms >= PARTIAL_INTERVAL_MS
            ):
                self._last_partial_ms = endpointer.position_ms
                partial_busy = True  # one at a time, even within one chunk
                events.append(PartialDue(endpointer.turn_pcm()))
        return events

    def commit(self) -> list[HearingEvent]:
        """End the current turn now (the client's ``commit``)."""
        return list(self._note(self._endpointer.commit()))

    def judge(self, pause: PauseHeard, complete: bool | None) -> list[HearingEvent]:
        """The end-of-turn model's verdict on ``pause`` (``None``: it gave none)."""
        return list(self._note(self._endpointer.judge(pause.speech_end_ms, complete)))

    def hold(self, pause: PauseHeard) -> None:
        """The words at ``pause`` stop mid-sentence: wait longer for the person to go on."""
        self._endpointer.hold(pause.speech_end_ms)

    def went_on(self, started: TurnStarted, reply_sent_at_ms: int | None) -> int | None:
        """A turn ``started``; ``reply_sent_at_ms``: where in the audio the reply to the
        previous turn began to be sent (None: not yet). If the person went on within
        ``RESUMED_WITHIN_MS`` of a turn that silence ended (not a commit, the end-of-turn
        model or its length), without answering a reply (none sent, or sent less than
        ``REPLY_HEARD_MS`` before), that turn was ended mid-thought: from now on their
        turns wait for a longer silence (``patient_silence``). Returns that silence when
        it grew, else None."""
        ended = self._silence_ended_ms
        if ended is None or started.at_ms - ended > RESUMED_WITHIN_MS:
            return None
        if reply_sent_at_ms is not None and started.at_ms - reply_sent_at_ms >= REPLY_HEARD_MS:
            return None  # an answer to the reply
        endpointer = self._endpointer
        before = endpointer.end_silence_ms
        endpointer.lengthen(patient_silence(before, started.at_ms - ended))
        return endpointer.end_silence_ms if endpointer.end_silence_ms > before else None

    def _note(self, events: list[TurnEvent]) -> list[TurnEvent]:
        for event in events:
            if isinstance(event, TurnEnded):
                self._silence_ended_ms = event.at_ms if event.reason == "silence" else None
        return events
