"""The infusion-day engine: from protocol, course, day and recorded events to what is due now.

Pure and Qt-free. An `InfusionDay` is immutable: it replays the recorded events through explicit
state tables (infusion, steroid) and derives the task list, the infusion's progress and the next
task due at any moment. A new event is checked against the same tables before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from alemmonitor.errors import SequenceError
from alemmonitor.protocol import Protocol, route_text
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, TextEnum, joined, text_of

MINUTE = timedelta(minutes=1)
# Completing with less than this share of the volume infused needs a reason: it is more often a
# mis-tap than a pump that ran faster than recorded.
COMPLETE_WITHOUT_REASON_SHARE = 0.95


class EventKind(StrEnum):
    """What a nurse records on an infusion day."""

    PREMEDICATION_GIVEN = "premedication_given"
    STEROID_STARTED = "steroid_started"
    STEROID_FINISHED = "steroid_finished"
    INFUSION_STARTED = "infusion_started"
    RATE_CHANGED = "rate_changed"
    INFUSION_PAUSED = "infusion_paused"
    INFUSION_RESUMED = "infusion_resumed"
    INFUSION_STOPPED = "infusion_stopped"
    INFUSION_COMPLETED = "infusion_completed"
    VITALS_TAKEN = "vitals_taken"
    LAB_SAMPLED = "lab_sampled"
    TASK_SKIPPED = "task_skipped"
    OBSERVATION_ENDED = "observation_ended"


class InfusionState(TextEnum):
    """Where the alemtuzumab infusion stands."""

    NOT_STARTED = QT_TRANSLATE_NOOP("InfusionState", "not started")
    RUNNING = QT_TRANSLATE_NOOP("InfusionState", "running")
    PAUSED = QT_TRANSLATE_NOOP("InfusionState", "paused")
    STOPPED = QT_TRANSLATE_NOOP("InfusionState", "stopped early")
    COMPLETED = QT_TRANSLATE_NOOP("InfusionState", "completed")


class SteroidState(TextEnum):
    """Where the day's corticosteroid stands."""

    NOT_STARTED = QT_TRANSLATE_NOOP("SteroidState", "not started")
    RUNNING = QT_TRANSLATE_NOOP("SteroidState", "running")
    FINISHED = QT_TRANSLATE_NOOP("SteroidState", "finished")


E = EventKind
I = InfusionState  # noqa: E741 - the table below reads better with short names
S = SteroidState

INFUSION_TRANSITIONS: dict[tuple[InfusionState, EventKind], InfusionState] = {
    (I.NOT_STARTED, E.INFUSION_STARTED): I.RUNNING,
    (I.RUNNING, E.RATE_CHANGED): I.RUNNING,
    (I.RUNNING, E.INFUSION_PAUSED): I.PAUSED,
    (I.RUNNING, E.INFUSION_STOPPED): I.STOPPED,
    (I.RUNNING, E.INFUSION_COMPLETED): I.COMPLETED,
    (I.PAUSED, E.RATE_CHANGED): I.PAUSED,
    (I.PAUSED, E.INFUSION_RESUMED): I.RUNNING,
    (I.PAUSED, E.INFUSION_STOPPED): I.STOPPED,
}
"""The infusion's state table: (state, event) -> next state; any pair not listed is refused."""

STEROID_TRANSITIONS: dict[tuple[SteroidState, EventKind], SteroidState] = {
    (S.NOT_STARTED, E.STEROID_STARTED): S.RUNNING,
    (S.RUNNING, E.STEROID_FINISHED): S.FINISHED,
}
"""The corticosteroid's state table."""

INFUSION_EVENTS = frozenset(kind for _, kind in INFUSION_TRANSITIONS)
STEROID_EVENTS = frozenset(kind for _, kind in STEROID_TRANSITIONS)


class TaskKind(StrEnum):
    """The kinds of step on the day's checklist."""

    PREMEDICATION = "premedication"
    STEROID_START = "steroid_start"
    STEROID_FINISH = "steroid_finish"
    VITALS = "vitals"
    INFUSION_START = "infusion_start"
    INFUSION_END = "infusion_end"
    LAB = "lab"
    OBSERVATION_END = "observation_end"


class TaskState(TextEnum):
    """A checklist item's state at a given moment."""

    PENDING = QT_TRANSLATE_NOOP("TaskState", "pending")
    DUE = QT_TRANSLATE_NOOP("TaskState", "due")
    OVERDUE = QT_TRANSLATE_NOOP("TaskState", "overdue")
    DONE = QT_TRANSLATE_NOOP("TaskState", "done")
    SKIPPED = QT_TRANSLATE_NOOP("TaskState", "skipped")


