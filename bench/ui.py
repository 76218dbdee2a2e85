"""The window: start-up time against a bare PySide6 window, trend repaint time, memory.

Prints
- the time from process start to the ward shown, and the same for a bare PySide6 window; their
  ratio (target <= 2). The ward starts as the `alemmonitor` command does (`main.main`), on a
  record holding the demonstration ward of five patients with a monitor assigned to each
  occupied chair (their ports are not plugged in: the sessions keep trying, as on a ward where a
  cable is out). "Shown" is the end of the window's first paint as the event loop delivers it,
  so that whatever the app has Qt do before (timers set while the window is built fire before
  its first paint) counts; only the window's own events are watched, so that the watching
  costs next to nothing; the bare window is a `QWidget` shown maximised, timed the same way.
  Both run on an offscreen screen of a ward laptop's size (1366 x 768), with their bytecode
  compiled as an installed app has it: one untimed start of each comes first;
- the time to refresh and repaint all trends of 6 chairs each holding 12 hours of 1 Hz readings,
  each at the size the day view gives them on that screen (target <= 16 ms), and the resident
  memory after that (target <= 300 MB), from bench/ui_trends.py.

Run: .venv/bin/python bench/ui.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, this file's folder comes first on sys.path and its name would shadow the `ui`
# package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

SCREEN = (1366, 768)
STYLE_SHEET = HERE.parent / "resources" / "style" / "ward.qss"

# The child measures from here: the parent passes the wall-clock time it started the process.
# It imports `main` first, as the `alemmonitor` script does: PySide6 reads the source of every
# module imported after it (for its `__feature__` switches), so the order of imports counts. Then
# it makes the application object and sets a 0 ms timer; `run_app` takes that object over. The
# timer fires on the event loop's first turn, once the window is built and shown but before it
# is painted (Qt delivers timers before it paints), and watches that one window's events for
# its first Paint. The window and its children are painted while that event is delivered; a
# timer set as it arrives fires once the paint is done. Only the window is watched: a filter on
# the whole application would run Python for each of the thousands of events a window of many
# widgets gets while it is built, and time the watching instead of the app.
FIRST_PAINT = """
import sys, time
started = float(sys.argv[1])
{imports}
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
app = QApplication([])
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, shown)
        return False
def watch():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, {window}) and w.isVisible()]
    if len(windows) != 1:
        sys.exit(f"expected one window shown at the event loop's first turn, found {{windows}}")
    windows[0].installEventFilter(first_paint)
def shown():
    print(time.time() - started)
    app.quit()
def never_painted():
    sys.exit("the window was not painted within 10 s")
first_paint = FirstPaint()
QTimer.singleShot(0, watch)
QTimer.singleShot(10_000, never_painted)
"""

CHILD_WARD = (
    FIRST_PAINT.format(imports="import main", window="QMainWindow")
    + """
sys.exit(main.main(["--db", sys.argv[2], "--by", "BM"]))
"""
)

CHILD_BARE = (
    FIRST_PAINT.format(imports="", window="QWidget")
    + """
window = QWidget()
window.setGeometry(app.primaryScreen().availableGeometry())
window.showMaximized()
app.exec()
"""
)


# The same window made of plain Qt widgets, with none of AlemMonitor's code: six cards of eight
# labels, two buttons and a progress bar (three labels more, hidden), a toolbar of five actions
# and a text field, an alarm bar; 113 widgets, 83 of them shown, as in the demonstration ward,
# under the ward's style sheet. What it costs over the bare window is Qt's price for showing
# that many styled widgets (and PySide's for its `Qt` namespace); what the ward costs over it is
# AlemMonitor's own.
CHILD_PLAIN = (
    FIRST_PAINT.format(imports="", window="QMainWindow")
    + """
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
    QToolBar, QVBoxLayout)
app.setStyleSheet(open(sys.argv[2], encoding="utf-8").read())
window = QMainWindow()
toolbar = QToolBar()
for name in ("Register patient", "Start a day", "Follow-up", "End of day", "Night colours"):
    toolbar.addAction(name)
