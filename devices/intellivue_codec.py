"""The IntelliVue Data Export wire format: MIB/RS232 frames and the messages they carry.

Layouts and codes follow the Philips "Data Export Interface Programming Guide" (IntelliVue X2,
MP Series & MX Series, 4535 642 59271); every function here is pure, over bytes.

Frames: BOF 0xC0; a header (protocol id 0x11, message type 0x01, length of the user data);
the user data; the frame check sequence of header and user data (the 16-bit PPP/X.25 FCS of
RFC 1662, low byte first); EOF 0xC1. Inside a frame 0xC0, 0xC1 and 0x7D travel as 0x7D and
the byte XOR 0x20; 0x7D 0xC1 aborts a frame.

Messages: association messages (request, acceptance, refusal, release, abort: an OSI session
and presentation envelope, fixed bytes in the guide, around the MDSE user information), and
data export messages (ROSE remote operations carrying CMIP event reports and actions: the MDS
Create event, polls and their results). Integers are big-endian; lists are a count, a length
in bytes and the items; a FLOAT is an 8-bit exponent and a 24-bit mantissa, both signed.
"""

from __future__ import annotations

import binascii
import functools
import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, IntEnum, IntFlag, StrEnum
from typing import Final

from devices.errors import FrameError, ProtocolError

# --------------------------------------------------------------------------- framing

BOF: Final = 0xC0
EOF: Final = 0xC1
ESCAPE: Final = 0x7D
_ESCAPE_XOR: Final = 0x20
_ESCAPED: Final = frozenset({BOF ^ _ESCAPE_XOR, EOF ^ _ESCAPE_XOR, ESCAPE ^ _ESCAPE_XOR})

DATA_EXPORT_PROTOCOL: Final = 0x11
"""Frame header: protocol id of the Data Export protocol."""
DATA_EXPORT_MESSAGE: Final = 0x01
"""Frame header: message type of a Data Export command message."""

DEFAULT_MAX_FRAME_BYTES: Final = 8192
"""Longest frame kept by default, escapes included: over twice the 2500 bytes the app accepts."""

# Bit order of each byte reversed: the X.25 FCS is the CCITT CRC of RFC 1662 computed least
# significant bit first, which binascii computes most significant bit first.
_REVERSED_BITS: Final = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))


def fcs16(data: bytes) -> int:
    """The frame check sequence of `data` as sent: the PPP/X.25 FCS-16 (RFC 1662), complemented."""
    crc = binascii.crc_hqx(data.translate(_REVERSED_BITS), 0xFFFF)
    return ((_REVERSED_BITS[crc & 0xFF] << 8) | _REVERSED_BITS[crc >> 8]) ^ 0xFFFF


def escape(data: bytes) -> bytes:
    """`data` with BOF, EOF and the escape byte made transparent (0x7D, byte XOR 0x20)."""
    # The escape byte first, so that the escapes added next are not escaped again.
    escaped = data.replace(b"\x7d", b"\x7d\x5d")
    return escaped.replace(b"\xc0", b"\x7d\xe0").replace(b"\xc1", b"\x7d\xe1")


def wrap_frame(content: bytes) -> bytes:
    """One frame on the wire: BOF, `content` and its FCS (low byte first) escaped, EOF."""
    check = fcs16(content)
    return bytes([BOF]) + escape(content + bytes([check & 0xFF, check >> 8])) + bytes([EOF])


def encode_frame(user_data: bytes) -> bytes:
    """A Data Export frame carrying `user_data`: header, user data, FCS, escaped and delimited.

    Raises:
        ValueError: more user data than the header's 16-bit length can announce.
    """
    if len(user_data) > 0xFFFF:
        raise ValueError(f"{len(user_data)} bytes of user data do not fit one frame")
    header = struct.pack(">BBH", DATA_EXPORT_PROTOCOL, DATA_EXPORT_MESSAGE, len(user_data))
    return wrap_frame(header + user_data)


def frame_user_data(content: bytes) -> bytes:
    """The user data of a frame's checked content (header and user data).

    Raises:
        FrameError: not a Data Export frame (protocol id, message type) or a length that does
            not match what arrived.
    """
    if len(content) < 4:
        raise FrameError(f"frame of {len(content)} bytes has no Data Export header")
    protocol, message, length = struct.unpack_from(">BBH", content)
    if (protocol, message) != (DATA_EXPORT_PROTOCOL, DATA_EXPORT_MESSAGE):
        raise FrameError(f"frame header {protocol:#04x} {message:#04x} is not Data Export")
    if length != len(content) - 4:
        raise FrameError(f"frame header announces {length} bytes, {len(content) - 4} arrived")
    return content[4:]


class FrameFault(StrEnum):
    """Why bytes from the line did not give a frame."""

    OUTSIDE = "bytes outside frames"
    CUT_SHORT = "frame cut short"
    ABORTED = "frame aborted"
    BAD_ESCAPE = "bad escape in frame"
    TOO_SHORT = "frame too short"
    CHECKSUM = "frame check sequence wrong"
    OVERLONG = "overlong frame"


class FrameReader:
    """Cuts the monitor's byte stream into frames and checks them.

    `feed` returns, in the order they arrived, the content (header and user data, escapes
    removed) of every frame whose FCS is right, and a `FrameFault` for everything else: a
    stretch of bytes outside frames (one fault however the bytes arrive), a frame cut short
    by the next BOF, an aborted frame, a bad escape, a wrong FCS, a frame longer than
    `max_frame_bytes`. Partial frames are kept for the next call; the buffer never holds
    much more than one maximal frame.
    """

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> None:
        if max_frame_bytes < 1:
            raise ValueError("max_frame_bytes must be at least 1")
        self._max_frame_bytes = max_frame_bytes
        # While inside a frame the buffer starts with its BOF.
        self._buffer = bytearray()
        self._in_noise = False

    @property
    def buffered_bytes(self) -> int:
        """How many bytes of an unfinished frame are held."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes | FrameFault]:
        """Add received bytes; return the frames and faults they completed."""
        self._buffer += data
        found: list[bytes | FrameFault] = []
        buffer = self._buffer
        while buffer:
            if buffer[0] != BOF:
                start = buffer.find(BOF)
                self._discard(len(buffer) if start == -1 else start, found)
                continue
            end = buffer.find(EOF, 1)
            restart = buffer.find(BOF, 1)
            if restart != -1 and (end == -1 or restart < end):
                found.append(FrameFault.CUT_SHORT)
                del buffer[:restart]
                self._in_noise = False
            elif end == -1:
                if len(buffer) - 1 > self._max_frame_bytes:
                    found.append(FrameFault.OVERLONG)
                    buffer.clear()
                    self._in_noise = True  # the rest of it, up to the next BOF, is no news
                break
            else:
                raw = bytes(buffer[1:end])
                del buffer[: end + 1]
                self._in_noise = False
                if len(raw) > self._max_frame_bytes:
                    found.append(FrameFault.OVERLONG)
                else:
                    found.append(_checked_content(raw))
        return found

    def _discard(self, count: int, found: list[bytes | FrameFault]) -> None:
        if not self._in_noise:
            found.append(FrameFault.OUTSIDE)
            self._in_noise = True
        del self._buffer[:count]


def _checked_content(raw: bytes) -> bytes | FrameFault:
    """The content of one frame's bytes between BOF and EOF, or why there is none."""
    if raw.endswith(bytes([ESCAPE])):
        return FrameFault.ABORTED
    first, *escaped = raw.split(bytes([ESCAPE]))
    content = bytearray(first)
    for piece in escaped:
        if not piece or piece[0] not in _ESCAPED:
            return FrameFault.BAD_ESCAPE
        content.append(piece[0] ^ _ESCAPE_XOR)
        content += piece[1:]
    if len(content) < 3:
        return FrameFault.TOO_SHORT
    body, check = bytes(content[:-2]), content[-2] | content[-1] << 8
    if fcs16(body) != check:
        return FrameFault.CHECKSUM
    return body


