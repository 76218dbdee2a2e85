"""One monitor on one port, read on its own thread: readings out, link states out, never a crash.

The session opens the port with `serial.serial_for_url` (a device path, COM3, `loop://`,
`socket://host:port`, a pseudo-terminal), lets its driver frame and decode what arrives, answers
and polls as the driver says, and reports what happens to the link:

- the port cannot be opened, or is gone (cable pulled): `PORT_UNAVAILABLE`, `PORT_LOST`;
- no valid frame for longer than the protocol's expected interval: `SILENT`;
- a burst of frames failing their checks: `FRAME_ERRORS`;
- valid frames arriving (first time, or again after one of the above): `RECEIVING`.

On loss it retries with a backoff (first retry after 0.5 s, then doubling, at most every 5 s) and
recovers by itself when the port returns. Readings and link events are handed to callbacks on the
session's thread: the callbacks must be quick and thread-safe (store, or queue to the GUI).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from devices.base import FrameStats, MonitorDriver, SerialSettings
from devices.readings import DeviceData, DeviceStatus, Reading

log = logging.getLogger(__name__)

PORT_ERRORS: tuple[type[Exception], ...] = (OSError,)
if sys.platform != "win32":
    import termios

    PORT_ERRORS = (*PORT_ERRORS, termios.error)
"""What a port can raise when it cannot be used: pyserial's `SerialException` is an `OSError`,
and pyserial leaves a refused line setting (`termios.tcsetattr`) as `termios.error`, which is
not. (pyserial itself is loaded with the first port opened: a ward on the screen needs none.)"""

_OPEN_ERRORS: tuple[type[Exception], ...] = (*PORT_ERRORS, ValueError)  # ValueError: a bad URL

FIRST_RETRY_S = 0.5
MAX_RETRY_S = 5.0
READ_TIMEOUT_S = 0.05
ERROR_BURST = 5
"""This many rejected frames within ERROR_BURST_WINDOW_S make a burst."""
ERROR_BURST_WINDOW_S = 10.0


class LinkState(StrEnum):
    """The states of a monitor link, as reported to the record and the alarms."""

    CONNECTED = "connected"
    RECEIVING = "receiving"
    SILENT = "silent"
    FRAME_ERRORS = "frame errors"
    PORT_UNAVAILABLE = "port unavailable"
    PORT_LOST = "port lost"
    STOPPED = "stopped"


TROUBLE = frozenset(
    {LinkState.SILENT, LinkState.FRAME_ERRORS, LinkState.PORT_UNAVAILABLE, LinkState.PORT_LOST}
)
"""The states that are technical conditions (the alarm issue raises them)."""


@dataclass(frozen=True)
class LinkEvent:
    """A change of a link's state: what, why, and when (wall clock UTC and monotonic)."""

    state: LinkState
    detail: str
    at: datetime
    monotonic: float


@dataclass(frozen=True)
class ReadingBatch:
    """What one chunk of received bytes decoded to, with the laptop's time of receipt."""

    readings: tuple[Reading, ...]
    status: tuple[DeviceStatus, ...]
    unmapped: tuple[DeviceData, ...]
    received_at: datetime
    received_monotonic: float


class Port(Protocol):
    """What the session needs of a pyserial port."""

    def read(self, size: int = 1) -> bytes: ...
    def write(self, data: bytes) -> int | None: ...
    def close(self) -> None: ...

    @property
    def in_waiting(self) -> int: ...


WRITE_TIMEOUT_S = 1.0
"""A monitor that takes nothing for this long (flow control held, peer gone) counts as lost."""


_PSEUDO_TERMINAL = re.compile(r"/dev/(pts/\d+|ttys\d+)")


def open_port(url: str, settings: SerialSettings, timeout: float = READ_TIMEOUT_S) -> Port:
    """Open a port by URL or device path with these line settings.

    A pseudo-terminal (a simulated monitor's) is opened with 8 data bits and no parity: it
    carries bytes so whatever it is told, and Linux refuses (EINVAL) to be told again a frame
    format it dropped, so a second open with a monitor's 8E1 would fail.
    """
    import serial  # noqa: PLC0415 - see PORT_ERRORS

    if "://" not in url and _PSEUDO_TERMINAL.fullmatch(os.path.realpath(url)):
        settings = settings.overridden(bytesize=8, parity="N")
    port: Port = serial.serial_for_url(
        url, timeout=timeout, write_timeout=WRITE_TIMEOUT_S, **settings.as_pyserial()
    )
    return port


