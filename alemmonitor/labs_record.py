"""Blood results in the record: storing a checked sample, reading results back, correcting them.

A sample is the results of one blood draw (they share `sample_id`). Each result keeps its value
in the stored unit, what was typed, the reference range it was read against, its CTCAE grade
(with the version) and, for a severe neutropenia, the advice the nurse was shown. Results are
clinical records: a correction is a new version with who, when and why, a strike-out keeps the
result in the history.

A platelet count taken after the infusion answers the day's protocol step: storing it ticks the
step (a lab-sampled event at the sampling time) in the same transaction, and the result names the
step. Results entered against follow-up slots name the plan and the slot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alemmonitor.clock import from_iso, to_iso
from alemmonitor.errors import EntryError, FieldProblem, StoreError
from alemmonitor.infusion_day import EventKind, TaskState
from alemmonitor.labs import ANALYTES, LABELS, URINALYSIS, SamplingPoint
from alemmonitor.labs_catalog import CtcaeGrade, LabCatalog, Range, default_catalog, grade_of
from alemmonitor.labs_entry import FUTURE_TOLERANCE, LabAssessment, SamplingContext, assess_results
from alemmonitor.patients import Patient
from alemmonitor.reactions import Ctcae, default_ctcae
from alemmonitor.store import Row, new_id
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, known_text
from alemmonitor.ward import Admission, Ward

NEUTROPENIA_ADVICE = QT_TRANSLATE_NOOP(
    "Labs",
    "Severe neutropenia: involve the physician now. Ask for a blood smear and look for large "
    "granular lymphocytes (LGL): in the published case of neutropenia after alemtuzumab they "
    "made up 80-90 % of the smear, and the neutropenia resolved with low-dose prednisolone.",
)
"""What the nurse is told for a neutrophil count of CTCAE grade 3 or 4 (seed 004)."""

SEVERE_NEUTROPENIA_GRADE = 3
"""The CTCAE grade from which a neutrophil count brings the case report's guidance."""


@dataclass(frozen=True)
class LabResult:
    """One result as it stands now (its latest version).

    `id` names the result's first version; `value` is in `unit` (with `comparator` when the
    report gave a limit such as '<0.05'); a urinalysis has a `finding` instead. `reference` is
    the range it was read against, `grade` its CTCAE grade when it has one, `task` the day's
    protocol step and `plan_id`/`slot` the follow-up slot it answers. `entered_by` is who first
    entered it; `corrected` says whether it was changed since.
    """

    id: str
    patient_id: str
    course_id: str | None
    day_id: str | None
    sample_id: str
    analyte: str
    value: float | None
    comparator: str | None
    unit: str | None
    finding: str | None
    typed: str | None
    reference: Range | None
    sampled_at: datetime
    point: SamplingPoint
    task: str | None
    plan_id: str | None
    slot: str | None
    grade: CtcaeGrade | None
    advice: str | None
    note: str | None
    entered_at: datetime
    entered_by: str
    corrected: bool

    @property
    def label(self) -> Text:
        """What the ward calls the analyte."""
        return LABELS.get(self.analyte) or Text.data(self.analyte)


def sampling_context(ward: Ward, admission: Admission) -> SamplingContext:
    """What the record knows about the infusion day a sample is taken on."""
    protocol = ward.protocol
    status = ward.infusion_day(admission).status(ward.clock.now())
    steroid = next((t for t in status.tasks if t.id == "steroid"), None)
    return SamplingContext(
        starts_at=admission.planned_start,
        steroid_day=protocol.steroid_on(admission.course_number, admission.day_number) is not None,
        local=ward.clock.local,
        steroid_started_at=steroid.done_at if steroid and steroid.state is TaskState.DONE else None,
        infusion_started_at=status.infusion_started_at,
        infusion_ended_at=status.infusion_ended_at,
    )


