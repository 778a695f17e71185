"""The structured daily check-in as a pure state machine.

``CheckinFlow(script)``: call ``start()`` and speak its prompt; then, for every final user
turn (after the safety check), call ``answer(text)`` and act on the ``Step``:

- ``NEXT``: the answer was recorded (or skipped). If ``step.reflect``, let the model reflect
  briefly on what was said, then speak ``step.prompt`` (the next question).
- ``CLARIFY``: the answer wasn't understood: speak ``step.prompt`` (no model).
- ``OPEN``: the scripted part is over: reflect, then speak ``step.prompt``, an invitation
  to talk freely. Later turns return ``CONVERSE``: pass them to the model.
- ``STOP``: the person asked to stop: speak ``summary().text``; the flow is finished.

``summary()`` may be called at any time (for example when the person hangs up).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from voice.dialogue.answers import is_skip, is_stop, parse_choice, parse_scale
from voice.dialogue.checkin_script import (
    CheckinItem,
    CheckinScript,
    ItemKind,
    load_script,
    parse_script,
)
from voice.errors import VoiceError

__all__ = [
    "Answer",
    "AnswerStatus",
    "CheckinFlow",
    "CheckinItem",
    "CheckinScript",
    "CheckinStateError",
    "CheckinSummary",
    "ItemKind",
    "Phase",
    "Prompt",
    "Step",
    "StepKind",
    "is_skip",
    "is_stop",
    "load_script",
    "parse_choice",
    "parse_scale",
    "parse_script",
    "spoken_number",
]

AnswerValue = float | str


class CheckinStateError(VoiceError):
    """A check-in method was called out of order (``answer`` before ``start`` or after stop)."""

    code = "bad_state"


class Phase(StrEnum):
    """Where the check-in is."""

    NOT_STARTED = "not_started"
    SCRIPTED = "scripted"
    OPEN = "open"
    FINISHED = "finished"


class AnswerStatus(StrEnum):
    """What became of a scripted question."""

    ANSWERED = "answered"
    SKIPPED = "skipped"
    UNANSWERED = "unanswered"
    """Not understood twice, so left blank and moved on."""


class StepKind(StrEnum):
    """What to do after an answer (see the module docstring)."""

    NEXT = "next"
    CLARIFY = "clarify"
    OPEN = "open"
    CONVERSE = "converse"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Prompt:
    """Something to say: a scripted question (``item_id`` set) or a scripted line."""

    text: str
    item_id: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of one scripted question; ``value`` is None unless answered."""

    item_id: str
    status: AnswerStatus
    value: AnswerValue | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """The flow's response to one user turn."""

    kind: StepKind
    answer: Answer | None = None
    prompt: Prompt | None = None

    @property
    def reflect(self) -> bool:
        """True when the model should reflect briefly on the answer before the prompt."""
        return self.answer is not None and self.answer.status is AnswerStatus.ANSWERED


@dataclass(frozen=True, slots=True)
class CheckinSummary:
    """The end of a check-in: every item's value (None when skipped or not reached) and the
    short spoken summary."""

    items: dict[str, AnswerValue | None]
    text: str
    answers: tuple[Answer, ...]


_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
]


def spoken_number(value: float) -> str:
    """A 0..10 score as Piper should say it: 6 -> "six", 7.5 -> "seven and a half"."""
    whole = int(value)
    rest = round(value - whole, 2)
    if not 0 <= whole <= 10:
        return f"{value:g}"
    word = _NUMBER_WORDS[whole]
    if rest == 0:
        return word
    if rest == 0.5:
        return f"{word} and a half"
    return f"{word} point {_NUMBER_WORDS[round(rest * 10)]}"


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + ", and " + phrases[-1]


class CheckinFlow:
    """One check-in: the scripted questions, then open conversation until the person stops."""

    def __init__(self, script: CheckinScript) -> None:
        self.script = script
        self._phase = Phase.NOT_STARTED
        self._index = 0
        self._failed_once = False
        self._answers: dict[str, Answer] = {}

    @property
    def phase(self) -> Phase:
        """Where the check-in is."""
        return self._phase

    @property
    def current_item(self) -> CheckinItem | None:
        """The question being asked, or None outside the scripted part."""
        if self._phase is not Phase.SCRIPTED:
            return None
        return self.script.items[self._index]

    def start(self) -> Prompt:
        """Begin: the greeting and the first question. Then call ``answer`` for each turn."""
        if self._phase is not Phase.NOT_STARTED:
            raise CheckinStateError("the check-in has already started")
        self._phase = Phase.SCRIPTED
        first = self.script.items[0]
        return Prompt(f"{self.script.greeting} {first.prompt}", first.id)

    def answer(self, text: str) -> Step:
        """Take one final user turn (already through the safety check) and say what next."""
        if self._phase is Phase.NOT_STARTED:
            raise CheckinStateError("call start() before answer()")
        if self._phase is Phase.FINISHED:
            raise CheckinStateError("the check-in is finished")
        if is_stop(text):
            self._phase = Phase.FINISHED
            return Step(StepKind.STOP)
        if self._phase is Phase.OPEN:
            return Step(StepKind.CONVERSE)
        item = self.script.items[self._index]
        if is_skip(text):
            return self._advance(Answer(item.id, AnswerStatus.SKIPPED))
        value = self._understand(item, text)
        if value is not None:
            return self._advance(Answer(item.id, AnswerStatus.ANSWERED, value))
        if not self._failed_once:
            self._failed_once = True
            return Step(StepKind.CLARIFY, prompt=Prompt(item.clarify, item.id))
        return self._advance(Answer(item.id, AnswerStatus.UNANSWERED))

    def finish(self) -> CheckinSummary:
        """End the check-in now (the person hung up) and return its summary."""
        self._phase = Phase.FINISHED
        return self.summary()

    def summary(self) -> CheckinSummary:
        """Every item's value so far and a short spoken summary, ending with the closing."""
        items: dict[str, AnswerValue | None] = {}
        answers: list[Answer] = []
        phrases: list[str] = []
        for item in self.script.items:
            answer = self._answers.get(item.id)
            if answer is None:
                items[item.id] = None
                continue
            answers.append(answer)
            items[item.id] = answer.value
            if answer.status is AnswerStatus.ANSWERED and answer.value is not None:
                phrases.append(item.summary.replace("{value}", self._say(item, answer.value)))
        if phrases:
            text = f"Today {_join(phrases)}."
        else:
            text = "We didn't get to the questions today, and that's okay."
        return CheckinSummary(items, f"{text} {self.script.closing}", tuple(answers))

    @staticmethod
    def _understand(item: CheckinItem, text: str) -> AnswerValue | None:
        if item.kind is ItemKind.SCALE_0_10:
            return parse_scale(text)
        if item.kind is ItemKind.CHOICE:
            return parse_choice(text, item)
        cleaned = " ".join(text.split())
        return cleaned or None

    @staticmethod
    def _say(item: CheckinItem, value: AnswerValue) -> str:
        if isinstance(value, float):
            return spoken_number(value)
        for choice in item.choices:
            if choice.value == value:
                return choice.say
        return value

    def _advance(self, answer: Answer) -> Step:
        self._answers[answer.item_id] = answer
        self._index += 1
        self._failed_once = False
        if self._index < len(self.script.items):
            nxt = self.script.items[self._index]
            return Step(StepKind.NEXT, answer, Prompt(nxt.prompt, nxt.id))
        self._phase = Phase.OPEN
        return Step(StepKind.OPEN, answer, Prompt(self.script.open_prompt))
