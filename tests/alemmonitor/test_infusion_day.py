"""The infusion-day engine: state tables, refusals, progress, checklist, whole courses."""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alemmonitor.clock import ManualClock
from alemmonitor.errors import SequenceError
from alemmonitor.infusion_day import (
    DayEvent,
    DayPlan,
    DayStatus,
    EventKind,
    InfusionDay,
    InfusionState,
    Step,
    SteroidState,
    Task,
    TaskKind,
    TaskState,
)
from alemmonitor.protocol import Protocol

BERLIN = ZoneInfo("Europe/Berlin")
E = EventKind
IS = InfusionState
SS = SteroidState

# 08:00 in Dresden, the planned start of the default test day (the conftest clock's start).
T0 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
# With the default protocol the oral premedication comes 90 min before alemtuzumab: 09:30 local.
START = 90
HOUR = timedelta(hours=1)

INFUSION_TABLE: dict[tuple[InfusionState, EventKind], InfusionState] = {
    (IS.NOT_STARTED, E.INFUSION_STARTED): IS.RUNNING,
    (IS.RUNNING, E.RATE_CHANGED): IS.RUNNING,
    (IS.RUNNING, E.INFUSION_PAUSED): IS.PAUSED,
    (IS.RUNNING, E.INFUSION_STOPPED): IS.STOPPED,
    (IS.RUNNING, E.INFUSION_COMPLETED): IS.COMPLETED,
    (IS.PAUSED, E.RATE_CHANGED): IS.PAUSED,
    (IS.PAUSED, E.INFUSION_RESUMED): IS.RUNNING,
    (IS.PAUSED, E.INFUSION_STOPPED): IS.STOPPED,
}
INFUSION_STATES = (IS.NOT_STARTED, IS.RUNNING, IS.PAUSED, IS.STOPPED, IS.COMPLETED)
INFUSION_KINDS = (
    E.INFUSION_STARTED,
    E.RATE_CHANGED,
    E.INFUSION_PAUSED,
    E.INFUSION_RESUMED,
    E.INFUSION_STOPPED,
    E.INFUSION_COMPLETED,
)

STEROID_TABLE: dict[tuple[SteroidState, EventKind], SteroidState] = {
    (SS.NOT_STARTED, E.STEROID_STARTED): SS.RUNNING,
    (SS.RUNNING, E.STEROID_FINISHED): SS.FINISHED,
}
STEROID_STATES = (SS.NOT_STARTED, SS.RUNNING, SS.FINISHED)
STEROID_KINDS = (E.STEROID_STARTED, E.STEROID_FINISHED)

# Each event as a nurse records it correctly, so that only the sequence can be wrong.
WELL_FORMED: dict[EventKind, dict[str, Any]] = {
    E.INFUSION_STARTED: {"batch": "LOT-7731A", "checked_by": "CD", "rate_ml_h": 25.0},
    E.RATE_CHANGED: {"rate_ml_h": 50.0},
    E.INFUSION_PAUSED: {},
    E.INFUSION_RESUMED: {},
    E.INFUSION_STOPPED: {"reason": "urticaria"},
    E.INFUSION_COMPLETED: {},
    E.STEROID_STARTED: {"task": "steroid"},
    E.STEROID_FINISHED: {},
}

Entry = tuple[EventKind, float, Mapping[str, Any]]

STARTED: Entry = (E.INFUSION_STARTED, START, WELL_FORMED[E.INFUSION_STARTED])
PAUSED: Entry = (E.INFUSION_PAUSED, START + 60, {})
COMPLETED: Entry = (E.INFUSION_COMPLETED, START + 240, {})
OBSERVED: Entry = (E.OBSERVATION_ENDED, START + 360, {})
STEROID_STARTED: Entry = (E.STEROID_STARTED, 30, {"task": "steroid"})
STEROID_FINISHED: Entry = (E.STEROID_FINISHED, 60, {})

REACH_INFUSION: dict[InfusionState, tuple[Entry, ...]] = {
    IS.NOT_STARTED: (),
    IS.RUNNING: (STARTED,),
    IS.PAUSED: (STARTED, PAUSED),
    IS.STOPPED: (STARTED, (E.INFUSION_STOPPED, START + 60, {"reason": "chest pain"})),
    IS.COMPLETED: (STARTED, COMPLETED),
}
REACH_STEROID: dict[SteroidState, tuple[Entry, ...]] = {
    SS.NOT_STARTED: (),
    SS.RUNNING: (STEROID_STARTED,),
    SS.FINISHED: (STEROID_STARTED, STEROID_FINISHED),
}


def at(minutes: float) -> datetime:
    """The moment `minutes` after the default day's planned start (08:00 local)."""
    return T0 + timedelta(minutes=minutes)


def local(moment: datetime) -> str:
    """The time as the ward's clock shows it."""
    return f"{moment.astimezone(BERLIN):%H:%M}"


def event(kind: EventKind, moment: datetime, *, by: str = "AB", **details: Any) -> DayEvent:
    return DayEvent(uuid4().hex, kind, moment, by, **details)


def new_day(protocol: Protocol, day_number: int, *, course: int = 1) -> InfusionDay:
    return InfusionDay(DayPlan(protocol, course, day_number, T0))


def replay(
    protocol: Protocol, day_number: int, entries: Sequence[Entry], *, course: int = 1
) -> InfusionDay:
    """The day after recording `entries` one by one, each at its own time."""
    day = new_day(protocol, day_number, course=course)
    for kind, minutes, details in entries:
        day = day.with_event(event(kind, at(minutes), **details), at(minutes))
    return day


def record(day: InfusionDay, kind: EventKind, moment: datetime, **details: Any) -> InfusionDay:
    return day.with_event(event(kind, moment, **details), moment)


def local_plan(status: DayStatus) -> list[tuple[str, str]]:
    return [(task.id, local(task.planned_at)) for task in status.tasks]


