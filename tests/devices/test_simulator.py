"""The monitor simulator: plausible scenarios, protocol output the decoders read, and a real pty."""

from __future__ import annotations

import itertools
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import serial
from hypothesis import given
from hypothesis import strategies as st

from devices.errors import ProtocolError
from devices.hl7 import (
    Message,
    MllpFramer,
    build_ack,
    build_qry_r02,
    decode_observations,
    encode_mllp,
    parse_ack,
    parse_message,
    parse_timestamp,
)
from devices.masimo import LineFramer, decode_line
from devices.readings import PLAUSIBLE_RANGE, Parameter, is_plausible
from devices.simulator import (
    NIBP_INTERVAL_S,
    SCENARIOS,
    DropoutScenario,
    MonitorIdentity,
    MonitorStats,
    PtyEndpoint,
    Scenario,
    SimulatedMonitor,
    StableScenario,
    Vitals,
    hl7_orf_r04,
    hl7_oru_r01,
    make_scenario,
    masimo_line,
    open_pty,
    read_query,
    run_simulator,
)

FIXTURES = Path(__file__).parent / "fixtures"
HOUR = 3600
FOUR_HOURS = range(4 * HOUR + 1)

# The device clock of every simulated monitor here starts at 09:00 in Dresden in winter.
START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1)))
START_LOCAL = START.replace(tzinfo=None)


def at(iso: str) -> datetime:
    """A device's wall-clock time, without a zone, as the monitors send it."""
    return datetime.fromisoformat(iso)


def fixture_lines(name: str) -> list[str]:
    text = (FIXTURES / name).read_text(encoding="ascii")
    return [line for line in text.splitlines() if not line.startswith("#")]


def course(scenario: Scenario, seconds: range) -> list[Vitals]:
    return [scenario.vitals_at(second) for second in seconds]


def hours(start: float, end: float) -> range:
    return range(round(start * HOUR), round(end * HOUR))


# --------------------------------------------------------------------------- scenarios


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_value_is_plausible_all_infusion_long(name: str) -> None:
    for vitals in course(make_scenario(name, seed=7), FOUR_HOURS):
        for parameter in Parameter:
            assert is_plausible(parameter, vitals.value(parameter)), (parameter, vitals)
        shown = vitals.as_displayed()
        assert 96 <= shown.spo2 <= 99
        assert shown.dbp < shown.map < shown.sbp


def test_the_same_seed_gives_the_same_patient_in_any_order() -> None:
    seconds = [3 * HOUR, 17, 0, 9000, 17]
    first = [make_scenario("iar-fever", seed=3).vitals_at(second) for second in seconds]
    again = make_scenario("iar-fever", seed=3)
    assert [again.vitals_at(second) for second in reversed(seconds)] == first[::-1]
    other = make_scenario("iar-fever", seed=4)
    assert [other.vitals_at(second) for second in seconds] != first


def test_iar_fever_develops_in_the_last_hours_not_in_the_first() -> None:
    scenario = make_scenario("iar-fever")
    first_hour = [vitals.as_displayed() for vitals in course(scenario, hours(0, 1))]
    last_quarter_hour = [vitals.as_displayed() for vitals in course(scenario, hours(3.75, 4))]

    assert max(vitals.hr for vitals in first_hour) < 90
    assert max(vitals.temp for vitals in first_hour) < 37.3
    assert min(vitals.hr for vitals in last_quarter_hour) >= 110
    assert max(vitals.hr for vitals in last_quarter_hour) <= 130
    assert min(vitals.temp for vitals in last_quarter_hour) >= 38.2
    assert max(vitals.temp for vitals in last_quarter_hour) <= 38.8
    # Blood pressure up a little, not a crisis.
    rise = last_quarter_hour[-1].sbp - first_hour[0].sbp
    assert 0 < rise < 25
    # Nothing has started by hour 2.5.
    assert scenario.trend_at(2.5 * HOUR) == scenario.trend_at(0)


