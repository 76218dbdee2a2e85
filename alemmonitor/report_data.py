"""What a patient's day report says, gathered from the record: no layout, no PDF.

`day_record` reads one infusion day as it stands after corrections (the corrections themselves
are listed too): the protocol's steps with planned and actual times and their deviations, the
medication given, the day's vital signs (every device and charted value counted, the charted sets
with NEWS2), reactions, the alarm log, the warning checklists, notes and lab tasks. The record is
only read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from alemmonitor.alarm_rules import AlarmRules, Priority, default_alarm_rules
from alemmonitor.alarms import AlarmAction
from alemmonitor.clock import from_iso, to_iso
from alemmonitor.errors import AlemMonitorError
from alemmonitor.infusion_day import (
    DayEvent,
    DayStatus,
    EventKind,
    Task,
    TaskKind,
    TaskState,
    describe,
)
from alemmonitor.news2 import IncompleteSetError, News2, news2
from alemmonitor.patient_alarms import spo2_scale, warning_checks
from alemmonitor.protocol import route_text
from alemmonitor.reactions import (
    ACTION_TITLES,
    RESOLVED_REASON,
    Note,
    Reaction,
    notes_of,
    reactions_of,
)
from alemmonitor.store import Row, Store
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, joined
from alemmonitor.trends import Marker, TrendSettings, day_markers, load_trend_settings
from alemmonitor.vitals import ACVPU, LABELS, MANUAL_SOURCE, O2_FLOW, default_entry_rules
from alemmonitor.ward import DEFAULT_UNIT as DEFAULT_UNIT  # noqa: PLC0414 - report.py names it
from alemmonitor.ward import Admission, Ward
from alemmonitor.watch import LoggedAlarm, alarm_log

DEFAULT_COLUMNS = 952
"""Envelope columns across the day when the caller does not say (the A4 chart's)."""
CHART_PARAMETERS = ("hr", "pr", "sbp", "dbp", "map", "temp", "spo2", "rr")
"""The monitor's parameters, in the order the report shows them."""
SET_PARAMETERS = ("hr", "sbp", "dbp", "temp", "spo2", "rr", ACVPU, O2_FLOW)
"""The fields of a charted set, in the order of the vitals round."""


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class ReportError(AlemMonitorError):
    """A report cannot be made: no data for the date, an unknown patient, no place to write."""


@dataclass(frozen=True)
class Extreme:
    """A parameter's lowest or highest value of the day and when it was measured."""

    value: float
    at: datetime


@dataclass(frozen=True)
class ParameterDay:
    """One parameter over the day: how many values (device and charted), lowest and highest."""

    parameter: str
    count: int
    lowest: Extreme
    highest: Extreme


@dataclass(frozen=True)
class ChartedSet:
    """A set of vital signs charted at a vitals round, scored with NEWS2 when it is complete.

    `from_monitor` names the values that equal what the chair's monitor showed shortly before
    (taken over at the round and confirmed); the others were typed. `abnormal` names the values
    outside the normal ranges shaded on the trends, consciousness other than alert and
    supplemental oxygen.
    """

    id: str
    at: datetime
    values: Mapping[str, float]
    by: str
    from_monitor: frozenset[str]
    abnormal: frozenset[str]
    news2: News2 | None
    missing: tuple[str, ...]
    reason: str | None


@dataclass(frozen=True)
class TimelineRow:
    """A step of the day (or an event outside the plan): planned, done when and by whom, and
    what deviated from the plan with its reason."""

    title: Text
    planned_at: datetime | None
    done_at: datetime | None
    by: str | None
    state: Text
    details: tuple[str, ...]
    deviations: tuple[str, ...]


@dataclass(frozen=True)
class Administration:
    """A medicine given: drug, dose, route, start and end, rate changes, batch, who."""

    drug: Text
    dose: str
    route: Text
    started_at: datetime
    ended_at: datetime | None
    changes: tuple[Text, ...]
    batch: str | None
    given_by: str
    checked_by: str | None


@dataclass(frozen=True)
class AlarmRecord:
    """One alarm of the day from the log: its highest priority, acknowledgement and outcome."""

    id: str
    started_at: datetime
    message: str
    priority: Priority
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    outcome: Text


@dataclass(frozen=True)
class WarningRecord:
    """A completed warning checklist (stroke, dissection, cardiac, pulmonary haemorrhage)."""

    at: datetime
    trigger: str
    present: tuple[Text, ...]
    absent: tuple[Text, ...]
    advice: str
    by: str


@dataclass(frozen=True)
class CorrectionRecord:
    """A record changed after it was made: what, the original and the correction, who, why."""

    at: datetime
    what: Text
    original: str
    correction: str
    by: str
    reason: str


@dataclass(frozen=True)
class LabTask:
    """A lab test of the day (the platelet count): when due, when sampled and by whom."""

    title: Text
    due_at: datetime
    done_at: datetime | None
    by: str | None
    state: Text
    note: str | None


@dataclass(frozen=True)
class DayRecord:
    """Everything the day report of one patient shows."""

    admission: Admission
    chair: str
    created_at: datetime
    status: DayStatus
    nurses: tuple[str, ...]
    timeline: tuple[TimelineRow, ...]
    administrations: tuple[Administration, ...]
    parameters: tuple[ParameterDay, ...]
    sets: tuple[ChartedSet, ...]
    markers: tuple[Marker, ...]
    reactions: tuple[Reaction, ...]
    alarms: tuple[AlarmRecord, ...]
    alarm_counts: Mapping[Priority, int]
    warnings: tuple[WarningRecord, ...]
    notes: tuple[Note, ...]
    corrections: tuple[CorrectionRecord, ...]
    labs: tuple[LabTask, ...]
    span: tuple[datetime, datetime]
    """From the first to the last thing recorded, in whole hours: the chart's time axis."""
    curves: Mapping[str, Envelope] = field(default_factory=lambda: MappingProxyType({}))
    """The monitor's values per parameter as min/max columns across `span`."""
    normal_ranges: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def highest_news2(self) -> ChartedSet | None:
        """The scored set with the day's highest NEWS2 (the first of equals)."""
        scored = [s for s in self.sets if s.news2 is not None]
        return max(scored, key=lambda s: s.news2.aggregate if s.news2 else -1, default=None)

    def key_time(self, kind: TaskKind) -> datetime | None:
        """When the day's first step of `kind` was done (arrival, infusion start, ...)."""
        return next(
            (t.done_at for t in self.status.tasks if t.kind is kind and t.done_at is not None),
            None,
        )


# -- reading a day --------------------------------------------------------------------------------


def days_on(ward: Ward, day: date, patient_id: str | None = None) -> list[Admission]:
    """The infusion days of a date, or the one of the patient with hospital ID `patient_id`.

    Raises ReportError when the date has no infusion day, the patient is unknown or has no
    infusion day on that date.
    """
    admissions = ward.admissions_on(day)
    if patient_id is not None:
        patient = ward.patient(patient_id)
        if patient is None:
            raise ReportError(f"no patient with the ID {patient_id!r} in {ward.store.path}")
        admissions = [a for a in admissions if a.patient.id == patient.id]
        if not admissions:
            raise ReportError(
                f"{patient.name} ({patient.hospital_id}) has no infusion day on {day.isoformat()}"
            )
    if not admissions:
        raise ReportError(f"no infusion day on {day.isoformat()} in {ward.store.path}")
    return admissions


def day_record(
    ward: Ward,
    admission: Admission,
    *,
    rules: AlarmRules | None = None,
    trend_settings: TrendSettings | None = None,
    columns: int = DEFAULT_COLUMNS,
) -> DayRecord:
    """Read one patient's day from the record, as it stands now; the monitor's values as an
    envelope of `columns` columns across the day's time axis."""
    rules = rules or default_alarm_rules()
    settings = trend_settings or load_trend_settings()
    now = ward.clock.now()
    day = ward.infusion_day(admission)
    status = day.status(now)
    ranges = {p.value: (r.low, r.high) for p, r in settings.normal_ranges.items()}
    sets = _charted_sets(ward, admission, ranges)
    logged = alarm_log(ward, admission.id)
    alarms = _alarms(logged, lambda moment: _hm(ward, moment))
    counts = dict.fromkeys(Priority, 0)
    for alarm in alarms:
        counts[alarm.priority] += 1
    reactions = reactions_of(ward, admission)
    notes = notes_of(ward, admission)
    markers = day_markers(ward, admission)
    span = _span(ward.store, admission, status, now)
    cells = value_columns(ward.store, admission.id, *span, columns)
    width = (span[1] - span[0]) / columns
    parameters = _parameter_days(ward.store, admission.id, cells, span[0], width)
    checks = [
        WarningRecord(
            at=check.at,
            trigger=check.trigger,
            present=tuple(s.words for s in rules.warning.signs if check.answers.get(s.id)),
            absent=tuple(s.words for s in rules.warning.signs if not check.answers.get(s.id)),
            advice=check.advice,
            by=check.by,
        )
        for check in warning_checks(ward.store, admission.id)
    ]
    return DayRecord(
        admission=admission,
        chair=_chair_label(ward, admission),
        created_at=now,
        status=status,
        nurses=_nurses(ward.store, admission.id, day.events, logged, sets),
        timeline=tuple(_timeline(ward, status, day.events, day.unfit)),
        administrations=tuple(_administrations(ward, day.events)),
        parameters=tuple(parameters),
        sets=tuple(sets),
        markers=tuple(markers),
        reactions=tuple(reactions),
        alarms=tuple(alarms),
        alarm_counts=MappingProxyType(counts),
        warnings=tuple(checks),
        notes=tuple(notes),
        corrections=tuple(_corrections(ward, admission)),
        labs=tuple(
            LabTask(
                title=t.title,
                due_at=t.planned_at,
                done_at=t.done_at,
                by=t.done_by,
                state=t.state.text,
                note=str(t.note) if t.note else None,
            )
            for t in status.tasks
            if t.kind is TaskKind.LAB
        ),
        span=span,
        curves=MappingProxyType(device_envelopes(cells)),
        normal_ranges=MappingProxyType(ranges),
    )


def _chair_label(ward: Ward, admission: Admission) -> str:
    """The chair the day was given on (kept in the day's first version after a discharge)."""
    versions = ward.store.history("infusion_days", admission.id)
    bed_id = next((v["bed_id"] for v in reversed(versions) if v["bed_id"]), None)
    if bed_id is None:
        return ""
    row = ward.store.current_by_root("beds", bed_id)
    return str(row["label"]) if row else ""


def _span(
    store: Store, admission: Admission, status: DayStatus, now: datetime
) -> tuple[datetime, datetime]:
    # The table itself, not its current view: the index answers without reading the rows, and a
    # corrected value's old version only widens the axis a little.
    rows = store.query(
        """SELECT MIN(measured_at) AS first, MAX(measured_at) AS last
           FROM observations WHERE day_id = ?""",
        (admission.id,),
    )
    moments = [admission.planned_start]
    moments += [t.done_at for t in status.tasks if t.done_at is not None]
    if rows and rows[0]["first"]:
        moments += [from_iso(rows[0]["first"]), from_iso(rows[0]["last"])]
    start, end = min(moments), max(moments)
    if end - start < timedelta(hours=1):
        end = start + timedelta(hours=1)
    start = start.replace(minute=0, second=0, microsecond=0)
    if end != end.replace(minute=0, second=0, microsecond=0):
        end = end.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return start, end


# -- vital signs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    """A parameter's monitor values per column of the time axis: the columns that have values,
    the lowest and the highest value in each."""

    parameter: str
    columns: IntArray
    low: FloatArray
    high: FloatArray

    def __len__(self) -> int:
        return len(self.columns)


def value_columns(
    store: Store, day_id: str, start: datetime, end: datetime, columns: int
) -> list[Row]:
    """The day's values cut into `columns` equal stretches of time from `start` to `end`: per
    parameter, column and kind (charted or monitor) the lowest, the highest and how many.

    One pass of SQLite over the day's values as they stand (what `current_observations`
    shows, with the few corrected rows looked up once instead of for every value); nothing is
    left out, whatever `columns` is.
    """
    if columns < 1 or end <= start:
        raise ValueError("columns need at least one column over a positive time")
    rows = store.query(
        """SELECT parameter,
                  CAST((julianday(measured_at) - julianday(:start)) * 86400.0 / :width AS INTEGER)
                      AS col,
                  source = :manual AS charted,
                  MIN(value) AS low, MAX(value) AS high, COUNT(*) AS n
           FROM observations
           WHERE day_id = :day AND measured_at >= :start AND measured_at <= :end
             AND voided = 0
             AND id NOT IN (SELECT supersedes FROM observations WHERE supersedes > '')
           GROUP BY parameter, col, charted ORDER BY parameter, col""",
        {
            "start": to_iso(start),
            "end": to_iso(end),
            "width": (end - start).total_seconds() / columns,
            "day": day_id,
            "manual": MANUAL_SOURCE,
        },
    )
    for row in rows:
        row["col"] = max(0, min(int(row["col"]), columns - 1))  # the very last instant
    return rows


def device_envelopes(rows: Iterable[Row]) -> dict[str, Envelope]:
    """The monitor's values of `value_columns` as an envelope per parameter."""
    grouped: dict[str, list[tuple[int, float, float]]] = {}
    for row in rows:
        if not row["charted"]:
            grouped.setdefault(row["parameter"], []).append((row["col"], row["low"], row["high"]))
    found = {}
    for parameter, entries in grouped.items():
        table = np.array(sorted(entries), dtype=np.float64)
        found[parameter] = Envelope(
            parameter, table[:, 0].astype(np.int64), table[:, 1], table[:, 2]
        )
    return found


