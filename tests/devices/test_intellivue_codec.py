"""The IntelliVue Data Export wire format: frames, FLOATs, times, and the guide's messages."""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.errors import FrameError, ProtocolError
from devices.intellivue_codec import (
    BOF,
    EOF,
    ESCAPE,
    GUIDE_CLIENT_INFO,
    MDS,
    NOM_ACT_POLL_MDIB_DATA,
    NOM_ACT_POLL_MDIB_DATA_EXT,
    NOM_ATTR_NU_VAL_OBS,
    NOM_ATTR_POLL_PROFILE_EXT,
    NOM_ATTR_TIME_PD_POLL,
    NOM_MOC_VMO_METRIC_NU,
    NOM_MOC_VMS_MDS,
    NOM_NOTI_MDS_CREAT,
    SYST_CLIENT,
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
    MonitorClock,
    ObservationPoll,
    OperationKind,
    PollProfile,
    PollReply,
    PollRequest,
    RemoteError,
    RemoteOperation,
    SessionKind,
    UserInfo,
    absolute_time,
    association_abort,
    association_refusal,
    association_request,
    association_response,
    association_timeout_s,
    encode_frame,
    event_report_result,
    fcs16,
    frame_user_data,
    mds_create_event,
    poll_request,
    poll_result,
    read_absolute_time,
    read_message,
    read_operation,
    read_session_message,
    read_text_string,
    release_request,
    release_response,
    remote_error,
    text_string,
    wrap_frame,
)

FIXTURES = Path(__file__).parent / "fixtures"


def at(iso: str) -> datetime:
    """A monitor's wall-clock time, without a zone, as the monitor keeps it."""
    return datetime.fromisoformat(iso)


def fixture_text(name: str) -> list[str]:
    """The lines of a fixture without our comment header."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def fcs_vectors() -> list[tuple[bytes, bytes]]:
    """(frame content, frame on the wire) of the mdpnp test vectors."""
    text = (FIXTURES / "intellivue_fcs_vectors_mdpnp.txt").read_text(encoding="ascii")
    vectors = []
    content = b""
    for line in text.splitlines():
        if line.startswith("# payload "):
            content = bytes.fromhex(line.removeprefix("# payload ").split("->")[0])
        elif not line.startswith("#"):
            vectors.append((content, bytes.fromhex(line)))
    return vectors


def guide_messages() -> dict[str, bytes]:
    """The guide's messages, by name."""
    messages: dict[str, bytes] = {}
    name = ""
    for line in fixture_text("intellivue_guide_messages.txt"):
        if line[0].isalpha() and " " not in line:
            name = line
            messages[name] = b""
        else:
            messages[name] += bytes.fromhex(line)
    return messages


VECTORS = fcs_vectors()
GUIDE = guide_messages()


def split(data: bytes, cuts: Iterable[int]) -> list[bytes]:
    points = [0, *sorted(min(cut, len(data)) for cut in cuts), len(data)]
    return [data[start:end] for start, end in itertools.pairwise(points)]


def read_all(
    chunks: Iterable[bytes], reader: FrameReader | None = None
) -> list[bytes | FrameFault]:
    reader = reader or FrameReader()
    return [item for chunk in chunks for item in reader.feed(chunk)]


# --------------------------------------------------------------------------- FCS and frames


def test_the_fixtures_hold_what_their_headers_say() -> None:
    assert fcs_vectors() == [
        (b"\x3a\x71", bytes.fromhex("c0 3a 71 9b 26 c1")),
        (b"\x3a\x91", bytes.fromhex("c0 3a 91 95 7d e1 c1")),
    ]
    assert set(GUIDE) == {
        "association_request",
        "mds_create_event_result",
        "poll_numerics",
        "extended_poll_numerics",
        "poll_mds",
        "release_request",
        "release_response",
        "abort",
    }
    # The association request is as long as its own session header says.
    assert len(GUIDE["association_request"]) == 2 + 0xEC


def test_fcs16_is_the_ppp_x25_check() -> None:
    # The published check value of CRC-16/X-25 over "123456789".
    assert fcs16(b"123456789") == 0x906E
    assert fcs16(b"\x3a\x71") == 0x269B
    assert fcs16(b"\x3a\x91") == 0xC195


