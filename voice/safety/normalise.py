"""Text normalisation shared by the safety detector and the check-in parsers (pure).

Transcripts and typed text arrive in many shapes: curly quotes, contractions with and
without apostrophes, filler words, numbers as digits or words, and Whisper's usual
mis-hearings. Everything downstream matches against one plain lower-case form.
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

# Hedges and intensifiers: removed for the safety rules only ("I just really want to die").
_HEDGES = re.compile(
    r"\b(?:kind of|sort of|basically|literally|honestly|actually|seriously|really|truly"
    r"|just|simply|pretty much|pretty|quite|fairly|extremely|incredibly|super|utterly"
    r"|absolutely|deeply|a bit|a little|so+|very|totally|definitely|probably|even|anyway|still)\b"
)

# Whisper mis-hearings and common misspellings of the words that matter most here.
_MISHEARINGS: tuple[tuple[str, _Replacement], ...] = (
    (r"\b(my|your|him|her|it|one)\s+self\b", r"\1self"),
    (r"\b(them|our|your)\s+selves\b", r"\1selves"),
    (r"\bmeself\b", "myself"),
    (r"\bthemself\b", "themselves"),
    (r"\bsu+[ie]?[cs]+[ie]*d(?:e|al|le|el|ial|all?)\b", lambda m: _suicide_word(m.group(0))),
    (r"\bsuicide all\b", "suicidal"),
    (r"\bsewer ?side\b", "suicide"),
    (r"\bself[\s-]*harm", "self harm"),
    (r"\bself[\s-]*injur", "self injur"),
    (r"\bover[\s-]+dos(e|ed|ing)\b", r"overdos\1"),
    (r"\bunalive\b", "kill"),
    (r"\bunalived\b", "killed"),
    (r"\bunaliving\b", "killing"),
    (r"\b(i|he|she|they|almost|nearly|had|have) (?:odd|oded|od)\b", r"\1 overdosed"),
    (r"\bod\b", "overdose"),
    (r"\bkms\b", "kill myself"),
    (r"\bdis+a+p+ea+r", "disappear"),
    (r"\bkys\b", "kill yourself"),
    (r"\bbetter of\b", "better off"),
    (r"\b(can not|could not|cannot|struggling to|hard to|trying to) breath\b", r"\1 breathe"),
    (r"\bany ?more\b", "anymore"),
    (r"\bany longer\b", "anymore"),
    (r"\bno more\b", "anymore"),
    (r"\b(cut|slit|slash)(s|ting|ted)? my risks?\b", r"\1\2 my wrists"),
    (
        r"\b(want to|going to|wish i could|wish to|like to) and (my|it|things|everything)\b",
        r"\1 end \2",
    ),
    # "overdue" is heard as "overdose" before what falls due: a fine, a book, a bill.
    (
        r"\boverdose (fines?|fees?|charges?|notices?|books?|library|dvds?|bills?|invoices?"
        r"|payments?|rent|tax|taxes|returns?|reminders?|letters?)\b",
        r"overdue \1",
    ),
    (
        r"\b(books?|dvds?|bills?|invoices?|payments?|rent|tax|taxes|returns?|fines?) (is|are|was"
        r"|were|now|already|still) overdose\b",
        r"\1 \2 overdue",
    ),
    # "dye" is heard for "die"; dyeing something has an object.
    (r"\bdye\b(?!\s+(?:my|her|his|their|the|it|them|a|some)\b)", "die"),
)

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

_UNITS = (
    r"(?=\s+(?:\w+\s+)?(?:minutes?|hours?|days?|nights?|weeks?"
    r"|months?|years?|meals?|calories|kcal|pills?|tablets?|capsules?|times|kilos?|kg|pounds?"
    r"|lbs?|stones?)\b)"
)
_NUMBER_RE = re.compile(
    r"\b(?:a couple of|a couple|couple of)"
    + _UNITS
    + r"|\b("
    + "|".join(NUMBER_WORDS)
    + r")\b"
    + _UNITS
)
_SPACES = re.compile(r"[ \t\r\n]+")
_KEEP = re.compile(r"[^a-z0-9.,!?;:'/% -]+")


def _suicide_word(word: str) -> str:
    return "suicide" if word.endswith("de") else "suicidal"


def _compile(
    pairs: tuple[tuple[str, _Replacement], ...],
) -> tuple[tuple[re.Pattern[str], _Replacement], ...]:
    return tuple((re.compile(p), r) for p, r in pairs)


_CONTRACTION_RES = _compile(_CONTRACTIONS)
_MISHEARING_RES = _compile(_MISHEARINGS)


def _apply(text: str, rules: tuple[tuple[re.Pattern[str], _Replacement], ...]) -> str:
    for pattern, repl in rules:
        text = pattern.sub(repl, text)
    return text


def number_words_to_digits(text: str) -> str:
    """Spoken counts before a unit ("three days", "a couple of pills") as digits."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(1)
        return str(NUMBER_WORDS[word]) if word else "2"

    return _NUMBER_RE.sub(swap, text)


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


def normalise(text: str) -> str:
    """The safety detector's form: ``basic_normalise``, no hedges, mis-hearings fixed, counts
    as digits, hyphens as spaces."""
    text = _HEDGES.sub(" ", basic_normalise(text).replace("-", " "))
    text = _apply(_SPACES.sub(" ", text), _MISHEARING_RES)
    text = number_words_to_digits(text)
    return _SPACES.sub(" ", text).strip(" ,")
