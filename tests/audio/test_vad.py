"""The endpointer state machine, fed frames with explicit verdicts, and the webrtcvad adapter."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from voice.audio.endpointer import Endpointer, EndpointerConfig, TurnEnded, TurnEvent, TurnStarted
from voice.audio.pcm import float_to_pcm16
from voice.audio.vad import (
    FRAME_BYTES,
    FRAME_MS,
    FRAME_SAMPLES,
    LEVEL_FLOOR_DBFS,
    InputLevel,
    WebRtcSpeechDetector,
)
from voice.errors import ConfigError

# Every duration a multiple of 30 ms so frame counts are exact:
# start window 10 frames (6 speech frames start a turn), end after 10 silent frames,
# 5 frames of pre-roll, 3 frames of tail.
CONFIG = EndpointerConfig(
    start_window_ms=300, start_ratio=0.6, end_silence_ms=300, pre_roll_ms=150, tail_ms=90
)


def frame(index: int) -> bytes:
    """A frame whose every sample is its index in the stream, so turn audio can be traced."""
    return np.full(FRAME_SAMPLES, index, dtype="<i2").tobytes()


def indices(pcm: bytes) -> list[int]:
    """The stream indices of the frames in ``pcm``."""
    assert len(pcm) % FRAME_BYTES == 0
    samples = np.frombuffer(pcm, dtype="<i2").reshape(-1, FRAME_SAMPLES)
    assert all((row == row[0]).all() for row in samples)
    return [int(row[0]) for row in samples]


class Feeder:
    """Feeds an endpointer numbered frames and records which frame produced which event."""

    def __init__(self, endpointer: Endpointer) -> None:
        self.endpointer = endpointer
        self.next_index = 0
        self.events: list[tuple[int, TurnEvent]] = []

    def feed(self, pattern: str) -> list[TurnEvent]:
        """``pattern`` has one character per frame: ``S`` speech, ``.`` silence."""
        out: list[TurnEvent] = []
        for ch in pattern:
            events = self.endpointer.process(frame(self.next_index), ch == "S")
            self.events += [(self.next_index, e) for e in events]
            out += events
            self.next_index += 1
        return out


def test_isolated_blips_never_start_a_turn() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    # Alternating speech (5 of every 10) and bursts of 5 are both below 6 of 10.
    assert feeder.feed("S." * 30 + "." * 10 + "SSSSS....." * 5 + ".S..SS.S.." * 4) == []
    assert not feeder.endpointer.in_turn
    assert feeder.endpointer.turn_pcm() == b""


def test_turn_starts_once_the_window_holds_enough_speech() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    assert feeder.feed("." * 20 + "SSSSS") == []
    events = feeder.feed("S")
    assert events == [TurnStarted(at_ms=20 * FRAME_MS)]
    assert feeder.endpointer.in_turn


def test_start_is_the_first_speech_frame_even_with_gaps() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    feeder.feed("." * 12 + "S.S.SS.S")  # first speech at 12; the 5th speech frame is 19
    events = feeder.feed("S")  # frame 20 is the 6th speech frame in the window
    assert events == [TurnStarted(at_ms=12 * FRAME_MS)]
    # The trailing silence is known: none after frame 20.
    assert feeder.endpointer.silence_ms == 0


def test_turn_audio_has_exactly_the_pre_roll_before_the_first_speech_frame() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    feeder.feed("." * 30 + "SSSSSS")
    assert feeder.events == [(35, TurnStarted(at_ms=30 * FRAME_MS))]
    assert indices(feeder.endpointer.turn_pcm()) == list(range(25, 36))


def test_pre_roll_reaches_back_past_the_start_window() -> None:
    config = EndpointerConfig(
        start_window_ms=300, start_ratio=0.6, end_silence_ms=300, pre_roll_ms=600, tail_ms=90
    )
    feeder = Feeder(Endpointer(config))
    feeder.feed("." * 40 + "SSSSSS")
    assert indices(feeder.endpointer.turn_pcm()) == list(range(20, 46))


def test_pre_roll_is_shorter_at_the_start_of_the_stream() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    feeder.feed("..SSSSSS")
    assert feeder.events == [(7, TurnStarted(at_ms=2 * FRAME_MS))]
    assert indices(feeder.endpointer.turn_pcm()) == list(range(8))


def test_no_pre_roll_when_configured_off() -> None:
    config = EndpointerConfig(
        start_window_ms=300, start_ratio=0.6, end_silence_ms=300, pre_roll_ms=0, tail_ms=90
    )
    feeder = Feeder(Endpointer(config))
    feeder.feed("." * 20 + "SSSSSS")
    assert indices(feeder.endpointer.turn_pcm()) == list(range(20, 26))


def test_turn_ends_after_the_end_silence_with_a_trimmed_tail() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    feeder.feed("." * 10 + "S" * 20)  # speech is frames 10..29
    assert feeder.feed("." * 9) == []
    assert feeder.endpointer.silence_ms == 9 * FRAME_MS
    [ended] = feeder.feed(".")  # the 10th silent frame, index 39
    assert isinstance(ended, TurnEnded)
    assert ended.reason == "silence"
    assert ended.at_ms == 30 * FRAME_MS  # the end of frame 29, the last speech frame
    # 5 frames of pre-roll, the speech, then 3 frames of tail.
    assert indices(ended.pcm) == list(range(5, 33))
    assert [i for i, _ in feeder.events] == [15, 39]
    assert not feeder.endpointer.in_turn
    assert feeder.endpointer.silence_ms == 0
    assert feeder.endpointer.turn_pcm() == b""


def test_pauses_shorter_than_the_end_silence_do_not_end_the_turn() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    feeder.feed("SSSSSS")
    assert feeder.feed("." * 9 + "SS" + "." * 9 + "S" + "........." + "S") == []
    assert feeder.endpointer.in_turn
    assert feeder.endpointer.silence_ms == 0
    [ended] = feeder.feed("." * 10)
    assert isinstance(ended, TurnEnded)
    assert ended.at_ms == 37 * FRAME_MS  # the end of frame 36, the last speech frame
    assert indices(ended.pcm) == list(range(40))


def test_a_second_turn_after_the_first() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    feeder.feed("SSSSSS" + "." * 10 + "." * 20 + "SSSSSS" + "." * 10)
    kinds = [(i, type(e).__name__) for i, e in feeder.events]
    assert kinds == [(5, "TurnStarted"), (15, "TurnEnded"), (41, "TurnStarted"), (51, "TurnEnded")]
    second_start = feeder.events[2][1]
    second_end = feeder.events[3][1]
    assert second_start == TurnStarted(at_ms=36 * FRAME_MS)
    assert isinstance(second_end, TurnEnded)
    assert indices(second_end.pcm) == list(range(31, 45))


def test_commit_ends_the_turn_now() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    feeder.feed("...SSSSSSSS.....")  # speech 3..10, then 5 silent frames 11..15
    assert feeder.endpointer.silence_ms == 5 * FRAME_MS
    events = feeder.endpointer.commit()
    assert len(events) == 1
    [ended] = events
    assert isinstance(ended, TurnEnded)
    assert ended.reason == "commit"
    assert ended.at_ms == 11 * FRAME_MS
    assert indices(ended.pcm) == list(range(14))  # pre-roll 0..2, speech 3..10, tail 11..13
    assert not feeder.endpointer.in_turn
    assert feeder.endpointer.commit() == []


def test_commit_right_after_speech_keeps_everything() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    feeder.feed("SSSSSSS")
    [ended] = feeder.endpointer.commit()
    assert isinstance(ended, TurnEnded)
    assert ended.at_ms == 7 * FRAME_MS
    assert indices(ended.pcm) == list(range(7))


def test_commit_outside_a_turn_does_nothing() -> None:
    feeder = Feeder(Endpointer(CONFIG))
    assert feeder.endpointer.commit() == []
    feeder.feed("SSSS...")
    assert feeder.endpointer.commit() == []
    assert feeder.endpointer.position_ms == 7 * FRAME_MS
    # The commit did not disturb detection: two more speech frames start the turn.
    assert feeder.feed("SS") == [TurnStarted(at_ms=0)]


def test_max_turn_length_ends_a_long_turn_without_losing_audio() -> None:
    config = EndpointerConfig(
        start_window_ms=300, start_ratio=0.6, end_silence_ms=300, pre_roll_ms=0, max_turn_ms=1200
    )  # 40 frames
    feeder = Feeder(Endpointer(config))
    feeder.feed("S" * 100)
    kinds = [(i, type(e).__name__) for i, e in feeder.events]
    assert kinds == [
        (5, "TurnStarted"),
        (39, "TurnEnded"),
        (45, "TurnStarted"),
        (79, "TurnEnded"),
        (85, "TurnStarted"),
    ]
    first_end = feeder.events[1][1]
    assert isinstance(first_end, TurnEnded)
    assert first_end.reason == "max_length"
    assert first_end.at_ms == 40 * FRAME_MS
    assert indices(first_end.pcm) == list(range(40))
    second_end = feeder.events[3][1]
    assert isinstance(second_end, TurnEnded)
    assert indices(second_end.pcm) == list(range(40, 80))
    assert feeder.events[2][1] == TurnStarted(at_ms=40 * FRAME_MS)
    assert indices(feeder.endpointer.turn_pcm()) == list(range(80, 100))


def test_position_and_turn_pcm_while_speaking() -> None:
    endpointer = Endpointer(CONFIG)
    assert endpointer.position_ms == 0
    assert endpointer.silence_ms == 0
    feeder = Feeder(endpointer)
    feeder.feed("....SSSSSS..")
    assert endpointer.position_ms == 12 * FRAME_MS
    assert endpointer.in_turn
    assert endpointer.silence_ms == 2 * FRAME_MS
    assert indices(endpointer.turn_pcm()) == list(range(12))


@pytest.mark.parametrize("size", [0, FRAME_BYTES - 2, FRAME_BYTES + 2, 2 * FRAME_BYTES])
def test_wrong_frame_length_is_a_value_error(size: int) -> None:
    endpointer = Endpointer(CONFIG)
    with pytest.raises(ValueError, match=str(FRAME_BYTES)):
        endpointer.process(bytes(size), True)
    assert endpointer.position_ms == 0


def test_default_config_ends_after_about_800_ms() -> None:
    feeder = Feeder(Endpointer())
    feeder.feed("S" * 10)
    assert feeder.feed("." * 26) == []
    [ended] = feeder.feed(".")
    assert isinstance(ended, TurnEnded)
    assert ended.at_ms == 10 * FRAME_MS


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_window_ms", 60),
        ("start_window_ms", 3030),
        ("start_ratio", 0.0),
        ("start_ratio", 1.1),
        ("end_silence_ms", 60),
        ("end_silence_ms", 10_001),
        ("pre_roll_ms", -30),
        ("tail_ms", -1),
        ("max_turn_ms", 999),
        ("unfinished_silence_ms", 150),
        ("unfinished_silence_ms", 5001),
    ],
)
def test_config_validation(field: str, value: float) -> None:
    with pytest.raises(ConfigError, match=field):
        EndpointerConfig(**{field: value})  # type: ignore[arg-type]


# --- webrtcvad ------------------------------------------------------------------------


def vowel_frames(n: int) -> list[bytes]:
    """A buzzy 140 Hz harmonic tone at about -17 dBFS: webrtcvad takes it for a voice."""
    t = np.arange(n * FRAME_SAMPLES) / 16000
    x = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 25))
    x = 0.3 * x / np.max(np.abs(x))
    pcm = float_to_pcm16(x.astype(np.float32))
    return [pcm[i * FRAME_BYTES : (i + 1) * FRAME_BYTES] for i in range(n)]


def test_webrtc_detector_rejects_silence_and_faint_noise() -> None:
    detector = WebRtcSpeechDetector()
    rng = np.random.default_rng(3)
    # Uniform noise with an RMS of -60 dBFS.
    noise = (10 ** (-60 / 20) * np.sqrt(3) * rng.uniform(-1, 1, 10 * FRAME_SAMPLES)).astype(
        np.float32
    )
    noise_pcm = float_to_pcm16(noise)
    noise_frames = [noise_pcm[i * FRAME_BYTES : (i + 1) * FRAME_BYTES] for i in range(10)]
    assert [detector.is_speech(bytes(FRAME_BYTES)) for _ in range(10)] == [False] * 10
    assert [detector.is_speech(f) for f in noise_frames] == [False] * 10
    # The level floor is what keeps the noise out: webrtcvad alone calls it speech.
    unfloored = WebRtcSpeechDetector(min_level_dbfs=-100.0)
    assert any(unfloored.is_speech(f) for f in noise_frames)


def test_webrtc_detector_hears_a_voiced_sound() -> None:
    detector = WebRtcSpeechDetector()
    assert [detector.is_speech(f) for f in vowel_frames(10)] == [True] * 10


@pytest.mark.parametrize("aggressiveness", [-1, 4, 5])
def test_webrtc_detector_aggressiveness_out_of_range(aggressiveness: int) -> None:
    with pytest.raises(ConfigError):
        WebRtcSpeechDetector(aggressiveness)


# --- a stream's own level: quiet microphones heard, steady noise and clicks not -----------

RATE = 16000
ROOM_DBFS = -80.0  # a quiet room through a microphone at normal gain


def _frames_of(samples: np.ndarray) -> list[bytes]:
    pcm = float_to_pcm16(samples.astype(np.float32))
    return [pcm[i : i + FRAME_BYTES] for i in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)]


def _room(seconds: float, dbfs: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 10 ** (dbfs / 20), round(seconds * RATE))


def _voice_at(peak_dbfs: float, seconds: float = 1.5) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    x = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 25))
    return np.asarray(x / np.max(np.abs(x)) * 10 ** (peak_dbfs / 20))


def test_a_loud_stream_keeps_the_fixed_floor_and_no_gain() -> None:
    level = InputLevel()
    assert (level.floor_dbfs, level.gate_dbfs, level.gain_db) == (None, LEVEL_FLOOR_DBFS, 0.0)
    for db in (-55.0, -20.0, -35.0):  # a lively room, then normal speech
        level.observe(db)
    assert level.floor_dbfs == -55.0
    assert level.gate_dbfs == LEVEL_FLOOR_DBFS
    assert level.gain_db == 0.0


def test_a_quiet_stream_gets_a_lower_gate_and_a_bounded_gain() -> None:
    level = InputLevel()
    for db in (-85.0, -58.0, -70.0):  # a quiet microphone: room at -85, speech near -58
        level.observe(db)
    assert level.gate_dbfs == -75.0  # 10 dB over the floor
    assert level.gain_db == pytest.approx(33.0)  # the loudest frame raised to -25 dBFS
    level.observe(-120.0)  # digital silence (a muted microphone) is not the room
    assert level.floor_dbfs == -85.0
    steady = InputLevel()
    for _ in range(20):
        steady.observe(-62.0)  # a steady hum: raising it would make it loud enough to hear
    assert steady.gain_db == pytest.approx(12.0)  # only until its floor reaches -50 dBFS
    assert steady.gate_dbfs == -52.0  # and the hum itself stays under the gate


def test_the_floor_follows_the_last_five_seconds() -> None:
    level = InputLevel()
    level.observe(-85.0)
    for _ in range(170):  # the room got noisier (a fan came on)
        level.observe(-55.0)
    assert level.floor_dbfs == -55.0


def test_a_quiet_microphone_is_heard() -> None:
    """A voice peaking at -50 dBFS over a -85 dBFS room: webrtcvad alone (fixed floor or
    none) hears nothing of it; raised against its own floor it is heard, and a turn starts."""
    audio = np.concatenate([_room(1.0, -85.0), _voice_at(-50.0) + _room(1.5, -85.0, 1)])
    frames = _frames_of(audio)
    detector = WebRtcSpeechDetector()
    verdicts = [detector.is_speech(f) for f in frames]
    voice = verdicts[len(frames) * 2 // 5 :]  # after the first second
    assert sum(voice) >= 0.9 * len(voice)
    assert not any(verdicts[:30])  # the room alone is not speech
    endpointer = Endpointer()
    events = [e for f, v in zip(frames, verdicts, strict=True) for e in endpointer.process(f, v)]
    assert [type(e) for e in events] == [TurnStarted]


def _hiss(dbfs: float) -> np.ndarray:
    return _room(6.0, ROOM_DBFS) + _room(6.0, dbfs, 1)


def _hum(dbfs: float) -> np.ndarray:
    t = np.arange(6 * RATE) / RATE
    mains = sum(a * np.sin(2 * np.pi * 50 * k * t) for k, a in ((1, 1.0), (2, 0.5), (3, 0.3)))
    return _room(6.0, ROOM_DBFS) + 10 ** (dbfs / 20) * mains


def _typing(peak_dbfs: float) -> np.ndarray:
    """Key clicks (15 ms decaying bursts) about six times a second."""
    rng = np.random.default_rng(4)
    x = _room(6.0, ROOM_DBFS)
    for start in range(0, x.size - 1200, int(0.17 * RATE)):
        at = start + int(rng.integers(0, 800))
        burst = rng.normal(0.0, 1.0, 240) * np.exp(-np.arange(240) / 40)
        x[at : at + 240] += burst / np.max(np.abs(burst)) * 10 ** (peak_dbfs / 20)
    return x


@pytest.mark.parametrize(
    ("noise", "make", "dbfs"),
    [
        ("hiss", _hiss, -50.0),
        ("hiss", _hiss, -35.0),
        ("hiss", _hiss, -65.0),
        ("hum", _hum, -40.0),
        ("hum", _hum, -60.0),
        ("typing", _typing, -45.0),
        ("typing", _typing, -30.0),
        ("typing", _typing, -15.0),
    ],
)
def test_noise_in_a_quiet_room_starts_no_turn(noise: str, make: object, dbfs: float) -> None:
    assert callable(make)
    frames = _frames_of(make(dbfs))
    detector = WebRtcSpeechDetector()
    endpointer = Endpointer()
    events = [e for f in frames for e in endpointer.process(f, detector.is_speech(f))]
    assert events == [], noise


def test_a_held_pause_waits_for_the_unfinished_silence() -> None:
    """Words that stop mid-sentence (``hold``): the pause waits up to
    ``unfinished_silence_ms`` instead of ``end_silence_ms``; more speech joins the turn."""
    ep = Endpointer(replace(CONFIG, end_silence_ms=600, unfinished_silence_ms=1500))
    f = Feeder(ep)
    assert [type(e) for e in f.feed("S" * 20 + "." * 10)] == [TurnStarted]  # 300 ms paused
    ep.hold(ep.speech_end_ms)
    assert f.feed("." * 30) == []  # 1.2 s: past the 600 ms, not the 1.5 s
    assert f.feed("S" * 10) == []
    (ended,) = f.feed("." * 20)  # a new pause, not held: 600 ms ends it
    assert isinstance(ended, TurnEnded) and ended.reason == "silence"
    assert ended.at_ms == 70 * FRAME_MS


def test_a_stale_hold_changes_nothing() -> None:
    ep = Endpointer(replace(CONFIG, end_silence_ms=600, unfinished_silence_ms=1500))
    f = Feeder(ep)
    f.feed("S" * 20 + "." * 10)
    paused_at = ep.speech_end_ms
    f.feed("S" * 5 + "." * 2)  # spoke again, then a new short pause
    ep.hold(paused_at)
    (ended,) = f.feed("." * 18)  # 600 ms after the new pause
    assert isinstance(ended, TurnEnded)
    unread = Endpointer(replace(CONFIG, end_silence_ms=600, unfinished_silence_ms=None))
    g = Feeder(unread)
    g.feed("S" * 20 + "." * 10)
    unread.hold(unread.speech_end_ms)
    (ended,) = g.feed("." * 10)
    assert isinstance(ended, TurnEnded)