@pytest.mark.parametrize(("content", "wire"), VECTORS)
def test_the_mdpnp_vectors_are_encoded_exactly(content: bytes, wire: bytes) -> None:
    assert wrap_frame(content) == wire


@pytest.mark.parametrize(("content", "wire"), VECTORS)
def test_the_mdpnp_vectors_are_decoded_exactly(content: bytes, wire: bytes) -> None:
    assert FrameReader().feed(wire) == [content]


def contents_whose_fcs_holds(byte: int, position: int) -> bytes:
    """A two-byte content whose FCS has `byte` low (position 0) or high (position 1)."""
    for first, second in itertools.product(range(256), repeat=2):
        content = bytes([first, second])
        if (fcs16(content) >> (8 * position)) & 0xFF == byte and not {first, second} & {
            BOF,
            EOF,
            ESCAPE,
        }:
            return content
    raise AssertionError("no such content")


@pytest.mark.parametrize("special", [BOF, EOF, ESCAPE])
@pytest.mark.parametrize("position", [0, 1])
def test_an_fcs_byte_that_needs_escaping_is_escaped_and_read_back(
    special: int, position: int
) -> None:
    content = contents_whose_fcs_holds(special, position)
    wire = wrap_frame(content)

    check = fcs16(content).to_bytes(2, "little")
    assert wire == bytes([BOF]) + content + escaped(check) + bytes([EOF])
    assert bytes([ESCAPE, special ^ 0x20]) in wire
    assert wire.count(bytes([BOF])) == wire.count(bytes([EOF])) == 1
    assert FrameReader().feed(wire) == [content]


def escaped(data: bytes) -> bytes:
    return b"".join(
        bytes([ESCAPE, byte ^ 0x20]) if byte in (BOF, EOF, ESCAPE) else bytes([byte])
        for byte in data
    )


def test_every_special_byte_in_the_content_is_escaped() -> None:
    content = bytes([0x11, BOF, 0x01, EOF, ESCAPE, ESCAPE, 0x5D, 0xE0, 0xE1])
    wire = wrap_frame(content)

    assert wire.startswith(bytes([BOF]) + escaped(content))
    assert FrameReader().feed(wire) == [content]


# The vectors, a long frame with escapes in it, and a frame of nothing but escapes.
STREAM_FRAMES = [
    *(content for content, _ in VECTORS),
    b"\x11\x01" + GUIDE["association_request"],
    bytes([ESCAPE, BOF, EOF, 0x00]),
]
STREAM = b"".join(wrap_frame(content) for content in STREAM_FRAMES)


def test_two_frames_in_one_read_are_both_read() -> None:
    wire = VECTORS[0][1] + VECTORS[1][1]
    assert FrameReader().feed(wire) == [VECTORS[0][0], VECTORS[1][0]]


def test_a_stream_split_at_every_position_gives_the_same_frames() -> None:
    for cut in range(len(STREAM) + 1):
        assert read_all(split(STREAM, [cut])) == STREAM_FRAMES, f"split at {cut}"


def test_a_stream_fed_byte_by_byte_gives_the_same_frames() -> None:
    reader = FrameReader()
    assert read_all((STREAM[i : i + 1] for i in range(len(STREAM))), reader) == STREAM_FRAMES
    assert reader.buffered_bytes == 0


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=30))
def test_frames_are_read_however_the_bytes_arrive(cuts: list[int]) -> None:
    assert read_all(split(STREAM, cuts)) == STREAM_FRAMES


LINE_NOISE = b"\x00\xff\x13\x11"
WITH_GARBAGE = LINE_NOISE + VECTORS[0][1] + b"\xc1\x7d\x00" + VECTORS[1][1] + LINE_NOISE


def test_garbage_between_frames_is_one_fault_per_stretch() -> None:
    expected = [
        FrameFault.OUTSIDE,
        VECTORS[0][0],
        FrameFault.OUTSIDE,
        VECTORS[1][0],
        FrameFault.OUTSIDE,
    ]
    assert FrameReader().feed(WITH_GARBAGE) == expected
    one_by_one = read_all(WITH_GARBAGE[i : i + 1] for i in range(len(WITH_GARBAGE)))
    assert one_by_one == expected


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(WITH_GARBAGE)), max_size=20))
def test_garbage_is_counted_the_same_however_it_arrives(cuts: list[int]) -> None:
    assert read_all(split(WITH_GARBAGE, cuts)) == FrameReader().feed(WITH_GARBAGE)


