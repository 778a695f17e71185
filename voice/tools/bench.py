"""``voice bench``: a real server in a child process, utterances streamed at real-time pace.

Per turn it records the server's own stage timings, the latency a client sees
from the end of speech to the first reply audio, Whisper's real-time factor and
the word error rate; for the run, p50/p95 and the server's peak memory. With ``--pauses``
each utterance gets a 1.5 s thinking pause inside it, at a quiet point between words, and
the run counts the utterances heard as more than one turn (cut by the pause). With
``--quiet`` each is sent as a quiet microphone would (``at_quiet_microphone``). With
``--sessions N`` the utterances are first sent one session at a time, then N sessions at
once (their starts staggered), and both passes are reported side by side.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from voice.errors import VoiceError
from voice.settings import Settings
from voice.tools.bench_audio import quiet_point, utterances, with_thinking_pause
from voice.tools.bench_turns import TurnResult, Utterance, in_one_session, one
from voice.tools.measures import percentile


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
        started = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
        self.port = self._wait_port()
        self.log: list[str] = []
        """The server's start-up timing lines (its log is read, never kept whole)."""
        self.begun_early: Counter[str] = Counter()
        """Replies begun at a pause, by what became of them ("let out", "dropped")."""
        self.begun_ahead_ms: list[float] = []
        """For each reply let out: how long before the end of its turn it was begun."""
        self.prompt_reads: list[tuple[int, int, float]] = []
        """For each model reply, in order: prompt tokens read, tokens found in the cache,
        and milliseconds spent reading (llama.cpp's report; a dropped reply has none)."""
        # Keep reading its log: a full pipe would block the server.
        threading.Thread(target=self._drain, name="bench-server-log", daemon=True).start()
        self._wait_healthy(warm=False)
        self.ready_seconds = time.monotonic() - started
        """From starting ``voice serve`` to a ready ``/healthz`` (sessions are served)."""
        self._wait_healthy(warm=True)
        self.warm_seconds = time.monotonic() - started
        """...and to a warm one (every model run once: what is measured is steady)."""

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if re.search(r"loaded in|warm-up took|primed in", line):
                self.log.append(line.strip())
            elif m := re.search(r"prompt_tokens=(\d+) cached_tokens=(\d+) prompt_ms=(\d+)", line):
                self.prompt_reads.append((int(m.group(1)), int(m.group(2)), float(m.group(3))))
            elif m := re.search(r"reply begun at the pause: (let out|dropped)", line):
                self.begun_early[m.group(1)] += 1
                if ahead := re.search(r"begun (-?\d+) ms before", line):
                    self.begun_ahead_ms.append(float(ahead.group(1)))

    def _wait_port(self) -> int:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if m := re.search(r"listening on http://[^:]+:(\d+)", line):
                return int(m.group(1))
        raise VoiceError("the benchmark server exited before listening", code="internal")

    def _wait_healthy(self, *, warm: bool) -> None:
        deadline = time.monotonic() + 300
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if not warm or json.loads(answer.read()).get("warm"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
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


STAGGER_SECONDS = 0.7
"""Between the starts of the sessions of one ``--sessions`` round."""


async def _together(
    url: str, batch: list[Utterance], pause_at: dict[str, int], quiet: bool
) -> list[TurnResult]:
    """One round of ``--sessions``: a session per utterance, started ``STAGGER_SECONDS``
    apart, all running at once."""

    async def staggered(i: int, utterance: Utterance) -> TurnResult:
        await asyncio.sleep(i * STAGGER_SECONDS)
        return await one(url, utterance, pause_at.get(utterance[0]), quiet=quiet)

    return list(await asyncio.gather(*(staggered(i, u) for i, u in enumerate(batch))))


def _rounds(items: list[Utterance], sessions: int) -> list[list[Utterance]]:
    """Rounds of ``sessions`` utterances covering every one (the last wraps around)."""
    count = -(-len(items) // sessions)
    return [[items[(r * sessions + k) % len(items)] for k in range(sessions)] for r in range(count)]


SUMMARY_KEYS = (
    "endpoint_to_first_audio_ms",
    "speech_end_to_first_audio_ms",
    "stt_ms",
    "stt_rtf",
    "llm_first_token_ms",
    "tts_first_audio_ms",
    "stt_wait_ms",
    "llm_wait_ms",
    "tts_wait_ms",
    "wer",
)


def _percentiles(values: list[float]) -> dict[str, Any]:
    p50, p95 = percentile(values, 50), percentile(values, 95)
    return {
        "p50": None if p50 is None else round(p50, 3),
        "p95": None if p95 is None else round(p95, 3),
        "n": len(values),
    }


def _summary(results: list[TurnResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in SUMMARY_KEYS:
        out[key] = _percentiles([float(v) for r in results if (v := getattr(r, key)) is not None])
    out["refused_at_hello"] = sum(r.refused for r in results)
    out["replies_missing"] = sum(not r.replied and not r.refused for r in results)
    return out


def run_bench(
    settings: Settings,
    audio_dir: Path | None,
    limit: int,
    out: Path,
    *,
    pauses: bool = False,
    quiet: bool = False,
    sessions: int = 1,
    one_session: bool = False,
) -> int:
    """Run the benchmark; print a table and write JSON to ``out``. ``one_session``: the
    first pass sends the utterances one after another in one session."""
    if sessions < 1:
        raise VoiceError("--sessions must be at least 1", code="bad_input")
    if one_session and (quiet or sessions > 1):
        raise VoiceError("--one-session goes with neither --quiet nor --sessions", code="bad_input")
    items = utterances(audio_dir, limit, settings)
    pause_at: dict[str, int] = {}
    if pauses:
        # Where each pause begins, in ms of the audio sent (streaming starts after the
        # greeting, at 0).
        pause_at = {uid: quiet_point(pcm, 0.45) // 32 for uid, pcm, _ in items}
        items = [(uid, with_thinking_pause(pcm), text) for uid, pcm, text in items]
    server = _ServerProcess(settings)
    passes: dict[str, list[TurnResult]] = {}
    try:
        url = f"ws://127.0.0.1:{server.port}/v1/checkin"
        alone = passes["1"] = []
        if one_session:
            alone += asyncio.run(in_one_session(url, items, pause_at))
            for result in alone:
                print(_row(result), flush=True)
        for item in [] if one_session else items:
            alone.append(asyncio.run(one(url, item, pause_at.get(item[0]), quiet=quiet)))
            print(_row(alone[-1]), flush=True)
        if sessions > 1:
            together = passes[str(sessions)] = []
            for batch in _rounds(items, sessions):
                together += asyncio.run(_together(url, batch, pause_at, quiet))
                for result in together[-len(batch) :]:
                    print(f"[{sessions} at once] " + _row(result), flush=True)
        peak_mb = server.peak_memory_mb()
    finally:
        server.stop()
    report = _report(settings, audio_dir, passes, peak_mb, pauses=pauses, quiet=quiet)
    report["one_session"] = one_session
    report["start_to_ready_s"] = round(server.ready_seconds, 2)
    report["start_to_warm_s"] = round(server.warm_seconds, 2)
    report["server_start_log"] = server.log
    report["replies_begun_at_a_pause"] = dict(server.begun_early)
    report["replies_begun_ahead_of_the_end_ms"] = _percentiles(server.begun_ahead_ms)
    report["model_prompt_reads"] = {
        "tokens_read": _percentiles([float(r[0]) for r in server.prompt_reads]),
        "tokens_cached": _percentiles([float(r[1]) for r in server.prompt_reads]),
        "ms": _percentiles([r[2] for r in server.prompt_reads]),
        "each": server.prompt_reads,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    _print(report, out)
    return 0


def _report(
    settings: Settings,
    audio_dir: Path | None,
    passes: dict[str, list[TurnResult]],
    peak_mb: float,
    *,
    pauses: bool,
    quiet: bool,
) -> dict[str, Any]:
    alone = passes["1"]
    report: dict[str, Any] = {
        "command": "voice " + " ".join(sys.argv[1:]),
        "audio": str(audio_dir) if audio_dir else "synthesised (Piper en_US-joe-medium, steady)",
        "cpu_count": os.cpu_count(),
        "end_of_turn": settings.end_of_turn,
        "thinking_pauses": pauses,
        "quiet_microphone": quiet,
        "utterances_cut_at_the_pause": sum(bool(r.cut_at_pause) for r in alone),
        "utterances_heard_as_several_turns": sum(r.turns > 1 for r in alone),
        "utterances": len(alone),
        "server_peak_memory_mb": round(peak_mb, 1),
        "summary": _summary(alone),
        "turns": [asdict(r) for r in alone],
    }
    for n, results in passes.items():
        if n == "1":
            continue
        summary = _summary(results)
        one_p95 = report["summary"]["speech_end_to_first_audio_ms"]["p95"]
        n_p95 = summary["speech_end_to_first_audio_ms"]["p95"]
        report["sessions"] = {
            "at_once": int(n),
            "stagger_seconds": STAGGER_SECONDS,
            "summary": summary,
            "p95_over_one_session_p95": round(n_p95 / one_p95, 2) if n_p95 and one_p95 else None,
            "turns": [asdict(r) for r in results],
        }
    return report


def _print(report: dict[str, Any], out: Path) -> None:
    columns = [("one session", report["summary"])]
    if "sessions" in report:
        columns.append((f"{report['sessions']['at_once']} at once", report["sessions"]["summary"]))
    print()
    print(f"{'measure':30}" + "".join(f" {name + ' p50/p95':>24}" for name, _ in columns))
    for key in SUMMARY_KEYS:
        cells = [
            f"{_fmt(s[key]['p50'])} / {_fmt(s[key]['p95'])} ({s[key]['n']})" for _, s in columns
        ]
        print(f"{key:30}" + "".join(f" {c:>24}" for c in cells))
    for key in ("refused_at_hello", "replies_missing"):
        print(f"{key:30}" + "".join(f" {s[key]:>24}" for _, s in columns))
    if "sessions" in report:
        print(f"p95 at once / p95 alone: {report['sessions']['p95_over_one_session_p95']}")
    print(f"server peak memory: {report['server_peak_memory_mb']:.0f} MB")
    print(
        f"server start to ready: {report['start_to_ready_s']:.1f} s"
        f" (to warm: {report['start_to_warm_s']:.1f} s)"
    )
    print(f"utterances heard as several turns: {report['utterances_heard_as_several_turns']}")
    print(f"replies begun at a pause: {report['replies_begun_at_a_pause']}")
    reads = report["model_prompt_reads"]
    print(
        f"model prompt tokens read p50 / p95: {reads['tokens_read']['p50']} /"
        f" {reads['tokens_read']['p95']} (cached p50 {reads['tokens_cached']['p50']})"
    )
    ahead = report["replies_begun_ahead_of_the_end_ms"]
    print(f"  begun ahead of the turn's end, p50 / p95: {ahead['p50']} / {ahead['p95']} ms")
    if report["thinking_pauses"]:
        print(f"utterances cut at the thinking pause: {report['utterances_cut_at_the_pause']}")
    print(f"of {report['utterances']} utterances")
    print(f"written to {out}")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}" if value < 10 else f"{value:.0f}"


def _row(r: TurnResult) -> str:
    return (
        f"{r.id:40.40} {r.audio_seconds:5.1f}s wer={r.wer:.2f} "
        f"endpoint->audio={_fmt(r.endpoint_to_first_audio_ms)}ms "
        f"speech_end->audio={_fmt(r.speech_end_to_first_audio_ms)}ms turns={r.turns}"
    )
