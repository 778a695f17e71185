"""``voice talk FILE.wav``: speak a recording to a server, print events, save the reply."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, read_wav, write_wav
from voice.audio.resample import resample
from voice.client.connection import Event, talk
from voice.errors import AudioError


def run_talk(
    wav: Path,
    url: str,
    out: Path | None,
    identity: dict[str, str],
    wait_greeting: bool,
    timeout_s: float,
) -> int:
    """Exit 0 once the reply is complete; 1 when none came; 2 on bad input. ``identity``
    goes into hello: ``token`` (a paired person) or ``user`` (loopback without accounts)."""
    try:
        samples, rate = read_wav(wav)
    except AudioError as exc:
        print(f"voice talk: {exc.message}", file=sys.stderr)
        return 2
    pcm = float_to_pcm16(resample(samples, rate, PIPELINE_RATE_HZ))

    def show(event: Event) -> None:
        print(json.dumps(event), flush=True)

    try:
        result = asyncio.run(
            talk(
                url,
                pcm,
                wait_greeting=wait_greeting,
                trailing_timeout_s=timeout_s,
                on_event=show,
                hello_extra=identity or None,
            )
        )
    except (OSError, TimeoutError, ConnectionError) as exc:
        print(f"voice talk: could not talk to {url} ({type(exc).__name__})", file=sys.stderr)
        return 1
    if out is not None:
        reply = b"".join(bytes(result.received.audio[t]) for t in result.reply_turns)
        rates = [e["sample_rate"] for e in result.received.of_type("audio_start")]
        write_wav(out, reply, rates[0] if rates else 22050)
    if not result.complete:
        print("voice talk: no complete reply received", file=sys.stderr)
        return 1
    return 0