class Step(TextEnum):
    """The phase of the day, as the ward card shows it."""

    PREPARATION = QT_TRANSLATE_NOOP("Step", "Before the infusion")
    STEROID = QT_TRANSLATE_NOOP("Step", "Methylprednisolone running")
    READY = QT_TRANSLATE_NOOP("Step", "Ready for alemtuzumab")
    INFUSION_RUNNING = QT_TRANSLATE_NOOP("Step", "Alemtuzumab running")
    INFUSION_PAUSED = QT_TRANSLATE_NOOP("Step", "Alemtuzumab paused")
    OBSERVATION = QT_TRANSLATE_NOOP("Step", "Observation")
    DAY_COMPLETE = QT_TRANSLATE_NOOP("Step", "Day complete")


@dataclass(frozen=True)
class DayEvent:
    """One recorded event of the day. `task` names the checklist item it fulfils, if any."""

    id: str
    kind: EventKind
    at: datetime
    by: str
    task: str | None = None
    drug: str | None = None
    dose: float | None = None
    unit: str | None = None
    route: str | None = None
    batch: str | None = None
    checked_by: str | None = None
    rate_ml_h: float | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("an event's time must be timezone-aware")
        object.__setattr__(self, "at", self.at.astimezone(UTC))


@dataclass(frozen=True)
class DayPlan:
    """Which day this is: the protocol, the course and day number, and when the day starts."""

    protocol: Protocol
    course_number: int
    day_number: int
    planned_start: datetime
    local: Callable[[datetime], datetime] = field(default=lambda moment: moment, compare=False)
    """Turns a time into the ward's local time for messages (the clock's `local`)."""

    def __post_init__(self) -> None:
        if self.planned_start.tzinfo is None:
            raise ValueError("planned_start must be timezone-aware")
        # Arithmetic on datetimes of one local zone follows the wall clock across daylight
        # saving changes; in UTC a duration is a duration.
        object.__setattr__(self, "planned_start", self.planned_start.astimezone(UTC))
        days = self.protocol.courses.days_of(self.course_number)
        if self.course_number < 1:
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "course number {course} is not a course").format(
                    course=self.course_number
                )
            )
        if not 1 <= self.day_number <= days:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "course {course} has {days} days; day {day} is not one"
                ).format(course=self.course_number, days=days, day=self.day_number)
            )

    @property
    def course_days(self) -> int:
        """How many days this course has."""
        return self.protocol.courses.days_of(self.course_number)


@dataclass(frozen=True)
class Task:
    """One item of the day's checklist at a given moment."""

    id: str
    kind: TaskKind
    title: Text
    planned_at: datetime
    state: TaskState
    done_at: datetime | None = None
    done_by: str | None = None
    event_id: str | None = None
    note: Text | None = None


@dataclass(frozen=True)
class DayStatus:
    """Everything the ward needs to know about one patient's day at `at`."""

    at: datetime
    step: Step
    tasks: tuple[Task, ...]
    infusion_state: InfusionState
    steroid_state: SteroidState | None
    infusion_started_at: datetime | None
    infusion_ended_at: datetime | None
    elapsed: timedelta
    remaining: timedelta | None
    volume_infused_ml: float
    volume_ml: float
    rate_ml_h: float
    expected_end: datetime | None
    next_vitals_due: datetime | None
    observation_may_end_at: datetime | None

    @property
    def next_task(self) -> Task | None:
        """The open task planned earliest: what the nurse should do next."""
        open_tasks = [t for t in self.tasks if t.state not in (TaskState.DONE, TaskState.SKIPPED)]
        return min(open_tasks, key=lambda t: t.planned_at, default=None)

    def task(self, task_id: str) -> Task:
        """The task with this id."""
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)


@dataclass
class _Replay:
    """The facts gathered by replaying the events in time order."""

    infusion: InfusionState = InfusionState.NOT_STARTED
    steroid: SteroidState = SteroidState.NOT_STARTED
    infusion_start: DayEvent | None = None
    infusion_end: DayEvent | None = None
    steroid_start: DayEvent | None = None
    steroid_finish: DayEvent | None = None
    observation_end: DayEvent | None = None
    # (from, to-or-None, rate) of each stretch the infusion ran
    running: list[tuple[datetime, datetime | None, float]] = field(default_factory=list)
    rate_ml_h: float = 0.0
    done: dict[str, DayEvent] = field(default_factory=dict)
    skipped: dict[str, DayEvent] = field(default_factory=dict)
    vitals_before: list[DayEvent] = field(default_factory=list)
    vitals_after: list[DayEvent] = field(default_factory=list)
    unfit: list[tuple[DayEvent, Text | str]] = field(default_factory=list)


