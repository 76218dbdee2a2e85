"""Capture and export as a nurse or an admin runs them, on a real record and real monitor output."""

from __future__ import annotations

import csv
import io
import os
import queue
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import tty
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import main
from alemmonitor.acquisition import Link, Recorder
from alemmonitor.clock import ManualClock, SystemClock, from_iso, local_date, to_iso
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.protocol import load_protocol
from alemmonitor.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from alemmonitor.store import Row, Store
from alemmonitor.ward import DEFAULT_CHAIRS, Admission, Ward
from devices.base import SerialSettings
from devices.hl7 import MllpFramer, encode_mllp, parse_ack, parse_message
from devices.masimo import MasimoDriver, decode_line
from devices.session import DeviceSession, LinkEvent, LinkState, Port, ReadingBatch, open_port

FIXTURES = Path(__file__).parents[1] / "devices" / "fixtures"
SCRIPT = Path(sys.executable).parent / "alemmonitor"
NURSE = "AB"
HEADER = "time,bed,patient_id,parameter,value,unit,source"


def fixture_lines(name: str) -> list[bytes]:
    """The lines of a fixture file without our comment header, as the device sent them."""
    text = (FIXTURES / name).read_text(encoding="ascii")
    return [line.encode("ascii") for line in text.splitlines() if not line.startswith("#")]


RADICAL7 = fixture_lines("masimo_radical7_ascii1.txt")
RAD8 = fixture_lines("masimo_rad8_manual_trend.txt")
ORF = b"".join(
    line.removesuffix(b"<CR>") + b"\r" for line in fixture_lines("efficia_cm_orf_r04.txt")
)

# (parameter, value, unit, monitor's time) of what the captures below store, in order.
MASIMO_STORED = [
    ("spo2", 98.0, "%", "2016-03-17T19:19:36"),
    ("pr", 123.0, "/min", "2016-03-17T19:19:36"),
    ("spo2", 97.0, "%", "2008-09-21T09:56:12"),
    ("pr", 69.0, "/min", "2008-09-21T09:56:12"),
    ("spo2", 96.0, "%", "2008-09-21T09:56:14"),
    ("pr", 74.0, "/min", "2008-09-21T09:56:14"),
    ("spo2", 98.0, "%", "2008-09-21T09:56:16"),
    ("pr", 78.0, "/min", "2008-09-21T09:56:16"),
    ("spo2", 96.0, "%", "2008-09-21T09:56:22"),
    ("pr", 78.0, "/min", "2008-09-21T09:56:22"),
]
HL7_STORED = [
    ("spo2", 98.0, "%", "2014-05-10T12:45:00"),
    ("sbp", 122.0, "mmHg", "2014-05-10T12:44:30"),
    ("dbp", 85.0, "mmHg", "2014-05-10T12:44:30"),
    ("map", 98.0, "mmHg", "2014-05-10T12:45:00"),
    ("pr", 80.0, "/min", "2014-05-10T12:45:00"),
    ("rr", 20.0, "/min", "2014-05-10T12:45:00"),
    ("temp", 37.4, "Cel", "2014-05-10T12:45:00"),
]


def cli(db: Path, *args: str | Path) -> int:
    """Run `alemmonitor --db DB ...` in this process (real wall clock); read output with capsys."""
    return main.main(["--db", str(db), "--by", NURSE, *map(str, args)])


def replay(db: Path, protocol: str, capture: Path, bed: str, *more: str) -> int:
    return cli(db, "capture", "--protocol", protocol, "--replay", capture, "--bed", bed, *more)


def observations(db: Path) -> list[Row]:
    with Store.open(db, SystemClock()) as store:
        return store.query(
            """SELECT o.*, b.label AS bed FROM observations AS o
               LEFT JOIN current_beds AS b ON b.root_id = o.bed_id ORDER BY o.rowid"""
        )


def device_events(db: Path) -> list[Row]:
    with Store.open(db, SystemClock()) as store:
        return store.query("SELECT * FROM device_events ORDER BY rowid")


def stored(rows: list[Row]) -> list[tuple[str, float, str, str]]:
    return [(r["parameter"], r["value"], r["unit"], r["device_time"]) for r in rows]


