"""Prosody features on signals whose answer is known, and on real (synthesised) speech."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from synthetic_voice import RATE_HZ, silence, voiced, words  # type: ignore[import-not-found]

from voice.audio.pcm import pcm16_to_float
from voice.prosody.measure import ProsodyFeatures, measure, with_words, word_count


def _around(signal: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    return np.concatenate([silence(0.3), signal, silence(0.3)])


def test_a_tone_at_a_known_pitch() -> None:
    for f0 in (120.0, 200.0, 310.0):
        features = measure(_around(voiced(1.5, f0_hz=f0)), RATE_HZ)
        assert features.pitch_median_hz == pytest.approx(f0, rel=0.005)
        assert features.pitch_sd_semitones is not None and features.pitch_sd_semitones < 0.05
        assert features.pitch_range_semitones is not None
        assert features.pitch_range_semitones < 0.1
        assert features.voiced_seconds == pytest.approx(1.5, abs=0.05)
        assert features.speech_seconds == pytest.approx(1.5, abs=0.06)
        # A perfectly periodic source: almost no jitter, a high harmonics-to-noise ratio.
        assert features.jitter_percent is not None and features.jitter_percent < 0.3
        assert features.hnr_db is not None and features.hnr_db > 15.0


def test_a_louder_copy_is_louder_by_exactly_its_gain_and_otherwise_the_same() -> None:
    quiet = measure(_around(voiced(1.5, peak=0.2)), RATE_HZ)
    loud = measure(_around(voiced(1.5, peak=0.8)), RATE_HZ)  # x4 = +12.04 dB
    assert quiet.intensity_mean_db is not None and loud.intensity_mean_db is not None
    assert loud.intensity_mean_db - quiet.intensity_mean_db == pytest.approx(12.04, abs=0.1)
    assert loud.pitch_median_hz == pytest.approx(quiet.pitch_median_hz, rel=0.001)
    assert loud.speech_seconds == quiet.speech_seconds
    assert loud.spectral_tilt_db == pytest.approx(quiet.spectral_tilt_db, abs=0.1)


def test_vibrato_moves_the_pitch_by_the_known_amount() -> None:
    # +-2 semitones at 2 Hz: s.d. 2/sqrt(2), 5-95% range 4 sin(0.45 pi), and the pitch
    # moves 4 * 2 semitones * 2 Hz = 16 semitones a second on average.
    features = measure(_around(voiced(2.0, vibrato_semitones=2.0, vibrato_hz=2.0)), RATE_HZ)
    assert features.pitch_median_hz == pytest.approx(200.0, rel=0.01)
    assert features.pitch_sd_semitones == pytest.approx(2 / math.sqrt(2), rel=0.05)
    assert features.pitch_range_semitones == pytest.approx(4 * math.sin(0.45 * math.pi), rel=0.05)
    assert features.pitch_movement_semitones_per_second == pytest.approx(16.0, rel=0.1)
    flat = measure(_around(voiced(2.0)), RATE_HZ)
    assert flat.pitch_movement_semitones_per_second is not None
    assert flat.pitch_movement_semitones_per_second < 0.5


def test_inserted_silences_are_pauses_and_slow_the_speaking_rate() -> None:
    tight = with_words(
        measure(words(6, gap_seconds=0.05), RATE_HZ), word_count=6, response_latency_seconds=1.2
    )
    spaced = with_words(
        measure(words(6, gap_seconds=0.5), RATE_HZ), word_count=6, response_latency_seconds=None
    )
    assert tight.pause_count == 0 and tight.pause_mean_seconds is None  # 50 ms is no pause
    assert tight.pause_fraction == 0.0
    assert spaced.pause_count == 5
    assert spaced.pause_mean_seconds == pytest.approx(0.5, abs=0.04)
    assert spaced.pause_fraction == pytest.approx(2.5 / 4.0, abs=0.04)
    assert spaced.speech_seconds == pytest.approx(6 * 0.25 + 5 * 0.5, abs=0.06)
    assert tight.speaking_rate_words_per_second == pytest.approx(6 / 1.75, rel=0.04)
    assert spaced.speaking_rate_words_per_second == pytest.approx(6 / 4.0, rel=0.04)
    # Articulation rate leaves the pauses out: nearly the same words per second of sound.
    assert spaced.articulation_rate_words_per_second == pytest.approx(
        tight.articulation_rate_words_per_second, rel=0.12
    )
    assert tight.response_latency_seconds == 1.2 and spaced.response_latency_seconds is None


def test_silence_and_a_click_have_no_features() -> None:
    for signal in (silence(1.0), np.full(16000, 0.25, dtype=np.float32), silence(0.05)):
        features = with_words(measure(signal, RATE_HZ), word_count=3, response_latency_seconds=None)
        assert features.speech_seconds == 0.0
        assert features.values() == {"speech_seconds": 0.0, "voiced_seconds": 0.0, "pause_count": 0}
    click = np.concatenate([silence(0.5), voiced(0.03, peak=0.9), silence(0.5)])
    assert measure(click, RATE_HZ).speech_seconds == 0.0  # shorter than a sound can be


def test_word_count_counts_words_not_punctuation() -> None:
    assert word_count("I'm fine — thanks, really.") == 4
    assert word_count("  ") == 0
    assert word_count("well... um, okay") == 3


def test_to_json_has_every_measure_with_units_and_keeps_counts_integral() -> None:
    features = with_words(
        measure(words(4, gap_seconds=0.5), RATE_HZ), word_count=4, response_latency_seconds=0.8
    )
    wire = features.to_json()
    assert set(wire) == set(ProsodyFeatures.__dataclass_fields__)
    assert type(wire["pause_count"]) is int and wire["pause_count"] == 3
    units = ("_hz", "_semitones", "_per_second", "_db", "_percent", "_seconds", "_count")
    assert all(name.endswith(units) or name == "pause_fraction" for name in wire)


# --- real speech ---------------------------------------------------------------------


def _lengthen(samples: np.ndarray, factor: float) -> np.ndarray:  # type: ignore[type-arg]
    """Time-stretch keeping the pitch (Praat's overlap-add)."""
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=RATE_HZ)
    stretched = call(sound, "Lengthen (overlap-add)", 75, 600, factor)
    return np.asarray(stretched.values[0], dtype=np.float32)


