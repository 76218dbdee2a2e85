"""A simulated Philips IntelliVue monitor on its MIB/RS232 data export, for demos and tests.

The monitor behaves as the Data Export Interface Programming Guide describes it. It is silent
until it receives an association request it can accept: everything else before is ignored,
and a request it cannot accept (another protocol version, not a client, no poll profile,
unreadable, or while another association holds) is refused. It accepts with its own poll
profile, announces its MDS with the MDS Create event report and answers nothing more until
that is confirmed. Then it answers polls of the numerics with the scenario's values as it
displays them (split into linked results when larger than the app said it can take), polls
of its MDS with its clock, polls of other objects with empty results, and any other request
with a remote operation error. It aborts an association it hears nothing on for the
association time-out, answers a release request, and forgets an association the app aborts.
While the scenario is silent it sends and answers nothing, like an unplugged cable.

The values come from a `devices.simulator.Scenario`; the encoders are those of
`devices.intellivue_codec`, which the driver in `devices.intellivue` reads.
"""

from __future__ import annotations

import math
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final, Literal

from devices.errors import FrameError, ProtocolError
from devices.intellivue_codec import (
    MDDL_VERSION1,
    MDS,
    NOM_ACT_POLL_MDIB_DATA,
    NOM_ACT_POLL_MDIB_DATA_EXT,
    NOM_ATTR_COLOR,
    NOM_ATTR_DISP_RES,
    NOM_ATTR_ID_BED_LABEL,
    NOM_ATTR_ID_LABEL,
    NOM_ATTR_ID_LABEL_STRING,
    NOM_ATTR_ID_MODEL,
    NOM_ATTR_NU_CMPD_VAL_OBS,
    NOM_ATTR_NU_VAL_OBS,
    NOM_ATTR_SYS_ID,
    NOM_ATTR_SYS_TYPE,
    NOM_ATTR_TIME_ABS,
    NOM_ATTR_TIME_REL,
    NOM_ATTR_TIME_STAMP_ABS,
    NOM_ATTR_VMS_MDS_STAT,
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
    NOM_PART_SCADA,
    NOM_PLETH_PULS_RATE,
    NOM_PRESS_BLD_NONINV,
    NOM_PRESS_BLD_NONINV_DIA,
    NOM_PRESS_BLD_NONINV_MEAN,
    NOM_PRESS_BLD_NONINV_SYS,
    NOM_PULS_OXIM_SAT_O2,
    NOM_RESP_RATE,
    NOM_TEMP,
    NOMEN_VERSION,
    POLL_EXT_PERIOD_NU_1SEC,
    POLL_PROFILE_REV_0,
    RELATIVE_TIME_PER_SECOND,
    SYST_CLIENT,
    SYST_SERVER,
    Action,
    Attribute,
    Command,
    ContextPoll,
    EventReport,
    FloatType,
    FrameFault,
    FrameReader,
    LinkedState,
    MdsCreateInfo,
    MeasurementState,
    NumericValue,
    ObservationPoll,
    OperationKind,
    PollProfile,
    PollReply,
    PollRequest,
    RemoteError,
    RemoteOperation,
    SessionKind,
    SessionMessage,
    UserInfo,
    absolute_time,
    association_abort,
    association_refusal,
    association_response,
    association_timeout_s,
    compound_value,
    encode_frame,
    frame_user_data,
    mds_create_event,
    poll_result,
    read_message,
    release_response,
    remote_error,
    text_string,
)
from devices.readings import Parameter

if TYPE_CHECKING:
    from devices.simulator import Scenario, SerialPort, Vitals

TemperatureUnit = Literal["Cel", "degF"]
"""The temperature unit the simulated monitor is configured for."""

PressureUnit = Literal["mmHg", "kPa"]
"""The blood pressure unit the simulated monitor is configured for."""

OWN_MIN_POLL_PERIOD_S: Final = 1.0
"""The shortest poll period the simulated monitor agrees to."""

OWN_MAX_MTU: Final = 2500
"""The largest message the simulated monitor sends or takes, unless the app takes less."""

RELATIVE_TIME_AT_START: Final = 0x0020_0000
"""The monitor's RelativeTime when the simulation starts: it has been on for a few minutes."""

