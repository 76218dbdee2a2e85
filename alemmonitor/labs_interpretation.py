"""A blood result read in its context: the infusion week's expected effects, or the follow-up.

During the infusion week the treatment alters blood results by design (Thomas et al. 2016,
Neurol Neuroimmunol Neuroinflamm 3:e228; REFERENCE.md §2): leukocytes and neutrophils rise with
the steroid and alemtuzumab, lymphocytes fall to near the detection limit, monocytes,
eosinophils, basophils and platelets fall, CRP and procalcitonin reach levels that would suggest
sepsis in patients who feel well, liver enzymes rise to below 3 times the upper limit, TSH dips
on days 2-4, haemoglobin and kidney function stay as they were. Each result is shown against
that expectation, with the advice to decide on clinical signs; what goes beyond it is flagged.
A result taken before the first dose is read against the reference range: the treatment cannot
explain it.

After the course the results are the early warning of neutropenia and of autoimmune disease
(REFERENCE.md §3): a low neutrophil count is graded with CTCAE and, from grade 3, brings the case
report's guidance; a low platelet count, a raised creatinine, an abnormal urinalysis and a TSH
outside its range are flagged. Lymphocyte depletion is the intended effect: shown, never an
alarm.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from alemmonitor.labs import URINALYSIS, SamplingPoint, format_value
from alemmonitor.labs_catalog import LabCatalog, default_catalog, grade_of
from alemmonitor.labs_entry import LabAssessment, range_text
from alemmonitor.labs_record import (
    NEUTROPENIA_ADVICE,
    SEVERE_NEUTROPENIA_GRADE,
    LabResult,
    results_of_course,
)
from alemmonitor.patients import Patient
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, TextEnum
from alemmonitor.ward import Admission, Ward


class Phase(StrEnum):
    """What a sample can show of the treatment."""

    BEFORE_TREATMENT = "before_treatment"
    """Day 1 before the steroid: nothing of the course has been given yet."""
    STEROID = "steroid"
    """Day 1 after the steroid, before alemtuzumab: the steroid's effects only."""
    INFUSION_WEEK = "infusion_week"
    """After the first alemtuzumab infusion, until the course's last day."""
    FOLLOW_UP = "follow_up"
    """After the course."""


class Direction(TextEnum):
    """Which way the study saw a value go."""

    UP = QT_TRANSLATE_NOOP("Direction", "rises")
    DOWN = QT_TRANSLATE_NOOP("Direction", "falls")
    STABLE = QT_TRANSLATE_NOOP("Direction", "unchanged")


@dataclass(frozen=True)
class Expectation:
    """What the study found for an analyte at a phase: direction and rough size."""

    direction: Direction
    text: Text


def _expect(direction: Direction, text: Text) -> Expectation:
    return Expectation(direction, text)


_UP, _DOWN, _STABLE = Direction.UP, Direction.DOWN, Direction.STABLE
_UNCHANGED_BY_STEROID = QT_TRANSLATE_NOOP("LabsWeek", "not changed by the steroid")

STEROID_EFFECTS: Final[Mapping[str, Expectation]] = MappingProxyType(
    {
        "leukocytes": _expect(_UP, QT_TRANSLATE_NOOP("LabsWeek", "rise with the steroid")),
        "neutrophils": _expect(_UP, QT_TRANSLATE_NOOP("LabsWeek", "rise with the steroid")),
        "lymphocytes": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "monocytes": _expect(_UP, QT_TRANSLATE_NOOP("LabsWeek", "rise with the steroid")),
        "eosinophils": _expect(_DOWN, QT_TRANSLATE_NOOP("LabsWeek", "fall with the steroid")),
        "basophils": _expect(_DOWN, QT_TRANSLATE_NOOP("LabsWeek", "fall with the steroid")),
        "platelets": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "haemoglobin": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "crp": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "procalcitonin": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "alt": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "ast": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "ggt": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "ldh": _expect(_UP, QT_TRANSLATE_NOOP("LabsWeek", "rises slightly with the steroid")),
        "creatinine": _expect(_STABLE, _UNCHANGED_BY_STEROID),
        "tsh": _expect(_STABLE, _UNCHANGED_BY_STEROID),
    }
)
"""The steroid's effects (the study's methylprednisolone-only control patients)."""

