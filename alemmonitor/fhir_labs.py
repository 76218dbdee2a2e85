"""Blood results and follow-up plans as FHIR R4 resources, for the Bundle of `alemmonitor.fhir`.

A result is a laboratory Observation coded with the LOINC code of the site's catalog, its value
in the catalog's UCUM unit, the reference range it was read against, its interpretation (H, L,
N; A for an abnormal urinalysis) and, for a graded count, its CTCAE grade as a component coded
in words (R4 has no code system for CTCAE grades; no extension is needed). Its id is the
result's, the same for every version, so that a receiving system updates what it holds: a
corrected result comes once, with its new value, as `corrected`; a struck-out one as
`entered-in-error` without its value.

The results of one blood draw are gathered in a DiagnosticReport (a laboratory report, LOINC
11502-2) that lists their Observations and the slots' ServiceRequests it answers: how laboratory
systems receive a sample's results. Its status follows its results: corrected when one was,
entered-in-error when all of them were struck out.

The follow-up plan is a CarePlan per course with one ServiceRequest (intent `plan`) per slot:
a test due on a date. ServiceRequest is what laboratory and order systems act on and what a
result names as what it answers (`Observation.basedOn`), each slot keeping its own status;
CarePlan activities alone are parts of one resource that results cannot refer to. The CarePlan
groups the slots, so a system that reads care plans sees the whole plan too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from alemmonitor.clock import to_iso
from alemmonitor.followup import SlotState, SlotStatus
from alemmonitor.labs import LABELS, URINALYSIS, SamplingPoint
from alemmonitor.labs_catalog import LabCatalog, Range, default_catalog
from alemmonitor.labs_export import (
    REPLACED,
    Correction,
    LoincCode,
    PlanForExport,
    StruckOutResult,
    analyte_code,
    flag,
    order_code,
)
from alemmonitor.labs_record import LabResult

LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
_INTERPRETATIONS = {
    "H": "High",
    "L": "Low",
    "N": "Normal",
    "A": "Abnormal",
}
_LABORATORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory",
            "display": "Laboratory",
        }
    ],
    "text": "Laboratory",
}
_LAB_SECTION = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v2-0074",
            "code": "LAB",
            "display": "Laboratory",
        }
    ],
    "text": "Laboratory",
}
_LAB_REPORT = ("11502-2", "Laboratory report")
_LABORATORY_PROCEDURE = {
    "coding": [
        {"system": "http://snomed.info/sct", "code": "108252007", "display": "Laboratory procedure"}
    ],
    "text": "Laboratory procedure",
}
_POINTS = {
    SamplingPoint.BEFORE_STEROID: "sampled before the steroid (or the infusion)",
    SamplingPoint.AFTER_STEROID: "sampled after the steroid",
    SamplingPoint.AFTER_ALEMTUZUMAB: "sampled after the alemtuzumab infusion",
    SamplingPoint.FOLLOW_UP: "follow-up sample",
}
# A slot's state in the ward's words -> ServiceRequest.status. Open slots are active; a slot
# missed (still open when the next of its test fell due), skipped (not done here, with the
# reason) or left open by a replaced plan will not be done: the request ended before it was
# fulfilled, which R4 calls revoked. The note says which.
_REQUEST_STATUS = {
    SlotState.UPCOMING.value: "active",
    SlotState.DUE_SOON.value: "active",
    SlotState.DUE.value: "active",
    SlotState.OVERDUE.value: "active",
    SlotState.DONE.value: "completed",
    SlotState.SKIPPED.value: "revoked",
    SlotState.MISSED.value: "revoked",
    REPLACED: "revoked",
}


def url(record_id: str) -> str:
    """The Bundle's full URL of a resource with this id."""
    return f"urn:uuid:{record_id}"


def slot_request_id(plan_id: str, slot_key: str) -> str:
    """The id of a slot's ServiceRequest: the same for the slot in every export."""
    return str(uuid.uuid5(uuid.UUID(plan_id), slot_key))


# -- results -------------------------------------------------------------------------------------


