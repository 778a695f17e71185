"""What to say next: safety first, then the check-in script, then the model (pure).

``Conversation.plan(said, cues_summary)`` turns one final user turn into a ``TurnPlan``:
a scripted safety reply (the model is not called), a scripted check-in line, a model
reflection followed by the next scripted question, or a free model reply. The session
(``voice.pipeline``) carries the plan out and calls ``record`` with what was said.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice.dialogue.answers import is_stop
from voice.dialogue.chat import ChatMessage
from voice.dialogue.checkin import CheckinFlow, CheckinSummary, Phase, StepKind
from voice.dialogue.prompt import Exchange, build_messages
from voice.safety import SafetyLevel, SafetyVerdict, detect, scripted_reply
from voice.safety.followup import PendingQuestion, follow_up, pending_question
from voice.safety.resources import ScriptedReply
from voice.safety.screen import SCREEN_CRISIS

REFLECT_NOTE = (
    "\n\n[Check-in: reply with one or two short sentences that reflect what the person just "
    "said, warmly and in your own words. Do not ask a question: the app asks the next "
    "check-in question right after you.]"
)
"""Appended to the user's words when the model only reflects before a scripted question."""

SKIPPED_LEAD = "That's fine."

AFTER_CRISIS_NOTE = (
    "\n\n[Safety: earlier in this conversation the person said something that suggested they"
    " may be in danger, and they were given crisis line details. Stay gentle and supportive,"
    " keep to what they are saying, and do not move on to check-in questions.]"
)
"""Appended to the user's words for every model turn after a crisis in this session."""


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
    safety: SafetyVerdict | None = None
    resources: tuple[dict[str, str], ...] = ()
    summary: CheckinSummary | None = None


class Conversation:
    """The dialogue state of one session: history, the check-in flow (if any), and safety.

    After a crisis the session stays careful: the answer to the crisis reply's question is
    read without the model (``voice.safety.followup``), the check-in's questions stop, and
    every later model turn carries ``AFTER_CRISIS_NOTE``. Only a crisis the rules stated
    (or confirmed) holds for the rest of the session: one the learned screen raised on its
    own is a reading of the words, so when the person answers that they are safe, the
    check-in picks up where it was (the summary still carries the flag).
    """

    def __init__(
        self, flow: CheckinFlow | None, *, safety_locale: str, safety_plan: str | None = None
    ) -> None:
        self._flow = flow
        self._locale = safety_locale
        self._safety_plan_text = safety_plan
        self.history: list[Exchange] = []
        self._pending: PendingQuestion | None = None
        self._paused = False  # the check-in's questions, after a crisis
        self.highest_level = SafetyLevel.NONE
        """The most serious safety level seen this session (flags the summary)."""
        self.revision = 0
        """Counts every change of this state (a turn planned, an exchange recorded)."""

    def opening(self, fallback: str) -> str:
        """Turn 0: the script's greeting and first question, or ``fallback`` without one."""
        return self._flow.start().text if self._flow is not None else fallback

    def plan(
        self, said: str, cues_summary: str = "", verdict: SafetyVerdict | None = None
    ) -> TurnPlan:
        """Decide how to answer ``said`` (a final user turn, spoken or typed).

        ``verdict`` is the safety verdict on it (the session runs the rules and the
        learned screen off the event loop); without one, the rules are run here.
        """
        if verdict is None:
            verdict = detect(said)
        self.revision += 1
        pending, self._pending = self._pending, None
        answered = follow_up(pending, said, self._locale) if pending is not None else None
        if answered is not None and answered.verdict is not None:
            return self._safety_plan(answered.verdict, answered.reply)  # a risky answer
        if answered is not None and pending is not None and not verdict.flagged:
            return TurnPlan(then=self._after_reassurance(answered.reply, pending))
        scripted = scripted_reply(verdict, self._locale, self._safety_plan_text)
        if scripted is not None:
            # The check-in does not move on: its question is still open afterwards.
            return self._safety_plan(verdict, scripted)
        flow = self._flow
        after_crisis = self._paused
        if after_crisis and flow is not None and flow.phase is not Phase.FINISHED:
            if is_stop(said):
                summary = flow.finish()
                return TurnPlan(then=summary.text, summary=summary)
            return TurnPlan(model=self._prompt(said, cues_summary, AFTER_CRISIS_NOTE))
        if flow is None or flow.phase is Phase.FINISHED:
            return self._free_reply(said, cues_summary)
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

    def preview(self, said: str, cues_summary: str, verdict: SafetyVerdict) -> TurnPlan | None:
        """The plan ``plan(said, cues_summary, verdict)`` would make, changing nothing, when
        it is a free reply by the model: no safety flag, no safety question awaiting its
        answer, no check-in step to take. None otherwise (nothing to begin early: scripted
        lines are ready at once, and a check-in step changes the state)."""
        flow = self._flow
        if verdict.flagged or self._pending is not None:
            return None
        if flow is not None and flow.phase is not Phase.FINISHED:
            return None
        return self._free_reply(said, cues_summary)

    def _free_reply(self, said: str, cues_summary: str) -> TurnPlan:
        """The model answers freely (after a crisis, with the note that keeps it gentle)."""
        note = AFTER_CRISIS_NOTE if self._paused else ""
        return TurnPlan(model=self._prompt(said, cues_summary, note))

    def _safety_plan(self, verdict: SafetyVerdict, reply: ScriptedReply) -> TurnPlan:
        """Speak a scripted safety reply, remember its question, and raise the session's
        level."""
        if verdict.level.rank > self.highest_level.rank:
            self.highest_level = verdict.level
        if verdict.level is SafetyLevel.CRISIS:
            self._paused = True
        # An urgent reply to "I'm not safe" asks nothing more: its answer is not awaited.
        if verdict.rule != "followup.not_safe":
            self._pending = pending_question(verdict)
        return TurnPlan(
            then=reply.text,
            safety=verdict,
            resources=tuple(r.as_dict() for r in reply.resources),
        )

    def _after_reassurance(self, reply: ScriptedReply, pending: PendingQuestion) -> str:
        """A reassuring answer: acknowledge it; after a concern, ask the open check-in
        question again (it is still open); after a crisis the check-in stays paused."""
        flow = self._flow
        item = flow.current_item if flow is not None else None
        if pending.verdict.rule == SCREEN_CRISIS:
            self._paused = False  # the screen's reading, and the person says they are safe
        if item is not None and not self._paused:
            return f"{reply.text} {item.prompt}"
        return reply.text

    def record(self, user: str, assistant: str) -> None:
        """Remember an exchange for later prompts."""
        self.revision += 1
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
