"""HL7 v2 as bedside monitors send it over a serial line or TCP, in MLLP blocks.

Framing: each message travels as VT (0x0B), the message, FS (0x1C), CR (0x0D).
Messages: segments end in CR (LF and CR LF are tolerated); the field separator and the
encoding characters are whatever the message declares in MSH-1 and MSH-2.

Results come as ORU^R01 (unsolicited) or, from a Philips Efficia CM on its serial
port, as ORF^R04 in answer to a QRY^R02 that the app sends. Each OBX is identified by an
IEEE 11073 MDC code, a Philips MDIL code ("0002-4bb8") or a LOINC code; values the app
does not map are kept as `DeviceData`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType
from typing import ClassVar, Final, Literal

from devices.base import MonitorDriver, Received, SerialSettings
from devices.errors import DeviceError, ProtocolError
from devices.readings import (
    CANONICAL_UNIT,
    Decoded,
    DeviceData,
    Parameter,
    Reading,
    is_plausible,
)

SOURCE: Final = "hl7"
"""The protocol name carried by every reading from this module."""

START_BLOCK: Final = 0x0B  # VT
END_BLOCK: Final = 0x1C  # FS
CARRIAGE_RETURN: Final = 0x0D

DEFAULT_MAX_MESSAGE_BYTES: Final = 64 * 1024
"""Largest message kept by default; a monitor's result message is a few kilobytes."""

AckCode = Literal["AA", "AE", "AR"]
"""Application accept, application error, application reject (HL7 table 0008)."""

WhatSubjectFilter = Literal["STA", "RES"]
"""QRD-9 values the Efficia CM answers: STA (numeric panes) or RES (last closed record)."""


# --------------------------------------------------------------------------- framing