def result_observation(
    result: LabResult,
    subject: Mapping[str, str],
    correction: Correction | None,
    *,
    requests: frozenset[str] = frozenset(),
    catalog: LabCatalog | None = None,
) -> dict[str, Any]:
    """A result as it stands as a laboratory Observation; `requests` are the ids of the slots'
    ServiceRequests in the Bundle (a follow-up result names the one it answers)."""
    catalog = catalog or default_catalog()
    resource = {
        **_frame(result.id, result.analyte, subject, result.sampled_at, catalog),
        "status": "corrected" if correction else "final",
        "issued": to_iso(correction.at if correction else result.entered_at),
        "performer": [{"display": result.entered_by}],
    }
    if result.plan_id is not None and result.slot is not None:
        request = slot_request_id(result.plan_id, result.slot)
        if request in requests:
            resource["basedOn"] = [{"reference": url(request)}]
    if result.finding is not None:
        resource["valueCodeableConcept"] = {"text": result.finding}
    elif result.value is not None and result.unit is not None:
        resource["valueQuantity"] = _quantity(result.value, result.unit, catalog, result.analyte)
        if result.comparator:
            resource["valueQuantity"]["comparator"] = result.comparator
    interpretation = flag(result)
    if interpretation:
        resource["interpretation"] = [
            {
                "coding": [
                    {
                        "system": _INTERPRETATION,
                        "code": interpretation,
                        "display": _INTERPRETATIONS[interpretation],
                    }
                ]
            }
        ]
    if result.reference is not None and result.unit is not None:
        resource["referenceRange"] = [
            _range(result.reference, result.unit, catalog, result.analyte)
        ]
    if result.grade is not None:
        grade = result.grade
        resource["component"] = [
            {
                "code": {"text": f"CTCAE v{grade.version} grade: {grade.term}"},
                "valueInteger": grade.grade,
            }
        ]
    notes = [_POINTS[result.point]]
    if result.grade is not None:
        notes.append(
            f"{result.grade.term}, CTCAE v{result.grade.version} grade {result.grade.grade}"
        )
    if result.advice:
        notes.append(f"advice shown to the nurse: {result.advice}")
    if result.note:
        notes.append(result.note)
    if correction is not None:
        notes.append(
            f"corrected by {correction.by} at {to_iso(correction.at)}: {correction.reason}"
        )
    resource["note"] = [{"text": text} for text in notes]
    return resource


def struck_out_observation(
    struck: StruckOutResult, subject: Mapping[str, str], catalog: LabCatalog | None = None
) -> dict[str, Any]:
    """A struck-out result as an entered-in-error Observation, without its value."""
    catalog = catalog or default_catalog()
    return {
        **_frame(struck.id, struck.analyte, subject, struck.sampled_at, catalog),
        "status": "entered-in-error",
        "issued": to_iso(struck.struck_at),
        "note": [
            {"text": _POINTS[struck.point]},
            {
                "text": f"struck out by {struck.struck_by} at {to_iso(struck.struck_at)}: "
                f"{struck.reason}"
            },
        ],
    }


def _frame(
    result_id: str,
    analyte: str,
    subject: Mapping[str, str],
    sampled_at: datetime,
    catalog: LabCatalog,
) -> dict[str, Any]:
    label = str(LABELS.get(analyte, analyte))
    return {
        "resourceType": "Observation",
        "id": result_id,
        "category": [_LABORATORY],
        "code": _concept(analyte_code(analyte, catalog), label),
        "subject": dict(subject),
        "effectiveDateTime": to_iso(sampled_at),
    }


def _concept(code: LoincCode | None, text: str) -> dict[str, Any]:
    if code is None:
        return {"text": text}
    coding = {"system": LOINC, "code": code.code, "display": code.display}
    return {"coding": [coding], "text": text}


def _quantity(value: float, unit: str, catalog: LabCatalog, analyte: str) -> dict[str, Any]:
    shown = unit
    if analyte != URINALYSIS:
        try:
            shown = catalog.analyte(analyte).unit_named(unit).shown
        except KeyError:
            shown = unit
    return {"value": value, "unit": shown, "system": UCUM, "code": unit}


def _range(reference: Range, unit: str, catalog: LabCatalog, analyte: str) -> dict[str, Any]:
    ends: dict[str, Any] = {}
    if reference.low is not None:
        ends["low"] = _quantity(reference.low, unit, catalog, analyte)
    if reference.high is not None:
        ends["high"] = _quantity(reference.high, unit, catalog, analyte)
    return ends


