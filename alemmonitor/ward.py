"""The ward: patients, chairs, today's infusion days, and recording what happens on them.

This is the one place where the engine meets the record: every event is checked against the
patient's day inside the same write transaction that stores it, so two programs writing to the
file at once cannot record an impossible sequence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from alemmonitor.clock import Clock, from_iso, local_date, to_iso
from alemmonitor.errors import EntryError, FieldProblem, SequenceError, StoreError
from alemmonitor.infusion_day import (
    DayEvent,
    DayPlan,
    DayStatus,
    EventKind,
    InfusionDay,
    Step,
)
from alemmonitor.patients import Patient, PatientDraft, differences
from alemmonitor.protocol import Protocol
from alemmonitor.store import Row, Store, new_id
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text
from devices.base import SerialSettings, driver_class
from devices.errors import DeviceError

if TYPE_CHECKING:
    # The follow-up plan is read and laid out when a course's last infusion ends: a ward opened
    # for the day loads none of it.
    from alemmonitor.followup_plan import FollowUpSettings

DEFAULT_CHAIRS = 6
CHAIR_LABEL = QT_TRANSLATE_NOOP("Ward", "Chair {number}")
"""How a new record names its chairs (`ensure_beds`); the window passes it translated."""
DEFAULT_UNIT = "Infusion unit"
"""What reports call the unit when the site has not named it."""


@dataclass(frozen=True)
class Bed:
    """A chair (or bed) of the infusion unit."""

    id: str
    label: str
    position: int


@dataclass(frozen=True)
class Admission:
    """A patient's infusion day: who, which course and day, where, from when."""

    id: str
    patient: Patient
    course_number: int
    day_number: int
    course_days: int
    date: date
    bed_id: str | None
    planned_start: datetime

    @property
    def course_text(self) -> Text:
        """As the ward writes it: 'Course 1 · Day 3/5'."""
        return QT_TRANSLATE_NOOP("Ward", "Course {course} · Day {day}/{days}").format(
            course=self.course_number, day=self.day_number, days=self.course_days
        )


@dataclass(frozen=True)
class MonitorAssignment:
    """The monitor a chair is connected to: protocol, port, line-setting overrides, who and when.

    `id` names the link record (its first version); `assigned_at` and `assigned_by` tell who
    connected the monitor as it is now, and when.
    """

    id: str
    bed: Bed
    protocol: str
    port: str
    settings: Mapping[str, Any]
    assigned_at: datetime
    assigned_by: str


@dataclass(frozen=True)
class ImportResult:
    """What a patient-list import did."""

    added: tuple[Patient, ...]
    unchanged: tuple[Patient, ...]


@dataclass(frozen=True)
class ChairView:
    """One chair and the patient's day on it (if any)."""

    bed: Bed
    admission: Admission | None
    day: InfusionDay | None

    def status(self, now: datetime) -> DayStatus | None:
        """Where the day on this chair stands at `now`."""
        return self.day.status(now) if self.day is not None else None


