"""A demonstration ward: five fictional patients at different points of their infusion day.

Everything is recorded through the same `Ward` operations a nurse uses, back-dated from now, so
the demo shows what the real app shows and nothing it could not.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from alemmonitor.clock import SystemClock
from alemmonitor.followup import current_plan, record_slot_results, required_for
from alemmonitor.followup_plan import add_months
from alemmonitor.infusion_day import EventKind
from alemmonitor.labs import SamplingPoint
from alemmonitor.labs_entry import assess_results
from alemmonitor.labs_record import record_results, sampling_context
from alemmonitor.monitoring import WardMonitors
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.protocol import load_protocol
from alemmonitor.store import Store
from alemmonitor.ward import Admission, Bed, Ward
from devices.simulator import run_simulator

NURSE = "DEMO"
SECOND_NURSE = "KM"
E = EventKind


def _minutes(value: int) -> timedelta:
    return timedelta(minutes=value)


def build_demo_ward(ward: Ward) -> None:
    """Fill an empty record with a ward of patients, recorded as if the morning had happened."""
    beds = ward.ensure_beds(6, NURSE)
    people = [
        PatientDraft("D-1001", "Anna Schmidt", date(1988, 4, 12), "female", 64.0),
        PatientDraft("D-1002", "Ben Müller", date(1979, 9, 30), "male", 82.5),
        PatientDraft("D-1003", "Carla Rossi", date(1992, 1, 7), "female", 58.0),
        PatientDraft("D-1004", "Dieter Weber", date(1975, 6, 21), "male", 91.0),
        PatientDraft("D-1005", "Elif Kaya", date(1996, 11, 3), "female", 61.5),
    ]
    patients = [ward.register_patient(person, NURSE) for person in people]
    now = ward.clock.now()

    def admit(index: int, course: int, day: int, started_minutes_ago: int) -> Admission:
        bed: Bed = beds[index]
        return ward.admit(
            patients[index],
            course_number=course,
            day_number=day,
            bed=bed,
            planned_start=now - _minutes(started_minutes_ago),
            by=NURSE,
        )

    def record(admission: Admission, kind: EventKind, minutes_ago: int, **details: Any) -> None:
        ward.record(admission, kind, by=NURSE, at=now - _minutes(minutes_ago), **details)

    def premedicate(admission: Admission, minutes_ago: int) -> None:
        for premed in ward.protocol.premedication_for(
            admission.course_number, admission.day_number
        ):
            record(admission, E.PREMEDICATION_GIVEN, minutes_ago, task=premed.id, batch="PM-2611")

    def start(admission: Admission, minutes_ago: int) -> None:
        record(
            admission, E.INFUSION_STARTED, minutes_ago, batch="LEM-24A117", checked_by=SECOND_NURSE
        )

    def vitals(admission: Admission, minutes_ago: int, **values: float) -> None:
        # A full set, as NEWS2 needs it: the nurse adds SpO2, respiration, ACVPU and oxygen.
        complete = {"spo2": 97, "rr": 14, "acvpu": 0, "o2_flow": 0, **values}
        ward.record_vitals(admission, complete, by=NURSE, at=now - _minutes(minutes_ago))

    # Chair 1: course 1 day 1, alemtuzumab running for almost two hours.
    anna = admit(0, 1, 1, 200)
    premedicate(anna, 195)
    record(anna, E.STEROID_STARTED, 170)
    record(anna, E.STEROID_FINISHED, 138)
    vitals(anna, 115, hr=72, sbp=124, dbp=78, temp=36.6)
    start(anna, 110)
    vitals(anna, 50, hr=81, sbp=128, dbp=80, temp=36.9)

    # Chair 2: course 1 day 4, infusion paused for an exanthema; hourly vitals overdue.
    ben = admit(1, 1, 4, 260)
    premedicate(ben, 255)
    vitals(ben, 200, hr=68, sbp=131, dbp=84, temp=36.8)
    start(ben, 195)
    vitals(ben, 135, hr=77, sbp=135, dbp=86, temp=37.1)
    record(ben, E.INFUSION_PAUSED, 25, reason="exanthema on both forearms")

    # Chair 3: course 2 day 2, premedication given, methylprednisolone due.
    carla = admit(2, 2, 2, 30)
    premedicate(carla, 20)

    # Chair 4: course 1 day 3, infusion over, in observation; platelet count due.
    dieter = admit(3, 1, 3, 420)
    premedicate(dieter, 415)
    record(dieter, E.STEROID_STARTED, 390)
    record(dieter, E.STEROID_FINISHED, 358)
    vitals(dieter, 335, hr=70, sbp=118, dbp=74, temp=36.5)
    start(dieter, 330)
    for minutes_ago, hr in ((270, 74), (210, 79), (150, 88), (90, 92)):
        vitals(dieter, minutes_ago, hr=hr, sbp=122, dbp=76, temp=37.0)
    record(dieter, E.INFUSION_COMPLETED, 88)

    # Chair 5: course 1 day 5, just arrived.
    admit(4, 1, 5, -5)

    _infusion_week_results(ward, dieter)
    _follow_up(ward)


# A blood count and chemistry as the Dresden study saw them on day 3 (Thomas et al. 2016):
# neutrophils up, lymphocytes near the detection limit, CRP and procalcitonin high in a patient
# who is well, ALT up to about 2.5 times the upper limit.
_DAY_3_BEFORE_STEROID = {
    "leukocytes": "11,8",
    "neutrophils": "10,9",
    "lymphocytes": "0,04",
    "monocytes": "0,31",
    "eosinophils": "0,01",
    "basophils": "0,01",
    "platelets": "154",
    "haemoglobin": "14,1",
    "crp": "38",
    "procalcitonin": "1,9",
    "alt": "118",
    "ast": "61",
    "ggt": "96",
    "ldh": "312",
    "creatinine": "82",
    "tsh": "0,41",
}
_NORMAL_COUNT = {
    "leukocytes": "5,9",
    "neutrophils": "3,4",
    "lymphocytes": "0,52",
    "monocytes": "0,5",
    "eosinophils": "0,12",
    "basophils": "0,03",
    "platelets": "231",
    "haemoglobin": "14,0",
    "creatinine": "79",
    "tsh": "1,8",
}


def _infusion_week_results(ward: Ward, admission: Admission) -> None:
    """The day-3 sample taken before the steroid, entered from the lab's report."""
    now = ward.clock.now()
    sampled = now - _minutes(418)
    assessment = assess_results(
        _DAY_3_BEFORE_STEROID,
        {},
        sex=admission.patient.sex,
        point=SamplingPoint.BEFORE_STEROID,
        sampled_at=sampled,
        now=now,
        context=sampling_context(ward, admission),
    )
    record_results(ward, admission.patient, assessment, by=NURSE, admission=admission)


