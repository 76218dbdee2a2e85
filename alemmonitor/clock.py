"""Time as the record sees it: wall-clock UTC for what is recorded, monotonic for timers.

The clock is injected everywhere, so a whole infusion day (and a day on which daylight saving
time changes) can run in a test in milliseconds.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Where the app gets the time from."""

    def now(self) -> datetime:
        """The current wall-clock time, timezone-aware, in UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; for timers and staleness only."""
        ...

    def local(self, moment: datetime) -> datetime:
        """`moment` in the ward's local time, for display and for the calendar date."""
        ...


class SystemClock:
    """The laptop's clock; local time follows the operating system's time zone rules."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone()


class ManualClock:
    """A clock that only moves when told to; used by tests, benchmarks and the demo ward."""

    def __init__(self, start: datetime, zone: tzinfo = UTC) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._monotonic = 0.0
        self._zone = zone

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self._zone)

    def advance(self, delta: timedelta) -> None:
        """Move both clocks forward by `delta`."""
        if delta < timedelta(0):
            raise ValueError("time does not run backwards")
        self._now += delta
        self._monotonic += delta.total_seconds()

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (not earlier than now)."""
        self.advance(moment.astimezone(UTC) - self._now)


def local_date(clock: Clock, moment: datetime) -> date:
    """The ward's calendar date of `moment`."""
    return clock.local(moment).date()


def to_iso(moment: datetime) -> str:
    """The stored form of a timestamp: ISO 8601 in UTC with its offset, microseconds kept.

    All stored timestamps share this fixed-width form, so they sort as text in time order.
    """
    if moment.tzinfo is None:
        raise ValueError("refusing to store a timestamp without a time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    """Read a stored timestamp back as an aware UTC datetime."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"stored timestamp without a time zone: {text!r}")
    return moment.astimezone(UTC)
