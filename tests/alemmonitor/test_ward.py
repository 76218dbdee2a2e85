"""The ward on a real record: patients, chairs, admissions and what is recorded on a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from alemmonitor.clock import ManualClock, from_iso, to_iso
from alemmonitor.errors import EntryError, SequenceError
from alemmonitor.infusion_day import EventKind, InfusionState, Step, TaskState
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.store import Row, Store
from alemmonitor.ward import Admission, Bed, Ward

MONDAY = date(2026, 11, 23)
NURSE = "AB"
SECOND_NURSE = "CD"


def register(ward: Ward, hospital_id: str, name: str, born: str = "1985-03-04") -> Patient:
    draft = PatientDraft(hospital_id, name, date.fromisoformat(born), "female", 64.0)
    return ward.register_patient(draft, NURSE)


def admit(
    ward: Ward, patient: Patient, bed: Bed | None, *, course: int = 1, day: int = 1
) -> Admission:
    return ward.admit(
        patient,
        course_number=course,
        day_number=day,
        bed=bed,
        planned_start=ward.clock.now(),
        by=NURSE,
    )


def events(store: Store) -> list[Row]:
    return store.query("SELECT * FROM events ORDER BY rowid")


def observations(store: Store) -> list[Row]:
    return store.query("SELECT * FROM observations ORDER BY rowid")


def courses(store: Store) -> list[Row]:
    return store.query("SELECT * FROM courses ORDER BY rowid")


def infusion_days(store: Store) -> list[Row]:
    return store.query("SELECT * FROM infusion_days ORDER BY rowid")


@pytest.fixture
def anna(ward: Ward) -> Patient:
    return register(ward, "P-1001", "Anna Müller")


@pytest.fixture
def chairs(ward: Ward) -> list[Bed]:
    return ward.ensure_beds(6, NURSE)


def start_infusion(ward: Ward, admission: Admission) -> None:
    """Give the steroid on a steroid day, then start alemtuzumab, moving the clock along."""
    clock = ward.clock
    assert isinstance(clock, ManualClock)
    if ward.protocol.steroid_on(admission.course_number, admission.day_number) is not None:
        ward.record(admission, EventKind.STEROID_STARTED, by=NURSE)
        clock.advance(timedelta(minutes=30))
        ward.record(admission, EventKind.STEROID_FINISHED, by=NURSE)
        clock.advance(timedelta(minutes=30))
    ward.record(
        admission, EventKind.INFUSION_STARTED, by=NURSE, batch="B-2026-11", checked_by=SECOND_NURSE
    )


# -- patients --------------------------------------------------------------------------------


def test_registered_patients_are_found_by_part_of_their_name_or_id(ward: Ward) -> None:
    register(ward, "P-1001", "Anna Müller")
    register(ward, "P-2002", "Jürgen Öztürk", "1970-01-31")
    register(ward, "4711", "Berta Weiß", "1990-12-24")

    def found(search: str) -> list[str]:
        return [p.name for p in ward.patients(search)]

    assert found("") == ["Anna Müller", "Berta Weiß", "Jürgen Öztürk"]
    assert found("Müll") == ["Anna Müller"]
    assert found("müller") == ["Anna Müller"]
    assert found("weiß") == ["Berta Weiß"]
    assert found("P-") == ["Anna Müller", "Jürgen Öztürk"]
    assert found("p-2002") == ["Jürgen Öztürk"]
    assert found(" 4711 ") == ["Berta Weiß"]
    assert found("Schmidt") == []


def test_a_search_ignores_the_case_of_umlauts(ward: Ward) -> None:
    register(ward, "P-2002", "Jürgen Öztürk", "1970-01-31")
    assert [p.hospital_id for p in ward.patients("öztürk")] == ["P-2002"]
    assert [p.hospital_id for p in ward.patients("JÜRGEN")] == ["P-2002"]


def test_a_registered_patient_is_read_back_as_entered(ward: Ward) -> None:
    patient = register(ward, "P-1001", "Anna Müller")
    assert ward.patient("P-1001") == patient
    assert (patient.name, patient.date_of_birth, patient.sex, patient.weight_kg) == (
        "Anna Müller",
        date(1985, 3, 4),
        "female",
        64.0,
    )
    assert ward.patient("P-9999") is None


def test_a_hospital_id_is_registered_only_once(ward: Ward, store: Store, anna: Patient) -> None:
    with pytest.raises(EntryError) as caught:
        register(ward, "P-1001", "Anna Schmidt", "1990-01-01")
    assert [p.field for p in caught.value.problems] == ["patient_id"]
    assert "P-1001 is already registered (Anna Müller, born 1985-03-04)" in str(caught.value)
    assert [p.name for p in ward.patients()] == ["Anna Müller"]
    assert len(store.query("SELECT * FROM patients")) == 1


# -- chairs ----------------------------------------------------------------------------------


def test_the_unit_gets_its_chairs_once(ward: Ward, store: Store) -> None:
    assert ward.beds() == []
    first = ward.ensure_beds(6, NURSE)
    assert [bed.label for bed in first] == [f"Chair {n}" for n in range(1, 7)]
    assert [bed.position for bed in first] == [1, 2, 3, 4, 5, 6]
    assert ward.ensure_beds(6, NURSE) == first
    assert ward.beds() == first
    assert len(store.query("SELECT * FROM beds")) == 6


# -- admissions ------------------------------------------------------------------------------


def test_the_first_day_of_a_course_starts_the_course(
    ward: Ward, store: Store, anna: Patient, chairs: list[Bed]
) -> None:
    admission = admit(ward, anna, chairs[0])
    assert admission.course_text == "Course 1 · Day 1/5"
    assert (admission.date, admission.bed_id, admission.patient) == (MONDAY, chairs[0].id, anna)
    [course] = courses(store)
    assert (course["patient_id"], course["number"], course["start_date"], course["days"]) == (
        anna.id,
        1,
        "2026-11-23",
        5,
    )
    assert ward.admissions_on(MONDAY) == [admission]
    assert ward.admission(admission.id) == admission


def test_the_next_day_continues_the_same_course(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    monday = admit(ward, anna, chairs[0])
    clock.advance(timedelta(days=1))
    tuesday = admit(ward, anna, chairs[0], day=2)
    assert tuesday.course_text == "Course 1 · Day 2/5"
    assert tuesday.date == date(2026, 11, 24)
    assert len(courses(store)) == 1
    assert [d["course_id"] for d in infusion_days(store)] == [courses(store)[0]["root_id"]] * 2
    assert ward.admissions_on(MONDAY) == [monday]
    assert ward.admissions_on(date(2026, 11, 24)) == [tuesday]


def test_a_course_begun_before_the_app_gets_its_first_day_inferred(
    ward: Ward, store: Store, anna: Patient, chairs: list[Bed]
) -> None:
    admit(ward, anna, chairs[0], day=2)
    [course] = courses(store)
    assert (course["number"], course["start_date"]) == (1, "2026-11-22")


def test_a_later_course_has_three_days(ward: Ward, anna: Patient, chairs: list[Bed]) -> None:
    assert admit(ward, anna, chairs[0], course=2, day=3).course_text == "Course 2 · Day 3/3"


def test_a_patient_has_one_infusion_day_per_date(
    ward: Ward, store: Store, anna: Patient, chairs: list[Bed]
) -> None:
    admit(ward, anna, chairs[0])
    with pytest.raises(
        SequenceError, match="Anna Müller already has an infusion day on 2026-11-23"
    ):
        admit(ward, anna, chairs[1], course=2)
    assert len(infusion_days(store)) == 1
    assert len(courses(store)) == 1


def test_a_chair_in_use_cannot_be_given_to_another_patient(
    ward: Ward, store: Store, anna: Patient, chairs: list[Bed]
) -> None:
    berta = register(ward, "4711", "Berta Weiß", "1990-12-24")
    admit(ward, anna, chairs[0])
    with pytest.raises(SequenceError, match="Chair 1 is taken by Anna Müller today"):
        admit(ward, berta, chairs[0])
    assert len(infusion_days(store)) == 1
    assert len(courses(store)) == 1
    assert admit(ward, berta, chairs[1]).bed_id == chairs[1].id


def test_a_chair_is_free_again_when_the_day_on_it_is_complete(
    ward: Ward, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    first = admit(ward, anna, chairs[0], day=4)
    start_infusion(ward, first)
    clock.advance(timedelta(minutes=240))
    ward.record(first, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(minutes=120))
    status = ward.record(first, EventKind.OBSERVATION_ENDED, by=NURSE)
    assert status.step is Step.DAY_COMPLETE

    berta = register(ward, "4711", "Berta Weiß", "1990-12-24")
    assert admit(ward, berta, chairs[0]).bed_id == chairs[0].id


def test_the_same_day_of_a_course_is_given_only_once(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    admit(ward, anna, chairs[0])
    clock.advance(timedelta(days=1))
    with pytest.raises(SequenceError, match="already given on 2026-11-23"):
        admit(ward, anna, chairs[0], day=1)
    assert len(infusion_days(store)) == 1
    assert len(courses(store)) == 1


@pytest.mark.parametrize(
    ("course", "day", "message"),
    [
        (1, 6, "course 1 has 5 days; day 6 is not one"),
        (2, 4, "course 2 has 3 days; day 4 is not one"),
        (1, 0, "course 1 has 5 days; day 0 is not one"),
        (0, 1, "course number 0 is not a course"),
    ],
)
def test_a_day_that_is_not_in_the_course_is_refused(
    ward: Ward, anna: Patient, course: int, day: int, message: str
) -> None:
    with pytest.raises(SequenceError, match=message):
        admit(ward, anna, ward.ensure_beds(6, NURSE)[0], course=course, day=day)
    assert infusion_days(ward.store) == []
    assert courses(ward.store) == []


# -- recording the day -----------------------------------------------------------------------


@pytest.fixture
def monday(ward: Ward, anna: Patient, chairs: list[Bed]) -> Admission:
    """Anna's first infusion day, on chair 1 from 08:00."""
    return admit(ward, anna, chairs[0])


