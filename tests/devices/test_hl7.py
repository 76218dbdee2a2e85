"""HL7 v2 over MLLP: the Efficia CM exchange, result decoding, framing, and fuzzing."""

import itertools
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.errors import ProtocolError
from devices.hl7 import (
    Acknowledgement,
    Encoding,
    MllpFramer,
    build_ack,
    build_qry_r02,
    decode_observations,
    encode_mllp,
    parse_ack,
    parse_message,
    parse_timestamp,
)
from devices.readings import CANONICAL_UNIT, DeviceData, Parameter, Reading, is_plausible

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_segments(name: str) -> list[str]:
    """The segments of a fixture file, each written there as one line ending in <CR>."""
    lines = (FIXTURES / name).read_text(encoding="ascii").splitlines()
    segments = [line for line in lines if not line.startswith("#")]
    assert all(segment.endswith("<CR>") for segment in segments)
    return [segment.removesuffix("<CR>") for segment in segments]


def message_of(segments: list[str], separator: str = "\r") -> bytes:
    return "".join(segment + separator for segment in segments).encode("ascii")


ORF_SEGMENTS = fixture_segments("efficia_cm_orf_r04.txt")
ORF = message_of(ORF_SEGMENTS)
# The ORF up to and including its OBR: the envelope the manual's OBX-only examples sit in.
ORF_HEAD = ORF_SEGMENTS[: ORF_SEGMENTS.index("OBR||||MONITOR|||20140510124500|||OPERATOR12") + 1]


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


# --------------------------------------------------------------------------- the Efficia CM


def test_efficia_orf_r04_gives_every_vital_sign() -> None:
    decoded = decode_observations(parse_message(ORF))

    order_time = at("2014-05-10T12:45:00")
    nbp_time = at("2014-05-10T12:44:30")
    assert decoded.readings == (
        Reading(Parameter.SPO2, 98.0, "%", order_time, "hl7"),
        Reading(Parameter.SBP, 122.0, "mmHg", nbp_time, "hl7"),
        Reading(Parameter.DBP, 85.0, "mmHg", nbp_time, "hl7"),
        # The example gives NBPm no OBX-14, so it takes the order's time (OBR-7).
        Reading(Parameter.MAP, 98.0, "mmHg", order_time, "hl7"),
        Reading(Parameter.PR, 80.0, "/min", order_time, "hl7"),
        Reading(Parameter.RR, 20.0, "/min", order_time, "hl7"),
        Reading(Parameter.TEMP, 37.4, "Cel", order_time, "hl7"),
    )
    assert decoded.unmapped == ()
    assert decoded.status == ()
    assert decoded.dropped_implausible == 0


def test_efficia_orf_header() -> None:
    message = parse_message(ORF)
    assert (message.message_type, message.trigger_event) == ("ORF", "R04")
    assert message.control_id == "MONITORABC000000002D"
    assert message.header.value(3, 2) == "EfficiaCM"
    assert message.header.value(12) == "2.4"
    assert message.header.value(21) == "2.16.840.1.113883.9.2.1"
    [msa] = message.segments_named("MSA")
    assert (msa.value(1), msa.value(2)) == ("AA", "EXAMPLE123")
    [pid] = message.segments_named("PID")
    assert [pid.value(5, part) for part in (1, 2, 3)] == ["JONES", "MARY", "A"]
    pulse = message.segments_named("OBX")[4]
    assert pulse.value(17, 2) == "SpO2"  # the pulse rate's source, OBX-17


def test_efficia_measurements_it_cannot_give_produce_nothing() -> None:
    message = message_of([*ORF_HEAD, *fixture_segments("efficia_cm_obx_invalid.txt")])
    decoded = decode_observations(parse_message(message))
    assert decoded.readings == ()
    assert decoded.unmapped == ()
    assert decoded.dropped_implausible == 0


def test_efficia_lan_fahrenheit_example_is_kept_not_guessed() -> None:
    # Its code, 0007-f0c7, is in partition 7 (body sites), not a measurement code the
    # guide's MDIL table lists, so it is kept as device data.
    message = message_of([*ORF_HEAD, *fixture_segments("efficia_cm_obx_fahrenheit.txt")])
    decoded = decode_observations(parse_message(message))
    assert decoded.readings == ()
    assert decoded.unmapped == (
        DeviceData(code="0007-f0c7", system="MDIL", value="99.1", unit="F", text="T1"),
    )