def utc_view(status: DayStatus) -> tuple[object, ...]:
    """What the ward sees of a status, every instant in UTC so that instants can be compared."""

    def utc(moment: datetime | None) -> datetime | None:
        return moment.astimezone(UTC) if moment is not None else None

    tasks = tuple(
        (task.id, task.state, utc(task.planned_at), utc(task.done_at)) for task in status.tasks
    )
    return (
        status.step,
        status.infusion_state,
        tasks,
        status.elapsed,
        round(status.volume_infused_ml, 6),
        status.remaining,
        utc(status.expected_end),
        utc(status.next_vitals_due),
        utc(status.observation_may_end_at),
    )


# -- a nurse who does every task when it is planned -----------------------------------------

VITALS_BEFORE_LEAD = timedelta(minutes=5)


def event_for(task: Task, moment: datetime, skip: Mapping[str, str]) -> DayEvent:
    if task.id in skip:
        return event(E.TASK_SKIPPED, moment, by="EF", task=task.id, reason=skip[task.id])
    kinds = {
        TaskKind.PREMEDICATION: (E.PREMEDICATION_GIVEN, {"task": task.id}),
        TaskKind.STEROID_START: (E.STEROID_STARTED, {"task": "steroid"}),
        TaskKind.STEROID_FINISH: (E.STEROID_FINISHED, {}),
        TaskKind.VITALS: (E.VITALS_TAKEN, {}),
        TaskKind.INFUSION_START: (E.INFUSION_STARTED, {"batch": "LOT-7731A", "checked_by": "CD"}),
        TaskKind.INFUSION_END: (E.INFUSION_COMPLETED, {}),
        TaskKind.LAB: (E.LAB_SAMPLED, {"task": task.id}),
        TaskKind.OBSERVATION_END: (E.OBSERVATION_ENDED, {}),
    }
    kind, details = kinds[task.kind]
    return event(kind, moment, **details)


def run_day(
    day: InfusionDay, clock: ManualClock, skip: Mapping[str, str] | None = None
) -> tuple[InfusionDay, list[tuple[str, DayStatus]]]:
    """Work through the checklist on time, as the ward clock moves; log each task's outcome.

    The vitals before the start are taken a few minutes ahead of it, while the bag is prepared.
    """
    log: list[tuple[str, DayStatus]] = []
    for _ in range(100):
        task = day.status(clock.now()).next_task
        if task is None:
            return day, log
        lead = VITALS_BEFORE_LEAD if task.id == "vitals-before" else timedelta(0)
        due = task.planned_at - lead
        if due > clock.now():
            clock.set(due)
        day = day.with_event(event_for(task, clock.now(), skip or {}), clock.now())
        log.append((task.id, day.status(clock.now())))
    raise AssertionError(f"the day never ended; last status: {day.status(clock.now())}")


# -- the state tables --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "kind", "following"),
    [pytest.param(*pair, nxt, id=f"{pair[0]}+{pair[1]}") for pair, nxt in INFUSION_TABLE.items()],
)
def test_every_infusion_transition_leads_to_its_next_state(
    protocol: Protocol, state: InfusionState, kind: EventKind, following: InfusionState
) -> None:
    day = replay(protocol, 4, REACH_INFUSION[state])
    now = at(START + 300)
    assert day.status(now).infusion_state is state

    after = record(day, kind, now, **WELL_FORMED[kind])

    assert after.status(now).infusion_state is following


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        pytest.param(state, kind, id=f"{state}+{kind}")
        for state, kind in itertools.product(INFUSION_STATES, INFUSION_KINDS)
        if (state, kind) not in INFUSION_TABLE
    ],
)
def test_every_other_infusion_event_is_refused_and_changes_nothing(
    protocol: Protocol, state: InfusionState, kind: EventKind
) -> None:
    day = replay(protocol, 4, REACH_INFUSION[state])
    now = at(START + 300)
    before = day.status(now)

    with pytest.raises(SequenceError, match=f"the infusion is {state}"):
        record(day, kind, now, **WELL_FORMED[kind])

    assert day.status(now) == before
    assert len(day.events) == len(REACH_INFUSION[state])


def test_the_tables_cover_every_state_and_event() -> None:
    assert set(INFUSION_STATES) == set(InfusionState)
    assert set(STEROID_STATES) == set(SteroidState)
    assert {kind for _, kind in INFUSION_TABLE} == set(INFUSION_KINDS)


@pytest.mark.parametrize(
    ("state", "kind", "following"),
    [pytest.param(*pair, nxt, id=f"{pair[0]}+{pair[1]}") for pair, nxt in STEROID_TABLE.items()],
)
def test_every_steroid_transition_leads_to_its_next_state(
    protocol: Protocol, state: SteroidState, kind: EventKind, following: SteroidState
) -> None:
    day = replay(protocol, 1, REACH_STEROID[state])
    now = at(75)
    assert day.status(now).steroid_state is state

    after = record(day, kind, now, **WELL_FORMED[kind])

    assert after.status(now).steroid_state is following


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        pytest.param(state, kind, id=f"{state}+{kind}")
        for state, kind in itertools.product(STEROID_STATES, STEROID_KINDS)
        if (state, kind) not in STEROID_TABLE
    ],
)
def test_every_other_steroid_event_is_refused_and_changes_nothing(
    protocol: Protocol, state: SteroidState, kind: EventKind
) -> None:
    day = replay(protocol, 1, REACH_STEROID[state])
    now = at(75)
    before = day.status(now)

    with pytest.raises(SequenceError, match=f"the steroid is {state}"):
        record(day, kind, now, **WELL_FORMED[kind])

    assert day.status(now) == before


@pytest.mark.parametrize("state", INFUSION_STATES)
@pytest.mark.parametrize(
    ("kind", "details"),
    [
        (E.VITALS_TAKEN, {}),
        (E.PREMEDICATION_GIVEN, {"task": "paracetamol"}),
        (E.LAB_SAMPLED, {"task": "platelets"}),
        (E.TASK_SKIPPED, {"task": "acyclovir", "reason": "given on the ward at 06:00"}),
    ],
)
def test_events_outside_the_infusion_table_leave_the_infusion_as_it_was(
    protocol: Protocol, state: InfusionState, kind: EventKind, details: dict[str, Any]
) -> None:
    day = replay(protocol, 5, REACH_INFUSION[state])
    now = at(START + 300)

    after = record(day, kind, now, **details)

    assert after.status(now).infusion_state is state


