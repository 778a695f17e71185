"""The home device end to end: ``voice device`` with a recording as its microphone against
the real server and models; the same through PortAudio into a real sound server (a
PulseAudio null sink, a virtual microphone); and a server killed with SIGKILL mid-check-in
and started again, the device reconnecting and the next turn answered."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from killable import killable_server  # type: ignore[import-not-found]
from sound import SINK, SoundServer  # type: ignore[import-not-found]

from voice.accounts import AccountStore
from voice.audio.pcm import (
    PIPELINE_RATE_HZ,
    active_seconds,
    float_to_pcm16,
    pcm16_to_float,
    read_wav,
    write_wav,
)
from voice.audio.resample import resample
from voice.db import open_database
from voice.device.checkin import CheckinOptions
from voice.device.feedback import EARCON_RATE_HZ, Cue, Phrases, earcon
from voice.device.run import Device, DeviceOptions
from voice.device.sound import WavMicrophone, WavSpeaker
from voice.engines.workers import Engines
from voice.server.edge import OriginPolicy
from voice.server.state import Access, ConnectionLimits

VOICE = str(Path(sys.executable).parent / "voice")
ANSWER = "I slept well last night and went for a long walk by the sea this morning."
PRIVATE_WORDS = ("slept", "walk", "sea")


@pytest.fixture(scope="module")
def paired(
    start_server: Callable[..., str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """A real server with accounts, and a token file for the person ``ana``."""
    folder = tmp_path_factory.mktemp("device")
    store = AccountStore(open_database(f"sqlite:///{folder / 'voice.db'}"))
    token = store.add_person("ana", datetime.now(UTC))
    address = start_server(
        ConnectionLimits(max_sessions=2, overload_ms=60_000.0),
        access=Access(accounts=store, policy=OriginPolicy.for_server("127.0.0.1")),
    )
    token_file = folder / "token"
    token_file.write_text(token + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    return f"ws://{address}/v1/checkin", token_file


def _device_command(url: str, token_file: Path, *extra: str) -> list[str]:
    return [
        VOICE, "device", "--once", "--url", url, "--token-file", str(token_file),
        "--open-conversation", "--no-local-voice", *extra,
    ]  # fmt: skip


def _words(engines: Engines, samples: np.ndarray, rate_hz: int) -> list[str]:
    pcm = float_to_pcm16(resample(samples, rate_hz, PIPELINE_RATE_HZ))
    heard = asyncio.run(engines.transcribe(pcm, partial=False))
    return heard.value.text.split()


def test_a_recording_as_the_microphone_gets_a_spoken_reply(
    paired: tuple[str, Path], speak: Callable[[str], bytes], engines: Engines, tmp_path: Path
) -> None:
    url, token_file = paired
    write_wav(tmp_path / "in.wav", speak(ANSWER) + bytes(2 * PIPELINE_RATE_HZ * 2), 16000)
    done = subprocess.run(
        _device_command(
            url, token_file, "--input-wav", str(tmp_path / "in.wav"),
            "--output-wav", str(tmp_path / "out.wav"),
        ),
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    log = done.stderr
    assert log.index("connected") < log.index("listening") < log.index("ended (input_ended)")
    assert not any(word in log for word in PRIVATE_WORDS)  # nothing the person said
    samples, rate = read_wav(tmp_path / "out.wav")
    # The greeting, the listening earcon, the thinking earcon and the spoken reply.
    assert samples.size / rate > 3.0
    assert active_seconds(samples, rate) > 2.0
    assert len(_words(engines, samples, rate)) >= 5


@contextlib.contextmanager
def _room_with_a_microphone(sound: SoundServer) -> Iterator[str]:
    """A second null sink whose monitor is the default source: what is played into it is
    what the device's microphone hears; and what the device plays (the first sink) is
    looped into it too, 60 ms late and as loud as the person: a loudspeaker beside it."""
    modules = [
        ["module-null-sink", "sink_name=voice_mic"],
        ["module-loopback", f"source={SINK}.monitor", "sink=voice_mic", "latency_msec=60",
         "source_dont_move=true", "sink_dont_move=true"],
    ]  # fmt: skip
    loaded = [
        subprocess.run(
            ["pactl", "load-module", *module],
            env=sound.env, capture_output=True, text=True, check=True,
        ).stdout.strip()
        for module in modules
    ]  # fmt: skip
    subprocess.run(["pactl", "set-default-source", "voice_mic.monitor"], env=sound.env, check=True)
    try:
        yield "voice_mic"
    finally:
        for module in reversed(loaded):
            subprocess.run(["pactl", "unload-module", module], env=sound.env, check=False)
        subprocess.run(
            ["pactl", "set-default-source", f"{SINK}.monitor"], env=sound.env, check=False
        )


def test_through_portaudio_it_hears_the_person_not_itself_and_speaks_out_loud(
    paired: tuple[str, Path],
    speak: Callable[[str], bytes],
    engines: Engines,
    sound_server: SoundServer,
    tmp_path: Path,
) -> None:
    url, token_file = paired
    write_wav(tmp_path / "answer.wav", speak(ANSWER), 16000)
    with _room_with_a_microphone(sound_server) as mic, sound_server.recording() as played:
        device = subprocess.Popen(
            _device_command(url, token_file, "--idle", "5"),
            env={**sound_server.env, "PYTHONUNBUFFERED": "1"},
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert device.stderr is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(device.stderr or []), daemon=True)
        reader.start()
        deadline = time.monotonic() + 60
        while not any("listening" in line for line in lines):
            assert time.monotonic() < deadline and device.poll() is None, "".join(lines)
            time.sleep(0.05)
        subprocess.run(
            ["paplay", f"--device={mic}", str(tmp_path / "answer.wav")],
            env=sound_server.env, check=True, timeout=30,
        )  # fmt: skip
        try:
            with contextlib.suppress(subprocess.TimeoutExpired):
                device.wait(120)
        finally:
            device.kill()
            device.wait()
            reader.join(5)
            device.stderr.close()
        assert device.returncode == 0, "".join(lines)
    log = "".join(lines)
    assert "ended (idle)" in log and not any(word in log for word in PRIVATE_WORDS)
    # The person's turn was heard and its reply played whole: the device, hearing its own
    # voice through the room, cancelled it instead of interrupting itself.
    assert "turn 1: speech started" in log and "turn 1: reply played" in log
    assert "interrupted" not in log
    out = pcm16_to_float(played[0].astype("<i2").tobytes())
    assert active_seconds(out, 16000) > 2.0  # the greeting and the reply reached the speaker
    assert len(_words(engines, out, 16000)) >= 5


def _tone_speech(seconds: float) -> bytes:
    t = np.arange(int(seconds * PIPELINE_RATE_HZ)) / PIPELINE_RATE_HZ
    return float_to_pcm16((0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32))


def test_the_device_reconnects_after_the_server_is_killed_and_the_next_turn_works(
    tmp_path: Path,
) -> None:
    silence = bytes(PIPELINE_RATE_HZ * 2)  # 1 s
    said = _tone_speech(1.0) + 3 * silence + _tone_speech(1.0) + 2 * silence
    write_wav(tmp_path / "in.wav", said, PIPELINE_RATE_HZ)
    mic = WavMicrophone(tmp_path / "in.wav")
    speaker = WavSpeaker(tmp_path / "out.wav")
    with killable_server(tmp_path / "server", datetime.now(UTC)) as servers:
        pid, port = servers.start()
        options = CheckinOptions(
            f"ws://127.0.0.1:{port}/v1/checkin", {"token": servers.token, "checkin": False}
        )
        device = Device(
            DeviceOptions(options, once=True), lambda: mic, speaker, Phrases(None),
            rng=random.Random(3),
        )  # fmt: skip

        async def killed_mid_checkin() -> int:
            checkin = asyncio.ensure_future(device.once())
            deadline = time.monotonic() + 30
            while mic.heard_s < 3.0:  # the first turn answered, the person silent
                assert time.monotonic() < deadline and not checkin.done()
                await asyncio.sleep(0.02)
            os.kill(pid, signal.SIGKILL)
            await asyncio.sleep(0.5)
            await asyncio.to_thread(servers.start, port)
            return await asyncio.wait_for(checkin, 60)

        assert asyncio.run(killed_mid_checkin()) == 0
    assert device.connections == 2
    assert mic.ended
    played = speaker.played
    lost = played.find(earcon(Cue.ERROR, EARCON_RATE_HZ))  # "connection lost", without a voice
    assert lost > 0 and played.count(earcon(Cue.ERROR, EARCON_RATE_HZ)) == 1  # told once
    back = played.find(earcon(Cue.LISTENING, EARCON_RATE_HZ), lost)  # "back", then listening
    assert back > lost
    # After the reconnect: the greeting again, the listening earcon, the second turn's reply
    # (the fake voice: 300 Hz tones): speech, not only earcons.
    after = pcm16_to_float(played[back:])
    assert active_seconds(after, speaker.rate_hz) > 0.8
