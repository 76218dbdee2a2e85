"""A monitor session on real ports: a pseudo-terminal standing in for the cable, and loop://."""

from __future__ import annotations

import os
import queue
import select
import termios
import threading
import time
import tty
from collections.abc import Callable, Iterator, Set
from datetime import UTC
from pathlib import Path

import pytest

from devices.base import SerialSettings
from devices.hl7 import (
    Hl7Driver,
    MllpFramer,
    decode_observations,
    encode_mllp,
    parse_ack,
    parse_message,
)
from devices.masimo import MasimoDriver, decode_line
from devices.readings import Reading
from devices.session import (
    FIRST_RETRY_S,
    TROUBLE,
    DeviceSession,
    LinkEvent,
    LinkState,
    Port,
    ReadingBatch,
    open_port,
)

FIXTURES = Path(__file__).parent / "fixtures"
WAIT_S = 2.0


def fixture_lines(name: str) -> list[bytes]:
    """The lines of a fixture file without our comment header, as the device sent them."""
    text = (FIXTURES / name).read_text(encoding="ascii")
    return [line.encode("ascii") for line in text.splitlines() if not line.startswith("#")]


RADICAL7 = fixture_lines("masimo_radical7_ascii1.txt")
RAD8 = fixture_lines("masimo_rad8_manual_trend.txt")
ORF = b"".join(
    line.removesuffix(b"<CR>") + b"\r" for line in fixture_lines("efficia_cm_orf_r04.txt")
)


def sent(*lines: bytes) -> bytes:
    """Lines as the oximeter sends them, each ended by CR LF."""
    return b"".join(line + b"\r\n" for line in lines)


def readings_of(*lines: bytes) -> list[Reading]:
    return [reading for line in lines for reading in decode_line(line).readings]


