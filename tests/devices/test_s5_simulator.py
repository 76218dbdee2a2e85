"""The simulated S/5 monitor, and the app talking to it over real pseudo-terminals.

The monitor's dialogue is checked on a clock the test moves, so that every interval is exact;
the app's dialogue with it (request, periodic data, a monitor gone silent, re-request after it
returns, an unplugged adapter) runs in real time through a `DeviceSession`, as on the ward.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import subprocess
import sys
import termios
import threading
import time
import tty
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import serial
from hypothesis import given
from hypothesis import strategies as st

import main
from alemmonitor.clock import SystemClock
from alemmonitor.store import Store
from devices.readings import PLAUSIBLE_RANGE, Parameter, Reading
from devices.s5 import (
    REQUEST_EXT1,
    REQUEST_EXT3,
    SINGLE,
    STOP,
    FrameReader,
    MainType,
    PhdbClass,
    PhdbRequest,
    PhdbSubrecord,
    PhdbType,
    Record,
    S5Driver,
    Subrecord,
    build_record,
    decode_record,
    device_time,
    encode_frame,
    parse_record,
    request_record,
)
from devices.s5_simulator import basic_groups, classes_requested, monitor_seconds, values_record
from devices.session import DeviceSession, LinkEvent, LinkState, ReadingBatch, open_port
from devices.simulator import (
    DropoutScenario,
    PtyEndpoint,
    Scenario,
    SimulatedMonitor,
    StableScenario,
    Vitals,
    open_pty,
)

FIXTURES = Path(__file__).parent / "fixtures"
WAIT_S = 3.0

# The monitor's clock starts at 09:00 in Dresden in winter.
START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1)))
START_LOCAL = START.replace(tzinfo=None)


def fixture_frame() -> bytes:
    lines = (FIXTURES / "s5_displayed_values.txt").read_text().splitlines()
    return bytes.fromhex(" ".join(line.partition("#")[0] for line in lines if line[:1] != "#"))


def asking(*requests: PhdbRequest) -> bytes:
    return b"".join(encode_frame(request_record(request)) for request in requests)


def displayed(interval_s: int, classes: int = 0) -> PhdbRequest:
    return PhdbRequest(PhdbType.DISPLAYED, interval_s, classes)


def scenario_second(record: Record) -> int:
    moment = device_time(record.time)
    assert moment is not None
    return int((moment - START_LOCAL).total_seconds())


def shown(scenario: Scenario, second: int) -> dict[Parameter, float]:
    """What the monitor displays at this scenario second, as the app's parameters."""
    vitals = scenario.vitals_at(second).as_displayed()
    return {parameter: vitals.value(parameter) for parameter in Parameter}


def values_of(readings: tuple[Reading, ...] | list[Reading]) -> dict[Parameter, float]:
    values = {reading.parameter: reading.value for reading in readings}
    assert len(values) == len(readings)
    return values


# --------------------------------------------------------------------------- records


def test_the_record_is_the_fixture_frame_given_its_values() -> None:
    vitals = Vitals(hr=72, pr=71, sbp=126, dbp=78, map=94, temp=37.1, spo2=97, rr=14)
    moment = datetime.fromisoformat("2026-11-23T10:15:00+01:00")
    record = values_record(vitals, moment, number=88, nibp_time=moment - timedelta(seconds=30))
    assert encode_frame(record) == fixture_frame()


plausible_vitals = st.builds(
    Vitals,
    **{
        parameter.value: st.floats(*PLAUSIBLE_RANGE[parameter], allow_nan=False)
        for parameter in Parameter
    },
)
monitor_times = st.datetimes(
    datetime.fromisoformat("1970-01-02"),
    datetime.fromisoformat("2105-12-31"),
    timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=1))]),
)


