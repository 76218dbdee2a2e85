"""Infusion days given as a ward gives them, for tests that need days behind a patient.

Each day: admitted at 08:00 on the clock's date, the infusion started (the steroid given on the
ward where the protocol plans one) and, unless told otherwise, completed 4 hours later; the clock
then moves on to the next morning.
"""

from __future__ import annotations

from datetime import timedelta

from alemmonitor.clock import ManualClock
from alemmonitor.infusion_day import EventKind
from alemmonitor.patients import Patient
from alemmonitor.ward import Admission, Bed, Ward

NURSE = "AB"
SECOND_NURSE = "KM"


def give_day(
    ward: Ward,
    clock: ManualClock,
    patient: Patient,
    course: int = 1,
    day: int = 1,
    *,
    end: bool = True,
    bed: Bed | None = None,
) -> Admission:
    """One infusion day at 08:00 on the clock's date, to the infusion's end unless `end` is
    False (the test ends it); the clock is left on the next morning."""
    local = clock.local(clock.now())
    clock.set(local.replace(hour=8, minute=0, second=0, microsecond=0))
    admission = ward.admit(
        patient, course_number=course, day_number=day, bed=bed, planned_start=clock.now(), by=NURSE
    )
    reason = None
    if ward.protocol.steroid_on(course, day) is not None:
        reason = "steroid given on the neurology ward"
    ward.record(
        admission,
        EventKind.INFUSION_STARTED,
        by=NURSE,
        batch="L-7",
        checked_by=SECOND_NURSE,
        reason=reason,
    )
    clock.advance(timedelta(hours=4))
    if end:
        ward.record(admission, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(hours=20))
    return admission


def give_course(
    ward: Ward,
    clock: ManualClock,
    patient: Patient,
    course: int = 1,
    days: int | None = None,
    *,
    bed: Bed | None = None,
) -> list[Admission]:
    """The course's days one after the other from the clock's date (`days`: only the first
    ones; all of the course's when None)."""
    total = days or ward.protocol.courses.days_of(course)
    return [give_day(ward, clock, patient, course, day, bed=bed) for day in range(1, total + 1)]