def admit_today(db: Path, hospital_id: str, name: str, chair: str) -> Admission:
    """Register a patient and start their infusion day now, on the real clock the CLI reads."""
    clock = SystemClock()
    with Store.open(db, clock) as store:
        ward = Ward(store, load_protocol(), clock)
        ward.ensure_beds(DEFAULT_CHAIRS, NURSE)
        patient = ward.register_patient(
            PatientDraft(hospital_id, name, date(1985, 3, 4), "female", 64.0), NURSE
        )
        return ward.admit(
            patient,
            course_number=1,
            day_number=1,
            bed=ward.find_bed(chair),
            planned_start=clock.now(),
            by=NURSE,
        )


def register(db: Path, hospital_id: str, name: str) -> Patient:
    clock = SystemClock()
    with Store.open(db, clock) as store:
        ward = Ward(store, load_protocol(), clock)
        return ward.register_patient(
            PatientDraft(hospital_id, name, date(1990, 1, 2), "male", 80.0), NURSE
        )


def today() -> date:
    clock = SystemClock()
    return local_date(clock, clock.now())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "record.sqlite3"


@pytest.fixture
def masimo_capture(tmp_path: Path) -> Path:
    """Radical-7 and Rad-8 output as it comes off the cable, the capture begun mid-line."""
    path = tmp_path / "radical7.raw"
    path.write_bytes(
        RADICAL7[0][40:] + b"\r\n" + b"".join(line + b"\r\n" for line in RADICAL7 + RAD8)
    )
    return path


@pytest.fixture
def hl7_capture(tmp_path: Path) -> Path:
    """The Efficia CM's ORF^R04 as it comes off the serial port, in its MLLP block."""
    path = tmp_path / "efficia.raw"
    path.write_bytes(encode_mllp(ORF))
    return path


@pytest.fixture
def captures(masimo_capture: Path, hl7_capture: Path) -> dict[str, Path]:
    return {"masimo": masimo_capture, "hl7": hl7_capture}


# -- capture -----------------------------------------------------------------------------------