def test_hypotension_falls_below_90_systolic_with_a_compensating_heart_rate() -> None:
    scenario = make_scenario("hypotension")
    before = course(scenario, hours(0, 20 / 60))
    late = course(scenario, hours(50 / 60, 1))

    assert min(vitals.sbp for vitals in before) > 110
    assert max(vitals.sbp for vitals in late) < 90
    assert min(vitals.sbp for vitals in late) > 70
    mean_hr_before = sum(vitals.hr for vitals in before) / len(before)
    mean_hr_late = sum(vitals.hr for vitals in late) / len(late)
    assert mean_hr_late - mean_hr_before > 20
    assert scenario.vitals_at(19 * 60).sbp > 110


def test_nibp_changes_only_when_the_cuff_measures_and_the_rest_every_second() -> None:
    scenario = make_scenario("hypotension")
    for second in hours(0, 1):
        cuff = scenario.nibp_measured_at(second)
        assert cuff % NIBP_INTERVAL_S == 0
        assert 0 <= second - cuff < NIBP_INTERVAL_S
        measured, shown = scenario.vitals_at(cuff), scenario.vitals_at(second)
        assert (shown.sbp, shown.dbp, shown.map) == (measured.sbp, measured.dbp, measured.map)
    cuff_values = {scenario.vitals_at(cuff).sbp for cuff in range(0, HOUR, 300)}
    assert len(cuff_values) == 12
    # Within a second nothing changes; from one second to the next, the heart rate does.
    assert scenario.vitals_at(61.2) == scenario.vitals_at(61.9) == scenario.vitals_at(61)
    heart_rates = [vitals.hr for vitals in course(scenario, range(60))]
    assert all(a != b for a, b in itertools.pairwise(heart_rates))


def test_exanthema_day4_is_a_mild_episode_around_hours_2_to_3() -> None:
    scenario = make_scenario("exanthema-day4")
    early = [vitals.as_displayed() for vitals in course(scenario, hours(0, 1.25))]
    episode = [vitals.as_displayed() for vitals in course(scenario, hours(2, 3))]
    after = [vitals.as_displayed() for vitals in course(scenario, hours(3.75, 4))]

    assert max(vitals.hr for vitals in early) < 90
    assert max(vitals.temp for vitals in early) < 37.2
    assert min(vitals.temp for vitals in episode) >= 37.7
    assert max(vitals.temp for vitals in episode) <= 38.0
    assert 95 <= sum(vitals.hr for vitals in episode) / len(episode) <= 110
    assert max(vitals.temp for vitals in after) < 37.2
    assert min(vitals.sbp for vitals in episode) > 110


def test_dropout_is_silent_exactly_in_its_windows_with_stable_values() -> None:
    dropout = make_scenario("dropout", seed=5)
    for tenth in range(10 * 600):
        elapsed = tenth / 10
        assert dropout.silent_at(elapsed) is (20 <= elapsed % 120 < 40), elapsed
    assert not dropout.silent_at(19.999)
    assert dropout.silent_at(20.0)
    assert dropout.silent_at(39.999)
    assert not dropout.silent_at(40.0)
    assert dropout.silent_at(140.0)
    assert course(dropout, range(300)) == course(StableScenario(seed=5), range(300))


@pytest.mark.parametrize("name", sorted(set(SCENARIOS) - {"dropout"}))
def test_other_scenarios_are_never_silent(name: str) -> None:
    scenario = make_scenario(name)
    assert not any(scenario.silent_at(second) for second in FOUR_HOURS)


def test_unknown_scenarios_and_times_are_refused() -> None:
    with pytest.raises(ValueError, match="known: stable, iar-fever"):
        make_scenario("sepsis")
    for elapsed in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="elapsed"):
            DropoutScenario().vitals_at(elapsed)
        with pytest.raises(ValueError, match="elapsed"):
            DropoutScenario().silent_at(elapsed)