def _past_course(ward: Ward, patient: Patient, first_day: date) -> None:
    """A first course given in full before today, as the nurses recorded it then."""
    zone = ward.clock.local(ward.clock.now()).tzinfo
    for number in range(1, ward.protocol.courses.days_of(1) + 1):
        start = datetime.combine(first_day + timedelta(days=number - 1), time(8, 0), zone)
        admission = ward.admit(
            patient, course_number=1, day_number=number, bed=None, planned_start=start, by=NURSE
        )
        if ward.protocol.steroid_on(1, number) is not None:
            ward.record(admission, E.STEROID_STARTED, by=NURSE, at=start)
            ward.record(admission, E.STEROID_FINISHED, by=NURSE, at=start + _minutes(30))
        ward.record(
            admission,
            E.INFUSION_STARTED,
            by=NURSE,
            at=start + _minutes(60),
            batch="LEM-24A117",
            checked_by=SECOND_NURSE,
        )
        ward.record(admission, E.INFUSION_COMPLETED, by=NURSE, at=start + _minutes(300))
        ward.record(admission, E.OBSERVATION_ENDED, by=NURSE, at=start + _minutes(420))


def _follow_up(ward: Ward) -> None:
    """Two patients after their first course: one in her 15-day counts, one monthly."""
    today = ward.clock.local(ward.clock.now()).date()
    frieda = ward.register_patient(
        PatientDraft("D-1006", "Frieda Braun", date(1990, 5, 14), "female", 59.0), NURSE
    )
    gregor = ward.register_patient(
        PatientDraft("D-1007", "Gregor Lang", date(1983, 2, 2), "male", 88.0), NURSE
    )
    _past_course(ward, frieda, today - timedelta(days=62))
    # Gregor's eighth monthly tests fell due 6 days ago and have not been taken.
    gregor_last = add_months(today - timedelta(days=6), -8)
    _past_course(ward, gregor, gregor_last - timedelta(days=4))
    # Frieda's counts so far were taken; the last showed a grade 2 neutropenia.
    _enter_follow_up(ward, frieda, today - timedelta(days=10), {"neutrophils": "1,2"})
    _enter_follow_up(ward, gregor, today - timedelta(days=10), {})


