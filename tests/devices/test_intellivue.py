"""The IntelliVue driver: numerics to readings, and the dialogue the monitor expects."""

from __future__ import annotations

import itertools
import struct
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.base import SerialSettings, driver_class
from devices.intellivue import (
    NOT_RECORDED,
    PHYSIO_PARAMETERS,
    IntellivueDriver,
    decode_numerics,
    state_meanings,
)
from devices.intellivue_codec import (
    MDS,
    NOM_ATTR_ID_LABEL_STRING,
    NOM_ATTR_NU_CMPD_VAL_OBS,
    NOM_ATTR_NU_VAL_OBS,
    NOM_ATTR_TIME_ABS,
    NOM_ATTR_TIME_REL,
    NOM_ATTR_TIME_STAMP_ABS,
    NOM_ATTR_TIME_STAMP_REL,
    NOM_DIM_DIMLESS,
    NOM_MOC_VMO_METRIC_NU,
    NOM_MOC_VMS_MDS,
    NOM_NOTI_MDS_CREAT,
    NOM_PULS_OXIM_PERF_REL,
    NOM_TEMP_SKIN,
    SYST_SERVER,
    Action,
    Attribute,
    Command,
    ContextPoll,
    EventReport,
    FloatSpecial,
    FloatType,
    FrameFault,
    FrameReader,
    LinkedState,
    MdsCreateInfo,
    MeasurementState,
    MonitorClock,
    NumericValue,
    ObservationPoll,
    OperationKind,
    PollProfile,
    PollReply,
    PollRequest,
    RemoteError,
    RemoteOperation,
    SessionMessage,
    UserInfo,
    absolute_time,
    association_abort,
    association_refusal,
    association_request,
    association_response,
    compound_value,
    encode_frame,
    frame_user_data,
    mds_create_event,
    poll_result,
    read_message,
    release_request,
    remote_error,
    text_string,
    wrap_frame,
)
from devices.intellivue_codec import NOM_DIM_BEAT_PER_MIN as BPM
from devices.intellivue_codec import NOM_DIM_DEGC as CELSIUS
from devices.intellivue_codec import NOM_DIM_FAHR as FAHRENHEIT
from devices.intellivue_codec import NOM_DIM_KILO_PASCAL as KPA
from devices.intellivue_codec import NOM_DIM_MMHG as MMHG
from devices.intellivue_codec import NOM_DIM_PERCENT as PERCENT
from devices.intellivue_codec import NOM_DIM_RESP_PER_MIN as RPM
from devices.intellivue_codec import NOM_ECG_CARD_BEAT_RATE as HR
from devices.intellivue_codec import NOM_PLETH_PULS_RATE as PULSE
from devices.intellivue_codec import NOM_PRESS_BLD_NONINV_DIA as NBP_DIA
from devices.intellivue_codec import NOM_PRESS_BLD_NONINV_MEAN as NBP_MEAN
from devices.intellivue_codec import NOM_PRESS_BLD_NONINV_SYS as NBP_SYS
from devices.intellivue_codec import NOM_PULS_OXIM_SAT_O2 as SPO2
from devices.intellivue_codec import NOM_RESP_RATE as RR
from devices.intellivue_codec import NOM_TEMP as TEMP
from devices.intellivue_simulator import PressureUnit, TemperatureUnit, numeric_observations
from devices.readings import (
    PLAUSIBLE_RANGE,
    Decoded,
    DeviceData,
    DeviceStatus,
    Parameter,
    Reading,
)
from devices.simulator import Vitals


def at(iso: str) -> datetime:
    """A monitor's wall-clock time, without a zone, as the monitor keeps it."""
    return datetime.fromisoformat(iso)


MDS_TIME = at("2026-11-23T09:00")
MDS_RELATIVE = 0x0020_0000
CLOCK = MonitorClock(MDS_TIME, MDS_RELATIVE)
CUFF_TIME = at("2026-11-23T08:58:30")


def relative(seconds: float) -> int:
    """The monitor's RelativeTime this many seconds after the MDS Create event."""
    return MDS_RELATIVE + round(seconds * 8000)


