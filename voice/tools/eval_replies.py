"""``voice eval-replies FILE.txt``: the model's replies to user turns, checked against a rubric.

Each reply is produced the way the server produces it (same prompt, same shaping, same
guard), then checked: length, at most one question, no diagnosis or medication words,
and whether it reflects something the person said. The report is Markdown.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voice.dialogue.advice import asks_for_advice
from voice.dialogue.chat import ChatModel
from voice.dialogue.prompt import (
    LISTENING_REPLY,
    ReplyShaper,
    build_messages,
    clean_for_speech,
)
from voice.dialogue.sentences import SentenceSplitter
from voice.engines.workers import GenerationSettings
from voice.errors import VoiceError
from voice.safety import guard_reply
from voice.tools.esconv import opening_turns, read_conversations, read_json_conversations
from voice.tools.reply_rubric import Checks, check


@dataclass(frozen=True, slots=True)
class RubricResult:
    """One reply, the seconds it took, and how it fared on the rubric."""

    turn: str
    reply: str
    seconds: float
    checks: Checks

    @property
    def passed(self) -> bool:
        """True when every check passes."""
        return self.checks.passed


def check_reply(turn: str, reply: str, seconds: float = 0.0) -> RubricResult:
    """Apply the rubric to one reply (pure)."""
    return RubricResult(turn, reply, seconds, check(turn, reply, guard_ok=guard_reply(reply).ok))


def generate(chat: ChatModel, turn: str) -> str:
    """The reply the server would speak to ``turn`` as the first turn of a conversation."""
    splitter = SentenceSplitter()
    shaper = ReplyShaper(allow_advice=asks_for_advice(turn))
    pieces: list[str] = []
    sampling = GenerationSettings()
    stream = chat.stream(
        build_messages([], turn), max_tokens=sampling.max_tokens, temperature=sampling.temperature
    )
    try:
        for delta in stream:
            for piece in splitter.push(clean_for_speech(delta)):
                if shaper.skips(piece.text):
                    continue
                if not _keep(piece.text, pieces) or not shaper.accept(piece.text):
                    return " ".join(pieces)
        if (rest := splitter.flush()) is not None and not shaper.skips(rest.text):
            _keep(rest.text, pieces)
    finally:
        stream.close()
    return " ".join(pieces) or (LISTENING_REPLY if shaper.skipped else "")


def _keep(text: str, pieces: list[str]) -> bool:
    """Add a piece as the speaker would: a piece the guard refuses is replaced, and ends it."""
    verdict = guard_reply(text)
    if verdict.ok:
        pieces.append(text)
        return True
    pieces.append(f"[replaced by the guard:] {verdict.replacement}")
    return False


def read_turns(path: Path) -> list[str]:
    """The user turns in ``path``: one per line in a text file (blank lines and lines
    starting with # ignored), or each conversation's opening turn in an ESConv ``.tsv``
    or ``.json``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VoiceError(
            f"{path}: cannot be read ({type(exc).__name__})", code="bad_input"
        ) from exc
    if path.suffix in (".tsv", ".json"):
        try:
            read = read_conversations if path.suffix == ".tsv" else read_json_conversations
            turns = [t for c in read(text) for t in opening_turns(c)]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            what = f"{path}: not ESConv's layout ({type(exc).__name__})"
            raise VoiceError(what, code="bad_input") from exc
    else:
        lines = text.splitlines()
        turns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if not turns:
        raise VoiceError(f"{path}: no user turns (one per line)", code="bad_input")
    return turns


def run(chat: ChatModel, turns: list[str]) -> list[RubricResult]:
    """Generate and check a reply for every turn."""
    results = []
    for turn in turns:
        started = time.perf_counter()
        reply = generate(chat, turn)
        results.append(check_reply(turn, reply, time.perf_counter() - started))
    return results


def replies_jsonl(results: list[RubricResult]) -> str:
    """Each turn, its reply and the seconds it took, as JSON lines (for a blind read)."""
    rows = ({"turn": r.turn, "reply": r.reply, "seconds": round(r.seconds, 2)} for r in results)
    return "".join(json.dumps(row) + "\n" for row in rows)


CHECKS: dict[str, Callable[[Checks], bool]] = {
    "length (1-3 sentences, at most 60 words)": lambda c: c.length_ok,
    "at most one question, and it is open": lambda c: c.question_ok,
    "no advice unless asked": lambda c: c.advice_ok,
    "no cheerleading over distress": lambda c: not c.cheerleading,
    "reflects the person's words": lambda c: c.reflects,
    "the guard": lambda c: c.guard_ok,
}
"""Each check's name in the report, and whether a reply passes it."""


def totals(results: list[RubricResult]) -> dict[str, int]:
    """How many replies pass each check, and every check."""
    counts = {name: sum(passes(r.checks) for r in results) for name, passes in CHECKS.items()}
    return {**counts, "every check": sum(r.passed for r in results)}


def report_markdown(results: list[RubricResult], model_name: str) -> str:
    """A readable report: the totals, then a table of checks per reply."""
    lines = [
        "# Reply evaluation",
        "",
        f"Model: {model_name}. Replies produced as the server does (same system prompt,",
        "shaping and guard), each as the first turn of a conversation, checked by",
        "`voice/tools/reply_rubric.py` (docs/replies.md).",
        "",
        "| check | passed |",
        "|---|---|",
    ]
    lines += [f"| {name} | {n} / {len(results)} |" for name, n in totals(results).items()]
    lines += [
        "",
        "| # | person said | reply | sentences | words | ? (open) | advice | cheer | reflects "
        "| guard | s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(results, 1):
        c = r.checks
        advice = "asked" if c.advice and c.asked_for_advice else _yes(c.advice)
        lines.append(
            f"| {i} | {_cell(r.turn)} | {_cell(r.reply)} | {c.sentences} | {c.words} "
            f"| {c.questions} ({c.open_questions}) | {advice} | {_yes(c.cheerleading)} "
            f"| {_yes(c.reflects)} | {'ok' if c.guard_ok else 'FAIL'} "
            f"| {r.seconds:.1f} |"
        )
    return "\n".join(lines) + "\n"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


LABELS: dict[str, Callable[[Checks], bool]] = {
    "advice": lambda c: c.advice,
    "reflects": lambda c: c.reflects,
    "question_ok": lambda c: c.question_ok,
}
"""The checks a person's labels are compared with, and how each reads a reply's checks."""


def rubric_agreement(path: Path) -> dict[str, dict[str, float | int]]:
    """How the rubric's checks agree with people's labels of replies: ``path`` is JSON lines
    of ``person``, ``reply``, ``advice``, ``reflects``, ``questions``, ``open_questions``
    (as in docs/replies.md). Per check: agreement, precision, recall, and the counts."""
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        pairs = [
            (
                check(row["person"], row["reply"]),
                {
                    "advice": bool(row["advice"]),
                    "reflects": bool(row["reflects"]),
                    "question_ok": row["questions"] == 0
                    or (row["questions"] == 1 and row["open_questions"] == 1),
                },
            )
            for row in rows
        ]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise VoiceError(
            f"{path}: not labelled replies ({type(exc).__name__})", code="bad_input"
        ) from exc
    report: dict[str, dict[str, float | int]] = {}
    for name, read in LABELS.items():
        tp = sum(read(c) and gold[name] for c, gold in pairs)
        fp = sum(read(c) and not gold[name] for c, gold in pairs)
        fn = sum(not read(c) and gold[name] for c, gold in pairs)
        tn = len(pairs) - tp - fp - fn
        report[name] = {
            "agreement": round((tp + tn) / max(1, len(pairs)), 3),
            "precision": round(tp / max(1, tp + fp), 3),
            "recall": round(tp / max(1, tp + fn), 3),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        }  # fmt: skip
    return report


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """The ``eval-replies`` command's own arguments (the server's are added by the CLI)."""
    replies = sub.add_parser("eval-replies", help="check the model's replies against a rubric")
    replies.add_argument(
        "turns",
        type=Path,
        nargs="?",
        help="a text file, one user turn per line, or an ESConv *WithStrategy_short.tsv",
    )
    replies.add_argument("--out", type=Path, default=Path("bench-out/replies.md"))
    replies.add_argument(
        "--check-rubric",
        type=Path,
        metavar="LABELS.jsonl",
        help="instead: how the rubric agrees with people's labels of replies (docs/replies.md)",
    )
    return replies
