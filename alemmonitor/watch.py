"""Watching the ward: readings, monitor links, charted sets and the day's process become alarms.

`AlarmWatch` evaluates each reading the moment it is stored (on the monitor's thread, so an
alarm follows its reading within milliseconds, not at the next repaint), each monitor link
change as it happens, each charted set of vital signs (NEWS2), and, from a timer, what only time
can tell: values growing stale, overdue tasks, an infusion running long, an audio pause ending.
Alarms exist only for chairs with a patient: a free chair's monitor alarms about nobody.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from alemmonitor.alarm_rules import AlarmRules, ParameterLimits, Priority, priority_named
from alemmonitor.alarms import AlarmAction, AlarmBoard, AlarmKind, AlarmLogEntry, Condition
from alemmonitor.clock import from_iso, to_iso
from alemmonitor.display import duration_text
from alemmonitor.errors import StoreError
from alemmonitor.infusion_day import EventKind, InfusionState, TaskKind, TaskState
from alemmonitor.monitoring import WardMonitors
from alemmonitor.news2 import Band, IncompleteSetError, News2, news2
from alemmonitor.patient_alarms import (
    STOP_ADVICE,
    PatientLimit,
    WarningCheck,
    effective_limits,
    patient_limits,
    record_warning_check,
    set_patient_limit,
    set_spo2_scale,
    spo2_scale,
)
from alemmonitor.store import new_id
from alemmonitor.texts import QT_TRANSLATE_NOOP, joined, text_as_json, text_from_json
from alemmonitor.vitals import LABELS, unit_text
from alemmonitor.ward import Admission, ChairView, Ward
from devices.session import LinkState, ReadingBatch

log = logging.getLogger(__name__)

WARNING = "warning"
"""The key of the alemtuzumab warning raised by blood pressure."""
WARNING_SIGNS = "warning-signs"
"""The key of the alarm a checklist with a sign present raises."""


@dataclass(frozen=True)
class ScoredSet:
    """NEWS2 of a chair's latest complete charted set, or what the latest set lacks."""

    at: datetime
    score: News2 | None
    missing: tuple[str, ...] = ()


@dataclass
class _Chair:
    """What the watch remembers of one chair between evaluations."""

    day_id: str | None = None
    patient_id: str | None = None
    latest: dict[str, tuple[float, datetime]] | None = None
    systolic: deque[tuple[datetime, float]] | None = None
    link: tuple[LinkState, str] | None = None
    limits: dict[str, ParameterLimits] | None = None
    scored: ScoredSet | None = None