def record_results(
    ward: Ward,
    patient: Patient,
    assessment: LabAssessment,
    *,
    by: str,
    admission: Admission | None = None,
    plan_id: str | None = None,
    slots: Mapping[str, str] | None = None,
    catalog: LabCatalog | None = None,
    ctcae: Ctcae | None = None,
) -> list[LabResult]:
    """Store a checked sample of `patient`; returns its results as stored.

    `admission` is the infusion day it was taken on (none for follow-up); `slots` map analytes
    to the follow-up slots of `plan_id` they answer. A platelet count after alemtuzumab ticks the
    day's protocol step. Raises EntryError, storing nothing, when the assessment refused
    anything or a value is not one the record takes; SequenceError when the day cannot take the
    sample (its step is not today's, say).
    """
    catalog = catalog or default_catalog()
    ctcae = ctcae or default_ctcae()
    problems = [*assessment.refused, *_by_problems(by), *_impossible(assessment, catalog)]
    if assessment.sampled_at > ward.clock.now() + FUTURE_TOLERANCE:
        problems.append(
            FieldProblem(
                "sampled_at",
                QT_TRANSLATE_NOOP(
                    "Labs", "later than now: the sample cannot be taken in the future"
                ),
            )
        )
    if slots and plan_id is None:
        raise ValueError("slots need the plan they belong to")
    if problems:
        raise EntryError(problems)
    sample_id = new_id()
    common: dict[str, Any] = {
        "patient_id": patient.id,
        "course_id": None,
        "day_id": admission.id if admission is not None else None,
        "sample_id": sample_id,
        "sampled_at": to_iso(assessment.sampled_at),
        "sampling_point": assessment.point.value,
        "plan_id": plan_id,
        "note": assessment.note,
    }
    with ward.store.transaction():
        if admission is not None:
            common["course_id"] = _course_id(ward, admission)
        elif plan_id is not None:
            plan = ward.store.current_by_root("followup_plans", plan_id)
            if plan is None:
                raise StoreError(f"no follow-up plan {plan_id}")
            common["course_id"] = plan["course_id"]
        tasks = _answer_steps(ward, admission, assessment, by, catalog)
        rows = []
        for name in ANALYTES:
            measured = assessment.values.get(name)
            if measured is None:
                continue
            analyte = catalog.analyte(name)
            reference = analyte.reference_for(patient.sex)
            grade = grade_of(
                analyte, measured.value, reference, comparator=measured.comparator, ctcae=ctcae
            )
            rows.append(
                {
                    **common,
                    "analyte": name,
                    "value": measured.value,
                    "comparator": measured.comparator,
                    "unit": measured.unit,
                    "typed": measured.typed,
                    "reference_low": reference.low,
                    "reference_high": reference.high,
                    "task": tasks.get(name),
                    "slot": (slots or {}).get(name),
                    **_grade_columns(name, grade),
                }
            )
        if assessment.finding is not None:
            rows.append(
                {
                    **common,
                    "analyte": URINALYSIS,
                    "finding": assessment.finding,
                    "slot": (slots or {}).get(URINALYSIS),
                }
            )
        for row in rows:
            ward.store.insert_in_transaction("lab_results", row, by)
    return [r for r in results_of_patient(ward, patient.id) if r.sample_id == sample_id]


def _grade_columns(name: str, grade: CtcaeGrade | None) -> dict[str, Any]:
    if grade is None:
        return {"ctcae_term": None, "ctcae_version": None, "grade": None, "advice": None}
    severe = name == "neutrophils" and grade.grade >= SEVERE_NEUTROPENIA_GRADE
    return {
        "ctcae_term": grade.term,
        "ctcae_version": grade.version,
        "grade": grade.grade,
        "advice": str(NEUTROPENIA_ADVICE) if severe else None,
    }


def _answer_steps(
    ward: Ward,
    admission: Admission | None,
    assessment: LabAssessment,
    by: str,
    catalog: LabCatalog,
) -> dict[str, str]:
    """The day's protocol steps the sample answers, by analyte; open ones are ticked."""
    if admission is None or assessment.point is not SamplingPoint.AFTER_ALEMTUZUMAB:
        return {}
    todays = {
        lab.id for lab in ward.protocol.labs_for(admission.course_number, admission.day_number)
    }
    answered: dict[str, str] = {}
    status = ward.infusion_day(admission).status(ward.clock.now())
    for step in catalog.steps_answered(set(assessment.values)):
        if step not in todays:
            continue
        for name in catalog.protocol_steps[step]:
            if name in assessment.values:
                answered[name] = step
        if status.task(step).state not in (TaskState.DONE, TaskState.SKIPPED):
            ward.record_in_transaction(
                admission, EventKind.LAB_SAMPLED, by=by, at=assessment.sampled_at, task=step
            )
    return answered