def test_vitals_are_displayed_as_a_monitor_rounds() -> None:
    vitals = Vitals(
        hr=72.5, pr=71.49, sbp=119.5, dbp=80.2, map=93.3, temp=36.85, spo2=97.5, rr=15.5
    )
    assert vitals.as_displayed() == Vitals(
        hr=73, pr=71, sbp=120, dbp=80, map=93, temp=36.9, spo2=98, rr=16
    )
    with pytest.raises(ValueError, match="hr must be a finite number"):
        Vitals(hr=float("nan"), pr=70, sbp=120, dbp=80, map=93, temp=36.8, spo2=98, rr=14)


# --------------------------------------------------------------------------- encoders

plausible_vitals = st.builds(
    Vitals,
    **{
        parameter.value: st.floats(*PLAUSIBLE_RANGE[parameter], allow_nan=False)
        for parameter in Parameter
    },
)
device_times = st.datetimes(at("2000-01-01"), at("2099-12-31T23:59:59"))
aware_times = st.datetimes(
    at("2000-01-01"),
    at("2099-12-31"),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5))]),
)


def test_masimo_line_is_the_radical7_sample_given_its_values() -> None:
    sample = fixture_lines("masimo_radical7_ascii1.txt")[0]
    vitals = Vitals(hr=120, pr=123, sbp=120, dbp=80, map=93, temp=36.8, spo2=98, rr=14)
    line = masimo_line(vitals, at("2016-03-17T19:19:36"), perfusion_index=0.55, exceptions=0xC00)
    assert line == sample.encode("ascii") + b"\r\n"


@given(plausible_vitals, device_times, st.sampled_from(["----------", "0000012345"]))
def test_masimo_lines_decode_to_the_displayed_values(
    vitals: Vitals, device_time: datetime, serial_number: str
) -> None:
    line = masimo_line(vitals, device_time, serial_number)
    assert line.endswith(b"\r\n")
    assert LineFramer().feed(line) == [line[:-2]]
    decoded = decode_line(line)

    shown = vitals.as_displayed()
    assert [(r.parameter, r.value) for r in decoded.readings] == [
        (Parameter.SPO2, shown.spo2),
        (Parameter.PR, shown.pr),
    ]
    assert {r.device_time for r in decoded.readings} == {device_time.replace(microsecond=0)}
    assert [status.meanings for status in decoded.status if status.code == "EXC"] == [
        ("Masimo SET",)
    ]


ORDINARY = Vitals(hr=72, pr=72, sbp=120, dbp=80, map=93, temp=36.8, spo2=98, rr=14)


@pytest.mark.parametrize(
    ("vitals", "device_time", "serial_number"),
    [
        (replace(ORDINARY, spo2=101), START_LOCAL, "----------"),
        (replace(ORDINARY, pr=1000), START_LOCAL, "----------"),
        (ORDINARY, at("1999-12-31"), "----------"),
        (ORDINARY, START_LOCAL, "12345"),
        (ORDINARY, START_LOCAL, "12345ABCDE"),
    ],
)
def test_masimo_line_refuses_what_the_line_cannot_carry(
    vitals: Vitals, device_time: datetime, serial_number: str
) -> None:
    with pytest.raises(ValueError, match=r"fit|years|serial number"):
        masimo_line(vitals, device_time, serial_number)


def efficia_query(qrd: str, control_id: str = "EXAMPLE123") -> Message:
    header = f"MSH|^~\\&|||||20140510124500||QRY^R02|{control_id}|P|2.4"
    return parse_message(f"{header}\r{qrd}\r".encode("ascii"))


