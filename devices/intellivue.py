"""Philips IntelliVue MIB/RS232 Data Export (MP and MX series monitors), 115200 baud 8N1.

The dialogue, as the Philips "Data Export Interface Programming Guide" describes it: the app
asks for an association; the monitor accepts it and announces itself with an MDS Create event
report, which the app confirms. The app then polls all numerics with an extended poll every
`IntellivueDriver.poll_interval_s`; the monitor answers with a poll result, split into linked
results when large. A monitor ends an association it hears nothing on for a time-out that
follows from the negotiated minimum poll period (10 s for the usual periods), so when nothing
else was sent for half of it the app polls the MDS object as a keep-alive. A monitor that
refuses, aborts, releases or answers nothing for the time-out is asked for a new association;
on stop the app releases the association. Frames and messages: `devices.intellivue_codec`.

What is recorded: a numeric value gives a reading when its physiological id is one of
`PHYSIO_PARAMETERS`, its unit one its parameter may come in (°F and kPa are converted), and
it is plausible. A value whose measurement state says it is invalid, questionable,
unavailable, being calibrated, test or demo data, an early indication or a measurement still
running (`NOT_RECORDED`) is never recorded: it gives no reading but a `DeviceStatus` naming
the state's flags, so that what the monitor showed is not lost. NaN (not available) gives
nothing; NRes and the infinities count as implausible. Other numerics are kept as
`DeviceData` in Philips MDIL codes ("0002-4bb8").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import ClassVar, Final

from devices.base import MonitorDriver, Received, SerialSettings
from devices.errors import FrameError, ProtocolError
from devices.intellivue_codec import (
    GUIDE_CLIENT_INFO,
    NOM_ACT_POLL_MDIB_DATA,
    NOM_ACT_POLL_MDIB_DATA_EXT,
    NOM_AWAY_RESP_RATE,
    NOM_DIM_BEAT_PER_MIN,
    NOM_DIM_DEGC,
    NOM_DIM_FAHR,
    NOM_DIM_KILO_PASCAL,
    NOM_DIM_MMHG,
    NOM_DIM_PERCENT,
    NOM_DIM_RESP_PER_MIN,
    NOM_ECG_CARD_BEAT_RATE,
    NOM_MOC_VMO_METRIC_NU,
    NOM_MOC_VMS_MDS,
    NOM_NOTI_MDS_CREAT,
    NOM_PART_DIM,
    NOM_PART_SCADA,
    NOM_PLETH_PULS_RATE,
    NOM_PRESS_BLD_NONINV_DIA,
    NOM_PRESS_BLD_NONINV_MEAN,
    NOM_PRESS_BLD_NONINV_SYS,
    NOM_PULS_OXIM_SAT_O2,
    NOM_PULS_RATE,
    NOM_RESP_RATE,
    NOM_TEMP,
    NOM_TEMP_AXIL_PRED,
    NOM_TEMP_CORE,
    NOM_TEMP_ESOPH,
    NOM_TEMP_GEN_1,
    NOM_TEMP_NASOPH,
    NOM_TEMP_ORAL_PRED,
    NOM_TEMP_RECT,
    NOM_TEMP_RECT_PRED,
    NOM_TEMP_TYMP,
    NOM_TEMP_VESICAL,
    Action,
    Command,
    EventReport,
    FloatSpecial,
    FrameFault,
    FrameReader,
    MdsCreateInfo,
    MeasurementState,
    MonitorClock,
    NumericValue,
    OperationKind,
    PollReply,
    PollRequest,
    RemoteOperation,
    SessionKind,
    SessionMessage,
    UserInfo,
    association_abort,
    association_request,
    association_timeout_s,
    encode_frame,
    event_report_result,
    frame_user_data,
    poll_request,
    read_message,
    read_numeric,
    release_request,
    release_response,
)
from devices.readings import Decoded, DeviceData, DeviceStatus, Parameter, Reading, is_plausible

SOURCE: Final = "intellivue"
"""The protocol name carried by every reading from this module."""

NOT_RECORDED: Final = (
    MeasurementState.INVALID
    | MeasurementState.QUESTIONABLE
    | MeasurementState.UNAVAILABLE
    | MeasurementState.CALIBRATION_ONGOING
    | MeasurementState.TEST_DATA
    | MeasurementState.DEMO_DATA
    | MeasurementState.EARLY_INDICATION
    | MeasurementState.MSMT_ONGOING
)
"""A value with any of these flags is not a measurement of the patient to record."""

_NOT_RECORDED_BITS: Final = int(NOT_RECORDED)

# The physiological ids (SCADA partition) the app records, from the guide's nomenclature.
PHYSIO_PARAMETERS: Final[Mapping[int, Parameter]] = MappingProxyType(
    {
        NOM_ECG_CARD_BEAT_RATE: Parameter.HR,
        NOM_PULS_RATE: Parameter.PR,
        NOM_PLETH_PULS_RATE: Parameter.PR,
        NOM_PRESS_BLD_NONINV_SYS: Parameter.SBP,
        NOM_PRESS_BLD_NONINV_DIA: Parameter.DBP,
        NOM_PRESS_BLD_NONINV_MEAN: Parameter.MAP,
        NOM_PULS_OXIM_SAT_O2: Parameter.SPO2,
        NOM_RESP_RATE: Parameter.RR,
        NOM_AWAY_RESP_RATE: Parameter.RR,
        # Body temperatures. Skin, ambient, airway, injectate, blood and difference
        # temperatures are not the patient's body temperature and stay unmapped.
        NOM_TEMP: Parameter.TEMP,
        NOM_TEMP_CORE: Parameter.TEMP,
        NOM_TEMP_ESOPH: Parameter.TEMP,
        NOM_TEMP_NASOPH: Parameter.TEMP,
        NOM_TEMP_TYMP: Parameter.TEMP,
        NOM_TEMP_RECT: Parameter.TEMP,
        NOM_TEMP_VESICAL: Parameter.TEMP,
        **{NOM_TEMP_GEN_1 + channel: Parameter.TEMP for channel in range(4)},  # T1 to T4
        NOM_TEMP_ORAL_PRED: Parameter.TEMP,
        NOM_TEMP_RECT_PRED: Parameter.TEMP,
        NOM_TEMP_AXIL_PRED: Parameter.TEMP,
    }
)
"""IntelliVue physiological ids the app records, by the parameter they give."""


@dataclass(frozen=True, slots=True)
class UnitCode:
    """A unit (dimension partition) the monitor may send, and how it becomes canonical."""

    label: str
    canonical: str
    to_canonical: Callable[[float], float] = field(default=float)


UNIT_CODES: Final[Mapping[int, UnitCode]] = MappingProxyType(
    {
        NOM_DIM_PERCENT: UnitCode("%", "%"),
        NOM_DIM_BEAT_PER_MIN: UnitCode("bpm", "/min"),
        NOM_DIM_RESP_PER_MIN: UnitCode("rpm", "/min"),
        NOM_DIM_MMHG: UnitCode("mmHg", "mmHg"),
        # 1 mmHg is defined as 133.322387415 Pa.
        NOM_DIM_KILO_PASCAL: UnitCode("kPa", "mmHg", lambda kpa: kpa * 1000 / 133.322387415),
        NOM_DIM_DEGC: UnitCode("°C", "Cel"),
        NOM_DIM_FAHR: UnitCode("°F", "Cel", lambda fahrenheit: (fahrenheit - 32) * 5 / 9),
    }
)
"""Unit codes the app converts, by code."""

_PRESSURES: Final = frozenset({NOM_DIM_MMHG, NOM_DIM_KILO_PASCAL})
_UNITS_OF: Final[Mapping[Parameter, frozenset[int]]] = MappingProxyType(
    {
        Parameter.HR: frozenset({NOM_DIM_BEAT_PER_MIN}),
        Parameter.PR: frozenset({NOM_DIM_BEAT_PER_MIN}),
        Parameter.RR: frozenset({NOM_DIM_RESP_PER_MIN}),
        Parameter.SPO2: frozenset({NOM_DIM_PERCENT}),
        Parameter.SBP: _PRESSURES,
        Parameter.DBP: _PRESSURES,
        Parameter.MAP: _PRESSURES,
        Parameter.TEMP: frozenset({NOM_DIM_DEGC, NOM_DIM_FAHR}),
    }
)
"""The unit codes each parameter may come in."""


def mdil_code(partition: int, code: int) -> str:
    """A nomenclature code as Philips writes it in MDIL: "0002-4bb8"."""
    return f"{partition:04x}-{code:04x}"


def state_meanings(state: MeasurementState) -> tuple[str, ...]:
    """The guide's names of the flags set in a measurement state, highest bit first."""
    names = {flag.value: flag.name for flag in MeasurementState}
    return tuple(
        names.get(1 << bit) or f"undocumented bit {1 << bit:#06x}"
        for bit in range(15, -1, -1)
        if int(state) >> bit & 1
    )