def _parameter_days(
    store: Store, day_id: str, rows: Sequence[Row], start: datetime, width: timedelta
) -> list[ParameterDay]:
    """Count, lowest and highest (with when) of every parameter over all the day's values."""
    by_parameter: dict[str, list[Row]] = {}
    for row in rows:
        by_parameter.setdefault(row["parameter"], []).append(row)

    def first_time(parameter: str, value: float, column: int) -> datetime:
        # Only the column's stretch of time is searched (by the index), with a second to spare.
        lo = start + width * column - timedelta(seconds=1)
        hi = start + width * (column + 1) + timedelta(seconds=1)
        found = store.query(
            """SELECT measured_at FROM current_observations
               WHERE day_id = ? AND parameter = ? AND measured_at >= ? AND measured_at <= ?
                 AND value = ? ORDER BY measured_at LIMIT 1""",
            (day_id, parameter, to_iso(lo), to_iso(hi), value),
        )
        return from_iso(found[0]["measured_at"])

    days = []
    for parameter, cells in by_parameter.items():
        low = min(cells, key=lambda c: (c["low"], c["col"]))
        high = max(cells, key=lambda c: (c["high"], -c["col"]))
        days.append(
            ParameterDay(
                parameter=parameter,
                count=sum(c["n"] for c in cells),
                lowest=Extreme(low["low"], first_time(parameter, low["low"], low["col"])),
                highest=Extreme(high["high"], first_time(parameter, high["high"], high["col"])),
            )
        )
    order = {name: index for index, name in enumerate((*CHART_PARAMETERS, ACVPU, O2_FLOW))}
    return sorted(days, key=lambda p: (order.get(p.parameter, len(order)), p.parameter))


