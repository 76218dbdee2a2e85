"""Work that waits for a window's first paint: the ward on the screen before anything else."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from alemmonitor.ward import Ward
from ui.first_paint import AfterFirstPaint
from ui.main_window import MainWindow


class PaintLog(QObject):
    """Notes in `log` when the watched window is painted."""

    def __init__(self, window: QMainWindow, log: list[str]) -> None:
        super().__init__(window)
        self._log = log
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self._log.append("painted")
        return False


def test_work_set_while_building_waits_for_the_first_paint_unlike_a_timer(qtbot: QtBot) -> None:
    window = QMainWindow()
    window.setCentralWidget(QLabel("Chair 1"))
    qtbot.addWidget(window)
    log: list[str] = []
    PaintLog(window, log)
    after = AfterFirstPaint(window)
    after.then(lambda: log.append("after the first paint"))
    QTimer.singleShot(0, lambda: log.append("timer of 0 ms"))

    window.show()
    qtbot.waitUntil(lambda: after.done)

    assert log.index("timer of 0 ms") < log.index("painted") < log.index("after the first paint")
    after.then(lambda: log.append("asked later"))  # once painted, work runs on the next turn
    qtbot.waitUntil(lambda: "asked later" in log)


def test_work_runs_even_when_the_window_is_never_painted(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    ran: list[str] = []
    after = AfterFirstPaint(window, latest_ms=50)
    after.then(lambda: ran.append("connect the monitors"))

    qtbot.waitUntil(lambda: ran == ["connect the monitors"])


def test_the_alarm_engine_starts_once_the_ward_is_on_the_screen(qtbot: QtBot, ward: Ward) -> None:
    ward.ensure_beds(6, "AB")
    window = MainWindow(ward, "AB")
    qtbot.addWidget(window)
    log: list[str] = []
    PaintLog(window, log)
    window.alarms_started.connect(lambda: log.append("alarms started"))

    with qtbot.waitSignal(window.alarms_started):
        window.show()

    assert log[:2] == ["painted", "alarms started"]


def test_a_window_gone_before_its_deferred_work_ran_is_left_alone(qtbot: QtBot, ward: Ward) -> None:
    ward.ensure_beds(6, "AB")
    window = MainWindow(ward, "AB")
    window.start_alarms()  # its sound is loaded on the next turn of the event loop
    after = AfterFirstPaint(window, latest_ms=0)
    ran: list[str] = []
    after.then(lambda: ran.append("ran"))

    shiboken6.delete(window)
    QCoreApplication.processEvents()  # the timers' turn: none of them fires, nothing raises

    assert ran == []
