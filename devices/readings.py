"""What a bedside monitor reported, in the ward's terms and canonical units.

Every protocol decoder turns its frames into a `Decoded`: vital-sign `Reading`s the app
understands, the monitor's own status words (`DeviceStatus`), and observations the app
does not map (`DeviceData`), which are kept rather than guessed at.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Parameter(StrEnum):
    """A vital sign the app records, charts and alarms on."""

    HR = "hr"
    """Heart rate, from the ECG."""
    PR = "pr"
    """Pulse rate, from the oximeter or another pulse source."""
    SBP = "sbp"
    """Systolic blood pressure (non-invasive)."""
    DBP = "dbp"
    """Diastolic blood pressure (non-invasive)."""
    MAP = "map"
    """Mean arterial pressure (non-invasive)."""
    TEMP = "temp"
    """Body temperature."""
    SPO2 = "spo2"
    """Peripheral oxygen saturation (pulse oximetry)."""
    RR = "rr"
    """Respiratory rate."""


CANONICAL_UNIT: Final[Mapping[Parameter, str]] = MappingProxyType(
    {
        Parameter.HR: "/min",
        Parameter.PR: "/min",
        Parameter.RR: "/min",
        Parameter.SBP: "mmHg",
        Parameter.DBP: "mmHg",
        Parameter.MAP: "mmHg",
        Parameter.TEMP: "Cel",
        Parameter.SPO2: "%",
    }
)
"""The one unit each parameter is stored in; decoders convert to it."""

# Wide on purpose: these bounds reject values no living patient can have (sensor
# sentinels such as -100 or 8388607, garbled digits), not values that are merely
# alarming. Clinical alarm limits are a separate, configurable matter.
PLAUSIBLE_RANGE: Final[Mapping[Parameter, tuple[float, float]]] = MappingProxyType(
    {
        Parameter.HR: (15.0, 300.0),
        Parameter.PR: (15.0, 300.0),
        Parameter.SBP: (30.0, 300.0),
        Parameter.DBP: (10.0, 250.0),
        Parameter.MAP: (15.0, 280.0),
        Parameter.TEMP: (25.0, 45.0),
        Parameter.SPO2: (40.0, 100.0),
        Parameter.RR: (2.0, 80.0),
    }
)
"""Physiologically possible values per parameter (inclusive), in the canonical unit."""


def is_plausible(parameter: Parameter, value: float) -> bool:
    """Tell whether a value in the canonical unit is physiologically possible."""
    if not math.isfinite(value):
        return False
    low, high = PLAUSIBLE_RANGE[parameter]
    return low <= value <= high


@dataclass(frozen=True, slots=True)
class Reading:
    """One vital-sign value reported by a monitor, in the parameter's canonical unit.

    `device_time` is the monitor's own timestamp for the value, naive or aware exactly as
    the monitor sent it, or None when it sent none. The time the app received the value
    is recorded by the session that receives it, not here.
    """

    parameter: Parameter
    value: float
    unit: str
    device_time: datetime | None
    source: str

    def __post_init__(self) -> None:
        expected = CANONICAL_UNIT[self.parameter]
        if self.unit != expected:
            raise ValueError(f"{self.parameter.value} must be in {expected!r}, not {self.unit!r}")


@dataclass(frozen=True, slots=True)
class DeviceData:
    """An observation the monitor sent that the app does not map to a `Parameter`.

    Kept as sent so that nothing is silently lost or guessed: `code` and `system` name
    the observation in the monitor's coding (e.g. "PI" in Masimo's output, "0002-4a15" in
    Philips MDIL), `value` is its text, `unit` is the unit as the device labels it and
    `text` the device's own description, if any.
    """

    code: str
    system: str
    value: str
    unit: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """An exception or alarm word reported by the monitor.

    `value` is the word as sent; `meanings` lists what it says, in the manufacturer's
    words, as far as the manufacturer documents it (empty when nothing is flagged or when
    the manufacturer gives no table for this word).
    """

    code: str
    value: str
    meanings: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Decoded:
    """Everything one frame or message from a monitor said.

    `dropped_implausible` counts values that were well formed but outside
    `PLAUSIBLE_RANGE`; they produce no reading.
    """

    readings: tuple[Reading, ...] = ()
    status: tuple[DeviceStatus, ...] = ()
    unmapped: tuple[DeviceData, ...] = ()
    dropped_implausible: int = 0