def test_premedication_is_recorded_as_the_protocol_prescribes(
    ward: Ward, store: Store, clock: ManualClock, monday: Admission
) -> None:
    status = ward.record(monday, EventKind.PREMEDICATION_GIVEN, by=NURSE, task="acyclovir")
    [row] = events(store)
    assert (row["kind"], row["task"], row["drug"], row["dose"], row["unit"], row["route"]) == (
        "premedication_given",
        "acyclovir",
        "acyclovir",
        200.0,
        "mg",
        "oral",
    )
    assert (row["day_id"], row["entered_by"], from_iso(row["occurred_at"])) == (
        monday.id,
        NURSE,
        clock.now(),
    )
    task = status.task("acyclovir")
    assert (task.state, task.done_by, task.done_at) == (TaskState.DONE, NURSE, clock.now())
    assert status.step is Step.PREPARATION


def test_the_steroid_and_the_infusion_are_recorded_with_their_prescription(
    ward: Ward, store: Store, clock: ManualClock, monday: Admission
) -> None:
    status = ward.record(monday, EventKind.STEROID_STARTED, by=NURSE)
    assert status.step is Step.STEROID
    clock.advance(timedelta(minutes=30))
    ward.record(monday, EventKind.STEROID_FINISHED, by=NURSE)
    clock.advance(timedelta(minutes=30))
    status = ward.record(
        monday, EventKind.INFUSION_STARTED, by=NURSE, batch="B-2026-11", checked_by=SECOND_NURSE
    )
    assert status.step is Step.INFUSION_RUNNING
    assert status.infusion_state is InfusionState.RUNNING
    assert status.rate_ml_h == 25.0
    assert status.infusion_started_at == clock.now()
    assert status.expected_end == clock.now() + timedelta(hours=4)

    steroid, _, infusion = events(store)
    assert (steroid["task"], steroid["drug"], steroid["dose"], steroid["unit"]) == (
        "steroid",
        "methylprednisolone",
        1000.0,
        "mg",
    )
    assert (
        infusion["kind"],
        infusion["drug"],
        infusion["dose"],
        infusion["unit"],
        infusion["route"],
        infusion["rate_ml_h"],
        infusion["batch"],
        infusion["checked_by"],
    ) == ("infusion_started", "alemtuzumab", 12.0, "mg", "IV", 25.0, "B-2026-11", SECOND_NURSE)