class MllpFramer:
    """Cuts a byte stream into MLLP-framed HL7 messages.

    Bytes outside a VT ... FS CR block are discarded and counted in `discarded_bytes`,
    and so is a block that is cut short by a new VT, ends in FS without CR, or grows
    beyond `max_message_bytes`; the buffer therefore never holds much more than one
    maximal message.
    """

    def __init__(self, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> None:
        if max_message_bytes < 1:
            raise ValueError("max_message_bytes must be at least 1")
        self._max_message_bytes = max_message_bytes
        # While inside a block the buffer starts with its VT.
        self._buffer = bytearray()
        self._discarded_bytes = 0
        self._discarded_stretches = 0
        self._in_noise = False

    @property
    def discarded_bytes(self) -> int:
        """How many received bytes were not part of a complete, well-formed block."""
        return self._discarded_bytes

    @property
    def discarded_stretches(self) -> int:
        """How many runs of discarded bytes there were between well-formed blocks.

        Unlike a count of discarding calls, this does not depend on how the bytes arrived.
        """
        return self._discarded_stretches

    @property
    def buffered_bytes(self) -> int:
        """How many bytes of an unfinished block are held."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the messages they completed, without the envelope."""
        self._buffer += data
        messages: list[bytes] = []
        while self._buffer:
            if self._buffer[0] != START_BLOCK:
                start = self._buffer.find(START_BLOCK)
                self._discard(len(self._buffer) if start == -1 else start)
                continue
            end = self._buffer.find(END_BLOCK, 1)
            restart = self._buffer.find(START_BLOCK, 1)
            if restart != -1 and (end == -1 or restart < end):
                # A new block began before this one ended: the sender gave up on it.
                self._discard(restart)
            elif end == -1:
                if len(self._buffer) > self._max_message_bytes + 1:
                    self._discard(len(self._buffer))
                break
            elif end + 1 == len(self._buffer):
                break  # FS has arrived, its CR not yet.
            elif self._buffer[end + 1] != CARRIAGE_RETURN or end - 1 > self._max_message_bytes:
                self._discard(end + 1)
            else:
                messages.append(bytes(self._buffer[1:end]))
                del self._buffer[: end + 2]
                self._in_noise = False
        return messages

    def _discard(self, count: int) -> None:
        if not self._in_noise:
            self._discarded_stretches += 1
            self._in_noise = True
        self._discarded_bytes += count
        del self._buffer[:count]


def encode_mllp(message: bytes) -> bytes:
    """Wrap one message in an MLLP block (VT, message, FS, CR).

    Raises:
        ValueError: the message contains VT or FS, which MLLP cannot carry.
    """
    if START_BLOCK in message or END_BLOCK in message:
        raise ValueError("an HL7 message cannot contain the MLLP bytes VT (0x0B) or FS (0x1C)")
    return bytes([START_BLOCK]) + message + bytes([END_BLOCK, CARRIAGE_RETURN])


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True, slots=True)
class Encoding:
    """The separators and escape character a message declares in MSH-1 and MSH-2."""

    field: str = "|"
    component: str = "^"
    repetition: str = "~"
    escape_character: str = "\\"
    subcomponent: str = "&"

    @property
    def encoding_characters(self) -> str:
        """MSH-2 as this encoding writes it."""
        return self.component + self.repetition + self.escape_character + self.subcomponent

    def escape(self, text: str) -> str:
        """Write text so that none of its characters is read as a separator."""
        sequences = {
            self.escape_character: "E",
            self.field: "F",
            self.component: "S",
            self.subcomponent: "T",
            self.repetition: "R",
        }
        return "".join(
            f"{self.escape_character}{sequences[char]}{self.escape_character}"
            if char in sequences
            else char
            for char in text
        )

    def unescape(self, text: str) -> str:
        """Resolve escape sequences; ones this parser does not know are kept as sent."""
        if self.escape_character not in text:
            return text
        characters = {
            "F": self.field,
            "S": self.component,
            "T": self.subcomponent,
            "R": self.repetition,
            "E": self.escape_character,
        }
        parts: list[str] = []
        position = 0
        while (start := text.find(self.escape_character, position)) != -1:
            end = text.find(self.escape_character, start + 1)
            if end == -1:
                break
            parts.append(text[position:start])
            sequence = text[start + 1 : end]
            if sequence in characters:
                parts.append(characters[sequence])
            elif _HEX_ESCAPE.fullmatch(sequence):
                parts.append(bytes.fromhex(sequence[1:]).decode("latin-1"))
            else:
                parts.append(text[start : end + 1])
            position = end + 1
        parts.append(text[position:])
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment; `fields[n]` is field n exactly as sent (`fields[0]` is the name).

    For MSH, `fields[1]` is the field separator and `fields[2]` the encoding characters,
    so that field numbers match the standard's.
    """

    name: str
    fields: tuple[str, ...]
    encoding: Encoding

    def raw(self, number: int) -> str:
        """Field `number` as sent, with its separators and escapes; "" when absent."""
        return self.fields[number] if number < len(self.fields) else ""

    def value(
        self, number: int, component: int = 1, *, repetition: int = 1, subcomponent: int = 1
    ) -> str:
        """One subcomponent of a field, escapes resolved; "" when absent.

        Numbers count from 1, as in the standard (OBX-3.2 is `value(3, 2)`).
        """
        raw = self.raw(number)
        if self.name == "MSH" and number <= 2:
            return raw
        encoding = self.encoding
        parts = (
            (encoding.repetition, repetition),
            (encoding.component, component),
            (encoding.subcomponent, subcomponent),
        )
        for separator, position in parts:
            pieces = raw.split(separator)
            raw = pieces[position - 1] if 0 < position <= len(pieces) else ""
        return encoding.unescape(raw)

    def text(self, number: int) -> str:
        """A whole field with escapes resolved, separators left in place (for display)."""
        return self.encoding.unescape(self.raw(number))


@dataclass(frozen=True, slots=True)
class Message:
    """A parsed HL7 v2 message: its encoding, its segments in order, and its charset."""

    encoding: Encoding
    segments: tuple[Segment, ...]
    charset: str = "latin-1"

    @property
    def header(self) -> Segment:
        """The MSH segment."""
        return self.segments[0]

    @property
    def message_type(self) -> str:
        """MSH-9.1, e.g. "ORU", "ORF", "ACK"."""
        return self.header.value(9, 1)

    @property
    def trigger_event(self) -> str:
        """MSH-9.2, e.g. "R01", "R04"."""
        return self.header.value(9, 2)

    @property
    def control_id(self) -> str:
        """MSH-10, the id an acknowledgement must echo."""
        return self.header.value(10)

    def segments_named(self, name: str) -> tuple[Segment, ...]:
        """All segments with this name, in message order."""
        return tuple(segment for segment in self.segments if segment.name == name)


_SEGMENT_END: Final = re.compile(r"\r\n|\r|\n")
_SEGMENT_NAME: Final = re.compile(r"[A-Z][A-Z0-9]{2}")
_HEX_ESCAPE: Final = re.compile(r"X(?:[0-9A-Fa-f]{2})+")


def parse_message(data: bytes) -> Message:
    """Parse one HL7 v2 message (without its MLLP envelope).

    Raises:
        ProtocolError: no MSH segment first, unusable encoding characters, a malformed
            segment, a second MSH, or no message type.
    """
    lines = _segment_lines(data.decode("latin-1"))
    encoding = _encoding_declared_in(lines[0])
    charset = "latin-1"
    header = _parse_segment(lines[0], encoding)
    if header.value(18).upper().replace("-", "").endswith("UTF8"):
        charset = "utf-8"
        try:
            lines = _segment_lines(data.decode(charset))
        except UnicodeDecodeError as exc:
            raise ProtocolError("message declares UTF-8 in MSH-18 but is not UTF-8") from exc
    segments = tuple(_parse_segment(line, encoding) for line in lines)
    if any(segment.name == "MSH" for segment in segments[1:]):
        raise ProtocolError("more than one MSH segment in one message")
    message = Message(encoding=encoding, segments=segments, charset=charset)
    if not message.message_type:
        raise ProtocolError("MSH-9 (message type) is empty")
    return message


def _segment_lines(text: str) -> list[str]:
    lines = [line for line in _SEGMENT_END.split(text) if line.strip()]
    if not lines or not lines[0].startswith("MSH"):
        raise ProtocolError("a message must start with an MSH segment")
    return lines


def _encoding_declared_in(header_line: str) -> Encoding:
    if len(header_line) < 8:
        raise ProtocolError(f"MSH segment too short to declare its encoding: {header_line!r}")
    field = header_line[3]
    declared = header_line[4:].split(field, 1)[0]
    # Four characters before v2.7; v2.7 adds a fifth, the truncation character.
    if len(declared) not in (4, 5):
        raise ProtocolError(f"MSH-2 must hold 4 encoding characters, not {declared!r}")
    separators = field + declared
    if len(set(separators)) != len(separators) or not all(
        char.isprintable() and not char.isalnum() and not char.isspace() for char in separators
    ):
        raise ProtocolError(f"unusable separators in MSH-1/MSH-2: {separators!r}")
    return Encoding(field, declared[0], declared[1], declared[2], declared[3])


def _parse_segment(line: str, encoding: Encoding) -> Segment:
    name = line[:3]
    if _SEGMENT_NAME.fullmatch(name) is None or (len(line) > 3 and line[3] != encoding.field):
        raise ProtocolError(f"not an HL7 segment: {line[:20]!r}")
    parts = line.split(encoding.field)
    if name == "MSH":
        return Segment(name, (name, encoding.field, *parts[1:]), encoding)
    return Segment(name, tuple(parts), encoding)


# --------------------------------------------------------------------------- observations

# IEEE 11073-10101 context-free codes (partition << 16 | term code). A Philips MDIL code
# "PPPP-TTTT" is the same pair written in hex, so both are looked up here: 0002-4bb8 is
# 0x0002_4BB8 = 150456. Checked against published MDC tables, the IntelliVue nomenclature
# and the Efficia CM data export guide's MDIL table.
_MDC_PARAMETERS: Final[Mapping[int, Parameter]] = MappingProxyType(
    {
        147842: Parameter.HR,  # MDC_ECG_HEART_RATE (MDIL 0002-4182 "HR")
        149514: Parameter.PR,  # MDC_PULS_RATE (MDIL 0002-480a "Pulse")
        149530: Parameter.PR,  # MDC_PULS_OXIM_PULS_RATE
        150021: Parameter.SBP,  # MDC_PRESS_BLD_NONINV_SYS (MDIL 0002-4a05 "NBPs")
        150022: Parameter.DBP,  # MDC_PRESS_BLD_NONINV_DIA (MDIL 0002-4a06 "NBPd")
        150023: Parameter.MAP,  # MDC_PRESS_BLD_NONINV_MEAN (MDIL 0002-4a07 "NBPm")
        150301: Parameter.SBP,  # MDC_PRESS_CUFF_SYS, the cuff (NIBP) systolic
        150302: Parameter.DBP,  # MDC_PRESS_CUFF_DIA
        150303: Parameter.MAP,  # MDC_PRESS_CUFF_MEAN
        150456: Parameter.SPO2,  # MDC_PULS_OXIM_SAT_O2 (MDIL 0002-4bb8 "SpO2")
        150344: Parameter.TEMP,  # MDC_TEMP, site not stated: the monitor's patient probe
        150364: Parameter.TEMP,  # MDC_TEMP_BODY
        150368: Parameter.TEMP,  # MDC_TEMP_CORE
        150392: Parameter.TEMP,  # MDC_TEMP_TYMP
        188420: Parameter.TEMP,  # MDC_TEMP_RECT
        188424: Parameter.TEMP,  # MDC_TEMP_ORAL
        188428: Parameter.TEMP,  # MDC_TEMP_EAR
        188452: Parameter.TEMP,  # MDC_TEMP_AXILLA
        # Philips private SCADA code 0xF0C7, "T1, generic temperature 1": the Efficia CM
        # reports its patient temperature channel under it (MDIL 0002-f0c7 "T1").
        0x0002_F0C7: Parameter.TEMP,
        151562: Parameter.RR,  # MDC_RESP_RATE
        151570: Parameter.RR,  # MDC_AWAY_RESP_RATE (airway)
        151578: Parameter.RR,  # MDC_TTHOR_RESP_RATE (impedance)
        151594: Parameter.RR,  # MDC_CO2_RESP_RATE (capnography)
        # 0x0002_5000 is MDC_RESP ("Resp"); the Efficia CM sends its impedance
        # respiration rate under it (MDIL 0002-5000 "Resp", unit rpm). The unit check
        # below keeps anything that is not a per-minute rate out.
        151552: Parameter.RR,
    }
)

_LOINC_PARAMETERS: Final[Mapping[str, Parameter]] = MappingProxyType(
    {
        "8867-4": Parameter.HR,  # Heart rate
        "8889-8": Parameter.PR,  # Heart rate by Pulse oximetry
        "8480-6": Parameter.SBP,  # Systolic blood pressure
        "8462-4": Parameter.DBP,  # Diastolic blood pressure
        "8478-0": Parameter.MAP,  # Mean blood pressure
        "8310-5": Parameter.TEMP,  # Body temperature
        "59408-5": Parameter.SPO2,  # Oxygen saturation in Arterial blood by Pulse oximetry
        # The FHIR vital-signs profile codes oxygen saturation as 2708-6; some senders
        # use the capillary oximetry code 2710-2 for a finger probe.
        "2708-6": Parameter.SPO2,
        "2710-2": Parameter.SPO2,
        "9279-1": Parameter.RR,  # Respiratory rate
    }
)


@dataclass(frozen=True, slots=True)
class _Unit:
    """A unit a monitor may send, and how to bring a value into the canonical unit."""

    canonical: str
    offset: float = 0.0
    scale: float = 1.0

    def to_canonical(self, value: float) -> float:
        return (value + self.offset) * self.scale


_PERCENT: Final = _Unit("%")
_PER_MINUTE: Final = _Unit("/min")
_MMHG: Final = _Unit("mmHg")
# 1 mmHg is defined as 133.322387415 Pa.
_KILOPASCAL: Final = _Unit("mmHg", scale=1000 / 133.322387415)
_CELSIUS: Final = _Unit("Cel")
_FAHRENHEIT: Final = _Unit("Cel", offset=-32.0, scale=5 / 9)

# MDC_DIM_* codes, context-free (partition 4); Philips MDIL 0004-xxxx is the same code.
_UNITS_BY_CODE: Final[Mapping[int, _Unit]] = MappingProxyType(
    {
        262688: _PERCENT,  # MDC_DIM_PERCENT (0004-0220)
        264864: _PER_MINUTE,  # MDC_DIM_BEAT_PER_MIN (0004-0aa0)
        264928: _PER_MINUTE,  # MDC_DIM_RESP_PER_MIN (0004-0ae0)
        266016: _MMHG,  # MDC_DIM_MMHG (0004-0f20)
        265987: _KILOPASCAL,  # MDC_DIM_KILO_PASCAL (0004-0f03)
        268192: _CELSIUS,  # MDC_DIM_DEGC (0004-17a0)
        266560: _FAHRENHEIT,  # MDC_DIM_FAHR (0004-1140)
    }
)

# UCUM codes and MDC reference ids, as they appear in OBX-6.1.
_UNITS_BY_NAME: Final[Mapping[str, _Unit]] = MappingProxyType(
    {
        "%": _PERCENT,
        "/min": _PER_MINUTE,
        "{beats}/min": _PER_MINUTE,
        "{beat}/min": _PER_MINUTE,
        "{breaths}/min": _PER_MINUTE,
        "{breath}/min": _PER_MINUTE,
        "mm[Hg]": _MMHG,
        "kPa": _KILOPASCAL,
        "Cel": _CELSIUS,
        "[degF]": _FAHRENHEIT,
        "MDC_DIM_PERCENT": _PERCENT,
        "MDC_DIM_BEAT_PER_MIN": _PER_MINUTE,
        "MDC_DIM_RESP_PER_MIN": _PER_MINUTE,
        "MDC_DIM_MMHG": _MMHG,
        "MDC_DIM_KILO_PASCAL": _KILOPASCAL,
        "MDC_DIM_DEGC": _CELSIUS,
        "MDC_DIM_FAHR": _FAHRENHEIT,
    }
)

# The unit as a monitor displays it. Read only when the coded unit is not one we know:
# the Efficia CM labels Celsius "C" under a dimension code absent from the MDC tables.
_UNITS_BY_LABEL: Final[Mapping[str, _Unit]] = MappingProxyType(
    {
        "%": _PERCENT,
        "bpm": _PER_MINUTE,
        "rpm": _PER_MINUTE,
        "/min": _PER_MINUTE,
        "mmHg": _MMHG,
        "kPa": _KILOPASCAL,
        "C": _CELSIUS,
        "°C": _CELSIUS,
        "degC": _CELSIUS,
        "F": _FAHRENHEIT,
        "°F": _FAHRENHEIT,
        "degF": _FAHRENHEIT,
    }
)

# OBX-11: final, results entered (not verified), corrected; blank in older senders.
# Anything else (X cannot be obtained, D deleted, W wrong, P preliminary...) is not a
# value to record.
_RECORDED_RESULT_STATUS: Final = frozenset({"F", "R", "C", ""})
_RESULT_MESSAGES: Final = frozenset({("ORU", "R01"), ("ORF", "R04")})
_MDIL_CODE: Final = re.compile(r"([0-9A-Fa-f]{4})-([0-9A-Fa-f]{4})")
_NUMERIC: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_TIMESTAMP: Final = re.compile(
    r"(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?)?)?"
    r"(?:([+-])(\d{2})(\d{2}))?"
)


def decode_observations(message: Message) -> Decoded:
    """Decode the OBX results of an ORU^R01 or ORF^R04 message.

    An OBX gives a reading when its code maps to a `Parameter`, its type is NM, its
    unit is known and fits the parameter, its result status (OBX-11) is F, R, C or blank,
    and its value is plausible. Its `device_time` is OBX-14, or else OBR-7 of the order
    it belongs to. OBXs with an unmapped code, type or unit are kept as `DeviceData`.

    Raises:
        ProtocolError: not a result message, a mapped NM value that is not a number,
            or a malformed timestamp.
    """
    kind = (message.message_type, message.trigger_event)
    if kind not in _RESULT_MESSAGES:
        raise ProtocolError(f"{'^'.join(kind)} is not an ORU^R01 or ORF^R04 result message")
    readings: list[Reading] = []
    unmapped: list[DeviceData] = []
    dropped_implausible = 0
    order_time: datetime | None = None
    for segment in message.segments:
        if segment.name == "OBR":
            order_time = parse_timestamp(segment.value(7))
            continue
        if (
            segment.name != "OBX"
            or segment.value(11).strip() not in _RECORDED_RESULT_STATUS
            or not segment.raw(5)
        ):
            continue
        reading = _reading_from(segment, order_time)
        if isinstance(reading, DeviceData):
            unmapped.append(reading)
        elif reading is None:
            dropped_implausible += 1
        else:
            readings.append(reading)
    return Decoded(
        readings=tuple(readings),
        unmapped=tuple(unmapped),
        dropped_implausible=dropped_implausible,
    )


def parse_timestamp(text: str) -> datetime | None:
    """Read an HL7 TS/DTM (YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]); None when empty.

    With an offset the result is aware; without one it is naive, as the monitor meant.
    Missing trailing parts default to the start of the period.

    Raises:
        ProtocolError: the text is not an HL7 timestamp.
    """
    text = text.strip()
    if not text:
        return None
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        raise ProtocolError(f"not an HL7 timestamp: {text!r}")
    year, month, day, hour, minute, second, fraction, sign, zone_h, zone_m = match.groups()
    try:
        zone = None
        if sign is not None:
            if int(zone_m) >= 60:
                raise ValueError("offset minutes out of range")
            offset = timedelta(hours=int(zone_h), minutes=int(zone_m))
            zone = timezone(-offset if sign == "-" else offset)
        # A timestamp without an offset is the monitor's local wall time; it stays naive.
        return datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=zone,
        )
    except ValueError as exc:
        raise ProtocolError(f"impossible HL7 timestamp: {text!r}") from exc


def _reading_from(segment: Segment, order_time: datetime | None) -> Reading | DeviceData | None:
    """The reading an OBX gives; its DeviceData if unmapped; None if implausible."""
    parameter = _parameter_of(segment)
    unit = _unit_of(segment)
    if (
        parameter is None
        or segment.value(2) != "NM"
        or unit is None
        or unit.canonical != CANONICAL_UNIT[parameter]
    ):
        return DeviceData(
            code=segment.value(3, 1),
            system=segment.value(3, 3),
            value=segment.text(5),
            unit=segment.value(6, 2) or segment.value(6, 1),
            text=segment.value(3, 2),
        )
    # The whole field, so that a repeated or componented NM value is refused, not cut.
    raw_value = segment.text(5).strip()
    if _NUMERIC.fullmatch(raw_value) is None:
        raise ProtocolError(f"OBX {segment.value(3, 1)} is NM but its value is {raw_value!r}")
    device_time = parse_timestamp(segment.value(14)) or order_time
    value = unit.to_canonical(float(raw_value))
    if not is_plausible(parameter, value):
        return None
    return Reading(parameter, value, unit.canonical, device_time, SOURCE)


def _parameter_of(segment: Segment) -> Parameter | None:
    """Map OBX-3 (its primary coding, then its alternate) to a parameter."""
    for first in (1, 4):
        identifier = segment.value(3, first).strip()
        system = segment.value(3, first + 2).strip().upper()
        parameter = None
        if system == "LN":
            parameter = _LOINC_PARAMETERS.get(identifier)
        elif system in ("MDC", "MDIL"):
            code = _context_free_code(identifier, system)
            parameter = None if code is None else _MDC_PARAMETERS.get(code)
        if parameter is not None:
            return parameter
    return None


def _unit_of(segment: Segment) -> _Unit | None:
    """Read OBX-6: a known code first, then the device's own label for it."""
    identifier = segment.value(6, 1).strip()
    label = segment.value(6, 2).strip()
    system = segment.value(6, 3).strip().upper()
    code = _context_free_code(identifier, system)
    if code is not None and code in _UNITS_BY_CODE:
        return _UNITS_BY_CODE[code]
    return (
        _UNITS_BY_NAME.get(identifier)
        or _UNITS_BY_LABEL.get(identifier)
        or _UNITS_BY_NAME.get(label)
        or _UNITS_BY_LABEL.get(label)
    )