_LIVER = QT_TRANSLATE_NOOP(
    "LabsWeek",
    "rises on days 3-5, up to about 2.5 times the upper limit; peaks below 3 times and is "
    "normal again within 30 days",
)

INFUSION_WEEK_EFFECTS: Final[Mapping[str, Expectation]] = MappingProxyType(
    {
        "leukocytes": _expect(
            _UP,
            QT_TRANSLATE_NOOP(
                "LabsWeek",
                "up after day 1 (steroid and alemtuzumab), back towards normal over the next days",
            ),
        ),
        "neutrophils": _expect(
            _UP,
            QT_TRANSLATE_NOOP(
                "LabsWeek", "up: they carry the leukocyte rise; they do not fall below the start"
            ),
        ),
        "lymphocytes": _expect(
            _DOWN,
            QT_TRANSLATE_NOOP(
                "LabsWeek",
                "depleted to near the detection limit from day 1: the intended effect of "
                "alemtuzumab",
            ),
        ),
        "monocytes": _expect(
            _DOWN,
            QT_TRANSLATE_NOOP(
                "LabsWeek", "fall after each infusion and partly recover by the next day"
            ),
        ),
        "eosinophils": _expect(_DOWN, QT_TRANSLATE_NOOP("LabsWeek", "fall")),
        "basophils": _expect(_DOWN, QT_TRANSLATE_NOOP("LabsWeek", "fall")),
        "platelets": _expect(
            _DOWN,
            QT_TRANSLATE_NOOP(
                "LabsWeek", "fall mildly and for a short time (not immune thrombocytopenia)"
            ),
        ),
        "haemoglobin": _expect(_STABLE, QT_TRANSLATE_NOOP("LabsWeek", "unchanged in the study")),
        "crp": _expect(
            _UP,
            QT_TRANSLATE_NOOP(
                "LabsWeek",
                "rises after the first infusion and again on day 5, to levels that would "
                "suggest sepsis although the patient is well",
            ),
        ),
        "procalcitonin": _expect(
            _UP,
            QT_TRANSLATE_NOOP(
                "LabsWeek",
                "rises markedly after alemtuzumab, to levels that would suggest sepsis although "
                "the patient is well",
            ),
        ),
        "alt": _expect(_UP, _LIVER),
        "ggt": _expect(_UP, _LIVER),
        "ast": _expect(
            _UP,
            QT_TRANSLATE_NOOP(
                "LabsWeek", "rises less than ALT on days 3-5; peaks below 3 times the upper limit"
            ),
        ),
        "ldh": _expect(
            _UP,
            QT_TRANSLATE_NOOP(
                "LabsWeek", "rises above the range after the first infusion, then falls"
            ),
        ),
        "creatinine": _expect(
            _STABLE, QT_TRANSLATE_NOOP("LabsWeek", "stable: kidney function is not affected")
        ),
        "tsh": _expect(_DOWN, QT_TRANSLATE_NOOP("LabsWeek", "may dip on days 2-4, back by day 5")),
    }
)
"""The effects of the infusion week after the first alemtuzumab infusion (Thomas et al. 2016)."""

# Analytes no value of which is flagged in the infusion week: their changes, in whichever
# direction and to whatever size, are what the study saw (lymphocytes: the intended effect).
_NEVER_FLAGGED_IN_WEEK = frozenset(
    {"lymphocytes", "monocytes", "eosinophils", "basophils", "crp", "procalcitonin", "ldh"}
)
# Analytes the treatment raises: a value below the reference range is beyond it.
_RAISED = frozenset({"leukocytes", "neutrophils"})
# Analytes the treatment leaves alone (or lowers): leaving the range is beyond it.
_LEFT_ALONE = frozenset({"haemoglobin", "creatinine"})

WEEK_ADVICE = QT_TRANSLATE_NOOP(
    "LabsWeek",
    "Infusion week: these values are altered by the treatment. Decide on clinical signs "
    "(temperature, blood pressure, heart rate, how the patient feels), not on the numbers.",
)
"""The advice that goes with every infusion-week result (the study's conclusion)."""
BEYOND_ADVICE = QT_TRANSLATE_NOOP(
    "LabsWeek", "Beyond what the treatment explains: tell the physician."
)
FOLLOW_UP_ADVICE = QT_TRANSLATE_NOOP("LabsWeek", "Tell the physician.")

