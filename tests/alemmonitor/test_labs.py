"""Blood results typed from a lab report: the site's catalog, units and their mix-ups, CTCAE
grading at every limit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alemmonitor.labs import ANALYTES, ENTRY_FIELDS, SamplingPoint
from alemmonitor.labs_catalog import (
    LabCatalog,
    LabCatalogFileError,
    default_catalog,
    default_catalog_path,
    grade_of,
    parse_catalog,
)
from alemmonitor.labs_entry import LabAssessment, SamplingContext, assess_results
from alemmonitor.reactions import default_ctcae

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def assess(
    texts: dict[str, str],
    units: dict[str, str] | None = None,
    *,
    sex: str = "female",
    point: SamplingPoint = SamplingPoint.FOLLOW_UP,
    **options: object,
) -> LabAssessment:
    return assess_results(
        texts,
        units or {},
        sex=sex,
        point=point,
        sampled_at=options.pop("sampled_at", NOW),  # type: ignore[arg-type]
        now=options.pop("now", NOW),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )


def messages(problems: list[object]) -> dict[str, str]:
    return {p.field: str(p.message) for p in problems}  # type: ignore[attr-defined]


# -- the catalog -----------------------------------------------------------------------------------

# LOINC codes of the analytes in the units the record stores them in (loinc.org).
LOINC = {
    "leukocytes": ("6690-2", "10*9/L"),
    "neutrophils": ("751-8", "10*9/L"),
    "lymphocytes": ("731-0", "10*9/L"),
    "monocytes": ("742-7", "10*9/L"),
    "eosinophils": ("711-2", "10*9/L"),
    "basophils": ("704-7", "10*9/L"),
    "platelets": ("777-3", "10*9/L"),
    "haemoglobin": ("718-7", "g/dL"),
    "crp": ("1988-5", "mg/L"),
    "procalcitonin": ("33959-8", "ng/mL"),
    "alt": ("1742-6", "U/L"),
    "ast": ("1920-8", "U/L"),
    "ggt": ("2324-2", "U/L"),
    "ldh": ("2532-0", "U/L"),
    "creatinine": ("14682-9", "umol/L"),
    "tsh": ("3016-3", "m[IU]/L"),
}


def test_every_analyte_has_its_loinc_code_and_ucum_unit_for_the_export() -> None:
    catalog = default_catalog()

    assert {name: (a.loinc, a.unit) for name, a in catalog.analytes.items()} == LOINC
    assert set(catalog.analytes) == set(ANALYTES)
    assert catalog.urinalysis.loinc == "24356-8"


def _limits_in_text(text: str) -> list[float]:
    """The limits a CTCAE grade text gives in 10e9/L ('<1.5 - 1.0 x 10e9 /L' -> [1.5, 1.0])."""
    si = text.rsplit(";", maxsplit=1)[-1]
    return [float(number) for number in re.findall(r"[0-9]+(?:\.[0-9]+)?", si.split("x")[0])]


@pytest.mark.parametrize("analyte", ["neutrophils", "lymphocytes", "platelets"])
def test_the_grading_limits_are_those_of_the_ctcae_grade_texts(analyte: str) -> None:
    grading = default_catalog().analyte(analyte).ctcae
    assert grading is not None
    term = default_ctcae().term(grading.term)
    assert term is not None

    # Grade g's text names its upper limit first: "<1.5 - 1.0 x 10e9 /L" is below 1.5 (grade 2).
    for grade in (2, 3, 4):
        upper = _limits_in_text(term.grades[grade])[0]
        assert grading.below[grade] == upper  # type: ignore[index]
    assert _limits_in_text(term.grades[1]) == [grading.below[2]]


def site_catalog(change: str, replacement: str) -> str:
    text = default_catalog_path().read_text(encoding="utf-8")
    assert change in text
    return text.replace(change, replacement, 1)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize(
    ("change", "replacement", "problem"),
    [
        (
            "reference: {low: 1.8, high: 7.7}",
            "reference: {low: 7.7, high: 1.8}",
            "analytes.neutrophils.reference: Value error, low (7.7) is not below high (1.8)",
        ),
        (
            "term: Neutrophil count decreased",
            "term: Neutropenia",
            "analytes.neutrophils.ctcae.term: 'Neutropenia' is not a term of CTCAE v5.0 here",
        ),
        (
            "below: {2: 1.5, 3: 1.0, 4: 0.5}",
            "below: {2: 1.5, 3: 1.6, 4: 0.5}",
            "analytes.neutrophils.ctcae: Value error, each grade's limit must lie below",
        ),
        (
            "reference: {low: 150, high: 400}",
            "reference: {low: 150, high: 4000}",
            "analytes.platelets.reference: 4000 lies outside the possible values",
        ),
        (
            "platelets: {flag_from_grade: 2}",
            "crp: {flag_from_grade: 2}",
            "infusion_week.crp.flag_from_grade: crp is not graded (no ctcae)",
        ),
    ],
    ids=["range upside down", "unknown CTCAE term", "grades not falling", "impossible range",
         "grade flag without grading"],
)  # fmt: skip
def test_a_site_catalog_with_a_mistake_is_refused_naming_file_line_and_field(
    change: str, replacement: str, problem: str
) -> None:
    text = site_catalog(change, replacement)

    with pytest.raises(LabCatalogFileError) as refused:
        parse_catalog(text, "site-labs.yaml")

    [message] = refused.value.problems
    assert message.startswith("site-labs.yaml:")
    assert problem in message
    line = int(message.split(":")[1])
    assert line <= line_of(text, replacement)
    assert line >= line_of(text, replacement) - 12


def test_a_catalog_missing_an_analyte_is_refused() -> None:
    text = site_catalog("  tsh:\n    loinc: 3016-3", "  tsh_x:\n    loinc: 3016-3")

    with pytest.raises(LabCatalogFileError, match=r"analytes\.tsh_x"):
        parse_catalog(text, "site-labs.yaml")


def test_reference_ranges_follow_the_patients_sex() -> None:
    haemoglobin = default_catalog().analyte("haemoglobin")

    assert haemoglobin.reference_for("female").low == 12.0
    assert haemoglobin.reference_for("male").low == 13.5
    # Whoever's sex is other or not recorded is read against the range for everyone.
    assert haemoglobin.reference_for("other") == haemoglobin.reference
    assert haemoglobin.reference_for("unknown") == haemoglobin.reference


# -- grading at every limit -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("analyte", "value", "grade"),
    [
        # Neutrophils, LLN 1.8: G1 <LLN-1.5, G2 <1.5-1.0, G3 <1.0-0.5, G4 <0.5.
        ("neutrophils", 1.80, None), ("neutrophils", 1.79, 1), ("neutrophils", 1.50, 1),
        ("neutrophils", 1.49, 2), ("neutrophils", 1.00, 2), ("neutrophils", 0.99, 3),
        ("neutrophils", 0.50, 3), ("neutrophils", 0.49, 4), ("neutrophils", 0.00, 4),
        # Platelets, LLN 150: G1 <LLN-75, G2 <75-50, G3 <50-25, G4 <25.
        ("platelets", 150, None), ("platelets", 149, 1), ("platelets", 75, 1),
        ("platelets", 74, 2), ("platelets", 50, 2), ("platelets", 49, 3),
        ("platelets", 25, 3), ("platelets", 24, 4),
        # Lymphocytes, LLN 1.0: G1 <LLN-0.8, G2 <0.8-0.5, G3 <0.5-0.2, G4 <0.2.
        ("lymphocytes", 1.00, None), ("lymphocytes", 0.99, 1), ("lymphocytes", 0.80, 1),
        ("lymphocytes", 0.79, 2), ("lymphocytes", 0.50, 2), ("lymphocytes", 0.49, 3),
        ("lymphocytes", 0.20, 3), ("lymphocytes", 0.19, 4),
    ],
)  # fmt: skip
def test_counts_are_graded_at_every_ctcae_limit(
    analyte: str, value: float, grade: int | None
) -> None:
    spec = default_catalog().analyte(analyte)

    graded = grade_of(spec, value, spec.reference_for("female"))

    assert (graded.grade if graded else None) == grade
    if graded is not None:
        assert graded.version == "5.0"
        assert graded.text == default_ctcae().term(graded.term).grades[grade]  # type: ignore[union-attr,index]


@pytest.mark.parametrize(
    ("typed", "grade"),
    [("1500", 1), ("1499", 2), ("1000", 2), ("999", 3), ("899", 3), ("500", 3), ("499", 4)],
)
def test_counts_typed_per_microlitre_are_graded_exactly_at_the_limits(
    typed: str, grade: int
) -> None:
    # 500/µL is exactly 0.5 x 10e9/L (grade 3), however floating point would round 500 * 0.001.
    assessment = assess({"neutrophils": typed}, {"neutrophils": "/uL"})
    spec = default_catalog().analyte("neutrophils")

    measured = assessment.values["neutrophils"]
    graded = grade_of(spec, measured.value, spec.reference_for("female"))

    assert measured.value == float(Decimal(typed) / 1000)
    assert graded is not None
    assert graded.grade == grade


@pytest.mark.parametrize(
    ("typed", "grade"), [("<0.5", 4), ("<1.0", 3), ("<=0.5", 3), (">1.8", None)]
)
def test_a_count_reported_as_a_limit_is_graded_on_its_side_of_it(
    typed: str, grade: int | None
) -> None:
    measured = assess({"neutrophils": typed}).values["neutrophils"]
    spec = default_catalog().analyte("neutrophils")

    graded = grade_of(
        spec, measured.value, spec.reference_for("female"), comparator=measured.comparator
    )

    assert (graded.grade if graded else None) == grade


def test_below_a_lower_limit_of_normal_under_1500_a_count_is_graded_2_not_1() -> None:
    text = site_catalog("reference: {low: 1.8, high: 7.7}", "reference: {low: 1.4, high: 7.7}")
    spec = parse_catalog(text, "site-labs.yaml").analyte("neutrophils")

    assert grade_of(spec, 1.45, spec.reference) is not None
    assert grade_of(spec, 1.45, spec.reference).grade == 2  # type: ignore[union-attr]
    assert grade_of(spec, 1.5, spec.reference) is None


# -- typed values and their units -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("analyte", "typed", "unit", "stored", "shown"),
    [
        ("neutrophils", "899", "/uL", 0.899, "899 /µL"),
        ("leukocytes", "14500 /µl", "10*9/L", 14.5, "14500 /µL"),
        ("leukocytes", "14,5", "10*9/L", 14.5, "14.5 10⁹/L"),
        ("leukocytes", "14.5 Gpt/l", "/uL", 14.5, "14.5 10⁹/L"),
        ("platelets", "180.000", "/uL", 180.0, "180000 /µL"),
        ("platelets", "180,000", "/uL", 180.0, "180000 /µL"),
        ("platelets", "180 000", "/uL", 180.0, "180000 /µL"),
        ("platelets", "180.000/µl", "10*9/L", 180.0, "180000 /µL"),
        ("platelets", "180", "10*9/L", 180.0, "180 10⁹/L"),
        ("haemoglobin", "135", "g/L", 13.5, "135 g/L"),
        ("haemoglobin", "8,5", "mmol/L", 13.6935, "8.5 mmol/L"),
        ("crp", "4,2", "mg/dL", 42.0, "4.2 mg/dL"),
        ("crp", "12 mg/l", "mg/dL", 12.0, "12 mg/L"),
        ("procalcitonin", "5.3", "ug/L", 5.3, "5.3 µg/L"),
        ("creatinine", "0,9", "mg/dL", 79.56, "0.9 mg/dL"),
        ("alt", "1,5", "ukat/L", 90.0, "1.5 µkat/L"),
        ("tsh", "0.27", "u[IU]/mL", 0.27, "0.27 µIU/mL"),
    ],
)
def test_a_value_in_any_unit_of_the_report_is_stored_in_the_records_unit(
    analyte: str, typed: str, unit: str, stored: float, shown: str
) -> None:
    assessment = assess({analyte: typed}, {analyte: unit})

    assert assessment.refused == []
    measured = assessment.values[analyte]
    assert measured.value == pytest.approx(stored)
    assert measured.unit == default_catalog().analyte(analyte).unit
    assert measured.typed == shown


def test_a_conversion_is_shown_beside_its_field() -> None:
    assessment = assess({"neutrophils": "899", "platelets": "142"}, {"neutrophils": "/uL"})

    assert messages(assessment.notes) == {"neutrophils": "899 /µL = 0.90 10⁹/L"}


@pytest.mark.parametrize(
    ("analyte", "typed", "unit", "message", "other"),
    [
        ("neutrophils", "899", "10*9/L",
         "899 10⁹/L is not possible for Neutrophils — /µL? That is 0.90 10⁹/L", "/uL"),
        ("platelets", "180000", "10*9/L",
         "180000 10⁹/L is not possible for Platelets — /µL? That is 180 10⁹/L", "/uL"),
        ("creatinine", "0.9", "umol/L",
         "0.9 µmol/L is not possible for Creatinine — mg/dL? That is 80 µmol/L", "mg/dL"),
        ("alt", "0,6", "U/L", "0.6 U/L is not possible for ALT — µkat/L? That is 36 U/L", "ukat/L"),
        ("crp", "150", "mg/dL",
         "150 mg/dL is not possible for CRP — mg/L? That is 150.0 mg/L", "mg/L"),
        ("haemoglobin", "135", "g/dL",
         "135 g/dL is not possible for Haemoglobin — g/L? That is 13.5 g/dL", "g/L"),
    ],
)  # fmt: skip
def test_a_value_impossible_in_its_unit_is_refused_and_the_unit_that_fits_is_offered(
    analyte: str, typed: str, unit: str, message: str, other: str
) -> None:
    assessment = assess({analyte: typed}, {analyte: unit})

    assert messages(assessment.refused) == {analyte: message}
    assert assessment.values == {}
    assert not assessment.storable
    [suggestion] = assessment.suggestions
    assert (suggestion.field, suggestion.unit) == (analyte, other)

    # Taking the offer reads the same digits in the unit that fits.
    taken = assess({analyte: typed}, {analyte: suggestion.unit})
    assert taken.refused == []


@pytest.mark.parametrize(
    ("analyte", "typed", "unit", "other"),
    [
        ("crp", "4,2", "mg/dL", "mg/L"),
        ("haemoglobin", "8.5", "g/dL", "mmol/L"),
        ("alt", "30", "ukat/L", "U/L"),
    ],
)
def test_a_value_that_another_unit_would_make_normal_is_asked_about(
    analyte: str, typed: str, unit: str, other: str
) -> None:
    assessment = assess({analyte: typed}, {analyte: unit})

    assert assessment.storable
    assert analyte in assessment.values
    [asked] = assessment.to_confirm
    assert asked.field == analyte
    assert "is the unit right?" in asked.message
    assert [(s.field, s.unit) for s in assessment.suggestions] == [(analyte, other)]


def test_a_low_value_no_other_unit_explains_is_not_asked_about() -> None:
    # Lymphocytes near the detection limit are the intended effect, in any unit.
    assessment = assess({"lymphocytes": "0.05", "neutrophils": "899 /µL"})

    assert assessment.to_confirm == []
    assert assessment.suggestions == []


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        ({"crp": "abc"}, "crp", "'abc' is not a number"),
        ({"crp": "12 mmHg"}, "crp", "'mmHg' is not a unit of CRP (mg/L, mg/dL)"),
        ({"crp": "-3"}, "crp", "'-3' is not a number"),
        ({"crp": "1" * 30}, "crp", "'11111111111111111111…' is not a number"),
        ({}, "results", "nothing entered"),
    ],
)
def test_text_that_is_not_a_value_is_refused_beside_its_field(
    texts: dict[str, str], field: str, message: str
) -> None:
    assessment = assess(texts)

    assert messages(assessment.refused) == {field: message}
    assert assessment.values == {}


def test_an_abnormal_urinalysis_must_say_what_it_showed() -> None:
    refused = assess({}, finding="abnormal")
    told = assess({}, finding="abnormal", note="  protein ++,  erythrocytes + ")

    assert messages(refused.refused) == {"note": "say in the note what the urinalysis showed"}
    assert told.refused == []
    assert (told.finding, told.note) == ("abnormal", "protein ++, erythrocytes +")


def test_a_sample_taken_in_the_future_is_refused() -> None:
    assessment = assess({"crp": "3"}, sampled_at=NOW + timedelta(minutes=10))

    assert messages(assessment.refused) == {
        "sampled_at": "later than now: the sample cannot be taken in the future"
    }


def test_results_a_follow_up_slot_needs_must_be_given() -> None:
    assessment = assess(
        {"leukocytes": "5.1", "platelets": "210"},
        required={"neutrophils": "needed for the blood count", "leukocytes": "needed"},
    )

    assert messages(assessment.refused) == {"neutrophils": "needed for the blood count"}


# -- where in the day a sample was taken ---------------------------------------------------------


def day(*, steroid_day: bool = True, **times: datetime) -> SamplingContext:
    """An infusion day planned to start at 08:00, an hour before NOW."""
    return SamplingContext(
        starts_at=NOW - timedelta(hours=1), steroid_day=steroid_day, local=lambda m: m, **times
    )


def test_a_sample_after_the_steroid_on_a_day_without_steroid_is_refused() -> None:
    assessment = assess(
        {"crp": "3"}, point=SamplingPoint.AFTER_STEROID, context=day(steroid_day=False)
    )

    assert messages(assessment.refused) == {"point": "no steroid is given on this day"}


def test_a_follow_up_sample_on_an_infusion_day_is_refused() -> None:
    assessment = assess({"crp": "3"}, point=SamplingPoint.FOLLOW_UP, context=day())

    assert set(messages(assessment.refused)) == {"point"}


@pytest.mark.parametrize(
    ("point", "context", "message"),
    [
        (SamplingPoint.BEFORE_STEROID, day(steroid_started_at=NOW - timedelta(hours=1)),
         "sampled at 09:00, after the start at 08:00"),
        (SamplingPoint.AFTER_STEROID, day(steroid_started_at=NOW + timedelta(minutes=1)),
         "sampled at 09:00: the steroid had not been started then"),
        (SamplingPoint.AFTER_ALEMTUZUMAB, day(infusion_started_at=NOW - timedelta(hours=1)),
         "sampled at 09:00: the infusion had not ended then"),
    ],
)  # fmt: skip
def test_a_sampling_time_that_contradicts_the_day_is_asked_about(
    point: SamplingPoint, context: SamplingContext, message: str
) -> None:
    assessment = assess({"crp": "3"}, point=point, context=context)

    assert assessment.storable
    assert messages(assessment.to_confirm) == {"sampled_at": message}


@pytest.mark.parametrize(
    ("hours", "asked"),
    [(-13, True), (-11, False), (0, False), (16, False), (23, False), (25, True)],
)
def test_a_sample_far_from_its_infusion_day_is_asked_about(hours: int, asked: bool) -> None:
    # The day runs from 08:00: past midnight (a late start, a long observation) is still its day.
    assessment = assess(
        {"crp": "3"},
        point=SamplingPoint.AFTER_ALEMTUZUMAB,
        sampled_at=NOW - timedelta(hours=1) + timedelta(hours=hours),
        now=NOW + timedelta(days=2),
        context=day(infusion_ended_at=NOW - timedelta(days=2)),
    )

    far = "sampled_at" in messages(assessment.to_confirm)
    assert far is asked
    if asked and hours < 0:
        assert messages(assessment.to_confirm)["sampled_at"] == (
            "sampled 22.11.2026 19:00: far from this infusion day, which began 23.11.2026 08:00"
        )


# -- properties ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    texts=st.dictionaries(st.sampled_from(ENTRY_FIELDS), st.text(max_size=30), max_size=6),
    units=st.dictionaries(st.sampled_from(ANALYTES), st.text(max_size=10), max_size=4),
)
def test_any_text_in_any_unit_is_judged_without_crashing_and_only_possible_values_pass(
    texts: dict[str, str], units: dict[str, str]
) -> None:
    catalog = default_catalog()

    assessment = assess(texts, units)

    for name, measured in assessment.values.items():
        analyte = catalog.analyte(name)
        assert measured.unit == analyte.unit
        assert analyte.possible.holds(measured.value)
    refused = {p.field for p in assessment.refused}
    assert refused.isdisjoint(assessment.values)


@settings(max_examples=300, deadline=None)
@given(
    analyte=st.sampled_from(ANALYTES),
    data=st.data(),
)
def test_a_value_typed_in_any_unit_reads_back_as_the_same_stored_value(
    analyte: str, data: st.DataObject
) -> None:
    spec: LabCatalog = default_catalog()
    entry = spec.analyte(analyte)
    unit = data.draw(st.sampled_from(entry.units))
    # Inside the possible range: a bound in another unit, rounded as printed, may fall outside.
    step = Decimal(1).scaleb(-entry.decimals)
    low = Decimal(str(entry.possible.low)) + step
    high = Decimal(str(entry.possible.high)) - step
    stored = data.draw(
        st.decimals(min_value=low, max_value=high, places=entry.decimals, allow_nan=False)
    )
    # As a report prints it: a few decimals, with a decimal comma.
    typed = round(unit.from_stored(stored), 8)
    text = format(typed, "f").replace(".", ",")

    assessment = assess({analyte: text}, {analyte: unit.ucum})

    assert analyte in assessment.values, assessment.refused
    assert assessment.values[analyte].value == pytest.approx(float(stored), abs=1e-6)