# --------------------------------------------------------------------------- codes


class SessionKind(IntEnum):
    """The session messages that open and close an association (the guide's SPDU types)."""

    ASSOCIATION_REQUEST = 0x0D  # CN_SPDU_SI
    ASSOCIATION_ACCEPT = 0x0E  # AC_SPDU_SI
    ASSOCIATION_REFUSE = 0x0C  # RF_SPDU_SI
    RELEASE_REQUEST = 0x09  # FN_SPDU_SI
    RELEASE_RESPONSE = 0x0A  # DN_SPDU_SI
    ABORT = 0x19  # AB_SPDU_SI


class OperationKind(IntEnum):
    """Remote operation APDU types of a data export message."""

    INVOKE = 1  # ROIV_APDU
    RESULT = 2  # RORS_APDU
    ERROR = 3  # ROER_APDU
    LINKED_RESULT = 5  # ROLRS_APDU


class Command(IntEnum):
    """CMIP command types of an invoke or result."""

    EVENT_REPORT = 0
    CONFIRMED_EVENT_REPORT = 1
    GET = 3
    SET = 4
    CONFIRMED_SET = 5
    CONFIRMED_ACTION = 7


class LinkedState(IntEnum):
    """Where a linked result stands in its series."""

    FIRST = 1
    NOT_FIRST_NOT_LAST = 2
    LAST = 3


class RemoteError(IntEnum):
    """Error values of a remote operation error."""

    NO_SUCH_OBJECT_CLASS = 0
    NO_SUCH_OBJECT_INSTANCE = 1
    ACCESS_DENIED = 2
    GET_LIST_ERROR = 7
    SET_LIST_ERROR = 8
    NO_SUCH_ACTION = 9
    PROCESSING_FAILURE = 10
    INVALID_ARGUMENT_VALUE = 15
    INVALID_SCOPE = 16
    INVALID_OBJECT_INSTANCE = 17


class MeasurementState(IntFlag):
    """The measurement state of a numeric value (MeasurementState in the guide)."""

    INVALID = 0x8000
    QUESTIONABLE = 0x4000
    UNAVAILABLE = 0x2000
    CALIBRATION_ONGOING = 0x1000
    TEST_DATA = 0x0800
    DEMO_DATA = 0x0400
    VALIDATED_DATA = 0x0080
    EARLY_INDICATION = 0x0040
    MSMT_ONGOING = 0x0020
    MSMT_STATE_IN_ALARM = 0x0002
    MSMT_STATE_AL_INHIBITED = 0x0001


# Object classes (partition NOM_PART_OBJ).
NOM_PART_OBJ: Final = 1
NOM_MOC_VMO_METRIC_NU: Final = 6
NOM_MOC_VMS_MDS: Final = 33
NOM_MOC_VMO_AL_MON: Final = 54

NOM_NOTI_MDS_CREAT: Final = 0x0D06
NOM_ACT_POLL_MDIB_DATA: Final = 0x0C16
NOM_ACT_POLL_MDIB_DATA_EXT: Final = 0xF13B

# Attribute ids.
NOM_ATTR_COLOR: Final = 0x0911
NOM_ATTR_DISP_RES: Final = 0x0917
NOM_ATTR_ID_BED_LABEL: Final = 0x091E
NOM_ATTR_ID_LABEL: Final = 0x0924
NOM_ATTR_ID_LABEL_STRING: Final = 0x0927
NOM_ATTR_ID_MODEL: Final = 0x0928
NOM_ATTR_NU_CMPD_VAL_OBS: Final = 0x094B
NOM_ATTR_NU_VAL_OBS: Final = 0x0950
NOM_ATTR_SYS_ID: Final = 0x0984
NOM_ATTR_SYS_TYPE: Final = 0x0986
NOM_ATTR_TIME_ABS: Final = 0x0987
NOM_ATTR_TIME_REL: Final = 0x098F
NOM_ATTR_TIME_STAMP_ABS: Final = 0x0990
NOM_ATTR_TIME_STAMP_REL: Final = 0x0991
NOM_ATTR_VMS_MDS_STAT: Final = 0x09A7
NOM_ATTR_TIME_PD_POLL: Final = 0xF13E

# Physiological ids (partition NOM_PART_SCADA); a label's TextId is the id in partition 2.
NOM_PART_SCADA: Final = 2
NOM_ECG_CARD_BEAT_RATE: Final = 0x4182  # "HR"
NOM_PULS_RATE: Final = 0x480A  # "Pulse", from the chosen pulse source
NOM_PLETH_PULS_RATE: Final = 0x4822  # "Pulse", from the oximeter
NOM_PRESS_BLD_NONINV: Final = 0x4A04  # "NBP"
NOM_PRESS_BLD_NONINV_SYS: Final = 0x4A05  # "NBPs"
NOM_PRESS_BLD_NONINV_DIA: Final = 0x4A06  # "NBPd"
NOM_PRESS_BLD_NONINV_MEAN: Final = 0x4A07  # "NBPm"
NOM_TEMP: Final = 0x4B48  # "Temp"
NOM_TEMP_CORE: Final = 0x4B60  # "Tcore"
NOM_TEMP_ESOPH: Final = 0x4B64  # "Tesoph"
NOM_TEMP_NASOPH: Final = 0x4B6C  # "Tnaso"
NOM_TEMP_SKIN: Final = 0x4B74  # "Tskin"
NOM_TEMP_TYMP: Final = 0x4B78  # "Ttymp"
NOM_PULS_OXIM_PERF_REL: Final = 0x4BB0  # "Perf"
NOM_PULS_OXIM_SAT_O2: Final = 0x4BB8  # "SpO2"
NOM_RESP_RATE: Final = 0x500A  # "RR", impedance
NOM_AWAY_RESP_RATE: Final = 0x5012  # "awRR", capnography
NOM_TEMP_RECT: Final = 0xE004  # "Trect"
NOM_TEMP_VESICAL: Final = 0xF0C4  # "Tvesic"
NOM_TEMP_GEN_1: Final = 0xF0C7  # "T1", and T2 to T4 after it
NOM_TEMP_ORAL_PRED: Final = 0xF110  # "Tpred oral"
NOM_TEMP_RECT_PRED: Final = 0xF114  # "Tpred rect"
NOM_TEMP_AXIL_PRED: Final = 0xF118  # "Tpred axil"

