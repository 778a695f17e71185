"""One check-in conversation: the owner of every turn and every task a session starts.

Read this file to follow a turn. Audio goes to ``Hearing`` (clock-free), which reports a
turn's start and end and when to transcribe before the end. A spoken turn then moves
through its states (``voice.session.turn``) in ``_finish``: words (an early transcript
when the person paused, or a new one: ``voice.session.early``, which also holds a reply
begun at the pause), cues, then ``_answer``: the ``Responder`` decides
(safety first) and the reply is spoken by ``ReplyInFlight`` (``voice.session.in_flight``),
the one reply in flight, which a barge-in interrupts. Messages leave through the one
``send`` the edge gave the session.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from voice.audio.endpointer import TurnEnded, TurnStarted
from voice.engines.workers import Engines
from voice.prosody.baseline import BaselineKeeper
from voice.prosody.measure import ProsodyFeatures, with_words, word_count
from voice.protocol import SpeechStarted, SpeechStopped, Summary, Transcript
from voice.session.config import SessionSettings
from voice.session.cues import SessionCues
from voice.session.early import AheadOfTheEnd, Early, Prosody, Words
from voice.session.hearing import (
    Hearing,
    HearingEvent,
    PartialDue,
    PauseHeard,
    SpeechResumed,
)
from voice.session.in_flight import ReplyInFlight, Send
from voice.session.responder import Responder
from voice.session.speaker import ReplyTiming
from voice.session.turn import TaskSet, Turn, TurnState
from voice.text.unfinished import sounds_unfinished

__all__ = ["CheckinSession", "Send", "SessionSettings"]

_LOGGER = logging.getLogger(__name__)
TURN_OVER = 0.5
"""The end-of-turn model's probability from which a pause ends the turn."""