class Ward:
    """The infusion unit's operations on the record. Plain Python; used by the GUI and the CLI."""

    def __init__(
        self,
        store: Store,
        protocol: Protocol,
        clock: Clock,
        followup: FollowUpSettings | None = None,
    ) -> None:
        self.store = store
        self.protocol = protocol
        self.clock = clock
        self._followup = followup

    @property
    def followup(self) -> FollowUpSettings:
        """The site's follow-up plan, laid out for a course when its last infusion ends (the
        shipped one is read when first needed, not at start)."""
        if self._followup is None:
            from alemmonitor.followup_plan import default_followup  # noqa: PLC0415

            self._followup = default_followup()
        return self._followup

    # -- patients ----------------------------------------------------------------------------

    def register_patient(self, draft: PatientDraft, by: str) -> Patient:
        """Register a new patient; refused if the hospital ID is already registered."""
        with self.store.transaction():
            existing = self.patient(draft.hospital_id)
            if existing is not None:
                raise EntryError(
                    [
                        FieldProblem(
                            "patient_id",
                            QT_TRANSLATE_NOOP(
                                "Ward", "{id} is already registered ({name}, born {born})"
                            ).format(
                                id=draft.hospital_id,
                                name=existing.name,
                                born=existing.date_of_birth,
                            ),
                        )
                    ]
                )
            row = self.store.insert_in_transaction("patients", _patient_row(draft), by)
        return _patient(row)

    def import_patients(self, drafts: list[PatientDraft], by: str, source: str) -> ImportResult:
        """Register the patients of a day's list in one transaction: all of them or none.

        A patient already registered with the same details is left as is; one registered with
        different details is refused (a correction is made deliberately, not by an import).
        """
        added: list[Patient] = []
        unchanged: list[Patient] = []
        with self.store.transaction():
            problems = []
            for draft in drafts:
                existing = self.patient(draft.hospital_id)
                if existing is None:
                    continue
                changed = differences(existing, draft)
                if changed:
                    problems.append(
                        FieldProblem(
                            "patient_id",
                            f"{draft.hospital_id} is registered with a different "
                            f"{', '.join(changed)}; correct the patient in the app first",
                        )
                    )
                unchanged.append(existing)
            if problems:
                raise EntryError(problems, source)
            known = {p.hospital_id for p in unchanged}
            for draft in drafts:
                if draft.hospital_id not in known:
                    row = self.store.insert_in_transaction("patients", _patient_row(draft), by)
                    added.append(_patient(row))
            self.store.log_in_transaction(
                "import patients", by, f"{source}: {len(added)} added, {len(unchanged)} unchanged"
            )
        return ImportResult(tuple(added), tuple(unchanged))

    def patient(self, hospital_id: str) -> Patient | None:
        """The registered patient with this hospital ID."""
        rows = self.store.current("patients", "hospital_id = ?", (hospital_id,))
        return _patient(rows[0]) if rows else None

    def patients(self, search: str = "") -> list[Patient]:
        """Registered patients whose ID or name contains `search` (any case, umlauts too)."""
        wanted = search.strip().casefold()
        # Filtered here rather than with SQL LIKE, which folds the case of ASCII letters only.
        patients = [_patient(row) for row in self.store.current("patients")]
        found = [
            p for p in patients if wanted in p.name.casefold() or wanted in p.hospital_id.casefold()
        ]
        return sorted(found, key=lambda p: (p.name.casefold(), p.hospital_id))

    # -- chairs ------------------------------------------------------------------------------

    def beds(self) -> list[Bed]:
        """The unit's chairs in their order on the ward."""
        rows = self.store.current("beds", "1 ORDER BY position, label")
        return [Bed(row["root_id"], row["label"], row["position"]) for row in rows]

    def find_bed(self, name: str) -> Bed:
        """The chair called `name` ('Chair 2', 'chair 2') or numbered `name` ('2')."""
        beds = self.beds()
        wanted = name.strip().casefold()
        for bed in beds:
            if bed.label.casefold() == wanted or str(bed.position) == wanted:
                return bed
        known = ", ".join(bed.label for bed in beds) or "none set up yet"
        raise EntryError([FieldProblem("bed", f"no chair {name!r}; the chairs are: {known}")])

    def admission_on_bed(self, bed: Bed) -> Admission | None:
        """The patient's day on this chair now, if any.

        Asked for every batch of monitor readings, so only this chair's days are read.
        """
        here = self._sitting(self.clock.now(), None, bed.id)
        return here[-1][0] if here else None

    def admission_today(self, patient: Patient) -> Admission | None:
        """The patient's infusion day of today, if they have one."""
        today = local_date(self.clock, self.clock.now())
        return next((a for a in self.admissions_on(today) if a.patient.id == patient.id), None)

    def ensure_beds(self, count: int, by: str, *, label: str = CHAIR_LABEL) -> list[Bed]:
        """Set up `count` numbered chairs when the unit has none yet.

        `label` names them, with `{number}` for the chair's number ('Chair {number}').
        """
        if not self.beds():
            with self.store.transaction():
                for number in range(1, count + 1):
                    self.store.insert_in_transaction(
                        "beds", {"label": str(label.format(number=number)), "position": number}, by
                    )
        return self.beds()

    # -- monitors ----------------------------------------------------------------------------

    def assign_monitor(
        self,
        bed: Bed,
        protocol: str,
        port: str,
        *,
        by: str,
        settings: Mapping[str, Any] | None = None,
    ) -> MonitorAssignment:
        """Connect the monitor speaking `protocol` on `port` to the chair, in the record.

        A chair that had another monitor gets this one as a correction ("monitor changed");
        choosing what the chair already has changes nothing. `settings` overrides the protocol's
        serial line settings (baudrate, parity, ...). Raises EntryError, storing nothing, for an
        unknown protocol or setting, an empty port, or a port another chair reads.
        """
        protocol = protocol.strip()
        port = port.strip()
        overrides = dict(settings or {})
        problems = _monitor_problems(protocol, port, overrides)
        if problems:
            raise EntryError(problems)
        with self.store.transaction():
            links = self.store.current("monitor_links")
            for link in links:
                if link["bed_id"] != bed.id and _same_port(link["port"], port):
                    other = self._bed_label(link["bed_id"])
                    raise EntryError(
                        [
                            FieldProblem(
                                "port",
                                QT_TRANSLATE_NOOP(
                                    "Ward",
                                    "{port} already feeds {chair}; disconnect it there first",
                                ).format(port=port, chair=other),
                            )
                        ]
                    )
            row = {
                "bed_id": bed.id,
                "protocol": protocol,
                "port": port,
                "settings": json.dumps(overrides, sort_keys=True),
            }
            current = next((link for link in links if link["bed_id"] == bed.id), None)
            if current is None:
                stored = self.store.insert_in_transaction("monitor_links", row, by)
            elif all(current[key] == value for key, value in row.items()):
                stored = current
            else:
                stored = self.store.correct_in_transaction(
                    "monitor_links", current["id"], row, by, "monitor changed"
                )
        return _assignment(stored, bed)

    def unassign_monitor(self, bed: Bed, *, by: str, reason: str) -> None:
        """Disconnect the chair's monitor in the record; the link stays in the history with why."""
        if not reason.strip():
            raise EntryError(
                [
                    FieldProblem(
                        "reason", QT_TRANSLATE_NOOP("Ward", "say why the monitor is disconnected")
                    )
                ]
            )
        with self.store.transaction():
            current = self.store.current("monitor_links", "bed_id = ?", (bed.id,))
            if not current:
                raise SequenceError(
                    QT_TRANSLATE_NOOP("Ward", "{chair} has no monitor connected").format(
                        chair=bed.label
                    )
                )
            for link in current:
                self.store.correct_in_transaction(
                    "monitor_links", link["id"], {}, by, reason.strip(), void=True
                )

    def monitor_assignments(self) -> list[MonitorAssignment]:
        """Every chair's monitor as the record has it now, in the chairs' order."""
        rows = self.store.current("monitor_links", "1 ORDER BY entered_at, rowid")
        # One link per chair is kept by assign_monitor; should another program have added a
        # second, the newest is the one the nurse chose last.
        latest = {row["bed_id"]: row for row in rows}
        return [_assignment(latest[bed.id], bed) for bed in self.beds() if bed.id in latest]

    def monitor_assignment(self, bed: Bed) -> MonitorAssignment | None:
        """The chair's monitor as the record has it now, if it has one."""
        return next((a for a in self.monitor_assignments() if a.bed.id == bed.id), None)

    def _bed_label(self, bed_id: str) -> str:
        row = self.store.current_by_root("beds", bed_id)
        return str(row["label"]) if row is not None else QT_TRANSLATE_NOOP("Ward", "another chair")

    # -- infusion days -----------------------------------------------------------------------

    def admit(
        self,
        patient: Patient,
        *,
        course_number: int,
        day_number: int,
        bed: Bed | None,
        planned_start: datetime,
        by: str,
    ) -> Admission:
        """Start a patient's infusion day on a chair; the course is created on its first day."""
        plan = DayPlan(self.protocol, course_number, day_number, planned_start)  # checks numbers
        day_date = local_date(self.clock, planned_start)
        with self.store.transaction():
            for other in self.admissions_on(day_date):
                if other.patient.id == patient.id:
                    raise SequenceError(
                        QT_TRANSLATE_NOOP(
                            "Ward", "{name} already has an infusion day on {date}"
                        ).format(name=patient.name, date=day_date)
                    )
                if bed is not None and other.bed_id == bed.id and not self._day_is_over(other):
                    raise SequenceError(
                        QT_TRANSLATE_NOOP("Ward", "{chair} is taken by {name} today").format(
                            chair=bed.label, name=other.patient.name
                        )
                    )
            course = self._course(patient, course_number, day_number, day_date, by)
            taken = self.store.current(
                "infusion_days", "course_id = ? AND day_number = ?", (course["root_id"], day_number)
            )
            if taken:
                raise SequenceError(
                    QT_TRANSLATE_NOOP(
                        "Ward", "course {course} day {day} of {name} was already given on {date}"
                    ).format(
                        course=course_number,
                        day=day_number,
                        name=patient.name,
                        date=taken[0]["date"],
                    )
                )
            row = self.store.insert_in_transaction(
                "infusion_days",
                {
                    "course_id": course["root_id"],
                    "day_number": day_number,
                    "date": day_date.isoformat(),
                    "bed_id": bed.id if bed else None,
                    "planned_start": to_iso(planned_start),
                    "protocol_id": self.protocol.id,
                },
                by,
            )
        return Admission(
            row["id"],
            patient,
            course_number,
            day_number,
            plan.course_days,
            day_date,
            row["bed_id"],
            planned_start,
        )

    def _course(
        self, patient: Patient, number: int, day_number: int, day_date: date, by: str
    ) -> Row:
        rows = self.store.current("courses", "patient_id = ? AND number = ?", (patient.id, number))
        if rows:
            return rows[0]
        # A course whose first days were given before the unit used the app starts here with
        # its first day inferred from today's day number.
        start = day_date - timedelta(days=day_number - 1)
        return self.store.insert_in_transaction(
            "courses",
            {
                "patient_id": patient.id,
                "number": number,
                "start_date": start.isoformat(),
                "days": self.protocol.courses.days_of(number),
            },
            by,
        )

    def admissions_on(self, day: date) -> list[Admission]:
        """The infusion days of a calendar date."""
        rows = self.store.query(
            """SELECT d.root_id AS day_id, d.day_number, d.date, d.bed_id, d.planned_start,
                      c.number AS course_number, c.days AS course_days, p.*
               FROM current_infusion_days AS d
               JOIN current_courses AS c ON c.root_id = d.course_id
               JOIN current_patients AS p ON p.root_id = c.patient_id
               WHERE d.date = ? ORDER BY d.planned_start""",
            (day.isoformat(),),
        )
        return [_admission(row) for row in rows]

    def admission(self, day_id: str) -> Admission:
        """The infusion day with this id."""
        rows = self.store.query(
            """SELECT d.root_id AS day_id, d.day_number, d.date, d.bed_id, d.planned_start,
                      c.number AS course_number, c.days AS course_days, p.*
               FROM current_infusion_days AS d
               JOIN current_courses AS c ON c.root_id = d.course_id
               JOIN current_patients AS p ON p.root_id = c.patient_id
               WHERE d.root_id = ?""",
            (day_id,),
        )
        if not rows:
            raise StoreError(f"no infusion day {day_id}")
        return _admission(rows[0])

    def infusion_day(self, admission: Admission) -> InfusionDay:
        """The engine's view of an infusion day with everything recorded on it."""
        plan = DayPlan(
            self.protocol,
            admission.course_number,
            admission.day_number,
            admission.planned_start,
            local=self.clock.local,
        )
        rows = self.store.current("events", "day_id = ? ORDER BY occurred_at", (admission.id,))
        return InfusionDay(plan, [_event(row) for row in rows])

    def discharge(self, admission: Admission, *, by: str, reason: str | None = None) -> Admission:
        """The patient leaves the chair; the day stays in the record, as does where it was given.

        Before the day is complete (observation not ended) the nurse must say why; the record
        keeps "discharged" and the reason. Returns the day without a chair.
        """
        why = (reason or "").strip()
        with self.store.transaction():
            current = self.store.current_by_root("infusion_days", admission.id)
            if current is None:
                raise StoreError(f"no infusion day {admission.id}")
            if current["bed_id"] is None:
                raise SequenceError(
                    QT_TRANSLATE_NOOP("Ward", "{name} is not on a chair").format(
                        name=admission.patient.name
                    )
                )
            if not why and not self._day_is_over(admission):
                raise EntryError(
                    [
                        FieldProblem(
                            "reason",
                            QT_TRANSLATE_NOOP(
                                "Ward",
                                "the observation has not ended: say why the patient leaves now",
                            ),
                        )
                    ]
                )
            self.store.correct_in_transaction(
                "infusion_days",
                current["id"],
                {"bed_id": None},
                by,
                f"discharged: {why}" if why else "discharged",
            )
        return replace(admission, bed_id=None)

    def _day_is_over(self, admission: Admission) -> bool:
        status = self.infusion_day(admission).status(self.clock.now())
        return status.step is Step.DAY_COMPLETE

    def record(
        self,
        admission: Admission,
        kind: EventKind,
        *,
        by: str,
        at: datetime | None = None,
        **details: Any,
    ) -> DayStatus:
        """Record an event of the day after checking it against the day; returns the new status.

        `details` are the event's fields (task, drug, dose, unit, route, batch, checked_by,
        rate_ml_h, reason). Raises SequenceError, storing nothing, when the event is impossible.
        """
        with self.store.transaction():
            return self.record_in_transaction(admission, kind, by=by, at=at, **details)

    def record_in_transaction(
        self,
        admission: Admission,
        kind: EventKind,
        *,
        by: str,
        at: datetime | None = None,
        **details: Any,
    ) -> DayStatus:
        """Like `record`, inside the transaction that is open (with the records it belongs to).

        The infusion's end on the course's last day ends the course: its follow-up plan is laid
        out in the same transaction.
        """
        now = self.clock.now()
        event = self._event_for(admission, kind, at or now, by, details)
        day = self.infusion_day(admission).with_event(event, now)
        self.store.insert_in_transaction("events", _event_row(admission, event), by)
        ends = kind in (EventKind.INFUSION_COMPLETED, EventKind.INFUSION_STOPPED)
        if ends and admission.day_number == admission.course_days:
            course = self._course_of(admission)
            if not self.store.current("followup_plans", "course_id = ?", (course["root_id"],)):
                from alemmonitor.followup_plan import lay_out_in_transaction  # noqa: PLC0415

                lay_out_in_transaction(
                    self.store, self.followup, course, by=by, ended_by_event=event.id
                )
        return day.status(now)

    def _course_of(self, admission: Admission) -> Row:
        rows = self.store.query(
            """SELECT c.* FROM current_courses AS c
               JOIN current_infusion_days AS d ON d.course_id = c.root_id
               WHERE d.root_id = ?""",
            (admission.id,),
        )
        if not rows:
            raise StoreError(f"no course of infusion day {admission.id}")
        return rows[0]

    def correct_event(
        self,
        admission: Admission,
        event_id: str,
        changes: Mapping[str, Any],
        *,
        by: str,
        reason: str,
    ) -> DayStatus:
        """Correct a recorded event (its time, batch, ...); who, when and why are kept.

        `changes` holds DayEvent fields (`at`, `by` for who did it, `batch`, ...). The corrected
        day is checked like a new event; nothing is stored if it is impossible.
        """
        unknown = set(changes) - _EVENT_DETAILS - {"at", "by"}
        if unknown:
            raise ValueError(f"not an event field: {', '.join(sorted(unknown))}")
        now = self.clock.now()
        with self.store.transaction():
            day = self.infusion_day(admission)
            original = next((e for e in day.events if e.id == event_id), None)
            if original is None:
                raise StoreError(f"no event {event_id} on this day")
            corrected = replace(original, **changes)
            day = day.with_event(corrected, now)
            row = _event_row(admission, corrected)
            del row["id"]
            current = self.store.current_by_root("events", event_id)
            if current is None:
                raise StoreError(f"no event {event_id} on this day")
            self.store.correct_in_transaction("events", current["id"], row, by, reason)
        return day.status(now)

    def strike_out_event(
        self, admission: Admission, event_id: str, *, by: str, reason: str
    ) -> DayStatus:
        """Strike out an event entered in error; it stays in the history with who and why."""
        now = self.clock.now()
        with self.store.transaction():
            day = self.infusion_day(admission).without(event_id)
            current = self.store.current_by_root("events", event_id)
            if current is None:
                raise StoreError(f"no event {event_id} on this day")
            self.store.correct_in_transaction("events", current["id"], {}, by, reason, void=True)
            # The course did not end with an infusion that was not given: its plan goes too.
            for plan in self.store.current("followup_plans", "ended_by_event = ?", (event_id,)):
                self.store.correct_in_transaction(
                    "followup_plans", plan["id"], {}, by, reason, void=True
                )
        return day.status(now)

    def record_vitals(
        self,
        admission: Admission,
        values: Mapping[str, float],
        *,
        by: str,
        at: datetime | None = None,
        reason: str | None = None,
    ) -> DayStatus:
        """Chart a set of vital signs and tick the vitals task, in one transaction.

        `reason` says why a set is charted later than it was measured (back-dated); it is kept
        on the set's vitals_taken event.
        """
        now = self.clock.now()
        measured = at or now
        from alemmonitor.vitals import check_vitals  # noqa: PLC0415 - the ward starts without

        units = check_vitals(values)
        event = DayEvent(
            new_id(), EventKind.VITALS_TAKEN, measured, by, reason=(reason or "").strip() or None
        )
        with self.store.transaction():
            day = self.infusion_day(admission).with_event(event, now)
            for parameter, value in values.items():
                self.store.insert_in_transaction(
                    "observations",
                    {
                        "day_id": admission.id,
                        "bed_id": admission.bed_id,
                        "set_id": event.id,
                        "parameter": parameter,
                        "value": float(value),
                        "unit": units[parameter],
                        "measured_at": to_iso(measured),
                        "received_at": to_iso(now),
                        "source": "manual",
                    },
                    by,
                )
            self.store.insert_in_transaction("events", _event_row(admission, event), by)
        return day.status(now)

    def charted_sets(self, admission: Admission) -> list[tuple[datetime, dict[str, float]]]:
        """The day's charted sets of vital signs (typed or confirmed), oldest first, as they
        stand after corrections: (measured at, values by parameter)."""
        rows = self.store.query(
            """SELECT set_id, parameter, value, measured_at FROM current_observations
               WHERE day_id = ? AND set_id IS NOT NULL ORDER BY measured_at, set_id""",
            (admission.id,),
        )
        sets: dict[str, tuple[datetime, dict[str, float]]] = {}
        for row in rows:
            _, values = sets.setdefault(row["set_id"], (from_iso(row["measured_at"]), {}))
            values[row["parameter"]] = row["value"]
        return sorted(sets.values(), key=lambda found: found[0])

    def _event_for(
        self,
        admission: Admission,
        kind: EventKind,
        at: datetime,
        by: str,
        details: Mapping[str, Any],
    ) -> DayEvent:
        fields = dict(details)
        protocol = self.protocol
        if kind is EventKind.PREMEDICATION_GIVEN:
            premeds = {
                p.id: p
                for p in protocol.premedication_for(admission.course_number, admission.day_number)
            }
            planned = premeds.get(fields.get("task") or "")
            if planned is not None:
                for name in ("drug", "dose", "unit", "route"):
                    fields.setdefault(name, getattr(planned, name))
        elif kind is EventKind.STEROID_STARTED:
            steroid = protocol.steroid_on(admission.course_number, admission.day_number)
            if steroid is not None:
                fields.setdefault("task", "steroid")
                for name in ("drug", "dose", "unit", "route"):
                    fields.setdefault(name, getattr(steroid, name))
        elif kind is EventKind.INFUSION_STARTED:
            infusion = protocol.infusion
            for name in ("drug", "dose", "unit", "route"):
                fields.setdefault(name, getattr(infusion, name))
            fields.setdefault("rate_ml_h", infusion.rate_ml_h)
        unknown = set(fields) - _EVENT_DETAILS
        if unknown:
            raise ValueError(f"not an event field: {', '.join(sorted(unknown))}")
        return DayEvent(new_id(), kind, at, by, **fields)

    def chairs(self, day: date | None = None) -> list[ChairView]:
        """Every chair with the patient on it today (if any) and where their day stands."""
        candidates = self._sitting(self.clock.now(), day, None)
        views = []
        for bed in self.beds():
            here = [(a, d) for a, d in candidates if a.bed_id == bed.id]
            # The latest admission on the chair is the one sitting there now.
            admission, infusion_day = here[-1] if here else (None, None)
            views.append(ChairView(bed, admission, infusion_day))
        return views

    def _sitting(
        self, now: datetime, day: date | None, bed_id: str | None
    ) -> list[tuple[Admission, InfusionDay]]:
        """The days on the chairs (or on one chair), oldest first, with their engine views."""
        today = day or local_date(self.clock, now)

        def on_chair(admissions: list[Admission]) -> list[Admission]:
            return [a for a in admissions if bed_id is None or a.bed_id == bed_id]

        # A day that began before midnight stays on its chair until its observation has ended.
        yesterday = [
            (admission, self.infusion_day(admission))
            for admission in on_chair(self.admissions_on(today - timedelta(days=1)))
        ]
        candidates = [(a, d) for a, d in yesterday if d.status(now).step is not Step.DAY_COMPLETE]
        candidates += [(a, self.infusion_day(a)) for a in on_chair(self.admissions_on(today))]
        return candidates