def _charted_sets(
    ward: Ward, admission: Admission, ranges: Mapping[str, tuple[float, float]]
) -> list[ChartedSet]:
    # A set is charted at the time of its vitals event (one event, one set): found by the index
    # on (day, parameter, time), and by the one on `supersedes` where a value was corrected,
    # instead of reading every monitor value of the day.
    vitals = ward.store.query(
        """SELECT DISTINCT o.occurred_at FROM events AS o
           WHERE o.day_id = ? AND o.kind = ?""",
        (admission.id, EventKind.VITALS_TAKEN.value),
    )
    times = [row["occurred_at"] for row in vitals]
    times_marks = ",".join("?" for _ in times) or "NULL"
    names_marks = ",".join("?" for _ in SET_PARAMETERS)
    rows = ward.store.query(
        f"""SELECT o.set_id, o.parameter, o.value, o.measured_at, o.entered_by, e.reason
            FROM current_observations AS o
            LEFT JOIN current_events AS e ON e.root_id = o.set_id
            WHERE o.set_id IS NOT NULL AND o.id IN (
                SELECT id FROM observations
                WHERE day_id = ? AND parameter IN ({names_marks})
                  AND measured_at IN ({times_marks})
                UNION
                SELECT id FROM observations WHERE supersedes > '' AND +day_id = ?)
            ORDER BY o.measured_at, o.set_id""",  # noqa: S608 - placeholders only
        (admission.id, *SET_PARAMETERS, *times, admission.id),
    )
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["set_id"], []).append(row)
    scale = spo2_scale(ward.store, admission.patient.id)
    max_age = default_entry_rules().monitor_value_max_age
    sets = []
    for set_id, members in grouped.items():
        at = from_iso(members[0]["measured_at"])
        values = {row["parameter"]: row["value"] for row in members}
        score: News2 | None = None
        missing: tuple[str, ...] = ()
        try:
            score = news2(values, scale=scale)
        except IncompleteSetError as exc:
            missing = tuple(exc.missing)
        sets.append(
            ChartedSet(
                id=set_id,
                at=at,
                values=MappingProxyType(values),
                by=members[0]["entered_by"],
                from_monitor=frozenset(
                    name
                    for name, value in values.items()
                    if _shown_by_monitor(
                        ward.store, admission.id, name, value, at=at, max_age=max_age
                    )
                ),
                abnormal=frozenset(
                    name for name, value in values.items() if _abnormal(name, value, ranges)
                ),
                news2=score,
                missing=missing,
                reason=members[0]["reason"],
            )
        )
    return sorted(sets, key=lambda s: s.at)


