"""The IntelliVue dialogue over a real pseudo-terminal: the app's session and the simulated monitor.

Association, polling, the monitor ending or forgetting the association and the app asking
again, release on stop; the simulated monitor refusing what it cannot accept; and a capture
of the monitor's output replayed through `alemmonitor capture --replay`.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import serial

import main
from alemmonitor.clock import SystemClock
from alemmonitor.store import Store
from devices.intellivue import IntellivueDriver
from devices.intellivue_codec import (
    GUIDE_CLIENT_INFO,
    MDS,
    NOM_ATTR_TIME_ABS,
    NOM_MOC_VMO_AL_MON,
    NOM_MOC_VMO_METRIC_NU,
    NOM_MOC_VMS_MDS,
    NOM_NOTI_MDS_CREAT,
    SYST_SERVER,
    Action,
    Command,
    EventReport,
    FrameFault,
    FrameReader,
    LinkedState,
    MdsCreateInfo,
    OperationKind,
    PollProfile,
    PollReply,
    PollRequest,
    RemoteError,
    RemoteOperation,
    SessionKind,
    SessionMessage,
    UserInfo,
    association_request,
    attribute_value,
    encode_frame,
    event_report_result,
    frame_user_data,
    poll_request,
    read_absolute_time,
    read_message,
)
from devices.intellivue_simulator import IntellivueMonitor
from devices.readings import Parameter, Reading
from devices.session import DeviceSession, LinkEvent, LinkState, ReadingBatch
from devices.simulator import (
    DropoutScenario,
    PtyEndpoint,
    SerialPort,
    StableScenario,
    make_scenario,
    open_pty,
    run_simulator,
)

# The monitor's clock starts at 09:00 in Dresden in winter.
START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1)))
START_LOCAL = START.replace(tzinfo=None)
WAIT_S = 5.0
NIBP = frozenset({Parameter.SBP, Parameter.DBP, Parameter.MAP})


class Quick(IntellivueDriver):
    """The driver with the dialogue's intervals shortened, so that tests take a second."""

    poll_interval_s = 0.2
    association_retry_s = 0.2
    association_timeout_s = 1.0


class Watch:
    """What a session reported (filled on the session's thread)."""

    def __init__(self) -> None:
        self.batches: queue.Queue[ReadingBatch] = queue.Queue()
        self.events: queue.Queue[LinkEvent] = queue.Queue()

    def readings(self, count: int, timeout: float = WAIT_S) -> list[Reading]:
        """The next `count` readings or more, however they were batched."""
        deadline = time.monotonic() + timeout
        readings: list[Reading] = []
        while len(readings) < count:
            try:
                batch = self.batches.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"{len(readings)} of {count} readings arrived") from None
            readings += batch.readings
        return readings

    def all_readings(self) -> list[Reading]:
        """Every reading not taken yet (call after the session stopped)."""
        readings: list[Reading] = []
        while not self.batches.empty():
            readings += self.batches.get_nowait().readings
        return readings

    def states(self) -> list[LinkState]:
        states = []
        while not self.events.empty():
            states.append(self.events.get_nowait().state)
        return states


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[PtyEndpoint]:
    with open_pty(tmp_path / "ttyINTELLIVUE") as opened:
        yield opened


@contextmanager
def running(monitor: IntellivueMonitor, port: SerialPort) -> Iterator[IntellivueMonitor]:
    stop = threading.Event()
    thread = threading.Thread(target=monitor.run, args=(port, stop), daemon=True)
    thread.start()
    try:
        yield monitor
    finally:
        stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


@contextmanager
def session_on(
    path: Path, driver: IntellivueDriver | None = None
) -> Iterator[tuple[DeviceSession, Watch]]:
    watch = Watch()
    session = DeviceSession(
        str(path), driver or Quick(), on_readings=watch.batches.put, on_link=watch.events.put
    )
    session.start()
    try:
        yield session, watch
    finally:
        session.stop()


def second_of(reading: Reading) -> int:
    """The scenario second a (non-NIBP) reading was shown at, from the monitor's time."""
    assert reading.device_time is not None
    return math.floor((reading.device_time - START_LOCAL).total_seconds())