def test_fahrenheit_is_converted_to_celsius() -> None:
    # The LAN example above with the serial chapter's T1 code (0002-f0c7): derived, not real.
    obx = "OBX||NM|0002-f0c7^T1^MDIL||99.1|0004-1140^F^MDIL|||||F"
    [reading] = decode_observations(parse_message(message_of([*ORF_HEAD, obx]))).readings
    assert reading.parameter is Parameter.TEMP
    assert reading.unit == "Cel"
    assert reading.value == pytest.approx(37.2778, abs=1e-4)


def test_the_query_the_efficia_answers() -> None:
    query = build_qry_r02(
        query_id="QUERY123", control_id="EXAMPLE123", timestamp=at("2014-05-10T12:45:00")
    )

    assert query == (
        b"MSH|^~\\&|||||20140510124500||QRY^R02|EXAMPLE123|P|2.4\r"
        b"QRD|20140510124500|R|I|QUERY123|||||STA\r"
    )
    # The QRD is the guide's, and the guide's ORF answers exactly this query: it echoes
    # the QRD and acknowledges the query's control id in MSA-2.
    [qrd] = fixture_segments("efficia_cm_qrd.txt")
    assert query.split(b"\r")[1] == qrd.encode("ascii")
    sent, answer = parse_message(query), parse_message(ORF)
    assert answer.segments_named("MSA")[0].value(2) == sent.control_id
    assert answer.segments_named("QRD")[0].fields == sent.segments_named("QRD")[0].fields


def test_query_for_the_last_closed_record() -> None:
    query = build_qry_r02(
        query_id="Q1",
        control_id="C1",
        timestamp=at("2024-02-29T08:00:05"),
        what_subject_filter="RES",
    )
    assert query.endswith(b"QRD|20240229080005|R|I|Q1|||||RES\r")


@pytest.mark.parametrize(
    ("query_id", "control_id"),
    [("", "C1"), ("QUERY12345X", "C1"), ("Q|1", "C1"), ("Q1", "C^1"), ("Q1", "C" * 21)],
)
def test_query_refuses_ids_it_cannot_send(query_id: str, control_id: str) -> None:
    with pytest.raises(ValueError, match="_id must"):
        build_qry_r02(query_id=query_id, control_id=control_id, timestamp=at("2024-01-01"))


def test_query_refuses_unknown_filters() -> None:
    with pytest.raises(ValueError, match="STA or RES"):
        build_qry_r02(
            query_id="Q1",
            control_id="C1",
            timestamp=at("2024-01-01"),
            what_subject_filter="ALL",  # type: ignore[arg-type]
        )


# --------------------------------------------------------------------------- acknowledgements


def test_ack_of_the_efficia_orf() -> None:
    ack = build_ack(parse_message(ORF), control_id="AM0000001", timestamp=at("2014-05-10T12:45:01"))
    assert ack == (
        b"MSH|^~\\&|||^EfficiaCM||20140510124501||ACK^R04^ACK|AM0000001|P|2.4\r"
        b"MSA|AA|MONITORABC000000002D\r"
    )


def test_ack_with_an_error_text_is_escaped() -> None:
    ack = build_ack(
        parse_message(ORF),
        "AE",
        "Incorrect Patient ID|MRN^1234",
        control_id="AM0000002",
        timestamp=at("2014-05-10T12:45:01"),
        message_type="ACK^^ACK_ALL",
    )
    assert ack.split(b"\r")[0].split(b"|")[8] == b"ACK^^ACK_ALL"
    assert ack.endswith(b"\rMSA|AE|MONITORABC000000002D|Incorrect Patient ID\\F\\MRN\\S\\1234\r")
    parsed = parse_ack(ack)
    assert parsed == Acknowledgement(
        code="AE",
        acknowledged_control_id="MONITORABC000000002D",
        text="Incorrect Patient ID|MRN^1234",
        control_id="AM0000002",
    )
    assert not parsed.accepted