# Units (partition NOM_PART_DIM).
NOM_PART_DIM: Final = 4
NOM_DIM_DIMLESS: Final = 0x0200
NOM_DIM_PERCENT: Final = 0x0220
NOM_DIM_BEAT_PER_MIN: Final = 0x0AA0
NOM_DIM_RESP_PER_MIN: Final = 0x0AE0
NOM_DIM_KILO_PASCAL: Final = 0x0F03
NOM_DIM_MMHG: Final = 0x0F20
NOM_DIM_FAHR: Final = 0x1140
NOM_DIM_DEGC: Final = 0x17A0

# MDSE user information.
MDDL_VERSION1: Final = 0x80000000
NOMEN_VERSION: Final = 0x40000000
SYST_CLIENT: Final = 0x80000000
SYST_SERVER: Final = 0x00800000
COLD_START: Final = 0x20000000
NOM_POLL_PROFILE_SUPPORT: Final = 0x0001
NOM_ATTR_POLL_PROFILE_EXT: Final = 0xF001
POLL_PROFILE_REV_0: Final = 0x80000000
P_OPT_DYN_CREATE_OBJECTS: Final = 0x40000000
P_OPT_DYN_DELETE_OBJECTS: Final = 0x20000000
POLL_EXT_PERIOD_NU_1SEC: Final = 0x80000000
POLL_EXT_PERIOD_RTSA: Final = 0x08000000
POLL_EXT_ENUM: Final = 0x04000000

RELATIVE_TIME_PER_SECOND: Final = 8000
"""RelativeTime counts eighths of a millisecond."""

# --------------------------------------------------------------------------- primitive types


class _Reader:
    """Big-endian fields of a message read in order; ProtocolError when the message runs out."""

    __slots__ = ("_data", "_end", "_position", "_what")

    def __init__(self, data: bytes, what: str) -> None:
        self._data = data
        self._position = 0
        self._end = len(data)
        self._what = what

    def _short(self, needed: int) -> ProtocolError:
        return ProtocolError(f"{self._what} ends after {self._end} bytes, {needed} needed")

    # The readers below are written out rather than shared: they are the decoder's inner loop.

    def u8(self) -> int:
        position = self._position
        if position >= self._end:
            raise self._short(position + 1)
        self._position = position + 1
        return self._data[position]

    def u16(self) -> int:
        position = self._position
        end = position + 2
        if end > self._end:
            raise self._short(end)
        self._position = end
        data = self._data
        return data[position] << 8 | data[position + 1]

    def u32(self) -> int:
        position = self._position
        end = position + 4
        if end > self._end:
            raise self._short(end)
        self._position = end
        return int.from_bytes(self._data[position:end], "big")

    def take(self, count: int) -> bytes:
        position = self._position
        end = position + count
        if count < 0 or end > self._end:
            raise self._short(end)
        self._position = end
        return self._data[position:end]

    @property
    def remaining(self) -> int:
        return self._end - self._position

    def done(self) -> None:
        """Raise unless everything was read."""
        if self._position != self._end:
            raise ProtocolError(f"{self._end - self._position} stray bytes after {self._what}")


_TWO_U16: Final = struct.Struct(">HH")


def _u16(value: int) -> bytes:
    return struct.pack(">H", value)


def _u32(value: int) -> bytes:
    return struct.pack(">I", value)


def _counted(items: list[bytes]) -> bytes:
    """A list as the guide encodes them: count, length in bytes, the items."""
    body = b"".join(items)
    return _u16(len(items)) + _u16(len(body)) + body


def _read_counted(reader: _Reader, what: str) -> tuple[int, _Reader]:
    """The count of a counted list and a reader over exactly its items."""
    count = reader.u16()
    length = reader.u16()
    return count, _Reader(reader.take(length), what)


class FloatSpecial(Enum):
    """The reserved FLOAT words."""

    NAN = 0x007FFFFF
    NRES = 0x00800000
    POSITIVE_INFINITY = 0x007FFFFE
    NEGATIVE_INFINITY = 0x00800002


_SPECIAL_WORDS: Final = {special.value: special for special in FloatSpecial}
_MAX_MANTISSA: Final = 2**23 - 3
"""Largest mantissa `FloatType.of` writes: clear of the reserved words whatever the exponent."""


@dataclass(frozen=True, slots=True)
class FloatType:
    """A FLOAT as sent: value = mantissa * 10 ** exponent, both signed (8 and 24 bits)."""

    exponent: int
    mantissa: int

    def __post_init__(self) -> None:
        if not -128 <= self.exponent <= 127:
            raise ValueError(f"FLOAT exponent {self.exponent} is outside -128..127")
        if not -(2**23) <= self.mantissa < 2**23:
            raise ValueError(f"FLOAT mantissa {self.mantissa} does not fit 24 bits")

    @classmethod
    def from_bytes(cls, raw: bytes) -> FloatType:
        """Read the four bytes of a FLOAT."""
        if len(raw) != 4:
            raise ValueError(f"a FLOAT is 4 bytes, not {len(raw)}")
        exponent = raw[0] - 256 if raw[0] >= 128 else raw[0]
        mantissa = int.from_bytes(raw[1:], "big", signed=True)
        return cls(exponent, mantissa)

    @classmethod
    def of(cls, value: float, decimals: int) -> FloatType:
        """`value` rounded to `decimals` places, as a monitor sends what it displays.

        Raises:
            ValueError: not a finite number, or too large for 24 bits at that precision.
        """
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a number a FLOAT carries; use FloatSpecial")
        mantissa = round(value * 10**decimals)
        if abs(mantissa) > _MAX_MANTISSA:
            raise ValueError(f"{value} with {decimals} decimals does not fit a FLOAT")
        return cls(-decimals, mantissa)

    @classmethod
    def special_value(cls, special: FloatSpecial) -> FloatType:
        """The FLOAT of a reserved word."""
        return cls.from_bytes(_u32(special.value))

    def to_bytes(self) -> bytes:
        """The four bytes of this FLOAT."""
        return bytes([self.exponent & 0xFF]) + (self.mantissa & 0xFFFFFF).to_bytes(3, "big")

    @property
    def special(self) -> FloatSpecial | None:
        """The reserved word this is, if it is one."""
        return _SPECIAL_WORDS.get((self.exponent & 0xFF) << 24 | (self.mantissa & 0xFFFFFF))

    @property
    def value(self) -> float:
        """The number (NaN for NaN and NRes, the infinities for the infinities)."""
        special = self.special
        if special is FloatSpecial.POSITIVE_INFINITY:
            return math.inf
        if special is FloatSpecial.NEGATIVE_INFINITY:
            return -math.inf
        if special is not None:
            return math.nan
        power: int = 10 ** abs(self.exponent)
        if self.exponent >= 0:
            return float(self.mantissa * power)
        # Division by the exact power of ten gives the nearest double: 368E-1 is 36.8.
        return self.mantissa / power


