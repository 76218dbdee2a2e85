"""Data for the hospital's systems: stored values as CSV, written whole or not at all."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from alemmonitor.clock import Clock, from_iso, to_iso
from alemmonitor.errors import AlemMonitorError
from alemmonitor.store import Store

CSV_COLUMNS = ("time", "bed", "patient_id", "parameter", "value", "unit", "source")


class ExportError(AlemMonitorError):
    """The export cannot be written (unwritable output, unknown chair)."""


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


def write_csv(rows: Iterator[tuple[str, ...]], out: TextIO) -> int:
    """Write the header and the rows; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Write a text file so that it appears whole or not at all (never half-written)."""
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
