"""Results read in their context, on the values the study and the case report give.

Infusion week (Thomas et al. 2016, seed 000): leukocytes and neutrophils up after day 1,
lymphocytes near the detection limit, monocytes, eosinophils, basophils and platelets down, CRP
and procalcitonin at levels "consistent with septic conditions" in patients who felt well, ALT,
GGT and (less) AST up to 2.5 times the upper limit on days 3-5 (peak below 3 times), TSH down on
days 2-4, LDH up, creatinine and haemoglobin unchanged. After the course (seed 004): ANC 899/µL on
day 65, then 500/µL, grade 3.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from alemmonitor.clock import ManualClock
from alemmonitor.infusion_day import EventKind
from alemmonitor.labs import SamplingPoint
from alemmonitor.labs_catalog import default_catalog, grade_of
from alemmonitor.labs_entry import assess_results
from alemmonitor.labs_interpretation import (
    BEYOND_ADVICE,
    FOLLOW_UP_ADVICE,
    WEEK_ADVICE,
    Direction,
    Interpretation,
    Phase,
    interpret,
    interpret_results,
    phase_of,
    preview,
)
from alemmonitor.labs_record import NEUTROPENIA_ADVICE, LabResult, record_results, results_of_day
from alemmonitor.patients import PatientDraft
from alemmonitor.ward import Admission, Ward

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
BEFORE, STEROID, AFTER, FOLLOW_UP = (
    SamplingPoint.BEFORE_STEROID,
    SamplingPoint.AFTER_STEROID,
    SamplingPoint.AFTER_ALEMTUZUMAB,
    SamplingPoint.FOLLOW_UP,
)


def result(
    analyte: str,
    value: float | None,
    point: SamplingPoint = AFTER,
    *,
    sex: str = "female",
    finding: str | None = None,
) -> LabResult:
    """A result as the record gives it back: read against the catalog's range, graded."""
    catalog = default_catalog()
    reference = grade = None
    if value is not None:
        spec = catalog.analyte(analyte)
        reference = spec.reference_for(sex)
        grade = grade_of(spec, value, reference)
    return LabResult(
        id=f"{analyte}-{value}",
        patient_id="p",
        course_id="c",
        day_id=None if point is FOLLOW_UP else "d",
        sample_id="s",
        analyte=analyte,
        value=value,
        comparator=None,
        unit=catalog.analyte(analyte).unit if value is not None else None,
        finding=finding,
        typed=None,
        reference=reference,
        sampled_at=T0,
        point=point,
        task=None,
        plan_id=None,
        slot=None,
        grade=grade,
        advice=None,
        note=None,
        entered_at=T0,
        entered_by="AB",
        corrected=False,
    )


def read(
    analyte: str,
    value: float | None,
    point: SamplingPoint = AFTER,
    day: int | None = 3,
    baseline: float | None = None,
    **options: str,
) -> Interpretation:
    before = result(analyte, baseline, BEFORE) if baseline is not None else None
    return interpret(
        result(analyte, value, point, **options),
        day_number=None if point is FOLLOW_UP else day,
        baseline=before,
    )


@pytest.mark.parametrize(
    ("point", "day", "phase"),
    [
        (BEFORE, 1, Phase.BEFORE_TREATMENT),
        (STEROID, 1, Phase.STEROID),
        (AFTER, 1, Phase.INFUSION_WEEK),
        (BEFORE, 2, Phase.INFUSION_WEEK),
        (STEROID, 3, Phase.INFUSION_WEEK),
        (AFTER, 5, Phase.INFUSION_WEEK),
        (FOLLOW_UP, None, Phase.FOLLOW_UP),
    ],
)
def test_the_phase_of_a_sample_follows_what_has_been_given(
    point: SamplingPoint, day: int | None, phase: Phase
) -> None:
    assert phase_of(result("crp", 3.0, point), day) is phase


# -- the infusion week: what the study saw is expected, not flagged ------------------------------