class CheckinSession:
    """A conversation with one client.

    Call ``start`` once after hello, then ``on_audio`` / ``on_commit`` / ``on_text`` as
    messages arrive, ``closing_summary`` when the client ends, and ``close`` when the
    connection is gone. ``failed`` returns if the session breaks (the edge then closes).
    """

    def __init__(
        self,
        engines: Engines,
        send: Send,
        *,
        input_rate_hz: int,
        settings: SessionSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = datetime.now,
        user: str | None = None,
        baselines: BaselineKeeper | None = None,
    ) -> None:
        self._engines = engines
        self._send = send
        self._settings = settings or SessionSettings()
        self._clock = clock
        self._now = now
        self._hearing = Hearing(
            engines.new_detector(),
            input_rate_hz=input_rate_hz,
            endpointer=self._settings.endpointer,
        )
        self._responder = Responder(engines, self._settings, clock=clock)
        # Cues compare with the person's stored baseline when hello named them and a store
        # is configured; otherwise with this session's earlier turns only.
        self._cues = SessionCues(engines, user, baselines)
        self._tasks = TaskSet()
        self.turns: list[Turn] = []
        """Every turn so far, in order (numbers and states only, never words)."""
        self._user_turns = 0  # the person's turns so far (the greeting is turn 0)
        self._speaking: Turn | None = None  # the spoken turn the person is taking now
        self._finished: asyncio.Future[None] | None = None  # the last ended turn's finish
        self._unanswered = ""  # words of a turn cut short by more speech, not yet answered
        self._ahead = AheadOfTheEnd(engines, self._tasks)  # begun at the latest pause
        self._partial: asyncio.Task[None] | None = None
        self._judging: asyncio.Task[None] | None = None  # the end-of-turn model's, at a pause
        self._replies = ReplyInFlight(
            self._tasks,
            send,
            self._responder,
            clock=clock,
            position=lambda: self._hearing.position_ms,
        )

    # --- the edge's calls ---------------------------------------------------------------

    async def start(self) -> None:
        """Open the check-in: turn 0 is the spoken greeting."""
        turn = Turn(0, TurnState.REPLYING)
        self.turns.append(turn)
        await self._replies.reply(turn, self._responder.greeting(self._now()))

    async def on_audio(self, pcm: bytes) -> None:
        """Hear client audio (in the hello's format, already validated)."""
        busy = self._partial is not None and not self._partial.done()
        await self._heard(self._hearing.feed(pcm, partial_busy=busy))

    async def on_commit(self) -> None:
        """The client says the person is done speaking."""
        await self._heard(self._hearing.commit())

    async def on_text(self, text: str) -> None:
        """A typed turn: answered like a spoken one, without audio."""
        await self._replies.interrupt()
        await self._ahead.drop_reply()
        turn = self._new_turn(TurnState.DECIDING)
        turn.endpoint_at = self._clock()
        await self._send(Transcript(turn=turn.number, text=text, final=True))
        await self._answer(turn, text, cues_summary="")

    def closing_summary(self) -> Summary | None:
        """The check-in's summary when the client ends mid check-in (None if nothing to say)."""
        return self._responder.closing_summary()

    async def failed(self) -> None:
        """Return when a task of this session has failed (it was logged)."""
        await self._tasks.failed()

    async def wait_idle(self) -> None:
        """Wait until nothing is in flight but a reply held for the end of the person's
        turn (used by tests)."""
        await self._tasks.wait_idle(held=self._ahead.held)

    async def close(self) -> None:
        """Cancel everything in flight (the client is gone); keep the baseline's writes."""
        await self._tasks.cancel_all()
        await self._cues.close()

    # --- hearing ------------------------------------------------------------------------

    async def _heard(self, events: list[HearingEvent]) -> None:
        for event in events:
            if isinstance(event, TurnStarted):
                await self._turn_started(event)
            elif isinstance(event, TurnEnded):
                await self._turn_ended(event)
            elif isinstance(event, PauseHeard):
                assert self._speaking is not None
                await self._ahead.paused(self._speaking.number, event)
                if self._settings.endpointer.unfinished_silence_ms is not None:
                    self._hold_if_unfinished(event)
                if self._settings.begin_replies_early:
                    self._ahead.begin(self._speaking, self._write_early)
                if self._engines.turn_model is not None:
                    await self._tasks.cancel(self._judging)  # an older pause's: out of date
                    self._judging = self._tasks.spawn(self._judge(event), critical=False)
            elif isinstance(event, SpeechResumed):
                await self._ahead.drop()  # out of date: free Whisper and the model
            elif isinstance(event, PartialDue):
                assert self._speaking is not None
                if self._engines.stt_busy:
                    continue  # thinned under load: finals first, the next partial is soon
                partial = self._send_partial(self._speaking, event.pcm)
                self._partial = self._tasks.spawn(partial, critical=False)  # an extra

    async def _turn_started(self, event: TurnStarted) -> None:
        previous = self.turns[-1].reply_sent_at_ms if self.turns else None
        if (end_ms := self._hearing.went_on(event, previous)) is not None:
            _LOGGER.info("a turn was ended mid-thought: turns now end at %d ms of silence", end_ms)
        latency = self._replies.response_latency(event.at_ms)
        await self._replies.interrupt()  # barge-in: the person speaks over the reply
        await self._ahead.drop_reply()
        turn = self._speaking = self._new_turn(TurnState.SPEAKING)
        turn.response_latency_s = latency
        await self._send(SpeechStarted(turn=turn.number, at_ms=event.at_ms))

    async def _turn_ended(self, event: TurnEnded) -> None:
        turn, self._speaking = self._speaking, None
        assert turn is not None
        turn.move(TurnState.TRANSCRIBING)
        turn.endpoint_at = self._clock()
        await self._tasks.cancel(self._partial)  # it would only be dropped: free Whisper
        await self._send(SpeechStopped(turn=turn.number, at_ms=event.at_ms))
        early = await self._ahead.take(turn.number, event.at_ms)
        if early is not None:
            words, prosody = early.words, early.prosody
        else:
            words, prosody = self._ahead.transcribe(event.pcm), self._ahead.measure(event.pcm)
        # Turns finish in the order they ended: a turn's words are merged into the next
        # one's answer only if they are ready first.
        previous = self._finished
        self._finished = asyncio.get_running_loop().create_future()
        self._tasks.spawn(self._finish(turn, words, prosody, previous, self._finished))

    async def _judge(self, pause: PauseHeard) -> None:
        """Ask the end-of-turn model whether the person has finished at ``pause``; a model
        that fails leaves the turn to the plain silence rule."""
        try:
            complete: bool | None = await self._engines.turn_complete(pause.pcm) >= TURN_OVER
        except Exception:
            _LOGGER.exception("the end-of-turn model failed; the turn ends on silence")
            complete = None
        if self._judging is asyncio.current_task():
            self._judging = None  # what follows (perhaps the end of the turn) runs to its end
        await self._heard(self._hearing.judge(pause, complete))

    def _hold_if_unfinished(self, pause: PauseHeard) -> None:
        """Read the early transcript begun at ``pause``; words that stop mid-sentence ("I
        went to the shop and") keep the turn open longer (``Hearing.hold``)."""
        early = self._ahead.early
        if early is None:
            return

        async def read() -> None:
            try:
                heard = (await asyncio.shield(early.words)).value
            except Exception:  # the turn's own transcript reports it; nothing to hold
                return
            if sounds_unfinished(heard.text, punctuated=heard.punctuated):
                self._hearing.hold(pause)

        self._tasks.spawn(read(), critical=False)

    # --- a reply begun at a pause ---------------------------------------------------------

    async def _write_early(self, turn: Turn, early: Early) -> None:
        """Write the reply on the early transcript (``AheadOfTheEnd.begin``), held, when it
        can only be a free reply by the model (``Responder.begin_early``)."""
        try:
            # shielded: dropping this reply must not cancel the turn's own transcript
            text = (await asyncio.shield(early.words)).value.text
            summary = ""
            if text and self._settings.voice_notes:
                prosody = (await asyncio.shield(early.prosody)).value
                features = self._features(turn, prosody, text)
                summary = await self._cues.summary_for(features)
        except Exception:  # the turn's own path meets the same failure and answers it
            return
        said = f"{self._unanswered} {text}".strip()
        begun = self._ahead.begun_on(early)
        if not text or begun is None:
            return
        answer = await self._responder.begin_early(turn.number, said, cues_summary=summary)
        if answer is None or self._ahead.begun_on(early) is not begun:
            return
        begun.answer, begun.written_from = answer, self._clock()
        await self._replies.speak(turn, answer)  # held: nothing is sent before ``adopt``

    async def _adopt_begun(self, turn: Turn, said: str, cues_summary: str) -> bool:
        """Let out the reply begun at the pause if it answers exactly this turn's words."""
        begun = await self._ahead.adoptable(turn)
        if begun is None or begun.answer is None:
            return False
        answer = begun.answer
        timing = ReplyTiming(turn.endpoint_at, turn.stt_ms, turn.stt_wait_ms)
        if not self._responder.adopt(answer, said, cues_summary=cues_summary, timing=timing):
            await self._ahead.discard(begun)
            return False
        ahead_ms = ((turn.endpoint_at or begun.written_from) - begun.written_from) * 1000.0
        _LOGGER.info(
            "turn %d: reply begun at the pause: let out, begun %.0f ms before the turn's end",
            turn.number,
            ahead_ms,
        )
        await self._replies.adopt(turn, answer, begun.task)
        turn.move(TurnState.REPLYING)
        return True

    async def _send_partial(self, turn: Turn, pcm: bytes) -> None:
        result = (await self._engines.transcribe(pcm, partial=True)).value
        if turn.state is TurnState.SPEAKING and result.text:  # never after its final
            await self._send(Transcript(turn=turn.number, text=result.text, final=False))

    # --- a spoken turn, from its end to its answer ---------------------------------------

    async def _finish(
        self,
        turn: Turn,
        words: Words,
        prosody: Prosody,
        previous: asyncio.Future[None] | None,
        finished: asyncio.Future[None],
    ) -> None:
        try:
            try:
                heard = await words
                result, turn.stt_ms, turn.stt_wait_ms = heard.value, heard.work_ms, heard.wait_ms
            except Exception as exc:  # Whisper failed: ask again rather than end the session
                _LOGGER.warning(
                    "turn %d: transcription failed (%s)", turn.number, type(exc).__name__
                )
                result = None
            if previous is not None:
                await previous  # the turn before is transcribed and merged (or answered) first
            if result is None:
                await self._not_heard(turn)
                return
            _LOGGER.info(
                "turn %d: stt %.0f ms for %.2f s of audio, ready %.0f ms after the endpoint",
                turn.number,
                turn.stt_ms,
                result.audio_seconds,
                (self._clock() - (turn.endpoint_at or 0.0)) * 1000.0,
            )
            await self._send(Transcript(turn=turn.number, text=result.text, final=True))
            if self._settings.log_content:
                _LOGGER.info("turn %d transcript: %s", turn.number, result.text)
            if not result.text:
                turn.move(TurnState.EMPTY)  # noise or a cough: nothing to answer or learn
                return
            summary = await self._send_cues(turn, prosody, result.text)
            said = f"{self._unanswered} {result.text}".strip()
            if turn is not self.turns[-1]:
                # The person went on speaking before we answered: answer both together.
                self._unanswered = said
                turn.move(TurnState.MERGED)
                return
            self._unanswered = ""
            turn.move(TurnState.DECIDING)
            await self._answer(turn, said, cues_summary=summary)
        finally:
            if not finished.done():
                finished.set_result(None)

    async def _not_heard(self, turn: Turn) -> None:
        """The turn's words could not be made out (Whisper failed): say so and ask again;
        the session goes on."""
        turn.move(TurnState.DECIDING)
        answer = self._responder.not_heard(turn.number, ReplyTiming(turn.endpoint_at))
        turn.move(TurnState.REPLYING)
        await self._replies.reply(turn, answer)

    async def _send_cues(self, turn: Turn, prosody: Prosody, text: str) -> str:
        """Send the turn's ``cues``; return their summary for the prompt (none when the
        person has not asked for voice notes). Cues are an extra: if they fail, the turn
        goes on without them."""
        try:
            timed = await prosody
            features = self._features(turn, timed.value, text)
            cues = await self._cues.cues_for(turn.number, features)
        except Exception as exc:  # a Praat failure must not cost the person their answer
            _LOGGER.warning("turn %d: no prosody cues (%s)", turn.number, type(exc).__name__)
            return ""
        _LOGGER.info("turn %d: prosody %.0f ms", turn.number, timed.work_ms)
        await self._send(cues)
        return cues.summary if self._settings.voice_notes else ""

    @staticmethod
    def _features(turn: Turn, measured: ProsodyFeatures, text: str) -> ProsodyFeatures:
        return with_words(
            measured, word_count=word_count(text), response_latency_seconds=turn.response_latency_s
        )

    async def _answer(self, turn: Turn, said: str, *, cues_summary: str) -> None:
        """Decide (safety first), send the notices, and start speaking the reply (or let
        out the one begun at the pause, if it answers the same words)."""
        if await self._adopt_begun(turn, said, cues_summary):
            return
        answer = await self._responder.answer(
            turn.number,
            said,
            cues_summary=cues_summary,
            timing=ReplyTiming(turn.endpoint_at, turn.stt_ms, turn.stt_wait_ms),
        )
        for notice in answer.notices:
            await self._send(notice)
        turn.move(TurnState.REPLYING)
        await self._replies.reply(turn, answer)

    def _new_turn(self, state: TurnState) -> Turn:
        self._user_turns += 1
        turn = Turn(self._user_turns, state)
        self.turns.append(turn)
        return turn