def _context_free_code(identifier: str, system: str) -> int | None:
    """An MDC code as one number: decimal in MDC, "PPPP-TTTT" hex in Philips MDIL."""
    if system == "MDC" and identifier.isascii() and identifier.isdigit():
        return int(identifier)
    if system == "MDIL" and (match := _MDIL_CODE.fullmatch(identifier)) is not None:
        partition, term = match.groups()
        return int(partition, 16) << 16 | int(term, 16)
    return None


# --------------------------------------------------------------------------- messages we send


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """An ACK received from a monitor.

    `code` is MSA-1 (AA, AE, AR or the CA/CE/CR commit codes); `acknowledged_control_id`
    is MSA-2, the control id of the message it answers (empty when the monitor could not
    read it); `text` is MSA-3; `control_id` is the ACK's own MSH-10.
    """

    code: str
    acknowledged_control_id: str
    text: str
    control_id: str

    @property
    def accepted(self) -> bool:
        """Whether the monitor accepted the message (AA or CA)."""
        return self.code in ("AA", "CA")


_ACK_CODES: Final = frozenset({"AA", "AE", "AR", "CA", "CE", "CR"})


def parse_ack(data: bytes) -> Acknowledgement:
    """Parse an ACK message (without its MLLP envelope).

    Raises:
        ProtocolError: not a well-formed ACK with an MSA segment and a known MSA-1 code.
    """
    message = parse_message(data)
    if message.message_type != "ACK":
        raise ProtocolError(f"expected an ACK, got {message.message_type}")
    acknowledgements = message.segments_named("MSA")
    if not acknowledgements:
        raise ProtocolError("ACK without an MSA segment")
    msa = acknowledgements[0]
    code = msa.value(1)
    if code not in _ACK_CODES:
        raise ProtocolError(f"unknown acknowledgement code in MSA-1: {code!r}")
    return Acknowledgement(
        code=code,
        acknowledged_control_id=msa.value(2),
        text=msa.value(3),
        control_id=message.control_id,
    )


