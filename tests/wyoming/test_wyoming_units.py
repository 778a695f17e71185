"""The Wyoming edge's pure parts: where it may listen, the audio it takes in, the
conversations it keeps, and the ``info`` it answers ``describe`` with."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from wyoming.info import Info

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float
from voice.errors import AudioError, ConfigError
from voice.wyoming.bind import check_uri
from voice.wyoming.conversations import Conversations
from voice.wyoming.info import COMPANION_LANGUAGE, Offer, build_info
from voice.wyoming.intake import MAX_SECONDS, AudioFormat, AudioIntake

MONO_16K = AudioFormat(16000, 2, 1)


def tone(seconds: float, rate_hz: int, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


# --- where it may listen -------------------------------------------------------------------


@pytest.mark.parametrize(
    "uri",
    ["tcp://127.0.0.1:10300", "tcp://localhost:10300", "tcp://[::1]:10300", "unix:///tmp/w.sock"],
)
def test_loopback_and_unix_sockets_are_local(uri: str) -> None:
    assert check_uri(uri, allow_remote=False) is False


@pytest.mark.parametrize("uri", ["tcp://0.0.0.0:10300", "tcp://[::]:10300", "tcp://10.0.0.5:1"])
def test_an_address_others_reach_needs_allow_remote(uri: str) -> None:
    with pytest.raises(ConfigError, match="no authentication"):
        check_uri(uri, allow_remote=False)
    assert check_uri(uri, allow_remote=True) is True


@pytest.mark.parametrize(
    "uri", ["tcp://127.0.0.1", "http://127.0.0.1:10300", "stdio://", "tcp://:10300", "unix://"]
)
def test_a_malformed_uri_is_refused_with_the_shape_to_use(uri: str) -> None:
    with pytest.raises(ConfigError, match=re.escape("tcp://127.0.0.1:10300")):
        check_uri(uri, allow_remote=True)


def test_a_port_out_of_range_is_refused() -> None:
    with pytest.raises(ConfigError, match="port"):
        check_uri("tcp://127.0.0.1:70000", allow_remote=False)


def _wyoming(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "voice.cli", "wyoming", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_the_command_refuses_an_open_address_before_loading_anything() -> None:
    proc = _wyoming("--uri", "tcp://0.0.0.0:10300")
    assert proc.returncode == 2
    assert "Wyoming has no authentication" in proc.stderr
    assert proc.stderr.strip().endswith("(bad_config)")
    assert "Traceback" not in proc.stderr


def test_allowing_remote_clients_warns_that_nobody_is_authenticated() -> None:
    # ``auto`` then stops it before the models load: the warning is what is looked at.
    proc = _wyoming("--uri", "tcp://0.0.0.0:10300", "--allow-remote", "--whisper-language", "auto")
    warnings = [line for line in proc.stderr.splitlines() if " WARNING " in line]
    assert len(warnings) == 1
    assert "no authentication" in warnings[0]
    assert proc.returncode == 2
    assert "whisper_language" in proc.stderr


# --- the audio it takes in -----------------------------------------------------------------


def test_16k_mono_passes_through_unchanged() -> None:
    pcm = float_to_pcm16(tone(0.5, 16000))
    intake = AudioIntake()
    intake.start(MONO_16K)
    intake.add(MONO_16K, pcm[:1000])
    intake.add(MONO_16K, pcm[1000:])
    assert intake.stop() == pcm


def test_48k_stereo_becomes_16k_mono_with_the_same_pitch() -> None:
    left = tone(1.0, 48000, 440.0)
    stereo = np.stack([left, left], axis=1).reshape(-1)
    fmt = AudioFormat(48000, 2, 2)
    intake = AudioIntake()
    intake.start(fmt)
    intake.add(fmt, float_to_pcm16(stereo))
    out = intake.stop()
    assert out is not None
    samples = pcm16_to_float(out)
    assert samples.size == PIPELINE_RATE_HZ
    spectrum = np.abs(np.fft.rfft(samples))
    assert abs(np.argmax(spectrum) * PIPELINE_RATE_HZ / samples.size - 440.0) < 2.0
    assert 0.3 < np.abs(samples).max() < 0.6  # mixed down, not summed


def test_a_start_and_stop_without_chunks_is_no_speech() -> None:
    intake = AudioIntake()
    intake.start(MONO_16K)
    assert intake.stop() == b""


@pytest.mark.parametrize(
    ("fmt", "code"),
    [
        (AudioFormat(16000, 1, 1), "unsupported_audio"),
        (AudioFormat(16000, 4, 1), "unsupported_audio"),
        (AudioFormat(4000, 2, 1), "unsupported_audio"),
        (AudioFormat(16000, 2, 0), "unsupported_audio"),
    ],
)
def test_a_format_that_cannot_be_speech_is_refused_once(fmt: AudioFormat, code: str) -> None:
    intake = AudioIntake()
    with pytest.raises(AudioError) as refused:
        intake.start(fmt)
    assert refused.value.code == code
    intake.add(fmt, b"\x00\x00" * 100)  # the stream's chunks are dropped quietly
    assert intake.stop() is None
    intake.start(MONO_16K)  # and the next stream is heard
    intake.add(MONO_16K, b"\x01\x00" * 10)
    assert intake.stop() == b"\x01\x00" * 10


def test_chunks_before_a_start_are_refused_once_then_dropped() -> None:
    intake = AudioIntake()
    with pytest.raises(AudioError) as refused:
        intake.add(MONO_16K, b"\x00\x00")
    assert refused.value.code == "audio_not_started"
    intake.add(MONO_16K, b"\x00\x00")
    assert intake.stop() is None


def test_a_stop_without_a_start_is_refused() -> None:
    with pytest.raises(AudioError) as refused:
        AudioIntake().stop()
    assert refused.value.code == "audio_not_started"


@pytest.mark.parametrize(
    ("fmt", "pcm", "code"),
    [
        (AudioFormat(22050, 2, 1), b"\x00\x00", "unsupported_audio"),  # not audio-start's
        (MONO_16K, b"\x00\x00\x00", "unsupported_audio"),  # half a sample
    ],
)
def test_a_chunk_that_breaks_the_stream_refuses_it(fmt: AudioFormat, pcm: bytes, code: str) -> None:
    intake = AudioIntake()
    intake.start(MONO_16K)
    with pytest.raises(AudioError) as refused:
        intake.add(fmt, pcm)
    assert refused.value.code == code
    assert intake.stop() is None


def test_audio_past_the_longest_turn_is_refused_without_keeping_it() -> None:
    intake = AudioIntake()
    intake.start(MONO_16K)
    second = b"\x00\x00" * 16000
    for _ in range(int(MAX_SECONDS)):
        intake.add(MONO_16K, second)
    with pytest.raises(AudioError) as refused:
        intake.add(MONO_16K, b"\x00\x00")
    assert refused.value.code == "audio_too_long"
    assert "s is not transcribed" in refused.value.message
    assert intake.stop() is None


# --- the conversations it keeps ------------------------------------------------------------


class Counter:
    """Makes numbered conversations."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self) -> int:
        self.made += 1
        return self.made