def test_a_frame_cut_short_by_the_next_bof_is_a_fault_and_the_next_is_read() -> None:
    wire = VECTORS[0][1][:3] + VECTORS[1][1]
    assert FrameReader().feed(wire) == [FrameFault.CUT_SHORT, VECTORS[1][0]]


def test_an_aborted_frame_is_a_fault_and_the_next_is_read() -> None:
    wire = VECTORS[0][1][:3] + bytes([ESCAPE, EOF]) + VECTORS[1][1]
    assert FrameReader().feed(wire) == [FrameFault.ABORTED, VECTORS[1][0]]


@pytest.mark.parametrize(
    ("wire", "fault"),
    [
        (bytes.fromhex("c0 3a 71 9b 27 c1"), FrameFault.CHECKSUM),  # one bit of the FCS flipped
        (bytes.fromhex("c0 3a 70 9b 26 c1"), FrameFault.CHECKSUM),  # one bit of the content
        (bytes.fromhex("c0 3a 91 95 c1 c1"), FrameFault.CHECKSUM),  # C1 sent unescaped: cut
        (bytes.fromhex("c0 3a 7d 7d 71 9b 26 c1"), FrameFault.BAD_ESCAPE),
        (bytes.fromhex("c0 3a 7d 11 71 9b 26 c1"), FrameFault.BAD_ESCAPE),
        (bytes.fromhex("c0 9b 26 c1"), FrameFault.TOO_SHORT),
        (bytes.fromhex("c0 c1"), FrameFault.TOO_SHORT),
    ],
)
def test_frames_failing_their_checks_are_faults(wire: bytes, fault: FrameFault) -> None:
    assert FrameReader().feed(wire)[0] == fault


def test_an_overlong_frame_is_one_fault_however_it_arrives_and_the_buffer_stays_small() -> None:
    long_frame = wrap_frame(bytes(100))
    wire = long_frame + VECTORS[0][1]
    whole = FrameReader(max_frame_bytes=50).feed(wire)
    reader = FrameReader(max_frame_bytes=50)
    one_by_one = read_all((wire[i : i + 1] for i in range(len(wire))), reader)

    assert whole == one_by_one == [FrameFault.OVERLONG, VECTORS[0][0]]
    assert reader.buffered_bytes == 0


@given(contents=st.lists(st.binary(min_size=1, max_size=300), max_size=6), data=st.data())
def test_any_content_survives_a_frame_round_trip(
    contents: list[bytes], data: st.DataObject
) -> None:
    wire = b"".join(wrap_frame(content) for content in contents)
    cuts = data.draw(st.lists(st.integers(min_value=0, max_value=len(wire)), max_size=10))

    assert read_all(split(wire, cuts)) == contents
    for frame in (wrap_frame(content) for content in contents):
        assert frame.count(bytes([BOF])) == frame.count(bytes([EOF])) == 1
        assert frame[0] == BOF
        assert frame[-1] == EOF


@given(chunks=st.lists(st.binary(max_size=300), max_size=8))
def test_the_reader_never_raises_and_recovers_at_the_next_frame(chunks: list[bytes]) -> None:
    reader = FrameReader(max_frame_bytes=512)
    for chunk in chunks:
        for item in reader.feed(chunk):
            assert isinstance(item, (bytes, FrameFault))
        assert reader.buffered_bytes <= 512 + 1
    found = reader.feed(VECTORS[1][1])
    assert found[-1] == VECTORS[1][0]


def test_a_data_export_frame_carries_its_header_and_length() -> None:
    user_data = GUIDE["poll_numerics"]
    frame = encode_frame(user_data)
    [content] = FrameReader().feed(frame)

    assert content[:4] == bytes([0x11, 0x01]) + len(user_data).to_bytes(2, "big")
    assert frame_user_data(content) == user_data


