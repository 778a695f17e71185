"""The safety rules' form of a turn (pure): ``voice.text.normalise.basic_normalise``, then
no hedges, Whisper's usual mis-hearings of the words that matter fixed, counts as digits."""

from __future__ import annotations

import re
from collections.abc import Callable

from voice.text.normalise import NUMBER_WORDS, basic_normalise

_Replacement = str | Callable[[re.Match[str]], str]

# Hedges and intensifiers: removed for the safety rules only ("I just really want to die").
_HEDGES = re.compile(
    r"\b(?:kind of|sort of|basically|literally|honestly|actually|seriously|really|truly"
    r"|just|simply|pretty much|pretty|quite|fairly|extremely|incredibly|super|utterly"
    r"|absolutely|deeply|a bit|a little|so+|very|totally|definitely|probably|even|anyway|still)\b"
)

# Whisper mis-hearings and common misspellings of the words that matter most here.
_MISHEARINGS: tuple[tuple[str, _Replacement], ...] = (
    # "my self" is "myself", but not before a noun: "it's killing my self-esteem"
    (
        r"\b(my|your|him|her|it|one)\s+self\b(?!\s+(?:esteem|worth|confidence|image|respect"
        r"|belief|doubt|care|control|love|loathing|hatred|awareness|acceptance|sabotage|talk))",
        r"\1self",
    ),
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
    # "kms" after a number is kilometres: "she lives 1000s of kms away"
    (r"\b(\d[\d,.]*s?|of|few|many|hundreds|thousands) kms\b", r"\1 km"),
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


def _suicide_word(word: str) -> str:
    return "suicide" if word.endswith("de") else "suicidal"


def _compile(
    pairs: tuple[tuple[str, _Replacement], ...],
) -> tuple[tuple[re.Pattern[str], _Replacement], ...]:
    return tuple((re.compile(p), r) for p, r in pairs)


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


def normalise(text: str) -> str:
    """The safety detector's form: ``basic_normalise``, no hedges, mis-hearings fixed, counts
    as digits, hyphens as spaces."""
    text = _HEDGES.sub(" ", basic_normalise(text).replace("-", " "))
    text = _apply(_SPACES.sub(" ", text), _MISHEARING_RES)
    text = number_words_to_digits(text)
    return _SPACES.sub(" ", text).strip(" ,")