_BELOW = QT_TRANSLATE_NOOP("LabsWeek", "below the range")
_ABOVE = QT_TRANSLATE_NOOP("LabsWeek", "above the range")
_WITHIN = QT_TRANSLATE_NOOP("LabsWeek", "within the range")


@dataclass(frozen=True)
class Interpretation:
    """A result read in its context.

    `expected` is what the study found at this phase (None before treatment and at
    follow-up, except for the lymphocytes' intended depletion); `flags` say why the result goes
    beyond it (empty: nothing to act on); `advice` is what the nurse does.
    """

    result: LabResult
    phase: Phase
    expected: Expectation | None
    flags: tuple[Text, ...]
    advice: Text | None

    @property
    def flagged(self) -> bool:
        """Whether the result goes beyond what is expected: the physician is to hear of it."""
        return bool(self.flags)

    @property
    def outside(self) -> bool:
        """Whether the value lies outside its reference range."""
        result = self.result
        return (
            result.value is not None
            and result.reference is not None
            and not result.reference.holds(result.value)
        )

    @property
    def position(self) -> Text | None:
        """Where the value lies against its reference range, if it has both."""
        result = self.result
        if result.value is None or result.reference is None:
            return None
        if result.reference.below(result.value):
            return _BELOW
        if result.reference.above(result.value):
            return _ABOVE
        return _WITHIN


def phase_of(result: LabResult, day_number: int | None) -> Phase:
    """The phase a result was sampled in; `day_number` is its infusion day's (None: follow-up)."""
    if result.point is SamplingPoint.FOLLOW_UP or day_number is None:
        return Phase.FOLLOW_UP
    if day_number == 1 and result.point is SamplingPoint.BEFORE_STEROID:
        return Phase.BEFORE_TREATMENT
    if day_number == 1 and result.point is SamplingPoint.AFTER_STEROID:
        return Phase.STEROID
    return Phase.INFUSION_WEEK


def interpret(
    result: LabResult,
    *,
    day_number: int | None,
    baseline: LabResult | None = None,
    catalog: LabCatalog | None = None,
) -> Interpretation:
    """Read one result: against the study's expectation in the infusion week, against its
    reference range and grade otherwise. `baseline` is the same analyte's result before the
    course's first dose, if there is one."""
    catalog = catalog or default_catalog()
    phase = phase_of(result, day_number)
    if phase is Phase.FOLLOW_UP:
        return _follow_up(result, catalog)
    if phase is Phase.BEFORE_TREATMENT:
        flags = _outside(
            result,
            QT_TRANSLATE_NOOP(
                "LabsWeek",
                "outside the range before the first dose: not an effect of the treatment",
            ),
        )
        if result.analyte == "lymphocytes":
            flags = ()
        return Interpretation(result, phase, None, flags, BEYOND_ADVICE if flags else None)
    effects = STEROID_EFFECTS if phase is Phase.STEROID else INFUSION_WEEK_EFFECTS
    expected = effects.get(result.analyte)
    flags = tuple(_week_flags(result, baseline, catalog))
    return Interpretation(result, phase, expected, flags, BEYOND_ADVICE if flags else WEEK_ADVICE)


def _week_flags(result: LabResult, baseline: LabResult | None, catalog: LabCatalog) -> list[Text]:
    name, value, reference = result.analyte, result.value, result.reference
    if value is None or reference is None or name in _NEVER_FLAGGED_IN_WEEK:
        return []
    week = catalog.flags(name)
    flags: list[Text] = []
    times = week.flag_above_uln_times
    if times is not None and reference.high is not None and value > times * reference.high:
        flags.append(
            QT_TRANSLATE_NOOP(
                "LabsWeek",
                "{times} times the upper limit: beyond the study's peak (below {limit:g} times)",
            ).format(times=format_value(value / reference.high, 1), limit=times)
        )
    grade = result.grade.grade if result.grade is not None else 0
    if week.flag_from_grade is not None and grade >= week.flag_from_grade:
        flags.append(
            QT_TRANSLATE_NOOP(
                "LabsWeek", "CTCAE grade {grade}: beyond the mild fall of the infusion week"
            ).format(grade=grade)
        )
    flags += _below_baseline(result, baseline, week.flag_below_baseline_percent, catalog)
    if name in _RAISED and reference.below(value):
        flags.append(
            QT_TRANSLATE_NOOP(
                "LabsWeek", "below the range, although the steroid and alemtuzumab raise them"
            )
        )
    if name in _LEFT_ALONE:
        flags += _outside_unless_before(
            result,
            baseline,
            QT_TRANSLATE_NOOP("LabsWeek", "outside the range: the treatment does not change it"),
        )
    if name == "tsh" and reference.above(value) and not _above_before(baseline):
        flags.append(
            QT_TRANSLATE_NOOP("LabsWeek", "above the range: the treatment lowers it, if anything")
        )
    return flags