class InfusionDay:
    """One patient's infusion day: the plan plus what has been recorded so far."""

    def __init__(self, plan: DayPlan, events: Sequence[DayEvent] = ()) -> None:
        self.plan = plan
        # A stable sort keeps the order of entry for events recorded at the same minute.
        self.events: tuple[DayEvent, ...] = tuple(sorted(events, key=lambda e: e.at))
        self._facts = self._replay(self.events)

    def _hm(self, moment: datetime) -> str:
        return f"{self.plan.local(moment):%H:%M}"

    @property
    def unfit(self) -> tuple[tuple[DayEvent, Text | str], ...]:
        """Recorded events that do not fit the day as the protocol sees it, with the reason."""
        return tuple(self._facts.unfit)

    # -- recording ---------------------------------------------------------------------------

    def check(self, event: DayEvent, now: datetime) -> None:
        """Raise SequenceError, saying why, if `event` cannot be recorded at `now`.

        The event must fit the day, and must not make any event already recorded impossible
        (a back-dated pause before an existing pause, say).
        """
        tolerance = timedelta(minutes=self.plan.protocol.timing.future_tolerance_min)
        if event.at > now + tolerance:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay",
                    "{event} is dated in the future ({time}); the time must not be later than now",
                ).format(event=describe(event.kind), time=self._hm(event.at))
            )
        if not event.by.strip():
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "every record needs the initials of the nurse who made it"
                )
            )
        others = [e for e in self.events if e.id != event.id]
        already_unfit = {e.id for e, _ in self._facts.unfit}
        must_fit = {e.id for e in others} - already_unfit | {event.id}
        self._replay((*others, event), must_fit)

    def with_event(self, event: DayEvent, now: datetime) -> InfusionDay:
        """The day after `event` is recorded; refused with SequenceError when impossible.

        An event with the id of one already recorded replaces it (a correction).
        """
        self.check(event, now)
        return InfusionDay(self.plan, (*(e for e in self.events if e.id != event.id), event))

    def without(self, event_id: str) -> InfusionDay:
        """The day with a recorded event struck out (entered in error).

        Refused with SequenceError when other events depend on it (striking out the start of
        an infusion that was later paused, say).
        """
        others = [e for e in self.events if e.id != event_id]
        if len(others) == len(self.events):
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "no event {event} on this day").format(
                    event=event_id
                )
            )
        already_unfit = {e.id for e, _ in self._facts.unfit}
        try:
            self._replay(others, {e.id for e in others} - already_unfit)
        except SequenceError as exc:
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "other records depend on it: {reason}").format(
                    reason=text_of(exc)
                )
            ) from exc
        return InfusionDay(self.plan, others)

    def _replay(self, events: Sequence[DayEvent], must_fit: Set[str] = frozenset()) -> _Replay:
        """Apply the events in time order to fresh facts.

        An event in `must_fit` that does not fit raises SequenceError. Any other is set aside in
        `unfit`: what is on file stays readable even if it no longer fits (a site changed its
        protocol, say), and the day shows it as a problem instead of failing to load.
        """
        facts = _Replay(rate_ml_h=self.plan.protocol.infusion.rate_ml_h)
        for event in sorted(events, key=lambda e: e.at):
            try:
                self._apply(facts, event)
            except SequenceError as exc:
                if event.id not in must_fit:
                    facts.unfit.append((event, text_of(exc)))
                    continue
                if event is events[-1]:
                    raise
                raise SequenceError(
                    QT_TRANSLATE_NOOP(
                        "InfusionDay",
                        "it would make the {event} recorded at {time} impossible: {reason}",
                    ).format(
                        event=describe(event.kind), time=self._hm(event.at), reason=text_of(exc)
                    )
                ) from exc
        return facts

    def _apply(self, facts: _Replay, event: DayEvent) -> None:
        if facts.observation_end is not None:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay",
                    "the day ended with the observation at {time}; {event} cannot follow it",
                ).format(time=self._hm(facts.observation_end.at), event=describe(event.kind))
            )
        if event.kind in INFUSION_EVENTS:
            self._apply_infusion(facts, event)
        elif event.kind in STEROID_EVENTS:
            self._apply_steroid(facts, event)
        elif event.kind is EventKind.OBSERVATION_ENDED:
            self._apply_observation_end(facts, event)
        elif event.kind is EventKind.VITALS_TAKEN:
            # Before or after the start by the order of entry, which breaks ties of time.
            if facts.infusion_start is None:
                facts.vitals_before.append(event)
            else:
                facts.vitals_after.append(event)
        elif event.kind in (EventKind.PREMEDICATION_GIVEN, EventKind.LAB_SAMPLED):
            expected = "premedication" if event.kind is E.PREMEDICATION_GIVEN else "lab"
            if event.task is None or self._task_ids().get(event.task) != expected:
                template = (
                    QT_TRANSLATE_NOOP(
                        "InfusionDay",
                        "{step} is not a premedication step of course {course} day {day}",
                    )
                    if expected == "premedication"
                    else QT_TRANSLATE_NOOP(
                        "InfusionDay", "{step} is not a lab step of course {course} day {day}"
                    )
                )
                raise SequenceError(
                    template.format(
                        step=event.task or QT_TRANSLATE_NOOP("InfusionDay", "this"),
                        course=self.plan.course_number,
                        day=self.plan.day_number,
                    )
                )
            self._mark_done(facts, event.task, event)
        elif event.kind is EventKind.TASK_SKIPPED:
            self._apply_skip(facts, event, self._task_ids())

    def _task_ids(self) -> dict[str, str]:
        plan = self.plan
        ids = {
            p.id: "premedication"
            for p in plan.protocol.premedication_for(plan.course_number, plan.day_number)
        }
        ids |= {
            lab.id: "lab" for lab in plan.protocol.labs_for(plan.course_number, plan.day_number)
        }
        if plan.protocol.steroid_on(plan.course_number, plan.day_number) is not None:
            ids["steroid"] = "steroid"
        return ids

    def _mark_done(self, facts: _Replay, task_id: str, event: DayEvent) -> None:
        if task_id in facts.done:
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "{step} was already recorded at {time}").format(
                    step=task_id, time=self._hm(facts.done[task_id].at)
                )
            )
        if task_id in facts.skipped:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "{step} was recorded as skipped; correct that record instead"
                ).format(step=task_id)
            )
        facts.done[task_id] = event

    def _apply_skip(self, facts: _Replay, event: DayEvent, task_ids: dict[str, str]) -> None:
        task = event.task or ""
        if task.startswith("vitals-"):
            self._check_vitals_skip(facts, task)
        elif task not in task_ids:
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "there is no step {step} to skip today").format(
                    step=repr(event.task)
                )
            )
        if not (event.reason or "").strip():
            raise SequenceError(QT_TRANSLATE_NOOP("InfusionDay", "skipping a step needs a reason"))
        if task in facts.done or task in facts.skipped:
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "{step} was already recorded").format(step=task)
            )
        if task == "steroid" and facts.steroid is not SteroidState.NOT_STARTED:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "the steroid has been started; it cannot be skipped"
                )
            )
        facts.skipped[task] = event

    @staticmethod
    def _check_vitals_skip(facts: _Replay, task: str) -> None:
        """Only the next open set of vital signs can be skipped."""
        if task == "vitals-before":
            open_set = None if facts.vitals_before else task
        elif facts.infusion_start is None:
            open_set = None
        else:
            skipped = sum(
                1
                for name in facts.skipped
                if name.startswith("vitals-") and name != "vitals-before"
            )
            open_set = f"vitals-{len(facts.vitals_after) + skipped + 1}"
        if task != open_set:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay",
                    "{step} is not the next set of vital signs due; only that one can be skipped",
                ).format(step=task)
            )

    def _apply_steroid(self, facts: _Replay, event: DayEvent) -> None:
        plan = self.plan
        if plan.protocol.steroid_on(plan.course_number, plan.day_number) is None:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "no corticosteroid is planned on day {day} of course {course}"
                ).format(day=plan.day_number, course=plan.course_number)
            )
        if "steroid" in facts.skipped:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay",
                    "the steroid was recorded as skipped; correct that record instead",
                )
            )
        following = STEROID_TRANSITIONS.get((facts.steroid, event.kind))
        if following is None:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "cannot record {event}: the steroid is {state}"
                ).format(event=describe(event.kind), state=facts.steroid.text)
            )
        facts.steroid = following
        if event.kind is EventKind.STEROID_STARTED:
            facts.steroid_start = event
            facts.done["steroid"] = event
        else:
            facts.steroid_finish = event

    def _apply_infusion(self, facts: _Replay, event: DayEvent) -> None:
        following = INFUSION_TRANSITIONS.get((facts.infusion, event.kind))
        if following is None:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "cannot record {event}: the infusion is {state}"
                ).format(event=describe(event.kind), state=facts.infusion.text)
            )
        if event.kind is EventKind.INFUSION_STARTED:
            self._check_start(facts, event)
            facts.infusion_start = event
            if event.rate_ml_h is not None:
                facts.rate_ml_h = event.rate_ml_h
            facts.running.append((event.at, None, facts.rate_ml_h))
        elif event.kind is EventKind.RATE_CHANGED:
            if event.rate_ml_h is None or not 0 < event.rate_ml_h <= 1000:
                raise SequenceError(
                    QT_TRANSLATE_NOOP(
                        "InfusionDay",
                        "a rate change needs the new rate in mL/h (above 0, at most 1000)",
                    )
                )
            if facts.infusion is InfusionState.RUNNING:
                _close_stretch(facts, event.at)
                facts.running.append((event.at, None, event.rate_ml_h))
            facts.rate_ml_h = event.rate_ml_h
        elif event.kind is EventKind.INFUSION_PAUSED:
            _close_stretch(facts, event.at)
        elif event.kind is EventKind.INFUSION_RESUMED:
            facts.running.append((event.at, None, facts.rate_ml_h))
        else:
            if event.kind is EventKind.INFUSION_STOPPED and not (event.reason or "").strip():
                raise SequenceError(
                    QT_TRANSLATE_NOOP("InfusionDay", "stopping the infusion early needs a reason")
                )
            if event.kind is EventKind.INFUSION_COMPLETED:
                self._check_complete(facts, event)
            _close_stretch(facts, event.at)
            facts.infusion_end = event
        facts.infusion = following

    def _check_start(self, facts: _Replay, event: DayEvent) -> None:
        protocol = self.plan.protocol
        drug = protocol.text(protocol.infusion.drug)
        if not (event.batch or "").strip():
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "starting {drug} needs the batch number").format(
                    drug=drug
                )
            )
        checker = (event.checked_by or "").strip()
        if not checker:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "starting {drug} needs a second nurse's check"
                ).format(drug=drug)
            )
        if checker.casefold() == event.by.strip().casefold():
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "the double check must be made by a second nurse")
            )
        if event.rate_ml_h is not None and not 0 < event.rate_ml_h <= 1000:
            raise SequenceError(
                QT_TRANSLATE_NOOP("InfusionDay", "the rate must be above 0 and at most 1000 mL/h")
            )
        steroid_day = protocol.steroid_on(self.plan.course_number, self.plan.day_number) is not None
        steroid_given = facts.steroid_start is not None or "steroid" in facts.skipped
        if steroid_day and not steroid_given and not (event.reason or "").strip():
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay",
                    "{drug} before methylprednisolone on a steroid day needs an override reason",
                ).format(drug=drug)
            )

    def _check_complete(self, facts: _Replay, event: DayEvent) -> None:
        volume = self.plan.protocol.infusion.volume_ml
        infused = _volume_infused(facts.running, event.at)
        if infused < COMPLETE_WITHOUT_REASON_SHARE * volume and not (event.reason or "").strip():
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay",
                    "only about {infused} of {volume:g} mL can have run at the recorded rates; "
                    "record it as stopped early, or give a reason for completing",
                ).format(infused=int(infused), volume=volume)
            )

    def _apply_observation_end(self, facts: _Replay, event: DayEvent) -> None:
        if facts.infusion_end is None:
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay", "the observation cannot end before the infusion has ended"
                )
            )
        minimum = timedelta(minutes=self.plan.protocol.observation.min_after_end_min)
        may_end = facts.infusion_end.at + minimum
        if event.at < may_end and not (event.reason or "").strip():
            raise SequenceError(
                QT_TRANSLATE_NOOP(
                    "InfusionDay",
                    "the observation may end at {time}, {minutes:.0f} min after the infusion; "
                    "give a reason to end it early",
                ).format(time=self._hm(may_end), minutes=minimum.total_seconds() / 60)
            )
        facts.observation_end = event

    # -- the view at a moment ----------------------------------------------------------------

    def possible_events(self) -> list[EventKind]:
        """The state-changing events the state tables allow next, in the order a day runs.

        (Premedication, vital signs, lab samples and skips are offered per task instead.)
        """
        facts = self._facts
        if facts.observation_end is not None:
            return []
        plan = self.plan
        possible: list[EventKind] = []
        if plan.protocol.steroid_on(plan.course_number, plan.day_number) is not None and (
            "steroid" not in facts.skipped
        ):
            possible += [kind for (state, kind) in STEROID_TRANSITIONS if state is facts.steroid]
        possible += [kind for (state, kind) in INFUSION_TRANSITIONS if state is facts.infusion]
        if facts.infusion_end is not None:
            possible.append(EventKind.OBSERVATION_ENDED)
        return possible

    def status(self, now: datetime) -> DayStatus:
        """Where the day stands at `now`: tasks with their states, progress, what is next."""
        facts = self._facts
        protocol = self.plan.protocol
        infusion = protocol.infusion
        volume = infusion.volume_ml

        end_event = facts.infusion_end
        horizon = end_event.at if end_event is not None else now
        infused = min(volume, _volume_infused(facts.running, horizon))
        elapsed = _running_time(facts.running, horizon)
        remaining: timedelta | None = None
        expected_end: datetime | None = None
        if end_event is None and facts.rate_ml_h > 0:
            remaining = timedelta(hours=(volume - infused) / facts.rate_ml_h)
            if facts.infusion_start is not None:
                expected_end = max(now, facts.infusion_start.at) + remaining
        elif end_event is not None:
            remaining = timedelta(0)

        start_at = self._planned_infusion_start()
        if facts.infusion_start is None:
            expected_end = start_at + timedelta(minutes=infusion.duration_min)
        end_at = end_event.at if end_event is not None else expected_end
        if end_at is None:  # a rate of zero is refused on entry, so this would be our bug
            raise RuntimeError("no expected end for a running infusion")
        observation_may_end = end_at + timedelta(minutes=protocol.observation.min_after_end_min)

        tasks = self._tasks(now, start_at, end_at, observation_may_end)
        next_vitals = min(
            (t.planned_at for t in tasks if t.kind is TaskKind.VITALS and t.state not in _CLOSED),
            default=None,
        )
        steroid_day = protocol.steroid_on(self.plan.course_number, self.plan.day_number)
        return DayStatus(
            at=now,
            step=self._step(facts, steroid_day=steroid_day is not None),
            tasks=tasks,
            infusion_state=facts.infusion,
            steroid_state=facts.steroid if steroid_day is not None else None,
            infusion_started_at=facts.infusion_start.at if facts.infusion_start else None,
            infusion_ended_at=end_event.at if end_event else None,
            elapsed=elapsed,
            remaining=remaining,
            volume_infused_ml=infused,
            volume_ml=volume,
            rate_ml_h=facts.rate_ml_h,
            expected_end=expected_end,
            next_vitals_due=next_vitals,
            observation_may_end_at=observation_may_end if end_event is not None else None,
        )

    def _planned_infusion_start(self) -> datetime:
        facts = self._facts
        if facts.infusion_start is not None:
            return facts.infusion_start.at
        plan = self.plan
        steroid = plan.protocol.steroid_on(plan.course_number, plan.day_number)
        if steroid is not None and facts.steroid_start is not None:
            return facts.steroid_start.at + timedelta(minutes=steroid.minutes_before_infusion)
        leads = [
            p.minutes_before_infusion
            for p in plan.protocol.premedication_for(plan.course_number, plan.day_number)
        ]
        if steroid is not None and "steroid" not in facts.skipped:
            leads.append(steroid.minutes_before_infusion)
        return plan.planned_start + timedelta(minutes=max(leads, default=0))

    def _tasks(
        self, now: datetime, start_at: datetime, end_at: datetime, observation_may_end: datetime
    ) -> tuple[Task, ...]:
        facts = self._facts
        plan = self.plan
        protocol = plan.protocol
        course, day = plan.course_number, plan.day_number
        tasks = _Checklist(
            now, protocol.timing.due_before_min, protocol.timing.overdue_after_min, facts.skipped
        )

        for premed in protocol.premedication_for(course, day):
            tasks.add(
                premed.id,
                TaskKind.PREMEDICATION,
                QT_TRANSLATE_NOOP("Task", "{drug} {dose} {route}").format(
                    drug=protocol.text(premed.drug),
                    dose=premed.dose_text,
                    route=route_text(premed.route),
                ),
                start_at - timedelta(minutes=premed.minutes_before_infusion),
                facts.done.get(premed.id),
            )
        steroid = protocol.steroid_on(course, day)
        if steroid is not None:
            steroid_planned = start_at - timedelta(minutes=steroid.minutes_before_infusion)
            tasks.add(
                "steroid",
                TaskKind.STEROID_START,
                QT_TRANSLATE_NOOP("Task", "Start {drug} {dose} {route}").format(
                    drug=protocol.text(steroid.drug),
                    dose=steroid.dose_text,
                    route=route_text(steroid.route),
                ),
                steroid_planned,
                facts.steroid_start,
            )
            if "steroid" not in facts.skipped:
                begun = facts.steroid_start.at if facts.steroid_start else steroid_planned
                tasks.add(
                    "steroid-finish",
                    TaskKind.STEROID_FINISH,
                    QT_TRANSLATE_NOOP("Task", "{drug} finished").format(
                        drug=protocol.text(steroid.drug)
                    ),
                    begun + timedelta(minutes=steroid.duration_min),
                    facts.steroid_finish,
                )
        self._add_vitals(tasks, start_at, end_at)
        infusion = protocol.infusion
        tasks.add(
            "infusion-start",
            TaskKind.INFUSION_START,
            QT_TRANSLATE_NOOP("Task", "Start {drug} {dose} in {volume:g} mL").format(
                drug=protocol.text(infusion.drug),
                dose=infusion.dose_text,
                volume=infusion.volume_ml,
            ),
            start_at,
            facts.infusion_start,
        )
        tasks.add(
            "infusion-end",
            TaskKind.INFUSION_END,
            QT_TRANSLATE_NOOP("Task", "{drug} ends").format(drug=protocol.text(infusion.drug)),
            end_at,
            facts.infusion_end,
        )
        for lab in protocol.labs_for(course, day):
            tasks.add(
                lab.id,
                TaskKind.LAB,
                QT_TRANSLATE_NOOP("Task", "{test} after the infusion").format(
                    test=protocol.text(lab.test, capitalised=True)
                ),
                end_at,
                facts.done.get(lab.id),
            )
        tasks.add(
            "observation-end",
            TaskKind.OBSERVATION_END,
            QT_TRANSLATE_NOOP("Task", "End of observation"),
            observation_may_end,
            facts.observation_end,
        )
        return tasks.in_order()

    def _add_vitals(self, tasks: _Checklist, start_at: datetime, end_at: datetime) -> None:
        """Vital signs before the start, then every interval until the set time after the end.

        Each set after the start is planned one interval after the previous set was taken, so
        the schedule follows the nurse; the last one is always at the set time after the end.
        """
        facts = self._facts
        vitals = self.plan.protocol.vitals
        interval = timedelta(minutes=vitals.interval_min)
        before = facts.vitals_before
        after = iter(facts.vitals_after)
        if vitals.before_start:
            tasks.add(
                "vitals-before",
                TaskKind.VITALS,
                QT_TRANSLATE_NOOP("Task", "Vital signs before the start"),
                start_at,
                before[0] if before else None,
            )
        final_due = end_at + timedelta(minutes=vitals.until_after_end_min)
        previous = start_at
        number = 0
        while True:
            number += 1
            task_id = f"vitals-{number}"
            planned = min(previous + interval, final_due)
            # A skipped set takes no recorded set away from the sets that follow it.
            done = None if task_id in facts.skipped else next(after, None)
            title = (
                QT_TRANSLATE_NOOP("Task", "Vital signs after the infusion")
                if planned == final_due
                else QT_TRANSLATE_NOOP("Task", "Vital signs, {time} into the infusion").format(
                    time=_hours_text(planned - start_at)
                )
            )
            tasks.add(task_id, TaskKind.VITALS, title, planned, done)
            if planned == final_due:
                break
            previous = done.at if done is not None else planned

    @staticmethod
    def _step(facts: _Replay, *, steroid_day: bool) -> Step:  # noqa: PLR0911 - a return per phase
        if facts.observation_end is not None:
            return Step.DAY_COMPLETE
        if facts.infusion_end is not None:
            return Step.OBSERVATION
        if facts.infusion is InfusionState.RUNNING:
            return Step.INFUSION_RUNNING
        if facts.infusion is InfusionState.PAUSED:
            return Step.INFUSION_PAUSED
        if facts.steroid is SteroidState.RUNNING:
            return Step.STEROID
        steroid_open = steroid_day and facts.steroid is SteroidState.NOT_STARTED
        if steroid_open and "steroid" not in facts.skipped:
            return Step.PREPARATION
        if facts.done or facts.skipped or facts.steroid is SteroidState.FINISHED:
            return Step.READY
        return Step.PREPARATION