def mds_attributes(wall: datetime, ticks: int) -> tuple[Attribute, ...]:
    return (
        Attribute(NOM_ATTR_TIME_ABS, absolute_time(wall)),
        Attribute(NOM_ATTR_TIME_REL, struct.pack(">I", ticks)),
    )


ACCEPT = association_response(UserInfo(SYST_SERVER, PollProfile(8000, 2500, 2500)))
MDS_CREATE = mds_create_event(7, 0x1234, MdsCreateInfo(MDS, mds_attributes(MDS_TIME, MDS_RELATIVE)))


def value(
    physio_id: int, number: float, unit: int, *, decimals: int = 0, state: int = 0
) -> NumericValue:
    return NumericValue(physio_id, MeasurementState(state), unit, FloatType.of(number, decimals))


def numeric(handle: int, *values: NumericValue, extra: Iterable[Attribute] = ()) -> ObservationPoll:
    if len(values) == 1:
        shown = Attribute(NOM_ATTR_NU_VAL_OBS, values[0].to_bytes())
    else:
        shown = Attribute(NOM_ATTR_NU_CMPD_VAL_OBS, compound_value(values))
    return ObservationPoll(handle, (*extra, shown))


def reply(
    *observations: ObservationPoll,
    seconds: float = 10.0,
    wall: datetime | None = None,
    ticks: int | None = None,
) -> PollReply:
    """A numerics poll result, `seconds` after the MDS Create event (or at RelativeTime `ticks`)."""
    return PollReply(
        poll_number=1,
        relative_time=relative(seconds) if ticks is None else ticks,
        absolute_time=wall,
        object_type=NOM_MOC_VMO_METRIC_NU,
        contexts=(ContextPoll(0, observations),),
    )


MONITOR_NUMERICS = reply(
    numeric(1, value(HR, 72, BPM), extra=(Attribute(NOM_ATTR_ID_LABEL_STRING, text_string("HR")),)),
    numeric(2, value(SPO2, 98, PERCENT)),
    numeric(3, value(PULSE, 71, BPM)),
    numeric(
        4,
        value(NBP_SYS, 121, MMHG),
        value(NBP_DIA, 79, MMHG),
        value(NBP_MEAN, 93, MMHG),
        extra=(Attribute(NOM_ATTR_TIME_STAMP_ABS, absolute_time(CUFF_TIME)),),
    ),
    numeric(5, value(TEMP, 36.8, CELSIUS, decimals=1)),
    numeric(6, value(RR, 14, RPM)),
)
AT_10_S = at("2026-11-23T09:00:10")
READINGS = [
    Reading(Parameter.HR, 72.0, "/min", AT_10_S, "intellivue"),
    Reading(Parameter.SPO2, 98.0, "%", AT_10_S, "intellivue"),
    Reading(Parameter.PR, 71.0, "/min", AT_10_S, "intellivue"),
    Reading(Parameter.SBP, 121.0, "mmHg", CUFF_TIME, "intellivue"),
    Reading(Parameter.DBP, 79.0, "mmHg", CUFF_TIME, "intellivue"),
    Reading(Parameter.MAP, 93.0, "mmHg", CUFF_TIME, "intellivue"),
    Reading(Parameter.TEMP, 36.8, "Cel", AT_10_S, "intellivue"),
    Reading(Parameter.RR, 14.0, "/min", AT_10_S, "intellivue"),
]


def monitor_says(*messages: bytes) -> bytes:
    """Messages as the monitor sends them, each in its frame."""
    return b"".join(encode_frame(message) for message in messages)


def sent(data: bytes) -> list[SessionMessage | RemoteOperation]:
    """The messages the driver sent, one per frame; nothing may be left over or broken."""
    reader = FrameReader()
    items = reader.feed(data)
    assert reader.buffered_bytes == 0
    assert not [item for item in items if isinstance(item, FrameFault)]
    return [read_message(frame_user_data(item)) for item in items if isinstance(item, bytes)]