# -- refusals, each saying why -----------------------------------------------------------------


class Refusal(NamedTuple):
    """An entry the engine must refuse, on a day prepared by `entries`, and why."""

    day_number: int
    entries: Sequence[Entry]
    refused: Entry
    why: str


class Accepted(NamedTuple):
    """An entry the engine must accept, and the phase the day is in afterwards."""

    day_number: int
    entries: Sequence[Entry]
    accepted: Entry
    step: Step


STEROID_OVERRIDE = "before methylprednisolone on a steroid day needs an override reason"
SKIP_AT_08 = (E.TASK_SKIPPED, 0, {"task": "acyclovir", "reason": "given at 06:00"})
GIVEN_AT_08 = (E.PREMEDICATION_GIVEN, 0, {"task": "acyclovir"})
ENDED = (STARTED, COMPLETED, OBSERVED)

REFUSALS = {
    "resume while running": Refusal(
        4, [STARTED], (E.INFUSION_RESUMED, START + 30, {}), "the infusion is running"
    ),
    "alemtuzumab before methylprednisolone": Refusal(1, [], STARTED, STEROID_OVERRIDE),
    "alemtuzumab before methylprednisolone, premedication given": Refusal(
        1, [GIVEN_AT_08], STARTED, STEROID_OVERRIDE
    ),
    "steroid start on day 4": Refusal(
        4, [], STEROID_STARTED, "no corticosteroid is planned on day 4 of course 1"
    ),
    "steroid finish on day 5": Refusal(
        5, [], STEROID_FINISHED, "no corticosteroid is planned on day 5 of course 1"
    ),
    "no batch number": Refusal(
        4, [], (E.INFUSION_STARTED, START, {"checked_by": "CD"}), "needs the batch number"
    ),
    "blank batch number": Refusal(
        4, [], (E.INFUSION_STARTED, START, {"batch": " ", "checked_by": "CD"}), "batch number"
    ),
    "no second check": Refusal(
        4, [], (E.INFUSION_STARTED, START, {"batch": "L1"}), "needs a second nurse's check"
    ),
    "checked by the same nurse": Refusal(
        4,
        [],
        (E.INFUSION_STARTED, START, {"batch": "L1", "checked_by": " ab "}),
        "the double check must be made by a second nurse",
    ),
    "start at rate 0": Refusal(
        4,
        [],
        (E.INFUSION_STARTED, START, {"batch": "L1", "checked_by": "CD", "rate_ml_h": 0}),
        "the rate must be above 0",
    ),
    "rate change without a rate": Refusal(
        4, [STARTED], (E.RATE_CHANGED, START + 30, {}), "needs the new rate"
    ),
    "rate change above 1000 mL/h": Refusal(
        4, [STARTED], (E.RATE_CHANGED, START + 30, {"rate_ml_h": 1001}), "needs the new rate"
    ),
    "stop without reason": Refusal(
        4, [STARTED], (E.INFUSION_STOPPED, START + 60, {}), "stopping the infusion early needs"
    ),
    "stop with a blank reason": Refusal(
        4,
        [STARTED],
        (E.INFUSION_STOPPED, START + 60, {"reason": " "}),
        "stopping the infusion early needs a reason",
    ),
    "complete after 1 h of 4": Refusal(
        4,
        [STARTED],
        (E.INFUSION_COMPLETED, START + 60, {}),
        "only about 25 of 100 mL can have run at the recorded rates",
    ),
    "complete with 94.6 of 100 mL": Refusal(
        4, [STARTED], (E.INFUSION_COMPLETED, START + 227, {}), "only about 94 of 100 mL"
    ),
    "observation end while running": Refusal(
        4,
        [STARTED],
        (E.OBSERVATION_ENDED, START + 120, {"reason": "wants to go home"}),
        "the observation cannot end before the infusion has ended",
    ),
    "observation end before the start": Refusal(
        4,
        [],
        (E.OBSERVATION_ENDED, START, {"reason": "did not come"}),
        "the observation cannot end before the infusion has ended",
    ),
    "observation end after 119 min": Refusal(
        4,
        [STARTED, COMPLETED],
        (E.OBSERVATION_ENDED, START + 240 + 119, {}),
        "the observation may end at 14:30, 120 min after the infusion",
    ),
    "vitals after the day ended": Refusal(
        4,
        ENDED,
        (E.VITALS_TAKEN, START + 370, {}),
        "the day ended with the observation at 14:30; vitals taken cannot follow it",
    ),
    "premedication after the day ended": Refusal(
        4,
        ENDED,
        (E.PREMEDICATION_GIVEN, START + 370, {"task": "paracetamol"}),
        "premedication given cannot follow it",
    ),
    "second observation end": Refusal(
        4, ENDED, (E.OBSERVATION_ENDED, START + 400, {}), "observation ended cannot follow it"
    ),
    "duplicate premedication": Refusal(
        4,
        [GIVEN_AT_08],
        (E.PREMEDICATION_GIVEN, 5, {"task": "acyclovir"}),
        "acyclovir was already recorded at 07:00",
    ),
    "premedication after its skip": Refusal(
        4,
        [SKIP_AT_08],
        (E.PREMEDICATION_GIVEN, 5, {"task": "acyclovir"}),
        "acyclovir was recorded as skipped",
    ),
    "skip a given premedication": Refusal(
        4,
        [GIVEN_AT_08],
        (E.TASK_SKIPPED, 5, {"task": "acyclovir", "reason": "mistake"}),
        "acyclovir was already recorded",
    ),
    "skip a started steroid": Refusal(
        3,
        [STEROID_STARTED],
        (E.TASK_SKIPPED, 40, {"task": "steroid", "reason": "mistake"}),
        "steroid was already recorded",
    ),
    "steroid after its skip": Refusal(
        3,
        [(E.TASK_SKIPPED, 0, {"task": "steroid", "reason": "diabetic, by order"})],
        STEROID_STARTED,
        "the steroid was recorded as skipped",
    ),
    "skip without reason": Refusal(
        4, [], (E.TASK_SKIPPED, 0, {"task": "desloratadine"}), "skipping a step needs a reason"
    ),
    "skip with a blank reason": Refusal(
        4,
        [],
        (E.TASK_SKIPPED, 0, {"task": "desloratadine", "reason": "\t"}),
        "skipping a step needs a reason",
    ),
    "skip an unknown step": Refusal(
        4,
        [],
        (E.TASK_SKIPPED, 0, {"task": "aspirin", "reason": "not stocked"}),
        "there is no step 'aspirin' to skip today",
    ),
    "skip the steroid on day 4": Refusal(
        4,
        [],
        (E.TASK_SKIPPED, 0, {"task": "steroid", "reason": "not needed"}),
        "there is no step 'steroid' to skip today",
    ),
    "skip the infusion": Refusal(
        4,
        [],
        (E.TASK_SKIPPED, 0, {"task": "infusion-start", "reason": "no bag"}),
        "there is no step 'infusion-start' to skip today",
    ),
    "unknown premedication": Refusal(
        4,
        [],
        (E.PREMEDICATION_GIVEN, 0, {"task": "aspirin"}),
        "aspirin is not a premedication step of course 1 day 4",
    ),
    "premedication without its step": Refusal(
        4, [], (E.PREMEDICATION_GIVEN, 0, {}), "this is not a premedication step"
    ),
    "platelets on day 4": Refusal(
        4,
        [STARTED, COMPLETED],
        (E.LAB_SAMPLED, START + 250, {"task": "platelets"}),
        "platelets is not a lab step of course 1 day 4",
    ),
    "no initials": Refusal(
        4, [], (E.VITALS_TAKEN, 0, {"by": " "}), "every record needs the initials of the nurse"
    ),
}


