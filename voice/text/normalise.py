"""Plain English text in one form (pure): shared by the safety rules and the check-in's
answer parsers.

Transcripts and typed text arrive in many shapes: curly quotes, contractions with and
without apostrophes, filler words, numbers as words. ``basic_normalise`` gives the plain
lower-case form everything downstream matches against.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_Replacement = str | Callable[[re.Match[str]], str]

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": " - ",
        "\u2014": " - ",
        "\u2026": ". ",
    }
)

# Order matters: the specific forms come before the generic suffix rules.
_CONTRACTIONS: tuple[tuple[str, _Replacement], ...] = (
    (r"\bcan'?t\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bwon'?t\b", "will not"),
    (r"\bshan'?t\b", "shall not"),
    (r"\bain'?t\b", "is not"),
    (
        r"\b(do|does|did|is|are|was|were|have|has|had|would|could|should|must|need|might)n'?t\b",
        r"\1 not",
    ),
    (r"\bi'?m\b", "i am"),
    (r"\bi'?ve\b", "i have"),
    (r"\bi'll\b", "i will"),
    # "ill" is also a word ("I feel ill"): only expanded before a verb-like word.
    (
        r"\bill (?=(?:kill|end|do|just|never|be|go|take|hurt|jump|make|try|finish|die|stop)\b)",
        "i will ",
    ),
    (
        r"\b(i|you|he|she|we|they)'d (?=(?:never |not |just |already |always )?(?:been|had|gone"
        r"|done"
        r"|seen|known|died|thought|made|taken|got|gotten|left|said|told|tried|wanted|eaten|slept"
        r"|hoped|wished|planned|decided|started|stopped|lost|felt)\b)",
        r"\1 had ",
    ),
    (r"\bi'?d\b", "i would"),
    (r"\b(you|we|they)'re\b", r"\1 are"),
    (r"\b(you|we|they)'ve\b", r"\1 have"),
    (r"\b(you|we|they|he|she|it|that|there)'ll\b", r"\1 will"),
    (r"\b(you|we|they|he|she|it|that|there)'d\b", r"\1 would"),
    (r"\b(youre|theyre)\b", lambda m: m.group(1)[:-2] + " are"),
    (r"\b(it|that|what|he|she|there|here|who|where|how|everything|nothing|life)'s\b", r"\1 is"),
    (r"\b(thats|whats|theres|hes|shes)\b", lambda m: m.group(1)[:-1] + " is"),
    (r"\blet's\b", "let us"),
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "got to"),
    (r"\bgimme\b", "give me"),
    (r"\bdunno\b", "do not know"),
    (r"\b(kinda|sorta)\b", ""),
    (r"\b(cuz|coz|cos)\b", "because"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\by'?all\b", "you all"),
    (r"\b(alright|all right|ok)\b", "okay"),
)

# Spoken fillers carry no meaning; they only break phrases apart.
_FILLERS = re.compile(
    r",?\s*\b(?:u+m+|u+h+m*|e+r+m*|h+m+|m+h*m+|a+h+|o+h+|like(?=\s*,)"
    r"|you know(?=\s*[,.!?]|$)|i mean(?=\s*,))\b\s*,?",
)

_OPENING_WELL = re.compile(r"(^|[.!?]\s*)\s*well\s*,")
"""A sentence that opens with "well," (but "I slept really well, thanks" keeps it)."""

_SPACES = re.compile(r"[ \t\r\n]+")
_KEEP = re.compile(r"[^a-z0-9.,!?;:'/% -]+")
_CONTRACTION_RES = tuple((re.compile(p), r) for p, r in _CONTRACTIONS)

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
"""Spoken numbers the safety rules and the scale parser care about."""


def _apply(text: str, rules: tuple[tuple[re.Pattern[str], _Replacement], ...]) -> str:
    for pattern, repl in rules:
        text = pattern.sub(repl, text)
    return text


def basic_normalise(text: str) -> str:
    """Lower-case, straight quotes, expanded contractions, no fillers, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = _apply(text, _CONTRACTION_RES)
    text = _KEEP.sub(" ", text)
    text = _FILLERS.sub(" ", text)
    text = _OPENING_WELL.sub(r"\1 ", text)
    text = text.replace("'", "")
    text = re.sub(r"\s*,[\s,]*", ", ", text)
    return _SPACES.sub(" ", text).strip(" ,")