def _course_id(ward: Ward, admission: Admission) -> str:
    row = ward.store.current_by_root("infusion_days", admission.id)
    if row is None:
        raise StoreError(f"no infusion day {admission.id}")
    return str(row["course_id"])


def _impossible(assessment: LabAssessment, catalog: LabCatalog) -> list[FieldProblem]:
    """Values the record does not take whatever the entry said: the record's own guard."""
    problems = []
    for name, measured in assessment.values.items():
        if name not in catalog.analytes:
            problems.append(
                FieldProblem(name, QT_TRANSLATE_NOOP("Labs", "not an analyte the record knows"))
            )
            continue
        analyte = catalog.analyte(name)
        if measured.unit != analyte.unit or not analyte.possible.holds(measured.value):
            problems.append(
                FieldProblem(
                    name,
                    QT_TRANSLATE_NOOP("Labs", "{value} {unit} is not possible").format(
                        value=measured.value, unit=measured.unit
                    ),
                )
            )
    return problems


def _by_problems(by: str) -> list[FieldProblem]:
    if by.strip():
        return []
    return [
        FieldProblem(
            "by", QT_TRANSLATE_NOOP("Labs", "every record needs the initials of the nurse")
        )
    ]


# -- reading back --------------------------------------------------------------------------------

# The current version of each result with who entered its first version and whether it changed.
_CURRENT = """
    SELECT r.*, o.entered_by AS first_by, o.entered_at AS first_at, r.id != r.root_id AS changed
    FROM current_lab_results AS r JOIN lab_results AS o ON o.id = r.root_id"""


def results_of_patient(ward: Ward, patient_id: str) -> list[LabResult]:
    """Every result of the patient as it stands, by sampling time, in the order of a report."""
    return _results(ward, "r.patient_id = ?", (patient_id,))


def results_of_course(ward: Ward, course_id: str) -> list[LabResult]:
    """The results of one course: its infusion week and its follow-up."""
    return _results(ward, "r.course_id = ?", (course_id,))


def results_of_day(ward: Ward, admission: Admission) -> list[LabResult]:
    """The results of samples taken on an infusion day."""
    return _results(ward, "r.day_id = ?", (admission.id,))


def results_for_step(ward: Ward, admission: Admission, step: str) -> list[LabResult]:
    """The results that answer a protocol step of the day (its platelet count)."""
    return [r for r in results_of_day(ward, admission) if r.task == step]


def result_history(ward: Ward, result_id: str) -> list[Row]:
    """Every version of a result as stored, oldest first."""
    return ward.store.history("lab_results", result_id)


def _results(ward: Ward, where: str, params: tuple[Any, ...]) -> list[LabResult]:
    rows = ward.store.query(f"{_CURRENT} WHERE {where}", params)
    order = {name: index for index, name in enumerate((*ANALYTES, URINALYSIS))}
    results = [_result(row) for row in rows]
    return sorted(results, key=lambda r: (r.sampled_at, r.sample_id, order.get(r.analyte, 99)))


