"""Advice in a reply: a sentence that tells the person what to do, and a turn in which the
person asked what to do (both pure). The reply shaper leaves out advice nobody asked for,
and ``voice eval-replies`` counts what is left (motivational interviewing: advice only
with permission). Patterns from how counsellors, supporters and small language models
put suggestions, checked against a careful reader's labels in docs/replies.md."""

from __future__ import annotations

import re

_VERBS = (
    "try|consider|start|talk|reach|look|take|make|go|get|find|join|write|set|spend|do|call|"
    "ask|speak|tell|practi[cs]e|focus|use|plan|check|keep|put|give|apply|search|think about"
)
ADVICE = re.compile(
    "|".join(
        [
            r"\b(you|we) (should|ought to|need to|must|have to)\b"
            r"(?! (be|have) (feeling|felt|been))",
            rf"(?<!hope )\b(maybe |perhaps )?you (could|can|might|may want to) "
            rf"(also |just |always |maybe )?({_VERBS})\b",
            r"\b(maybe|perhaps)\s+(you\s+)?(just\s+)?(try|take|be|do|go|get|talk|write|find|"
            r"make|start|look|consider|reach|call|ask|join|spend|give|set|see|let|tell|keep|"
            r"focus)\b",
            r"\b(maybe|perhaps) \w+ing\b[^.?!]*\b(will|would|could|might|may|can) "
            r"(help|allow|make)\b",
            r"\b(have|did) you (considered|tried|thought about|thought of|reached out|"
            r"looked into|talked to|spoken to)\b",
            r"\b(why not|how about|what about) \w+ing\b",
            r"\bwhy don'?t you (?!want|like|know|think|feel)\w+",
            r"\b(i|i'd|i would) (suggest|recommend|advise|encourage)\b",
            r"\b(may|can|could) i (suggest|recommend)\b|\bif i were you\b",
            r"\bi'?d (take|try|do|go)\b",
            r"\b(it|this) (might|may|could|can|would|will) (help|be helpful|be useful|"
            r"be a good idea) (to|if)\b",
            r"\b(another thing|something|one thing|what) that "
            r"(may|might|could|can|helps?|helped)\b",
            r"\bit(?:'s| is) (important|essential|crucial|good|helpful|a good idea|best|"
            r"worth) to\b",
            r"(?<!\bi )(?<!'ll )(?<!will )(?<!to )\b(try|consider|remember|make sure|"
            r"don'?t forget|be sure) (to |that |of )?\w+",
            r"\byou (need|have) (better|to)\b|\byou (might|may|would|could) benefit\b",
            r"\b(could|can|would) you (try|consider|talk|ask|reach)\b",
            r"\bis it possible for you to\b",
            r"^\s*(try|consider|remember|make sure|take(?! care)|go|get|find|talk|reach out|write|"
            r"set)\b",
            r"^(just|always|never|don'?t|do not|stay|keep|stop|start|let|tell|ask|call|give|"
            r"focus|be) (?!so |to |hearing|thinking|wondering|wanted|checking|curious|me |us )\w+",
        ]
    ),
    re.IGNORECASE,
)
"""A sentence that tells the person what to do (from suggestions that counsellors and
supporters write; checked against people's labels in docs/replies.md)."""
_HELPS = re.compile(
    r"\b(might|may|could|would|will) (also |really )?help (you |to |with )", re.IGNORECASE
)
"""Something would help: a suggestion in a statement, an invitation in a question."""
_ASKS = re.compile(
    r"\b(what|how) (should|can|could|do) i\b|\bshould i\b|\b(any|some|give me|need) "
    r"(advice|tips|ideas|suggestions)\b|\bwhat (would|do) you (suggest|recommend|do)\b"
    r"|\bhelp me (to )?(figure|decide|find|know|get)\b|\bwhat can i do\b|\bhow do i\b",
    re.IGNORECASE,
)


def is_advice(text: str) -> bool:
    """``text`` tells the person what to do (a suggestion, a recommendation, a "have you
    tried"); a question asking what would help them is not advice."""
    return any(
        ADVICE.search(s) or (not s.endswith("?") and _HELPS.search(s))
        for s in _sentences(text.replace("\u2019", "'"))
    )


def asks_for_advice(turn: str) -> bool:
    """The person asked what to do."""
    return bool(_ASKS.search(turn.replace("\u2019", "'")))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?\u2026])\s+", text.strip()) if s.strip()]