def test_ack_swaps_sender_and_receiver_and_carries_an_aware_time() -> None:
    oru = (
        b"MSH|^~\\&|MONITOR^0001^EUI-64|WARD3|ALEM|INFUSION|20240301101500+0100||"
        b"ORU^R01^ORU_R01|MSG00042|P|2.6\r"
    )
    ack = build_ack(
        parse_message(oru),
        "AR",
        control_id="A42",
        timestamp=datetime(2024, 3, 1, 9, 15, 2, tzinfo=UTC),
    )
    assert ack == (
        b"MSH|^~\\&|ALEM|INFUSION|MONITOR^0001^EUI-64|WARD3|20240301091502+0000||"
        b"ACK^R01^ACK|A42|P|2.6\rMSA|AR|MSG00042\r"
    )


def test_ack_uses_the_separators_of_the_message_it_answers() -> None:
    message = parse_message(b"MSH#$!?%#SENDER$APP##ME##20240301##ORU$R01#7#P#2.4\r")
    ack = build_ack(message, "AE", "bad#value", control_id="9", timestamp=at("2024-03-01"))
    assert ack == (
        b"MSH#$!?%#ME##SENDER$APP##20240301000000##ACK$R01$ACK#9#P#2.4\rMSA#AE#7#bad?F?value\r"
    )
    assert parse_ack(ack).text == "bad#value"


@pytest.mark.parametrize(
    ("code", "control_id"), [("XX", "A1"), ("AA", ""), ("AA", "A|1"), ("AA", "A" * 21)]
)
def test_ack_refuses_what_it_cannot_send(code: str, control_id: str) -> None:
    with pytest.raises(ValueError, match="must"):
        build_ack(
            parse_message(ORF),
            code,  # type: ignore[arg-type]
            control_id=control_id,
            timestamp=at("2024-01-01"),
        )


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # Shapes from the Efficia CM guide (pages 3-21 to 3-25): the monitor's negative
        # ACK for an invalid query, for no patient data, and a server's positive ACK.
        (
            (
                b"MSH|^~\\&|^EfficiaCM||||20140510124500||ACK^|MONITORABC000000002D|P|2.4"
                b"|||||||||2.16.840.1.113883.9.2.1\rMSA|AE|\r"
            ),
            Acknowledgement("AE", "", "", "MONITORABC000000002D"),
        ),
        (
            (
                b"MSH|^~\\&|^EfficiaCM||||20140510124500||ACK^|MONITORABC000000002D|P|2.4"
                b"|||||||||2.16.840.1.113883.9.2.1\rMSA|AE|EXAMPLE123\r"
            ),
            Acknowledgement("AE", "EXAMPLE123", "", "MONITORABC000000002D"),
        ),
        (
            (
                b"MSH|^~\\&|||||20140510124500||ACK^^ACK_ALL|EXAMPLE123|P|2.4\r"
                b"MSA|AA|MONITORABC000000002D\r"
            ),
            Acknowledgement("AA", "MONITORABC000000002D", "", "EXAMPLE123"),
        ),
    ],
)
def test_parse_ack(message: bytes, expected: Acknowledgement) -> None:
    assert parse_ack(message) == expected
    assert parse_ack(message).accepted is (expected.code == "AA")


@pytest.mark.parametrize(
    "message",
    [
        ORF,  # a result, not an acknowledgement
        b"MSH|^~\\&|||||20140510124500||ACK|1|P|2.4\r",  # no MSA
        b"MSH|^~\\&|||||20140510124500||ACK|1|P|2.4\rMSA|OK|1\r",  # no such code
    ],
)
def test_parse_ack_refuses_non_acks(message: bytes) -> None:
    with pytest.raises(ProtocolError):
        parse_ack(message)


# --------------------------------------------------------------------------- other senders

