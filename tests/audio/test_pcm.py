"""PCM conversion, level, WAV files, resampling and re-chunking."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from voice.audio.pcm import (
    Rechunker,
    Samples,
    active_seconds,
    float_to_pcm16,
    pcm16_to_float,
    read_wav,
    rms_dbfs,
    write_wav,
)
from voice.audio.resample import Resampler, resample
from voice.errors import AudioError


def sine(freq_hz: float, rate_hz: int, seconds: float, amplitude: float = 0.5) -> Samples:
    t = np.arange(round(rate_hz * seconds)) / rate_hz
    return (amplitude * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)


def peak_hz(samples: Samples, rate_hz: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.argmax(spectrum)) * rate_hz / samples.size


# --- PCM conversion -------------------------------------------------------------------


def test_every_pcm16_value_survives_a_float_round_trip() -> None:
    pcm = np.arange(-32768, 32768, dtype="<i2").tobytes()
    samples = pcm16_to_float(pcm)
    assert samples.dtype == np.float32
    assert samples.size == 65536
    assert samples[0] == -1.0
    assert samples[32768] == 0.0
    assert float_to_pcm16(samples) == pcm


def test_pcm16_to_float_reads_little_endian() -> None:
    pcm = bytes([0x00, 0x40, 0x00, 0xC0, 0x01, 0x00])  # 16384, -16384, 1
    assert pcm16_to_float(pcm).tolist() == [0.5, -0.5, 1 / 32768]


def test_float_to_pcm16_clips_out_of_range_samples() -> None:
    samples = np.array([2.0, 1.0, -1.0, -3.5, 0.25], dtype=np.float32)
    values = np.frombuffer(float_to_pcm16(samples), dtype="<i2").tolist()
    assert values == [32767, 32767, -32768, -32768, 8192]


def test_odd_byte_count_is_an_audio_error() -> None:
    with pytest.raises(AudioError) as info:
        pcm16_to_float(b"\x00\x01\x02")
    assert info.value.code == "bad_message"


# --- level ----------------------------------------------------------------------------


def test_rms_dbfs_of_a_full_scale_sine_is_minus_3_dbfs() -> None:
    assert rms_dbfs(sine(1000, 16000, 1.0, amplitude=1.0)) == pytest.approx(-3.0103, abs=0.01)


def test_rms_dbfs_of_a_half_scale_sine() -> None:
    assert rms_dbfs(sine(440, 16000, 1.0, amplitude=0.5)) == pytest.approx(-9.0309, abs=0.01)


def test_rms_dbfs_of_silence_and_of_nothing() -> None:
    assert rms_dbfs(np.zeros(16000, dtype=np.float32)) == -120.0
    assert rms_dbfs(np.zeros(0, dtype=np.float32)) == -120.0


def test_active_seconds_counts_only_loud_windows() -> None:
    loud = sine(300, 16000, 0.5, amplitude=0.5)  # -9 dBFS
    quiet = sine(300, 16000, 0.3, amplitude=0.001)  # -63 dBFS
    silence = np.zeros(16000 // 5, dtype=np.float32)
    samples = np.concatenate([silence, loud, quiet, loud[:3200]])
    assert active_seconds(samples, 16000) == pytest.approx(0.7)
    assert active_seconds(samples, 16000, threshold_dbfs=-70.0) == pytest.approx(1.0)
    assert active_seconds(samples[:100], 16000) == 0.0


# --- WAV files ------------------------------------------------------------------------


def test_write_then_read_wav_round_trip(tmp_path: Path) -> None:
    pcm = float_to_pcm16(sine(440, 22050, 0.25))
    path = tmp_path / "tone.wav"
    write_wav(path, pcm, 22050)
    samples, rate = read_wav(path)
    assert rate == 22050
    assert samples.dtype == np.float32
    assert samples.size == 5512
    assert float_to_pcm16(samples) == pcm
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)


def test_stereo_wav_is_averaged_to_mono(tmp_path: Path) -> None:
    left = np.array([1000, -2000, 30000, 0], dtype="<i2")
    right = np.array([3000, 2000, -30000, 100], dtype="<i2")
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(48000)
        wav.writeframes(np.column_stack([left, right]).astype("<i2").tobytes())
    samples, rate = read_wav(path)
    assert rate == 48000
    assert samples.tolist() == pytest.approx([2000 / 32768, 0.0, 0.0, 50 / 32768])


def test_8_bit_wav_is_read_as_unsigned(tmp_path: Path) -> None:
    path = tmp_path / "u8.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(8000)
        wav.writeframes(bytes([128, 192, 64, 0, 255]))
    samples, rate = read_wav(path)
    assert rate == 8000
    assert samples.tolist() == [0.0, 0.5, -0.5, -1.0, 127 / 128]


def test_read_wav_of_a_non_wav_file_is_an_audio_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("this is not audio, just some text pretending to be a file\n")
    with pytest.raises(AudioError, match="not a PCM WAV"):
        read_wav(path)


def test_read_wav_of_an_empty_file_is_an_audio_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioError):
        read_wav(path)


def test_read_wav_of_a_missing_file_is_an_audio_error(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="no such file"):
        read_wav(tmp_path / "absent.wav")


# --- resampling -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_rate_hz", "freq_hz"), [(22050, 440), (48000, 1000), (8000, 440), (44100, 3000)]
)
def test_resample_keeps_length_frequency_and_amplitude(in_rate_hz: int, freq_hz: int) -> None:
    samples = sine(freq_hz, in_rate_hz, 1.0, amplitude=0.5)
    out = resample(samples, in_rate_hz, 16000)
    assert out.dtype == np.float32
    assert out.size == 16000
    assert peak_hz(out, 16000) == pytest.approx(freq_hz, abs=1.0)
    middle = out[400:-400].astype(np.float64)
    amplitude = np.sqrt(2 * np.mean(np.square(middle)))
    assert amplitude == pytest.approx(0.5, rel=0.01)
    # The filter delay is compensated: the output lines up with the ideal 16 kHz sine.
    ideal = sine(freq_hz, 16000, 1.0, amplitude=0.5)
    assert np.max(np.abs(out[400:-400] - ideal[400:-400])) < 1e-3


@pytest.mark.parametrize(("in_rate_hz", "n"), [(22050, 12345), (48000, 4801), (8000, 7)])
def test_resample_length_is_floor_of_the_rate_ratio(in_rate_hz: int, n: int) -> None:
    out = resample(np.zeros(n, dtype=np.float32), in_rate_hz, 16000)
    assert out.size == n * 16000 // in_rate_hz


def test_resample_at_the_same_rate_is_a_copy() -> None:
    samples = sine(440, 16000, 0.1)
    assert np.array_equal(resample(samples, 16000, 16000), samples)


def test_resampling_removes_tones_above_the_new_nyquist() -> None:
    tone = sine(10_000, 48000, 1.0, amplitude=0.5)  # 10 kHz would alias to 6 kHz at 16 kHz
    out = resample(tone, 48000, 16000)
    assert out.size == 16000
    assert rms_dbfs(tone) - rms_dbfs(out[400:-400]) > 40.0


def test_bad_rates_are_audio_errors() -> None:
    with pytest.raises(AudioError):
        Resampler(0, 16000)
    with pytest.raises(AudioError, match="between 1 and"):
        resample(np.zeros(10, dtype=np.float32), 1_000_000, 16000)


def test_an_odd_rate_ratio_is_resampled_too() -> None:
    out = resample(sine(440, 44101, 1.0, amplitude=0.5), 44101, 16000)
    assert out.size == 16000
    assert peak_hz(out, 16000) == pytest.approx(440, abs=1.0)


def test_streaming_over_uneven_chunks_equals_one_shot() -> None:
    samples = sine(700, 22050, 0.7) + sine(2100, 22050, 0.7, amplitude=0.2)
    one = Resampler(22050, 16000)
    expected = np.concatenate([one.process(samples), one.flush()])

    rng = np.random.default_rng(7)
    streaming = Resampler(22050, 16000)
    pieces = [streaming.process(samples[:0])]
    i = 0
    while i < samples.size:
        n = int(rng.integers(1, 700))
        pieces.append(streaming.process(samples[i : i + n]))
        i += n
    pieces.append(streaming.flush())
    got = np.concatenate(pieces)

    assert got.size == expected.size
    assert np.array_equal(got, expected)
    # No delay to compensate: the stream lines up with the one-shot resampling.
    assert np.array_equal(got[: samples.size * 16000 // 22050], resample(samples, 22050, 16000))


# --- re-chunking ----------------------------------------------------------------------


def test_rechunker_returns_exact_frames_and_keeps_the_remainder() -> None:
    data = bytes(range(256)) * 4
    rechunker = Rechunker(100)
    assert rechunker.push(data[:60]) == []
    assert rechunker.push(data[60:250]) == [data[0:100], data[100:200]]
    assert rechunker.push(data[250:299]) == []
    assert rechunker.push(data[299:300]) == [data[200:300]]
    assert rechunker.push(data[300:1024]) == [data[i : i + 100] for i in range(300, 1000, 100)]
    assert rechunker.push(data[:76]) == [data[1000:1024] + data[:76]]