@pytest.mark.parametrize(
    ("day_number", "entries", "refused", "why"), REFUSALS.values(), ids=REFUSALS.keys()
)
def test_refused_with_the_reason_and_nothing_changes(
    protocol: Protocol, day_number: int, entries: list[Entry], refused: Entry, why: str
) -> None:
    day = replay(protocol, day_number, entries)
    kind, minutes, details = refused
    now = at(minutes)
    before = day.status(now)

    with pytest.raises(SequenceError, match=why):
        day.with_event(event(kind, now, **details), now)

    assert day.status(now) == before
    assert len(day.events) == len(entries)


ACCEPTED = {
    "alemtuzumab before methylprednisolone with a reason": Accepted(
        1,
        [],
        (E.INFUSION_STARTED, START, {**STARTED[2], "reason": "steroid given on the ward"}),
        Step.INFUSION_RUNNING,
    ),
    "alemtuzumab on day 4 without steroid": Accepted(4, [], STARTED, Step.INFUSION_RUNNING),
    "alemtuzumab after the steroid was skipped": Accepted(
        1,
        [(E.TASK_SKIPPED, 0, {"task": "steroid", "reason": "by order, Dr. K"})],
        STARTED,
        Step.INFUSION_RUNNING,
    ),
    "complete early with a reason": Accepted(
        4,
        [STARTED],
        (E.INFUSION_COMPLETED, START + 60, {"reason": "pump showed 100 mL"}),
        Step.OBSERVATION,
    ),
    "complete with 95 of 100 mL": Accepted(
        4, [STARTED], (E.INFUSION_COMPLETED, START + 228, {}), Step.OBSERVATION
    ),
    "observation end after 60 min with a reason": Accepted(
        4,
        [STARTED, COMPLETED],
        (E.OBSERVATION_ENDED, START + 300, {"reason": "discharged by Dr. K"}),
        Step.DAY_COMPLETE,
    ),
    "observation end after 120 min": Accepted(
        4, [STARTED, COMPLETED], (E.OBSERVATION_ENDED, START + 360, {}), Step.DAY_COMPLETE
    ),
    "observation end after an early stop": Accepted(
        4,
        [STARTED, (E.INFUSION_STOPPED, START + 30, {"reason": "dyspnoea"})],
        (E.OBSERVATION_ENDED, START + 150, {}),
        Step.DAY_COMPLETE,
    ),
}


@pytest.mark.parametrize(
    ("day_number", "entries", "accepted", "step"), ACCEPTED.values(), ids=ACCEPTED.keys()
)
def test_accepted_when_the_reason_is_given_or_none_is_needed(
    protocol: Protocol, day_number: int, entries: list[Entry], accepted: Entry, step: Step
) -> None:
    day = replay(protocol, day_number, [*entries, accepted])

    assert day.status(at(accepted[1])).step is step


@pytest.mark.parametrize(
    ("ahead", "accepted"),
    [(timedelta(0), True), (timedelta(minutes=2), True), (timedelta(minutes=2, seconds=1), False)],
)
@pytest.mark.parametrize("kind", [E.VITALS_TAKEN, E.INFUSION_STARTED])
def test_an_event_dated_beyond_the_tolerance_is_refused(
    protocol: Protocol, ahead: timedelta, kind: EventKind, accepted: bool
) -> None:
    day = new_day(protocol, 4)
    now = at(START)
    entry = event(kind, now + ahead, **WELL_FORMED.get(kind, {}))

    if accepted:
        assert len(day.with_event(entry, now).events) == 1
    else:
        with pytest.raises(SequenceError, match="dated in the future"):
            day.with_event(entry, now)


@pytest.mark.parametrize(
    ("course", "day_number", "why"),
    [
        (1, 0, "course 1 has 5 days; day 0 is not one"),
        (1, 6, "course 1 has 5 days; day 6 is not one"),
        (2, 4, "course 2 has 3 days; day 4 is not one"),
        (0, 1, "course number 0 is not a course"),
    ],
)
def test_a_day_outside_the_course_is_refused(
    protocol: Protocol, course: int, day_number: int, why: str
) -> None:
    with pytest.raises(SequenceError, match=why):
        DayPlan(protocol, course, day_number, T0)


