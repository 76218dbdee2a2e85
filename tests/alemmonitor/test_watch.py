"""Alarms from a real ward: limits (the site's and a patient's own), stale values, monitor links,
the day's process, NEWS2 from charted sets, the alemtuzumab warning, and the stored log."""

from __future__ import annotations

import queue
from datetime import date, timedelta
from pathlib import Path

import pytest

from alemmonitor.acquisition import Link, Recorder
from alemmonitor.alarm_rules import Priority, default_alarm_rules
from alemmonitor.alarms import Alarm, AlarmAction, AlarmKind, AlarmState
from alemmonitor.clock import ManualClock, to_iso
from alemmonitor.errors import EntryError
from alemmonitor.infusion_day import EventKind
from alemmonitor.monitoring import WardMonitors
from alemmonitor.patient_alarms import STOP_ADVICE, warning_checks
from alemmonitor.patients import PatientDraft
from alemmonitor.report_language import report_language
from alemmonitor.store import Store
from alemmonitor.texts import QT_TRANSLATE_NOOP
from alemmonitor.ward import Admission, Bed, Ward
from alemmonitor.watch import AlarmWatch, alarm_log
from devices.readings import Parameter, Reading
from devices.session import LinkState, ReadingBatch

NURSE = "AB"
SECOND_NURSE = "CD"
NORMAL_SET = {
    "hr": 78,
    "sbp": 124,
    "dbp": 76,
    "temp": 36.8,
    "spo2": 98,
    "rr": 14,
    "acvpu": 0,
    "o2_flow": 0,
}


@pytest.fixture
def chairs(ward: Ward) -> list[Bed]:
    return ward.ensure_beds(2, NURSE)


@pytest.fixture
def day(anna_day: Admission) -> Admission:
    return anna_day


@pytest.fixture
def watch(ward: Ward) -> AlarmWatch:
    return AlarmWatch(ward, default_alarm_rules())


def alarms(watch: AlarmWatch, day: Admission) -> list[tuple[str, Priority, AlarmState]]:
    assert day.bed_id is not None
    return [(a.key, a.priority, a.state) for a in watch.board.alarms(day.bed_id)]


def only(watch: AlarmWatch, day: Admission, key: str) -> Alarm:
    assert day.bed_id is not None
    [alarm] = [a for a in watch.board.alarms(day.bed_id) if a.key == key]
    return alarm


def reading(watch: AlarmWatch, clock: ManualClock, day: Admission, **values: float) -> None:
    assert day.bed_id is not None
    watch.on_readings(day.bed_id, day.id, values, clock.now())


def check(watch: AlarmWatch, ward: Ward) -> None:
    watch.check(ward.chairs(), ward.clock.now())


# -- limits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"hr": 120}, []),
        ({"hr": 121}, [("limit:hr", Priority.MEDIUM)]),
        ({"hr": 141}, [("limit:hr", Priority.HIGH)]),
        ({"hr": 44}, [("limit:hr", Priority.MEDIUM)]),
        ({"hr": 39}, [("limit:hr", Priority.HIGH)]),
        ({"spo2": 92}, []),
        ({"spo2": 91}, [("limit:spo2", Priority.MEDIUM)]),
        ({"spo2": 87}, [("limit:spo2", Priority.HIGH)]),
        ({"temp": 37.9}, []),
        ({"temp": 38.0}, [("limit:temp", Priority.LOW)]),
        ({"temp": 39.2}, [("limit:temp", Priority.MEDIUM)]),
        ({"temp": 40.1}, [("limit:temp", Priority.HIGH)]),
        ({"sbp": 79}, [("limit:sbp", Priority.HIGH)]),
        ({"rr": 30}, [("limit:rr", Priority.HIGH)]),
    ],
)
def test_a_reading_beyond_a_limit_alarms_at_that_levels_priority(
    watch: AlarmWatch,
    clock: ManualClock,
    day: Admission,
    values: dict[str, float],
    expected: list[tuple[str, Priority]],
) -> None:
    reading(watch, clock, day, **values)

    assert [(key, priority) for key, priority, _ in alarms(watch, day)] == expected


