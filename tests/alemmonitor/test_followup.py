"""The follow-up after a course: the plan's dates across month ends, leap years and courses that
end early; the plan laid out when a course ends; the unit's worklist; results against a slot."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alemmonitor.clock import ManualClock
from alemmonitor.errors import EntryError, SequenceError
from alemmonitor.followup import (
    FollowUpPlan,
    SlotState,
    courses_under_way,
    current_plan,
    end_course,
    plans_of,
    record_slot_results,
    required_for,
    skip_slots,
    slot_statuses,
    worklist,
)
from alemmonitor.followup_plan import (
    FollowUpFileError,
    Slot,
    add_months,
    default_followup,
    default_followup_path,
    parse_followup,
)
from alemmonitor.infusion_day import EventKind
from alemmonitor.labs import SamplingPoint
from alemmonitor.labs_entry import assess_results
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.store import Store
from alemmonitor.ward import Ward
from tests.infusions import give_course, give_day

NURSE = "AB"
SECOND_NURSE = "KM"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def clock() -> ManualClock:
    """Early on the morning of the first day of the year's first course."""
    return ManualClock(datetime(2026, 1, 5, 7, 0, tzinfo=BERLIN), BERLIN)


def dates(test: str, first: date, last: date, course: int = 1) -> list[date]:
    return [s.due for s in default_followup().slots(first, last, course) if s.test == test]


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),  # 2032 is a leap year again
        (date(2026, 10, 31), 1, date(2026, 11, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
    ],
)
def test_months_end_on_the_last_day_of_a_month_that_is_shorter(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_after_a_first_course_the_blood_count_is_every_15_days_for_3_months_then_monthly() -> None:
    first, last = date(2026, 1, 5), date(2026, 1, 9)

    blood_counts = dates("blood_count", first, last)

    assert blood_counts[:6] == [
        date(2026, 1, 20),
        date(2026, 2, 4),
        date(2026, 2, 19),
        date(2026, 3, 6),
        date(2026, 3, 21),
        date(2026, 4, 5),  # 90 days: 3 months after the first infusion, that day included
    ]
    # Then monthly from the last infusion, until 48 months after it.
    assert blood_counts[6:9] == [date(2026, 4, 9), date(2026, 5, 9), date(2026, 6, 9)]
    assert blood_counts[-1] == date(2030, 1, 9)
    assert len(blood_counts) == 6 + 46


def test_creatinine_and_urinalysis_are_monthly_and_tsh_every_3_months_for_48_months() -> None:
    first, last = date(2026, 1, 5), date(2026, 1, 9)

    creatinine = dates("creatinine", first, last)

    assert creatinine == dates("urinalysis", first, last)
    assert creatinine[:3] == [date(2026, 2, 9), date(2026, 3, 9), date(2026, 4, 9)]
    assert len(creatinine) == 48
    assert creatinine[-1] == date(2030, 1, 9)
    tsh = dates("tsh", first, last)
    assert tsh[:2] == [date(2026, 4, 9), date(2026, 7, 9)]
    assert (len(tsh), tsh[-1]) == (16, date(2030, 1, 9))


def test_monthly_dates_from_the_31st_keep_to_the_months_ends_without_drifting() -> None:
    creatinine = dates("creatinine", date(2027, 1, 27), date(2027, 1, 31))

    assert creatinine[:6] == [
        date(2027, 2, 28),
        date(2027, 3, 31),  # counted from the start, not from 28 February
        date(2027, 4, 30),
        date(2027, 5, 31),
        date(2027, 6, 30),
        date(2027, 7, 31),
    ]
    assert date(2028, 2, 29) in creatinine  # the leap day of 2028
    assert creatinine[-1] == date(2031, 1, 31)


def test_15_day_counts_across_a_leap_day_count_it() -> None:
    blood_counts = dates("blood_count", date(2028, 2, 14), date(2028, 2, 18))

    assert blood_counts[:3] == [date(2028, 2, 29), date(2028, 3, 15), date(2028, 3, 30)]
    assert blood_counts[5] == date(2028, 5, 14)  # 3 months after 14 February


def test_after_a_later_course_there_are_no_15_day_counts() -> None:
    blood_counts = dates("blood_count", date(2027, 2, 1), date(2027, 2, 3), course=2)

    assert blood_counts[:2] == [date(2027, 3, 3), date(2027, 4, 3)]
    assert len(blood_counts) == 48


def test_a_test_due_twice_on_one_day_is_one_slot() -> None:
    slots = default_followup().slots(date(2026, 1, 5), date(2026, 1, 9), 1)

    assert len({s.key for s in slots}) == len(slots)
    assert [s.key for s in slots if s.due == date(2026, 4, 9)] == [
        "blood_count:2026-04-09",
        "creatinine:2026-04-09",
        "urinalysis:2026-04-09",
        "tsh:2026-04-09",
    ]


# -- the site's plan file --------------------------------------------------------------------------


def site_plan(change: str, replacement: str) -> str:
    text = default_followup_path().read_text(encoding="utf-8")
    assert change in text
    return text.replace(change, replacement, 1)


@pytest.mark.parametrize(
    ("change", "replacement", "problem"),
    [
        ("analytes: [creatinine]", "analytes: [kreatinin]",
         "tests.creatinine.analytes.0: 'kreatinin' is not an analyte"),
        ("not_while: early-blood-count", "not_while: early-counts",
         "schedule.1.not_while: 'early-counts' is not another line"),
        ("    every_months: 3\n", "    every_months: 3\n    every_days: 90\n",
         "schedule.2: Value error, give either every_days or every_months"),
        ("tests: [tsh]", "tests: [thyroid]",
         "schedule.2.tests.0: 'thyroid' is not a test of tests"),
        ("serum creatinine: Kreatinin im Serum", "creatinine: Kreatinin",
         "translations.de.creatinine: 'creatinine' is not a test's name"),
    ],
)  # fmt: skip
def test_a_site_plan_with_a_mistake_is_refused_naming_file_line_and_field(
    change: str, replacement: str, problem: str
) -> None:
    text = site_plan(change, replacement)

    with pytest.raises(FollowUpFileError) as refused:
        parse_followup(text, "site-followup.yaml")

    [message] = refused.value.problems
    line = text[: text.index(replacement)].count("\n") + 1
    assert message.startswith("site-followup.yaml:")
    assert problem in message
    assert abs(int(message.split(":")[1]) - line) <= 6


# -- a course ends -------------------------------------------------------------------------------


@pytest.fixture
def anna(ward: Ward) -> Patient:
    return ward.register_patient(
        PatientDraft("P-3001", "Anna Lange", date(1986, 7, 9), "female"), NURSE
    )


def test_the_end_of_the_last_infusion_of_a_course_lays_out_its_follow_up_plan(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient
) -> None:
    admissions = give_course(ward, clock, anna, days=4)
    assert plans_of(ward, anna.id) == []

    last = give_day(ward, clock, anna, 1, 5, end=False)
    ward.record(last, EventKind.INFUSION_COMPLETED, by=SECOND_NURSE)

    [plan] = plans_of(ward, anna.id)
    assert (plan.first_infusion, plan.last_infusion) == (admissions[0].date, last.date)
    assert (plan.course_number, plan.ended_early, plan.laid_out_by) == (1, False, SECOND_NURSE)
    assert plan.slots()[0] == Slot("blood_count", admissions[0].date + timedelta(days=15),
                                   "early-blood-count")  # fmt: skip
    [row] = store.current("followup_plans")
    ended = store.current("events", "kind = 'infusion_completed' AND day_id = ?", (last.id,))
    assert row["ended_by_event"] == ended[0]["root_id"]


def test_an_infusion_stopped_early_on_the_last_day_ends_the_course_too(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    give_course(ward, clock, anna, days=4)
    last = give_day(ward, clock, anna, 1, 5, end=False)

    ward.record(last, EventKind.INFUSION_STOPPED, by=NURSE, reason="urticaria, physician's order")

    plan = current_plan(ward, anna.id)
    assert plan is not None
    assert plan.last_infusion == last.date


def test_striking_out_the_last_infusions_end_takes_the_plan_back(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient
) -> None:
    give_course(ward, clock, anna, days=4)
    last = give_day(ward, clock, anna, 1, 5, end=False)
    ward.record(last, EventKind.INFUSION_COMPLETED, by=NURSE)
    ended = ward.infusion_day(last).status(clock.now()).task("infusion-end")

    ward.strike_out_event(last, ended.event_id or "", by=NURSE, reason="recorded on the wrong day")

    assert plans_of(ward, anna.id) == []
    [laid_out] = store.query("SELECT id FROM followup_plans WHERE supersedes IS NULL")
    _, voided = store.history("followup_plans", laid_out["id"])
    assert (voided["voided"], voided["correction_reason"]) == (1, "recorded on the wrong day")


def test_a_course_ended_early_follows_from_its_last_infusion_given(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    given = give_course(ward, clock, anna, days=3)
    [course] = courses_under_way(ward)
    assert (course.given, course.days, course.last_given) == (3, 5, given[-1].date)

    plan = end_course(
        ward, course.course_id, by=NURSE, reason="  stroke on day 3:  no further infusions "
    )

    assert (plan.first_infusion, plan.last_infusion) == (given[0].date, given[-1].date)
    assert (plan.ended_early, plan.reason) == (True, "stroke on day 3: no further infusions")
    creatinine = [s.due for s in plan.slots() if s.test == "creatinine"]
    assert creatinine[0] == add_months(given[-1].date, 1)
    blood_counts = [s.due for s in plan.slots() if s.test == "blood_count"]
    assert blood_counts[0] == given[0].date + timedelta(days=15)
    assert courses_under_way(ward) == []


def test_a_course_cannot_end_early_without_a_reason_or_twice(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    give_course(ward, clock, anna, days=2)
    [course] = courses_under_way(ward)

    with pytest.raises(EntryError, match="say why the course ends early"):
        end_course(ward, course.course_id, by=NURSE, reason=" ")
    end_course(ward, course.course_id, by=NURSE, reason="pregnancy")
    with pytest.raises(SequenceError, match="has ended already"):
        end_course(ward, course.course_id, by=NURSE, reason="pregnancy")

    assert len(plans_of(ward, anna.id)) == 1


def test_a_course_given_in_full_without_a_plan_gets_one_without_a_reason(
    ward: Ward, store: Store, clock: ManualClock, anna: Patient
) -> None:
    # A record from before plans were laid out: the course ended, nobody laid out its plan.
    give_course(ward, clock, anna)
    [laid_out] = store.current("followup_plans")
    store.void("followup_plans", laid_out["id"], by=NURSE, reason="record of an older version")
    [course] = courses_under_way(ward)
    assert (course.given, course.days) == (5, 5)

    plan = end_course(ward, course.course_id, by=NURSE, reason="")

    assert (plan.ended_early, plan.reason) == (False, None)
    assert plan.last_infusion == course.last_given


def test_a_course_without_any_infusion_given_has_nothing_to_follow(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    bed = ward.ensure_beds(6, NURSE)[0]
    ward.admit(anna, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by=NURSE)
    course = ward.store.current("courses")[0]

    assert courses_under_way(ward) == []
    with pytest.raises(SequenceError, match="nothing to follow"):
        end_course(ward, course["root_id"], by=NURSE, reason="declined")


def test_a_later_change_of_the_sites_plan_does_not_move_a_patients_dates(
    store: Store, clock: ManualClock, anna: Patient, ward: Ward
) -> None:
    give_course(ward, clock, anna)
    before = current_plan(ward, anna.id)
    assert before is not None
    monthly_tsh = parse_followup(
        default_followup_path()
        .read_text(encoding="utf-8")
        .replace("every_months: 3\n", "every_months: 1\n"),
        "site.yaml",
    )

    changed = Ward(store, ward.protocol, clock, followup=monthly_tsh)

    after = current_plan(changed, anna.id)
    assert after is not None
    assert after.slots() == before.slots()


# -- the worklist -------------------------------------------------------------------------------


def on(clock: ManualClock, day: date) -> None:
    """Early on the morning of `day`."""
    clock.set(datetime(day.year, day.month, day.day, 7, 0, tzinfo=BERLIN))


def first_course_from_5_january(ward: Ward, clock: ManualClock, patient: Patient) -> None:
    on(clock, date(2026, 1, 5))
    give_course(ward, clock, patient)


def after_the_course(ward: Ward, clock: ManualClock, patient: Patient, today: date) -> FollowUpPlan:
    """The patient's plan after a first course from 5 January, on the morning of `today`."""
    first_course_from_5_january(ward, clock, patient)
    on(clock, today)
    plan = current_plan(ward, patient.id)
    assert plan is not None
    return plan


def visit_on(ward: Ward, due: date) -> list[Slot]:
    """The open slots of the worklist's visit due on `due`."""
    [visit] = [v for v in worklist(ward) if v.due == due]
    return [status.slot for status in visit.slots]


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 1, 12), SlotState.UPCOMING),
        (date(2026, 1, 13), SlotState.DUE_SOON),  # 7 days before
        (date(2026, 1, 19), SlotState.DUE_SOON),
        (date(2026, 1, 20), SlotState.DUE),
        (date(2026, 1, 23), SlotState.DUE),  # 3 days after
        (date(2026, 1, 24), SlotState.OVERDUE),
        (date(2026, 2, 3), SlotState.OVERDUE),
        (date(2026, 2, 4), SlotState.MISSED),  # the next blood count is due
    ],
)
def test_a_slot_is_due_soon_due_overdue_then_missed(
    ward: Ward, clock: ManualClock, anna: Patient, today: date, state: SlotState
) -> None:
    first_course_from_5_january(ward, clock, anna)
    plan = current_plan(ward, anna.id)
    assert plan is not None

    [first] = [
        s for s in slot_statuses(ward, plan, today) if s.slot.key == "blood_count:2026-01-20"
    ]

    assert first.state is state


@pytest.fixture
def anna_and_ben(ward: Ward, clock: ManualClock, anna: Patient) -> None:
    """Anna's first course from 5 January, Ben's from 21 January."""
    ben = ward.register_patient(PatientDraft("P-3002", "Ben Ott", date(1979, 3, 3), "male"), NURSE)
    first_course_from_5_january(ward, clock, anna)
    on(clock, date(2026, 1, 21))
    give_course(ward, clock, ben)  # 21-25 January


@pytest.mark.usefixtures("anna_and_ben")
def test_the_worklist_shows_each_patient_s_open_tests_by_date_the_most_pressing_first(
    ward: Ward,
) -> None:

    visits = worklist(ward, date(2026, 2, 20))

    assert [(v.patient.name, v.due, v.state, [s.slot.test for s in v.slots]) for v in visits] == [
        ("Anna Lange", date(2026, 2, 9), SlotState.OVERDUE, ["creatinine", "urinalysis"]),
        ("Anna Lange", date(2026, 2, 19), SlotState.DUE, ["blood_count"]),
        ("Ben Ott", date(2026, 2, 20), SlotState.DUE, ["blood_count"]),
        ("Ben Ott", date(2026, 2, 25), SlotState.DUE_SOON, ["creatinine", "urinalysis"]),
    ]
    # Anna's counts of 20 January and 4 February, Ben's of 5 February: the next one is due.
    assert {v.patient.name: v.missed for v in visits} == {"Anna Lange": 2, "Ben Ott": 1}


@pytest.mark.usefixtures("anna_and_ben")
def test_a_patient_found_by_name_or_id_shows_with_their_missed_and_next_tests(ward: Ward) -> None:

    found = worklist(ward, date(2026, 2, 20), patient=" p-3002 ")
    nobody = worklist(ward, date(2026, 2, 20), patient="Zoe")

    assert [(v.patient.name, v.due, v.state) for v in found] == [
        ("Ben Ott", date(2026, 2, 20), SlotState.DUE),
        ("Ben Ott", date(2026, 2, 25), SlotState.DUE_SOON),
        ("Ben Ott", date(2026, 2, 5), SlotState.MISSED),
        ("Ben Ott", date(2026, 3, 7), SlotState.UPCOMING),  # the next test after the open ones
    ]
    assert nobody == []


def follow_up_sample(ward: Ward, texts: dict[str, str], **options: object) -> object:
    now = ward.clock.now()
    return assess_results(
        texts, {}, sex="female", point=SamplingPoint.FOLLOW_UP, sampled_at=now, now=now,
        **options,  # type: ignore[arg-type]
    )  # fmt: skip


BLOOD_COUNT = {
    "leukocytes": "5,2",
    "neutrophils": "2,9",
    "lymphocytes": "0,4",
    "platelets": "231",
    "haemoglobin": "13,1",
}


def test_results_entered_against_their_slot_close_it(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    plan = after_the_course(ward, clock, anna, date(2026, 2, 10))
    slots = visit_on(ward, date(2026, 2, 9))
    assessment = follow_up_sample(
        ward, {"creatinine": "71"}, finding="unremarkable", required=required_for(plan, slots)
    )

    stored = record_slot_results(ward, plan, slots, assessment, by=NURSE)  # type: ignore[arg-type]

    assert [(r.analyte, r.slot, r.plan_id) for r in stored] == [
        ("creatinine", "creatinine:2026-02-09", plan.id),
        ("urinalysis", "urinalysis:2026-02-09", plan.id),
    ]
    assert all(r.course_id == plan.course_id and r.day_id is None for r in stored)
    assert [v.due for v in worklist(ward)] == [date(2026, 2, 4)]
    states = {s.slot.key: s for s in slot_statuses(ward, plan, date(2026, 2, 10))}
    assert states["creatinine:2026-02-09"].state is SlotState.DONE
    assert states["creatinine:2026-02-09"].results == (stored[0],)
    assert (states["creatinine:2026-02-09"].late, states["creatinine:2026-02-09"].text) == (
        False,
        "done",
    )


def test_a_blood_count_without_its_neutrophils_does_not_close_its_slot(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    plan = after_the_course(ward, clock, anna, date(2026, 1, 21))
    slot = plan.slot("blood_count:2026-01-20")
    partial = {k: v for k, v in BLOOD_COUNT.items() if k != "neutrophils"}
    assessment = follow_up_sample(ward, partial)

    with pytest.raises(EntryError) as refused:
        record_slot_results(ward, plan, [slot], assessment, by=NURSE)  # type: ignore[arg-type]

    assert [(p.field, p.message) for p in refused.value.problems] == [
        (
            "neutrophils",
            "needed for the blood count with differential due 20.01.2026",
        )
    ]
    assert worklist(ward)[0].slots[0].state is SlotState.DUE


def test_a_test_not_done_here_is_skipped_with_its_reason(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    plan = after_the_course(ward, clock, anna, date(2026, 1, 21))
    slot = plan.slot("blood_count:2026-01-20")

    with pytest.raises(EntryError, match="say why"):
        skip_slots(ward, plan, [slot], by=NURSE, reason="")
    skip_slots(ward, plan, [slot], by=NURSE, reason="taken by the GP, result normal by phone")

    assert worklist(ward) == []
    [status] = [s for s in slot_statuses(ward, plan, date(2026, 1, 21)) if s.slot == slot]
    assert (status.state, status.skip_reason) == (
        SlotState.SKIPPED,
        "taken by the GP, result normal by phone",
    )
    with pytest.raises(SequenceError, match="recorded already"):
        skip_slots(ward, plan, [slot], by=NURSE, reason="again")


def test_a_later_courses_plan_replaces_the_earlier_one_in_the_worklist(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    first_course_from_5_january(ward, clock, anna)
    on(clock, date(2027, 1, 11))
    second = give_course(ward, clock, anna, course=2)  # 11-13 January 2027

    visits = worklist(ward, date(2027, 2, 10))

    assert {v.plan.course_number for v in visits} == {2}
    assert [v.due for v in visits] == [add_months(second[-1].date, 1)]
    assert [p.course_number for p in plans_of(ward, anna.id)] == [1, 2]


def test_a_visits_tests_may_be_entered_as_their_results_come_back(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    plan = after_the_course(ward, clock, anna, date(2026, 4, 10))
    slots = visit_on(ward, date(2026, 4, 9))
    assert [s.test for s in slots] == ["blood_count", "creatinine", "urinalysis", "tsh"]

    # The blood count came back first; the rest of the visit stays open.
    stored = record_slot_results(
        ward,
        plan,
        slots,
        follow_up_sample(ward, BLOOD_COUNT),
        by=NURSE,  # type: ignore[arg-type]
    )

    assert {r.slot for r in stored} == {"blood_count:2026-04-09"}
    assert [s.test for s in visit_on(ward, date(2026, 4, 9))] == ["creatinine", "urinalysis", "tsh"]


def test_a_missed_tests_result_that_comes_back_weeks_later_closes_its_slot_as_done_late(
    ward: Ward, clock: ManualClock, anna: Patient
) -> None:
    plan = after_the_course(ward, clock, anna, date(2026, 2, 25))
    missed = plan.slot("blood_count:2026-01-20")
    assert date(2026, 1, 20) not in [v.due for v in worklist(ward)]
    [shown] = [v for v in worklist(ward, with_missed=True) if v.due == missed.due]
    assert (shown.state, [s.slot for s in shown.slots]) == (SlotState.MISSED, [missed])

    record_slot_results(
        ward,
        plan,
        [missed],
        follow_up_sample(ward, BLOOD_COUNT),
        by=NURSE,  # type: ignore[arg-type]
    )

    states = {s.slot.key: s for s in slot_statuses(ward, plan, date(2026, 2, 25))}
    late = states[missed.key]
    assert (late.state, late.late, late.text, late.answered_on) == (
        SlotState.DONE, True, "done (late)", date(2026, 2, 25),
    )  # fmt: skip
    assert date(2026, 1, 20) not in [v.due for v in worklist(ward, with_missed=True)]
    # The next count, still missed, stays so; one taken while overdue is late too.
    assert states["blood_count:2026-02-04"].state is SlotState.MISSED
    record_slot_results(
        ward, plan, [plan.slot("blood_count:2026-02-19")], follow_up_sample(ward, BLOOD_COUNT),  # type: ignore[arg-type]
        by=NURSE,
    )  # fmt: skip
    on_time = {s.slot.key: s for s in slot_statuses(ward, plan, date(2026, 2, 25))}
    assert on_time["blood_count:2026-02-19"].text == "done (late)"  # 6 days after: overdue
