"""Simulated bedside monitors that behave like the real ones, for demos and tests.

A `Scenario` tells what one patient's vital signs do on an infusion day, the same way every
time for the same seed. `SimulatedMonitor` sends them as a monitor would: as a Masimo
oximeter's ASCII 1 lines, once a second and unasked; or as a Philips Efficia CM speaking
HL7 v2 over MLLP, which answers each QRY^R02 with an ORF^R04 and otherwise says nothing;
or as an IHE PCD device pushing ORU^R01 results; or as a Philips IntelliVue on its data export
(`devices.intellivue_simulator`); or as a GE S/5 on its Computer Interface
(`devices.s5_simulator`). `open_pty` gives it a pseudo-terminal that the app opens like a USB
serial adapter, and `run_simulator` ties these together.

The encoders here write what the decoders in `devices.masimo` and `devices.hl7` read, in
the shapes of the captured samples in ``tests/devices/fixtures``.
"""

from __future__ import annotations

import errno
import hashlib
import math
import os
import secrets
import select
import struct
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import ClassVar, Final, Literal, Protocol

import serial

from devices.errors import ProtocolError
from devices.hl7 import (
    Encoding,
    Message,
    MllpFramer,
    encode_mllp,
    parse_ack,
    parse_message,
    parse_timestamp,
)
from devices.intellivue_simulator import IntellivueMonitor
from devices.readings import Parameter
from devices.s5_simulator import S5Monitor

if sys.platform != "win32":
    # Pseudo-terminals exist on Linux and macOS only; everything else here works anywhere.
    import fcntl
    import termios
    import tty

MonitorProtocol = Literal["masimo", "hl7", "intellivue", "s5"]
"""The protocols a simulated monitor speaks."""

Hl7Mode = Literal["unsolicited", "query"]
"""How a simulated HL7 monitor sends results: pushed (IHE PCD) or when asked (Efficia CM)."""

INFUSION_S: Final = 4 * 3600.0
"""How long the alemtuzumab infusion a scenario tells of lasts, in scenario seconds."""

NIBP_INTERVAL_S: Final = 300.0
"""Scenario seconds between two automatic cuff (NIBP) measurements."""

MIN_SEND_INTERVAL_S: Final = 1 / 20
"""Shortest real time between two lines or results, however fast the scenario runs."""

UNSOLICITED_INTERVAL_S: Final = 5.0
"""Scenario seconds between two unsolicited ORU^R01 results."""

DROPOUT_CYCLE_S: Final = 120.0
"""The `dropout` scenario's monitor goes silent once per this many scenario seconds..."""
DROPOUT_SILENT_S: Final = (20.0, 40.0)
"""...from the first to (not including) the second of these seconds into each cycle."""

MASIMO_NO_SERIAL_NUMBER: Final = "-" * 10
"""The SN field of a Radical-7 that does not report its serial number."""

MASIMO_SET: Final = 0x800
"""The EXC word of an oximeter measuring normally: only the "Masimo SET" flag is set."""

# Real time the HL7 loop waits at most between two looks at the port: bounds the delay
# of an answer to a query, and costs nothing measurable.
_POLL_S: Final = 0.01

# The Efficia CM's own MSH-3 and MSH-21, as in the manufacturer's example ORF^R04.
_EFFICIA_APPLICATION: Final = "^EfficiaCM"
_EFFICIA_PROFILE: Final = "2.16.840.1.113883.9.2.1"
_IHE_PCD_01_PROFILE: Final = "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO"

# How many control ids of unacknowledged results are remembered for matching ACKs. Older
# ones stay counted as unacknowledged; a session that never acknowledges cannot grow this.
_REMEMBERED_RESULTS: Final = 10_000

_ENCODING: Final = Encoding()


# --------------------------------------------------------------------------- vital signs


def _whole(value: float) -> float:
    """Rounded half up, as a monitor's display rounds."""
    return float(math.floor(value + 0.5))


def _tenths(value: float) -> float:
    return math.floor(value * 10 + 0.5) / 10


@dataclass(frozen=True, slots=True)
class Vitals:
    """What a monitor measures at one moment, in the canonical units of `Parameter`.

    `map` is the mean arterial pressure of the last cuff measurement, as `sbp` and `dbp`
    are; `pr` is the oximeter's pulse rate, `hr` the ECG heart rate.
    """

    hr: float
    pr: float
    sbp: float
    dbp: float
    map: float
    temp: float
    spo2: float
    rr: float

    def __post_init__(self) -> None:
        for field in fields(self):
            if not math.isfinite(getattr(self, field.name)):
                raise ValueError(f"{field.name} must be a finite number")

    def value(self, parameter: Parameter) -> float:
        """The value of one parameter."""
        result: float = getattr(self, parameter.value)
        return result

    def as_displayed(self) -> Vitals:
        """These values as a monitor shows and sends them: whole numbers, temperature to 0.1."""
        return Vitals(
            hr=_whole(self.hr),
            pr=_whole(self.pr),
            sbp=_whole(self.sbp),
            dbp=_whole(self.dbp),
            map=_whole(self.map),
            temp=_tenths(self.temp),
            spo2=_whole(self.spo2),
            rr=_whole(self.rr),
        )


def _vitals(*, hr: float, sbp: float, dbp: float, temp: float, rr: float, spo2: float) -> Vitals:
    """Vital signs whose pulse rate is the heart rate and whose MAP follows from SBP and DBP."""
    return Vitals(
        hr=hr,
        pr=hr,
        sbp=sbp,
        dbp=dbp,
        map=dbp + (sbp - dbp) / 3,
        temp=temp,
        spo2=spo2,
        rr=rr,
    )


# --------------------------------------------------------------------------- noise


class _Channel(IntEnum):
    """Independent noise sources, so that no two parameters wobble in step."""

    HR_DRIFT = 1
    HR_BEAT = 2
    PR_BEAT = 3
    SPO2_DRIFT = 4
    SPO2_BEAT = 5
    RR_DRIFT = 6
    RR_BEAT = 7
    TEMP_DRIFT = 8
    SBP_CUFF = 9
    DBP_CUFF = 10


