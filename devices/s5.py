"""GE Datex-Ohmeda S/5 Computer Interface: Datex-Ohmeda records over a serial line.

Spoken by S/5 monitors, CARESCAPE B450/B650/B850 and, where the option is enabled, B40, B105
and B125, at 19200 baud (115200 on CARESCAPE software 3 and later), 8 data bits, even parity,
1 stop bit, with RTS/CTS handshaking (S/5 Computer Interface Specification M1017617, chapter 2).

Framing: every frame starts and ends with the flag 0x7E; inside it a 0x7E or 0x7D byte travels
as 0x7D followed by the byte with bit 5 cleared. A frame holds one Datex-Ohmeda record and a
checksum byte, the 8-bit sum of the record's bytes; the escaping covers the checksum too.

Records (Datex-Ohmeda Record Specification 8005313, DRI): little-endian, packed, a 40-byte
header (length, number, DRI level, plug id, time, main type, up to 8 subrecord descriptors)
then the subrecords. The monitor says nothing until asked: the app sends a physiological data
transmission request for the displayed values with an interval, and the monitor then sends a
record of displayed values at that interval. The basic class of those values is read here:
heart rate, NIBP, temperatures, SpO2, pulse rate and respiration rate become readings; every
other measured value of the basic class is kept as `DeviceData`.

Values are signed 16-bit numbers in fixed units (pressures in 1/100 mmHg, temperatures in
1/100 °C, SpO2 in 1/100 %); -32001 and below are status codes, never values. A parameter group
whose header does not say its module exists and its measurement is active gives nothing.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from types import MappingProxyType
from typing import ClassVar, Final, NamedTuple

from devices.base import MonitorDriver, Received, SerialSettings
from devices.errors import FrameError, ProtocolError
from devices.readings import (
    CANONICAL_UNIT,
    Decoded,
    DeviceData,
    DeviceStatus,
    Parameter,
    Reading,
    is_plausible,
)

SOURCE: Final = "s5"
"""The protocol name carried by every reading from this module."""

# --------------------------------------------------------------------------- framing

FLAG: Final = 0x7E
"""Starts and ends every frame (M1017617, "Frame structure")."""
CONTROL: Final = 0x7D
"""Announces an escaped byte: the next byte has bit 5 cleared."""
_BIT5: Final = 0x20

HEADER_BYTES: Final = 40
"""Size of `struct datex_hdr` (DRI 2.2.1)."""
MAX_DATA_BYTES: Final = 1450
"""The largest data area of a record (DRI 2.2, `byte data[1450]`)."""
MAX_RECORD_BYTES: Final = HEADER_BYTES + MAX_DATA_BYTES


def checksum(record: bytes) -> int:
    """The checksum of a record: the sum of its bytes in 8-bit unsigned arithmetic."""
    return sum(record) & 0xFF


def escape(data: bytes) -> bytes:
    """Replace every flag and control byte by the control byte and the byte with bit 5 cleared."""
    # The control byte first, so that the control bytes added for flags are left alone.
    return data.replace(b"\x7d", b"\x7d\x5d").replace(b"\x7e", b"\x7d\x5e")


def unescape(data: bytes) -> bytes:
    """Undo `escape`.

    Raises:
        FrameError: a control byte is last, or is followed by anything but 0x5E or 0x5D
            (no sender makes these: the frame was garbled).
    """
    if CONTROL not in data:
        return data
    restored = bytearray()
    position = 0
    while (found := data.find(CONTROL, position)) != -1:
        restored += data[position:found]
        if found + 1 == len(data):
            raise FrameError("a frame ends in the control byte 0x7D")
        escaped = data[found + 1]
        if escaped not in (FLAG & ~_BIT5, CONTROL & ~_BIT5):
            raise FrameError(f"0x7D is followed by 0x{escaped:02X}, which nothing escapes to")
        restored.append(escaped | _BIT5)
        position = found + 2
    restored += data[position:]
    return bytes(restored)


def encode_frame(record: bytes) -> bytes:
    """One record as it travels on the line: flag, escaped record and checksum, flag.

    Raises:
        ValueError: the record is empty or longer than a Datex-Ohmeda record can be.
    """
    if not 0 < len(record) <= MAX_RECORD_BYTES:
        raise ValueError(f"a record has 1 to {MAX_RECORD_BYTES} bytes, not {len(record)}")
    body = escape(record + bytes([checksum(record)]))
    return bytes([FLAG]) + body + bytes([FLAG])


class Frames(NamedTuple):
    """What a chunk of bytes completed: records whose checksum held, and rejects by reason."""

    records: list[bytes]
    rejected: list[str]


REJECT_OUTSIDE: Final = "bytes outside frames"
REJECT_ESCAPE: Final = "bad escape"
REJECT_CHECKSUM: Final = "bad checksum"
REJECT_OVERLONG: Final = "overlong frame"


class FrameReader:
    """Cuts the byte stream from the line into records, checking escapes and checksums.

    Every 0x7E ends what came before it, so back-to-back frames, frames that share a flag and
    bytes between frames are all read the same way: each stretch between two flags that is not
    empty is a frame, and one that fails its checks is rejected once, with the reason. Bytes
    before the first flag (a capture begun mid-frame) are one rejection. A stretch longer than
    any escaped record can be is rejected as soon as it is, so the buffer stays bounded.
    """

    def __init__(self, max_record_bytes: int = MAX_RECORD_BYTES) -> None:
        if max_record_bytes < 1:
            raise ValueError("max_record_bytes must be at least 1")
        # Record and checksum, every byte of them escaped.
        self._max_escaped = 2 * (max_record_bytes + 1)
        self._buffer = bytearray()
        self._synchronised = False
        # The stretch being received was rejected already (overlong); the rest is dropped.
        self._discarding = False

    @property
    def buffered_bytes(self) -> int:
        """How many bytes of an unfinished frame are held."""
        return len(self._buffer)

    def feed(self, data: bytes) -> Frames:
        """Add received bytes; return the records they completed (without checksum)."""
        self._buffer += data
        frames = Frames([], [])
        start = 0
        while (end := self._buffer.find(FLAG, start)) != -1:
            stretch = bytes(self._buffer[start:end])
            start = end + 1
            if self._discarding:
                self._discarding = False
            elif not self._synchronised:
                if stretch:
                    frames.rejected.append(REJECT_OUTSIDE)
            elif stretch:
                self._check(stretch, frames)
            self._synchronised = True
        del self._buffer[:start]
        if len(self._buffer) > self._max_escaped:
            if not self._discarding:
                frames.rejected.append(REJECT_OVERLONG if self._synchronised else REJECT_OUTSIDE)
                self._discarding = True
            self._buffer.clear()
        return frames

    def _check(self, stretch: bytes, frames: Frames) -> None:
        if len(stretch) > self._max_escaped:
            frames.rejected.append(REJECT_OVERLONG)
            return
        try:
            body = unescape(stretch)
        except FrameError:
            frames.rejected.append(REJECT_ESCAPE)
            return
        record, sent_sum = body[:-1], body[-1]
        if checksum(record) != sent_sum:
            frames.rejected.append(REJECT_CHECKSUM)
        else:
            frames.records.append(record)


# --------------------------------------------------------------------------- records


class MainType(IntEnum):
    """The main type of a record (DRI table 2-3)."""

    PHYSIOLOGICAL = 0
    """DRI_MT_PHDB: physiological data and its transmission requests."""
    WAVEFORM = 1
    """DRI_MT_WAVE."""
    ALARM = 4
    """DRI_MT_ALARM."""
    NETWORK = 5
    """DRI_MT_NETWORK (network interface only)."""
    EVENTS = 8
    """DRI_MT_FO, anesthesia record keeping events (network interface only)."""


END_OF_SUBRECORDS: Final = 0xFF
"""DRI_EOL_SUBR_LIST: the subrecord type that ends the descriptor list."""
MAX_SUBRECORDS: Final = 8

_HEADER: Final = struct.Struct("<hBBHIBBHh")
_DESCRIPTOR: Final = struct.Struct("<hB")


@dataclass(frozen=True, slots=True)
class Subrecord:
    """One subrecord: its type (meaning depends on the main type) and its bytes."""

    type: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Record:
    """A Datex-Ohmeda record: the header's fields and the subrecords it describes.

    `time` is the header's r_time, seconds since 1.1.1970 on the monitor's clock.
    """

    main_type: int
    subrecords: tuple[Subrecord, ...]
    number: int = 0
    dri_level: int = 0
    plug_id: int = 0
    time: int = 0


def build_record(record: Record) -> bytes:
    """The bytes of a record: header, then each subrecord at the offset its descriptor gives.

    Fields the interface reserves are zero, as the specification asks of senders.

    Raises:
        ValueError: more than 8 subrecords, a subrecord type that ends the list, a field out
            of its range, or more data than a record holds.
    """
    if len(record.subrecords) > MAX_SUBRECORDS:
        raise ValueError(f"a record holds at most {MAX_SUBRECORDS} subrecords")
    data = b"".join(subrecord.data for subrecord in record.subrecords)
    if len(data) > MAX_DATA_BYTES:
        raise ValueError(f"{len(data)} bytes of subrecords do not fit a record")
    descriptors = bytearray()
    offset = 0
    for subrecord in record.subrecords:
        if not 0 <= subrecord.type < END_OF_SUBRECORDS:
            raise ValueError(f"subrecord type must be 0 to 254, not {subrecord.type}")
        descriptors += _DESCRIPTOR.pack(offset, subrecord.type)
        offset += len(subrecord.data)
    if len(record.subrecords) < MAX_SUBRECORDS:
        descriptors += _DESCRIPTOR.pack(0, END_OF_SUBRECORDS)
    descriptors = descriptors.ljust(MAX_SUBRECORDS * _DESCRIPTOR.size, b"\0")
    try:
        header = _HEADER.pack(
            HEADER_BYTES + len(data),
            record.number,
            record.dri_level,
            record.plug_id,
            record.time,
            0,
            0,
            0,
            record.main_type,
        )
    except struct.error as exc:
        raise ValueError(f"a header field is out of range: {exc}") from exc
    return header + bytes(descriptors) + data


def parse_record(record: bytes) -> Record:
    """Read a record's header and cut its data area into the subrecords it describes.

    A subrecord runs from its offset to the next subrecord's offset, the last one to the end.

    Raises:
        ProtocolError: shorter than a header, a length field that is not the record's length,
            or subrecord offsets that do not start at 0 and rise within the data.
    """
    if len(record) < HEADER_BYTES:
        raise ProtocolError(f"a record has at least {HEADER_BYTES} bytes, this one {len(record)}")
    length, number, dri_level, plug_id, time, _, _, _, main_type = _HEADER.unpack_from(record)
    if length != len(record):
        raise ProtocolError(f"the record says it has {length} bytes but has {len(record)}")
    descriptors: list[tuple[int, int]] = []
    for index in range(MAX_SUBRECORDS):
        offset, kind = _DESCRIPTOR.unpack_from(record, _HEADER.size + index * _DESCRIPTOR.size)
        if kind == END_OF_SUBRECORDS:
            break
        descriptors.append((offset, kind))
    data = record[HEADER_BYTES:]
    offsets = [offset for offset, _ in descriptors] + [len(data)]
    if descriptors and offsets[0] != 0:
        raise ProtocolError(f"the first subrecord must start at offset 0, not {offsets[0]}")
    if any(later < earlier for earlier, later in itertools.pairwise(offsets)):
        raise ProtocolError(f"subrecord offsets {offsets[:-1]} do not rise within the data")
    subrecords = tuple(
        Subrecord(kind, data[offsets[index] : offsets[index + 1]])
        for index, (_, kind) in enumerate(descriptors)
    )
    return Record(main_type, subrecords, number, dri_level, plug_id, time)


# --------------------------------------------------------------------------- requests


class PhdbType(IntEnum):
    """Physiological subrecord types (M1017617 chapter 3, DRI table 3-1)."""

    REQUEST = 0
    """A physiological data transmission request (from the app)."""
    DISPLAYED = 1
    """DRI_PH_DISPL: the values the monitor displays."""
    TREND_10S = 2
    """DRI_PH_10S_TREND: 10 s trended values (computer interface only)."""
    TREND_60S = 3
    """DRI_PH_60S_TREND: 60 s trended values."""
    AUX_INFO = 4
    """DRI_PH_AUX_INFO: times of the last NIBP, CO and PCWP measurement, BSA."""


VALUE_TYPES: Final = frozenset({PhdbType.DISPLAYED, PhdbType.TREND_10S, PhdbType.TREND_60S})
"""The subrecord types that carry measured values (`struct dri_phdb`)."""


class PhdbClass(IntEnum):
    """Physiological subrecord classes (DRI 3.3.1, `enum dri_phdb_class`)."""

    BASIC = 0
    EXT1 = 1
    EXT2 = 2
    EXT3 = 3


DENY_BASIC: Final = 0x0001
"""phdb_class_bf bit: do not send the basic class (DRI table 3-3)."""
REQUEST_EXT1: Final = 0x0002
REQUEST_EXT2: Final = 0x0004
REQUEST_EXT3: Final = 0x0008

SINGLE: Final = -1
"""tx_ival asking for one transmission."""
STOP: Final = 0
"""tx_ival cancelling the automatic transmission."""
MIN_DISPLAYED_INTERVAL_S: Final = 5
"""The shortest interval the monitor sends displayed values at (M1017617 chapter 3)."""

_REQUEST: Final = struct.Struct("<BhIh")


@dataclass(frozen=True, slots=True)
class PhdbRequest:
    """A physiological data transmission request (`struct dri_phdb_req`, M1017617 chapter 3).

    `record_type` is the subrecord type wanted, `interval_s` the transmission interval in
    seconds (`SINGLE` for one transmission, `STOP` to cancel), `classes` the phdb_class_bf
    bits (0 asks for the basic class only).
    """

    record_type: int
    interval_s: int
    classes: int = 0

    def encode(self) -> bytes:
        """The request subrecord, its reserved field zero.

        Raises:
            ValueError: a field out of its range.
        """
        try:
            return _REQUEST.pack(self.record_type, self.interval_s, self.classes, 0)
        except struct.error as exc:
            raise ValueError(f"a request field is out of range: {exc}") from exc

    @classmethod
    def decode(cls, data: bytes) -> PhdbRequest:
        """Read a request subrecord.

        Raises:
            ProtocolError: shorter than a request.
        """
        if len(data) < _REQUEST.size:
            raise ProtocolError(f"a request has {_REQUEST.size} bytes, this one {len(data)}")
        record_type, interval_s, classes, _ = _REQUEST.unpack_from(data)
        return cls(record_type, interval_s, classes)


def request_record(request: PhdbRequest) -> bytes:
    """The record carrying one physiological data transmission request, as the app sends it."""
    return build_record(
        Record(MainType.PHYSIOLOGICAL, (Subrecord(PhdbType.REQUEST, request.encode()),))
    )


# --------------------------------------------------------------------------- physiological data

PHDB_SUBRECORD_BYTES: Final = 278
"""Size of `struct dri_phdb` (DRI 3.2)."""
PHYSDATA_BYTES: Final = 270
"""Size of the class-specific data in it."""

_PHDB_TIME: Final = struct.Struct("<I")
_PHDB_TAIL: Final = struct.Struct("<BBH")


@dataclass(frozen=True, slots=True)
class PhdbSubrecord:
    """Displayed or trended values (`struct dri_phdb`, DRI 3.3.3).

    `time` is seconds since 1.1.1970 on the monitor's clock; `physdata` the 270 bytes of the
    class named by `phdb_class`; `marker` the number of the latest mark entered.
    """

    time: int
    physdata: bytes
    phdb_class: int = PhdbClass.BASIC
    marker: int = 0

    def encode(self) -> bytes:
        """The 278 bytes of the subrecord; reserved bits zero.

        Raises:
            ValueError: physdata of the wrong size or a field out of its range.
        """
        if len(self.physdata) != PHYSDATA_BYTES:
            raise ValueError(f"physdata has {PHYSDATA_BYTES} bytes, not {len(self.physdata)}")
        if not 0 <= self.phdb_class <= 0xF:
            raise ValueError(f"a class is 4 bits, not {self.phdb_class}")
        try:
            return (
                _PHDB_TIME.pack(self.time)
                + self.physdata
                + _PHDB_TAIL.pack(self.marker, 0, self.phdb_class << 8)
            )
        except struct.error as exc:
            raise ValueError(f"a subrecord field is out of range: {exc}") from exc

    @classmethod
    def decode(cls, data: bytes) -> PhdbSubrecord:
        """Read a subrecord of displayed or trended values.

        Raises:
            ProtocolError: shorter than such a subrecord.
        """
        if len(data) < PHDB_SUBRECORD_BYTES:
            raise ProtocolError(
                f"a physiological subrecord has {PHDB_SUBRECORD_BYTES} bytes, this one {len(data)}"
            )
        (time,) = _PHDB_TIME.unpack_from(data)
        end = _PHDB_TIME.size + PHYSDATA_BYTES
        marker, _, class_level_type = _PHDB_TAIL.unpack_from(data, end)
        # Bits 8-11 hold the class; the others are reserved (DRI table 3-5).
        return cls(time, data[_PHDB_TIME.size : end], (class_level_type >> 8) & 0xF, marker)


@dataclass(frozen=True, slots=True)
class Field:
    """One measured value of a group: the sent number divided by `divisor` is in `unit`.

    A field that is `measured` False is a bit field, not a value, and is never reported.
    """

    name: str
    divisor: int
    unit: str
    measured: bool = True


@dataclass(frozen=True, slots=True)
class Group:
    """A parameter group of the basic class: where it lies in physdata and what it holds.

    A group with a header starts with `struct group_hdr` (a status dword, a label word).
    """

    name: str
    offset: int
    fields: tuple[Field, ...]
    has_header: bool = True

    @property
    def size(self) -> int:
        """Bytes the group takes."""
        return (_GROUP_HEADER.size if self.has_header else 0) + 2 * len(self.fields)


_GROUP_HEADER: Final = struct.Struct("<IH")

_PER_MIN: Final = "/min"
_MMHG: Final = "mmHg"


# struct p_group and struct nibp_group (DRI 3.5.2, 3.5.3) hold the same values.
_PRESSURES: Final = (
    Field("sys", 100, _MMHG),
    Field("dia", 100, _MMHG),
    Field("mean", 100, _MMHG),
    Field("hr", 1, _PER_MIN),
)


def _laid_out(*groups: tuple[str, tuple[Field, ...], bool]) -> tuple[Group, ...]:
    """Groups placed one after the other, as the packed C structure places them."""
    placed: list[Group] = []
    offset = 0
    for name, fields, has_header in groups:
        placed.append(Group(name, offset, fields, has_header))
        offset += placed[-1].size
    return tuple(placed)


_TEMPERATURE: Final = (Field("temp", 100, "Cel"),)
_GAS: Final = (Field("et", 100, "%"), Field("fi", 100, "%"))

BASIC_GROUPS: Final = _laid_out(
    # struct basic_phdb (DRI 3.5), in its order.
    (
        "ecg",
        (
            Field("hr", 1, _PER_MIN),
            Field("st1", 100, "mm"),
            Field("st2", 100, "mm"),
            Field("st3", 100, "mm"),
            Field("imp_rr", 1, _PER_MIN),
        ),
        True,
    ),
    ("p1", _PRESSURES, True),
    ("p2", _PRESSURES, True),
    ("p3", _PRESSURES, True),
    ("p4", _PRESSURES, True),
    ("nibp", _PRESSURES, True),
    ("t1", _TEMPERATURE, True),
    ("t2", _TEMPERATURE, True),
    ("t3", _TEMPERATURE, True),
    ("t4", _TEMPERATURE, True),
    (
        "spo2",
        (
            Field("SpO2", 100, "%"),
            Field("pr", 1, _PER_MIN),
            Field("ir_amp", 100, "%"),
            Field("SvO2", 100, "%"),
        ),
        True,
    ),
    (
        "co2",
        (*_GAS, Field("rr", 1, _PER_MIN), Field("amb_press", 10, _MMHG)),
        True,
    ),
    ("o2", _GAS, True),
    ("n2o", _GAS, True),
    ("aa", (*_GAS, Field("mac_sum", 100, "")), True),
    (
        "flow_vol",
        (
            Field("rr", 1, _PER_MIN),
            Field("ppeak", 100, "cmH2O"),
            Field("peep", 100, "cmH2O"),
            Field("pplat", 100, "cmH2O"),
            Field("tv_insp", 10, "ml"),
            Field("tv_exp", 10, "ml"),
            Field("compliance", 100, "ml/cmH2O"),
            Field("mv_exp", 100, "l/min"),
        ),
        True,
    ),
    (
        "co_wedge",
        (
            Field("co", 1, "ml/min"),
            Field("blood_temp", 100, "Cel"),
            Field("ref", 100, "%"),
            Field("pcwp", 100, _MMHG),
        ),
        True,
    ),
    (
        "nmt",
        (Field("t1", 10, "%"), Field("tratio", 10, "%"), Field("ptc", 1, "", measured=False)),
        True,
    ),
    # No header of its own: the ECG group's status covers it (DRI 3.5.13).
    (
        "ecg_extra",
        (Field("hr_ecg", 1, _PER_MIN), Field("hr_max", 1, _PER_MIN), Field("hr_min", 1, _PER_MIN)),
        False,
    ),
    ("svo2", (Field("svo2", 100, "%"),), True),
    ("p5", _PRESSURES, True),
    ("p6", _PRESSURES, True),
)
"""The groups of the basic class, in the order and at the offsets the specification gives."""

GROUPS_BY_NAME: Final[Mapping[str, Group]] = MappingProxyType({g.name: g for g in BASIC_GROUPS})


@dataclass(frozen=True, slots=True)
class GroupData:
    """One group as sent: its status dword, its label word, its values as signed 16-bit numbers."""

    status: int = 0
    label: int = 0
    values: tuple[int, ...] = ()


EXISTS: Final = 0x1
"""Group status bit 0: the measurement module exists (DRI table 3-8)."""
ACTIVE: Final = 0x2
"""Group status bit 1: the measurement is active."""

DATA_INVALID_LIMIT: Final = -32001
"""Values at or below this are status codes, not measurements (DRI 3.4)."""
DATA_INVALID: Final = -32767
SPECIAL_VALUES: Final[Mapping[int, str]] = MappingProxyType(
    {
        DATA_INVALID: "Invalid data",
        -32766: "Data not updated",
        -32764: "Data under range",
        -32763: "Data over range",
        -32762: "Data not calibrated",
    }
)
"""What the documented status codes say (DRI table 3-9)."""


def unpack_basic(physdata: bytes) -> dict[str, GroupData]:
    """The groups of a basic-class subrecord's physdata, by name.

    Raises:
        ProtocolError: physdata shorter than the basic class.
    """
    if len(physdata) < PHYSDATA_BYTES:
        raise ProtocolError(f"basic physdata has {PHYSDATA_BYTES} bytes, this one {len(physdata)}")
    groups: dict[str, GroupData] = {}
    for group in BASIC_GROUPS:
        status = label = 0
        offset = group.offset
        if group.has_header:
            status, label = _GROUP_HEADER.unpack_from(physdata, offset)
            offset += _GROUP_HEADER.size
        values = struct.unpack_from(f"<{len(group.fields)}h", physdata, offset)
        groups[group.name] = GroupData(status, label, values)
    return groups


def pack_basic(groups: Mapping[str, GroupData]) -> bytes:
    """Basic-class physdata holding these groups; a group not given is absent (status 0,
    every value `DATA_INVALID`).

    Raises:
        ValueError: an unknown group, a header on a group that has none, the wrong number of
            values, or a field out of its range.
    """
    unknown = set(groups) - set(GROUPS_BY_NAME)
    if unknown:
        raise ValueError(f"no such group in the basic class: {', '.join(sorted(unknown))}")
    physdata = bytearray(PHYSDATA_BYTES)
    for group in BASIC_GROUPS:
        data = groups.get(group.name, GroupData(values=(DATA_INVALID,) * len(group.fields)))
        if len(data.values) != len(group.fields):
            raise ValueError(f"{group.name} has {len(group.fields)} values, not {len(data.values)}")
        if not group.has_header and (data.status or data.label):
            raise ValueError(f"{group.name} has no header for a status or label")
        offset = group.offset
        try:
            if group.has_header:
                _GROUP_HEADER.pack_into(physdata, offset, data.status, data.label)
                offset += _GROUP_HEADER.size
            struct.pack_into(f"<{len(group.fields)}h", physdata, offset, *data.values)
        except struct.error as exc:
            raise ValueError(f"{group.name}: a field is out of range: {exc}") from exc
    return bytes(physdata)


# --------------------------------------------------------------------------- meanings

ECG_HR_SOURCES: Final[Mapping[int, str]] = MappingProxyType(
    {
        0: "not selected",
        1: "ECG",
        2: "invasive pressure 1",
        3: "invasive pressure 2",
        4: "invasive pressure 3",
        5: "invasive pressure 4",
        6: "SpO2",
        7: "invasive pressure 5",
        8: "invasive pressure 6",
        9: "ECG Mortara",
        10: "invasive pressure 7",
        11: "invasive pressure 8",
        12: "secondary SpO2",
    }
)
"""Heart rate sources, status bits 3-6 of the ECG group (DRI table 3-11)."""
_HR_FROM_ECG: Final = frozenset({1, 9})

PRESSURE_LABELS: Final[Mapping[int, str]] = MappingProxyType(
    dict(
        enumerate(
            [
                "NOT DEFINED",
                "ART",
                "CVP",
                "PA",
                "RAP",
                "RVP",
                "LAP",
                "ICP",
                "ABP",
                "P1",
                "P2",
                "P3",
                "P4",
                "P5",
                "P6",
                "SP",
                "FEM",
                "UAC",
                "UVC",
                "ICP2",
                "P7",
                "P8",
                "FEMV",
            ]
        )
    )
)
"""Invasive pressure labels (DRI table 3-16)."""

TEMPERATURE_LABELS: Final[Mapping[int, str]] = MappingProxyType(
    dict(
        enumerate(
            [
                "NOT USED",
                "ESO",
                "NASO",
                "TYMP",
                "RECT",
                "BLAD",
                "AXIL",
                "SKIN",
                "AIRW",
                "ROOM",
                "MYO",
                "T1",
                "T2",
                "T3",
                "T4",
                "CORE",
                "SURF",
                "T5",
                "T6",
            ]
        )
    )
)
"""Temperature labels (DRI table 3-20)."""

# Sites that measure the patient's body temperature, and the generic channel labels T1-T6,
# which name no site and are read as the patient's probe (as devices.hl7 reads the Efficia
# CM's T1). Skin, surface, airway, room and myocardial temperatures, and a channel marked not
# used, are kept as device data: none of them is the temperature the ward charts.
BODY_TEMPERATURE_LABELS: Final = frozenset({1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 17, 18})

_CO2_RR_SOURCE_MASK: Final = 0x7
_CO2_RR_FROM_CO2: Final = 1

# Parameter-specific flags, by group and word, as the specification names them.
_FLAGS: Final[Mapping[tuple[str, str], Mapping[int, str]]] = MappingProxyType(
    {
        # ECG status field (DRI table 3-10); bits 3-6 are the heart rate source.
        ("ecg", "status"): {
            2: "Asystole",
            7: "Noise",
            8: "Artifact",
            9: "Learning",
            10: "Pacer on",
            11: "Channel 1 off",
            12: "Channel 2 off",
            13: "Channel 3 off",
        },
        # NIBP label field (DRI table 3-18).
        ("nibp", "label"): {
            3: "AUTO mode selected",
            4: "STAT mode selected",
            5: "Measuring",
            6: "STASIS ON",
            7: "Calibrating",
            8: "Data is older than 60 seconds",
        },
        # CO2 status field (DRI table 3-25).
        ("co2", "status"): {
            2: "Apnea: CO2",
            3: "Calibrating sensor",
            4: "Zeroing sensor",
            5: "Occlusion",
            6: "Air leak",
            7: "Apnea from Resp",
            8: "Apnea deactivated",
            9: "WET condition",
        },
    }
)


def is_status_code(value: int) -> bool:
    """Tell whether a sent value is a status code (-32001 and below), not a measurement."""
    return value <= DATA_INVALID_LIMIT


def group_is_valid(status: int) -> bool:
    """Tell whether a group's status says its module exists and its measurement is active."""
    return status & (EXISTS | ACTIVE) == EXISTS | ACTIVE


