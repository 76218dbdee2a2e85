"""The S/5 Computer Interface codec: the specification's frames, framing at every edge, values."""

from __future__ import annotations

import contextlib
import itertools
import struct
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.base import SerialSettings, driver_class
from devices.errors import FrameError, ProtocolError
from devices.readings import Decoded, DeviceData, DeviceStatus, Parameter, Reading
from devices.s5 import (
    ACTIVE,
    BASIC_GROUPS,
    DATA_INVALID,
    EXISTS,
    GROUPS_BY_NAME,
    HEADER_BYTES,
    MAX_RECORD_BYTES,
    PHDB_SUBRECORD_BYTES,
    PHYSDATA_BYTES,
    REQUEST_EXT1,
    REQUEST_EXT2,
    REQUEST_EXT3,
    FrameReader,
    GroupData,
    MainType,
    PhdbClass,
    PhdbRequest,
    PhdbSubrecord,
    PhdbType,
    Record,
    S5Driver,
    Subrecord,
    build_record,
    checksum,
    decode_basic,
    decode_record,
    device_time,
    encode_frame,
    escape,
    pack_basic,
    parse_record,
    request_record,
    unescape,
    unpack_basic,
)

FIXTURES = Path(__file__).parent / "fixtures"
ALL_EXTENDED = REQUEST_EXT1 | REQUEST_EXT2 | REQUEST_EXT3


def hex_bytes(lines: Iterable[str]) -> bytes:
    """Bytes written in hex, each line's `#` comment left out."""
    return bytes.fromhex(" ".join(line.partition("#")[0] for line in lines))


def appendix_a_frames() -> dict[str, bytes]:
    """The request frames of M1017617 Appendix A, by their example number ("A-1" ...)."""
    frames: dict[str, list[str]] = {}
    for line in (FIXTURES / "s5_appendix_a_requests.txt").read_text().splitlines():
        if line.startswith("== "):
            current = frames.setdefault(line.split()[1], [])
        elif not line.startswith("#"):
            current.append(line)
    return {name: hex_bytes(lines) for name, lines in frames.items()}


APPENDIX_A = appendix_a_frames()
DISPLAYED_FRAME = hex_bytes(
    line
    for line in (FIXTURES / "s5_displayed_values.txt").read_text().splitlines()
    if not line.startswith("#")
)
WHEN = datetime.fromisoformat("2026-11-23T10:15")  # the fixture's time on the monitor's clock


def records_of(*chunks: bytes) -> tuple[list[bytes], Counter[str]]:
    """Feed chunks to one reader; the records it gave and its rejects by reason."""
    reader = FrameReader()
    records: list[bytes] = []
    rejected: Counter[str] = Counter()
    for chunk in chunks:
        frames = reader.feed(chunk)
        records += frames.records
        rejected.update(frames.rejected)
    return records, rejected


def only_record(frame: bytes) -> bytes:
    records, rejected = records_of(frame)
    assert not rejected
    (record,) = records
    return record


DISPLAYED_RECORD = only_record(DISPLAYED_FRAME)


def reading(parameter: Parameter, value: float, unit: str) -> Reading:
    return Reading(parameter, value, unit, WHEN, "s5")


DISPLAYED_READINGS = (
    reading(Parameter.HR, 72.0, "/min"),
    reading(Parameter.RR, 14.0, "/min"),
    reading(Parameter.SBP, 126.0, "mmHg"),
    reading(Parameter.DBP, 78.0, "mmHg"),
    reading(Parameter.MAP, 94.0, "mmHg"),
    reading(Parameter.TEMP, 37.1, "Cel"),
    reading(Parameter.SPO2, 97.0, "%"),
    reading(Parameter.PR, 71.0, "/min"),
)


# --------------------------------------------------------------------------- the specification


@pytest.mark.parametrize(
    ("example", "asked"),
    [
        ("A-1", PhdbRequest(PhdbType.DISPLAYED, 10, ALL_EXTENDED)),
        ("A-2", PhdbRequest(PhdbType.DISPLAYED, 0, 0)),
        ("A-3", PhdbRequest(PhdbType.TREND_60S, 60, ALL_EXTENDED)),
        ("A-4", PhdbRequest(PhdbType.TREND_60S, 0, 0)),
    ],
)
def test_the_appendix_requests_are_encoded_and_read_exactly(
    example: str, asked: PhdbRequest
) -> None:
    frame = APPENDIX_A[example]
    assert encode_frame(request_record(asked)) == frame

    record = only_record(frame)
    parsed = parse_record(record)
    assert (parsed.main_type, len(record)) == (MainType.PHYSIOLOGICAL, 49)
    (subrecord,) = parsed.subrecords
    assert subrecord.type == PhdbType.REQUEST
    assert PhdbRequest.decode(subrecord.data) == asked
    assert decode_record(record) == Decoded()  # a request carries no values