def _noise(seed: int, channel: _Channel, index: int) -> float:
    """A number in [-1, 1) that depends only on its arguments.

    Hashing instead of drawing from one random generator makes `vitals_at` a pure function
    of time: asking for the values out of order, or twice, gives the same patient.
    """
    digest = hashlib.blake2b(f"{seed}:{channel.value}:{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**63 - 1.0


def _drift(seed: int, channel: _Channel, elapsed_s: float, period_s: float) -> float:
    """Slow noise in [-1, 1]: random values every `period_s`, smoothly joined."""
    position = elapsed_s / period_s
    index = math.floor(position)
    weight = (1 - math.cos(math.pi * (position - index))) / 2
    before = _noise(seed, channel, index)
    after = _noise(seed, channel, index + 1)
    return before + (after - before) * weight


def _ramp(elapsed_s: float, start_s: float, end_s: float) -> float:
    """0 before `start_s`, 1 after `end_s`, rising smoothly in between."""
    if elapsed_s <= start_s:
        return 0.0
    if elapsed_s >= end_s:
        return 1.0
    fraction = (elapsed_s - start_s) / (end_s - start_s)
    return fraction * fraction * (3 - 2 * fraction)


def _check_elapsed(elapsed_s: float) -> None:
    if not (math.isfinite(elapsed_s) and elapsed_s >= 0):
        raise ValueError(f"elapsed time must be a finite number of seconds >= 0, not {elapsed_s}")


# --------------------------------------------------------------------------- scenarios


class Scenario(ABC):
    """What one patient's vital signs do over an infusion day, as a function of time.

    Time is scenario seconds since the monitor started (the infusion starts at 0 and lasts
    `duration_s`; values go on being defined after it). Continuous values (HR, PR, SpO2,
    RR, temperature) change once a second; NIBP values only when the cuff measures, every
    `NIBP_INTERVAL_S`, first at 0. The same seed always gives the same values.
    """

    name: ClassVar[str]
    """The name the scenario is chosen by."""
    description: ClassVar[str]
    """One line for the nurse or developer choosing a scenario."""
    duration_s: ClassVar[float] = INFUSION_S
    """How long the story the scenario tells lasts."""

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed

    @property
    def seed(self) -> int:
        """The seed the noise is drawn with."""
        return self._seed

    @abstractmethod
    def trend_at(self, elapsed_s: float) -> Vitals:
        """The course of the vital signs without measurement noise."""

    def silent_at(self, elapsed_s: float) -> bool:
        """Whether the monitor sends nothing and answers nothing at this moment."""
        _check_elapsed(elapsed_s)
        return False

    def nibp_measured_at(self, elapsed_s: float) -> float:
        """When the cuff measurement whose values are shown at `elapsed_s` was taken."""
        _check_elapsed(elapsed_s)
        return math.floor(elapsed_s / NIBP_INTERVAL_S) * NIBP_INTERVAL_S

    def vitals_at(self, elapsed_s: float) -> Vitals:
        """The values the monitor shows at this moment, with small noise."""
        _check_elapsed(elapsed_s)
        seed = self._seed
        second = math.floor(elapsed_s)
        trend = self.trend_at(second)
        cuff_time = self.nibp_measured_at(elapsed_s)
        cuff = self.trend_at(cuff_time)
        cuff_index = round(cuff_time / NIBP_INTERVAL_S)

        hr = (
            trend.hr
            + 3.0 * _drift(seed, _Channel.HR_DRIFT, second, 40.0)
            + 1.0 * _noise(seed, _Channel.HR_BEAT, second)
        )
        # The oximeter counts the same beats, a little differently.
        pr = hr + (trend.pr - trend.hr) + 1.0 * _noise(seed, _Channel.PR_BEAT, second)
        spo2 = (
            trend.spo2
            + 1.0 * _drift(seed, _Channel.SPO2_DRIFT, second, 60.0)
            + 0.4 * _noise(seed, _Channel.SPO2_BEAT, second)
        )
        rr = (
            trend.rr
            + 1.5 * _drift(seed, _Channel.RR_DRIFT, second, 30.0)
            + 0.5 * _noise(seed, _Channel.RR_BEAT, second)
        )
        temp = trend.temp + 0.08 * _drift(seed, _Channel.TEMP_DRIFT, second, 600.0)
        sbp = cuff.sbp + 4.0 * _noise(seed, _Channel.SBP_CUFF, cuff_index)
        dbp = cuff.dbp + 3.0 * _noise(seed, _Channel.DBP_CUFF, cuff_index)
        return Vitals(
            hr=hr,
            pr=pr,
            sbp=sbp,
            dbp=dbp,
            map=dbp + (sbp - dbp) / 3,
            temp=temp,
            spo2=min(spo2, 100.0),
            rr=rr,
        )


_BASELINE: Final = _vitals(hr=74.0, sbp=122.0, dbp=78.0, temp=36.8, rr=14.0, spo2=97.5)


class StableScenario(Scenario):
    """An uneventful infusion: every value stays around the patient's baseline."""

    name: ClassVar[str] = "stable"
    description: ClassVar[str] = "an uneventful infusion; every value near baseline"

    def trend_at(self, elapsed_s: float) -> Vitals:
        """The baseline, all day."""
        _check_elapsed(elapsed_s)
        return _BASELINE


class IarFeverScenario(Scenario):
    """An infusion-associated reaction in the last hours of a 4-hour infusion.

    From hour 2.5 to hour 4 the heart rate rises from about 75 to about 120/min and the
    temperature from 36.8 to about 38.6 °C; blood pressure and respiratory rate rise a
    little; SpO2 stays between 96 and 99 %. The first hours are unremarkable.
    """

    name: ClassVar[str] = "iar-fever"
    description: ClassVar[str] = "tachycardia and fever developing from hour 2.5 to 4"

    def trend_at(self, elapsed_s: float) -> Vitals:
        """Baseline, then the reaction developing over hours 2.5 to 4, then holding."""
        _check_elapsed(elapsed_s)
        reaction = _ramp(elapsed_s, 2.5 * 3600, 4 * 3600)
        return _vitals(
            hr=75.0 + 45.0 * reaction,
            sbp=122.0 + 10.0 * reaction,
            dbp=78.0 + 6.0 * reaction,
            temp=36.8 + 1.8 * reaction,
            rr=14.0 + 5.0 * reaction,
            spo2=97.5,
        )


class HypotensionScenario(Scenario):
    """Blood pressure falling from minute 20: SBP from about 120 to about 80 mmHg in 30 min.

    The heart rate rises to compensate, from about 74 to about 106/min; the low pressure
    then persists. The cuff sees the fall only at its 5-minute measurements.
    """

    name: ClassVar[str] = "hypotension"
    description: ClassVar[str] = "SBP falling from ~120 to ~80 mmHg over minutes 20-50"

    def trend_at(self, elapsed_s: float) -> Vitals:
        """Baseline, then the fall over minutes 20 to 50, then holding low."""
        _check_elapsed(elapsed_s)
        fall = _ramp(elapsed_s, 20 * 60, 50 * 60)
        return _vitals(
            hr=74.0 + 32.0 * fall,
            sbp=120.0 - 40.0 * fall,
            dbp=76.0 - 26.0 * fall,
            temp=36.8,
            rr=14.0 + 4.0 * fall,
            spo2=97.5,
        )


class ExanthemaDay4Scenario(Scenario):
    """Day 4 with exanthema: mostly stable, mild tachycardia and 37.9 °C around hours 2-3.

    The episode builds up over hour 1.5 to 2 and resolves over hour 3 to 3.5, as after
    an antihistamine.
    """

    name: ClassVar[str] = "exanthema-day4"
    description: ClassVar[str] = "mild tachycardia and temperature ~37.9 °C around hours 2-3"

    def trend_at(self, elapsed_s: float) -> Vitals:
        """Baseline with an episode between hours 1.5 and 3.5, at its height in hours 2-3."""
        _check_elapsed(elapsed_s)
        episode = _ramp(elapsed_s, 1.5 * 3600, 2 * 3600) - _ramp(elapsed_s, 3 * 3600, 3.5 * 3600)
        return _vitals(
            hr=74.0 + 28.0 * episode,
            sbp=122.0 + 4.0 * episode,
            dbp=78.0 + 2.0 * episode,
            temp=36.8 + 1.1 * episode,
            rr=14.0 + 2.0 * episode,
            spo2=97.5,
        )


class DropoutScenario(StableScenario):
    """Stable values from a monitor that goes silent for 20 s every 2 minutes.

    Silent from second 20 to second 40 of every `DROPOUT_CYCLE_S`: it sends nothing at
    all, and answers nothing, like a loose cable.
    """

    name: ClassVar[str] = "dropout"
    description: ClassVar[str] = "stable values; the monitor is silent 20-40 s of every 2 min"

    def silent_at(self, elapsed_s: float) -> bool:
        """Whether `elapsed_s` falls into a silent window."""
        _check_elapsed(elapsed_s)
        first, last = DROPOUT_SILENT_S
        return first <= elapsed_s % DROPOUT_CYCLE_S < last


SCENARIOS: Final[Mapping[str, type[Scenario]]] = MappingProxyType(
    {
        scenario.name: scenario
        for scenario in (
            StableScenario,
            IarFeverScenario,
            HypotensionScenario,
            ExanthemaDay4Scenario,
            DropoutScenario,
        )
    }
)
"""Every scenario, by name."""


def make_scenario(name: str, seed: int = 0) -> Scenario:
    """The scenario called `name`, its noise drawn with `seed`.

    Raises:
        ValueError: no scenario has this name; the message lists those that exist.
    """
    try:
        scenario = SCENARIOS[name]
    except KeyError:
        raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}") from None
    return scenario(seed)