def build_ack(
    message: Message,
    code: AckCode = "AA",
    text: str = "",
    *,
    control_id: str,
    timestamp: datetime,
    message_type: str | None = None,
) -> bytes:
    """Build the acknowledgement of `message` (without its MLLP envelope).

    The ACK uses the message's own encoding characters, swaps its sending and receiving
    application and facility, echoes its processing id and version, and carries its
    control id in MSA-2. MSH-9 is "ACK^<trigger event>^ACK" unless `message_type` is
    given as sent (the Efficia CM guide shows "ACK^^ACK_ALL").

    Raises:
        ValueError: an unknown code, a control id unfit for MSH-10, or text that cannot
            be written in the message's charset.
    """
    if code not in ("AA", "AE", "AR"):
        raise ValueError(f"acknowledgement code must be AA, AE or AR, not {code!r}")
    encoding = message.encoding
    _check_identifier("control_id", control_id, max_length=20, encoding=encoding)
    header = message.header
    if message_type is None:
        message_type = encoding.component.join(
            ("ACK", encoding.escape(message.trigger_event), "ACK")
        )
    msh = _header_segment(
        encoding,
        {
            3: header.raw(5),
            4: header.raw(6),
            5: header.raw(3),
            6: header.raw(4),
            7: _format_timestamp(timestamp),
            9: message_type,
            10: control_id,
            11: header.raw(11),
            12: header.raw(12),
            18: header.raw(18),
        },
    )
    msa_fields = ["MSA", code, header.raw(10)]
    if text:
        msa_fields.append(encoding.escape(text))
    segments = [msh, encoding.field.join(msa_fields)]
    return "".join(f"{segment}\r" for segment in segments).encode(message.charset)