def device_time(seconds: int) -> datetime | None:
    """A record's time as the monitor's wall clock, without a zone; None when it sent 0.

    The monitor counts seconds since 1.1.1970 on its own clock and names no zone: the time
    stays naive, as the monitor's clock showed it.
    """
    if seconds == 0:
        return None
    return datetime(1970, 1, 1) + timedelta(seconds=seconds)  # noqa: DTZ001


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True, slots=True)
class _Source:
    """Where a parameter's value lies: a group and one of its fields."""

    group: str
    field: str


def _sources(groups: Mapping[str, GroupData]) -> dict[Parameter, _Source]:
    """Which value gives each parameter in this subrecord, as the monitor displays them.

    Only values in valid groups are chosen. Where there are candidates (temperature channels,
    respiration), the first that holds a measurement is chosen, else the first valid one, so
    that its status code is reported.
    """

    def first(*candidates: _Source) -> _Source | None:
        valid = [source for source in candidates if _valid(source.group, groups)]
        measured = (source for source in valid if not is_status_code(_value(groups, source)))
        return next(measured, valid[0] if valid else None)

    # The ECG group's hr follows the monitor's heart rate source, which may be the oximeter
    # or a pressure line; then the rate counted from the ECG itself is the heart rate.
    hr_from_ecg = _hr_source(groups["ecg"]) in _HR_FROM_ECG
    # Respiration from ECG impedance unless the CO2 group says the monitor shows its own.
    breathing = [_Source("ecg", "imp_rr"), _Source("co2", "rr")]
    if groups["co2"].label & _CO2_RR_SOURCE_MASK == _CO2_RR_FROM_CO2:
        breathing.reverse()
    candidates = {
        Parameter.HR: first(
            _Source("ecg", "hr") if hr_from_ecg else _Source("ecg_extra", "hr_ecg")
        ),
        Parameter.SBP: first(_Source("nibp", "sys")),
        Parameter.DBP: first(_Source("nibp", "dia")),
        Parameter.MAP: first(_Source("nibp", "mean")),
        Parameter.SPO2: first(_Source("spo2", "SpO2")),
        Parameter.PR: first(_Source("spo2", "pr")),
        Parameter.TEMP: first(
            *(
                _Source(name, "temp")
                for name in ("t1", "t2", "t3", "t4")
                if groups[name].label in BODY_TEMPERATURE_LABELS
            )
        ),
        Parameter.RR: first(*breathing),
    }
    return {parameter: source for parameter, source in candidates.items() if source is not None}