@given(plausible_vitals, monitor_times, st.integers(0, 100_000))
def test_records_decode_to_the_values_as_displayed(
    vitals: Vitals, moment: datetime, number: int
) -> None:
    records, rejected = FrameReader().feed(
        encode_frame(values_record(vitals, moment, number=number))
    )
    assert rejected == []
    (record,) = records
    decoded = decode_record(record)

    expected = vitals.as_displayed()
    assert values_of(decoded.readings) == {p: expected.value(p) for p in Parameter}
    wall = moment.replace(tzinfo=None, microsecond=0)
    assert {reading.device_time for reading in decoded.readings} == {wall}
    assert parse_record(record).number == number % 256


def test_cuff_values_older_than_a_minute_are_flagged() -> None:
    vitals = StableScenario().vitals_at(0)
    assert basic_groups(vitals, nibp_age_s=60)["nibp"].label == 0x008
    assert basic_groups(vitals, nibp_age_s=61)["nibp"].label == 0x108
    assert basic_groups(vitals)["nibp"].label == 0x008


def test_the_monitor_clock_counts_its_wall_time() -> None:
    assert monitor_seconds(datetime.fromisoformat("2026-11-23T10:15:00+01:00")) == 1_795_428_900
    assert monitor_seconds(datetime.fromisoformat("2026-11-23T10:15:00")) == 1_795_428_900


@pytest.mark.parametrize(
    ("bits", "classes"),
    [
        (0, (PhdbClass.BASIC,)),
        (0x0E, (PhdbClass.BASIC, PhdbClass.EXT1, PhdbClass.EXT2, PhdbClass.EXT3)),
        (0x01, ()),
        (0x09, (PhdbClass.EXT3,)),
    ],
)
def test_the_classes_a_request_asks_for(bits: int, classes: tuple[int, ...]) -> None:
    assert classes_requested(bits) == classes


def test_a_record_needs_a_class() -> None:
    with pytest.raises(ValueError, match="at least one class"):
        values_record(StableScenario().vitals_at(0), START, classes=())


# --------------------------------------------------------------------------- the monitor's dialogue


class MovedClock:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self._now = 1000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


