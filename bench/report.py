"""How long the end-of-day PDFs take: one patient's 12-hour day with 1 Hz readings of six
parameters, 20 charted sets and 30 events (target 3 s), and the unit summary of 8 such patients
with every patient's PDF (target 10 s). Prints figures; not a test.

    .venv/bin/python bench/report.py [--db /tmp/bench-report.sqlite3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

# Run as a script, this file's folder comes first on sys.path, where bench/devices.py would
# shadow the `devices` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from alemmonitor.clock import ManualClock  # noqa: E402
from alemmonitor.patients import PatientDraft  # noqa: E402
from alemmonitor.protocol import load_protocol  # noqa: E402
from alemmonitor.report import write_day_report, write_unit_reports  # noqa: E402
from alemmonitor.report_demo import live_day  # noqa: E402
from alemmonitor.store import Store  # noqa: E402
from alemmonitor.ward import Ward  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 11, 23)


def build(path: Path) -> None:
    """Eight chairs side by side on one morning, each patient's 12-hour day lived on its own
    clock: a monitor value a second for six parameters, 20 or more charted sets, 30 or more
    events."""
    opening = ManualClock(datetime(2026, 11, 23, 6, 0, tzinfo=BERLIN), BERLIN)
    with Store.open(path, opening) as store:
        beds = Ward(store, load_protocol(), opening).ensure_beds(8, "AB")
        for index, bed in enumerate(beds):
            clock = ManualClock(datetime(2026, 11, 23, 6, index, tzinfo=BERLIN), BERLIN)
            ward = Ward(store, load_protocol(), clock)
            patient = ward.register_patient(
                PatientDraft(f"B-{index:04d}", f"Patient {index}", date(1980, 1, 1)), "AB"
            )
            live_day(
                ward,
                clock,
                patient,
                bed,
                every_s=1,
                hours=12,
                seed=index,
                extra_sets=20,
                extra_every_min=6,
                rate_steps=4,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, help="keep the record here (built if missing, else reused)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = args.db or folder / "ward.sqlite3"
        if not path.exists():
            built = time.perf_counter()
            build(path)
            print(f"built 8 days in {time.perf_counter() - built:.0f} s")
        clock = ManualClock(datetime(2026, 11, 23, 22, 0, tzinfo=BERLIN), BERLIN)
        with Store.open(path, clock) as store:
            ward = Ward(store, load_protocol(), clock)
            first = ward.admissions_on(DAY)[0]
            counts = store.query(
                """SELECT
                     (SELECT COUNT(*) FROM observations WHERE day_id = :d AND source != 'manual')
                        AS readings,
                     (SELECT COUNT(*) FROM current_events WHERE day_id = :d
                        AND kind = 'vitals_taken') AS sets,
                     (SELECT COUNT(*) FROM current_events WHERE day_id = :d) AS events""",
                {"d": first.id},
            )[0]
            print(
                f"one day: {counts['readings']} monitor values, {counts['sets']} charted sets, "
                f"{counts['events']} events"
            )
            started = time.perf_counter()
            write_day_report(ward, DAY, first.patient.hospital_id, folder / "day.pdf")
            one = time.perf_counter() - started
            print(f"patient PDF of a 12-hour day: {one:.2f} s (target <= 3 s)")
            started = time.perf_counter()
            written = write_unit_reports(ward, DAY, folder / "unit.pdf")
            unit = time.perf_counter() - started
            print(
                f"unit summary of {len(written) - 1} patients with their PDFs: {unit:.2f} s "
                "(target <= 10 s)"
            )


if __name__ == "__main__":
    main()