_EVENT_DETAILS = frozenset(
    {"task", "drug", "dose", "unit", "route", "batch", "checked_by", "rate_ml_h", "reason"}
)


_SERIAL_SETTINGS = frozenset(field.name for field in fields(SerialSettings))


def _monitor_problems(protocol: str, port: str, settings: Mapping[str, Any]) -> list[FieldProblem]:
    problems = []
    try:
        driver_class(protocol)
    except DeviceError as exc:
        problems.append(FieldProblem("protocol", str(exc)))
    if not port:
        problems.append(
            FieldProblem(
                "port",
                QT_TRANSLATE_NOOP("Ward", "choose the monitor's port, or type its path or address"),
            )
        )
    problems += _line_problems(settings)
    unknown = sorted(set(settings) - _SERIAL_SETTINGS)
    if unknown:
        problems.append(
            FieldProblem(
                "settings",
                f"not a serial line setting: {', '.join(unknown)}; "
                f"known: {', '.join(sorted(_SERIAL_SETTINGS))}",
            )
        )
    return problems


_LINE_VALUES: Mapping[str, tuple[object, ...]] = MappingProxyType(
    {
        "parity": ("N", "E", "O"),
        "bytesize": (5, 6, 7, 8),
        "stopbits": (1, 1.5, 2),
        "rtscts": (True, False),
        "xonxoff": (True, False),
    }
)