def kinds(data: bytes) -> list[str]:
    """What the driver sent, in words: session kinds, or the object a poll asks for."""
    words = []
    for message in sent(data):
        if isinstance(message, SessionMessage):
            words.append(message.kind.name)
        elif message.kind is OperationKind.INVOKE and message.command == Command.CONFIRMED_ACTION:
            poll = PollRequest.read(Action.read(message.argument, with_scope=True))
            what = {NOM_MOC_VMO_METRIC_NU: "numerics", NOM_MOC_VMS_MDS: "MDS"}[poll.object_type]
            words.append(f"{'extended ' if poll.extended else ''}poll {what}")
        else:
            words.append(f"{message.kind.name} {Command(message.command).name}")
    return words


@dataclass
class Fed:
    """Everything a driver gave for a stream of chunks, joined."""

    decoded: tuple[Decoded, ...]
    reply: bytes
    rejected: Counter[str]


def feed(driver: IntellivueDriver, chunks: Iterable[bytes]) -> Fed:
    decoded: list[Decoded] = []
    answer = b""
    rejected: Counter[str] = Counter()
    for chunk in chunks:
        received = driver.receive(chunk)
        decoded += received.decoded
        answer += received.reply
        rejected.update(received.rejected)
    return Fed(tuple(decoded), answer, rejected)


def operating(driver: IntellivueDriver, now: float = 100.0) -> IntellivueDriver:
    """`driver` associated at `now`, its first numerics poll sent."""
    driver.on_connect(now)
    driver.receive(monitor_says(ACCEPT, MDS_CREATE))
    assert kinds(driver.poll(now)) == ["extended poll numerics"]
    return driver


def readings_of(decoded: Iterable[Decoded]) -> list[Reading]:
    return [reading for one in decoded for reading in one.readings]


# --------------------------------------------------------------------------- numerics


def test_a_poll_result_gives_every_vital_sign_in_canonical_units_and_the_monitors_time() -> None:
    decoded = decode_numerics(MONITOR_NUMERICS, CLOCK)
    assert list(decoded.readings) == READINGS
    assert (decoded.status, decoded.unmapped, decoded.dropped_implausible) == ((), (), 0)


def test_fahrenheit_and_kilopascal_are_converted() -> None:
    decoded = decode_numerics(
        reply(
            numeric(5, value(TEMP, 98.6, FAHRENHEIT, decimals=1)),
            numeric(
                4, value(NBP_SYS, 16.0, KPA, decimals=1), value(NBP_DIA, 10.7, KPA, decimals=1)
            ),
        ),
        CLOCK,
    )
    temperature, systolic, diastolic = decoded.readings
    assert (temperature.parameter, temperature.unit) == (Parameter.TEMP, "Cel")
    assert temperature.value == pytest.approx(37.0)
    assert (systolic.parameter, systolic.unit) == (Parameter.SBP, "mmHg")
    assert systolic.value == pytest.approx(120.01, abs=0.01)
    assert diastolic.value == pytest.approx(80.26, abs=0.01)


@pytest.mark.parametrize("flag", list(MeasurementState(NOT_RECORDED)))
def test_a_value_in_a_state_not_recorded_gives_no_reading_but_says_why(
    flag: MeasurementState,
) -> None:
    decoded = decode_numerics(reply(numeric(2, value(SPO2, 98, PERCENT, state=flag))), CLOCK)

    assert decoded.readings == ()
    assert decoded.status == (
        DeviceStatus(
            code="0002-4bb8",
            value=f"{int(flag):#06x}",
            meanings=(flag.name,),
            source="intellivue",
        ),
    )
    assert decoded.dropped_implausible == 0


def test_the_recorded_states_are_exactly_the_documented_harmless_ones() -> None:
    assert MeasurementState(NOT_RECORDED) == (
        MeasurementState.INVALID
        | MeasurementState.QUESTIONABLE
        | MeasurementState.UNAVAILABLE
        | MeasurementState.CALIBRATION_ONGOING
        | MeasurementState.TEST_DATA
        | MeasurementState.DEMO_DATA
        | MeasurementState.EARLY_INDICATION
        | MeasurementState.MSMT_ONGOING
    )
    harmless = (
        MeasurementState.VALIDATED_DATA
        | MeasurementState.MSMT_STATE_IN_ALARM
        | MeasurementState.MSMT_STATE_AL_INHIBITED
    )
    decoded = decode_numerics(reply(numeric(1, value(HR, 131, BPM, state=harmless))), CLOCK)
    assert [(r.parameter, r.value) for r in decoded.readings] == [(Parameter.HR, 131.0)]
    assert decoded.status == ()