class Watch:
    """What a session reported, in order, as it happened (filled on the session's thread)."""

    def __init__(self) -> None:
        self._events: queue.Queue[LinkEvent] = queue.Queue()
        self._batches: queue.Queue[ReadingBatch] = queue.Queue()
        self.seen: list[LinkEvent] = []

    def on_link(self, event: LinkEvent) -> None:
        self._events.put(event)

    def on_readings(self, batch: ReadingBatch) -> None:
        self._batches.put(batch)

    def wait_for(self, state: LinkState, timeout: float = WAIT_S) -> LinkEvent:
        """The next event in this state; every event until then is kept in `seen`."""
        return self.wait_for_any({state}, timeout)

    def wait_for_any(self, states: Set[LinkState], timeout: float = WAIT_S) -> LinkEvent:
        """The next event in one of these states."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self._events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                wanted = sorted(state.value for state in states)
                saw = [e.state.value for e in self.seen]
                raise AssertionError(f"none of {wanted} within {timeout} s; saw {saw}") from None
            self.seen.append(event)
            if event.state in states:
                return event

    def readings(self, count: int, timeout: float = WAIT_S) -> list[Reading]:
        """The next `count` readings, however the session batched them."""
        deadline = time.monotonic() + timeout
        readings: list[Reading] = []
        while len(readings) < count:
            try:
                batch = self._batches.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"{len(readings)} of {count} readings arrived") from None
            assert batch.received_at.tzinfo is UTC
            readings += batch.readings
        return readings

    def states(self) -> list[LinkState]:
        """Every state reported so far (call after the session stopped)."""
        while not self._events.empty():
            self.seen.append(self._events.get_nowait())
        return [event.state for event in self.seen]


class Ports:
    """Opens ports as the session does, noting when, and hands each to the test too.

    For loop:// the test writes into the port it is handed, as a monitor would into the cable.
    """

    def __init__(self) -> None:
        self.attempts: list[float] = []
        self.opened: queue.Queue[Port] = queue.Queue()
        self._attempted = threading.Condition()

    def __call__(self, url: str, settings: SerialSettings) -> Port:
        with self._attempted:
            self.attempts.append(time.monotonic())
            self._attempted.notify_all()
        port = open_port(url, settings)
        self.opened.put(port)
        return port

    def wait_attempts(self, count: int, timeout: float) -> list[float]:
        with self._attempted:
            done = self._attempted.wait_for(lambda: len(self.attempts) >= count, timeout)
            assert done, f"{len(self.attempts)} of {count} attempts to open the port"
            return list(self.attempts)

    def next_port(self) -> Port:
        return self.opened.get(timeout=WAIT_S)


class Pty:
    """A pseudo-terminal: the session opens the slave's path, the test is the monitor."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self._open = {self.master, self._slave}

    def release_slave(self) -> None:
        """Close our own handle on the slave once the session has opened it."""
        self._close(self._slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def pull_cable(self) -> None:
        self._close(self.master)

    def read_messages(self, count: int, timeout: float = WAIT_S) -> list[bytes]:
        """The next `count` MLLP messages the session sent to the monitor."""
        deadline = time.monotonic() + timeout
        framer = MllpFramer()
        messages: list[bytes] = []
        while len(messages) < count:
            ready, _, _ = select.select(
                [self.master], [], [], max(0.0, deadline - time.monotonic())
            )
            if not ready:
                raise AssertionError(f"{len(messages)} of {count} messages sent to the monitor")
            messages += framer.feed(os.read(self.master, 4096))
        return messages

    def close(self) -> None:
        for fd in list(self._open):
            self._close(fd)

    def _close(self, fd: int) -> None:
        if fd in self._open:
            self._open.discard(fd)
            os.close(fd)


@pytest.fixture
def new_pty() -> Iterator[Callable[[], Pty]]:
    made: list[Pty] = []

    def make() -> Pty:
        made.append(Pty())
        return made[-1]

    yield make
    for pty in made:
        pty.close()


StartSession = Callable[..., tuple[DeviceSession, Watch]]


@pytest.fixture
def start_session() -> Iterator[StartSession]:
    started: list[DeviceSession] = []

    def start(
        url: str,
        driver: MasimoDriver | Hl7Driver | None = None,
        opener: Callable[[str, SerialSettings], Port] = open_port,
    ) -> tuple[DeviceSession, Watch]:
        watch = Watch()
        session = DeviceSession(
            url,
            driver or MasimoDriver(),
            on_readings=watch.on_readings,
            on_link=watch.on_link,
            opener=opener,
        )
        session.start()
        started.append(session)
        return session, watch

    yield start
    for session in started:
        session.stop()


def session_threads(url: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("monitor ") and url in t.name]


class QuickMasimo(MasimoDriver):
    """Masimo with a short silence interval, so silence shows in a fraction of a second."""

    expected_interval_s = 0.3


# --------------------------------------------------------------------------- a real pty


def test_lines_on_a_serial_port_arrive_as_readings(
    start_session: StartSession, new_pty: Callable[[], Pty]
) -> None:
    pty = new_pty()
    session, watch = start_session(pty.path)
    connected = watch.wait_for(LinkState.CONNECTED)
    assert connected.detail == f"{pty.path} open at 9600 baud"
    pty.release_slave()

    pty.write(sent(*RADICAL7, *RAD8))

    watch.wait_for(LinkState.RECEIVING)
    assert watch.readings(10) == readings_of(*RADICAL7, *RAD8)
    assert session.state is LinkState.RECEIVING
    assert session.stats.decoded == 10
    assert dict(session.stats.readings) == {"spo2": 5, "pr": 5}
    assert session.stats.implausible == 8  # the Rad-8's zeros while the sensor is off


def test_a_pulled_cable_is_reported_within_two_seconds(
    start_session: StartSession, new_pty: Callable[[], Pty]
) -> None:
    pty = new_pty()
    _, watch = start_session(pty.path)
    watch.wait_for(LinkState.CONNECTED)
    pty.release_slave()
    pty.write(sent(RADICAL7[0]))
    watch.wait_for(LinkState.RECEIVING)

    pulled_at = time.monotonic()
    pty.pull_cable()

    lost = watch.wait_for(LinkState.PORT_LOST)
    assert 0 <= lost.monotonic - pulled_at <= 2.0
    assert lost.detail.startswith(f"{pty.path}: ")
    assert lost.at.tzinfo is UTC


def test_the_session_reconnects_by_itself_when_the_port_returns(
    start_session: StartSession, new_pty: Callable[[], Pty], tmp_path: Path
) -> None:
    # A stable name for the port, like /dev/serial/by-id/..., that points at whichever device
    # the adapter is now.
    first = new_pty()
    link = tmp_path / "ttyMONITOR"
    link.symlink_to(first.path)
    ports = Ports()
    session, watch = start_session(str(link), opener=ports)
    watch.wait_for(LinkState.CONNECTED)
    first.release_slave()
    first.write(sent(RADICAL7[0]))
    watch.wait_for(LinkState.RECEIVING)
    assert watch.readings(2) == readings_of(RADICAL7[0])

    first.pull_cable()
    lost = watch.wait_for(LinkState.PORT_LOST)
    second = new_pty()  # the adapter is plugged in again
    replacement = tmp_path / "ttyMONITOR.new"
    replacement.symlink_to(second.path)
    replacement.replace(link)

    watch.wait_for(LinkState.CONNECTED, timeout=5.0)
    second.release_slave()
    second.write(sent(RAD8[2]))
    watch.wait_for(LinkState.RECEIVING)
    assert watch.readings(2) == readings_of(RAD8[2])
    assert session.state is LinkState.RECEIVING

    first_retry = next(at for at in ports.attempts if at > lost.monotonic)
    assert first_retry - lost.monotonic <= 1.0


def test_a_port_that_does_not_exist_is_reported_once_and_retried_until_stopped(
    start_session: StartSession, tmp_path: Path
) -> None:
    missing = str(tmp_path / "ttyUSB7")
    ports = Ports()
    session, watch = start_session(missing, opener=ports)

    unavailable = watch.wait_for(LinkState.PORT_UNAVAILABLE)
    assert missing in unavailable.detail
    attempts = ports.wait_attempts(3, timeout=4.0)
    session.stop()

    assert watch.states() == [LinkState.PORT_UNAVAILABLE, LinkState.STOPPED]
    # Backoff: the first retry after half a second, then doubling.
    first_wait, second_wait = attempts[1] - attempts[0], attempts[2] - attempts[1]
    assert FIRST_RETRY_S <= first_wait <= 1.0
    assert 2 * FIRST_RETRY_S <= second_wait < 4 * FIRST_RETRY_S
    assert session_threads(missing) == []


def test_a_port_that_refuses_its_line_settings_is_reported_and_retried_not_a_dead_thread(
    start_session: StartSession, tmp_path: Path
) -> None:
    # pyserial lets termios.error out of a refused tcsetattr; here the refusal is real: the
    # "port" is a file, which has no line settings.
    not_a_terminal = tmp_path / "ttyUSB0"
    not_a_terminal.write_bytes(b"")

    def refusing(url: str, settings: SerialSettings) -> Port:
        fd = os.open(url, os.O_RDWR)
        try:
            termios.tcsetattr(fd, termios.TCSANOW, [0, 0, 0, 0, 0, 0, [b"\0"] * 32])
        finally:
            os.close(fd)
        raise AssertionError("a file took line settings")

    session, watch = start_session(str(not_a_terminal), opener=refusing)

    unavailable = watch.wait_for(LinkState.PORT_UNAVAILABLE)
    assert str(not_a_terminal) in unavailable.detail
    assert session_threads(str(not_a_terminal)) != []  # still trying, as for a missing port
    session.stop()
    assert watch.states() == [LinkState.PORT_UNAVAILABLE, LinkState.STOPPED]


def test_a_monitor_that_falls_silent_is_reported_and_recovers(
    start_session: StartSession,
) -> None:
    ports = Ports()
    _, watch = start_session("loop://", QuickMasimo(), ports)
    connected = watch.wait_for(LinkState.CONNECTED)
    port = ports.next_port()

    silent = watch.wait_for(LinkState.SILENT)
    assert silent.monotonic - connected.monotonic >= QuickMasimo.expected_interval_s
    port.write(sent(RADICAL7[0]))
    receiving = watch.wait_for(LinkState.RECEIVING)
    assert watch.readings(2) == readings_of(RADICAL7[0])
    again = watch.wait_for(LinkState.SILENT)
    assert again.monotonic - receiving.monotonic >= QuickMasimo.expected_interval_s

    port.write(sent(RAD8[2]))
    watch.wait_for(LinkState.RECEIVING)
    assert watch.readings(2) == readings_of(RAD8[2])
    assert [event.state for event in watch.seen] == [
        LinkState.CONNECTED,
        LinkState.SILENT,
        LinkState.RECEIVING,
        LinkState.SILENT,
        LinkState.RECEIVING,
    ]


GARBAGE = b"\xf8\x80\x80\xf8\x00\xf8\xfe\x80"  # the oximeter read at the wrong baud rate


def test_a_burst_of_bad_lines_is_reported_as_frame_errors(start_session: StartSession) -> None:
    ports = Ports()
    session, watch = start_session("loop://", MasimoDriver(), ports)
    watch.wait_for(LinkState.CONNECTED)
    port = ports.next_port()

    port.write(sent(GARBAGE, GARBAGE, GARBAGE, GARBAGE, RADICAL7[0]))
    watch.wait_for(LinkState.RECEIVING)
    assert watch.readings(2) == readings_of(RADICAL7[0])
    assert LinkState.FRAME_ERRORS not in [e.state for e in watch.seen]  # four are not a burst

    port.write(sent(GARBAGE))
    errors = watch.wait_for(LinkState.FRAME_ERRORS)
    assert errors.detail == "5 bad frames in 10 s (5 not an ASCII 1 line)"
    assert dict(session.stats.rejected) == {"not an ASCII 1 line": 5}

    port.write(sent(RAD8[2]))
    watch.wait_for(LinkState.RECEIVING)
    assert watch.readings(2) == readings_of(RAD8[2])


def test_stop_ends_the_thread_and_reports_stopped(start_session: StartSession) -> None:
    session, watch = start_session("loop://")
    watch.wait_for(LinkState.CONNECTED)
    assert len(session_threads("loop://")) == 1

    session.stop()

    assert session_threads("loop://") == []
    assert watch.states() == [LinkState.CONNECTED, LinkState.STOPPED]
    assert session.state is LinkState.STOPPED


def test_an_efficia_cm_is_asked_answered_and_read_over_a_serial_port(
    start_session: StartSession, new_pty: Callable[[], Pty]
) -> None:
    pty = new_pty()
    _, watch = start_session(pty.path, Hl7Driver())
    watch.wait_for(LinkState.CONNECTED)
    pty.release_slave()

    [query] = pty.read_messages(1)
    assert parse_message(query).message_type == "QRY"

    pty.write(encode_mllp(ORF))
    watch.wait_for(LinkState.RECEIVING)
    assert watch.readings(7) == list(decode_observations(parse_message(ORF)).readings)
    [ack] = [m for m in pty.read_messages(1) if parse_message(m).message_type == "ACK"]
    assert (parse_ack(ack).code, parse_ack(ack).acknowledged_control_id) == (
        "AA",
        "MONITORABC000000002D",
    )


class Demanding(MasimoDriver):
    """A protocol that sends the monitor more on connect than the line can take at once."""

    expected_interval_s = 0.3

    def on_connect(self, now: float) -> bytes:
        del now
        return b"\r\n" * 64 * 1024


def test_a_monitor_that_takes_nothing_does_not_freeze_the_session(
    start_session: StartSession, new_pty: Callable[[], Pty]
) -> None:
    # The monitor never reads what it is sent (hardware flow control held, a TCP peer that
    # stopped reading): the session must still notice the silence and stop when asked.
    pty = new_pty()
    session, watch = start_session(pty.path, Demanding())
    watch.wait_for(LinkState.CONNECTED)
    pty.release_slave()

    trouble = watch.wait_for_any(TROUBLE)
    assert trouble.state in {LinkState.SILENT, LinkState.PORT_LOST}
    session.stop(timeout=1.0)
    assert session_threads(pty.path) == []
    assert watch.states()[-1] is LinkState.STOPPED