def _bcd(value: int) -> int:
    return (value // 10) << 4 | value % 10


def _from_bcd(byte: int, what: str) -> int:
    high, low = byte >> 4, byte & 0x0F
    if high > 9 or low > 9:
        raise ProtocolError(f"{what} is not binary-coded decimal: {byte:#04x}")
    return high * 10 + low


_NO_TIME: Final = b"\xff" * 8


def absolute_time(moment: datetime | None) -> bytes:
    """An AbsoluteTime (BCD century, year, month, day, hour, minute, second, 1/100 s).

    None gives the all-0xFF "not set" value; the time zone of an aware moment is dropped, as
    the monitor keeps its own wall-clock time.
    """
    if moment is None:
        return _NO_TIME
    fields = (
        moment.year // 100,
        moment.year % 100,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond // 10_000,
    )
    return bytes(_bcd(value) for value in fields)


def read_absolute_time(raw: bytes) -> datetime | None:
    """The monitor's wall-clock time (naive) from an AbsoluteTime; None when not set.

    Raises:
        ProtocolError: not 8 bytes, not BCD, or not a date.
    """
    if len(raw) != 8:
        raise ProtocolError(f"an AbsoluteTime is 8 bytes, not {len(raw)}")
    if raw == _NO_TIME:
        return None
    century, year, month, day, hour, minute, second = (
        _from_bcd(byte, "AbsoluteTime") for byte in raw[:7]
    )
    # Some monitors leave the fractions unset while the rest of the time is valid.
    hundredths = 0 if raw[7] == 0xFF else _from_bcd(raw[7], "AbsoluteTime")
    try:
        # The monitor's clock has no zone; it is the ward's wall time.
        return datetime(  # noqa: DTZ001
            century * 100 + year, month, day, hour, minute, second, hundredths * 10_000
        )
    except ValueError as exc:
        raise ProtocolError(f"AbsoluteTime {raw.hex(' ')} is not a date") from exc


def text_string(text: str) -> bytes:
    """A String attribute value: its length, then the text in UTF-16 ending in NUL."""
    encoded = (text + "\0").encode("utf-16-be")
    return _u16(len(encoded)) + encoded


def read_text_string(raw: bytes) -> str:
    """The text of a String attribute value, without its NUL padding.

    Raises:
        ProtocolError: the length does not match, or an odd number of bytes.
    """
    if len(raw) < 2 or int.from_bytes(raw[:2], "big") != len(raw) - 2:
        raise ProtocolError(f"String of {len(raw)} bytes does not hold the length it announces")
    encoded = raw[2:]
    if len(encoded) % 2:
        raise ProtocolError(f"a UTF-16 String cannot have {len(encoded)} bytes")
    return encoded.decode("utf-16-be", errors="replace").split("\0", 1)[0].rstrip()


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute value assertion: an attribute id and its value as sent."""

    attribute_id: int
    value: bytes


def encode_attributes(attributes: Iterable[Attribute]) -> bytes:
    """An AttributeList."""
    return _counted([_u16(a.attribute_id) + _u16(len(a.value)) + a.value for a in attributes])


def _read_attributes(reader: _Reader) -> tuple[Attribute, ...]:
    count = reader.u16()
    data = reader.take(reader.u16())
    attributes = []
    position, end = 0, len(data)
    for _ in range(count):
        if position + 4 > end:
            raise ProtocolError(f"AttributeList of {count} attributes ends after {end} bytes")
        attribute_id, length = _TWO_U16.unpack_from(data, position)
        position += 4 + length
        if position > end:
            raise ProtocolError(f"attribute {attribute_id:#06x} runs past its AttributeList")
        attributes.append(Attribute(attribute_id, data[position - length : position]))
    if position != end:
        raise ProtocolError(f"{end - position} stray bytes after AttributeList")
    return tuple(attributes)


def attribute_value(attributes: Iterable[Attribute], attribute_id: int) -> bytes | None:
    """The value of the first attribute with this id, if there is one."""
    return next((a.value for a in attributes if a.attribute_id == attribute_id), None)


# --------------------------------------------------------------------------- association


@dataclass(frozen=True, slots=True)
class PollProfile:
    """The poll profile of an association: what either side can take and how often.

    `min_poll_period` is in RelativeTime units (1/8 ms); `extended_options` are the options
    of the poll profile extension, None when it is not offered.
    """

    min_poll_period: int
    max_mtu_rx: int
    max_mtu_tx: int
    max_bw_tx: int = 0xFFFFFFFF
    options: int = P_OPT_DYN_CREATE_OBJECTS | P_OPT_DYN_DELETE_OBJECTS
    extended_options: int | None = POLL_EXT_PERIOD_NU_1SEC
    revision: int = POLL_PROFILE_REV_0

    @property
    def min_poll_period_s(self) -> float:
        """The minimum poll period in seconds."""
        return self.min_poll_period / RELATIVE_TIME_PER_SECOND


@dataclass(frozen=True, slots=True)
class UserInfo:
    """The MDSE user information of an association request or response (MDSEUserInfoStd)."""

    system_type: int
    poll_profile: PollProfile | None
    protocol_version: int = MDDL_VERSION1
    nomenclature_version: int = NOMEN_VERSION
    functional_units: int = 0
    startup_mode: int = COLD_START
    options: tuple[Attribute, ...] = ()
    other_profiles: tuple[Attribute, ...] = ()


GUIDE_CLIENT_INFO: Final = UserInfo(
    system_type=SYST_CLIENT,
    poll_profile=PollProfile(
        min_poll_period=0x09C4,
        max_mtu_rx=0x09C4,
        max_mtu_tx=0x03E8,
        extended_options=POLL_EXT_PERIOD_NU_1SEC | POLL_EXT_PERIOD_RTSA | POLL_EXT_ENUM,
    ),
)
"""The user information of the guide's association request, which the app sends."""


def encode_user_info(info: UserInfo) -> bytes:
    """An MDSEUserInfoStd."""
    profiles = list(info.other_profiles)
    if info.poll_profile is not None:
        profiles.insert(0, Attribute(NOM_POLL_PROFILE_SUPPORT, _poll_profile(info.poll_profile)))
    return (
        _u32(info.protocol_version)
        + _u32(info.nomenclature_version)
        + _u32(info.functional_units)
        + _u32(info.system_type)
        + _u32(info.startup_mode)
        + encode_attributes(info.options)
        + encode_attributes(profiles)
    )


def _poll_profile(profile: PollProfile) -> bytes:
    packages = []
    if profile.extended_options is not None:
        extension = _u32(profile.extended_options) + encode_attributes(())
        packages.append(Attribute(NOM_ATTR_POLL_PROFILE_EXT, extension))
    return (
        _u32(profile.revision)
        + _u32(profile.min_poll_period)
        + _u32(profile.max_mtu_rx)
        + _u32(profile.max_mtu_tx)
        + _u32(profile.max_bw_tx)
        + _u32(profile.options)
        + encode_attributes(packages)
    )


def read_user_info(raw: bytes) -> UserInfo:
    """Read an MDSEUserInfoStd.

    Raises:
        ProtocolError: truncated, or lists that do not add up.
    """
    reader = _Reader(raw, "MDSE user information")
    protocol_version, nomenclature_version, functional_units, system_type, startup_mode = (
        reader.u32() for _ in range(5)
    )
    options = _read_attributes(reader)
    profiles = _read_attributes(reader)
    reader.done()
    poll_profile = None
    others = []
    for profile in profiles:
        if profile.attribute_id == NOM_POLL_PROFILE_SUPPORT and poll_profile is None:
            poll_profile = _read_poll_profile(profile.value)
        else:
            others.append(profile)
    return UserInfo(
        system_type=system_type,
        poll_profile=poll_profile,
        protocol_version=protocol_version,
        nomenclature_version=nomenclature_version,
        functional_units=functional_units,
        startup_mode=startup_mode,
        options=options,
        other_profiles=tuple(others),
    )


def _read_poll_profile(raw: bytes) -> PollProfile:
    reader = _Reader(raw, "PollProfileSupport")
    revision, min_poll_period, max_mtu_rx, max_mtu_tx, max_bw_tx, options = (
        reader.u32() for _ in range(6)
    )
    packages = _read_attributes(reader)
    reader.done()
    extension = attribute_value(packages, NOM_ATTR_POLL_PROFILE_EXT)
    extended_options = None
    if extension is not None:
        extension_reader = _Reader(extension, "PollProfileExt")
        extended_options = extension_reader.u32()
        _read_attributes(extension_reader)
        extension_reader.done()
    return PollProfile(
        min_poll_period=min_poll_period,
        max_mtu_rx=max_mtu_rx,
        max_mtu_tx=max_mtu_tx,
        max_bw_tx=max_bw_tx,
        options=options,
        extended_options=extended_options,
        revision=revision,
    )


def association_timeout_s(min_poll_period_s: float) -> float:
    """How long a monitor keeps an association it hears nothing on (the guide's rule)."""
    if min_poll_period_s <= 3.3:
        return 10.0
    if min_poll_period_s <= 43.0:
        return 3 * min_poll_period_s
    return 130.0


# The session data and presentation envelopes are fixed byte strings in the guide; the user
# information sits inside the presentation data after the tag 0x81 and an ASN.1 length.
_SESSION_DATA: Final = bytes.fromhex("05 08 13 01 00 16 01 02 80 00 14 02 00 02")
_REQUEST_PRESENTATION: Final = bytes.fromhex(
    "31 80 a0 80 80 01 01 00 00 a2 80 a0 03 00 00 01 a4 80 30 80 02 01 01 06 04 52 01 00 01"
    " 30 80 06 02 51 01 00 00 00 00 30 80 02 01 02 06 0c 2a 86 48 ce 14 02 01 00 00 00 01 01"
    " 30 80 06 0c 2a 86 48 ce 14 02 01 00 00 00 02 01 00 00 00 00 00 00 61 80 30 80 02 01 01"
    " a0 80 60 80 a1 80 06 0c 2a 86 48 ce 14 02 01 00 00 00 03 01 00 00 be 80 28 80 06 0c 2a"
    " 86 48 ce 14 02 01 00 00 00 01 01 02 01 02 81"
)
_ACCEPT_PRESENTATION: Final = bytes.fromhex(
    "31 80 a0 80 80 01 01 00 00 a2 80 a0 03 00 00 01 a5 80 30 80 80 01 00 81 02 51 01 00 00"
    " 30 80 80 01 00 81 0c 2a 86 48 ce 14 02 01 00 00 00 02 01 00 00 00 00 61 80 30 80 02 01"
    " 01 a0 80 61 80 a1 80 06 0c 2a 86 48 ce 14 02 01 00 00 00 03 01 00 00 a2 03 02 01 00 a3"
    " 05 a1 03 02 01 00 be 80 28 80 02 01 02 81"
)
_PRESENTATION_TRAILER: Final = bytes(16)
_USER_DATA_MARK: Final = bytes.fromhex("be 80 28 80")
_USER_DATA_TAG: Final = bytes.fromhex("02 01 02 81")
_PRESENTATION: Final = 0xC1
_REFUSE_DATA: Final = bytes.fromhex("32 01 00")
_RELEASE_PRESENTATION: Final = bytes.fromhex(
    "61 80 30 80 02 01 01 a0 80 62 80 80 01 00 00 00 00 00 00 00 00 00"
)
_RELEASE_RESPONSE_PRESENTATION: Final = bytes.fromhex(
    "61 80 30 80 02 01 01 a0 80 63 80 80 01 00 00 00 00 00 00 00 00 00"
)
_ABORT_DATA: Final = bytes.fromhex("11 01 03")
_ABORT_PRESENTATION: Final = bytes.fromhex(
    "a0 80 a0 80 30 80 02 01 01 06 02 51 01 00 00 00 00 61 80 30 80 02 01 01 a0 80 64 80 80"
    " 01 01 00 00 00 00 00 00 00 00 00 00"
)


def _length_indicator(length: int) -> bytes:
    """A session length indicator: one byte below 255, else 0xFF and two bytes."""
    return bytes([length]) if length < 255 else b"\xff" + _u16(length)


def _read_length_indicator(reader: _Reader) -> int:
    first = reader.u8()
    return reader.u16() if first == 0xFF else first


def _asn1_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length <= 0xFF:
        return bytes([0x81, length])
    return b"\x82" + _u16(length)


def _session(kind: SessionKind, session_data: bytes, presentation: bytes | None) -> bytes:
    body = session_data
    if presentation is not None:
        body += bytes([_PRESENTATION]) + _length_indicator(len(presentation)) + presentation
    return bytes([kind]) + _length_indicator(len(body)) + body


def association_request(info: UserInfo = GUIDE_CLIENT_INFO) -> bytes:
    """The association request (AARQ) carrying `info`."""
    user_info = encode_user_info(info)
    presentation = (
        _REQUEST_PRESENTATION + _asn1_length(len(user_info)) + user_info + _PRESENTATION_TRAILER
    )
    return _session(SessionKind.ASSOCIATION_REQUEST, _SESSION_DATA, presentation)


def association_response(info: UserInfo) -> bytes:
    """The monitor's acceptance of an association (AARE) carrying its `info`."""
    user_info = encode_user_info(info)
    presentation = (
        _ACCEPT_PRESENTATION + _asn1_length(len(user_info)) + user_info + _PRESENTATION_TRAILER
    )
    return _session(SessionKind.ASSOCIATION_ACCEPT, _SESSION_DATA, presentation)


def association_refusal() -> bytes:
    """The monitor's refusal of an association request."""
    return _session(SessionKind.ASSOCIATION_REFUSE, _REFUSE_DATA, None)


def release_request() -> bytes:
    """The request to end an association in order (RLRQ)."""
    return _session(SessionKind.RELEASE_REQUEST, b"", _RELEASE_PRESENTATION)


def release_response() -> bytes:
    """The answer to a release request (RLRS)."""
    return _session(SessionKind.RELEASE_RESPONSE, b"", _RELEASE_RESPONSE_PRESENTATION)


def association_abort() -> bytes:
    """The message that ends an association at once (ABRT)."""
    return _session(SessionKind.ABORT, _ABORT_DATA, _ABORT_PRESENTATION)


@dataclass(frozen=True, slots=True)
class SessionMessage:
    """An association message: its kind, and for requests and acceptances what it carries.

    `presentation` is the presentation data as sent (empty when there is none);
    `user_info` is None for messages that carry none.
    """

    kind: SessionKind
    user_info: UserInfo | None = None
    presentation: bytes = b""


def read_session_message(data: bytes) -> SessionMessage:
    """Read an association message (request, acceptance, refusal, release, abort).

    Raises:
        ProtocolError: an unknown kind, lengths that do not add up, or a request or
            acceptance whose user information cannot be read.
    """
    reader = _Reader(data, "association message")
    try:
        kind = SessionKind(reader.u8())
    except ValueError:
        raise ProtocolError(f"{data[0]:#04x} is not an association message") from None
    body = _Reader(reader.take(_read_length_indicator(reader)), "session data")
    reader.done()
    presentation = b""
    while body.remaining:
        parameter = body.u8()
        value = body.take(_read_length_indicator(body))
        if parameter == _PRESENTATION:
            presentation = value
            body.done()
    user_info = None
    if kind in (SessionKind.ASSOCIATION_REQUEST, SessionKind.ASSOCIATION_ACCEPT):
        user_info = read_user_info(_user_data_of(presentation))
    return SessionMessage(kind, user_info, presentation)


def _user_data_of(presentation: bytes) -> bytes:
    """The user information inside an association's presentation data."""
    mark = presentation.find(_USER_DATA_MARK)
    if mark == -1:
        raise ProtocolError("no user information in the association's presentation data")
    tag = mark + len(_USER_DATA_MARK)
    if presentation[tag : tag + 1] != b"\x81":
        tagged = presentation.find(_USER_DATA_TAG, tag)
        if tagged == -1:
            raise ProtocolError("no user information in the association's presentation data")
        tag = tagged + len(_USER_DATA_TAG) - 1
    reader = _Reader(presentation[tag + 1 :], "association user information")
    length = reader.u8()
    if length == 0x81:
        length = reader.u8()
    elif length == 0x82:
        length = reader.u16()
    elif length >= 0x80:
        raise ProtocolError(f"unsupported ASN.1 length form {length:#04x}")
    return reader.take(length)


# --------------------------------------------------------------------------- data export

SESSION_ID: Final = 0xE100
PRESENTATION_CONTEXT_ID: Final = 2


@dataclass(frozen=True, slots=True)
class ManagedObject:
    """A managed object: its class and its instance (MDS context and handle)."""

    object_class: int
    context: int = 0
    handle: int = 0

    def to_bytes(self) -> bytes:
        """The ManagedObjectId."""
        return _u16(self.object_class) + _u16(self.context) + _u16(self.handle)

    @classmethod
    def read(cls, reader: _Reader) -> ManagedObject:
        """Read a ManagedObjectId."""
        return cls(reader.u16(), reader.u16(), reader.u16())


MDS: Final = ManagedObject(NOM_MOC_VMS_MDS)
"""The monitor's MDS object, which every request addresses."""


@dataclass(frozen=True, slots=True)
class RemoteOperation:
    """A data export message: a remote operation invoke, result, linked result or error.

    `command` is the command type, or for an error the error value; `argument` is what
    follows the operation's own length field, as sent; `linked` is the state and count of a
    linked result.
    """

    kind: OperationKind
    invoke_id: int
    command: int
    argument: bytes
    linked: tuple[LinkedState, int] | None = None

    def to_bytes(self) -> bytes:
        """The message: session and presentation header, remote operation header, argument."""
        body = _u16(self.invoke_id) + _u16(self.command) + _u16(len(self.argument)) + self.argument
        if self.kind is OperationKind.LINKED_RESULT:
            state, count = self.linked or (LinkedState.FIRST, 1)
            body = bytes([state, count]) + body
        return (
            _u16(SESSION_ID)
            + _u16(PRESENTATION_CONTEXT_ID)
            + _u16(self.kind)
            + _u16(len(body))
            + body
        )


def read_operation(data: bytes) -> RemoteOperation:
    """Read a data export message.

    Raises:
        ProtocolError: another session or context, an unknown operation type, or lengths
            that do not add up.
    """
    reader = _Reader(data, "data export message")
    session, context = reader.u16(), reader.u16()
    if (session, context) != (SESSION_ID, PRESENTATION_CONTEXT_ID):
        raise ProtocolError(f"session {session:#06x} context {context} is not data export")
    try:
        kind = OperationKind(reader.u16())
    except ValueError as exc:
        raise ProtocolError(f"unknown remote operation type: {exc}") from None
    body = _Reader(reader.take(reader.u16()), "remote operation")
    reader.done()
    linked = None
    if kind is OperationKind.LINKED_RESULT:
        try:
            linked = (LinkedState(body.u8()), body.u8())
        except ValueError as exc:
            raise ProtocolError(f"unknown linked result state: {exc}") from None
    invoke_id, command = body.u16(), body.u16()
    argument = body.take(body.u16())
    body.done()
    return RemoteOperation(kind, invoke_id, command, argument, linked)


def read_message(data: bytes) -> SessionMessage | RemoteOperation:
    """Read the user data of a frame: an association message or a data export message.

    Raises:
        ProtocolError: neither, or malformed.
    """
    if not data:
        raise ProtocolError("empty message")
    if data[0] == SESSION_ID >> 8:
        return read_operation(data)
    return read_session_message(data)


@dataclass(frozen=True, slots=True)
class EventReport:
    """An event report's argument, or with `info` empty the result confirming it."""

    managed_object: ManagedObject
    event_time: int
    event_type: int
    info: bytes = b""

    def to_bytes(self) -> bytes:
        """The EventReportArgument (or EventReportResult)."""
        return (
            self.managed_object.to_bytes()
            + _u32(self.event_time)
            + _u16(self.event_type)
            + _u16(len(self.info))
            + self.info
        )

    @classmethod
    def read(cls, raw: bytes) -> EventReport:
        """Read an EventReportArgument or EventReportResult."""
        reader = _Reader(raw, "event report")
        managed_object = ManagedObject.read(reader)
        event_time, event_type = reader.u32(), reader.u16()
        info = reader.take(reader.u16())
        reader.done()
        return cls(managed_object, event_time, event_type, info)


@dataclass(frozen=True, slots=True)
class MdsCreateInfo:
    """What the monitor tells about itself in the MDS Create event: its MDS and attributes."""

    managed_object: ManagedObject
    attributes: tuple[Attribute, ...]

    def to_bytes(self) -> bytes:
        """The MdsCreateInfo."""
        return self.managed_object.to_bytes() + encode_attributes(self.attributes)

    @classmethod
    def read(cls, raw: bytes) -> MdsCreateInfo:
        """Read an MdsCreateInfo."""
        reader = _Reader(raw, "MDS create info")
        managed_object = ManagedObject.read(reader)
        attributes = _read_attributes(reader)
        reader.done()
        return cls(managed_object, attributes)


@dataclass(frozen=True, slots=True)
class Action:
    """An action's argument (with `scope`) or result (`scope` None)."""

    managed_object: ManagedObject
    action_type: int
    info: bytes
    scope: int | None = None

    def to_bytes(self) -> bytes:
        """The ActionArgument or ActionResult."""
        scope = b"" if self.scope is None else _u32(self.scope)
        return (
            self.managed_object.to_bytes()
            + scope
            + _u16(self.action_type)
            + _u16(len(self.info))
            + self.info
        )

    @classmethod
    def read(cls, raw: bytes, *, with_scope: bool) -> Action:
        """Read an ActionArgument (`with_scope`) or an ActionResult."""
        reader = _Reader(raw, "action")
        managed_object = ManagedObject.read(reader)
        scope = reader.u32() if with_scope else None
        action_type = reader.u16()
        info = reader.take(reader.u16())
        reader.done()
        return cls(managed_object, action_type, info, scope)


@dataclass(frozen=True, slots=True)
class PollRequest:
    """A poll of the monitor's objects of one class (partition NOM_PART_OBJ).

    `extended` asks with the extended poll (PollMdibDataReqExt), whose `extra` attributes
    may set a polling period; `attribute_group` 0 asks for all attributes.
    """

    poll_number: int
    object_type: int
    attribute_group: int = 0
    extended: bool = True
    extra: tuple[Attribute, ...] = ()

    @property
    def action_type(self) -> int:
        """The action this poll is."""
        return NOM_ACT_POLL_MDIB_DATA_EXT if self.extended else NOM_ACT_POLL_MDIB_DATA

    def to_bytes(self) -> bytes:
        """The PollMdibDataReq or PollMdibDataReqExt."""
        body = (
            _u16(self.poll_number)
            + _u16(NOM_PART_OBJ)
            + _u16(self.object_type)
            + _u16(self.attribute_group)
        )
        return body + encode_attributes(self.extra) if self.extended else body

    @classmethod
    def read(cls, action: Action) -> PollRequest:
        """Read the poll an action asks for.

        Raises:
            ProtocolError: not a poll, or malformed.
        """
        if action.action_type not in (NOM_ACT_POLL_MDIB_DATA, NOM_ACT_POLL_MDIB_DATA_EXT):
            raise ProtocolError(f"action {action.action_type:#06x} is not a poll")
        extended = action.action_type == NOM_ACT_POLL_MDIB_DATA_EXT
        reader = _Reader(action.info, "poll request")
        poll_number, partition, object_type, group = (reader.u16() for _ in range(4))
        if partition != NOM_PART_OBJ:
            raise ProtocolError(f"polled object type in partition {partition}, not objects")
        extra = _read_attributes(reader) if extended else ()
        reader.done()
        return cls(poll_number, object_type, group, extended, extra)


@dataclass(frozen=True, slots=True)
class ObservationPoll:
    """One polled object: its handle and the attributes the monitor sent for it."""

    handle: int
    attributes: tuple[Attribute, ...]

    def to_bytes(self) -> bytes:
        """The ObservationPoll."""
        return _u16(self.handle) + encode_attributes(self.attributes)


@dataclass(frozen=True, slots=True)
class ContextPoll:
    """The polled objects of one MDS context (SingleContextPoll)."""

    context_id: int
    observations: tuple[ObservationPoll, ...]

    def to_bytes(self) -> bytes:
        """The SingleContextPoll."""
        return _u16(self.context_id) + _counted([o.to_bytes() for o in self.observations])


@dataclass(frozen=True, slots=True)
class PollReply:
    """A poll result (PollMdibDataReply or, `extended`, PollMdibDataReplyExt).

    `relative_time` is the monitor's RelativeTime of the result, `absolute_time` its wall
    clock (None when it sends none); `sequence_number` exists in extended results only.
    """

    poll_number: int
    relative_time: int
    absolute_time: datetime | None
    object_type: int
    contexts: tuple[ContextPoll, ...]
    attribute_group: int = 0
    extended: bool = True
    sequence_number: int = 0

    @property
    def action_type(self) -> int:
        """The action this result answers."""
        return NOM_ACT_POLL_MDIB_DATA_EXT if self.extended else NOM_ACT_POLL_MDIB_DATA

    def to_bytes(self) -> bytes:
        """The PollMdibDataReply or PollMdibDataReplyExt."""
        sequence = _u16(self.sequence_number) if self.extended else b""
        return (
            _u16(self.poll_number)
            + sequence
            + _u32(self.relative_time)
            + absolute_time(self.absolute_time)
            + _u16(NOM_PART_OBJ)
            + _u16(self.object_type)
            + _u16(self.attribute_group)
            + _counted([context.to_bytes() for context in self.contexts])
        )

    @classmethod
    def read(cls, action: Action) -> PollReply:
        """Read the poll result an action result carries.

        Raises:
            ProtocolError: not a poll result, or malformed.
        """
        if action.action_type not in (NOM_ACT_POLL_MDIB_DATA, NOM_ACT_POLL_MDIB_DATA_EXT):
            raise ProtocolError(f"action {action.action_type:#06x} is not a poll")
        extended = action.action_type == NOM_ACT_POLL_MDIB_DATA_EXT
        reader = _Reader(action.info, "poll result")
        poll_number = reader.u16()
        sequence_number = reader.u16() if extended else 0
        relative_time = reader.u32()
        absolute = read_absolute_time(reader.take(8))
        reader.u16()  # the partition of the polled object type: always objects
        object_type, group = reader.u16(), reader.u16()
        count, items = _read_counted(reader, "poll info list")
        contexts = tuple(_read_context(items) for _ in range(count))
        items.done()
        reader.done()
        return cls(
            poll_number=poll_number,
            relative_time=relative_time,
            absolute_time=absolute,
            object_type=object_type,
            contexts=contexts,
            attribute_group=group,
            extended=extended,
            sequence_number=sequence_number,
        )


def _read_context(reader: _Reader) -> ContextPoll:
    context_id = reader.u16()
    count, items = _read_counted(reader, "single context poll")
    observations = []
    for _ in range(count):
        handle = items.u16()
        observations.append(ObservationPoll(handle, _read_attributes(items)))
    items.done()
    return ContextPoll(context_id, tuple(observations))


# Whole messages, as sent.


def mds_create_event(invoke_id: int, event_time: int, info: MdsCreateInfo) -> bytes:
    """The monitor's MDS Create event report (a confirmed event report)."""
    report = EventReport(MDS, event_time, NOM_NOTI_MDS_CREAT, info.to_bytes())
    return RemoteOperation(
        OperationKind.INVOKE, invoke_id, Command.CONFIRMED_EVENT_REPORT, report.to_bytes()
    ).to_bytes()


def event_report_result(invoke_id: int, current_time: int, event_type: int) -> bytes:
    """The confirmation of a confirmed event report (the MDS Create event result)."""
    result = EventReport(MDS, current_time, event_type)
    return RemoteOperation(
        OperationKind.RESULT, invoke_id, Command.CONFIRMED_EVENT_REPORT, result.to_bytes()
    ).to_bytes()


def poll_request(invoke_id: int, request: PollRequest) -> bytes:
    """A poll data request, addressed to the MDS (a confirmed action)."""
    action = Action(MDS, request.action_type, request.to_bytes(), scope=0)
    return RemoteOperation(
        OperationKind.INVOKE, invoke_id, Command.CONFIRMED_ACTION, action.to_bytes()
    ).to_bytes()


def poll_result(
    invoke_id: int, reply: PollReply, linked: tuple[LinkedState, int] | None = None
) -> bytes:
    """A poll result; with `linked`, one linked result of a series."""
    action = Action(MDS, reply.action_type, reply.to_bytes())
    kind = OperationKind.RESULT if linked is None else OperationKind.LINKED_RESULT
    return RemoteOperation(
        kind, invoke_id, Command.CONFIRMED_ACTION, action.to_bytes(), linked
    ).to_bytes()


def remote_error(invoke_id: int, error: RemoteError, parameter: bytes = b"") -> bytes:
    """A remote operation error answering the invoke `invoke_id`."""
    return RemoteOperation(OperationKind.ERROR, invoke_id, error, parameter).to_bytes()


# --------------------------------------------------------------------------- numerics


@dataclass(frozen=True, slots=True)
class NumericValue:
    """One numeric observation (NuObsValue): physiological id, state, unit code, value."""

    physio_id: int
    state: MeasurementState
    unit_code: int
    value: FloatType

    def to_bytes(self) -> bytes:
        """The NuObsValue."""
        return (
            _u16(self.physio_id) + _u16(self.state) + _u16(self.unit_code) + self.value.to_bytes()
        )

    @classmethod
    def read(cls, reader: _Reader) -> NumericValue:
        """Read a NuObsValue."""
        physio_id, state, unit_code = reader.u16(), reader.u16(), reader.u16()
        value = FloatType.from_bytes(reader.take(4))
        return cls(physio_id, _measurement_state(state), unit_code, value)


@functools.lru_cache(maxsize=256)
def _measurement_state(word: int) -> MeasurementState:
    """The state of a word; cached, as a monitor sends few distinct ones and flags are slow."""
    return MeasurementState(word)


def compound_value(values: Iterable[NumericValue]) -> bytes:
    """A NuObsValueCmp: several values of one measurement (systolic, diastolic, mean)."""
    return _counted([value.to_bytes() for value in values])


@dataclass(frozen=True, slots=True)
class Numeric:
    """A numeric object as polled: its values, label and the times the monitor gave them."""

    handle: int
    values: tuple[NumericValue, ...]
    label: str = ""
    measured_at: datetime | None = None
    relative_time: int | None = None


def read_numeric(observation: ObservationPoll) -> Numeric | None:
    """The numeric an observation carries; None when it holds no value attribute.

    Raises:
        ProtocolError: a value, label or time stamp attribute that cannot be read.
    """
    values: list[NumericValue] = []
    label = ""
    measured_at = None
    relative_time = None
    for attribute in observation.attributes:
        attribute_id = attribute.attribute_id
        if attribute_id == NOM_ATTR_NU_VAL_OBS:
            reader = _Reader(attribute.value, "NOM_ATTR_NU_VAL_OBS")
            values.append(NumericValue.read(reader))
            reader.done()
        elif attribute_id == NOM_ATTR_NU_CMPD_VAL_OBS:
            reader = _Reader(attribute.value, "NOM_ATTR_NU_CMPD_VAL_OBS")
            count, items = _read_counted(reader, "compound numeric value")
            values += (NumericValue.read(items) for _ in range(count))
            items.done()
            reader.done()
        elif attribute_id == NOM_ATTR_ID_LABEL_STRING:
            label = read_text_string(attribute.value)
        elif attribute_id == NOM_ATTR_TIME_STAMP_ABS:
            measured_at = read_absolute_time(attribute.value)
        elif attribute_id == NOM_ATTR_TIME_STAMP_REL:
            if len(attribute.value) != 4:
                raise ProtocolError(f"a RelativeTime is 4 bytes, not {len(attribute.value)}")
            relative_time = int.from_bytes(attribute.value, "big")
    if not values:
        return None
    return Numeric(observation.handle, tuple(values), label, measured_at, relative_time)


@dataclass(frozen=True, slots=True)
class MonitorClock:
    """The monitor's wall clock at one moment of its RelativeTime, to date other moments."""

    absolute: datetime
    relative: int

    def at(self, relative: int) -> datetime:
        """The wall-clock time of a RelativeTime (which wraps after about 6.2 days)."""
        ticks = (relative - self.relative) % 2**32
        return self.absolute + timedelta(seconds=ticks / RELATIVE_TIME_PER_SECOND)

    @classmethod
    def from_attributes(cls, attributes: Iterable[Attribute]) -> MonitorClock | None:
        """The clock an MDS's NOM_ATTR_TIME_ABS and NOM_ATTR_TIME_REL give, if both are set.

        Raises:
            ProtocolError: either attribute is malformed.
        """
        attributes = tuple(attributes)
        absolute = attribute_value(attributes, NOM_ATTR_TIME_ABS)
        relative = attribute_value(attributes, NOM_ATTR_TIME_REL)
        if absolute is None or relative is None:
            return None
        wall = read_absolute_time(absolute)
        if wall is None:
            return None
        reader = _Reader(relative, "NOM_ATTR_TIME_REL")
        ticks = reader.u32()
        reader.done()
        return cls(wall, ticks)
