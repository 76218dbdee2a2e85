"""The follow-up after a course: each patient's plan, what is due, and results against a slot.

A course's plan is laid out when the course ends (see `Ward.record_in_transaction`, or
`end_course`). Its slots (a test on a date) are derived from the plan's stored schedule;
a slot is done once results answering it are recorded, or skipped with a reason. The unit-wide
worklist shows, per patient and date, what is due soon, due and overdue; a slot still open when
the next one of its test is due counts as missed; results of a missed (or overdue) test that
come back later still answer its slot, which is then done late. A later course's plan replaces
the earlier.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from alemmonitor.clock import from_iso, local_date
from alemmonitor.errors import EntryError, FieldProblem, SequenceError, StoreError
from alemmonitor.followup_plan import (
    FollowUpSchedule,
    Slot,
    infusion_dates,
    lay_out_in_transaction,
    plan_of_course,
)
from alemmonitor.labs import URINALYSIS, SamplingPoint
from alemmonitor.labs_entry import GENERAL, LabAssessment
from alemmonitor.labs_record import LabResult, record_results, results_of_patient
from alemmonitor.patients import Patient
from alemmonitor.store import Row
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, TextEnum
from alemmonitor.ward import Ward


class SlotState(TextEnum):
    """Where a slot of a plan stands on a given day."""

    UPCOMING = QT_TRANSLATE_NOOP("SlotState", "upcoming")
    DUE_SOON = QT_TRANSLATE_NOOP("SlotState", "due soon")
    DUE = QT_TRANSLATE_NOOP("SlotState", "due")
    OVERDUE = QT_TRANSLATE_NOOP("SlotState", "overdue")
    MISSED = QT_TRANSLATE_NOOP("SlotState", "missed")
    DONE = QT_TRANSLATE_NOOP("SlotState", "done")
    SKIPPED = QT_TRANSLATE_NOOP("SlotState", "skipped")


OPEN_STATES = (SlotState.DUE_SOON, SlotState.DUE, SlotState.OVERDUE)
"""The states the worklist shows."""
_URGENCY = {
    SlotState.OVERDUE: 0,
    SlotState.DUE: 1,
    SlotState.DUE_SOON: 2,
    SlotState.MISSED: 3,
    SlotState.UPCOMING: 4,
}
DONE_LATE = QT_TRANSLATE_NOOP("SlotState", "done (late)")
"""A slot answered by a sample taken after it had become overdue."""


@dataclass(frozen=True)
class FollowUpPlan:
    """A course's follow-up plan as laid out: its anchors and the schedule it keeps.

    `id` names the plan's record; `ended_early` when the course ended before its last day, with
    the nurse's `reason`.
    """

    id: str
    patient: Patient
    course_id: str
    course_number: int
    first_infusion: date
    last_infusion: date
    ended_early: bool
    reason: str | None
    schedule: FollowUpSchedule
    laid_out_at: datetime
    laid_out_by: str

    def slots(self) -> list[Slot]:
        """Every test of the plan, by date."""
        return list(self._slots)

    @functools.cached_property
    def _slots(self) -> tuple[Slot, ...]:
        return tuple(
            self.schedule.slots(self.first_infusion, self.last_infusion, self.course_number)
        )

    def slot(self, key: str) -> Slot:
        """The slot named `key`; KeyError when the plan has none."""
        for slot in self.slots():
            if slot.key == key:
                return slot
        raise KeyError(key)

    def test_name(self, slot: Slot) -> Text:
        """The slot's test as the ward calls it."""
        return self.schedule.test_name(slot.test)

    def analytes(self, slot: Slot) -> tuple[str, ...]:
        """The analytes the slot's test is made of."""
        return tuple(self.schedule.tests[slot.test].analytes)

    def needed(self, slot: Slot) -> tuple[str, ...]:
        """The analytes without which the slot's test does not count as done."""
        return self.schedule.tests[slot.test].needed

    @property
    def ends(self) -> date:
        """The plan's last day: the end of its longest schedule line."""
        return max(
            line.end(self.first_infusion, self.last_infusion)
            for line in self.schedule.schedule
            if line.applies(self.course_number)
        )


