"""The endpointer: where a person's turn starts and ends (a pure state machine).

It is fed 30 ms frames of 16 kHz PCM together with the speech detector's verdict, and
returns turn events. It has no clock of its own: time is the count of samples fed.

Without an end-of-turn model a turn ends after ``end_silence_ms`` of silence. With one
(``unsure_silence_ms`` set), each pause is judged (``judge``): a turn the model calls
complete ends at once, one it calls unfinished waits up to ``unsure_silence_ms`` for more
speech (people pause mid-sentence to think), and one it could not judge falls back to
``end_silence_ms``. Either way, a pause whose words stop mid-sentence (``hold``: "I went to
the shop and") waits up to ``unfinished_silence_ms``. A person who was cut off mid-thought
gets longer silences from then on (``lengthen``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from voice.audio.vad import FRAME_BYTES, FRAME_MS
from voice.errors import ConfigError

END_SILENCE_MS = 800
"""Silence that ends a turn unless a client or the operator asks for another; people pause
while reflecting, so it is generous."""
MIN_END_SILENCE_MS = 200
MAX_END_SILENCE_MS = 5000
"""The range a client (``hello.endpoint_silence_ms``) or the operator may choose from."""
PAUSE_MS = 210
"""The pause at which the final transcript and the reply are begun early (the reply is held
until the turn is over), and an end-of-turn model, if any, is asked whether it is. Shorter
than the 300 ms it was: the reply's model is then asked about 280 ms before the 800 ms end
(measured: docs/benchmarks.md, *Replies begun at the pause*)."""
UNSURE_SILENCE_MS = 3000
"""With an end-of-turn model: the longest silence a turn the model calls unfinished waits."""


@dataclass(frozen=True, slots=True)
class EndpointerConfig:
    """Timing of turn detection, in milliseconds (multiples of 30 ms are exact)."""

    start_window_ms: int = 300
    """Window in which speech must dominate before a turn starts."""
    start_ratio: float = 0.6
    """Share of speech frames in the start window that starts a turn."""
    end_silence_ms: int = END_SILENCE_MS
    """Silence that ends a turn (``MIN_END_SILENCE_MS`` .. ``MAX_END_SILENCE_MS``) when no
    end-of-turn model judges it."""
    pause_ms: int = PAUSE_MS
    """A pause this long inside a turn: its final transcript is begun early and, with an
    end-of-turn model, the model is asked whether the turn is over."""
    unsure_silence_ms: int | None = None
    """None: no end-of-turn model. Otherwise each pause is judged, and a turn the model
    calls unfinished ends after this much silence."""
    unfinished_silence_ms: int | None = UNSURE_SILENCE_MS
    """The silence a turn waits at a pause whose words stop mid-sentence (``hold``); None:
    the words are not read."""
    pre_roll_ms: int = 300
    """Audio kept from before the start so the first syllable is not lost."""
    tail_ms: int = 240
    """Audio kept after the last speech frame (word endings are quiet)."""
    max_turn_ms: int = 60_000
    """A turn longer than this is ended anyway (bounds memory and latency)."""

    def __post_init__(self) -> None:
        if not 90 <= self.start_window_ms <= 3000:
            raise ConfigError("start_window_ms must be 90..3000")
        if not 0.0 < self.start_ratio <= 1.0:
            raise ConfigError("start_ratio must be in (0, 1]")
        if not MIN_END_SILENCE_MS <= self.end_silence_ms <= MAX_END_SILENCE_MS:
            raise ConfigError(f"end_silence_ms must be {MIN_END_SILENCE_MS}..{MAX_END_SILENCE_MS}")
        if self.pre_roll_ms < 0 or self.tail_ms < 0 or self.max_turn_ms < 1000:
            raise ConfigError("pre_roll_ms, tail_ms must be >= 0 and max_turn_ms >= 1000")
        if not FRAME_MS <= self.pause_ms <= self.end_silence_ms:
            raise ConfigError("pause_ms must be from one frame to end_silence_ms")
        unsure = self.unsure_silence_ms
        if unsure is not None and not self.end_silence_ms <= unsure <= MAX_END_SILENCE_MS:
            raise ConfigError(f"unsure_silence_ms must be end_silence_ms..{MAX_END_SILENCE_MS}")
        unfinished = self.unfinished_silence_ms
        if unfinished is not None and not MIN_END_SILENCE_MS <= unfinished <= MAX_END_SILENCE_MS:
            # shorter than end_silence_ms changes nothing: a held pause never ends sooner
            raise ConfigError(
                f"unfinished_silence_ms must be {MIN_END_SILENCE_MS}..{MAX_END_SILENCE_MS}"
            )


@dataclass(frozen=True, slots=True)
class TurnStarted:
    """Speech began; ``at_ms`` is where, in the audio fed so far."""

    at_ms: int


@dataclass(frozen=True, slots=True)
class TurnEnded:
    """Speech ended (silence, the end-of-turn model, commit or length cap); ``pcm`` is the
    turn's audio."""

    at_ms: int
    pcm: bytes
    reason: str  # "silence", "complete", "commit" or "max_length"