class AlarmWatch:
    """Evaluates the ward against the alarm rules and keeps `board` current. Thread-safe.

    Monitor threads call `on_readings` and `on_link`; the GUI calls `on_charted_set` after a set
    was stored, `check` from its timer, and the nurse's settings and checklist methods.
    """

    def __init__(self, ward: Ward, rules: AlarmRules) -> None:
        self.ward = ward
        self.rules = rules
        self.board = AlarmBoard(pause_limit=rules.audio_pause, log=self._store_line)
        self.failed_log_writes = 0
        self._lock = threading.RLock()
        self._chairs: dict[str, _Chair] = {}

    def _chair(self, bed_id: str) -> _Chair:
        return self._chairs.setdefault(bed_id, _Chair(latest={}, systolic=deque()))

    # -- readings ------------------------------------------------------------------------------

    def on_readings(
        self, bed_id: str, day_id: str | None, values: Mapping[str, float], at: datetime
    ) -> None:
        """Evaluate values just stored for the chair's day (None: the chair is free)."""
        if day_id is None:
            return
        with self._lock:
            chair = self._admit(bed_id, day_id)
            limits = self._limits(chair)
            latest = chair.latest if chair.latest is not None else {}
            for parameter, value in values.items():
                latest[parameter] = (value, at)
                key = f"limit:{parameter}"
                held = self.board.standing(bed_id, key)
                self.board.update(
                    bed_id,
                    day_id,
                    key,
                    _limit_conditions(parameter, value, limits.get(parameter), held),
                    at,
                )
            if "sbp" in values or "dbp" in values:
                self._check_blood_pressure(bed_id, chair, values, at)

    def _admit(self, bed_id: str, day_id: str) -> _Chair:
        """The chair's memory, started afresh when a new patient's day is on it."""
        chair = self._chair(bed_id)
        if chair.day_id != day_id:
            if chair.day_id is not None:
                self.board.clear_chair(
                    bed_id,
                    self.ward.clock.now(),
                    QT_TRANSLATE_NOOP("Alarm", "next patient on the chair"),
                )
            chair.day_id = day_id
            chair.patient_id = self.ward.admission(day_id).patient.id
            chair.latest = {}
            chair.systolic = deque()
            chair.limits = None
            chair.scored = None
        return chair

    def _limits(self, chair: _Chair) -> dict[str, ParameterLimits]:
        if chair.limits is None:
            own = patient_limits(self.ward.store, chair.patient_id) if chair.patient_id else []
            chair.limits = effective_limits(self.rules, own)
        return chair.limits

    def _check_blood_pressure(
        self, bed_id: str, chair: _Chair, values: Mapping[str, float], at: datetime
    ) -> None:
        rules = self.rules.warning
        latest = chair.latest or {}
        window = timedelta(minutes=rules.rise_within_min)
        history = chair.systolic if chair.systolic is not None else deque()
        while history and at - history[0][0] > window:
            history.popleft()
        reasons = []
        systolic = values.get("sbp")
        if systolic is not None:
            lowest = min((value for _, value in history), default=None)
            history.append((at, systolic))
            if systolic >= rules.sbp_at_or_above:
                reasons.append(
                    QT_TRANSLATE_NOOP("Alarm", "systolic {value} mmHg").format(
                        value=f"{systolic:.0f}"
                    )
                )
            elif lowest is not None and systolic - lowest >= rules.sbp_rise:
                reasons.append(
                    QT_TRANSLATE_NOOP(
                        "Alarm", "systolic up {rise} mmHg within {minutes} min"
                    ).format(rise=f"{systolic - lowest:.0f}", minutes=rules.rise_within_min)
                )
        diastolic = values.get("dbp")
        if diastolic is not None and diastolic >= rules.dbp_at_or_above:
            reasons.append(
                QT_TRANSLATE_NOOP("Alarm", "diastolic {value} mmHg").format(
                    value=f"{diastolic:.0f}"
                )
            )
        conditions = []
        if reasons:
            pressure = _pressure_text(latest)
            conditions.append(
                Condition(
                    WARNING,
                    AlarmKind.PHYSIOLOGICAL,
                    priority_named(rules.priority),
                    QT_TRANSLATE_NOOP(
                        "Alarm",
                        "Blood pressure {pressure} ({reasons}): check the warning signs of stroke "
                        "and arterial dissection",
                    ).format(pressure=pressure, reasons=joined(reasons)),
                    value=systolic,
                    until_acknowledged=True,
                )
            )
        elif systolic is None:
            return  # a diastolic alone does not clear a systolic's warning
        self.board.update(bed_id, chair.day_id, WARNING, conditions, at)

    # -- monitor links -------------------------------------------------------------------------

    def on_link(self, bed_id: str, state: LinkState, detail: str) -> None:
        """A chair's monitor link changed state (alarmed if the chair has a patient)."""
        now = self.ward.clock.now()
        with self._lock:
            chair = self._chair(bed_id)
            chair.link = (state, detail)
            if chair.day_id is not None:
                self._evaluate_link(bed_id, chair, now)

    def listen_to(self, monitors: WardMonitors) -> None:
        """Hear of every batch the ward's monitors store and every change of their links."""

        def readings(bed_id: str, day_id: str | None, batch: ReadingBatch) -> None:
            values = {reading.parameter.value: reading.value for reading in batch.readings}
            self.on_readings(bed_id, day_id, values, batch.received_at)

        monitors.on_readings = readings
        monitors.on_link = lambda bed_id, event: self.on_link(bed_id, event.state, event.detail)

    def catch_up(self, monitors: WardMonitors, views: Iterable[ChairView]) -> None:
        """Evaluate what stood before the watch listened, for every chair with a patient: the
        latest stored value of each parameter of the patient's day (while still current), the
        monitor link's state, the latest charted set (NEWS2), and what only time tells.

        Call it after `listen_to`: a value heard since then is newer than the record's and wins.
        """
        now = self.ward.clock.now()
        views = list(views)
        for view in views:
            admission = view.admission
            if admission is None or view.day is None:
                continue
            bed_id = view.bed.id
            self._catch_up_values(bed_id, admission.id, now)
            # Under the lock, a link event arriving meanwhile is evaluated after this one.
            with self._lock:
                link = monitors.link(bed_id)
                if link is not None and link.state is not None:
                    self.on_link(bed_id, link.state, link.detail)
            self.on_charted_set(admission)
        self.check(views, now)

    def _catch_up_values(self, bed_id: str, day_id: str, now: datetime) -> None:
        with self._lock:
            chair = self._admit(bed_id, day_id)
            limits = self._limits(chair)
            heard = chair.latest or {}
            by_time: dict[datetime, dict[str, float]] = {}
            for parameter, limit in limits.items():
                # The newest value through the day's index, one parameter at a time: a day of
                # 1 Hz readings holds a hundred thousand rows.
                rows = self.ward.store.query(
                    """SELECT value, measured_at FROM current_observations
                       WHERE day_id = ? AND parameter = ? AND measured_at >= ?
                       ORDER BY measured_at DESC LIMIT 1""",
                    (day_id, parameter, to_iso(now - limit.stale_after)),
                )
                if not rows:
                    continue  # none, or none current any more
                at = from_iso(rows[0]["measured_at"])
                if parameter in heard and heard[parameter][1] >= at:
                    continue  # heard live since the watch listened
                by_time.setdefault(at, {})[parameter] = rows[0]["value"]
            for at in sorted(by_time):
                self.on_readings(bed_id, day_id, by_time[at], at)

    def forget_link(self, bed_id: str) -> None:
        """The chair's monitor was disconnected on purpose: nothing to alarm about."""
        with self._lock:
            chair = self._chair(bed_id)
            chair.link = None
            self.board.update(bed_id, chair.day_id, "link", [], self.ward.clock.now())

    def _evaluate_link(self, bed_id: str, chair: _Chair, now: datetime) -> None:
        conditions = []
        if chair.link is not None:
            state, detail = chair.link
            technical = self.rules.technical
            found = {
                LinkState.PORT_LOST: (
                    technical.link_lost,
                    QT_TRANSLATE_NOOP("Alarm", "Monitor link lost"),
                ),
                LinkState.PORT_UNAVAILABLE: (
                    technical.link_lost,
                    QT_TRANSLATE_NOOP("Alarm", "Monitor cannot be reached"),
                ),
                LinkState.SILENT: (
                    technical.silent,
                    QT_TRANSLATE_NOOP("Alarm", "Monitor silent: no readings"),
                ),
                LinkState.FRAME_ERRORS: (
                    technical.frame_errors,
                    QT_TRANSLATE_NOOP("Alarm", "Monitor sends unreadable data"),
                ),
            }.get(state)
            if found is not None:
                priority, text = found
                conditions.append(
                    Condition(
                        "link",
                        AlarmKind.TECHNICAL,
                        priority_named(priority),
                        QT_TRANSLATE_NOOP("Alarm", "{problem} ({detail})").format(
                            problem=text, detail=detail
                        )
                        if detail
                        else text,
                    )
                )
        self.board.update(bed_id, chair.day_id, "link", conditions, now)

    # -- charted sets: NEWS2 --------------------------------------------------------------------

    def on_charted_set(self, admission: Admission) -> ScoredSet | None:
        """Score the day's latest complete set (after a set was stored) and alarm on its band."""
        if admission.bed_id is None:
            return None
        with self._lock:
            chair = self._admit(admission.bed_id, admission.id)
            scored = self._score(admission)
            chair.scored = scored
            conditions = []
            if scored is not None and scored.score is not None:
                condition = self._news2_condition(scored.score)
                if condition is not None:
                    conditions.append(condition)
            self.board.update(
                admission.bed_id, admission.id, "news2", conditions, self.ward.clock.now()
            )
            return scored

    def news2_of(self, admission: Admission) -> ScoredSet | None:
        """NEWS2 of the day's latest complete set (or what the latest set lacks), if any set."""
        if admission.bed_id is None:
            return self._score(admission)
        with self._lock:
            chair = self._chair(admission.bed_id)
            if chair.day_id != admission.id or chair.scored is None:
                return self.on_charted_set(admission)
            return chair.scored

    def _score(self, admission: Admission) -> ScoredSet | None:
        sets = self.ward.charted_sets(admission)
        if not sets:
            return None
        scale = spo2_scale(self.ward.store, admission.patient.id)
        for at, values in reversed(sets):
            try:
                return ScoredSet(at, news2(values, scale=scale))
            except IncompleteSetError:
                continue
        last_at, last = sets[-1]
        try:
            news2(last, scale=scale)
        except IncompleteSetError as exc:
            return ScoredSet(last_at, None, tuple(exc.missing))
        raise RuntimeError("an incomplete set scored")  # pragma: no cover - our bug

    def _news2_condition(self, score: News2) -> Condition | None:
        priority_name = {
            Band.LOW_MEDIUM: self.rules.news2.low_medium,
            Band.MEDIUM: self.rules.news2.medium,
            Band.HIGH: self.rules.news2.high,
        }.get(score.band)
        if priority_name is None:
            return None
        return Condition(
            "news2",
            AlarmKind.PHYSIOLOGICAL,
            priority_named(priority_name),
            QT_TRANSLATE_NOOP("Alarm", "NEWS2 {score} ({band}): {response}").format(
                score=score.aggregate, band=score.band.text, response=score.response
            ),
            value=float(score.aggregate),
        )

    # -- what time tells --------------------------------------------------------------------------

    def check(self, views: Iterable[ChairView], now: datetime) -> None:
        """Evaluate what only time tells, for every chair as `views` show it (from a timer)."""
        self.board.expire(now)
        with self._lock:
            for view in views:
                bed_id = view.bed.id
                if view.admission is None or view.day is None:
                    chair = self._chairs.get(bed_id)
                    if chair is not None and chair.day_id is not None:
                        self.board.clear_chair(
                            bed_id, now, QT_TRANSLATE_NOOP("Alarm", "chair free")
                        )
                        chair.day_id = None
                    continue
                chair = self._admit(bed_id, view.admission.id)
                self._expire_values(bed_id, chair, now)
                self._evaluate_link(bed_id, chair, now)
                self.board.update(bed_id, chair.day_id, "process", self._process(view, now), now)

    def _expire_values(self, bed_id: str, chair: _Chair, now: datetime) -> None:
        latest = chair.latest or {}
        limits = self._limits(chair)
        for parameter, (_, at) in list(latest.items()):
            limit = limits.get(parameter)
            if limit is not None and now - at > limit.stale_after:
                del latest[parameter]
                self.board.update(bed_id, chair.day_id, f"limit:{parameter}", [], now)

    def _process(self, view: ChairView, now: datetime) -> list[Condition]:
        day = view.day
        if day is None:
            return []
        status = day.status(now)
        process = self.rules.process
        overdue = [task for task in status.tasks if task.state is TaskState.OVERDUE]
        vitals = [task for task in overdue if task.kind is TaskKind.VITALS]
        others = [task for task in overdue if task.kind is not TaskKind.VITALS]
        # One alarm for the vital signs and one for everything else, however many steps are late:
        # three late tablets are one thing to do, not three alarms.
        conditions = []
        for key, tasks, priority in (
            ("process:vitals-overdue", vitals, process.vitals_overdue),
            ("process:tasks-overdue", others, process.task_overdue),
        ):
            if tasks:
                late = joined(
                    [
                        QT_TRANSLATE_NOOP("Alarm", "{step} (planned {time})").format(
                            step=task.title, time=self._hm(task.planned_at)
                        )
                        for task in tasks
                    ],
                    "; ",
                )
                conditions.append(
                    Condition(
                        key,
                        AlarmKind.PROCESS,
                        priority_named(priority),
                        QT_TRANSLATE_NOOP("Alarm", "Overdue: {steps}").format(steps=late),
                    )
                )
        conditions += self._infusion_conditions(view, status.infusion_state, now)
        return conditions

    def _infusion_conditions(
        self, view: ChairView, state: InfusionState, now: datetime
    ) -> list[Condition]:
        day = view.day
        if day is None:
            return []
        process = self.rules.process
        protocol = day.plan.protocol
        events = {event.kind: event for event in day.events}
        conditions = []
        started = events.get(EventKind.INFUSION_STARTED)
        planned = timedelta(minutes=protocol.infusion.duration_min)
        overrun = timedelta(minutes=process.infusion_overrun.after_min)
        if (
            started is not None
            and state in (InfusionState.RUNNING, InfusionState.PAUSED)
            and now - started.at > planned + overrun
        ):
            conditions.append(
                Condition(
                    "process:infusion-overrun",
                    AlarmKind.PROCESS,
                    priority_named(process.infusion_overrun.priority),
                    QT_TRANSLATE_NOOP(
                        "Alarm", "{drug} running {elapsed}; planned {planned}"
                    ).format(
                        drug=protocol.text(protocol.infusion.drug, capitalised=True),
                        elapsed=duration_text(now - started.at),
                        planned=duration_text(planned),
                    ),
                )
            )
        conditions += self._steroid_interval(view, events, now)
        ended = events.get(EventKind.OBSERVATION_ENDED)
        infusion_end = events.get(EventKind.INFUSION_COMPLETED) or events.get(
            EventKind.INFUSION_STOPPED
        )
        if ended is not None and infusion_end is not None:
            minimum = timedelta(minutes=protocol.observation.min_after_end_min)
            short = infusion_end.at + minimum - ended.at
            if short > timedelta(0):
                conditions.append(
                    Condition(
                        f"process:observation-short:{ended.id}",
                        AlarmKind.PROCESS,
                        priority_named(process.observation_short),
                        QT_TRANSLATE_NOOP(
                            "Alarm",
                            "Observation ended {early} before its minimum of {minimum} ({reason})",
                        ).format(
                            early=duration_text(short),
                            minimum=duration_text(minimum),
                            reason=ended.reason or QT_TRANSLATE_NOOP("Alarm", "no reason given"),
                        ),
                        until_acknowledged=True,
                    )
                )
        return conditions

    def _steroid_interval(
        self, view: ChairView, events: Mapping[EventKind, object], now: datetime
    ) -> list[Condition]:
        day = view.day
        if day is None:
            return []
        plan = day.plan
        steroid = plan.protocol.steroid_on(plan.course_number, plan.day_number)
        steroid_start = next((e for e in day.events if e.kind is EventKind.STEROID_STARTED), None)
        if steroid is None or steroid_start is None:
            return []
        rules = self.rules.process.steroid_interval
        priority = priority_named(rules.priority)
        gap = timedelta(minutes=steroid.minutes_before_infusion)
        infusion_start = next((e for e in day.events if e.kind is EventKind.INFUSION_STARTED), None)
        drug = plan.protocol.text(plan.protocol.infusion.drug, capitalised=True)
        steroid_name = plan.protocol.text(steroid.drug)
        if infusion_start is not None:
            actual = infusion_start.at - steroid_start.at
            if actual < gap - timedelta(minutes=rules.tolerance_min) and (
                EventKind.OBSERVATION_ENDED not in events
            ):
                return [
                    Condition(
                        f"process:steroid-interval:{infusion_start.id}",
                        AlarmKind.PROCESS,
                        priority,
                        QT_TRANSLATE_NOOP(
                            "Alarm",
                            "{drug} started {actual} after {steroid}; the protocol asks for {gap}",
                        ).format(
                            drug=drug,
                            actual=duration_text(actual),
                            steroid=steroid_name,
                            gap=duration_text(gap),
                        ),
                        until_acknowledged=True,
                    )
                ]
            return []
        waited = now - steroid_start.at
        if waited > gap + timedelta(minutes=rules.max_wait_min):
            return [
                Condition(
                    "process:steroid-interval:waiting",
                    AlarmKind.PROCESS,
                    priority,
                    QT_TRANSLATE_NOOP(
                        "Alarm", "{drug} not started {waited} after {steroid} (planned after {gap})"
                    ).format(
                        drug=drug,
                        waited=duration_text(waited),
                        steroid=steroid_name,
                        gap=duration_text(gap),
                    ),
                )
            ]
        return []

    def _hm(self, moment: datetime) -> str:
        return f"{self.ward.clock.local(moment):%H:%M}"

    # -- a nurse's settings and the checklist -------------------------------------------------

    def limits_for(self, admission: Admission) -> dict[str, ParameterLimits]:
        """The limits in force for the patient (the site's with the patient's own)."""
        own = patient_limits(self.ward.store, admission.patient.id)
        return effective_limits(self.rules, own)

    def set_limit(
        self,
        admission: Admission,
        level: tuple[str, str, Priority],
        value: float | None,
        *,
        by: str,
        reason: str,
    ) -> PatientLimit:
        """Record the patient's own limit for one level and apply it at once.

        Raises EntryError naming the field (see `patient_alarms.set_patient_limit`).
        """
        parameter, side, priority = level
        if side not in ("low", "high"):
            raise ValueError(f"a limit's side is low or high, not {side!r}")
        stored = set_patient_limit(
            self.ward.store,
            self.rules,
            admission.patient.id,
            (parameter, "low" if side == "low" else "high", priority),
            value,
            by=by,
            reason=reason,
        )
        self._reevaluate(admission)
        return stored

    def set_spo2_scale(self, admission: Admission, scale: int, *, by: str, reason: str) -> None:
        """Prescribe NEWS2's SpO2 scale for the patient and rescore the latest set."""
        if scale not in (1, 2):
            raise ValueError(f"NEWS2 has SpO2 scales 1 and 2, not {scale}")
        set_spo2_scale(
            self.ward.store, admission.patient.id, 1 if scale == 1 else 2, by=by, reason=reason
        )
        self.on_charted_set(admission)

    def _reevaluate(self, admission: Admission) -> None:
        if admission.bed_id is None:
            return
        now = self.ward.clock.now()
        with self._lock:
            chair = self._admit(admission.bed_id, admission.id)
            chair.limits = None
            limits = self._limits(chair)
            for parameter, (value, _) in (chair.latest or {}).items():
                self.board.update(
                    admission.bed_id,
                    admission.id,
                    f"limit:{parameter}",
                    _limit_conditions(parameter, value, limits.get(parameter)),
                    now,
                )

    def record_warning_check(
        self,
        admission: Admission,
        answers: Mapping[str, bool | None],
        *,
        trigger: str,
        by: str,
    ) -> WarningCheck:
        """Store a completed checklist; it answers the blood-pressure warning, and any sign present
        raises a high-priority alarm saying to stop the infusion and call the physician.

        Raises EntryError naming each unanswered sign; nothing is stored then.
        """
        now = self.ward.clock.now()
        check = record_warning_check(
            self.ward.store, self.rules, admission.id, answers, trigger=trigger, by=by, at=now
        )
        if admission.bed_id is None:
            return check
        for alarm in self.board.alarms(admission.bed_id):
            if alarm.key == WARNING:
                self.board.acknowledge(alarm.id, by, now)
        if check.positive:
            texts = {sign.id: sign.words for sign in self.rules.warning.signs}
            present = joined([texts[sign] for sign in check.positive], "; ")
            self.board.update(
                admission.bed_id,
                admission.id,
                f"{WARNING_SIGNS}:{check.id}",
                [
                    Condition(
                        f"{WARNING_SIGNS}:{check.id}",
                        AlarmKind.PHYSIOLOGICAL,
                        Priority.HIGH,
                        QT_TRANSLATE_NOOP("Alarm", "Warning signs: {signs}. {advice}").format(
                            signs=present, advice=STOP_ADVICE
                        ),
                        until_acknowledged=True,
                    )
                ],
                now,
            )
        return check

    def close(self) -> None:
        """End every alarm (the app is closing); the log says so."""
        now = self.ward.clock.now()
        for bed_id in {alarm.bed_id for alarm in self.board.alarms()}:
            self.board.clear_chair(bed_id, now, QT_TRANSLATE_NOOP("Alarm", "app closed"))

    # -- the log ----------------------------------------------------------------------------------

    def _store_line(self, line: AlarmLogEntry) -> None:
        try:
            self.ward.store.add_records(
                "alarm_events",
                [
                    {
                        "id": new_id(),
                        "at": to_iso(line.at),
                        "action": line.action.value,
                        "alarm_id": line.alarm_id,
                        "bed_id": line.bed_id,
                        "day_id": line.day_id,
                        "alarm_key": line.key,
                        "kind": line.kind.value if line.kind else None,
                        "priority": line.priority.label if line.priority else None,
                        "message": line.message,
                        "message_text": text_as_json(line.message),
                        "value": line.value,
                        "by": line.by,
                    }
                ],
                "alarm system",
            )
        except StoreError as exc:
            # The alarm itself still shows and sounds; only its log line is missing.
            with self._lock:
                self.failed_log_writes += 1
            log.error("alarm log not stored (%s %s): %s", line.action, line.message, exc)


