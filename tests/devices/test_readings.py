"""Readings: parameters, canonical units and the physiological plausibility gate."""

import dataclasses
import math
from datetime import datetime

import pytest

from devices.readings import (
    CANONICAL_UNIT,
    PLAUSIBLE_RANGE,
    Decoded,
    Parameter,
    Reading,
    is_plausible,
)


def test_parameters_are_named_as_stored() -> None:
    assert [parameter.value for parameter in Parameter] == [
        "hr",
        "pr",
        "sbp",
        "dbp",
        "map",
        "temp",
        "spo2",
        "rr",
    ]


def test_every_parameter_has_its_canonical_unit() -> None:
    assert dict(CANONICAL_UNIT) == {
        Parameter.HR: "/min",
        Parameter.PR: "/min",
        Parameter.RR: "/min",
        Parameter.SBP: "mmHg",
        Parameter.DBP: "mmHg",
        Parameter.MAP: "mmHg",
        Parameter.TEMP: "Cel",
        Parameter.SPO2: "%",
    }


@pytest.mark.parametrize(
    ("parameter", "low", "high"),
    [
        (Parameter.HR, 15.0, 300.0),
        (Parameter.PR, 15.0, 300.0),
        (Parameter.SBP, 30.0, 300.0),
        (Parameter.DBP, 10.0, 250.0),
        (Parameter.MAP, 15.0, 280.0),
        (Parameter.TEMP, 25.0, 45.0),
        (Parameter.SPO2, 40.0, 100.0),
        (Parameter.RR, 2.0, 80.0),
    ],
)
def test_plausible_range_is_inclusive_and_nothing_beyond(
    parameter: Parameter, low: float, high: float
) -> None:
    assert PLAUSIBLE_RANGE[parameter] == (low, high)
    assert is_plausible(parameter, low)
    assert is_plausible(parameter, high)
    assert is_plausible(parameter, (low + high) / 2)
    assert not is_plausible(parameter, low - 0.1)
    assert not is_plausible(parameter, high + 0.1)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_never_plausible(value: float) -> None:
    assert not any(is_plausible(parameter, value) for parameter in Parameter)


def test_monitor_sentinels_are_not_plausible() -> None:
    # Values monitors send for "no measurement": 0 from a Rad-8 without a finger,
    # -100 / -999 from some HL7 senders, 8388607 (IEEE 11073 NaN) from others.
    for value in (0.0, -100.0, -999.0, 8388607.0):
        assert not is_plausible(Parameter.SPO2, value)
        assert not is_plausible(Parameter.HR, value)


def test_a_reading_must_be_in_its_canonical_unit() -> None:
    with pytest.raises(ValueError, match="temp must be in 'Cel'"):
        Reading(Parameter.TEMP, 99.1, "F", None, "hl7")


def test_readings_cannot_be_changed_after_decoding() -> None:
    reading = Reading(
        Parameter.SPO2, 98.0, "%", datetime.fromisoformat("2016-03-17T19:19:36"), "masimo"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.value = 50.0  # type: ignore[misc]


def test_an_empty_decode_says_nothing() -> None:
    decoded = Decoded()
    assert decoded.readings == ()
    assert decoded.status == ()
    assert decoded.unmapped == ()
    assert decoded.dropped_implausible == 0