# Real time the loop waits at most between two looks at the port.
_POLL_S: Final = 0.01

# As a real IntelliVue reports them in its announcements: the system type (partition 1, code
# 0x114D), "Philips" as manufacturer, and a system id under Philips' IEEE OUI 00-09-FB.
_SYSTEM_TYPE: Final = struct.pack(">HH", 1, 0x114D)
_MANUFACTURER: Final = "Philips"
_MODEL: Final = "M8002A"  # the MP30's product number
_SYSTEM_ID: Final = bytes.fromhex("00 09 fb ff fe 51 4d 01")
_MDS_OPERATING: Final = 6

_COLOR_RED, _COLOR_GREEN, _COLOR_YELLOW, _COLOR_CYAN, _COLOR_WHITE = 1, 2, 3, 6, 7


@dataclass(frozen=True, slots=True)
class _NumericDisplay:
    """How the monitor shows one numeric: handle, label, colour, and the values it holds."""

    handle: int
    label: str
    label_physio_id: int
    color: int
    digits: int
    values: tuple[tuple[Parameter, int], ...]

    @property
    def label_id(self) -> int:
        """The TextId of the label: its physiological id in partition 2."""
        return NOM_PART_SCADA << 16 | self.label_physio_id


# The guide's labels; "SpO₂" is written with the subscript two, as the monitor writes it.
_NUMERICS: Final = (
    _NumericDisplay(
        0x0101,
        "HR",
        NOM_ECG_CARD_BEAT_RATE,
        _COLOR_GREEN,
        3,
        ((Parameter.HR, NOM_ECG_CARD_BEAT_RATE),),
    ),
    _NumericDisplay(
        0x0102,
        "SpO₂",
        NOM_PULS_OXIM_SAT_O2,
        _COLOR_CYAN,
        3,
        ((Parameter.SPO2, NOM_PULS_OXIM_SAT_O2),),
    ),
    _NumericDisplay(
        0x0103, "Pulse", NOM_PLETH_PULS_RATE, _COLOR_CYAN, 3, ((Parameter.PR, NOM_PLETH_PULS_RATE),)
    ),
    _NumericDisplay(
        0x0104,
        "NBP",
        NOM_PRESS_BLD_NONINV,
        _COLOR_RED,
        3,
        (
            (Parameter.SBP, NOM_PRESS_BLD_NONINV_SYS),
            (Parameter.DBP, NOM_PRESS_BLD_NONINV_DIA),
            (Parameter.MAP, NOM_PRESS_BLD_NONINV_MEAN),
        ),
    ),
    _NumericDisplay(0x0105, "Temp", NOM_TEMP, _COLOR_WHITE, 2, ((Parameter.TEMP, NOM_TEMP),)),
    _NumericDisplay(
        0x0106, "RR", NOM_RESP_RATE, _COLOR_YELLOW, 3, ((Parameter.RR, NOM_RESP_RATE),)
    ),
)
_NIBP: Final = 0x0104


@dataclass(frozen=True, slots=True)
class IntellivueStats:
    """What a simulated IntelliVue has done since it started.

    `sent` counts frames; `polls_answered` numerics polls, `keep_alives` MDS polls;
    `ignored` messages that came without an association or out of turn; `bad_frames`
    frames that failed their checks or could not be read.
    """

    sent: int = 0
    associations: int = 0
    refusals: int = 0
    releases: int = 0
    aborts_received: int = 0
    timeouts: int = 0
    polls_answered: int = 0
    keep_alives: int = 0
    errors_sent: int = 0
    ignored: int = 0
    bad_frames: int = 0


@dataclass
class _Association:
    """What the monitor holds about the association it has accepted."""

    app_takes: int
    timeout_s: float
    last_heard: float
    operating: bool = False


def _local_now() -> datetime:
    return datetime.now(UTC).astimezone()