def decode_numerics(reply: PollReply, clock: MonitorClock | None = None) -> Decoded:
    """The readings of a numerics poll result (or one linked part of it).

    A value gives a reading when its physiological id maps to a `Parameter`, its unit fits
    the parameter, its state has none of `NOT_RECORDED`'s flags and it is plausible. Its
    `device_time` is the numeric's own absolute time stamp, else its relative time stamp,
    else the result's time, on the monitor's clock (`clock` dates relative times); None when
    nothing dates it. A value in a state not recorded gives a `DeviceStatus` naming the
    state; unmapped ids or units are kept as `DeviceData`.

    Raises:
        ProtocolError: a numeric that cannot be read.
    """
    readings: list[Reading] = []
    status: list[DeviceStatus] = []
    unmapped: list[DeviceData] = []
    dropped = 0
    reply_time = reply.absolute_time or (clock.at(reply.relative_time) if clock else None)
    for context in reply.contexts:
        for observation in context.observations:
            numeric = read_numeric(observation)
            if numeric is None:
                continue
            measured_at = numeric.measured_at
            if measured_at is None and numeric.relative_time is not None and clock is not None:
                measured_at = clock.at(numeric.relative_time)
            measured_at = measured_at or reply_time
            for value in numeric.values:
                outcome = _reading_of(value, numeric.label, measured_at)
                if isinstance(outcome, Reading):
                    readings.append(outcome)
                elif isinstance(outcome, DeviceStatus):
                    status.append(outcome)
                elif isinstance(outcome, DeviceData):
                    unmapped.append(outcome)
                elif outcome is _Outcome.IMPLAUSIBLE:
                    dropped += 1
    return Decoded(tuple(readings), tuple(status), tuple(unmapped), dropped)


