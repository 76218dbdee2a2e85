"""A set of vital signs as a nurse types it: what is read, refused, questioned and suggested."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alemmonitor.errors import EntryError
from alemmonitor.vitals import (
    ENTRY_FIELDS,
    POSSIBLE_RANGE,
    Assessment,
    EntryRulesFileError,
    assess_entry,
    check_vitals,
    default_entry_rules,
    load_entry_rules,
    monitor_offers,
    parse_entry_rules,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FORM_FIELDS = {*ENTRY_FIELDS, "measured_at", "backdate_reason", "vitals"}


def assess(
    *,
    at: datetime = NOW,
    reason: str = "",
    expected: tuple[str, ...] = (),
    **texts: str,
) -> Assessment:
    return assess_entry(texts, measured_at=at, now=NOW, backdate_reason=reason, expected=expected)


def refused(assessment: Assessment) -> dict[str, str]:
    return {p.field: p.message for p in assessment.refused}


def to_confirm(assessment: Assessment) -> dict[str, str]:
    return {p.field: p.message for p in assessment.to_confirm}


# -- a normal set --------------------------------------------------------------------------------


def test_a_normal_set_is_read_in_stored_units_with_nothing_to_confirm() -> None:
    result = assess(hr="72", sbp="128", dbp="82", temp="36,8", spo2="97", rr="14", acvpu="A")

    assert result.values == {
        "hr": 72.0,
        "sbp": 128.0,
        "dbp": 82.0,
        "temp": 36.8,
        "spo2": 97.0,
        "rr": 14.0,
        "acvpu": 0.0,
        "o2_flow": 0.0,
    }
    assert result.units == {
        "hr": "/min",
        "sbp": "mmHg",
        "dbp": "mmHg",
        "temp": "Cel",
        "spo2": "%",
        "rr": "/min",
        "acvpu": "{ACVPU}",
        "o2_flow": "L/min",
    }
    assert (result.refused, result.to_confirm, result.suggestions) == ([], [], [])
    assert result.storable
    assert not result.backdated
    check_vitals(result.values)  # what the ward will store


@pytest.mark.parametrize(
    ("field", "typed", "value"),
    [
        ("temp", "37,5", 37.5),
        ("temp", " 37 , 5 ", 37.5),
        ("temp", "37.5 °C", 37.5),
        ("temp", "37,5C", 37.5),
        ("temp", "37.", 37.0),
        ("hr", "72 bpm", 72.0),
        ("hr", "72/min", 72.0),
        ("hr", "\t72\n", 72.0),
        ("spo2", "98 %", 98.0),
        ("spo2", "97,5", 97.5),
        ("rr", "1 6", 16.0),
    ],
)
def test_what_gloved_hands_type_is_read(field: str, typed: str, value: float) -> None:
    result = assess(**{field: typed})
    assert refused(result) == {}
    assert result.values[field] == value


def test_a_blood_pressure_written_as_one_is_read_as_both() -> None:
    result = assess(sbp="120/80")
    assert (result.values["sbp"], result.values["dbp"]) == (120.0, 80.0)
    assert refused(result) == {}


def test_a_blood_pressure_written_as_one_beside_a_diastolic_is_refused() -> None:
    result = assess(sbp="120/80", dbp="75")
    assert "the diastolic has its own field" in refused(result)["sbp"]


@pytest.mark.parametrize("typed", ["abc", "7a", "1e3", "--5", "37,5,1", "½", "٣٧", "72!", "/"])
def test_text_that_is_not_a_number_is_refused_saying_so(typed: str) -> None:
    result = assess(hr=typed)
    assert refused(result) == {"hr": f"'{typed}' is not a number"}
    assert "hr" not in result.values
    assert not result.storable


def test_a_very_long_entry_is_refused_and_quoted_short() -> None:
    result = assess(hr="7" * 200)
    assert refused(result)["hr"].startswith("'77777777777777777777…'")


# -- impossible values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "lowest", "highest", "below", "above"),
    [
        ("hr", "15", "300", "14", "301"),
        ("sbp", "30", "300", "29", "301"),
        ("dbp", "10", "250", "9", "251"),
        ("temp", "25", "45", "24,9", "45,1"),
        ("spo2", "40", "100", "39", "100,5"),
        ("rr", "2", "80", "1", "81"),
    ],
)
def test_the_possible_range_is_inclusive_and_nothing_beyond_it_is_taken(
    field: str, lowest: str, highest: str, below: str, above: str
) -> None:
    partner = {"sbp": {"dbp": "9"}, "dbp": {"sbp": "260"}}.get(field, {})
    for typed in (lowest, highest):
        result = assess(**{field: typed}, **partner)
        assert field not in refused(result), typed
        assert field in result.values
    for typed in (below, above):
        result = assess(**{field: typed}, **partner)
        assert "is not possible" in refused(result)[field], typed
        assert field not in result.values


def test_a_heart_rate_typed_twice_is_refused_as_such() -> None:
    assert refused(assess(hr="720")) == {"hr": "720 /min is not possible — typed twice?"}


def test_an_impossible_value_without_a_likely_slip_names_the_possible_range() -> None:
    assert refused(assess(hr="8")) == {"hr": "8 /min is not possible (possible: 15-300 /min)"}
    assert refused(assess(hr="-72")) == {"hr": "-72 /min is not possible (possible: 15-300 /min)"}


def test_an_oxygen_saturation_over_100_is_refused_with_the_reason() -> None:
    assert refused(assess(spo2="101")) == {
        "spo2": "101 % is not possible: SpO2 cannot be over 100 %"
    }


@pytest.mark.parametrize(("systolic", "diastolic"), [("80", "120"), ("90", "90")])
def test_a_systolic_not_above_the_diastolic_is_refused(systolic: str, diastolic: str) -> None:
    result = assess(sbp=systolic, dbp=diastolic)
    assert refused(result) == {
        "sbp": f"systolic {systolic} is not above diastolic {diastolic} — swapped?"
    }
    assert not result.storable


def test_a_systolic_just_above_the_diastolic_is_possible() -> None:
    assert "sbp" not in refused(assess(sbp="91", dbp="90"))


@pytest.mark.parametrize(("given_field", "missing"), [("sbp", "dbp"), ("dbp", "sbp")])
def test_half_a_blood_pressure_is_refused_on_the_missing_half(
    given_field: str, missing: str
) -> None:
    result = assess(**{given_field: "100"})
    assert set(refused(result)) == {missing}
    assert "missing: blood pressure needs the" in refused(result)[missing]


def test_an_empty_entry_is_refused() -> None:
    result = assess()
    assert refused(result) == {"vitals": "nothing entered"}


# -- °F and the missing decimal comma ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "celsius"),
    [("93", "33.9"), ("98.6", "37.0"), ("99,5", "37.5"), ("102.2", "39.0"), ("113", "45.0")],
)
def test_a_temperature_that_looks_like_fahrenheit_offers_celsius(typed: str, celsius: str) -> None:
    result = assess(temp=typed)
    assert "°F?" in refused(result)["temp"]
    assert f"°F is {celsius} °C" in refused(result)["temp"]
    [suggestion] = result.suggestions
    assert (suggestion.field, suggestion.text, suggestion.label) == (
        "temp",
        celsius,
        f"Use {celsius} °C",
    )
    assert suggestion.value == float(celsius)
    assert "temp" not in result.values


@pytest.mark.parametrize("typed", ["92,9", "113,1", "50"])
def test_a_temperature_outside_the_fahrenheit_window_is_only_refused(typed: str) -> None:
    result = assess(temp=typed)
    assert "is not possible (possible: 25-45 °C)" in refused(result)["temp"]
    assert result.suggestions == []


def test_a_temperature_written_in_fahrenheit_is_converted_when_asked() -> None:
    result = assess(temp="98,6 °F")
    assert refused(result) == {"temp": "the chart takes °C: 98.6 °F is 37.0 °C"}
    assert [s.text for s in result.suggestions] == ["37.0"]


def test_an_impossible_fahrenheit_temperature_offers_nothing() -> None:
    result = assess(temp="200F")
    assert refused(result) == {"temp": "200 °F is 93.3 °C, which is not possible"}
    assert result.suggestions == []


def test_a_temperature_without_its_decimal_comma_offers_it() -> None:
    result = assess(temp="375")
    assert refused(result) == {"temp": "375 °C is not possible — decimal comma missing?"}
    assert [s.label for s in result.suggestions] == ["Use 37.5 °C"]


# -- unusual values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "usual", "unusual", "message"),
    [
        ("hr", "40", "39", "39 /min is unusual: below 40 /min"),
        ("hr", "140", "141", "141 /min is unusual: above 140 /min"),
        ("sbp", "90", "89", "89 mmHg is unusual: below 90 mmHg"),
        ("sbp", "180", "181", "181 mmHg is unusual: above 180 mmHg"),
        ("temp", "35", "34,9", "34.9 °C is unusual: below 35 °C"),
        ("temp", "38,9", "39", "39 °C is unusual: 39 °C or more"),
        ("spo2", "90", "89", "89 % is unusual: below 90 %"),
        ("rr", "8", "7", "7 /min is unusual: below 8 /min"),
        ("rr", "30", "31", "31 /min is unusual: above 30 /min"),
    ],
)
def test_unusual_values_are_taken_but_ask_for_confirmation_at_their_limit(
    field: str, usual: str, unusual: str, message: str
) -> None:
    partner = {"sbp": {"dbp": "60"}}.get(field, {})
    assert to_confirm(assess(**{field: usual}, **partner)) == {}
    result = assess(**{field: unusual}, **partner)
    assert to_confirm(result) == {field: message}
    assert refused(result) == {}
    assert result.storable


def test_the_shipped_limits_are_the_ones_in_the_data_file() -> None:
    rules = default_entry_rules()
    hr = rules.limits_for("hr")
    temp = rules.limits_for("temp")
    assert hr is not None
    assert temp is not None
    assert (hr.below, hr.above) == (40, 140)
    assert (temp.below, temp.at_or_above) == (35, 39)
    assert rules.backdate_reason_after == timedelta(minutes=5)
    assert rules.monitor_value_max_age == timedelta(minutes=5)


# -- consciousness and oxygen --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [("A", 0), ("c", 1), (" V ", 2), ("P", 3), ("u", 4), ("Alert", 0), ("voice", 2)],
)
def test_consciousness_is_stored_as_its_acvpu_code(typed: str, code: int) -> None:
    result = assess(acvpu=typed)
    assert result.values["acvpu"] == code
    assert result.units["acvpu"] == "{ACVPU}"
    assert ("acvpu" in to_confirm(result)) == (code > 0)


def test_a_patient_not_alert_is_confirmed_in_words() -> None:
    assert to_confirm(assess(acvpu="C")) == {"acvpu": "C (new Confusion): not alert"}


def test_an_unknown_consciousness_level_is_refused() -> None:
    assert refused(assess(acvpu="X")) == {"acvpu": "'X' is not one of A, C, V, P, U"}


@pytest.mark.parametrize(
    ("flow", "choice", "stored"),
    [("", "", 0.0), ("0", "", 0.0), ("", "air", 0.0), ("air", "", 0.0), ("2", "", 2.0)],
)
def test_air_is_an_empty_or_zero_flow(flow: str, choice: str, stored: float) -> None:
    result = assess(hr="70", o2_flow=flow, air_or_oxygen=choice)
    assert refused(result) == {}
    assert result.values["o2_flow"] == stored
    assert result.units["o2_flow"] == "L/min"


@pytest.mark.parametrize(
    ("flow", "choice", "message"),
    [
        ("", "oxygen", "on oxygen: give the flow in L/min"),
        ("0", "oxygen", "oxygen at 0 L/min: choose air, or give the flow"),
        ("2", "air", "2 L/min, but air is chosen: choose oxygen"),
        ("61", "oxygen", "61 L/min is not possible (possible: 0-60 L/min)"),
        ("-1", "oxygen", "-1 L/min is not possible (possible: 0-60 L/min)"),
        ("zwei", "oxygen", "'zwei' is not a number"),
    ],
)
def test_oxygen_must_say_how_much(flow: str, choice: str, message: str) -> None:
    result = assess(hr="70", o2_flow=flow, air_or_oxygen=choice)
    assert refused(result) == {"o2_flow": message}
    assert "o2_flow" not in result.values


def test_oxygen_beyond_nasal_prongs_asks_for_confirmation() -> None:
    assert to_confirm(assess(hr="70", o2_flow="6", air_or_oxygen="oxygen")) == {}
    result = assess(hr="70", o2_flow="8 l/min", air_or_oxygen="oxygen")
    assert to_confirm(result) == {"o2_flow": "8 L/min is unusual: above 6 L/min"}
    assert result.values["o2_flow"] == 8.0


# -- what the protocol asks for ------------------------------------------------------------------


def test_a_parameter_the_protocol_asks_for_left_empty_asks_for_confirmation() -> None:
    result = assess(hr="70", expected=("sbp", "dbp", "hr", "temp"))
    assert refused(result) == {}
    assert set(to_confirm(result)) == {"sbp", "dbp", "temp"}
    assert to_confirm(result)["temp"] == "not entered: chart the set without it?"


def test_a_pulse_asked_for_is_a_heart_rate_typed() -> None:
    assert to_confirm(assess(hr="70", expected=("pr",))) == {}


# -- time ----------------------------------------------------------------------------------------


def test_a_set_measured_within_five_minutes_needs_no_reason() -> None:
    result = assess(hr="70", at=NOW - timedelta(minutes=5))
    assert not result.backdated
    assert not result.backdate_reason_missing
    assert refused(result) == {}


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_back_dated_set_needs_a_reason(reason: str) -> None:
    result = assess(hr="70", at=NOW - timedelta(minutes=5, seconds=1), reason=reason)
    assert result.backdated
    assert result.backdate_reason_missing
    assert refused(result) == {"backdate_reason": "measured 5 min ago: say why it is entered late"}


def test_a_back_dated_set_with_a_reason_can_be_stored() -> None:
    result = assess(hr="70", at=NOW - timedelta(minutes=40), reason="  patient  was away ")
    assert result.backdated
    assert result.backdate_reason == "patient was away"
    assert not result.backdate_reason_missing
    assert result.storable
    assert result.measured_at == NOW - timedelta(minutes=40)


def test_a_set_in_the_future_is_refused() -> None:
    assert refused(assess(hr="70", at=NOW)) == {}
    result = assess(hr="70", at=NOW + timedelta(seconds=1))
    assert refused(result) == {"measured_at": "later than now: the time must not be in the future"}


def test_times_without_a_time_zone_are_a_bug_of_the_caller() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        assess_entry(
            {"hr": "70"}, measured_at=NOW.replace(tzinfo=None), now=NOW, backdate_reason=""
        )


# -- any text ------------------------------------------------------------------------------------

field_texts = st.dictionaries(
    st.sampled_from([*ENTRY_FIELDS, "air_or_oxygen"]),
    st.one_of(
        st.text(max_size=30),
        st.from_regex(r"\s*[+-]?[0-9]{0,4}([.,][0-9]{0,3})?\s*(°[CcFf]|%|/min|mmHg|l/min)?"),
    ),
)


@given(texts=field_texts, minutes=st.integers(-120, 24 * 60), reason=st.text(max_size=10))
def test_any_text_is_only_ever_refused_never_an_error(
    texts: dict[str, str], minutes: int, reason: str
) -> None:
    result = assess_entry(
        texts,
        measured_at=NOW - timedelta(minutes=minutes),
        now=NOW,
        backdate_reason=reason,
        expected=("sbp", "dbp", "hr", "temp"),
    )
    assert {p.field for p in [*result.refused, *result.to_confirm]} <= FORM_FIELDS
    assert all(p.message for p in [*result.refused, *result.to_confirm])
    for name, value in result.values.items():
        low, high = POSSIBLE_RANGE[name]
        assert low <= value <= high
    if result.storable:
        assert set(check_vitals(result.values)) == set(result.values)


@given(st.floats(15, 300), st.sampled_from([".", ","]))
def test_every_possible_heart_rate_is_read_back_whichever_decimal_mark(
    rate: float, mark: str
) -> None:
    typed = f"{rate:.1f}".replace(".", mark)
    result = assess(hr=typed)
    assert result.values["hr"] == pytest.approx(round(rate, 1))


# -- the record's own check ----------------------------------------------------------------------


def test_the_record_takes_consciousness_and_oxygen_in_their_units() -> None:
    assert check_vitals({"acvpu": 4, "o2_flow": 2.5, "hr": 80}) == {
        "acvpu": "{ACVPU}",
        "o2_flow": "L/min",
        "hr": "/min",
    }


@pytest.mark.parametrize(
    "values", [{"acvpu": 2.5}, {"acvpu": 5}, {"acvpu": -1}, {"o2_flow": 61}, {"o2_flow": -0.5}]
)
def test_the_record_refuses_impossible_consciousness_and_oxygen(values: dict[str, float]) -> None:
    with pytest.raises(EntryError) as caught:
        check_vitals(values)
    assert [p.field for p in caught.value.problems] == list(values)


# -- the rules file ------------------------------------------------------------------------------

VALID = """\
schema: 1
backdate_reason_after_min: 10
monitor_value_max_age_min: 3
confirm:
  hr:
    below: 45
