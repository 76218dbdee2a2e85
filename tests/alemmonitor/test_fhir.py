"""The exports for the hospital's systems: the FHIR Bundle validated with the R4B models of
fhir.resources, the CSV of events and reactions, on a real day lived on a real record."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from alemmonitor.cli import main_headless
from alemmonitor.clock import ManualClock
from alemmonitor.patients import PatientDraft
from alemmonitor.report_demo import DemoDay, live_day
from alemmonitor.ward import Ward


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