@pytest.mark.parametrize(
    "content",
    [
        b"\x12\x01\x00\x01\x00",  # another protocol id
        b"\x11\x02\x00\x01\x00",  # another message type
        b"\x11\x01\x00\x05\x00",  # announces more than arrived
        b"\x11\x01",  # no length
    ],
)
def test_frames_that_are_not_data_export_are_refused(content: bytes) -> None:
    with pytest.raises(FrameError):
        frame_user_data(content)


def test_a_frame_cannot_carry_more_than_its_length_field_announces() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        encode_frame(bytes(0x10000))


# --------------------------------------------------------------------------- FLOAT and times


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("00 00 00 48", 72.0),
        ("ff 00 01 70", 36.8),
        ("fe 00 3a 98", 150.0),
        ("00 ff ff ff", -1.0),
        ("02 00 00 0c", 1200.0),
        ("fd 80 00 01", -8388.607),
    ],
)
def test_floats_decode_to_their_value(raw: str, value: float) -> None:
    assert FloatType.from_bytes(bytes.fromhex(raw)).value == value
    assert FloatType.from_bytes(bytes.fromhex(raw)).special is None


@pytest.mark.parametrize(
    ("raw", "special"),
    [
        ("00 7f ff ff", FloatSpecial.NAN),
        ("00 80 00 00", FloatSpecial.NRES),
        ("00 7f ff fe", FloatSpecial.POSITIVE_INFINITY),
        ("00 80 00 02", FloatSpecial.NEGATIVE_INFINITY),
    ],
)
def test_the_reserved_float_words_are_recognised(raw: str, special: FloatSpecial) -> None:
    number = FloatType.from_bytes(bytes.fromhex(raw))
    assert number.special is special
    assert FloatType.special_value(special) == number
    value = number.value
    if special is FloatSpecial.POSITIVE_INFINITY:
        assert value == float("inf")
    elif special is FloatSpecial.NEGATIVE_INFINITY:
        assert value == float("-inf")
    else:
        assert math.isnan(value)


@given(st.integers(-128, 127), st.integers(-(2**23), 2**23 - 1))
def test_every_float_survives_a_bytes_round_trip(exponent: int, mantissa: int) -> None:
    number = FloatType(exponent, mantissa)
    raw = number.to_bytes()
    assert len(raw) == 4
    assert FloatType.from_bytes(raw) == number


@given(st.integers(-99999, 99999), st.integers(0, 3))
def test_a_displayed_value_is_sent_and_read_back_exactly(whole: int, decimals: int) -> None:
    value = whole / 10**decimals
    number = FloatType.of(value, decimals)
    assert number.special is None
    assert FloatType.from_bytes(number.to_bytes()).value == value


def test_values_a_float_cannot_carry_are_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        FloatType.of(10_000_000, 0)
    with pytest.raises(ValueError, match="not a number"):
        FloatType.of(float("nan"), 1)
    with pytest.raises(ValueError, match="exponent"):
        FloatType(128, 0)
    with pytest.raises(ValueError, match="24 bits"):
        FloatType(0, 2**23)