class _Checklist:
    """Collects the day's tasks, giving each its state at `now`."""

    def __init__(
        self,
        now: datetime,
        due_before_min: int,
        overdue_after_min: int,
        skipped: dict[str, DayEvent],
    ) -> None:
        self._now = now
        self._due_before = due_before_min * MINUTE
        self._overdue_after = overdue_after_min * MINUTE
        self._skipped = skipped
        self._tasks: list[Task] = []

    def add(
        self, task_id: str, kind: TaskKind, title: Text, planned: datetime, done: DayEvent | None
    ) -> None:
        skip = self._skipped.get(task_id)
        if done is not None:
            state = TaskState.DONE
        elif skip is not None:
            state = TaskState.SKIPPED
        elif self._now < planned - self._due_before:
            state = TaskState.PENDING
        elif self._now <= planned + self._overdue_after:
            state = TaskState.DUE
        else:
            state = TaskState.OVERDUE
        record = done or skip
        self._tasks.append(
            Task(
                id=task_id,
                kind=kind,
                title=title,
                planned_at=planned,
                state=state,
                done_at=record.at if record else None,
                done_by=record.by if record else None,
                event_id=record.id if record else None,
                note=Text.data(skip.reason or "") if skip else _done_note(done),
            )
        )

    def in_order(self) -> tuple[Task, ...]:
        return tuple(sorted(self._tasks, key=lambda t: (t.planned_at, _KIND_ORDER[t.kind])))


