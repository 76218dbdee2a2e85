"""The exports for the hospital's systems: the FHIR Bundle validated with the R4B models of
fhir.resources, the CSV of events and reactions, on a real day lived on a real record; blood
results (corrected, struck out, follow-up) and the follow-up plan, in the Bundle and as CSV; the
command's refusals of options that do not go together."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from alemmonitor.cli import main_headless
from alemmonitor.clock import ManualClock
from alemmonitor.fhir import UCUM
from alemmonitor.followup import end_course, record_slot_results, skip_slots
from alemmonitor.infusion_day import EventKind
from alemmonitor.labs import SamplingPoint
from alemmonitor.labs_catalog import default_catalog_path, parse_catalog
from alemmonitor.labs_entry import LabAssessment, assess_results
from alemmonitor.labs_export import LoincCode, analyte_code
from alemmonitor.labs_record import (
    LabResult,
    correct_result,
    record_results,
    sampling_context,
    strike_out_result,
)
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.report_demo import DemoDay, live_day
from alemmonitor.ward import Admission, Ward


@pytest.fixture
def day(ward: Ward, clock: ManualClock) -> DemoDay:
    clock.set(datetime(2026, 11, 23, 7, 30, tzinfo=clock.now().tzinfo))
    bed = ward.ensure_beds(6, "AB")[3]
    patient = ward.register_patient(
        PatientDraft("D-1004", "Dieter Weber", date(1975, 6, 21), "male", 91.0), "AB"
    )
    return live_day(ward, clock, patient, bed, every_s=60)


def export(db: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main_headless(["--db", str(db), "export", "--date", "2026-11-23", *args], clock) == 0
    return capsys.readouterr().out


def test_the_fhir_bundle_validates_and_holds_the_day(
    day: DemoDay, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export(db_path, clock, capsys, "--format", "fhir"))
    bundle = Bundle.model_validate(data)
    resources = [entry.resource for entry in bundle.entry]
    kinds = [r.__resource_type__ for r in resources]
    assert kinds.count("Patient") == 1
    assert kinds.count("AdverseEvent") == 1
    assert kinds.count("MedicationAdministration") == 6
    patient = next(r for r in resources if r.__resource_type__ == "Patient")
    assert patient.identifier[0].value == "D-1004"

    observations = [r for r in resources if r.__resource_type__ == "Observation"]
    assert all(o.category[0].coding[0].code == "vital-signs" for o in observations)
    panels = [o for o in observations if o.code.coding[0].code == "85354-9"]
    assert len(panels) == day.charted_sets
    for panel in panels:
        codes = [c.code.coding[0].code for c in panel.component]
        assert codes == ["8480-6", "8462-4"]
        assert {c.valueQuantity.code for c in panel.component} == {"mm[Hg]"}
    temperature = [o for o in observations if o.code.coding[0].code == "8310-5"]
    assert len(temperature) == day.charted_sets
    assert {o.valueQuantity.code for o in temperature} == {"Cel"}
    assert {o.valueQuantity.system for o in temperature} == {"http://unitsofmeasure.org"}

    infusion = next(
        r
        for r in resources
        if r.__resource_type__ == "MedicationAdministration"
        and r.medicationReference.display == "alemtuzumab"
    )
    assert infusion.contained[0].batch.lotNumber == "LEM-24A117"
    assert infusion.effectivePeriod.end is not None
    reaction = next(r for r in resources if r.__resource_type__ == "AdverseEvent")
    assert reaction.event.text == "Fever"
    assert reaction.severity.text == "CTCAE v5.0 grade 1"
    assert reaction.suspectEntity[0].instance.reference == f"urn:uuid:{infusion.id}"


@pytest.mark.parametrize(
    "system", ["http://hospital.example/patient-id", "urn:oid:1.2.276.0.76.4.8"]
)
def test_the_patients_id_is_given_in_the_hospitals_system_when_named(
    day: DemoDay,
    db_path: Path,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    system: str,
) -> None:
    args = ("--format", "fhir", "--patient-id-system", system)
    bundle = Bundle.model_validate(json.loads(export(db_path, clock, capsys, *args)))
    [patient] = [e.resource for e in bundle.entry if e.resource.__resource_type__ == "Patient"]
    assert [(i.system, i.value) for i in patient.identifier] == [(system, "D-1004")]

    unnamed = Bundle.model_validate(json.loads(export(db_path, clock, capsys, "--format", "fhir")))
    [patient] = [e.resource for e in unnamed.entry if e.resource.__resource_type__ == "Patient"]
    assert [(i.system, i.value) for i in patient.identifier] == [(None, "D-1004")]


def test_device_values_come_as_observations_when_asked(
    day: DemoDay, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export(db_path, clock, capsys, "--format", "fhir", "--device-values"))
    bundle = Bundle.model_validate(data)
    heart = [
        e.resource
        for e in bundle.entry
        if e.resource.__resource_type__ == "Observation"
        and e.resource.code.coding[0].code == "8867-4"
    ]
    assert len(heart) == day.readings // 6 + day.charted_sets
    assert any(o.device is not None for o in heart)


def test_the_validation_refuses_what_fhir_r4_does_not_allow(
    day: DemoDay, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    text = export(db_path, clock, capsys, "--format", "fhir")
    without_status = json.loads(text)
    observation = next(
        e["resource"]
        for e in without_status["entry"]
        if e["resource"]["resourceType"] == "Observation"
    )
    del observation["status"]  # required in R4
    with pytest.raises(ValidationError, match="status"):
        Bundle.model_validate(without_status)
    r5_names = json.loads(text)
    given = next(
        e["resource"]
        for e in r5_names["entry"]
        if e["resource"]["resourceType"] == "MedicationAdministration"
    )
    given["occurenceDateTime"] = given.pop("effectiveDateTime")  # R5's name, not R4's
    with pytest.raises(ValidationError, match="occurenceDateTime"):
        Bundle.model_validate(r5_names)


def test_events_and_reactions_as_csv(
    day: DemoDay, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    events = list(csv.DictReader(io.StringIO(export(db_path, clock, capsys, "--what", "events"))))
    assert len(events) == day.events
    start = next(e for e in events if e["event"] == "infusion_started")
    assert (start["batch"], start["checked_by"], start["patient_id"]) == (
        "LEM-24A117",
        "KM",
        "D-1004",
    )
    assert start["time"].endswith("+01:00")
    reactions = list(
        csv.DictReader(io.StringIO(export(db_path, clock, capsys, "--what", "reactions")))
    )
    assert [(r["term"], r["grade"], r["ctcae_version"]) for r in reactions] == [
        ("Fever", "1", "5.0")
    ]
    assert reactions[0]["actions"] == "slowed|paused|antipyretic"


# -- blood results and the follow-up plan ---------------------------------------------------------

NURSE = "AB"
SECOND_NURSE = "KM"


@dataclass(frozen=True)
class LabCourse:
    """Lena Schmidt's first course, ended after its first day, and her follow-up since."""

    patient: Patient
    admission: Admission
    neutrophils: str  # corrected from 0.9 to 1.9
    crp: str  # struck out
    platelets: str  # after alemtuzumab: low, CTCAE grade 1
    follow_up: tuple[LabResult, ...]  # against blood_count:2026-12-08