WALL_TIMES = st.datetimes(at("2000-01-01"), at("2099-12-31T23:59:59")).map(
    lambda moment: moment.replace(microsecond=moment.microsecond // 10_000 * 10_000)
)


@given(WALL_TIMES)
def test_absolute_times_survive_a_round_trip(moment: datetime) -> None:
    assert read_absolute_time(absolute_time(moment)) == moment


def test_absolute_time_is_bcd_and_may_be_unset() -> None:
    raw = absolute_time(at("2026-11-23T09:05:07.25"))
    assert raw == bytes.fromhex("20 26 11 23 09 05 07 25")
    assert read_absolute_time(b"\xff" * 8) is None
    assert absolute_time(None) == b"\xff" * 8
    # Fractions left unset by the monitor while the rest is set.
    assert read_absolute_time(bytes.fromhex("20 26 11 23 09 05 07 ff")) == at("2026-11-23T09:05:07")


@pytest.mark.parametrize("raw", ["20 26 1a 23 09 05 07 00", "20 26 02 30 09 05 07 00", "20 26"])
def test_malformed_absolute_times_are_protocol_errors(raw: str) -> None:
    with pytest.raises(ProtocolError):
        read_absolute_time(bytes.fromhex(raw))


def test_the_monitor_clock_dates_relative_times_across_the_wrap() -> None:
    base = at("2026-11-23T09:00")
    clock = MonitorClock(base, 2**32 - 8000)
    assert clock.at(2**32 - 8000) == base
    assert clock.at(0) == at("2026-11-23T09:00:01")
    assert clock.at(8000 * 60 - 8000) == at("2026-11-23T09:01")
    assert clock.at(4) == at("2026-11-23T09:00:01.0005")


@given(st.text(alphabet=st.characters(exclude_characters="\0", codec="utf-16"), max_size=20))
def test_label_strings_survive_a_round_trip(label: str) -> None:
    assert read_text_string(text_string(label)) == label.rstrip()


def test_a_label_string_is_utf16_with_its_nul() -> None:
    assert text_string("SpO₂") == bytes.fromhex("00 0a 00 53 00 70 00 4f 20 82 00 00")
    with pytest.raises(ProtocolError):
        read_text_string(bytes.fromhex("00 03 00 53 00"))


# --------------------------------------------------------------------------- the guide's messages


def test_the_guide_association_request_is_encoded_exactly() -> None:
    assert association_request() == GUIDE["association_request"]


def test_the_guide_association_request_is_decoded_exactly() -> None:
    message = read_session_message(GUIDE["association_request"])

    assert message.kind is SessionKind.ASSOCIATION_REQUEST
    assert message.user_info == GUIDE_CLIENT_INFO
    info = message.user_info
    assert info.system_type == SYST_CLIENT
    assert info.poll_profile is not None
    assert info.poll_profile.min_poll_period == 2500  # 312.5 ms in 1/8 ms
    assert (info.poll_profile.max_mtu_rx, info.poll_profile.max_mtu_tx) == (2500, 1000)
    assert info.poll_profile.extended_options == 0x8C000000
    assert association_request(info) == GUIDE["association_request"]


def test_the_guide_mds_create_event_result_is_encoded_and_decoded_exactly() -> None:
    raw = GUIDE["mds_create_event_result"]
    assert event_report_result(1, 0x000ABD00, NOM_NOTI_MDS_CREAT) == raw

    operation = read_operation(raw)
    assert (operation.kind, operation.invoke_id, operation.command) == (
        OperationKind.RESULT,
        1,
        Command.CONFIRMED_EVENT_REPORT,
    )
    assert EventReport.read(operation.argument) == EventReport(MDS, 0x000ABD00, NOM_NOTI_MDS_CREAT)


@pytest.mark.parametrize(
    ("name", "invoke_id", "poll"),
    [
        ("poll_numerics", 0, PollRequest(1, NOM_MOC_VMO_METRIC_NU, extended=False)),
        ("extended_poll_numerics", 1, PollRequest(1, NOM_MOC_VMO_METRIC_NU)),
        ("poll_mds", 0, PollRequest(1, NOM_MOC_VMS_MDS, extended=False)),
    ],
)
def test_the_guide_polls_are_encoded_and_decoded_exactly(
    name: str, invoke_id: int, poll: PollRequest
) -> None:
    raw = GUIDE[name]
    assert poll_request(invoke_id, poll) == raw

    operation = read_operation(raw)
    assert (operation.kind, operation.invoke_id, operation.command) == (
        OperationKind.INVOKE,
        invoke_id,
        Command.CONFIRMED_ACTION,
    )
    action = Action.read(operation.argument, with_scope=True)
    assert (action.managed_object, action.scope) == (MDS, 0)
    assert action.action_type == (
        NOM_ACT_POLL_MDIB_DATA_EXT if poll.extended else NOM_ACT_POLL_MDIB_DATA
    )
    assert PollRequest.read(action) == poll


@pytest.mark.parametrize(
    ("name", "encoded", "kind"),
    [
        ("release_request", release_request(), SessionKind.RELEASE_REQUEST),
        ("release_response", release_response(), SessionKind.RELEASE_RESPONSE),
        ("abort", association_abort(), SessionKind.ABORT),
    ],
)
def test_the_guide_release_and_abort_are_encoded_and_decoded_exactly(
    name: str, encoded: bytes, kind: SessionKind
) -> None:
    assert encoded == GUIDE[name]
    message = read_message(GUIDE[name])
    assert not isinstance(message, RemoteOperation)
    assert (message.kind, message.user_info) == (kind, None)


@pytest.mark.parametrize("name", sorted(GUIDE))
def test_every_guide_message_survives_a_frame(name: str) -> None:
    [content] = FrameReader().feed(encode_frame(GUIDE[name]))
    assert frame_user_data(content) == GUIDE[name]


# --------------------------------------------------------------------------- round trips


poll_profiles = st.builds(
    PollProfile,
    min_poll_period=st.integers(0, 2**32 - 1),
    max_mtu_rx=st.integers(0, 2**32 - 1),
    max_mtu_tx=st.integers(0, 2**32 - 1),
    max_bw_tx=st.integers(0, 2**32 - 1),
    options=st.integers(0, 2**32 - 1),
    extended_options=st.none() | st.integers(0, 2**32 - 1),
)
attributes = st.builds(
    Attribute, st.integers(0, 0xFFFF).filter(lambda i: i != 1), st.binary(max_size=12)
)
user_infos = st.builds(
    UserInfo,
    system_type=st.sampled_from([SYST_CLIENT, SYST_SERVER]),
    poll_profile=st.none() | poll_profiles,
    options=st.lists(attributes, max_size=3).map(tuple),
    other_profiles=st.lists(attributes, max_size=2).map(tuple),
)


@given(user_infos)
def test_association_messages_survive_a_round_trip(info: UserInfo) -> None:
    for encoded, kind in (
        (association_request(info), SessionKind.ASSOCIATION_REQUEST),
        (association_response(info), SessionKind.ASSOCIATION_ACCEPT),
    ):
        message = read_session_message(encoded)
        assert (message.kind, message.user_info) == (kind, info)


def test_a_refusal_is_read_as_one() -> None:
    message = read_session_message(association_refusal())
    assert (message.kind, message.user_info) == (SessionKind.ASSOCIATION_REFUSE, None)


def test_a_long_association_message_uses_the_long_length_form() -> None:
    info = UserInfo(SYST_CLIENT, None, options=(Attribute(0x0999, bytes(200)),))
    encoded = association_request(info)
    assert encoded[1] == 0xFF
    assert read_session_message(encoded).user_info == info


@pytest.mark.parametrize(
    "raw",
    [
        "",  # nothing
        "42 00",  # no such kind
        "0e 05 05 08 13 01",  # shorter than its length says
        "09 02 c1 00 00",  # longer than its length says
        "0d 03 c1 01 00",  # a request without user information
        "e1 00 00 03 00 01 00 00",  # another presentation context
        "e1 00 00 02 00 04 00 00",  # no such remote operation
        "e1 00 00 02 00 05 00 08 07 01 00 01 00 07 00 00",  # no such linked state
        "e1 00 00 02 00 02 00 06 00 01 00 07 00 09",  # argument shorter than announced
    ],
)
def test_malformed_messages_are_protocol_errors(raw: str) -> None:
    with pytest.raises(ProtocolError):
        read_message(bytes.fromhex(raw))


@given(st.binary(max_size=300))
def test_reading_any_bytes_gives_a_message_or_a_protocol_error(raw: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        read_message(raw)


@given(st.binary(max_size=200))
def test_reading_any_action_gives_a_poll_or_a_protocol_error(info: bytes) -> None:
    for action_type in (NOM_ACT_POLL_MDIB_DATA, NOM_ACT_POLL_MDIB_DATA_EXT):
        action = Action(MDS, action_type, info)
        for read in (PollReply.read, PollRequest.read):
            with contextlib.suppress(ProtocolError):
                read(action)


observations = st.builds(
    ObservationPoll, st.integers(0, 0xFFFF), st.lists(attributes, max_size=4).map(tuple)
)
contexts = st.builds(
    ContextPoll, st.integers(0, 0xFFFF), st.lists(observations, max_size=4).map(tuple)
)
poll_replies = st.builds(
    PollReply,
    poll_number=st.integers(0, 0xFFFF),
    relative_time=st.integers(0, 2**32 - 1),
    absolute_time=st.none() | WALL_TIMES,
    object_type=st.integers(0, 0xFFFF),
    contexts=st.lists(contexts, max_size=3).map(tuple),
    attribute_group=st.integers(0, 0xFFFF),
    extended=st.booleans(),
    sequence_number=st.integers(0, 0xFFFF),
).filter(lambda reply: reply.extended or reply.sequence_number == 0)


@given(poll_replies, st.integers(0, 0xFFFF), st.none() | st.sampled_from(list(LinkedState)))
def test_poll_results_survive_a_round_trip(
    reply: PollReply, invoke_id: int, state: LinkedState | None
) -> None:
    linked = None if state is None else (state, 7)
    operation = read_operation(poll_result(invoke_id, reply, linked))

    expected_kind = OperationKind.RESULT if linked is None else OperationKind.LINKED_RESULT
    assert (operation.kind, operation.invoke_id, operation.linked) == (
        expected_kind,
        invoke_id,
        linked,
    )
    action = Action.read(operation.argument, with_scope=False)
    assert (action.managed_object, action.scope) == (MDS, None)
    assert PollReply.read(action) == reply


@given(
    st.integers(0, 0xFFFF),
    st.integers(0, 0xFFFF),
    st.sampled_from([NOM_MOC_VMO_METRIC_NU, NOM_MOC_VMS_MDS, 54]),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_poll_requests_survive_a_round_trip(
    invoke_id: int, number: int, object_type: int, extended: bool, period: int
) -> None:
    extra = (Attribute(NOM_ATTR_TIME_PD_POLL, period.to_bytes(4, "big")),) if extended else ()
    request = PollRequest(number, object_type, extended=extended, extra=extra)
    operation = read_operation(poll_request(invoke_id, request))
    assert operation.invoke_id == invoke_id
    assert PollRequest.read(Action.read(operation.argument, with_scope=True)) == request


def test_the_mds_create_event_carries_the_mds_and_its_attributes() -> None:
    info = MdsCreateInfo(MDS, (Attribute(0x0987, absolute_time(at("2026-11-23T09:00"))),))
    operation = read_operation(mds_create_event(3, 0x1234, info))

    assert (operation.kind, operation.invoke_id, operation.command) == (
        OperationKind.INVOKE,
        3,
        Command.CONFIRMED_EVENT_REPORT,
    )
    report = EventReport.read(operation.argument)
    assert (report.managed_object, report.event_time, report.event_type) == (
        MDS,
        0x1234,
        NOM_NOTI_MDS_CREAT,
    )
    assert MdsCreateInfo.read(report.info) == info


def test_a_remote_error_names_the_invoke_and_the_error() -> None:
    operation = read_operation(remote_error(9, RemoteError.NO_SUCH_ACTION))
    assert (operation.kind, operation.invoke_id, operation.command, operation.argument) == (
        OperationKind.ERROR,
        9,
        RemoteError.NO_SUCH_ACTION,
        b"",
    )


def test_numeric_values_sit_in_attributes_as_the_guide_lays_them_out() -> None:
    # NuObsValue: physiological id, state, unit code, FLOAT (HR 72 bpm, no flags).
    attribute = Attribute(NOM_ATTR_NU_VAL_OBS, bytes.fromhex("41 82 00 00 0a a0 00 00 00 48"))
    observation = ObservationPoll(0x0101, (attribute,))
    assert observation.to_bytes() == bytes.fromhex(
        "01 01 00 01 00 0e 09 50 00 0a 41 82 00 00 0a a0 00 00 00 48"
    )


def test_the_poll_profile_extension_is_an_optional_package() -> None:
    with_extension = UserInfo(SYST_CLIENT, PollProfile(8000, 1000, 1000))
    without = UserInfo(SYST_CLIENT, PollProfile(8000, 1000, 1000, extended_options=None))
    assert NOM_ATTR_POLL_PROFILE_EXT.to_bytes(2, "big") in association_request(with_extension)
    assert NOM_ATTR_POLL_PROFILE_EXT.to_bytes(2, "big") not in association_request(without)


@pytest.mark.parametrize(
    ("period_s", "timeout_s"),
    [(0.3125, 10.0), (3.3, 10.0), (4.0, 12.0), (43.0, 129.0), (60.0, 130.0)],
)
def test_the_association_time_out_follows_the_guide_rule(period_s: float, timeout_s: float) -> None:
    assert association_timeout_s(period_s) == timeout_s
