"""What every monitor protocol has in common, and the registry that finds one by name.

A driver does framing and decoding only (bytes in, decoded frames and reply bytes out) and, where
the monitor must be asked, says what to send and when. Ports, threads, timeouts, retries and link
states belong to `devices.session`, so a protocol is a small class with no I/O of its own.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, ClassVar, Final, Literal

from devices.errors import DeviceError
from devices.readings import Decoded

Parity = Literal["N", "E", "O"]


@dataclass(frozen=True)
class SerialSettings:
    """Line settings of a serial port; each protocol has its defaults, a site may override."""

    baudrate: int
    bytesize: int = 8
    parity: Parity = "N"
    stopbits: float = 1
    rtscts: bool = False
    xonxoff: bool = False

    def overridden(self, **changes: Any) -> SerialSettings:
        """These settings with some changed (None leaves a setting as it is)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def as_pyserial(self) -> dict[str, Any]:
        """Keyword arguments for `serial.serial_for_url`."""
        return {
            "baudrate": self.baudrate,
            "bytesize": self.bytesize,
            "parity": self.parity,
            "stopbits": self.stopbits,
            "rtscts": self.rtscts,
            "xonxoff": self.xonxoff,
        }

    @property
    def bytes_per_second(self) -> float:
        """How many bytes the line carries per second at most (start, data, parity, stop bits)."""
        bits = 1 + self.bytesize + (0 if self.parity == "N" else 1) + self.stopbits
        return self.baudrate / bits


@dataclass(frozen=True)
class Received:
    """What a chunk of bytes from the monitor gave: decoded frames, what to answer, errors."""

    decoded: tuple[Decoded, ...] = ()
    reply: bytes = b""
    rejected: tuple[str, ...] = ()


@dataclass
class FrameStats:
    """Running counts of one link: frames decoded, frames rejected by reason, readings."""

    decoded: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    readings: Counter[str] = field(default_factory=Counter)
    implausible: int = 0

    def count(self, received: Received) -> None:
        """Add what one chunk gave."""
        self.decoded += len(received.decoded)
        self.rejected.update(received.rejected)
        for decoded in received.decoded:
            self.readings.update(reading.parameter.value for reading in decoded.readings)
            self.implausible += decoded.dropped_implausible


class MonitorDriver(ABC):
    """One monitor protocol: framing, decoding and, where needed, the requests to send.

    Subclasses set `name`, `serial` (default line settings) and `expected_interval_s` (how long
    without a valid frame means the monitor has gone silent). Not thread-safe: one session owns it.
    """

    name: ClassVar[str]
    serial: ClassVar[SerialSettings]
    expected_interval_s: ClassVar[float] = 10.0

    def on_connect(self, now: float) -> bytes:
        """Bytes to send right after the port opened (`now` is monotonic seconds)."""
        del now
        return b""

    def poll(self, now: float) -> bytes:
        """Bytes due now: requests, keep-alives (`now` is monotonic seconds)."""
        del now
        return b""

    def on_stop(self, now: float) -> bytes:
        """Bytes to send when the app stops reading, before it closes the port (a release)."""
        del now
        return b""

    @abstractmethod
    def receive(self, data: bytes) -> Received:
        """Frame and decode `data`, keeping incomplete frames for the next call.

        Never raises for bad input: a frame that fails its check is counted in `rejected`.
        """

    def reset(self) -> None:  # noqa: B027 - optional hook, most drivers keep no link state
        """Forget partial frames and dialogue state (the link was lost)."""


# Protocol name -> "module:Class", imported only when asked for.
_REGISTRY: Final[Mapping[str, str]] = MappingProxyType(
    {
        "masimo": "devices.masimo:MasimoDriver",
        "hl7": "devices.hl7:Hl7Driver",
        "intellivue": "devices.intellivue:IntellivueDriver",
        "s5": "devices.s5:S5Driver",
    }
)


def protocol_names() -> list[str]:
    """The names of the protocols the app speaks."""
    return sorted(_REGISTRY)


def driver_class(name: str) -> type[MonitorDriver]:
    """The driver class of protocol `name`; DeviceError naming the choices if unknown."""
    try:
        module_name, class_name = _REGISTRY[name].split(":")
    except KeyError:
        raise DeviceError(
            f"unknown monitor protocol {name!r}; known: {', '.join(protocol_names())}"
        ) from None
    driver = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(driver, type) and issubclass(driver, MonitorDriver)):
        raise TypeError(f"{_REGISTRY[name]} is not a MonitorDriver")
    return driver
