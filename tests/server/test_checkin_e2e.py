"""The whole loop over a real websocket with the real models."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from voice.audio.pcm import PIPELINE_RATE_HZ, active_seconds, pcm16_to_float, read_wav, write_wav
from voice.client.connection import CheckinClient, talk
from voice.tools.bench_audio import at_quiet_microphone
from voice.tools.measures import word_error_rate

pytestmark = pytest.mark.real_models

SENTENCE = "I slept badly last night and I feel a bit anxious about work today."
TTS_RATE = 22050


def _types(events: list[dict[str, object]], turn: int) -> list[str]:
    return [str(e["type"]) for e in events if e.get("turn") == turn]


def _collapse(types: list[str]) -> list[str]:
    """Keep the first of each run (partials and deltas repeat)."""
    out: list[str] = []
    for t in types:
        if not out or out[-1] != t:
            out.append(t)
    return out


def test_spoken_turn_gets_a_spoken_reply(ws_url: str, speak: Callable[[str], bytes]) -> None:
    result = asyncio.run(talk(ws_url, speak(SENTENCE), trailing_timeout_s=60))
    got = result.received
    assert result.complete
    assert got.events[0]["type"] == "ready"
    assert got.events[0]["tts_audio"] == {
        "encoding": "pcm_s16le",
        "sample_rate": TTS_RATE,
        "channels": 1,
    }

    # Turn 0: the greeting, spoken.
    greeting = _collapse(_types(got.events, 0))
    assert greeting[0] == "reply_delta" and greeting[-1] == "metrics"
    assert active_seconds(pcm16_to_float(bytes(got.audio[0])), TTS_RATE) > 1.0

    # Turn 1: the person's words, then a reply written and spoken.
    finals = [e for e in got.of_type("transcript") if e["final"]]
    assert [e["turn"] for e in finals] == [1]
    assert word_error_rate(SENTENCE, str(finals[0]["text"])) <= 0.2
    types = _types(got.events, 1)
    order = [t for t in _collapse(types) if t != "transcript"]
    assert order[:2] == ["speech_started", "speech_stopped"]
    assert types.index("speech_stopped") < types.index("reply_delta")
    assert types.index("reply_delta") < types.index("audio_start") < types.index("audio_end")
    assert types.index("reply") < types.index("audio_end") < types.index("metrics")
    assert types[-1] == "metrics"
    partials = [e for e in got.of_type("transcript") if not e["final"]]
    assert partials, "partial transcripts arrive while the person speaks"
    assert got.events.index(partials[0]) < got.events.index(got.of_type("speech_stopped")[0])

    reply = got.of_type("reply")[-1]
    deltas = "".join(str(e["text"]) for e in got.of_type("reply_delta") if e["turn"] == 1)
    assert reply["turn"] == 1 and not reply["interrupted"]
    assert len(str(reply["text"]).split()) >= 3
    assert deltas.strip() == reply["text"]
    assert str(reply["text"]).count("?") <= 1

    audio = pcm16_to_float(bytes(got.audio[1]))
    assert active_seconds(audio, TTS_RATE) >= 0.5
    assert float(np.sqrt(np.mean(audio.astype(np.float64) ** 2))) > 0.01

    metrics = got.of_type("metrics")[-1]
    assert metrics["turn"] == 1
    for key in ("stt_ms", "llm_first_token_ms", "tts_first_audio_ms", "endpoint_to_first_audio_ms"):
        assert isinstance(metrics[key], float) and metrics[key] > 0, key
    for key in ("stt_wait_ms", "llm_wait_ms", "tts_wait_ms"):  # one session: little queueing
        assert isinstance(metrics[key], float) and 0 <= metrics[key] < 1000, key
    stopped = got.of_type("speech_stopped")[0]
    assert abs(int(stopped["at_ms"]) - len(speak(SENTENCE)) / 2 / 16) < 600


@pytest.mark.parametrize("kind", ["silence", "low_noise"])
def test_silence_and_noise_produce_no_turn(ws_url: str, kind: str) -> None:
    rng = np.random.default_rng(7)
    n = PIPELINE_RATE_HZ * 5
    if kind == "silence":
        pcm = bytes(n * 2)
    else:  # steady hiss at about -50 dBFS, like a quiet room through a cheap microphone
        pcm = (rng.normal(0, 0.003, n) * 32767).astype("<i2").tobytes()

    async def run() -> list[dict[str, object]]:
        async with CheckinClient.open(ws_url) as client:
            await client.hello()
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0)
            await client.stream(pcm, realtime=False)
            await client.stream(bytes(PIPELINE_RATE_HZ), realtime=True)  # 0.5 s live
            await client.end()
            return client.received.events

    events = asyncio.run(run())
    assert not [e for e in events if e["type"] in ("speech_started", "transcript")]
    assert events[-1]["type"] == "bye"


def test_barge_in_interrupts_the_reply(ws_url: str, speak: Callable[[str], bytes]) -> None:
    async def run() -> list[dict[str, object]]:
        async with CheckinClient.open(ws_url) as client:
            await client.hello()
            # Speak over the greeting as soon as its audio starts.
            await client.wait_for(lambda e: e["type"] == "audio_start" and e["turn"] == 0)
            await client.stream(speak("Sorry, can I just start talking now?"))
            await client.stream_silence_until(lambda: client.turn_complete(1), timeout_s=60)
            await client.end()
            return client.received.events

    events = asyncio.run(run())
    ends = [e for e in events if e["type"] == "audio_end" and e["turn"] == 0]
    assert ends == [{"type": "audio_end", "turn": 0, "interrupted": True}]
    started = next(e for e in events if e["type"] == "speech_started")
    assert started["turn"] == 1
    assert events.index(ends[0]) < events.index(started) + 2
    # Once interrupted, no more audio for turn 0; the new turn is answered.
    assert any(e["type"] == "reply" and e["turn"] == 1 for e in events)


def test_two_sessions_at_once(ws_url: str, speak: Callable[[str], bytes]) -> None:
    """Two people at once, the second through a quiet microphone (speech peaking at
    -50 dBFS over a -85 dBFS room, which a fixed -45 dBFS floor never heard)."""
    sentences = ["Today was a long day at work.", "I went for a walk this morning."]
    audio = [speak(sentences[0]), at_quiet_microphone(speak(sentences[1]))]
    assert np.max(np.abs(pcm16_to_float(audio[1]))) < 10 ** (-49 / 20)

    async def both() -> list[object]:
        return list(
            await asyncio.gather(*(talk(ws_url, pcm, trailing_timeout_s=90) for pcm in audio))
        )

    results = asyncio.run(both())
    for sentence, result in zip(sentences, results, strict=True):
        assert result.complete  # type: ignore[attr-defined]
        got = result.received  # type: ignore[attr-defined]
        final = next(e for e in got.of_type("transcript") if e["final"])
        assert word_error_rate(sentence, str(final["text"])) <= 0.2
        assert active_seconds(pcm16_to_float(bytes(got.audio[1])), TTS_RATE) >= 0.5
    ids = {r.received.events[0]["session_id"] for r in results}  # type: ignore[attr-defined]
    assert len(ids) == 2


def test_typed_turn_is_answered(ws_url: str) -> None:
    async def run() -> list[dict[str, object]]:
        async with CheckinClient.open(ws_url) as client:
            await client.hello()
            await client.send_json({"type": "text", "text": "I had a good lunch with my sister."})
            await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 1, 60)
            await client.end()
            return client.received.events

    events = asyncio.run(run())
    # Typed while the greeting played: the greeting is interrupted, turn 1 answered.
    reply = next(e for e in events if e["type"] == "reply" and e["turn"] == 1)
    assert str(reply["text"]).strip()
    metrics = next(e for e in events if e["type"] == "metrics" and e["turn"] == 1)
    assert metrics["stt_ms"] is None and isinstance(metrics["llm_first_token_ms"], float)


def test_voice_talk_cli_writes_the_reply(
    ws_url: str, speak: Callable[[str], bytes], tmp_path: Path
) -> None:
    wav = tmp_path / "in.wav"
    write_wav(wav, speak("I want to talk about my week."), PIPELINE_RATE_HZ)
    out = tmp_path / "reply.wav"
    proc = subprocess.run(
        [sys.executable, "-m", "voice.cli", "talk", str(wav), "--url", ws_url, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert '"type": "ready"' in lines[0]
    assert any('"final": true' in line for line in lines)
    samples, rate = read_wav(out)
    assert rate == TTS_RATE
    assert active_seconds(samples, rate) >= 0.5