def test_a_state_with_several_flags_names_them_all_highest_first() -> None:
    state = MeasurementState.UNAVAILABLE | MeasurementState.INVALID | MeasurementState(0x0100)
    assert state_meanings(state) == ("INVALID", "UNAVAILABLE", "undocumented bit 0x0100")
    decoded = decode_numerics(
        reply(numeric(1, value(HR, 60, BPM), value(SPO2, 95, PERCENT, state=state))), CLOCK
    )
    assert [r.parameter for r in decoded.readings] == [Parameter.HR]
    assert [s.meanings for s in decoded.status] == [
        ("INVALID", "UNAVAILABLE", "undocumented bit 0x0100")
    ]


def test_not_available_gives_nothing_and_nres_or_infinity_count_as_implausible() -> None:
    def special(physio_id: int, unit: int, word: FloatSpecial) -> NumericValue:
        return NumericValue(physio_id, MeasurementState(0), unit, FloatType.special_value(word))

    decoded = decode_numerics(
        reply(
            numeric(1, special(HR, BPM, FloatSpecial.NAN)),
            numeric(2, special(SPO2, PERCENT, FloatSpecial.NRES)),
            numeric(3, special(PULSE, BPM, FloatSpecial.POSITIVE_INFINITY)),
            numeric(6, special(RR, RPM, FloatSpecial.NEGATIVE_INFINITY)),
            numeric(5, value(TEMP, 52.0, CELSIUS, decimals=1)),  # no patient is this hot
        ),
        CLOCK,
    )
    assert decoded == Decoded(dropped_implausible=4)


def test_numerics_the_app_does_not_record_are_kept_as_device_data() -> None:
    decoded = decode_numerics(
        reply(
            numeric(
                7,
                value(NOM_PULS_OXIM_PERF_REL, 2.5, NOM_DIM_DIMLESS, decimals=1),
                extra=(Attribute(NOM_ATTR_ID_LABEL_STRING, text_string("Perf")),),
            ),
            numeric(8, value(NOM_TEMP_SKIN, 33.1, CELSIUS, decimals=1)),
            numeric(1, value(HR, 72, PERCENT)),  # a heart rate in a unit it cannot have
            numeric(6, value(RR, 14, BPM)),  # a respiration rate counted in beats
        ),
        CLOCK,
    )
    assert decoded.readings == ()
    assert decoded.unmapped == (
        DeviceData(code="0002-4bb0", system="MDIL", value="2.5", unit="0004-0200", text="Perf"),
        DeviceData(code="0002-4b74", system="MDIL", value="33.1", unit="°C"),
        DeviceData(code="0002-4182", system="MDIL", value="72", unit="%"),
        DeviceData(code="0002-500a", system="MDIL", value="14", unit="bpm"),
    )


def test_a_numeric_is_dated_by_its_own_stamp_then_the_result_then_not_at_all() -> None:
    own_relative = Attribute(NOM_ATTR_TIME_STAMP_REL, struct.pack(">I", relative(4.5)))
    own_absolute = Attribute(NOM_ATTR_TIME_STAMP_ABS, absolute_time(CUFF_TIME))
    observations = (
        numeric(1, value(HR, 72, BPM), extra=(own_absolute, own_relative)),
        numeric(3, value(PULSE, 71, BPM), extra=(own_relative,)),
        numeric(2, value(SPO2, 98, PERCENT)),
    )

    def times(result: PollReply, clock: MonitorClock | None) -> list[datetime | None]:
        return [r.device_time for r in decode_numerics(result, clock).readings]

    wall = at("2026-11-23T09:30:00")
    assert times(reply(*observations), CLOCK) == [CUFF_TIME, at("2026-11-23T09:00:04.5"), AT_10_S]
    assert times(reply(*observations, wall=wall), CLOCK) == [
        CUFF_TIME,
        at("2026-11-23T09:00:04.5"),
        wall,
    ]
    assert times(reply(*observations), None) == [CUFF_TIME, None, None]