def _shown_by_monitor(
    store: Store, day_id: str, parameter: str, value: float, *, at: datetime, max_age: timedelta
) -> bool:
    """Whether the monitor showed `value` within the vitals round's age limit before `at`.

    The vitals round offers the monitor's latest values, rounded as the field shows them (the
    pulse for the heart rate when there is no ECG); a charted value equal to one of them was
    taken over from the monitor and confirmed.
    """
    sources = ("hr", "pr") if parameter == "hr" else (parameter,)
    if parameter not in CHART_PARAMETERS:
        return False
    digits = 1 if parameter == "temp" else 0
    marks = ",".join("?" for _ in sources)
    rows = store.query(
        f"""SELECT value FROM current_observations
            WHERE day_id = ? AND parameter IN ({marks}) AND source != ?
              AND measured_at >= ? AND measured_at <= ?""",  # noqa: S608 - placeholders only
        (day_id, *sources, MANUAL_SOURCE, to_iso(at - max_age), to_iso(at)),
    )
    return any(round(row["value"], digits) == round(value, digits) for row in rows)


def _abnormal(parameter: str, value: float, ranges: Mapping[str, tuple[float, float]]) -> bool:
    if parameter == ACVPU:
        return value != 0
    if parameter == O2_FLOW:
        return value > 0
    bounds = ranges.get(parameter)
    return bounds is not None and not bounds[0] <= value <= bounds[1]