class _Outcome(Enum):
    """A value that gives nothing to keep."""

    NOT_AVAILABLE = "not available"
    IMPLAUSIBLE = "implausible"


def _reading_of(
    value: NumericValue, label: str, measured_at: datetime | None
) -> Reading | DeviceStatus | DeviceData | _Outcome:
    if int(value.state) & _NOT_RECORDED_BITS:
        return DeviceStatus(
            code=mdil_code(NOM_PART_SCADA, value.physio_id),
            value=f"{int(value.state):#06x}",
            meanings=state_meanings(value.state),
            source=SOURCE,
        )
    special = value.value.special
    if special is FloatSpecial.NAN:
        return _Outcome.NOT_AVAILABLE
    parameter = PHYSIO_PARAMETERS.get(value.physio_id)
    unit = UNIT_CODES.get(value.unit_code)
    if parameter is None or unit is None or value.unit_code not in _UNITS_OF[parameter]:
        return DeviceData(
            code=mdil_code(NOM_PART_SCADA, value.physio_id),
            system="MDIL",
            value="" if special is not None else f"{value.value.value:g}",
            unit=unit.label if unit is not None else mdil_code(NOM_PART_DIM, value.unit_code),
            text=label,
        )
    number = unit.to_canonical(value.value.value)
    if special is not None or not is_plausible(parameter, number):
        return _Outcome.IMPLAUSIBLE
    return Reading(parameter, number, unit.canonical, measured_at, SOURCE)


# --------------------------------------------------------------------------- the driver


class _Stage(Enum):
    """Where the dialogue with the monitor stands."""

    CLOSED = "no port"
    ASSOCIATING = "association requested"
    CONFIGURING = "association accepted, MDS Create awaited"
    OPERATING = "polling"


