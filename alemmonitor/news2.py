"""NEWS2, the National Early Warning Score 2 (Royal College of Physicians, 2017).

Scores a complete set of observations: respiration rate, SpO2 (scale 1, or scale 2 for patients
with hypercapnic respiratory failure, prescribed per patient), air or oxygen, systolic blood
pressure, pulse, consciousness (ACVPU) and temperature. Gives the aggregate, each parameter's score,
the clinical response band and the minimum observation frequency the score implies. On an
alemtuzumab day the protocol's hourly vital signs are the floor: NEWS2 can only shorten it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from alemmonitor.errors import AlemMonitorError
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, TextEnum

SpO2Scale = Literal[1, 2]

# Upper bounds (inclusive) of each band and its score, in the order of the RCP chart; the last
# band has no upper bound. Values are compared after rounding as the chart is read: whole numbers,
# temperature to one decimal.
_RESPIRATION = ((8, 3), (11, 1), (20, 0), (24, 2), (None, 3))
_SPO2_SCALE_1 = ((91, 3), (93, 2), (95, 1), (None, 0))
_SPO2_SCALE_2_LOW = ((83, 3), (85, 2), (87, 1), (92, 0))
_SPO2_SCALE_2_ON_OXYGEN = ((94, 1), (96, 2), (None, 3))
_SYSTOLIC = ((90, 3), (100, 2), (110, 1), (219, 0), (None, 3))
_PULSE = ((40, 3), (50, 1), (90, 0), (110, 1), (130, 2), (None, 3))
_TEMPERATURE = ((35.0, 3), (36.0, 1), (38.0, 0), (39.0, 1), (None, 2))

REQUIRED = ("rr", "spo2", "o2_flow", "sbp", "pulse", "acvpu", "temp")
"""What a complete set holds; `pulse` is the heart rate, or the pulse rate when there is none."""

ALERT = 0
"""The ACVPU code of Alert (A=0, C=1, V=2, P=3, U=4, as the record stores it)."""


class IncompleteSetError(AlemMonitorError):
    """A set lacks what NEWS2 needs; `missing` names the parameters."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__("NEWS2 needs " + ", ".join(missing))


class Band(TextEnum):
    """The clinical risk bands and the response each asks for."""

    LOW = QT_TRANSLATE_NOOP("Band", "low")
    LOW_MEDIUM = QT_TRANSLATE_NOOP("Band", "low-medium")
    MEDIUM = QT_TRANSLATE_NOOP("Band", "medium")
    HIGH = QT_TRANSLATE_NOOP("Band", "high")


RESPONSES = {
    Band.LOW: QT_TRANSLATE_NOOP(
        "News2", "Registered nurse assesses; decides whether observations become more frequent."
    ),
    Band.LOW_MEDIUM: QT_TRANSLATE_NOOP(
        "News2", "A score of 3 in one parameter: inform the medical team urgently."
    ),
    Band.MEDIUM: QT_TRANSLATE_NOOP(
        "News2", "Urgent response: urgent assessment by a clinician competent in acute illness."
    ),
    Band.HIGH: QT_TRANSLATE_NOOP(
        "News2",
        "Emergency response: emergency assessment, continuous monitoring, consider critical care.",
    ),
}


@dataclass(frozen=True)
class News2:
    """A scored set: per-parameter scores, their sum, the band and the observation interval."""

    scores: Mapping[str, int]
    scale: SpO2Scale

    @property
    def aggregate(self) -> int:
        """The NEWS2 score: the sum of the parameters' scores."""
        return sum(self.scores.values())

    @property
    def band(self) -> Band:
        """The clinical risk band."""
        if self.aggregate >= 7:
            return Band.HIGH
        if self.aggregate >= 5:
            return Band.MEDIUM
        if 3 in self.scores.values():
            return Band.LOW_MEDIUM
        return Band.LOW

    @property
    def response(self) -> Text:
        """What the band asks of the team."""
        return RESPONSES[self.band]

    @property
    def minimum_interval(self) -> timedelta | None:
        """The longest allowed time between observation sets; None means continuous monitoring.

        0 -> 12 h; 1-4 -> 4 h (the chart says 4-6-hourly); a 3 in one parameter or 5-6 -> 1 h;
        7 or more -> continuous.
        """
        if self.band is Band.HIGH:
            return None
        if self.band in (Band.MEDIUM, Band.LOW_MEDIUM):
            return timedelta(hours=1)
        return timedelta(hours=12) if self.aggregate == 0 else timedelta(hours=4)

    def interval_on_protocol_day(self, protocol_interval: timedelta) -> timedelta | None:
        """The observation interval on an infusion day: the protocol's, or NEWS2's if shorter."""
        own = self.minimum_interval
        return None if own is None else min(own, protocol_interval)


def _band_score(value: float, bands: tuple[tuple[float | None, int], ...]) -> int:
    for upper, score in bands:
        if upper is None or value <= upper:
            return score
    raise ValueError(f"{value} is above the last band")  # the last band is open: our bug


def score_respiration(rate: float) -> int:
    """The respiration rate's score (/min)."""
    return _band_score(round(rate), _RESPIRATION)


def score_spo2(saturation: float, *, scale: SpO2Scale = 1, on_oxygen: bool = False) -> int:
    """SpO2's score (%) on scale 1, or on scale 2 where oxygen changes the upper bands."""
    value = round(saturation)
    if scale == 1:
        return _band_score(value, _SPO2_SCALE_1)
    if value <= 92 or not on_oxygen:
        # On air, 93 % or more scores 0 on scale 2: the target range is 88-92 %.
        return _band_score(value, _SPO2_SCALE_2_LOW) if value <= 92 else 0
    return _band_score(value, _SPO2_SCALE_2_ON_OXYGEN)


def score_oxygen(flow_l_min: float) -> int:
    """Air scores 0, any supplemental oxygen 2."""
    return 2 if flow_l_min > 0 else 0


def score_systolic(pressure: float) -> int:
    """Systolic blood pressure's score (mmHg)."""
    return _band_score(round(pressure), _SYSTOLIC)


def score_pulse(rate: float) -> int:
    """The pulse's score (/min)."""
    return _band_score(round(rate), _PULSE)


def score_consciousness(acvpu: int) -> int:
    """Alert scores 0; new confusion, voice, pain or unresponsive score 3."""
    return 0 if acvpu == ALERT else 3


def score_temperature(celsius: float) -> int:
    """Temperature's score (°C, read to one decimal)."""
    return _band_score(round(celsius, 1), _TEMPERATURE)


def news2(values: Mapping[str, float], *, scale: SpO2Scale = 1) -> News2:
    """Score a complete set (parameters as the record names them; `pulse` from hr, else pr).

    Raises IncompleteSetError naming what is missing: NEWS2 is never computed from part of a set.
    """
    present = dict(values)
    if "pulse" not in present:
        pulse = present.get("hr", present.get("pr"))
        if pulse is not None:
            present["pulse"] = pulse
    missing = [name for name in REQUIRED if name not in present]
    if missing:
        raise IncompleteSetError(missing)
    on_oxygen = present["o2_flow"] > 0
    return News2(
        scores={
            "rr": score_respiration(present["rr"]),
            "spo2": score_spo2(present["spo2"], scale=scale, on_oxygen=on_oxygen),
            "o2_flow": score_oxygen(present["o2_flow"]),
            "sbp": score_systolic(present["sbp"]),
            "pulse": score_pulse(present["pulse"]),
            "acvpu": score_consciousness(int(present["acvpu"])),
            "temp": score_temperature(present["temp"]),
        },
        scale=scale,
    )
