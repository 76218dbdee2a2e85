"""Alarms: the time from a monitor's reading to its alarm, through the real path.

Six chairs with patients, six simulated HL7 monitors (IHE PCD, pushing results) on pseudo-terminals,
each telling the `hypotension` scenario at high speed, so that the blood pressure crosses its
limits again and again. Every batch goes the way it goes on the ward: decoded on its session's
thread, committed to a real record, evaluated against the limits, the alarm board updated. Prints,
over every batch,
- the time from the batch's receipt to the end of its alarm evaluation (target: an alarm within
  1 s of its reading), median and 99th percentile,
- how many alarms started, and the slowest start after its reading.

Run: .venv/bin/python bench/alarms.py [--seconds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# `devices` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from alemmonitor.alarm_rules import default_alarm_rules  # noqa: E402
from alemmonitor.clock import SystemClock  # noqa: E402
from alemmonitor.monitoring import WardMonitors  # noqa: E402
from alemmonitor.patients import PatientDraft  # noqa: E402
from alemmonitor.protocol import load_protocol  # noqa: E402
from alemmonitor.store import Store  # noqa: E402
from alemmonitor.ward import Ward  # noqa: E402
from alemmonitor.watch import AlarmWatch  # noqa: E402
from devices.session import ReadingBatch  # noqa: E402
from devices.simulator import SimulatedMonitor, make_scenario, open_pty  # noqa: E402

CHAIRS = 6


def main() -> None:
    """Run the monitors for a while and print the latencies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    clock = SystemClock()
    latencies: list[float] = []
    lock = threading.Lock()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as running:
        store = Store.open(Path(folder) / "bench.sqlite3", clock)
        ward = Ward(store, load_protocol(), clock)
        beds = ward.ensure_beds(CHAIRS, "AB")
        for number, bed in enumerate(beds):
            patient = ward.register_patient(
                PatientDraft(f"B-{number}", f"Patient {number}", date(1980, 1, 1)), "AB"
            )
            ward.admit(
                patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by="AB"
            )
        watch = AlarmWatch(ward, default_alarm_rules())
        monitors = WardMonitors(ward)
        watch.listen_to(monitors)
        hear = monitors.on_readings
        assert hear is not None

        def timed(bed_id: str, day_id: str | None, batch: ReadingBatch) -> None:
            hear(bed_id, day_id, batch)
            elapsed = (clock.now() - batch.received_at).total_seconds()
            with lock:
                latencies.append(elapsed)

        monitors.on_readings = timed
        stop = threading.Event()
        for bed in beds:
            endpoint = running.enter_context(open_pty(Path(folder) / f"tty-{bed.position}"))
            monitor = SimulatedMonitor(
                "hl7", make_scenario("hypotension", bed.position), speed=600, hl7_mode="unsolicited"
            )
            thread = threading.Thread(target=monitor.run, args=(endpoint.port, stop), daemon=True)
            thread.start()
            running.callback(thread.join, 5)
            monitors.connect(bed, "hl7", str(endpoint.path))
        running.callback(stop.set)
        running.callback(monitors.stop)
        stop.wait(args.seconds)
        started = list(store.query("SELECT at FROM alarm_events WHERE action = 'started'"))
    with lock:
        figures = sorted(latencies)
    if not figures:
        print("no readings arrived")
        sys.exit(1)
    p99 = figures[min(len(figures) - 1, int(0.99 * len(figures)))]
    print(f"{CHAIRS} chairs, HL7 monitors over pseudo-terminals, {args.seconds:.0f} s")
    print(f"batches evaluated: {len(figures)}, alarms started: {len(started)}")
    print(
        f"reading received -> stored and alarm evaluated: median "
        f"{statistics.median(figures) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {figures[-1] * 1000:.1f} ms (target <= {timedelta(seconds=1).total_seconds():.0f} s)"
    )


if __name__ == "__main__":
    main()