def _below_baseline(
    result: LabResult, baseline: LabResult | None, percent: float | None, catalog: LabCatalog
) -> list[Text]:
    """A count the treatment raises that fell below the one before treatment."""
    if percent is None or baseline is None or baseline.value is None or result.value is None:
        return []
    if result.value >= baseline.value * (1 - percent / 100):
        return []
    analyte = catalog.analyte(result.analyte)
    before = f"{format_value(baseline.value, analyte.decimals)} {analyte.stored_unit.shown}"
    return [
        QT_TRANSLATE_NOOP(
            "LabsWeek", "falling instead of rising: below the count before treatment ({before})"
        ).format(before=before)
    ]


def _outside(result: LabResult, why: Text) -> tuple[Text, ...]:
    value, reference = result.value, result.reference
    if value is None or reference is None or reference.holds(value):
        return ()
    return (why,)


def _outside_unless_before(result: LabResult, baseline: LabResult | None, why: Text) -> list[Text]:
    """Outside the range, unless it was outside on the same side before treatment."""
    value, reference = result.value, result.reference
    if value is None or reference is None or reference.holds(value):
        return []
    if baseline is not None and baseline.value is not None:
        same_side = (reference.below(value) and reference.below(baseline.value)) or (
            reference.above(value) and reference.above(baseline.value)
        )
        if same_side:
            return []
    return [why]


def _above_before(baseline: LabResult | None) -> bool:
    return (
        baseline is not None
        and baseline.value is not None
        and baseline.reference is not None
        and baseline.reference.above(baseline.value)
    )


_LYMPHOCYTES_AFTER = _expect(
    _DOWN,
    QT_TRANSLATE_NOOP(
        "LabsWeek",
        "low for months after alemtuzumab while they repopulate: the intended effect",
    ),
)
_FOLLOW_UP_FLAGS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "platelets": QT_TRANSLATE_NOOP(
            "LabsWeek", "below the range: immune thrombocytopenia can follow alemtuzumab"
        ),
        "creatinine": QT_TRANSLATE_NOOP(
            "LabsWeek", "above the range: autoimmune kidney disease can follow alemtuzumab"
        ),
        "tsh": QT_TRANSLATE_NOOP(
            "LabsWeek",
            "outside the range: thyroid disease is the most frequent autoimmunity after "
            "alemtuzumab",
        ),
    }
)


def _follow_up(result: LabResult, catalog: LabCatalog) -> Interpretation:
    name, value, reference = result.analyte, result.value, result.reference
    phase = Phase.FOLLOW_UP
    if name == "lymphocytes":
        return Interpretation(result, phase, _LYMPHOCYTES_AFTER, (), None)
    if result.finding is not None:
        if result.finding != "abnormal":
            return Interpretation(result, phase, None, (), None)
        flag = QT_TRANSLATE_NOOP(
            "LabsWeek", "abnormal urinalysis: autoimmune kidney disease can follow alemtuzumab"
        )
        return Interpretation(result, phase, None, (flag,), FOLLOW_UP_ADVICE)
    if value is None or reference is None:
        return Interpretation(result, phase, None, (), None)
    flags: list[Text] = []
    grade = result.grade
    if name == "neutrophils" and grade is not None:
        flags.append(grade.label)
        severe = grade.grade >= SEVERE_NEUTROPENIA_GRADE
        return Interpretation(
            result, phase, None, tuple(flags), NEUTROPENIA_ADVICE if severe else FOLLOW_UP_ADVICE
        )
    special = _FOLLOW_UP_FLAGS.get(name)
    if special is not None and (
        (name == "platelets" and reference.below(value))
        or (name == "creatinine" and reference.above(value))
        or (name == "tsh" and not reference.holds(value))
    ):
        flags.append(special)
        if grade is not None:
            flags.append(grade.label)
    elif not reference.holds(value):
        flags.append(
            QT_TRANSLATE_NOOP("LabsWeek", "outside the range ({range})").format(
                range=range_text(reference, catalog.analyte(name))
            )
        )
    return Interpretation(result, phase, None, tuple(flags), FOLLOW_UP_ADVICE if flags else None)


