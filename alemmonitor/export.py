"""Data for the hospital's systems: stored values, events and reactions as CSV (FHIR in
`alemmonitor.fhir`), written whole or not at all."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from alemmonitor.clock import Clock, from_iso, to_iso
from alemmonitor.errors import AlemMonitorError
from alemmonitor.store import Store

CSV_COLUMNS = ("time", "bed", "patient_id", "parameter", "value", "unit", "source")
EVENT_COLUMNS = (
    "time",
    "bed",
    "patient_id",
    "course",
    "day",
    "event",
    "task",
    "drug",
    "dose",
    "unit",
    "route",
    "batch",
    "rate_ml_h",
    "by",
    "checked_by",
    "reason",
)
REACTION_COLUMNS = (
    "onset",
    "bed",
    "patient_id",
    "course",
    "day",
    "term",
    "ctcae_version",
    "grade",
    "actions",
    "resolved",
    "note",
    "by",
)


class ExportError(AlemMonitorError):
    """The export cannot be written (unwritable output, unknown chair or patient)."""


def vitals_rows(
    store: Store, clock: Clock, day: date | None = None, bed: str | None = None
) -> Iterator[tuple[str, str, str, str, str, str, str]]:
    """One row per stored value (current versions): time with its UTC offset, chair, patient,
    parameter, value, unit, source; oldest first. `day` is a date of the ward's calendar."""
    where = ["1"]
    params: list[str] = []
    if day is not None:
        where.append("o.measured_at >= ? AND o.measured_at < ?")
        params += utc_window(day)
    if bed is not None:
        where.append("b.label = ?")
        params.append(bed)
    rows = store.query(
        f"""SELECT o.measured_at, b.label AS bed, p.hospital_id, o.parameter, o.value, o.unit,
                   o.source
            FROM current_observations AS o
            LEFT JOIN current_beds AS b ON b.root_id = o.bed_id
            LEFT JOIN current_infusion_days AS d ON d.root_id = o.day_id
            LEFT JOIN current_courses AS c ON c.root_id = d.course_id
            LEFT JOIN current_patients AS p ON p.root_id = c.patient_id
            WHERE {" AND ".join(where)}
            ORDER BY o.measured_at, o.rowid""",  # noqa: S608 - the conditions are ours
        tuple(params),
    )
    for row in rows:
        measured = clock.local(from_iso(row["measured_at"]))
        if day is not None and measured.date() != day:
            continue
        yield (
            measured.isoformat(timespec="seconds"),
            row["bed"] or "",
            row["hospital_id"] or "",
            row["parameter"],
            f"{row['value']:g}",
            row["unit"],
            row["source"],
        )


# The day, its course and patient, and the chair it was given on (kept after a discharge).
_DAY_JOINS = """
    JOIN current_infusion_days AS d ON d.root_id = x.day_id
    JOIN current_courses AS c ON c.root_id = d.course_id
    JOIN current_patients AS p ON p.root_id = c.patient_id
    LEFT JOIN current_beds AS b ON b.root_id = (
        SELECT v.bed_id FROM infusion_days AS v
        WHERE v.root_id = d.root_id AND v.bed_id IS NOT NULL ORDER BY v.rowid DESC LIMIT 1)"""


def event_rows(
    store: Store, clock: Clock, day: date | None = None, bed: str | None = None
) -> Iterator[tuple[str, ...]]:
    """One row per recorded event of the infusion days (current versions, struck-out ones
    left out), oldest first; `day` is a date of the ward's calendar (the day's own date)."""
    where, params = _day_filter(day, bed)
    rows = store.query(
        f"""SELECT x.*, b.label AS bed, p.hospital_id, c.number AS course,
                   d.day_number AS day_number
            FROM current_events AS x {_DAY_JOINS}
            WHERE {where} ORDER BY x.occurred_at, x.rowid""",  # noqa: S608 - ours
        params,
    )
    for row in rows:
        yield (
            clock.local(from_iso(row["occurred_at"])).isoformat(timespec="seconds"),
            row["bed"] or "",
            row["hospital_id"],
            str(row["course"]),
            str(row["day_number"]),
            row["kind"],
            row["task"] or "",
            row["drug"] or "",
            _number(row["dose"]),
            row["unit"] or "",
            row["route"] or "",
            row["batch"] or "",
            _number(row["rate_ml_h"]),
            row["performed_by"],
            row["checked_by"] or "",
            row["reason"] or "",
        )