class App:
    """The app's end of the pseudo-terminal, opened with the monitor's line settings."""

    def __init__(self, path: Path) -> None:
        self.port = serial.serial_for_url(str(path), timeout=0.05, **S5Driver.serial.as_pyserial())
        self._reader = FrameReader()
        self.rejected: list[str] = []

    def send(self, data: bytes) -> None:
        self.port.write(data)

    def records(self, count: int, within_s: float = WAIT_S) -> list[Record]:
        """The next `count` records the monitor sends, and no more for a moment."""
        received: list[Record] = []
        deadline = time.monotonic() + within_s
        while len(received) < count:
            assert time.monotonic() < deadline, f"{len(received)} of {count} records arrived"
            frames = self._reader.feed(self.port.read(self.port.in_waiting or 1))
            self.rejected += frames.rejected
            received += [parse_record(record) for record in frames.records]
        assert len(received) == count, "more records than expected"
        assert self.hears_nothing_for(0.1)
        return received

    def hears_nothing_for(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        heard = b""
        while time.monotonic() < deadline:
            heard += self.port.read(self.port.in_waiting or 1)
        return heard == b""


@contextlib.contextmanager
def monitor_on(endpoint: PtyEndpoint, monitor: SimulatedMonitor) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=monitor.run, args=(endpoint.port, stop), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


@contextlib.contextmanager
def serving(
    scenario: Scenario, tmp_path: Path, clock: MovedClock
) -> Iterator[tuple[SimulatedMonitor, App]]:
    """A simulated monitor on a pseudo-terminal, on the test's clock from START, and the app."""
    monitor = SimulatedMonitor("s5", scenario, clock=lambda: START, monotonic=clock)
    with open_pty(tmp_path / "ttyMONITOR") as endpoint, monitor_on(endpoint, monitor):
        app = App(endpoint.path)
        try:
            yield monitor, app
        finally:
            app.port.close()


def values_in(record: Record) -> list[tuple[int, int]]:
    """(subrecord type, class) of every subrecord of values."""
    return [
        (subrecord.type, PhdbSubrecord.decode(subrecord.data).phdb_class)
        for subrecord in record.subrecords
    ]


def test_the_monitor_says_nothing_until_asked_correctly(tmp_path: Path) -> None:
    clock = MovedClock()
    scenario = StableScenario()
    with serving(scenario, tmp_path, clock) as (monitor, app):
        assert app.hears_nothing_for(0.2)
        garbled = bytearray(asking(displayed(5)))
        garbled[-2] ^= 0xFF
        waveform = build_record(Record(MainType.WAVEFORM, (Subrecord(0, bytes(32)),)))
        unreadable = build_record(Record(MainType.PHYSIOLOGICAL, (Subrecord(0, bytes(5)),)))
        app.send(bytes(garbled))  # checksum wrong
        app.send(asking(displayed(3)))  # displayed values come at 5 s at the fastest
        app.send(asking(PhdbRequest(PhdbType.TREND_60S, 60)))  # trends only after displayed
        app.send(asking(displayed(5, classes=0x01)))  # no class at all
        app.send(asking(PhdbRequest(PhdbType.AUX_INFO, SINGLE)))  # not simulated
        app.send(encode_frame(waveform) + encode_frame(unreadable))
        assert app.hears_nothing_for(0.3)
        assert (monitor.stats.sent, monitor.stats.rejected) == (0, 7)

        app.send(asking(displayed(5)))
        (record,) = app.records(1)

    assert (record.main_type, record.dri_level, record.plug_id) == (0, 11, 1)
    assert scenario_second(record) == 0
    assert values_of(decode_record(build_record(record)).readings) == shown(scenario, 0)
    assert (monitor.stats.sent, monitor.stats.queries_answered) == (1, 1)


def test_displayed_values_come_at_the_interval_asked_until_stopped(tmp_path: Path) -> None:
    clock = MovedClock()
    scenario = StableScenario(seed=7)
    with serving(scenario, tmp_path, clock) as (monitor, app):
        app.send(asking(displayed(10)))
        records = app.records(1)
        clock.advance(9.9)
        assert app.hears_nothing_for(0.2)
        for _ in range(3):
            clock.advance(10)
            records += app.records(1)
        app.send(asking(displayed(STOP)))
        assert app.hears_nothing_for(0.2)
        clock.advance(60)
        assert app.hears_nothing_for(0.3)

    assert [scenario_second(record) for record in records] == [0, 19, 29, 39]
    assert [r.number for r in records] == [0, 1, 2, 3]
    for record in records:
        decoded = decode_record(build_record(record))
        assert values_of(decoded.readings) == shown(scenario, scenario_second(record))
    assert (monitor.stats.queries_answered, monitor.stats.rejected) == (2, 0)


def test_one_transmission_when_asked_once_but_not_twice_within_5_s(tmp_path: Path) -> None:
    clock = MovedClock()
    with serving(StableScenario(), tmp_path, clock) as (monitor, app):
        app.send(asking(displayed(SINGLE), displayed(SINGLE)))
        records = app.records(1)
        clock.advance(4)
        app.send(asking(displayed(SINGLE)))
        assert app.hears_nothing_for(0.2)
        clock.advance(1)
        app.send(asking(displayed(SINGLE)))
        records += app.records(1)
        clock.advance(30)
        assert app.hears_nothing_for(0.2)

    assert [scenario_second(record) for record in records] == [0, 5]
    assert (monitor.stats.queries_answered, monitor.stats.rejected) == (2, 2)


def test_trends_once_displayed_values_flow_and_each_class_asked_for(tmp_path: Path) -> None:
    clock = MovedClock()
    with serving(StableScenario(), tmp_path, clock) as (monitor, app):
        app.send(asking(displayed(30, REQUEST_EXT1 | REQUEST_EXT3)))
        app.send(asking(PhdbRequest(PhdbType.TREND_10S, 1)))
        first = app.records(2)
        clock.advance(10)
        trend = app.records(1)
        clock.advance(10)
        app.records(1)
        clock.advance(10)
        both = app.records(2)

    assert [values_in(record) for record in first] == [
        [(1, PhdbClass.BASIC), (1, PhdbClass.EXT1), (1, PhdbClass.EXT3)],
        [(2, PhdbClass.BASIC)],
    ]
    assert values_in(trend[0]) == [(2, PhdbClass.BASIC)]
    assert sorted(len(record.subrecords) for record in both) == [1, 3]
    # The extended classes report no module: the basic class alone gives readings.
    assert len(decode_record(build_record(first[0])).readings) == len(Parameter)
    assert monitor.stats.queries_answered == 2


def test_a_monitor_switched_off_forgets_what_it_was_asked(tmp_path: Path) -> None:
    # DropoutScenario: off from second 20 to second 40 of every two minutes.
    clock = MovedClock()
    with serving(DropoutScenario(), tmp_path, clock) as (monitor, app):
        app.send(asking(displayed(5)))
        records = app.records(1)
        for _ in range(3):
            clock.advance(5)
            records += app.records(1)
        clock.advance(5)  # second 20: off
        assert app.hears_nothing_for(0.2)
        app.send(asking(displayed(5)))  # lost
        assert app.hears_nothing_for(0.2)
        clock.advance(20)  # second 40: back on, asked for nothing
        assert app.hears_nothing_for(0.3)
        app.send(asking(displayed(5)))
        records += app.records(1)

    assert [scenario_second(record) for record in records] == [0, 5, 10, 15, 40]
    assert monitor.stats.queries_answered == 2


# --------------------------------------------------------------------------- the app's dialogue


class QuickS5(S5Driver):
    """The S/5 driver with silence noticed and the request repeated within 0.6 s."""

    expected_interval_s = 0.6
    reask_after_s = 0.6


class Watch:
    """What a session reported, in order (filled on the session's thread)."""

    def __init__(self) -> None:
        self.events: queue.Queue[LinkEvent] = queue.Queue()
        self.batches: queue.Queue[ReadingBatch] = queue.Queue()
        self.seen: list[LinkState] = []

    def wait_for(self, state: LinkState, timeout: float = WAIT_S) -> LinkEvent:
        """The next event in this state; the states until then are kept in `seen`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no {state.value} within {timeout} s; saw {self.seen}"
                ) from None
            self.seen.append(event.state)
            if event.state is state:
                return event

    def arrived(self) -> list[Reading]:
        """Every reading handed over so far and not taken yet."""
        readings: list[Reading] = []
        while not self.batches.empty():
            readings += self.batches.get_nowait().readings
        return readings

    def next_readings(self) -> list[Reading]:
        """The readings of the next batch (a session reports RECEIVING, then hands it over)."""
        return list(self.batches.get(timeout=WAIT_S).readings)


@contextlib.contextmanager
def session_on(path: Path, driver: S5Driver) -> Iterator[tuple[DeviceSession, Watch]]:
    watch = Watch()
    session = DeviceSession(
        str(path), driver, on_readings=watch.batches.put, on_link=watch.events.put
    )
    session.start()
    try:
        yield session, watch
    finally:
        session.stop()


def seconds_of(readings: list[Reading]) -> set[int]:
    return {int((r.device_time - START_LOCAL).total_seconds()) for r in readings if r.device_time}


def test_a_simulated_monitor_can_be_opened_again_with_the_monitors_line_settings(
    tmp_path: Path,
) -> None:
    # Test connection, then connect: the app opens the same pseudo-terminal twice. Linux drops
    # the parity bit a pty cannot carry and refuses to be asked for it again.
    with open_pty(tmp_path / "ttyMONITOR") as endpoint:
        for path in (endpoint.path, endpoint.terminal, endpoint.path):
            port = open_port(str(path), S5Driver.serial)
            port.write(b"\x7e")
            assert endpoint.port.read(1) == b"\x7e"
            port.close()


def test_the_app_asks_reads_notices_silence_and_asks_again(tmp_path: Path) -> None:
    # 20 times real time: displayed values every 0.25 s; off from 1 s to 2 s of real time.
    scenario = DropoutScenario()
    monitor = SimulatedMonitor("s5", scenario, speed=20, clock=lambda: START)
    with (
        open_pty(tmp_path / "ttyMONITOR") as endpoint,
        monitor_on(endpoint, monitor),
        session_on(endpoint.path, QuickS5()) as (session, watch),
    ):
        connected = watch.wait_for(LinkState.CONNECTED)
        assert connected.detail == f"{endpoint.path} open at 19200 baud"
        watch.wait_for(LinkState.RECEIVING)
        watch.wait_for(LinkState.SILENT)
        before = watch.arrived()
        watch.wait_for(LinkState.RECEIVING)
        after = watch.next_readings()
        assert monitor.stats.queries_answered == 2  # on connecting, and once it was back

    assert before, "nothing arrived before the monitor went off"
    assert max(seconds_of(before)) < 20
    assert min(seconds_of(after)) >= 40
    for readings in (before, after):
        for second in seconds_of(readings):
            at_second = [r for r in readings if seconds_of([r]) == {second}]
            assert values_of(at_second) == shown(scenario, second)
    assert watch.seen == [
        LinkState.CONNECTED,
        LinkState.RECEIVING,
        LinkState.SILENT,
        LinkState.RECEIVING,
    ]
    assert session.stats.rejected == {}
    assert monitor.stats.rejected == 0


def test_an_unplugged_adapter_is_lost_and_the_replugged_monitor_asked_again(
    tmp_path: Path,
) -> None:
    link = tmp_path / "ttyMONITOR"
    first = SimulatedMonitor("s5", StableScenario(), speed=20, clock=lambda: START)
    second = SimulatedMonitor("s5", StableScenario(seed=2), speed=20, clock=lambda: START)
    with session_on(link, QuickS5()) as (session, watch):
        with open_pty(link) as endpoint, monitor_on(endpoint, first):
            watch.wait_for(LinkState.RECEIVING)
        watch.wait_for(LinkState.PORT_LOST)
        watch.arrived()  # the first monitor's
        with open_pty(link) as endpoint, monitor_on(endpoint, second):
            watch.wait_for(LinkState.CONNECTED, timeout=6.0)
            watch.wait_for(LinkState.RECEIVING)
            readings = watch.next_readings()

    assert (first.stats.queries_answered, second.stats.queries_answered) == (1, 1)
    (at_second,) = seconds_of(readings)
    assert values_of(readings) == shown(StableScenario(seed=2), at_second)
    assert session.stats.rejected == {}


# --------------------------------------------------------------------------- the command line

APP = str(Path(sys.executable).parent / "alemmonitor")
RECORD_TIME = "2026-11-23T10:15:00"


def stored_rows(db: Path) -> list[dict[str, Any]]:
    with Store.open(db, SystemClock()) as store:
        return store.query("SELECT parameter, value, unit, device_time, source FROM observations")


def test_a_raw_capture_is_replayed_into_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = fixture_frame()
    corrupted = bytearray(frame)
    corrupted[60] ^= 0x01
    capture = tmp_path / "carescape.raw"
    # Begun mid-frame, noise between frames, one frame garbled on the line.
    capture.write_bytes(frame[150:] + frame + b"\x00\x13" + bytes(corrupted) + frame)
    db = tmp_path / "record.sqlite3"

    code = main.main(
        [
            *("--db", str(db), "--by", "AB", "capture", "--protocol", "s5"),
            *("--replay", str(capture), "--bed", "Chair 4"),
        ]
    )

    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"s5 from {capture} to Chair 4",
        "frames decoded: 2",
        "frames rejected: 3 (2 bad checksum, 1 bytes outside frames)",
        "implausible values dropped: 0",
        "readings stored: 16 (dbp 2, hr 2, map 2, pr 2, rr 2, sbp 2, spo2 2, temp 2)",
    ]
    expected = [
        ("hr", 72.0, "/min"),
        ("rr", 14.0, "/min"),
        ("sbp", 126.0, "mmHg"),
        ("dbp", 78.0, "mmHg"),
        ("map", 94.0, "mmHg"),
        ("temp", 37.1, "Cel"),
        ("spo2", 97.0, "%"),
        ("pr", 71.0, "/min"),
    ]
    assert stored_rows(db) == [
        {"parameter": p, "value": v, "unit": u, "device_time": RECORD_TIME, "source": "s5"}
        for p, v, u in expected * 2
    ]


def sent_values(data: bytes) -> list[tuple[str, float]]:
    """(parameter, value) of every reading in what the monitor sent, decoded independently."""
    records, rejected = FrameReader().feed(data)
    assert rejected == []
    return [
        (r.parameter.value, r.value) for record in records for r in decode_record(record).readings
    ]


def test_a_live_capture_stores_exactly_what_the_monitor_sent(
    tmp_path: Path, simulated_monitor: Any
) -> None:
    db = tmp_path / "ward.sqlite3"
    link = tmp_path / "carescape"
    with simulated_monitor("s5", link) as port:
        captured = subprocess.run(
            [
                *(APP, "capture", "--protocol", "s5", "--port", str(link)),
                *("--bed", "Chair 1", "--seconds", "2", "--db", str(db)),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        sent = port.sent()
    assert captured.returncode == 0, captured.stderr
    assert "frames rejected: 0" in captured.stdout, captured.stdout

    stored = [(row["parameter"], row["value"]) for row in stored_rows(db)]
    sent_readings = sent_values(sent)
    assert stored, captured.stdout
    # One unbroken stretch of what the monitor sent: nothing altered, dropped or added.
    assert any(
        sent_readings[i : i + len(stored)] == stored
        for i in range(len(sent_readings) - len(stored) + 1)
    )


def test_simulate_serves_on_a_serial_port_with_the_monitors_line_settings() -> None:
    # A pseudo-terminal stands in for a null-modem cable to a USB adapter: the simulator opens
    # the adapter's end as a serial port, the test is the app at the other end of the cable.
    cable, adapter = os.openpty()
    tty.setraw(adapter)
    path = os.ttyname(adapter)
    simulate = subprocess.Popen(
        [APP, "simulate", "--protocol", "s5", "--port", path, "--seconds", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert simulate.stdout is not None
        assert simulate.stdout.readline() == f"s5 monitor (stable, speed 1) on {path}\n"
        _, _, cflag, _, _, speed, _ = termios.tcgetattr(adapter)
        os.write(cable, asking(displayed(5)))
        reader = FrameReader()
        records: list[bytes] = []
        deadline = time.monotonic() + WAIT_S
        while not records and select.select([cable], [], [], deadline - time.monotonic())[0]:
            records += reader.feed(os.read(cable, 4096)).records
        out, err = simulate.communicate(timeout=WAIT_S + 2)
    finally:
        simulate.kill()
        os.close(cable)
        os.close(adapter)

    assert simulate.returncode == 0, err
    # A pseudo-terminal keeps the speed and the handshake it is set to; it has no parity bit.
    assert (speed, cflag & termios.CRTSCTS) == (termios.B19200, termios.CRTSCTS)
    assert records, "the simulated monitor sent nothing when asked"
    assert decode_record(records[0]).readings
    assert out.endswith("answered 1 queries, rejected 0\n")