@pytest.mark.parametrize(
    ("analyte", "value", "day", "direction"),
    [
        ("leukocytes", 16.2, 1, Direction.UP),  # up after day 1 in all patients
        ("neutrophils", 14.0, 1, Direction.UP),
        ("lymphocytes", 0.02, 1, Direction.DOWN),  # close to the limit of detection
        ("lymphocytes", 0.0, 5, Direction.DOWN),
        ("monocytes", 0.05, 2, Direction.DOWN),
        ("eosinophils", 0.0, 2, Direction.DOWN),
        ("basophils", 0.0, 2, Direction.DOWN),
        ("platelets", 128.0, 3, Direction.DOWN),  # transient decrease, grade 1
        ("crp", 62.0, 1, Direction.UP),  # 12 times the upper limit: "septic" levels
        ("crp", 180.0, 5, Direction.UP),
        ("procalcitonin", 5.5, 1, Direction.UP),  # 11 times the upper limit
        ("alt", 87.0, 4, Direction.UP),  # 2.5 times the women's upper limit of 35 U/L
        ("ggt", 100.0, 5, Direction.UP),  # 2.5 times 40 U/L
        ("ast", 70.0, 4, Direction.UP),  # 2 times 35 U/L
        ("alt", 105.0, 5, Direction.UP),  # 3.0 times: the study's peak stayed below 3 times
        ("ldh", 420.0, 1, Direction.UP),
        ("tsh", 0.15, 3, Direction.DOWN),  # dropped on days 2-4
        ("creatinine", 70.0, 3, Direction.STABLE),
        ("haemoglobin", 13.2, 4, Direction.STABLE),
    ],
)
def test_values_the_study_reported_in_the_infusion_week_are_expected_not_flagged(
    analyte: str, value: float, day: int, direction: Direction
) -> None:
    reading = read(analyte, value, AFTER, day, baseline=None)

    assert reading.phase is Phase.INFUSION_WEEK
    assert reading.expected is not None
    assert reading.expected.direction is direction
    assert reading.flags == ()
    assert not reading.flagged
    assert reading.advice == WEEK_ADVICE
    assert "Decide on clinical signs" in reading.advice


@pytest.mark.parametrize(
    ("analyte", "value", "direction"),
    [
        ("leukocytes", 13.5, Direction.UP),
        ("neutrophils", 11.2, Direction.UP),
        ("monocytes", 1.3, Direction.UP),  # the steroid raises monocytes, alemtuzumab lowers them
        ("eosinophils", 0.01, Direction.DOWN),
        ("lymphocytes", 1.9, Direction.STABLE),
        ("ldh", 260.0, Direction.UP),
        ("crp", 2.0, Direction.STABLE),
    ],
)
def test_after_the_first_steroid_dose_the_steroids_effects_are_expected(
    analyte: str, value: float, direction: Direction
) -> None:
    reading = read(analyte, value, STEROID, day=1)

    assert reading.phase is Phase.STEROID
    assert reading.expected is not None
    assert reading.expected.direction is direction
    assert not reading.flagged


def test_lymphocyte_depletion_is_shown_as_the_intended_effect_never_as_an_alarm() -> None:
    for point, day in ((BEFORE, 1), (STEROID, 1), (AFTER, 1), (AFTER, 5), (FOLLOW_UP, None)):
        reading = read("lymphocytes", 0.01, point, day)  # CTCAE grade 4

        assert reading.result.grade is not None
        assert reading.result.grade.grade == 4
        assert not reading.flagged, (point, day)
        assert reading.advice != NEUTROPENIA_ADVICE
    assert "intended effect" in read("lymphocytes", 0.01, AFTER, 2).expected.text  # type: ignore[union-attr]
    assert "intended effect" in read("lymphocytes", 0.3, FOLLOW_UP).expected.text  # type: ignore[union-attr]


# -- the infusion week: beyond the expected effect ------------------------------------------------


@pytest.mark.parametrize(
    ("analyte", "value", "flag"),
    [
        ("alt", 112.0, "3.2 times the upper limit: beyond the study's peak (below 3 times)"),
        ("ast", 109.0, "3.1 times the upper limit: beyond the study's peak (below 3 times)"),
        ("ggt", 130.0, "3.2 times the upper limit: beyond the study's peak (below 3 times)"),
    ],
)
def test_liver_enzymes_above_3_times_the_upper_limit_are_flagged(
    analyte: str, value: float, flag: str
) -> None:
    reading = read(analyte, value, AFTER, day=4)

    assert reading.flags == (flag,)
    assert reading.advice == BEYOND_ADVICE