def waveform_request(request_type: int, types: bytes) -> bytes:
    """`struct wf_req` (M1017617 chapter 4): req_type, res, type[8], addl_type[16], reserved[2]."""
    return struct.pack("<hh8s16s2h", request_type, 0, types, b"", 0, 0)


@pytest.mark.parametrize(
    ("example", "asked"),
    [
        ("A-5", waveform_request(0, b"\x01\xff")),  # WF_REQ_CONT_START of DRI_WF_ECG1
        ("A-6", waveform_request(1, b"\xff")),  # WF_REQ_CONT_STOP
    ],
)
def test_the_appendix_waveform_requests_frame_exactly(example: str, asked: bytes) -> None:
    record = build_record(Record(MainType.WAVEFORM, (Subrecord(0, asked),)))
    assert encode_frame(record) == APPENDIX_A[example]
    assert only_record(APPENDIX_A[example]) == record
    assert decode_record(record) == Decoded()  # valid, and nothing for the ward


def test_a_checksum_that_is_a_control_byte_travels_escaped() -> None:
    frame = APPENDIX_A["A-3"]
    record = only_record(frame)
    assert checksum(record) == 0x7D
    assert frame.endswith(b"\x00\x00\x7d\x5d\x7e")


def test_the_driver_asks_for_displayed_values_every_5_s_in_the_basic_class() -> None:
    # Appendix A-1 with the interval 5 instead of 10 and the basic class only: the two
    # fields and the checksum (0x49 - 5 - 0x0E = 0x36) change, nothing else.
    expected = bytearray(APPENDIX_A["A-1"])
    expected[42], expected[44], expected[-2] = 0x05, 0x00, 0x36
    assert S5Driver().on_connect(0.0) == bytes(expected)


def test_the_displayed_values_frame_gives_the_vital_signs() -> None:
    decoded = decode_record(DISPLAYED_RECORD)

    assert decoded.readings == DISPLAYED_READINGS
    assert decoded.dropped_implausible == 0
    assert decoded.status == (
        DeviceStatus("ecg.status", "0xB", (), "s5"),
        DeviceStatus("nibp.label", "0x8", ("AUTO mode selected",), "s5"),
    )
    assert decoded.unmapped == (
        DeviceData("nibp.hr", "s5", "71", "/min"),
        DeviceData("spo2.ir_amp", "s5", "1.25", "%"),
        DeviceData("ecg_extra.hr_ecg", "s5", "72", "/min"),
    )


def test_the_displayed_values_record_header() -> None:
    parsed = parse_record(DISPLAYED_RECORD)
    assert (parsed.main_type, parsed.number, parsed.dri_level, parsed.plug_id) == (0, 88, 11, 1)
    assert device_time(parsed.time) == WHEN
    (subrecord,) = parsed.subrecords
    assert (subrecord.type, len(subrecord.data)) == (PhdbType.DISPLAYED, PHDB_SUBRECORD_BYTES)
    values = PhdbSubrecord.decode(subrecord.data)
    assert (values.phdb_class, values.marker, device_time(values.time)) == (0, 0, WHEN)
    assert values.encode() == subrecord.data


def test_the_displayed_values_frame_escapes_a_flag_a_control_byte_and_its_checksum() -> None:
    assert DISPLAYED_FRAME.count(b"\x7d\x5e") == 2  # 0x0E7E (37.10 °C) and the checksum 0x7E
    assert DISPLAYED_FRAME.count(b"\x7d\x5d") == 1  # 0x007D (1.25 %)
    assert DISPLAYED_FRAME.endswith(b"\x7d\x5e\x7e")
    assert encode_frame(DISPLAYED_RECORD) == DISPLAYED_FRAME


def test_the_basic_class_lies_where_the_specification_puts_it() -> None:
    offsets = {group.name: group.offset for group in BASIC_GROUPS}
    assert offsets == {
        "ecg": 0,
        "p1": 16,
        "p2": 30,
        "p3": 44,
        "p4": 58,
        "nibp": 72,
        "t1": 86,
        "t2": 94,
        "t3": 102,
        "t4": 110,
        "spo2": 118,
        "co2": 132,
        "o2": 146,
        "n2o": 156,
        "aa": 166,
        "flow_vol": 178,
        "co_wedge": 200,
        "nmt": 214,
        "ecg_extra": 226,
        "svo2": 232,
        "p5": 240,
        "p6": 254,
    }
    # Two reserved bytes end struct basic_phdb; time, physdata and tail make struct dri_phdb.
    assert BASIC_GROUPS[-1].offset + BASIC_GROUPS[-1].size + 2 == PHYSDATA_BYTES == 270
    assert 4 + PHYSDATA_BYTES + 4 == PHDB_SUBRECORD_BYTES == 278
    assert HEADER_BYTES == 40
    assert MAX_RECORD_BYTES == 1490


