"""``voice cues FILE.wav`` and ``voice eval-cues MANIFEST.csv``: prosody cues of a
recording, and the activation cue measured (or refitted) on labelled recordings."""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from voice.audio.pcm import PIPELINE_RATE_HZ, float_to_pcm16, pcm16_to_float, read_wav
from voice.audio.resample import resample
from voice.engines.stt import WhisperTranscriber
from voice.errors import ProsodyError
from voice.prosody.baseline import Baseline
from voice.prosody.cues import DEFAULT_WEIGHTS, CueModel, compare, load_model
from voice.prosody.measure import ProsodyFeatures, measure, with_words, word_count
from voice.tools.cue_eval import (
    L2_PENALTY,
    MODEL_FEATURES,
    Clip,
    fit,
    is_used,
    leave_one_speaker_out,
    read_manifest,
    report,
    score_against_neutral,
)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``cues`` and ``eval-cues`` sub-commands."""
    cues = sub.add_parser("cues", help="print the prosody features and cues of a recording")
    cues.add_argument("wav", type=Path, help="a PCM WAV file (any rate; resampled to 16 kHz)")
    cues.add_argument(
        "--baseline",
        type=Path,
        help="the person's usual: a folder of their recordings (*.wav), or a stored "
        "baseline file (DATA_DIR/baselines/USER.json)",
    )
    cues.add_argument("--text", help="what is said (default: transcribed with Whisper)")
    cues.add_argument("--weights", type=Path, default=DEFAULT_WEIGHTS, help="cue weights")

    ev = sub.add_parser("eval-cues", help="measure the activation cue on labelled recordings")
    ev.add_argument("manifest", type=Path, help="CSV with columns file, label, speaker[, text]")
    ev.add_argument(
        "--weights",
        type=Path,
        default=DEFAULT_WEIGHTS,
        help="cue weights to score with (with --fit: where to write them)",
    )
    ev.add_argument(
        "--all-speakers",
        action="store_true",
        help="also score the speakers the weights were fitted on (reported as seen)",
    )
    ev.add_argument(
        "--loso", action="store_true", help="also refit leaving each speaker out in turn"
    )
    ev.add_argument("--fit", action="store_true", help="refit the weights and write them")
    ev.add_argument("--train", help="comma-separated speakers to fit on (with --fit)")


def run(args: argparse.Namespace) -> int:
    """Run ``cues`` or ``eval-cues``; prints one JSON object."""
    if args.command == "cues":
        result = cues_of_file(args.wav, args.baseline, args.text, load_model(args.weights))
    elif args.fit:
        if not args.train:
            raise ProsodyError("--fit needs --train SPEAKER,SPEAKER,...")
        result = fit_weights(args.manifest, args.train.split(","), args.weights, args.loso)
    else:
        model = load_model(args.weights)
        result = evaluate(args.manifest, model, all_speakers=args.all_speakers, loso=args.loso)
    print(json.dumps(result, indent=2))
    return 0


def _pcm16k(path: Path) -> bytes:
    samples, rate = read_wav(path)
    if rate != PIPELINE_RATE_HZ:
        samples = resample(samples, rate, PIPELINE_RATE_HZ)
    return float_to_pcm16(samples)


class _Whisper:
    """Transcribes 16 kHz PCM; the model loads on first use (only recordings without a
    transcript need it)."""

    def __init__(self) -> None:
        self._transcriber: WhisperTranscriber | None = None

    def __call__(self, pcm: bytes) -> str:
        if self._transcriber is None:
            from voice.engines.factory import model_path
            from voice.settings import from_sources

            settings = from_sources(os.environ, {})
            self._transcriber = WhisperTranscriber(
                model_path(settings, "stt"), cpu_threads=settings.threads
            )
        return self._transcriber.transcribe(pcm).text


def _features(pcm: bytes, text: str) -> ProsodyFeatures:
    measured = measure(pcm16_to_float(pcm), PIPELINE_RATE_HZ)
    return with_words(measured, word_count=word_count(text), response_latency_seconds=None)


def cues_of_file(
    wav: Path, baseline_path: Path | None, text: str | None, model: CueModel
) -> dict[str, object]:
    """Features and cues of one recording against an optional baseline."""
    words_of = _Whisper()
    baseline = Baseline()
    if baseline_path is not None and baseline_path.is_dir():
        for usual in sorted(baseline_path.glob("*.wav")):
            pcm = _pcm16k(usual)
            baseline = baseline.add(_features(pcm, words_of(pcm)))
    elif baseline_path is not None:
        try:
            data = json.loads(baseline_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ProsodyError(f"could not read the baseline {baseline_path}") from exc
        baseline = Baseline.from_json(data if isinstance(data, dict) else {})
    pcm = _pcm16k(wav)
    cues = compare(_features(pcm, text if text is not None else words_of(pcm)), baseline, model)
    return {
        "file": str(wav),
        "features": cues.features.to_json(),
        "relative": dict(cues.relative),
        "activation": cues.activation,
        "confidence": cues.confidence,
        "baseline_turns": cues.baseline_turns,
        "summary": cues.summary,
    }


def _measure_clips(clips: Sequence[Clip]) -> tuple[list[ProsodyFeatures], dict[str, float]]:
    """Features of every clip (Whisper only for clips without text), and the mean prosody
    time and audio length per clip."""
    words_of = _Whisper()
    features: list[ProsodyFeatures] = []
    prosody_seconds = audio_seconds = 0.0
    for clip in clips:
        pcm = _pcm16k(clip.path)
        audio_seconds += len(pcm) / 2 / PIPELINE_RATE_HZ
        text = clip.text if clip.text is not None else words_of(pcm)
        started = time.perf_counter()
        features.append(_features(pcm, text))
        prosody_seconds += time.perf_counter() - started
    n = max(1, len(clips))
    return features, {
        "ms_per_clip": round(1000.0 * prosody_seconds / n, 1),
        "audio_seconds_per_clip": round(audio_seconds / n, 2),
    }


def evaluate(
    manifest: Path, model: CueModel, *, all_speakers: bool, loso: bool
) -> dict[str, object]:
    """Score the clips of the speakers the weights have not seen (or all of them)."""
    seen = {str(s) for s in _list(model.fitted.get("train_speakers"))}
    clips = [c for c in read_manifest(manifest) if is_used(c)]
    if not all_speakers:
        clips = [c for c in clips if c.speaker not in seen]
    if not clips:
        raise ProsodyError("no clips of speakers the weights were not fitted on")
    features, timing = _measure_clips(clips)
    items = score_against_neutral(clips, features)
    result = report(model, items)
    result["unseen_speakers"] = not any(c.speaker in seen for c in clips)
    result.update(timing)
    if loso:
        result["leave_one_speaker_out"] = leave_one_speaker_out(items)
    return result


def fit_weights(manifest: Path, train: Sequence[str], out: Path, loso: bool) -> dict[str, object]:
    """Fit on the ``train`` speakers, write the weights, report on the other speakers."""
    clips = [c for c in read_manifest(manifest) if is_used(c)]
    speakers = {c.speaker for c in clips}
    if not set(train) <= speakers:
        raise ProsodyError("a --train speaker is not in the manifest")
    features, timing = _measure_clips(clips)
    items = score_against_neutral(clips, features)
    train_items = [i for i in items if i.clip.speaker in train]
    weights, bias = fit(train_items)
    model = CueModel(
        weights,
        bias,
        {
            "method": "logistic regression of high (angry, fearful, happy, surprised) vs low "
            "(sad, calm) activation on deviations from each speaker's neutral clips; "
            f"classes weighted equally; ridge penalty {L2_PENALTY} on the weights; Newton's "
            "method (voice/cue_eval.py)",
            "features": list(MODEL_FEATURES),
            "manifest": manifest.name,
            "train_speakers": sorted(train),
            "train_clips": len(train_items),
            "train_balanced_accuracy": report(CueModel(weights, bias), train_items)[
                "balanced_accuracy"
            ],
            "command": f"voice eval-cues {manifest} --fit --train {','.join(sorted(train))}",
            "activation": "tanh(w.z / 2), 0 = the person's usual; high when w.z + bias > 0",
        },
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
    held_out = [i for i in items if i.clip.speaker not in train]
    result: dict[str, object] = {"weights_written": str(out), **model.to_json()}
    result["held_out"] = report(model, held_out) if held_out else None
    result.update(timing)
    if loso:
        result["leave_one_speaker_out"] = leave_one_speaker_out(items)
    return result


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []
