"""The record on disk: safe pragmas, our own files only, append-only rows, atomic saves."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest

from alemmonitor.clock import ManualClock, from_iso, to_iso
from alemmonitor.errors import StoreError
from alemmonitor.schema import APPLICATION_ID, CLINICAL_TABLES, SCHEMA_VERSION
from alemmonitor.store import Store

NURSE = "Nurse Weber"
CHECKER = "Nurse Okafor"
NOBODY = 65534
TIMEOUT_S = 30

Row = dict[str, Any]


def plain_connection(path: Path, **kwargs: Any) -> sqlite3.Connection:
    """A connection as another program (the sqlite3 shell, a backup tool) would open it."""
    return sqlite3.connect(path, isolation_level=None, **kwargs)


def observation(clock: ManualClock, value: float = 72.0, source: str = "simulator") -> Row:
    now = to_iso(clock.now())
    return {
        "parameter": "hr",
        "value": value,
        "unit": "/min",
        "measured_at": now,
        "received_at": now,
        "source": source,
    }


def record_a_day(store: Store, clock: ManualClock) -> dict[str, Row]:
    """One record in every clinical table, as a nurse would enter them on day 1 of a course."""
    today = clock.now().date().isoformat()
    now = to_iso(clock.now())
    patient = store.insert(
        "patients",
        {
            "hospital_id": "H-100234",
            "name": "Anna Schmidt",
            "date_of_birth": "1984-03-12",
            "sex": "female",
            "weight_kg": 68.5,
        },
        by=NURSE,
    )
    bed = store.insert("beds", {"label": "Chair 3", "position": 3}, by=NURSE)
    course = store.insert(
        "courses",
        {"patient_id": patient["id"], "number": 1, "start_date": today, "days": 5},
        by=NURSE,
    )
    day = store.insert(
        "infusion_days",
        {
            "course_id": course["id"],
            "day_number": 1,
            "date": today,
            "bed_id": bed["id"],
            "planned_start": now,
            "protocol_id": "default",
        },
        by=NURSE,
    )
    event = store.insert(
        "events",
        {
            "day_id": day["id"],
            "kind": "premedication_given",
            "occurred_at": now,
            "drug": "methylprednisolone",
            "dose": 1000,
            "unit": "mg",
            "route": "iv",
            "performed_by": NURSE,
            "checked_by": CHECKER,
        },
        by=NURSE,
    )
    manual = store.insert(
        "observations",
        {**observation(clock, 88.0, source="manual"), "day_id": day["id"], "bed_id": bed["id"]},
        by=NURSE,
    )
    reaction = store.insert(
        "reactions",
        {
            "day_id": day["id"],
            "term": "Infusion related reaction",
            "ctcae_version": "5.0",
            "grade": 1,
            "onset_at": now,
        },
        by=NURSE,
    )
    note = store.insert(
        "notes",
        {"patient_id": patient["id"], "day_id": day["id"], "written_at": now, "text": "Well."},
        by=NURSE,
    )
    monitor_link = store.insert(
        "monitor_links", {"bed_id": bed["id"], "protocol": "masimo", "port": "COM3"}, by=NURSE
    )
    limit = store.insert(
        "alarm_limits",
        {
            "patient_id": patient["id"],
            "parameter": "hr",
            "side": "high",
            "priority": "medium",
            "value": 130,
            "reason": "resting heart rate 110 on steroid days",
        },
        by=NURSE,
    )
    scale = store.insert(
        "spo2_scales",
        {"patient_id": patient["id"], "scale": 2, "reason": "COPD, target 88-92 %"},
        by=NURSE,
    )
    warning_check = store.insert(
        "warning_checks",
        {
            "day_id": day["id"],
            "checked_at": now,
            "trigger": "blood pressure 186/104",
            "answers": '{"headache": false}',
            "positive": 0,
            "advice": "",
        },
        by=NURSE,
    )
    plan = store.insert(
        "followup_plans",
        {
            "patient_id": patient["id"],
            "course_id": course["id"],
            "course_number": 1,
            "first_infusion_on": today,
            "last_infusion_on": today,
            "ended_early": 1,
            "reason": "course stopped after day 1 on the physician's order",
            "schedule": '{"plan": []}',
        },
        by=NURSE,
    )
    skip = store.insert(
        "followup_skips",
        {"plan_id": plan["id"], "slot": f"urinalysis:{today}", "reason": "done by the GP"},
        by=NURSE,
    )
    lab_result = store.insert(
        "lab_results",
        {
            "patient_id": patient["id"],
            "course_id": course["id"],
            "day_id": day["id"],
            "sample_id": "sample-1",
            "analyte": "neutrophils",
            "value": 0.899,
            "unit": "10*9/L",
            "typed": "899 /µL",
            "reference_low": 1.8,
            "reference_high": 7.7,
            "sampled_at": now,
            "sampling_point": "follow_up",
            "plan_id": plan["id"],
            "slot": f"blood_count:{today}",
            "ctcae_term": "Neutrophil count decreased",
            "ctcae_version": "5.0",
            "grade": 3,
            "advice": "look for large granular lymphocytes on the smear",
        },
        by=NURSE,
    )
    return {
        "patients": patient,
        "beds": bed,
        "courses": course,
        "infusion_days": day,
        "events": event,
        "observations": manual,
        "reactions": reaction,
        "notes": note,
        "monitor_links": monitor_link,
        "alarm_limits": limit,
        "spo2_scales": scale,
        "warning_checks": warning_check,
        "followup_plans": plan,
        "followup_skips": skip,
        "lab_results": lab_result,
    }


def everything_in(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every clinical table and of the audit trail, read by another program."""
    connection = plain_connection(path)
    try:
        return {
            table: connection.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()  # noqa: S608
            for table in (*CLINICAL_TABLES, "audit")
        }
    finally:
        connection.close()