def _valid(name: str, groups: Mapping[str, GroupData]) -> bool:
    return group_is_valid(groups["ecg" if name == "ecg_extra" else name].status)


def _value(groups: Mapping[str, GroupData], source: _Source) -> int:
    fields = GROUPS_BY_NAME[source.group].fields
    index = next(i for i, field in enumerate(fields) if field.name == source.field)
    return groups[source.group].values[index]


def _hr_source(ecg: GroupData) -> int:
    return (ecg.status >> 3) & 0xF


def _text_for(group: str, field: str, data: GroupData) -> str:
    """What the monitor says a value is: the label of its line or probe, its rate's source."""
    if group in ("p1", "p2", "p3", "p4", "p5", "p6"):
        return PRESSURE_LABELS.get(data.label, f"label {data.label}")
    if group in ("t1", "t2", "t3", "t4"):
        return TEMPERATURE_LABELS.get(data.label, f"label {data.label}")
    if (group, field) == ("ecg", "hr"):
        source = ECG_HR_SOURCES.get(_hr_source(data), "an undocumented source")
        return f"heart rate from {source}"
    return ""


def _flags(group: str, data: GroupData) -> list[DeviceStatus]:
    statuses: list[DeviceStatus] = []
    for word_name, word in (("status", data.status), ("label", data.label)):
        meanings = _FLAGS.get((group, word_name))
        if meanings is not None:
            statuses.append(
                DeviceStatus(
                    code=f"{group}.{word_name}",
                    value=f"0x{word:X}",
                    meanings=tuple(text for bit, text in meanings.items() if word >> bit & 1),
                    source=SOURCE,
                )
            )
    return statuses