class IntellivueMonitor:
    """A Philips IntelliVue (MP30) sending a scenario's values over its MIB/RS232 data export.

    The scenario runs `speed` times faster than real time; the monitor's clocks (wall clock
    from `clock()` in whole seconds, RelativeTime) run at scenario speed, its association
    time-out in real time (`association_timeout_s`, else the guide's rule for the negotiated
    minimum poll period). Temperatures and blood pressures are sent in the configured units.
    `stats` and `wait_for` may be used from any thread; `run` blocks the thread it is called on.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        speed: float = 1.0,
        clock: Callable[[], datetime] = _local_now,
        monotonic: Callable[[], float] = time.monotonic,
        association_timeout_s: float | None = None,
        temperature_unit: TemperatureUnit = "Cel",
        pressure_unit: PressureUnit = "mmHg",
        bed_label: str = "SIMBED1",
    ) -> None:
        if not (math.isfinite(speed) and speed > 0):
            raise ValueError(f"speed must be a positive number, not {speed}")
        if temperature_unit not in ("Cel", "degF"):
            raise ValueError(f"temperature_unit must be 'Cel' or 'degF', not {temperature_unit!r}")
        if pressure_unit not in ("mmHg", "kPa"):
            raise ValueError(f"pressure_unit must be 'mmHg' or 'kPa', not {pressure_unit!r}")
        self._scenario = scenario
        self._speed = speed
        self._clock = clock
        self._monotonic = monotonic
        self._timeout_s = association_timeout_s
        self._temperature_unit = temperature_unit
        self._pressure_unit = pressure_unit
        self._bed_label = bed_label
        self._changed = threading.Condition()
        self._stats = IntellivueStats()
        self._end_asked = threading.Event()
        self._association: _Association | None = None
        self._start = clock()
        self._start_monotonic = 0.0
        self._invoke_id = 0
        self._sequence = 0

    @property
    def stats(self) -> IntellivueStats:
        """A snapshot of what the monitor has done so far."""
        with self._changed:
            return self._stats

    def wait_for(self, condition: Callable[[IntellivueStats], bool], timeout: float) -> bool:
        """Wait until the monitor's counts satisfy `condition`; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(self._stats), timeout)

    def end_association(self) -> None:
        """End the association from the monitor's side, as when its data export is switched off."""
        self._end_asked.set()

    def run(self, port: SerialPort, stop: threading.Event) -> None:
        """Be the monitor on `port` until `stop` is set.

        Raises:
            OSError: the port failed (pyserial's `SerialException` is one).
        """
        self._start = self._clock().replace(microsecond=0)
        self._start_monotonic = self._monotonic()
        reader = FrameReader()
        while not stop.is_set():
            now = self._monotonic()
            silent = self._scenario.silent_at(self._elapsed(now))
            self._end_if_due(port, now, silent=silent)
            if waiting := port.in_waiting:
                data = port.read(waiting)
                if silent:
                    # Whatever the app sent is lost, and so is any frame begun.
                    reader = FrameReader()
                    continue
                for item in reader.feed(data):
                    self._on_frame(port, item, now)
                continue
            stop.wait(_POLL_S)

    # ------------------------------------------------------------------ time

    def _elapsed(self, now: float) -> float:
        """Scenario seconds since the start."""
        return max(0.0, now - self._start_monotonic) * self._speed

    def _device_time(self, elapsed_s: float) -> datetime:
        """The monitor's wall clock (naive) at a scenario second."""
        return (self._start + timedelta(seconds=elapsed_s)).replace(tzinfo=None)

    def _relative_time(self, now: float) -> int:
        return self._ticks(self._elapsed(now))

    @staticmethod
    def _ticks(elapsed_s: float) -> int:
        """The monitor's RelativeTime at a scenario second."""
        ticks = math.floor(elapsed_s * RELATIVE_TIME_PER_SECOND)
        return (RELATIVE_TIME_AT_START + ticks) % 2**32

    # ------------------------------------------------------------------ the association

    def _end_if_due(self, port: SerialPort, now: float, *, silent: bool) -> None:
        association = self._association
        if association is None:
            self._end_asked.clear()
            return
        if self._end_asked.is_set():
            self._end_asked.clear()
        elif now - association.last_heard >= association.timeout_s:
            self._count(timeouts=1)
        else:
            return
        self._association = None
        if not silent:
            self._send(port, association_abort())

    def _on_frame(self, port: SerialPort, item: bytes | FrameFault, now: float) -> None:
        """Handle one frame from the app: never raises for what the app sent."""
        if isinstance(item, FrameFault):
            self._count(bad_frames=1)
            return
        try:
            user_data = frame_user_data(item)
        except FrameError:
            self._count(bad_frames=1)
            return
        try:
            message = read_message(user_data)
        except ProtocolError:
            self._count(bad_frames=1)
            if user_data[:1] == bytes([SessionKind.ASSOCIATION_REQUEST]):
                self._refuse(port)
            return
        if self._association is not None:
            self._association.last_heard = now
        if isinstance(message, SessionMessage):
            self._on_session(port, message, now)
        else:
            self._on_operation(port, message, now)

    def _on_session(self, port: SerialPort, message: SessionMessage, now: float) -> None:
        association = self._association
        if message.kind is SessionKind.ASSOCIATION_REQUEST:
            self._on_association_request(port, message, now)
        elif message.kind is SessionKind.RELEASE_REQUEST and association is not None:
            self._association = None
            self._send(port, release_response())
            self._count(releases=1)
        elif message.kind is SessionKind.ABORT and association is not None:
            self._association = None
            self._count(aborts_received=1)
        else:
            self._count(ignored=1)

    def _on_association_request(
        self, port: SerialPort, message: SessionMessage, now: float
    ) -> None:
        info = message.user_info
        profile = info.poll_profile if info is not None else None
        if (
            self._association is not None
            or info is None
            or profile is None
            or profile.revision != POLL_PROFILE_REV_0
            or (info.protocol_version, info.nomenclature_version) != (MDDL_VERSION1, NOMEN_VERSION)
            or not info.system_type & SYST_CLIENT
        ):
            self._refuse(port)
            return
        period_s = max(profile.min_poll_period_s, OWN_MIN_POLL_PERIOD_S)
        agreed = PollProfile(
            min_poll_period=round(period_s * RELATIVE_TIME_PER_SECOND),
            max_mtu_rx=OWN_MAX_MTU,
            max_mtu_tx=min(OWN_MAX_MTU, profile.max_mtu_rx),
            extended_options=None if profile.extended_options is None else POLL_EXT_PERIOD_NU_1SEC,
        )
        timeout_s = (
            self._timeout_s if self._timeout_s is not None else association_timeout_s(period_s)
        )
        self._association = _Association(agreed.max_mtu_tx, timeout_s, now)
        self._send(port, association_response(UserInfo(SYST_SERVER, agreed)))
        self._send(
            port,
            mds_create_event(self._next_invoke_id(), self._relative_time(now), self._mds_info(now)),
        )
        self._count(associations=1)

    def _refuse(self, port: SerialPort) -> None:
        self._send(port, association_refusal())
        self._count(refusals=1)

    def _mds_info(self, now: float) -> MdsCreateInfo:
        return MdsCreateInfo(MDS, self._mds_attributes(now))

    def _mds_attributes(self, now: float) -> tuple[Attribute, ...]:
        hundredths = math.floor(self._elapsed(now) * 100) / 100
        return (
            Attribute(NOM_ATTR_SYS_TYPE, _SYSTEM_TYPE),
            Attribute(NOM_ATTR_ID_MODEL, _variable_label(_MANUFACTURER) + _variable_label(_MODEL)),
            Attribute(NOM_ATTR_SYS_ID, struct.pack(">H", len(_SYSTEM_ID)) + _SYSTEM_ID),
            Attribute(NOM_ATTR_ID_BED_LABEL, text_string(self._bed_label)),
            # Both clocks at the same instant: one the wall clock can tell to 1/100 s.
            Attribute(NOM_ATTR_TIME_ABS, absolute_time(self._device_time(hundredths))),
            Attribute(NOM_ATTR_TIME_REL, struct.pack(">I", self._ticks(hundredths))),
            Attribute(NOM_ATTR_VMS_MDS_STAT, struct.pack(">H", _MDS_OPERATING)),
        )

    # ------------------------------------------------------------------ data export

    def _on_operation(self, port: SerialPort, operation: RemoteOperation, now: float) -> None:
        association = self._association
        if association is None:
            self._count(ignored=1)
        elif not association.operating:
            # Until the MDS Create event is confirmed, the monitor waits for nothing else.
            if _confirms_mds_create(operation):
                association.operating = True
            else:
                self._count(ignored=1)
        elif operation.kind is not OperationKind.INVOKE:
            self._count(ignored=1)
        elif operation.command == Command.CONFIRMED_ACTION:
            self._on_action(port, operation, now)
        elif operation.command in (Command.GET, Command.CONFIRMED_SET):
            self._error(port, operation.invoke_id, RemoteError.ACCESS_DENIED)
        else:
            self._count(ignored=1)

    def _on_action(self, port: SerialPort, operation: RemoteOperation, now: float) -> None:
        try:
            action = Action.read(operation.argument, with_scope=True)
            if action.managed_object.object_class != NOM_MOC_VMS_MDS:
                self._error(port, operation.invoke_id, RemoteError.NO_SUCH_OBJECT_CLASS)
                return
            if action.action_type not in (NOM_ACT_POLL_MDIB_DATA, NOM_ACT_POLL_MDIB_DATA_EXT):
                self._error(port, operation.invoke_id, RemoteError.NO_SUCH_ACTION)
                return
            request = PollRequest.read(action)
        except ProtocolError:
            self._error(port, operation.invoke_id, RemoteError.INVALID_ARGUMENT_VALUE)
            return
        self._answer_poll(port, operation.invoke_id, request, now)

    def _answer_poll(
        self, port: SerialPort, invoke_id: int, request: PollRequest, now: float
    ) -> None:
        elapsed = self._elapsed(now)
        if request.object_type == NOM_MOC_VMO_METRIC_NU:
            observations = self._numerics(math.floor(elapsed))
            self._count(polls_answered=1)
        elif request.object_type == NOM_MOC_VMS_MDS:
            observations = (ObservationPoll(0, self._mds_attributes(now)),)
            self._count(keep_alives=1)
        else:
            observations = ()
        self._sequence = (self._sequence + 1) % 0x10000
        reply = PollReply(
            poll_number=request.poll_number,
            relative_time=self._relative_time(now),
            # Over the serial interface the monitor leaves the result's wall-clock time unset;
            # the MDS's clock dates the relative time.
            absolute_time=None,
            object_type=request.object_type,
            contexts=(ContextPoll(0, observations),) if observations else (),
            attribute_group=request.attribute_group,
            extended=request.extended,
            sequence_number=self._sequence,
        )
        association = self._association
        limit = association.app_takes if association is not None else OWN_MAX_MTU
        for message in _results(invoke_id, reply, limit):
            self._send(port, message)

    def _numerics(self, second: int) -> tuple[ObservationPoll, ...]:
        return numeric_observations(
            self._scenario.vitals_at(second),
            self._device_time(self._scenario.nibp_measured_at(second)),
            temperature_unit=self._temperature_unit,
            pressure_unit=self._pressure_unit,
        )

    # ------------------------------------------------------------------ sending and counting

    def _error(self, port: SerialPort, invoke_id: int, error: RemoteError) -> None:
        self._send(port, remote_error(invoke_id, error))
        self._count(errors_sent=1)

    def _send(self, port: SerialPort, message: bytes) -> None:
        port.write(encode_frame(message))
        self._count(sent=1)

    def _next_invoke_id(self) -> int:
        self._invoke_id = (self._invoke_id + 1) % 0x10000
        return self._invoke_id

    def _count(self, **increments: int) -> None:
        with self._changed:
            self._stats = replace(
                self._stats,
                **{name: getattr(self._stats, name) + step for name, step in increments.items()},
            )
            self._changed.notify_all()


