"""One websocket connection: hello, then messages routed to a CheckinSession.

Protocol errors are answered with an ``error`` message and the connection lives
on; only a bad start (no valid hello), an oversized frame, or an internal failure
ends it. Exception text never goes on the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from asyncio import FIRST_COMPLETED
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from voice.audio.endpointer import EndpointerConfig
from voice.errors import Disconnected, ProtocolError, VoiceError
from voice.prosody.baseline import BaselineStore
from voice.protocol import (
    AudioEncoding,
    AudioSpec,
    Bye,
    Commit,
    End,
    Error,
    ErrorCode,
    Hello,
    Ready,
    Text,
    check_audio_frame,
    decode_client,
    encode,
)
from voice.server.state import ServerState
from voice.session.session import CheckinSession, SessionSettings

_LOGGER = logging.getLogger(__name__)

CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_INTERNAL = 1011
CLOSE_TRY_LATER = 1013

_INTERNAL_MESSAGE = "something went wrong on the server"


class Connection:
    """Runs one client from accept to close. Call ``run`` once."""

    def __init__(self, websocket: WebSocket, state: ServerState) -> None:
        self._ws = websocket
        self._state = state
        self._send_lock = asyncio.Lock()
        self._closed = False
        self.session_id = uuid.uuid4().hex[:16]

    async def run(self) -> None:
        """Accept, greet, serve messages until the client leaves, and clean up."""
        await self._ws.accept()
        state = self._state
        if state.engines is None:
            await self._fail(ErrorCode.NOT_READY, "the models are still loading", CLOSE_TRY_LATER)
            return
        if state.active_sessions >= state.limits.max_sessions:
            await self._fail(ErrorCode.OVERLOADED, "too many check-ins right now", CLOSE_TRY_LATER)
            return
        state.active_sessions += 1
        session: CheckinSession | None = None
        try:
            hello = await self._receive_hello()
            if hello is None:
                return
            session = self._new_session(hello)
            await self.send(
                Ready(
                    session_id=self.session_id,
                    tts_audio=AudioSpec(AudioEncoding.PCM_S16LE, state.engines.tts_rate_hz, 1),
                )
            )
            _LOGGER.info("session %s started", self.session_id)
            await session.start()
            await self._serve(session, hello.audio)
        except (Disconnected, WebSocketDisconnect):
            pass
        except Exception:
            _LOGGER.exception("session %s failed", self.session_id)
            await self._fail(ErrorCode.INTERNAL, _INTERNAL_MESSAGE, CLOSE_INTERNAL)
        finally:
            state.active_sessions -= 1
            if session is not None:
                await session.close()
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

    def _new_session(self, hello: Hello) -> CheckinSession:
        assert self._state.engines is not None
        silence = hello.endpoint_silence_ms or self._state.limits.endpoint_silence_ms
        settings = SessionSettings(
            endpointer=EndpointerConfig(end_silence_ms=silence),
            log_content=self._state.limits.log_content,
            safety_locale=self._state.limits.safety_locale,
            checkin_script=None if hello.checkin is False else self._state.limits.checkin_script,
        )
        baseline_dir = self._state.limits.baseline_dir
        return CheckinSession(
            self._state.engines,
            self.send,
            input_rate_hz=hello.audio.sample_rate,
            settings=settings,
            user=hello.user,
            baselines=BaselineStore(baseline_dir) if baseline_dir is not None else None,
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
        idle = self._state.limits.idle_timeout_seconds
        while not self._closed:
            receive = asyncio.ensure_future(self._ws.receive())
            either: set[asyncio.Future[Any]] = {receive, failed}
            await asyncio.wait(either, timeout=idle, return_when=FIRST_COMPLETED)
            if not receive.done():
                receive.cancel()
                if failed.done():
                    await self._fail(ErrorCode.INTERNAL, _INTERNAL_MESSAGE, CLOSE_INTERNAL)
                else:
                    await self._fail(ErrorCode.TIMEOUT, "closed after a long silence", CLOSE_NORMAL)
                return
            message = receive.result()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("bytes")
            try:
                if data is not None:
                    check_audio_frame(data, audio)
                    await session.on_audio(data)
                    continue
                decoded = decode_client(message.get("text") or "")
            except ProtocolError as exc:
                if exc.code == ErrorCode.TOO_LARGE and data is not None:
                    await self._fail(exc.code, exc.message, CLOSE_TOO_BIG)
                    return
                await self.send(Error(code=exc.code, message=exc.message))
                continue
            if isinstance(decoded, Commit):
                await session.on_commit()
            elif isinstance(decoded, Text):
                await session.on_text(decoded.text)
            elif isinstance(decoded, End):
                if (summary := session.closing_summary()) is not None:
                    await self.send(summary)
                await self.send(Bye())
                await self._close(CLOSE_NORMAL)
                return
            else:  # a second hello
                await self.send(Error(code=ErrorCode.BAD_MESSAGE, message="hello was already sent"))

    async def _fail(self, code: str, message: str, close_code: int) -> None:
        with contextlib.suppress(Disconnected, VoiceError):
            await self.send(Error(code=code, message=message))
        await self._close(close_code)

    async def _close(self, code: int) -> None:
        self._closed = True
        if self._ws.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
                await self._ws.close(code)