def build_qry_r02(
    *,
    query_id: str,
    control_id: str,
    timestamp: datetime,
    what_subject_filter: WhatSubjectFilter = "STA",
) -> bytes:
    """Build the QRY^R02 that asks a Philips Efficia CM for its current results.

    The monitor answers with an ORF^R04 whose MSA-2 echoes `control_id` and whose QRD
    echoes this one. The shape (MSH and QRD only, QRD-2 R, QRD-3 I, QRD-9 the filter,
    version 2.4) is the one in the Efficia CM Series Data Export Guide.

    Raises:
        ValueError: an id that is empty, too long (query id 10, control id 20
            characters) or holds a separator, or an unknown filter.
    """
    encoding = Encoding()
    _check_identifier("query_id", query_id, max_length=10, encoding=encoding)
    _check_identifier("control_id", control_id, max_length=20, encoding=encoding)
    if what_subject_filter not in ("STA", "RES"):
        raise ValueError(f"what_subject_filter must be STA or RES, not {what_subject_filter!r}")
    when = _format_timestamp(timestamp)
    msh = _header_segment(encoding, {7: when, 9: "QRY^R02", 10: control_id, 11: "P", 12: "2.4"})
    qrd = encoding.field.join(
        ("QRD", when, "R", "I", query_id, "", "", "", "", what_subject_filter)
    )
    return f"{msh}\r{qrd}\r".encode("ascii")