IHE_PCD_ORU = (
    "MSH|^~\\&|MONITOR^0001^EUI-64||||20240301101500+0100||ORU^R01^ORU_R01|42|P|2.6\r"
    "PID|||12345^^^H^PI\r"
    "OBR|1|||182777000^monitoring of patient^SCT|||20240301101500+0100\r"
    "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r"
    "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.2.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||F\r"
    "OBX|3|NM|150301^MDC_PRESS_CUFF_SYS^MDC|1.3.1.1|16.0|265987^MDC_DIM_KILO_PASCAL^MDC"
    "|||||F|||20240301101230+0100\r"
    "OBX|4|NM|188452^MDC_TEMP_AXILLA^MDC|1.4.1.1|36.6|268192^MDC_DIM_DEGC^MDC|||||C\r"
    "OBX|5|NM|151562^MDC_RESP_RATE^MDC|1.5.1.1|18|264928^MDC_DIM_RESP_PER_MIN^MDC\r"
    "OBX|6|NM|8889-8^Pulse rate^LN||70|/min^per minute^UCUM|||||F\r"
    "OBX|7|NM|X1^Vendor private^99VND||7|%|||||F\r"
    "OBX|8|NM|150033^MDC_PRESS_BLD_ART_SYS^MDC||130|266016^MDC_DIM_MMHG^MDC|||||F\r"
)


def test_oru_r01_with_mdc_and_loinc_codes() -> None:
    decoded = decode_observations(parse_message(IHE_PCD_ORU.encode("ascii")))

    plus_one = timezone(timedelta(hours=1))
    order_time = datetime(2024, 3, 1, 10, 15, tzinfo=plus_one)
    assert [(r.parameter, r.unit, r.device_time) for r in decoded.readings] == [
        (Parameter.HR, "/min", order_time),
        (Parameter.SPO2, "%", order_time),
        (Parameter.SBP, "mmHg", datetime(2024, 3, 1, 10, 12, 30, tzinfo=plus_one)),
        (Parameter.TEMP, "Cel", order_time),
        (Parameter.RR, "/min", order_time),
        (Parameter.PR, "/min", order_time),
    ]
    values = [reading.value for reading in decoded.readings]
    assert values == [72.0, 97.0, pytest.approx(120.0098, abs=1e-4), 36.6, 18.0, 70.0]
    # A private code and an invasive arterial pressure are not the app's parameters.
    assert decoded.unmapped == (
        DeviceData(code="X1", system="99VND", value="7", unit="%", text="Vendor private"),
        DeviceData(
            code="150033",
            system="MDC",
            value="130",
            unit="MDC_DIM_MMHG",
            text="MDC_PRESS_BLD_ART_SYS",
        ),
    )


@pytest.mark.parametrize("separator", ["\n", "\r\n"])
def test_segments_may_also_end_in_lf_or_crlf(separator: str) -> None:
    assert decode_observations(
        parse_message(message_of(ORF_SEGMENTS, separator))
    ) == decode_observations(parse_message(ORF))


def test_separators_come_from_the_message_not_from_convention() -> None:
    translated = ORF.translate(bytes.maketrans(b"|^~\\&", b"#$!?%"))
    assert translated.startswith(b"MSH#$!?%#$EfficiaCM")
    assert decode_observations(parse_message(translated)) == decode_observations(parse_message(ORF))


def test_components_repetitions_subcomponents_and_escapes() -> None:
    message = parse_message(
        b"MSH|^~\\&|APP||||20240301||ORU^R01|1|P|2.4\r"
        b"NTE|1||first^a&b\\T\\c~second\\F\\part^\\X41\\\\Z1\\\r"
    )
    [note] = message.segments_named("NTE")
    assert note.value(3) == "first"
    assert note.value(3, 2) == "a"
    assert note.value(3, 2, subcomponent=2) == "b&c"
    assert note.value(3, repetition=2) == "second|part"
    assert note.value(3, 2, repetition=2) == "A\\Z1\\"  # \X41\ is "A"; \Z1\ is kept
    assert note.value(3, 5) == ""
    assert note.value(9) == ""
    assert message.header.value(1) == "|"
    assert message.header.value(2) == "^~\\&"


@pytest.mark.parametrize(
    "unit",
    [
        "262688^MDC_DIM_PERCENT^MDC",
        "262688^MDC_DIM_PERCENT",
        "MDC_DIM_PERCENT",
        "0004-0220^%^MDIL",
        "%^percent^UCUM",
        "%",
    ],
)
def test_the_forms_a_unit_comes_in(unit: str) -> None:
    obx = f"OBX||NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|{unit}|||||F"
    decoded = decode_observations(parse_message(message_of([*ORF_HEAD, obx])))
    assert [(r.parameter, r.value, r.unit) for r in decoded.readings] == [
        (Parameter.SPO2, 97.0, "%")
    ]


