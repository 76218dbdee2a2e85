"""Masimo "ASCII 1" serial output (Rad-8, Radical-7, Rad-97 pulse oximeters).

The oximeter sends, at 9600 baud 8N1 without handshaking, one text line per reading
interval: the device's date (MM/DD/YY) and time, then space-separated ``KEY=value``
tokens such as ``SPO2=098%``, ``BPM=123`` or ``PR=069``, ``PI=00.55``, ``EXC=0000C00``
and ``ALARM=000000``. Firmware variants add, drop and reorder fields, so lines are read
token by token, never by column. Dashes (``---``, ``--.-``) or an empty value mean the
value is not available.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import ClassVar, Final

from devices.base import MonitorDriver, Received, SerialSettings
from devices.errors import FrameError
from devices.readings import (
    CANONICAL_UNIT,
    Decoded,
    DeviceData,
    DeviceStatus,
    Parameter,
    Reading,
    is_plausible,
)

SOURCE: Final = "masimo"
"""The protocol name carried by every reading from this module."""

DEFAULT_MAX_LINE_LENGTH: Final = 512
"""Longest line kept by default; real lines are under 200 characters."""

_MEASUREMENTS: Final[Mapping[str, Parameter]] = MappingProxyType(
    {"SPO2": Parameter.SPO2, "PR": Parameter.PR, "BPM": Parameter.PR}
)
_STATUS_WORDS: Final = frozenset({"EXC", "EXC1", "ALARM"})

# The exception bits as listed in the Rad-8 operator's manual (trend data format table).
# The Radical-7 sends a longer EXC word; its low twelve bits carry the same flags (the
# manual's own sample line "EXC=C00:LowSigIQ,SET" matches the Radical-7's "EXC=0000C00").
# 0x100 and 0x200 are listed as reserved, so they are reported as undocumented.
_EXCEPTION_BITS: Final[Mapping[int, str]] = MappingProxyType(
    {
        0x001: "No Sensor",
        0x002: "Defective Sensor",
        0x004: "Low Perfusion",
        0x008: "Pulse Search",
        0x010: "Interference",
        0x020: "Sensor Off",
        0x040: "Ambient Light",
        0x080: "Unrecognized Sensor",
        0x400: "Low Signal IQ",
        0x800: "Masimo SET",
    }
)

_LINE_END: Final = re.compile(rb"[\r\n]")
_DATE: Final = re.compile(r"(\d{2})/(\d{2})/(\d{2})")
_TIME: Final = re.compile(r"(\d{2}):(\d{2}):(\d{2})")
_KEY: Final = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_NUMBER: Final = re.compile(r"\d+(?:\.\d+)?")
_HEX: Final = re.compile(r"[0-9A-Fa-f]+")
# "---", "--.-", "+--" and the like: the field is present but has no value.
_NOT_AVAILABLE: Final = re.compile(r"[+-]?-[-.]*")


class LineFramer:
    """Cuts the oximeter's byte stream into lines.

    Lines may end in CR, LF or CR LF; empty lines are skipped. A partial line is kept
    until the rest arrives. A line longer than `max_line_length` is discarded whole,
    up to its line end, and its bytes are counted in `discarded_bytes`, so noise
    without line ends cannot make the buffer grow.
    """

    def __init__(self, max_line_length: int = DEFAULT_MAX_LINE_LENGTH) -> None:
        if max_line_length < 1:
            raise ValueError("max_line_length must be at least 1")
        self._max_line_length = max_line_length
        self._partial = b""
        self._skipping_overlong = False
        self._discarded_bytes = 0
        self._discarded_lines = 0

    @property
    def discarded_bytes(self) -> int:
        """How many bytes were thrown away as parts of overlong lines."""
        return self._discarded_bytes

    @property
    def discarded_lines(self) -> int:
        """How many overlong lines were thrown away, however their bytes arrived."""
        return self._discarded_lines

    @property
    def buffered_bytes(self) -> int:
        """How many bytes of an unfinished line are held."""
        return len(self._partial)

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the lines they completed, without line ends."""
        *complete, tail = _LINE_END.split(self._partial + data)
        lines: list[bytes] = []
        for piece in complete:
            if self._skipping_overlong:
                # The end of a line whose start was already dropped as overlong.
                self._discarded_bytes += len(piece)
                self._skipping_overlong = False
            elif len(piece) > self._max_line_length:
                self._discarded_bytes += len(piece)
                self._discarded_lines += 1
            elif piece:
                lines.append(piece)
        if self._skipping_overlong or len(tail) > self._max_line_length:
            if not self._skipping_overlong:
                self._discarded_lines += 1
            self._discarded_bytes += len(tail)
            self._skipping_overlong = True
            tail = b""
        self._partial = tail
        return lines


