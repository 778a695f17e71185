"""Understanding check-in answers without the model: numbers on a scale, choices, skip, stop.

Every parser returns None when it is not sure, so the flow asks a short clarifying question
instead of guessing.
"""

from __future__ import annotations

import functools
import re

from voice.dialogue.checkin_script import CheckinItem
from voice.text.normalise import NUMBER_WORDS, basic_normalise

_UNITS: dict[str, int] = {**NUMBER_WORDS, "nought": 0, "nil": 0, "none": 0}
# Whisper writes a lone spoken number as its homophone now and then.
_HOMOPHONES = {"for": 4.0, "fore": 4.0, "to": 2.0, "too": 2.0, "won": 1.0, "ate": 8.0, "tree": 3.0}
_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?|" + "|".join(_UNITS) + r")(?:ish)?"
    r"(?: (?:and a half|point (\d|" + "|".join(list(_UNITS)[:10]) + r")))?(?![\w.])"
)
_SCALE_FRAME = re.compile(
    r"\b(?:on a scale (?:of|from) )?(?:from )?(?:0|zero|1|one) (?:to|-) (?:10|ten)\b"
    r"|(?:out of|outta|over|/) ?(?:10|ten)\b|\bon a scale\b"
)
_PERCENT = re.compile(r"\b(\d{1,3}) ?(?:%|percent|per cent)")
_NOT_A_SCORE_AFTER = re.compile(
    r"^ ?(?:of|thing|things|day|days|night|nights|more|time|times|person|people|another|else"
    r"|hours?|hrs|minutes?|mins|weeks?|months?|years?|am|pm|o clock|kids?|cups?|coffees?"
    r"|drinks?|glasses|pills?|tablets?|meals?|percent)\b"
)
_NOT_A_SCORE_BEFORE = re.compile(r"\b(?:no|any|some|every|that|this|the|which|each|only) ?$")
_RANGE_JOINER = re.compile(r"^ ?(?:or|to|-|and|,|or maybe|maybe|, maybe|/|or so|or a) ?$")
_LEAD = re.compile(
    r"^(?:(?:about|around|roughly|maybe|probably|like|a|an|i would say|i would give it|i guess"
    r"|i think|perhaps|say|its|it is|just|only|definitely|solid|a solid) )*"
)


def _value(token: str) -> float:
    return float(token) if token[0].isdigit() else float(_UNITS[token])


def _numbers(text: str) -> list[tuple[float, int, int]]:
    found: list[tuple[float, int, int]] = []
    for match in _NUMBER.finditer(text):
        if _NOT_A_SCORE_AFTER.match(text[match.end() :]):
            continue
        if match.group(1) == "one" and _NOT_A_SCORE_BEFORE.search(text[: match.start()]):
            continue
        value = _value(match.group(1))
        whole = match.group(0)
        if whole.endswith("and a half"):
            value += 0.5
        elif match.group(2):
            value += _value(match.group(2)) / 10
        found.append((value, match.start(), match.end()))
    return found


def parse_scale(text: str, low: int = 0, high: int = 10) -> float | None:
    """A number on a low..high scale from a spoken answer, or None when unclear.

    "about a six" -> 6, "6 out of 10" -> 6, "pretty bad, maybe a three" -> 3, "ten" -> 10,
    "six and a half" -> 6.5, "60 percent" -> 6. A range ("seven or eight", "between 5 and
    6") gives its midpoint, 7.5. Out of range ("eleven", "a hundred"), two different numbers
    that are not a range, or no number at all ("I don't know") give None.
    """
    norm = basic_normalise(text).replace("-", " - ")
    norm = re.sub(r"\s+", " ", _SCALE_FRAME.sub(" ", norm)).strip(" ,.!?")
    percent = _PERCENT.search(norm)
    if percent:
        value = int(percent.group(1)) / 10
        return value if low <= value <= high else None
    bare = _LEAD.sub("", norm)
    if bare in _HOMOPHONES:
        return _HOMOPHONES[bare]
    numbers = _numbers(norm)
    if not numbers:
        return None
    if len(numbers) == 1:
        value = numbers[0][0]
    elif len(numbers) == 2 and _RANGE_JOINER.match(norm[numbers[0][2] : numbers[1][1]]):
        value = (numbers[0][0] + numbers[1][0]) / 2
    elif len({n[0] for n in numbers}) == 1:
        value = numbers[0][0]
    else:
        return None
    return value if low <= value <= high else None