@pytest.mark.parametrize("status", ["F", "R", "C", ""])
def test_result_statuses_that_are_recorded(status: str) -> None:
    obx = f"OBX||NM|0002-4bb8^SpO2^MDIL||97|0004-0220^%^MDIL|||||{status}"
    decoded = decode_observations(parse_message(message_of([*ORF_HEAD, obx])))
    assert [(r.parameter, r.value) for r in decoded.readings] == [(Parameter.SPO2, 97.0)]


@pytest.mark.parametrize("status", ["X", "D", "W", "P", "I", "N", "S", "U", "O"])
def test_result_statuses_that_are_not(status: str) -> None:
    obx = f"OBX||NM|0002-4bb8^SpO2^MDIL||97|0004-0220^%^MDIL|||||{status}"
    decoded = decode_observations(parse_message(message_of([*ORF_HEAD, obx])))
    assert decoded.readings == ()
    assert decoded.unmapped == ()


@pytest.mark.parametrize(
    "obx",
    [
        "OBX||NM|0002-4bb8^SpO2^MDIL||97|0004-0f20^mmHg^MDIL|||||F",  # unit of another kind
        "OBX||NM|0002-4bb8^SpO2^MDIL||97||||||F",  # no unit at all
        "OBX||NM|0002-4bb8^SpO2^MDIL||97|0004-9999^furlong^MDIL|||||F",  # unknown unit
        "OBX||ST|0002-4bb8^SpO2^MDIL||97|0004-0220^%^MDIL|||||F",  # not numeric type
        "OBX||NM|4bb8^SpO2^MDIL||97|0004-0220^%^MDIL|||||F",  # not an MDIL code
        "OBX||NM|150456^MDC_PULS_OXIM_SAT_O2||97|262688^MDC_DIM_PERCENT^MDC|||||F",  # no system
        "OBX||NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|262688|||||F",  # bare unit code
    ],
)
def test_observations_that_cannot_be_read_safely_are_kept_as_device_data(obx: str) -> None:
    decoded = decode_observations(parse_message(message_of([*ORF_HEAD, obx])))
    assert decoded.readings == ()
    [kept] = decoded.unmapped
    assert kept.value == "97"


@pytest.mark.parametrize("value", ["-100", "8388607", "0", "101"])
def test_implausible_values_are_dropped_and_counted(value: str) -> None:
    obx = f"OBX||NM|0002-4bb8^SpO2^MDIL||{value}|0004-0220^%^MDIL|||||F"
    decoded = decode_observations(parse_message(message_of([*ORF_HEAD, obx])))
    assert decoded.readings == ()
    assert decoded.dropped_implausible == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20140510124430", at("2014-05-10T12:44:30")),
        ("201405101244", at("2014-05-10T12:44:00")),
        ("20140510", at("2014-05-10T00:00:00")),
        ("2014", at("2014-01-01T00:00:00")),
        ("20140510124430.25", at("2014-05-10T12:44:30.250000")),
        ("20140510124430+0200", at("2014-05-10T12:44:30+02:00")),
        ("20140510124430.1234-0130", at("2014-05-10T12:44:30.123400-01:30")),
        ("", None),
    ],
)
def test_hl7_timestamps(text: str, expected: datetime | None) -> None:
    assert parse_timestamp(text) == expected
    if expected is not None:
        assert parse_timestamp(text).tzinfo == expected.tzinfo  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    ["2014051", "20141310", "20140230", "20140510246000", "20140510+02", "20140510+0260", "now"],
)
def test_malformed_timestamps_raise_protocol_error(text: str) -> None:
    with pytest.raises(ProtocolError):
        parse_timestamp(text)


@pytest.mark.parametrize(
    "message",
    [
        b"",
        b"\r\n",
        b"PID|||1\rMSH|^~\\&|||||20240301||ORU^R01|1|P|2.4\r",  # MSH not first
        b"MSH|^~\\&\r",  # no message type
        b"MSH|^~\r",  # too short to declare its encoding
        b"MSH|^~\\|A||||20240301||ORU^R01|1|P|2.4\r",  # three encoding characters
        b"MSH|^^\\&|||||20240301||ORU^R01|1|P|2.4\r",  # a separator used twice
        b"MSHa^~\\&aaa\r",  # a letter as field separator
        b"MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4\robx|1|NM\r",  # not a segment name
        b"MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4\rOBXX|1\r",
        b"MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4\rMSH|^~\\&|||||20240301||ORU^R01|2|P|2.4\r",
        b"MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4||||||UNICODE UTF-8\rNTE|1||\xe9t\xe9\r",
    ],
)
def test_malformed_messages_raise_protocol_error(message: bytes) -> None:
    with pytest.raises(ProtocolError):
        parse_message(message)