def sample_report(
    results: Sequence[LabResult],
    struck_out: Sequence[StruckOutResult],
    corrections: Mapping[str, Correction],
    subject: Mapping[str, str],
    *,
    requests: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The DiagnosticReport of one sample (at least one result): its results as they stand and
    those struck out, `corrections` by result id; `requests` are the slots' ServiceRequests in
    the Bundle, of which the report names those its results answer."""
    first = results[0] if results else struck_out[0]
    if not results:
        status = "entered-in-error"
    elif struck_out or any(r.id in corrections for r in results):
        status = "corrected"
    else:
        status = "final"
    issued = max(
        [r.entered_at for r in results]
        + [c.at for c in corrections.values()]
        + [s.struck_at for s in struck_out]
    )
    slots = [(r.plan_id, r.slot) for r in results] + [(s.plan_id, s.slot) for s in struck_out]
    answered = sorted(
        {
            request
            for plan_id, slot in slots
            if plan_id is not None and slot is not None
            if (request := slot_request_id(plan_id, slot)) in requests
        }
    )
    report: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": first.sample_id,
        "status": status,
        "category": [_LAB_SECTION],
        "code": _concept(LoincCode(*_LAB_REPORT), "Laboratory report"),
        "subject": dict(subject),
        "effectiveDateTime": to_iso(first.sampled_at),
        "issued": to_iso(issued),
        "result": [{"reference": url(r.id)} for r in results]
        + [{"reference": url(s.id)} for s in struck_out],
        "conclusion": _POINTS[first.point],
    }
    if results:
        entered_by = dict.fromkeys(r.entered_by for r in results)
        report["performer"] = [{"display": by} for by in entered_by]
    if answered:
        report["basedOn"] = [{"reference": url(request)} for request in answered]
    return report


# -- the follow-up plan --------------------------------------------------------------------------


def plan_resources(exported: PlanForExport, subject: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """The CarePlan of a course's follow-up and a ServiceRequest for each of its slots."""
    plan = exported.plan
    requests = [_slot_request(exported, status, subject) for status in exported.statuses]
    slots = plan.slots()
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": plan.id,
        "status": "active" if exported.replaced_by is None else "revoked",
        "intent": "plan",
        "title": f"Follow-up after alemtuzumab course {plan.course_number}",
        "description": f"Tests after the course given {plan.first_infusion.isoformat()} to "
        f"{plan.last_infusion.isoformat()}",
        "subject": dict(subject),
        "created": to_iso(plan.laid_out_at),
        "author": {"display": plan.laid_out_by},
        "activity": [{"reference": {"reference": url(r["id"])}} for r in requests],
    }
    if slots:
        care_plan["period"] = {
            "start": slots[0].due.isoformat(),
            "end": slots[-1].due.isoformat(),
        }
    notes = []
    if plan.ended_early:
        notes.append(f"the course ended early: {plan.reason}")
    if exported.replaced_by is not None:
        notes.append(f"replaced by the plan after course {exported.replaced_by}")
    if notes:
        care_plan["note"] = [{"text": text} for text in notes]
    yield care_plan
    yield from requests


def _slot_request(
    exported: PlanForExport, status: SlotStatus, subject: Mapping[str, str]
) -> dict[str, Any]:
    plan = exported.plan
    slot = status.slot
    state = exported.state(status)
    note = state
    if status.skip_reason:
        note += f": not done here, {status.skip_reason}"
    elif state == SlotState.MISSED.value:
        note += ": still open when the next one of this test fell due"
    return {
        "resourceType": "ServiceRequest",
        "id": slot_request_id(plan.id, slot.key),
        # The slot's key names the test and its due date; it is unique within the plan, whose
        # URN is the identifier's system.
        "identifier": [{"system": url(plan.id), "value": slot.key}],
        "basedOn": [{"reference": url(plan.id)}],
        "status": _REQUEST_STATUS[state],
        "intent": "plan",
        "category": [_LABORATORY_PROCEDURE],
        "code": _concept(order_code(plan.analytes(slot)), str(plan.test_name(slot))),
        "subject": dict(subject),
        "occurrenceDateTime": slot.due.isoformat(),
        "authoredOn": to_iso(plan.laid_out_at),
        "note": [{"text": note}],
    }