@dataclass(frozen=True)
class SlotStatus:
    """A slot on a given day: its state, the results that answer it, or why it was skipped.

    `late` says that a done slot was answered by a sample taken after it had become overdue
    (its result came back for a missed test, say); `answered_on` is that sample's date.
    """

    slot: Slot
    state: SlotState
    results: tuple[LabResult, ...] = ()
    skip_reason: str | None = None
    late: bool = False
    answered_on: date | None = None

    @property
    def text(self) -> Text:
        """The state as the ward reads it: 'done (late)' for a slot answered late."""
        return DONE_LATE if self.late else self.state.text


@dataclass(frozen=True)
class FollowUpVisit:
    """What one patient needs on one date: the open slots of that date, for the worklist.

    `state` is the most pressing of the slots'; `missed` counts the patient's missed slots.
    """

    patient: Patient
    plan: FollowUpPlan
    due: date
    slots: tuple[SlotStatus, ...]
    state: SlotState
    missed: int


@dataclass(frozen=True)
class CourseUnderWay:
    """A course without a follow-up plan yet: how many days were given, and when last."""

    course_id: str
    patient: Patient
    course_number: int
    days: int
    given: int
    last_given: date | None


# -- plans -----------------------------------------------------------------------------------------


def plans_of(ward: Ward, patient_id: str) -> list[FollowUpPlan]:
    """The patient's plans as they stand, by course."""
    rows = ward.store.query(
        f"{_PLANS} WHERE f.patient_id = ? ORDER BY f.course_number",
        (patient_id,),
    )
    return [_plan(row) for row in rows]


def current_plan(ward: Ward, patient_id: str) -> FollowUpPlan | None:
    """The plan the patient follows now: that of their latest course which has one."""
    plans = plans_of(ward, patient_id)
    return plans[-1] if plans else None


def plan(ward: Ward, plan_id: str) -> FollowUpPlan:
    """The plan with this id."""
    rows = ward.store.query(f"{_PLANS} WHERE f.root_id = ?", (plan_id,))
    if not rows:
        raise StoreError(f"no follow-up plan {plan_id} (or it was struck out)")
    return _plan(rows[0])


def end_course(ward: Ward, course_id: str, *, by: str, reason: str) -> FollowUpPlan:
    """End a course now and lay out its follow-up plan from the last infusion given.

    A course whose remaining days are not given ends early, and needs the reason; a course
    whose days were all given but that has no plan (its last infusion's end was not recorded,
    or it was recorded before the app laid out plans) takes the reason as a note. Raises
    EntryError without the reason or initials; SequenceError when the course already has a plan
    or no infusion of it was started.
    """
    cleaned = " ".join(reason.split())
    with ward.store.transaction():
        course = ward.store.current_by_root("courses", course_id)
        if course is None:
            raise StoreError(f"no course {course_id}")
        if plan_of_course(ward.store, course_id) is not None:
            raise SequenceError(
                QT_TRANSLATE_NOOP("FollowUp", "the course has ended already; it has its plan")
            )
        given = infusion_dates(ward.store, course_id)
        if not given:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "FollowUp", "no infusion of this course was started: there is nothing to follow"
                )
            )
        problems = []
        if not cleaned and len(given) < course["days"]:
            problems.append(
                FieldProblem(
                    "reason", QT_TRANSLATE_NOOP("FollowUp", "say why the course ends early")
                )
            )
        problems += _by_problems(by)
        if problems:
            raise EntryError(problems)
        row = lay_out_in_transaction(
            ward.store, ward.followup, course, by=by, reason=cleaned or None
        )
    return plan(ward, row["root_id"])