@functools.lru_cache(maxsize=256)
def _synonym_pattern(synonym: str) -> re.Pattern[str]:
    words = basic_normalise(synonym).replace("-", " ").split()
    return re.compile(r"\b" + r"[\s,-]+".join(map(re.escape, words)) + r"\b")


def parse_choice(text: str, item: CheckinItem) -> str | None:
    """The choice an answer names ("I slept okay" -> "okay"), or None if none or several.

    The longest matching phrase wins, so "not bad" is okay rather than bad.
    """
    norm = basic_normalise(text)
    spans: list[tuple[int, int, str]] = []
    for choice in item.choices:
        for synonym in choice.synonyms:
            for match in _synonym_pattern(synonym).finditer(norm):
                spans.append((match.start(), match.end(), choice.value))
    kept = [
        (start, end, value)
        for start, end, value in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
    ]
    values = {value for _, _, value in kept}
    return values.pop() if len(values) == 1 else None


def _bare(text: str) -> str:
    norm = re.sub(r"[.,!?;:-]+", " ", basic_normalise(text))
    norm = re.sub(
        r"^(?:(?:okay|well|so|yeah|yes|no|actually|sorry|honestly|hmm|right|um|erm|i think"
        r"|i mean|just|please|oh) )+",
        "",
        " ".join(norm.split()) + " ",
    )
    norm = re.sub(r"(?: (?:please|thanks|thank you|okay|then|for now|sorry))+ ?$", "", norm)
    return norm.strip()


_SKIP = (
    re.compile(
        r"^(?:(?:can|could) (?:we|i|you) |let us |i would like to |i want to |i will |i am going"
        r" to |i would rather |i need to |maybe |you can )?(?:just )?(?:skip|pass|next)(?: (?:on"
        r" )?(?:this|that|it|this one|that one|the question|this question|that question|for"
        r" now|for today|question|one))*$"
    ),
    re.compile(
        r"\b(?:rather not|prefer not to|do not want to|would not like to|do not wish to|not"
        r" comfortable) (?:say|saying|answer|answering|talk about (?:it|that|this)|share|sharing"
        r"|go into (?:it|that)|get into (?:it|that)|answer (?:that|this|it)|talk about it today)"
        r"(?: \w+)?$"
    ),
    re.compile(
        r"^(?:no comment|move on|let us move on|next question|skip it|pass on (?:this|that)"
        r"|i will pass|not answering that|i do not want to answer)$"
    ),
)

_STOP_TAIL = (
    r"(?: (?:now|here|there|for today|for now|for tonight|the check in|this|the session|the"
    r" conversation|it here|it there|it at that|today|then|bye|good ?bye|talk (?:to you )?"
    r"(?:later|tomorrow|soon)|see you|thanks|thank you))*$"
)
_STOP = (
    re.compile(
        r"^(?:i (?:want|would like|need|have) to |can we |could we |let us |we can |i am going"
        r" to |i think i will |i think we can |time to |i would like to |i am ready to )?"
        r"(?:stop|finish|end|wrap up|wrap it up|call it a day|be done|leave it|go|end the"
        r" check in)" + _STOP_TAIL
    ),
    re.compile(r"^(?:that is|that will be) (?:enough|all|it)" + _STOP_TAIL),
    re.compile(r"^(?:i am|we are|i think i am|i think we are) (?:done|finished)" + _STOP_TAIL),
    re.compile(
        r"^(?:good ?bye|bye|bye bye|see you|see ya|talk (?:to you )?(?:later|tomorrow|soon)"
        r"|good ?night|night night|catch you later|got to go|i have got to go|i have to go|i need"
        r" to go|i must go|i better go|i had better go|i should go|i should get going|i have to"
        r" get going|enough for today)" + _STOP_TAIL
    ),
    re.compile(
        r"\b(?:end|stop|finish) (?:the|this|our) (?:check in|checkin|session|conversation|chat)\b"
    ),
)


def is_skip(text: str) -> bool:
    """True when the person wants to skip this question ("skip", "I'd rather not say")."""
    bare = _bare(text)
    return any(pattern.search(bare) for pattern in _SKIP)


def is_stop(text: str) -> bool:
    """True when the person wants to end the check-in ("that's enough for today"), in the
    whole turn or in one of its clauses ("stop please, that's enough for today")."""
    clauses = [text, *re.split(r"[,.;!?]+", text)]
    for clause in clauses:
        bare = _bare(clause)
        if bare and any(pattern.search(bare) for pattern in _STOP):
            return True
    return False