def test_the_alarm_says_what_was_measured_and_which_limit(
    watch: AlarmWatch, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, hr=142)

    assert only(watch, day, "limit:hr").message == "Heart rate 142 /min, above 140"


def test_a_value_back_in_range_ends_a_medium_alarm(
    watch: AlarmWatch, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, hr=125)
    clock.advance(timedelta(seconds=1))
    reading(watch, clock, day, hr=100)

    assert alarms(watch, day) == []


def test_readings_of_a_free_chair_raise_nothing(
    watch: AlarmWatch, clock: ManualClock, chairs: list[Bed]
) -> None:
    watch.on_readings(chairs[1].id, None, {"hr": 200}, clock.now())

    assert watch.board.alarms() == []


def test_a_patients_own_limit_replaces_the_sites_and_is_recorded_with_its_reason(
    watch: AlarmWatch, clock: ManualClock, day: Admission, store: Store
) -> None:
    reading(watch, clock, day, hr=125)
    assert [key for key, *_ in alarms(watch, day)] == ["limit:hr"]

    watch.set_limit(
        day, ("hr", "high", Priority.MEDIUM), 130, by=NURSE, reason="resting HR 115 on steroid"
    )

    assert alarms(watch, day) == []  # re-evaluated at once against the latest value
    reading(watch, clock, day, hr=131)
    assert [(k, p) for k, p, _ in alarms(watch, day)] == [("limit:hr", Priority.MEDIUM)]
    [row] = store.current("alarm_limits")
    assert (row["parameter"], row["side"], row["priority"], row["value"], row["reason"]) == (
        "hr",
        "high",
        "medium",
        130,
        "resting HR 115 on steroid",
    )
    assert watch.limits_for(day)["hr"].high.medium == 130


def test_changing_a_patients_limit_again_supersedes_the_last_change(
    watch: AlarmWatch, day: Admission, store: Store
) -> None:
    watch.set_limit(day, ("hr", "high", Priority.MEDIUM), 130, by=NURSE, reason="on steroid")
    watch.set_limit(day, ("hr", "high", Priority.MEDIUM), 125, by=SECOND_NURSE, reason="calmer")

    [current] = store.current("alarm_limits")
    assert (current["value"], current["entered_by"], current["correction_reason"]) == (
        125,
        SECOND_NURSE,
        "calmer",
    )
    assert len(store.history("alarm_limits", current["root_id"])) == 2


@pytest.mark.parametrize(
    ("level", "value", "reason", "field", "message"),
    [
        (("hr", "high", Priority.MEDIUM), 130, "  ", "reason", "say why"),
        (("hr", "high", Priority.HIGH), None, "quiet", "value", "not switched off"),
        (("hr", "high", Priority.MEDIUM), 400, "typo", "value", "impossible"),
        (("hr", "high", Priority.MEDIUM), 150, "wrong order", "value", "more urgent high"),
        (("hr", "low", Priority.MEDIUM), 125, "crossed", "value", "below the high limits"),
    ],
)
def test_a_wrong_limit_is_refused_naming_the_field_and_nothing_is_stored(  # noqa: PLR0917
    watch: AlarmWatch,
    day: Admission,
    store: Store,
    level: tuple[str, str, Priority],
    value: float | None,
    reason: str,
    field: str,
    message: str,
) -> None:
    with pytest.raises(EntryError) as refused:
        watch.set_limit(day, level, value, by=NURSE, reason=reason)

    assert any(p.field == field and message in p.message for p in refused.value.problems)
    assert store.current("alarm_limits") == []


def test_a_medium_level_may_be_switched_off_for_a_patient(
    watch: AlarmWatch, clock: ManualClock, day: Admission
) -> None:
    watch.set_limit(day, ("temp", "high", Priority.LOW), None, by=NURSE, reason="known 38.1")

    reading(watch, clock, day, temp=38.2)

    assert alarms(watch, day) == []


# -- stale values ---------------------------------------------------------------------------------


def test_a_stale_value_no_longer_holds_a_medium_alarm(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, hr=125)
    clock.advance(timedelta(seconds=60))
    check(watch, ward)
    assert [key for key, *_ in alarms(watch, day) if key.startswith("limit")] == ["limit:hr"]

    clock.advance(timedelta(seconds=1))
    check(watch, ward)

    assert [key for key, *_ in alarms(watch, day) if key.startswith("limit")] == []


def test_a_stale_high_alarm_nobody_saw_stays_latched(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, spo2=85)
    clock.advance(timedelta(seconds=61))
    check(watch, ward)

    alarm = only(watch, day, "limit:spo2")
    assert (alarm.state, alarm.present) == (AlarmState.LATCHED, False)


def test_blood_pressure_stays_current_between_cuff_measurements(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, sbp=85, dbp=50)
    clock.advance(timedelta(minutes=30))
    check(watch, ward)

    assert only(watch, day, "limit:sbp").present


# -- monitor links --------------------------------------------------------------------------------


def test_a_silent_monitor_on_an_occupied_chair_raises_a_technical_alarm(
    watch: AlarmWatch, ward: Ward, day: Admission
) -> None:
    assert day.bed_id is not None
    check(watch, ward)

    watch.on_link(day.bed_id, LinkState.SILENT, "no valid data for 10 s")

    alarm = only(watch, day, "link")
    assert (alarm.kind, alarm.priority) == (AlarmKind.TECHNICAL, Priority.MEDIUM)
    assert alarm.message == "Monitor silent: no readings (no valid data for 10 s)"

    watch.on_link(day.bed_id, LinkState.RECEIVING, "")
    assert alarms(watch, day) == []


def test_a_lost_monitor_on_a_free_chair_alarms_about_nobody(
    watch: AlarmWatch, ward: Ward, chairs: list[Bed]
) -> None:
    check(watch, ward)

    watch.on_link(chairs[1].id, LinkState.PORT_LOST, "device disconnected")
    check(watch, ward)

    assert watch.board.alarms() == []


def test_a_link_lost_before_the_patient_sat_down_alarms_once_the_day_starts(
    watch: AlarmWatch, ward: Ward, chairs: list[Bed]
) -> None:
    watch.on_link(chairs[1].id, LinkState.PORT_LOST, "device disconnected")
    patient = ward.register_patient(
        PatientDraft("P-2", "Ben Koch", date(1979, 1, 2), "male", 80.0), NURSE
    )
    ward.admit(
        patient,
        course_number=1,
        day_number=1,
        bed=chairs[1],
        planned_start=ward.clock.now(),
        by=NURSE,
    )

    check(watch, ward)

    [alarm] = watch.board.alarms(chairs[1].id)
    assert (alarm.key, alarm.message) == ("link", "Monitor link lost (device disconnected)")


# -- the day's process ----------------------------------------------------------------------------


def start_infusion(ward: Ward, clock: ManualClock, day: Admission, after_steroid_min: int) -> None:
    ward.record(day, EventKind.STEROID_STARTED, by=NURSE)
    clock.advance(timedelta(minutes=30))
    ward.record(day, EventKind.STEROID_FINISHED, by=NURSE)
    clock.advance(timedelta(minutes=after_steroid_min - 30))
    ward.record(
        day, EventKind.INFUSION_STARTED, by=NURSE, batch="B-2026-11", checked_by=SECOND_NURSE
    )


