"""Blood results in a real record: what a stored sample keeps, the platelet step of the day,
the guidance for a severe neutropenia, corrections and strike-outs."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from alemmonitor.clock import ManualClock, to_iso
from alemmonitor.errors import EntryError, SequenceError
from alemmonitor.infusion_day import EventKind, TaskState
from alemmonitor.labs import SamplingPoint
from alemmonitor.labs_entry import LabAssessment, assess_results
from alemmonitor.labs_record import (
    NEUTROPENIA_ADVICE,
    correct_result,
    record_results,
    result_history,
    results_for_step,
    results_of_day,
    results_of_patient,
    sampling_context,
    strike_out_result,
)
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.protocol import Protocol
from alemmonitor.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from alemmonitor.store import Store
from alemmonitor.ward import Admission, Ward

NURSE = "AB"
SECOND_NURSE = "KM"


@pytest.fixture
def anna(ward: Ward) -> Patient:
    return ward.register_patient(
        PatientDraft("P-2001", "Anna Weber", date(1987, 5, 2), "female", 61.0), NURSE
    )


def admit(ward: Ward, patient: Patient, day: int) -> Admission:
    bed = ward.ensure_beds(6, NURSE)[0]
    return ward.admit(
        patient,
        course_number=1,
        day_number=day,
        bed=bed,
        planned_start=ward.clock.now(),
        by=NURSE,
    )


def give_the_infusion(ward: Ward, clock: ManualClock, admission: Admission) -> None:
    """Steroid (on days 1-3), then alemtuzumab to its end."""
    if ward.protocol.steroid_on(admission.course_number, admission.day_number) is not None:
        ward.record(admission, EventKind.STEROID_STARTED, by=NURSE)
        clock.advance(timedelta(minutes=60))
    ward.record(
        admission, EventKind.INFUSION_STARTED, by=NURSE, batch="L-1", checked_by=SECOND_NURSE
    )
    clock.advance(timedelta(minutes=240))
    ward.record(admission, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(minutes=10))


def entered(
    ward: Ward,
    patient: Patient,
    texts: dict[str, str],
    *,
    point: SamplingPoint,
    admission: Admission | None = None,
    sampled_at: datetime | None = None,
    units: dict[str, str] | None = None,
) -> LabAssessment:
    now = ward.clock.now()
    return assess_results(
        texts,
        units or {},
        sex=patient.sex,
        point=point,
        sampled_at=sampled_at or now,
        now=now,
        context=sampling_context(ward, admission) if admission is not None else None,
    )


def test_a_stored_sample_keeps_each_value_with_what_was_typed_its_range_and_grade(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient
) -> None:
    admission = admit(ward, anna, day=2)
    give_the_infusion(ward, clock, admission)
    assessment = entered(
        ward,
        anna,
        {"neutrophils": "12,4", "lymphocytes": "40", "haemoglobin": "13.1", "crp": "61"},
        units={"lymphocytes": "/uL"},
        point=SamplingPoint.AFTER_ALEMTUZUMAB,
        admission=admission,
    )

    stored = record_results(ward, anna, assessment, by=NURSE, admission=admission)

    assert [(r.analyte, r.value, r.unit, r.typed) for r in stored] == [
        ("neutrophils", 12.4, "10*9/L", "12.4 10⁹/L"),
        ("lymphocytes", 0.04, "10*9/L", "40 /µL"),
        ("haemoglobin", 13.1, "g/dL", "13.1 g/dL"),
        ("crp", 61.0, "mg/L", "61 mg/L"),
    ]
    by_analyte = {r.analyte: r for r in stored}
    # Anna's haemoglobin is read against the women's range, and keeps it.
    assert (by_analyte["haemoglobin"].reference.low, by_analyte["haemoglobin"].reference.high) == (  # type: ignore[union-attr]
        12.0,
        16.0,
    )
    lymphocytes = by_analyte["lymphocytes"].grade
    assert lymphocytes is not None
    assert (lymphocytes.term, lymphocytes.version, lymphocytes.grade) == (
        "Lymphocyte count decreased",
        "5.0",
        4,
    )
    assert by_analyte["lymphocytes"].advice is None
    assert {r.sample_id for r in stored} == {stored[0].sample_id}
    assert all(r.day_id == admission.id and r.entered_by == NURSE for r in stored)
    assert all(r.point is SamplingPoint.AFTER_ALEMTUZUMAB for r in stored)
    assert results_of_day(ward, admission) == stored
    trail = [(line["action"], line["table_name"]) for line in store.audit_trail()[-4:]]
    assert trail == [("record", "lab_results")] * 4


def test_a_refused_entry_stores_nothing(ward: Ward, store: Store, anna: Patient) -> None:
    assessment = entered(
        ward, anna, {"neutrophils": "899", "crp": "12"}, point=SamplingPoint.FOLLOW_UP
    )
    before = store.audit_trail()

    with pytest.raises(EntryError) as refused:
        record_results(ward, anna, assessment, by=NURSE)

    assert [p.field for p in refused.value.problems] == ["neutrophils"]
    assert results_of_patient(ward, anna.id) == []
    assert store.audit_trail() == before


def test_a_sample_without_the_nurses_initials_is_refused(ward: Ward, anna: Patient) -> None:
    assessment = entered(ward, anna, {"crp": "12"}, point=SamplingPoint.FOLLOW_UP)

    with pytest.raises(EntryError, match="initials"):
        record_results(ward, anna, assessment, by="  ")

    assert results_of_patient(ward, anna.id) == []


# -- the platelet count of the day ---------------------------------------------------------------


def test_a_platelet_count_after_the_infusion_on_day_3_ticks_the_days_platelet_step(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    admission = admit(ward, anna, day=3)
    give_the_infusion(ward, clock, admission)
    sampled = clock.now() - timedelta(minutes=5)
    assert ward.infusion_day(admission).status(clock.now()).task("platelets").state in (
        TaskState.DUE,
        TaskState.OVERDUE,
    )
    assessment = entered(
        ward,
        anna,
        {"platelets": "131", "neutrophils": "9,8"},
        point=SamplingPoint.AFTER_ALEMTUZUMAB,
        admission=admission,
        sampled_at=sampled,
    )

    stored = record_results(ward, anna, assessment, by=NURSE, admission=admission)

    step = ward.infusion_day(admission).status(clock.now()).task("platelets")
    assert (step.state, step.done_at, step.done_by) == (TaskState.DONE, sampled, NURSE)
    assert [(r.analyte, r.task) for r in stored] == [
        ("neutrophils", None),
        ("platelets", "platelets"),
    ]
    assert [r.value for r in results_for_step(ward, admission, "platelets")] == [131.0]


def test_a_platelet_count_for_a_sample_already_recorded_as_taken_answers_that_step(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient
) -> None:
    admission = admit(ward, anna, day=3)
    give_the_infusion(ward, clock, admission)
    ward.record(admission, EventKind.LAB_SAMPLED, by=SECOND_NURSE, task="platelets")
    clock.advance(timedelta(minutes=50))  # the result comes back from the laboratory
    assessment = entered(
        ward,
        anna,
        {"platelets": "128"},
        point=SamplingPoint.AFTER_ALEMTUZUMAB,
        admission=admission,
        sampled_at=clock.now() - timedelta(minutes=50),
    )

    [result] = record_results(ward, anna, assessment, by=NURSE, admission=admission)

    assert result.task == "platelets"
    sampled = store.current("events", "day_id = ? AND kind = 'lab_sampled'", (admission.id,))
    assert [row["performed_by"] for row in sampled] == [SECOND_NURSE]


@pytest.mark.parametrize(
    ("day", "point"),
    [(2, SamplingPoint.AFTER_ALEMTUZUMAB), (3, SamplingPoint.AFTER_STEROID)],
    ids=["a day without the step", "a sample before the infusion"],
)
def test_a_platelet_count_that_is_not_the_steps_answers_no_step(
    ward: Ward, clock: ManualClock, anna: Patient, day: int, point: SamplingPoint
) -> None:
    admission = admit(ward, anna, day=day)
    give_the_infusion(ward, clock, admission)
    assessment = entered(
        ward, anna, {"platelets": "140"}, point=point, admission=admission,
        sampled_at=clock.now() - timedelta(hours=4),
    )  # fmt: skip

    [result] = record_results(ward, anna, assessment, by=NURSE, admission=admission)

    assert result.task is None
    assert ward.store.current("events", "kind = 'lab_sampled'") == []


def test_a_platelet_count_the_day_cannot_take_stores_nothing(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    admission = admit(ward, anna, day=3)
    give_the_infusion(ward, clock, admission)
    clock.advance(timedelta(minutes=120))
    ward.record(admission, EventKind.OBSERVATION_ENDED, by=NURSE)
    # Dated after the day ended: the day's record refuses the sample, so nothing is kept.
    assessment = entered(
        ward, anna, {"platelets": "140"}, point=SamplingPoint.AFTER_ALEMTUZUMAB,
        admission=admission, sampled_at=clock.now(),
    )  # fmt: skip

    with pytest.raises(SequenceError, match="the day ended with the observation"):
        record_results(ward, anna, assessment, by=NURSE, admission=admission)

    assert results_of_patient(ward, anna.id) == []


# -- neutropenia ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "grade", "advice"),
    [("899", 3, True), ("500", 3, True), ("499", 4, True), ("1200", 2, False)],
)
def test_a_neutrophil_count_of_grade_3_or_4_records_its_grade_and_the_guidance_given(
    ward: Ward, anna: Patient, typed: str, grade: int, advice: bool
) -> None:
    # The case report: ANC 899/µL on day 65, then 500/µL.
    assessment = entered(
        ward,
        anna,
        {"neutrophils": typed},
        units={"neutrophils": "/uL"},
        point=SamplingPoint.FOLLOW_UP,
    )

    [result] = record_results(ward, anna, assessment, by=NURSE)

    row = ward.store.current_by_root("lab_results", result.id)
    assert row is not None
    assert (row["ctcae_term"], row["ctcae_version"], row["grade"]) == (
        "Neutrophil count decreased",
        "5.0",
        grade,
    )
    assert row["advice"] == (str(NEUTROPENIA_ADVICE) if advice else None)
    assert "large granular lymphocytes" in str(NEUTROPENIA_ADVICE)


# -- corrections ---------------------------------------------------------------------------------


def test_a_corrected_result_is_regraded_and_the_old_value_stays_in_the_history(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    assessment = entered(ward, anna, {"neutrophils": "0,9"}, point=SamplingPoint.FOLLOW_UP)
    [result] = record_results(ward, anna, assessment, by=NURSE)
    clock.advance(timedelta(minutes=12))

    corrected = correct_result(
        ward,
        result.id,
        text="1,9",
        unit="10*9/L",
        by=SECOND_NURSE,
        reason="read off the wrong line",
    )

    assert (corrected.id, corrected.value, corrected.grade, corrected.advice) == (
        result.id,
        1.9,
        None,
        None,
    )
    assert corrected.corrected
    assert corrected.entered_by == NURSE
    first, second = result_history(ward, result.id)
    assert (first["value"], first["grade"]) == (0.9, 3)
    assert (second["value"], second["entered_by"], second["correction_reason"]) == (
        1.9,
        SECOND_NURSE,
        "read off the wrong line",
    )
    assert second["entered_at"] == to_iso(clock.now())


@pytest.mark.parametrize(
    ("text", "reason", "field"),
    [("1,9", "", "reason"), ("0,9", "typo", "neutrophils"), ("abc", "typo", "neutrophils")],
    ids=["no reason", "nothing changes", "not a number"],
)
def test_a_correction_that_cannot_be_made_changes_nothing(
    ward: Ward, anna: Patient, text: str, reason: str, field: str
) -> None:
    assessment = entered(ward, anna, {"neutrophils": "0,9"}, point=SamplingPoint.FOLLOW_UP)
    [result] = record_results(ward, anna, assessment, by=NURSE)

    with pytest.raises(EntryError) as refused:
        correct_result(ward, result.id, text=text, unit="10*9/L", by=NURSE, reason=reason)

    assert [p.field for p in refused.value.problems] == [field]
    assert len(result_history(ward, result.id)) == 1


def test_a_struck_out_result_leaves_the_results_but_not_the_history(
    ward: Ward, anna: Patient
) -> None:
    assessment = entered(ward, anna, {"crp": "3", "tsh": "1.1"}, point=SamplingPoint.FOLLOW_UP)
    crp, tsh = record_results(ward, anna, assessment, by=NURSE)

    strike_out_result(ward, crp.id, by=SECOND_NURSE, reason="another patient's report")

    assert results_of_patient(ward, anna.id) == [tsh]
    _, voiding = result_history(ward, crp.id)
    assert (voiding["voided"], voiding["correction_reason"]) == (1, "another patient's report")
    with pytest.raises(EntryError, match="reason"):
        strike_out_result(ward, tsh.id, by=NURSE, reason=" ")


# -- the record's schema ---------------------------------------------------------------------------


def test_a_schema_4_record_is_upgraded_and_takes_results_for_its_patients(
    db_path: Path, clock: ManualClock, protocol: Protocol
) -> None:
    old = sqlite3.connect(db_path)
    old.executescript("".join(MIGRATIONS[:4]))
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute("PRAGMA user_version = 4")
    old.execute(
        """INSERT INTO patients (id, root_id, hospital_id, name, date_of_birth, sex, entered_at,
                                 entered_by)
           VALUES ('p1', 'p1', 'P-1', 'Rita Kühn', '1980-01-02', 'female',
                   '2026-11-20T08:00:00.000000+00:00', 'AB')"""
    )
    old.commit()
    old.close()

    with Store.open(db_path, clock) as store:
        assert store.pragma("user_version") == SCHEMA_VERSION
        ward = Ward(store, protocol, clock)
        rita = ward.patient("P-1")
        assert rita is not None
        assessment = entered(ward, rita, {"tsh": "2.1"}, point=SamplingPoint.FOLLOW_UP)
        [result] = record_results(ward, rita, assessment, by=NURSE)

    with Store.open(db_path, clock) as store:
        assert [r.value for r in results_of_patient(Ward(store, protocol, clock), "p1")] == [2.1]
        assert result.patient_id == "p1"