# --------------------------------------------------------------------------- Masimo ASCII 1


def masimo_line(
    vitals: Vitals,
    device_time: datetime,
    serial_number: str = MASIMO_NO_SERIAL_NUMBER,
    *,
    perfusion_index: float = 2.5,
    exceptions: int = MASIMO_SET,
) -> bytes:
    """One ASCII 1 line as a Radical-7 sends it, with its CR LF.

    The line carries `device_time` as the oximeter's clock shows it (its wall-clock
    fields, no zone), SpO2 and pulse rate rounded as displayed, the perfusion index, and
    the measurements a Radical-7 without a rainbow sensor marks unavailable.
    `exceptions` is the EXC word (Masimo SET only: measuring normally).

    Raises:
        ValueError: a value the line cannot carry (SpO2 outside 0-100, pulse rate
            outside 0-999, a year outside 2000-2099, a malformed serial number).
    """
    shown = vitals.as_displayed()
    if not 0 <= shown.spo2 <= 100:
        raise ValueError(f"SpO2 {vitals.spo2} does not fit an ASCII 1 line")
    if not 0 <= shown.pr <= 999:
        raise ValueError(f"pulse rate {vitals.pr} does not fit an ASCII 1 line")
    if not 0 <= perfusion_index < 99.995:
        raise ValueError(f"perfusion index {perfusion_index} does not fit an ASCII 1 line")
    if not 2000 <= device_time.year <= 2099:
        raise ValueError("the oximeter writes two-digit years of the 2000s only")
    if len(serial_number) != 10 or not (
        serial_number.isdigit() or serial_number == MASIMO_NO_SERIAL_NUMBER
    ):
        raise ValueError(f"serial number must be 10 digits or 10 dashes: {serial_number!r}")
    if not 0 <= exceptions <= 0xFFFFFFF:
        raise ValueError(f"EXC word out of range: {exceptions:#x}")
    line = (
        f"{device_time:%m/%d/%y %H:%M:%S} SN={serial_number}"
        f" SPO2={int(shown.spo2):03d}% BPM={int(shown.pr):03d} PI={perfusion_index:05.2f}"
        " SPCO=--% SPMET=--.-% SPHB=--.- SPOC=-- RESVD=--- DESAT=-- PIDELTA=+-- PVI=---"
        f" ALARM=000000 EXC={exceptions:07X} EXC1=00000000\r\n"
    )
    return line.encode("ascii")


# --------------------------------------------------------------------------- HL7 results