def _text(raw: int, divisor: int) -> str:
    """A sent number in its unit, with as many decimals as the unit's fraction has."""
    if divisor == 1:
        return str(raw)
    decimals = len(str(divisor)) - 1
    return f"{raw / divisor:.{decimals}f}"


def decode_basic(groups: Mapping[str, GroupData], when: datetime | None) -> Decoded:
    """Decode the basic class of one subrecord of values (`groups` as `unpack_basic` gives).

    Only groups whose status says the module exists and the measurement is active are read.
    HR, NIBP systolic/diastolic/mean, SpO2, the oximeter's pulse rate, the first body
    temperature and the respiration rate the monitor shows become readings stamped `when`; a
    status code in their place becomes a `DeviceStatus` naming it, never a reading. The ECG,
    NIBP and CO2 groups' flags are kept as `DeviceStatus`; every other measured value of a valid
    group as `DeviceData`.
    """
    by_source = {(s.group, s.field): parameter for parameter, s in _sources(groups).items()}
    readings: list[Reading] = []
    status: list[DeviceStatus] = []
    unmapped: list[DeviceData] = []
    dropped_implausible = 0
    for group in BASIC_GROUPS:
        data = groups[group.name]
        if not _valid(group.name, groups):
            continue
        status += _flags(group.name, data)
        for field, raw in zip(group.fields, data.values, strict=True):
            parameter = by_source.get((group.name, field.name))
            code = f"{group.name}.{field.name}"
            if is_status_code(raw):
                if parameter is not None:
                    meaning = SPECIAL_VALUES.get(raw, "undocumented status value")
                    status.append(DeviceStatus(code, str(raw), (meaning,), SOURCE))
            elif parameter is not None:
                value = raw / field.divisor
                if is_plausible(parameter, value):
                    unit = CANONICAL_UNIT[parameter]
                    readings.append(Reading(parameter, value, unit, when, SOURCE))
                else:
                    dropped_implausible += 1
            elif field.measured:
                text = _text_for(group.name, field.name, data)
                value_text = _text(raw, field.divisor)
                unmapped.append(DeviceData(code, SOURCE, value_text, field.unit, text))
    return Decoded(tuple(readings), tuple(status), tuple(unmapped), dropped_implausible)