toolbar.addWidget(QLineEdit("BM"))
window.addToolBar(toolbar)
central = QWidget()
rows = QVBoxLayout(central)
bar = QLabel("No alarms")
bar.setObjectName("alarmBar")
rows.addWidget(bar)
grid = QGridLayout()
rows.addLayout(grid)
for chair in range(6):
    card = QFrame()
    card.setObjectName("chairCard")
    lines = QVBoxLayout(card)
    for line in range(11):
        label = QLabel(f"Chair {chair + 1}, line {line + 1}")
        label.setAlignment(Qt.AlignmentFlag.AlignLeft)
        label.setVisible(line < 8)
        lines.addWidget(label)
    progress = QProgressBar()
    progress.setValue(40)
    lines.addWidget(progress)
    for name in ("Open the day", "Record"):
        lines.addWidget(QPushButton(name))
    grid.addWidget(card, chair // 3, chair % 3)
window.setCentralWidget(central)
window.setGeometry(app.primaryScreen().availableGeometry())
window.showMaximized()
app.exec()
"""
)


def _startup(code: str, env: dict[str, str], *args: str) -> float:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, str(started), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the start-up failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def _child_env(folder: Path) -> dict[str, str]:
    """Offscreen on a laptop-sized screen, preferences and bytecode kept in `folder`."""
    screen = folder / "screen.json"
    width, height = SCREEN
    screens = [{"name": "ward", "x": 0, "y": 0, "width": width, "height": height}]
    screen.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "XDG_CONFIG_HOME": str(folder / "config"),
        "PYTHONPYCACHEPREFIX": str(folder / "bytecode"),
    }
    return env


def _ward_record(folder: Path) -> Path:
    """The demonstration ward, a monitor assigned to each occupied chair."""
    from alemmonitor.demo import write_unplugged_demo_record  # noqa: PLC0415

    path = folder / "ward.sqlite3"
    write_unplugged_demo_record(path, by="BM")
    return path


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="start-ups of each kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        record = _ward_record(folder)
        env = _child_env(folder)
        _startup(CHILD_WARD, env, str(record))  # compiles the bytecode
        _startup(CHILD_BARE, env)
        _startup(CHILD_PLAIN, env, str(STYLE_SHEET))
        ward_times, bare_times, plain_times = [], [], []
        for _ in range(args.runs):  # interleaved, so all see the same machine
            ward_times.append(_startup(CHILD_WARD, env, str(record)))
            bare_times.append(_startup(CHILD_BARE, env))
            plain_times.append(_startup(CHILD_PLAIN, env, str(STYLE_SHEET)))
    ward, bare = statistics.median(ward_times), statistics.median(bare_times)
    plain = statistics.median(plain_times)
    verdict = "meets" if ward / bare <= 2 else "MISSES"
    print(f"start-up to the ward shown   {ward * 1000:7.0f} ms (median of {args.runs})")
    print(f"start-up of a bare window     {bare * 1000:7.0f} ms")
    print(f"ratio                         {ward / bare:7.2f}   ({verdict} the target of <= 2)")
    print(
        f"the ward's widgets in plain Qt  {plain * 1000:5.0f} ms (ratio {plain / bare:.2f}): "
        "what Qt itself asks for such a window"
    )

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    spec = importlib.util.spec_from_file_location("ui_trends", HERE / "ui_trends.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("bench/ui_trends.py is missing")
    trends = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trends)
    milliseconds, resident = trends.repaint_six_chairs(hours=12)
    verdict = "meets" if milliseconds <= 16 else "MISSES"
    print(
        f"repaint of 6 chairs' trends, 12 h at 1 Hz  {milliseconds:6.1f} ms "
        f"({verdict} the target of <= 16 ms)"
    )
    verdict = "meets" if resident <= 300 else "MISSES"
    print(
        f"resident memory after that                 {resident:6.0f} MB "
        f"({verdict} the target of <= 300 MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