# -- the protocol's steps and the medication ------------------------------------------------------


# Events the protocol does not plan, shown on the timeline where they happened.
_OUTSIDE_PLAN: Mapping[EventKind, Text] = {
    EventKind.RATE_CHANGED: QT_TRANSLATE_NOOP("Report", "Rate changed"),
    EventKind.INFUSION_PAUSED: QT_TRANSLATE_NOOP("Report", "Infusion paused"),
    EventKind.INFUSION_RESUMED: QT_TRANSLATE_NOOP("Report", "Infusion resumed"),
    EventKind.INFUSION_STOPPED: QT_TRANSLATE_NOOP("Report", "Infusion stopped early"),
}


def _timeline(
    ward: Ward,
    status: DayStatus,
    events: Sequence[DayEvent],
    unfit: Iterable[tuple[DayEvent, str]],
) -> list[TimelineRow]:
    # A step done within the time it counts as due (not overdue) was done as planned.
    tolerance = timedelta(minutes=ward.protocol.timing.overdue_after_min)
    by_id = {event.id: event for event in events}
    rows = [_task_row(task, by_id.get(task.event_id or ""), tolerance) for task in status.tasks]
    for event in events:
        title = _OUTSIDE_PLAN.get(event.kind)
        if title is not None:
            details: list[str] = []
            if event.rate_ml_h is not None and event.kind is EventKind.RATE_CHANGED:
                details.append(
                    QT_TRANSLATE_NOOP("Report", "new rate {rate:g} mL/h").format(
                        rate=event.rate_ml_h
                    )
                )
            rows.append(
                TimelineRow(
                    title=title,
                    planned_at=None,
                    done_at=event.at,
                    by=event.by,
                    state=TaskState.DONE.text,
                    details=tuple(details),
                    deviations=(event.reason,) if event.reason else (),
                )
            )
    for event, reason in unfit:
        rows.append(
            TimelineRow(
                title=describe(event.kind),
                planned_at=None,
                done_at=event.at,
                by=event.by,
                state=QT_TRANSLATE_NOOP("Report", "does not fit the protocol"),
                details=(),
                deviations=(reason,),
            )
        )
    return sorted(rows, key=lambda r: r.done_at or r.planned_at or status.at)


