"""The load gauge behind back-pressure: recent reply latencies, pure and clock-free."""

from __future__ import annotations

from voice.server.load import MIN_TURNS, WINDOW_SECONDS, LoadGauge


def test_too_few_turns_say_nothing() -> None:
    gauge = LoadGauge(4000.0)
    for _ in range(MIN_TURNS - 1):
        gauge.record(20_000.0, 10.0)
    assert gauge.median_ms(10.0) is None
    assert not gauge.overloaded(10.0)


def test_the_median_of_the_last_minute_decides() -> None:
    gauge = LoadGauge(4000.0)
    for ms in (900.0, 5200.0, 6100.0):
        gauge.record(ms, 100.0)
    assert gauge.median_ms(100.0) == 5200.0
    assert gauge.overloaded(100.0)
    gauge.record(800.0, 130.0)
    gauge.record(700.0, 131.0)  # replies are fast again
    assert gauge.median_ms(131.0) == 900.0
    assert not gauge.overloaded(131.0)


def test_old_turns_leave_the_window() -> None:
    gauge = LoadGauge(4000.0)
    for ms in (9000.0, 9000.0, 9000.0):
        gauge.record(ms, 0.0)
    assert gauge.overloaded(WINDOW_SECONDS)
    assert gauge.median_ms(WINDOW_SECONDS + 1.0) is None
    assert not gauge.overloaded(WINDOW_SECONDS + 1.0)
