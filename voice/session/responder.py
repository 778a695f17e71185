"""From a final user turn to its answer: safety first, then the check-in, then the model.

``Responder.answer`` takes the words of a turn and returns an ``Answer``: the ``safety``
and ``summary`` messages to send first, and the ``ReplySpeaker`` that writes and voices
the reply (model text, guarded and kept brief, then any scripted text). ``begin_early``
begins a model reply at a pause, held until ``adopt`` lets it out once the turn is over.
It holds the dialogue state (``Conversation``) and learns what was said through
``record``; it sends nothing itself, and runs no task.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from voice.dialogue.advice import asks_for_advice
from voice.dialogue.checkin import CheckinFlow, CheckinSummary
from voice.dialogue.prompt import MAX_REPLY_SENTENCES, NOT_HEARD_REPLY, ReplyShaper, greeting
from voice.engines.workers import Engines
from voice.protocol import Safety, ServerMessage, Summary
from voice.safety import GuardResult, RiskCategory, SafetyLevel, guard_reply
from voice.session.config import SessionSettings
from voice.session.conversation import Conversation, TurnPlan
from voice.session.speaker import ReplySpeaker, ReplyTiming

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Answer:
    """How one turn is answered: ``notices`` to send first, then ``speaker``'s reply."""

    turn: int
    said: str | None
    """The person's words it answers (None for the greeting)."""
    notices: tuple[ServerMessage, ...]
    speaker: ReplySpeaker


class Responder:
    """Answers one session's turns: ``greeting`` once, ``answer`` per final turn,
    ``record`` after each reply (whole or cut short), ``closing_summary`` at the end."""

    def __init__(
        self,
        engines: Engines,
        settings: SessionSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engines = engines
        self._settings = settings
        self._clock = clock
        # the conversation's revision, the words and the cue note an answer was begun on
        self._early_key: tuple[int, str, str] | None = None
        script = settings.checkin_script
        self._conversation = Conversation(
            CheckinFlow(script) if script is not None else None,
            safety_locale=settings.safety_locale,
            safety_plan=settings.safety_plan,
        )

    def greeting(self, now: datetime) -> Answer:
        """Turn 0: the check-in's greeting and first question, or a greeting for the hour."""
        text = self._conversation.opening(greeting(now))
        return self._answer(0, None, TurnPlan(then=text), ReplyTiming(None))

    async def answer(
        self, turn: int, said: str, *, cues_summary: str, timing: ReplyTiming
    ) -> Answer:
        """Safety first (a recognised risk gets a scripted reply; the model is not called),
        then the check-in script, then the model."""
        verdict = await self._engines.safety_verdict(said)
        return self._answer(
            turn, said, self._conversation.plan(said, cues_summary, verdict), timing
        )

    async def begin_early(self, turn: int, said: str, *, cues_summary: str) -> Answer | None:
        """Begin the answer to ``said`` before the turn is confirmed over (the person has
        paused): safety first, as always, and only a free reply by the model is begun; its
        speaker is held until ``adopt``. None when there is nothing to begin early."""
        revision = self._conversation.revision
        verdict = await self._engines.safety_verdict(said)
        plan = self._conversation.preview(said, cues_summary, verdict)
        if plan is None or self._conversation.revision != revision:
            return None
        self._early_key = (revision, said, cues_summary)
        return self._answer(turn, said, plan, ReplyTiming(None), held=True)

    def adopt(self, answer: Answer, said: str, *, cues_summary: str, timing: ReplyTiming) -> bool:
        """The turn is over: let out the answer begun early if it answers exactly ``said``
        and ``cues_summary``, in the same state of the conversation (True); otherwise it
        must be dropped and the turn answered anew (False)."""
        key = (self._conversation.revision, said, cues_summary)
        if answer.said != said or key != self._early_key:
            return False
        self._conversation.revision += 1  # what follows is this turn's answer
        answer.speaker.release(timing)
        return True

    def not_heard(self, turn: int, timing: ReplyTiming) -> Answer:
        """A turn whose words could not be made out: ask the person to say it again."""
        return self._answer(turn, None, TurnPlan(then=NOT_HEARD_REPLY), timing)

    def record(self, answer: Answer) -> None:
        """Remember what was said and answered (after the reply, whole or cut short); an
        answer begun early and never let out was not said."""
        if not answer.speaker.released:
            return
        spoken = answer.speaker.spoken_text
        if answer.said is not None:
            self._conversation.record(answer.said, spoken)
        if self._settings.log_content:
            _LOGGER.info("turn %d reply: %s", answer.turn, spoken)

    def closing_summary(self) -> Summary | None:
        """The check-in's summary when the client ends mid check-in (None if nothing to say)."""
        summary = self._conversation.final_summary()
        return self._summary_message(summary) if summary else None

    def _answer(
        self,
        turn: int,
        said: str | None,
        plan: TurnPlan,
        timing: ReplyTiming,
        *,
        held: bool = False,
    ) -> Answer:
        notices: list[ServerMessage] = []
        if plan.safety is not None:
            notices.append(
                Safety(
                    turn=turn,
                    level=plan.safety.level.value,
                    category=(plan.safety.category or RiskCategory.DISTRESS).value,
                    resources=plan.resources,
                )
            )
        if plan.summary is not None:
            notices.append(self._summary_message(plan.summary))
        speaker = ReplySpeaker(
            turn,
            self._engines,
            prompt=plan.model,
            then=plan.then,
            clock=self._clock,
            lead_seconds=self._settings.audio_lead_seconds,
            timing=timing,
            guard=self._guard,
            shaper=ReplyShaper(
                2 if plan.reflect_only else MAX_REPLY_SENTENCES,
                allow_question=not plan.reflect_only,
                allow_advice=said is not None and asks_for_advice(said),
            ),
            held=held,
        )
        return Answer(turn, said, tuple(notices), speaker)

    def _summary_message(self, summary: CheckinSummary) -> Summary:
        level = self._conversation.highest_level
        flag = level.value if level is not SafetyLevel.NONE else None
        return Summary(items=summary.items, text=summary.text, safety=flag)

    def _guard(self, sentence: str) -> GuardResult:
        return guard_reply(sentence, self._settings.safety_locale)
