"""Range requests over a recording held in memory (RFC 9110 §14)."""

from __future__ import annotations

import pytest

from voice.server.ranges import RangeNotSatisfiable, ranged_response, requested_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-", (0, 99)),
        ("bytes=10-19", (10, 19)),
        ("bytes=90-500", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        (" BYTES = 5-6 ", (5, 6)),  # read leniently
        ("bytes=5-6,8-9", None),  # several ranges: not supported, everything is sent
        ("items=0-5", None),
        ("bytes=9-3", None),
        ("bytes=x-3", None),
        ("bytes=" + "1" * 200, None),
    ],
)
def test_the_range_asked_for(header: str | None, expected: tuple[int, int] | None) -> None:
    assert requested_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=500-600", "bytes=-0"])
def test_a_range_past_the_end_is_not_satisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        requested_range(header, 100)


def test_responses_carry_the_range() -> None:
    data = bytes(range(100))
    whole = ranged_response(data, None, "audio/wav", {})
    assert whole.status_code == 200 and whole.body == data
    assert whole.headers["accept-ranges"] == "bytes"
    part = ranged_response(data, "bytes=10-19", "audio/wav", {"cache-control": "no-store"})
    assert part.status_code == 206 and part.body == data[10:20]
    assert part.headers["content-range"] == "bytes 10-19/100"
    assert part.headers["cache-control"] == "no-store"
    past = ranged_response(data, "bytes=200-", "audio/wav", {})
    assert past.status_code == 416 and past.headers["content-range"] == "bytes */100"
