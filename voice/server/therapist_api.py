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
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from voice.errors import ProtocolError, VoiceError
from voice.records import Records
from voice.records.room import MAX_NOTE_CHARS, Room
from voice.records.timeline import wav_bytes
from voice.records.trends import chart_svg
from voice.server.ranges import ranged_response
from voice.server.records_http import (
    answered,
    audit,
    body_json,
    detail_json,
    listing_json,
    now,
    trend_days,
)
from voice.server.signin import API_PREFIX, api_error, current_therapist
from voice.server.state import ServerState

Handler = Callable[[Request, str, str, Records, Room], Awaitable[Response]]
"""(request, therapist, person, records, room) -> answer."""
_NO_STORE = {"cache-control": "no-store"}


def therapist_router(state: ServerState) -> APIRouter:
    """The listening room's routes, bound to the server's accounts and records."""
    api = _RoomApi(state)
    router = APIRouter(prefix=f"{API_PREFIX}/people")
    router.add_api_route("", api.people, methods=["GET"])
    one = "/{person}/checkins/{checkin_id}"
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/{person}/checkins", api.checkins),
        ("GET", "/{person}/trends", api.trends),
        ("GET", "/{person}/trends.svg", api.trends_svg),
        ("GET", one, api.checkin),
        ("GET", f"{one}/audio", api.audio),
        ("POST", f"{one}/notes", api.add_note),
        ("GET", f"{one}/download", api.download),
    ]
    for method, path, handler in routes:
        router.add_api_route(path, api.endpoint(handler), methods=[method])
    return router


class _RoomApi:
    def __init__(self, state: ServerState) -> None:
        self._state = state

    async def _therapist(self, request: Request) -> tuple[str, Records, Room] | Response:
        records = self._state.access.records
        if records is None:
            return api_error(503, "no_records", "this server keeps no records")
        therapist = await current_therapist(self._state, request)
        if therapist is None:
            return api_error(401, "unauthorized", "sign in first")
        return therapist, records, Room(records.engine, records.keyring)

    async def people(self, request: Request) -> Response:
        """The people who share with the signed-in therapist."""
        found = await self._therapist(request)
        if isinstance(found, Response):
            return found
        therapist, _records, room = found
        people = await asyncio.to_thread(room.people, therapist)
        return JSONResponse(
            {
                "people": [
                    {
                        "name": p.name,
                        "last_checkin_at": p.last_checkin_at.isoformat()
                        if p.last_checkin_at
                        else None,
                        "new_safety_events": p.new_safety_events,
                    }
                    for p in people
                ]
            },
            headers=_NO_STORE,
        )

    def endpoint(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """A route that checks the therapist and, on this very request, the sharing."""

        async def route(request: Request) -> Response:
            found = await self._therapist(request)
            if isinstance(found, Response):
                return found
            therapist, records, room = found
            person = request.path_params["person"]
            try:
                shared = await asyncio.to_thread(room.shares, person, therapist)
            except VoiceError:  # an unknown name: the same answer as not shared
                shared = False
            if not shared:
                return api_error(404, "not_found", "there is no such record")
            return await answered(handler(request, therapist, person, records, room))

        return route

    # --- reads --------------------------------------------------------------------------

    async def checkins(
        self, _request: Request, therapist: str, person: str, records: Records, room: Room
    ) -> Response:
        at = now()
        found = await asyncio.to_thread(records.reader.listing, person)
        await asyncio.to_thread(room.looked, therapist, person, at)
        await audit(records, f"therapist:{therapist}", "read", f"person:{person}", at)
        return JSONResponse({"checkins": [listing_json(c) for c in found]}, headers=_NO_STORE)

    async def trends(
        self, request: Request, therapist: str, person: str, records: Records, _room: Room
    ) -> Response:
        days, _first, _last = await trend_days(request, person, records)
        await audit(records, f"therapist:{therapist}", "read", f"person:{person} trends", now())
        return JSONResponse({"days": [d.to_json() for d in days]}, headers=_NO_STORE)

    async def trends_svg(
        self, request: Request, therapist: str, person: str, records: Records, _room: Room
    ) -> Response:
        days, first, last = await trend_days(request, person, records)
        await audit(records, f"therapist:{therapist}", "read", f"person:{person} trends", now())
        svg = chart_svg(days, first=first, last=last)
        return Response(svg, media_type="image/svg+xml", headers=_NO_STORE)

    async def checkin(
        self, request: Request, therapist: str, person: str, records: Records, room: Room
    ) -> Response:
        checkin_id = request.path_params["checkin_id"]
        at = now()
        detail = await asyncio.to_thread(records.reader.detail, person, checkin_id, at)
        notes = await asyncio.to_thread(room.notes, therapist, person, checkin_id)
        subject = f"person:{person} checkin:{checkin_id}"
        await audit(records, f"therapist:{therapist}", "read", subject, at)
        answer = {
            **detail_json(detail),
            "notes": [{"at": n.at.isoformat(), "text": n.text} for n in notes],
        }
        return JSONResponse(answer, headers=_NO_STORE)

    async def audio(
        self, request: Request, therapist: str, person: str, records: Records, _room: Room
    ) -> Response:
        checkin_id = request.path_params["checkin_id"]
        at = now()
        tracks = await asyncio.to_thread(records.reader.tracks, person, checkin_id, at)
        if tracks is None:
            return api_error(404, "not_found", "no recording was kept of this check-in")
        data = await asyncio.to_thread(wav_bytes, tracks)
        wanted = request.headers.get("range")
        if wanted is None or wanted.replace(" ", "").lower().startswith("bytes=0-"):
            # A new listen (a player's later seeks are ranges further in).
            subject = f"person:{person} checkin:{checkin_id} audio"
            await audit(records, f"therapist:{therapist}", "listen", subject, at)
        return ranged_response(data, wanted, "audio/wav", _NO_STORE)

    async def download(
        self, request: Request, therapist: str, person: str, records: Records, _room: Room
    ) -> Response:
        checkin_id = request.path_params["checkin_id"]
        at = now()

        def build() -> bytes:
            detail = records.reader.detail(person, checkin_id, at)
            tracks = records.reader.tracks(person, checkin_id, at)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("transcript.json", json.dumps(detail_json(detail), indent=2))
                if tracks is not None:
                    archive.writestr("recording.wav", wav_bytes(tracks))
            return out.getvalue()

        data = await asyncio.to_thread(build)
        subject = f"person:{person} checkin:{checkin_id}"
        await audit(records, f"therapist:{therapist}", "download", subject, at)
        name = f"{person}-{at:%Y-%m-%d}-{checkin_id[:8]}.zip"
        headers = {**_NO_STORE, "content-disposition": f'attachment; filename="{name}"'}
        return Response(data, media_type="application/zip", headers=headers)

    # --- notes --------------------------------------------------------------------------

    async def add_note(
        self, request: Request, therapist: str, person: str, records: Records, room: Room
    ) -> Response:
        text = (await body_json(request)).get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_NOTE_CHARS:
            raise ProtocolError(f"a note is text of 1 to {MAX_NOTE_CHARS} characters")
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            raise ProtocolError("a note must be text")
        checkin_id = request.path_params["checkin_id"]
        note = await asyncio.to_thread(
            room.add_note, therapist, person, checkin_id, text.strip(), now()
        )
        subject = f"person:{person} checkin:{checkin_id}"
        await audit(records, f"therapist:{therapist}", "note", subject, note.at)
        return JSONResponse({"at": note.at.isoformat(), "text": note.text}, status_code=201)