def reaction_rows(
    store: Store, clock: Clock, day: date | None = None, bed: str | None = None
) -> Iterator[tuple[str, ...]]:
    """One row per reaction as it stands (struck-out ones left out), by onset; `actions` are
    separated by '|'; `by` is who first recorded it."""
    where, params = _day_filter(day, bed)
    rows = store.query(
        f"""SELECT x.*, b.label AS bed, p.hospital_id, c.number AS course,
                   d.day_number AS day_number, o.entered_by AS recorded_by
            FROM current_reactions AS x {_DAY_JOINS}
            JOIN reactions AS o ON o.id = x.root_id
            WHERE {where} ORDER BY x.onset_at, x.rowid""",  # noqa: S608 - ours
        params,
    )
    for row in rows:
        resolved = row["resolved_at"]
        yield (
            clock.local(from_iso(row["onset_at"])).isoformat(timespec="seconds"),
            row["bed"] or "",
            row["hospital_id"],
            str(row["course"]),
            str(row["day_number"]),
            row["term"],
            row["ctcae_version"],
            str(row["grade"]),
            "|".join(json.loads(row["actions"])),
            clock.local(from_iso(resolved)).isoformat(timespec="seconds") if resolved else "",
            row["note"] or "",
            row["recorded_by"],
        )


def _day_filter(day: date | None, bed: str | None) -> tuple[str, tuple[str, ...]]:
    where = ["1"]
    params: list[str] = []
    if day is not None:
        where.append("d.date = ?")
        params.append(day.isoformat())
    if bed is not None:
        where.append("b.label = ?")
        params.append(bed)
    return " AND ".join(where), tuple(params)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_csv(
    rows: Iterator[tuple[str, ...]], out: TextIO, columns: tuple[str, ...] = CSV_COLUMNS
) -> int:
    """Write the header and the rows; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Write a text file so that it appears whole or not at all (never half-written)."""
    handle, temporary = _temporary_beside(path)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).replace(path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(
            f"{path}: cannot be written ({exc.strerror}); nothing was written"
        ) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_files_whole(contents: Mapping[Path, bytes]) -> None:
    """Write several files so that each appears whole or not at all, and none appears unless
    all could be written (a disk filling up half-way leaves nothing behind)."""
    written: list[tuple[Path, Path]] = []
    try:
        for path, data in contents.items():
            handle, name = _temporary_beside(path)
            written.append((Path(name), path))
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        for temporary, path in written:
            temporary.replace(path)
    except OSError as exc:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        where = exc.filename or next(iter(contents), "")
        raise ExportError(
            f"{where}: cannot be written ({exc.strerror}); nothing was written"
        ) from exc
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new private file in the folder of `path`, made as readable as any file written there."""
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        # mkstemp makes the file private (0600); the export must be as readable as any file
        # written there, e.g. by the hospital's import job under another account.
        Path(temporary).chmod(0o666 & ~_umask())
    except OSError as exc:
        raise ExportError(f"{path}: cannot be written ({exc.strerror})") from exc
    return handle, temporary


def _umask() -> int:
    # The only way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def utc_window(day: date) -> list[str]:
    """Stored-timestamp bounds that certainly contain a local calendar day (whatever the zone);
    the exact cut is made on the local time of each value."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=1)
    return [to_iso(start), to_iso(start + timedelta(days=3))]