_CLOSED = (TaskState.DONE, TaskState.SKIPPED)
_KIND_ORDER = {
    kind: index
    for index, kind in enumerate(
        [
            TaskKind.PREMEDICATION,
            TaskKind.STEROID_START,
            TaskKind.STEROID_FINISH,
            TaskKind.VITALS,
            TaskKind.INFUSION_START,
            TaskKind.INFUSION_END,
            TaskKind.LAB,
            TaskKind.OBSERVATION_END,
        ]
    )
}


def _close_stretch(facts: _Replay, at: datetime) -> None:
    """End the stretch the infusion is running in (a paused infusion has none open)."""
    begun, ended, rate = facts.running[-1]
    if ended is None:
        facts.running[-1] = (begun, at, rate)


def _running_time(
    running: Sequence[tuple[datetime, datetime | None, float]], until: datetime
) -> timedelta:
    total = timedelta(0)
    for begun, ended, _ in running:
        stop = min(ended or until, until)
        if stop > begun:
            total += stop - begun
    return total


def _volume_infused(
    running: Sequence[tuple[datetime, datetime | None, float]], until: datetime
) -> float:
    total = 0.0
    for begun, ended, rate in running:
        stop = min(ended or until, until)
        if stop > begun:
            total += rate * (stop - begun).total_seconds() / 3600
    return total


