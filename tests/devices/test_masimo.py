"""Masimo ASCII 1: real lines from a Radical-7 and the Rad-8 manual, framing, and fuzzing."""

import itertools
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.errors import FrameError
from devices.masimo import LineFramer, decode_line, exception_meanings
from devices.readings import (
    CANONICAL_UNIT,
    DeviceData,
    DeviceStatus,
    Parameter,
    Reading,
    is_plausible,
)

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_lines(name: str) -> list[bytes]:
    """The non-comment lines of a fixture file, as the device sends them (no line end)."""
    text = (FIXTURES / name).read_text(encoding="ascii")
    return [line.encode("ascii") for line in text.splitlines() if not line.startswith("#")]


RADICAL7_COLOR, RADICAL7_BLUE = fixture_lines("masimo_radical7_ascii1.txt")
RAD8_TREND = fixture_lines("masimo_rad8_manual_trend.txt")


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


# --------------------------------------------------------------------------- real lines


def test_radical7_color_line() -> None:
    decoded = decode_line(RADICAL7_COLOR)

    time = at("2016-03-17T19:19:36")
    assert decoded.readings == (
        Reading(Parameter.SPO2, 98.0, "%", time, "masimo"),
        Reading(Parameter.PR, 123.0, "/min", time, "masimo"),
    )
    assert decoded.status == (
        DeviceStatus("ALARM", "000000", (), "masimo"),
        DeviceStatus("EXC", "0000C00", ("Low Signal IQ", "Masimo SET"), "masimo"),
        DeviceStatus("EXC1", "00000000", (), "masimo"),
    )
    # Every other field is dashed out except the perfusion index.
    assert decoded.unmapped == (DeviceData(code="PI", system="masimo", value="00.55"),)
    assert decoded.dropped_implausible == 0


def test_radical7_blue_line_without_a_finger_gives_no_reading() -> None:
    decoded = decode_line(RADICAL7_BLUE)

    assert decoded.readings == ()
    assert decoded.status == (
        DeviceStatus("ALARM", "0000", (), "masimo"),
        DeviceStatus("EXC", "000000", (), "masimo"),
    )
    assert decoded.unmapped == (DeviceData(code="SN", system="masimo", value="0000070986"),)
    assert decoded.dropped_implausible == 0


# The Rad-8 manual's sample trend output. Zeros are what the Rad-8 prints while the sensor
# is off the patient: they are not plausible, so they give no reading and are counted.
RAD8_EXPECTED = [
    ("09:56:08", None, "00.00", ("Sensor Off", "Masimo SET")),
    ("09:56:10", None, "00.00", ("Pulse Search", "Sensor Off", "Masimo SET")),
    ("09:56:12", (97.0, 69.0), "04.69", ("Masimo SET",)),
    ("09:56:14", (96.0, 74.0), "02.28", ("Low Signal IQ", "Masimo SET")),
    ("09:56:16", (98.0, 78.0), "03.64", ("Masimo SET",)),
    ("09:56:18", None, "00.00", ("Masimo SET",)),
    ("09:56:20", None, "00.00", ("Sensor Off", "Masimo SET")),
    ("09:56:22", (96.0, 78.0), "02.68", ("Masimo SET",)),
]


@pytest.mark.parametrize(("line", "expected"), list(zip(RAD8_TREND, RAD8_EXPECTED, strict=True)))
def test_rad8_manual_sample_lines(
    line: bytes, expected: tuple[str, tuple[float, float] | None, str, tuple[str, ...]]
) -> None:
    clock, spo2_and_pulse, perfusion_index, meanings = expected
    time = at(f"2008-09-21T{clock}")

    decoded = decode_line(line)

    if spo2_and_pulse is None:
        assert decoded.readings == ()
        assert decoded.dropped_implausible == 2
    else:
        spo2, pulse = spo2_and_pulse
        assert decoded.readings == (
            Reading(Parameter.SPO2, spo2, "%", time, "masimo"),
            Reading(Parameter.PR, pulse, "/min", time, "masimo"),
        )
        assert decoded.dropped_implausible == 0
    assert decoded.unmapped == (DeviceData(code="PI", system="masimo", value=perfusion_index),)
    [status] = decoded.status
    assert status.code == "EXC"
    assert status.meanings == meanings


# The Rad-8 prints its own abbreviations after the exception word; our decoding of the
# word, taken from the manual's table, must say the same thing.
DEVICE_LABELS = {
    "OffPat": "Sensor Off",
    "Search": "Pulse Search",
    "LowSigIQ": "Low Signal IQ",
    "SET": "Masimo SET",
}