def courses_under_way(ward: Ward) -> list[CourseUnderWay]:
    """Courses with at least one infusion given and no follow-up plan yet, by last infusion."""
    rows = ward.store.query(
        """SELECT c.root_id AS course_id, c.number, c.days, p.*,
                  (SELECT count(*) FROM current_infusion_days AS d
                   WHERE d.course_id = c.root_id AND EXISTS (
                       SELECT 1 FROM current_events AS e
                       WHERE e.day_id = d.root_id AND e.kind = 'infusion_started')) AS given,
                  (SELECT max(d.date) FROM current_infusion_days AS d
                   WHERE d.course_id = c.root_id AND EXISTS (
                       SELECT 1 FROM current_events AS e
                       WHERE e.day_id = d.root_id AND e.kind = 'infusion_started')) AS last_given
           FROM current_courses AS c
           JOIN current_patients AS p ON p.root_id = c.patient_id
           WHERE NOT EXISTS (SELECT 1 FROM current_followup_plans AS f
                             WHERE f.course_id = c.root_id)"""
    )
    courses = [
        CourseUnderWay(
            course_id=row["course_id"],
            patient=_patient(row, row["root_id"]),
            course_number=row["number"],
            days=row["days"],
            given=row["given"],
            last_given=date.fromisoformat(row["last_given"]) if row["last_given"] else None,
        )
        for row in rows
        if row["given"]
    ]
    return sorted(courses, key=lambda c: (c.last_given or date.min, c.patient.name))


# -- slots ---------------------------------------------------------------------------------------


def slot_statuses(
    ward: Ward, plan: FollowUpPlan, today: date, *, with_results: bool = True
) -> list[SlotStatus]:
    """Every slot of the plan with where it stands on `today`, by date; `with_results` False
    leaves each slot's results out (the worklist only needs to know that there are some)."""
    results: dict[str, list[LabResult]] = {}
    answered_on: dict[str, date] = {}
    if with_results:
        for result in _plan_results(ward, plan):
            if result.slot is not None:
                results.setdefault(result.slot, []).append(result)
                sampled = local_date(ward.clock, result.sampled_at)
                answered_on[result.slot] = min(answered_on.get(result.slot, sampled), sampled)
    else:
        rows = ward.store.query(
            """SELECT slot, min(sampled_at) AS first FROM current_lab_results
               WHERE plan_id = ? AND slot IS NOT NULL GROUP BY slot""",
            (plan.id,),
        )
        answered_on = {row["slot"]: local_date(ward.clock, from_iso(row["first"])) for row in rows}
    skipped = {
        row["slot"]: row["reason"]
        for row in ward.store.current("followup_skips", "plan_id = ?", (plan.id,))
    }
    slots = plan.slots()
    following: dict[str, date] = {}
    statuses: list[SlotStatus] = []
    settings = ward.followup
    soon = timedelta(days=settings.due_soon_days)
    late = timedelta(days=settings.overdue_after_days)
    for slot in reversed(slots):
        next_due = following.get(slot.test)
        following[slot.test] = slot.due
        answered = tuple(results.get(slot.key, ()))
        sampled_on = answered_on.get(slot.key)
        if sampled_on is not None:
            state = SlotState.DONE
        elif slot.key in skipped:
            state = SlotState.SKIPPED
        elif today < slot.due - soon:
            state = SlotState.UPCOMING
        elif today < slot.due:
            state = SlotState.DUE_SOON
        elif today <= slot.due + late:
            state = SlotState.DUE
        elif next_due is not None and today >= next_due:
            state = SlotState.MISSED
        else:
            state = SlotState.OVERDUE
        statuses.append(
            SlotStatus(
                slot,
                state,
                answered,
                skipped.get(slot.key),
                late=sampled_on is not None and sampled_on > slot.due + late,
                answered_on=sampled_on,
            )
        )
    return statuses[::-1]


