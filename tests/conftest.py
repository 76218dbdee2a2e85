"""Shared fixtures: a movable clock in the ward's time zone, a real record in a temporary folder."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# Tests never need a screen; set here so that no caller has to.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from alemmonitor.clock import ManualClock
from alemmonitor.patients import PatientDraft
from alemmonitor.protocol import Protocol, load_protocol
from alemmonitor.store import Store
from alemmonitor.ward import Admission, Bed, Ward
from devices.simulator import PtyPort, SimulatedMonitor, make_scenario, open_pty

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def clock() -> ManualClock:
    """08:00 in Dresden on an ordinary Monday."""
    return ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN), BERLIN)


@pytest.fixture(scope="session")
def protocol() -> Protocol:
    """The shipped default protocol."""
    return load_protocol()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ward.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: ManualClock) -> Iterator[Store]:
    with Store.open(db_path, clock) as opened:
        yield opened


@pytest.fixture
def ward(store: Store, protocol: Protocol, clock: ManualClock) -> Ward:
    return Ward(store, protocol, clock)


@pytest.fixture
def anna_day(ward: Ward, chairs: list[Bed]) -> Admission:
    """Anna Müller on the first of the test module's `chairs`, course 1 day 1, from now."""
    patient = ward.register_patient(
        PatientDraft("P-1001", "Anna Müller", date(1985, 3, 4), "female", 64.0), "AB"
    )
    return ward.admit(
        patient,
        course_number=1,
        day_number=1,
        bed=chairs[0],
        planned_start=ward.clock.now(),
        by="AB",
    )


class RecordingPort:
    """The monitor's end of a pty, keeping a copy of everything the monitor sent."""

    def __init__(self, port: PtyPort) -> None:
        self._port = port
        self._sent = bytearray()
        self._lock = threading.Lock()

    def read(self, size: int = 1) -> bytes:
        return self._port.read(size)

    def write(self, data: bytes) -> int:
        with self._lock:
            self._sent += data
        return self._port.write(data)

    @property
    def in_waiting(self) -> int:
        return self._port.in_waiting

    def sent(self) -> bytes:
        """Everything the monitor has written so far."""
        with self._lock:
            return bytes(self._sent)


@contextmanager
def _simulator(
    protocol: str, link: Path, scenario: str = "stable", speed: float = 10.0
) -> Iterator[RecordingPort]:
    stop = threading.Event()
    monitor = SimulatedMonitor(protocol, make_scenario(scenario), speed=speed)  # type: ignore[arg-type]
    with open_pty(link) as endpoint:
        port = RecordingPort(endpoint.port)
        thread = threading.Thread(target=monitor.run, args=(port, stop), daemon=True)
        thread.start()
        try:
            yield port
        finally:
            stop.set()
            thread.join(5)
    assert not thread.is_alive()


@pytest.fixture
def simulated_monitor() -> Callable[..., AbstractContextManager[RecordingPort]]:
    """A simulated monitor serving on a real pty at a link path, recording what it sent:
    `with simulated_monitor("masimo", link) as port: ... port.sent()`."""
    return _simulator