def sample(
    ward: Ward,
    patient: Patient,
    texts: dict[str, str],
    point: SamplingPoint,
    admission: Admission | None = None,
    **options: str,
) -> LabAssessment:
    now = ward.clock.now()
    return assess_results(
        texts,
        {},
        sex=patient.sex,
        point=point,
        sampled_at=now,
        now=now,
        context=sampling_context(ward, admission) if admission is not None else None,
        **options,
    )


@pytest.fixture
def lab_course(ward: Ward, clock: ManualClock) -> LabCourse:
    """Day 1 on 23 November 2026 from 08:00 on the first chair: a sample before the steroid
    (neutrophils 0.9, corrected to 1.9; a CRP struck out), a platelet count after alemtuzumab;
    the course ends that day; the blood count of 8 December is taken, the creatinine of 23
    December is taken by the GP; the clock stands on the morning of 9 January 2027."""
    patient = ward.register_patient(
        PatientDraft("P-4001", "Lena Schmidt", date(1990, 2, 14), "female", 58.0), NURSE
    )
    bed = ward.ensure_beds(6, NURSE)[0]
    admission = ward.admit(
        patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by=NURSE
    )
    before = record_results(
        ward,
        patient,
        sample(
            ward,
            patient,
            {"leukocytes": "3,1", "neutrophils": "0,9", "platelets": "210", "crp": "12"},
            SamplingPoint.BEFORE_STEROID,
            admission,
            finding="abnormal",
            note="protein ++",
        ),
        by=NURSE,
        admission=admission,
    )
    ward.record(admission, EventKind.STEROID_STARTED, by=NURSE)
    clock.advance(timedelta(minutes=60))
    ward.record(admission, EventKind.INFUSION_STARTED, by=NURSE, batch="L-9", checked_by="KM")
    clock.advance(timedelta(hours=4))
    ward.record(admission, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(minutes=10))
    [platelets] = record_results(
        ward,
        patient,
        sample(ward, patient, {"platelets": "140"}, SamplingPoint.AFTER_ALEMTUZUMAB, admission),
        by=NURSE,
        admission=admission,
    )
    by_analyte = {r.analyte: r for r in before}
    correct_result(
        ward,
        by_analyte["neutrophils"].id,
        text="1,9",
        unit="10*9/L",
        by=SECOND_NURSE,
        reason="typed from the wrong line of the report",
    )
    strike_out_result(ward, by_analyte["crp"].id, by=SECOND_NURSE, reason="another patient's tube")
    course_id = ward.store.current_by_root("infusion_days", admission.id)["course_id"]  # type: ignore[index]
    plan = end_course(ward, course_id, by=NURSE, reason="pregnancy planned")

    clock.set(datetime(2026, 12, 8, 9, 0, tzinfo=clock.now().tzinfo))
    slot = plan.slot("blood_count:2026-12-08")
    follow_up = record_slot_results(
        ward,
        plan,
        [slot],
        sample(
            ward,
            patient,
            {
                "leukocytes": "5,2",
                "neutrophils": "2,9",
                "lymphocytes": "0,4",
                "platelets": "231",
                "haemoglobin": "13,1",
            },
            SamplingPoint.FOLLOW_UP,
        ),
        by=NURSE,
    )
    skip_slots(ward, plan, [plan.slot("creatinine:2026-12-23")], by=NURSE, reason="taken by the GP")
    clock.set(datetime(2027, 1, 9, 7, 0, tzinfo=clock.now().tzinfo))
    return LabCourse(
        patient,
        admission,
        by_analyte["neutrophils"].id,
        by_analyte["crp"].id,
        platelets.id,
        tuple(follow_up),
    )