def worklist(
    ward: Ward, today: date | None = None, *, with_missed: bool = False, patient: str = ""
) -> list[FollowUpVisit]:
    """What the unit's patients need: per patient and date, the slots due soon, due or overdue
    on `today` (the ward's today when None), the most pressing first; `with_missed` adds the
    missed ones after them (their results may still come back).

    `patient` (part of a name or hospital ID) keeps only the patients it finds, each with
    their missed tests and their next upcoming date too: a patient with nothing open is found
    as well, for their plan, their PDF or a sample taken early.
    """
    today = today or local_date(ward.clock, ward.clock.now())
    wanted = patient.strip().casefold()
    shown = (*OPEN_STATES, SlotState.MISSED) if with_missed or wanted else OPEN_STATES
    visits: list[FollowUpVisit] = []
    for patient_id in _patients_with_plans(ward):
        plan = current_plan(ward, patient_id)
        if plan is None or not _found(plan.patient, wanted):
            continue
        statuses = slot_statuses(ward, plan, today, with_results=False)
        missed = sum(1 for s in statuses if s.state is SlotState.MISSED)
        by_date: dict[date, list[SlotStatus]] = {}
        for status in statuses:
            if status.state in shown:
                by_date.setdefault(status.slot.due, []).append(status)
        if wanted:
            upcoming = [s for s in statuses if s.state is SlotState.UPCOMING]
            if upcoming:
                following = min(s.slot.due for s in upcoming)
                by_date[following] = [s for s in upcoming if s.slot.due == following]
        for due, open_slots in by_date.items():
            state = min((s.state for s in open_slots), key=_URGENCY.__getitem__)
            visits.append(FollowUpVisit(plan.patient, plan, due, tuple(open_slots), state, missed))
    return sorted(visits, key=lambda v: (_URGENCY[v.state], v.due, v.patient.name))


def _found(patient: Patient, wanted: str) -> bool:
    """Whether `wanted` (casefolded; empty finds everyone) is in the patient's name or ID."""
    return wanted in patient.name.casefold() or wanted in patient.hospital_id.casefold()


def answered(plan: FollowUpPlan, slots: Sequence[Slot], given: Collection[str]) -> list[Slot]:
    """The slots of which results of `given` analytes answer at least one analyte: a visit's
    tests may be entered one at a time as their results come back."""
    return [slot for slot in slots if set(plan.analytes(slot)) & set(given)]


def required_for(plan: FollowUpPlan, slots: Sequence[Slot]) -> dict[str, Text]:
    """The analytes results against `slots` must give, each with the reason."""
    required: dict[str, Text] = {}
    for slot in slots:
        for name in plan.needed(slot):
            required.setdefault(
                name,
                QT_TRANSLATE_NOOP("FollowUp", "needed for the {test} due {date}").format(
                    test=plan.test_name(slot), date=f"{slot.due:%d.%m.%Y}"
                ),
            )
    return required


def record_slot_results(
    ward: Ward,
    plan: FollowUpPlan,
    slots: Sequence[Slot],
    assessment: LabAssessment,
    *,
    by: str,
) -> list[LabResult]:
    """Store follow-up results against slots of the patient's plan.

    A slot of which the sample gives any analyte is answered, and must then have all its
    needed analytes (see `required_for`); slots the sample does not touch stay open. Each
    result names the slot of its test. Raises EntryError, storing nothing, otherwise.
    """
    if assessment.point is not SamplingPoint.FOLLOW_UP:
        raise ValueError("results against a follow-up slot are follow-up samples")
    keys = {slot.key for slot in plan.slots()}
    unknown = [slot for slot in slots if slot.key not in keys]
    if unknown:
        raise ValueError(f"not slots of plan {plan.id}: {', '.join(s.key for s in unknown)}")
    given = set(assessment.values) | ({URINALYSIS} if assessment.finding else set())
    touched = answered(plan, slots, given)
    problems = [
        FieldProblem(name, why)
        for name, why in required_for(plan, touched).items()
        if name not in given
    ]
    if not touched:
        problems.append(
            FieldProblem(
                GENERAL, QT_TRANSLATE_NOOP("FollowUp", "none of the tests due was entered")
            )
        )
    if problems:
        raise EntryError(problems)
    slot_of = {name: slot.key for slot in touched for name in plan.analytes(slot)}
    return record_results(
        ward,
        plan.patient,
        assessment,
        by=by,
        plan_id=plan.id,
        slots={name: key for name, key in slot_of.items() if name in given},
    )