def test_the_recorded_day_is_read_back_from_the_record(
    ward: Ward, clock: ManualClock, monday: Admission
) -> None:
    start_infusion(ward, monday)
    clock.advance(timedelta(hours=1))
    status = ward.infusion_day(ward.admission(monday.id)).status(clock.now())
    assert status.step is Step.INFUSION_RUNNING
    assert status.volume_infused_ml == pytest.approx(25.0)
    assert status.task("steroid").state is TaskState.DONE


@pytest.mark.parametrize(
    ("kind", "details", "message"),
    [
        (EventKind.INFUSION_STARTED, {"checked_by": SECOND_NURSE}, "needs the batch number"),
        (EventKind.INFUSION_STARTED, {"batch": "B1"}, "needs a second nurse's check"),
        (
            EventKind.INFUSION_STARTED,
            {"batch": "B1", "checked_by": "ab"},
            "must be made by a second nurse",
        ),
        (
            EventKind.INFUSION_STARTED,
            {"batch": "B1", "checked_by": SECOND_NURSE},
            "before methylprednisolone",
        ),
        (EventKind.INFUSION_COMPLETED, {}, "the infusion is not started"),
        (EventKind.STEROID_FINISHED, {}, "the steroid is not started"),
        (EventKind.PREMEDICATION_GIVEN, {"task": "aspirin"}, "aspirin is not a premedication"),
        (EventKind.OBSERVATION_ENDED, {}, "before the infusion has ended"),
        (EventKind.TASK_SKIPPED, {"task": "paracetamol"}, "needs a reason"),
    ],
)
def test_an_impossible_event_is_refused_and_nothing_is_stored(
    ward: Ward, monday: Admission, kind: EventKind, details: dict[str, str], message: str
) -> None:
    before = ward.infusion_day(monday).status(ward.clock.now())
    with pytest.raises(SequenceError, match=message):
        ward.record(monday, kind, by=NURSE, **details)
    assert events(ward.store) == []
    assert ward.infusion_day(monday).status(ward.clock.now()) == before