def fhir_export(
    db: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str], *args: str
) -> dict[str, list[dict[str, Any]]]:
    """The Bundle of `export --format fhir ARGS`, validated, its resources by type."""
    capsys.readouterr()
    assert main_headless(["--db", str(db), "export", "--format", "fhir", *args], clock) == 0
    data = json.loads(capsys.readouterr().out)
    Bundle.model_validate(data)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for entry in data["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return by_type


def by_id(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in resources}


def test_the_days_blood_results_are_laboratory_observations_coded_with_loinc(
    lab_course: LabCourse, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = fhir_export(db_path, clock, capsys, "--date", "2026-11-23")

    [patient] = bundle["Patient"]
    labs = [
        o for o in bundle["Observation"] if o["category"][0]["coding"][0]["code"] == "laboratory"
    ]
    assert {o["subject"]["reference"] for o in labs} == {f"urn:uuid:{patient['id']}"}
    codes = sorted((o["code"]["coding"][0]["code"], o["status"]) for o in labs)
    assert codes == [
        ("1988-5", "entered-in-error"),  # the CRP struck out
        ("24356-8", "final"),
        ("6690-2", "final"),
        ("751-8", "corrected"),
        ("777-3", "final"),  # before the steroid
        ("777-3", "final"),  # after alemtuzumab
    ]
    results = by_id(labs)
    neutrophils = results[lab_course.neutrophils]
    assert neutrophils["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "751-8",
        "display": "Neutrophils [#/volume] in Blood by Automated count",
    }
    assert neutrophils["valueQuantity"] == {
        "value": 1.9,
        "unit": "10⁹/L",
        "system": "http://unitsofmeasure.org",
        "code": "10*9/L",
    }
    assert neutrophils["interpretation"][0]["coding"][0]["code"] == "N"
    assert "component" not in neutrophils  # 1.9 is no longer graded
    assert neutrophils["effectiveDateTime"] == "2026-11-23T07:00:00.000000+00:00"
    assert any("corrected by KM" in n["text"] for n in neutrophils["note"])
    assert any(n["text"].startswith("sampled before the steroid") for n in neutrophils["note"])
    assert "0.9" not in json.dumps(neutrophils)  # the superseded value is nowhere

    crp = results[lab_course.crp]
    assert "valueQuantity" not in crp
    assert any("another patient's tube" in n["text"] for n in crp["note"])

    [urinalysis] = [o for o in labs if o["code"]["coding"][0]["code"] == "24356-8"]
    assert urinalysis["valueCodeableConcept"] == {"text": "abnormal"}
    assert urinalysis["interpretation"][0]["coding"][0]["code"] == "A"
    assert any(n["text"] == "protein ++" for n in urinalysis["note"])

    platelets = results[lab_course.platelets]
    assert platelets["valueQuantity"]["value"] == 140
    assert platelets["referenceRange"] == [
        {
            "low": {"value": 150, "unit": "10⁹/L", "system": UCUM, "code": "10*9/L"},
            "high": {"value": 400, "unit": "10⁹/L", "system": UCUM, "code": "10*9/L"},
        }
    ]
    assert platelets["interpretation"][0]["coding"][0]["code"] == "L"
    assert platelets["component"] == [
        {"code": {"text": "CTCAE v5.0 grade: Platelet count decreased"}, "valueInteger": 1}
    ]
    assert platelets["effectiveDateTime"] == "2026-11-23T12:10:00.000000+00:00"
    assert platelets["performer"] == [{"display": NURSE}]
    assert any("after the alemtuzumab" in n["text"] for n in platelets["note"])


def test_each_blood_draw_is_a_laboratory_report_listing_its_results(
    lab_course: LabCourse, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = fhir_export(db_path, clock, capsys, "--patient", "P-4001")

    reports = {r["conclusion"]: r for r in bundle["DiagnosticReport"]}
    before = reports["sampled before the steroid (or the infusion)"]
    after = reports["sampled after the alemtuzumab infusion"]
    follow_up = reports["follow-up sample"]
    assert len(bundle["DiagnosticReport"]) == 3
    assert before["code"]["coding"][0]["code"] == "11502-2"
    # The neutrophils were corrected and the CRP struck out: the report says it changed.
    assert before["status"] == "corrected"
    listed = {ref["reference"].removeprefix("urn:uuid:") for ref in before["result"]}
    assert {lab_course.neutrophils, lab_course.crp} <= listed
    assert len(listed) == 5  # leukocytes, neutrophils, platelets, CRP, urinalysis
    assert before["effectiveDateTime"] == "2026-11-23T07:00:00.000000+00:00"
    assert (after["status"], after["result"]) == (
        "final",
        [{"reference": f"urn:uuid:{lab_course.platelets}"}],
    )
    assert "basedOn" not in after
    [request] = [
        r
        for r in bundle["ServiceRequest"]
        if r["identifier"][0]["value"] == "blood_count:2026-12-08"
    ]
    assert follow_up["basedOn"] == [{"reference": f"urn:uuid:{request['id']}"}]
    assert {ref["reference"].removeprefix("urn:uuid:") for ref in follow_up["result"]} == {
        r.id for r in lab_course.follow_up
    }
    observations = by_id(bundle["Observation"])
    for report in reports.values():
        for ref in report["result"]:
            assert ref["reference"].removeprefix("urn:uuid:") in observations


def test_the_follow_up_plan_is_a_care_plan_with_a_service_request_per_test(
    lab_course: LabCourse, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = fhir_export(db_path, clock, capsys, "--patient", "P-4001")

    [care_plan] = bundle["CarePlan"]
    assert (care_plan["status"], care_plan["intent"]) == ("active", "plan")
    requests = {r["identifier"][0]["value"]: r for r in bundle["ServiceRequest"]}
    assert len(care_plan["activity"]) == len(requests) > 100  # 48 months of tests
    states = {
        key: (requests[key]["status"], requests[key]["note"][0]["text"])
        for key in (
            "blood_count:2026-12-08",
            "blood_count:2026-12-23",
            "creatinine:2026-12-23",
            "urinalysis:2026-12-23",
            "blood_count:2027-01-07",
            "tsh:2027-02-23",
        )
    }
    assert states == {
        "blood_count:2026-12-08": ("completed", "done"),
        "blood_count:2026-12-23": (
            "revoked",
            "missed: still open when the next one of this test fell due",
        ),
        "creatinine:2026-12-23": ("revoked", "skipped: not done here, taken by the GP"),
        "urinalysis:2026-12-23": ("active", "overdue"),
        "blood_count:2027-01-07": ("active", "due"),
        "tsh:2027-02-23": ("active", "upcoming"),
    }
    blood_count = requests["blood_count:2026-12-08"]
    assert blood_count["code"]["coding"][0]["code"] == "57021-8"
    assert blood_count["occurrenceDateTime"] == "2026-12-08"
    assert blood_count["basedOn"] == [{"reference": f"urn:uuid:{care_plan['id']}"}]
    # Each test's identifier is unique within its plan, whose URN is the identifier's system.
    assert {r["identifier"][0]["system"] for r in requests.values()} == {
        f"urn:uuid:{care_plan['id']}"
    }
    assert requests["tsh:2027-02-23"]["code"]["coding"][0]["code"] == "3016-3"
    assert requests["urinalysis:2026-12-23"]["code"]["coding"][0]["code"] == "24356-8"

    # The whole follow-up comes with --patient: the results of 8 December answer their slot.
    answered = [o for o in bundle["Observation"] if "basedOn" in o]
    assert {o["id"] for o in answered} == {r.id for r in lab_course.follow_up}
    assert {o["basedOn"][0]["reference"] for o in answered} == {f"urn:uuid:{blood_count['id']}"}
    assert {o["effectiveDateTime"][:10] for o in answered} == {"2026-12-08"}


def test_a_days_export_carries_the_follow_up_results_sampled_that_day(
    lab_course: LabCourse, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = fhir_export(db_path, clock, capsys, "--date", "2026-12-08")

    assert [p["identifier"][0]["value"] for p in bundle["Patient"]] == ["P-4001"]
    assert {o["id"] for o in bundle["Observation"]} == {r.id for r in lab_course.follow_up}
    assert "MedicationAdministration" not in bundle  # no infusion that day
    assert len(bundle["CarePlan"]) == 1


def test_slot_requests_keep_their_ids_from_one_export_to_the_next(
    lab_course: LabCourse, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    first = by_id(fhir_export(db_path, clock, capsys, "--patient", "P-4001")["ServiceRequest"])
    clock.advance(timedelta(days=40))
    later = by_id(fhir_export(db_path, clock, capsys, "--patient", "P-4001")["ServiceRequest"])

    assert first.keys() == later.keys()
    [slot] = [r for r in later.values() if r["identifier"][0]["value"] == "blood_count:2027-01-07"]
    assert (first[slot["id"]]["status"], slot["status"]) == ("active", "revoked")  # now missed


def csv_export(
    db: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str], *args: str
) -> list[dict[str, str]]:
    capsys.readouterr()
    assert main_headless(["--db", str(db), "export", *args], clock) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_blood_results_as_csv_one_row_per_result_as_it_stands(
    lab_course: LabCourse, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = csv_export(db_path, clock, capsys, "--what", "labs", "--date", "2026-11-23")

    assert [(r["analyte"], r["loinc"], r["value"], r["unit"], r["flag"]) for r in rows] == [
        ("leukocytes", "6690-2", "3.1", "10*9/L", "L"),
        ("neutrophils", "751-8", "1.9", "10*9/L", "N"),
        ("platelets", "777-3", "210", "10*9/L", "N"),
        ("urinalysis", "24356-8", "abnormal", "", "A"),
        ("platelets", "777-3", "140", "10*9/L", "L"),
    ]  # the CRP struck out is left out
    neutrophils = rows[1]
    assert neutrophils["result_id"] == lab_course.neutrophils
    assert {k: neutrophils[k] for k in ("status", "corrects", "corrected_by", "ctcae_grade")} == {
        "status": "corrected",
        "corrects": "0.9",
        "corrected_by": "KM",
        "ctcae_grade": "",
    }
    assert neutrophils["correction_reason"] == "typed from the wrong line of the report"
    assert (neutrophils["reference_low"], neutrophils["reference_high"]) == ("1.8", "7.7")
    assert neutrophils["sampled_at"] == "2026-11-23T08:00:00+01:00"
    assert (neutrophils["point"], neutrophils["patient_id"]) == ("before_steroid", "P-4001")
    assert (neutrophils["course"], neutrophils["day"], neutrophils["entered_by"]) == (
        "1",
        "1",
        "AB",
    )
    after = rows[4]
    assert (after["ctcae_term"], after["ctcae_version"], after["ctcae_grade"]) == (
        "Platelet count decreased",
        "5.0",
        "1",
    )
    assert (after["point"], after["status"], after["corrects"]) == (
        "after_alemtuzumab",
        "final",
        "",
    )


def test_a_patients_results_include_the_follow_up_with_the_slots_they_answer(
    lab_course: LabCourse, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = csv_export(db_path, clock, capsys, "--what", "labs", "--patient", "P-4001")

    follow_up = [r for r in rows if r["point"] == "follow_up"]
    assert [r["result_id"] for r in follow_up] == [r.id for r in lab_course.follow_up]
    assert {r["slot"] for r in follow_up} == {"blood_count:2026-12-08"}
    assert {r["day"] for r in follow_up} == {""}
    assert len(rows) == 5 + 5
    on_the_chair = csv_export(
        db_path, clock, capsys, "--what", "labs", "--bed", "1", "--patient", "P-4001"
    )
    assert [r["point"] for r in on_the_chair] == ["before_steroid"] * 4 + ["after_alemtuzumab"]


def test_the_follow_up_plan_as_csv_one_row_per_test_with_its_state(
    lab_course: LabCourse,
    db_path: Path,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    out = tmp_path / "followup.csv"
    capsys.readouterr()
    code = main_headless(
        [
            "--db",
            str(db_path),
            "export",
            "--what",
            "followup",
            "--patient",
            "P-4001",
            "--out",
            str(out),
        ],
        clock,
    )

    assert code == 0
    with out.open(encoding="utf-8", newline="") as text:
        rows = {r["slot"]: r for r in csv.DictReader(text)}
    assert capsys.readouterr().err == f"{out}: {len(rows)} tests\n"
    done = rows["blood_count:2026-12-08"]
    assert (done["state"], done["loinc"], done["test"], done["due"], done["plan"]) == (
        "done",
        "57021-8",
        "blood count with differential",
        "2026-12-08",
        "current",
    )
    assert done["result_ids"].split("|") == [r.id for r in lab_course.follow_up]
    assert (
        rows["creatinine:2026-12-23"]["state"],
        rows["creatinine:2026-12-23"]["skip_reason"],
    ) == (
        "skipped",
        "taken by the GP",
    )
    assert {rows[k]["state"] for k in ("blood_count:2026-12-23", "urinalysis:2026-12-23")} == {
        "missed",
        "overdue",
    }
    assert rows["blood_count:2027-01-07"]["state"] == "due"
    assert rows["tsh:2027-02-23"]["state"] == "upcoming"

    due_on = csv_export(db_path, clock, capsys, "--what", "followup", "--date", "2026-12-23")
    assert [r["test"] for r in due_on] == [
        "blood count with differential",
        "serum creatinine",
        "urinalysis with microscopy",
    ]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--format", "fhir", "--what", "labs"], 2, "--what chooses the rows of a CSV export"),
        (["--what", "followup", "--bed", "1"], 2, "--bed cannot select follow-up tests"),
        (["--what", "labs", "--device-values"], 2, "--device-values is for --format fhir"),
        (
            ["--patient-id-system", "urn:oid:1.2.3"],
            2,
            "--patient-id-system is for --format fhir",
        ),
        (["--what", "labs", "--patient", "P-9999"], 1, "no patient with the hospital ID 'P-9999'"),
        (["--format", "fhir", "--bed", "Chair 99"], 1, "Chair 99"),
    ],
)
def test_bad_export_options_are_named_and_write_no_file(
    lab_course: LabCourse,
    db_path: Path,
    *,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: list[str],
    status: int,
    message: str,
) -> None:
    before = sorted(tmp_path.iterdir())
    out = tmp_path / "export.out"
    capsys.readouterr()

    code = main_headless(["--db", str(db_path), "export", *args, "--out", str(out)], clock)

    assert code == status
    assert message in capsys.readouterr().err
    assert sorted(tmp_path.iterdir()) == before  # no file, no temporary left behind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--what", "blood"], "invalid choice: 'blood'"),
        (["--date", "2026-13-01"], "'2026-13-01' is not a date written YYYY-MM-DD"),
        (
            ["--format", "fhir", "--patient-id-system", "hospital MRN"],
            "'hospital MRN' is not an absolute URI",
        ),
        (["--format", "fhir", "--patient-id-system", "mrn"], "'mrn' is not an absolute URI"),
    ],
)
def test_export_options_argparse_refuses_exit_2_before_anything_is_written(
    db_path: Path,
    *,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "export.out"
    with pytest.raises(SystemExit) as exited:
        main_headless(["--db", str(db_path), "export", *args, "--out", str(out)], clock)

    assert exited.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_an_analytes_code_and_name_in_the_export_are_the_sites() -> None:
    shipped = default_catalog_path().read_text(encoding="utf-8")
    change = '    loinc: 3016-3\n    loinc_name: "Thyrotropin [Units/volume] in Serum or Plasma"'
    assert change in shipped
    site = parse_catalog(
        shipped.replace(
            change,
            '    loinc: 11580-8\n    loinc_name: "Thyrotropin [Units/volume] in Serum or Plasma '
            'by Detection limit <= 0.005 mIU/L"',
        ),
        "site-labs.yaml",
    )

    assert analyte_code("tsh", site) == LoincCode(
        "11580-8", "Thyrotropin [Units/volume] in Serum or Plasma by Detection limit <= 0.005 mIU/L"
    )
    assert analyte_code("tsh").code == "3016-3"