def test_a_planned_start_without_time_zone_is_refused(protocol: Protocol) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        DayPlan(protocol, 1, 1, datetime(2026, 11, 23, 8, 0))  # noqa: DTZ001


# -- progress ----------------------------------------------------------------------------------


def test_before_the_start_the_whole_bag_remains(protocol: Protocol) -> None:
    status = new_day(protocol, 4).status(at(0))

    assert status.infusion_state is IS.NOT_STARTED
    assert status.elapsed == timedelta(0)
    assert status.volume_infused_ml == 0
    assert status.remaining == 4 * HOUR
    assert status.expected_end == at(START + 240)
    assert status.rate_ml_h == 25


def test_elapsed_time_leaves_out_pauses(protocol: Protocol) -> None:
    day = replay(
        protocol,
        4,
        [STARTED, (E.INFUSION_PAUSED, START + 60, {}), (E.INFUSION_RESUMED, START + 90, {})],
    )

    status = day.status(at(START + 150))

    assert status.elapsed == 2 * HOUR
    assert status.volume_infused_ml == pytest.approx(50)
    assert status.remaining == 2 * HOUR
    assert local(status.expected_end) == "14:00"


def test_volume_follows_the_recorded_rates(protocol: Protocol) -> None:
    day = replay(protocol, 4, [STARTED, (E.RATE_CHANGED, START + 60, {"rate_ml_h": 50})])

    status = day.status(at(START + 120))

    assert status.rate_ml_h == 50
    assert status.elapsed == 2 * HOUR
    assert status.volume_infused_ml == pytest.approx(25 + 50)
    assert status.remaining == timedelta(minutes=30)
    assert local(status.expected_end) == "12:00"


def test_while_paused_the_time_remaining_holds_and_the_expected_end_moves(
    protocol: Protocol,
) -> None:
    day = replay(protocol, 4, [STARTED, PAUSED])

    first, later = day.status(at(START + 75)), day.status(at(START + 105))

    assert first.step is later.step is Step.INFUSION_PAUSED
    assert first.volume_infused_ml == later.volume_infused_ml == pytest.approx(25)
    assert first.remaining == later.remaining == 3 * HOUR
    assert local(first.expected_end) == "13:45"
    assert local(later.expected_end) == "14:15"


def test_a_rate_change_while_paused_applies_on_resuming(protocol: Protocol) -> None:
    day = replay(
        protocol,
        4,
        [
            STARTED,
            PAUSED,
            (E.RATE_CHANGED, START + 70, {"rate_ml_h": 15}),
            (E.INFUSION_RESUMED, START + 90, {}),
        ],
    )

    status = day.status(at(START + 150))

    assert status.volume_infused_ml == pytest.approx(25 + 15)
    assert status.remaining == 4 * HOUR


def test_a_completed_infusion_shows_nothing_remaining(protocol: Protocol) -> None:
    day = replay(protocol, 4, [STARTED, COMPLETED])

    status = day.status(at(START + 300))

    assert status.step is Step.OBSERVATION
    assert status.remaining == timedelta(0)
    assert status.volume_infused_ml == pytest.approx(100)
    assert status.elapsed == 4 * HOUR
    assert status.infusion_ended_at == at(START + 240)
    assert status.observation_may_end_at == at(START + 240 + 120)


def test_stopping_while_paused_does_not_count_the_pause_as_running(protocol: Protocol) -> None:
    day = replay(
        protocol,
        4,
        [STARTED, PAUSED, (E.INFUSION_STOPPED, START + 120, {"reason": "urticaria spreading"})],
    )

    status = day.status(at(START + 180))

    assert status.infusion_state is IS.STOPPED
    assert status.elapsed == HOUR
    assert status.volume_infused_ml == pytest.approx(25)
    assert status.observation_may_end_at == at(START + 120 + 120)


# -- the checklist -----------------------------------------------------------------------------

DAY_3_PLAN = [
    ("acyclovir", "08:00"),
    ("ranitidine", "08:00"),
    ("desloratadine", "08:00"),
    ("steroid", "08:30"),
    ("paracetamol", "09:00"),
    ("steroid-finish", "09:00"),
    ("vitals-before", "09:30"),
    ("infusion-start", "09:30"),
    ("vitals-1", "10:30"),
    ("vitals-2", "11:30"),
    ("vitals-3", "12:30"),
    ("vitals-4", "13:30"),
    ("infusion-end", "13:30"),
    ("platelets", "13:30"),
    ("vitals-5", "14:30"),
    ("observation-end", "15:30"),
]
DAY_4_PLAN = [
    (task, time)
    for task, time in DAY_3_PLAN
    if task not in {"steroid", "steroid-finish", "platelets"}
]


@pytest.mark.parametrize(("day_number", "plan"), [(3, DAY_3_PLAN), (4, DAY_4_PLAN)])
def test_the_checklist_is_planned_from_the_planned_start(
    protocol: Protocol, clock: ManualClock, day_number: int, plan: list[tuple[str, str]]
) -> None:
    status = InfusionDay(DayPlan(protocol, 1, day_number, clock.now())).status(clock.now())

    assert local_plan(status) == plan
    assert all(task.state is TaskState.PENDING for task in status.tasks[3:])