def test_an_event_dated_in_the_future_is_refused(
    ward: Ward, store: Store, clock: ManualClock, monday: Admission
) -> None:
    ward.record(monday, EventKind.PREMEDICATION_GIVEN, by=NURSE, task="acyclovir")
    stored = events(store)
    with pytest.raises(SequenceError, match="dated in the future"):
        ward.record(
            monday,
            EventKind.PREMEDICATION_GIVEN,
            by=NURSE,
            task="ranitidine",
            at=clock.now() + timedelta(minutes=10),
        )
    with pytest.raises(SequenceError, match="already recorded"):
        ward.record(monday, EventKind.PREMEDICATION_GIVEN, by=NURSE, task="acyclovir")
    assert events(store) == stored


# -- vital signs -----------------------------------------------------------------------------


def test_a_set_of_vital_signs_is_charted_and_ticks_the_vitals_task(
    ward: Ward, store: Store, clock: ManualClock, monday: Admission
) -> None:
    status = ward.record_vitals(monday, {"sbp": 128, "dbp": 82, "hr": 72, "temp": 36.8}, by=NURSE)

    rows = observations(store)
    assert {(r["parameter"], r["value"], r["unit"]) for r in rows} == {
        ("sbp", 128.0, "mmHg"),
        ("dbp", 82.0, "mmHg"),
        ("hr", 72.0, "/min"),
        ("temp", 36.8, "Cel"),
    }
    assert {r["source"] for r in rows} == {"manual"}
    assert {r["day_id"] for r in rows} == {monday.id}
    assert {r["bed_id"] for r in rows} == {monday.bed_id}
    assert {r["entered_by"] for r in rows} == {NURSE}
    assert {from_iso(r["measured_at"]) for r in rows} == {clock.now()}
    [event] = events(store)
    assert event["kind"] == "vitals_taken"
    assert {r["set_id"] for r in rows} == {event["id"]}
    assert {r["entered_at"] for r in rows} == {event["entered_at"]}

    task = status.task("vitals-before")
    assert (task.state, task.done_at, task.done_by) == (TaskState.DONE, clock.now(), NURSE)


def test_vital_signs_measured_earlier_are_charted_at_their_time(
    ward: Ward, store: Store, clock: ManualClock, monday: Admission
) -> None:
    measured = clock.now() - timedelta(minutes=20)
    ward.record_vitals(monday, {"spo2": 97}, by=NURSE, at=measured)
    [row] = observations(store)
    assert (from_iso(row["measured_at"]), from_iso(row["received_at"])) == (measured, clock.now())
    assert from_iso(events(store)[0]["occurred_at"]) == measured


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"sbp": 80, "dbp": 80, "hr": 70}, "sbp"),
        ({"sbp": 70, "dbp": 90}, "sbp"),
        ({"spo2": 101}, "spo2"),
        ({"temp": 50, "hr": 70}, "temp"),
        ({"hr": 0}, "hr"),
        ({"hr": float("nan")}, "hr"),
        ({"bp": 120, "hr": 70}, "bp"),
        ({}, "vitals"),
    ],
)
def test_an_impossible_set_of_vital_signs_stores_nothing(
    ward: Ward, store: Store, monday: Admission, values: dict[str, float], field: str
) -> None:
    with pytest.raises(EntryError) as caught:
        ward.record_vitals(monday, values, by=NURSE)
    assert [p.field for p in caught.value.problems] == [field]
    assert observations(store) == []
    assert events(store) == []


