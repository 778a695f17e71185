"""What to say next: safety first, then the check-in script, then the model (pure).

``Conversation.plan(said, cues_summary)`` turns one final user turn into a ``TurnPlan``:
a scripted safety reply (the model is not called), a scripted check-in line, a model
reflection followed by the next scripted question, or a free model reply. The session
(``voice.pipeline``) carries the plan out and calls ``record`` with what was said.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice.dialogue.chat import ChatMessage
from voice.dialogue.checkin import CheckinFlow, CheckinSummary, Phase, StepKind
from voice.dialogue.prompt import Exchange, build_messages
from voice.safety import SafetyAssessment, assess, scripted_reply

REFLECT_NOTE = (
    "\n\n[Check-in: reply with one or two short sentences that reflect what the person just "
    "said, warmly and in your own words. Do not ask a question: the app asks the next "
    "check-in question right after you.]"
)
"""Appended to the user's words when the model only reflects before a scripted question."""

SKIPPED_LEAD = "That's fine."


@dataclass(frozen=True, slots=True)
class TurnPlan:
    """How to answer one user turn.

    ``model`` (a prompt) is written first when set, kept brief (``reflect_only``: no
    question, at most two sentences); then ``then`` (scripted text) is spoken whole.
    ``safety`` is set when the turn was recognised as a risk; ``summary`` when the
    check-in ended.
    """

    model: list[ChatMessage] | None = None
    reflect_only: bool = False
    then: str | None = None
    safety: SafetyAssessment | None = None
    resources: tuple[dict[str, str], ...] = ()
    summary: CheckinSummary | None = None


class Conversation:
    """The dialogue state of one session: history and the check-in flow (if any)."""

    def __init__(self, flow: CheckinFlow | None, *, safety_locale: str) -> None:
        self._flow = flow
        self._locale = safety_locale
        self.history: list[Exchange] = []

    def opening(self, fallback: str) -> str:
        """Turn 0: the script's greeting and first question, or ``fallback`` without one."""
        return self._flow.start().text if self._flow is not None else fallback

    def plan(
        self, said: str, cues_summary: str = "", assessment: SafetyAssessment | None = None
    ) -> TurnPlan:
        """Decide how to answer ``said`` (a final user turn, spoken or typed).

        ``assessment`` is the safety verdict on it (the session runs the rules and the
        learned screen off the event loop); without one, the rules are run here.
        """
        if assessment is None:
            assessment = assess(said)
        scripted = scripted_reply(assessment, self._locale)
        if scripted is not None:
            # The check-in does not move on: its question is still open afterwards.
            return TurnPlan(
                then=scripted.text,
                safety=assessment,
                resources=tuple(r.as_dict() for r in scripted.resources),
            )
        flow = self._flow
        if flow is None or flow.phase is Phase.FINISHED:
            return TurnPlan(model=self._prompt(said, cues_summary))
        step = flow.answer(said)
        if step.kind is StepKind.STOP:
            summary = flow.summary()
            return TurnPlan(then=summary.text, summary=summary)
        if step.kind is StepKind.CONVERSE:
            return TurnPlan(model=self._prompt(said, cues_summary))
        prompt = step.prompt.text if step.prompt is not None else None
        if step.reflect:
            return TurnPlan(
                model=self._prompt(said, cues_summary, REFLECT_NOTE),
                reflect_only=True,
                then=prompt,
            )
        if step.kind is StepKind.CLARIFY:
            return TurnPlan(then=prompt)
        return TurnPlan(then=f"{SKIPPED_LEAD} {prompt}" if prompt else SKIPPED_LEAD)

    def record(self, user: str, assistant: str) -> None:
        """Remember an exchange for later prompts."""
        if assistant:
            self.history.append(Exchange(user, assistant))

    def final_summary(self) -> CheckinSummary | None:
        """The check-in's summary if it has answers and was not already given (at ``end``)."""
        flow = self._flow
        if flow is None or flow.phase in (Phase.NOT_STARTED, Phase.FINISHED):
            return None
        summary = flow.finish()
        return summary if summary.answers else None

    def _prompt(self, said: str, cues_summary: str, instruction: str = "") -> list[ChatMessage]:
        return build_messages(self.history, said, cues_summary, instruction)