def test_the_plan_follows_a_late_steroid_start(protocol: Protocol) -> None:
    day = replay(
        protocol,
        1,
        [
            (E.PREMEDICATION_GIVEN, 0, {"task": "acyclovir"}),
            (E.STEROID_STARTED, 50, {"task": "steroid"}),
        ],
    )

    status = day.status(at(50))

    planned = dict(local_plan(status))
    assert status.task("acyclovir").state is status.task("steroid").state is TaskState.DONE
    assert planned["steroid"] == "08:50"
    assert planned["steroid-finish"] == "09:20"
    assert planned["paracetamol"] == "09:20"
    assert planned["vitals-before"] == planned["infusion-start"] == "09:50"
    assert planned["vitals-1"] == "10:50"
    assert planned["infusion-end"] == "13:50"
    assert planned["observation-end"] == "15:50"


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (timedelta(minutes=-16), TaskState.PENDING),
        (timedelta(minutes=-15, seconds=-1), TaskState.PENDING),
        (timedelta(minutes=-15), TaskState.DUE),
        (timedelta(0), TaskState.DUE),
        (timedelta(minutes=15), TaskState.DUE),
        (timedelta(minutes=15, seconds=1), TaskState.OVERDUE),
        (timedelta(hours=5), TaskState.OVERDUE),
    ],
)
def test_a_task_is_due_15_min_before_and_overdue_15_min_after_its_time(
    protocol: Protocol, clock: ManualClock, offset: timedelta, state: TaskState
) -> None:
    day = InfusionDay(DayPlan(protocol, 1, 1, clock.now()))
    steroid_planned = clock.now() + timedelta(minutes=30)

    clock.set(steroid_planned + offset)

    assert day.status(clock.now()).task("steroid").state is state


def test_done_tasks_show_who_did_them_and_when(protocol: Protocol, clock: ManualClock) -> None:
    day = InfusionDay(DayPlan(protocol, 1, 4, clock.now()))
    clock.advance(timedelta(minutes=5))
    day = record(day, E.PREMEDICATION_GIVEN, clock.now(), by="GH", task="ranitidine")
    clock.advance(timedelta(minutes=90))
    day = record(day, E.INFUSION_STARTED, clock.now(), batch="LOT-7731A", checked_by="CD")

    clock.advance(timedelta(hours=8))
    status = day.status(clock.now())

    ranitidine, start = status.task("ranitidine"), status.task("infusion-start")
    assert ranitidine.state is TaskState.DONE
    assert (ranitidine.done_by, local(ranitidine.done_at)) == ("GH", "08:05")
    assert start.state is TaskState.DONE
    assert (start.done_by, local(start.done_at)) == ("AB", "09:35")
    assert start.note == "batch LOT-7731A, checked by CD"
    assert status.task("acyclovir").state is TaskState.OVERDUE


def test_a_skipped_task_shows_the_reason(protocol: Protocol, clock: ManualClock) -> None:
    day = InfusionDay(DayPlan(protocol, 1, 4, clock.now()))

    day = record(
        day, E.TASK_SKIPPED, clock.now(), by="EF", task="desloratadine", reason="patient declined"
    )
    clock.advance(timedelta(hours=10))

    skipped = day.status(clock.now()).task("desloratadine")
    assert skipped.state is TaskState.SKIPPED
    assert skipped.note == "patient declined"
    assert skipped.done_by == "EF"


def test_the_next_task_is_the_earliest_open_one(protocol: Protocol, clock: ManualClock) -> None:
    day = InfusionDay(DayPlan(protocol, 1, 1, clock.now()))
    seen = []
    for task_id in ("acyclovir", "ranitidine", "desloratadine"):
        seen.append(day.status(clock.now()).next_task.id)
        day = record(day, E.PREMEDICATION_GIVEN, clock.now(), task=task_id)
    seen.append(day.status(clock.now()).next_task.id)
    day = record(day, E.TASK_SKIPPED, clock.now(), task="steroid", reason="by order, Dr. K")

    clock.advance(timedelta(hours=3))
    late = day.status(clock.now())

    assert seen == ["acyclovir", "ranitidine", "desloratadine", "steroid"]
    assert late.next_task.id == "paracetamol"
    assert late.next_task.state is TaskState.OVERDUE


def test_next_vitals_follow_the_nurse_and_end_an_hour_after_the_infusion(
    protocol: Protocol,
) -> None:
    day = replay(protocol, 4, [(E.VITALS_TAKEN, START - 5, {}), STARTED])
    due = [local(day.status(at(START)).next_vitals_due)]
    for minutes in (START + 70, START + 130, START + 190):
        day = record(day, E.VITALS_TAKEN, at(minutes))
        due.append(local(day.status(at(minutes)).next_vitals_due))
    day = record(day, E.INFUSION_COMPLETED, at(START + 240))
    due.append(local(day.status(at(START + 240)).next_vitals_due))
    day = record(day, E.VITALS_TAKEN, at(START + 250))
    due.append(local(day.status(at(START + 250)).next_vitals_due))
    day = record(day, E.VITALS_TAKEN, at(START + 300))

    assert due == ["10:30", "11:40", "12:40", "13:40", "13:40", "14:30"]
    assert day.status(at(START + 300)).next_vitals_due is None


def test_a_30_min_pause_moves_the_end_and_the_final_vitals(protocol: Protocol) -> None:
    day = replay(
        protocol,
        4,
        [
            (E.VITALS_TAKEN, START - 5, {}),
            STARTED,
            (E.VITALS_TAKEN, START + 60, {}),
            (E.INFUSION_PAUSED, START + 70, {}),
            (E.INFUSION_RESUMED, START + 100, {}),
        ],
    )
    resumed = day.status(at(START + 100))
    ended = record(day, E.INFUSION_COMPLETED, at(START + 270)).status(at(START + 270))

    for status in (resumed, ended):
        final = [task for task in status.tasks if task.kind is TaskKind.VITALS][-1]
        assert (final.title, local(final.planned_at)) == ("Vital signs after the infusion", "15:00")
        assert local(status.task("infusion-end").planned_at) == "14:00"
        assert local(status.task("observation-end").planned_at) == "16:00"
    assert local(ended.observation_may_end_at) == "16:00"


def test_vitals_taken_in_the_minute_of_the_start_are_the_vitals_before_it(
    protocol: Protocol,
) -> None:
    day = replay(protocol, 4, [(E.VITALS_TAKEN, START, {}), STARTED])

    status = day.status(at(START + 30))

    assert status.task("vitals-before").state is TaskState.DONE
    assert status.task("vitals-1").state is TaskState.PENDING
    assert local(status.next_vitals_due) == "10:30"