def _line_problems(settings: Mapping[str, Any]) -> list[FieldProblem]:
    """Line settings no serial port takes (checked before anything is stored)."""
    problems = []
    baud = settings.get("baudrate")
    if baud is not None and (
        isinstance(baud, bool) or not isinstance(baud, int) or not 300 <= baud <= 921_600
    ):
        problems.append(FieldProblem("baudrate", f"{baud!r} is not a baud rate (300-921600)"))
    for name, allowed in _LINE_VALUES.items():
        value = settings.get(name)
        if value is not None and (
            value not in allowed or isinstance(value, bool) is not isinstance(allowed[0], bool)
        ):
            choices = ", ".join(str(choice) for choice in allowed)
            problems.append(FieldProblem(name, f"{value!r} is not a {name} ({choices})"))
    return problems


def _same_port(first: str, second: str) -> bool:
    # Windows names ports in any case (COM3, com3): one cable, one port.
    return first.strip().casefold() == second.strip().casefold()


def _assignment(row: Row, bed: Bed) -> MonitorAssignment:
    return MonitorAssignment(
        id=row["root_id"],
        bed=bed,
        protocol=row["protocol"],
        port=row["port"],
        settings=MappingProxyType(json.loads(row["settings"])),
        assigned_at=from_iso(row["entered_at"]),
        assigned_by=row["entered_by"],
    )