SENTENCE = "I slept badly last night and I feel a bit anxious about work today."


@pytest.mark.real_models
def test_real_speech_time_stretched_is_faster_at_the_same_pitch(
    speak: Callable[[str], bytes],
) -> None:
    speech = pcm16_to_float(speak(SENTENCE))
    n = word_count(SENTENCE)
    normal = with_words(measure(speech, RATE_HZ), word_count=n, response_latency_seconds=None)
    fast = with_words(
        measure(_lengthen(speech, 0.7), RATE_HZ), word_count=n, response_latency_seconds=None
    )
    assert normal.speaking_rate_words_per_second is not None
    assert 1.5 < normal.speaking_rate_words_per_second < 5.0  # a plausible speaking rate
    assert fast.speaking_rate_words_per_second is not None
    ratio = fast.speaking_rate_words_per_second / normal.speaking_rate_words_per_second
    assert ratio == pytest.approx(1 / 0.7, rel=0.12)
    assert fast.articulation_rate_words_per_second is not None
    assert normal.articulation_rate_words_per_second is not None
    assert fast.articulation_rate_words_per_second > normal.articulation_rate_words_per_second
    assert normal.pitch_median_hz is not None and fast.pitch_median_hz is not None
    assert abs(12 * math.log2(fast.pitch_median_hz / normal.pitch_median_hz)) < 1.0
    # Real speech is not a tone: it has pitch movement and some jitter and shimmer.
    assert normal.pitch_range_semitones is not None and normal.pitch_range_semitones > 2.0
    assert normal.jitter_percent is not None and 0.1 < normal.jitter_percent < 5.0
    assert normal.shimmer_percent is not None and 1.0 < normal.shimmer_percent < 20.0
    assert normal.hnr_db is not None and 3.0 < normal.hnr_db < 30.0


@pytest.mark.real_models
def test_real_speech_with_inserted_silences_has_more_pauses(
    speak: Callable[[str], bytes],
) -> None:
    first = pcm16_to_float(speak("I slept badly last night."))
    second = pcm16_to_float(speak("Work has been a lot this week."))
    n = word_count("I slept badly last night. Work has been a lot this week.")
    joined = np.concatenate([first, second])
    # A longer pause between the sentences, and a hesitation inside the second one, cut at
    # its loudest 30 ms in the middle third: Piper's synthesis varies run to run, so the
    # plain midpoint can fall in a gap between words, where the silence would add no pause.
    frame = RATE_HZ * 30 // 1000
    third = second.size // 3
    frames = second[third : 2 * third][: (third // frame) * frame].reshape(-1, frame)
    middle = third + int(np.argmax((frames**2).mean(axis=1))) * frame + frame // 2
    paused = np.concatenate([first, silence(1.2), second[:middle], silence(0.6), second[middle:]])
    plain = with_words(measure(joined, RATE_HZ), word_count=n, response_latency_seconds=None)
    slow = with_words(measure(paused, RATE_HZ), word_count=n, response_latency_seconds=None)
    assert slow.pause_count == plain.pause_count + 1
    assert slow.speech_seconds == pytest.approx(plain.speech_seconds + 1.8, abs=0.05)
    assert slow.pause_fraction is not None and plain.pause_fraction is not None
    assert slow.pause_fraction > plain.pause_fraction + 0.2
    assert slow.speaking_rate_words_per_second is not None
    assert plain.speaking_rate_words_per_second is not None
    assert slow.speaking_rate_words_per_second < 0.75 * plain.speaking_rate_words_per_second
    assert slow.articulation_rate_words_per_second == pytest.approx(
        plain.articulation_rate_words_per_second, rel=0.1
    )