def test_every_mapped_id_is_a_parameter_the_app_records() -> None:
    assert set(PHYSIO_PARAMETERS.values()) == set(Parameter)
    assert PHYSIO_PARAMETERS[HR] is Parameter.HR
    assert PHYSIO_PARAMETERS[SPO2] is Parameter.SPO2


# --------------------------------------------------------------------------- the dialogue


def test_the_driver_is_registered_with_its_line_settings() -> None:
    assert driver_class("intellivue") is IntellivueDriver
    assert IntellivueDriver.serial == SerialSettings(baudrate=115200)
    assert IntellivueDriver.serial.as_pyserial()["parity"] == "N"


def test_it_asks_for_the_guides_association_on_connect_and_nothing_before() -> None:
    driver = IntellivueDriver()
    assert driver.poll(100.0) == b""

    [request] = sent(driver.on_connect(100.0))
    assert request == read_message(association_request())
    assert driver.poll(100.0) == b""
    assert driver.poll(104.9) == b""
    assert not driver.associated


def test_it_confirms_the_mds_create_event_then_polls_numerics_every_interval() -> None:
    driver = IntellivueDriver()
    driver.on_connect(100.0)
    accepted = driver.receive(monitor_says(ACCEPT))
    assert (accepted.decoded, accepted.reply, accepted.rejected) == ((Decoded(),), b"", ())
    assert driver.poll(101.0) == b""  # no polls before the MDS is announced

    created = driver.receive(monitor_says(MDS_CREATE))
    [result] = sent(created.reply)
    assert isinstance(result, RemoteOperation)
    assert (result.kind, result.invoke_id, result.command) == (
        OperationKind.RESULT,
        7,
        Command.CONFIRMED_EVENT_REPORT,
    )
    assert EventReport.read(result.argument) == EventReport(MDS, 0x1234, NOM_NOTI_MDS_CREAT)
    assert driver.associated

    first = driver.poll(101.0)
    assert kinds(first) == ["extended poll numerics"]
    assert driver.poll(105.9) == b""
    second = driver.poll(106.0)
    assert kinds(second) == ["extended poll numerics"]
    assert driver.poll(106.0) == b""
    [one], [two] = sent(first), sent(second)
    assert isinstance(one, RemoteOperation)
    assert isinstance(two, RemoteOperation)
    numbers = [
        PollRequest.read(Action.read(m.argument, with_scope=True)).poll_number for m in (one, two)
    ]
    assert numbers[1] == numbers[0] + 1
    assert two.invoke_id == one.invoke_id + 1


def test_a_poll_result_becomes_readings_dated_by_the_mds_clock() -> None:
    driver = operating(IntellivueDriver())
    fed = feed(driver, [monitor_says(poll_result(1, MONITOR_NUMERICS))])
    assert readings_of(fed.decoded) == READINGS
    assert (fed.reply, fed.rejected) == (b"", Counter())


def test_linked_results_each_give_their_part() -> None:
    driver = operating(IntellivueDriver())
    parts = [reply(o) for o in MONITOR_NUMERICS.contexts[0].observations]
    stream = monitor_says(
        poll_result(1, parts[0], (LinkedState.FIRST, 1)),
        *(
            poll_result(1, part, (LinkedState.NOT_FIRST_NOT_LAST, number))
            for number, part in enumerate(parts[1:-1], start=2)
        ),
        poll_result(1, parts[-1], (LinkedState.LAST, len(parts))),
        poll_result(1, reply()),
    )
    fed = feed(driver, [stream])
    assert readings_of(fed.decoded) == READINGS
    assert len(fed.decoded) == len(parts) + 1
    assert fed.rejected == Counter()


class Sparse(IntellivueDriver):
    """A site that polls only once a minute: the keep-alive must hold the association."""

    poll_interval_s = 60.0


