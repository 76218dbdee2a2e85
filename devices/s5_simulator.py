"""A simulated GE S/5-family monitor on its Computer Interface, for demos and tests.

It behaves as the S/5 Computer Interface Specification (M1017617) describes the monitor: silent
until it receives a well-formed physiological data transmission request, then sending records of
displayed values at the requested interval (at least 5 s), one subrecord per requested class;
10 s and 60 s trended values only once displayed values are being sent automatically; one
transmission for an interval of -1, but not two within 5 s; nothing more after an interval of 0.
Frames that fail their checks and requests it cannot serve are ignored and counted.

While its scenario is silent the monitor is switched off or unplugged: it sends nothing, loses
what it is sent, and afterwards has forgotten every request, like a monitor that was restarted.
The values are a `devices.simulator.Scenario`'s, rounded as the monitor displays them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Protocol

from devices.errors import ProtocolError
from devices.s5 import (
    ACTIVE,
    DATA_INVALID,
    DENY_BASIC,
    EXISTS,
    MIN_DISPLAYED_INTERVAL_S,
    PHYSDATA_BYTES,
    REQUEST_EXT1,
    REQUEST_EXT2,
    REQUEST_EXT3,
    SINGLE,
    STOP,
    VALUE_TYPES,
    FrameReader,
    GroupData,
    MainType,
    PhdbClass,
    PhdbRequest,
    PhdbSubrecord,
    PhdbType,
    Record,
    Subrecord,
    build_record,
    encode_frame,
    pack_basic,
    parse_record,
)

if TYPE_CHECKING:
    from devices.simulator import Scenario, SerialPort, Vitals

DRI_LEVEL: Final = 11
"""DRI_LEVEL_05 ('15): what CARESCAPE monitors with software 3 send on their serial port."""
PLUG_ID: Final = 1
"""The plug identifier of the simulated monitor."""

# Real time the monitor waits at most between two looks at the port.
_POLL_S: Final = 0.01

_ECG_FROM_ECG1: Final = 1 << 3
"""ECG status bits 3-6: the heart rate comes from the ECG (DRI table 3-11)."""
_LEADS_II_I_III: Final = 2 << 8 | 1 << 4 | 3
"""ECG label: channel 1 lead II, channel 2 lead I, channel 3 lead III (DRI table 3-12)."""
_NIBP_AUTO: Final = 1 << 3
_NIBP_OLDER_THAN_60_S: Final = 1 << 8
_T1_LABEL: Final = 11
"""T1, the generic label of the first temperature channel, naming no site (DRI table 3-20)."""
_PLETH_MODULATION: Final = 125
"""Plethysmograph modulation in 1/100 % (1.25 %), steady for a resting patient."""

_MEASURING: Final = EXISTS | ACTIVE
_SINGLE_REQUEST_GAP_S: Final = 5
"""Of two single-transmission requests within this many seconds, the monitor ignores the second."""
_TREND_PERIOD_S: Final[Mapping[int, int]] = MappingProxyType(
    {PhdbType.TREND_10S: 10, PhdbType.TREND_60S: 60}
)


class Timeline(Protocol):
    """Real time to scenario time, as the simulator's monitors share it."""

    @property
    def start_monotonic(self) -> float:
        """The monotonic time scenario second 0 began."""
        ...

    @property
    def speed(self) -> float:
        """How much faster than real time the scenario runs."""
        ...

    def scenario_second(self, monotonic_now: float) -> int:
        """The scenario second at this monotonic time."""
        ...

    def device_time(self, elapsed_s: float) -> datetime:
        """The monitor's clock at this scenario second."""
        ...


class Count(Protocol):
    """Adds to the simulated monitor's counts (`sent`, `queries_answered`, `rejected`)."""

    def __call__(self, **increments: int) -> None:
        """Add these increments."""
        ...


def _hundredths(value: float) -> int:
    return round(value * 100)


def basic_groups(vitals: Vitals, *, nibp_age_s: float | None = None) -> dict[str, GroupData]:
    """The basic-class groups of a monitor measuring ECG, NIBP, one temperature and SpO2.

    Values are `vitals` as displayed, in the interface's units; ST analysis is off (its values
    invalid); every other module is absent. `nibp_age_s` (seconds since the cuff measured)
    sets the NIBP flag for values older than 60 s.
    """
    shown = vitals.as_displayed()
    nibp_label = _NIBP_AUTO
    if nibp_age_s is not None and nibp_age_s > 60:
        nibp_label |= _NIBP_OLDER_THAN_60_S
    hr = round(shown.hr)
    return {
        "ecg": GroupData(
            _MEASURING | _ECG_FROM_ECG1,
            _LEADS_II_I_III,
            (hr, DATA_INVALID, DATA_INVALID, DATA_INVALID, round(shown.rr)),
        ),
        "nibp": GroupData(
            _MEASURING,
            nibp_label,
            (
                _hundredths(shown.sbp),
                _hundredths(shown.dbp),
                _hundredths(shown.map),
                round(shown.pr),
            ),
        ),
        "t1": GroupData(_MEASURING, _T1_LABEL, (_hundredths(shown.temp),)),
        "spo2": GroupData(
            _MEASURING,
            0,
            (_hundredths(shown.spo2), round(shown.pr), _PLETH_MODULATION, DATA_INVALID),
        ),
        "ecg_extra": GroupData(values=(hr, DATA_INVALID, DATA_INVALID)),
    }


def monitor_seconds(moment: datetime) -> int:
    """The monitor's clock as the interface counts it: wall-clock seconds since 1.1.1970."""
    wall = moment.replace(tzinfo=None)
    return int((wall - datetime(1970, 1, 1)).total_seconds())  # noqa: DTZ001


def values_record(
    vitals: Vitals,
    moment: datetime,
    *,
    record_type: int = PhdbType.DISPLAYED,
    classes: tuple[int, ...] = (PhdbClass.BASIC,),
    nibp_time: datetime | None = None,
    number: int = 0,
) -> bytes:
    """A record of values as the monitor sends it: one subrecord per class, stamped `moment`.

    The basic class carries `basic_groups`; the extended classes report no module.

    Raises:
        ValueError: a value the interface cannot carry, or no class at all.
    """
    if not classes:
        raise ValueError("a record of values holds at least one class")
    seconds = monitor_seconds(moment)
    nibp_age = None if nibp_time is None else (moment - nibp_time).total_seconds()
    subrecords = []
    for phdb_class in classes:
        physdata = (
            pack_basic(basic_groups(vitals, nibp_age_s=nibp_age))
            if phdb_class == PhdbClass.BASIC
            else bytes(PHYSDATA_BYTES)
        )
        subrecord = PhdbSubrecord(seconds, physdata, phdb_class)
        subrecords.append(Subrecord(record_type, subrecord.encode()))
    return build_record(
        Record(
            MainType.PHYSIOLOGICAL,
            tuple(subrecords),
            number=number % 256,
            dri_level=DRI_LEVEL,
            plug_id=PLUG_ID,
            time=seconds,
        )
    )


def classes_requested(bits: int) -> tuple[int, ...]:
    """The classes a request's phdb_class_bf asks for, basic first."""
    classes = [] if bits & DENY_BASIC else [PhdbClass.BASIC]
    for mask, phdb_class in (
        (REQUEST_EXT1, PhdbClass.EXT1),
        (REQUEST_EXT2, PhdbClass.EXT2),
        (REQUEST_EXT3, PhdbClass.EXT3),
    ):
        if bits & mask:
            classes.append(phdb_class)
    return tuple(classes)


@dataclass
class _Transmission:
    """An automatic transmission the app asked for, and when it is next due (monotonic)."""

    record_type: int
    classes: tuple[int, ...]
    period_s: float
    next_due: float


class S5Monitor:
    """A monitor with an S/5 Computer Interface, serving one scenario over a port.

    `count` is told of every record sent, request answered and frame or request refused.
    """

    def __init__(
        self,
        scenario: Scenario,
        timeline: Timeline,
        *,
        count: Count,
        min_send_interval_s: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._scenario = scenario
        self._timeline = timeline
        self._count = count
        self._min_send_interval_s = min_send_interval_s
        self._monotonic = monotonic
        self._transmissions: dict[int, _Transmission] = {}
        self._last_single: dict[int, int] = {}
        self._number = 0
        self._reader = FrameReader()

    def run(self, port: SerialPort, stop: threading.Event) -> None:
        """Be the monitor on `port` until `stop` is set.

        Raises:
            OSError: the port failed.
        """
        while not stop.is_set():
            now = self._monotonic()
            second = self._timeline.scenario_second(now)
            if self._scenario.silent_at(second):
                self._switched_off(port)
                stop.wait(_POLL_S)
                continue
            for transmission in list(self._transmissions.values()):
                if transmission.next_due <= now:
                    self._send(port, transmission.record_type, transmission.classes, second)
                    # A late monitor skips what it missed rather than catching up in a burst.
                    transmission.next_due = max(
                        transmission.next_due + transmission.period_s, now + _POLL_S
                    )
            if waiting := port.in_waiting:
                self._on_bytes(port, port.read(waiting))
                continue
            stop.wait(min([_POLL_S, *(t.next_due - now for t in self._transmissions.values())]))

    def _switched_off(self, port: SerialPort) -> None:
        """Off or unplugged: what arrives is lost, half a frame included; requests forgotten."""
        self._transmissions.clear()
        self._last_single.clear()
        self._reader = FrameReader()
        if waiting := port.in_waiting:
            port.read(waiting)

    def _on_bytes(self, port: SerialPort, data: bytes) -> None:
        # The time of receipt, not of the loop's start: what arrived was sent after it.
        now = self._monotonic()
        second = self._timeline.scenario_second(now)
        if self._scenario.silent_at(second):
            self._switched_off(port)
            return
        frames = self._reader.feed(data)
        if frames.rejected:
            self._count(rejected=len(frames.rejected))
        for record in frames.records:
            self._on_record(port, record, now, second)

    def _send(
        self, port: SerialPort, record_type: int, classes: tuple[int, ...], second: int
    ) -> None:
        moment = self._timeline.device_time(second)
        nibp_time = self._timeline.device_time(self._scenario.nibp_measured_at(second))
        record = values_record(
            self._scenario.vitals_at(second),
            moment,
            record_type=record_type,
            classes=classes,
            nibp_time=nibp_time,
            number=self._number,
        )
        self._number += 1
        port.write(encode_frame(record))
        self._count(sent=1)

    def _on_record(self, port: SerialPort, record: bytes, now: float, second: int) -> None:
        """Act on one record from the app; never raises for what the app sent."""
        try:
            parsed = parse_record(record)
            requests = [
                PhdbRequest.decode(subrecord.data)
                for subrecord in parsed.subrecords
                if subrecord.type == PhdbType.REQUEST
            ]
        except ProtocolError:
            self._count(rejected=1)
            return
        if parsed.main_type != MainType.PHYSIOLOGICAL or not requests:
            # Waveform and alarm requests: this monitor simulates neither.
            self._count(rejected=1)
            return
        for request in requests:
            if self._serve(port, request, now, second):
                self._count(queries_answered=1)
            else:
                self._count(rejected=1)

    def _serve(self, port: SerialPort, request: PhdbRequest, now: float, second: int) -> bool:
        """Start, stop or answer once as asked; False for a request the monitor ignores."""
        if not self._acceptable(request, second):
            return False
        kind = request.record_type
        classes = classes_requested(request.classes)
        if request.interval_s == STOP:
            self._transmissions.pop(kind, None)
        elif request.interval_s == SINGLE:
            self._last_single[kind] = second
            self._send(port, kind, classes, second)
        else:
            period = _TREND_PERIOD_S.get(kind, request.interval_s)
            real_period = max(period / self._timeline.speed, self._min_send_interval_s)
            self._transmissions[kind] = _Transmission(kind, classes, real_period, now)
        return True

    def _acceptable(self, request: PhdbRequest, second: int) -> bool:
        kind, interval = request.record_type, request.interval_s
        if interval == STOP:
            return kind in VALUE_TYPES
        # Trended values only once displayed values are sent automatically (M1017617 ch. 3).
        allowed = kind == PhdbType.DISPLAYED or (
            kind in _TREND_PERIOD_S and PhdbType.DISPLAYED in self._transmissions
        )
        if not allowed or not classes_requested(request.classes):
            return False
        if interval == SINGLE:
            last = self._last_single.get(kind)
            return last is None or second - last >= _SINGLE_REQUEST_GAP_S
        return interval >= (MIN_DISPLAYED_INTERVAL_S if kind == PhdbType.DISPLAYED else 1)