@pytest.mark.parametrize(
    ("entries", "task"),
    [
        ([(E.VITALS_TAKEN, START - 5, {})], "vitals-before"),
        ([(E.VITALS_TAKEN, START - 5, {}), STARTED, (E.VITALS_TAKEN, START + 60, {})], "vitals-1"),
        ([(E.PREMEDICATION_GIVEN, START - 30, {"task": "paracetamol"})], "paracetamol"),
    ],
)
def test_a_task_already_done_cannot_be_skipped(
    protocol: Protocol, entries: list[Entry], task: str
) -> None:
    day = replay(protocol, 4, entries)
    now = at(START + 65)

    refusal = f"{task} (was already recorded|is not the next set of vital signs due)"
    with pytest.raises(SequenceError, match=refusal):
        record(day, E.TASK_SKIPPED, now, task=task, reason="entered by mistake")

    assert day.status(now).task(task).state is TaskState.DONE


@pytest.mark.parametrize(
    ("course", "day_number", "platelets"),
    [
        (1, 1, False),
        (1, 2, False),
        (1, 3, True),
        (1, 4, False),
        (1, 5, True),
        (2, 1, False),
        (2, 2, False),
        (2, 3, True),
        (3, 3, True),
    ],
)
def test_platelets_are_counted_after_course_1_days_3_and_5_and_later_day_3(
    protocol: Protocol, course: int, day_number: int, platelets: bool
) -> None:
    status = new_day(protocol, day_number, course=course).status(at(0))

    labs = [task for task in status.tasks if task.kind is TaskKind.LAB]

    if platelets:
        assert [(lab.id, lab.title) for lab in labs] == [
            ("platelets", "Platelet count after the infusion")
        ]
        assert labs[0].planned_at == status.task("infusion-end").planned_at
    else:
        assert labs == []


# -- whole days and courses --------------------------------------------------------------------


def test_the_ward_card_follows_a_steroid_day(protocol: Protocol, clock: ManualClock) -> None:
    day = InfusionDay(DayPlan(protocol, 1, 1, clock.now()))
    assert day.status(clock.now()).step is Step.PREPARATION

    _, log = run_day(day, clock)

    phases = [step for step, _ in itertools.groupby(status.step for _, status in log)]
    assert phases == [
        Step.PREPARATION,
        Step.STEROID,
        Step.READY,
        Step.INFUSION_RUNNING,
        Step.OBSERVATION,
        Step.DAY_COMPLETE,
    ]
    assert {task: status.step for task, status in log}["steroid-finish"] is Step.READY


@pytest.mark.parametrize(
    ("course", "first_day", "platelets"),
    [
        pytest.param(
            1,
            datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN),
            [False, False, True, False, True],
            id="course 1",
        ),
        pytest.param(
            2, datetime(2027, 11, 22, 8, 0, tzinfo=BERLIN), [False, False, True], id="course 2"
        ),
    ],
)
def test_a_whole_course_runs_day_by_day_to_the_end(
    protocol: Protocol,
    clock: ManualClock,
    course: int,
    first_day: datetime,
    platelets: list[bool],
) -> None:
    for number, with_platelets in enumerate(platelets, start=1):
        planned_start = (first_day + timedelta(days=number - 1)).astimezone(UTC)
        clock.set(planned_start)
        skip = {"desloratadine": "patient declined"} if number > 1 else {}

        day, _ = run_day(InfusionDay(DayPlan(protocol, course, number, planned_start)), clock, skip)

        status = day.status(clock.now())
        tasks = {task.id: task for task in status.tasks}
        assert status.step is Step.DAY_COMPLETE, number
        assert status.next_task is None
        assert all(task.state in (TaskState.DONE, TaskState.SKIPPED) for task in status.tasks)
        assert status.steroid_state is (SS.FINISHED if number <= 3 else None)
        assert ("steroid" in tasks) == (number <= 3)
        assert ("platelets" in tasks) == with_platelets
        assert tasks["desloratadine"].state is (TaskState.SKIPPED if skip else TaskState.DONE)
        assert status.volume_infused_ml == pytest.approx(100)
        assert local(status.infusion_started_at) == "09:30"
        assert local(clock.now()) == "15:30"


# -- a day on which the clocks change ----------------------------------------------------------


@pytest.fixture(scope="module")
def eight_hours(protocol: Protocol) -> Protocol:
    """A site that gives alemtuzumab over 8 hours."""
    return replace(protocol, id="site-8h", infusion=replace(protocol.infusion, duration_min=480))


SPRING = datetime(2026, 3, 28, 23, 0, tzinfo=BERLIN)
AUTUMN = datetime(2026, 10, 24, 23, 0, tzinfo=BERLIN)
DST_DAYS = [
    pytest.param(
        SPRING,
        {
            "start": "00:30 CET",
            "vitals": "01:30 CET, 03:30 CEST, 04:30 CEST, 05:30 CEST, 06:30 CEST, 07:30 CEST, "
            "08:30 CEST, 09:30 CEST, 10:30 CEST",
            "end": "09:30 CEST",
            "may leave": "11:30 CEST",
        },
        id="spring forward",
    ),
    pytest.param(
        AUTUMN,
        {
            "start": "00:30 CEST",
            "vitals": "01:30 CEST, 02:30 CEST, 02:30 CET, 03:30 CET, 04:30 CET, 05:30 CET, "
            "06:30 CET, 07:30 CET, 08:30 CET",
            "end": "07:30 CET",
            "may leave": "09:30 CET",
        },
        id="fall back",
    ),
]


