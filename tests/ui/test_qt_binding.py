"""The Qt binding the app is installed with must not lose references to None or True.

PySide6 6.12.0 on Python 3.11 (where None and True are not immortal) hands back None from every
method without a result, and True from every signal emission, without a reference of its own:
the ward's cards repaint every second, and within a minute the process aborts ("Fatal Python
error: none_dealloc"). pyproject.toml keeps that release out; this test fails if one comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

CALLS = 1000


class _Emitter(QObject):
    happened = Signal()


def test_calls_without_a_result_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("72 /min")
    assert sys.getrefcount(None) > before - CALLS // 10


def test_emitting_signals_keeps_true_alive(qtbot: QtBot) -> None:
    emitter = _Emitter()
    received: list[None] = []
    emitter.happened.connect(lambda: received.append(None))
    before = sys.getrefcount(True)
    for _ in range(CALLS):
        emitter.happened.emit()
    assert len(received) == CALLS
    assert sys.getrefcount(True) > before - CALLS // 10