def numeric_observations(
    vitals: Vitals,
    cuff_time: datetime,
    *,
    temperature_unit: TemperatureUnit = "Cel",
    pressure_unit: PressureUnit = "mmHg",
) -> tuple[ObservationPoll, ...]:
    """The numerics an IntelliVue shows for `vitals`, as it sends them in a poll result.

    Values rounded as displayed, in the given units (temperature and kPa to 0.1); each with
    its label, label string, display resolution and colour; NBP as one compound value
    (systolic, diastolic, mean) stamped with `cuff_time`, when the cuff measured.

    Raises:
        ValueError: a value too large for a FLOAT.
    """
    shown = vitals.as_displayed()
    observations = []
    for numeric in _NUMERICS:
        values = [
            NumericValue(
                physio_id,
                MeasurementState(0),
                *_coded(parameter, shown, temperature_unit, pressure_unit),
            )
            for parameter, physio_id in numeric.values
        ]
        decimals = max(-value.value.exponent for value in values)
        attributes = [
            Attribute(NOM_ATTR_ID_LABEL, struct.pack(">I", numeric.label_id)),
            Attribute(NOM_ATTR_ID_LABEL_STRING, text_string(numeric.label)),
            Attribute(NOM_ATTR_DISP_RES, bytes([numeric.digits, decimals])),
            Attribute(NOM_ATTR_COLOR, struct.pack(">H", numeric.color)),
        ]
        if len(values) == 1:
            attributes.append(Attribute(NOM_ATTR_NU_VAL_OBS, values[0].to_bytes()))
        else:
            attributes.append(Attribute(NOM_ATTR_NU_CMPD_VAL_OBS, compound_value(values)))
        if numeric.handle == _NIBP:
            attributes.append(Attribute(NOM_ATTR_TIME_STAMP_ABS, absolute_time(cuff_time)))
        observations.append(ObservationPoll(numeric.handle, tuple(attributes)))
    return tuple(observations)