def test_the_upper_limit_the_liver_flag_counts_from_is_the_patients() -> None:
    # 120 U/L is 3.4 times a woman's upper limit (35) but 2.4 times a man's (50).
    assert read("alt", 120.0, AFTER, 4, sex="female").flagged
    assert not read("alt", 120.0, AFTER, 4, sex="male").flagged


@pytest.mark.parametrize(
    ("value", "flagged"),
    [(80.0, False), (75.0, False), (74.0, True), (49.0, True), (20.0, True)],
)
def test_a_platelet_count_in_ctcae_grade_2_or_worse_is_flagged(value: float, flagged: bool) -> None:
    reading = read("platelets", value, AFTER, day=3)

    assert reading.flagged is flagged
    if flagged:
        assert reading.flags[0].startswith(f"CTCAE grade {reading.result.grade.grade}:")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "flagged"),
    [(9.5, False), (4.2, False), (3.7, False), (3.5, True), (2.1, True)],
)
def test_neutrophils_falling_below_the_count_before_treatment_are_flagged(
    value: float, flagged: bool
) -> None:
    # Before treatment 4.1; within 10 % below that is the scatter of the count.
    reading = read("neutrophils", value, AFTER, day=3, baseline=4.1)

    assert reading.flagged is flagged
    if flagged:
        assert reading.flags == (
            "falling instead of rising: below the count before treatment (4.10 10⁹/L)",
        )


def test_neutrophils_below_the_range_are_flagged_without_a_count_before_treatment() -> None:
    reading = read("neutrophils", 1.6, AFTER, day=2)

    assert reading.flags == ("below the range, although the steroid and alemtuzumab raise them",)


@pytest.mark.parametrize(
    ("analyte", "value", "baseline", "flagged"),
    [
        ("creatinine", 130.0, 70.0, True),
        ("creatinine", 95.0, 92.0, False),  # above the women's range before treatment already
        ("haemoglobin", 10.4, 13.0, True),
        ("haemoglobin", 11.5, 11.8, False),
        ("tsh", 6.3, 1.9, True),
        ("tsh", 6.3, 5.1, False),
    ],
)
def test_what_the_treatment_leaves_alone_is_flagged_when_it_leaves_the_range(
    analyte: str, value: float, baseline: float, flagged: bool
) -> None:
    assert read(analyte, value, AFTER, day=3, baseline=baseline).flagged is flagged


@pytest.mark.parametrize(
    ("analyte", "value", "flagged"),
    [("crp", 31.0, True), ("platelets", 118.0, True), ("neutrophils", 4.4, False),
     ("lymphocytes", 0.6, False)],
)  # fmt: skip
def test_before_the_first_dose_a_value_outside_the_range_is_not_the_treatments(
    analyte: str, value: float, flagged: bool
) -> None:
    reading = read(analyte, value, BEFORE, day=1)

    assert reading.phase is Phase.BEFORE_TREATMENT
    assert reading.expected is None
    assert reading.flagged is flagged
    if flagged:
        assert reading.flags == (
            "outside the range before the first dose: not an effect of the treatment",
        )
        assert reading.advice == BEYOND_ADVICE


# -- after the course ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "grade", "advice"),
    [(0.899, 3, NEUTROPENIA_ADVICE), (0.5, 3, NEUTROPENIA_ADVICE), (0.3, 4, NEUTROPENIA_ADVICE),
     (1.2, 2, FOLLOW_UP_ADVICE), (1.6, 1, FOLLOW_UP_ADVICE)],
)  # fmt: skip
def test_a_low_neutrophil_count_after_the_course_is_graded_and_grade_3_brings_the_guidance(
    value: float, grade: int, advice: str
) -> None:
    reading = read("neutrophils", value, FOLLOW_UP)

    assert reading.flags == (f"Neutrophil count decreased, CTCAE v5.0 grade {grade}",)
    assert reading.advice == advice


