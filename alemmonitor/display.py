"""How times and durations read on the ward's screens and printouts (no Qt)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alemmonitor.monitoring import LatestValue


def duration_text(delta: timedelta) -> str:
    """'45 min', '1 h 05 min', '3 h': whole minutes, rounded down."""
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} min"
    if rest == 0:
        return f"{hours} h"
    return f"{hours} h {rest:02d} min"


def countdown_text(planned: datetime, now: datetime) -> str:
    """Time to a planned moment as a nurse reads it: 'in 12 min', 'now', '5 min overdue'."""
    delta = planned - now
    if abs(delta) < timedelta(minutes=1):
        return "now"
    if delta > timedelta(0):
        return f"in {duration_text(delta + timedelta(seconds=59))}"
    return f"{duration_text(-delta)} overdue"


STALE_AFTER = timedelta(minutes=2)
"""A value older than this is shown with its age and never as current."""


def age_text(at: datetime, now: datetime) -> str:
    """How old a value is: 'now', '40 s', '12 min', '2 h 05 min'."""
    seconds = max(0.0, (now - at).total_seconds())
    if seconds < 5:
        return "now"
    if seconds < 60:
        return f"{seconds:.0f} s"
    return duration_text(timedelta(seconds=seconds))


def vitals_parts(latest: Mapping[str, LatestValue], now: datetime) -> list[tuple[str, str, bool]]:
    """The latest vital signs as (label, text, stale) for a card: pulse, BP, SpO2, temp, RR."""
    parts: list[tuple[str, str, bool]] = []

    def add(label: str, text: str, at: datetime) -> None:
        stale = now - at > STALE_AFTER
        parts.append((label, f"{text} ({age_text(at, now)} ago)" if stale else text, stale))

    pulse = latest.get("hr") or latest.get("pr")
    if pulse is not None:
        add("HR" if "hr" in latest else "PR", f"{pulse.value:.0f}", pulse.at)
    systolic, diastolic = latest.get("sbp"), latest.get("dbp")
    if systolic is not None and diastolic is not None:
        add("BP", f"{systolic.value:.0f}/{diastolic.value:.0f}", min(systolic.at, diastolic.at))
    for key, label, form in (
        ("spo2", "SpO2", "{:.0f} %"),
        ("temp", "T", "{:.1f} °C"),
        ("rr", "RR", "{:.0f}"),
    ):
        value = latest.get(key)
        if value is not None:
            add(label, form.format(value.value), value.at)
    return parts
