"""The record as a FHIR R4 Bundle for the hospital's systems: Patient, vital-sign Observations,
MedicationAdministration and AdverseEvent, as JSON; blood results and follow-up plans are built
in `alemmonitor.fhir_labs`.

Observations follow FHIR R4's vital-signs profile: category `vital-signs`, one LOINC code per
parameter and UCUM units (REFERENCE.md §7); blood pressure is the panel 85354-9 with systolic and
diastolic components. By default the Bundle carries the charted sets (what a nurse confirmed at
a vitals round); `device_values` adds every monitor value too. A medicine's batch lives where
R4 keeps it, on the Medication (contained in its MedicationAdministration); a reaction is an
AdverseEvent with its CTCAE term, version and grade, suspected to be caused by the day's
alemtuzumab. Built from plain dicts: the tests validate the result with a FHIR model library.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from alemmonitor.clock import from_iso, to_iso
from alemmonitor.fhir_labs import (
    LOINC,
    UCUM,
    plan_resources,
    result_observation,
    sample_report,
    struck_out_observation,
    url,
)
from alemmonitor.infusion_day import DayEvent, EventKind
from alemmonitor.labs_export import PlanForExport, StruckOutResult, correction_of
from alemmonitor.labs_record import LabResult
from alemmonitor.patients import Patient
from alemmonitor.reactions import reactions_of
from alemmonitor.store import Row
from alemmonitor.ward import Admission, Ward

_CATEGORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "vital-signs",
            "display": "Vital Signs",
        }
    ],
    "text": "Vital Signs",
}

# parameter -> LOINC codes (the first is the parameter's own; SpO2 also carries the code FHIR's
# vital-signs profile requires), display, UCUM code, unit as written.
VITAL_SIGNS: Final[Mapping[str, tuple[tuple[str, ...], str, str, str]]] = {
    "hr": (("8867-4",), "Heart rate", "/min", "/min"),
    "pr": (("8889-8",), "Heart rate by Pulse oximetry", "/min", "/min"),
    "sbp": (("8480-6",), "Systolic blood pressure", "mm[Hg]", "mmHg"),
    "dbp": (("8462-4",), "Diastolic blood pressure", "mm[Hg]", "mmHg"),
    "map": (("8478-0",), "Mean blood pressure", "mm[Hg]", "mmHg"),
    "temp": (("8310-5",), "Body temperature", "Cel", "°C"),
    "spo2": (("59408-5", "2708-6"), "Oxygen saturation by Pulse oximetry", "%", "%"),
    "rr": (("9279-1",), "Respiratory rate", "/min", "/min"),
}
BLOOD_PRESSURE_PANEL: Final = ("85354-9", "Blood pressure panel with all children optional")

_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
_ACTUALITY = "actual"
_GIVEN = (EventKind.PREMEDICATION_GIVEN, EventKind.STEROID_STARTED, EventKind.INFUSION_STARTED)
_ENDS = {
    EventKind.STEROID_STARTED: (EventKind.STEROID_FINISHED,),
    EventKind.INFUSION_STARTED: (EventKind.INFUSION_COMPLETED, EventKind.INFUSION_STOPPED),
}


@dataclass(frozen=True)
class LabsForExport:
    """The blood results and follow-up plans a Bundle carries besides the infusion days."""

    results: Sequence[LabResult] = ()
    struck_out: Sequence[StruckOutResult] = ()
    plans: Sequence[PlanForExport] = ()


def fhir_bundle(
    ward: Ward,
    admissions: list[Admission],
    *,
    device_values: bool = False,
    labs: LabsForExport | None = None,
    now: datetime | None = None,
    patient_id_system: str | None = None,
) -> dict[str, Any]:
    """A Bundle (type collection) of the given infusion days, and of `labs`: each result as a
    laboratory Observation, each plan as a CarePlan with a ServiceRequest per slot (see
    `alemmonitor.fhir_labs`). Each Patient's hospital ID is given in `patient_id_system` (a
    URI) when the site names it."""
    entries: list[dict[str, Any]] = []
    subjects: dict[str, dict[str, str]] = {}

    def subject_of(patient: Patient) -> dict[str, str]:
        if patient.id not in subjects:
            subjects[patient.id] = {"reference": url(patient.id), "display": patient.name}
            entries.append(_entry(_patient(patient, patient_id_system)))
        return subjects[patient.id]

    for admission in admissions:
        subject = subject_of(admission.patient)
        entries += [
            _entry(r) for r in _observations(ward, admission, subject, device_values=device_values)
        ]
        given = list(_administrations(ward, admission, subject))
        entries += [_entry(r) for r in given]
        infusion = next(
            (
                r
                for r in given
                if r["medicationReference"]["display"] == ward.protocol.infusion.drug
            ),
            None,
        )
        entries += [_entry(r) for r in _adverse_events(ward, admission, subject, infusion)]
    if labs is not None:
        entries += _lab_entries(ward, labs, subject_of)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": to_iso(now or ward.clock.now()),
        "entry": entries,
    }


def _lab_entries(
    ward: Ward, labs: LabsForExport, subject_of: Callable[[Patient], dict[str, str]]
) -> list[dict[str, Any]]:
    patients = {p.id: p for p in ward.patients()}
    entries: list[dict[str, Any]] = []
    requests: set[str] = set()
    for exported in labs.plans:
        for resource in plan_resources(exported, subject_of(exported.plan.patient)):
            if resource["resourceType"] == "ServiceRequest":
                requests.add(resource["id"])
            entries.append(_entry(resource))
    known = frozenset(requests)
    corrections = {r.id: c for r in labs.results if (c := correction_of(ward, r)) is not None}
    samples: dict[str, tuple[list[LabResult], list[StruckOutResult]]] = {}
    for result in labs.results:
        samples.setdefault(result.sample_id, ([], []))[0].append(result)
        entries.append(
            _entry(
                result_observation(
                    result,
                    subject_of(patients[result.patient_id]),
                    corrections.get(result.id),
                    requests=known,
                )
            )
        )
    for struck in labs.struck_out:
        samples.setdefault(struck.sample_id, ([], []))[1].append(struck)
        entries.append(
            _entry(struck_out_observation(struck, subject_of(patients[struck.patient_id])))
        )
    for results, struck_out in samples.values():
        patient_id = (results[0] if results else struck_out[0]).patient_id
        entries.append(
            _entry(
                sample_report(
                    results,
                    struck_out,
                    {r.id: corrections[r.id] for r in results if r.id in corrections},
                    subject_of(patients[patient_id]),
                    requests=known,
                )
            )
        )
    return entries


def bundle_json(bundle: Mapping[str, Any]) -> str:
    """The Bundle as FHIR JSON text."""
    return json.dumps(bundle, ensure_ascii=False, indent=1) + "\n"


def days_for_export(ward: Ward, day: date | None, bed: str | None) -> list[Admission]:
    """The infusion days an export covers: of `day` (all days when None), on chair `bed`."""
    if day is not None:
        admissions = ward.admissions_on(day)
    else:
        dates = ward.store.query("SELECT DISTINCT date FROM current_infusion_days ORDER BY date")
        admissions = [
            a for row in dates for a in ward.admissions_on(date.fromisoformat(row["date"]))
        ]
    if bed is None:
        return admissions
    chair = ward.find_bed(bed)
    return [a for a in admissions if _given_on(ward, a) == chair.id]


def _given_on(ward: Ward, admission: Admission) -> str | None:
    versions = ward.store.history("infusion_days", admission.id)
    return next((v["bed_id"] for v in reversed(versions) if v["bed_id"]), None)


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": url(resource["id"]), "resource": resource}


def _patient(patient: Patient, id_system: str | None) -> dict[str, Any]:
    given, _, family = patient.name.rpartition(" ")
    name: dict[str, Any] = {"text": patient.name}
    if given:
        name |= {"family": family, "given": given.split()}
    identifier = {"use": "usual", "value": patient.hospital_id}
    if id_system is not None:
        identifier["system"] = id_system
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": patient.id,
        "identifier": [identifier],
        "name": [name],
        "birthDate": patient.date_of_birth.isoformat(),
    }
    if patient.sex in ("female", "male", "other", "unknown"):
        resource["gender"] = patient.sex
    return resource


# -- observations ---------------------------------------------------------------------------------


def _observations(
    ward: Ward, admission: Admission, subject: Mapping[str, str], *, device_values: bool
) -> Iterator[dict[str, Any]]:
    condition = "" if device_values else "AND set_id IS NOT NULL"
    rows = ward.store.query(
        f"""SELECT * FROM current_observations WHERE day_id = ? {condition}
            ORDER BY measured_at, rowid""",  # noqa: S608 - a fixed condition of ours
        (admission.id,),
    )
    # Systolic and diastolic of one measurement (one charted set, or one monitor batch) make
    # one blood pressure panel.
    pressures: dict[tuple[str, str], dict[str, Row]] = {}
    for row in rows:
        parameter = row["parameter"]
        if parameter in ("sbp", "dbp"):
            key = (row["set_id"] or row["source"], row["measured_at"])
            pressures.setdefault(key, {})[parameter] = row
        elif parameter in VITAL_SIGNS:
            yield _observation(row, subject, parameter)
    for pair in pressures.values():
        yield _blood_pressure(pair, subject)


def _observation(row: Row, subject: Mapping[str, str], parameter: str) -> dict[str, Any]:
    codes, display, _, _ = VITAL_SIGNS[parameter]
    return {
        **_observation_frame(row, subject),
        "code": {
            "coding": [{"system": LOINC, "code": code, "display": display} for code in codes],
            "text": display,
        },
        "valueQuantity": _quantity(parameter, row["value"]),
    }


def _blood_pressure(pair: Mapping[str, Row], subject: Mapping[str, str]) -> dict[str, Any]:
    first = pair.get("sbp") or pair["dbp"]
    code, display = BLOOD_PRESSURE_PANEL
    return {
        **_observation_frame(first, subject),
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display},
        "component": [
            {
                "code": {
                    "coding": [
                        {
                            "system": LOINC,
                            "code": VITAL_SIGNS[name][0][0],
                            "display": VITAL_SIGNS[name][1],
                        }
                    ],
                    "text": VITAL_SIGNS[name][1],
                },
                "valueQuantity": _quantity(name, row["value"]),
            }
            for name, row in sorted(pair.items(), key=lambda item: item[0] != "sbp")
        ],
    }


def _observation_frame(row: Row, subject: Mapping[str, str]) -> dict[str, Any]:
    frame: dict[str, Any] = {
        "resourceType": "Observation",
        "id": row["root_id"],
        "status": "amended" if row["supersedes"] else "final",
        "category": [_CATEGORY],
        "subject": dict(subject),
        "effectiveDateTime": to_iso(from_iso(row["measured_at"])),
        "issued": to_iso(from_iso(row["received_at"])),
    }
    if row["source"] == "manual":
        frame["performer"] = [{"display": row["entered_by"]}]
    else:
        frame["device"] = {"display": row["source"]}
    return frame


def _quantity(parameter: str, value: float) -> dict[str, Any]:
    _, _, code, unit = VITAL_SIGNS[parameter]
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


# -- medication and reactions ---------------------------------------------------------------------


def _administrations(
    ward: Ward, admission: Admission, subject: Mapping[str, str]
) -> Iterator[dict[str, Any]]:
    events = ward.infusion_day(admission).events
    for index, event in enumerate(events):
        if event.kind not in _GIVEN:
            continue
        end = None
        if event.kind in _ENDS:
            end = next((e for e in events[index + 1 :] if e.kind in _ENDS[event.kind]), None)
        drug = event.drug or event.task or "unknown"
        medication: dict[str, Any] = {
            "resourceType": "Medication",
            "id": "medication",
            "code": {"text": drug},
        }
        if event.batch:
            medication["batch"] = {"lotNumber": event.batch}
        performers = [{"actor": {"display": event.by}}]
        if event.checked_by:
            performers.append(
                {"function": {"text": "double check"}, "actor": {"display": event.checked_by}}
            )
        resource: dict[str, Any] = {
            "resourceType": "MedicationAdministration",
            "id": event.id,
            "contained": [medication],
            "status": _status(event.kind, end.kind if end else None),
            "medicationReference": {"reference": "#medication", "display": drug},
            "subject": dict(subject),
            "performer": performers,
        }
        if event.kind is EventKind.PREMEDICATION_GIVEN:
            resource["effectiveDateTime"] = to_iso(event.at)
        else:
            period = {"start": to_iso(event.at)}
            if end is not None:
                period["end"] = to_iso(end.at)
            resource["effectivePeriod"] = period
        dosage = _dosage(event)
        if dosage:
            resource["dosage"] = dosage
        if event.reason:
            resource["note"] = [{"text": event.reason}]
        yield resource


def _dosage(event: DayEvent) -> dict[str, Any]:
    dosage: dict[str, Any] = {}
    if event.route:
        dosage["route"] = {"text": event.route}
    if event.dose is not None and event.unit:
        dosage["dose"] = {
            "value": event.dose,
            "unit": event.unit,
            "system": UCUM,
            "code": _ucum_mass(event.unit),
        }
    if event.rate_ml_h is not None:
        dosage["rateQuantity"] = {
            "value": event.rate_ml_h,
            "unit": "mL/h",
            "system": UCUM,
            "code": "mL/h",
        }
    return dosage


def _ucum_mass(unit: str) -> str:
    return {"µg": "ug", "IU": "[iU]"}.get(unit, unit)


def _status(kind: EventKind, ended: EventKind | None) -> str:
    if kind not in _ENDS:
        return "completed"
    if ended is None:
        return "in-progress"
    return "stopped" if ended is EventKind.INFUSION_STOPPED else "completed"


def _adverse_events(
    ward: Ward,
    admission: Admission,
    subject: Mapping[str, str],
    infusion: Mapping[str, Any] | None,
) -> Iterator[dict[str, Any]]:
    for reaction in reactions_of(ward, admission):
        severity = (
            "mild" if reaction.grade == 1 else "moderate" if reaction.grade == 2 else "severe"
        )
        resource: dict[str, Any] = {
            "resourceType": "AdverseEvent",
            "id": reaction.id,
            "actuality": _ACTUALITY,
            "event": {"text": reaction.term},
            "subject": dict(subject),
            "date": to_iso(reaction.onset_at),
            "detected": to_iso(reaction.onset_at),
            "recorder": {"display": reaction.entered_by},
            "severity": {
                "coding": [{"system": _SEVERITY, "code": severity}],
                "text": f"CTCAE v{reaction.ctcae_version} grade {reaction.grade}",
            },
            "outcome": {
                "coding": [
                    {"system": _OUTCOME, "code": "resolved" if reaction.resolved else "ongoing"}
                ]
            },
        }
        if infusion is not None:
            resource["suspectEntity"] = [
                {
                    "instance": {
                        "reference": url(infusion["id"]),
                        "display": infusion["medicationReference"]["display"],
                    }
                }
            ]
        yield resource
