"""Starting the Qt application around a ward."""

from __future__ import annotations

from importlib import resources

from PySide6.QtWidgets import QApplication

from alemmonitor.ward import DEFAULT_CHAIRS, Ward
from ui.main_window import MainWindow


def style_sheet() -> str:
    """The ward's style sheet from resources/."""
    return (resources.files("resources") / "style" / "ward.qss").read_text(encoding="utf-8")


def run_app(ward: Ward, *, nurse: str, demo: bool) -> int:
    """Open the ward window and run until it is closed; returns the exit code."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    app.setApplicationName("AlemMonitor")
    app.setStyleSheet(style_sheet())
    if demo:
        from alemmonitor.demo import build_demo_ward  # noqa: PLC0415

        build_demo_ward(ward)
        nurse = nurse or "DEMO"
    ward.ensure_beds(DEFAULT_CHAIRS, nurse)
    window = MainWindow(ward, nurse, demo=demo)
    screen = app.primaryScreen()
    if screen is not None:  # without a window manager, maximising alone does nothing
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    return app.exec()
