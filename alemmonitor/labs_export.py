"""Blood results and follow-up plans for the hospital's systems: which of them an export covers,
their LOINC codes, and their CSV rows (their FHIR resources are in `alemmonitor.fhir_labs`).

An export carries each result as it stands: a corrected result once, with its new value and
marked as corrected. A struck-out result is left out of the CSV, as struck-out events and
reactions are; the FHIR Bundle carries it as entered-in-error, without its value, so that a
system that imported it from an earlier export withdraws it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from alemmonitor.clock import Clock, from_iso
from alemmonitor.export import utc_window
from alemmonitor.followup import FollowUpPlan, SlotState, SlotStatus, plans_of, slot_statuses
from alemmonitor.labs import GROUPS, URINALYSIS, SamplingPoint
from alemmonitor.labs_catalog import LabCatalog, default_catalog
from alemmonitor.labs_record import (
    LabResult,
    result_history,
    results_of_day,
    results_of_patient,
)
from alemmonitor.patients import Patient
from alemmonitor.store import Row
from alemmonitor.ward import Admission, Ward

LAB_COLUMNS = (
    "result_id",
    "patient_id",
    "course",
    "day",
    "sample_id",
    "sampled_at",
    "point",
    "analyte",
    "loinc",
    "value",
    "comparator",
    "unit",
    "reference_low",
    "reference_high",
    "flag",
    "ctcae_term",
    "ctcae_version",
    "ctcae_grade",
    "slot",
    "note",
    "entered_by",
    "entered_at",
    "status",
    "corrects",
    "corrected_by",
    "corrected_at",
    "correction_reason",
)
FOLLOWUP_COLUMNS = (
    "patient_id",
    "course",
    "plan",
    "slot",
    "due",
    "test",
    "loinc",
    "state",
    "skip_reason",
    "result_ids",
)

REPLACED: Final = "replaced"
"""The state of a slot still open in a plan that a later course's plan replaced."""

# The blood count panels a follow-up test is ordered as, with their long common names
# (loinc.org); the analytes' own codes and names are the site's, in resources/labs.yaml.
_CBC_WITH_DIFFERENTIAL: Final = "57021-8"
_CBC: Final = "58410-2"
_PANEL_NAMES: Final[Mapping[str, str]] = {
    _CBC_WITH_DIFFERENTIAL: "CBC W Auto Differential panel - Blood",
    _CBC: "CBC panel - Blood by Automated count",
}
_BLOOD_COUNT: Final = frozenset(GROUPS[0][1])
_DIFFERENTIAL: Final = frozenset(
    ("neutrophils", "lymphocytes", "monocytes", "eosinophils", "basophils")
)


# -- codes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoincCode:
    """A LOINC code with its long common name."""

    code: str
    display: str

    @staticmethod
    def panel(code: str) -> LoincCode:
        """A blood count panel's code with its name."""
        return LoincCode(code, _PANEL_NAMES[code])


def analyte_code(name: str, catalog: LabCatalog | None = None) -> LoincCode:
    """The LOINC code of an analyte (or of the urinalysis) in the site's catalog."""
    catalog = catalog or default_catalog()
    coded = catalog.urinalysis if name == URINALYSIS else catalog.analyte(name)
    return LoincCode(coded.loinc, coded.loinc_name)


def order_code(analytes: Sequence[str], catalog: LabCatalog | None = None) -> LoincCode | None:
    """The LOINC code that orders a follow-up test made of `analytes`: the analyte's own for a
    single one, the blood count panel (with differential when it has any) for counts; None for
    a mixture no single LOINC panel names."""
    if len(analytes) == 1:
        return analyte_code(analytes[0], catalog)
    given = frozenset(analytes)
    if given <= _BLOOD_COUNT:
        return LoincCode.panel(_CBC_WITH_DIFFERENTIAL if given & _DIFFERENTIAL else _CBC)
    return None


def flag(result: LabResult) -> str:
    """H above the reference range, L below, N within; A for an abnormal urinalysis (the codes
    of HL7's observation interpretation); empty without a range to read it against."""
    if result.finding is not None:
        return "A" if result.finding == "abnormal" else "N"
    if result.value is None or result.reference is None:
        return ""
    if result.reference.above(result.value):
        return "H"
    if result.reference.below(result.value):
        return "L"
    return "N"


