"""NEWS2 on every boundary of every parameter, on worked examples, and its properties."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alemmonitor.news2 import (
    Band,
    IncompleteSetError,
    news2,
    score_consciousness,
    score_oxygen,
    score_pulse,
    score_respiration,
    score_spo2,
    score_systolic,
    score_temperature,
)

# Each boundary written out from the RCP 2017 chart: (value, score) on both sides of every cut.
RESPIRATION = [
    (5, 3),
    (8, 3),
    (9, 1),
    (11, 1),
    (12, 0),
    (20, 0),
    (21, 2),
    (24, 2),
    (25, 3),
    (40, 3),
]
SPO2_SCALE_1 = [(80, 3), (91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)]
SYSTOLIC = [(70, 3), (90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3)]
PULSE = [(30, 3), (40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2),
         (130, 2), (131, 3), (180, 3)]  # fmt: skip
TEMPERATURE = [(34.0, 3), (35.0, 3), (35.1, 1), (36.0, 1), (36.1, 0), (38.0, 0), (38.1, 1),
               (39.0, 1), (39.1, 2), (41.0, 2)]  # fmt: skip
# Scale 2: (SpO2, on oxygen, score)
SPO2_SCALE_2 = [(80, False, 3), (83, False, 3), (84, False, 2), (85, False, 2), (86, False, 1),
                (87, False, 1), (88, False, 0), (92, False, 0), (93, False, 0), (99, False, 0),
                (88, True, 0), (92, True, 0), (93, True, 1), (94, True, 1), (95, True, 2),
                (96, True, 2), (97, True, 3), (100, True, 3), (83, True, 3)]  # fmt: skip


@pytest.mark.parametrize(("rate", "score"), RESPIRATION)
def test_respiration_rate_bands(rate: int, score: int) -> None:
    assert score_respiration(rate) == score


@pytest.mark.parametrize(("saturation", "score"), SPO2_SCALE_1)
def test_spo2_scale_1_bands(saturation: int, score: int) -> None:
    assert score_spo2(saturation) == score
    # Oxygen does not move scale 1's bands: it is scored as a parameter of its own.
    assert score_spo2(saturation, on_oxygen=True) == score


@pytest.mark.parametrize(("saturation", "on_oxygen", "score"), SPO2_SCALE_2)
def test_spo2_scale_2_bands(saturation: int, on_oxygen: bool, score: int) -> None:
    assert score_spo2(saturation, scale=2, on_oxygen=on_oxygen) == score


@pytest.mark.parametrize(("pressure", "score"), SYSTOLIC)
def test_systolic_bands(pressure: int, score: int) -> None:
    assert score_systolic(pressure) == score


@pytest.mark.parametrize(("rate", "score"), PULSE)
def test_pulse_bands(rate: int, score: int) -> None:
    assert score_pulse(rate) == score


@pytest.mark.parametrize(("celsius", "score"), TEMPERATURE)
def test_temperature_bands(celsius: float, score: int) -> None:
    assert score_temperature(celsius) == score


def test_air_scores_nothing_and_any_oxygen_scores_two() -> None:
    assert (score_oxygen(0), score_oxygen(0.5), score_oxygen(2), score_oxygen(15)) == (0, 2, 2, 2)


@pytest.mark.parametrize(("acvpu", "score"), [(0, 0), (1, 3), (2, 3), (3, 3), (4, 3)])
def test_anything_but_alert_scores_three(acvpu: int, score: int) -> None:
    assert score_consciousness(acvpu) == score


HEALTHY = {"rr": 16, "spo2": 98, "o2_flow": 0, "sbp": 124, "hr": 72, "acvpu": 0, "temp": 36.8}


def test_a_healthy_set_scores_zero_and_asks_for_twelve_hourly_observations() -> None:
    result = news2(HEALTHY)
    assert result.aggregate == 0
    assert result.band is Band.LOW
    assert result.minimum_interval == timedelta(hours=12)
    # On an infusion day the protocol's hourly vital signs stay the floor.
    assert result.interval_on_protocol_day(timedelta(hours=1)) == timedelta(hours=1)


def test_the_late_infusion_tachycardia_with_fever_of_the_study() -> None:
    # Heart rate up in the last hours, fever: 2 (pulse 118) + 1 (38.6 °C) = 2 + 1.
    result = news2(HEALTHY | {"hr": 118, "temp": 38.6})
    assert dict(result.scores) == {"rr": 0, "spo2": 0, "o2_flow": 0, "sbp": 0, "pulse": 2,
                                   "acvpu": 0, "temp": 1}  # fmt: skip
    assert result.aggregate == 3
    assert result.band is Band.LOW
    assert result.minimum_interval == timedelta(hours=4)


def test_a_single_three_asks_for_hourly_observations_and_the_medical_team() -> None:
    result = news2(HEALTHY | {"sbp": 88})
    assert result.aggregate == 3
    assert result.band is Band.LOW_MEDIUM
    assert result.minimum_interval == timedelta(hours=1)
    assert "inform the medical team" in result.response


def test_five_is_an_urgent_response() -> None:
    result = news2(HEALTHY | {"hr": 115, "rr": 22, "temp": 38.5})  # 2 + 2 + 1
    assert (result.aggregate, result.band) == (5, Band.MEDIUM)
    assert result.minimum_interval == timedelta(hours=1)


def test_seven_is_an_emergency_with_continuous_monitoring() -> None:
    result = news2(HEALTHY | {"hr": 135, "sbp": 95, "spo2": 93, "o2_flow": 2})  # 3 + 2 + 2 + 2
    assert (result.aggregate, result.band) == (9, Band.HIGH)
    assert result.minimum_interval is None
    assert result.interval_on_protocol_day(timedelta(hours=1)) is None


def test_scale_2_for_a_hypercapnic_patient_on_oxygen() -> None:
    values = HEALTHY | {"spo2": 96, "o2_flow": 2}
    assert news2(values).aggregate == 2  # scale 1: oxygen only
    assert news2(values, scale=2).aggregate == 4  # scale 2: 96 % on oxygen scores 2 more


def test_the_pulse_rate_stands_in_for_a_missing_heart_rate() -> None:
    values = {k: v for k, v in HEALTHY.items() if k != "hr"} | {"pr": 45}
    assert news2(values).scores["pulse"] == 1


def test_an_incomplete_set_is_never_scored() -> None:
    with pytest.raises(IncompleteSetError) as refused:
        news2({"hr": 72, "sbp": 120, "temp": 36.5})
    assert refused.value.missing == ["rr", "spo2", "o2_flow", "acvpu"]


SETS = st.fixed_dictionaries({
    "rr": st.integers(2, 60),
    "spo2": st.integers(60, 100),
    "o2_flow": st.sampled_from([0, 0, 1, 2, 4, 10]),
    "sbp": st.integers(50, 260),
    "hr": st.integers(25, 220),
    "acvpu": st.integers(0, 4),
    "temp": st.integers(330, 420).map(lambda tenths: tenths / 10),
})  # fmt: skip


@given(SETS, st.sampled_from([1, 2]))
def test_the_aggregate_is_the_sum_of_the_parts_and_the_band_follows_it(
    values: dict[str, float], scale: int
) -> None:
    result = news2(values, scale=scale)  # type: ignore[arg-type]
    assert result.aggregate == sum(result.scores.values())
    assert all(0 <= score <= 3 for score in result.scores.values())
    if result.aggregate >= 7:
        assert result.band is Band.HIGH
    elif result.aggregate >= 5:
        assert result.band is Band.MEDIUM


@given(st.integers(2, 60), st.integers(2, 60))
def test_respiration_scores_never_fall_as_the_rate_moves_away_from_normal(a: int, b: int) -> None:
    low, high = sorted((a, b))
    if high <= 16:  # both below normal: the lower rate is the worse
        assert score_respiration(low) >= score_respiration(high)
    if low >= 16:  # both above normal: the higher rate is the worse
        assert score_respiration(high) >= score_respiration(low)


@given(st.integers(25, 220), st.integers(25, 220))
def test_pulse_scores_never_fall_as_the_rate_moves_away_from_normal(a: int, b: int) -> None:
    low, high = sorted((a, b))
    if high <= 70:
        assert score_pulse(low) >= score_pulse(high)
    if low >= 70:
        assert score_pulse(high) >= score_pulse(low)


@given(st.integers(60, 100), st.integers(60, 100))
def test_lower_saturation_never_scores_less_on_scale_1(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert score_spo2(low) >= score_spo2(high)


@given(st.integers(330, 420), st.integers(330, 420))
def test_temperature_scores_never_fall_away_from_normal(a: int, b: int) -> None:
    low, high = sorted((a / 10, b / 10))
    if high <= 37.0:
        assert score_temperature(low) >= score_temperature(high)
    if low >= 37.0:
        assert score_temperature(high) >= score_temperature(low)