def test_when_polls_are_sparse_an_mds_poll_keeps_the_association_alive() -> None:
    driver = operating(Sparse(), now=100.0)
    assert driver.poll(104.9) == b""
    assert kinds(driver.poll(105.0)) == ["poll MDS"]
    assert driver.poll(109.9) == b""
    # The monitor answers; its clock is read from the answer.
    later = mds_attributes(at("2026-11-23T10:00"), 0)
    mds_reply = PollReply(
        1, 0, None, NOM_MOC_VMS_MDS, (ContextPoll(0, (ObservationPoll(0, later),)),)
    )
    assert feed(driver, [monitor_says(poll_result(2, mds_reply, None))]).decoded == (Decoded(),)
    assert kinds(driver.poll(110.0)) == ["poll MDS"]
    fed = feed(
        driver, [monitor_says(poll_result(3, reply(numeric(1, value(HR, 70, BPM)), ticks=4000)))]
    )
    # Half a second after the clock's new origin, not after the MDS Create event's.
    assert [r.device_time for r in readings_of(fed.decoded)] == [at("2026-11-23T10:00:00.5")]
    assert kinds(driver.poll(160.0)) == ["extended poll numerics"]


def test_the_keep_alive_follows_the_minimum_poll_period_the_monitor_agreed() -> None:
    driver = Sparse()
    driver.on_connect(100.0)
    slow = association_response(UserInfo(SYST_SERVER, PollProfile(20 * 8000, 2500, 2500)))
    driver.receive(monitor_says(slow, MDS_CREATE))
    assert kinds(driver.poll(100.0)) == ["extended poll numerics"]
    # 20 s minimum poll period: the monitor waits 3 x 20 s, the app speaks every 30 s.
    assert driver.poll(129.9) == b""
    assert kinds(driver.poll(130.0)) == ["poll MDS"]


def test_a_monitor_that_answers_nothing_for_the_time_out_is_asked_again() -> None:
    driver = operating(IntellivueDriver(), now=100.0)
    assert kinds(driver.poll(105.0)) == ["extended poll numerics"]
    assert driver.poll(109.9) == b""
    assert kinds(driver.poll(110.0)) == ["ABORT", "ASSOCIATION_REQUEST"]
    assert not driver.associated
    assert kinds(driver.poll(115.0)) == ["ASSOCIATION_REQUEST"]
    driver.receive(monitor_says(ACCEPT, MDS_CREATE))
    assert kinds(driver.poll(116.0)) == ["extended poll numerics"]
    assert driver.associated


def test_answers_keep_the_association_and_silence_is_counted_from_the_last() -> None:
    driver = operating(IntellivueDriver(), now=100.0)
    driver.receive(monitor_says(poll_result(1, MONITOR_NUMERICS)))
    assert driver.poll(104.0) == b""  # the answer is noted here
    assert kinds(driver.poll(105.0)) == ["extended poll numerics"]
    assert kinds(driver.poll(110.0)) == ["extended poll numerics"]
    assert driver.poll(113.9) == b""
    assert kinds(driver.poll(114.0)) == ["ABORT", "ASSOCIATION_REQUEST"]


def test_a_request_nobody_answers_is_repeated_every_retry_interval() -> None:
    driver = IntellivueDriver()
    driver.on_connect(100.0)
    assert driver.poll(104.9) == b""
    assert kinds(driver.poll(105.0)) == ["ASSOCIATION_REQUEST"]
    assert kinds(driver.poll(110.0)) == ["ASSOCIATION_REQUEST"]


def test_an_accepted_association_without_mds_create_is_abandoned() -> None:
    driver = IntellivueDriver()
    driver.on_connect(100.0)
    driver.receive(monitor_says(ACCEPT))
    driver.poll(101.0)  # the acceptance is noted here
    assert driver.poll(105.9) == b""
    assert kinds(driver.poll(106.0)) == ["ABORT", "ASSOCIATION_REQUEST"]


def test_a_refusal_is_rejected_and_the_request_repeated_after_a_while() -> None:
    driver = IntellivueDriver()
    driver.on_connect(100.0)
    fed = feed(driver, [monitor_says(association_refusal())])
    assert fed.rejected == Counter({"association refused": 1})
    assert fed.decoded == ()
    assert driver.poll(101.0) == b""
    assert driver.poll(105.9) == b""
    assert kinds(driver.poll(106.0)) == ["ASSOCIATION_REQUEST"]


