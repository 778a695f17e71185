"""``voice bench``: a real server in a child process, utterances streamed at real-time pace.

Per turn it records the server's own stage timings, the latency a client sees
from the end of speech to the first reply audio, Whisper's real-time factor and
the word error rate; for the run, p50/p95 and the server's peak memory. With ``--pauses``
each utterance gets a 1.5 s thinking pause inside it, at a quiet point between words, and
the run counts the utterances heard as more than one turn (cut by the pause). With
``--quiet`` each is sent as a quiet microphone would (``at_quiet_microphone``).
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float, read_wav
from voice.audio.resample import resample
from voice.client.connection import talk
from voice.errors import VoiceError
from voice.settings import Settings
from voice.tools.measures import percentile, word_error_rate

# Things people say at a daily check-in; synthesised with the bundled voice.
DEFAULT_UTTERANCES = (
    "I slept badly last night and I feel a bit anxious about work today.",
    "Honestly I'm doing okay, just tired.",
    "My sister called me this morning and that cheered me up.",
    "I didn't really want to get out of bed today.",
    "Work has been stressful because of a deadline on Friday.",
    "I went for a long walk after lunch and it helped.",
    "I keep worrying about money and I can't switch it off.",
    "Today was better than yesterday.",
    "I had an argument with my partner and I still feel upset about it.",
    "I managed to cook a proper dinner for the first time this week.",
)


@dataclass(frozen=True, slots=True)
class TurnResult:
    """Measurements of one utterance."""

    id: str
    audio_seconds: float
    wer: float
    endpoint_to_first_audio_ms: float | None
    speech_end_to_first_audio_ms: float | None
    stt_ms: float | None
    stt_rtf: float | None
    llm_first_token_ms: float | None
    tts_first_audio_ms: float | None
    turns: int
    cut_at_pause: bool | None = None
    """With ``--pauses``: the turn ended at the thinking pause (it was cut in two there)."""


def _utterances(
    audio_dir: Path | None, limit: int, settings: Settings
) -> list[tuple[str, bytes, str]]:
    if audio_dir is None:
        from voice.engines.factory import model_path
        from voice.engines.tts import PiperSynthesizer

        voice = PiperSynthesizer(model_path(settings, "tts"), steady=True)
        out = []
        for i, text in enumerate(DEFAULT_UTTERANCES):
            pcm = b"".join(voice.synthesize(text))
            samples = resample(pcm16_to_float(pcm), voice.sample_rate_hz, PIPELINE_RATE_HZ)
            out.append((f"synth-{i:02d}", float_to_pcm16(samples), text))
    else:
        manifest = audio_dir / "manifest.csv"
        if not manifest.is_file():
            raise VoiceError(f"{manifest} not found", code="bad_input")
        out = []
        with manifest.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                samples, rate = read_wav(audio_dir / row["file"])
                pcm = float_to_pcm16(resample(samples, rate, PIPELINE_RATE_HZ))
                out.append((row["file"], pcm, row["transcript"]))
    return out[:limit] if limit else out


THINKING_PAUSE_SECONDS = 1.5


def quiet_point(pcm: bytes, fraction: float) -> int:
    """The byte offset of the quietest 30 ms of 16 kHz speech within ±240 ms of
    ``fraction`` of it: a gap between words, where a pause to think goes."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    frame = PIPELINE_RATE_HZ * 30 // 1000
    middle = int(len(samples) * fraction) // frame
    candidates = range(max(0, middle - 8), min(len(samples) // frame, middle + 8))
    energy = {i: float(np.mean(samples[i * frame : (i + 1) * frame] ** 2)) for i in candidates}
    return min(energy, key=energy.__getitem__) * frame * 2


def with_thinking_pause(pcm: bytes, fraction: float = 0.45) -> bytes:
    """``pcm`` with ``THINKING_PAUSE_SECONDS`` of silence at its quiet point near
    ``fraction``."""
    cut = quiet_point(pcm, fraction)
    return pcm[:cut] + bytes(round(THINKING_PAUSE_SECONDS * PIPELINE_RATE_HZ) * 2) + pcm[cut:]


QUIET_PEAK_DBFS = -50.0
QUIET_ROOM_DBFS = -85.0


def at_quiet_microphone(pcm: bytes, *, seed: int = 0) -> bytes:
    """16 kHz speech as a USB microphone at low gain gives it: peaking at
    ``QUIET_PEAK_DBFS``, over a room (and converter) noise floor at ``QUIET_ROOM_DBFS``."""
    samples = pcm16_to_float(pcm).astype(np.float64)
    peak = float(np.max(np.abs(samples))) or 1.0
    quiet = samples * 10 ** (QUIET_PEAK_DBFS / 20) / peak
    room = np.random.default_rng(seed).normal(0.0, 10 ** (QUIET_ROOM_DBFS / 20), samples.size)
    return float_to_pcm16((quiet + room).astype(np.float32))


CUT_TOLERANCE_MS = 300
"""A turn that ended this close to where the thinking pause begins was cut by it."""


def _speech_end_seconds(pcm: bytes) -> float:
    """Where the last sound above -40 dBFS ends (the file may hold trailing silence)."""
    samples = pcm16_to_float(pcm)
    win = PIPELINE_RATE_HZ // 50
    n = samples.size // win
    rms = np.sqrt(np.mean(samples[: n * win].reshape(n, win).astype(np.float64) ** 2, axis=1))
    loud = np.nonzero(rms > 0.01)[0]
    return float((loud[-1] + 1) * win / PIPELINE_RATE_HZ) if loud.size else 0.0


class _ServerProcess:
    """``voice serve --port 0`` as a child, so its memory is measured alone."""

    def __init__(self, settings: Settings) -> None:
        env = {**os.environ, "VOICE_CACHE_DIR": str(settings.cache_dir)}
        # A throwaway data directory: no accounts (loopback open mode), nothing of a person's.
        self._data = tempfile.TemporaryDirectory(prefix="voice-bench-")
        dirs = [
            "--data-dir",
            f"{self._data.name}/data",
            "--config-dir",
            f"{self._data.name}/config",
        ]
        init = [sys.executable, "-m", "voice.cli", "init", *dirs]
        subprocess.run(init, env=env, check=True, stdout=subprocess.DEVNULL)
        cmd = [sys.executable, "-m", "voice.cli", "serve", "--port", "0", "--log-level", "INFO"]
        cmd += dirs
        if settings.llm_url:
            cmd += ["--llm-url", settings.llm_url]
        cmd += ["--end-of-turn", settings.end_of_turn]
        self.proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
        self.port = self._wait_port()
        self._wait_healthy()

    def _wait_port(self) -> int:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if m := re.search(r"listening on http://[^:]+:(\d+)", line):
                return int(m.group(1))
        raise VoiceError("the benchmark server exited before listening", code="internal")

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise VoiceError("the benchmark server did not load its models", code="internal")

    def peak_memory_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text(encoding="utf-8")
        m = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(m.group(1)) / 1024 if m else float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._data.cleanup()


async def _one(
    url: str,
    uid: str,
    pcm: bytes,
    reference: str,
    pause_ms: int | None = None,
    *,
    quiet: bool = False,
) -> TurnResult:
    sent_at: list[float] = []

    def mark(event: dict[str, Any]) -> None:
        if event["type"] == "metrics" and event["turn"] == 0:
            sent_at.append(time.monotonic())  # streaming starts right after the greeting

    # Open conversation: every turn goes through the language model (the scripted
    # check-in would answer some turns without it and flatter the figures).
    sent = at_quiet_microphone(pcm) if quiet else pcm
    result = await talk(
        url, sent, trailing_timeout_s=90, on_event=mark, hello_extra={"checkin": False}
    )
    got = result.received
    finals = [e for e in got.of_type("transcript") if e["final"] and e["text"]]
    hypothesis = " ".join(str(e["text"]) for e in finals)
    last = finals[-1]["turn"] if finals else None
    metrics = next((e for e in got.of_type("metrics") if e["turn"] == last), {})
    client_ms = None
    if last is not None and last in got.first_audio_at and sent_at:
        speech_end = sent_at[0] + _speech_end_seconds(pcm)
        client_ms = (got.first_audio_at[last] - speech_end) * 1000
    started = next((e for e in got.of_type("speech_started") if e["turn"] == last), None)
    stopped = next((e for e in got.of_type("speech_stopped") if e["turn"] == last), None)
    rtf = None
    if metrics.get("stt_ms") and started and stopped:
        turn_seconds = (stopped["at_ms"] - started["at_ms"]) / 1000
        rtf = metrics["stt_ms"] / 1000 / max(turn_seconds, 0.1)
    return TurnResult(
        id=uid,
        audio_seconds=round(len(pcm) / 2 / PIPELINE_RATE_HZ, 2),
        wer=round(word_error_rate(reference, hypothesis), 3),
        endpoint_to_first_audio_ms=metrics.get("endpoint_to_first_audio_ms"),
        speech_end_to_first_audio_ms=None if client_ms is None else round(client_ms, 1),
        stt_ms=metrics.get("stt_ms"),
        stt_rtf=None if rtf is None else round(rtf, 3),
        llm_first_token_ms=metrics.get("llm_first_token_ms"),
        tts_first_audio_ms=metrics.get("tts_first_audio_ms"),
        turns=len(finals),
        cut_at_pause=None
        if pause_ms is None
        else any(
            abs(int(e["at_ms"]) - pause_ms) <= CUT_TOLERANCE_MS
            for e in got.of_type("speech_stopped")
        ),
    )


def _summary(results: list[TurnResult]) -> dict[str, Any]:
    keys = (
        "endpoint_to_first_audio_ms",
        "speech_end_to_first_audio_ms",
        "stt_ms",
        "stt_rtf",
        "llm_first_token_ms",
        "tts_first_audio_ms",
        "wer",
    )
    out: dict[str, Any] = {}
    for key in keys:
        values = [float(v) for r in results if (v := getattr(r, key)) is not None]
        p50, p95 = percentile(values, 50), percentile(values, 95)
        out[key] = {
            "p50": None if p50 is None else round(p50, 3),
            "p95": None if p95 is None else round(p95, 3),
            "n": len(values),
        }
    return out


def run_bench(
    settings: Settings,
    audio_dir: Path | None,
    limit: int,
    out: Path,
    *,
    pauses: bool = False,
    quiet: bool = False,
) -> int:
    """Run the benchmark; print a table and write JSON to ``out``."""
    utterances = _utterances(audio_dir, limit, settings)
    pause_at: dict[str, int] = {}
    if pauses:
        # Where each pause begins, in ms of the audio sent (streaming starts after the
        # greeting, at 0).
        pause_at = {uid: quiet_point(pcm, 0.45) // 32 for uid, pcm, _ in utterances}
        utterances = [(uid, with_thinking_pause(pcm), text) for uid, pcm, text in utterances]
    server = _ServerProcess(settings)
    try:
        url = f"ws://127.0.0.1:{server.port}/v1/checkin"
        results = []
        for uid, pcm, reference in utterances:
            turn = _one(url, uid, pcm, reference, pause_at.get(uid), quiet=quiet)
            results.append(asyncio.run(turn))
            print(_row(results[-1]), flush=True)
        peak_mb = server.peak_memory_mb()
    finally:
        server.stop()
    summary = _summary(results)
    report = {
        "command": "voice " + " ".join(sys.argv[1:]),
        "audio": str(audio_dir) if audio_dir else "synthesised (Piper en_US-joe-medium)",
        "cpu_count": os.cpu_count(),
        "end_of_turn": settings.end_of_turn,
        "thinking_pauses": pauses,
        "quiet_microphone": quiet,
        "utterances_cut_at_the_pause": sum(bool(r.cut_at_pause) for r in results),
        "utterances_heard_as_several_turns": sum(r.turns > 1 for r in results),
        "utterances": len(results),
        "server_peak_memory_mb": round(peak_mb, 1),
        "summary": summary,
        "turns": [asdict(r) for r in results],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print()
    print(f"{'measure':34} {'p50':>9} {'p95':>9} {'n':>4}")
    for key, stats in summary.items():
        print(f"{key:34} {_fmt(stats['p50']):>9} {_fmt(stats['p95']):>9} {stats['n']:>4}")
    print(f"{'server_peak_memory_mb':34} {peak_mb:>9.0f}")
    print(f"utterances heard as several turns: {report['utterances_heard_as_several_turns']}")
    if pauses:
        print(f"utterances cut at the thinking pause: {report['utterances_cut_at_the_pause']}")
    print(f"of {len(results)} utterances")
    print(f"written to {out}")
    return 0


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}" if value < 10 else f"{value:.0f}"


def _row(r: TurnResult) -> str:
    return (
        f"{r.id:40.40} {r.audio_seconds:5.1f}s wer={r.wer:.2f} "
        f"endpoint->audio={_fmt(r.endpoint_to_first_audio_ms)}ms "
        f"speech_end->audio={_fmt(r.speech_end_to_first_audio_ms)}ms turns={r.turns}"
    )
