"""What a patient's follow-up report says, gathered from the record: no layout, no PDF.

`followup_record` reads one patient's follow-up as it stands on a date: the courses with their
infusion dates, the plan followed now (what it counts from and when it ends), each test of the
plan with where it stands, the follow-up results per analyte over time read against their
reference ranges and graded, each severe neutropenia with the guidance the nurse was shown and
who confirmed it, and every correction or strike-out of a result. The record is only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from alemmonitor.clock import from_iso, local_date
from alemmonitor.followup import FollowUpPlan, SlotStatus, plans_of, slot_statuses
from alemmonitor.followup_plan import infusion_dates
from alemmonitor.labs import (
    ANALYTES,
    FINDINGS,
    LABELS,
    URINALYSIS,
    SamplingPoint,
    format_value,
)
from alemmonitor.labs_catalog import LabCatalog, default_catalog
from alemmonitor.labs_entry import range_text
from alemmonitor.labs_interpretation import interpret
from alemmonitor.labs_record import (
    NEUTROPENIA_ADVICE,
    SEVERE_NEUTROPENIA_GRADE,
    LabResult,
    results_of_patient,
)
from alemmonitor.patients import Patient
from alemmonitor.report_data import ReportError
from alemmonitor.store import Row
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text
from alemmonitor.ward import Ward

SHOWN_AHEAD = timedelta(days=92)
"""How far beyond the report's date the plan's tests are listed one by one."""
TREND_ANALYTES = ("neutrophils", "lymphocytes", "platelets")
"""The counts the report charts over the follow-up."""
STRUCK_OUT = QT_TRANSLATE_NOOP("FollowUpReport", "struck out")


@dataclass(frozen=True)
class CourseLine:
    """A course of the patient: its number, the dates alemtuzumab was given, its plan if any."""

    number: int
    days: int
    infusions: tuple[date, ...]
    plan: FollowUpPlan | None


@dataclass(frozen=True)
class ResultLine:
    """A follow-up result as the report prints it: the value with its comparator, the unit, the
    reference range, H or L outside it, and what the reading says beyond it."""

    result: LabResult
    value: Text
    unit: str
    reference: str
    flag: str
    reading: tuple[Text, ...]


@dataclass(frozen=True)
class SevereNeutropenia:
    """A neutrophil count of CTCAE grade 3 or 4: the guidance shown, who confirmed it and when."""

    result: LabResult
    advice: Text
    confirmed_by: str
    confirmed_at: datetime


@dataclass(frozen=True)
class ResultCorrection:
    """A result changed after it was entered: the original, the correction (None: struck out),
    who, when and why."""

    analyte: Text
    sampled_at: datetime
    original: Text
    correction: Text | None
    at: datetime
    by: str
    reason: str


@dataclass(frozen=True)
class FollowUpRecord:
    """Everything one patient's follow-up report shows, as of `today`.

    `statuses` are the plan's tests up to `SHOWN_AHEAD` after `today`; `later` counts the tests
    after them, the last due on `plan.ends` at the latest.
    """

    patient: Patient
    plan: FollowUpPlan
    today: date
    created_at: datetime
    courses: tuple[CourseLine, ...]
    statuses: tuple[SlotStatus, ...]
    later: int
    results: tuple[ResultLine, ...]
    severe: tuple[SevereNeutropenia, ...]
    corrections: tuple[ResultCorrection, ...]

    def series(self, analyte: str) -> list[tuple[datetime, float]]:
        """The values of `analyte` over the follow-up, by sampling time."""
        return [
            (line.result.sampled_at, line.result.value)
            for line in self.results
            if line.result.analyte == analyte and line.result.value is not None
        ]


def followup_record(
    ward: Ward, hospital_id: str, today: date | None = None, *, catalog: LabCatalog | None = None
) -> FollowUpRecord:
    """Read the follow-up of the patient with hospital ID `hospital_id` as it stands on `today`
    (the ward's today when None).

    Raises ReportError for an unknown patient or one without a follow-up plan.
    """
    catalog = catalog or default_catalog()
    patient = ward.patient(hospital_id)
    if patient is None:
        raise ReportError(f"no patient with the ID {hospital_id!r} in {ward.store.path}")
    plans = plans_of(ward, patient.id)
    if not plans:
        raise ReportError(
            f"{patient.name} ({patient.hospital_id}) has no follow-up plan: no course has ended"
        )
    plan = plans[-1]
    today = today or local_date(ward.clock, ward.clock.now())
    statuses = slot_statuses(ward, plan, today)
    horizon = today + SHOWN_AHEAD
    shown = tuple(s for s in statuses if s.slot.due <= horizon)
    plan_ids = {p.id for p in plans}
    results = [
        r for r in results_of_patient(ward, patient.id) if r.plan_id in plan_ids or _follow_up(r)
    ]
    order = {name: index for index, name in enumerate((*ANALYTES, URINALYSIS))}
    results.sort(key=lambda r: (order.get(r.analyte, 99), r.sampled_at))
    return FollowUpRecord(
        patient=patient,
        plan=plan,
        today=today,
        created_at=ward.clock.now(),
        courses=tuple(_courses(ward, patient, plans)),
        statuses=shown,
        later=len(statuses) - len(shown),
        results=tuple(_line(r, catalog) for r in results),
        severe=tuple(
            SevereNeutropenia(
                r,
                NEUTROPENIA_ADVICE if r.advice == str(NEUTROPENIA_ADVICE) else Text.data(r.advice),
                r.entered_by,
                r.entered_at,
            )
            for r in results
            if r.analyte == "neutrophils"
            and r.grade is not None
            and r.grade.grade >= SEVERE_NEUTROPENIA_GRADE
            and r.advice
        ),
        corrections=tuple(_corrections(ward, patient, plan_ids, catalog)),
    )


def _follow_up(result: LabResult) -> bool:
    return result.point is SamplingPoint.FOLLOW_UP


def _courses(ward: Ward, patient: Patient, plans: list[FollowUpPlan]) -> list[CourseLine]:
    planned = {p.course_id: p for p in plans}
    rows = ward.store.current("courses", "patient_id = ? ORDER BY number", (patient.id,))
    return [
        CourseLine(
            number=row["number"],
            days=row["days"],
            infusions=tuple(infusion_dates(ward.store, row["root_id"])),
            plan=planned.get(row["root_id"]),
        )
        for row in rows
    ]


def _line(result: LabResult, catalog: LabCatalog) -> ResultLine:
    if result.finding is not None:
        value = FINDINGS.get(result.finding, Text.data(result.finding))
        return ResultLine(result, value, "", "", "", interpret(result, day_number=None).flags)
    analyte = catalog.analyte(result.analyte)
    unit = analyte.stored_unit.shown
    reference = (
        range_text(result.reference, analyte).removesuffix(f" {unit}") if result.reference else ""
    )
    flag = ""
    if result.reference is not None and result.value is not None:
        flag = "H" if result.reference.above(result.value) else ""
        flag = "L" if result.reference.below(result.value) else flag
    return ResultLine(
        result,
        _value_text(result.value, result.comparator, analyte.decimals),
        unit,
        reference,
        flag,
        interpret(result, day_number=None, catalog=catalog).flags,
    )


def _value_text(value: float | None, comparator: str | None, decimals: int) -> Text:
    if value is None:
        return Text.data("—")
    return Text.data(f"{comparator or ''}{format_value(value, decimals)}")


def _corrections(
    ward: Ward, patient: Patient, plan_ids: set[str], catalog: LabCatalog
) -> list[ResultCorrection]:
    rows = ward.store.query(
        """SELECT c.*, o.value AS was_value, o.comparator AS was_comparator,
                  o.finding AS was_finding
           FROM lab_results AS c JOIN lab_results AS o ON o.id = c.supersedes
           WHERE c.patient_id = ? ORDER BY c.entered_at""",
        (patient.id,),
    )
    found = []
    for row in rows:
        if row["plan_id"] not in plan_ids and row["sampling_point"] != SamplingPoint.FOLLOW_UP:
            continue
        name = row["analyte"]
        original = _shown(row, "was_", name, catalog)
        found.append(
            ResultCorrection(
                analyte=LABELS.get(name) or Text.data(name),
                sampled_at=from_iso(row["sampled_at"]),
                original=original,
                correction=None if row["voided"] else _shown(row, "", name, catalog),
                at=from_iso(row["entered_at"]),
                by=row["entered_by"],
                reason=row["correction_reason"] or "",
            )
        )
    return found


def _shown(row: Row, prefix: str, name: str, catalog: LabCatalog) -> Text:
    finding = row[f"{prefix}finding"]
    if finding is not None:
        return FINDINGS.get(finding, Text.data(finding))
    analyte = catalog.analyte(name)
    value = _value_text(row[f"{prefix}value"], row[f"{prefix}comparator"], analyte.decimals)
    return Text.data(f"{value} {analyte.stored_unit.shown}")
