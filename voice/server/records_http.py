"""What the person's API and the listening room's share: check-ins as JSON, trends for a
``days``/``offset`` query, strict JSON bodies, and the audit entry of a read."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from voice.errors import ProtocolError
from voice.records import Records
from voice.records.reader import CheckinDetail, CheckinListing
from voice.records.trends import Day, daily, local_date

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


async def body_json(request: Request, *fields: str) -> dict[str, Any]:
    """The request's JSON object, holding no names but ``fields``; ``ProtocolError`` for
    anything else or too much."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ProtocolError("the request is too large")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ProtocolError("send a JSON object") from None
    if not isinstance(data, dict):
        raise ProtocolError("send a JSON object")
    if not set(data) <= set(fields):
        raise ProtocolError(f"send a JSON object with only these fields: {', '.join(fields)}")
    return data


@dataclass(frozen=True, slots=True)
class TrendWindow:
    """Which days a trend covers: the last ``days`` up to today, by the local date of a
    clock ``offset`` minutes east of UTC."""

    days: int
    offset: int


def trend_window(
    days: Annotated[
        int, Query(ge=MIN_DAYS, le=MAX_DAYS, description="How many days, up to today.")
    ] = DEFAULT_DAYS,
    offset: Annotated[
        int,
        Query(
            ge=-MAX_OFFSET, le=MAX_OFFSET, description="The reader's clock: minutes east of UTC."
        ),
    ] = 0,
) -> TrendWindow:
    """The ``days`` and ``offset`` query parameters (FastAPI checks their ranges)."""
    return TrendWindow(days, offset)


TrendQuery = Annotated[TrendWindow, Depends(trend_window)]


async def trend_days(
    window: TrendWindow, person: str, records: Records
) -> tuple[list[Day], date, date]:
    """The person's days in ``window``, by their local date; and its first and last day."""
    offset = timedelta(minutes=window.offset)
    last = local_date(now(), offset)
    first = last - timedelta(days=window.days - 1)

    def read() -> list[CheckinDetail]:
        return [
            records.reader.detail(person, c.id, now())
            for c in records.reader.listing(person)
            if local_date(c.started_at, offset) >= first
        ]

    return daily(await asyncio.to_thread(read), offset), first, last


async def audit(records: Records, actor: str, action: str, subject: str, at: datetime) -> None:
    """Append to the audit log, off the event loop."""
    await asyncio.to_thread(records.audit.append, actor, action, subject, at)