# --------------------------------------------------------------------------- framing


@pytest.mark.parametrize(
    ("data", "escaped"),
    [
        (b"\x7e", b"\x7d\x5e"),
        (b"\x7d", b"\x7d\x5d"),
        (b"\x7d\x5e", b"\x7d\x5d\x5e"),
        (b"\x7e\x7e\x7d", b"\x7d\x5e\x7d\x5e\x7d\x5d"),
        (b"\x5e\x5d\x7c\x7f", b"\x5e\x5d\x7c\x7f"),
    ],
)
def test_escaping(data: bytes, escaped: bytes) -> None:
    assert escape(data) == escaped
    assert unescape(escaped) == data


@pytest.mark.parametrize("escaped", [b"\x01\x7d", b"\x7d\x41", b"\x7d\x7e", b"\x7d\x7d"])
def test_an_escape_nothing_makes_is_a_frame_error(escaped: bytes) -> None:
    with pytest.raises(FrameError, match="0x7D"):
        unescape(escaped)


STREAM = DISPLAYED_FRAME + APPENDIX_A["A-3"] + DISPLAYED_FRAME
STREAM_RECORDS = [DISPLAYED_RECORD, only_record(APPENDIX_A["A-3"]), DISPLAYED_RECORD]


def test_frames_split_at_every_position_are_the_same_records() -> None:
    for cut in range(len(STREAM) + 1):
        assert records_of(STREAM[:cut], STREAM[cut:]) == (STREAM_RECORDS, Counter()), cut


def test_frames_fed_byte_by_byte_are_the_same_records() -> None:
    chunks = [STREAM[i : i + 1] for i in range(len(STREAM))]
    assert records_of(*chunks) == (STREAM_RECORDS, Counter())


def test_a_read_ending_between_the_control_byte_and_the_escaped_byte() -> None:
    cut = DISPLAYED_FRAME.index(b"\x7d\x5e") + 1
    reader = FrameReader()
    assert reader.feed(DISPLAYED_FRAME[:cut]) == ([], [])
    assert reader.feed(DISPLAYED_FRAME[cut:]) == ([DISPLAYED_RECORD], [])
    assert reader.buffered_bytes == 0


def test_two_frames_in_one_read_and_frames_sharing_a_flag() -> None:
    assert records_of(DISPLAYED_FRAME + DISPLAYED_FRAME)[0] == [DISPLAYED_RECORD] * 2
    shared = DISPLAYED_FRAME + APPENDIX_A["A-1"][1:]
    assert records_of(shared) == ([DISPLAYED_RECORD, only_record(APPENDIX_A["A-1"])], Counter())


def test_empty_frames_are_no_frames() -> None:
    assert records_of(b"\x7e\x7e\x7e" + DISPLAYED_FRAME + b"\x7e") == (
        [DISPLAYED_RECORD],
        Counter(),
    )


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        (b"\x7e\x00\x11\x22\x7e", "bad checksum"),
        (b"\x7e\x05\x7d\x41\x09\x7e", "bad escape"),
        (b"\x7e\x05\x7d\x7e", "bad escape"),
        (b"\x7ehello\x7e", "bad checksum"),
    ],
)
def test_garbage_between_frames_is_one_reject_and_both_frames_arrive(
    garbage: bytes, reason: str
) -> None:
    stream = DISPLAYED_FRAME + garbage + DISPLAYED_FRAME
    for cut in range(len(stream) + 1):
        records, rejected = records_of(stream[:cut], stream[cut:])
        assert records == [DISPLAYED_RECORD] * 2
        assert rejected == Counter({reason: 1})


def test_a_capture_begun_mid_frame_loses_only_that_frame() -> None:
    middle = DISPLAYED_FRAME[100:]
    records, rejected = records_of(middle + DISPLAYED_FRAME)
    assert records == [DISPLAYED_RECORD]
    assert rejected == Counter({"bytes outside frames": 1})


def test_noise_without_a_flag_is_one_reject_and_the_buffer_stays_bounded() -> None:
    reader = FrameReader()
    rejected: list[str] = []
    for _ in range(20):
        frames = reader.feed(b"\x00\x80" * 1000)
        rejected += frames.rejected
        assert reader.buffered_bytes <= 2 * (MAX_RECORD_BYTES + 1)
    assert rejected == ["bytes outside frames"]
    assert reader.feed(DISPLAYED_FRAME) == ([DISPLAYED_RECORD], [])


