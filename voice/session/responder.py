"""One session's answering side: safety first, then the check-in, then the reply.

``Responder.answer`` takes a final user turn: the safety verdict (rules and learned screen,
off the event loop), the plan from ``Conversation`` (pure), the ``safety`` and ``summary``
messages, and then the reply, spoken by a ``ReplySpeaker`` (model text, guarded and kept
brief, then any scripted text). It owns the reply in flight, which barge-in interrupts.
``voice.pipeline`` owns the audio side: turns, transcription, partials and cues.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from voice.audio.endpointer import EndpointerConfig
from voice.dialogue.chat import ChatMessage
from voice.dialogue.checkin import CheckinFlow, CheckinScript, CheckinSummary
from voice.dialogue.prompt import FALLBACK_REPLY, ReplyShaper, greeting
from voice.engines.workers import Engines
from voice.errors import ChatError
from voice.protocol import Safety, Summary
from voice.safety import DEFAULT_LOCALE, GuardResult, RiskCategory, SafetyLevel, guard_reply
from voice.session.conversation import Conversation, TurnPlan
from voice.session.speaker import ReplySpeaker

_LOGGER = logging.getLogger(__name__)

Send = Callable[[object], Awaitable[None]]
"""Sends a server message or a bytes frame of reply audio to the client."""
Spawn = Callable[[Awaitable[None]], "asyncio.Task[None]"]
"""Starts a task the session tracks (and cancels when the client goes)."""


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """Per-session behaviour."""

    endpointer: EndpointerConfig = field(default_factory=EndpointerConfig)
    audio_lead_seconds: float = 0.5
    """How far ahead of real time reply audio is sent (keeps barge-in responsive)."""
    log_content: bool = False
    """Log transcripts and replies (health data: only when the operator asks)."""
    safety_locale: str = DEFAULT_LOCALE
    """Whose crisis lines the scripted safety replies give."""
    checkin_script: CheckinScript | None = None
    """The day's check-in questions; None: open conversation only."""


@dataclass(slots=True)
class _Reply:
    """The reply in flight."""

    turn: int
    task: asyncio.Task[None]
    speaker: ReplySpeaker


class Responder:
    """Answers one session's turns; call ``greet`` once, then ``answer`` per final turn,
    ``interrupt`` on barge-in, and ``closing_summary`` when the client ends."""

    def __init__(
        self,
        engines: Engines,
        send: Send,
        spawn: Spawn,
        settings: SessionSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engines = engines
        self._send = send
        self._spawn = spawn
        self._settings = settings
        self._clock = clock
        script = settings.checkin_script
        self._conversation = Conversation(
            CheckinFlow(script) if script is not None else None,
            safety_locale=settings.safety_locale,
        )
        self.reply: _Reply | None = None
        """The reply in flight or last spoken (its speaker knows when its audio ended)."""

    def greet(self, now: datetime) -> None:
        """Turn 0: the check-in's greeting and first question, or a greeting for the hour."""
        text = self._conversation.opening(greeting(now))
        self._start(0, None, TurnPlan(then=text), endpoint_at=None, stt_ms=None)

    async def answer(
        self,
        turn: int,
        said: str,
        *,
        endpoint_at: float,
        stt_ms: float | None,
        cues_summary: str = "",
    ) -> None:
        """Safety first (a recognised risk gets a scripted reply; the model is not called),
        then the check-in script, then the model."""
        verdict = await self._engines.safety_verdict(said)
        plan = self._conversation.plan(said, cues_summary, verdict)
        if plan.safety is not None:
            await self._send(
                Safety(
                    turn=turn,
                    level=plan.safety.level.value,
                    category=(plan.safety.category or RiskCategory.DISTRESS).value,
                    resources=plan.resources,
                )
            )
        if plan.summary is not None:
            await self._send(self._summary_message(plan.summary))
        self._start(turn, said, plan, endpoint_at=endpoint_at, stt_ms=stt_ms)

    def closing_summary(self) -> Summary | None:
        """The check-in's summary when the client ends mid check-in (None if nothing to say)."""
        summary = self._conversation.final_summary()
        return self._summary_message(summary) if summary else None

    def _summary_message(self, summary: CheckinSummary) -> Summary:
        level = self._conversation.highest_level
        flag = level.value if level is not SafetyLevel.NONE else None
        return Summary(items=summary.items, text=summary.text, safety=flag)

    def _start(
        self,
        turn: int,
        user_text: str | None,
        plan: TurnPlan,
        *,
        endpoint_at: float | None,
        stt_ms: float | None,
    ) -> None:
        speaker = ReplySpeaker(
            turn,
            self._engines,
            self._send,
            clock=self._clock,
            lead_seconds=self._settings.audio_lead_seconds,
            endpoint_at=endpoint_at,
            stt_ms=stt_ms,
            guard=self._guard,
            shaper=ReplyShaper(2, allow_question=False) if plan.reflect_only else ReplyShaper(),
        )
        source = self._model_reply(plan.model, speaker) if plan.model is not None else None
        task = self._spawn(self._run_reply(speaker, source, plan.then, user_text))
        self.reply = _Reply(turn, task, speaker)

    def _guard(self, sentence: str) -> GuardResult:
        return guard_reply(sentence, self._settings.safety_locale)

    async def _model_reply(
        self, messages: list[ChatMessage], speaker: ReplySpeaker
    ) -> AsyncIterator[str]:
        started = self._clock()
        first = True
        try:
            async for piece in self._engines.stream_reply(messages):
                if first:
                    speaker.llm_first_token_ms = (self._clock() - started) * 1000.0
                    first = False
                yield piece
        except ChatError as exc:
            _LOGGER.warning("language model failed (%s); speaking the fallback", exc.code)
            yield FALLBACK_REPLY if first else " " + FALLBACK_REPLY

    async def _run_reply(
        self,
        speaker: ReplySpeaker,
        source: AsyncIterator[str] | None,
        then: str | None,
        user_text: str | None,
    ) -> None:
        try:
            await speaker.run(source, then)
        finally:
            if user_text is not None:
                self._conversation.record(user_text, speaker.spoken_text)
            if self._settings.log_content:
                _LOGGER.info("turn %d reply: %s", speaker.turn, speaker.spoken_text)

    async def interrupt(self) -> None:
        """Barge-in: stop the reply in flight; its speaker reports it as interrupted."""
        reply, self.reply = self.reply, None
        if reply is None or reply.task.done():
            return
        reply.speaker.interrupted = True
        reply.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reply.task