def _enter_follow_up(ward: Ward, patient: Patient, until: date, changes: dict[str, str]) -> None:
    """Results against every slot of the patient's plan due before `until`."""
    plan = current_plan(ward, patient.id)
    if plan is None:
        return
    zone = ward.clock.local(ward.clock.now()).tzinfo
    slots = [slot for slot in plan.slots() if slot.due < until]
    for due in sorted({slot.due for slot in slots}):
        on_day = [slot for slot in slots if slot.due == due]
        wanted = {name for slot in on_day for name in plan.analytes(slot)}
        last = due == max(slot.due for slot in slots)
        texts = {
            name: value
            for name, value in {**_NORMAL_COUNT, **(changes if last else {})}.items()
            if name in wanted
        }
        sampled = datetime.combine(due, time(9, 30), zone)
        assessment = assess_results(
            texts,
            {},
            sex=patient.sex,
            point=SamplingPoint.FOLLOW_UP,
            sampled_at=sampled,
            now=ward.clock.now(),
            finding="unremarkable" if "urinalysis" in wanted else "",
            required=required_for(plan, on_day),
        )
        record_slot_results(ward, plan, on_day, assessment, by=NURSE)


# Chair index -> the simulated monitor beside it: protocol and scenario.
# One of each monitor the app speaks: Efficia CM (HL7), IntelliVue, Masimo, GE S/5.
DEMO_MONITORS = {
    0: ("hl7", "iar-fever"),
    1: ("intellivue", "exanthema-day4"),
    2: ("masimo", "stable"),
    3: ("s5", "stable"),
    4: ("masimo", "dropout"),
}


def write_unplugged_demo_record(path: Path, by: str) -> None:
    """Write the demonstration ward to a record at `path`, each occupied chair assigned its
    monitor on a port beside the record that nothing serves: the ward as it opens with its
    monitor cables out (the sessions keep trying). How the start-up is measured and tested."""
    clock = SystemClock()
    with Store.open(path, clock) as store:
        ward = Ward(store, load_protocol(), clock)
        build_demo_ward(ward)
        beds = ward.beds()
        for index, (protocol, _) in DEMO_MONITORS.items():
            port = path.parent / f"unplugged-{index + 1}"
            ward.assign_monitor(beds[index], protocol, str(port), by=by)


class DemoMonitors:
    """Simulated monitors on real pseudo-terminals, feeding the demo ward's chairs.

    Each simulator serves on its own thread at a stable path in `folder`, exactly as a monitor on
    a USB-serial adapter would; the ward reads them through the same sessions as real monitors.
    """

    def __init__(self, ward: Ward, monitors: WardMonitors, folder: Path) -> None:
        self.ward = ward
        self.monitors = monitors
        self.folder = folder
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the simulators and connect each chair to its monitor."""
        beds = self.ward.beds()
        for index, (protocol, scenario) in DEMO_MONITORS.items():
            if index >= len(beds):
                break
            link = self.folder / f"monitor-{index + 1}"
            ready = threading.Event()
            thread = threading.Thread(
                target=run_simulator,
                args=(protocol, scenario),
                kwargs={
                    "link": link,
                    "stop": self._stop,
                    "on_ready": lambda _p, r=ready: r.set(),
                    "seed": index,
                },
                name=f"simulated {protocol} monitor {index + 1}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
            if not ready.wait(5):
                raise OSError(f"the simulated monitor at {link} did not start")
            self.monitors.connect(beds[index], protocol, str(link), source="simulator")

    def stop(self) -> None:
        """Stop the simulators."""
        self._stop.set()
        for thread in self._threads:
            thread.join(5)