def assert_shows_the_scenario(readings: list[Reading], scenario_name: str) -> None:
    scenario = make_scenario(scenario_name)
    for reading in readings:
        assert reading.source == "intellivue"
        if reading.parameter in NIBP:
            assert reading.device_time is not None
            cuff_second = (reading.device_time - START_LOCAL).total_seconds()
            assert cuff_second % 300 == 0
            shown = scenario.vitals_at(cuff_second).as_displayed()
        else:
            shown = scenario.vitals_at(second_of(reading)).as_displayed()
        assert reading.value == shown.value(reading.parameter), reading


# --------------------------------------------------------------------------- app and monitor


def test_the_app_associates_polls_and_records_what_the_monitor_shows(endpoint: PtyEndpoint) -> None:
    monitor = IntellivueMonitor(make_scenario("iar-fever"), speed=20, clock=lambda: START)
    with running(monitor, endpoint.port), session_on(endpoint.path) as (session, watch):
        readings = watch.readings(3 * len(Parameter))

    assert_shows_the_scenario(readings, "iar-fever")
    assert {reading.parameter for reading in readings} == set(Parameter)
    seconds = [second_of(r) for r in readings if r.parameter is Parameter.HR]
    assert seconds == sorted(seconds)
    assert len(set(seconds)) == len(seconds)  # each poll answered with the values of its time
    stats = monitor.stats
    assert stats.associations == 1
    assert stats.polls_answered >= 3
    assert (stats.refusals, stats.ignored, stats.bad_frames, stats.errors_sent) == (0, 0, 0, 0)
    assert watch.states()[:2] == [LinkState.CONNECTED, LinkState.RECEIVING]
    assert session.stats.rejected == {}


def test_stopping_the_session_releases_the_association(endpoint: PtyEndpoint) -> None:
    monitor = IntellivueMonitor(StableScenario(), speed=20, clock=lambda: START)
    with running(monitor, endpoint.port), session_on(endpoint.path) as (session, watch):
        watch.readings(len(Parameter))
        session.stop()
        assert monitor.wait_for(lambda stats: stats.releases == 1, WAIT_S)

    assert monitor.stats.aborts_received == 0
    assert watch.states()[-1] is LinkState.STOPPED


def test_an_association_the_monitor_ends_is_asked_for_again(endpoint: PtyEndpoint) -> None:
    monitor = IntellivueMonitor(StableScenario(), speed=20, clock=lambda: START)
    with running(monitor, endpoint.port), session_on(endpoint.path) as (session, watch):
        watch.readings(len(Parameter))
        answered = monitor.stats.polls_answered
        monitor.end_association()  # the nurse switched the data export off and on again
        assert monitor.wait_for(
            lambda stats: stats.associations == 2 and stats.polls_answered > answered, WAIT_S
        )
        watch.all_readings()
        after = watch.readings(len(Parameter))

    assert_shows_the_scenario(after, "stable")
    assert monitor.stats.refusals == 0
    assert session.stats.rejected == {}


def test_a_monitor_that_forgets_the_association_is_asked_again_after_the_time_out(
    endpoint: PtyEndpoint,
) -> None:
    first = IntellivueMonitor(StableScenario(), speed=20, clock=lambda: START)
    with session_on(endpoint.path) as (_, watch):
        with running(first, endpoint.port):
            watch.readings(len(Parameter))
        # The monitor restarts: it knows nothing of the association, and ignores the polls
        # until the app, hearing nothing for the time-out, asks for a new one.
        second = IntellivueMonitor(StableScenario(), speed=20, clock=lambda: START)
        with running(second, endpoint.port):
            assert second.wait_for(lambda stats: stats.polls_answered >= 1, WAIT_S)
            watch.all_readings()
            after = watch.readings(len(Parameter))

    assert_shows_the_scenario(after, "stable")
    stats = second.stats
    assert stats.associations == 1
    # Polls that came before the new association, and the app's abort of the old one.
    assert stats.ignored >= 2


