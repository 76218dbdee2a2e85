"""What the ward loads before a nurse first sees it: the ward, and nothing that can wait.

The window is started as the `alemmonitor` command starts it, in a process of its own, on a
record holding the demonstration ward with a monitor assigned to each occupied chair (unplugged).
At the window's first paint the child notes which modules are loaded and what the cards say.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alemmonitor.demo import write_unplugged_demo_record

ROOT = Path(__file__).resolve().parents[2]

# A 0 ms timer fires on the event loop's first turn, once the window is built and shown but
# before it is painted; it then watches the window alone for its first Paint.
CHILD = """
import json, sys
import main
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
seen = {}
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not seen:
            seen["modules"] = sorted(sys.modules)
            seen["labels"] = [label.text() for label in watched.findChildren(QLabel)]
            QTimer.singleShot(0, app.quit)
        return False
first_paint = FirstPaint()
def watch():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    windows[0].installEventFilter(first_paint)
QTimer.singleShot(0, watch)
QTimer.singleShot(20_000, app.quit)
main.main(["--db", sys.argv[1], "--by", "BM", "--lang", "en"])
print(json.dumps(seen))
"""

WAITS = [
    # the alarm engine and its sound start just after the first paint
    "alemmonitor.alarms",
    "alemmonitor.watch",
    "ui.alarm_desk",
    "PySide6.QtMultimedia",
    # opened from the ward, when a nurse asks
    "ui.day_view",
    "ui.followup_view",
    "ui.report_dialog",
    "pyqtgraph",
    "numpy",
    "reportlab",
    # laid out when a course ends
    "alemmonitor.followup_plan",
    # the monitors' ports are opened after the first paint
    "serial",
]


@pytest.fixture
def demo_record(tmp_path: Path) -> Path:
    """The demonstration ward, a monitor assigned to each occupied chair, its port unplugged."""
    path = tmp_path / "ward.sqlite3"
    write_unplugged_demo_record(path, by="BM")
    return path


def test_the_ward_is_painted_with_its_patients_before_anything_that_can_wait_is_loaded(
    demo_record: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(demo_record)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen, f"the ward was never painted:\n{result.stderr}"
    labels = " ".join(seen["labels"])
    for patient in ("Anna Schmidt", "Ben Müller", "Carla Rossi"):
        assert patient in labels
    loaded = set(seen["modules"])
    early = [name for name in WAITS if name in loaded]
    assert early == [], f"loaded before the ward was first painted: {early}"