class DeviceSession:
    """Reads one monitor on a background thread and reports readings and link states.

    Callbacks `on_readings(ReadingBatch)` and `on_link(LinkEvent)` run on the session's thread.
    `stats` counts frames decoded and rejected by reason, and readings per parameter.
    """

    def __init__(
        self,
        url: str,
        driver: MonitorDriver,
        *,
        on_readings: Callable[[ReadingBatch], None],
        on_link: Callable[[LinkEvent], None],
        serial_overrides: Mapping[str, Any] | None = None,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
        opener: Callable[[str, SerialSettings], Port] = open_port,
    ) -> None:
        self.url = url
        self.driver = driver
        self.settings = driver.serial.overridden(**(serial_overrides or {}))
        self.stats = FrameStats()
        self._on_readings = on_readings
        self._on_link = on_link
        self._wall = wall
        self._monotonic = monotonic
        self._open = opener
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state: LinkState | None = None
        self._errors: deque[float] = deque()

    @property
    def state(self) -> LinkState | None:
        """The link's current state (None before the first attempt)."""
        return self._state

    def start(self) -> None:
        """Start reading on a new daemon thread."""
        if self._thread is not None:
            raise RuntimeError("a session is started once")
        self._thread = threading.Thread(
            target=self.run, name=f"monitor {self.driver.name} {self.url}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to end, and wait for it (at most `timeout` seconds)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Connect, read, reconnect until stopped (the thread's body; callable directly)."""
        delay = FIRST_RETRY_S
        while not self._stop.is_set():
            try:
                port = self._open(self.url, self.settings)
            except _OPEN_ERRORS as exc:
                self._report(LinkState.PORT_UNAVAILABLE, f"cannot open {self.url}: {exc}")
            else:
                delay = FIRST_RETRY_S
                try:
                    self._read(port)
                except PORT_ERRORS as exc:
                    self._report(LinkState.PORT_LOST, f"{self.url}: {exc}")
                finally:
                    _close_quietly(port)
                self.driver.reset()
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, MAX_RETRY_S)
        self._report(LinkState.STOPPED, "reading stopped")

    def _read(self, port: Port) -> None:
        now = self._monotonic()
        self._report(LinkState.CONNECTED, f"{self.url} open at {self.settings.baudrate} baud")
        last_valid = now
        self._send(port, self.driver.on_connect(now))
        while not self._stop.is_set():
            data = port.read(max(1, port.in_waiting))
            now = self._monotonic()
            if data:
                received = self.driver.receive(data)
                self.stats.count(received)
                if received.decoded:
                    last_valid = now
                    if self._state is not LinkState.RECEIVING:
                        self._report(LinkState.RECEIVING, "valid frames arriving")
                    self._hand_over(received.decoded, now)
                for _ in received.rejected:
                    self._errors.append(now)
                self._send(port, received.reply)
            self._check_errors(now)
            silence = now - last_valid
            if silence > self.driver.expected_interval_s and self._state not in (
                LinkState.SILENT,
                LinkState.FRAME_ERRORS,
            ):
                self._report(LinkState.SILENT, f"no valid frame for {silence:.0f} s")
            self._send(port, self.driver.poll(now))
        # Stopped on purpose with the port still open: tell the monitor (a release).
        self._send(port, self.driver.on_stop(self._monotonic()))

    def _check_errors(self, now: float) -> None:
        while self._errors and now - self._errors[0] > ERROR_BURST_WINDOW_S:
            self._errors.popleft()
        if len(self._errors) >= ERROR_BURST and self._state is not LinkState.FRAME_ERRORS:
            rejected = ", ".join(f"{n} {why}" for why, n in self.stats.rejected.most_common(3))
            self._report(
                LinkState.FRAME_ERRORS,
                f"{len(self._errors)} bad frames in {ERROR_BURST_WINDOW_S:.0f} s ({rejected})",
            )
            self._errors.clear()

    def _hand_over(self, decoded: tuple[Any, ...], now: float) -> None:
        readings = tuple(r for d in decoded for r in d.readings)
        status = tuple(s for d in decoded for s in d.status)
        unmapped = tuple(u for d in decoded for u in d.unmapped)
        if readings or status or unmapped:
            self._on_readings(ReadingBatch(readings, status, unmapped, self._wall(), now))

    @staticmethod
    def _send(port: Port, data: bytes) -> None:
        if data:
            port.write(data)

    def _report(self, state: LinkState, detail: str) -> None:
        if state is self._state and state in TROUBLE:
            return  # a condition is reported when it starts, not on every retry
        self._state = state
        log.info("%s %s: %s (%s)", self.driver.name, self.url, state.value, detail)
        self._on_link(LinkEvent(state, detail, self._wall(), self._monotonic()))


def _close_quietly(port: Port) -> None:
    try:
        port.close()
    except PORT_ERRORS as exc:
        # Closing a port that vanished can fail too; the link is reported lost already.
        log.debug("closing the port failed: %s", exc)