def test_the_monitor_sends_fahrenheit_and_kilopascal_when_so_configured(
    endpoint: PtyEndpoint,
) -> None:
    monitor = IntellivueMonitor(
        StableScenario(),
        speed=20,
        clock=lambda: START,
        temperature_unit="degF",
        pressure_unit="kPa",
    )
    with running(monitor, endpoint.port), session_on(endpoint.path) as (_, watch):
        readings = watch.readings(len(Parameter))

    scenario = StableScenario()
    for reading in readings:
        if reading.parameter is Parameter.TEMP:
            shown = scenario.vitals_at(second_of(reading)).as_displayed()
            assert reading.unit == "Cel"
            assert reading.value == pytest.approx(shown.temp, abs=0.03)  # 0.05 °F
        elif reading.parameter in NIBP:
            assert reading.device_time is not None
            shown = scenario.vitals_at((reading.device_time - START_LOCAL).total_seconds())
            assert reading.unit == "mmHg"
            assert reading.value == pytest.approx(
                shown.as_displayed().value(reading.parameter), abs=0.4
            )


def test_run_simulator_serves_an_intellivue_the_app_reads(tmp_path: Path) -> None:
    link = tmp_path / "ttyMP30"
    ready: queue.Queue[Path] = queue.Queue()
    stop = threading.Event()
    counts: queue.Queue[Any] = queue.Queue()

    def serve() -> None:
        counts.put(
            run_simulator("intellivue", "stable", 20, link=link, stop=stop, on_ready=ready.put)
        )

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        with session_on(ready.get(timeout=WAIT_S)) as (_, watch):
            readings = watch.readings(len(Parameter))
    finally:
        stop.set()
        server.join(timeout=5)
    # The monitor's clock is the laptop's here: the values are checked, not their times.
    assert {reading.parameter for reading in readings} == set(Parameter)
    stats = counts.get(timeout=1)
    assert stats.sent >= 3  # acceptance, MDS Create event, a poll result
    assert stats.queries_answered >= 1
    assert stats.rejected == 0
    assert not link.is_symlink()


# --------------------------------------------------------------------------- the monitor alone


