"""How times and durations read on the ward's screens and printouts (no Qt)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from alemmonitor.texts import QT_TRANSLATE_NOOP, Text

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


NOW = QT_TRANSLATE_NOOP("Display", "now")


def countdown_text(planned: datetime, now: datetime) -> Text:
    """Time to a planned moment as a nurse reads it: 'in 12 min', 'now', '5 min overdue'."""
    delta = planned - now
    if abs(delta) < timedelta(minutes=1):
        return NOW
    if delta > timedelta(0):
        return QT_TRANSLATE_NOOP("Display", "in {duration}").format(
            duration=duration_text(delta + timedelta(seconds=59))
        )
    return QT_TRANSLATE_NOOP("Display", "{duration} overdue").format(duration=duration_text(-delta))


STALE_AFTER = timedelta(minutes=2)
"""A value older than this is shown with its age and never as current."""


def age_text(at: datetime, now: datetime) -> str:
    """How old a value is: 'now', '40 s', '12 min', '2 h 05 min'."""
    seconds = max(0.0, (now - at).total_seconds())
    if seconds < 5:
        return NOW
    if seconds < 60:
        return f"{seconds:.0f} s"
    return duration_text(timedelta(seconds=seconds))


def ago_text(age: str) -> Text:
    """An age as a time in the past: '12 min ago'."""
    return QT_TRANSLATE_NOOP("Display", "{age} ago").format(age=age)


# The short names of a card's vital signs; German wards write blood pressure "RR" (Riva-Rocci)
# and respiration "AF", so each is translated on its own.
_SHORT: Mapping[str, Text] = {
    "hr": QT_TRANSLATE_NOOP("Display", "HR"),
    "pr": QT_TRANSLATE_NOOP("Display", "PR"),
    "bp": QT_TRANSLATE_NOOP("Display", "BP"),
    "spo2": QT_TRANSLATE_NOOP("Display", "SpO2"),
    "temp": QT_TRANSLATE_NOOP("Display", "T"),
    "rr": QT_TRANSLATE_NOOP("Display", "RR"),
}


def vitals_parts(latest: Mapping[str, LatestValue], now: datetime) -> list[tuple[Text, str, bool]]:
    """The latest vital signs as (label, text, stale) for a card: pulse, BP, SpO2, temp, RR."""
    parts: list[tuple[Text, str, bool]] = []

    def add(label: Text, text: str, at: datetime) -> None:
        stale = now - at > STALE_AFTER
        shown = (
            QT_TRANSLATE_NOOP("Display", "{value} ({age})").format(
                value=text, age=ago_text(age_text(at, now))
            )
            if stale
            else text
        )
        parts.append((label, shown, stale))

    pulse = latest.get("hr") or latest.get("pr")
    if pulse is not None:
        label = _SHORT["hr"] if "hr" in latest else _SHORT["pr"]
        add(label, f"{pulse.value:.0f}", pulse.at)
    systolic, diastolic = latest.get("sbp"), latest.get("dbp")
    if systolic is not None and diastolic is not None:
        add(
            _SHORT["bp"],
            f"{systolic.value:.0f}/{diastolic.value:.0f}",
            min(systolic.at, diastolic.at),
        )
    for key, form in (("spo2", "{:.0f} %"), ("temp", "{:.1f} °C"), ("rr", "{:.0f}")):
        value = latest.get(key)
        if value is not None:
            add(_SHORT[key], form.format(value.value), value.at)
    return parts
