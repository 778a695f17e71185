"""The person's own space over HTTP, under ``/api/v1/my``: their check-ins (words, cues,
answers, safety events, the recording as a WAV), trends as numbers and as an SVG chart,
their safety plan, what is kept, export and erase. Each request carries the pairing token
(``Authorization: Bearer``); a person sees only their own records. Errors are fixed
sentences with stable codes: never content, never input."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from voice.accounts.consent import ConsentState
from voice.errors import ProtocolError, VoiceError
from voice.protocol import Consent
from voice.protocol.fields import Fields
from voice.records import Records
from voice.records.documents import SAFETY_PLAN
from voice.records.erase import erase_person
from voice.records.export import export_person
from voice.records.reader import CheckinDetail, CheckinListing
from voice.records.timeline import wav_bytes
from voice.records.trends import Day, chart_svg, daily, local_date
from voice.safety.plan import SECTIONS, checked_plan
from voice.server.signin import API_PREFIX, api_error
from voice.server.state import ServerState

MAX_BODY_BYTES = 64 * 1024
DEFAULT_DAYS, MIN_DAYS, MAX_DAYS = 56, 7, 365
MAX_OFFSET = 14 * 60  # minutes: UTC-14:00 to UTC+14:00
_NOT_FOUND = {"not_found"}


def _listing(item: CheckinListing) -> dict[str, object]:
    return {
        "id": item.id,
        "started_at": item.started_at.isoformat(),
        "audio_ms": item.audio_ms,
        "has_audio": item.has_audio,
        "has_words": item.has_words,
        "safety_events": item.safety_events,
    }


def _detail(detail: CheckinDetail) -> dict[str, object]:
    return {
        **_listing(detail.listing),
        "turns": [
            {"turn": t.turn, "speaker": t.speaker, "at_ms": t.at_ms, "text": t.text, "cues": t.cues}
            for t in detail.turns
        ],
        "summary": detail.summary,
        "safety_events": list(detail.safety),
    }


def _consent(state: ConsentState, therapists: list[str]) -> dict[str, object]:
    return {
        "consent": {
            **state.consent.to_json(),
            "version": state.version,
            "agreed_at": state.agreed_at.isoformat() if state.agreed_at else None,
        },
        "therapists": therapists,
    }


Handler = Callable[[Request, str, Records], Awaitable[Response]]


def person_router(state: ServerState) -> APIRouter:
    """The person's routes, bound to the server's accounts and records."""
    api = _PersonApi(state)
    router = APIRouter(prefix=f"{API_PREFIX}/my")
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "", api.me),
        ("GET", "/checkins", api.checkins),
        ("GET", "/checkins/{checkin_id}", api.checkin),
        ("GET", "/checkins/{checkin_id}/audio", api.audio),
        ("GET", "/trends", api.trends),
        ("GET", "/trends.svg", api.trends_svg),
        ("GET", "/safety-plan", api.plan),
        ("PUT", "/safety-plan", api.put_plan),
        ("GET", "/consent", api.consent),
        ("PUT", "/consent", api.put_consent),
        ("POST", "/export", api.export),
        ("POST", "/erase", api.erase),
    ]
    for method, path, handler in routes:
        router.add_api_route(path, api.endpoint(handler), methods=[method])
    return router


def _now() -> datetime:
    return datetime.now(UTC)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ProtocolError("the request is too large")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ProtocolError("send a JSON object") from None
    if not isinstance(data, dict):
        raise ProtocolError("send a JSON object")
    return data


def _whole(request: Request, name: str, default: int, low: int, high: int) -> int:
    """A whole-number query parameter in ``low..high`` (``ProtocolError`` otherwise)."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw) if len(raw) <= 8 else low - 1
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ProtocolError(f"{name} must be a whole number from {low} to {high}")
    return value


async def _audit(records: Records, person: str, action: str, at: datetime) -> None:
    actor = f"person:{person}"
    await asyncio.to_thread(records.audit.append, actor, action, actor, at)