def skip_slots(
    ward: Ward, plan: FollowUpPlan, slots: Sequence[Slot], *, by: str, reason: str
) -> None:
    """Record that the slots' tests are not done here (taken elsewhere, declined), with the
    reason; all of them or, when one is recorded already, none."""
    problems = []
    if not reason.strip():
        problems.append(
            FieldProblem(
                "reason", QT_TRANSLATE_NOOP("FollowUp", "say why the test is not done here")
            )
        )
    problems += _by_problems(by)
    keys = {s.key for s in plan.slots()}
    unknown = [slot.key for slot in slots if slot.key not in keys]
    if unknown:
        raise ValueError(f"not slots of plan {plan.id}: {', '.join(unknown)}")
    if problems:
        raise EntryError(problems)
    with ward.store.transaction():
        for slot in slots:
            where = "plan_id = ? AND slot = ?"
            recorded = ward.store.current("lab_results", where, (plan.id, slot.key))
            recorded += ward.store.current("followup_skips", where, (plan.id, slot.key))
            if recorded:
                raise SequenceError(
                    QT_TRANSLATE_NOOP(
                        "FollowUp", "the {test} due {date} is recorded already"
                    ).format(test=plan.test_name(slot), date=f"{slot.due:%d.%m.%Y}")
                )
            ward.store.insert_in_transaction(
                "followup_skips",
                {"plan_id": plan.id, "slot": slot.key, "reason": " ".join(reason.split())},
                by,
            )


def _by_problems(by: str) -> list[FieldProblem]:
    if by.strip():
        return []
    return [
        FieldProblem(
            "by", QT_TRANSLATE_NOOP("FollowUp", "every record needs the initials of the nurse")
        )
    ]


# -- reading -------------------------------------------------------------------------------------

_PLANS = """
    SELECT f.*, o.entered_at AS first_at, o.entered_by AS first_by,
           p.hospital_id, p.name, p.date_of_birth, p.sex, p.weight_kg, p.root_id AS patient_root
    FROM current_followup_plans AS f
    JOIN followup_plans AS o ON o.id = f.root_id
    JOIN current_patients AS p ON p.root_id = f.patient_id"""


def _patient(row: Row, patient_id: str) -> Patient:
    return Patient(
        hospital_id=row["hospital_id"],
        name=row["name"],
        date_of_birth=date.fromisoformat(row["date_of_birth"]),
        sex=row["sex"] or "unknown",
        weight_kg=row["weight_kg"],
        id=patient_id,
    )


def _plan(row: Row) -> FollowUpPlan:
    return FollowUpPlan(
        id=row["root_id"],
        patient=_patient(row, row["patient_root"]),
        course_id=row["course_id"],
        course_number=row["course_number"],
        first_infusion=date.fromisoformat(row["first_infusion_on"]),
        last_infusion=date.fromisoformat(row["last_infusion_on"]),
        ended_early=bool(row["ended_early"]),
        reason=row["reason"],
        schedule=FollowUpSchedule.from_snapshot(row["schedule"]),
        laid_out_at=from_iso(row["first_at"]),
        laid_out_by=row["first_by"],
    )


def _plan_results(ward: Ward, plan: FollowUpPlan) -> list[LabResult]:
    return [r for r in results_of_patient(ward, plan.patient.id) if r.plan_id == plan.id]


def _patients_with_plans(ward: Ward) -> list[str]:
    rows = ward.store.query("SELECT DISTINCT patient_id FROM current_followup_plans")
    return [row["patient_id"] for row in rows]