def test_a_release_by_the_monitor_is_answered_and_the_app_asks_again() -> None:
    driver = operating(IntellivueDriver())
    fed = feed(driver, [monitor_says(release_request())])
    assert kinds(fed.reply) == ["RELEASE_RESPONSE"]
    assert not driver.associated
    assert driver.poll(101.0) == b""
    assert kinds(driver.poll(106.0)) == ["ASSOCIATION_REQUEST"]


def test_an_abort_by_the_monitor_makes_the_app_ask_again() -> None:
    driver = operating(IntellivueDriver())
    fed = feed(driver, [monitor_says(association_abort())])
    assert (fed.decoded, fed.reply, fed.rejected) == ((Decoded(),), b"", Counter())
    assert not driver.associated
    assert driver.poll(101.0) == b""
    assert kinds(driver.poll(106.0)) == ["ASSOCIATION_REQUEST"]


def test_an_error_from_the_monitor_is_rejected_and_polling_goes_on() -> None:
    driver = operating(IntellivueDriver())
    fed = feed(driver, [monitor_says(remote_error(1, RemoteError.NO_SUCH_ACTION))])
    assert fed.rejected == Counter({"monitor answered with an error": 1})
    assert driver.associated
    assert kinds(driver.poll(105.0)) == ["extended poll numerics"]


def test_stopping_releases_an_association_and_aborts_a_request() -> None:
    driver = operating(IntellivueDriver())
    assert sent(driver.on_stop(101.0)) == [read_message(release_request())]
    assert driver.on_stop(101.0) == b""
    assert driver.poll(200.0) == b""

    asking = IntellivueDriver()
    asking.on_connect(100.0)
    assert kinds(asking.on_stop(100.5)) == ["ABORT"]
    assert IntellivueDriver().on_stop(100.0) == b""


def test_reset_forgets_a_partial_frame_and_the_association() -> None:
    driver = operating(IntellivueDriver())
    frame = monitor_says(poll_result(1, MONITOR_NUMERICS))
    assert feed(driver, [frame[:40]]).decoded == ()
    driver.reset()  # the cable was pulled mid-frame
    assert driver.poll(200.0) == b""
    assert not driver.associated
    fed = feed(driver, [frame[40:] + frame])
    assert readings_of(fed.decoded) == [
        reading if reading.device_time == CUFF_TIME else replace_time(reading, None)
        for reading in READINGS
    ]
    assert fed.rejected == Counter({"bytes outside frames": 1})
    assert kinds(driver.on_connect(201.0)) == ["ASSOCIATION_REQUEST"]


def replace_time(reading: Reading, device_time: datetime | None) -> Reading:
    return Reading(reading.parameter, reading.value, reading.unit, device_time, reading.source)


def test_a_capture_is_read_without_a_dialogue_and_the_mds_create_answered() -> None:
    # Replaying a capture: no port, no `on_connect`, but the frames are read all the same.
    fed = feed(
        IntellivueDriver(), [monitor_says(ACCEPT, MDS_CREATE, poll_result(1, MONITOR_NUMERICS))]
    )
    assert readings_of(fed.decoded) == READINGS
    assert len(fed.decoded) == 3
    assert len(sent(fed.reply)) == 1


# --------------------------------------------------------------------------- bad input

MONITOR_STREAM = monitor_says(ACCEPT, MDS_CREATE, poll_result(1, MONITOR_NUMERICS)) + monitor_says(
    poll_result(2, reply(numeric(1, value(HR, 75, BPM)), seconds=15))
)


def fresh_stream_result() -> Fed:
    driver = IntellivueDriver()
    driver.on_connect(100.0)
    return feed(driver, [MONITOR_STREAM])


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(MONITOR_STREAM)), max_size=30))
def test_the_driver_gives_the_same_readings_and_answers_however_the_bytes_arrive(
    cuts: list[int],
) -> None:
    driver = IntellivueDriver()
    driver.on_connect(100.0)
    points = [0, *sorted(cuts), len(MONITOR_STREAM)]
    chunks = [MONITOR_STREAM[a:b] for a, b in itertools.pairwise(points)]
    assert feed(driver, chunks) == fresh_stream_result()


