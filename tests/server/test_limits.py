"""The clock-free limit cores: token buckets, keyed buckets, session slots, a client's pace."""

from __future__ import annotations

import pytest

from voice.server.limits import Cooldowns, KeyedBuckets, SessionSlots, SlotLimits, TokenBucket
from voice.server.pace import WARN_EVERY_SECONDS, AudioVerdict, ClientPace
from voice.server.state import ConnectionLimits, Pacing


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=1.5, capacity=4.0)
    assert bucket.take(4.0, now=0.0)
    assert not bucket.take(0.1, now=0.0)
    assert bucket.seconds_until(1.5, now=0.0) == pytest.approx(1.0)
    assert bucket.take(1.5, now=1.0)
    assert not bucket.take(0.5, now=1.0)
    assert bucket.take(4.0, now=100.0)  # never holds more than its capacity
    assert not bucket.take(0.01, now=100.0)


def test_token_bucket_ignores_time_going_backwards() -> None:
    bucket = TokenBucket(rate=1.0, capacity=1.0)
    assert bucket.take(1.0, now=10.0)
    assert not bucket.take(1.0, now=5.0)
    assert bucket.take(1.0, now=11.0)


def test_keyed_buckets_are_independent_and_bounded() -> None:
    buckets = KeyedBuckets(rate=5 / 900, capacity=5, max_keys=100)
    for _ in range(5):
        assert buckets.take("ana", 1.0, now=0.0)
    assert not buckets.take("ana", 1.0, now=0.0)
    assert buckets.take("ben", 1.0, now=0.0)
    assert buckets.seconds_until("ana", 1.0, now=0.0) == pytest.approx(180.0)
    for i in range(1000):
        buckets.take(f"key{i}", 1.0, now=1.0)
    assert len(buckets) <= 100


def test_session_slots_limit_total_account_and_address() -> None:
    slots = SessionSlots(SlotLimits(total=4, per_account=2, per_address=3))
    assert slots.acquire("ana", "10.0.0.1") is None
    assert slots.acquire("ana", "10.0.0.2") is None
    assert slots.acquire("ana", "10.0.0.3") == "account"
    assert slots.acquire("ben", "10.0.0.1") is None
    assert slots.acquire("cy", "10.0.0.1") is None
    assert slots.acquire("dee", "10.0.0.1") == "total"
    slots.release("ana", "10.0.0.2")
    assert slots.acquire("dee", "10.0.0.1") == "address"
    assert slots.acquire("dee", None) is None  # a local client has no address limit
    assert slots.active == 4
    for account, address in (("ana", "10.0.0.1"), ("ben", "10.0.0.1"), ("cy", "10.0.0.1")):
        slots.release(account, address)
    slots.release("dee", None)
    assert slots.active == 0
    assert slots.acquire("ana", "10.0.0.1") is None


def _pace(**pacing: float) -> ClientPace:
    limits = ConnectionLimits(
        idle_timeout_seconds=60.0, session_seconds=600.0, pacing=Pacing(**pacing)
    )
    return ClientPace(limits, started=0.0)


def test_real_time_audio_is_always_accepted() -> None:
    pace = _pace()
    for i in range(3000):  # 60 s of 20 ms frames at real time, with jitter
        now = i * 0.02 + (0.015 if i % 7 == 0 else 0.0)
        assert pace.audio(0.02, now) is AudioVerdict.ACCEPT


def test_audio_far_faster_than_real_time_is_dropped_then_closed() -> None:
    pace = _pace(audio_speed=1.5, audio_burst_seconds=4.0, audio_excess_seconds=6.0)
    verdicts = []
    now = 0.0
    while True:  # 10x real time: a 20 ms frame every 2 ms
        verdict = pace.audio(0.02, now)
        verdicts.append(verdict)
        if verdict is AudioVerdict.CLOSE:
            break
        now += 0.002
    accepted = verdicts.count(AudioVerdict.ACCEPT) * 0.02
    # The burst plus 1.5x the elapsed time was heard, no more.
    assert accepted == pytest.approx(4.0 + 1.5 * now, abs=0.05)
    warnings = verdicts.count(AudioVerdict.DROP_AND_WARN)
    assert 1 <= warnings <= 1 + now / WARN_EVERY_SECONDS
    assert pace.dropped_seconds > 6.0
    assert now < 2.0  # closed within two seconds of 10x input


def test_typed_turns_are_paced() -> None:
    pace = _pace(text_per_minute=12.0, text_burst=3.0)
    assert [pace.text(0.0) for _ in range(4)] == [True, True, True, False]
    assert pace.text(5.0)
    assert not pace.text(5.1)


def test_idle_counts_from_the_last_activity_and_the_session_limit_holds() -> None:
    pace = _pace()
    assert (pace.deadline().at, pace.deadline().idle) == (60.0, True)
    pace.audio(0.02, 30.0)  # audio (even silence) is not activity
    assert pace.deadline().at == 60.0
    pace.activity(50.0)
    assert pace.deadline().at == 110.0
    pace.activity(580.0)
    assert (pace.deadline().at, pace.deadline().idle) == (600.0, False)


def test_cooldowns_expire_and_stay_bounded() -> None:
    cooldowns = Cooldowns(60.0, max_keys=10)
    cooldowns.start(["account:ana", "address:10.0.0.9"], now=0.0)
    assert cooldowns.waiting(["account:ana"], now=59.0)
    assert cooldowns.waiting(["account:ben", "address:10.0.0.9"], now=59.0)
    assert not cooldowns.waiting(["account:ben"], now=59.0)
    assert not cooldowns.waiting(["account:ana"], now=60.0)
    for i in range(100):
        cooldowns.start([f"k{i}"], now=100.0)
    assert len(cooldowns._until) <= 10