def _coded(
    parameter: Parameter,
    shown: Vitals,
    temperature_unit: TemperatureUnit,
    pressure_unit: PressureUnit,
) -> tuple[int, FloatType]:
    """The unit code and value the monitor sends for a parameter, in its configured units."""
    value = shown.value(parameter)
    if parameter is Parameter.TEMP:
        if temperature_unit == "degF":
            return NOM_DIM_FAHR, FloatType.of(value * 9 / 5 + 32, 1)
        return NOM_DIM_DEGC, FloatType.of(value, 1)
    if parameter in (Parameter.SBP, Parameter.DBP, Parameter.MAP):
        if pressure_unit == "kPa":
            return NOM_DIM_KILO_PASCAL, FloatType.of(value * 0.133322387415, 1)
        return NOM_DIM_MMHG, FloatType.of(value, 0)
    unit = {Parameter.SPO2: NOM_DIM_PERCENT, Parameter.RR: NOM_DIM_RESP_PER_MIN}
    return unit.get(parameter, NOM_DIM_BEAT_PER_MIN), FloatType.of(value, 0)


def _confirms_mds_create(operation: RemoteOperation) -> bool:
    if (operation.kind, operation.command) != (
        OperationKind.RESULT,
        Command.CONFIRMED_EVENT_REPORT,
    ):
        return False
    try:
        return EventReport.read(operation.argument).event_type == NOM_NOTI_MDS_CREAT
    except ProtocolError:
        return False