# -- a course's results --------------------------------------------------------------------------


def interpret_results(
    ward: Ward, results: Sequence[LabResult], catalog: LabCatalog | None = None
) -> list[Interpretation]:
    """Read each result in its context: its infusion day, and its course's values before the
    first dose (read from the record when `results` do not hold them)."""
    catalog = catalog or default_catalog()
    days = _DayNumbers(ward)
    baselines = _baselines(ward, {r.course_id for r in results if r.course_id}, days)
    return [
        interpret(
            result,
            day_number=days.of(result),
            baseline=baselines.get((result.course_id or "", result.analyte)),
            catalog=catalog,
        )
        for result in results
    ]


class _DayNumbers:
    """The day numbers of the infusion days results were sampled on, read once each."""

    def __init__(self, ward: Ward) -> None:
        self._ward = ward
        self._known: dict[str, int | None] = {}

    def of(self, result: LabResult) -> int | None:
        if result.day_id is None:
            return None
        if result.day_id not in self._known:
            row = self._ward.store.current_by_root("infusion_days", result.day_id)
            self._known[result.day_id] = row["day_number"] if row is not None else None
        return self._known[result.day_id]


def _baselines(
    ward: Ward, course_ids: set[str], days: _DayNumbers
) -> dict[tuple[str, str], LabResult]:
    """Each course's first value of each analyte before its first dose."""
    baselines: dict[tuple[str, str], LabResult] = {}
    for course_id in course_ids:
        for known in results_of_course(ward, course_id):
            if phase_of(known, days.of(known)) is Phase.BEFORE_TREATMENT:
                baselines.setdefault((course_id, known.analyte), known)
    return baselines


def preview(
    ward: Ward,
    patient: Patient,
    assessment: LabAssessment,
    *,
    admission: Admission | None = None,
    catalog: LabCatalog | None = None,
) -> dict[str, Interpretation]:
    """How each value of an entry will read once stored, by analyte (nothing is stored).

    The values are read against the patient's reference ranges, graded, and compared with the
    course's values before its first dose.
    """
    catalog = catalog or default_catalog()
    course_id = None
    if admission is not None:
        row = ward.store.current_by_root("infusion_days", admission.id)
        course_id = row["course_id"] if row is not None else None
    entered = ward.clock.now()
    provisional: list[LabResult] = []
    for name, measured in assessment.values.items():
        analyte = catalog.analyte(name)
        reference = analyte.reference_for(patient.sex)
        provisional.append(
            _provisional(
                patient,
                assessment,
                entered,
                analyte=name,
                value=measured.value,
                unit=measured.unit,
                comparator=measured.comparator,
                reference=reference,
                grade=grade_of(analyte, measured.value, reference, comparator=measured.comparator),
                course_id=course_id,
                day_id=admission.id if admission is not None else None,
            )
        )
    if assessment.finding is not None:
        provisional.append(
            _provisional(
                patient,
                assessment,
                entered,
                analyte=URINALYSIS,
                finding=assessment.finding,
                course_id=course_id,
            )
        )
    day_number = admission.day_number if admission is not None else None
    baselines = _baselines(ward, {course_id} if course_id else set(), _DayNumbers(ward))
    return {
        result.analyte: interpret(
            result,
            day_number=day_number,
            baseline=baselines.get((course_id or "", result.analyte)),
            catalog=catalog,
        )
        for result in provisional
    }


def _provisional(
    patient: Patient, assessment: LabAssessment, entered: datetime, **fields: Any
) -> LabResult:
    """A result as it would be stored."""
    values: dict[str, Any] = {
        "id": "",
        "patient_id": patient.id,
        "course_id": None,
        "day_id": None,
        "sample_id": "",
        "value": None,
        "comparator": None,
        "unit": None,
        "finding": None,
        "typed": None,
        "reference": None,
        "sampled_at": assessment.sampled_at,
        "point": assessment.point,
        "task": None,
        "plan_id": None,
        "slot": None,
        "grade": None,
        "advice": None,
        "note": assessment.note,
        "entered_at": entered,
        "entered_by": "",
        "corrected": False,
    }
    values.update(fields)
    return LabResult(**values)
