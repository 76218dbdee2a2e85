"""A whole demonstration infusion day, as the report shows it: for the pictures in `docs/`, the
benchmark and the tests that read a real day back.

The day is lived minute by minute on a `ManualClock`: a simulated monitor (`devices.simulator`)
sends its values, the alarm engine evaluates each of them and logs what it raises, and a nurse
does every step of the protocol when the engine says it is due, through the same `Ward`
operations the window uses. On top, the things a real day has: an infusion reaction (fever)
that pauses the infusion and is resumed at a lower rate, a probe slipping off the finger (a
short SpO2 dip, a high-priority alarm, acknowledged), a warning checklist, a note and a
corrected batch number. Nothing is written that a nurse could not have written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from alemmonitor.alarm_rules import default_alarm_rules
from alemmonitor.clock import ManualClock, to_iso
from alemmonitor.infusion_day import EventKind, TaskKind, TaskState
from alemmonitor.patients import Patient
from alemmonitor.reactions import add_note, record_reaction, record_resolution
from alemmonitor.store import new_id
from alemmonitor.ward import Admission, Bed, Ward
from alemmonitor.watch import AlarmWatch
from devices.readings import CANONICAL_UNIT, Parameter
from devices.simulator import make_scenario

NURSE = "AB"
SECOND_NURSE = "KM"
MONITOR = "monitor:hl7"
_DEVICE_PARAMETERS = (
    Parameter.HR,
    Parameter.SBP,
    Parameter.DBP,
    Parameter.TEMP,
    Parameter.SPO2,
    Parameter.RR,
)


@dataclass(frozen=True)
class DemoDay:
    """What a demonstration day was built with; `readings` counts the monitor's values."""

    admission: Admission
    readings: int
    charted_sets: int
    events: int


def live_day(
    ward: Ward,
    clock: ManualClock,
    patient: Patient,
    bed: Bed,
    *,
    course: int = 1,
    day: int = 3,
    every_s: int = 1,
    hours: float = 12.0,
    scenario: str = "iar-fever",
    seed: int = 0,
    extra_sets: int = 0,
    extra_every_min: int = 30,
    rate_steps: int = 0,
) -> DemoDay:
    """Live one patient's infusion day from `clock`'s time on, for `hours` at most.

    The monitor sends `every_s` seconds apart. `extra_sets` adds sets of vital signs charted
    between the protocol's rounds (`extra_every_min` after the last set), as a ward does on a
    restless day; `rate_steps` brings the slowed infusion back up 1 mL/h at a time, every 15
    minutes, at most that many times. The clock ends at the end of the day.
    """
    start = clock.now()
    admission = ward.admit(
        patient, course_number=course, day_number=day, bed=bed, planned_start=start, by=NURSE
    )
    watch = AlarmWatch(ward, default_alarm_rules())
    monitor = make_scenario(scenario, seed=seed)
    state = _Nurse(ward, watch, admission)
    state.extra_every = timedelta(minutes=extra_every_min)
    state.rate_steps = rate_steps
    end = start + timedelta(hours=hours)
    readings = 0
    infusion_at: datetime | None = None
    batch: list[dict[str, object]] = []
    step = timedelta(seconds=every_s)
    extra_left = extra_sets
    while clock.now() < end:
        now = clock.now()
        elapsed = (now - (infusion_at or start)).total_seconds()
        vitals = monitor.vitals_at(max(elapsed, 0.0))
        values = {parameter.value: vitals.value(parameter) for parameter in _DEVICE_PARAMETERS}
        if infusion_at is not None and 5400 <= elapsed < 5425:
            values["spo2"] = 84.0 - (elapsed - 5400) / 10  # the probe slips off the finger
        for name, value in values.items():
            batch.append(
                {
                    "id": new_id(),
                    "day_id": admission.id,
                    "bed_id": bed.id,
                    "parameter": name,
                    "value": round(value, 2),  # as a monitor sends it
                    "unit": CANONICAL_UNIT[Parameter(name)],
                    "measured_at": to_iso(now),
                    "received_at": to_iso(now),
                    "source": "simulator",
                }
            )
        readings += len(values)
        watch.on_readings(bed.id, admission.id, values, now)
        state.latest = {name: round(value, 2) for name, value in values.items()}
        if len(batch) >= 600 or now.second == 0:
            ward.store.add_records("observations", batch, MONITOR)
            batch = []
            finished = state.act(now)
            if state.infusion_started_at is not None:
                infusion_at = state.infusion_started_at
            if finished:
                break
            if extra_left and state.chart_extra(now):
                extra_left -= 1
        clock.advance(step)
    if batch:
        ward.store.add_records("observations", batch, MONITOR)
    watch.close()
    events = len(ward.infusion_day(admission).events)
    return DemoDay(admission, readings, state.sets, events)