@pytest.mark.parametrize("chunk", [100, 5000])
def test_an_overlong_frame_is_one_reject_and_the_next_frame_arrives(chunk: int) -> None:
    stream = DISPLAYED_FRAME + b"\x7e" + b"\x01" * 7000 + DISPLAYED_FRAME
    reader = FrameReader()
    records: list[bytes] = []
    rejected: list[str] = []
    for offset in range(0, len(stream), chunk):
        frames = reader.feed(stream[offset : offset + chunk])
        records += frames.records
        rejected += frames.rejected
        assert reader.buffered_bytes <= 2 * (MAX_RECORD_BYTES + 1) + chunk
    assert records == [DISPLAYED_RECORD] * 2
    assert rejected == ["overlong frame"]


def test_every_single_bit_flip_of_a_frame_loses_that_frame_only() -> None:
    following = APPENDIX_A["A-1"]
    for position, bit in itertools.product(range(len(DISPLAYED_FRAME)), range(8)):
        flipped = bytearray(DISPLAYED_FRAME)
        flipped[position] ^= 1 << bit
        driver = S5Driver()
        received = driver.receive(bytes(flipped) + following)
        # The request that follows is a valid record with no values.
        assert received.decoded == (Decoded(),), (position, bit)
        assert received.rejected, (position, bit)