def decode_record(record: bytes) -> Decoded:
    """Decode one record (without framing and checksum) into what the monitor reported.

    Every basic-class subrecord of displayed or trended values is read with `decode_basic`,
    stamped with the subrecord's time. Other records and subrecords (waveforms, alarms,
    extended classes, auxiliary information) are valid and give nothing.

    Raises:
        ProtocolError: a malformed record, or a subrecord of values that is cut short.
    """
    parsed = parse_record(record)
    if parsed.main_type != MainType.PHYSIOLOGICAL:
        return Decoded()
    parts: list[Decoded] = []
    for subrecord in parsed.subrecords:
        if subrecord.type not in VALUE_TYPES:
            continue
        values = PhdbSubrecord.decode(subrecord.data)
        if values.phdb_class == PhdbClass.BASIC:
            parts.append(decode_basic(unpack_basic(values.physdata), device_time(values.time)))
    return _joined(parts)


def _joined(parts: Iterable[Decoded]) -> Decoded:
    readings: list[Reading] = []
    status: list[DeviceStatus] = []
    unmapped: list[DeviceData] = []
    dropped = 0
    for part in parts:
        readings += part.readings
        status += part.status
        unmapped += part.unmapped
        dropped += part.dropped_implausible
    return Decoded(tuple(readings), tuple(status), tuple(unmapped), dropped)