class _Nurse:
    """Does what the day's engine says is due, and what the story of the day adds."""

    def __init__(self, ward: Ward, watch: AlarmWatch, admission: Admission) -> None:
        self.ward = ward
        self.watch = watch
        self.admission = admission
        self.latest: dict[str, float] = {}
        self.sets = 0
        self.infusion_started_at: datetime | None = None
        self.last_set_at: datetime | None = None
        self._story: set[str] = set()
        self.extra_every = timedelta(minutes=30)
        self.rate_steps = 0
        self.rate = 0.0
        self.rate_changed_at: datetime | None = None

    def chart(self, now: datetime) -> None:
        values = {
            name: round(value, 1) if name == "temp" else float(round(value))
            for name, value in self.latest.items()
        }
        self.ward.record_vitals(self.admission, {**values, "acvpu": 0, "o2_flow": 0}, by=NURSE)
        self.watch.on_charted_set(self.admission)
        self.sets += 1
        self.last_set_at = now

    def chart_extra(self, now: datetime) -> bool:
        """Chart a set half an hour after the last one, while the infusion or observation runs."""
        if self.infusion_started_at is None or self.last_set_at is None:
            return False
        if now - self.last_set_at < self.extra_every:
            return False
        self.chart(now)
        return True

    def act(self, now: datetime) -> bool:
        """Do what is due now; True when the day is over."""
        ward, admission = self.ward, self.admission
        status = ward.infusion_day(admission).status(now)
        for task in status.tasks:
            if task.state not in (TaskState.DUE, TaskState.OVERDUE) or now < task.planned_at:
                continue
            if task.kind is TaskKind.PREMEDICATION:
                ward.record(
                    admission,
                    EventKind.PREMEDICATION_GIVEN,
                    by=NURSE,
                    task=task.id,
                    batch="PM-2611",
                )
            elif task.kind is TaskKind.STEROID_START:
                ward.record(admission, EventKind.STEROID_STARTED, by=NURSE, batch="MP-5530")
            elif task.kind is TaskKind.STEROID_FINISH:
                ward.record(admission, EventKind.STEROID_FINISHED, by=NURSE)
            elif task.kind is TaskKind.VITALS:
                self.chart(now)
            elif task.kind is TaskKind.INFUSION_START:
                ward.record(
                    admission,
                    EventKind.INFUSION_STARTED,
                    by=NURSE,
                    batch="LEM-24A117",
                    checked_by=SECOND_NURSE,
                )
                self.infusion_started_at = now
            elif task.kind is TaskKind.LAB:
                ward.record(admission, EventKind.LAB_SAMPLED, by=NURSE, task=task.id)
            elif task.kind is TaskKind.OBSERVATION_END:
                ward.record(admission, EventKind.OBSERVATION_ENDED, by=NURSE)
                return True
            status = ward.infusion_day(admission).status(now)
        if status.infusion_started_at is not None and status.infusion_ended_at is None:
            self._infusion_story(now, status.infusion_started_at, status.remaining)
        return False

    def _infusion_story(
        self, now: datetime, started: datetime, remaining: timedelta | None
    ) -> None:
        ward, admission = self.ward, self.admission
        running = now - started
        if running >= timedelta(minutes=92) and "probe" not in self._story:
            self._story.add("probe")
            for alarm in self.watch.board.alarms(admission.bed_id):
                self.watch.board.acknowledge(alarm.id, SECOND_NURSE, now)
            add_note(
                ward,
                admission,
                "SpO2 probe had slipped off; re-attached, reading again.",
                by=SECOND_NURSE,
            )
        if running >= timedelta(minutes=100) and "correction" not in self._story:
            self._story.add("correction")
            given = next(
                e
                for e in ward.infusion_day(admission).events
                if e.kind is EventKind.PREMEDICATION_GIVEN
            )
            ward.correct_event(
                admission, given.id, {"batch": "PM-2661"}, by=NURSE, reason="batch number mistyped"
            )
        temperature = self.latest.get("temp", 0.0)
        if temperature >= 38.0 and "fever" not in self._story:
            self._story.add("fever")
            self.reaction = record_reaction(
                ward,
                admission,
                term="Fever",
                grade=1,
                onset_at=now,
                actions=("paused", "antipyretic", "slowed"),
                note="Chills; paracetamol already given, cooled.",
                by=NURSE,
            )
            ward.record(admission, EventKind.INFUSION_PAUSED, by=NURSE, reason="fever 38.0 °C")
            self.watch.record_warning_check(
                admission,
                {sign.id: False for sign in default_alarm_rules().warning.signs},
                trigger="headache with the fever",
                by=NURSE,
            )
            self.paused_at = now
        paused_long_enough = "fever" in self._story and now - self.paused_at >= timedelta(
            minutes=20
        )
        if paused_long_enough and "resumed" not in self._story:
            self._story.add("resumed")
            ward.record(admission, EventKind.INFUSION_RESUMED, by=NURSE, reason="afebrile")
            ward.record(admission, EventKind.RATE_CHANGED, by=NURSE, rate_ml_h=20.0)
            self.rate, self.rate_changed_at = 20.0, now
        last_change = self.rate_changed_at
        if self.rate_steps > 0 and last_change and now - last_change >= timedelta(minutes=15):
            self.rate_steps -= 1
            self.rate += 1.0
            self.rate_changed_at = now
            ward.record(
                admission, EventKind.RATE_CHANGED, by=NURSE, rate_ml_h=self.rate, reason="afebrile"
            )
        if "resumed" in self._story and "resolved" not in self._story and temperature < 37.5:
            self._story.add("resolved")
            record_resolution(ward, self.reaction.id, resolved_at=now, by=NURSE)
        if remaining is not None and remaining <= timedelta(0):
            ward.record(admission, EventKind.INFUSION_COMPLETED, by=NURSE)