# -- what an export covers -----------------------------------------------------------------------


@dataclass(frozen=True)
class LabScope:
    """What a lab export covers: results sampled on `day` (the ward's calendar), of the infusion
    days given on chair `bed` (follow-up samples have no chair), of one `patient`; None: all."""

    day: date | None = None
    bed: str | None = None
    patient: Patient | None = None


@dataclass(frozen=True)
class StruckOutResult:
    """A result struck out of the record: who struck it out, when and why."""

    id: str
    patient_id: str
    sample_id: str
    analyte: str
    sampled_at: datetime
    point: SamplingPoint
    plan_id: str | None
    slot: str | None
    struck_by: str
    struck_at: datetime
    reason: str


@dataclass(frozen=True)
class PlanForExport:
    """A follow-up plan with where each of its slots stands; `replaced_by` is the course whose
    plan replaced it, if one did."""

    plan: FollowUpPlan
    statuses: tuple[SlotStatus, ...]
    replaced_by: int | None

    def state(self, status: SlotStatus) -> str:
        """The slot's state in the ward's words; 'replaced' for one left open by a plan that a
        later one replaced."""
        if self.replaced_by is not None and status.state not in _SETTLED:
            return REPLACED
        return status.state.value


_SETTLED = (SlotState.DONE, SlotState.SKIPPED)


def results_for_export(
    ward: Ward, scope: LabScope, admissions: Sequence[Admission]
) -> list[LabResult]:
    """The results an export covers, as they stand; `admissions` are the infusion days it
    covers (those on the chair, when `scope.bed` is given)."""
    if scope.bed is not None:
        return [
            r
            for a in admissions
            if scope.patient is None or a.patient.id == scope.patient.id
            for r in results_of_day(ward, a)
        ]
    if scope.patient is not None:
        patient_ids = [scope.patient.id]
    else:
        window, params = _sampled_within(scope.day)
        rows = ward.store.query(
            f"SELECT DISTINCT patient_id FROM current_lab_results WHERE {window}",  # noqa: S608
            params,
        )
        patient_ids = [row["patient_id"] for row in rows]
    return [
        r
        for patient_id in patient_ids
        for r in results_of_patient(ward, patient_id)
        if _on(ward.clock, r.sampled_at, scope.day)
    ]


def struck_out_for_export(
    ward: Ward, scope: LabScope, admissions: Sequence[Admission]
) -> list[StruckOutResult]:
    """The struck-out results an export covers, by sampling time."""
    window, params = _sampled_within(scope.day, "v.")
    rows = ward.store.query(
        f"""SELECT v.* FROM lab_results AS v
            WHERE v.voided = 1 AND {window}
              AND NOT EXISTS (SELECT 1 FROM lab_results AS n WHERE n.supersedes = v.id)
            ORDER BY v.sampled_at, v.rowid""",  # noqa: S608 - the condition is ours
        params,
    )
    days = {a.id for a in admissions}
    return [
        _struck_out(row)
        for row in rows
        if _on(ward.clock, from_iso(row["sampled_at"]), scope.day)
        and (scope.bed is None or row["day_id"] in days)
        and (scope.patient is None or row["patient_id"] == scope.patient.id)
    ]


def plans_for_export(ward: Ward, patient_ids: Sequence[str], today: date) -> list[PlanForExport]:
    """Every follow-up plan of the patients, each slot where it stands on `today`; a plan that
    a later course's plan replaced says so."""
    exported = []
    for patient_id in patient_ids:
        plans = plans_of(ward, patient_id)
        for index, plan in enumerate(plans):
            later = plans[index + 1].course_number if index + 1 < len(plans) else None
            exported.append(PlanForExport(plan, tuple(slot_statuses(ward, plan, today)), later))
    return exported


def _sampled_within(day: date | None, prefix: str = "") -> tuple[str, tuple[str, ...]]:
    if day is None:
        return "1", ()
    return f"{prefix}sampled_at >= ? AND {prefix}sampled_at < ?", tuple(utc_window(day))


def _on(clock: Clock, moment: datetime, day: date | None) -> bool:
    return day is None or clock.local(moment).date() == day


