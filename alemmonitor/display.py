"""How times and durations read on the ward's screens and printouts (no Qt)."""

from __future__ import annotations

from datetime import datetime, timedelta


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