def _task_row(task: Task, event: DayEvent | None, tolerance: timedelta) -> TimelineRow:
    deviations: list[str] = []
    details: list[str] = []
    if task.state is TaskState.SKIPPED:
        deviations.append(
            QT_TRANSLATE_NOOP("Report", "skipped: {reason}").format(reason=task.note or "")
        )
    elif task.note:
        details.append(task.note)
    if task.done_at is not None and task.state is TaskState.DONE:
        offset = task.done_at - task.planned_at
        minutes = round(abs(offset).total_seconds() / 60)
        if offset > tolerance:
            deviations.append(
                QT_TRANSLATE_NOOP("Report", "{minutes} min later than planned").format(
                    minutes=minutes
                )
            )
        elif -offset > tolerance:
            deviations.append(
                QT_TRANSLATE_NOOP("Report", "{minutes} min earlier than planned").format(
                    minutes=minutes
                )
            )
    if task.state is TaskState.OVERDUE:
        deviations.append(QT_TRANSLATE_NOOP("Report", "not done"))
    if event is not None and event.kind in (EventKind.VITALS_TAKEN,) and event.reason:
        deviations.append(
            QT_TRANSLATE_NOOP("Report", "charted later: {reason}").format(reason=event.reason)
        )
    return TimelineRow(
        title=task.title,
        planned_at=task.planned_at,
        done_at=task.done_at if task.state is TaskState.DONE else None,
        by=task.done_by,
        state=task.state.text,
        details=tuple(details),
        deviations=tuple(deviations),
    )


def _administrations(ward: Ward, events: Sequence[DayEvent]) -> list[Administration]:
    protocol = ward.protocol
    given: list[Administration] = []
    ordered = sorted(events, key=lambda e: e.at)
    for index, event in enumerate(ordered):
        if event.kind not in (
            EventKind.PREMEDICATION_GIVEN,
            EventKind.STEROID_STARTED,
            EventKind.INFUSION_STARTED,
        ):
            continue
        later = ordered[index + 1 :]
        ended: datetime | None = None
        changes: list[Text] = []
        if event.kind is EventKind.STEROID_STARTED:
            end = next((e for e in later if e.kind is EventKind.STEROID_FINISHED), None)
            ended = end.at if end else None
        elif event.kind is EventKind.INFUSION_STARTED:
            if event.rate_ml_h is not None:
                changes.append(
                    QT_TRANSLATE_NOOP("Report", "{time} started at {rate:g} mL/h").format(
                        time=_hm(ward, event.at), rate=event.rate_ml_h
                    )
                )
            for other in later:
                change = _infusion_change(ward, other)
                if change is not None:
                    changes.append(change)
                if other.kind in (EventKind.INFUSION_COMPLETED, EventKind.INFUSION_STOPPED):
                    ended = other.at
                    break
        else:
            ended = event.at
        dose = f"{event.dose:g} {event.unit or ''}".strip() if event.dose is not None else ""
        given.append(
            Administration(
                drug=protocol.text(event.drug or event.task or "", capitalised=True),
                dose=dose,
                route=route_text(event.route) if event.route else Text.data(""),
                started_at=event.at,
                ended_at=ended,
                changes=tuple(changes),
                batch=event.batch,
                given_by=event.by,
                checked_by=event.checked_by,
            )
        )
    return given


def _infusion_change(ward: Ward, event: DayEvent) -> Text | None:
    time = _hm(ward, event.at)
    reason = f" ({event.reason})" if event.reason else ""
    if event.kind is EventKind.RATE_CHANGED and event.rate_ml_h is not None:
        return QT_TRANSLATE_NOOP("Report", "{time} rate {rate:g} mL/h by {by}{reason}").format(
            time=time, rate=event.rate_ml_h, by=event.by, reason=reason
        )
    labels = {
        EventKind.INFUSION_PAUSED: QT_TRANSLATE_NOOP("Report", "{time} paused by {by}{reason}"),
        EventKind.INFUSION_RESUMED: QT_TRANSLATE_NOOP("Report", "{time} resumed by {by}{reason}"),
        EventKind.INFUSION_STOPPED: QT_TRANSLATE_NOOP(
            "Report", "{time} stopped early by {by}{reason}"
        ),
        EventKind.INFUSION_COMPLETED: QT_TRANSLATE_NOOP(
            "Report", "{time} completed by {by}{reason}"
        ),
    }
    template = labels.get(event.kind)
    if template is None:
        return None
    return template.format(time=time, by=event.by, reason=reason)