def _checked_text(name: str, value: str) -> str:
    if not (value.isascii() and value.isprintable()):
        raise ValueError(f"{name} must be printable ASCII: {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class MonitorIdentity:
    """Who the simulated HL7 monitor says it is and which patient it is admitted to.

    `device_name` also begins every control id the monitor makes (up to 10 characters,
    so that ids stay within HL7's 20); `patient_name` is family, given and middle name.
    """

    device_name: str = "SIMMONITOR"
    device_eui64: str = "00000000000000A1"
    patient_id: str = "SIM0001"
    patient_name: tuple[str, ...] = ("SIMULATION", "PATIENT")
    bed: str = "SIMBED1"
    visit_number: str = "SIMVISIT1"
    operator: str = ""

    def __post_init__(self) -> None:
        if not 1 <= len(self.device_name) <= 10 or not self.device_name.isalnum():
            raise ValueError(f"device name must be 1 to 10 letters or digits: {self.device_name!r}")
        for name in ("device_eui64", "patient_id", "bed", "visit_number", "operator"):
            _checked_text(name, getattr(self, name))
        for part in self.patient_name:
            _checked_text("patient_name", part)


DEFAULT_IDENTITY: Final = MonitorIdentity()
"""The identity of a simulated monitor unless told otherwise."""


@dataclass(frozen=True, slots=True)
class Query:
    """The QRD of a QRY^R02: what the app asked a Philips Efficia CM for.

    `query_time` is QRD-1 as sent (the monitor echoes it unchanged), `query_id` QRD-4,
    `what_subject_filter` QRD-9 (STA for the numeric panes, RES for the last record).
    """

    query_time: str
    query_id: str
    what_subject_filter: str


def read_query(message: Message) -> Query:
    """Read the query of a QRY^R02 the way the Efficia CM does.

    Raises:
        ProtocolError: not a QRY^R02, or its QRD lacks a valid time, a query id, or a
            subject filter the monitor answers (STA or RES).
    """
    if (message.message_type, message.trigger_event) != ("QRY", "R02"):
        raise ProtocolError(f"{message.message_type}^{message.trigger_event} is not a QRY^R02")
    definitions = message.segments_named("QRD")
    if not definitions:
        raise ProtocolError("QRY^R02 without a QRD segment")
    qrd = definitions[0]
    query_time = qrd.value(1).strip()
    if parse_timestamp(query_time) is None:
        raise ProtocolError("QRD-1 (query date/time) is empty")
    query_id = qrd.value(4).strip()
    if not query_id:
        raise ProtocolError("QRD-4 (query id) is empty")
    what_subject_filter = qrd.value(9).strip()
    if what_subject_filter not in ("STA", "RES"):
        raise ProtocolError(f"QRD-9 must be STA or RES, not {what_subject_filter!r}")
    return Query(query_time, query_id, what_subject_filter)


def _segment(name: str, content: Mapping[int, str]) -> str:
    """A segment with the given fields (by number, already escaped) and the rest empty."""
    first = 3 if name == "MSH" else 1
    values = [content.get(number, "") for number in range(first, max(content) + 1)]
    while values and not values[-1]:
        values.pop()
    head = ("MSH", _ENCODING.encoding_characters) if name == "MSH" else (name,)
    return _ENCODING.field.join((*head, *values))


def _message(segments: list[str]) -> bytes:
    # Every field was checked to be ASCII or escaped, and control ids are echoed with
    # anything unusual replaced, so the message always encodes.
    return "".join(f"{segment}\r" for segment in segments).encode("ascii", "replace")


def _escaped(text: str) -> str:
    return _ENCODING.escape(text)


def _efficia_time(moment: datetime) -> str:
    """The Efficia CM's timestamps: its local wall time, to the second, without offset."""
    return moment.strftime("%Y%m%d%H%M%S")


def _hl7_time(moment: datetime) -> str:
    """An HL7 timestamp to the second, with the offset when the time is aware."""
    return moment.strftime("%Y%m%d%H%M%S%z")


def _number(value: float, parameter: Parameter) -> str:
    if value < 0:
        raise ValueError(f"a monitor cannot show a negative {parameter.value}: {value}")
    if parameter is Parameter.TEMP:
        return f"{value:.1f}"
    return str(int(value))


@dataclass(frozen=True, slots=True)
class _Observation:
    """How one parameter is coded in a monitor's OBX."""

    parameter: Parameter
    code: str
    unit: str
    sub_id: str = ""


# IEEE 11073-10101 codes and units, as IHE PCD devices send them. OBX-4 places each
# metric in the device's containment tree (MDS.VMD.channel.metric).
_MDC_OBSERVATIONS: Final = (
    _Observation(
        Parameter.HR, "147842^MDC_ECG_HEART_RATE^MDC", "264864^MDC_DIM_BEAT_PER_MIN^MDC", "1.1.1.1"
    ),
    _Observation(
        Parameter.SPO2, "150456^MDC_PULS_OXIM_SAT_O2^MDC", "262688^MDC_DIM_PERCENT^MDC", "1.2.1.1"
    ),
    _Observation(
        Parameter.PR,
        "149530^MDC_PULS_OXIM_PULS_RATE^MDC",
        "264864^MDC_DIM_BEAT_PER_MIN^MDC",
        "1.2.1.2",
    ),
    _Observation(
        Parameter.SBP, "150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "266016^MDC_DIM_MMHG^MDC", "1.3.1.1"
    ),
    _Observation(
        Parameter.DBP, "150022^MDC_PRESS_BLD_NONINV_DIA^MDC", "266016^MDC_DIM_MMHG^MDC", "1.3.1.2"
    ),
    _Observation(
        Parameter.MAP, "150023^MDC_PRESS_BLD_NONINV_MEAN^MDC", "266016^MDC_DIM_MMHG^MDC", "1.3.1.3"
    ),
    _Observation(Parameter.TEMP, "150364^MDC_TEMP_BODY^MDC", "268192^MDC_DIM_DEGC^MDC", "1.4.1.1"),
    _Observation(
        Parameter.RR, "151562^MDC_RESP_RATE^MDC", "264928^MDC_DIM_RESP_PER_MIN^MDC", "1.5.1.1"
    ),
)

# Philips MDIL codes and units, in the order and form of the Efficia CM's example ORF^R04
# (HR, absent there, in the form of the guide's OBX examples, after SpO2 as they list it).
_EFFICIA_OBSERVATIONS: Final = (
    _Observation(Parameter.SPO2, "0002-4bb8^SpO2^MDIL", "0004-0220^%^MDIL"),
    _Observation(Parameter.HR, "0002-4182^HR^MDIL", "0004-0aa0^bpm^MDIL"),
    _Observation(Parameter.SBP, "0002-4a05^NBPs^MDIL", "0004-0f20^mmHg^MDIL"),
    _Observation(Parameter.DBP, "0002-4a06^NBPd^MDIL", "0004-0f20^mmHg^MDIL"),
    _Observation(Parameter.MAP, "0002-4a07^NBPm^MDIL", "0004-0f20^mmHg^MDIL"),
    _Observation(Parameter.PR, "0002-480a^Pulse^MDIL", "0004-0aa0^bpm^MDIL"),
    _Observation(Parameter.RR, "0002-5000^Resp^MDIL", "0004-0ae0^rpm^MDIL"),
    _Observation(Parameter.TEMP, "0002-f0c7^T1^MDIL", "0004-1710^C^MDIL"),
)

# The Efficia CM's example stamps NBPs and NBPd with the cuff's time (OBX-14) but not NBPm.
_EFFICIA_CUFF_TIMED: Final = frozenset({Parameter.SBP, Parameter.DBP})
_NIBP: Final = frozenset({Parameter.SBP, Parameter.DBP, Parameter.MAP})


def hl7_oru_r01(
    vitals: Vitals,
    timestamp: datetime,
    control_id: str,
    *,
    nibp_time: datetime | None = None,
    identity: MonitorIdentity = DEFAULT_IDENTITY,
) -> bytes:
    """An unsolicited ORU^R01 result as an IHE PCD-01 device sends it (no MLLP envelope).

    One OBX per parameter, coded in IEEE 11073 MDC with MDC units, values rounded as
    displayed; `timestamp` is the observation time (OBR-7), `nibp_time` the time of the
    cuff measurement (OBX-14 of the NIBP values) if known. Aware times carry their offset.

    Raises:
        ValueError: an unusable control id or a negative value.
    """
    _checked_control_id(control_id)
    shown = vitals.as_displayed()
    when = _hl7_time(timestamp)
    application = f"{identity.device_name}^{identity.device_eui64}^EUI-64"
    segments = [
        _segment(
            "MSH",
            {
                3: application,
                7: when,
                9: "ORU^R01^ORU_R01",
                10: control_id,
                11: "P",
                12: "2.6",
                # IHE PCD-01: no commit acknowledgement, always an application one.
                15: "NE",
                16: "AL",
                21: _IHE_PCD_01_PROFILE,
            },
        ),
        _segment(
            "PID",
            {
                3: f"{_escaped(identity.patient_id)}^^^{identity.device_name}^PI",
                5: "^".join(_escaped(part) for part in identity.patient_name),
            },
        ),
        _segment(
            "OBR",
            {
                1: "1",
                2: f"{control_id}^{identity.device_name}",
                3: f"{control_id}^{identity.device_name}",
                4: "182777000^monitoring of patient^SCT",
                7: when,
            },
        ),
    ]
    for number, observation in enumerate(_MDC_OBSERVATIONS, start=1):
        obx = {
            1: str(number),
            2: "NM",
            3: observation.code,
            4: observation.sub_id,
            5: _number(shown.value(observation.parameter), observation.parameter),
            6: observation.unit,
            # Device data a clinician has not validated yet, as IHE PCD-01 has it.
            11: "R",
        }
        if nibp_time is not None and observation.parameter in _NIBP:
            obx[14] = _hl7_time(nibp_time)
        segments.append(_segment("OBX", obx))
    return _message(segments)


def hl7_orf_r04(
    vitals: Vitals,
    timestamp: datetime,
    query_control_id: str,
    query: Query,
    *,
    control_id: str,
    nibp_time: datetime | None = None,
    identity: MonitorIdentity = DEFAULT_IDENTITY,
) -> bytes:
    """The ORF^R04 a Philips Efficia CM answers a QRY^R02 with (no MLLP envelope).

    Shaped like the manufacturer's example: MSA AA echoing `query_control_id`, the QRD
    echoed, the admitted patient, then one OBX per parameter in Philips MDIL codes, values
    rounded as displayed. Times are written as the monitor's wall time without offset;
    `nibp_time` (OBX-14 of NBPs and NBPd) is when the cuff measured, if known.

    Raises:
        ValueError: an unusable control id or a negative value.
    """
    _checked_control_id(control_id)
    shown = vitals.as_displayed()
    when = _efficia_time(timestamp)
    segments = [
        _segment(
            "MSH",
            {
                3: _EFFICIA_APPLICATION,
                7: when,
                9: "ORF^R04",
                10: control_id,
                11: "P",
                12: "2.4",
                21: _EFFICIA_PROFILE,
            },
        ),
        _segment("MSA", {1: "AA", 2: _escaped(query_control_id)}),
        _segment(
            "QRD",
            {
                1: _escaped(query.query_time),
                2: "R",
                3: "I",
                4: _escaped(query.query_id),
                9: _escaped(query.what_subject_filter),
            },
        ),
        _segment(
            "PID",
            {
                3: _escaped(identity.patient_id),
                5: "^".join(_escaped(part) for part in identity.patient_name),
            },
        ),
        _segment("PV1", {3: f"^^{_escaped(identity.bed)}", 18: "A", 19: identity.visit_number}),
        _segment("ORC", {1: "NW", 18: identity.device_name}),
        _segment("OBR", {4: "MONITOR", 7: when, 10: _escaped(identity.operator)}),
    ]
    for observation in _EFFICIA_OBSERVATIONS:
        parameter = observation.parameter
        obx = {
            2: "NM",
            3: observation.code,
            5: _number(shown.value(parameter), parameter),
            6: observation.unit,
            11: "F",
        }
        if nibp_time is not None and parameter in _EFFICIA_CUFF_TIMED:
            obx[14] = _efficia_time(nibp_time)
        if parameter is Parameter.PR:
            # OBX-17: the pulse is counted by the oximeter.
            obx[17] = "0002-4bb8^SpO2^MDIL"
        segments.append(_segment("OBX", obx))
    return _message(segments)


def _monitor_ack(
    code: Literal["AE", "AR"], acknowledged_control_id: str, *, control_id: str, timestamp: datetime
) -> bytes:
    """A negative ACK in the Efficia CM's shape (MSA-2 empty when the id was unreadable)."""
    msh = _segment(
        "MSH",
        {
            3: _EFFICIA_APPLICATION,
            7: _efficia_time(timestamp),
            9: "ACK^",
            10: control_id,
            11: "P",
            12: "2.4",
            21: _EFFICIA_PROFILE,
        },
    )
    msa = _segment("MSA", {1: code, 2: _escaped(acknowledged_control_id)})
    return _message([msh, msa])


def _checked_control_id(control_id: str) -> None:
    separators = _ENCODING.field + _ENCODING.encoding_characters
    if (
        not 1 <= len(control_id) <= 20
        or not (control_id.isascii() and control_id.isprintable())
        or any(char in separators for char in control_id)
    ):
        raise ValueError(
            f"control id must be 1 to 20 printable ASCII characters without separators: "
            f"{control_id!r}"
        )


# --------------------------------------------------------------------------- the monitor


class SerialPort(Protocol):
    """What a simulated monitor needs of a port: pyserial's `Serial` has it, so has `PtyPort`."""

    @property
    def in_waiting(self) -> int:
        """Bytes received and not read yet."""
        ...

    def read(self, size: int = 1) -> bytes:
        """Up to `size` bytes, waiting at most the port's timeout."""
        ...

    def write(self, data: bytes, /) -> int | None:
        """Send bytes."""
        ...


@dataclass(frozen=True, slots=True)
class MonitorStats:
    """What a simulated monitor has done since it started.

    `sent` counts result lines or messages; `rejected` messages answered with AE or AR;
    `acks_received` the app's acknowledgements of results we sent, `negative_acks` those
    of them that were not accepts, `stray_acks` ACKs that were unreadable or answered no
    result we sent; `unacknowledged` results the app has not acknowledged (yet).
    """

    sent: int = 0
    queries_answered: int = 0
    rejected: int = 0
    acks_received: int = 0
    negative_acks: int = 0
    stray_acks: int = 0
    unacknowledged: int = 0


def _local_now() -> datetime:
    return datetime.now(UTC).astimezone()


class _Ticker:
    """Due times at a fixed real-time period; a late tick skips those it missed."""

    def __init__(self, period_s: float, origin: float) -> None:
        self._period_s = period_s
        self._origin = origin
        self._tick = 0

    def seconds_until_due(self, now: float) -> float:
        return self._origin + self._tick * self._period_s - now

    def scenario_second(self, speed: float) -> int:
        # The small addend keeps products like 3 * 0.05 * 20 from flooring to 2.
        return math.floor(self._tick * self._period_s * speed + 1e-6)

    def advance(self, now: float) -> None:
        self._tick = max(self._tick + 1, math.floor((now - self._origin) / self._period_s))


@dataclass(frozen=True, slots=True)
class _Timeline:
    """Real time to scenario time: the device clock starts at `start` and runs `speed` x."""

    start: datetime
    start_monotonic: float
    speed: float

    def scenario_second(self, monotonic_now: float) -> int:
        return math.floor(max(0.0, monotonic_now - self.start_monotonic) * self.speed)

    def device_time(self, elapsed_s: float) -> datetime:
        return self.start + timedelta(seconds=elapsed_s)


class SimulatedMonitor:
    """A bedside monitor sending a scenario's vital signs over a serial port.

    `protocol` "masimo": a Radical-7 writing an ASCII 1 line every scenario second.
    `protocol` "hl7" with `hl7_mode` "query": a Philips Efficia CM, silent until it
    receives a QRY^R02 over MLLP, answering each with an ORF^R04 of the current values
    and each other message with a negative ACK; "unsolicited": an IHE PCD device sending
    an ORU^R01 every `UNSOLICITED_INTERVAL_S` scenario seconds. Either HL7 monitor counts
    the app's ACKs in `stats`. `protocol` "intellivue": an `IntellivueMonitor`, its counts
    given in `stats` as frames sent, polls answered and requests refused. `protocol` "s5": a
    GE S/5-family monitor on its Computer Interface (`devices.s5_simulator`), silent until
    asked for displayed values, then sending them at the interval asked for. While the
    scenario is silent it sends and answers nothing.

    The scenario runs `speed` times faster than real time, but never more than 20 lines or
    results go out per real second. The device clock starts at `clock()` (whole seconds)
    and runs at scenario speed; `monotonic` paces the sending. `stats` may be read from
    any thread; `run` blocks the thread it is called on.
    """

    def __init__(
        self,
        protocol: MonitorProtocol,
        scenario: Scenario,
        *,
        speed: float = 1.0,
        clock: Callable[[], datetime] = _local_now,
        monotonic: Callable[[], float] = time.monotonic,
        hl7_mode: Hl7Mode = "query",
        identity: MonitorIdentity = DEFAULT_IDENTITY,
        serial_number: str = MASIMO_NO_SERIAL_NUMBER,
    ) -> None:
        if protocol not in ("masimo", "hl7", "intellivue", "s5"):
            raise ValueError(
                f"protocol must be 'masimo', 'hl7', 'intellivue' or 's5', not {protocol!r}"
            )
        if hl7_mode not in ("unsolicited", "query"):
            raise ValueError(f"hl7_mode must be 'unsolicited' or 'query', not {hl7_mode!r}")
        if not (math.isfinite(speed) and speed > 0):
            raise ValueError(f"speed must be a positive number, not {speed}")
        self._protocol = protocol
        self._scenario = scenario
        self._speed = speed
        self._clock = clock
        self._monotonic = monotonic
        self._hl7_mode = hl7_mode
        self._identity = identity
        self._serial_number = serial_number
        self._lock = threading.Lock()
        self._stats = MonitorStats()
        self._expecting_ack: OrderedDict[str, None] = OrderedDict()
        self._next_control_number = 1
        self._intellivue = (
            IntellivueMonitor(scenario, speed=speed, clock=clock, monotonic=monotonic)
            if protocol == "intellivue"
            else None
        )

    @property
    def stats(self) -> MonitorStats:
        """A snapshot of what the monitor has done so far."""
        if self._intellivue is not None:
            counts = self._intellivue.stats
            refused = counts.refusals + counts.errors_sent
            return MonitorStats(counts.sent, counts.polls_answered, refused)
        with self._lock:
            return self._stats

    def run(self, port: SerialPort, stop: threading.Event) -> None:
        """Be the monitor on `port` until `stop` is set.

        The port's reads must not block long (pyserial: a `timeout`); the monitor only
        reads what `in_waiting` says is there.

        Raises:
            OSError: the port failed (pyserial's `SerialException` is one).
        """
        if self._intellivue is not None:
            self._intellivue.run(port, stop)
            return
        start = self._clock().replace(microsecond=0)
        timeline = _Timeline(start, self._monotonic(), self._speed)
        if self._protocol == "masimo":
            self._run_masimo(port, stop, timeline)
        elif self._protocol == "s5":
            S5Monitor(
                self._scenario,
                timeline,
                count=self._count,
                min_send_interval_s=MIN_SEND_INTERVAL_S,
                monotonic=self._monotonic,
            ).run(port, stop)
        else:
            self._run_hl7(port, stop, timeline)

    # ------------------------------------------------------------------ Masimo

    def _run_masimo(self, port: SerialPort, stop: threading.Event, timeline: _Timeline) -> None:
        ticker = _Ticker(max(1 / self._speed, MIN_SEND_INTERVAL_S), timeline.start_monotonic)
        while not stop.is_set():
            delay = ticker.seconds_until_due(self._monotonic())
            if delay > 0:
                stop.wait(delay)
                continue
            second = ticker.scenario_second(self._speed)
            if not self._scenario.silent_at(second):
                line = masimo_line(
                    self._scenario.vitals_at(second),
                    timeline.device_time(second),
                    self._serial_number,
                )
                port.write(line)
                self._count(sent=1)
            # The oximeter has no input; whatever arrives is dropped, so that an app
            # writing to it cannot fill the line and block.
            if waiting := port.in_waiting:
                port.read(waiting)
            ticker.advance(self._monotonic())

    # ------------------------------------------------------------------ HL7

    def _run_hl7(self, port: SerialPort, stop: threading.Event, timeline: _Timeline) -> None:
        framer = MllpFramer()
        ticker = None
        if self._hl7_mode == "unsolicited":
            period = max(UNSOLICITED_INTERVAL_S / self._speed, MIN_SEND_INTERVAL_S)
            ticker = _Ticker(period, timeline.start_monotonic)
        while not stop.is_set():
            if ticker is not None and ticker.seconds_until_due(self._monotonic()) <= 0:
                second = ticker.scenario_second(self._speed)
                if not self._scenario.silent_at(second):
                    self._send_result(port, timeline, second)
                ticker.advance(self._monotonic())
            if waiting := port.in_waiting:
                data = port.read(waiting)
                now = timeline.scenario_second(self._monotonic())
                if self._scenario.silent_at(now):
                    # A silent monitor is as good as unplugged: what it was sent is lost,
                    # and so is any message it had begun to receive.
                    framer = MllpFramer()
                    continue
                for message in framer.feed(data):
                    self._on_message(port, timeline, now, message)
                continue
            wait = _POLL_S
            if ticker is not None:
                wait = min(wait, max(0.0, ticker.seconds_until_due(self._monotonic())))
            stop.wait(wait)

    def _send_result(self, port: SerialPort, timeline: _Timeline, second: int) -> None:
        control_id = self._control_id()
        message = hl7_oru_r01(
            self._scenario.vitals_at(second),
            timeline.device_time(second),
            control_id,
            nibp_time=timeline.device_time(self._scenario.nibp_measured_at(second)),
            identity=self._identity,
        )
        self._expect_ack(control_id)
        port.write(encode_mllp(message))
        self._count(sent=1)

    def _on_message(self, port: SerialPort, timeline: _Timeline, second: int, raw: bytes) -> None:
        """Handle one message from the app: never raises for what the app sent."""
        timestamp = timeline.device_time(second)
        try:
            message = parse_message(raw)
        except ProtocolError:
            # The Efficia CM's answer to a query it cannot read: AE with MSA-2 empty.
            self._reject(port, "AE", "", timestamp)
            return
        if message.message_type == "ACK":
            self._on_ack(raw)
            return
        if (message.message_type, message.trigger_event) != ("QRY", "R02") or (
            self._hl7_mode != "query"
        ):
            self._reject(port, "AR", message.control_id, timestamp)
            return
        try:
            query = read_query(message)
        except ProtocolError:
            self._reject(port, "AE", message.control_id, timestamp)
            return
        control_id = self._control_id()
        answer = hl7_orf_r04(
            self._scenario.vitals_at(second),
            timestamp,
            message.control_id,
            query,
            control_id=control_id,
            nibp_time=timeline.device_time(self._scenario.nibp_measured_at(second)),
            identity=self._identity,
        )
        self._expect_ack(control_id)
        port.write(encode_mllp(answer))
        self._count(sent=1, queries_answered=1)

    def _on_ack(self, raw: bytes) -> None:
        try:
            ack = parse_ack(raw)
        except ProtocolError:
            self._count(stray_acks=1)
            return
        with self._lock:
            if ack.acknowledged_control_id not in self._expecting_ack:
                self._add(stray_acks=1)
                return
            del self._expecting_ack[ack.acknowledged_control_id]
            self._add(
                acks_received=1,
                negative_acks=0 if ack.accepted else 1,
                unacknowledged=-1,
            )

    def _reject(
        self, port: SerialPort, code: Literal["AE", "AR"], rejected_id: str, timestamp: datetime
    ) -> None:
        ack = _monitor_ack(code, rejected_id, control_id=self._control_id(), timestamp=timestamp)
        port.write(encode_mllp(ack))
        self._count(rejected=1)

    def _control_id(self) -> str:
        """The next control id, in the Efficia CM's form: device name, then a hex count."""
        with self._lock:
            number = self._next_control_number
            self._next_control_number += 1
        return f"{self._identity.device_name}{number:010X}"

    def _expect_ack(self, control_id: str) -> None:
        # Counted before the message is written, so that whoever has received it sees it
        # counted.
        with self._lock:
            self._expecting_ack[control_id] = None
            if len(self._expecting_ack) > _REMEMBERED_RESULTS:
                self._expecting_ack.popitem(last=False)
            self._add(unacknowledged=1)

    def _count(self, **increments: int) -> None:
        with self._lock:
            self._add(**increments)

    def _add(self, **increments: int) -> None:
        """Add to the counts; the caller holds the lock."""
        self._stats = replace(
            self._stats,
            **{name: getattr(self._stats, name) + step for name, step in increments.items()},
        )


# --------------------------------------------------------------------------- pseudo-terminals


class PtyPort:
    """The monitor's end of a pseudo-terminal, with the part of pyserial's API a monitor uses.

    `read` waits up to `timeout` seconds for `size` bytes, like pyserial. While nobody has
    the other end open, reads find nothing and writes do not block, as on a serial line
    without a listener; if the app has it open but does not read, `write` waits up to
    `write_timeout` for room and then drops the rest, counted in `dropped_bytes`.
    """

    def __init__(self, fd: int, *, timeout: float | None = 0.1, write_timeout: float = 1.0) -> None:
        os.set_blocking(fd, False)
        self._fd = fd
        self._closed = threading.Event()
        self.timeout = timeout
        """Longest wait of `read`, in seconds; None waits for `size` bytes."""
        self.write_timeout = write_timeout
        """Longest wait of `write` for room, in seconds."""
        self.dropped_bytes = 0
        """Bytes `write` could not hand over because the app did not read."""

    @property
    def is_open(self) -> bool:
        """Whether the port has not been closed."""
        return not self._closed.is_set()

    def fileno(self) -> int:
        """The master file descriptor."""
        self._check_open()
        return self._fd

    @property
    def in_waiting(self) -> int:
        """Bytes the app has written and the monitor has not read."""
        self._check_open()
        try:
            count = fcntl.ioctl(self._fd, termios.FIONREAD, struct.pack("i", 0))
        except OSError as exc:
            if exc.errno == errno.EIO:
                return 0  # nobody has the other end open
            raise
        waiting: int = struct.unpack("i", count)[0]
        return waiting

    def read(self, size: int = 1) -> bytes:
        """Up to `size` bytes; fewer if `timeout` passes first."""
        self._check_open()
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        received = bytearray()
        while len(received) < size:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([self._fd], [], [], remaining)[0]:
                break
            try:
                received += os.read(self._fd, size - len(received))
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno != errno.EIO:
                    raise
                # EIO: nobody has the other end open, and select says so at once; wait
                # out the timeout instead of spinning.
                if remaining == 0 or self._closed.wait(_POLL_S if remaining is None else remaining):
                    break
        return bytes(received)

    def write(self, data: bytes) -> int:
        """Send `data`; returns how many bytes were handed over (the rest was dropped)."""
        self._check_open()
        view = memoryview(data)
        written = 0
        deadline = time.monotonic() + self.write_timeout
        while written < len(view):
            try:
                written += os.write(self._fd, view[written:])
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([], [self._fd], [], remaining)[1]:
                    break
        self.dropped_bytes += len(view) - written
        return written

    def close(self) -> None:
        """Close the master side: the app's end then fails, like a pulled cable."""
        if not self._closed.is_set():
            self._closed.set()
            os.close(self._fd)

    def _check_open(self) -> None:
        if self._closed.is_set():
            raise serial.PortNotOpenError


class PtyEndpoint:
    """A pseudo-terminal a simulated monitor serves on, like a plugged-in USB adapter.

    The app opens `path` (the link, if one was asked for, else the terminal itself) as a
    serial port; the monitor uses `port`. `close` pulls the cable: the app's reads fail and
    the link disappears, unless another simulator has taken it over meanwhile.
    """

    def __init__(self, port: PtyPort, terminal: Path, link: Path | None) -> None:
        self.port = port
        """The monitor's side."""
        self.terminal = terminal
        """The pseudo-terminal's own device path (/dev/pts/N)."""
        self._link = link

    @property
    def path(self) -> Path:
        """The path the app opens."""
        return self._link if self._link is not None else self.terminal

    def close(self) -> None:
        """Close the monitor's side and remove the link if it still points here."""
        self.port.close()
        link = self._link
        if link is not None and link.is_symlink() and link.readlink() == self.terminal:
            link.unlink(missing_ok=True)

    def __enter__(self) -> PtyEndpoint:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_pty(link: Path | None = None) -> PtyEndpoint:
    """Open a pseudo-terminal in raw mode for a simulated monitor to serve on.

    With `link`, a symbolic link at that path is made to point at the terminal, replacing
    any link already there in one step: a restarted simulator reappears at the same path,
    as a re-plugged USB adapter does.

    Raises:
        FileExistsError: something other than a symbolic link is at `link`; it is left alone.
        OSError: no pseudo-terminal could be opened (there are none on Windows) or the
            link could not be made.
    """
    if sys.platform == "win32":
        raise OSError("pseudo-terminals exist on Linux and macOS only")
    if link is not None and link.exists() and not link.is_symlink():
        raise FileExistsError(f"{link} exists and is not a link a simulator made; not replacing it")
    master, slave = os.openpty()
    try:
        # Raw: no echo of what the monitor writes back to it, no CR/LF translation of
        # HL7's CR segment ends. The setting outlives this descriptor.
        tty.setraw(slave)
        terminal = Path(os.ttyname(slave))
    except OSError:
        os.close(master)
        raise
    finally:
        # Not needed any more: the raw mode outlives it. Holding it open would let the
        # monitor's output pile up until writes block while no app is connected.
        os.close(slave)
    if link is not None:
        temporary = link.with_name(f".{link.name}.{secrets.token_hex(6)}")
        try:
            temporary.symlink_to(terminal)
            temporary.replace(link)
        except OSError:
            temporary.unlink(missing_ok=True)
            os.close(master)
            raise
    return PtyEndpoint(PtyPort(master), terminal, link)


def run_simulator(
    protocol: MonitorProtocol,
    scenario_name: str,
    speed: float = 1.0,
    *,
    link: Path | None = None,
    stop: threading.Event | None = None,
    on_ready: Callable[[Path], object] | None = None,
    seed: int = 0,
    hl7_mode: Hl7Mode = "query",
) -> MonitorStats:
    """Serve a simulated monitor on a new pseudo-terminal until `stop` is set.

    `on_ready` is called with the path the app should open once it can be opened. Without
    `stop` it runs until interrupted. The terminal is closed on the way out, however the
    run ends; the monitor's counts are returned.

    Raises:
        ValueError: an unknown protocol, scenario or mode, or a speed that is not positive.
        OSError: the pseudo-terminal could not be opened or failed.
    """
    monitor = SimulatedMonitor(
        protocol, make_scenario(scenario_name, seed), speed=speed, hl7_mode=hl7_mode
    )
    stop = stop if stop is not None else threading.Event()
    with open_pty(link) as endpoint:
        if on_ready is not None:
            on_ready(endpoint.path)
        monitor.run(endpoint.port, stop)
    return monitor.stats
