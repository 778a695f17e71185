"""The listening room's API, under ``/api/v1/people``: a signed-in therapist (the
``voice_session`` cookie) sees the linked people who share with them, each person's
check-ins and trends, one check-in's words, cues, answers, safety events and their own
private notes, the recording (decrypted in memory, with HTTP range requests so a player can
seek) and a download. Sharing is asked on every request, so a withdrawal holds from the
next one; anyone else gets 401 or 404 and nothing of the person. Every read of health data
is an audit entry."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.responses import JSONResponse

from voice.errors import ProtocolError, VoiceError
from voice.records import Records
from voice.records.room import MAX_NOTE_CHARS, Room
from voice.records.timeline import wav_bytes
from voice.records.trends import chart_svg
from voice.server import api_schema as schema
from voice.server.api_errors import Refused, not_found
from voice.server.ranges import ranged_response
from voice.server.records_http import (
    TrendQuery,
    audit,
    body_json,
    detail_json,
    listing_json,
    now,
    trend_days,
)
from voice.server.signin import API_PREFIX, Therapist

_NO_STORE = {"cache-control": "no-store"}
PersonName = Annotated[str, Path(description="The person's name.")]


@dataclass(frozen=True, slots=True)
class Shared:
    """A signed-in therapist, a person who shares with them (asked on this very request),
    and the stores to answer."""

    therapist: str
    person: str
    records: Records
    room: Room

    @property
    def actor(self) -> str:
        """Who the audit log names."""
        return f"therapist:{self.therapist}"


async def the_room(request: Request, therapist: Therapist) -> tuple[str, Records, Room]:
    """The signed-in therapist (401 otherwise), the records and the room."""
    records = request.app.state.voice.access.records
    if records is None:
        raise Refused(503, "no_records", "this server keeps no records")
    if therapist is None:
        raise Refused(401, "unauthorized", "sign in first")
    return therapist, records, Room(records.engine, records.keyring)


InRoom = Annotated[tuple[str, Records, Room], Depends(the_room)]


async def shared_person(person: PersonName, signed_in: InRoom) -> Shared:
    """``person``, if they share with the signed-in therapist now (404 otherwise)."""
    therapist, records, room = signed_in
    try:
        shared = await asyncio.to_thread(room.shares, person, therapist)
    except VoiceError:  # an unknown name: the same answer as not shared
        shared = False
    if not shared:
        raise not_found()
    return Shared(therapist, person, records, room)


Sharing = Annotated[Shared, Depends(shared_person)]


def therapist_router() -> APIRouter:
    """The listening room's routes."""
    router = APIRouter(
        prefix=f"{API_PREFIX}/people",
        tags=["the listening room"],
        responses=schema.errors(401, 403, 503),
    )
    router.get("", response_model=schema.People)(people)
    person = "/{person}"
    one = f"{person}/checkins/{{checkin_id}}"
    shared = schema.errors(404, 500)
    router.get(f"{person}/checkins", response_model=schema.Checkins, responses=shared)(checkins)
    router.get(
        f"{person}/trends", response_model=schema.Trends, responses={**shared, **schema.errors(400)}
    )(trends)
    router.get(
        f"{person}/trends.svg",
        response_class=Response,
        responses={
            **schema.content("image/svg+xml", "The chart"),
            **shared,
            **schema.errors(400),
        },
    )(trends_svg)
    router.get(one, response_model=schema.CheckinForTherapist, responses=shared)(checkin)
    router.get(
        f"{one}/audio",
        response_class=Response,
        responses={
            **schema.content("audio/wav", "The recording, or the range asked for (206)"),
            206: {"content": {"audio/wav": {}}, "description": "The range asked for"},
            416: {"description": "The range lies outside the recording"},
            **shared,
        },
    )(audio)
    router.post(
        f"{one}/notes",
        status_code=201,
        response_model=schema.Note,
        responses={**shared, **schema.errors(400)},
        openapi_extra=schema.body(schema.NoteBody),
    )(add_note)
    router.get(
        f"{one}/download",
        response_class=Response,
        responses={**schema.content("application/zip", "WAV and transcript"), **shared},
    )(download)
    return router


async def people(signed_in: InRoom) -> Response:
    """The people who share with the signed-in therapist, new safety events first."""
    therapist, _records, room = signed_in
    found = await asyncio.to_thread(room.people, therapist)
    return JSONResponse(
        {
            "people": [
                {
                    "name": p.name,
                    "last_checkin_at": p.last_checkin_at.isoformat() if p.last_checkin_at else None,
                    "new_safety_events": p.new_safety_events,
                }
                for p in found
            ]
        },
        headers=_NO_STORE,
    )