@pytest.mark.parametrize("line", RAD8_TREND)
def test_exception_word_agrees_with_the_devices_own_labels(line: bytes) -> None:
    [status] = decode_line(line).status
    labels = status.value.partition(":")[2].split(",")
    assert sorted(status.meanings) == sorted(DEVICE_LABELS[label] for label in labels)


def test_every_documented_exception_bit() -> None:
    assert exception_meanings(0x000) == ()
    assert exception_meanings(0xFFF) == (
        "No Sensor",
        "Defective Sensor",
        "Low Perfusion",
        "Pulse Search",
        "Interference",
        "Sensor Off",
        "Ambient Light",
        "Unrecognized Sensor",
        "undocumented bit 0x100",
        "undocumented bit 0x200",
        "Low Signal IQ",
        "Masimo SET",
    )
    assert exception_meanings(0x1001) == ("No Sensor", "undocumented bit 0x1000")


# --------------------------------------------------------------------------- variants


def test_fields_are_read_by_name_not_position() -> None:
    reordered = b"03/17/16 19:19:36 EXC=0000C00 PI=00.55 BPM=123 NEW=7 SPO2=098%"
    decoded = decode_line(reordered)
    assert [(r.parameter, r.value) for r in decoded.readings] == [
        (Parameter.PR, 123.0),
        (Parameter.SPO2, 98.0),
    ]
    assert [data.code for data in decoded.unmapped] == ["PI", "NEW"]


def test_line_end_is_tolerated() -> None:
    assert decode_line(RADICAL7_COLOR + b"\r\n") == decode_line(RADICAL7_COLOR)


@pytest.mark.parametrize("spo2", [b"", b"---", b"---%", b"--.-%", b"-"])
def test_values_marked_unavailable_give_no_reading(spo2: bytes) -> None:
    decoded = decode_line(b"03/17/16 19:19:36 SPO2=" + spo2 + b" BPM=080")
    assert [r.parameter for r in decoded.readings] == [Parameter.PR]
    assert decoded.dropped_implausible == 0


def test_implausible_values_are_dropped_and_counted() -> None:
    decoded = decode_line(b"03/17/16 19:19:36 SPO2=030% BPM=350")
    assert decoded.readings == ()
    assert decoded.dropped_implausible == 2


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"03/17/16 19:19:36",
        b"SPO2=098% BPM=123 PI=00.55 EXC=000000",  # no date and time
        b"17.03.16 19:19:36 SPO2=098%",  # not the device's date format
        b"02/30/16 19:19:36 SPO2=098%",  # no such day
        b"03/17/16 25:19:36 SPO2=098%",  # no such hour
        b"03/17/16 19:19:36 BPM=123 PI=00.55",  # no SpO2 field: another device
        b"03/17/16 19:19:36 SPO2=0:8% BPM=123",  # garbled digit
        b"03/17/16 19:19:36 SPO2=98.% BPM=123",
        b"03/17/16 19:19:36 SPO2=098% BPM",  # token without a value
        b"03/17/16 19:19:36 SPO2=098% =123",
        b"03/17/16 19:19:36 SPO2=098% SPO2=097%",  # one field twice
        b"03/17/16 19:19:36 SPO2=098% EXC=0000G00",  # exception word not hexadecimal
        b"03/17/16 19:19:36 SPO2=098% \xb0PR=123",  # non-ASCII byte
        b"03/17/16 19:19:36 SPO2=098%\x00BPM=123",  # control character
    ],
)
def test_lines_that_are_not_masimo_ascii1_raise_frame_error(line: bytes) -> None:
    with pytest.raises(FrameError):
        decode_line(line)


# --------------------------------------------------------------------------- framing


def test_framer_returns_complete_lines_and_keeps_the_rest() -> None:
    framer = LineFramer()
    assert framer.feed(RADICAL7_COLOR[:40]) == []
    assert framer.buffered_bytes == 40
    assert framer.feed(RADICAL7_COLOR[40:] + b"\r\n" + RADICAL7_BLUE[:10]) == [RADICAL7_COLOR]
    assert framer.feed(RADICAL7_BLUE[10:] + b"\r") == [RADICAL7_BLUE]
    assert framer.feed(b"\n") == []
    assert framer.buffered_bytes == 0
    assert framer.discarded_bytes == 0


@pytest.mark.parametrize("line_end", [b"\r\n", b"\n", b"\r"])
def test_framer_accepts_any_line_end(line_end: bytes) -> None:
    framer = LineFramer()
    stream = line_end.join([RADICAL7_COLOR, RADICAL7_BLUE, b""])
    assert framer.feed(stream) == [RADICAL7_COLOR, RADICAL7_BLUE]