def assert_records(stored: list[Row], saved: list[Row]) -> None:
    """`stored` (read back) holds exactly the records `saved` returned, with the same values."""
    assert [row["id"] for row in stored] == [row["id"] for row in saved]
    for stored_row, saved_row in zip(stored, saved, strict=True):
        assert stored_row | saved_row == stored_row


def folder_listing(path: Path) -> dict[str, bytes]:
    """The bytes of every file in the folder of `path`."""
    return {entry.name: entry.read_bytes() for entry in path.parent.iterdir()}


# -- opening: pragmas, identity, versions -------------------------------------------------------


def assert_safe_pragmas(store: Store) -> None:
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("synchronous") == 2  # FULL
    assert store.pragma("foreign_keys") == 1
    busy_timeout = store.pragma("busy_timeout")
    assert isinstance(busy_timeout, int)
    assert busy_timeout >= 5000


def test_a_new_record_is_opened_with_the_safe_pragmas(db_path: Path, clock: ManualClock) -> None:
    with Store.open(db_path, clock) as store:
        assert_safe_pragmas(store)
        other = plain_connection(db_path)
        try:
            assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            other.close()


def test_a_reopened_record_is_opened_with_the_safe_pragmas(
    db_path: Path, clock: ManualClock
) -> None:
    Store.open(db_path, clock).close()

    with Store.open(db_path, clock) as store:
        assert_safe_pragmas(store)
        other = plain_connection(db_path)
        try:
            assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            other.close()


