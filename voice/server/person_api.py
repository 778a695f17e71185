"""The person's own space over HTTP, under ``/api/v1/my``: their check-ins (words, cues,
answers, safety events, the recording as a WAV), trends as numbers and as an SVG chart,
their safety plan, what is kept, export and erase. Each request carries the pairing token
(``Authorization: Bearer``); a person sees only their own records. Errors are fixed
sentences with stable codes: never content, never input."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from voice.accounts.consent import ConsentState
from voice.errors import ProtocolError
from voice.protocol import Consent
from voice.protocol.fields import Fields
from voice.records import Records
from voice.records.documents import SAFETY_PLAN
from voice.records.erase import erase_person
from voice.records.export import export_person
from voice.records.timeline import wav_bytes
from voice.records.trends import chart_svg
from voice.safety.plan import SECTIONS, checked_plan
from voice.server.records_http import (
    answered,
    audit,
    body_json,
    detail_json,
    listing_json,
    now,
    trend_days,
)
from voice.server.signin import API_PREFIX, api_error
from voice.server.state import ServerState


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
        return await answered(handler(request, person, records))

    # --- check-ins ------------------------------------------------------------------------

    async def me(self, _request: Request, person: str, _records: Records) -> Response:
        return JSONResponse({"name": person})

    async def checkins(self, _request: Request, person: str, records: Records) -> Response:
        found = await asyncio.to_thread(records.reader.listing, person)
        return JSONResponse({"checkins": [listing_json(c) for c in found]})

    async def checkin(self, request: Request, person: str, records: Records) -> Response:
        checkin_id = request.path_params["checkin_id"]
        detail = await asyncio.to_thread(records.reader.detail, person, checkin_id, now())
        return JSONResponse(detail_json(detail))

    async def audio(self, request: Request, person: str, records: Records) -> Response:
        checkin_id = request.path_params["checkin_id"]
        tracks = await asyncio.to_thread(records.reader.tracks, person, checkin_id, now())
        if tracks is None:
            return api_error(404, "not_found", "no recording was kept of this check-in")
        data = await asyncio.to_thread(wav_bytes, tracks)
        return Response(data, media_type="audio/wav", headers={"cache-control": "no-store"})

    # --- trends -------------------------------------------------------------------------

    async def trends(self, request: Request, person: str, records: Records) -> Response:
        days, _first, _last = await trend_days(request, person, records)
        return JSONResponse({"days": [d.to_json() for d in days]})

    async def trends_svg(self, request: Request, person: str, records: Records) -> Response:
        days, first, last = await trend_days(request, person, records)
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
        plan: dict[str, Any] = checked_plan((await body_json(request)).get("plan"))
        at = now()
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
        choice = Consent.read(Fields(await body_json(request), "consent"))
        accounts = self._state.access.accounts
        assert accounts is not None
        at = now()
        await asyncio.to_thread(accounts.consents().record, person, choice, at)
        await audit(records, f"person:{person}", "consent", f"person:{person}", at)
        return await self.consent(request, person, records)

    # --- export and erase ---------------------------------------------------------------

    async def export(self, _request: Request, person: str, records: Records) -> Response:
        at = now()

        def build() -> bytes:
            files = export_person(records.reader, records.documents, person, at)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for path, data in files.items():
                    archive.writestr(path, data)
            return out.getvalue()

        data = await asyncio.to_thread(build)
        await audit(records, f"person:{person}", "export", f"person:{person}", at)
        headers = {
            "content-disposition": f'attachment; filename="voice-export-{at:%Y-%m-%d}.zip"',
            "cache-control": "no-store",
        }
        return Response(data, media_type="application/zip", headers=headers)

    async def erase(self, request: Request, person: str, records: Records) -> Response:
        if (await body_json(request)).get("confirm") != person:
            raise ProtocolError("type your name exactly to confirm")
        at = now()
        await asyncio.to_thread(erase_person, records.engine, records.keyring, person, at)
        await audit(records, f"person:{person}", "erase", f"person:{person}", at)
        return JSONResponse({"erased": True})