def test_orf_r04_is_the_efficia_cm_sample_given_its_values() -> None:
    sample = [line.removesuffix("<CR>") for line in fixture_lines("efficia_cm_orf_r04.txt")]
    (qrd,) = fixture_lines("efficia_cm_qrd.txt")
    identity = MonitorIdentity(
        device_name="MONITORABC",
        patient_id="MRN1234",
        patient_name=("JONES", "MARY", "A"),
        bed="LOCATION34",
        visit_number="TRANSACTION1234",
        operator="OPERATOR12",
    )
    vitals = Vitals(hr=81, pr=80, sbp=122, dbp=85, map=98, temp=37.4, spo2=98, rr=20)

    orf = hl7_orf_r04(
        vitals,
        at("2014-05-10T12:45"),
        "EXAMPLE123",
        read_query(efficia_query(qrd.removesuffix("<CR>"))),
        control_id="MONITORABC000000002D",
        nibp_time=at("2014-05-10T12:44:30"),
        identity=identity,
    )

    # The sample has no ECG; the heart rate comes in the form of the guide's other examples.
    heart_rate = "OBX||NM|0002-4182^HR^MDIL||81|0004-0aa0^bpm^MDIL|||||F"
    spo2 = next(index for index, segment in enumerate(sample) if "0002-4bb8^SpO2" in segment)
    expected = [*sample[: spo2 + 1], heart_rate, *sample[spo2 + 1 :]]
    assert orf == "".join(f"{segment}\r" for segment in expected).encode("ascii")


@given(plausible_vitals, device_times, device_times, st.sampled_from(["STA", "RES"]))
def test_orf_r04_decodes_to_the_displayed_values(
    vitals: Vitals, timestamp: datetime, cuff_time: datetime, what: str
) -> None:
    query = efficia_query(f"QRD|20260101080000|R|I|Q42|||||{what}", control_id="AM000017")
    orf = parse_message(
        hl7_orf_r04(
            vitals,
            timestamp,
            query.control_id,
            read_query(query),
            control_id="SIMMONITOR0000000001",
            nibp_time=cuff_time,
        )
    )
    assert (orf.message_type, orf.trigger_event) == ("ORF", "R04")
    (msa,) = orf.segments_named("MSA")
    assert (msa.value(1), msa.value(2)) == ("AA", "AM000017")
    (qrd,) = orf.segments_named("QRD")
    assert (qrd.value(1), qrd.value(4), qrd.value(9)) == ("20260101080000", "Q42", what)

    shown = vitals.as_displayed()
    readings = decode_observations(orf).readings
    assert {r.parameter: r.value for r in readings} == {p: shown.value(p) for p in Parameter}
    assert len(readings) == len(Parameter)
    times = {r.parameter: r.device_time for r in readings}
    assert times[Parameter.SBP] == times[Parameter.DBP] == cuff_time.replace(microsecond=0)
    assert times[Parameter.HR] == timestamp.replace(microsecond=0)


@given(plausible_vitals, aware_times, st.booleans())
def test_oru_r01_decodes_to_the_displayed_values_with_mdc_codes(
    vitals: Vitals, timestamp: datetime, with_cuff_time: bool
) -> None:
    cuff_time = timestamp - timedelta(minutes=3) if with_cuff_time else None
    oru = parse_message(hl7_oru_r01(vitals, timestamp, "R123", nibp_time=cuff_time))

    assert (oru.message_type, oru.trigger_event, oru.control_id) == ("ORU", "R01", "R123")
    assert [obx.value(3, 1) for obx in oru.segments_named("OBX")] == [
        "147842",
        "150456",
        "149530",
        "150021",
        "150022",
        "150023",
        "150364",
        "151562",
    ]
    assert {obx.value(3, 3) for obx in oru.segments_named("OBX")} == {"MDC"}
    shown = vitals.as_displayed()
    readings = decode_observations(oru).readings
    assert {r.parameter: r.value for r in readings} == {p: shown.value(p) for p in Parameter}
    times = {r.parameter: r.device_time for r in readings}
    assert times[Parameter.HR] == timestamp.replace(microsecond=0)
    assert times[Parameter.MAP] == (cuff_time or timestamp).replace(microsecond=0)