def _variable_label(text: str) -> bytes:
    """A VariableLabel: length, then ASCII text ending in NUL, padded to an even length."""
    encoded = text.encode("ascii") + b"\0"
    if len(encoded) % 2:
        encoded += b"\0"
    return struct.pack(">H", len(encoded)) + encoded


def _results(invoke_id: int, reply: PollReply, limit: int) -> Iterator[bytes]:
    """The poll result as one message, or as linked results of at most `limit` bytes each.

    Linked results carry the objects in order, FIRST to LAST; a result with no objects then
    ends the series, as the guide's RORLS_LAST ("one RORSapdu to follow") has it.
    """
    whole = poll_result(invoke_id, reply)
    if len(whole) <= limit or sum(len(c.observations) for c in reply.contexts) < 2:
        yield whole
        return
    empty = replace(reply, contexts=())
    overhead = len(poll_result(invoke_id, empty, (LinkedState.FIRST, 1))) + 6
    parts: list[list[tuple[int, ObservationPoll]]] = [[]]
    size = overhead
    for context in reply.contexts:
        for observation in context.observations:
            length = len(observation.to_bytes())
            if parts[-1] and size + length > limit:
                parts.append([])
                size = overhead
            parts[-1].append((context.context_id, observation))
            size += length
    for number, part in enumerate(parts, start=1):
        state = (
            LinkedState.FIRST
            if number == 1
            else LinkedState.LAST
            if number == len(parts)
            else LinkedState.NOT_FIRST_NOT_LAST
        )
        contexts = tuple(
            ContextPoll(context_id, tuple(o for c, o in part if c == context_id))
            for context_id in dict.fromkeys(c for c, _ in part)
        )
        yield poll_result(invoke_id, replace(reply, contexts=contexts), (state, number % 256))
    yield poll_result(invoke_id, empty)
