"""HTTP range requests over bytes held in memory (RFC 9110 §14): one ``bytes=`` range, so a
player can seek in a recording that is decrypted on request and never written to disk."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

MAX_RANGE_HEADER = 100


class RangeNotSatisfiable(Exception):
    """The range asked for lies outside the content (answered 416)."""


def requested_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive ``(first, last)`` byte positions a ``Range`` header asks for, or
    ``None`` to send everything (no header, another unit, several ranges, or nonsense: a
    server may ignore a Range it does not support). ``RangeNotSatisfiable`` when the range
    starts past the end."""
    if header is None or len(header) > MAX_RANGE_HEADER:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first_text, dash, last_text = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first_text == "":  # a suffix: the last N bytes
            length = int(last_text)
            if length <= 0:
                raise RangeNotSatisfiable
            return max(0, size - length), size - 1
        first = int(first_text)
        last = int(last_text) if last_text else size - 1
    except ValueError:
        return None
    if first >= size:
        raise RangeNotSatisfiable
    if first < 0 or last < first:
        return None
    return first, min(last, size - 1)


def ranged_response(
    data: bytes, header: str | None, media_type: str, headers: Mapping[str, str]
) -> Response:
    """200 with everything, 206 with the range asked for, or 416."""
    common = {**headers, "accept-ranges": "bytes"}
    try:
        wanted = requested_range(header, len(data))
    except RangeNotSatisfiable:
        return Response(
            status_code=416, headers={**common, "content-range": f"bytes */{len(data)}"}
        )
    if wanted is None:
        return Response(data, media_type=media_type, headers=common)
    first, last = wanted
    return Response(
        data[first : last + 1],
        status_code=206,
        media_type=media_type,
        headers={**common, "content-range": f"bytes {first}-{last}/{len(data)}"},
    )