@pytest.mark.parametrize(
    "qrd",
    [
        "QRD|20140510124500|R|I|QUERY123|||||ALL",  # a filter the monitor does not answer
        "QRD|20140510124500|R|I||||||STA",  # no query id
        "QRD||R|I|QUERY123|||||STA",  # no query time
        "QRD|yesterday|R|I|QUERY123|||||STA",  # not a time
    ],
)
def test_queries_the_efficia_cannot_answer(qrd: str) -> None:
    with pytest.raises(ProtocolError, match=r"QRD|timestamp"):
        read_query(efficia_query(qrd))


def test_a_query_needs_a_qrd_and_the_right_type() -> None:
    with pytest.raises(ProtocolError, match="without a QRD"):
        read_query(parse_message(b"MSH|^~\\&|||||20140510124500||QRY^R02|1|P|2.4\r"))
    with pytest.raises(ProtocolError, match="not a QRY"):
        read_query(parse_message(b"MSH|^~\\&|||||20140510124500||ORU^R01|1|P|2.4\r"))


# --------------------------------------------------------------------------- over a real pty


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[PtyEndpoint]:
    with open_pty(tmp_path / "ttyMONITOR") as opened:
        yield opened


class App:
    """The app's side of the link: a pyserial port on the pty, as the app opens it."""

    def __init__(self, path: Path) -> None:
        self.port = serial.serial_for_url(str(path), timeout=0.05)
        self._lines = LineFramer()
        self._messages = MllpFramer()

    def close(self) -> None:
        self.port.close()

    def read_some(self) -> bytes:
        return bytes(self.port.read(self.port.in_waiting or 1))

    def lines(self, until: Callable[[list[bytes]], bool], within_s: float = 3.0) -> list[bytes]:
        received: list[bytes] = []
        deadline = time.monotonic() + within_s
        while not until(received):
            assert time.monotonic() < deadline, f"gave up after {len(received)} lines"
            received += self._lines.feed(self.read_some())
        return received

    def raw_messages(self, count: int, within_s: float = 3.0) -> list[bytes]:
        received: list[bytes] = []
        deadline = time.monotonic() + within_s
        while len(received) < count:
            assert time.monotonic() < deadline, f"gave up after {len(received)} messages"
            received += self._messages.feed(self.read_some())
        assert len(received) == count, "more messages than expected"
        return received

    def messages(self, count: int, within_s: float = 3.0) -> list[Message]:
        return [parse_message(message) for message in self.raw_messages(count, within_s)]

    def send(self, message: bytes) -> None:
        self.port.write(encode_mllp(message))

    def hears_nothing_for(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        heard = b""
        while time.monotonic() < deadline:
            heard += self.read_some()
        return heard == b""

    def reads_until(self, condition: Callable[[], bool], within_s: float = 3.0) -> None:
        """Keep reading (so that the monitor is never blocked) until `condition` holds."""
        deadline = time.monotonic() + within_s
        while not condition():
            assert time.monotonic() < deadline, "condition not reached"
            self._messages.feed(self.read_some())


@pytest.fixture
def app(endpoint: PtyEndpoint) -> Iterator[App]:
    opened = App(endpoint.path)
    yield opened
    opened.close()


@contextmanager
def running(monitor: SimulatedMonitor, endpoint: PtyEndpoint) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=monitor.run, args=(endpoint.port, stop), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


def masimo_second(line: bytes) -> int:
    (time_of_line,) = {reading.device_time for reading in decode_line(line).readings}
    assert time_of_line is not None
    return int((time_of_line - START_LOCAL).total_seconds())


def scenario_second(result: Message) -> int:
    (obr,) = result.segments_named("OBR")
    observed = parse_timestamp(obr.value(7))
    assert observed is not None
    return int((observed.replace(tzinfo=None) - START_LOCAL).total_seconds())


def test_masimo_lines_over_a_pty_are_the_scenario_second_by_second(
    endpoint: PtyEndpoint, app: App
) -> None:
    scenario = make_scenario("iar-fever", seed=1)
    monitor = SimulatedMonitor("masimo", scenario, speed=20, clock=lambda: START)
    with running(monitor, endpoint):
        lines = app.lines(lambda received: len(received) >= 8)

    seconds = [masimo_second(line) for line in lines]
    assert seconds[0] == 0
    assert all(a < b for a, b in itertools.pairwise(seconds))
    for line, second in zip(lines, seconds, strict=True):
        shown = scenario.vitals_at(second).as_displayed()
        values = {reading.parameter: reading.value for reading in decode_line(line).readings}
        assert values == {Parameter.SPO2: shown.spo2, Parameter.PR: shown.pr}
    assert monitor.stats.sent >= len(lines)


def test_masimo_sends_at_most_20_lines_per_real_second(endpoint: PtyEndpoint, app: App) -> None:
    monitor = SimulatedMonitor("masimo", StableScenario(), speed=1000, clock=lambda: START)
    with running(monitor, endpoint):
        lines = app.lines(lambda received: len(received) >= 5)

    # 1000 scenario seconds per real second, 20 lines: each line 50 scenario seconds on.
    seconds = [masimo_second(line) for line in lines]
    steps = [b - a for a, b in itertools.pairwise(seconds)]
    assert steps
    assert all(step > 0 and step % 50 == 0 for step in steps)


def test_masimo_goes_silent_in_the_dropout_windows(endpoint: PtyEndpoint, app: App) -> None:
    monitor = SimulatedMonitor("masimo", DropoutScenario(), speed=60, clock=lambda: START)
    with running(monitor, endpoint):
        lines = app.lines(lambda received: bool(received) and masimo_second(received[-1]) >= 45)

    seconds = [masimo_second(line) for line in lines]
    assert not [second for second in seconds if 20 <= second < 40]
    assert any(second < 20 for second in seconds)
    assert any(second >= 40 for second in seconds)


def query(control_id: str, query_id: str = "QUERY1") -> bytes:
    return build_qry_r02(query_id=query_id, control_id=control_id, timestamp=START_LOCAL)


def test_efficia_answers_each_query_and_nothing_else(endpoint: PtyEndpoint, app: App) -> None:
    scenario = make_scenario("hypotension", seed=2)
    monitor = SimulatedMonitor("hl7", scenario, speed=100, clock=lambda: START)
    with running(monitor, endpoint):
        assert app.hears_nothing_for(0.3)
        assert monitor.stats.sent == 0

        app.send(query("AM0001"))
        (orf,) = app.messages(1)

        assert (orf.message_type, orf.trigger_event) == ("ORF", "R04")
        (msa,) = orf.segments_named("MSA")
        assert (msa.value(1), msa.value(2)) == ("AA", "AM0001")
        assert orf.segments_named("QRD")[0].value(4) == "QUERY1"
        second = scenario_second(orf)
        shown = scenario.vitals_at(second).as_displayed()
        readings = decode_observations(orf).readings
        assert {r.parameter: r.value for r in readings} == {p: shown.value(p) for p in Parameter}
        cuff_time = START_LOCAL + timedelta(seconds=scenario.nibp_measured_at(second))
        assert {r.device_time for r in readings if r.parameter is Parameter.SBP} == {cuff_time}
        assert monitor.stats.unacknowledged == 1

        # The app acknowledges the first answer, not the second; then asks once more.
        app.send(build_ack(orf, control_id="AM0002", timestamp=START_LOCAL))
        app.send(query("AM0003"))
        (second_orf,) = app.messages(1)
        app.send(query("AM0004"))
        (third_orf,) = app.messages(1)

    assert second_orf.segments_named("MSA")[0].value(2) == "AM0003"
    assert third_orf.segments_named("MSA")[0].value(2) == "AM0004"
    assert len({orf.control_id, second_orf.control_id, third_orf.control_id}) == 3
    stats = monitor.stats
    assert (stats.queries_answered, stats.acks_received, stats.unacknowledged) == (3, 1, 2)
    assert (stats.rejected, stats.negative_acks, stats.stray_acks) == (0, 0, 0)


def test_efficia_answers_garbage_with_negative_acks_and_keeps_running(
    endpoint: PtyEndpoint, app: App
) -> None:
    monitor = SimulatedMonitor("hl7", StableScenario(), speed=100, clock=lambda: START)
    with running(monitor, endpoint):
        app.send(b"this is not HL7 at all")
        app.port.write(b"\x00\xff line noise outside any block \r\n")
        app.send(b"MSH|^~\\&|||||20260101||ORU^R01|ORU7|P|2.4\rOBX||NM|150456^^MDC||97\r")
        app.send(b"MSH|^~\\&|||||20260101||QRY^R02|BADQRY|P|2.4\rQRD|20260101|R|I|Q1|||||ALL\r")
        app.send(query("GOOD1"))
        *answers, orf = app.raw_messages(4)

    acks = [parse_ack(answer) for answer in answers]
    assert [(ack.code, ack.acknowledged_control_id) for ack in acks] == [
        ("AE", ""),
        ("AR", "ORU7"),
        ("AE", "BADQRY"),
    ]
    assert parse_message(orf).segments_named("MSA")[0].value(2) == "GOOD1"
    assert monitor.stats.rejected == 3
    assert monitor.stats.queries_answered == 1


class SteppedClock:
    """A monotonic clock the test moves; the monitor's scenario time follows it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_efficia_answers_nothing_while_silent(endpoint: PtyEndpoint, app: App) -> None:
    clock = SteppedClock()
    monitor = SimulatedMonitor(
        "hl7", DropoutScenario(), clock=lambda: START, monotonic=clock, speed=1
    )
    with running(monitor, endpoint):
        app.send(query("BEFORE"))
        (before,) = app.messages(1)
        clock.now += 25  # into the first silent window
        app.send(query("DURING"))
        assert app.hears_nothing_for(0.3)
        clock.now += 20  # out of it
        app.send(query("AFTER"))
        (after,) = app.messages(1)

    assert before.segments_named("MSA")[0].value(2) == "BEFORE"
    assert after.segments_named("MSA")[0].value(2) == "AFTER"
    assert scenario_second(after) == 45
    assert monitor.stats.queries_answered == 2


def test_unsolicited_results_every_5_scenario_seconds_and_acks_counted(
    endpoint: PtyEndpoint, app: App
) -> None:
    scenario = make_scenario("exanthema-day4", seed=9)
    monitor = SimulatedMonitor(
        "hl7", scenario, speed=50, clock=lambda: START, hl7_mode="unsolicited"
    )
    with running(monitor, endpoint):
        results = app.messages(3)
        for result in results[:2]:
            app.send(build_ack(result, control_id=f"A{result.control_id[-4:]}", timestamp=START))
        app.send(query("NOTHERE"))
        app.reads_until(lambda: (monitor.stats.acks_received, monitor.stats.rejected) == (2, 1))

    assert [(r.message_type, r.trigger_event) for r in results] == [("ORU", "R01")] * 3
    seconds = [scenario_second(result) for result in results]
    # [0, 5, 10] unless the machine is so slow that the monitor skips a late result.
    assert seconds[0] == 0
    assert all(b > a and b % 5 == 0 for a, b in itertools.pairwise(seconds))
    for result, second in zip(results, seconds, strict=True):
        shown = scenario.vitals_at(second).as_displayed()
        readings = decode_observations(result).readings
        assert {r.parameter: r.value for r in readings} == {p: shown.value(p) for p in Parameter}
    stats = monitor.stats
    # A device that pushes results does not take queries.
    assert stats.rejected == 1
    assert stats.unacknowledged == stats.sent - 2


def test_the_app_end_fails_when_the_simulator_closes_like_a_pulled_cable(
    endpoint: PtyEndpoint, app: App
) -> None:
    endpoint.port.write(b"x")
    assert app.port.read(1) == b"x"
    endpoint.close()

    with pytest.raises(serial.SerialException):
        app.port.read(1)
    with pytest.raises(serial.SerialException):
        app.port.write(b"?")
    assert not endpoint.path.exists()
    assert not endpoint.path.is_symlink()


def test_a_restarted_simulator_is_reachable_at_the_same_path(tmp_path: Path) -> None:
    link = tmp_path / "ttyMONITOR"
    with open_pty(link) as first:
        with open_pty(link) as second:
            # Taken over while the first still runs: the link now leads to the second.
            assert second.path == first.path == link
            assert link.resolve() == second.terminal != first.terminal
            first.close()
            assert link.is_symlink()
            app = App(link)
            try:
                second.port.write(b"hello\r\n")
                assert app.port.read(7) == b"hello\r\n"
            finally:
                app.close()
        assert not link.is_symlink()
        with open_pty(link) as third:
            app = App(link)
            try:
                third.port.write(b"again\r")
                assert app.port.read(6) == b"again\r"
            finally:
                app.close()


def test_a_link_never_replaces_a_real_file(tmp_path: Path) -> None:
    occupied = tmp_path / "ttyUSB0"
    occupied.write_text("not ours")
    with pytest.raises(FileExistsError):
        open_pty(occupied)
    assert occupied.read_text() == "not ours"


def test_the_pty_is_raw_for_a_plain_reader(endpoint: PtyEndpoint) -> None:
    # Opened as a plain file, not through pyserial, which would set its own modes.
    reader = os.open(endpoint.path, os.O_RDWR | os.O_NOCTTY)
    try:
        framed = encode_mllp(b"MSH|^~\\&|||||20260101||ACK|1|P|2.4\rMSA|AA|1\r")
        endpoint.port.write(framed)
        received = b""
        while len(received) < len(framed):
            received += os.read(reader, len(framed))
        assert received == framed
        os.write(reader, b"\r\n")
        assert endpoint.port.read(2) == b"\r\n"
        # Nothing the monitor wrote comes back to it as an echo.
        assert endpoint.port.read(1) == b""
    finally:
        os.close(reader)


def test_the_pty_without_an_app_reads_nothing_and_swallows_writes(
    endpoint: PtyEndpoint,
) -> None:
    assert endpoint.port.in_waiting == 0
    assert endpoint.port.read(10) == b""
    assert endpoint.port.write(b"nobody listens\r\n") == 16
    endpoint.close()
    with pytest.raises(serial.SerialException):
        endpoint.port.read(1)


def test_run_simulator_serves_until_stopped_and_cleans_up(tmp_path: Path) -> None:
    link = tmp_path / "ttyOXIMETER"
    ready: queue.Queue[Path] = queue.Queue()
    stop = threading.Event()
    results: queue.Queue[MonitorStats] = queue.Queue()

    def serve() -> None:
        results.put(run_simulator("masimo", "stable", 20, link=link, stop=stop, on_ready=ready.put))

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    path = ready.get(timeout=5)
    assert path == link
    app = App(path)
    try:
        (line, *_) = app.lines(lambda received: len(received) >= 2)
        assert decode_line(line).readings
    finally:
        stop.set()
        server.join(timeout=5)
        app.close()

    assert not server.is_alive()
    stats = results.get(timeout=1)
    assert stats.sent >= 2
    assert not link.is_symlink()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"protocol": "ascii"}, "protocol"),
        ({"hl7_mode": "push"}, "hl7_mode"),
        ({"speed": 0.0}, "speed"),
        ({"speed": float("inf")}, "speed"),
    ],
)
def test_monitor_refuses_settings_it_does_not_have(
    arguments: dict[str, object], message: str
) -> None:
    settings: dict[str, object] = {"protocol": "hl7", **arguments}
    protocol = settings.pop("protocol")
    with pytest.raises(ValueError, match=message):
        SimulatedMonitor(protocol, StableScenario(), **settings)  # type: ignore[arg-type]