@given(
    records=st.lists(st.binary(min_size=1, max_size=MAX_RECORD_BYTES), max_size=5),
    cuts=st.lists(st.integers(min_value=0, max_value=8000), max_size=30),
)
def test_frames_round_trip_however_the_bytes_arrive(records: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(encode_frame(record) for record in records)
    points = [0, *sorted(min(cut, len(stream)) for cut in cuts), len(stream)]
    chunks = [stream[start:end] for start, end in itertools.pairwise(points)]
    assert records_of(*chunks) == (records, Counter())


@given(
    records=st.lists(st.binary(min_size=1, max_size=300), min_size=1, max_size=5),
    garbage=st.lists(
        st.binary(max_size=60).map(lambda noise: noise.replace(b"\x7e", b"")), max_size=5
    ),
)
def test_garbage_between_frames_never_costs_a_frame(
    records: list[bytes], garbage: list[bytes]
) -> None:
    stream = b"".join(
        encode_frame(record) + noise
        for record, noise in itertools.zip_longest(records, garbage, fillvalue=b"")
        if record
    )
    found, rejected = records_of(stream)
    # Noise between two frames is read as a frame of its own, which may by chance pass its
    # checksum; every stretch of it is either rejected once or such a record.
    stretches = sum(1 for noise in garbage[: len(records) - 1] if noise)
    remaining = iter(found)
    assert all(record in remaining for record in records)  # in order, none lost
    assert len(found) - len(records) + sum(rejected.values()) == stretches


@given(st.lists(st.binary(max_size=700), max_size=8))
def test_the_driver_never_raises_whatever_arrives(chunks: list[bytes]) -> None:
    driver = S5Driver()
    for chunk in chunks:
        received = driver.receive(chunk)
        assert all(not decoded.readings for decoded in received.decoded)


# --------------------------------------------------------------------------- records


def test_a_record_round_trips_with_its_header() -> None:
    record = Record(
        MainType.PHYSIOLOGICAL,
        (Subrecord(1, b"abc"), Subrecord(4, b""), Subrecord(2, b"defg")),
        number=255,
        dri_level=11,
        plug_id=0xBEEF,
        time=0xFFFFFFFF,
    )
    data = build_record(record)
    assert len(data) == HEADER_BYTES + 7
    assert parse_record(data) == record


def test_eight_subrecords_need_no_end_of_list() -> None:
    record = Record(MainType.WAVEFORM, tuple(Subrecord(n, bytes([n])) for n in range(8)))
    data = build_record(record)
    assert b"\xff" not in data[16:HEADER_BYTES]
    assert parse_record(data) == record


records = st.builds(
    Record,
    main_type=st.integers(-32768, 32767),
    subrecords=st.lists(
        st.builds(Subrecord, st.integers(0, 254), st.binary(max_size=180)), max_size=8
    ).map(tuple),
    number=st.integers(0, 255),
    dri_level=st.integers(0, 255),
    plug_id=st.integers(0, 0xFFFF),
    time=st.integers(0, 0xFFFFFFFF),
)


@given(records)
def test_records_round_trip(record: Record) -> None:
    assert parse_record(build_record(record)) == record


def header(length: int, descriptors: Iterable[tuple[int, int]] = ((0, 0xFF),)) -> bytes:
    table = b"".join(struct.pack("<hB", offset, kind) for offset, kind in descriptors)
    return struct.pack("<hBBHIBBHh", length, 0, 0, 0, 0, 0, 0, 0, 0) + table.ljust(24, b"\0")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (b"\x31\x00" + bytes(20), "at least 40 bytes"),
        (header(41), "says it has 41 bytes but has 40"),
        (header(40) + b"x", "says it has 40 bytes but has 41"),
        (header(44, [(2, 1), (0, 0xFF)]) + bytes(4), "first subrecord must start at offset 0"),
        (header(44, [(0, 1), (3, 1), (1, 1), (0, 0xFF)]) + bytes(4), "do not rise"),
        (header(44, [(0, 1), (5, 1), (0, 0xFF)]) + bytes(4), "do not rise"),
    ],
)
def test_malformed_records_are_protocol_errors(record: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        parse_record(record)
    with pytest.raises(ProtocolError):
        decode_record(record)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (Record(0, tuple(Subrecord(0, b"") for _ in range(9))), "at most 8"),
        (Record(0, (Subrecord(0xFF, b""),)), "type must be 0 to 254"),
        (Record(0, (Subrecord(1, bytes(1451)),)), "do not fit"),
        (Record(0, (), number=256), "out of range"),
    ],
)
def test_records_that_cannot_be_sent_are_refused(record: Record, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_record(record)


@pytest.mark.parametrize("size", [0, MAX_RECORD_BYTES + 1])
def test_frames_hold_one_to_1490_bytes(size: int) -> None:
    with pytest.raises(ValueError, match="1 to 1490 bytes"):
        encode_frame(bytes(size))


@given(
    st.builds(
        PhdbRequest,
        st.integers(0, 255),
        st.integers(-32768, 32767),
        st.integers(0, 0xFFFFFFFF),
    )
)
def test_requests_round_trip(request: PhdbRequest) -> None:
    (subrecord,) = parse_record(request_record(request)).subrecords
    assert PhdbRequest.decode(subrecord.data) == request


def test_requests_out_of_range_are_refused_and_short_ones_unreadable() -> None:
    with pytest.raises(ValueError, match="out of range"):
        PhdbRequest(PhdbType.DISPLAYED, 40000).encode()
    with pytest.raises(ProtocolError, match="9 bytes"):
        PhdbRequest.decode(bytes(8))


# --------------------------------------------------------------------------- values

MEASURING = EXISTS | ACTIVE
DISPLAYED_GROUPS = unpack_basic(PhdbSubrecord.decode(DISPLAYED_RECORD[HEADER_BYTES:]).physdata)


def values_record(groups: dict[str, GroupData], *types: int) -> bytes:
    """A record with one basic-class subrecord of these groups per type (displayed if none)."""
    subrecord = PhdbSubrecord(1_795_428_900, pack_basic(groups)).encode()
    kinds = types or (PhdbType.DISPLAYED,)
    return build_record(
        Record(MainType.PHYSIOLOGICAL, tuple(Subrecord(kind, subrecord) for kind in kinds))
    )


def with_group(name: str, **changes: object) -> dict[str, GroupData]:
    groups = dict(DISPLAYED_GROUPS)
    groups[name] = replace(groups[name], **changes)  # type: ignore[arg-type]
    return groups


def parameters(decoded: Decoded) -> dict[Parameter, float]:
    return {r.parameter: r.value for r in decoded.readings}


def test_the_fixture_groups_round_trip() -> None:
    assert pack_basic(DISPLAYED_GROUPS) == PhdbSubrecord.decode(DISPLAYED_RECORD[40:]).physdata


@pytest.mark.parametrize("status", [0, EXISTS, ACTIVE, 0xFFFFFFFC])
def test_a_group_not_existing_and_active_gives_nothing(status: int) -> None:
    decoded = decode_basic(with_group("nibp", status=status), WHEN)
    assert not {Parameter.SBP, Parameter.DBP, Parameter.MAP} & set(parameters(decoded))
    assert not [s for s in decoded.status if s.code.startswith("nibp")]
    assert not [u for u in decoded.unmapped if u.code.startswith("nibp")]


def test_without_the_ecg_group_neither_its_extra_values_count() -> None:
    decoded = decode_basic(with_group("ecg", status=EXISTS), WHEN)
    assert Parameter.HR not in parameters(decoded)
    assert Parameter.RR not in parameters(decoded)
    assert not [u for u in decoded.unmapped if u.code.startswith("ecg")]


@pytest.mark.parametrize(
    ("raw", "meaning"),
    [
        (-32767, "Invalid data"),
        (-32766, "Data not updated"),
        (-32764, "Data under range"),
        (-32763, "Data over range"),
        (-32762, "Data not calibrated"),
        (-32765, "undocumented status value"),
        (-32001, "undocumented status value"),
        (-32768, "undocumented status value"),
    ],
)
def test_status_codes_are_never_readings(raw: int, meaning: str) -> None:
    groups = with_group("nibp", values=(raw, 7800, 9400, 71))
    groups = {**groups, "spo2": replace(groups["spo2"], values=(raw, raw, raw, raw))}
    decoded = decode_record(values_record(groups))

    assert set(parameters(decoded)) == {
        Parameter.HR,
        Parameter.RR,
        Parameter.DBP,
        Parameter.MAP,
        Parameter.TEMP,
    }
    for code in ("nibp.sys", "spo2.SpO2", "spo2.pr"):
        assert DeviceStatus(code, str(raw), (meaning,), "s5") in decoded.status
    # A status code where no parameter is read is neither a value nor a status worth a word.
    assert "spo2.ir_amp" not in {u.code for u in decoded.unmapped} | {
        s.code for s in decoded.status
    }


def test_the_smallest_value_is_a_value_and_implausible_ones_are_dropped() -> None:
    groups = with_group("nibp", values=(-32000, 0, 9400, 71))
    decoded = decode_record(values_record(groups))
    assert Parameter.SBP not in parameters(decoded)
    assert Parameter.DBP not in parameters(decoded)
    assert decoded.dropped_implausible == 2


def test_heart_rate_from_the_oximeter_is_not_the_ecg_heart_rate() -> None:
    # HR source 6 = SpO2 (DRI table 3-11): ecg.hr is then a pulse rate.
    groups = with_group("ecg", status=MEASURING | 6 << 3, values=(88, DATA_INVALID, 0, 0, 14))
    decoded = decode_basic(groups, WHEN)
    assert parameters(decoded)[Parameter.HR] == 72.0  # ecg_extra.hr_ecg
    assert DeviceData("ecg.hr", "s5", "88", "/min", "heart rate from SpO2") in decoded.unmapped


def test_a_skin_probe_is_not_body_temperature() -> None:
    groups = with_group("t1", label=7)  # SKIN
    groups["t3"] = GroupData(MEASURING, 4, (3790,))  # RECT
    decoded = decode_basic(groups, WHEN)
    assert parameters(decoded)[Parameter.TEMP] == 37.9
    assert DeviceData("t1.temp", "s5", "37.10", "Cel", "SKIN") in decoded.unmapped


def test_one_temperature_reading_from_the_first_probe_with_a_value() -> None:
    groups = with_group("t1", values=(DATA_INVALID,))
    groups["t2"] = GroupData(MEASURING, 6, (3650,))  # AXIL
    groups["t4"] = GroupData(MEASURING, 15, (3700,))  # CORE
    decoded = decode_basic(groups, WHEN)
    assert [r.value for r in decoded.readings if r.parameter is Parameter.TEMP] == [36.5]
    assert DeviceData("t4.temp", "s5", "37.00", "Cel", "CORE") in decoded.unmapped


def test_a_temperature_probe_without_a_value_reports_its_status() -> None:
    decoded = decode_basic(with_group("t1", values=(-32764,)), WHEN)
    assert Parameter.TEMP not in parameters(decoded)
    assert DeviceStatus("t1.temp", "-32764", ("Data under range",), "s5") in decoded.status


def test_respiration_from_co2_when_the_monitor_shows_it() -> None:
    co2 = GroupData(MEASURING, 1, (520, 0, 12, 7600))  # RR source 1 = CO2 (DRI table 3-27)
    decoded = decode_basic({**DISPLAYED_GROUPS, "co2": co2}, WHEN)
    assert parameters(decoded)[Parameter.RR] == 12.0
    assert DeviceData("ecg.imp_rr", "s5", "14", "/min") in decoded.unmapped
    assert DeviceData("co2.et", "s5", "5.20", "%") in decoded.unmapped
    assert DeviceData("co2.amb_press", "s5", "760.0", "mmHg") in decoded.unmapped


def test_respiration_from_co2_when_the_ecg_has_none() -> None:
    co2 = GroupData(MEASURING, 2, (520, 0, 12, 7600))  # RR source 2 = impedance
    groups = {**with_group("ecg", values=(72, 0, 0, 0, DATA_INVALID)), "co2": co2}
    assert parameters(decode_basic(groups, WHEN))[Parameter.RR] == 12.0


def test_invasive_pressures_are_kept_with_their_label() -> None:
    groups = {**DISPLAYED_GROUPS, "p1": GroupData(MEASURING, 1, (12050, 7025, 8800, 73))}
    decoded = decode_basic(groups, WHEN)
    assert parameters(decoded)[Parameter.SBP] == 126.0  # NIBP, not the arterial line
    assert [u for u in decoded.unmapped if u.code.startswith("p1.")] == [
        DeviceData("p1.sys", "s5", "120.50", "mmHg", "ART"),
        DeviceData("p1.dia", "s5", "70.25", "mmHg", "ART"),
        DeviceData("p1.mean", "s5", "88.00", "mmHg", "ART"),
        DeviceData("p1.hr", "s5", "73", "/min", "ART"),
    ]


def test_nibp_and_ecg_flags_are_named() -> None:
    groups = with_group("nibp", label=1 << 3 | 1 << 5 | 1 << 8)
    groups["ecg"] = replace(groups["ecg"], status=groups["ecg"].status | 1 << 2 | 1 << 11)
    decoded = decode_basic(groups, WHEN)
    assert (
        DeviceStatus(
            "nibp.label",
            "0x128",
            ("AUTO mode selected", "Measuring", "Data is older than 60 seconds"),
            "s5",
        )
        in decoded.status
    )
    assert (
        DeviceStatus("ecg.status", "0x80F", ("Asystole", "Channel 1 off"), "s5") in decoded.status
    )


def test_trended_values_are_read_and_other_classes_and_aux_info_are_not() -> None:
    record = values_record(
        DISPLAYED_GROUPS, PhdbType.TREND_10S, PhdbType.TREND_60S, PhdbType.AUX_INFO
    )
    assert decode_record(record).readings == DISPLAYED_READINGS * 2

    ext1 = PhdbSubrecord(1_795_428_900, pack_basic(DISPLAYED_GROUPS), PhdbClass.EXT1).encode()
    record = build_record(Record(MainType.PHYSIOLOGICAL, (Subrecord(PhdbType.DISPLAYED, ext1),)))
    assert decode_record(record) == Decoded()


def test_a_subrecord_of_values_cut_short_is_a_protocol_error() -> None:
    record = build_record(
        Record(MainType.PHYSIOLOGICAL, (Subrecord(PhdbType.DISPLAYED, bytes(277)),))
    )
    with pytest.raises(ProtocolError, match="278 bytes, this one 277"):
        decode_record(record)
    with pytest.raises(ProtocolError, match="270 bytes"):
        unpack_basic(bytes(269))


def test_device_time_is_the_monitors_wall_clock() -> None:
    assert device_time(1_795_428_900) == WHEN
    assert device_time(1_795_428_900).tzinfo is None  # type: ignore[union-attr]
    assert device_time(0) is None


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"ecg2": GroupData()}, "no such group"),
        ({"nibp": GroupData(3, 0, (1, 2, 3))}, "has 4 values, not 3"),
        ({"ecg_extra": GroupData(3, 0, (1, 2, 3))}, "no header"),
        ({"t1": GroupData(3, 0, (40000,))}, "out of range"),
        ({"t1": GroupData(1 << 32, 0, (3700,))}, "out of range"),
    ],
)
def test_groups_that_cannot_be_sent_are_refused(groups: dict[str, GroupData], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pack_basic(groups)


int16 = st.integers(-32768, 32767)
special_or_value = st.one_of(int16, st.sampled_from([-32767, -32766, -32764, -32763, -32762]))


@st.composite
def basic_groups(draw: st.DrawFn) -> dict[str, GroupData]:
    groups: dict[str, GroupData] = {}
    for group in BASIC_GROUPS:
        values = tuple(draw(special_or_value) for _ in group.fields)
        if not group.has_header:
            groups[group.name] = GroupData(values=values)
            continue
        status = draw(
            st.one_of(st.sampled_from([0, EXISTS, ACTIVE, MEASURING]), st.integers(0, 2**32 - 1))
        )
        groups[group.name] = GroupData(status, draw(st.integers(0, 0xFFFF)), values)
    return groups


@given(basic_groups())
def test_basic_groups_round_trip(groups: dict[str, GroupData]) -> None:
    physdata = pack_basic(groups)
    assert len(physdata) == PHYSDATA_BYTES
    assert unpack_basic(physdata) == groups


@given(basic_groups())
def test_every_reading_comes_from_a_valid_group_and_a_measured_value(
    groups: dict[str, GroupData],
) -> None:
    decoded = decode_record(values_record(groups))

    def measured(name: str) -> set[float]:
        header = groups["ecg" if name == "ecg_extra" else name]
        if header.status & MEASURING != MEASURING:
            return set()
        divisors = [field.divisor for field in GROUPS_BY_NAME[name].fields]
        return {
            raw / d for raw, d in zip(groups[name].values, divisors, strict=True) if raw > -32001
        }

    possible = set().union(*(measured(group.name) for group in BASIC_GROUPS))
    for found in decoded.readings:
        assert found.value in possible
    assert len({r.parameter for r in decoded.readings}) == len(decoded.readings)
    for data in decoded.unmapped:
        name, field_name = data.code.split(".")
        (field,) = [f for f in GROUPS_BY_NAME[name].fields if f.name == field_name]
        assert round(float(data.value) * field.divisor) / field.divisor in measured(name)


@given(st.binary(max_size=600))
def test_any_bytes_decode_or_raise_protocol_error(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        decode_record(data)


# --------------------------------------------------------------------------- the driver


def test_the_registry_finds_the_driver_with_the_monitors_line_settings() -> None:
    assert driver_class("s5") is S5Driver
    assert S5Driver.serial == SerialSettings(baudrate=19200, parity="E", rtscts=True)
    assert S5Driver.serial.overridden(baudrate=115200).as_pyserial() == {
        "baudrate": 115200,
        "bytesize": 8,
        "parity": "E",
        "stopbits": 1,
        "rtscts": True,
        "xonxoff": False,
    }


def asked(data: bytes) -> list[PhdbRequest]:
    """The requests in what the driver sent."""
    requests = []
    for record in only_records(data):
        for subrecord in parse_record(record).subrecords:
            assert subrecord.type == PhdbType.REQUEST
            requests.append(PhdbRequest.decode(subrecord.data))
    return requests


def only_records(data: bytes) -> list[bytes]:
    records, rejected = records_of(data)
    assert not rejected
    return records


DISPLAYED_EVERY_5_S = PhdbRequest(PhdbType.DISPLAYED, 5, 0)


def test_the_driver_asks_on_connect_and_not_again_while_records_arrive() -> None:
    driver = S5Driver()
    assert driver.poll(0.0) == b""  # not connected: nothing to ask
    assert asked(driver.on_connect(100.0)) == [DISPLAYED_EVERY_5_S]
    for now in (105.0, 110.0, 115.0, 120.0, 125.0):
        received = driver.receive(DISPLAYED_FRAME)
        assert received.decoded[0].readings == DISPLAYED_READINGS
        assert (received.reply, received.rejected) == (b"", ())
        assert driver.poll(now) == b""
        assert driver.poll(now + 4.9) == b""


def test_the_driver_asks_again_while_the_monitor_is_silent() -> None:
    driver = S5Driver()
    driver.on_connect(100.0)
    assert driver.poll(109.9) == b""
    assert asked(driver.poll(110.0)) == [DISPLAYED_EVERY_5_S]  # nothing since it asked
    assert driver.poll(119.9) == b""
    assert asked(driver.poll(120.0)) == [DISPLAYED_EVERY_5_S]  # and again

    driver.receive(DISPLAYED_FRAME)
    assert driver.poll(122.0) == b""  # the monitor answers
    assert driver.poll(131.9) == b""
    assert asked(driver.poll(132.0)) == [DISPLAYED_EVERY_5_S]  # silent again for 10 s


def test_frames_that_fail_do_not_count_as_the_monitor_talking() -> None:
    driver = S5Driver()
    driver.on_connect(0.0)
    broken = DISPLAYED_FRAME[:-3] + b"\x00\x7e"
    received = driver.receive(broken + b"\x7e" + bytes(41) + b"\x7e")
    assert received.decoded == ()
    assert received.rejected == ("bad checksum", "malformed record")
    assert asked(driver.poll(10.0)) == [DISPLAYED_EVERY_5_S]


def test_reset_forgets_the_dialogue_and_a_partial_frame() -> None:
    driver = S5Driver()
    driver.on_connect(0.0)
    driver.receive(DISPLAYED_FRAME[:200])
    driver.reset()
    assert driver.poll(50.0) == b""  # no link: nobody to ask
    assert driver.receive(DISPLAYED_FRAME[200:]).rejected == ("bytes outside frames",)
    assert asked(driver.on_connect(60.0)) == [DISPLAYED_EVERY_5_S]
    assert driver.receive(DISPLAYED_FRAME).decoded[0].readings == DISPLAYED_READINGS


def test_stopping_asks_the_monitor_to_stop_sending_as_appendix_a2_does() -> None:
    driver = S5Driver()
    assert driver.on_stop(0.0) == b""  # never asked, nothing to stop

    driver.on_connect(0.0)

    assert driver.on_stop(1.0) == appendix_a_frames()["A-2"]
    assert driver.on_stop(2.0) == b""