class IntellivueDriver(MonitorDriver):
    """The `intellivue` protocol: the Data Export dialogue over the MIB/RS232 interface.

    Asks for an association on connect and again every `association_retry_s` until it is
    accepted; confirms the MDS Create event; polls all numerics every `poll_interval_s`;
    keeps the association alive with an MDS poll when nothing else was sent for half its
    time-out; asks for a new association when the monitor refuses, aborts or releases, or
    answers nothing for the association time-out (`association_timeout_s`, or when None what
    the guide's rule gives for the negotiated minimum poll period); releases on stop.
    """

    name: ClassVar[str] = SOURCE
    serial: ClassVar[SerialSettings] = SerialSettings(baudrate=115200)
    poll_interval_s: ClassVar[float] = 5.0
    association_retry_s: ClassVar[float] = 5.0
    association_timeout_s: ClassVar[float | None] = None

    def __init__(self) -> None:
        self._reader = FrameReader()
        self._stage = _Stage.CLOSED
        self._invoke_id = 0
        self._poll_number = 0
        self._clock: MonitorClock | None = None
        self._timeout_s = self._timeout_for(GUIDE_CLIENT_INFO)
        # Monotonic seconds. None: "when `poll` is next called", as `receive` has no clock.
        self._stage_since: float | None = None
        self._next_poll: float | None = None
        self._last_heard = 0.0
        self._last_sent = 0.0
        self._heard = False
        self._answered = False

    @property
    def associated(self) -> bool:
        """Whether the monitor has accepted the association and announced its MDS."""
        return self._stage is _Stage.OPERATING

    def on_connect(self, now: float) -> bytes:
        self._last_heard = now
        return self._associate(now)

    def poll(self, now: float) -> bytes:
        if self._heard:
            self._last_heard, self._heard = now, False
        if self._answered:
            self._last_sent, self._answered = now, False
        if self._stage_since is None:
            self._stage_since = now
        if self._stage is _Stage.ASSOCIATING:
            if now - self._stage_since >= self.association_retry_s:
                return self._associate(now)
        elif self._stage is _Stage.CONFIGURING:
            if now - self._stage_since >= self.association_retry_s:
                return self._reassociate(now)
        elif self._stage is _Stage.OPERATING:
            return self._operate(now)
        return b""

    def on_stop(self, now: float) -> bytes:
        stage, self._stage = self._stage, _Stage.CLOSED
        if stage in (_Stage.CONFIGURING, _Stage.OPERATING):
            return self._sent(now, release_request())
        if stage is _Stage.ASSOCIATING:
            return self._sent(now, association_abort())
        return b""

    def reset(self) -> None:
        self._reader = FrameReader()
        self._stage = _Stage.CLOSED
        self._clock = None
        self._stage_since = None
        self._next_poll = None
        self._heard = self._answered = False

    def receive(self, data: bytes) -> Received:
        decoded: list[Decoded] = []
        rejected: list[str] = []
        reply = b""
        for item in self._reader.feed(data):
            if isinstance(item, FrameFault):
                rejected.append(item.value)
                continue
            try:
                message = read_message(frame_user_data(item))
            except FrameError:
                rejected.append("not a data export frame")
                continue
            except ProtocolError:
                rejected.append("unreadable data export message")
                continue
            try:
                outcome, answer = self._on_message(message)
            except ProtocolError:
                rejected.append("unreadable data export message")
                continue
            if isinstance(outcome, Decoded):
                self._heard = True
                decoded.append(outcome)
            else:
                rejected.append(outcome)
            if answer:
                self._answered = True
                reply += encode_frame(answer)
        return Received(tuple(decoded), reply, tuple(rejected))

    # ------------------------------------------------------------------ dialogue

    def _on_message(self, message: SessionMessage | RemoteOperation) -> tuple[Decoded | str, bytes]:
        """What a message gives (or why it is rejected), and what to answer."""
        if isinstance(message, SessionMessage):
            return self._on_session(message)
        if message.kind is OperationKind.ERROR:
            return "monitor answered with an error", b""
        if message.kind is OperationKind.INVOKE:
            return self._on_invoke(message)
        return self._on_result(message), b""

    def _on_result(self, message: RemoteOperation) -> Decoded:
        """What a result or linked result gives: numerics, or the monitor's clock."""
        if message.command != Command.CONFIRMED_ACTION:
            return Decoded()
        action = Action.read(message.argument, with_scope=False)
        if action.action_type not in (NOM_ACT_POLL_MDIB_DATA, NOM_ACT_POLL_MDIB_DATA_EXT):
            return Decoded()
        reply = PollReply.read(action)
        if reply.object_type == NOM_MOC_VMO_METRIC_NU:
            return decode_numerics(reply, self._clock)
        if reply.object_type == NOM_MOC_VMS_MDS:
            for context in reply.contexts:
                for observation in context.observations:
                    clock = MonitorClock.from_attributes(observation.attributes)
                    self._clock = clock or self._clock
        return Decoded()

    def _on_session(self, message: SessionMessage) -> tuple[Decoded | str, bytes]:
        kind = message.kind
        if kind is SessionKind.ASSOCIATION_ACCEPT:
            if self._stage in (_Stage.ASSOCIATING, _Stage.CONFIGURING):
                self._enter(_Stage.CONFIGURING)
                if message.user_info is not None and message.user_info.poll_profile is not None:
                    self._timeout_s = self._timeout_for(message.user_info)
            return Decoded(), b""
        if kind is SessionKind.ASSOCIATION_REFUSE:
            self._lost()
            return "association refused", b""
        if kind is SessionKind.RELEASE_REQUEST:
            self._lost()
            return Decoded(), release_response()
        if kind is SessionKind.ABORT:
            self._lost()
            return Decoded(), b""
        if kind is SessionKind.RELEASE_RESPONSE:
            return Decoded(), b""
        return "unexpected message from the monitor", b""

    def _on_invoke(self, message: RemoteOperation) -> tuple[Decoded | str, bytes]:
        if message.command == Command.EVENT_REPORT:
            return Decoded(), b""
        if message.command != Command.CONFIRMED_EVENT_REPORT:
            return "unexpected message from the monitor", b""
        report = EventReport.read(message.argument)
        answer = event_report_result(message.invoke_id, report.event_time, report.event_type)
        if report.event_type == NOM_NOTI_MDS_CREAT:
            self._clock = MonitorClock.from_attributes(MdsCreateInfo.read(report.info).attributes)
            if self._stage is not _Stage.CLOSED:
                self._enter(_Stage.OPERATING)
                self._next_poll = None
        return Decoded(), answer

    def _operate(self, now: float) -> bytes:
        if now - self._last_heard >= self._timeout_s:
            return self._reassociate(now)
        if self._next_poll is None or now >= self._next_poll:
            self._next_poll = now + self.poll_interval_s
            request = PollRequest(self._next_poll_number(), NOM_MOC_VMO_METRIC_NU)
            return self._sent(now, poll_request(self._next_invoke_id(), request))
        if now - self._last_sent >= self._timeout_s / 2:
            request = PollRequest(self._next_poll_number(), NOM_MOC_VMS_MDS, extended=False)
            return self._sent(now, poll_request(self._next_invoke_id(), request))
        return b""

    def _associate(self, now: float) -> bytes:
        self._enter(_Stage.ASSOCIATING, now)
        return self._sent(now, association_request())

    def _reassociate(self, now: float) -> bytes:
        """End whatever the monitor still holds, then ask again."""
        self._last_heard = now
        abort = self._sent(now, association_abort())
        return abort + self._associate(now)

    def _lost(self) -> None:
        """The monitor ended the association (or never began it): ask again after a while."""
        if self._stage is not _Stage.CLOSED:
            self._enter(_Stage.ASSOCIATING)

    def _enter(self, stage: _Stage, now: float | None = None) -> None:
        self._stage = stage
        self._stage_since = now

    def _sent(self, now: float, message: bytes) -> bytes:
        self._last_sent = now
        return encode_frame(message)

    def _next_invoke_id(self) -> int:
        self._invoke_id = (self._invoke_id + 1) % 0x10000
        return self._invoke_id

    def _next_poll_number(self) -> int:
        self._poll_number = (self._poll_number + 1) % 0x10000
        return self._poll_number

    def _timeout_for(self, info: UserInfo) -> float:
        if self.association_timeout_s is not None:
            return self.association_timeout_s
        profile = info.poll_profile
        return association_timeout_s(profile.min_poll_period_s if profile else 0.0)