def test_utf8_declared_in_msh18_is_honoured() -> None:
    message = parse_message(
        "MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4||||||UNICODE UTF-8\rNTE|1||Ménière\r".encode()
    )
    assert message.segments_named("NTE")[0].value(3) == "Ménière"
    assert message.charset == "utf-8"


@pytest.mark.parametrize(
    "message",
    [
        b"MSH|^~\\&|||||20240301||ADT^A01|1|P|2.4\r",  # not a result message
        (  # NM value that is not a number
            b"MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4\rOBX||NM|0002-4bb8^SpO2^MDIL||9 7|"
            b"0004-0220^%^MDIL|||||F\r"
        ),
        (  # NM value repeated
            b"MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4\rOBX||NM|0002-4bb8^SpO2^MDIL||97~98|"
            b"0004-0220^%^MDIL|||||F\r"
        ),
        (  # OBX-14 not a timestamp
            b"MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4\rOBX||NM|0002-4bb8^SpO2^MDIL||97|"
            b"0004-0220^%^MDIL|||||F|||yesterday\r"
        ),
        b"MSH|^~\\&|||||20240301||ORU^R01|1|P|2.4\rOBR||||M|||2024-03-01\r",  # OBR-7 neither
    ],
)
def test_result_messages_the_protocol_does_not_allow(message: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_observations(parse_message(message))


# --------------------------------------------------------------------------- MLLP framing


def test_mllp_block() -> None:
    assert encode_mllp(b"MSH|x\r") == b"\x0bMSH|x\r\x1c\r"
    framer = MllpFramer()
    assert framer.feed(encode_mllp(ORF)) == [ORF]
    assert framer.discarded_bytes == 0
    assert framer.buffered_bytes == 0


@pytest.mark.parametrize("message", [b"a\x0bb", b"a\x1cb"])
def test_mllp_cannot_carry_its_own_envelope_bytes(message: bytes) -> None:
    with pytest.raises(ValueError, match="VT"):
        encode_mllp(message)


def test_bytes_outside_blocks_are_discarded_and_counted() -> None:
    framer = MllpFramer()
    stream = b"noise" + encode_mllp(b"one") + b"\r\n" + encode_mllp(b"two") + b"\x1c\r"
    assert framer.feed(stream) == [b"one", b"two"]
    assert framer.discarded_bytes == len(b"noise") + 2 + 2


def test_a_block_cut_short_by_a_new_block_is_lost() -> None:
    framer = MllpFramer()
    assert framer.feed(b"\x0bhalf a mess" + encode_mllp(b"whole")) == [b"whole"]
    assert framer.discarded_bytes == len(b"\x0bhalf a mess")


def test_a_block_ending_in_fs_without_cr_is_lost() -> None:
    framer = MllpFramer()
    assert framer.feed(b"\x0bbroken\x1cX" + encode_mllp(b"whole")) == [b"whole"]
    assert framer.discarded_bytes == len(b"\x0bbroken\x1cX")


def test_waits_for_the_cr_after_fs() -> None:
    framer = MllpFramer()
    assert framer.feed(b"\x0bmessage\x1c") == []
    assert framer.feed(b"\r") == [b"message"]


def test_an_overlong_block_is_dropped_and_the_next_one_received() -> None:
    framer = MllpFramer(max_message_bytes=100)
    assert framer.feed(b"\x0b" + b"x" * 150) == []
    assert framer.buffered_bytes == 0
    assert framer.feed(b"y" * 1000 + b"\x1c\r" + encode_mllp(b"next")) == [b"next"]
    assert framer.feed(encode_mllp(b"z" * 101)) == []
    assert framer.feed(encode_mllp(b"z" * 100)) == [b"z" * 100]


def test_framer_needs_room_for_a_message() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        MllpFramer(max_message_bytes=0)


# --------------------------------------------------------------------------- properties

messages_without_envelope_bytes = st.binary(max_size=300).map(
    lambda data: data.replace(b"\x0b", b"").replace(b"\x1c", b"")
)
garbage_without_vt = st.binary(max_size=40).map(lambda data: data.replace(b"\x0b", b""))


@given(
    messages=st.lists(messages_without_envelope_bytes, max_size=8),
    cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=20),
)
def test_mllp_round_trip_survives_any_split(messages: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(encode_mllp(message) for message in messages)
    bounds = sorted({0, len(stream), *(cut % (len(stream) + 1) for cut in cuts)})
    framer = MllpFramer()
    received: list[bytes] = []
    for start, end in itertools.pairwise(bounds):
        received += framer.feed(stream[start:end])
    assert received == messages
    assert framer.discarded_bytes == 0


@given(
    frames=st.lists(st.tuples(garbage_without_vt, messages_without_envelope_bytes), max_size=8),
    trailing=garbage_without_vt,
    cut=st.integers(min_value=0, max_value=5000),
)
def test_mllp_round_trip_with_garbage_between_frames(
    frames: list[tuple[bytes, bytes]], trailing: bytes, cut: int
) -> None:
    stream = b"".join(garbage + encode_mllp(message) for garbage, message in frames) + trailing
    cut %= len(stream) + 1
    framer = MllpFramer()
    received = framer.feed(stream[:cut]) + framer.feed(stream[cut:])
    assert received == [message for _, message in frames]
    assert framer.discarded_bytes == sum(len(g) for g, _ in frames) + len(trailing)


@given(chunks=st.lists(st.binary(max_size=400), max_size=10))
def test_mllp_memory_is_bounded_whatever_arrives(chunks: list[bytes]) -> None:
    framer = MllpFramer(max_message_bytes=256)
    for chunk in chunks:
        for message in framer.feed(chunk):
            assert len(message) <= 256
            assert b"\x0b" not in message
            assert b"\x1c" not in message
        assert framer.buffered_bytes <= 256 + 2


def assert_only_plausible_canonical_readings(data: bytes) -> None:
    try:
        decoded = decode_observations(parse_message(data))
    except ProtocolError:
        return
    for reading in decoded.readings:
        assert reading.unit == CANONICAL_UNIT[reading.parameter]
        assert is_plausible(reading.parameter, reading.value)


@given(st.binary(max_size=400))
def test_random_bytes_raise_nothing_but_protocol_error(data: bytes) -> None:
    assert_only_plausible_canonical_readings(data)


@given(
    replacements=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(ORF) - 1),
            st.sampled_from(list(b"|^~\\&\r\n0123456789.+-XF#")),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_corrupted_orf_raises_nothing_but_protocol_error(
    replacements: list[tuple[int, int]],
) -> None:
    corrupted = bytearray(ORF)
    for position, byte in replacements:
        corrupted[position] = byte
    assert_only_plausible_canonical_readings(bytes(corrupted))


@given(st.text(max_size=60))
def test_escaping_round_trips_any_text(text: str) -> None:
    for encoding in (Encoding(), Encoding("#", "$", "!", "?", "%")):
        escaped = encoding.escape(text)
        assert not any(char in escaped for char in (encoding.field, encoding.component))
        assert encoding.unescape(escaped) == text


def test_every_single_bit_flip_of_a_framed_orf() -> None:
    frame = encode_mllp(ORF)
    envelope = {0, len(frame) - 2, len(frame) - 1}
    for position in range(len(frame)):
        for bit in range(8):
            flipped = bytearray(frame)
            flipped[position] ^= 1 << bit
            framer = MllpFramer()
            # A good frame follows, so a damaged envelope cannot hide it.
            received = framer.feed(bytes(flipped) + encode_mllp(b"next"))
            assert received[-1] == b"next"
            if position in envelope or flipped[position] in (0x0B, 0x1C):
                # The envelope failed its check (a flip can also forge a VT or FS inside
                # the message): nothing from this frame is delivered.
                assert received == [b"next"]
            else:
                [message, _] = received
                assert_only_plausible_canonical_readings(message)