@dataclass(frozen=True)
class LoggedAlarm:
    """One line of the stored alarm log."""

    at: datetime
    action: AlarmAction
    alarm_id: str | None
    key: str | None
    priority: Priority | None
    message: str
    by: str


def alarm_log(ward: Ward, day_id: str) -> list[LoggedAlarm]:
    """The alarm log of one patient's day, oldest first."""
    rows = ward.store.query(
        "SELECT * FROM alarm_events WHERE day_id = ? ORDER BY at, rowid", (day_id,)
    )
    return [
        LoggedAlarm(
            at=from_iso(row["at"]),
            action=AlarmAction(row["action"]),
            alarm_id=row["alarm_id"],
            key=row["alarm_key"],
            priority=priority_named(row["priority"]) if row["priority"] else None,
            message=text_from_json(row["message_text"], row["message"])
            if row["message_text"]
            else row["message"],
            by=row["by"],
        )
        for row in rows
    ]


def _limit_conditions(
    parameter: str, value: float, limits: ParameterLimits | None, held: Priority | None = None
) -> list[Condition]:
    """The condition a value raises against its parameter's limits (the most severe level).

    `held`: the priority of the parameter's alarm standing now; a level up to it lets go only
    when the value is back inside its limit by the parameter's hysteresis.
    """
    if limits is None:
        return []

    def margin(priority: Priority) -> float:
        return limits.hysteresis if held is not None and priority <= held else 0.0

    crossed: list[tuple[Priority, str, float]] = [
        (priority, "low", limit)
        for priority, limit in limits.low.items()
        if value < limit + margin(priority)
    ]
    crossed += [
        (priority, "high", limit)
        for priority, limit in limits.high.items()
        if value > limit - margin(priority)
    ]
    if not crossed:
        return []
    priority, side, limit = max(crossed, key=lambda found: found[0])
    template = (
        QT_TRANSLATE_NOOP("Alarm", "{parameter} {value} {unit}, below {limit}")
        if side == "low"
        else QT_TRANSLATE_NOOP("Alarm", "{parameter} {value} {unit}, above {limit}")
    )
    return [
        Condition(
            f"limit:{parameter}",
            AlarmKind.PHYSIOLOGICAL,
            priority,
            template.format(
                parameter=LABELS.get(parameter, parameter),
                value=f"{value:.1f}" if parameter == "temp" else f"{value:.0f}",
                unit=unit_text(parameter),
                limit=f"{limit:g}",
            ),
            value=value,
        )
    ]


def _pressure_text(latest: Mapping[str, tuple[float, datetime]]) -> str:
    systolic, diastolic = latest.get("sbp"), latest.get("dbp")
    shown = [f"{value[0]:.0f}" if value is not None else "?" for value in (systolic, diastolic)]
    return f"{shown[0]}/{shown[1]} mmHg"