def _hm(ward: Ward, moment: datetime) -> str:
    return f"{ward.clock.local(moment):%H:%M}"


# -- alarms, corrections, who was there ------------------------------------------------------------


def _alarms(logged: Sequence[LoggedAlarm], hm: Callable[[datetime], str]) -> list[AlarmRecord]:
    """One record per alarm of the log (audio pauses, which belong to no alarm, left out)."""
    lines: dict[str, list[LoggedAlarm]] = {}
    for line in logged:
        if line.alarm_id is not None:
            lines.setdefault(line.alarm_id, []).append(line)
    alarms = []
    for alarm_id, history in lines.items():
        first = history[0]
        priorities = [line.priority for line in history if line.priority is not None]
        acknowledged = next((x for x in history if x.action is AlarmAction.ACKNOWLEDGED), None)
        alarms.append(
            AlarmRecord(
                id=alarm_id,
                started_at=first.at,
                message=first.message,
                priority=max(priorities, default=Priority.LOW),
                acknowledged_at=acknowledged.at if acknowledged else None,
                acknowledged_by=acknowledged.by if acknowledged else None,
                outcome=_outcome(history, hm),
            )
        )
    return sorted(alarms, key=lambda a: a.started_at)


def _outcome(history: Sequence[LoggedAlarm], hm: Callable[[datetime], str]) -> Text:
    ended = next((x for x in history if x.action is AlarmAction.ENDED), None)
    latched = next((x for x in history if x.action is AlarmAction.LATCHED), None)
    if ended is not None:
        return QT_TRANSLATE_NOOP("Report", "ended {time}").format(time=hm(ended.at))
    if latched is not None:
        return QT_TRANSLATE_NOOP("Report", "latched {time}, not ended").format(time=hm(latched.at))
    return QT_TRANSLATE_NOOP("Report", "still on when the report was made")


def _nurses(
    store: Store,
    day_id: str,
    events: Iterable[DayEvent],
    logged: Iterable[LoggedAlarm],
    sets: Iterable[ChartedSet],
) -> tuple[str, ...]:
    """Initials of everyone who recorded, checked or acknowledged anything on the day."""
    names = {e.by for e in events} | {e.checked_by for e in events if e.checked_by}
    names |= {s.by for s in sets}
    for table in ("reactions", "notes", "warning_checks"):
        rows = store.query(
            f"SELECT DISTINCT entered_by FROM {table} WHERE day_id = ?",  # noqa: S608 - ours
            (day_id,),
        )
        names |= {row["entered_by"] for row in rows}
    names |= {line.by for line in logged if line.action is AlarmAction.ACKNOWLEDGED}
    return tuple(sorted(name.strip() for name in names if name and name.strip()))