def test_a_set_the_day_cannot_take_stores_no_values(
    ward: Ward, store: Store, clock: ManualClock, monday: Admission
) -> None:
    with pytest.raises(SequenceError, match="dated in the future"):
        ward.record_vitals(
            monday, {"sbp": 120, "dbp": 80}, by=NURSE, at=clock.now() + timedelta(hours=1)
        )
    assert observations(store) == []
    assert events(store) == []


# -- the ward overview -----------------------------------------------------------------------


def test_every_chair_shows_its_patient_and_where_the_day_stands(
    ward: Ward, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    berta = register(ward, "4711", "Berta Weiß", "1990-12-24")
    annas_day = admit(ward, anna, chairs[0])
    bertas_day = admit(ward, berta, chairs[2], course=2, day=3)
    ward.record(annas_day, EventKind.STEROID_STARTED, by=NURSE)

    views = ward.chairs()
    assert [view.bed for view in views] == chairs
    assert [view.admission.patient.name if view.admission else None for view in views] == [
        "Anna Müller",
        None,
        "Berta Weiß",
        None,
        None,
        None,
    ]
    assert views[0].admission == annas_day
    assert views[2].admission == bertas_day
    now = clock.now()
    assert [(s.step if (s := view.status(now)) else None) for view in views] == [
        Step.STEROID,
        None,
        Step.PREPARATION,
        None,
        None,
        None,
    ]


def test_the_overview_of_another_date_shows_that_date(
    ward: Ward, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    monday = admit(ward, anna, chairs[0], day=4)
    start_infusion(ward, monday)
    clock.advance(timedelta(minutes=240))
    ward.record(monday, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(minutes=120))
    ward.record(monday, EventKind.OBSERVATION_ENDED, by=NURSE)
    clock.advance(timedelta(days=1))

    assert [view.admission for view in ward.chairs()] == [None] * 6
    assert ward.chairs(MONDAY)[0].admission == monday


# -- corrections -----------------------------------------------------------------------------


def test_a_corrected_time_changes_the_day_and_the_history_keeps_both(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    admission = admit(ward, anna, chairs[0], day=4)
    clock.advance(timedelta(minutes=45))
    ward.record(
        admission, EventKind.INFUSION_STARTED, by=NURSE, batch="B-2026-11", checked_by=SECOND_NURSE
    )
    entered = clock.now()
    clock.advance(timedelta(minutes=5))
    [original] = events(store)
    actual_start = entered - timedelta(minutes=30)

    store.correct(
        "events", original["id"], {"occurred_at": to_iso(actual_start)}, NURSE, "wrong time"
    )

    status = ward.infusion_day(admission).status(clock.now())
    assert status.infusion_started_at == actual_start
    assert status.expected_end == actual_start + timedelta(hours=4)
    history = store.history("events", original["root_id"])
    assert [from_iso(h["occurred_at"]) for h in history] == [entered, actual_start]
    assert history[1]["supersedes"] == original["id"]
    assert history[1]["correction_reason"] == "wrong time"
    assert len(store.current("events")) == 1


def test_a_correction_by_another_nurse_keeps_who_gave_the_medicine(
    ward: Ward, store: Store, clock: ManualClock, monday: Admission
) -> None:
    ward.record(monday, EventKind.PREMEDICATION_GIVEN, by=NURSE, task="acyclovir")
    clock.advance(timedelta(minutes=5))
    [original] = events(store)
    given_at = from_iso(original["occurred_at"]) - timedelta(minutes=10)

    store.correct(
        "events", original["id"], {"occurred_at": to_iso(given_at)}, "EF", "given earlier"
    )

    task = ward.infusion_day(monday).status(clock.now()).task("acyclovir")
    assert (task.done_at, task.done_by) == (given_at, NURSE)
    [administration] = store.query("SELECT * FROM medication_administrations")
    assert administration["given_by"] == NURSE


def test_the_checking_nurse_may_correct_the_start_time(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    admission = admit(ward, anna, chairs[0], day=4)
    ward.record(
        admission, EventKind.INFUSION_STARTED, by=NURSE, batch="B-2026-11", checked_by=SECOND_NURSE
    )
    clock.advance(timedelta(minutes=5))
    [original] = events(store)
    started = clock.now() - timedelta(minutes=3)

    store.correct(
        "events", original["id"], {"occurred_at": to_iso(started)}, SECOND_NURSE, "pump clock"
    )

    status = ward.infusion_day(admission).status(clock.now())
    assert status.infusion_started_at == started
    assert status.task("infusion-start").done_by == NURSE
    assert ward.chairs()[0].status(clock.now()) == status