@pytest.mark.parametrize(("planned_start", "wall_clock"), DST_DAYS)
def test_a_day_on_which_the_clocks_change_runs_in_real_hours(
    eight_hours: Protocol, planned_start: datetime, wall_clock: dict[str, str]
) -> None:
    clock = ManualClock(planned_start, BERLIN)

    def shown(moment: datetime | None) -> str:
        assert moment is not None
        return f"{clock.local(moment):%H:%M %Z}"

    timer = time.perf_counter()
    day, log = run_day(InfusionDay(DayPlan(eight_hours, 1, 1, clock.now())), clock)
    took = time.perf_counter() - timer

    status = day.status(clock.now())
    hourly = [
        task for task in status.tasks if task.kind is TaskKind.VITALS and task.id != "vitals-before"
    ]
    planned = [task.planned_at.astimezone(UTC) for task in hourly]
    assert status.step is Step.DAY_COMPLETE
    assert shown(status.infusion_started_at) == wall_clock["start"]
    assert ", ".join(shown(task.done_at) for task in hourly) == wall_clock["vitals"]
    assert [b - a for a, b in itertools.pairwise(planned)] == [HOUR] * 8
    assert [at_set.elapsed for task, at_set in log if task in {t.id for t in hourly}] == [
        HOUR * n for n in (1, 2, 3, 4, 5, 6, 7, 8, 8)
    ]
    assert status.elapsed == 8 * HOUR
    assert status.infusion_ended_at - status.infusion_started_at == 8 * HOUR
    assert status.volume_infused_ml == pytest.approx(100)
    assert shown(status.infusion_ended_at) == wall_clock["end"]
    assert shown(status.observation_may_end_at) == wall_clock["may leave"]
    assert took < 1.0


@pytest.mark.parametrize("planned_start", [SPRING, AUTUMN], ids=["spring forward", "fall back"])
def test_times_given_in_local_time_plan_the_same_day_as_in_utc(
    eight_hours: Protocol, planned_start: datetime
) -> None:
    clock = ManualClock(planned_start, BERLIN)
    in_utc, log = run_day(InfusionDay(DayPlan(eight_hours, 1, 1, clock.now())), clock)
    moments = [status.at for _, status in log]

    in_local_time = InfusionDay(
        DayPlan(eight_hours, 1, 1, planned_start),
        [replace(entry, at=entry.at.astimezone(BERLIN)) for entry in in_utc.events],
    )
    not_started = InfusionDay(DayPlan(eight_hours, 1, 1, planned_start))

    assert utc_view(not_started.status(moments[0])) == utc_view(
        InfusionDay(DayPlan(eight_hours, 1, 1, planned_start.astimezone(UTC))).status(moments[0])
    )
    assert [utc_view(in_local_time.status(moment)) for moment in moments] == [
        utc_view(in_utc.status(moment)) for moment in moments
    ]


# -- properties over random sequences ----------------------------------------------------------

infusion_entries = st.lists(
    st.tuples(
        st.sampled_from(INFUSION_KINDS),
        st.integers(min_value=0, max_value=180),  # minutes after the previous entry
        st.sampled_from([None, 10.0, 25.0, 50.0, 200.0]),  # the rate given, if any
        st.booleans(),  # whether a reason is given
    ),
    max_size=14,
)


def random_entry(kind: EventKind, moment: datetime, rate: float | None, reasoned: bool) -> DayEvent:
    details: dict[str, Any] = {}
    if kind is E.INFUSION_STARTED:
        details = {"batch": "LOT-7731A", "checked_by": "CD", "rate_ml_h": rate}
    elif kind is E.RATE_CHANGED:
        details = {"rate_ml_h": rate or 40.0}
    if reasoned:
        details["reason"] = "as ordered by Dr. K"
    return event(kind, moment, **details)


@settings(max_examples=200, deadline=None)
@given(entries=infusion_entries)
def test_random_sequences_follow_the_table(
    protocol: Protocol, entries: list[tuple[EventKind, int, float | None, bool]]
) -> None:
    day = new_day(protocol, 4)
    state = IS.NOT_STARTED
    now = at(START)
    started: datetime | None = None
    for kind, gap, rate, reasoned in entries:
        now += timedelta(minutes=gap)
        entry = random_entry(kind, now, rate, reasoned)
        if (state, kind) not in INFUSION_TABLE:
            with pytest.raises(SequenceError):
                day.with_event(entry, now)
            continue
        try:
            day = day.with_event(entry, now)
        except SequenceError:
            continue
        state = INFUSION_TABLE[(state, kind)]
        started = started or now
        for moment in (now, now + 3 * HOUR):
            status = day.status(moment)
            assert status.infusion_state is state
            assert status.elapsed <= moment - started
            assert 0 <= status.volume_infused_ml <= status.volume_ml == 100


@settings(max_examples=200, deadline=None)
@given(entries=infusion_entries)
def test_random_sequences_infuse_what_ran_at_the_recorded_rates(
    protocol: Protocol, entries: list[tuple[EventKind, int, float | None, bool]]
) -> None:
    day = new_day(protocol, 4)
    now = at(START)
    stretches: list[tuple[datetime, datetime | None, float]] = []
    rate = 25.0
    for kind, gap, given_rate, reasoned in entries:
        now += timedelta(minutes=gap)
        try:
            day = day.with_event(random_entry(kind, now, given_rate, reasoned), now)
        except SequenceError:
            continue
        running = bool(stretches) and stretches[-1][1] is None
        if running:
            begun, _, old_rate = stretches[-1]
            stretches[-1] = (begun, now, old_rate)
        if kind is E.INFUSION_STARTED:
            rate = given_rate or rate
        elif kind is E.RATE_CHANGED:
            rate = given_rate or 40.0
        if kind in (E.INFUSION_STARTED, E.INFUSION_RESUMED) or (kind is E.RATE_CHANGED and running):
            stretches.append((now, None, rate))
        for moment in (now, now + 3 * HOUR):
            ran = [(begun, ended or moment, r) for begun, ended, r in stretches]
            status = day.status(moment)
            assert status.elapsed == sum((end - begun for begun, end, _ in ran), timedelta(0))
            infused = sum(r * (end - begun) / HOUR for begun, end, r in ran)
            assert status.volume_infused_ml == pytest.approx(min(100, infused))


def test_the_order_the_record_hands_events_over_in_does_not_matter(
    protocol: Protocol, clock: ManualClock
) -> None:
    day, _ = run_day(InfusionDay(DayPlan(protocol, 1, 3, clock.now())), clock)

    shuffled = InfusionDay(day.plan, list(reversed(day.events)))

    assert shuffled.status(clock.now()) == day.status(clock.now())
