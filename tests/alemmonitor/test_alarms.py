"""The alarm states: acknowledgement, latching, escalation, audio pause and its expiry, the log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alemmonitor.alarm_rules import Priority
from alemmonitor.alarms import (
    Alarm,
    AlarmAction,
    AlarmBoard,
    AlarmKind,
    AlarmLogEntry,
    AlarmState,
    Condition,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CHAIR = "chair-1"
OTHER_CHAIR = "chair-2"
DAY = "day-1"


def heart_rate(priority: Priority, value: float = 150) -> Condition:
    return Condition(
        "limit:hr", AlarmKind.PHYSIOLOGICAL, priority, f"Heart rate {value:.0f}", value
    )


def link_lost() -> Condition:
    return Condition("link", AlarmKind.TECHNICAL, Priority.MEDIUM, "Monitor link lost")


class Board:
    """A board with its log kept, and the time moved by the test."""

    def __init__(self) -> None:
        self.log: list[AlarmLogEntry] = []
        self.changes = 0
        self.now = T0
        self.board = AlarmBoard(
            pause_limit=timedelta(minutes=2), log=self.log.append, on_change=self._changed
        )

    def _changed(self) -> None:
        self.changes += 1

    def later(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def report(self, group: str, *conditions: Condition, chair: str = CHAIR) -> None:
        self.board.update(chair, DAY, group, conditions, self.now)

    def only(self, chair: str = CHAIR) -> Alarm:
        [alarm] = self.board.alarms(chair)
        return alarm

    def actions(self) -> list[tuple[AlarmAction, str]]:
        return [(line.action, line.by) for line in self.log]


@pytest.fixture
def ward() -> Board:
    return Board()


def test_a_condition_starts_an_audible_alarm_and_logs_it(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH))

    alarm = ward.only()
    assert (alarm.state, alarm.audible, alarm.priority) == (AlarmState.ACTIVE, True, Priority.HIGH)
    assert ward.board.sounding() is Priority.HIGH
    assert ward.actions() == [(AlarmAction.STARTED, "alarm system")]
    assert ward.log[0].bed_id == CHAIR
    assert ward.changes == 1


def test_the_same_condition_reported_again_is_the_same_alarm(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM, 125))
    first = ward.only()
    ward.later(1)
    ward.report("limit:hr", heart_rate(Priority.MEDIUM, 127))

    alarm = ward.only()
    assert alarm.id == first.id
    assert alarm.message == "Heart rate 127"
    assert ward.actions() == [(AlarmAction.STARTED, "alarm system")]


def test_acknowledging_silences_but_keeps_the_alarm_on_screen(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))

    assert ward.board.acknowledge(ward.only().id, "AB", ward.later(5))

    alarm = ward.only()
    assert (alarm.state, alarm.audible, alarm.acknowledged_by) == (
        AlarmState.ACKNOWLEDGED,
        False,
        "AB",
    )
    assert ward.board.sounding() is None
    assert ward.actions()[-1] == (AlarmAction.ACKNOWLEDGED, "AB")


def test_an_acknowledged_alarm_ends_when_its_condition_clears(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH))
    ward.board.acknowledge(ward.only().id, "AB", ward.later(5))

    ward.later(10)
    ward.report("limit:hr")

    assert ward.board.alarms() == []
    assert ward.actions()[-1] == (AlarmAction.ENDED, "alarm system")


def test_an_acknowledged_alarm_sounds_again_when_it_escalates(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM, 125))
    ward.board.acknowledge(ward.only().id, "AB", ward.later(5))

    ward.later(10)
    ward.report("limit:hr", heart_rate(Priority.HIGH, 145))

    alarm = ward.only()
    assert (alarm.state, alarm.audible, alarm.priority) == (
        AlarmState.ACTIVE,
        True,
        Priority.HIGH,
    )
    assert alarm.acknowledged_by is None
    assert ward.actions()[-1] == (AlarmAction.ESCALATED, "alarm system")


def test_a_lower_priority_keeps_the_acknowledgement(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH, 145))
    ward.board.acknowledge(ward.only().id, "AB", ward.later(5))

    ward.report("limit:hr", heart_rate(Priority.MEDIUM, 125))

    alarm = ward.only()
    assert (alarm.state, alarm.priority, alarm.audible) == (
        AlarmState.ACKNOWLEDGED,
        Priority.MEDIUM,
        False,
    )
    assert ward.actions()[-1] == (AlarmAction.LOWERED, "alarm system")


def test_a_high_alarm_nobody_saw_stays_latched_until_acknowledged(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH))
    ward.later(20)
    ward.report("limit:hr")

    alarm = ward.only()
    assert (alarm.state, alarm.present, alarm.audible) == (AlarmState.LATCHED, False, True)

    ward.board.acknowledge(alarm.id, "CD", ward.later(30))

    assert ward.board.alarms() == []
    assert ward.actions()[-3:] == [
        (AlarmAction.LATCHED, "alarm system"),
        (AlarmAction.ACKNOWLEDGED, "CD"),
        (AlarmAction.ENDED, "alarm system"),
    ]


def test_a_latched_alarm_whose_condition_returns_is_active_again(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH))
    ward.report("limit:hr")
    ward.report("limit:hr", heart_rate(Priority.HIGH))

    alarm = ward.only()
    assert (alarm.state, alarm.present) == (AlarmState.ACTIVE, True)


@pytest.mark.parametrize("priority", [Priority.MEDIUM, Priority.LOW])
def test_medium_and_low_alarms_end_by_themselves_when_their_condition_clears(
    ward: Board, priority: Priority
) -> None:
    ward.report("limit:hr", heart_rate(priority))
    ward.report("limit:hr")

    assert ward.board.alarms() == []
    assert [action for action, _ in ward.actions()] == [AlarmAction.STARTED, AlarmAction.ENDED]


def test_an_alarm_that_clears_and_returns_is_a_new_alarm(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))
    first = ward.only()
    ward.report("limit:hr")
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))

    assert ward.only().id != first.id


def test_an_audio_pause_silences_what_sounds_and_ends_by_itself(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH))
    until = ward.board.pause_audio("AB", ward.later(1))

    assert until == ward.now + timedelta(minutes=2)
    assert ward.board.sounding() is None
    assert ward.only().state is AlarmState.ACTIVE  # the visual signal stays

    ward.board.expire(ward.later(119))
    assert ward.board.sounding() is None
    ward.board.expire(ward.later(1))

    assert ward.board.sounding() is Priority.HIGH
    assert ward.board.audio_paused_until() is None
    assert ward.actions()[-2:] == [
        (AlarmAction.AUDIO_PAUSED, "AB"),
        (AlarmAction.AUDIO_RESUMED, "alarm system"),
    ]


def test_a_new_alarm_during_an_audio_pause_sounds(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))
    ward.board.pause_audio("AB", ward.later(1))

    ward.later(30)
    ward.report("link", link_lost(), chair=OTHER_CHAIR)

    [sounding] = [alarm for alarm in ward.board.alarms() if alarm.audible]
    assert sounding.bed_id == OTHER_CHAIR
    assert ward.board.sounding() is Priority.MEDIUM


def test_an_escalation_during_an_audio_pause_sounds(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))
    ward.board.pause_audio("AB", ward.later(1))

    ward.report("limit:hr", heart_rate(Priority.HIGH))

    assert ward.only().audible
    assert ward.board.sounding() is Priority.HIGH


def test_an_acknowledgement_does_not_mute_a_new_alarm_on_the_same_chair(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))
    ward.board.acknowledge_chair(CHAIR, "AB", ward.later(1))

    ward.report("link", link_lost())

    audible = [alarm.key for alarm in ward.board.alarms(CHAIR) if alarm.audible]
    assert audible == ["link"]


def test_an_audio_pause_can_be_ended_early(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH))
    ward.board.pause_audio("AB", ward.later(1))

    ward.board.resume_audio("AB", ward.later(10))

    assert ward.board.sounding() is Priority.HIGH
    assert ward.actions()[-1] == (AlarmAction.AUDIO_RESUMED, "AB")


def test_the_most_urgent_alarm_comes_first_across_the_ward(ward: Board) -> None:
    ward.report("link", link_lost())
    ward.later(5)
    ward.report("limit:hr", heart_rate(Priority.HIGH), chair=OTHER_CHAIR)
    ward.later(5)
    ward.report("limit:hr", heart_rate(Priority.HIGH))

    most = ward.board.most_urgent()
    assert most is not None
    assert (most.bed_id, most.priority) == (OTHER_CHAIR, Priority.HIGH)
    assert [(a.bed_id, a.key) for a in ward.board.alarms()] == [
        (OTHER_CHAIR, "limit:hr"),
        (CHAIR, "limit:hr"),
        (CHAIR, "link"),
    ]


def test_an_unacknowledged_alarm_comes_before_an_acknowledged_one_of_its_priority(
    ward: Board,
) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))
    ward.board.acknowledge(ward.only().id, "AB", ward.later(1))
    ward.later(60)
    ward.report("link", link_lost(), chair=OTHER_CHAIR)

    assert [a.bed_id for a in ward.board.alarms()] == [OTHER_CHAIR, CHAIR]


def test_a_one_off_deviation_ends_when_acknowledged_and_does_not_return(ward: Board) -> None:
    early = Condition(
        "process:steroid-interval:e1",
        AlarmKind.PROCESS,
        Priority.LOW,
        "started early",
        until_acknowledged=True,
    )
    ward.report("process", early)
    ward.board.acknowledge(ward.only().id, "AB", ward.later(1))

    ward.report("process", early)

    assert ward.board.alarms() == []
    # Once the deviation no longer stands, the same deviation again is a new alarm.
    ward.report("process")
    ward.report("process", early)
    assert ward.only().key == "process:steroid-interval:e1"


def test_one_groups_report_does_not_touch_another_groups_alarms(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))
    ward.report("link", link_lost())

    ward.report("link")

    assert [alarm.key for alarm in ward.board.alarms()] == ["limit:hr"]


def test_a_freed_chair_ends_its_alarms_saying_why(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH))
    ward.report("limit:hr", heart_rate(Priority.HIGH), chair=OTHER_CHAIR)

    ward.board.clear_chair(CHAIR, ward.later(1), "chair free")

    assert [alarm.bed_id for alarm in ward.board.alarms()] == [OTHER_CHAIR]
    assert ward.log[-1].action is AlarmAction.ENDED
    assert ward.log[-1].message.endswith("(chair free)")


def test_an_acknowledgement_names_the_nurse(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.HIGH))

    with pytest.raises(ValueError, match="names the nurse"):
        ward.board.acknowledge(ward.only().id, "  ", ward.now)
    assert ward.only().state is AlarmState.ACTIVE


def test_acknowledging_an_alarm_that_has_ended_says_so(ward: Board) -> None:
    ward.report("limit:hr", heart_rate(Priority.MEDIUM))
    alarm = ward.only()
    ward.report("limit:hr")

    assert not ward.board.acknowledge(alarm.id, "AB", ward.now)


# Any sequence of reports, acknowledgements and pauses keeps the board's promises.
_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("report"), st.sampled_from([None, *Priority])),
        st.tuples(st.just("acknowledge"), st.none()),
        st.tuples(st.just("pause"), st.none()),
        st.tuples(st.just("wait"), st.integers(1, 200)),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(steps=_STEPS)
def test_whatever_happens_the_board_keeps_its_promises(
    steps: list[tuple[str, Priority | int | None]],
) -> None:
    ward = Board()
    for action, argument in steps:
        before = {alarm.id: alarm for alarm in ward.board.alarms()}
        if action == "report":
            conditions = [heart_rate(argument)] if isinstance(argument, Priority) else []
            ward.report("limit:hr", *conditions)
            for alarm in ward.board.alarms():
                old = before.get(alarm.id)
                # A new or escalated alarm always sounds, whatever was paused or acknowledged.
                if old is None or alarm.priority > old.priority:
                    assert alarm.audible
        elif action == "acknowledge":
            ward.board.acknowledge_chair(CHAIR, "AB", ward.now)
            assert all(not alarm.audible for alarm in ward.board.alarms())
        elif action == "pause":
            ward.board.pause_audio("AB", ward.now)
            assert ward.board.sounding() is None
        else:
            assert isinstance(argument, int)
            ward.board.expire(ward.later(argument))
        paused = ward.board.audio_paused_until()
        assert paused is None or paused - ward.now <= timedelta(minutes=2)
        for alarm in ward.board.alarms():
            # Only a high-priority alarm outlives its condition, and only until acknowledged.
            if not alarm.present:
                assert alarm.priority is Priority.HIGH
                assert alarm.state is AlarmState.LATCHED
    # Every alarm that was started and is gone was logged as ended.
    started = {line.alarm_id for line in ward.log if line.action is AlarmAction.STARTED}
    ended = {line.alarm_id for line in ward.log if line.action is AlarmAction.ENDED}
    assert started - ended == {alarm.id for alarm in ward.board.alarms()}