@pytest.mark.parametrize(
    ("analyte", "value", "finding", "flag"),
    [
        ("platelets", 96.0, None,
         "below the range: immune thrombocytopenia can follow alemtuzumab"),
        ("creatinine", 121.0, None,
         "above the range: autoimmune kidney disease can follow alemtuzumab"),
        ("tsh", 0.02, None,
         "outside the range: thyroid disease is the most frequent autoimmunity after alemtuzumab"),
        ("urinalysis", None, "abnormal",
         "abnormal urinalysis: autoimmune kidney disease can follow alemtuzumab"),
        ("crp", 14.0, None, "outside the range (≤ 5.0 mg/L)"),
    ],
)  # fmt: skip
def test_after_the_course_early_signs_of_autoimmunity_are_flagged(
    analyte: str, value: float | None, finding: str | None, flag: str
) -> None:
    if analyte == "urinalysis":
        reading = interpret(_urinalysis(finding or ""), day_number=None)
    else:
        reading = read(analyte, value, FOLLOW_UP)

    assert reading.flags[0] == flag
    assert reading.advice == FOLLOW_UP_ADVICE


def _urinalysis(finding: str) -> LabResult:
    return replace(result("crp", None, FOLLOW_UP, finding=finding), analyte="urinalysis")


def test_after_the_course_values_within_their_range_need_nothing() -> None:
    for analyte, value in (("platelets", 210.0), ("creatinine", 71.0), ("tsh", 1.4)):
        reading = read(analyte, value, FOLLOW_UP)
        assert not reading.flagged
        assert reading.advice is None
    assert not interpret(_urinalysis("unremarkable"), day_number=None).flagged


# -- from the record ------------------------------------------------------------------------------


def test_results_read_from_the_record_find_the_count_before_treatment_of_their_course(
    ward: Ward, clock: ManualClock
) -> None:
    patient = ward.register_patient(
        PatientDraft("P-7", "Lena Roth", date(1990, 2, 2), "female"), "AB"
    )
    bed = ward.ensure_beds(6, "AB")[0]
    first = ward.admit(
        patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by="AB"
    )

    def sample(admission: Admission, texts: dict[str, str], point: SamplingPoint) -> None:
        now = clock.now()
        assessment = assess_results(texts, {}, sex="female", point=point, sampled_at=now, now=now)
        record_results(ward, patient, assessment, by="AB", admission=admission)

    sample(first, {"neutrophils": "4,1", "crp": "2"}, BEFORE)
    ward.record(first, EventKind.STEROID_STARTED, by="AB")
    clock.advance(timedelta(minutes=60))
    ward.record(first, EventKind.INFUSION_STARTED, by="AB", batch="L", checked_by="KM")
    clock.advance(timedelta(hours=4))
    ward.record(first, EventKind.INFUSION_COMPLETED, by="AB")
    clock.advance(timedelta(hours=20))
    second = ward.admit(
        patient, course_number=1, day_number=2, bed=bed, planned_start=clock.now(), by="AB"
    )
    sample(second, {"neutrophils": "3,2", "crp": "48"}, BEFORE)

    readings = interpret_results(ward, results_of_day(ward, second))

    assert [(r.result.analyte, r.phase, r.flagged) for r in readings] == [
        ("neutrophils", Phase.INFUSION_WEEK, True),
        ("crp", Phase.INFUSION_WEEK, False),
    ]
    assert "4.10" in readings[0].flags[0]


def test_an_entry_is_read_in_its_context_before_it_is_stored(
    ward: Ward, clock: ManualClock
) -> None:
    patient = ward.register_patient(
        PatientDraft("P-8", "Mia Falk", date(1992, 3, 3), "female"), "AB"
    )
    bed = ward.ensure_beds(6, "AB")[0]
    first = ward.admit(
        patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by="AB"
    )
    now = clock.now()
    before = assess_results(
        {"neutrophils": "5,0"}, {}, sex="female", point=BEFORE, sampled_at=now, now=now
    )
    record_results(ward, patient, before, by="AB", admission=first)
    clock.advance(timedelta(hours=6))
    now = clock.now()
    typed = assess_results(
        {"neutrophils": "3,9", "alt": "40", "lymphocytes": "0,01"},
        {},
        sex="female",
        point=AFTER,
        sampled_at=now,
        now=now,
    )

    readings = preview(ward, patient, typed, admission=first)

    assert {name: r.flagged for name, r in readings.items()} == {
        "neutrophils": True,
        "alt": False,
        "lymphocytes": False,
    }
    assert readings["lymphocytes"].result.grade.grade == 4  # type: ignore[union-attr]
    assert readings["alt"].expected is not None
    assert [r.analyte for r in results_of_day(ward, first)] == ["neutrophils"]
