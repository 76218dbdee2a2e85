"""Which monitor feeds which chair, kept in the record; and patients leaving their chair."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from alemmonitor.clock import ManualClock, SystemClock
from alemmonitor.errors import EntryError, SequenceError, StoreError
from alemmonitor.infusion_day import EventKind, Step
from alemmonitor.monitoring import WardMonitors, probe
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.protocol import Protocol
from alemmonitor.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from alemmonitor.store import Store
from alemmonitor.ward import Admission, Bed, Ward
from devices.session import LinkEvent, LinkState

NURSE = "AB"
SECOND_NURSE = "CD"


@pytest.fixture
def chairs(ward: Ward) -> list[Bed]:
    return ward.ensure_beds(6, NURSE)


@pytest.fixture
def anna(ward: Ward) -> Patient:
    draft = PatientDraft("P-1001", "Anna Müller", date(1985, 3, 4), "female", 64.0)
    return ward.register_patient(draft, NURSE)


def links(store: Store) -> list[dict[str, object]]:
    return store.query("SELECT * FROM monitor_links ORDER BY rowid")


def admit(ward: Ward, patient: Patient, bed: Bed, day: int = 4) -> Admission:
    return ward.admit(
        patient, course_number=1, day_number=day, bed=bed, planned_start=ward.clock.now(), by=NURSE
    )


def complete_the_day(ward: Ward, clock: ManualClock, admission: Admission) -> None:
    """Day 4 (no steroid): infusion, then the observation to its end."""
    ward.record(
        admission, EventKind.INFUSION_STARTED, by=NURSE, batch="B-1", checked_by=SECOND_NURSE
    )
    clock.advance(timedelta(minutes=240))
    ward.record(admission, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(minutes=120))
    status = ward.record(admission, EventKind.OBSERVATION_ENDED, by=NURSE)
    assert status.step is Step.DAY_COMPLETE


# -- assigning monitors ------------------------------------------------------------------------


def test_a_monitor_assigned_to_a_chair_names_who_connected_it_when(
    ward: Ward, store: Store, clock: ManualClock, chairs: list[Bed]
) -> None:
    assignment = ward.assign_monitor(chairs[1], "masimo", " /dev/ttyUSB0 ", by=NURSE)

    assert (assignment.bed, assignment.protocol, assignment.port) == (
        chairs[1],
        "masimo",
        "/dev/ttyUSB0",
    )
    assert dict(assignment.settings) == {}
    assert (assignment.assigned_by, assignment.assigned_at) == (NURSE, clock.now())
    assert ward.monitor_assignments() == [assignment]
    assert ward.monitor_assignment(chairs[1]) == assignment
    assert ward.monitor_assignment(chairs[0]) is None
    [line] = [line for line in store.audit_trail() if line["table_name"] == "monitor_links"]
    assert (line["action"], line["by"]) == ("record", NURSE)


def test_a_new_monitor_on_the_chair_supersedes_the_old_one_and_both_stay_in_the_history(
    ward: Ward, store: Store, clock: ManualClock, chairs: list[Bed]
) -> None:
    first = ward.assign_monitor(chairs[0], "masimo", "COM3", by=NURSE)
    clock.advance(timedelta(minutes=10))

    second = ward.assign_monitor(
        chairs[0], "hl7", "COM4", by=SECOND_NURSE, settings={"baudrate": 115200}
    )

    assert ward.monitor_assignments() == [second]
    assert second.id == first.id
    assert (second.protocol, second.port, dict(second.settings)) == (
        "hl7",
        "COM4",
        {"baudrate": 115200},
    )
    assert (second.assigned_by, second.assigned_at) == (SECOND_NURSE, clock.now())
    history = store.history("monitor_links", first.id)
    assert [(row["protocol"], row["port"], row["entered_by"]) for row in history] == [
        ("masimo", "COM3", NURSE),
        ("hl7", "COM4", SECOND_NURSE),
    ]
    assert history[1]["correction_reason"] == "monitor changed"


def test_choosing_the_monitor_a_chair_already_has_stores_nothing(
    ward: Ward, store: Store, chairs: list[Bed]
) -> None:
    first = ward.assign_monitor(chairs[0], "masimo", "COM3", by=NURSE)

    again = ward.assign_monitor(chairs[0], "masimo", "COM3", by=SECOND_NURSE)

    assert again == first
    assert len(links(store)) == 1


def test_a_disconnected_monitor_leaves_the_chair_and_the_record_says_why(
    ward: Ward, store: Store, chairs: list[Bed]
) -> None:
    kept = ward.assign_monitor(chairs[0], "masimo", "COM3", by=NURSE)
    gone = ward.assign_monitor(chairs[1], "hl7", "COM4", by=NURSE)

    ward.unassign_monitor(chairs[1], by=SECOND_NURSE, reason="monitor sent for repair")

    assert ward.monitor_assignments() == [kept]
    *_, void = store.history("monitor_links", gone.id)
    assert (void["voided"], void["entered_by"], void["correction_reason"]) == (
        1,
        SECOND_NURSE,
        "monitor sent for repair",
    )
    # The port is free for another chair now.
    assert ward.assign_monitor(chairs[2], "hl7", "COM4", by=NURSE).bed == chairs[2]


def test_disconnecting_needs_a_reason_and_a_monitor(
    ward: Ward, store: Store, chairs: list[Bed]
) -> None:
    ward.assign_monitor(chairs[0], "masimo", "COM3", by=NURSE)

    with pytest.raises(EntryError) as caught:
        ward.unassign_monitor(chairs[0], by=NURSE, reason="  ")
    assert [p.field for p in caught.value.problems] == ["reason"]
    with pytest.raises(SequenceError, match="Chair 2 has no monitor"):
        ward.unassign_monitor(chairs[1], by=NURSE, reason="not needed")
    assert len(links(store)) == 1


@pytest.mark.parametrize("same_port", ["COM3", "com3", " COM3"])
def test_one_port_feeds_one_chair(
    ward: Ward, store: Store, chairs: list[Bed], same_port: str
) -> None:
    ward.assign_monitor(chairs[0], "masimo", "COM3", by=NURSE)

    with pytest.raises(EntryError) as caught:
        ward.assign_monitor(chairs[1], "masimo", same_port, by=NURSE)

    [problem] = caught.value.problems
    assert problem.field == "port"
    assert "already feeds Chair 1" in problem.message
    assert len(links(store)) == 1


@pytest.mark.parametrize(
    ("choice", "fields"),
    [
        (("philips", "COM3", None), ["protocol"]),
        (("masimo", "   ", None), ["port"]),
        (("masimo", "COM3", {"speed": 9600}), ["settings"]),
        (("masimo", "COM3", {"baudrate": 96000000}), ["baudrate"]),
        (("masimo", "COM3", {"baudrate": "9600"}), ["baudrate"]),
        (("s5", "COM3", {"parity": "even"}), ["parity"]),
        (("s5", "COM3", {"rtscts": 1}), ["rtscts"]),
        (("s5", "COM3", {"stopbits": 3}), ["stopbits"]),
        (("", "", None), ["protocol", "port"]),
    ],
)
def test_an_unknown_protocol_an_empty_port_or_an_unknown_setting_is_refused(
    ward: Ward,
    chairs: list[Bed],
    choice: tuple[str, str, dict[str, object] | None],
    fields: list[str],
) -> None:
    protocol, port, settings = choice
    with pytest.raises(EntryError) as caught:
        ward.assign_monitor(chairs[0], protocol, port, by=NURSE, settings=settings)

    assert [p.field for p in caught.value.problems] == fields
    assert links(ward.store) == []


def test_an_unknown_protocol_is_refused_naming_the_ones_there_are(
    ward: Ward, chairs: list[Bed]
) -> None:
    known = "hl7, intellivue, masimo, s5"
    with pytest.raises(EntryError, match=rf"unknown monitor protocol 'philips'; known: {known}"):
        ward.assign_monitor(chairs[0], "philips", "COM3", by=NURSE)


def test_assignments_survive_closing_and_reopening_the_record(
    db_path: Path, clock: ManualClock, protocol: Protocol
) -> None:
    with Store.open(db_path, clock) as store:
        ward = Ward(store, protocol, clock)
        chairs = ward.ensure_beds(6, NURSE)
        ward.assign_monitor(chairs[4], "masimo", "/dev/ttyUSB1", by=NURSE)
        ward.assign_monitor(chairs[1], "hl7", "socket://10.0.0.7:2575", by=NURSE)
        before = ward.monitor_assignments()

    with Store.open(db_path, clock) as store:
        after = Ward(store, protocol, clock).monitor_assignments()

    assert after == before
    assert [(a.bed.label, a.protocol, a.port) for a in after] == [
        ("Chair 2", "hl7", "socket://10.0.0.7:2575"),
        ("Chair 5", "masimo", "/dev/ttyUSB1"),
    ]


def test_the_link_records_are_append_only(ward: Ward, store: Store, chairs: list[Bed]) -> None:
    ward.assign_monitor(chairs[0], "masimo", "COM3", by=NURSE)
    other_program = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            other_program.execute("UPDATE monitor_links SET port = 'COM9'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            other_program.execute("DELETE FROM monitor_links")
    finally:
        other_program.close()
    assert [a.port for a in ward.monitor_assignments()] == ["COM3"]


# -- migration ---------------------------------------------------------------------------------


def test_a_schema_2_record_is_upgraded_and_keeps_its_data(
    db_path: Path, clock: ManualClock, protocol: Protocol
) -> None:
    old = sqlite3.connect(db_path)
    old.executescript(MIGRATIONS[0] + MIGRATIONS[1])
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute("PRAGMA user_version = 2")
    old.execute(
        """INSERT INTO beds (id, root_id, label, position, entered_at, entered_by)
           VALUES ('b1', 'b1', 'Chair 1', 1, '2026-11-20T08:00:00.000000+00:00', 'AB')"""
    )
    old.execute(
        """INSERT INTO device_events (id, at, bed_id, protocol, port, state, entered_at,
                                      entered_by)
           VALUES ('e1', '2026-11-20T08:01:00.000000+00:00', 'b1', 'masimo', 'COM3',
                   'receiving', '2026-11-20T08:01:00.000000+00:00', 'monitor:masimo')"""
    )
    old.commit()
    old.close()

    with Store.open(db_path, clock) as store:
        assert store.pragma("user_version") == SCHEMA_VERSION
        ward = Ward(store, protocol, clock)
        [chair] = ward.beds()
        assert (chair.id, chair.label) == ("b1", "Chair 1")
        [event] = store.query("SELECT state, port FROM device_events")
        assert event == {"state": "receiving", "port": "COM3"}
        assert ward.monitor_assignments() == []
        assigned = ward.assign_monitor(chair, "masimo", "COM3", by=NURSE)

    with Store.open(db_path, clock) as store:
        assert Ward(store, protocol, clock).monitor_assignments() == [assigned]


# -- discharge ---------------------------------------------------------------------------------


def test_a_patient_discharged_after_the_day_is_complete_frees_the_chair(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    admission = admit(ward, anna, chairs[2])
    complete_the_day(ward, clock, admission)

    left = ward.discharge(admission, by=SECOND_NURSE)

    assert left.bed_id is None
    views = ward.chairs()
    assert views[2].admission is None
    assert views[2].bed == chairs[2]
    # The day stays in the record, and its history says where it was given and who discharged.
    [day] = ward.admissions_on(admission.date)
    assert day == left
    first, discharged = store.history("infusion_days", admission.id)
    assert first["bed_id"] == chairs[2].id
    assert discharged["bed_id"] is None
    assert (discharged["correction_reason"], discharged["entered_by"]) == (
        "discharged",
        SECOND_NURSE,
    )
    assert ward.infusion_day(left).status(clock.now()).step is Step.DAY_COMPLETE


def test_leaving_before_the_observation_ended_needs_a_reason(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    admission = admit(ward, anna, chairs[0])
    ward.record(
        admission, EventKind.INFUSION_STARTED, by=NURSE, batch="B-1", checked_by=SECOND_NURSE
    )

    with pytest.raises(EntryError) as caught:
        ward.discharge(admission, by=NURSE, reason="   ")
    assert [p.field for p in caught.value.problems] == ["reason"]
    assert ward.chairs()[0].admission == admission
    assert len(store.history("infusion_days", admission.id)) == 1

    ward.discharge(admission, by=NURSE, reason="moved to the ward after a grade 3 reaction")

    assert ward.chairs()[0].admission is None
    *_, discharged = store.history("infusion_days", admission.id)
    assert discharged["correction_reason"] == (
        "discharged: moved to the ward after a grade 3 reaction"
    )


def test_a_patient_not_on_a_chair_cannot_be_discharged(
    ward: Ward, anna: Patient, chairs: list[Bed]
) -> None:
    admission = admit(ward, anna, chairs[0])
    ward.discharge(admission, by=NURSE, reason="went home")

    with pytest.raises(SequenceError, match="Anna Müller is not on a chair"):
        ward.discharge(admission, by=NURSE, reason="again")


def test_the_discharged_patients_chair_takes_the_next_patient(
    ward: Ward, anna: Patient, chairs: list[Bed]
) -> None:
    admission = admit(ward, anna, chairs[0])
    berta = ward.register_patient(
        PatientDraft("4711", "Berta Weiß", date(1990, 12, 24), "female", 70.0), NURSE
    )
    with pytest.raises(SequenceError, match="Chair 1 is taken"):
        admit(ward, berta, chairs[0])

    ward.discharge(admission, by=NURSE, reason="infusion postponed: infection")

    bertas_day = admit(ward, berta, chairs[0])
    assert bertas_day.bed_id == chairs[0].id
    assert ward.admission_on_bed(chairs[0]) == bertas_day


def test_the_next_patient_on_a_chair_is_never_shown_the_last_patients_values(
    ward: Ward, clock: ManualClock, anna: Patient, chairs: list[Bed]
) -> None:
    annas_day = admit(ward, anna, chairs[0])
    vitals = {"hr": 88, "sbp": 121, "dbp": 79, "temp": 36.9, "spo2": 97, "rr": 14}
    ward.record_vitals(annas_day, vitals, by=NURSE)
    clock.advance(timedelta(minutes=30))
    ward.record_vitals(annas_day, {**vitals, "hr": 92}, by=NURSE)
    ward.discharge(annas_day, by=NURSE, reason="infusion postponed: infection")
    berta = ward.register_patient(
        PatientDraft("4711", "Berta Weiß", date(1990, 12, 24), "female", 70.0), NURSE
    )
    bertas_day = admit(ward, berta, chairs[0])
    monitors = WardMonitors(ward)  # as at the app's start: read from the record

    assert monitors.latest(chairs[0].id, bertas_day.id) == {}
    annas = monitors.latest(chairs[0].id, annas_day.id)
    assert {name: value.value for name, value in annas.items()} == {**vitals, "hr": 92}
    assert annas["hr"].at == clock.now()

    clock.advance(timedelta(minutes=5))
    monitors.note_manual(chairs[0].id, bertas_day.id, {"hr": (71, "/min")}, clock.now())

    assert {n: v.value for n, v in monitors.latest(chairs[0].id, bertas_day.id).items()} == {
        "hr": 71
    }


def test_an_unknown_day_cannot_be_discharged(ward: Ward, anna: Patient, chairs: list[Bed]) -> None:
    admission = admit(ward, anna, chairs[0])
    ghost = Admission(
        "no-such-day",
        anna,
        1,
        4,
        5,
        admission.date,
        chairs[0].id,
        admission.planned_start,
    )
    with pytest.raises(StoreError, match="no infusion day"):
        ward.discharge(ghost, by=NURSE, reason="test")


# -- live monitors: starting the assigned ones, and the test connection ------------------------


@pytest.fixture
def live_ward(tmp_path: Path, protocol: Protocol) -> Iterator[Ward]:
    """A ward on the real clocks: sessions time silence and retries on the monotonic one."""
    clock = SystemClock()
    with Store.open(tmp_path / "ward.sqlite3", clock) as store:
        yield Ward(store, protocol, clock)


def test_the_assigned_monitors_are_read_when_the_app_starts(
    live_ward: Ward, tmp_path: Path, simulated_monitor: Any
) -> None:
    chairs = live_ward.ensure_beds(6, NURSE)
    link = tmp_path / "ttyUSB0"
    live_ward.assign_monitor(chairs[3], "masimo", str(link), by=NURSE)
    monitors = WardMonitors(live_ward)
    events: queue.Queue[tuple[str, LinkEvent]] = queue.Queue()
    monitors.on_link = lambda bed_id, event: events.put((bed_id, event))

    with simulated_monitor("masimo", link):
        started = monitors.connect_assigned()
        try:
            while True:
                bed_id, event = events.get(timeout=10)
                if event.state is LinkState.RECEIVING:
                    break
        finally:
            monitors.stop()

    assert [a.bed for a in started] == [chairs[3]]
    assert bed_id == chairs[3].id
    assert monitors.chair_reading(str(link)) == chairs[3].id
    assert set(monitors.latest(chairs[3].id, None)) == {"spo2", "pr"}
    stored = live_ward.store.query("SELECT DISTINCT bed_id FROM observations")
    assert stored == [{"bed_id": chairs[3].id}]


def test_an_assignment_with_a_protocol_this_version_does_not_speak_is_skipped(
    live_ward: Ward, tmp_path: Path
) -> None:
    chairs = live_ward.ensure_beds(6, NURSE)
    live_ward.assign_monitor(chairs[0], "masimo", str(tmp_path / "absent"), by=NURSE)
    # As a newer version might have stored it.
    with live_ward.store.transaction():
        live_ward.store.insert_in_transaction(
            "monitor_links",
            {"bed_id": chairs[1].id, "protocol": "philips-intellivue", "port": "COM7"},
            NURSE,
        )
    monitors = WardMonitors(live_ward)
    try:
        started = monitors.connect_assigned()
    finally:
        monitors.stop()
    assert [a.bed for a in started] == [chairs[0]]


def test_a_test_connection_shows_live_readings_and_stores_nothing(
    live_ward: Ward, tmp_path: Path, simulated_monitor: Any
) -> None:
    live_ward.ensure_beds(6, NURSE)
    link = tmp_path / "ttyUSB0"
    first_reading = threading.Event()
    seen: list[LinkState] = []

    with simulated_monitor("masimo", link):
        result = probe(
            "masimo",
            str(link),
            seconds=10,
            on_batch=lambda _batch: first_reading.set(),
            on_link=lambda event: seen.append(event.state),
            stop=first_reading,
        )

    assert result.received
    assert set(result.latest()) == {"spo2", "pr"}
    assert 40 <= result.latest()["spo2"].value <= 100
    assert result.frames_decoded >= 1
    assert result.frames_rejected == 0
    assert [e.state for e in result.link_events] == seen
    assert seen[:2] == [LinkState.CONNECTED, LinkState.RECEIVING]
    assert seen[-1] is LinkState.STOPPED
    for table in ("observations", "device_events", "monitor_links"):
        assert live_ward.store.query(f"SELECT * FROM {table}") == []  # noqa: S608


def test_a_test_connection_on_a_missing_port_says_so(tmp_path: Path) -> None:
    result = probe("masimo", str(tmp_path / "nothing-here"), seconds=0.2)

    assert not result.received
    assert result.link_events[0].state is LinkState.PORT_UNAVAILABLE
    assert "nothing-here" in result.link_events[0].detail