"""


def test_a_site_can_set_its_own_limits(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(VALID, encoding="utf-8")
    rules = load_entry_rules(path)
    result = assess_entry(
        {"hr": "44", "temp": "39.5"},
        measured_at=NOW - timedelta(minutes=8),
        now=NOW,
        backdate_reason="",
        rules=rules,
    )
    assert to_confirm(result) == {"hr": "44 /min is unusual: below 45 /min"}
    assert not result.backdated


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID + "    above: 30\n", "rules.yaml:6: confirm.hr: Value error, below (45)"),
        (VALID + "  pulse:\n    above: 100\n", "rules.yaml:7: confirm.pulse"),
        (VALID + "  spo2:\n    above: 101\n", "rules.yaml:8: confirm.spo2.above: 101 is outside"),
        (VALID + "  rr: {}\n", "rules.yaml:7: confirm.rr: Value error, give below"),
        (VALID.replace("schema: 1", "schema: 2"), "rules.yaml:1: schema: Input should be 1"),
        (VALID.replace("    below: 45", "    below: many"), "rules.yaml:6: confirm.hr.below"),
        ("- just a list\n", "rules.yaml:1: the file must hold a mapping"),
        ("schema: [\n", "rules.yaml:2: not valid YAML"),
    ],
)
def test_a_broken_rules_file_is_refused_naming_line_and_field(text: str, expected: str) -> None:
    with pytest.raises(EntryRulesFileError) as caught:
        parse_entry_rules(text, "rules.yaml")
    assert any(problem.startswith(expected) for problem in caught.value.problems), (
        caught.value.problems
    )


def test_a_missing_rules_file_is_a_readable_error(tmp_path: Path) -> None:
    with pytest.raises(EntryRulesFileError, match="cannot be read"):
        load_entry_rules(tmp_path / "nowhere.yaml")


# -- the vitals round ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Latest:
    value: float
    at: datetime
    source: str = "masimo"


def test_the_round_offers_each_monitor_value_with_its_age() -> None:
    offers = monitor_offers(
        {
            "hr": Latest(72.4, NOW - timedelta(seconds=30)),
            "spo2": Latest(97, NOW - timedelta(minutes=5)),
            "temp": Latest(36.86, NOW - timedelta(minutes=5, seconds=1)),
            "sbp": Latest(128, NOW - timedelta(minutes=20), source="manual"),
            "map": Latest(95, NOW),
        },
        NOW,
    )
    assert set(offers) == {"hr", "spo2", "temp"}
    assert (offers["hr"].text, offers["hr"].age, offers["hr"].fresh) == (
        "72",
        timedelta(seconds=30),
        True,
    )
    assert (offers["spo2"].text, offers["spo2"].fresh) == ("97", True)
    assert (offers["temp"].text, offers["temp"].fresh) == ("36.9", False)


def test_the_round_takes_the_oximeter_pulse_when_there_is_no_newer_heart_rate() -> None:
    only_pulse = monitor_offers({"pr": Latest(66, NOW)}, NOW)
    assert (only_pulse["hr"].parameter, only_pulse["hr"].text) == ("pr", "66")
    both = monitor_offers({"pr": Latest(66, NOW), "hr": Latest(70, NOW)}, NOW)
    assert (both["hr"].parameter, both["hr"].text) == ("hr", "70")
    newer_pulse = monitor_offers(
        {"pr": Latest(66, NOW), "hr": Latest(70, NOW - timedelta(minutes=9))}, NOW
    )
    assert newer_pulse["hr"].parameter == "pr"