def test_overdue_vital_signs_raise_one_medium_process_alarm(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    ward.record_vitals(day, NORMAL_SET, by=NURSE)
    start_infusion(ward, clock, day, after_steroid_min=60)
    clock.advance(timedelta(minutes=60 + 16))

    check(watch, ward)

    alarm = only(watch, day, "process:vitals-overdue")
    assert (alarm.kind, alarm.priority) == (AlarmKind.PROCESS, Priority.MEDIUM)
    assert alarm.message.startswith("Overdue: Vital signs, 1 h into the infusion (planned")

    ward.record_vitals(day, NORMAL_SET, by=NURSE)
    check(watch, ward)
    # (The premedication nobody recorded is still late: that is a low alarm of its own.)
    assert [key for key, *_ in alarms(watch, day)] == ["process:tasks-overdue"]


def test_late_premedication_is_one_low_alarm_listing_every_late_step(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    clock.advance(timedelta(minutes=16))

    check(watch, ward)

    alarm = only(watch, day, "process:tasks-overdue")
    assert alarm.priority is Priority.LOW
    for drug in ("acyclovir", "ranitidine", "desloratadine"):
        assert drug in alarm.message


def test_an_infusion_running_long_past_its_planned_time_alarms(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    start_infusion(ward, clock, day, after_steroid_min=60)
    ward.record(day, EventKind.INFUSION_PAUSED, by=NURSE, reason="chills")
    clock.advance(timedelta(minutes=4 * 60 + 30))
    check(watch, ward)
    assert [k for k, *_ in alarms(watch, day) if k == "process:infusion-overrun"] == []

    clock.advance(timedelta(minutes=1))
    check(watch, ward)

    alarm = only(watch, day, "process:infusion-overrun")
    assert alarm.message == "Alemtuzumab running 4 h 31 min; planned 4 h"


def test_alemtuzumab_started_too_soon_after_the_steroid_alarms_until_acknowledged(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    start_infusion(ward, clock, day, after_steroid_min=40)

    check(watch, ward)

    [alarm] = [a for a in watch.board.alarms(day.bed_id) if "steroid-interval" in a.key]
    assert alarm.message == (
        "Alemtuzumab started 40 min after methylprednisolone; the protocol asks for 1 h"
    )
    watch.board.acknowledge(alarm.id, NURSE, clock.now())
    clock.advance(timedelta(seconds=5))
    check(watch, ward)
    assert [a for a in watch.board.alarms(day.bed_id) if "steroid-interval" in a.key] == []


def test_alemtuzumab_waiting_long_after_the_steroid_alarms(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    ward.record(day, EventKind.STEROID_STARTED, by=NURSE)
    clock.advance(timedelta(minutes=121))

    check(watch, ward)

    alarm = only(watch, day, "process:steroid-interval:waiting")
    assert alarm.message == (
        "Alemtuzumab not started 2 h 01 min after methylprednisolone (planned after 1 h)"
    )


def test_an_observation_ended_before_its_minimum_alarms_until_acknowledged(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    start_infusion(ward, clock, day, after_steroid_min=60)
    clock.advance(timedelta(minutes=240))
    ward.record(day, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(minutes=80))
    ward.record(day, EventKind.OBSERVATION_ENDED, by=NURSE, reason="transport home waiting")

    check(watch, ward)

    [alarm] = [a for a in watch.board.alarms(day.bed_id) if "observation-short" in a.key]
    assert alarm.priority is Priority.MEDIUM
    assert alarm.message == (
        "Observation ended 40 min before its minimum of 2 h (transport home waiting)"
    )


def test_a_discharged_chair_ends_its_alarms(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, hr=150)
    check(watch, ward)

    ward.discharge(day, by=NURSE, reason="went home early, physician informed")
    check(watch, ward)

    assert watch.board.alarms() == []
    log = alarm_log(ward, day.id)
    assert log[-1].action is AlarmAction.ENDED
    assert log[-1].message.endswith("(chair free)")


# -- NEWS2 ----------------------------------------------------------------------------------------


def test_a_charted_set_is_scored_and_its_band_alarms(
    watch: AlarmWatch, ward: Ward, day: Admission
) -> None:
    # RR 25 (3), SpO2 93 (2), air (0), SBP 105 (1), pulse 112 (2), alert (0), 38.5 °C (1) = 9
    ward.record_vitals(
        day,
        {**NORMAL_SET, "rr": 25, "spo2": 93, "sbp": 105, "hr": 112, "temp": 38.5},
        by=NURSE,
    )

    scored = watch.on_charted_set(day)

    assert scored is not None
    assert scored.score is not None
    assert scored.score.aggregate == 9
    alarm = only(watch, day, "news2")
    assert alarm.priority is Priority.HIGH
    assert alarm.message.startswith("NEWS2 9 (high): Emergency response")


def test_a_newer_lower_score_ends_the_news2_alarm(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    ward.record_vitals(day, {**NORMAL_SET, "rr": 26, "hr": 115}, by=NURSE)  # 3 + 2
    watch.on_charted_set(day)
    assert only(watch, day, "news2").priority is Priority.MEDIUM
    # A medium alarm acknowledged stays on screen, silent, while the score holds.
    watch.board.acknowledge(only(watch, day, "news2").id, NURSE, clock.now())

    clock.advance(timedelta(minutes=30))
    ward.record_vitals(day, NORMAL_SET, by=NURSE)
    watch.on_charted_set(day)

    assert alarms(watch, day) == []


def test_a_single_parameter_scoring_3_raises_a_low_alarm(
    watch: AlarmWatch, ward: Ward, day: Admission
) -> None:
    ward.record_vitals(day, {**NORMAL_SET, "acvpu": 1}, by=NURSE)  # new confusion: 3

    watch.on_charted_set(day)

    assert only(watch, day, "news2").priority is Priority.LOW


def test_an_incomplete_latest_set_says_what_news2_lacks(
    watch: AlarmWatch, ward: Ward, day: Admission
) -> None:
    ward.record_vitals(day, {"hr": 80, "sbp": 120, "dbp": 70, "temp": 36.9}, by=NURSE)

    scored = watch.on_charted_set(day)

    assert scored is not None
    assert scored.score is None
    assert set(scored.missing) == {"rr", "spo2", "o2_flow", "acvpu"}


def test_spo2_scale_2_prescribed_for_a_patient_rescores_the_set(
    watch: AlarmWatch, ward: Ward, day: Admission, store: Store
) -> None:
    ward.record_vitals(day, {**NORMAL_SET, "spo2": 89}, by=NURSE)  # scale 1: 3; scale 2: 0
    assert only(watch, day, "news2") if watch.on_charted_set(day) else False

    watch.set_spo2_scale(day, 2, by=NURSE, reason="COPD, hypercapnic, target 88-92 %")

    scored = watch.news2_of(day)
    assert scored is not None
    assert scored.score is not None
    assert (scored.score.aggregate, scored.score.scale) == (0, 2)
    assert alarms(watch, day) == []
    [row] = store.current("spo2_scales")
    assert row["reason"] == "COPD, hypercapnic, target 88-92 %"


# -- the alemtuzumab warning ----------------------------------------------------------------------


def test_a_high_blood_pressure_opens_the_warning(
    watch: AlarmWatch, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, sbp=186, dbp=104)

    alarm = only(watch, day, "warning")
    assert alarm.priority is Priority.HIGH
    assert alarm.message.startswith("Blood pressure 186/104 mmHg (systolic 186 mmHg)")


def test_a_sudden_rise_opens_the_warning_below_the_high_limit(
    watch: AlarmWatch, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, sbp=122, dbp=75)
    clock.advance(timedelta(minutes=30))
    reading(watch, clock, day, sbp=150, dbp=85)
    assert [key for key, *_ in alarms(watch, day)] == []

    clock.advance(timedelta(minutes=15))
    reading(watch, clock, day, sbp=154, dbp=88)

    assert "systolic up 32 mmHg within 60 min" in only(watch, day, "warning").message


def test_a_rise_spread_over_more_than_the_window_does_not_warn(
    watch: AlarmWatch, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, sbp=120, dbp=75)
    clock.advance(timedelta(minutes=61))
    reading(watch, clock, day, sbp=155, dbp=85)

    assert [key for key, *_ in alarms(watch, day)] == []


def test_a_checklist_without_signs_answers_the_warning_and_is_recorded(
    watch: AlarmWatch, clock: ManualClock, ward: Ward, day: Admission
) -> None:
    reading(watch, clock, day, sbp=186, dbp=104)
    signs = [sign.id for sign in watch.rules.warning.signs]

    watch.record_warning_check(
        day, dict.fromkeys(signs, False), trigger="blood pressure 186/104", by=NURSE
    )

    # The checklist answers the warning; the pressure itself still alarms against its limit.
    assert [key for key, *_ in alarms(watch, day)] == ["limit:sbp"]
    [check_] = warning_checks(ward.store, day.id)
    assert (check_.positive, check_.advice, check_.by) == ([], "", NURSE)
    assert set(check_.answers) == set(signs)


def test_a_sign_present_says_stop_the_infusion_and_call_the_physician(
    watch: AlarmWatch, ward: Ward, day: Admission
) -> None:
    signs = [sign.id for sign in watch.rules.warning.signs]
    answers = dict.fromkeys(signs, False) | {"face": True}

    recorded = watch.record_warning_check(day, answers, trigger="nurse's report", by=NURSE)

    assert recorded.positive == ["face"]
    assert recorded.advice == STOP_ADVICE
    # Read back, the advice is the translatable text again: a German report reads it in German.
    [stored] = warning_checks(ward.store, day.id)
    assert report_language("de")(stored.advice) == (
        "Infusion stoppen und sofort die Ärztin oder den Arzt rufen."
    )
    [alarm] = watch.board.alarms(day.bed_id)
    assert alarm.priority is Priority.HIGH
    assert alarm.message == f"Warning signs: Face drooping on one side. {STOP_ADVICE}"


def test_a_checklist_with_a_sign_unanswered_is_refused_and_nothing_stored(
    watch: AlarmWatch, ward: Ward, day: Admission
) -> None:
    signs = [sign.id for sign in watch.rules.warning.signs]
    answers: dict[str, bool | None] = dict.fromkeys(signs, False)
    answers["speech"] = None

    with pytest.raises(EntryError) as refused:
        watch.record_warning_check(day, answers, trigger="nurse's report", by=NURSE)

    assert [p.field for p in refused.value.problems] == ["speech"]
    assert warning_checks(ward.store, day.id) == []


# -- the log --------------------------------------------------------------------------------------


def test_every_start_acknowledgement_and_end_is_in_the_stored_log(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, hr=150)
    clock.advance(timedelta(seconds=3))
    watch.board.acknowledge(only(watch, day, "limit:hr").id, SECOND_NURSE, clock.now())
    clock.advance(timedelta(seconds=3))
    reading(watch, clock, day, hr=90)

    log = alarm_log(ward, day.id)

    assert [(line.action, line.by, line.priority) for line in log] == [
        (AlarmAction.STARTED, "alarm system", Priority.HIGH),
        (AlarmAction.ACKNOWLEDGED, SECOND_NURSE, Priority.HIGH),
        (AlarmAction.ENDED, "alarm system", Priority.HIGH),
    ]
    assert [line.at for line in log] == [
        clock.now() - timedelta(seconds=6),
        clock.now() - timedelta(seconds=3),
        clock.now(),
    ]


def test_the_stored_log_keeps_each_message_to_be_read_in_another_language(
    watch: AlarmWatch, ward: Ward, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, hr=142)
    assert day.bed_id is not None
    watch.board.clear_chair(day.bed_id, clock.now(), QT_TRANSLATE_NOOP("Alarm", "chair free"))
    # A line logged before messages were kept as texts has only its English words.
    ward.store.add_records(
        "alarm_events",
        [
            {
                "id": "old",
                "at": to_iso(clock.now()),
                "action": "audio paused",
                "day_id": day.id,
                "message": "until 10:32",
                "by": NURSE,
            }
        ],
        NURSE,
    )

    started, ended, older = alarm_log(ward, day.id)

    german = report_language("de")
    assert german(started.message) == "Herzfrequenz 142 /min, über 140"
    assert german(ended.message) == "Herzfrequenz 142 /min, über 140 (Stuhl frei)"
    assert (older.action, older.message) == (AlarmAction.AUDIO_PAUSED, "until 10:32")


def test_a_value_wavering_at_a_limit_is_one_alarm_not_many(
    watch: AlarmWatch, clock: ManualClock, day: Admission, ward: Ward
) -> None:
    for hr in (121, 119, 122, 118, 121, 119):  # around the limit of 120, within 3 of it
        reading(watch, clock, day, hr=hr)
        clock.advance(timedelta(seconds=5))
    assert [(k, p) for k, p, _ in alarms(watch, day)] == [("limit:hr", Priority.MEDIUM)]

    reading(watch, clock, day, hr=116)  # back inside by more than the hysteresis of 3

    assert alarms(watch, day) == []
    started = [line for line in alarm_log(ward, day.id) if line.action is AlarmAction.STARTED]
    assert len(started) == 1


def test_a_high_level_holds_within_its_hysteresis_then_lowers(
    watch: AlarmWatch, clock: ManualClock, day: Admission
) -> None:
    reading(watch, clock, day, hr=141)
    reading(watch, clock, day, hr=138)  # within 3 of 140: still high
    assert only(watch, day, "limit:hr").priority is Priority.HIGH

    reading(watch, clock, day, hr=136)

    assert only(watch, day, "limit:hr").priority is Priority.MEDIUM


# -- catching up with what came before the watch listened ---------------------------------------


def stored_by_monitor(
    ward: Ward, day_id: str | None, bed_id: str, ago: timedelta, **values: float
) -> None:
    """Values a monitor stored through the acquisition path, `ago` before now."""
    recorder = Recorder(
        ward.store, Link("masimo", "loop://", bed_id), resolve_day=lambda: day_id, source="masimo"
    )
    units = {"hr": "/min", "spo2": "%", "sbp": "mmHg", "dbp": "mmHg"}
    readings = tuple(
        Reading(Parameter(name), value, units[name], None, "masimo")
        for name, value in values.items()
    )
    recorder.on_readings(ReadingBatch(readings, (), (), ward.clock.now() - ago, 0.0))


def test_values_stored_before_the_watch_listened_alarm_once_it_catches_up(
    watch: AlarmWatch, ward: Ward, day: Admission
) -> None:
    assert day.bed_id is not None
    stored_by_monitor(ward, day.id, day.bed_id, timedelta(seconds=20), hr=150, spo2=86, sbp=185)
    monitors = WardMonitors(ward)
    watch.listen_to(monitors)
    assert alarms(watch, day) == []

    watch.catch_up(monitors, ward.chairs())
    watch.catch_up(monitors, ward.chairs())  # a second look raises nothing twice

    assert sorted((k, p) for k, p, _ in alarms(watch, day)) == [
        ("limit:hr", Priority.HIGH),
        ("limit:sbp", Priority.MEDIUM),
        ("limit:spo2", Priority.HIGH),
        ("warning", Priority.HIGH),
    ]
    started = [line for line in alarm_log(ward, day.id) if line.action is AlarmAction.STARTED]
    assert len(started) == 4


def test_catching_up_skips_values_no_longer_current_or_of_another_day_or_heard_since(
    watch: AlarmWatch, ward: Ward, day: Admission, clock: ManualClock
) -> None:
    assert day.bed_id is not None
    # Before Anna's day: the chair's monitor while the chair was free.
    stored_by_monitor(ward, None, day.bed_id, timedelta(seconds=10), spo2=80)
    # Two minutes old: a heart rate is current for 60 s only.
    stored_by_monitor(ward, day.id, day.bed_id, timedelta(minutes=2), hr=150)
    stored_by_monitor(ward, day.id, day.bed_id, timedelta(seconds=30), sbp=70)
    monitors = WardMonitors(ward)
    watch.listen_to(monitors)
    # A live value heard after the watch listened, newer than the record's 70 mmHg.
    reading(watch, clock, day, sbp=118)

    watch.catch_up(monitors, ward.chairs())

    assert alarms(watch, day) == []


def test_a_charted_set_scoring_high_before_the_watch_listened_alarms_once_it_catches_up(
    watch: AlarmWatch, ward: Ward, day: Admission
) -> None:
    ward.record_vitals(day, {**NORMAL_SET, "hr": 135, "rr": 26, "spo2": 90}, by=NURSE)
    monitors = WardMonitors(ward)
    watch.listen_to(monitors)

    watch.catch_up(monitors, ward.chairs())

    assert only(watch, day, "news2").priority is Priority.HIGH


def test_a_monitor_unreachable_before_the_watch_listened_alarms_once_it_catches_up(
    watch: AlarmWatch, ward: Ward, day: Admission, chairs: list[Bed], tmp_path: Path
) -> None:
    monitors = WardMonitors(ward)
    changed: queue.Queue[str] = queue.Queue()
    monitors.on_change = changed.put
    monitors.connect(chairs[0], "masimo", str(tmp_path / "no-such-port"))
    try:
        while (link := monitors.link(chairs[0].id)) is None or link.state is None:
            changed.get(timeout=10)
        assert link.state is LinkState.PORT_UNAVAILABLE
        watch.listen_to(monitors)

        watch.catch_up(monitors, ward.chairs())

        alarm = only(watch, day, "link")
        assert alarm.priority is Priority.MEDIUM
        assert alarm.message.startswith("Monitor cannot be reached")
    finally:
        monitors.stop()