class App:
    """The app's end of the link, speaking raw data export messages."""

    def __init__(self, path: Path) -> None:
        self.port = serial.serial_for_url(str(path), timeout=0.05)
        self._reader = FrameReader()
        self._pending: list[bytes] = []

    def close(self) -> None:
        self.port.close()

    def send(self, *messages: bytes) -> None:
        for message in messages:
            self.port.write(encode_frame(message))

    def _frames(self) -> list[bytes]:
        found = self._reader.feed(bytes(self.port.read(self.port.in_waiting or 1)))
        assert not [item for item in found if isinstance(item, FrameFault)]
        return [item for item in found if isinstance(item, bytes)]

    def raw(self, count: int, within_s: float = WAIT_S) -> list[bytes]:
        """The user data of the next `count` frames from the monitor."""
        deadline = time.monotonic() + within_s
        while len(self._pending) < count:
            assert time.monotonic() < deadline, f"gave up after {len(self._pending)} frames"
            self._pending += [frame_user_data(frame) for frame in self._frames()]
        taken, self._pending = self._pending[:count], self._pending[count:]
        return taken

    def messages(self, count: int) -> list[SessionMessage | RemoteOperation]:
        return [read_message(raw) for raw in self.raw(count)]

    def hears_nothing_for(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._pending += self._frames()
        return self._pending == []

    def associate(self, info: UserInfo = GUIDE_CLIENT_INFO) -> RemoteOperation:
        """Ask for an association; return the monitor's MDS Create event, unconfirmed."""
        self.send(association_request(info))
        accept, create = self.messages(2)
        assert isinstance(accept, SessionMessage)
        assert accept.kind is SessionKind.ASSOCIATION_ACCEPT
        assert isinstance(create, RemoteOperation)
        return create

    def confirm(self, create: RemoteOperation) -> None:
        report = EventReport.read(create.argument)
        self.send(event_report_result(create.invoke_id, report.event_time, report.event_type))


@pytest.fixture
def app(endpoint: PtyEndpoint) -> Iterator[App]:
    opened = App(endpoint.path)
    yield opened
    opened.close()


class SteppedClock:
    """A monotonic clock the test moves; the monitor's time and time-outs follow it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def numerics_poll(invoke_id: int = 1) -> bytes:
    return poll_request(invoke_id, PollRequest(invoke_id, NOM_MOC_VMO_METRIC_NU))


def only(messages: list[SessionMessage | RemoteOperation]) -> RemoteOperation:
    [message] = messages
    assert isinstance(message, RemoteOperation)
    return message


def test_the_monitor_answers_only_what_it_was_asked_correctly(
    endpoint: PtyEndpoint, app: App
) -> None:
    monitor = IntellivueMonitor(StableScenario(), clock=lambda: START)
    with running(monitor, endpoint.port):
        app.send(numerics_poll())  # no association yet
        assert app.hears_nothing_for(0.3)

        server_info = UserInfo(SYST_SERVER, GUIDE_CLIENT_INFO.poll_profile)
        no_profile = UserInfo(GUIDE_CLIENT_INFO.system_type, None)
        app.send(association_request(server_info), association_request(no_profile))
        app.send(b"\x0d\x03\xc1\x01\x00")  # an association request without user information
        refusals = app.messages(3)
        assert [m.kind for m in refusals if isinstance(m, SessionMessage)] == [
            SessionKind.ASSOCIATION_REFUSE
        ] * 3

        create = app.associate()
        report = EventReport.read(create.argument)
        assert (create.kind, create.command, report.event_type) == (
            OperationKind.INVOKE,
            Command.CONFIRMED_EVENT_REPORT,
            NOM_NOTI_MDS_CREAT,
        )
        wall = attribute_value(MdsCreateInfo.read(report.info).attributes, NOM_ATTR_TIME_ABS)
        assert wall is not None
        # The monitor's wall clock, started at START, when it accepted the association.
        announced = read_absolute_time(wall)
        assert announced is not None
        assert START_LOCAL <= announced < START_LOCAL + timedelta(seconds=WAIT_S)
        app.send(association_request())  # a second association while one holds
        [busy] = app.messages(1)
        assert isinstance(busy, SessionMessage)
        assert busy.kind is SessionKind.ASSOCIATION_REFUSE

        app.send(numerics_poll())  # before the MDS Create event is confirmed
        assert app.hears_nothing_for(0.3)
        app.confirm(create)
        app.send(numerics_poll(2))
        result = only(app.messages(1))
        assert (result.kind, result.invoke_id) == (OperationKind.RESULT, 2)
        reply = PollReply.read(Action.read(result.argument, with_scope=False))
        assert reply.object_type == NOM_MOC_VMO_METRIC_NU
        assert len(reply.contexts[0].observations) == 6

        app.send(poll_request(3, PollRequest(3, NOM_MOC_VMO_AL_MON)))
        alerts = only(app.messages(1))
        assert PollReply.read(Action.read(alerts.argument, with_scope=False)).contexts == ()
        app.send(poll_request(4, PollRequest(4, NOM_MOC_VMS_MDS, extended=False)))
        mds = PollReply.read(Action.read(only(app.messages(1)).argument, with_scope=False))
        assert attribute_value(mds.contexts[0].observations[0].attributes, NOM_ATTR_TIME_ABS)

        unknown_action = Action(MDS, 0x1234, b"", scope=0).to_bytes()
        app.send(
            RemoteOperation(
                OperationKind.INVOKE, 5, Command.CONFIRMED_ACTION, unknown_action
            ).to_bytes()
        )
        app.send(RemoteOperation(OperationKind.INVOKE, 6, Command.GET, MDS.to_bytes()).to_bytes())
        errors = [only([message]) for message in app.messages(2)]
        assert [(e.kind, e.invoke_id, e.command) for e in errors] == [
            (OperationKind.ERROR, 5, RemoteError.NO_SUCH_ACTION),
            (OperationKind.ERROR, 6, RemoteError.ACCESS_DENIED),
        ]

    stats = monitor.stats
    assert (stats.associations, stats.refusals, stats.errors_sent) == (1, 4, 2)
    assert (stats.polls_answered, stats.keep_alives) == (1, 1)
    assert stats.ignored == 2


def test_the_monitor_ends_an_association_it_hears_nothing_on(
    endpoint: PtyEndpoint, app: App
) -> None:
    clock = SteppedClock()
    monitor = IntellivueMonitor(StableScenario(), clock=lambda: START, monotonic=clock)
    with running(monitor, endpoint.port):
        app.confirm(app.associate())
        clock.now += 9.9
        app.send(numerics_poll())
        assert only(app.messages(1)).kind is OperationKind.RESULT
        clock.now += 10.0  # the guide's time-out for a short minimum poll period
        [abort] = app.messages(1)
        assert isinstance(abort, SessionMessage)
        assert abort.kind is SessionKind.ABORT
        app.send(numerics_poll())
        assert app.hears_nothing_for(0.3)

    assert monitor.stats.timeouts == 1


def test_a_silent_monitor_answers_nothing_and_forgets_its_association(
    endpoint: PtyEndpoint, app: App
) -> None:
    clock = SteppedClock()
    monitor = IntellivueMonitor(DropoutScenario(), clock=lambda: START, monotonic=clock)
    with running(monitor, endpoint.port):
        app.confirm(app.associate())
        clock.now += 25  # into the first silent window, 20 to 40 s
        app.send(numerics_poll())
        assert app.hears_nothing_for(0.3)
        clock.now += 20  # out of it: the association timed out meanwhile, without a word
        app.send(numerics_poll())
        assert app.hears_nothing_for(0.3)
        app.confirm(app.associate())
        app.send(numerics_poll())
        assert only(app.messages(1)).kind is OperationKind.RESULT

    assert (monitor.stats.timeouts, monitor.stats.associations) == (1, 2)


def test_a_large_result_comes_as_linked_results_within_what_the_app_takes(
    endpoint: PtyEndpoint, app: App
) -> None:
    profile = GUIDE_CLIENT_INFO.poll_profile
    assert profile is not None
    small = UserInfo(GUIDE_CLIENT_INFO.system_type, PollProfile(profile.min_poll_period, 200, 1000))
    monitor = IntellivueMonitor(StableScenario(), clock=lambda: START)
    with running(monitor, endpoint.port):
        app.confirm(app.associate(small))
        app.send(numerics_poll(9))
        parts: list[bytes] = []
        while not parts or only([read_message(parts[-1])]).kind is not OperationKind.RESULT:
            parts += app.raw(1)

    assert all(len(part) <= 200 for part in parts)
    operations = [only([read_message(part)]) for part in parts]
    states = [operation.linked for operation in operations]
    assert states[0] == (LinkedState.FIRST, 1)
    assert states[-2] == (LinkedState.LAST, len(parts) - 1)
    assert all(
        state == (LinkedState.NOT_FIRST_NOT_LAST, n) for n, state in enumerate(states[1:-2], 2)
    )
    assert states[-1] is None
    driver = IntellivueDriver()
    readings = [
        r for part in parts for d in driver.receive(encode_frame(part)).decoded for r in d.readings
    ]
    assert {r.parameter for r in readings} == set(Parameter)
    assert len(readings) == len(Parameter)


# --------------------------------------------------------------------------- replay


def test_a_capture_of_the_monitor_replays_into_the_record_as_it_was_read_live(
    tmp_path: Path,
    simulated_monitor: Callable[..., AbstractContextManager[Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    link = tmp_path / "ttyMP30"
    with simulated_monitor("intellivue", link, speed=20) as port:
        with session_on(link) as (session, watch):
            live = watch.readings(2 * len(Parameter))
            session.stop()
        live += watch.all_readings()
        capture = tmp_path / "mp30.raw"
        capture.write_bytes(port.sent())
    db = tmp_path / "record.sqlite3"

    code = main.main(
        [
            "--db",
            str(db),
            "--by",
            "AB",
            "capture",
            "--protocol",
            "intellivue",
            "--replay",
            str(capture),
            "--bed",
            "1",
        ]
    )

    assert code == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"intellivue from {capture} to Chair 1"
    assert out[2] == "frames rejected: 0"
    with Store.open(db, SystemClock()) as store:
        rows = store.query("SELECT * FROM observations ORDER BY rowid")
    stored = [(r["parameter"], r["value"], r["unit"], r["device_time"]) for r in rows]
    expected = [
        (r.parameter.value, r.value, r.unit, r.device_time.isoformat() if r.device_time else None)
        for r in live
    ]
    # The monitor may have answered one last poll the session no longer read before it stopped.
    assert stored[: len(expected)] == expected
    assert len(stored) - len(expected) in (0, len(Parameter))
    assert {r["source"] for r in rows} == {"intellivue"}