def _header_segment(encoding: Encoding, fields: Mapping[int, str]) -> str:
    """An MSH segment with the given fields (numbered from 3) and the rest empty."""
    values = [fields.get(number, "") for number in range(3, max(fields) + 1)]
    while values and not values[-1]:
        values.pop()
    return encoding.field.join(("MSH", encoding.encoding_characters, *values))


def _format_timestamp(timestamp: datetime) -> str:
    """HL7 TS to the second; with the offset when the datetime is aware."""
    return timestamp.strftime("%Y%m%d%H%M%S%z")


def _check_identifier(name: str, value: str, *, max_length: int, encoding: Encoding) -> None:
    """Refuse ids that could not be sent as they are: ids are compared, never unescaped."""
    if not value or len(value) > max_length:
        raise ValueError(f"{name} must have 1 to {max_length} characters, not {value!r}")
    separators = encoding.field + encoding.encoding_characters
    if not (value.isascii() and value.isprintable()) or any(c in separators for c in value):
        raise ValueError(f"{name} must be printable ASCII without HL7 separators: {value!r}")


class Hl7Driver(MonitorDriver):
    """The `hl7` protocol: MLLP-framed HL7 v2 results over serial or TCP.

    Asks with QRY^R02 every `query_interval_s` (what a Philips Efficia CM needs before it
    says anything) and acknowledges every result message, ORF^R04 answers and unsolicited
    ORU^R01 alike: AA when understood, AE when not.
    """

    name: ClassVar[str] = SOURCE
    serial: ClassVar[SerialSettings] = SerialSettings(baudrate=9600)
    query_interval_s: ClassVar[float] = 5.0

    def __init__(self, wall: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._wall = wall
        self._framer = MllpFramer()
        self._sent = 0
        self._next_query: float | None = None

    def _control_id(self) -> str:
        self._sent += 1
        return f"AM{self._sent:08d}"

    def on_connect(self, now: float) -> bytes:
        self._next_query = now
        return self.poll(now)

    def poll(self, now: float) -> bytes:
        if self._next_query is None or now < self._next_query:
            return b""
        self._next_query = now + self.query_interval_s
        control_id = self._control_id()
        query = build_qry_r02(
            query_id=control_id[-10:], control_id=control_id, timestamp=self._wall()
        )
        return encode_mllp(query)

    def receive(self, data: bytes) -> Received:
        discarded_before = self._framer.discarded_stretches
        blocks = self._framer.feed(data)
        rejected = ["bytes outside MLLP blocks"] * (
            self._framer.discarded_stretches - discarded_before
        )
        decoded: list[Decoded] = []
        reply = b""
        for block in blocks:
            try:
                message = parse_message(block)
            except DeviceError:
                # Without a readable header there is nobody to address an answer to.
                rejected.append("unreadable HL7 message")
                continue
            if message.message_type == "ACK":
                continue
            try:
                decoded.append(decode_observations(message))
                code: AckCode = "AA"
            except ProtocolError:
                rejected.append("HL7 message not understood")
                code = "AE"
            try:
                ack = build_ack(
                    message, code, control_id=self._control_id(), timestamp=self._wall()
                )
            except ValueError:
                rejected.append("HL7 message cannot be acknowledged")
                continue
            reply += encode_mllp(ack)
        return Received(tuple(decoded), reply, tuple(rejected))

    def reset(self) -> None:
        self._framer = MllpFramer()
        self._next_query = None
