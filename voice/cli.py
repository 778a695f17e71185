"""The ``voice`` command: flags, logging set-up, and building the real adapters.

May import: any room.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from voice.audio.endpointer import END_SILENCE_MS, MAX_END_SILENCE_MS, MIN_END_SILENCE_MS
from voice.engines import manifest
from voice.errors import ConfigError, VoiceError
from voice.settings import Settings, from_sources

_LOGGER = logging.getLogger("voice")

# Third-party loggers that write text content at DEBUG (piper logs the text it speaks).
# SQLAlchemy logs statements and their parameters (stored words) from INFO on.
_CONTENT_LOGGERS = ("piper", "faster_whisper", "httpx", "xllamacpp", "sqlalchemy")
# Loggers that print frames (previews of transcripts and replies) at DEBUG: held at INFO.
_FRAME_LOGGERS = ("websockets", "uvicorn", "asyncio")
_DEVICE_LOG = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings) -> None:
    """Log to stderr; keep libraries that log content quiet unless content logging is on."""
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    frames = max(logging.INFO, logging.getLevelNamesMapping()[settings.log_level.upper()])
    for names, held in ((_CONTENT_LOGGERS, logging.WARNING), (_FRAME_LOGGERS, frames)):
        for name in names:
            logging.getLogger(name).setLevel(logging.NOTSET if settings.log_content else held)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # "Context impl SQLiteImpl." ...


def _model_args(p: argparse.ArgumentParser) -> None:
    """The models, their threads, the crisis lines and logging: every serving command's."""
    p.add_argument("--cache-dir", type=Path, help="where assembled models go (default XDG cache)")
    p.add_argument("--whisper-model", type=Path, help="a CTranslate2 Whisper model folder")
    p.add_argument("--whisper-language", help="language code, or 'auto' (multilingual models)")
    p.add_argument("--piper-voice", type=Path, help="a Piper .onnx voice (with .onnx.json)")
    p.add_argument("--llm-model", type=Path, help="a GGUF file for the embedded model")
    p.add_argument("--llm-url", help="an OpenAI-compatible server, e.g. http://HOST:PORT/v1")
    p.add_argument("--llm-name", help="model name to ask that server for")
    p.add_argument("--threads", type=int, help="CPU threads per model (2)")
    p.add_argument("--safety-locale", help="crisis lines to give: us, gb, ie, ca, au, nz (us)")
    p.add_argument("--log-level", help="DEBUG, INFO, WARNING or ERROR")
    p.add_argument(
        "--log-content",
        action="store_true",
        default=None,
        help="log transcripts and replies (health data: local debugging only)",
    )


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--data-dir", type=Path, help="where user data goes (default XDG data)")
    p.add_argument("--config-dir", type=Path, help="where the keys live (default XDG config)")
    _model_args(p)
    p.add_argument(
        "--endpoint-silence-ms",
        type=int,
        help=(
            f"silence that ends a turn, {MIN_END_SILENCE_MS}..{MAX_END_SILENCE_MS}"
            f" ({END_SILENCE_MS})"
        ),
    )
    p.add_argument(
        "--end-of-turn",
        choices=("model", "silence"),
        help="find the end of a turn by silence alone, or with the end-of-turn model (silence)",
    )
    p.add_argument("--max-sessions", type=int, help="concurrent check-ins (4)")
    p.add_argument("--database-url", help="accounts database (default: SQLite in --data-dir)")
    p.add_argument("--tls-cert", type=Path, help="PEM certificate: serve https and wss")
    p.add_argument("--tls-key", type=Path, help="PEM private key for --tls-cert")
    p.add_argument(
        "--insecure-http",
        action="store_true",
        default=None,
        help="allow plain http on a non-loopback address (only behind a TLS reverse proxy)",
    )
    p.add_argument(
        "--allowed-origin",
        dest="allowed_origins",
        action="append",
        help="another origin whose pages may connect, e.g. https://checkin.example.org",
    )
    p.add_argument("--session-minutes", type=int, help="longest check-in (60)")
    p.add_argument("--max-sessions-per-account", type=int, help="per person at once (2)")
    p.add_argument("--max-sessions-per-address", type=int, help="per remote address (3)")