def _hours_text(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if rest == 0 else f"{hours} h {rest} min"


def _done_note(event: DayEvent | None) -> Text | None:
    if event is None:
        return None
    parts: list[str] = []
    if event.batch:
        parts.append(QT_TRANSLATE_NOOP("Task", "batch {batch}").format(batch=event.batch))
    if event.checked_by:
        parts.append(QT_TRANSLATE_NOOP("Task", "checked by {nurse}").format(nurse=event.checked_by))
    if event.reason:
        parts.append(event.reason)
    return joined(parts) if parts else None


_DESCRIPTIONS: dict[EventKind, Text] = {
    E.PREMEDICATION_GIVEN: QT_TRANSLATE_NOOP("EventKind", "premedication given"),
    E.STEROID_STARTED: QT_TRANSLATE_NOOP("EventKind", "steroid started"),
    E.STEROID_FINISHED: QT_TRANSLATE_NOOP("EventKind", "steroid finished"),
    E.INFUSION_STARTED: QT_TRANSLATE_NOOP("EventKind", "infusion started"),
    E.RATE_CHANGED: QT_TRANSLATE_NOOP("EventKind", "rate changed"),
    E.INFUSION_PAUSED: QT_TRANSLATE_NOOP("EventKind", "infusion paused"),
    E.INFUSION_RESUMED: QT_TRANSLATE_NOOP("EventKind", "infusion resumed"),
    E.INFUSION_STOPPED: QT_TRANSLATE_NOOP("EventKind", "infusion stopped"),
    E.INFUSION_COMPLETED: QT_TRANSLATE_NOOP("EventKind", "infusion completed"),
    E.VITALS_TAKEN: QT_TRANSLATE_NOOP("EventKind", "vitals taken"),
    E.LAB_SAMPLED: QT_TRANSLATE_NOOP("EventKind", "lab sampled"),
    E.TASK_SKIPPED: QT_TRANSLATE_NOOP("EventKind", "task skipped"),
    E.OBSERVATION_ENDED: QT_TRANSLATE_NOOP("EventKind", "observation ended"),
}


def describe(kind: EventKind) -> Text:
    """An event as refusals and problem lists name it: 'infusion paused'."""
    return _DESCRIPTIONS[kind]
