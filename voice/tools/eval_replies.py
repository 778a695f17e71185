"""``voice eval-replies FILE.txt``: the model's replies to user turns, checked against a rubric.

Each reply is produced the way the server produces it (same prompt, same shaping, same
guard), then checked: length, at most one question, no diagnosis or medication words,
and whether it reflects something the person said. The report is Markdown.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from voice.dialogue.chat import ChatModel
from voice.dialogue.prompt import (
    MAX_REPLY_SENTENCES,
    MAX_REPLY_TOKENS,
    ReplyShaper,
    build_messages,
    clean_for_speech,
)
from voice.dialogue.sentences import SentenceSplitter
from voice.errors import VoiceError
from voice.safety import guard_reply

MAX_REPLY_WORDS = 60
_STOPWORDS = frozenset(
    "a an the and or but so to of in on at for with about from by is am are was were be been "
    "being i me my mine you your yours we our it its this that these those there here what "
    "how why when who which do did does done have has had not no yes just really very quite "
    "bit little lot some any all more most much many can could would should will shall may "
    "might must get got feel feeling felt today day im ive dont its thats like also too "
    "them they their he she his her him as if then than into out up down over again still "
    "sounds sound thing things know think".split()
)


@dataclass(frozen=True, slots=True)
class RubricResult:
    """One reply and how it fared."""

    turn: str
    reply: str
    seconds: float
    sentences: int
    words: int
    questions: int
    guard_ok: bool
    reflects: bool

    @property
    def passed(self) -> bool:
        """True when every check passes."""
        return (
            self.sentences <= MAX_REPLY_SENTENCES
            and self.words <= MAX_REPLY_WORDS
            and self.questions <= 1
            and self.guard_ok
            and self.reflects
        )


def _content_stems(text: str) -> set[str]:
    words = re.findall(r"[a-z']+", text.lower().replace("’", "'"))
    return {w.replace("'", "")[:5] for w in words if w.replace("'", "") not in _STOPWORDS}


def check_reply(turn: str, reply: str, seconds: float = 0.0) -> RubricResult:
    """Apply the rubric to one reply (pure)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", reply.strip()) if s]
    return RubricResult(
        turn=turn,
        reply=reply,
        seconds=seconds,
        sentences=len(sentences),
        words=len(reply.split()),
        questions=reply.count("?"),
        guard_ok=guard_reply(reply).ok,
        reflects=bool(_content_stems(turn) & _content_stems(reply)),
    )


def generate(chat: ChatModel, turn: str) -> str:
    """The reply the server would speak to ``turn`` as the first turn of a conversation."""
    splitter = SentenceSplitter()
    shaper = ReplyShaper()
    pieces: list[str] = []
    stream = chat.stream(build_messages([], turn), max_tokens=MAX_REPLY_TOKENS, temperature=0.6)
    try:
        for delta in stream:
            for piece in splitter.push(clean_for_speech(delta)):
                if not _keep(piece.text, pieces) or not shaper.accept(piece.text):
                    return " ".join(pieces)
        if (rest := splitter.flush()) is not None:
            _keep(rest.text, pieces)
    finally:
        stream.close()
    return " ".join(pieces)


def _keep(text: str, pieces: list[str]) -> bool:
    """Add a piece as the speaker would: a piece the guard refuses is replaced, and ends it."""
    verdict = guard_reply(text)
    if verdict.ok:
        pieces.append(text)
        return True
    pieces.append(f"[replaced by the guard:] {verdict.replacement}")
    return False


def read_turns(path: Path) -> list[str]:
    """One user turn per line; blank lines and lines starting with # are ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise VoiceError(
            f"{path}: cannot be read ({type(exc).__name__})", code="bad_input"
        ) from exc
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


def report_markdown(results: list[RubricResult], model_name: str) -> str:
    """A readable report: a table of checks per reply, then the totals."""
    passed = sum(r.passed for r in results)
    lines = [
        "# Reply evaluation",
        "",
        f"Model: {model_name}. Replies produced as the server does (same system prompt,",
        f"shaping and guard). Checks: at most {MAX_REPLY_SENTENCES} sentences and "
        f"{MAX_REPLY_WORDS} words, at most one question,",
        "no diagnosis or medication advice (the reply guard), and reflects the person's words",
        "(shares at least one content word stem with the turn).",
        "",
        f"**{passed} of {len(results)} replies pass every check.**",
        "",
        "| # | person said | reply | sentences | words | ? | guard | reflects | s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(results, 1):
        lines.append(
            f"| {i} | {r.turn} | {r.reply} | {r.sentences} | {r.words} | {r.questions} "
            f"| {'ok' if r.guard_ok else 'FAIL'} | {'yes' if r.reflects else 'no'} "
            f"| {r.seconds:.1f} |"
        )
    totals = {
        "length": sum(
            r.sentences <= MAX_REPLY_SENTENCES and r.words <= MAX_REPLY_WORDS for r in results
        ),
        "one question at most": sum(r.questions <= 1 for r in results),
        "guard": sum(r.guard_ok for r in results),
        "reflects": sum(r.reflects for r in results),
    }
    lines += ["", "| check | passed |", "|---|---|"]
    lines += [f"| {name} | {n} / {len(results)} |" for name, n in totals.items()]
    return "\n".join(lines) + "\n"