def _patient_row(draft: PatientDraft) -> dict[str, Any]:
    return {
        "hospital_id": draft.hospital_id,
        "name": draft.name,
        "date_of_birth": draft.date_of_birth.isoformat(),
        "sex": draft.sex,
        "weight_kg": draft.weight_kg,
    }


def _patient(row: Row) -> Patient:
    return Patient(
        hospital_id=row["hospital_id"],
        name=row["name"],
        date_of_birth=date.fromisoformat(row["date_of_birth"]),
        sex=row["sex"] or "unknown",
        weight_kg=row["weight_kg"],
        id=row["root_id"],
    )


def _admission(row: Row) -> Admission:
    return Admission(
        id=row["day_id"],
        patient=_patient(row),
        course_number=row["course_number"],
        day_number=row["day_number"],
        course_days=row["course_days"],
        date=date.fromisoformat(row["date"]),
        bed_id=row["bed_id"],
        planned_start=from_iso(row["planned_start"]),
    )


def _event_row(admission: Admission, event: DayEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "day_id": admission.id,
        "kind": event.kind.value,
        "occurred_at": to_iso(event.at),
        "task": event.task,
        "drug": event.drug,
        "dose": event.dose,
        "unit": event.unit,
        "route": event.route,
        "batch": event.batch,
        "performed_by": event.by,
        "checked_by": event.checked_by,
        "rate_ml_h": event.rate_ml_h,
        "reason": event.reason,
    }


def _event(row: Row) -> DayEvent:
    return DayEvent(
        id=row["root_id"],
        kind=EventKind(row["kind"]),
        at=from_iso(row["occurred_at"]),
        by=row["performed_by"],
        task=row["task"],
        drug=row["drug"],
        dose=row["dose"],
        unit=row["unit"],
        route=row["route"],
        batch=row["batch"],
        checked_by=row["checked_by"],
        rate_ml_h=row["rate_ml_h"],
        reason=row["reason"],
    )
