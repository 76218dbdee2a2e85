"""Protocol drivers on real monitor output: any split of the bytes, rejects, dialogue, registry."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.base import MonitorDriver, SerialSettings, driver_class, protocol_names
from devices.errors import DeviceError
from devices.hl7 import (
    Hl7Driver,
    MllpFramer,
    build_qry_r02,
    decode_observations,
    encode_mllp,
    parse_ack,
    parse_message,
)
from devices.masimo import MasimoDriver, decode_line
from devices.readings import Decoded

FIXTURES = Path(__file__).parent / "fixtures"
WALL = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def fixture_lines(name: str) -> list[bytes]:
    """The lines of a fixture file without our comment header, as the device sent them."""
    text = (FIXTURES / name).read_text(encoding="ascii")
    return [line.encode("ascii") for line in text.splitlines() if not line.startswith("#")]


def fixture_message(name: str) -> bytes:
    """An HL7 fixture as the monitor sends it: each segment ended by CR."""
    return b"".join(line.removesuffix(b"<CR>") + b"\r" for line in fixture_lines(name))


MASIMO_LINES = fixture_lines("masimo_radical7_ascii1.txt") + fixture_lines(
    "masimo_rad8_manual_trend.txt"
)
MASIMO_STREAM = b"".join(line + b"\r\n" for line in MASIMO_LINES)
MASIMO_DECODED = tuple(decode_line(line) for line in MASIMO_LINES)

ORF = fixture_message("efficia_cm_orf_r04.txt")
ORF_CONTROL_ID = "MONITORABC000000002D"
ORF_DECODED = decode_observations(parse_message(ORF))
HL7_STREAM = encode_mllp(ORF) * 2

# What arrives between real lines: the oximeter read at the wrong baud rate, a line cut short
# when the cable was plugged in mid-line, and a line from another device on the same adapter.
WRONG_BAUD = b"\xf8\x80\x80\xf8\x00\xf8\xfe\x80"
CUT_SHORT = MASIMO_LINES[0][:30]
OTHER_DEVICE = b"OBX||NM|0002-4bb8^SpO2^MDIL||98|0004-0220^%^MDIL|||||F"
MASIMO_WITH_GARBAGE = b"".join(
    line + b"\r\n"
    for line in (
        WRONG_BAUD,
        MASIMO_LINES[0],
        CUT_SHORT,
        MASIMO_LINES[1],
        *MASIMO_LINES[2:5],
        OTHER_DEVICE,
        *MASIMO_LINES[5:],
    )
)


@dataclass
class Fed:
    """Everything a driver gave for a stream of chunks, joined."""

    decoded: tuple[Decoded, ...]
    reply: bytes
    rejected: Counter[str]


def feed(driver: MonitorDriver, chunks: Iterable[bytes]) -> Fed:
    decoded: list[Decoded] = []
    reply = b""
    rejected: Counter[str] = Counter()
    for chunk in chunks:
        received = driver.receive(chunk)
        decoded += received.decoded
        reply += received.reply
        rejected.update(received.rejected)
    return Fed(tuple(decoded), reply, rejected)


def split(data: bytes, cuts: Iterable[int]) -> list[bytes]:
    points = [0, *sorted(min(cut, len(data)) for cut in cuts), len(data)]
    return [data[start:end] for start, end in itertools.pairwise(points)]


def byte_by_byte(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


def hl7_driver() -> Hl7Driver:
    return Hl7Driver(wall=lambda: WALL)


def messages_in(reply: bytes) -> list[bytes]:
    """The MLLP blocks of what a driver sent back; nothing may be left over."""
    framer = MllpFramer()
    messages = framer.feed(reply)
    assert (framer.discarded_bytes, framer.buffered_bytes) == (0, 0)
    return messages


# --------------------------------------------------------------------------- masimo


def test_masimo_driver_decodes_the_real_lines_like_the_decoder() -> None:
    fed = feed(MasimoDriver(), [MASIMO_STREAM])

    assert fed.decoded == MASIMO_DECODED
    assert [(r.parameter.value, r.value) for d in fed.decoded for r in d.readings] == [
        ("spo2", 98.0),
        ("pr", 123.0),
        ("spo2", 97.0),
        ("pr", 69.0),
        ("spo2", 96.0),
        ("pr", 74.0),
        ("spo2", 98.0),
        ("pr", 78.0),
        ("spo2", 96.0),
        ("pr", 78.0),
    ]
    assert (fed.reply, fed.rejected) == (b"", Counter())


def test_masimo_driver_fed_byte_by_byte_gives_the_same_frames() -> None:
    fed = feed(MasimoDriver(), byte_by_byte(MASIMO_STREAM))
    assert fed.decoded == MASIMO_DECODED
    assert fed.rejected == Counter()


def test_masimo_driver_split_at_every_position_gives_the_same_frames() -> None:
    for cut in range(len(MASIMO_STREAM) + 1):
        fed = feed(MasimoDriver(), split(MASIMO_STREAM, [cut]))
        assert fed.decoded == MASIMO_DECODED, f"split at {cut}"
        assert fed.rejected == Counter(), f"split at {cut}"


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(MASIMO_WITH_GARBAGE)), max_size=40))
def test_masimo_driver_gives_the_same_frames_and_rejects_however_the_bytes_arrive(
    cuts: list[int],
) -> None:
    fed = feed(MasimoDriver(), split(MASIMO_WITH_GARBAGE, cuts))
    assert fed.decoded == MASIMO_DECODED
    assert fed.rejected == Counter({"not an ASCII 1 line": 3})


def test_masimo_garbage_between_lines_is_counted_by_reason_and_never_raises() -> None:
    for chunks in ([MASIMO_WITH_GARBAGE], byte_by_byte(MASIMO_WITH_GARBAGE)):
        fed = feed(MasimoDriver(), chunks)
        assert fed.decoded == MASIMO_DECODED
        assert fed.rejected == Counter({"not an ASCII 1 line": 3})


OVERLONG_NOISE = b"\xf8\x80" * 300  # a long burst of noise without a line end
MASIMO_WITH_NOISE = MASIMO_LINES[0] + b"\r\n" + OVERLONG_NOISE + b"\r\n" + MASIMO_LINES[2] + b"\r\n"


def test_masimo_an_overlong_noise_line_is_one_rejected_line_fed_whole() -> None:
    fed = feed(MasimoDriver(), [MASIMO_WITH_NOISE])
    assert fed.decoded == (MASIMO_DECODED[0], MASIMO_DECODED[2])
    assert fed.rejected == Counter({"overlong line": 1})


def test_masimo_an_overlong_noise_line_is_one_rejected_line_however_it_arrives() -> None:
    # The same bytes read in two pieces or one by one, as a slow serial line delivers them,
    # are still one bad line; the count must not depend on how the port split them.
    noise_start = len(MASIMO_LINES[0]) + 2
    in_two = feed(MasimoDriver(), split(MASIMO_WITH_NOISE, [noise_start + 550]))
    one_by_one = feed(MasimoDriver(), byte_by_byte(MASIMO_WITH_NOISE))

    assert in_two.decoded == one_by_one.decoded == (MASIMO_DECODED[0], MASIMO_DECODED[2])
    assert in_two.rejected == Counter({"overlong line": 1})
    assert one_by_one.rejected == Counter({"overlong line": 1})


@given(chunks=st.lists(st.binary(max_size=700), max_size=8))
def test_masimo_driver_never_raises_whatever_arrives(chunks: list[bytes]) -> None:
    driver = MasimoDriver()
    feed(driver, chunks)
    # Whatever came before, a real line after a line end is read.
    fed = feed(driver, [b"\r\n" + MASIMO_LINES[0] + b"\r\n"])
    assert fed.decoded[-1:] == MASIMO_DECODED[:1]


def test_masimo_reset_forgets_a_partial_line() -> None:
    driver = MasimoDriver()
    assert feed(driver, [MASIMO_LINES[0][:40]]).decoded == ()
    driver.reset()  # the cable was pulled mid-line
    fed = feed(driver, [MASIMO_LINES[0][40:] + b"\r\n" + MASIMO_LINES[2] + b"\r\n"])
    assert fed.decoded == (MASIMO_DECODED[2],)
    assert fed.rejected == Counter({"not an ASCII 1 line": 1})


def test_masimo_driver_sends_nothing() -> None:
    driver = MasimoDriver()
    assert driver.on_connect(0.0) == b""
    assert driver.poll(100.0) == b""


# --------------------------------------------------------------------------- hl7


def test_hl7_driver_decodes_the_efficia_orf_like_the_decoder() -> None:
    fed = feed(hl7_driver(), [HL7_STREAM])

    assert fed.decoded == (ORF_DECODED, ORF_DECODED)
    assert [(r.parameter.value, r.value, r.unit) for r in fed.decoded[0].readings] == [
        ("spo2", 98.0, "%"),
        ("sbp", 122.0, "mmHg"),
        ("dbp", 85.0, "mmHg"),
        ("map", 98.0, "mmHg"),
        ("pr", 80.0, "/min"),
        ("rr", 20.0, "/min"),
        ("temp", 37.4, "Cel"),
    ]
    assert fed.rejected == Counter()


def test_hl7_driver_acknowledges_each_result_with_aa_echoing_its_control_id() -> None:
    fed = feed(hl7_driver(), [HL7_STREAM])

    acks = [parse_ack(message) for message in messages_in(fed.reply)]
    assert [(ack.code, ack.acknowledged_control_id) for ack in acks] == [
        ("AA", ORF_CONTROL_ID),
        ("AA", ORF_CONTROL_ID),
    ]
    assert all(ack.accepted for ack in acks)
    # Each ACK is a message of its own, with its own control id.
    assert len({ack.control_id for ack in acks}) == 2
    assert parse_message(messages_in(fed.reply)[0]).message_type == "ACK"


def test_hl7_driver_fed_byte_by_byte_gives_the_same_frames_and_answers() -> None:
    whole = feed(hl7_driver(), [HL7_STREAM])
    one_by_one = feed(hl7_driver(), byte_by_byte(HL7_STREAM))
    assert one_by_one == whole


def test_hl7_driver_split_at_every_position_gives_the_same_frames_and_answers() -> None:
    whole = feed(hl7_driver(), [HL7_STREAM])
    for cut in range(len(HL7_STREAM) + 1):
        assert feed(hl7_driver(), split(HL7_STREAM, [cut])) == whole, f"split at {cut}"


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(HL7_STREAM)), max_size=40))
def test_hl7_driver_gives_the_same_frames_and_answers_however_the_bytes_arrive(
    cuts: list[int],
) -> None:
    fed = feed(hl7_driver(), split(HL7_STREAM, cuts))
    assert fed.decoded == (ORF_DECODED, ORF_DECODED)
    assert fed.reply == feed(hl7_driver(), [HL7_STREAM]).reply
    assert fed.rejected == Counter()


LINE_NOISE = b"\xff\xfe\x00\xff"
MODEM_TEXT = b"NO CARRIER\r\n"
HL7_WITH_NOISE = LINE_NOISE + encode_mllp(ORF) + MODEM_TEXT + encode_mllp(ORF)


def test_hl7_noise_between_messages_never_raises_and_the_messages_are_answered() -> None:
    for chunks in ([HL7_WITH_NOISE], byte_by_byte(HL7_WITH_NOISE)):
        fed = feed(hl7_driver(), chunks)
        assert fed.decoded == (ORF_DECODED, ORF_DECODED)
        assert [parse_ack(m).code for m in messages_in(fed.reply)] == ["AA", "AA"]
        assert set(fed.rejected) == {"bytes outside MLLP blocks"}


def test_hl7_each_stretch_of_noise_is_one_rejection_however_the_bytes_arrive() -> None:
    # Two separate stretches of noise, before the first message and between the two: two
    # rejections whether the port hands them over at once or one byte at a time.
    whole = feed(hl7_driver(), [HL7_WITH_NOISE])
    one_by_one = feed(hl7_driver(), byte_by_byte(HL7_WITH_NOISE))
    assert whole.rejected == Counter({"bytes outside MLLP blocks": 2})
    assert one_by_one.rejected == Counter({"bytes outside MLLP blocks": 2})


def test_hl7_a_message_that_is_not_a_result_is_answered_ae() -> None:
    query = build_qry_r02(query_id="Q1", control_id="ASKED0001", timestamp=WALL)
    fed = feed(hl7_driver(), [encode_mllp(query) + encode_mllp(ORF)])

    acks = [parse_ack(message) for message in messages_in(fed.reply)]
    assert [(ack.code, ack.acknowledged_control_id) for ack in acks] == [
        ("AE", "ASKED0001"),
        ("AA", ORF_CONTROL_ID),
    ]
    assert fed.decoded == (ORF_DECODED,)
    assert fed.rejected == Counter({"HL7 message not understood": 1})


def test_hl7_an_ack_from_the_monitor_is_not_answered() -> None:
    answered = feed(hl7_driver(), [encode_mllp(ORF)]).reply
    fed = feed(hl7_driver(), [answered])
    assert fed == Fed((), b"", Counter())


def test_hl7_an_unreadable_block_is_rejected_without_an_answer() -> None:
    fed = feed(hl7_driver(), [encode_mllp(b"\x00\x01 not HL7 at all\r") + encode_mllp(ORF)])
    assert fed.decoded == (ORF_DECODED,)
    assert [parse_ack(m).acknowledged_control_id for m in messages_in(fed.reply)] == [
        ORF_CONTROL_ID
    ]
    assert fed.rejected == Counter({"unreadable HL7 message": 1})


@given(chunks=st.lists(st.binary(max_size=400), max_size=8))
def test_hl7_driver_never_raises_whatever_arrives(chunks: list[bytes]) -> None:
    driver = hl7_driver()
    feed(driver, chunks)
    # Whatever came before, a whole message after a start byte is read.
    fed = feed(driver, [encode_mllp(ORF)])
    assert fed.decoded[-1:] == (ORF_DECODED,)


def test_hl7_reset_forgets_a_partial_message() -> None:
    driver = hl7_driver()
    block = encode_mllp(ORF)
    assert feed(driver, [block[:300]]) == Fed((), b"", Counter())
    driver.reset()  # the link was lost mid-message
    fed = feed(driver, [block[300:] + block])
    assert fed.decoded == (ORF_DECODED,)
    assert [parse_ack(m).code for m in messages_in(fed.reply)] == ["AA"]
    assert fed.rejected == Counter({"bytes outside MLLP blocks": 1})


def queries_in(sent: bytes) -> list[tuple[str, str, str, str]]:
    """(type, control id, QRD-9 filter, time) of each query the driver sent."""
    found = []
    for block in messages_in(sent):
        message = parse_message(block)
        [qrd] = message.segments_named("QRD")
        found.append(
            (
                f"{message.message_type}^{message.trigger_event}",
                message.control_id,
                qrd.value(9),
                message.header.value(7),
            )
        )
    return found


def test_hl7_driver_queries_on_connect_and_then_every_query_interval() -> None:
    driver = hl7_driver()
    assert Hl7Driver.query_interval_s == 5.0
    assert driver.poll(1000.0) == b""  # nothing is asked before the port is open

    on_connect = queries_in(driver.on_connect(1000.0))
    assert [(kind, what, when) for kind, _, what, when in on_connect] == [
        ("QRY^R02", "STA", "20261123070000+0000")
    ]
    assert driver.poll(1000.0) == b""
    assert driver.poll(1004.9) == b""
    second = queries_in(driver.poll(1005.0))
    assert [kind for kind, *_ in second] == ["QRY^R02"]
    assert driver.poll(1005.0) == b""
    assert driver.poll(1009.9) == b""
    third = queries_in(driver.poll(1010.0))
    assert len(third) == 1
    control_ids = [on_connect[0][1], second[0][1], third[0][1]]
    assert len(set(control_ids)) == 3


def test_hl7_driver_asks_again_as_soon_as_a_lost_link_returns() -> None:
    driver = hl7_driver()
    driver.on_connect(1000.0)
    driver.reset()
    assert driver.poll(1010.0) == b""  # no port, no questions
    assert len(queries_in(driver.on_connect(1011.0))) == 1
    assert driver.poll(1012.0) == b""


# --------------------------------------------------------------------------- registry, lines


def test_every_protocol_name_finds_its_driver() -> None:
    assert protocol_names() == ["hl7", "intellivue", "masimo", "s5"]
    for name in protocol_names():
        driver = driver_class(name)
        assert issubclass(driver, MonitorDriver)
        assert driver.name == name
    assert driver_class("masimo") is MasimoDriver
    assert driver_class("hl7") is Hl7Driver


def test_an_unknown_protocol_names_the_choices() -> None:
    with pytest.raises(DeviceError, match=r"'philips'.*hl7, intellivue, masimo, s5"):
        driver_class("philips")


def test_a_monitor_is_silent_after_ten_seconds_unless_its_protocol_says_otherwise() -> None:
    assert MonitorDriver.expected_interval_s == 10.0
    for name in protocol_names():
        assert driver_class(name).expected_interval_s > 0


def test_serial_defaultsoverridden_changes_only_what_is_given() -> None:
    defaults = SerialSettings(baudrate=9600)
    changed = defaults.overridden(baudrate=19200, parity="E", rtscts=None, xonxoff=None)

    assert changed == SerialSettings(baudrate=19200, parity="E")
    assert defaults == SerialSettings(baudrate=9600)  # the protocol's defaults stay as they are
    assert defaults.overridden() == defaults
    assert changed.as_pyserial() == {
        "baudrate": 19200,
        "bytesize": 8,
        "parity": "E",
        "stopbits": 1,
        "rtscts": False,
        "xonxoff": False,
    }


def test_serial_defaultsbytes_per_second() -> None:
    assert SerialSettings(baudrate=9600).bytes_per_second == 960.0
    assert SerialSettings(baudrate=19200, parity="E").bytes_per_second == pytest.approx(
        1745.4545, abs=1e-4
    )
    assert SerialSettings(baudrate=9600, bytesize=7, parity="O", stopbits=2).bytes_per_second == (
        pytest.approx(872.7273, abs=1e-4)
    )