# --------------------------------------------------------------------------- the driver

REJECT_RECORD: Final = "malformed record"


class S5Driver(MonitorDriver):
    """The `s5` protocol: asks for the displayed values, then reads the records that follow.

    On connecting it sends a displayed-values request for the basic class every
    `interval_s` seconds. A monitor that was switched off, restarted or unplugged forgets
    that request, so whenever no valid record has come for `reask_after_s` seconds the
    request is sent again, and again every `reask_after_s` until records arrive.
    """

    name: ClassVar[str] = SOURCE
    serial: ClassVar[SerialSettings] = SerialSettings(baudrate=19200, parity="E", rtscts=True)
    interval_s: ClassVar[int] = MIN_DISPLAYED_INTERVAL_S
    reask_after_s: ClassVar[float] = 10.0

    def __init__(self) -> None:
        self._reader = FrameReader()
        self._asked_at: float | None = None
        self._last_heard: float | None = None
        self._heard = False

    @classmethod
    def request(cls) -> bytes:
        """The framed request this driver sends."""
        return encode_frame(request_record(PhdbRequest(PhdbType.DISPLAYED, cls.interval_s)))

    def on_connect(self, now: float) -> bytes:
        self._asked_at = now
        self._last_heard = None
        self._heard = False
        return self.request()

    def on_stop(self, now: float) -> bytes:
        """Ask the monitor to stop sending displayed values (interval 0, Appendix A-2)."""
        del now
        if self._asked_at is None:
            return b""
        self._asked_at = None
        return encode_frame(request_record(PhdbRequest(PhdbType.DISPLAYED, 0)))

    def poll(self, now: float) -> bytes:
        if self._asked_at is None:
            return b""
        # `receive` has no clock: a record it saw is dated by the poll that follows it.
        if self._heard:
            self._heard = False
            self._last_heard = now
        quiet_since = max(self._asked_at, self._last_heard or self._asked_at)
        if now - quiet_since < self.reask_after_s:
            return b""
        self._asked_at = now
        return self.request()

    def receive(self, data: bytes) -> Received:
        frames = self._reader.feed(data)
        rejected = list(frames.rejected)
        decoded: list[Decoded] = []
        for record in frames.records:
            try:
                decoded.append(decode_record(record))
            except ProtocolError:
                rejected.append(REJECT_RECORD)
        if decoded:
            self._heard = True
        return Received(tuple(decoded), b"", tuple(rejected))

    def reset(self) -> None:
        self._reader = FrameReader()
        self._asked_at = None
        self._last_heard = None
        self._heard = False
