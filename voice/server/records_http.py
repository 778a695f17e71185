"""What the person's API and the listening room's share: check-ins as JSON, trends for a
``days``/``offset`` query, strict JSON bodies and whole-number parameters, and one way of
turning a records error into an answer (fixed sentences, stable codes, never content)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import Request, Response

from voice.errors import ProtocolError, VoiceError
from voice.records import Records
from voice.records.reader import CheckinDetail, CheckinListing
from voice.records.trends import Day, daily, local_date
from voice.server.signin import api_error

MAX_BODY_BYTES = 64 * 1024
DEFAULT_DAYS, MIN_DAYS, MAX_DAYS = 56, 7, 365
MAX_OFFSET = 14 * 60  # minutes: UTC-14:00 to UTC+14:00


def now() -> datetime:
    """The time, in UTC."""
    return datetime.now(UTC)


def listing_json(item: CheckinListing) -> dict[str, object]:
    """One line of a list of check-ins."""
    return {
        "id": item.id,
        "started_at": item.started_at.isoformat(),
        "audio_ms": item.audio_ms,
        "has_audio": item.has_audio,
        "has_words": item.has_words,
        "safety_events": item.safety_events,
    }


def detail_json(detail: CheckinDetail) -> dict[str, object]:
    """One check-in: its turns, answers and summary, and safety events."""
    return {
        **listing_json(detail.listing),
        "turns": [
            {"turn": t.turn, "speaker": t.speaker, "at_ms": t.at_ms, "text": t.text, "cues": t.cues}
            for t in detail.turns
        ],
        "summary": detail.summary,
        "safety_events": list(detail.safety),
    }


async def body_json(request: Request) -> dict[str, Any]:
    """The request's JSON object; ``ProtocolError`` for anything else or too much."""
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


def whole(request: Request, name: str, default: int, low: int, high: int) -> int:
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


async def trend_days(
    request: Request, person: str, records: Records
) -> tuple[list[Day], date, date]:
    """The person's days over ``days`` (7..365) up to today, by their local date
    (``offset``: minutes east of UTC)."""
    days = whole(request, "days", DEFAULT_DAYS, MIN_DAYS, MAX_DAYS)
    offset = timedelta(minutes=whole(request, "offset", 0, -MAX_OFFSET, MAX_OFFSET))
    last = local_date(now(), offset)
    first = last - timedelta(days=days - 1)

    def read() -> list[CheckinDetail]:
        return [
            records.reader.detail(person, c.id, now())
            for c in records.reader.listing(person)
            if local_date(c.started_at, offset) >= first
        ]

    return daily(await asyncio.to_thread(read), offset), first, last


async def answered(call: Awaitable[Response]) -> Response:
    """``call``'s response, or the API error for what it raised."""
    try:
        return await call
    except ProtocolError as exc:
        return api_error(400, "bad_request", exc.message)
    except VoiceError as exc:
        if exc.code == "not_found":
            return api_error(404, "not_found", "there is no such record")
        if exc.code == "tampered":
            return api_error(500, "tampered", "this record failed its integrity check")
        return api_error(500, exc.code, "the records cannot be read or written now")


async def audit(records: Records, actor: str, action: str, subject: str, at: datetime) -> None:
    """Append to the audit log, off the event loop."""
    await asyncio.to_thread(records.audit.append, actor, action, subject, at)