def test_garbage_and_broken_frames_are_counted_by_reason_and_never_raise() -> None:
    broken_fcs = bytearray(encode_frame(poll_result(9, MONITOR_NUMERICS)))
    broken_fcs[-2] ^= 0x01
    not_data_export = wrap_frame(b"\x12\x01\x00\x01\x00")
    unreadable = encode_frame(b"\xe1\x00\x00\x02\x00\x02\x00\x01\x00")
    stream = (
        b"\x00\xffNO CARRIER\r\n"
        + bytes(broken_fcs)
        + not_data_export
        + unreadable
        + monitor_says(poll_result(1, MONITOR_NUMERICS))
    )
    driver = operating(IntellivueDriver())
    for chunks in ([stream], [stream[i : i + 1] for i in range(len(stream))]):
        fed = feed(driver, chunks)
        assert readings_of(fed.decoded) == READINGS
        assert fed.rejected == Counter(
            {
                "bytes outside frames": 1,
                "frame check sequence wrong": 1,
                "not a data export frame": 1,
                "unreadable data export message": 1,
            }
        )


@given(chunks=st.lists(st.binary(max_size=400), max_size=8))
def test_the_driver_never_raises_whatever_arrives(chunks: list[bytes]) -> None:
    driver = operating(IntellivueDriver())
    feed(driver, chunks)
    fed = feed(driver, [monitor_says(poll_result(1, MONITOR_NUMERICS))])
    assert readings_of(fed.decoded)[-len(READINGS) :] == READINGS


@given(st.binary(min_size=1, max_size=300))
def test_any_well_framed_message_is_read_or_rejected_never_raised(user_data: bytes) -> None:
    driver = operating(IntellivueDriver())
    fed = feed(driver, [encode_frame(user_data)])
    assert len(fed.decoded) + sum(fed.rejected.values()) == 1


def test_the_time_stamps_of_readings_run_with_the_monitors_relative_clock() -> None:
    later = decode_numerics(reply(numeric(1, value(HR, 70, BPM)), seconds=3600), CLOCK)
    assert [r.device_time for r in later.readings] == [MDS_TIME + timedelta(hours=1)]


# --------------------------------------------------------------------------- the simulated monitor

# Clear of the plausible range's edges, which a unit conversion's rounding could cross.
inner_vitals = st.builds(
    Vitals,
    **{
        parameter.value: st.floats(
            PLAUSIBLE_RANGE[parameter][0] + 1, PLAUSIBLE_RANGE[parameter][1] - 1
        )
        for parameter in Parameter
    },
)


@given(
    inner_vitals,
    st.datetimes(at("2000-01-01"), at("2099-12-31")),
    st.sampled_from(["Cel", "degF"]),
    st.sampled_from(["mmHg", "kPa"]),
)
def test_what_the_simulated_monitor_shows_decodes_to_the_displayed_values(
    vitals: Vitals, cuff_time: datetime, temperature: TemperatureUnit, pressure: PressureUnit
) -> None:
    observations = numeric_observations(
        vitals, cuff_time, temperature_unit=temperature, pressure_unit=pressure
    )
    result = PollReply(
        1, MDS_RELATIVE, None, NOM_MOC_VMO_METRIC_NU, (ContextPoll(0, observations),)
    )
    decoded = decode_numerics(result, CLOCK)

    shown = vitals.as_displayed()
    readings = {reading.parameter: reading for reading in decoded.readings}
    assert set(readings) == set(Parameter)
    assert len(decoded.readings) == len(Parameter)
    for parameter, reading in readings.items():
        exact = (parameter is not Parameter.TEMP or temperature == "Cel") and (
            parameter not in (Parameter.SBP, Parameter.DBP, Parameter.MAP) or pressure == "mmHg"
        )
        tolerance = 0 if exact else 0.4  # a tenth of a kPa or of a °F, as displayed
        assert reading.value == pytest.approx(shown.value(parameter), abs=tolerance)
        cuff = parameter in (Parameter.SBP, Parameter.DBP, Parameter.MAP)
        assert reading.device_time == (
            cuff_time.replace(microsecond=cuff_time.microsecond // 10_000 * 10_000)
            if cuff
            else MDS_TIME
        )