def test_reopening_puts_back_the_write_ahead_log_another_tool_switched_off(
    db_path: Path, clock: ManualClock
) -> None:
    Store.open(db_path, clock).close()
    other = plain_connection(db_path)
    assert other.execute("PRAGMA journal_mode = delete").fetchone()[0] == "delete"
    other.close()

    with Store.open(db_path, clock) as store:
        assert_safe_pragmas(store)

    other = plain_connection(db_path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_foreign_keys_are_enforced(store: Store, clock: ManualClock) -> None:
    today = clock.now().date().isoformat()
    course = {"patient_id": str(uuid.uuid4()), "number": 1, "start_date": today, "days": 5}

    with pytest.raises(StoreError, match="courses"):
        store.insert("courses", course, by=NURSE)

    assert store.current("courses") == []


def test_a_new_record_carries_the_schema_version_and_our_application_id(
    db_path: Path, clock: ManualClock
) -> None:
    Store.open(db_path, clock).close()

    other = plain_connection(db_path)
    try:
        assert other.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert other.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        other.close()


def test_an_empty_file_is_set_up_as_a_new_record(db_path: Path, clock: ManualClock) -> None:
    db_path.touch()

    with Store.open(db_path, clock) as store:
        assert store.pragma("user_version") == SCHEMA_VERSION
        assert store.pragma("application_id") == APPLICATION_ID
        saved = store.insert("observations", observation(clock), by=NURSE)
        assert_records(store.current("observations"), [saved])


def test_reopening_an_up_to_date_record_changes_nothing(db_path: Path, clock: ManualClock) -> None:
    with Store.open(db_path, clock) as store:
        day = record_a_day(store, clock)
    before = folder_listing(db_path)

    with Store.open(db_path, clock) as store:
        assert store.pragma("user_version") == SCHEMA_VERSION
        assert_records(store.current("patients"), [day["patients"]])

    assert folder_listing(db_path) == before


def test_a_record_from_a_newer_version_is_refused_unchanged(
    db_path: Path, clock: ManualClock
) -> None:
    with Store.open(db_path, clock) as store:
        record_a_day(store, clock)
    newer = SCHEMA_VERSION + 7
    other = plain_connection(db_path)
    other.execute(f"PRAGMA user_version = {newer}")
    other.close()
    before = folder_listing(db_path)

    with pytest.raises(StoreError) as refused:
        Store.open(db_path, clock)

    message = str(refused.value)
    assert str(db_path) in message
    assert "newer" in message
    assert f"version {newer}" in message
    assert f"version {SCHEMA_VERSION}" in message
    assert folder_listing(db_path) == before


def write_text_file(path: Path, _clock: ManualClock) -> None:
    path.write_text("Bed 3: Anna Schmidt, HR 72, BP 118/76\n" * 200, encoding="utf-8")


def write_other_programs_database(path: Path, _clock: ManualClock) -> None:
    other = plain_connection(path)
    other.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    other.executemany(
        "INSERT INTO moz_places (url) VALUES (?)",
        [(f"https://example.org/{i}",) for i in range(50)],
    )
    other.close()


def write_corrupt_record(path: Path, clock: ManualClock) -> None:
    with Store.open(path, clock) as store:
        record_a_day(store, clock)
        for value in range(400):
            store.insert("observations", observation(clock, float(value)), by=NURSE)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    page_count = len(data) // page_size
    # From the middle of a late page over the start of the next one, which holds its b-tree header.
    start = (page_count - 3) * page_size + page_size // 2
    data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
    checker = plain_connection(path)
    try:
        problems = [row[0] for row in checker.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError:
        problems = ["malformed"]
    finally:
        checker.close()
    assert problems != ["ok"], "the damage must be visible to SQLite for this test to mean anything"


@pytest.mark.parametrize(
    "make_file",
    [write_text_file, write_other_programs_database, write_corrupt_record],
    ids=["plain text", "another program's SQLite", "corrupt AlemMonitor record"],
)
def test_a_file_that_is_not_a_sound_record_is_refused_unchanged(
    db_path: Path, clock: ManualClock, make_file: Callable[[Path, ManualClock], None]
) -> None:
    make_file(db_path, clock)
    before = folder_listing(db_path)

    with pytest.raises(StoreError) as refused:
        Store.open(db_path, clock)

    assert str(db_path) in str(refused.value)
    assert folder_listing(db_path) == before


OPEN_AS_UNPRIVILEGED_USER = f"""
import os
import sys
from pathlib import Path

from alemmonitor.clock import SystemClock
from alemmonitor.errors import StoreError
from alemmonitor.store import Store

if os.geteuid() == 0:
    # Everything the open needs is loaded above: the interpreter may live under /root.
    os.setgroups([])
    os.setgid({NOBODY})
    os.setuid({NOBODY})
try:
    Store.open(Path(sys.argv[1]), SystemClock()).close()
except StoreError as exc:
    print(f"StoreError: {{exc}}", flush=True)
    sys.exit(3)
print("opened", flush=True)
"""


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder outside pytest's root-only temporary folder, one "nobody" can enter."""
    folder = Path(tempfile.mkdtemp(prefix="alemmonitor-readonly-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("file_mode", "folder_mode"),
    [(0o444, 0o555), (0o444, 0o755), (0o644, 0o555)],
    ids=["read-only medium", "read-only file", "read-only folder"],
)
def test_a_record_that_cannot_be_written_is_refused_unchanged(
    shared_folder: Path, clock: ManualClock, file_mode: int, folder_mode: int
) -> None:
    path = shared_folder / "ward.sqlite3"
    with Store.open(path, clock) as store:
        record_a_day(store, clock)
    if os.geteuid() == 0:
        # root writes whatever the permissions say; the open runs as "nobody", owning the files.
        os.chown(shared_folder, NOBODY, NOBODY)
        os.chown(path, NOBODY, NOBODY)
    path.chmod(file_mode)
    shared_folder.chmod(folder_mode)
    before = folder_listing(path)

    child = subprocess.run(
        [sys.executable, "-c", OPEN_AS_UNPRIVILEGED_USER, str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )

    assert child.returncode == 3, child.stdout + child.stderr
    assert child.stdout.startswith("StoreError: ")
    assert str(path) in child.stdout
    assert "read-only" in child.stdout
    assert folder_listing(path) == before


# -- append-only ---------------------------------------------------------------------------------


def the_apps_connection(store: Store) -> sqlite3.Connection:
    return store.connection


def another_programs_connection(store: Store) -> sqlite3.Connection:
    return plain_connection(store.path)


TABLES_AND_AUDIT = (*CLINICAL_TABLES, "audit")
TAMPERING = {
    "UPDATE": ["UPDATE {table} SET {who} = 'someone else'"],
    "DELETE": ["DELETE FROM {table}"],
    "INSERT OR REPLACE": [
        "CREATE TEMP TABLE copy AS SELECT * FROM {table} LIMIT 1",
        "UPDATE temp.copy SET {who} = 'someone else'",
        "INSERT OR REPLACE INTO {table} SELECT * FROM temp.copy",
    ],
}


@pytest.mark.parametrize(
    "connect",
    [the_apps_connection, another_programs_connection],
    ids=["the app's connection", "another program's connection"],
)
@pytest.mark.parametrize("statement", list(TAMPERING))
@pytest.mark.parametrize("table", TABLES_AND_AUDIT)
def test_recorded_rows_cannot_be_changed_or_removed(
    store: Store,
    clock: ManualClock,
    connect: Callable[[Store], sqlite3.Connection],
    statement: str,
    table: str,
) -> None:
    record_a_day(store, clock)
    who = "by" if table == "audit" else "entered_by"
    before = everything_in(store.path)
    connection = connect(store)

    try:
        *preparation, tampering = TAMPERING[statement]
        for sql in preparation:
            connection.execute(sql.format(table=table, who=who))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(tampering.format(table=table, who=who))
    finally:
        connection.execute("DROP TABLE IF EXISTS temp.copy")
        if connection is not store.connection:
            connection.close()

    assert everything_in(store.path) == before


# -- corrections and voids -----------------------------------------------------------------------


def test_a_correction_becomes_current_and_both_versions_stay_in_the_history(
    store: Store, clock: ManualClock
) -> None:
    day = record_a_day(store, clock)
    original = day["patients"]
    clock.advance(timedelta(minutes=7))

    correction = store.correct(
        "patients", original["id"], {"weight_kg": 71.2}, by=CHECKER, reason="weighed again"
    )

    current = store.current_by_root("patients", original["id"])
    assert current is not None
    assert current["weight_kg"] == 71.2
    assert current["id"] == correction["id"]
    assert [row["weight_kg"] for row in store.current("patients")] == [71.2]
    first, second = store.history("patients", original["id"])
    assert_records([first], [original])
    assert first["weight_kg"] == 68.5
    assert second["supersedes"] == original["id"]
    assert second["root_id"] == original["id"]
    assert second["weight_kg"] == 71.2
    assert second["name"] == original["name"]
    assert second["correction_reason"] == "weighed again"
    assert second["entered_by"] == CHECKER
    assert from_iso(second["entered_at"]) == clock.now()
    assert from_iso(first["entered_at"]) == clock.now() - timedelta(minutes=7)


def test_a_version_that_was_already_corrected_cannot_be_corrected_again(
    store: Store, clock: ManualClock
) -> None:
    original = store.insert("observations", observation(clock, 150.0, "manual"), by=NURSE)
    store.correct("observations", original["id"], {"value": 105.0}, by=NURSE, reason="typo")
    history = store.history("observations", original["id"])

    with pytest.raises(StoreError, match="already corrected"):
        store.correct("observations", original["id"], {"value": 51.0}, by=CHECKER, reason="typo")

    assert store.history("observations", original["id"]) == history
    assert [row["value"] for row in store.current("observations")] == [105.0]


@pytest.mark.parametrize("reason", ["", "   ", "\t\n"])
def test_a_correction_without_a_reason_is_refused(
    store: Store, clock: ManualClock, reason: str
) -> None:
    original = store.insert("observations", observation(clock, 150.0, "manual"), by=NURSE)

    with pytest.raises(StoreError, match="reason"):
        store.correct("observations", original["id"], {"value": 105.0}, by=NURSE, reason=reason)
    with pytest.raises(StoreError, match="reason"):
        store.void("observations", original["id"], by=NURSE, reason=reason)

    assert_records(store.history("observations", original["id"]), [original])
    assert_records(store.current("observations"), [original])


def test_a_voided_record_leaves_the_current_view_but_stays_in_the_history(
    store: Store, clock: ManualClock
) -> None:
    kept = store.insert("observations", observation(clock, 72.0, "manual"), by=NURSE)
    wrong = store.insert("observations", observation(clock, 7.2, "manual"), by=NURSE)
    clock.advance(timedelta(minutes=2))

    store.void("observations", wrong["id"], by=CHECKER, reason="entered for the wrong patient")

    assert_records(store.current("observations"), [kept])
    assert store.current_by_root("observations", wrong["id"]) is None
    first, voiding = store.history("observations", wrong["id"])
    assert_records([first], [wrong])
    assert voiding["voided"] == 1
    assert voiding["supersedes"] == wrong["id"]
    assert voiding["correction_reason"] == "entered for the wrong patient"
    assert voiding["entered_by"] == CHECKER
    assert from_iso(voiding["entered_at"]) == clock.now()


# -- what every row carries ----------------------------------------------------------------------


def assert_random_uuid(text: str) -> None:
    parsed = uuid.UUID(text)
    assert parsed.version == 4
    assert str(parsed) == text


def test_every_row_carries_a_random_uuid_a_utc_timestamp_and_who_entered_it(
    store: Store, clock: ManualClock
) -> None:
    day = record_a_day(store, clock)
    store.insert("observations", observation(clock), by=NURSE)
    store.correct("beds", day["beds"]["id"], {"label": "Chair 4"}, by=NURSE, reason="moved")
    store.void("notes", day["notes"]["id"], by=NURSE, reason="wrong patient")
    store.log("export", by=NURSE, detail="day report")

    for table in CLINICAL_TABLES:
        rows = store.query(f"SELECT * FROM {table}")  # noqa: S608
        assert rows, table
        for row in rows:
            assert_random_uuid(row["id"])
            assert row["entered_at"].endswith("+00:00")
            entered_at = from_iso(row["entered_at"])
            assert entered_at.utcoffset() == timedelta(0)
            assert entered_at == clock.now().astimezone(UTC)
            assert row["entered_by"] == NURSE
    trail = store.audit_trail()
    assert len({line["id"] for line in trail}) == len(trail)
    for line in trail:
        assert_random_uuid(line["id"])
        assert line["at"].endswith("+00:00")
        assert from_iso(line["at"]) == clock.now()
        assert line["by"] == NURSE


def test_the_audit_trail_has_one_line_per_clinical_entry_but_none_for_device_readings(
    store: Store, clock: ManualClock
) -> None:
    day = record_a_day(store, clock)
    device = [store.insert("observations", observation(clock, v), by=NURSE) for v in (70, 71, 72)]
    clock.advance(timedelta(minutes=1))
    correction = store.correct(
        "observations", device[0]["id"], {"value": 69.0}, by=CHECKER, reason="artefact"
    )
    void = store.void("events", day["events"]["id"], by=CHECKER, reason="given on day 2")

    trail = [
        (line["action"], line["table_name"], line["row_id"], line["by"])
        for line in store.audit_trail()
    ]

    assert trail == [
        *(("record", table, row["id"], NURSE) for table, row in day.items()),
        ("correct", "observations", correction["id"], CHECKER),
        ("void", "events", void["id"], CHECKER),
    ]


# -- transactions and locking --------------------------------------------------------------------


def test_a_failing_statement_rolls_back_everything_in_its_transaction(
    store: Store, clock: ManualClock, db_path: Path
) -> None:
    before = everything_in(db_path)

    def admit_with_a_reading_missing_its_value() -> None:
        with store.transaction():
            store.insert_in_transaction(
                "patients",
                {"hospital_id": "H-1", "name": "Ben Roth", "date_of_birth": "1990-01-01"},
                by=NURSE,
            )
            manual = observation(clock, 72.0, "manual")
            store.insert_in_transaction("observations", manual, by=NURSE)
            store.insert_in_transaction("observations", {**manual, "value": None}, by=NURSE)

    with pytest.raises(StoreError, match="observations"):
        admit_with_a_reading_missing_its_value()

    assert everything_in(db_path) == before
    assert store.current("patients") == []
    saved = store.insert("observations", observation(clock), by=NURSE)
    assert_records(store.current("observations"), [saved])


def test_an_error_in_the_callers_code_rolls_back_the_transaction(
    store: Store, clock: ManualClock, db_path: Path
) -> None:
    before = everything_in(db_path)

    def record_then_lose_the_device() -> None:
        with store.transaction():
            store.insert_in_transaction("observations", observation(clock), by=NURSE)
            raise RuntimeError("device unplugged")

    with pytest.raises(RuntimeError, match="device unplugged"):
        record_then_lose_the_device()

    assert everything_in(db_path) == before


def test_a_save_is_visible_to_other_programs_once_it_returns(
    store: Store, clock: ManualClock, db_path: Path
) -> None:
    other = plain_connection(db_path)
    try:
        with store.transaction():
            pending = store.insert_in_transaction("observations", observation(clock), by=NURSE)
            assert other.execute("SELECT count(*) FROM observations").fetchone()[0] == 0
        seen = other.execute("SELECT id FROM observations").fetchall()
        assert seen == [(pending["id"],)]

        saved = store.insert("observations", observation(clock), by=NURSE)
        seen = other.execute("SELECT id FROM observations WHERE id = ?", (saved["id"],))
        assert seen.fetchall() == [(saved["id"],)]
    finally:
        other.close()


def test_a_save_whose_commit_fails_is_reported_and_leaves_nothing(
    store: Store, clock: ManualClock, db_path: Path
) -> None:
    before = everything_in(db_path)
    today = clock.now().date().isoformat()

    def start_a_course_for_a_missing_patient() -> None:
        with store.transaction() as db:
            # The missing patient is then only noticed by the COMMIT.
            db.execute("PRAGMA defer_foreign_keys = ON")
            store.insert_in_transaction(
                "courses",
                {"patient_id": str(uuid.uuid4()), "number": 1, "start_date": today, "days": 5},
                by=NURSE,
            )

    with pytest.raises(StoreError, match="did not complete") as failed:
        start_a_course_for_a_missing_patient()

    assert str(db_path) in str(failed.value)
    assert everything_in(db_path) == before
    saved = store.insert("observations", observation(clock), by=NURSE)
    assert_records(store.current("observations"), [saved])


def test_a_transaction_holds_the_write_lock_from_its_start(
    store: Store, clock: ManualClock, db_path: Path
) -> None:
    other = plain_connection(db_path, timeout=0)
    try:
        with store.transaction():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            store.insert_in_transaction("observations", observation(clock), by=NURSE)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_save_waits_while_another_program_writes_and_then_succeeds(
    store: Store, clock: ManualClock, db_path: Path
) -> None:
    locked = threading.Event()
    release = threading.Event()
    save_started = threading.Event()
    saved: list[Row] = []
    failures: list[BaseException] = []

    def hold_the_write_lock() -> None:
        other = plain_connection(db_path)
        try:
            other.execute("BEGIN IMMEDIATE")
            locked.set()
            release.wait(TIMEOUT_S)
            other.execute("ROLLBACK")
        finally:
            other.close()

    def on_statement(sql: str) -> None:
        if sql.startswith("BEGIN"):
            save_started.set()

    def save() -> None:
        try:
            saved.append(store.insert("observations", observation(clock), by=NURSE))
        except StoreError as exc:
            failures.append(exc)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    try:
        assert locked.wait(TIMEOUT_S)
        store.connection.set_trace_callback(on_statement)
        writer = threading.Thread(target=save)
        writer.start()
        assert save_started.wait(TIMEOUT_S)
    finally:
        release.set()
        holder.join(TIMEOUT_S)
    writer.join(TIMEOUT_S)
    store.connection.set_trace_callback(None)

    assert not writer.is_alive()
    assert failures == []
    assert len(saved) == 1
    assert_records(store.current("observations"), saved)


def test_a_closed_record_says_so(db_path: Path, clock: ManualClock) -> None:
    store = Store.open(db_path, clock)
    assert not store.closed

    store.close()

    assert store.closed
