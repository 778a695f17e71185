"""The person's own space over HTTP, under ``/api/v1/my``: their check-ins (words, cues,
answers, safety events, the recording as a WAV), trends as numbers and as an SVG chart,
their safety plan, what is kept, export and erase. Each request carries the pairing token
(``Authorization: Bearer``); a person sees only their own records. Errors are fixed
sentences with stable codes: never content, never input."""

from __future__ import annotations

import asyncio
import io
import zipfile
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from voice.accounts import AccountStore
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
from voice.server import api_schema as schema
from voice.server.api_errors import Refused, not_found
from voice.server.records_http import (
    TrendQuery,
    audit,
    body_json,
    detail_json,
    listing_json,
    now,
    trend_days,
)
from voice.server.signin import API_PREFIX
from voice.server.state import ServerState

_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="pairing",
    description="The pairing token a person's device was given (Authorization: Bearer).",
)
_NO_STORE = {"cache-control": "no-store"}


@dataclass(frozen=True, slots=True)
class Person:
    """The paired person a request comes from, and the stores to answer it."""

    name: str
    accounts: AccountStore
    records: Records


async def the_person(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> Person:
    """The person whose pairing token came with the request (401 otherwise)."""
    state: ServerState = request.app.state.voice
    accounts, records = state.access.accounts, state.access.records
    if accounts is None or records is None:
        raise Refused(503, "no_records", "this server keeps no records")
    token = bearer.credentials.strip() if bearer is not None else ""
    if not 0 < len(token) <= 256:
        raise Refused(401, "unauthorized", "pair this device first")
    name = await asyncio.to_thread(accounts.person_for_token, token)
    if name is None:
        raise Refused(401, "unauthorized", "this device is not paired, or was unpaired")
    return Person(name, accounts, records)


Me = Annotated[Person, Depends(the_person)]


def person_router() -> APIRouter:
    """The person's routes."""
    router = APIRouter(
        prefix=f"{API_PREFIX}/my",
        tags=["the person's own"],
        responses=schema.errors(401, 403, 503),
    )
    one = "/checkins/{checkin_id}"
    router.get("", response_model=schema.Me)(me)
    router.get("/checkins", response_model=schema.Checkins)(checkins)
    router.get(one, response_model=schema.Checkin, responses=schema.errors(404, 500))(checkin)
    router.get(
        f"{one}/audio",
        response_class=Response,
        responses={**schema.content("audio/wav", "The recording"), **schema.errors(404, 500)},
    )(audio)
    router.get("/trends", response_model=schema.Trends, responses=schema.errors(400))(trends)
    router.get(
        "/trends.svg",
        response_class=Response,
        responses={**schema.content("image/svg+xml", "The chart"), **schema.errors(400)},
    )(trends_svg)
    router.get("/safety-plan", response_model=schema.SafetyPlan)(plan)
    router.put(
        "/safety-plan",
        response_model=schema.SafetyPlan,
        responses=schema.errors(400),
        openapi_extra=schema.body(schema.PlanBody),
    )(put_plan)
    router.get("/consent", response_model=schema.ConsentAnswer)(consent)
    router.put(
        "/consent",
        response_model=schema.ConsentAnswer,
        responses=schema.errors(400),
        openapi_extra=schema.body(schema.ConsentChoice),
    )(put_consent)
    router.post(
        "/export",
        response_class=Response,
        responses={**schema.content("application/zip", "Everything kept"), **schema.errors(500)},
    )(export)
    router.post(
        "/erase",
        response_model=schema.Erased,
        responses=schema.errors(400),
        openapi_extra=schema.body(schema.EraseBody),
    )(erase)
    return router


# --- check-ins ----------------------------------------------------------------------------


async def me(who: Me) -> Response:
    """Who this device is paired to."""
    return JSONResponse({"name": who.name}, headers=_NO_STORE)


async def checkins(who: Me) -> Response:
    """The person's check-ins, newest first."""
    found = await asyncio.to_thread(who.records.reader.listing, who.name)
    return JSONResponse({"checkins": [listing_json(c) for c in found]}, headers=_NO_STORE)


async def checkin(checkin_id: str, who: Me) -> Response:
    """One check-in: turns, cues, answers, safety events."""
    detail = await asyncio.to_thread(who.records.reader.detail, who.name, checkin_id, now())
    return JSONResponse(detail_json(detail), headers=_NO_STORE)


async def audio(checkin_id: str, who: Me) -> Response:
    """The recording: the person's voice left, the companion's right."""
    tracks = await asyncio.to_thread(who.records.reader.tracks, who.name, checkin_id, now())
    if tracks is None:
        raise not_found("no recording was kept of this check-in")
    data = await asyncio.to_thread(wav_bytes, tracks)
    return Response(data, media_type="audio/wav", headers=_NO_STORE)


# --- trends -------------------------------------------------------------------------


async def trends(query: TrendQuery, who: Me) -> Response:
    """Each day's answers and voice measures."""
    days, _first, _last = await trend_days(query, who.name, who.records)
    return JSONResponse({"days": [d.to_json() for d in days]}, headers=_NO_STORE)


async def trends_svg(query: TrendQuery, who: Me) -> Response:
    """The same days as an accessible chart."""
    days, first, last = await trend_days(query, who.name, who.records)
    svg = chart_svg(days, first=first, last=last)
    return Response(svg, media_type="image/svg+xml", headers=_NO_STORE)


# --- safety plan and consent --------------------------------------------------------


async def plan(who: Me) -> Response:
    """The person's safety plan."""
    found = await asyncio.to_thread(who.records.documents.read, who.name, SAFETY_PLAN)
    stored = dict(found or {})
    updated = stored.pop("updated_at", None)
    return JSONResponse(
        {
            "plan": {name: str(stored.get(name, "")) for name, _ in SECTIONS},
            "sections": [list(s) for s in SECTIONS],
            "updated_at": updated,
        },
        headers=_NO_STORE,
    )


async def put_plan(request: Request, who: Me) -> Response:
    """Replace the safety plan (sections left out are empty)."""
    written: dict[str, Any] = checked_plan((await body_json(request, "plan")).get("plan"))
    at = now()
    written["updated_at"] = at.isoformat()
    await asyncio.to_thread(who.records.documents.write, who.name, SAFETY_PLAN, written, at)
    return await plan(who)


def _consent(state: ConsentState, therapists: list[str]) -> dict[str, object]:
    return {
        "consent": {
            **state.consent.to_json(),
            "version": state.version,
            "agreed_at": state.agreed_at.isoformat() if state.agreed_at else None,
        },
        "therapists": therapists,
    }


async def consent(who: Me) -> Response:
    """What is kept and shared, and the linked therapists."""
    in_force = await asyncio.to_thread(who.accounts.consents().in_force, who.name)
    linked = await asyncio.to_thread(who.accounts.linked_therapists, who.name)
    return JSONResponse(_consent(in_force, linked), headers=_NO_STORE)


async def put_consent(request: Request, who: Me) -> Response:
    """A new choice, in force from the next write."""
    choice = Consent.read(
        Fields(await body_json(request, "audio", "transcript", "share"), "consent")
    )
    at = now()
    await asyncio.to_thread(who.accounts.consents().record, who.name, choice, at)
    await audit(who.records, f"person:{who.name}", "consent", f"person:{who.name}", at)
    return await consent(who)


# --- export and erase ---------------------------------------------------------------


async def export(who: Me) -> Response:
    """Everything kept, as a zip: the words as JSON, the recordings as WAVs, a manifest."""
    at = now()

    def build() -> bytes:
        files = export_person(who.records.reader, who.records.documents, who.name, at)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in files.items():
                archive.writestr(path, data)
        return out.getvalue()

    data = await asyncio.to_thread(build)
    await audit(who.records, f"person:{who.name}", "export", f"person:{who.name}", at)
    headers = {
        **_NO_STORE,
        "content-disposition": f'attachment; filename="voice-export-{at:%Y-%m-%d}.zip"',
    }
    return Response(data, media_type="application/zip", headers=headers)


async def erase(request: Request, who: Me) -> Response:
    """Erase everything kept of the person, at once and for good."""
    if (await body_json(request, "confirm")).get("confirm") != who.name:
        raise ProtocolError("type your name exactly to confirm")
    at = now()
    records = who.records
    await asyncio.to_thread(erase_person, records.engine, records.keyring, who.name, at)
    await audit(records, f"person:{who.name}", "erase", f"person:{who.name}", at)
    return JSONResponse({"erased": True})