# --- reads --------------------------------------------------------------------------


async def checkins(shared: Sharing) -> Response:
    """The person's check-ins, newest first (and their safety events are no longer new)."""
    at = now()
    found = await asyncio.to_thread(shared.records.reader.listing, shared.person)
    await asyncio.to_thread(shared.room.looked, shared.therapist, shared.person, at)
    await audit(shared.records, shared.actor, "read", f"person:{shared.person}", at)
    return JSONResponse({"checkins": [listing_json(c) for c in found]}, headers=_NO_STORE)


async def trends(query: TrendQuery, shared: Sharing) -> Response:
    """Each day's answers and voice measures."""
    days, _first, _last = await trend_days(query, shared.person, shared.records)
    subject = f"person:{shared.person} trends"
    await audit(shared.records, shared.actor, "read", subject, now())
    return JSONResponse({"days": [d.to_json() for d in days]}, headers=_NO_STORE)


async def trends_svg(query: TrendQuery, shared: Sharing) -> Response:
    """The same days as an accessible chart."""
    days, first, last = await trend_days(query, shared.person, shared.records)
    subject = f"person:{shared.person} trends"
    await audit(shared.records, shared.actor, "read", subject, now())
    svg = chart_svg(days, first=first, last=last)
    return Response(svg, media_type="image/svg+xml", headers=_NO_STORE)


async def checkin(checkin_id: str, shared: Sharing) -> Response:
    """One check-in: turns, cues, answers, safety events and this therapist's notes."""
    at = now()
    person, room = shared.person, shared.room
    detail = await asyncio.to_thread(shared.records.reader.detail, person, checkin_id, at)
    notes = await asyncio.to_thread(room.notes, shared.therapist, person, checkin_id)
    await audit(shared.records, shared.actor, "read", f"person:{person} checkin:{checkin_id}", at)
    answer = {
        **detail_json(detail),
        "notes": [{"at": n.at.isoformat(), "text": n.text} for n in notes],
    }
    return JSONResponse(answer, headers=_NO_STORE)


async def audio(
    checkin_id: str,
    shared: Sharing,
    range_: Annotated[str | None, Header(alias="range", description="bytes=first-last")] = None,
) -> Response:
    """The recording, decrypted in memory; a range of it when asked (so a player seeks)."""
    at = now()
    tracks = await asyncio.to_thread(shared.records.reader.tracks, shared.person, checkin_id, at)
    if tracks is None:
        raise not_found("no recording was kept of this check-in")
    data = await asyncio.to_thread(wav_bytes, tracks)
    if range_ is None or range_.replace(" ", "").lower().startswith("bytes=0-"):
        # A new listen (a player's later seeks are ranges further in).
        subject = f"person:{shared.person} checkin:{checkin_id} audio"
        await audit(shared.records, shared.actor, "listen", subject, at)
    return ranged_response(data, range_, "audio/wav", _NO_STORE)


async def download(checkin_id: str, shared: Sharing) -> Response:
    """The check-in as a zip: the recording (WAV) and the words (JSON)."""
    at = now()
    person, reader = shared.person, shared.records.reader

    def build() -> bytes:
        detail = reader.detail(person, checkin_id, at)
        tracks = reader.tracks(person, checkin_id, at)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("transcript.json", json.dumps(detail_json(detail), indent=2))
            if tracks is not None:
                archive.writestr("recording.wav", wav_bytes(tracks))
        return out.getvalue()

    data = await asyncio.to_thread(build)
    subject = f"person:{person} checkin:{checkin_id}"
    await audit(shared.records, shared.actor, "download", subject, at)
    name = f"{person}-{at:%Y-%m-%d}-{checkin_id[:8]}.zip"
    headers = {**_NO_STORE, "content-disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/zip", headers=headers)


# --- notes --------------------------------------------------------------------------


async def add_note(request: Request, checkin_id: str, shared: Sharing) -> Response:
    """A private note on the check-in (encrypted; the person does not see it)."""
    text = (await body_json(request, "text")).get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_NOTE_CHARS:
        raise ProtocolError(f"a note is text of 1 to {MAX_NOTE_CHARS} characters")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise ProtocolError("a note must be text")
    note = await asyncio.to_thread(
        shared.room.add_note, shared.therapist, shared.person, checkin_id, text.strip(), now()
    )
    subject = f"person:{shared.person} checkin:{checkin_id}"
    await audit(shared.records, shared.actor, "note", subject, note.at)
    return JSONResponse({"at": note.at.isoformat(), "text": note.text}, status_code=201)