class _PersonApi:
    """The handlers: each gets the request, the authenticated person and the records."""

    def __init__(self, state: ServerState) -> None:
        self._state = state

    def endpoint(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """A route function that authenticates, then runs ``handler``."""

        async def route(request: Request) -> Response:
            return await self._as_person(request, handler)

        return route

    async def _as_person(self, request: Request, handler: Handler) -> Response:
        accounts, records = self._state.access.accounts, self._state.access.records
        if accounts is None or records is None:
            return api_error(503, "no_records", "this server keeps no records")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not 0 < len(token) <= 256:
            return api_error(401, "unauthorized", "pair this device first")
        person = await asyncio.to_thread(accounts.person_for_token, token.strip())
        if person is None:
            return api_error(401, "unauthorized", "this device is not paired, or was unpaired")
        try:
            return await handler(request, person, records)
        except ProtocolError as exc:
            return api_error(400, "bad_request", exc.message)
        except VoiceError as exc:
            if exc.code in _NOT_FOUND:
                return api_error(404, "not_found", "there is no such check-in")
            if exc.code == "tampered":
                return api_error(500, "tampered", "this record failed its integrity check")
            return api_error(500, exc.code, "the records cannot be read or written now")

    # --- check-ins ------------------------------------------------------------------------

    async def me(self, _request: Request, person: str, _records: Records) -> Response:
        return JSONResponse({"name": person})

    async def checkins(self, _request: Request, person: str, records: Records) -> Response:
        found = await asyncio.to_thread(records.reader.listing, person)
        return JSONResponse({"checkins": [_listing(c) for c in found]})

    async def checkin(self, request: Request, person: str, records: Records) -> Response:
        checkin_id = request.path_params["checkin_id"]
        detail = await asyncio.to_thread(records.reader.detail, person, checkin_id, _now())
        return JSONResponse(_detail(detail))

    async def audio(self, request: Request, person: str, records: Records) -> Response:
        checkin_id = request.path_params["checkin_id"]
        tracks = await asyncio.to_thread(records.reader.tracks, person, checkin_id, _now())
        if tracks is None:
            return api_error(404, "not_found", "no recording was kept of this check-in")
        data = await asyncio.to_thread(wav_bytes, tracks)
        return Response(data, media_type="audio/wav", headers={"cache-control": "no-store"})

    # --- trends -------------------------------------------------------------------------

    async def _days(
        self, request: Request, person: str, records: Records
    ) -> tuple[list[Day], date, date]:
        days = _whole(request, "days", DEFAULT_DAYS, MIN_DAYS, MAX_DAYS)
        offset = timedelta(minutes=_whole(request, "offset", 0, -MAX_OFFSET, MAX_OFFSET))
        last = local_date(_now(), offset)
        first = last - timedelta(days=days - 1)

        def read() -> list[CheckinDetail]:
            return [
                records.reader.detail(person, c.id, _now())
                for c in records.reader.listing(person)
                if local_date(c.started_at, offset) >= first
            ]

        return daily(await asyncio.to_thread(read), offset), first, last

    async def trends(self, request: Request, person: str, records: Records) -> Response:
        days, _first, _last = await self._days(request, person, records)
        return JSONResponse({"days": [d.to_json() for d in days]})

    async def trends_svg(self, request: Request, person: str, records: Records) -> Response:
        days, first, last = await self._days(request, person, records)
        svg = chart_svg(days, first=first, last=last)
        return Response(svg, media_type="image/svg+xml", headers={"cache-control": "no-store"})

    # --- safety plan and consent --------------------------------------------------------

    async def plan(self, _request: Request, person: str, records: Records) -> Response:
        found = await asyncio.to_thread(records.documents.read, person, SAFETY_PLAN)
        stored = dict(found or {})
        updated = stored.pop("updated_at", None)
        return JSONResponse(
            {
                "plan": {name: str(stored.get(name, "")) for name, _ in SECTIONS},
                "sections": [list(s) for s in SECTIONS],
                "updated_at": updated,
            }
        )

    async def put_plan(self, request: Request, person: str, records: Records) -> Response:
        plan: dict[str, Any] = checked_plan((await _body(request)).get("plan"))
        at = _now()
        plan["updated_at"] = at.isoformat()
        await asyncio.to_thread(records.documents.write, person, SAFETY_PLAN, plan, at)
        return await self.plan(request, person, records)

    async def consent(self, _request: Request, person: str, _records: Records) -> Response:
        accounts = self._state.access.accounts
        assert accounts is not None
        in_force = await asyncio.to_thread(accounts.consents().in_force, person)
        linked = await asyncio.to_thread(accounts.linked_therapists, person)
        return JSONResponse(_consent(in_force, linked))

    async def put_consent(self, request: Request, person: str, records: Records) -> Response:
        choice = Consent.read(Fields(await _body(request), "consent"))
        accounts = self._state.access.accounts
        assert accounts is not None
        at = _now()
        await asyncio.to_thread(accounts.consents().record, person, choice, at)
        await _audit(records, person, "consent", at)
        return await self.consent(request, person, records)

    # --- export and erase ---------------------------------------------------------------

    async def export(self, _request: Request, person: str, records: Records) -> Response:
        at = _now()

        def build() -> bytes:
            files = export_person(records.reader, records.documents, person, at)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for path, data in files.items():
                    archive.writestr(path, data)
            return out.getvalue()

        data = await asyncio.to_thread(build)
        await _audit(records, person, "export", at)
        headers = {
            "content-disposition": f'attachment; filename="voice-export-{at:%Y-%m-%d}.zip"',
            "cache-control": "no-store",
        }
        return Response(data, media_type="application/zip", headers=headers)

    async def erase(self, request: Request, person: str, records: Records) -> Response:
        if (await _body(request)).get("confirm") != person:
            raise ProtocolError("type your name exactly to confirm")
        at = _now()
        await asyncio.to_thread(erase_person, records.engine, records.keyring, person, at)
        await _audit(records, person, "erase", at)
        return JSONResponse({"erased": True})
