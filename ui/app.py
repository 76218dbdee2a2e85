"""Starting the Qt application around a ward."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtWidgets import QApplication

from alemmonitor.demo import NURSE, DemoMonitors, build_demo_ward
from alemmonitor.monitoring import WardMonitors
from alemmonitor.ward import DEFAULT_CHAIRS, Ward
from ui.main_window import MainWindow

log = logging.getLogger(__name__)


def style_sheet() -> str:
    """The ward's style sheet from resources/."""
    return (resources.files("resources") / "style" / "ward.qss").read_text(encoding="utf-8")


def run_app(ward: Ward, *, nurse: str, demo_folder: Path | None = None) -> int:
    """Open the ward window and run until it is closed; returns the exit code.

    With `demo_folder`, the ward is filled with the demonstration and simulated monitors serve
    on pseudo-terminals in that folder.
    """
    demo = demo_folder is not None
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    app.setApplicationName("AlemMonitor")
    app.setStyleSheet(style_sheet())
    monitors = WardMonitors(ward)
    simulators = None
    if demo_folder is not None:
        build_demo_ward(ward)
        nurse = nurse or NURSE
        simulators = DemoMonitors(ward, monitors, demo_folder)
        try:
            simulators.start()
        except OSError as exc:  # no pseudo-terminals on Windows: a ward without monitors
            log.warning("demo monitors unavailable: %s", exc)
    ward.ensure_beds(DEFAULT_CHAIRS, nurse or "setup")
    window = MainWindow(ward, nurse, monitors=monitors, demo=demo)
    if not demo:
        # The chairs' monitors as the nurses connected them: read again after a restart,
        # once the window listens for what they report.
        started = monitors.connect_assigned()
        log.info("reading %d assigned monitor(s)", len(started))
    screen = app.primaryScreen()
    if screen is not None:  # without a window manager, maximising alone does nothing
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    try:
        return app.exec()
    finally:
        monitors.stop()
        if simulators is not None:
            simulators.stop()