TurnEvent = TurnStarted | TurnEnded


def _frames(ms: int) -> int:
    return max(1, round(ms / FRAME_MS))


class Endpointer:
    """Finds where a person's turn starts and ends.

    Call ``process`` for every 30 ms frame; call ``commit`` when the client says
    it is done speaking. Both return the events that happened.
    """

    def __init__(self, config: EndpointerConfig | None = None) -> None:
        self.config = config or EndpointerConfig()
        c = self.config
        window_frames = _frames(c.start_window_ms)
        self._pre_roll_frames = round(c.pre_roll_ms / FRAME_MS)
        self._window: deque[tuple[bytes, bool]] = deque(maxlen=window_frames)
        self._pre_roll: deque[bytes] = deque(maxlen=max(1, self._pre_roll_frames))
        self._start_needed = max(1, round(window_frames * c.start_ratio))
        self._end_frames = _frames(c.end_silence_ms)
        self._unsure_frames = _frames(c.unsure_silence_ms) if c.unsure_silence_ms else None
        self._unjudged: int | None = None  # a pause the model could not judge (its end ms)
        self._unfinished_frames = (
            _frames(c.unfinished_silence_ms) if c.unfinished_silence_ms else None
        )
        self._held: int | None = None  # a pause whose words stop mid-sentence (its end ms)
        self._tail_frames = _frames(c.tail_ms)
        self._max_frames = _frames(c.max_turn_ms)
        self._frames_seen = 0
        self._turn: list[bytes] | None = None
        self._silence_run = 0

    @property
    def in_turn(self) -> bool:
        """True between TurnStarted and TurnEnded."""
        return self._turn is not None

    @property
    def position_ms(self) -> int:
        """Milliseconds of audio fed so far."""
        return self._frames_seen * FRAME_MS

    @property
    def end_silence_ms(self) -> int:
        """The silence that ends a turn now (``config.end_silence_ms`` unless lengthened)."""
        return self._end_frames * FRAME_MS

    @property
    def silence_ms(self) -> int:
        """Milliseconds of silence since the last speech frame of the current turn."""
        return self._silence_run * FRAME_MS

    @property
    def speech_end_ms(self) -> int:
        """Where the current turn's last speech frame ended, in the audio fed so far."""
        return (self._frames_seen - self._silence_run) * FRAME_MS

    def turn_pcm(self) -> bytes:
        """The current turn's audio so far (for partial transcripts); empty outside a turn."""
        return b"".join(self._turn) if self._turn is not None else b""

    def process(self, frame: bytes, is_speech: bool) -> list[TurnEvent]:
        """Feed one frame of FRAME_BYTES and the detector's verdict on it."""
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"frames must be {FRAME_BYTES} bytes")
        self._frames_seen += 1
        if self._turn is None:
            return self._idle(frame, is_speech)
        return self._speaking(frame, is_speech)

    def judge(self, speech_end_ms: int, complete: bool | None) -> list[TurnEvent]:
        """The end-of-turn model's verdict on the pause after ``speech_end_ms``: complete
        ends the turn now, unfinished waits on, ``None`` (no verdict) falls back to
        ``end_silence_ms``. A verdict on a pause the person has since spoken after, or on a
        turn already over, changes nothing."""
        if self._turn is None or self._silence_run == 0 or self.speech_end_ms != speech_end_ms:
            return []
        if complete:
            return [self._end("complete", trim_silence=True)]
        if complete is None:
            self._unjudged = speech_end_ms
            if self._silence_run >= self._end_frames:
                return [self._end("silence", trim_silence=True)]
        return []

    def hold(self, speech_end_ms: int) -> None:
        """The words at the pause after ``speech_end_ms`` stop mid-sentence: the turn waits
        up to ``unfinished_silence_ms`` for more speech (never less than it would have). On
        a pause the person has since spoken after, or a turn already over, nothing changes."""
        if self._turn is not None and self._silence_run and self.speech_end_ms == speech_end_ms:
            self._held = speech_end_ms

    def lengthen(self, end_silence_ms: int) -> None:
        """From now on a turn ends after ``end_silence_ms`` of silence, where no model
        judges it; never shorter than before, never over ``MAX_END_SILENCE_MS``."""
        frames = _frames(min(end_silence_ms, MAX_END_SILENCE_MS))
        self._end_frames = max(self._end_frames, frames)

    def commit(self) -> list[TurnEvent]:
        """End the current turn now; outside a turn nothing happens."""
        if self._turn is None:
            return []
        return [self._end("commit", trim_silence=True)]

    def _idle(self, frame: bytes, is_speech: bool) -> list[TurnEvent]:
        if len(self._window) == self._window.maxlen:
            self._pre_roll.append(self._window[0][0])
        self._window.append((frame, is_speech))
        if sum(speech for _, speech in self._window) < self._start_needed:
            return []
        # Start at the first speech frame of the window; keep pre-roll before it.
        first = next(i for i, (_, speech) in enumerate(self._window) if speech)
        window = list(self._window)
        before = [f for f, _ in window[:first]]
        n_keep = self._pre_roll_frames
        keep = (list(self._pre_roll) + before)[-n_keep:] if n_keep else []
        self._turn = keep + [f for f, _ in window[first:]]
        self._silence_run = 0
        for _, speech in reversed(window):
            if speech:
                break
            self._silence_run += 1
        started_ms = (self._frames_seen - (len(window) - first)) * FRAME_MS
        self._window.clear()
        self._pre_roll.clear()
        return [TurnStarted(at_ms=started_ms)]

    def _speaking(self, frame: bytes, is_speech: bool) -> list[TurnEvent]:
        assert self._turn is not None
        self._turn.append(frame)
        self._silence_run = 0 if is_speech else self._silence_run + 1
        if self._silence_run >= self._silence_limit():
            return [self._end("silence", trim_silence=True)]
        if len(self._turn) >= self._max_frames:
            return [self._end("max_length", trim_silence=False)]
        return []

    def _silence_limit(self) -> int:
        """Frames of silence that end the turn now."""
        if self._unsure_frames is None or self._unjudged == self.speech_end_ms:
            limit = self._end_frames
        else:
            limit = self._unsure_frames
        if self._unfinished_frames is not None and self._held == self.speech_end_ms:
            limit = max(limit, self._unfinished_frames)
        return limit

    def _end(self, reason: str, *, trim_silence: bool) -> TurnEnded:
        assert self._turn is not None
        turn = self._turn
        silence = self._silence_run if trim_silence else 0
        end_ms = (self._frames_seen - silence) * FRAME_MS
        cut = max(0, silence - self._tail_frames)
        pcm = b"".join(turn[: len(turn) - cut] if cut else turn)
        self._turn = None
        self._silence_run = 0
        self._unjudged = None
        self._held = None
        return TurnEnded(at_ms=end_ms, pcm=pcm, reason=reason)
