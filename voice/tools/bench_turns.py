"""What ``voice bench`` measures of each utterance, as a client sees it: an utterance in a
session of its own (``one``), or the utterances one after another in one session, as one
person's check-in (``in_one_session``: what the server learns about the person in its
first turns holds for the later ones)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from voice.audio.pcm import PIPELINE_RATE_HZ
from voice.client.connection import CheckinClient, Received, talk
from voice.tools.bench_audio import CUT_TOLERANCE_MS, at_quiet_microphone, speech_end_seconds
from voice.tools.measures import word_error_rate

Utterance = tuple[str, bytes, str]
"""An utterance's id, its 16 kHz PCM and what was said."""
ANSWER_TIMEOUT_S = 90
"""How long a client waits for the reply to an utterance."""
BEAT_SECONDS = 1.0
"""In one session: the silence after a reply before the person says the next utterance."""


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
    stt_wait_ms: float | None = None
    llm_wait_ms: float | None = None
    tts_wait_ms: float | None = None
    cut_at_pause: bool | None = None
    """With ``--pauses``: the turn ended at the thinking pause (it was cut in two there)."""
    replied: bool = True
    """False when no reply audio came for the utterance's last turn (within 90 s)."""
    refused: bool = False
    """The server refused the session at hello (``overloaded``)."""


async def one(
    url: str, utterance: Utterance, pause_ms: int | None = None, *, quiet: bool = False
) -> TurnResult:
    """``utterance`` in a session of its own; ``pause_ms``: where its thinking pause is."""
    sent_at: list[float] = []

    def mark(event: dict[str, Any]) -> None:
        if event["type"] == "metrics" and event["turn"] == 0:
            sent_at.append(time.monotonic())  # streaming starts right after the greeting

    # Open conversation: every turn goes through the language model (the scripted
    # check-in would answer some turns without it and flatter the figures).
    sent = at_quiet_microphone(utterance[1]) if quiet else utterance[1]
    result = await talk(
        url,
        sent,
        trailing_timeout_s=ANSWER_TIMEOUT_S,
        on_event=mark,
        hello_extra={"checkin": False},
    )
    return _measured(utterance, result.received, sent_at[0] if sent_at else None, pause_ms)


async def in_one_session(
    url: str, utterances: list[Utterance], pause_at: dict[str, int]
) -> list[TurnResult]:
    """The utterances one after another in one session: each is streamed, its reply
    awaited, then ``BEAT_SECONDS`` of silence. ``pause_at``: where each one's thinking
    pause is, in ms of its own audio."""
    results: list[TurnResult] = []
    async with CheckinClient.open(url) as client:
        await client.hello(checkin=False)
        await client.wait_for(lambda e: e["type"] == "metrics" and e["turn"] == 0, 60)
        got = client.received
        for utterance in utterances:
            uid, pcm, _ = utterance
            seen, offset_ms = len(got.events), round(client.audio_sent_ms)
            started_at = time.monotonic()
            await client.stream(pcm)
            await client.stream_silence_until(got.answered, timeout_s=ANSWER_TIMEOUT_S)
            own = Received(events=got.events[seen:], first_audio_at=got.first_audio_at)
            pause = pause_at.get(uid)
            at = None if pause is None else offset_ms + pause
            results.append(_measured(utterance, own, started_at, at))
            await client.stream(bytes(round(BEAT_SECONDS * PIPELINE_RATE_HZ) * 2))
        await client.end()
    return results


def _measured(
    utterance: Utterance, got: Received, sent_at: float | None, pause_ms: int | None
) -> TurnResult:
    """The measurements of ``utterance`` from what the client received for it; ``sent_at``:
    when its streaming began (monotonic clock); ``pause_ms``: where its pause was sent."""
    uid, pcm, reference = utterance
    finals = [e for e in got.of_type("transcript") if e["final"] and e["text"]]
    hypothesis = " ".join(str(e["text"]) for e in finals)
    last = finals[-1]["turn"] if finals else None
    metrics = next((e for e in got.of_type("metrics") if e["turn"] == last), {})
    client_ms = None
    if last is not None and last in got.first_audio_at and sent_at is not None:
        speech_end = sent_at + speech_end_seconds(pcm)
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
        stt_wait_ms=metrics.get("stt_wait_ms"),
        llm_wait_ms=metrics.get("llm_wait_ms"),
        tts_wait_ms=metrics.get("tts_wait_ms"),
        cut_at_pause=None
        if pause_ms is None
        else any(
            abs(int(e["at_ms"]) - pause_ms) <= CUT_TOLERANCE_MS
            for e in got.of_type("speech_stopped")
        ),
        replied=client_ms is not None,
        refused=any(e.get("code") == "overloaded" for e in got.of_type("error")),
    )