def _bench_args(bench: argparse.ArgumentParser) -> None:
    bench.add_argument(
        "--audio-dir", type=Path, help="a folder with manifest.csv (file,transcript)"
    )
    bench.add_argument("--limit", type=int, default=0, help="use at most this many utterances")
    bench.add_argument(
        "--pauses",
        action="store_true",
        help="put a 1.5 s thinking pause inside each utterance and count the turns it cuts",
    )
    bench.add_argument(
        "--one-session",
        action="store_true",
        help="send the utterances one after another in one session (one person's check-in)",
    )
    bench.add_argument(
        "--quiet",
        action="store_true",
        help="send each utterance as a quiet microphone would (-50 dBFS peak, -85 dBFS room)",
    )
    bench.add_argument(
        "--sessions",
        type=int,
        default=1,
        help="after the one-session pass, run N sessions at once (staggered starts)",
    )
    bench.add_argument("--out", type=Path, default=Path("bench-out/bench.json"))
    _serve_args(bench)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="voice", description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the check-in server")
    _serve_args(serve)

    talk = sub.add_parser("talk", help="speak a WAV file to a server and print the events")
    talk.add_argument("wav", type=Path, help="a PCM WAV file (any rate; resampled to 16 kHz)")
    talk.add_argument(
        "--url", default=os.environ.get("VOICE_URL", "ws://127.0.0.1:8765/v1/checkin")
    )
    talk.add_argument("--out", type=Path, help="write the reply audio to this WAV file")
    talk.add_argument("--user", help="the person's id (a server without accounts only)")
    talk.add_argument(
        "--token",
        default=os.environ.get("VOICE_TOKEN"),
        help="the person's pairing token (default: $VOICE_TOKEN)",
    )
    talk.add_argument("--no-wait-greeting", action="store_true", help="speak during the greeting")
    talk.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a reply")

    mdl = sub.add_parser("models", help="list the models and verify their files")
    mdl.add_argument("--cache-dir", type=Path)
    mdl.add_argument("--verify", action="store_true", help="re-hash every file now")
    mdl.add_argument("--json", action="store_true", help="print JSON instead of a table")

    bench_records = sub.add_parser("bench-records", help="measure what keeping a check-in costs")
    bench_records.add_argument("--seconds", type=int, default=300, help="length of the check-in")
    bench_records.add_argument("--database-url", help="a database to use (default: a temp SQLite)")
    bench_records.add_argument("--out", type=Path, help="also write the JSON report here")

    _bench_args(sub.add_parser("bench", help="measure latency, accuracy and memory end to end"))

    from voice.device import run as device
    from voice.tools import accounts, bench_echo, cues, eval_replies, service
    from voice.wyoming import command as wyoming

    cues.add_parsers(sub)
    accounts.add_parsers(sub)
    service.add_parsers(sub)
    device.add_parsers(sub)
    bench_echo.add_parsers(sub)
    _model_args(wyoming.add_parser(sub))

    safety = sub.add_parser("eval-safety", help="measure the crisis detector on a labelled CSV")
    safety.add_argument("csv", type=Path, help="labels: crisis, concern or none")
    safety.add_argument("--text-column", default="text")
    safety.add_argument("--label-column", default="label")
    safety.add_argument(
        "--rules-only", action="store_true", help="measure the rules without the learned screen"
    )
    safety.add_argument("--cache-dir", type=Path)

    fit = sub.add_parser(
        "fit-safety", help="fit the learned safety screen (needs torch: pip install '.[fit]')"
    )
    fit.add_argument("--real", type=Path, nargs="+", required=True, help="people's own words")
    fit.add_argument("--written", type=Path, nargs="*", default=[], help="written check-in turns")
    fit.add_argument("--out", type=Path, help="default: models/safety_screen.npz")
    fit.add_argument("--parity", type=Path, help="also write the torch reference outputs here")
    fit.add_argument("--seeds", type=int, nargs="+", help="default: 1 2 (as shipped)")
    fit.add_argument("--crisis-budget", type=float, default=0.025, help="none rows as crisis")
    fit.add_argument("--flag-budget", type=float, default=0.12, help="none rows flagged at all")
    fit.add_argument("--cache-dir", type=Path)

    replies = eval_replies.add_parser(sub)
    _serve_args(replies)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    keys = {f for f in Settings.__dataclass_fields__}
    overrides = {
        k: tuple(v) if isinstance(v, list) else v for k, v in vars(args).items() if k in keys
    }
    return from_sources(os.environ, overrides)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``voice`` command."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "talk":
            from voice.client.talk import run_talk

            logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
            identity = {k: v for k, v in (("token", args.token), ("user", args.user)) if v}
            return run_talk(
                args.wav, args.url, args.out, identity, not args.no_wait_greeting, args.timeout
            )
        if args.command == "models":
            return _models(args)
        if args.command == "device":
            from voice.device.run import run as run_device

            logging.basicConfig(level=logging.INFO, stream=sys.stderr, format=_DEVICE_LOG)
            return run_device(args)
        if args.command in ("cues", "eval-cues"):
            from voice.tools.cues import run

            logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
            return run(args)
        if args.command in ("user", "therapist", "link", "unlink", "init", "audit"):
            from voice.tools.accounts import run as run_accounts

            logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
            return run_accounts(args, _settings(args))
        if args.command == "install-service":
            from voice.tools.service import run as run_service

            return run_service(args)
        if args.command == "bench-echo":
            from voice.engines.factory import model_path
            from voice.tools.bench_echo import run as run_bench_echo

            logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
            return run_bench_echo(model_path(_settings(args), "tts"), args.out)
        if args.command == "bench-records":
            from voice.tools.bench_records import run as run_bench_records

            logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
            if not 10 <= args.seconds <= 7200:
                raise ConfigError("--seconds must be 10..7200")
            return run_bench_records(args.seconds, args.database_url, args.out)
        if args.command == "eval-safety":
            return _eval_safety(args)
        if args.command == "fit-safety":
            return _fit_safety(args)
        if args.command == "eval-replies" and args.check_rubric is not None:
            from voice.tools.eval_replies import rubric_agreement

            print(json.dumps(rubric_agreement(args.check_rubric), indent=2))
            return 0
        settings = _settings(args)
        configure_logging(settings)
        if args.command == "serve":
            from voice.server.run import serve

            asyncio.run(serve(settings))
            return 0
        if args.command == "eval-replies":
            return _eval_replies(settings, args.turns, args.out)
        if args.command == "wyoming":
            from voice.wyoming.command import run as run_wyoming

            return run_wyoming(args, settings)
        from voice.tools.bench import run_bench

        return run_bench(
            settings,
            args.audio_dir,
            args.limit,
            args.out,
            pauses=args.pauses,
            quiet=args.quiet,
            sessions=args.sessions,
            one_session=args.one_session,
        )
    except VoiceError as exc:
        print(f"voice: {exc.message} ({exc.code})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _models(args: argparse.Namespace) -> int:
    settings = from_sources(os.environ, {"cache_dir": args.cache_dir})
    specs = manifest.load_manifest()
    statuses = manifest.check(specs, settings.cache_dir / "models", full=args.verify)
    if args.json:
        rows: list[dict[str, Any]] = [
            {
                "name": s.spec.name,
                "role": s.spec.role,
                "default": s.spec.default,
                "ok": s.ok,
                "path": str(s.path) if s.path else None,
                "problem": s.problem or None,
                "license": s.spec.license,
                "source": s.spec.source,
                "packages": list(s.spec.packages),
            }
            for s in statuses
        ]
        print(json.dumps(rows, indent=2))
    else:
        for s in statuses:
            mark = "ok " if s.ok else "BAD" if s.spec.default else "-- "
            default = " (default)" if s.spec.default else ""
            print(f"{mark} {s.spec.role:4} {s.spec.name}{default}  [{s.spec.license}]")
            print(f"      {s.path if s.ok else s.problem}")
    # Optional models that are simply not installed do not make the check fail.
    return 0 if all(s.ok or not s.spec.default for s in statuses) else 1


def _eval_safety(args: argparse.Namespace) -> int:
    from voice.safety import SafetyVerdict, detect
    from voice.tools.eval_safety import evaluate_file, report_json

    detector = detect
    if not args.rules_only:
        from voice.engines.factory import build_risk_screen

        settings = from_sources(os.environ, {"cache_dir": args.cache_dir})
        detector = build_risk_screen(settings).verdict
    timings: list[float] = []

    def timed(text: str) -> SafetyVerdict:
        started = time.perf_counter()
        verdict = detector(text)
        timings.append((time.perf_counter() - started) * 1000.0)
        return verdict

    report = evaluate_file(
        args.csv, timed, text_column=args.text_column, label_column=args.label_column
    )
    ranked = sorted(timings)
    report["ms_per_turn"] = {
        "p50": round(ranked[len(ranked) // 2], 2),
        "p95": round(ranked[min(len(ranked) - 1, int(len(ranked) * 0.95))], 2),
    }
    print(report_json(report))
    return 0


def _fit_safety(args: argparse.Namespace) -> int:
    from voice.engines.factory import model_path
    from voice.safety.screen import DEFAULT_HEAD
    from voice.tools import fit_safety
    from voice.tools.fit_data import PARITY_TEXTS, FitSettings

    for name in ("crisis_budget", "flag_budget"):
        if not 0.0 <= getattr(args, name) < 1.0:
            raise ConfigError(f"--{name.replace('_', '-')} must be at least 0 and below 1")
    settings = from_sources(os.environ, {"cache_dir": args.cache_dir})
    real = [e for path in args.real for e in fit_safety.read_examples(path, real=True)]
    written = [e for path in args.written for e in fit_safety.read_examples(path, real=False)]
    fit = FitSettings(crisis_budget=args.crisis_budget, flag_budget=args.flag_budget)
    if args.seeds:
        fit = dataclasses.replace(fit, seeds=tuple(args.seeds))
    model_dir = model_path(settings, "safety")
    head, report = fit_safety.fit(real, written, model_dir, fit)
    out = args.out or DEFAULT_HEAD
    head.save(out)
    if args.parity is not None:
        fit_safety.write_parity(head, model_dir, args.parity, PARITY_TEXTS)
    print(json.dumps({**report, "written": str(out)}, indent=2))
    return 0


def _eval_replies(settings: Settings, turns_file: Path | None, out: Path) -> int:
    from voice.engines.factory import build_chat_model
    from voice.tools import eval_replies

    if turns_file is None:
        raise ConfigError("eval-replies needs a file of turns (or --check-rubric)")
    turns = eval_replies.read_turns(turns_file)
    chat = build_chat_model(settings)
    results = eval_replies.run(chat, turns)
    name = settings.llm_url or (settings.llm_model or Path("the default embedded model")).name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(eval_replies.report_markdown(results, str(name)), encoding="utf-8")
    replies = out.with_suffix(".jsonl")
    replies.write_text(eval_replies.replies_jsonl(results), encoding="utf-8")
    print(json.dumps({**eval_replies.totals(results), "n": len(results), "report": str(out)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
