"""A simulated oximeter on a real pseudo-terminal feeds the day view's trends while the window
stays responsive: readings travel session -> record -> plot, and the GUI thread never stalls."""

from __future__ import annotations

import itertools
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from alemmonitor.clock import SystemClock, from_iso
from alemmonitor.monitoring import WardMonitors
from alemmonitor.patients import PatientDraft
from alemmonitor.protocol import Protocol
from alemmonitor.store import Store
from alemmonitor.ward import Ward
from devices.masimo import LineFramer, decode_line
from devices.readings import Parameter
from ui.main_window import MainWindow

NURSE = "AB"
TICK_MS = 10
MAX_STALL_S = 0.050
"""The longest the GUI thread may be busy between two of its timer's ticks."""
LIVE_S = 3.0


class TickRecorder:
    """A timer on the GUI thread noting when each of its ticks ran (monotonic seconds)."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))

    def gaps(self, since: float) -> list[float]:
        ticks = [t for t in self.ticks if t >= since]
        return [later - earlier for earlier, later in itertools.pairwise(ticks)]


def sent_values(data: bytes, parameter: Parameter) -> list[float]:
    """The values of `parameter` in every whole line the oximeter sent, decoded independently."""
    return [
        reading.value
        for line in LineFramer().feed(data)
        for reading in decode_line(line).readings
        if reading.parameter is parameter
    ]


def is_stretch_of(shown: list[float], sent: list[float]) -> bool:
    """Whether `shown` is one unbroken stretch of `sent`: nothing altered, dropped or added."""
    return any(sent[i : i + len(shown)] == shown for i in range(len(sent) - len(shown) + 1))


def test_live_readings_reach_the_plot_and_the_window_never_stalls(
    qtbot: QtBot, tmp_path: Path, protocol: Protocol, simulated_monitor: Any
) -> None:
    # Real clocks: the session times silence on the monotonic clock, the record on the wall.
    clock = SystemClock()
    ward = Ward(Store.open(tmp_path / "ward.sqlite3", clock), protocol, clock)
    bed = ward.ensure_beds(6, NURSE)[0]
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), NURSE)
    admission = ward.admit(
        patient, course_number=1, day_number=4, bed=bed, planned_start=clock.now(), by=NURSE
    )
    monitors = WardMonitors(ward)
    window = MainWindow(ward, NURSE, monitors=monitors)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitExposed(window):
        window.show()
    trends = window.day_view.trends
    with qtbot.waitSignal(trends.loaded, timeout=5000):
        window.open_day(bed)
    assert window.pages.currentWidget() is window.day_view
    pulse = trends.curve(Parameter.PR)
    saturation = trends.curve(Parameter.SPO2)

    def shown(curve: pg.PlotDataItem) -> tuple[list[float], list[float]]:
        times, values = curve.getOriginalDataset()
        if times is None:
            return [], []
        return np.asarray(times).tolist(), np.asarray(values).tolist()

    ticks = TickRecorder()
    ticks.timer.start()
    link = tmp_path / "ttyUSB0"
    first_shown: list[float] = []

    def live_for(seconds: float) -> bool:
        if not shown(pulse)[1]:
            return False
        if not first_shown:
            first_shown.append(time.monotonic())
        return time.monotonic() - first_shown[0] >= seconds

    try:
        with simulated_monitor("masimo", link) as port:
            started = clock.now()
            monitors.connect(bed, "masimo", str(link))
            qtbot.waitUntil(lambda: live_for(LIVE_S), timeout=int((LIVE_S + 10) * 1000))
            watched_until = time.monotonic()
            ticks.timer.stop()
            monitors.stop()
            sent = port.sent()
        ended = clock.now()
    finally:
        ticks.timer.stop()
        window.close()
        ward.store.close()

    # The plot shows what the oximeter sent, unaltered, charted on the laptop's clock.
    for curve, parameter in ((pulse, Parameter.PR), (saturation, Parameter.SPO2)):
        times, values = shown(curve)
        assert len(values) >= 2 * LIVE_S, parameter
        assert is_stretch_of(values, sent_values(sent, parameter)), parameter
        assert started.timestamp() <= times[0] <= times[-1] <= ended.timestamp()
    assert set(monitors.latest(bed.id, admission.id)) == {"pr", "spo2"}
    with Store.open(tmp_path / "ward.sqlite3", clock) as record:
        stored = record.query(
            "SELECT measured_at, value FROM observations WHERE parameter = 'pr' AND day_id = ?"
            " ORDER BY measured_at, rowid",
            (admission.id,),
        )
    # Every value stored up to the last repaint is on the plot, at the time it was received.
    times, values = shown(pulse)
    assert [(from_iso(row["measured_at"]).timestamp(), row["value"]) for row in stored][
        : len(values)
    ] == list(zip(times, values, strict=True))

    # Meanwhile the GUI thread ran its timer throughout: never blocked for more than 50 ms.
    gaps = ticks.gaps(first_shown[0])
    assert watched_until - first_shown[0] >= LIVE_S
    assert len(gaps) >= LIVE_S * 1000 / TICK_MS / 2
    largest = max(ticks.gaps(0.0))
    assert largest < MAX_STALL_S + TICK_MS / 1000, f"the GUI stalled for {largest * 1000:.0f} ms"