def test_a_masimo_capture_is_replayed_into_the_record(
    db: Path, masimo_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = datetime.now(UTC)
    assert replay(db, "masimo", masimo_capture, "1") == 0
    after = datetime.now(UTC)

    assert capsys.readouterr().out.splitlines() == [
        f"masimo from {masimo_capture} to Chair 1",
        "frames decoded: 10",
        "frames rejected: 1 (1 not an ASCII 1 line)",
        "implausible values dropped: 8",
        "readings stored: 10 (pr 5, spo2 5)",
    ]
    rows = observations(db)
    assert stored(rows) == MASIMO_STORED
    assert {(r["source"], r["bed"], r["day_id"], r["entered_by"]) for r in rows} == {
        ("masimo", "Chair 1", None, "monitor:masimo")
    }
    assert all(before <= from_iso(r["measured_at"]) <= after for r in rows)


def test_an_efficia_capture_is_replayed_into_the_record(
    db: Path, hl7_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay(db, "hl7", hl7_capture, "Chair 3") == 0

    assert capsys.readouterr().out.splitlines() == [
        f"hl7 from {hl7_capture} to Chair 3",
        "frames decoded: 1",
        "frames rejected: 0",
        "implausible values dropped: 0",
        "readings stored: 7 (dbp 1, map 1, pr 1, rr 1, sbp 1, spo2 1, temp 1)",
    ]
    rows = observations(db)
    assert stored(rows) == HL7_STORED
    assert {(r["source"], r["bed"], r["day_id"]) for r in rows} == {("hl7", "Chair 3", None)}


def test_readings_go_to_the_day_of_the_patient_named(
    db: Path, masimo_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna = admit_today(db, "P-1001", "Anna Müller", "Chair 2")

    assert replay(db, "masimo", masimo_capture, "2", "--patient", "P-1001") == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"masimo from {masimo_capture} to Chair 2 (Anna Müller, P-1001)"
    assert out[-1] == "readings stored: 10 (pr 5, spo2 5)"
    rows = observations(db)
    assert stored(rows) == MASIMO_STORED
    assert {(r["day_id"], r["bed"]) for r in rows} == {(anna.id, "Chair 2")}


def test_without_a_patient_readings_go_to_whoever_is_on_the_chair(
    db: Path, hl7_capture: Path
) -> None:
    anna = admit_today(db, "P-1001", "Anna Müller", "Chair 4")

    assert replay(db, "hl7", hl7_capture, "4") == 0
    assert replay(db, "hl7", hl7_capture, "5") == 0

    by_chair = {(r["bed"], r["day_id"]) for r in observations(db)}
    assert by_chair == {("Chair 4", anna.id), ("Chair 5", None)}


REJECTED_AS = {"hl7": "bytes outside MLLP blocks", "masimo": "not an ASCII 1 line"}


@pytest.mark.parametrize(("protocol", "other"), [("hl7", "masimo"), ("masimo", "hl7")])
def test_a_capture_of_another_protocol_is_refused_and_nothing_stored(
    db: Path,
    captures: dict[str, Path],
    protocol: str,
    other: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    capture = captures[other]

    assert replay(db, protocol, capture, "1") == 1

    err = capsys.readouterr().err
    assert f"alemmonitor: {capture} does not hold {protocol} frames (" in err
    assert REJECTED_AS[protocol] in err
    assert observations(db) == []
    assert device_events(db) == []


def test_a_capture_file_that_does_not_exist_is_named(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing.raw"
    assert replay(db, "masimo", missing, "1") == 1
    assert f"{missing}: cannot be read" in capsys.readouterr().err


def unused_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("kind", ["device", "socket"])
def test_a_port_that_cannot_be_opened_is_named_and_nothing_stored(
    db: Path, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = (
        str(tmp_path / "ttyUSB7") if kind == "device" else f"socket://127.0.0.1:{unused_tcp_port()}"
    )

    code = cli(db, "capture", "--protocol", "masimo", "--port", url, "--bed", "1", "--seconds", "5")

    assert code == 1
    assert f"alemmonitor: cannot open port {url}: " in capsys.readouterr().err
    assert observations(db) == []
    assert device_events(db) == []


def test_an_unknown_protocol_names_the_ones_there_are(
    db: Path, hl7_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay(db, "philips", hl7_capture, "1") == 1
    err = capsys.readouterr().err
    assert "unknown monitor protocol 'philips'; known: hl7, intellivue, masimo, s5" in err
    assert not db.exists()


def test_an_unknown_chair_is_refused(
    db: Path, hl7_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay(db, "hl7", hl7_capture, "Chair 9") == 1
    err = capsys.readouterr().err
    chairs = ", ".join(f"Chair {n}" for n in range(1, 7))
    assert f"bed: no chair 'Chair 9'; the chairs are: {chairs}" in err
    assert observations(db) == []


def test_an_unknown_patient_is_refused(
    db: Path, hl7_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay(db, "hl7", hl7_capture, "1", "--patient", "P-9999") == 1
    assert "patient: no patient 'P-9999'" in capsys.readouterr().err
    assert observations(db) == []


def test_a_patient_without_an_infusion_day_today_is_refused(
    db: Path, hl7_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register(db, "P-2002", "Jan Nowak")

    assert replay(db, "hl7", hl7_capture, "1", "--patient", "P-2002") == 1
    assert "patient: Jan Nowak has no infusion day today" in capsys.readouterr().err
    assert observations(db) == []


# -- export ------------------------------------------------------------------------------------


def export(db: Path, capsys: pytest.CaptureFixture[str], *args: str | Path) -> list[list[str]]:
    capsys.readouterr()
    assert cli(db, "export", "--format", "csv", *args) == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))


@pytest.fixture
def two_chairs(
    db: Path, masimo_capture: Path, hl7_capture: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[datetime, datetime]:
    """Chair 1 free with an oximeter, Anna on chair 2 with an Efficia CM; when it was captured."""
    admit_today(db, "P-1001", "Anna Müller", "Chair 2")
    before = datetime.now(UTC).replace(microsecond=0)
    assert replay(db, "masimo", masimo_capture, "1") == 0
    assert replay(db, "hl7", hl7_capture, "2") == 0
    after = datetime.now(UTC)
    capsys.readouterr()
    return before, after


def value_text(value: float) -> str:
    return f"{value:g}"


EXPECTED_ROWS = [
    ["Chair 1", "", parameter, value_text(value), unit, "masimo"]
    for parameter, value, unit, _ in MASIMO_STORED
] + [
    ["Chair 2", "P-1001", parameter, value_text(value), unit, "hl7"]
    for parameter, value, unit, _ in HL7_STORED
]


def test_export_writes_one_row_per_stored_value(
    db: Path, two_chairs: tuple[datetime, datetime], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = two_chairs

    header, *rows = export(db, capsys)

    assert header == HEADER.split(",")
    assert [row[1:] for row in rows] == EXPECTED_ROWS
    assert EXPECTED_ROWS[2] == ["Chair 1", "", "spo2", "97", "%", "masimo"]
    assert EXPECTED_ROWS[-1] == ["Chair 2", "P-1001", "temp", "37.4", "Cel", "hl7"]
    for row in rows:
        time = datetime.fromisoformat(row[0])
        assert time.tzinfo is not None, row[0]
        assert before <= time <= after


def test_export_of_another_day_has_only_the_header(
    db: Path, two_chairs: tuple[datetime, datetime], capsys: pytest.CaptureFixture[str]
) -> None:
    del two_chairs
    yesterday = (today() - timedelta(days=1)).isoformat()
    tomorrow = (today() + timedelta(days=1)).isoformat()

    assert export(db, capsys, "--date", yesterday) == [HEADER.split(",")]
    assert export(db, capsys, "--date", tomorrow) == [HEADER.split(",")]
    assert [row[1:] for row in export(db, capsys, "--date", today().isoformat())[1:]] == (
        EXPECTED_ROWS
    )


def test_export_of_one_chair(
    db: Path, two_chairs: tuple[datetime, datetime], capsys: pytest.CaptureFixture[str]
) -> None:
    del two_chairs
    chair_2 = [row[1:] for row in export(db, capsys, "--bed", "Chair 2")[1:]]
    assert chair_2 == EXPECTED_ROWS[len(MASIMO_STORED) :]
    assert [row[1:] for row in export(db, capsys, "--bed", "1")[1:]] == (
        EXPECTED_ROWS[: len(MASIMO_STORED)]
    )


def test_export_of_an_unknown_chair_is_refused(
    db: Path, two_chairs: tuple[datetime, datetime], capsys: pytest.CaptureFixture[str]
) -> None:
    del two_chairs
    assert cli(db, "export", "--format", "csv", "--bed", "Chair 12") == 1
    captured = capsys.readouterr()
    assert "no chair 'Chair 12'" in captured.err
    assert captured.out == ""


def test_export_to_a_file_writes_what_stdout_shows(
    db: Path,
    tmp_path: Path,
    two_chairs: tuple[datetime, datetime],
    capsys: pytest.CaptureFixture[str],
) -> None:
    del two_chairs
    assert cli(db, "export", "--format", "csv") == 0
    shown = capsys.readouterr().out
    out = tmp_path / "vitals.csv"

    assert cli(db, "export", "--format", "csv", "--out", out) == 0

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{out}: 17 values\n"
    assert out.read_text(encoding="utf-8") == shown
    assert shown.startswith(HEADER + "\n")


def test_export_to_a_folder_that_does_not_exist_fails_and_leaves_nothing(
    db: Path,
    tmp_path: Path,
    two_chairs: tuple[datetime, datetime],
    capsys: pytest.CaptureFixture[str],
) -> None:
    del two_chairs
    before = sorted(tmp_path.iterdir())
    out = tmp_path / "no such folder" / "vitals.csv"

    assert cli(db, "export", "--format", "csv", "--out", out) == 1

    assert f"alemmonitor: {out}: cannot be written" in capsys.readouterr().err
    assert not out.parent.exists()
    assert sorted(tmp_path.iterdir()) == before


def test_export_onto_a_folder_fails_with_a_message_and_leaves_the_folder_alone(
    db: Path,
    tmp_path: Path,
    two_chairs: tuple[datetime, datetime],
    capsys: pytest.CaptureFixture[str],
) -> None:
    del two_chairs
    folder = tmp_path / "exports"
    folder.mkdir()
    before = sorted(tmp_path.iterdir())

    assert cli(db, "export", "--format", "csv", "--out", folder) == 1

    assert f"alemmonitor: {folder}" in capsys.readouterr().err
    assert folder.is_dir()
    assert list(folder.iterdir()) == []
    assert sorted(tmp_path.iterdir()) == before


def test_an_exported_file_is_as_readable_as_any_file_written_there(
    db: Path, tmp_path: Path, two_chairs: tuple[datetime, datetime]
) -> None:
    # The hospital's import job usually reads the file under another account.
    del two_chairs
    out = tmp_path / "vitals.csv"
    ordinary = tmp_path / "ordinary.csv"
    ordinary.write_text(HEADER + "\n", encoding="utf-8")

    assert cli(db, "export", "--format", "csv", "--out", out) == 0

    assert out.stat().st_mode & 0o777 == ordinary.stat().st_mode & 0o777


def test_manual_vitals_are_exported_with_source_manual(
    db: Path, masimo_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna = admit_today(db, "P-1001", "Anna Müller", "Chair 3")
    clock = SystemClock()
    with Store.open(db, clock) as store:
        Ward(store, load_protocol(), clock).record_vitals(
            anna, {"sbp": 128, "dbp": 82, "hr": 72, "temp": 36.8}, by=NURSE
        )
    assert replay(db, "masimo", masimo_capture, "3") == 0

    rows = [row[1:] for row in export(db, capsys)[1:]]

    assert rows[:4] == [
        ["Chair 3", "P-1001", "sbp", "128", "mmHg", "manual"],
        ["Chair 3", "P-1001", "dbp", "82", "mmHg", "manual"],
        ["Chair 3", "P-1001", "hr", "72", "/min", "manual"],
        ["Chair 3", "P-1001", "temp", "36.8", "Cel", "manual"],
    ]
    assert rows[4:] == [
        ["Chair 3", "P-1001", parameter, value_text(value), unit, "masimo"]
        for parameter, value, unit, _ in MASIMO_STORED
    ]


@pytest.fixture
def child_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a child process: its own home, no record configured."""
    home = tmp_path / "home"
    home.mkdir()
    env = {name: value for name, value in os.environ.items() if name != "ALEMMONITOR_DB"}
    env["HOME"] = str(home)
    env["XDG_DATA_HOME"] = str(home / "data")
    env["ALEMMONITOR_USER"] = NURSE
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `alemmonitor` script as a shell would."""
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=env["HOME"],
        timeout=60,
        check=False,
    )


def test_the_installed_command_captures_and_exports(
    child_env: dict[str, str], db: Path, hl7_capture: Path
) -> None:
    captured = run(
        child_env, "capture", "--protocol", "hl7", "--replay", hl7_capture, "--bed", "6", "--db", db
    )
    assert (captured.returncode, captured.stderr) == (0, "")
    assert "readings stored: 7 (dbp 1, map 1, pr 1, rr 1, sbp 1, spo2 1, temp 1)" in (
        captured.stdout
    )

    exported = run(child_env, "export", "--format", "csv", "--db", db)
    assert (exported.returncode, exported.stderr) == (0, "")
    header, *rows = exported.stdout.splitlines()
    assert header == HEADER
    assert [row.split(",", 1)[1] for row in rows] == [
        f"Chair 6,,{parameter},{value_text(value)},{unit},hl7"
        for parameter, value, unit, _ in HL7_STORED
    ]
    assert all(datetime.fromisoformat(row.split(",", 1)[0]).tzinfo for row in rows)


def read_messages(master: int, count: int, timeout: float) -> list[bytes]:
    """The next `count` MLLP messages the capture sent to the monitor at the pty's far end."""
    framer = MllpFramer()
    messages: list[bytes] = []
    while len(messages) < count:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            raise AssertionError(f"{len(messages)} of {count} messages within {timeout} s")
        messages += framer.feed(os.read(master, 4096))
    return messages


@pytest.fixture
def pty() -> Iterator[tuple[int, str]]:
    """A pseudo-terminal: the capture opens the slave's path, the test is the monitor.

    The test keeps the slave open too, so that the capture's closing it does not hang up the
    master while the capture opens it again.
    """
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    os.close(slave)
    os.close(master)


def test_a_live_capture_ended_with_ctrl_c_stores_and_summarises(
    child_env: dict[str, str], db: Path, pty: tuple[int, str]
) -> None:
    master, path = pty
    child = subprocess.Popen(
        [str(SCRIPT), "capture", "--protocol", "hl7", "--port", path, "--bed", "1", "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=child_env,
        cwd=child_env["HOME"],
    )
    try:
        # The Efficia CM is asked, answers, and its answer is acknowledged once stored.
        [query] = read_messages(master, 1, timeout=10)
        assert parse_message(query).message_type == "QRY"
        os.write(master, encode_mllp(ORF))
        acks = [
            m for m in read_messages(master, 1, timeout=5) if parse_message(m).message_type == "ACK"
        ]
        assert [parse_ack(ack).code for ack in acks] == ["AA"]

        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()

    assert stored(observations(db)) == HL7_STORED
    assert [e["state"] for e in device_events(db)] == ["connected", "receiving", "stopped"]
    assert err == f"capturing hl7 from {path} for Chair 1; Ctrl+C ends\n"
    # Ctrl+C is how a capture without --seconds ends: it ends like one that ran out of time.
    lines = out.splitlines()
    assert lines[:5] == [
        f"hl7 from {path} to Chair 1",
        "frames decoded: 1",
        "frames rejected: 0",
        "implausible values dropped: 0",
        "readings stored: 7 (dbp 1, map 1, pr 1, rr 1, sbp 1, spo2 1, temp 1)",
    ]
    assert child.returncode == 0


def test_a_live_capture_for_some_seconds_records_the_link(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli(
        db, "capture", "--protocol", "masimo", "--port", "loop://", "--bed", "2", "--seconds", "0.2"
    )

    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:5] == [
        "masimo from loop:// to Chair 2",
        "frames decoded: 0",
        "frames rejected: 0",
        "implausible values dropped: 0",
        "readings stored: 0",
    ]
    assert [line.split(" ", 2)[2] for line in lines[5:]] == [
        "connected: loop:// open at 9600 baud",
        "stopped: reading stopped",
    ]
    events = device_events(db)
    assert [(e["state"], e["protocol"], e["port"]) for e in events] == [
        ("connected", "masimo", "loop://"),
        ("stopped", "masimo", "loop://"),
    ]
    with Store.open(db, SystemClock()) as store:
        chair_2 = Ward(store, load_protocol(), SystemClock()).find_bed("2")
    assert {e["bed_id"] for e in events} == {chair_2.id}
    assert {e["entered_by"] for e in events} == {"monitor:masimo"}


# -- the record: migration and the recorder ---------------------------------------------------


def test_a_schema_1_record_is_upgraded_and_keeps_its_patients(db: Path, clock: ManualClock) -> None:
    old = sqlite3.connect(db)
    old.executescript(MIGRATIONS[0])
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute("PRAGMA user_version = 1")
    old.execute(
        """INSERT INTO patients (id, root_id, hospital_id, name, date_of_birth, sex, weight_kg,
                                 entered_at, entered_by)
           VALUES ('p1', 'p1', 'P-1001', 'Anna Müller', '1985-03-04', 'female', 64.0,
                   '2026-11-20T08:00:00.000000+00:00', 'AB')"""
    )
    old.commit()
    old.close()

    with Store.open(db, clock) as store:
        assert store.pragma("user_version") == SCHEMA_VERSION
        [anna] = store.current("patients")
        assert (anna["hospital_id"], anna["name"]) == ("P-1001", "Anna Müller")
        columns = {
            r["name"]
            for r in store.query("SELECT name FROM pragma_table_info(?)", ("observations",))
        }
        assert "device_time" in columns
        current_columns = {
            r["name"]
            for r in store.query("SELECT name FROM pragma_table_info(?)", ("current_observations",))
        }
        assert "device_time" in current_columns
        store.add_records(
            "device_events",
            [{"at": to_iso(clock.now()), "protocol": "masimo", "port": "COM3", "state": "silent"}],
            "monitor:masimo",
        )

    other_program = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            other_program.execute("UPDATE device_events SET state = 'receiving'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            other_program.execute("DELETE FROM device_events")
        [event] = other_program.execute("SELECT state, port FROM device_events").fetchall()
        assert event == ("silent", "COM3")
    finally:
        other_program.close()


def masimo_batch(line: bytes, clock: ManualClock) -> ReadingBatch:
    decoded = decode_line(line)
    return ReadingBatch(
        decoded.readings, decoded.status, decoded.unmapped, clock.now(), clock.monotonic()
    )


@pytest.fixture
def recorder(ward: Ward) -> Recorder:
    [chair, *_] = ward.ensure_beds(DEFAULT_CHAIRS, NURSE)
    return Recorder(
        ward.store, Link("masimo", "COM3", chair.id), resolve_day=lambda: None, source="masimo"
    )


def test_the_recorder_stores_readings_with_the_monitors_time_beside_the_laptops(
    recorder: Recorder, store: Store, clock: ManualClock
) -> None:
    recorder.on_readings(masimo_batch(RADICAL7[0], clock))

    rows = store.query("SELECT * FROM observations ORDER BY rowid")
    assert [(r["parameter"], r["value"], r["device_time"]) for r in rows] == [
        ("spo2", 98.0, "2016-03-17T19:19:36"),
        ("pr", 123.0, "2016-03-17T19:19:36"),
    ]
    assert {(r["measured_at"], r["received_at"]) for r in rows} == {
        (to_iso(clock.now()), to_iso(clock.now()))
    }
    assert dict(recorder.stored) == {"spo2": 1, "pr": 1}
    assert recorder.failed_batches == 0


def test_a_batch_the_record_refuses_is_counted_and_the_next_one_stored(
    recorder: Recorder, store: Store, clock: ManualClock
) -> None:
    store.connection.execute("PRAGMA query_only = 1")  # the file has become read-only
    recorder.on_readings(masimo_batch(RADICAL7[0], clock))
    assert (recorder.failed_batches, dict(recorder.stored)) == (1, {})

    store.connection.execute("PRAGMA query_only = 0")
    recorder.on_readings(masimo_batch(RAD8[2], clock))

    assert (recorder.failed_batches, dict(recorder.stored)) == (1, {"spo2": 1, "pr": 1})
    rows = store.query("SELECT parameter, value FROM observations ORDER BY rowid")
    assert [(r["parameter"], r["value"]) for r in rows] == [("spo2", 97.0), ("pr", 69.0)]


def test_a_closed_record_does_not_stop_the_session(recorder: Recorder, store: Store) -> None:
    store.close()
    batches: queue.Queue[ReadingBatch] = queue.Queue()
    links: queue.Queue[LinkEvent] = queue.Queue()
    opened: queue.Queue[Port] = queue.Queue()

    def on_readings(batch: ReadingBatch) -> None:
        recorder.on_readings(batch)
        batches.put(batch)

    def on_link(event: LinkEvent) -> None:
        recorder.on_link_event(event)
        links.put(event)

    def opener(url: str, settings: SerialSettings) -> Port:
        port = open_port(url, settings)
        opened.put(port)
        return port

    session = DeviceSession(
        "loop://", MasimoDriver(), on_readings=on_readings, on_link=on_link, opener=opener
    )
    session.start()
    try:
        assert links.get(timeout=2).state is LinkState.CONNECTED
        port = opened.get(timeout=2)
        port.write(RADICAL7[0] + b"\r\n")
        batches.get(timeout=2)
        port.write(RAD8[2] + b"\r\n")
        batches.get(timeout=2)
    finally:
        session.stop()

    assert recorder.failed_batches == 2
    assert dict(recorder.stored) == {}
    assert [e.state for e in recorder.link_events] == [
        LinkState.CONNECTED,
        LinkState.RECEIVING,
        LinkState.STOPPED,
    ]