def decode_line(line: bytes) -> Decoded:
    """Decode one ASCII 1 line into readings, exception/alarm status and other fields.

    SpO2 becomes `Parameter.SPO2`; PR (Rad-8) or BPM (Radical-7) becomes `Parameter.PR`.
    Values marked not available give no reading; implausible values give none either
    and are counted. Other fields (PI, SpCO, SN, ...) are kept as `DeviceData`.

    Raises:
        FrameError: the line is not a Masimo ASCII 1 line (garbled, truncated, or from
            another device).
    """
    tokens = _text_of(line).split()
    if len(tokens) < 3:
        raise FrameError(f"too few fields for a Masimo ASCII 1 line: {line!r}")
    device_time = _device_time(tokens[0], tokens[1])
    fields = _fields(tokens[2:])
    if "SPO2" not in fields:
        raise FrameError(f"no SpO2 field, not a Masimo ASCII 1 line: {line!r}")

    readings: list[Reading] = []
    status: list[DeviceStatus] = []
    unmapped: list[DeviceData] = []
    dropped_implausible = 0
    for key, (name, raw_value) in fields.items():
        value, unit = _split_percent(raw_value)
        if _is_not_available(value):
            continue
        parameter = _MEASUREMENTS.get(key)
        if parameter is not None:
            number = _measured_number(name, value)
            if is_plausible(parameter, number):
                readings.append(
                    Reading(parameter, number, CANONICAL_UNIT[parameter], device_time, SOURCE)
                )
            else:
                dropped_implausible += 1
        elif key in _STATUS_WORDS:
            status.append(_status(key, raw_value))
        else:
            unmapped.append(DeviceData(code=name, system=SOURCE, value=value, unit=unit))
    return Decoded(
        readings=tuple(readings),
        status=tuple(status),
        unmapped=tuple(unmapped),
        dropped_implausible=dropped_implausible,
    )


def exception_meanings(word: int) -> tuple[str, ...]:
    """Name the flags set in an EXC word, as the Rad-8 manual lists them (low bit first)."""
    meanings: list[str] = []
    bit = 1
    while bit <= word:
        if word & bit:
            meanings.append(_EXCEPTION_BITS.get(bit, f"undocumented bit 0x{bit:X}"))
        bit <<= 1
    return tuple(meanings)


def _text_of(line: bytes) -> str:
    line = line.rstrip(b"\r\n")
    try:
        text = line.decode("ascii")
    except UnicodeDecodeError as exc:
        raise FrameError(f"non-ASCII byte in line: {line!r}") from exc
    if not text.isprintable():
        raise FrameError(f"control character in line: {line!r}")
    return text


def _device_time(date_token: str, time_token: str) -> datetime:
    date = _DATE.fullmatch(date_token)
    time = _TIME.fullmatch(time_token)
    if date is None or time is None:
        raise FrameError(f"line does not start with MM/DD/YY HH:MM:SS: {date_token} {time_token}")
    month, day, year = (int(part) for part in date.groups())
    hour, minute, second = (int(part) for part in time.groups())
    try:
        # The oximeter's clock has no time zone; two-digit years are 20xx for every
        # device that has this output.
        return datetime(2000 + year, month, day, hour, minute, second)  # noqa: DTZ001
    except ValueError as exc:
        raise FrameError(f"impossible date or time: {date_token} {time_token}") from exc


def _fields(tokens: list[str]) -> dict[str, tuple[str, str]]:
    """Map each upper-cased key to (key as sent, value as sent)."""
    fields: dict[str, tuple[str, str]] = {}
    for token in tokens:
        name, separator, value = token.partition("=")
        if not separator or _KEY.fullmatch(name) is None:
            raise FrameError(f"not a KEY=value field: {token!r}")
        key = name.upper()
        if key in fields:
            raise FrameError(f"field {name} appears twice")
        fields[key] = (name, value)
    return fields


def _split_percent(raw_value: str) -> tuple[str, str]:
    if raw_value.endswith("%"):
        return raw_value[:-1], "%"
    return raw_value, ""


def _is_not_available(value: str) -> bool:
    return value == "" or _NOT_AVAILABLE.fullmatch(value) is not None


def _measured_number(name: str, value: str) -> float:
    if _NUMBER.fullmatch(value) is None:
        raise FrameError(f"{name} is neither a number nor marked unavailable: {value!r}")
    return float(value)


def _status(key: str, raw_value: str) -> DeviceStatus:
    if key != "EXC":
        # The manual gives no table for ALARM or EXC1: keep the word, claim no meaning.
        return DeviceStatus(code=key, value=raw_value, meanings=(), source=SOURCE)
    # Trend output appends the device's own labels ("820:OffPat,SET"); the number
    # before the colon is the authority.
    word = raw_value.partition(":")[0]
    if _HEX.fullmatch(word) is None:
        raise FrameError(f"EXC is not a hexadecimal word: {raw_value!r}")
    return DeviceStatus(
        code=key, value=raw_value, meanings=exception_meanings(int(word, 16)), source=SOURCE
    )


class MasimoDriver(MonitorDriver):
    """The `masimo` protocol: ASCII 1 lines, sent by the oximeter unasked once a second."""

    name: ClassVar[str] = SOURCE
    serial: ClassVar[SerialSettings] = SerialSettings(baudrate=9600)

    def __init__(self) -> None:
        self._framer = LineFramer()

    def receive(self, data: bytes) -> Received:
        discarded_before = self._framer.discarded_lines
        lines = self._framer.feed(data)
        rejected = ["overlong line"] * (self._framer.discarded_lines - discarded_before)
        decoded: list[Decoded] = []
        for line in lines:
            try:
                decoded.append(decode_line(line))
            except FrameError:
                rejected.append("not an ASCII 1 line")
        return Received(tuple(decoded), b"", tuple(rejected))

    def reset(self) -> None:
        self._framer = LineFramer()
