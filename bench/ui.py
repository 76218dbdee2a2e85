"""The window: start-up time against a bare PySide6 window, trend repaint time, memory.

Prints
- the time from process start to the ward shown (a record with a demonstration ward of five
  patients), and the same for a bare PySide6 window; their ratio (target <= 2);
- the time to repaint all trends of 6 chairs each holding 12 hours of 1 Hz readings
  (target <= 16 ms) and the resident memory after that (target <= 300 MB), from
  bench/ui_trends.py.

Runs offscreen. Run: .venv/bin/python bench/ui.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
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

# The child measures from here: the parent passes the wall-clock time it started the process.
CHILD_WARD = """
import sys, time
started = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from alemmonitor.clock import SystemClock
from alemmonitor.protocol import load_protocol
from alemmonitor.store import Store
from alemmonitor.ward import Ward
from ui.app import style_sheet
from ui.main_window import MainWindow
app = QApplication([])
app.setStyleSheet(style_sheet())
clock = SystemClock()
ward = Ward(Store.open(sys.argv[2], clock), load_protocol(), clock)
window = MainWindow(ward, "BM")
window.resize(1366, 768)
window.show()
def shown():
    window.grab()  # the whole window painted once
    print(time.time() - started)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
window.monitors.stop()
"""

CHILD_BARE = """
import sys, time
started = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
window = QWidget()
window.resize(1366, 768)
window.show()
def shown():
    window.grab()
    print(time.time() - started)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def _startup(code: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, str(started), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return float(result.stdout.strip().splitlines()[-1])


def _demo_record(folder: Path) -> Path:
    from alemmonitor.clock import SystemClock  # noqa: PLC0415
    from alemmonitor.demo import build_demo_ward  # noqa: PLC0415
    from alemmonitor.protocol import load_protocol  # noqa: PLC0415
    from alemmonitor.store import Store  # noqa: PLC0415
    from alemmonitor.ward import Ward  # noqa: PLC0415

    path = folder / "ward.sqlite3"
    clock = SystemClock()
    with Store.open(path, clock) as store:
        build_demo_ward(Ward(store, load_protocol(), clock))
    return path


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="start-ups of each kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        record = _demo_record(Path(folder))
        ward_times, bare_times = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine
            ward_times.append(_startup(CHILD_WARD, str(record)))
            bare_times.append(_startup(CHILD_BARE))
    ward, bare = statistics.median(ward_times), statistics.median(bare_times)
    verdict = "meets" if ward / bare <= 2 else "MISSES"
    print(f"start-up to the ward shown   {ward * 1000:7.0f} ms (median of {args.runs})")
    print(f"start-up of a bare window     {bare * 1000:7.0f} ms")
    print(f"ratio                         {ward / bare:7.2f}   ({verdict} the target of <= 2)")

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