def _result(row: Row) -> LabResult:
    low, high = row["reference_low"], row["reference_high"]
    grade = None
    if row["ctcae_term"] is not None:
        term = default_ctcae().term(row["ctcae_term"])
        text = term.grade_text(row["grade"]) if term is not None else None
        grade = CtcaeGrade(row["ctcae_term"], row["ctcae_version"], row["grade"], text or "")
    return LabResult(
        id=row["root_id"],
        patient_id=row["patient_id"],
        course_id=row["course_id"],
        day_id=row["day_id"],
        sample_id=row["sample_id"],
        analyte=row["analyte"],
        value=row["value"],
        comparator=row["comparator"],
        unit=row["unit"],
        finding=row["finding"],
        typed=row["typed"],
        reference=Range(low=low, high=high) if low is not None or high is not None else None,
        sampled_at=from_iso(row["sampled_at"]),
        point=SamplingPoint(row["sampling_point"]),
        task=row["task"],
        plan_id=row["plan_id"],
        slot=row["slot"],
        grade=grade,
        advice=known_text(row["advice"], NEUTROPENIA_ADVICE) if row["advice"] else None,
        note=row["note"],
        entered_at=from_iso(row["first_at"]),
        entered_by=row["first_by"],
        corrected=bool(row["changed"]),
    )


# -- corrections ---------------------------------------------------------------------------------


def correct_result(
    ward: Ward,
    result_id: str,
    *,
    text: str,
    unit: str,
    by: str,
    reason: str,
    catalog: LabCatalog | None = None,
    ctcae: Ctcae | None = None,
) -> LabResult:
    """Correct a result's value (`text` typed in the unit `unit`, as on the entry form).

    The new value is read and graded like a new one against the range the result was read
    against; the version it replaces stays in the history. Raises EntryError, storing nothing,
    for a value the entry refuses, without a reason or initials, or when nothing changes.
    """
    catalog = catalog or default_catalog()
    ctcae = ctcae or default_ctcae()
    with ward.store.transaction():
        row = _current_row(ward, result_id)
        name = row["analyte"]
        if name == URINALYSIS:
            raise ValueError("a urinalysis has a finding, not a value: strike it out and re-enter")
        patient = ward.store.current_by_root("patients", row["patient_id"])
        assessment = assess_results(
            {name: text},
            {name: unit},
            sex=(patient or {}).get("sex") or "unknown",
            point=SamplingPoint(row["sampling_point"]),
            sampled_at=from_iso(row["sampled_at"]),
            now=ward.clock.now(),
            catalog=catalog,
        )
        problems = [
            *assessment.refused,
            *_impossible(assessment, catalog),
            *_by_problems(by),
            *_reason_problems(reason),
        ]
        measured = assessment.values.get(name)
        unchanged = measured is not None and (measured.value, measured.comparator) == (
            row["value"],
            row["comparator"],
        )
        if not problems and unchanged:
            problems.append(
                FieldProblem(name, QT_TRANSLATE_NOOP("Labs", "the correction changes nothing"))
            )
        if problems or measured is None:
            raise EntryError(problems)
        low, high = row["reference_low"], row["reference_high"]
        reference = Range(low=low, high=high) if low is not None or high is not None else None
        grade = (
            grade_of(
                catalog.analyte(name),
                measured.value,
                reference,
                comparator=measured.comparator,
                ctcae=ctcae,
            )
            if reference is not None
            else None
        )
        ward.store.correct_in_transaction(
            "lab_results",
            row["id"],
            {
                "value": measured.value,
                "comparator": measured.comparator,
                "typed": measured.typed,
                **_grade_columns(name, grade),
            },
            by,
            reason.strip(),
        )
    return _results(ward, "r.root_id = ?", (result_id,))[0]


def strike_out_result(ward: Ward, result_id: str, *, by: str, reason: str) -> None:
    """Strike out a result entered in error; it stays in the history with who and why."""
    problems = [*_by_problems(by), *_reason_problems(reason)]
    if problems:
        raise EntryError(problems)
    with ward.store.transaction():
        row = _current_row(ward, result_id)
        ward.store.correct_in_transaction(
            "lab_results", row["id"], {}, by, reason.strip(), void=True
        )


def _current_row(ward: Ward, result_id: str) -> Row:
    row = ward.store.current_by_root("lab_results", result_id)
    if row is None:
        raise StoreError(f"no result {result_id} in the record (or it was struck out)")
    return row


def _reason_problems(reason: str) -> list[FieldProblem]:
    if reason.strip():
        return []
    return [FieldProblem("reason", QT_TRANSLATE_NOOP("Labs", "say why the result is corrected"))]
