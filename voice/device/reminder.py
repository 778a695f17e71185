"""The daily reminder, clock-free: when to invite the person to check in.

At the chosen local time the device invites the person and starts a check-in. If they did
not answer (nothing they said was heard), it asks once more ``retry_after`` later, and
then leaves it until tomorrow: a reminder must never nag. A check-in already done that
day (started with the button) means no reminder. A device that was off at the time still
reminds within ``window`` of it (after a power cut at 20:25, at 20:40), not at midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from voice.errors import ConfigError

MAX_ATTEMPTS = 2
"""The reminder and, if it was missed, one repeat."""

_AT = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_at(text: str) -> time:
    """``"20:30"`` → 20:30; anything else is a ``ConfigError`` naming ``--at``."""
    found = _AT.match(text.strip())
    if found is None:
        raise ConfigError("--at must be a time of day as HH:MM, for example 20:30")
    return time(int(found.group(1)), int(found.group(2)))


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """When to remind."""

    at: time
    retry_after: timedelta = timedelta(minutes=15)
    window: timedelta = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class ReminderState:
    """What happened today."""

    day: date | None = None
    attempts: int = 0
    last_attempt: datetime | None = None
    checked_in: bool = False


def _today(state: ReminderState, now: datetime) -> ReminderState:
    return state if state.day == now.date() else ReminderState(day=now.date())


def due(plan: ReminderPlan, state: ReminderState, now: datetime) -> bool:
    """Whether to invite the person now (``now``: local time)."""
    state = _today(state, now)
    if state.checked_in or state.attempts >= MAX_ATTEMPTS:
        return False
    start = datetime.combine(now.date(), plan.at, now.tzinfo)
    if state.attempts == 0:
        return start <= now <= start + plan.window
    assert state.last_attempt is not None
    return now >= state.last_attempt + plan.retry_after


def next_check(plan: ReminderPlan, state: ReminderState, now: datetime) -> datetime:
    """The next moment ``due`` could change (for sleeping until then)."""
    state = _today(state, now)
    if state.attempts == 1 and state.last_attempt is not None and not state.checked_in:
        return max(now, state.last_attempt + plan.retry_after)
    start = datetime.combine(now.date(), plan.at, now.tzinfo)
    if now < start:
        return start
    return datetime.combine(now.date() + timedelta(days=1), plan.at, now.tzinfo)


def reminded(state: ReminderState, now: datetime, *, answered: bool) -> ReminderState:
    """After a reminder's check-in: ``answered`` if the person said anything."""
    state = _today(state, now)
    return replace(state, attempts=state.attempts + 1, last_attempt=now, checked_in=answered)


def checked_in(state: ReminderState, now: datetime) -> ReminderState:
    """After a check-in the person started themselves."""
    return replace(_today(state, now), checked_in=True)