# What each table's records are called in the list of corrections, and the columns shown.
_CORRECTED: Mapping[str, tuple[Text, tuple[str, ...]]] = {
    "events": (
        QT_TRANSLATE_NOOP("Report", "Step"),
        ("occurred_at", "performed_by", "batch", "checked_by", "dose", "rate_ml_h", "reason"),
    ),
    "observations": (
        QT_TRANSLATE_NOOP("Report", "Vital sign"),
        ("value", "measured_at"),
    ),
    "reactions": (
        QT_TRANSLATE_NOOP("Report", "Reaction"),
        ("term", "grade", "onset_at", "resolved_at", "actions", "note"),
    ),
    "notes": (QT_TRANSLATE_NOOP("Report", "Note"), ("text",)),
    "warning_checks": (
        QT_TRANSLATE_NOOP("Report", "Warning checklist"),
        ("checked_at", "answers"),
    ),
}
_COLUMN_NAMES: Mapping[str, Text] = {
    "occurred_at": QT_TRANSLATE_NOOP("Report", "time"),
    "measured_at": QT_TRANSLATE_NOOP("Report", "time"),
    "checked_at": QT_TRANSLATE_NOOP("Report", "time"),
    "performed_by": QT_TRANSLATE_NOOP("Report", "by"),
    "batch": QT_TRANSLATE_NOOP("Report", "batch"),
    "checked_by": QT_TRANSLATE_NOOP("Report", "checked by"),
    "dose": QT_TRANSLATE_NOOP("Report", "dose"),
    "rate_ml_h": QT_TRANSLATE_NOOP("Report", "rate (mL/h)"),
    "reason": QT_TRANSLATE_NOOP("Report", "reason"),
    "value": QT_TRANSLATE_NOOP("Report", "value"),
    "term": QT_TRANSLATE_NOOP("Report", "term"),
    "grade": QT_TRANSLATE_NOOP("Report", "grade"),
    "onset_at": QT_TRANSLATE_NOOP("Report", "onset"),
    "resolved_at": QT_TRANSLATE_NOOP("Report", "resolved"),
    "actions": QT_TRANSLATE_NOOP("Report", "actions"),
    "note": QT_TRANSLATE_NOOP("Report", "note"),
    "text": QT_TRANSLATE_NOOP("Report", "text"),
    "answers": QT_TRANSLATE_NOOP("Report", "answers"),
}
_STRUCK_OUT = QT_TRANSLATE_NOOP("Report", "struck out")


def _corrections(ward: Ward, admission: Admission) -> list[CorrectionRecord]:
    found = []
    for table, (what, columns) in _CORRECTED.items():
        corrected = ward.store.query(
            # `+day_id`: look up the few corrections by the index on `supersedes`, not every
            # row of the day by the index on `day_id` (a day has a monitor value a second).
            # `supersedes > ''` is true of every correction (its value is an id) and, unlike
            # IS NOT NULL, lets SQLite search that index instead of reading the whole table.
            f"""SELECT * FROM {table}
                WHERE supersedes > '' AND +day_id = ?""",  # noqa: S608 - our own tables
            (admission.id,),
        )
        originals = ward.store.query(
            f"""SELECT o.* FROM {table} AS c JOIN {table} AS o ON o.id = c.supersedes
                WHERE c.supersedes > '' AND +c.day_id = ?""",  # noqa: S608 - ours
            (admission.id,),
        )
        before = {row["id"]: row for row in originals}
        for row in corrected:
            if table == "reactions" and row["correction_reason"] == RESOLVED_REASON:
                continue  # a resolution is a new fact, shown with the reaction
            original = before[row["supersedes"]]
            if row["voided"]:
                was = [c for c in columns if original[c] not in (None, "")]
                now: Text = _STRUCK_OUT
            else:
                was = [c for c in columns if row[c] != original[c]]
                now = joined([_shown(ward, c, row[c]) for c in was], "; ")
            found.append(
                CorrectionRecord(
                    at=from_iso(row["entered_at"]),
                    what=_record_label(table, what, original),
                    original=joined([_shown(ward, c, original[c]) for c in was], "; "),
                    correction=now,
                    by=row["entered_by"],
                    reason=row["correction_reason"] or "",
                )
            )
    return sorted(found, key=lambda c: c.at)


def _record_label(table: str, what: Text, row: Row) -> Text:
    name: Text | None = None
    if table == "events":
        name = describe(EventKind(row["kind"]))
    elif table == "observations":
        name = LABELS.get(row["parameter"], Text.data(row["parameter"]))
    elif table == "reactions":
        name = Text.data(row["term"])
    if name is None:
        return what
    return QT_TRANSLATE_NOOP("Report", "{what}: {name}").format(what=what, name=name)


_TIME_COLUMNS = frozenset({"occurred_at", "measured_at", "onset_at", "resolved_at", "checked_at"})


def _shown(ward: Ward, column: str, value: object) -> Text:
    """A stored value as the list of corrections shows it: times local, actions named."""
    shown: object = value
    if value is None or value == "":
        shown = "—"
    elif column in _TIME_COLUMNS and isinstance(value, str):
        shown = _hm(ward, from_iso(value))
    elif column == "actions" and isinstance(value, str):
        shown = joined([ACTION_TITLES.get(a, Text.data(a)) for a in json.loads(value)])
    elif isinstance(value, float):
        shown = f"{value:g}"
    return QT_TRANSLATE_NOOP("Report", "{field}: {value}").format(
        field=_COLUMN_NAMES.get(column, Text.data(column)), value=shown
    )