def test_a_conversation_id_finds_its_conversation_again() -> None:
    kept = Conversations(Counter())
    assert kept.get("a", 0.0) == 1
    assert kept.get("b", 1.0) == 2
    assert kept.get("a", 2.0) == 1
    assert len(kept) == 2


def test_the_least_recently_used_goes_first_past_the_limit() -> None:
    kept = Conversations(Counter(), limit=2)
    kept.get("a", 0.0)
    kept.get("b", 1.0)
    kept.get("a", 2.0)  # a is now the more recent
    kept.get("c", 3.0)
    assert "b" not in kept
    assert "a" in kept
    assert "c" in kept
    assert kept.get("b", 4.0) == 4  # a new conversation


def test_an_idle_conversation_is_forgotten() -> None:
    kept = Conversations(Counter(), idle_seconds=60.0)
    kept.get("a", 0.0)
    kept.get("b", 30.0)
    assert kept.get("a", 59.0) == 1  # still within the minute: used again
    kept.get("c", 100.0)  # b was idle for 70 s, a for 41 s
    assert "b" not in kept
    assert "a" in kept
    assert kept.get("b", 101.0) == 4


@pytest.mark.parametrize("key", [None, "", "x" * 129])
def test_without_a_usable_id_a_conversation_lasts_one_turn(key: str | None) -> None:
    kept = Conversations(Counter())
    assert kept.get(key, 0.0) == 1
    assert kept.get(key, 0.0) == 2
    assert len(kept) == 0


# --- the answer to describe ----------------------------------------------------------------


def test_info_offers_each_service_with_its_language_and_streaming() -> None:
    offer = Offer(
        version="0.1.0",
        stt_model="whisper-tiny.en",
        stt_language="en",
        tts_voice="en_US-joe-medium",
        tts_language="en_US",
        chat_model="qwen",
    )
    info = Info.from_event(build_info(offer).event())  # as a client reads it
    (asr,) = info.asr
    (tts,) = info.tts
    (handle,) = info.handle
    assert [(m.name, m.languages) for m in asr.models] == [("whisper-tiny.en", ["en"])]
    assert [(v.name, v.languages) for v in tts.voices] == [("en_US-joe-medium", ["en_US"])]
    assert [(m.name, m.languages) for m in handle.models] == [("qwen", [COMPANION_LANGUAGE])]
    assert asr.supports_transcript_streaming
    assert tts.supports_synthesize_streaming
    assert handle.supports_handled_streaming
    assert not handle.supports_home_control
    assert all(p.installed and p.version == "0.1.0" for p in (asr, tts, handle))
    assert not (info.intent or info.wake or info.mic or info.snd)
