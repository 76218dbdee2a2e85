"""Simulated monitors over real pseudo-terminals raise the alarms their scenarios call for.

Three chairs, three monitors at once, real clocks: an infusion reaction with fever (Efficia CM,
HL7), a falling blood pressure (Efficia CM, HL7) and a monitor with a loose cable (Masimo). Each
alarm must appear within 1 s of the reading or link change that triggers it.
"""

from __future__ import annotations

import queue
import threading
import time
from contextlib import ExitStack
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from alemmonitor.alarm_rules import Priority, default_alarm_rules
from alemmonitor.alarms import AlarmKind
from alemmonitor.clock import SystemClock
from alemmonitor.monitoring import WardMonitors
from alemmonitor.patients import PatientDraft
from alemmonitor.protocol import Protocol
from alemmonitor.store import Store
from alemmonitor.ward import Ward
from alemmonitor.watch import AlarmWatch
from devices.session import LinkEvent, LinkState

NURSE = "AB"

# chair -> (monitor protocol, scenario, speed, the alarms it must raise as (key, lowest priority))
CHAIRS: dict[str, tuple[str, str, float, set[tuple[str, Priority]]]] = {
    "reaction": ("hl7", "iar-fever", 3000.0, {("limit:temp", Priority.LOW)}),
    "hypotension": ("hl7", "hypotension", 300.0, {("limit:sbp", Priority.MEDIUM)}),
    # Silent 20-40 s of every 2 minutes: at 1.6x the silence outlasts the 10 s a Masimo may
    # be quiet, and the link alarm follows.
    "loose cable": ("masimo", "dropout", 1.6, {("link", Priority.MEDIUM)}),
}


def test_simulated_scenarios_raise_their_alarms_within_a_second(
    tmp_path: Path, protocol: Protocol, simulated_monitor: Any
) -> None:
    clock = SystemClock()
    ward = Ward(Store.open(tmp_path / "ward.sqlite3", clock), protocol, clock)
    beds = ward.ensure_beds(len(CHAIRS), NURSE)
    bed_of: dict[str, str] = {}
    for number, (name, bed) in enumerate(zip(CHAIRS, beds, strict=True)):
        patient = ward.register_patient(
            PatientDraft(f"P-{number}", f"Patient {name}", date(1980, 1, 1), "female", 60.0),
            NURSE,
        )
        ward.admit(
            patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by=NURSE
        )
        bed_of[bed.id] = name

    watch = AlarmWatch(ward, default_alarm_rules())
    monitors = WardMonitors(ward)
    watch.listen_to(monitors)
    # The moment of each chair's latest link change, to time the link alarms from.
    link_changed_at: dict[str, datetime] = {}
    hear_link = monitors.on_link
    assert hear_link is not None

    def link(bed_id: str, event: LinkEvent) -> None:
        link_changed_at[bed_id] = event.at
        hear_link(bed_id, event)

    monitors.on_link = link
    raised: queue.Queue[tuple[str, str, Priority, AlarmKind, timedelta]] = queue.Queue()
    seen: set[str] = set()
    lock = threading.Lock()

    def board_changed() -> None:
        now = clock.now()
        with lock:
            for alarm in watch.board.alarms():
                if alarm.id in seen:
                    continue
                seen.add(alarm.id)
                trigger = link_changed_at[alarm.bed_id] if alarm.key == "link" else alarm.started_at
                raised.put(
                    (bed_of[alarm.bed_id], alarm.key, alarm.priority, alarm.kind, now - trigger)
                )

    watch.board.on_change = board_changed

    with ExitStack() as monitors_running:
        for bed in beds:
            kind, scenario, speed, _ = CHAIRS[bed_of[bed.id]]
            port = tmp_path / f"tty-{bed.position}"
            monitors_running.enter_context(simulated_monitor(kind, port, scenario, speed))
            monitors.connect(bed, kind, str(port))
        missing = {(name, key) for name, (*_, alarms) in CHAIRS.items() for key, _ in alarms}
        found: list[tuple[str, str, Priority, AlarmKind, timedelta]] = []
        deadline = time.monotonic() + 60
        while missing and time.monotonic() < deadline:
            try:
                alarm = raised.get(timeout=1)
            except queue.Empty:
                continue
            found.append(alarm)
            chair, key, priority, *_ = alarm
            if any(key == k and priority >= lowest for k, lowest in CHAIRS[chair][3]):
                missing.discard((chair, key))
        monitors.stop()
    assert not missing, f"not raised: {missing}; raised: {found}"

    for chair, key, _, kind, latency in found:
        assert latency <= timedelta(seconds=1), f"{chair}: {key} came {latency} late"
        expected_kind = AlarmKind.TECHNICAL if key == "link" else AlarmKind.PHYSIOLOGICAL
        assert kind is expected_kind
    # A loose cable is a technical alarm, never a patient's.
    assert {key for chair, key, *_ in found if chair == "loose cable"} == {"link"}
    ward.store.close()


def test_a_link_that_recovers_ends_its_alarm(tmp_path: Path, protocol: Protocol) -> None:
    clock = SystemClock()
    ward = Ward(Store.open(tmp_path / "ward.sqlite3", clock), protocol, clock)
    [bed] = ward.ensure_beds(1, NURSE)
    patient = ward.register_patient(
        PatientDraft("P-1", "Anna Müller", date(1985, 3, 4), "female", 64.0), NURSE
    )
    ward.admit(patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by=NURSE)
    watch = AlarmWatch(ward, default_alarm_rules())
    watch.check(ward.chairs(), clock.now())

    watch.on_link(bed.id, LinkState.SILENT, "no valid data for 10 s")
    assert [a.key for a in watch.board.alarms()] == ["link"]
    watch.on_link(bed.id, LinkState.RECEIVING, "")

    assert watch.board.alarms() == []
    ward.store.close()
