"""Repainting the live trends of six chairs, each holding hours of 1 Hz readings.

Six `TrendsWidget`s, one per chair, each hold 12 hours of 1 Hz readings of heart rate, systolic,
diastolic and mean pressure, temperature, SpO2 and respiration (7 x 43,200 values) and a charted
set every hour. They are fed by `GeneratedSource`, a `TrendSource` whose day is generated
straight into numpy arrays: a record holding 6 x 12 x 3,600 x 7 = 1.8 M observation rows takes
minutes to write, and reading it is not what is measured here (the record's incremental reads
are measured by the tests). Each of its polls adds one second of readings, as a live monitor
would.

Each day carries the markers of a day with a reaction: medication, the infusion's start, a pause,
the reaction, resumption at a lower rate, completion and the end of the observation.

One run moves the clock on one second, refreshes all six widgets (each takes in its new values,
moves its window and calls setData) and paints all six into pixmaps (`QWidget.grab`), which
forces complete paints. The median of the runs is reported, then the process's resident memory
(VmRSS). By default each widget has the size the day view gives the trends in the app's main
window on a ward laptop's 1366 x 768 screen (measured from the real window, with the ward's style
sheet) and shows the whole day, the most points there are to draw; `--layout grid` puts the six
in one 1366 x 768 window in a 3 x 2 grid (smaller plots), `full` gives each a 1366 x 768 window.

Usage: python bench/ui_trends.py [--hours 12] [--runs 21] [--layout app|grid|full]
                                 [--window day|4h|hour]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where bench/devices.py and
# bench/ui.py would shadow the `devices` and `ui` packages.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget  # noqa: E402

from alemmonitor.clock import ManualClock  # noqa: E402
from alemmonitor.patients import PatientDraft  # noqa: E402
from alemmonitor.protocol import load_protocol  # noqa: E402
from alemmonitor.store import Store  # noqa: E402
from alemmonitor.trends import (  # noqa: E402
    MANUAL_SOURCE,
    ChairTrends,
    Marker,
    MarkerKind,
    Selection,
    TrendSource,
)
from alemmonitor.ward import Ward  # noqa: E402
from devices.readings import Parameter  # noqa: E402
from ui.app import style_sheet  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.trends import HOUR, TrendsWidget  # noqa: E402

TARGET_MS = 16.0
TARGET_MB = 300.0
CHAIRS = 6
SCREEN = (1366, 768)
SOURCE = "simulator"
START = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)

# Typical value and the size of its beat-to-beat wander, per parameter.
STREAMS: dict[Parameter, tuple[float, float]] = {
    Parameter.HR: (74.0, 0.8),
    Parameter.SBP: (124.0, 0.6),
    Parameter.DBP: (78.0, 0.4),
    Parameter.MAP: (93.0, 0.4),
    Parameter.TEMP: (36.8, 0.005),
    Parameter.SPO2: (97.0, 0.2),
    Parameter.RR: (15.0, 0.3),
}
CHARTED = (Parameter.HR, Parameter.SBP, Parameter.DBP, Parameter.TEMP)
# (hours after the day's start, label, kind) of a day with a reaction
MARKERS = (
    (0.5, "Acyclovir + Ranitidine + Desloratadine", MarkerKind.MEDICATION),
    (1.0, "Methylpred. start", MarkerKind.MEDICATION),
    (1.5, "Methylpred. end", MarkerKind.MEDICATION),
    (1.5, "Paracetamol", MarkerKind.MEDICATION),
    (2.0, "Alemtuzumab start", MarkerKind.INFUSION),
    (3.2, "Paused", MarkerKind.INFUSION),
    (3.2, "Rash maculo-papular (grade 1)", MarkerKind.REACTION),
    (3.5, "Resumed", MarkerKind.INFUSION),
    (3.5, "Rate 12.5 mL/h", MarkerKind.INFUSION),
    (6.5, "Completed", MarkerKind.INFUSION),
    (8.5, "Observation end", MarkerKind.OBSERVATION),
)
WINDOWS = {"hour": HOUR, "4h": 4 * HOUR, "day": None}


class GeneratedSource(TrendSource):
    """A chair's day generated in memory: `hours` of 1 Hz readings up to the clock's now, a
    charted set every hour; each poll adds the readings of one more second."""

    def __init__(self, store: Store, clock: ManualClock, *, hours: float, seed: int) -> None:
        super().__init__(store)
        self.clock = clock
        self.hours = hours
        self._random = np.random.default_rng(seed)

    def load(self, selection: Selection) -> ChairTrends:
        trends = ChairTrends(self.settings, selection)
        count = int(self.hours * HOUR)
        now = self.clock.now().timestamp()
        times = now - count + np.arange(1, count + 1, dtype=np.float64)
        for parameter, (typical, wander) in STREAMS.items():
            steps = self._random.normal(0.0, wander, count)
            # A random walk pulled back to the typical value, as a patient at rest wanders.
            values = typical + np.convolve(steps, np.exp(-np.arange(300) / 60.0))[:count]
            trends[parameter].add(times, values, [SOURCE] * count)
        charted_at = times[::3600]
        for parameter in CHARTED:
            typical, wander = STREAMS[parameter]
            values = typical + self._random.normal(0.0, 20 * wander, len(charted_at))
            trends[parameter].add(charted_at, values, [MANUAL_SOURCE] * len(charted_at))
        return trends

    def poll(self) -> int:
        at = np.array([self.clock.now().timestamp()])
        for parameter, (typical, wander) in STREAMS.items():
            value = np.array([typical + self._random.normal(0.0, 10 * wander)])
            self.trends[parameter].add(at, value, [SOURCE])
        return len(STREAMS)


def app_trends_size(store: Store, clock: ManualClock) -> tuple[int, int]:
    """The size of the trends in the day view of a 1366 x 768 main window (with a patient's day
    in `store`, the record of the app's own widgets)."""
    ward = Ward(store, load_protocol(), clock)
    bed = ward.ensure_beds(6, "BM")[0]
    patient = ward.register_patient(PatientDraft("B-1", "Bench Patient", date(1980, 1, 1)), "BM")
    ward.admit(patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by="BM")
    window = MainWindow(ward, "BM")
    try:
        window.resize(*SCREEN)
        window.show()
        window.open_day(bed)
        window.layout().activate()
        window.day_view.layout().activate()
        return window.day_view.trends.size().toTuple()
    finally:
        window.close()
        window.monitors.stop()


def repaint_six_chairs(
    hours: float = 12, *, runs: int = 21, layout: str = "app", window: float | None = None
) -> tuple[float, float]:
    """Milliseconds to refresh and repaint the trends of six chairs (median of `runs`), and the
    resident memory in MB afterwards.

    `layout` "app" gives each chair's trends a window of the size the day view gives them on a
    1366 x 768 screen; "grid" puts the six in one 1366 x 768 window in a 3 x 2 grid; "full"
    gives each a 1366 x 768 window of its own. `window` is the span shown (None: the whole day).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    app.setStyleSheet(style_sheet())
    with tempfile.TemporaryDirectory() as folder:
        clock = ManualClock(START + timedelta(hours=hours))
        with Store.open(Path(folder) / "bench.sqlite3", clock) as store:
            size = app_trends_size(store, clock) if layout == "app" else SCREEN
            container = QWidget()
            grid = QGridLayout(container)
            widgets = []
            for chair in range(CHAIRS):
                source = GeneratedSource(store, clock, hours=hours, seed=chair)
                widget = TrendsWidget(source, clock)
                widgets.append(widget)
                if layout == "grid":
                    grid.addWidget(widget, chair // 3, chair % 3)
                else:
                    widget.resize(*size)
                    widget.show()
            if layout == "grid":
                container.resize(*SCREEN)
                container.show()
            day_start = clock.now() - timedelta(hours=hours)
            markers = [
                Marker(day_start + timedelta(hours=after), label, kind)
                for after, label, kind in MARKERS
                if after < hours
            ]
            _show_days(app, widgets, window, markers)
            times = []
            for run in range(runs + 3):
                app.processEvents()  # what earlier runs left queued is not this run's work
                clock.advance(timedelta(seconds=1))
                start = time.perf_counter()
                for widget in widgets:
                    widget.refresh()
                if layout == "grid":
                    container.grab()
                else:
                    for widget in widgets:
                        widget.grab()
                if run >= 3:  # the first runs warm caches up
                    times.append(time.perf_counter() - start)
            megabytes = resident_megabytes()
            for widget in widgets:
                widget.close()
            container.close()
    return statistics.median(times) * 1000, megabytes


def _show_days(
    app: QApplication, widgets: list[TrendsWidget], window: float | None, markers: list[Marker]
) -> None:
    """Load every chair's day (on the widgets' worker threads) and wait until all are shown."""
    loop = QEventLoop()
    waiting = set(range(len(widgets)))

    def loaded(chair: int) -> None:
        waiting.discard(chair)
        if not waiting:
            loop.quit()

    for chair, widget in enumerate(widgets):
        widget.loaded.connect(lambda _count, chair=chair: loaded(chair))
        widget.set_window(window)
        widget.show_day(f"bench-chair-{chair + 1}", None, markers)
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    if waiting:
        raise RuntimeError(f"chairs {sorted(waiting)} did not load within 2 minutes")
    app.processEvents()


def resident_megabytes() -> float:
    """This process's resident memory (VmRSS) in MB."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--hours", type=float, default=12.0)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--layout", choices=("app", "grid", "full"), default="app")
    parser.add_argument("--window", choices=tuple(WINDOWS), default="day")
    args = parser.parse_args()
    where = {
        "app": "six windows of the day view's trends, one per chair",
        "grid": "six chairs in one 1366 x 768 window",
        "full": "six 1366 x 768 windows, one per chair",
    }[args.layout]
    print(
        f"{CHAIRS} chairs x {args.hours:g} h of 1 Hz readings x {len(STREAMS)} parameters, {where}"
    )
    window = WINDOWS[args.window]
    milliseconds, megabytes = repaint_six_chairs(
        args.hours, runs=args.runs, layout=args.layout, window=window
    )
    shown = "whole day" if window is None else f"last {window / HOUR:g} h"
    verdict_ms = "ok" if milliseconds <= TARGET_MS else "OVER TARGET"
    verdict_mb = "ok" if megabytes <= TARGET_MB else "OVER TARGET"
    print(
        f"repaint of all trends, {shown} shown (median of {args.runs}): "
        f"{milliseconds:.1f} ms (target <= {TARGET_MS:g} ms: {verdict_ms})"
    )
    print(f"resident memory after: {megabytes:.0f} MB (target <= {TARGET_MB:g} MB: {verdict_mb})")


if __name__ == "__main__":
    main()