def _struck_out(row: Row) -> StruckOutResult:
    return StruckOutResult(
        id=row["root_id"],
        patient_id=row["patient_id"],
        sample_id=row["sample_id"],
        analyte=row["analyte"],
        sampled_at=from_iso(row["sampled_at"]),
        point=SamplingPoint(row["sampling_point"]),
        plan_id=row["plan_id"],
        slot=row["slot"],
        struck_by=row["entered_by"],
        struck_at=from_iso(row["entered_at"]),
        reason=row["correction_reason"],
    )


# -- CSV -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """The latest correction of a result: who, when, why, and the value it replaced."""

    by: str
    at: datetime
    reason: str
    replaced: str


def correction_of(ward: Ward, result: LabResult) -> Correction | None:
    """How the result was last corrected; None for a result never corrected."""
    if not result.corrected:
        return None
    *_, before, now = result_history(ward, result.id)
    return Correction(
        by=now["entered_by"],
        at=from_iso(now["entered_at"]),
        reason=now["correction_reason"],
        replaced=_value_text(before["comparator"], before["value"], before["finding"]),
    )


def lab_rows(
    ward: Ward, results: Sequence[LabResult], catalog: LabCatalog | None = None
) -> Iterator[tuple[str, ...]]:
    """One row per result as it stands (see `LAB_COLUMNS`): times with their UTC offset, the
    value in the stored UCUM unit with its comparator apart, the range it was read against, its
    flag and CTCAE grade; a corrected one says so, with the value it replaced."""
    courses, days = _numbers(ward)
    patients = {p.id: p.hospital_id for p in ward.patients()}
    for r in results:
        correction = correction_of(ward, r)
        reference = r.reference
        yield (
            r.id,
            patients.get(r.patient_id, ""),
            courses.get(r.course_id or "", ""),
            days.get(r.day_id or "", ""),
            r.sample_id,
            _local(ward.clock, r.sampled_at),
            r.point.value,
            r.analyte,
            analyte_code(r.analyte, catalog).code,
            _value_text(None, r.value, r.finding),
            r.comparator or "",
            r.unit or "",
            _number(reference.low if reference else None),
            _number(reference.high if reference else None),
            flag(r),
            r.grade.term if r.grade else "",
            r.grade.version if r.grade else "",
            str(r.grade.grade) if r.grade else "",
            r.slot or "",
            r.note or "",
            r.entered_by,
            _local(ward.clock, r.entered_at),
            "corrected" if correction else "final",
            correction.replaced if correction else "",
            correction.by if correction else "",
            _local(ward.clock, correction.at) if correction else "",
            correction.reason if correction else "",
        )


def followup_rows(
    ward: Ward, plans: Sequence[PlanForExport], day: date | None = None
) -> Iterator[tuple[str, ...]]:
    """One row per slot of the plans (see `FOLLOWUP_COLUMNS`), of those due on `day` when
    given: the plan is 'current' or 'replaced by course N'; result ids name the rows of
    `--what labs` (and the Observations of the FHIR Bundle) that answer the slot."""
    for exported in plans:
        plan = exported.plan
        if exported.replaced_by is None:
            standing = "current"
        else:
            standing = f"replaced by course {exported.replaced_by}"
        for status in exported.statuses:
            slot = status.slot
            if day is not None and slot.due != day:
                continue
            code = order_code(plan.analytes(slot))
            yield (
                plan.patient.hospital_id,
                str(plan.course_number),
                standing,
                slot.key,
                slot.due.isoformat(),
                str(plan.test_name(slot)),
                code.code if code else "",
                exported.state(status),
                status.skip_reason or "",
                "|".join(r.id for r in status.results),
            )


def _numbers(ward: Ward) -> tuple[dict[str, str], dict[str, str]]:
    """Course and day numbers by record id."""
    courses = {
        row["root_id"]: str(row["number"])
        for row in ward.store.query("SELECT root_id, number FROM current_courses")
    }
    days = {
        row["root_id"]: str(row["day_number"])
        for row in ward.store.query("SELECT root_id, day_number FROM current_infusion_days")
    }
    return courses, days


def _value_text(comparator: str | None, value: float | None, finding: str | None) -> str:
    if finding is not None:
        return finding
    return f"{comparator or ''}{_number(value)}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _local(clock: Clock, moment: datetime) -> str:
    return clock.local(moment).isoformat(timespec="seconds")
