"""One websocket connection: admitted, hello, authenticated, then messages routed to a
CheckinSession.

Before ``accept`` the Host, the Origin and (without accounts) the client's address are
checked; a refusal there is an HTTP 403. Nothing else is done before a valid hello and, when
accounts exist, a valid token: only then is a session slot taken. Protocol errors are
answered with an ``error`` message and the connection lives on; only a bad start, an
oversized frame, sustained too-fast audio, a limit or an internal failure ends it.
Exception text never goes on the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from asyncio import FIRST_COMPLETED
from datetime import UTC, datetime
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from voice.audio.endpointer import (
    PAUSE_MS,
    UNSURE_SILENCE_MS,
    EndpointerConfig,
)
from voice.errors import Disconnected, ProtocolError, VoiceError
from voice.protocol import (
    AudioEncoding,
    AudioSpec,
    Bye,
    Commit,
    Consent,
    ConsentInForce,
    End,
    Error,
    ErrorCode,
    Hello,
    Metrics,
    Ping,
    Pong,
    Ready,
    Reply,
    SpeechStarted,
    SpeechStopped,
    Text,
    check_audio_frame,
    decode_client,
    encode,
)
from voice.safety import resources_for
from voice.server.admission import (
    CLOSE_INTERNAL,
    CLOSE_NORMAL,
    CLOSE_POLICY,
    CLOSE_TOO_BIG,
    admit,
    authenticate,
    cooldown_keys,
    refuse,
)
from voice.server.pace import AudioVerdict, ClientPace
from voice.server.recording import Recorder
from voice.server.state import ServerState
from voice.session.session import CheckinSession, SessionSettings
from voice.session.speaker import Outgoing

_LOGGER = logging.getLogger(__name__)


_INTERNAL_MESSAGE = "something went wrong on the server"
_TIME_LIMIT_MESSAGE = "the check-in reached its time limit"
_TOO_FAST_AUDIO = "audio is arriving faster than real time; the extra was dropped"
_TOO_FAST_TEXT = "typed turns are arriving too fast; this one was not answered"
_UNAUTHORIZED_MESSAGE = "this device is not paired with the server, or its pairing was withdrawn"
# What keeps a session from being idle: the person spoke, or a reply to them is playing
# (its audio frames) or just ended.
_ACTIVITY = (SpeechStarted, SpeechStopped, Reply, bytes)


class Connection:
    """Runs one client from accept to close. Call ``run`` once."""

    def __init__(self, websocket: WebSocket, state: ServerState) -> None:
        self._ws = websocket
        self._state = state
        self._send_lock = asyncio.Lock()
        self._closed = False
        self.session_id = uuid.uuid4().hex[:16]
        self._pace: ClientPace | None = None
        self._cooldown_keys: list[str] = []
        self._recorder: Recorder | None = None

    async def run(self) -> None:
        """Admit, accept, greet, serve messages until the client leaves, and clean up."""
        admission = await admit(self._ws, self._state)
        if admission is None:
            with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
                await self._ws.close(CLOSE_POLICY)  # before accept: an HTTP 403
            return
        await self._ws.accept()
        hello = await self._receive_hello()
        if hello is None:
            return
        authenticated, user = await authenticate(self._state, hello, admission.auth_required)
        if not authenticated:
            await self._fail(ErrorCode.UNAUTHORIZED, _UNAUTHORIZED_MESSAGE, CLOSE_POLICY)
            return
        state = self._state
        account = user if admission.auth_required else None
        self._cooldown_keys = cooldown_keys(account, admission.address)
        refusal = refuse(state, account, admission.address, self._cooldown_keys, time.monotonic())
        if refusal is not None:
            await self._fail(*refusal)
            return
        assert state.engines is not None
        state.sessions_started += 1
        session: CheckinSession | None = None
        try:
            consent = await self._consent(hello, account)
            plan = await self._safety_plan(account)
            session = self._new_session(hello, user, account, plan)
            self._recorder = self._new_recorder(hello, account)
            lines = resources_for(state.limits.safety_locale).lines  # help at hand from the start
            await self.send(
                Ready(
                    session_id=self.session_id,
                    tts_audio=AudioSpec(AudioEncoding.PCM_S16LE, state.engines.tts_rate_hz, 1),
                    consent=consent,
                    resources=tuple(line.as_dict() for line in lines),
                )
            )
            _LOGGER.info("session %s started", self.session_id)
            self._pace = ClientPace(state.limits, time.monotonic())
            await session.start()
            await self._serve(session, hello.audio)
        except (Disconnected, WebSocketDisconnect):
            pass
        except Exception:
            _LOGGER.exception("session %s failed", self.session_id)
            await self._fail(ErrorCode.INTERNAL, _INTERNAL_MESSAGE, CLOSE_INTERNAL)
        finally:
            state.slots.release(account, admission.address)
            if session is not None:
                await session.close()
            if self._recorder is not None:
                await self._recorder.close()
            _LOGGER.info("session %s ended", self.session_id)

    async def send(self, item: object) -> None:
        """Send a server message or a bytes frame; after the client left, drop it."""
        if self._closed:
            raise Disconnected
        try:
            async with self._send_lock:
                if isinstance(item, bytes):
                    await self._ws.send_bytes(item)
                else:
                    await self._ws.send_text(encode(item))  # type: ignore[arg-type]
            if isinstance(item, Metrics) and item.turn > 0:
                latency = item.endpoint_to_first_audio_ms
                if latency is not None:
                    self._state.load.record(latency, time.monotonic())
        except (WebSocketDisconnect, RuntimeError, OSError) as exc:
            self._closed = True
            raise Disconnected from exc

    async def _receive_hello(self) -> Hello | None:
        try:
            message = await asyncio.wait_for(
                self._ws.receive(), self._state.limits.hello_timeout_seconds
            )
        except TimeoutError:
            await self._fail(ErrorCode.TIMEOUT, "no hello received in time", CLOSE_POLICY)
            return None
        if message["type"] == "websocket.disconnect":
            return None
        text = message.get("text")
        if text is None:
            await self._fail(ErrorCode.BAD_MESSAGE, "the first message must be hello", CLOSE_POLICY)
            return None
        try:
            hello = decode_client(text)
        except ProtocolError as exc:
            await self._fail(exc.code, exc.message, CLOSE_POLICY)
            return None
        if not isinstance(hello, Hello):
            await self._fail(ErrorCode.BAD_MESSAGE, "the first message must be hello", CLOSE_POLICY)
            return None
        return hello

    async def _session_send(self, item: Outgoing) -> None:
        """The session's way out: what it sends also tells when the person was last there
        (streamed microphone silence does not count)."""
        if isinstance(item, _ACTIVITY) and self._pace is not None:
            self._pace.activity(time.monotonic())
        await self.send(item)
        if self._recorder is not None:
            self._recorder.sent(item)

    async def _consent(self, hello: Hello, account: str | None) -> ConsentInForce:
        """Record ``hello.consent`` as the person's standing choice, if given, and return
        the consent in force. Without an account nothing can be kept, whatever was asked."""
        accounts = self._state.access.accounts
        if account is None or accounts is None:
            return ConsentInForce(Consent())
        store = accounts.consents()
        if hello.consent is not None:
            choice = hello.consent
            now = datetime.now(UTC)
            found = await asyncio.to_thread(store.record, account, choice, now)
            if (records := self._state.access.records) is not None:
                actor = f"person:{account}"
                await asyncio.to_thread(records.audit.append, actor, "consent", actor, now)
        else:
            found = await asyncio.to_thread(store.in_force, account)
        agreed = found.agreed_at.isoformat() if found.agreed_at is not None else None
        return ConsentInForce(found.consent, found.version, agreed)

    async def _safety_plan(self, account: str | None) -> str | None:
        """The person's own safety plan, as a crisis reply would read it (if they wrote one)."""
        records = self._state.access.records
        if account is None or records is None:
            return None
        return await asyncio.to_thread(records.spoken_safety_plan, account)

    def _new_recorder(self, hello: Hello, account: str | None) -> Recorder | None:
        """What keeps this check-in, when there is a person and somewhere to keep it (each
        write still checks the consent in force)."""
        records, engines = self._state.access.records, self._state.engines
        if account is None or records is None or engines is None:
            return None
        rates = {"voice_rate_hz": hello.audio.sample_rate, "reply_rate_hz": engines.tts_rate_hz}
        return Recorder(records.writer(account, **rates), self.send)

    def _new_session(
        self, hello: Hello, user: str | None, account: str | None, plan: str | None
    ) -> CheckinSession:
        """The conversation; a person with an account has their baseline kept in the
        records (under their consent); otherwise it lasts this session."""
        assert self._state.engines is not None
        silence = hello.endpoint_silence_ms or self._state.limits.endpoint_silence_ms
        judged = self._state.engines.turn_model is not None
        settings = SessionSettings(
            endpointer=EndpointerConfig(
                end_silence_ms=silence,
                # With the end-of-turn model: asked at a short pause, and a turn it calls
                # unfinished waits longer for the person to go on.
                pause_ms=min(PAUSE_MS, silence),
                unsure_silence_ms=max(UNSURE_SILENCE_MS, silence) if judged else None,
                # Words that stop mid-sentence at a pause ("...because I") wait as long.
                unfinished_silence_ms=max(UNSURE_SILENCE_MS, silence),
            ),
            log_content=self._state.limits.log_content,
            safety_locale=self._state.limits.safety_locale,
            safety_plan=plan,
            checkin_script=None if hello.checkin is False else self._state.limits.checkin_script,
            voice_notes=hello.cues is not False,
        )
        records = self._state.access.records
        return CheckinSession(
            self._state.engines,
            self._session_send,
            input_rate_hz=hello.audio.sample_rate,
            settings=settings,
            user=user,
            baselines=records.baselines() if records is not None and account is not None else None,
        )

    async def _serve(self, session: CheckinSession, audio: AudioSpec) -> None:
        failed = asyncio.ensure_future(session.failed())
        try:
            await self._serve_messages(session, audio, failed)
        finally:
            failed.cancel()

    async def _serve_messages(
        self, session: CheckinSession, audio: AudioSpec, failed: asyncio.Future[None]
    ) -> None:
        assert self._pace is not None
        pace = self._pace
        while not self._closed:
            deadline = pace.deadline()
            receive = asyncio.ensure_future(self._ws.receive())
            either: set[asyncio.Future[Any]] = {receive, failed}
            wait = max(0.0, deadline.at - time.monotonic())
            await asyncio.wait(either, timeout=wait, return_when=FIRST_COMPLETED)
            if not receive.done():
                receive.cancel()
                if failed.done():
                    await self._fail(ErrorCode.INTERNAL, _INTERNAL_MESSAGE, CLOSE_INTERNAL)
                    return
                if pace.deadline().at > time.monotonic():
                    continue  # the person spoke while we waited
                reason = "closed after a long silence" if deadline.idle else _TIME_LIMIT_MESSAGE
                await self._fail(ErrorCode.TIMEOUT, reason, CLOSE_NORMAL)
                return
            message = receive.result()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("bytes")
            if data is not None:
                if not await self._on_audio(session, data, audio, pace):
                    return
                continue
            try:
                decoded = decode_client(message.get("text") or "")
            except ProtocolError as exc:
                await self.send(Error(code=exc.code, message=exc.message))
                continue
            if not await self._on_message(session, decoded, pace):
                return

    async def _on_audio(
        self, session: CheckinSession, data: bytes, audio: AudioSpec, pace: ClientPace
    ) -> bool:
        """Check, pace and hear one frame; False when the connection has ended."""
        try:
            check_audio_frame(data, audio)
        except ProtocolError as exc:
            if exc.code == ErrorCode.TOO_LARGE:
                await self._fail(exc.code, exc.message, CLOSE_TOO_BIG)
                return False
            await self.send(Error(code=exc.code, message=exc.message))
            return True
        seconds = len(data) / (2 * audio.channels * audio.sample_rate)
        verdict = pace.audio(seconds, time.monotonic())
        if verdict is AudioVerdict.ACCEPT:
            if self._recorder is not None:
                self._recorder.heard(data)
            await session.on_audio(data)
        elif verdict is AudioVerdict.DROP_AND_WARN:
            await self.send(Error(code=ErrorCode.TOO_FAST, message=_TOO_FAST_AUDIO))
        elif verdict is AudioVerdict.CLOSE:
            self._state.cooldowns.start(self._cooldown_keys, time.monotonic())
            await self._fail(ErrorCode.TOO_FAST, _TOO_FAST_AUDIO, CLOSE_POLICY)
            return False
        return True

    async def _on_message(self, session: CheckinSession, decoded: object, pace: ClientPace) -> bool:
        """Act on one client message; False when the connection has ended."""
        if isinstance(decoded, Ping):
            # A heartbeat, not the person: it neither moves the idle clock nor spends the
            # typed-turn allowance, so a page that pings keeps no silent session alive.
            await self.send(Pong(id=decoded.id))
            return True
        _LOGGER.debug("session %s: %s", self.session_id, type(decoded).__name__)
        if isinstance(decoded, Commit):
            await session.on_commit()
        elif isinstance(decoded, Text):
            if pace.text(time.monotonic()):
                await session.on_text(decoded.text)
            else:
                await self.send(Error(code=ErrorCode.TOO_FAST, message=_TOO_FAST_TEXT))
        elif isinstance(decoded, End):
            if self._recorder is not None:
                self._recorder.ended()
            if (summary := session.closing_summary()) is not None:
                await self._session_send(summary)
            await self.send(Bye())
            await self._close(CLOSE_NORMAL)
            return False
        else:  # a second hello
            await self.send(Error(code=ErrorCode.BAD_MESSAGE, message="hello was already sent"))
        return True

    async def _fail(self, code: str, message: str, close_code: int) -> None:
        with contextlib.suppress(Disconnected, VoiceError):
            await self.send(Error(code=code, message=message))
        await self._close(close_code)

    async def _close(self, code: int) -> None:
        self._closed = True
        if self._ws.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
                await self._ws.close(code)