def test_overlong_noise_is_discarded_counted_and_the_next_line_survives() -> None:
    framer = LineFramer(max_line_length=200)
    assert framer.feed(b"\x55" * 150) == []
    assert framer.feed(b"\x55" * 150) == []  # now beyond 200 bytes: dropped
    assert framer.buffered_bytes == 0
    assert framer.feed(b"\x55" * 1000) == []  # still the same line: still dropped
    assert framer.buffered_bytes == 0
    assert framer.feed(b"tail of noise\r\n" + RADICAL7_COLOR + b"\r\n") == [RADICAL7_COLOR]
    assert framer.discarded_bytes == 1300 + len(b"tail of noise")


def test_a_complete_overlong_line_is_dropped() -> None:
    framer = LineFramer(max_line_length=10)
    assert framer.feed(b"0123456789A\r\nshort\r\n") == [b"short"]
    assert framer.discarded_bytes == 11


def test_framer_needs_room_for_a_line() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LineFramer(max_line_length=0)


# --------------------------------------------------------------------------- properties

REAL_LINES = [RADICAL7_COLOR, RADICAL7_BLUE, *RAD8_TREND]


@given(
    lines=st.lists(st.sampled_from(REAL_LINES), max_size=12),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=20),
)
def test_framing_survives_any_split_of_the_stream(lines: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(line + b"\r\n" for line in lines)
    bounds = sorted({0, len(stream), *(cut % (len(stream) + 1) for cut in cuts)})
    framer = LineFramer()
    received: list[bytes] = []
    for start, end in itertools.pairwise(bounds):
        received += framer.feed(stream[start:end])
    assert received == lines
    assert framer.buffered_bytes == 0


noise_without_line_ends = st.binary(min_size=257, max_size=700).map(
    lambda data: data.replace(b"\r", b"#").replace(b"\n", b"#")
)


@given(
    frames=st.lists(st.tuples(noise_without_line_ends, st.sampled_from(REAL_LINES)), max_size=6),
    cut=st.integers(min_value=0, max_value=5000),
)
def test_lines_survive_overlong_noise_between_them(
    frames: list[tuple[bytes, bytes]], cut: int
) -> None:
    # Each burst of noise is longer than a line may be, so it is dropped whole and
    # counted; the lines around it arrive intact.
    stream = b"".join(noise + b"\r\n" + line + b"\r\n" for noise, line in frames)
    cut %= len(stream) + 1
    framer = LineFramer(max_line_length=256)
    received = framer.feed(stream[:cut]) + framer.feed(stream[cut:])
    assert received == [line for _, line in frames]
    assert framer.discarded_bytes == sum(len(noise) for noise, _ in frames)


@given(chunks=st.lists(st.binary(max_size=600), max_size=10))
def test_framer_memory_is_bounded_whatever_arrives(chunks: list[bytes]) -> None:
    framer = LineFramer(max_line_length=256)
    for chunk in chunks:
        for line in framer.feed(chunk):
            assert 0 < len(line) <= 256
            assert b"\r" not in line
            assert b"\n" not in line
        assert framer.buffered_bytes <= 256


def assert_only_plausible_canonical_readings(line: bytes) -> None:
    try:
        decoded = decode_line(line)
    except FrameError:
        return
    for reading in decoded.readings:
        assert reading.unit == CANONICAL_UNIT[reading.parameter]
        assert is_plausible(reading.parameter, reading.value)


@given(st.binary(max_size=300))
def test_random_bytes_raise_nothing_but_frame_error(line: bytes) -> None:
    assert_only_plausible_canonical_readings(line)


@given(
    line=st.sampled_from(REAL_LINES),
    tokens=st.lists(
        st.sampled_from(["SPO2=", "BPM=", "PR=", "EXC=", "=", "%", "-", ".", "9", "A", " "]),
        max_size=30,
    ),
)
def test_near_miss_lines_raise_nothing_but_frame_error(line: bytes, tokens: list[str]) -> None:
    assert_only_plausible_canonical_readings(line[:18] + "".join(tokens).encode())


@pytest.mark.parametrize("line", REAL_LINES)
def test_every_single_bit_flip_is_rejected_or_still_plausible(line: bytes) -> None:
    for position in range(len(line)):
        for bit in range(8):
            flipped = bytearray(line)
            flipped[position] ^= 1 << bit
            if bit == 7:
                # A byte outside ASCII can only come from a line fault.
                with pytest.raises(FrameError):
                    decode_line(bytes(flipped))
            else:
                assert_only_plausible_canonical_readings(bytes(flipped))
